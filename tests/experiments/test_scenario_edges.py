"""Input edges a scenario file or a ``--set`` may reach: each refused with one clear line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sim.experiments.scenarios import ScenarioError, check_file, load_doc, load_scenario


@pytest.mark.parametrize("name", ["baseline\\n", "base\\u0000line", "base\\u202eline", "a\\tb"])
def test_name_with_control_characters_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(f'name = "{name}"\ndescription = "q"\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"s.toml: name: expected"):
        load_scenario(path)


UNIT_AFTER_INTEGRATION = """
[[modes]]
year = {year}
mode = "corporate"
zones = ["U002"]
"""


def test_unit_id_after_integration_selects_nothing_and_is_refused(
    scenario_file: Callable[..., Path],
) -> None:
    late = scenario_file("late", UNIT_AFTER_INTEGRATION.format(year=2017.5))
    sc, errors = check_file(late)
    assert sc is None and len(errors) == 1
    assert str(errors[0]) == (
        f"{late}: modes[0].zones: expected zone ids (e.g. Z01) in year 2017.5, after integration "
        "(integration_year 2017); got the 2016 unit 'U002', merged into Z01 by then, which "
        "selects nothing"
    )
    early = scenario_file("early", UNIT_AFTER_INTEGRATION.format(year=2016.5))
    assert load_scenario(early).name == "early"  # before integration the unit exists
    kept = scenario_file(
        "kept",
        UNIT_AFTER_INTEGRATION.format(year=2017.5) + "[parameters]\nintegration_on = false\n",
    )
    assert load_scenario(kept).name == "kept"  # without integration too


def test_swept_integration_year_is_checked_per_design_point(
    scenario_file: Callable[..., Path],
) -> None:
    path = scenario_file(
        "swept",
        UNIT_AFTER_INTEGRATION.format(year=2017.5)
        + "[sweep]\nintegration_year = [2018.0, 2017.0]\n",
    )
    with pytest.raises(ScenarioError, match=r"modes\[0\].zones: .*integration_year 2017\)"):
        load_scenario(path)


def _nested(depth: int) -> str:
    return "[" * depth + "1" + "]" * depth


@pytest.mark.parametrize("depth", [5, 100_000])
def test_deep_nesting_is_one_line(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(f'name = "d"\ndescription = "q"\n[parameters]\nx = {_nested(depth)}\n')
    with pytest.raises(ScenarioError, match=r"deep.toml: expected tables and lists nested at most"):
        load_scenario(path)
    sc, errors = check_file(path)
    assert sc is None and len(errors) == 1


def test_deep_mapping_is_refused() -> None:
    doc: dict = {"name": "m", "description": "q"}
    inner = doc
    for _ in range(10):
        inner["parameters"] = {}
        inner = inner["parameters"]
    with pytest.raises(ScenarioError, match=r"files_or_specs\[0\]: expected tables and lists"):
        load_doc("files_or_specs[0]", doc)


def test_shipped_scenarios_are_within_the_depth() -> None:
    from sim.experiments.scenarios import shipped_scenarios

    assert len(shipped_scenarios()) > 5
