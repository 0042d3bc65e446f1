"""Scenario discovery: PRIM, trees, feature scores and break-even values on known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.robustness import discovery
from sim.analysis.robustness.design import Outcome
from sim.analysis.robustness.discovery import QP_MAX, break_even, choose_box, discover, run_prim

#: PRIM must place every bound of the known box within this distance (units of a [0, 1]
#: dimension) with 1000 uniform states and EMA Workbench's default peeling (5 %).
BOUND_TOLERANCE = 0.03
NAMES = [f"u{i}" for i in range(5)]


def synthetic(seed: int, n: int = 1000) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Five uniform uncertainties; policy A beats B exactly in 0.3<=u1<=0.7, u3>=0.6."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, 5))
    states = pd.DataFrame(x, columns=NAMES)
    states.insert(0, "state", np.arange(n))
    inside = (x[:, 1] >= 0.3) & (x[:, 1] <= 0.7) & (x[:, 3] >= 0.6)
    outcomes = pd.concat(
        [
            pd.DataFrame(
                {"policy": "A", "state": np.arange(n), "firms@2030": np.where(inside, 2.0, 0.0)}
            ),
            pd.DataFrame({"policy": "B", "state": np.arange(n), "firms@2030": 1.0}),
        ],
        ignore_index=True,
    )
    return states, outcomes


@pytest.mark.parametrize("seed", [0, 1])
def test_prim_recovers_a_known_box_in_two_of_five_dimensions(seed):
    states, outcomes = synthetic(seed)
    found = discover(states, outcomes, [Outcome("firms", 2030)], NAMES, seed=0)
    box = found.boxes.set_index("winner").loc["A"]
    assert box["status"] == "box"
    assert box["density"] >= 0.9 and box["coverage"] >= 0.9
    lim = found.limits[found.limits["winner"] == "A"].set_index("parameter")
    assert set(lim.index) == {"u1", "u3"}  # the two restricted dimensions, no others
    assert abs(lim.loc["u1", "lower"] - 0.3) <= BOUND_TOLERANCE
    assert abs(lim.loc["u1", "upper"] - 0.7) <= BOUND_TOLERANCE
    assert abs(lim.loc["u3", "lower"] - 0.6) <= BOUND_TOLERANCE
    assert np.isnan(lim.loc["u3", "upper"])  # not restricted from above
    # the trajectory ends at least as dense as it starts, and the chosen box is on it
    traj = found.trajectories[found.trajectories["winner"] == "A"]
    assert traj["chosen"].sum() == 1
    assert traj["density"].iloc[-1] >= traj["density"].iloc[0]


def test_feature_scores_and_tree_name_the_box_dimensions():
    states, outcomes = synthetic(0)
    found = discover(states, outcomes, [Outcome("firms", 2030)], NAMES, seed=0)
    top = found.scores.sort_values("rank")["parameter"].head(2)
    assert set(top) == {"u1", "u3"}
    (text,) = found.trees.values()
    assert "u1" in text and "u3" in text


def test_break_even_finds_a_single_threshold():
    rng = np.random.default_rng(3)
    x = pd.DataFrame(rng.random((400, 3)), columns=["a", "b", "c"])
    y = x["b"].to_numpy() > 0.42
    be = break_even(x, y).set_index("parameter")
    assert be.index[0] == "b"
    assert abs(be.loc["b", "threshold"] - 0.42) < 0.01
    assert be.loc["b", "side"] == "above"
    assert be.loc["b", "p_win_above"] == 1.0 and be.loc["b", "p_win_below"] == 0.0


def test_lower_is_better_outcomes_flip_the_winner():
    states, outcomes = synthetic(0, n=200)
    outcomes = outcomes.rename(columns={"firms@2030": "zones_delisted@2030"})
    found = discover(states, outcomes, [Outcome("zones_delisted", 2030)], NAMES, seed=0)
    rows = found.boxes.set_index("winner")
    # fewer delisted zones is better: B (1.0) beats A wherever A scores 2.0
    assert rows.loc["A", "base_rate"] == pytest.approx(1 - rows.loc["B", "base_rate"])
    assert rows.loc["A", "cases"] == int(
        (outcomes.query("policy == 'A'")["zones_delisted@2030"] == 0).sum()
    )


def test_a_policy_that_always_wins_gets_no_box():
    states, outcomes = synthetic(0, n=100)
    outcomes.loc[outcomes["policy"] == "A", "firms@2030"] = 5.0
    found = discover(states, outcomes, [Outcome("firms", 2030)], NAMES, seed=0)
    status = found.boxes.set_index("winner")["status"]
    assert status["A"] == "always" and status["B"] == "never"
    assert found.limits.empty and found.scores.empty


def test_choose_box_prefers_coverage_among_dense_boxes():
    traj = pd.DataFrame(
        {"coverage": [1.0, 0.9, 0.7, 0.4], "density": [0.3, 0.82, 0.9, 1.0]}, index=[0, 1, 2, 3]
    )
    assert choose_box(traj, 0.8) == 1
    assert choose_box(traj, 0.95) == 3
    assert choose_box(traj.iloc[:1], 0.8) == 0  # none dense enough: the densest


def _noise_prim(seed: int, monkeypatch=None):
    """PRIM on cases that do not depend on the features (every restriction is chance)."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.random((300, 6)), columns=[f"u{i}" for i in range(6)])
    y = rng.random(300) < 0.3
    if monkeypatch is None:
        return run_prim(x, y)
    with monkeypatch.context() as mp:  # the rule switched off: the box as PRIM chose it
        mp.setattr(discovery, "QP_MAX", np.inf)
        return run_prim(x, y)


def _quasi_p(limits: pd.DataFrame) -> dict[str, float]:
    """Each restricted parameter's smallest quasi-p value (of its restricted sides)."""
    return limits.set_index("parameter")[["qp_lower", "qp_upper"]].min(axis=1).to_dict()


def test_prim_drops_restrictions_that_are_not_significant(monkeypatch):
    raw = _quasi_p(_noise_prim(0, monkeypatch).limits)
    weak = {p for p, q in raw.items() if q > QP_MAX}
    strong = set(raw) - weak
    assert weak and strong  # this sample exercises the rule: both kinds of restriction
    kept = _noise_prim(0).limits
    assert set(kept["parameter"]) == strong


def test_prim_keeps_the_most_significant_restriction_when_none_is(monkeypatch):
    raw = _quasi_p(_noise_prim(1, monkeypatch).limits)
    assert len(raw) > 1 and min(raw.values()) > QP_MAX  # every restriction is weak
    kept = _noise_prim(1).limits
    assert list(kept["parameter"]) == [min(raw, key=raw.get)]
