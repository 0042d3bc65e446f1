"""States of the world: uncertainties from the registry, Latin hypercube, common states."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.analysis.robustness.design import (
    STATE_COLUMNS,
    ExploreError,
    parse_outcomes,
    policy_overrides,
    run_specs,
    select_uncertainties,
    state_seeds,
    state_table,
)
from sim.core.params import MODE_ASSIGNMENTS, REGISTRY, groups
from sim.experiments.posterior import load_posterior
from sim.experiments.scenarios import find_scenario, load_scenario
from sim.experiments.seeds import replicate_seed

POSTERIOR = Path(__file__).resolve().parents[3] / "calibration" / "posterior.parquet"


def varied(name: str) -> bool:
    p = REGISTRY[name]
    return p.kind != "bool" and p.lower < p.upper


def test_assumptions_are_every_parameter_whose_source_says_so():
    expected = [n for n, p in REGISTRY.items() if "assumption" in p.source.lower() and varied(n)]
    assert select_uncertainties("assumptions") == expected
    assert select_uncertainties(None) == expected
    assert all(REGISTRY[n].kind != "bool" for n in expected)


def test_groups_and_names_combine_in_registry_order():
    group = next(iter(groups()))
    members = [n for n in groups()[group] if varied(n)]
    extra = next(n for n in reversed(list(REGISTRY)) if varied(n) and n not in members)
    chosen = select_uncertainties(f"{extra},{group}")
    assert set(chosen) == {*members, extra}
    assert chosen == [n for n in REGISTRY if n in chosen]


@pytest.mark.parametrize("token", ["nope", "assumption", ""])
def test_unknown_tokens_are_refused(token):
    with pytest.raises(ExploreError, match=r"^uncertain") as info:
        select_uncertainties(token or ",")
    assert info.value.argument == "uncertain"
    assert info.value.renamed("--uncertain").startswith("--uncertain")


def test_a_switch_cannot_be_uncertain():
    switch = next(n for n, p in REGISTRY.items() if p.kind == "bool")
    with pytest.raises(ExploreError, match=f"^uncertain {switch}"):
        select_uncertainties(switch)


def test_latin_hypercube_has_one_point_per_stratum_and_is_seeded():
    names = [n for n in select_uncertainties("assumptions") if REGISTRY[n].kind == "real"][:6]
    n = 20
    table = state_table(names, n, seed=5)
    for name in names:
        p = REGISTRY[name]
        strata = np.floor((table[name].to_numpy() - p.lower) / (p.upper - p.lower) * n)
        assert sorted(strata.astype(int)) == list(range(n))  # one value per stratum
    assert table.equals(state_table(names, n, seed=5))
    assert not table[names].equals(state_table(names, n, seed=6)[names])
    assert list(table["seed"]) == [replicate_seed(5, i) for i in range(n)]
    assert (table["draw"] == -1).all()


def test_integer_parameters_are_rounded_within_bounds():
    ints = [n for n in select_uncertainties("assumptions") if REGISTRY[n].kind == "int"]
    table = state_table(ints, 30, seed=1)
    for name in ints:
        v = table[name].to_numpy()
        assert np.array_equal(v, np.round(v))
        assert v.min() >= REGISTRY[name].lower and v.max() <= REGISTRY[name].upper


def test_posterior_supplies_the_calibrated_parameters():
    post = load_posterior(POSTERIOR)
    calibrated = [c for c in post.columns if c in REGISTRY]
    names = select_uncertainties("assumptions")
    assert set(calibrated) & set(names)  # some calibrated parameters are also assumptions
    table = state_table(names, 12, seed=3, posterior=post)
    lhs = [c for c in table.columns if c not in STATE_COLUMNS and c not in calibrated]
    assert lhs == [n for n in names if n not in calibrated]
    assert (table["draw"] >= 0).all()
    for row in table.itertuples(index=False):
        for c in calibrated:
            assert getattr(row, c) == post[c].iloc[row.draw]


def test_policies_meet_exactly_the_same_states(tmp_path):
    names = select_uncertainties("assumptions")
    post = load_posterior(POSTERIOR)
    states = state_table(names, 6, seed=11, posterior=post)
    # a third policy overrides one uncertain parameter (chosen from the registry)
    target = names[0]
    value = REGISTRY[target].upper
    text = find_scenario("all_sanheyi").read_text(encoding="utf-8")
    text = text.replace('name = "all_sanheyi"', 'name = "sanheyi_fixed"')
    text = text.replace("[parameters]", f"[parameters]\n{target} = {value}")
    (tmp_path / "fixed.toml").write_text(text, encoding="utf-8")
    policies = [load_scenario(find_scenario(r)) for r in ("baseline", "all_corporate")]
    policies.append(load_scenario(tmp_path / "fixed.toml"))
    seeds = state_seeds(states, 11, 2)
    specs = run_specs(policies, states, start=2016, end=2018, seeds=seeds)
    assert len(specs) == 3 * 6 * 2
    by = {(s.scenario, s.sample, s.replicate): s for s in specs}
    cols = [c for c in states.columns if c not in STATE_COLUMNS]
    for i in range(len(states)):
        runs = [by[(p.name, i, 0)] for p in policies]
        assert len({r.seed for r in runs}) == 1 and runs[0].seed == states["seed"].iloc[i]
        second = [by[(p.name, i, 1)] for p in policies]  # common random numbers, a new seed
        assert len({r.seed for r in second}) == 1 and second[0].seed != runs[0].seed
        assert [r.params for r in second] == [r.params for r in runs]
        for c in cols:
            expected = states[c].iloc[i]
            values = [r.params[c] for r in runs]
            if c == target:
                assert values == [expected, expected, value]  # the policy's own value wins
            else:
                assert values == [expected] * 3
        assert runs[1].params[MODE_ASSIGNMENTS] != runs[0].params[MODE_ASSIGNMENTS]
    assert policy_overrides(policies, states) == {
        "baseline": [],
        "all_corporate": [],
        "sanheyi_fixed": [target],
    }


def test_outcome_parsing():
    (o,) = parse_outcomes("zones_delisted@2030")
    assert o.sense == -1 and o.label == "zones_delisted@2030"
    assert parse_outcomes(None)[0].sense == 1
    for bad in ("firms", "firms@x", "nope@2020", "firms@1990", "firms@2020,firms@2020"):
        with pytest.raises(ExploreError, match=r"^outcomes"):
            parse_outcomes(bad)
    with pytest.raises(ExploreError, match=r"^states"):
        state_table(select_uncertainties("assumptions")[:1], 1, 0)


def test_state_seeds_are_distinct_and_keep_the_first_seed():
    states = state_table(select_uncertainties("modes"), 20, seed=4)
    seeds = state_seeds(states, 4, 3)
    assert seeds.shape == (20, 3) and len(np.unique(seeds)) == 60
    np.testing.assert_array_equal(seeds[:, 0], states["seed"].to_numpy())
    np.testing.assert_array_equal(state_seeds(states, 4, 2), seeds[:, :2])  # nested
    assert not np.array_equal(state_seeds(states, 5, 3)[:, 1:], seeds[:, 1:])
    with pytest.raises(ExploreError, match=r"^seeds_per_state"):
        state_seeds(states, 4, 0)


def test_better_direction_is_the_output_registrys() -> None:
    """Robustness and the brief read one direction per metric: fewer staff posts is better."""
    from sim.analysis.brief.overview import TRADEOFF_CRITERIA
    from sim.core.outputs import ANNUAL

    for out in ANNUAL:
        if out.better:
            assert parse_outcomes(f"{out.name}@2030")[0].sense == out.better
    assert parse_outcomes("staff@2030")[0].sense == -1
    assert all(parse_outcomes(f"{m}@2030")[0].sense for m in TRADEOFF_CRITERIA)  # each has one


def test_outcome_without_a_better_direction_is_refused() -> None:
    with pytest.raises(ExploreError, match=r"^outcomes 'zones_active@2030': expected a metric"):
        parse_outcomes("firms@2030,zones_active@2030")
