"""Robustness measures on small examples computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.analysis.robustness.design import ExploreError, Outcome
from sim.analysis.robustness.measures import (
    compare,
    measure_all,
    outcome_matrix,
    pairwise_wins,
    parse_thresholds,
    regret,
    regret_summary,
    satisficing,
    seed_noise,
    wilson_interval,
)
from sim.analysis.robustness.words import wilson_bounds

# Four states, three policies; larger is better for firms.
VALUES = pd.DataFrame(
    {"A": [10.0, 4.0, 6.0, 8.0], "B": [7.0, 5.0, 6.0, 2.0], "C": [9.0, 9.0, 1.0, 3.0]},
    index=pd.Index([0, 1, 2, 3], name="state"),
)
FIRMS = Outcome("firms", 2030)
DELISTED = Outcome("zones_delisted", 2030)


def long(values: pd.DataFrame, label: str) -> pd.DataFrame:
    return values.reset_index().melt(id_vars="state", var_name="policy", value_name=label)


def test_p_a_beats_b_counts_strict_wins_and_ties():
    pw = pairwise_wins(VALUES, FIRMS).set_index(["policy_a", "policy_b"])
    # A vs B: states 0 and 3 won, state 2 tied, state 1 lost
    assert pw.loc[("A", "B"), "wins"] == 2
    assert pw.loc[("A", "B"), "ties"] == 1
    assert pw.loc[("A", "B"), "p_win"] == 0.5
    assert pw.loc[("B", "A"), "p_win"] == 0.25
    assert pw.loc[("A", "C"), "p_win"] == 0.75
    lo, hi = wilson_interval(2, 4)
    assert pw.loc[("A", "B"), "p_win_low"] == pytest.approx(lo)
    assert pw.loc[("A", "B"), "p_win_high"] == pytest.approx(hi)


def test_wilson_interval_matches_the_formula():
    k, n, z = 7, 20, 1.959963984540054
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    lo, hi = wilson_interval(k, n)
    assert lo == pytest.approx(centre - half, abs=1e-9)
    assert hi == pytest.approx(centre + half, abs=1e-9)
    assert wilson_interval(0, 10)[0] == 0.0 and wilson_interval(10, 10)[1] == pytest.approx(1.0)


def test_regret_is_the_shortfall_from_the_best_policy_per_state():
    r = regret(VALUES, FIRMS)
    expected = np.array([[0, 3, 1], [5, 4, 0], [0, 0, 5], [0, 6, 5]], dtype=float)
    np.testing.assert_array_equal(r.to_numpy(), expected)
    s = regret_summary(VALUES, FIRMS).set_index("policy")
    assert s.loc["A", "mean"] == 1.25 and s.loc["A", "max"] == 5 and s.loc["A", "median"] == 0
    assert s.loc["B", "mean"] == 3.25 and s.loc["B", "median"] == 3.5
    assert s.loc["C", "p90"] == pytest.approx(np.quantile([1, 0, 5, 5], 0.9))
    assert s.loc["A", "best_share"] == 0.75  # best (or tied best) in states 0, 2, 3
    assert s.loc["A", "mean_rel"] == pytest.approx(np.mean([0, 5 / 9, 0, 0]))


def test_smaller_is_better_for_delisted_zones():
    pw = pairwise_wins(VALUES, DELISTED).set_index(["policy_a", "policy_b"])
    assert pw.loc[("A", "B"), "p_win"] == 0.25  # A has fewer delisted only in state 1
    r = regret(VALUES, DELISTED)
    np.testing.assert_array_equal(r["A"].to_numpy(), [3, 0, 5, 6])


def test_satisficing_share_for_a_threshold():
    (t,) = parse_thresholds("firms@2030>=6")
    s = satisficing(VALUES, t).set_index("policy")
    assert list(s["met"]) == [3, 2, 2]
    assert s.loc["A", "share"] == 0.75
    (t2,) = parse_thresholds(["firms@2030 <= 5"])
    assert satisficing(VALUES, t2).set_index("policy").loc["B", "share"] == 0.5


@pytest.mark.parametrize(
    "text", ["firms@2030", "firms@2030>6", "firms@2030>=x", "nope@2030>=1", "firms@2030>=inf"]
)
def test_bad_thresholds_are_refused(text):
    with pytest.raises(ExploreError, match=r"^thresholds ") as info:
        parse_thresholds(text)
    assert info.value.argument == "thresholds"


def test_measure_all_from_the_long_outcome_table():
    table = long(VALUES, "firms@2030")
    assert outcome_matrix(table, "firms@2030").equals(VALUES.rename_axis(columns="policy"))
    m = measure_all(table, [FIRMS], parse_thresholds("firms@2030>=6"))
    assert len(m["pairwise"]) == 6 and len(m["regret"]) == 3 and len(m["satisficing"]) == 3


def test_grades_come_from_the_whole_interval_and_say_how_many_states_would_tell():
    """80 % of 10 states (interval 49-94 %) is not "likely"; the same share of 100 states is."""
    few = pd.DataFrame({"A": [1.0] * 8 + [0.0] * 2, "B": [0.5] * 10})
    row = pairwise_wins(few, FIRMS).set_index(["policy_a", "policy_b"]).loc[("A", "B")]
    assert row["p_win"] == 0.8 and row["p_win_low"] < 0.66 and row["grade"] == ""
    needed = row["states_needed"]
    assert 10 < needed < 100
    assert wilson_bounds(0.8, needed)[0] >= 0.66 > wilson_bounds(0.8, needed - 1)[0]
    assert wilson_bounds(0.5, 10) == pytest.approx(wilson_interval(5, 10))
    many = pd.DataFrame({"A": [1.0] * 80 + [0.0] * 20, "B": [0.5] * 100})
    row = pairwise_wins(many, FIRMS).set_index(["policy_a", "policy_b"]).loc[("A", "B")]
    assert row["grade"] == "likely" and row["states_needed"] == 0


def test_the_more_frequent_winner_comes_first_and_ties_are_kept():
    # zones lost: B has fewer (better) in 2 states, A in 1, 1 tie
    values = pd.DataFrame({"A": [3.0, 1.0, 2.0, 5.0], "B": [2.0, 1.0, 4.0, 4.0]})
    table = long(values.rename_axis("state"), "zones_delisted@2030")
    pw = measure_all(table, [DELISTED])["pairwise"]
    cmp = compare(pw, "zones_delisted@2030", "A", "B")
    assert (cmp.first, cmp.second) == ("B", "A")
    assert (cmp.wins, cmp.losses, cmp.ties, cmp.states) == (2, 1, 1, 4)
    assert cmp.p_win == 0.5 and not cmp.tied
    even = pd.DataFrame({"A": [1.0, 0.0, 1.0, 2.0], "B": [0.0, 1.0, 1.0, 2.0]})
    cmp = compare(pairwise_wins(even, FIRMS), "firms@2030", "A", "B")
    assert cmp.tied and (cmp.first, cmp.ties) == ("A", 2)  # the given order on a tie


def test_seed_noise_share_recovers_known_variance_components():
    """d = s_i + e_ik: between-state variance 4, seed variance 1, two seeds per state."""
    rng = np.random.default_rng(0)
    n, k = 4000, 2
    s = rng.normal(0, 2, n)
    rows = []
    for rep in range(k):
        e = rng.normal(0, 1, n)
        rows += [
            pd.DataFrame({"policy": "A", "state": np.arange(n), "replicate": rep,
                          "firms@2030": 10 + s + e}),
            pd.DataFrame({"policy": "B", "state": np.arange(n), "replicate": rep,
                          "firms@2030": 10.0}),
        ]  # fmt: skip
    runs = pd.concat(rows, ignore_index=True)
    (row,) = seed_noise(runs, FIRMS).to_dict("records")
    assert row["seeds"] == 2
    assert row["seed_share_run"] == pytest.approx(1 / 5, abs=0.02)  # 1 / (4 + 1)
    assert row["seed_share"] == pytest.approx(0.5 / 4.5, abs=0.02)  # (1/2) / (4 + 1/2)
    means = runs.groupby(["policy", "state"], sort=False)["firms@2030"].mean().reset_index()
    pw = measure_all(means, [FIRMS], runs=runs)["pairwise"]
    assert pw["seed_share"].tolist() == pytest.approx([row["seed_share"]] * 2)
    one = runs[runs["replicate"] == 0]
    assert np.isnan(seed_noise(one, FIRMS)["seed_share"].item())  # one seed: unknown
