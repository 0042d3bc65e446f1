"""Scenario files: sweeps, --set values, every error of a file, did-you-mean hints."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from sim.core.params import REGISTRY
from sim.experiments.errors import ArgumentError
from sim.experiments.scenarios import (
    ScenarioError,
    check_file,
    design_points,
    expand,
    find_scenario,
    load_doc,
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


def test_check_file_reports_every_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'name = "bad one"\ndescripton = "x"\n[run]\nend = 1990\nreplicatons = 3\n'
        "[parameters]\ndelegaton_years = 3\nexit_rule_on = 5\n"
        '[[modes]]\nyear = 2018\nmode = "corprate"\nzones = "all"\n'
        '[[modes]]\nyear = 2018\nmode = "sanheyi"\nzones = "city:Datung"\n'
    )
    sc, errors = check_file(path)
    assert sc is None
    assert [e.key for e in errors] == [
        "descripton", "name", "description", "run.replicatons", "run.end",
        "parameters.delegaton_years", "parameters.exit_rule_on", "modes[0].mode",
        "modes[1].zones",
    ]  # fmt: skip
    text = "\n".join(map(str, errors))
    for hint in ("'description'?", "'replications'?", "'delegation_years'?", "'corporate'?",
                 "'Datong'?"):  # fmt: skip
        assert f"did you mean {hint}" in text
    with pytest.raises(ScenarioError) as first:  # load_scenario raises the first of them
        load_scenario(path)
    assert first.value.key == "descripton"


def test_unknown_shipped_name_suggests_and_lists() -> None:
    with pytest.raises(ScenarioError) as err:
        find_scenario("baselin")
    msg = str(err.value)
    assert msg.startswith("no scenario 'baselin'; did you mean 'baseline'? shipped: baseline, ")
    assert "no_reform" in msg and "\n" not in msg
    with pytest.raises(ScenarioError, match=r"^no scenario 'zzz'; shipped: baseline"):
        find_scenario("zzz")


def test_missing_file_suggests_a_neighbour(scenario_file: Callable[..., Path]) -> None:
    real = scenario_file("deleg_fast")
    with pytest.raises(ScenarioError, match=r"did you mean '.*deleg_fast\.toml'\?"):
        load_scenario(real.with_name("deleg_fsat.toml"))


def test_a_mapping_is_checked_like_a_file() -> None:
    sc = load_doc("spec", {"name": "m", "description": "q?", "run": {"end": 2017}})
    assert sc.run.end == 2017 and sc.path == "spec"
    with pytest.raises(ScenarioError, match=r"^spec: parameters.nope: expected a registered"):
        load_doc("spec", {"name": "m", "description": "q?", "parameters": {"nope": 1}})


def test_sweep_method_and_n_are_not_parameter_names() -> None:
    assert "method" not in REGISTRY and "n" not in REGISTRY
