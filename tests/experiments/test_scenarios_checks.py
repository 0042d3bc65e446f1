"""Checks of a scenario against the registry, the zones and the horizon: file and key named."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from sim.core.params import MODE_ASSIGNMENTS
from sim.experiments.scenarios import (
    ScenarioError,
    check_file,
    load_scenario,
)

BAD = [
    ("toml", 'name = "x', "", "expected valid TOML"),
    ("topkey", "colour = 1", "colour", "expected one of"),
    ("runkey", "", "run.reps", "unknown key"),
    ("unknown_param", "[parameters]\nfoo = 1", "parameters.foo", "registered parameter"),
    ("bounds", "[parameters]\nland_cap_share = 0.5", "parameters.land_cap_share", "between"),
    ("type", "[parameters]\ndelegation_years = 'fast'", "parameters.delegation_years", "number"),
    ("bool", "[parameters]\nintegration_on = 'yes'", "parameters.integration_on", "true or false"),
    ("nan", "[parameters]\ndelegation_years = nan", "parameters.delegation_years", "finite"),
    ("mode", "[[modes]]\nyear = 2018\nmode = 'bureau'\nzones = 'all'", "modes[0].mode", "one of"),
    ("zone", "[[modes]]\nyear = 2018\nmode = 'corporate'\nzones = ['Z999']", "modes[0].zones",
     "zone ids"),
    ("city", "[[modes]]\nyear = 2018\nmode = 'corporate'\nzones = 'city:Atlantis'",
     "modes[0].zones", "city:"),
    ("selector", "[[modes]]\nyear = 2018\nmode = 'corporate'\nzones = 'planet:Mars'",
     "modes[0].zones", "expected 'all'"),
    ("mode_year", "[[modes]]\nyear = 2030\nmode = 'corporate'\nzones = 'all'", "modes[0].year",
     "horizon"),
    ("mode_extra", "[[modes]]\nyear = 2017\nmode = 'corporate'\nzones = 'all'\nwhen = 1",
     "modes[0].when", "only year, mode and zones"),
    ("mode_missing", "[[modes]]\nyear = 2017\nmode = 'corporate'", "modes[0].zones", "missing"),
    ("modes_type", "modes = 3", "modes", "[[modes]]"),
    ("param_modes", "[parameters]\nmode_assignments = []", "parameters.mode_assignments",
     "[[modes]]"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "body", "key", "expected"), BAD, ids=[b[0] for b in BAD])
def test_bad_scenarios_name_file_and_key(
    tmp_path: Path, case: str, body: str, key: str, expected: str
) -> None:
    run = "[run]\nend = 2019\nreps = 3\n" if case == "runkey" else "[run]\nend = 2019\n"
    top, body = (body, "") if case in ("topkey", "modes_type") else ("", body)
    path = tmp_path / f"{case}.toml"
    path.write_text(f'name = "{case}"\ndescription = "q?"\n{top}\n{run}\n{body}\n')
    if case == "toml":
        path.write_text(top or body)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    msg = str(err.value)
    assert msg.startswith(str(path)), msg
    assert key in msg, msg
    assert expected in msg, msg
    assert "\n" not in msg


@pytest.mark.parametrize(
    ("run", "key"),
    [
        ("end = 2070", "run.end"),
        ("start = 2015", "run.start"),
        ("start = 2020\nend = 2018", "run.end"),
        ("replications = 0", "run.replications"),
        ("replications = 2.5", "run.replications"),
        ("seed = -1", "run.seed"),
        ("seed = 'abc'", "run.seed"),
    ],
)
def test_bad_run_tables(
    tmp_path: Path, run: str, key: str, scenario_file: Callable[..., Path]
) -> None:
    path = scenario_file("r", run=f"[run]\n{run}\n")
    with pytest.raises(ScenarioError, match=rf"{path}: {key}: expected"):
        load_scenario(path)


def test_posterior_that_is_missing_names_run_posterior(scenario_file) -> None:
    run = '[run]\nstart = 2016\nend = 2017\nposterior = "nowhere.parquet"\n'
    with pytest.raises(ScenarioError, match=r"run\.posterior: expected an existing posterior"):
        load_scenario(scenario_file("bad", run=run))


def test_posterior_with_unknown_parameter_names_run_posterior(scenario_file, tmp_path) -> None:
    pd.DataFrame({"not_a_parameter": [1.0], "weight": [1.0]}).to_csv(tmp_path / "p.csv")
    run = '[run]\nstart = 2016\nend = 2017\nposterior = "p.csv"\n'
    with pytest.raises(ScenarioError, match=r"run\.posterior: expected a valid posterior"):
        load_scenario(scenario_file("bad2", run=run))


@pytest.mark.parametrize(
    "city", ["Datong", "datong", "大同", "大同市", "LVLIANG", "Lüliang", "吕梁"]
)
def test_city_selectors_take_pinyin_or_chinese_in_any_case(
    scenario_file: Callable[..., Path], city: str
) -> None:
    sc = load_scenario(
        scenario_file("c", f"[[modes]]\nyear = 2017\nmode = 'corporate'\nzones = 'city:{city}'\n")
    )
    expected = "city:Lvliang" if city in ("LVLIANG", "Lüliang", "吕梁") else "city:Datong"
    assert sc.params[MODE_ASSIGNMENTS][0]["zones"] == expected


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
