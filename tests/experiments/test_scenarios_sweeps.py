"""Sweeps: grids and Latin hypercubes, their variants, bad sweeps, values set over a sweep."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from sim.core.params import REGISTRY
from sim.experiments.errors import ArgumentError
from sim.experiments.scenarios import (
    ScenarioError,
    design_points,
    expand,
    load_scenario,
)

GRID = """
[parameters]
exit_rule_on = false

[sweep]
delegation_years = [1.5, 4]
expansion_on = [true, false]
"""


LHS = """
[sweep]
method = "lhs"
n = 6
delegation_years = [1.5, 6.0]
exit_rule_on = [0, 1]
"""


def test_grid_gives_one_variant_per_combination(scenario_file: Callable[..., Path]) -> None:
    sc = load_scenario(scenario_file("deleg", GRID))
    variants = expand(sc)
    assert [v.name for v in variants] == [
        "deleg[delegation_years=1.5,expansion_on=true]",
        "deleg[delegation_years=1.5,expansion_on=false]",
        "deleg[delegation_years=4,expansion_on=true]",
        "deleg[delegation_years=4,expansion_on=false]",
    ]
    last = variants[-1]
    assert last.design == {"delegation_years": 4.0, "expansion_on": 0.0}
    assert last.params["delegation_years"] == 4.0 and last.params["expansion_on"] == 0.0
    assert last.params["exit_rule_on"] == 0.0  # [parameters] still apply
    assert last.base == "deleg" and last.sweep is None
    assert expand(load_scenario(scenario_file("plain"))) != []  # a file without a sweep: itself
    assert [s.name for s in expand(load_scenario(scenario_file("plain")))] == ["plain"]


def test_latin_hypercube_is_stratified_seeded_and_rounded(
    scenario_file: Callable[..., Path],
) -> None:
    sc = load_scenario(scenario_file("lhs", LHS))
    points = design_points(sc)
    assert [n for n, _ in points] == [f"lhs#{k}" for k in range(6)]
    x = np.array([p["delegation_years"] for _, p in points])
    assert ((x >= 1.5) & (x <= 6.0)).all()
    strata = np.floor((x - 1.5) / 4.5 * 6).astype(int)
    assert sorted(strata) == list(range(6))  # one point in each sixth of the range
    assert {p["exit_rule_on"] for _, p in points} <= {0.0, 1.0}  # a switch is rounded
    assert design_points(load_scenario(sc.path)) == points  # same file, same design
    other = scenario_file("lhs2", LHS, run="[run]\nend = 2017\nseed = 12\n")
    assert [p for _, p in design_points(load_scenario(other))] != [p for _, p in points]


@pytest.mark.parametrize(
    ("sweep", "key", "needle"),
    [
        ("[sweep]\ndelegaton_years = [1, 2]", "sweep.delegaton_years", "did you mean"),
        ("[sweep]\ndelegation_years = [1, 99]", "sweep.delegation_years[1]", "between"),
        ("[sweep]\ndelegation_years = 3", "sweep.delegation_years", "a list of values"),
        ("[sweep]\ndelegation_years = [2, 2]", "sweep.delegation_years", "distinct"),
        ('[sweep]\nmethod = "lhs"\nn = 4\ndelegation_years = [3, 2]', "sweep.delegation_years",
         "lower < upper"),
        ('[sweep]\nmethod = "lhs"\ndelegation_years = [1, 2]', "sweep.n", "design points"),
        ("[sweep]\nn = 4\ndelegation_years = [1, 2]", "sweep.n", "lhs"),
        ('[sweep]\nmethod = "sobol"\ndelegation_years = [1, 2]', "sweep.method", "grid, lhs"),
        ("[sweep]", "sweep", "at least one parameter"),
        ("[parameters]\ndelegation_years = 2\n[sweep]\ndelegation_years = [1, 3]",
         "sweep.delegation_years", "not also set in [parameters]"),
    ],
)  # fmt: skip
def test_bad_sweeps_name_the_key(
    scenario_file: Callable[..., Path], sweep: str, key: str, needle: str
) -> None:
    with pytest.raises(ScenarioError) as err:
        load_scenario(scenario_file("s", sweep))
    assert err.value.key == key and needle in str(err.value)


def test_settings_override_parameters_and_are_checked(
    scenario_file: Callable[..., Path],
) -> None:
    path = scenario_file("s", "[parameters]\ndelegation_years = 2.0")
    sc = load_scenario(path, {"delegation_years": 5, "exit_rule_on": False})
    assert sc.params["delegation_years"] == 5.0 and sc.params["exit_rule_on"] == 0.0
    assert sc.overrides["delegation_years"] == 5
    with pytest.raises(ArgumentError, match=r"^set delegaton_years: .*did you mean"):
        load_scenario(path, {"delegaton_years": 5})
    with pytest.raises(ArgumentError, match=r"^set delegation_years: expected a value between"):
        load_scenario(path, {"delegation_years": 500})
    swept = scenario_file("w", GRID)
    with pytest.raises(ArgumentError, match="sweeps it"):
        load_scenario(swept, {"delegation_years": 5})


def test_sweep_method_and_n_are_not_parameter_names() -> None:
    assert "method" not in REGISTRY and "n" not in REGISTRY
