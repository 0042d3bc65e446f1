from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from sim.core.params import MODE_ASSIGNMENTS, REGISTRY, defaults
from sim.experiments.scenarios import (
    ScenarioError,
    find_scenario,
    load_scenario,
    shipped_dir,
    shipped_scenarios,
)

REQUIRED = {
    "baseline", "no_reform", "all_corporate", "all_sanheyi", "all_quzheng", "slow_delegation",
    "no_exit_rule", "land_to_2pct", "one_city_one_national",
}  # fmt: skip


def test_shipped_scenarios_load_and_ask_a_question() -> None:
    scenarios = {s.name: s for s in shipped_scenarios()}
    assert set(scenarios) >= REQUIRED
    for s in scenarios.values():
        assert "?" in s.description, s.name
        assert Path(s.path).stem == s.name
    assert next(iter(scenarios)) == "baseline"


def test_shipped_scenarios_have_titles_and_questions_in_both_languages() -> None:
    han = re.compile(r"[\u3400-\u9fff]")
    for s in shipped_scenarios():
        assert s.title and not han.search(s.title), s.name
        assert han.search(s.title_zh) and not re.search(r"[A-Za-z]{3}", s.title_zh), s.name
        assert "？" in s.description_zh and not re.search(r"[A-Za-z]{3}", s.description_zh)


def test_chinese_texts_are_optional_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('name = "s"\ndescription = "q?"\n')
    assert (load_scenario(path).title, load_scenario(path).description_zh) == ("", "")
    path.write_text(
        'name = "s"\ndescription = "q?"\ntitle_zh = "标题"\ndescription_zh = """\n问？"""\n'
    )
    assert (load_scenario(path).title_zh, load_scenario(path).description_zh) == ("标题", "问？")
    path.write_text('name = "s"\ndescription = "q?"\ntitle_zh = 3\n')
    with pytest.raises(ScenarioError, match=rf"{path}: title_zh: expected a non-empty string"):
        load_scenario(path)


def test_baseline_is_the_registry_defaults() -> None:
    sc = load_scenario(shipped_dir() / "baseline.toml")
    assert sc.params == {**defaults(), MODE_ASSIGNMENTS: []}


def test_no_reform_switches_every_lever_off() -> None:
    p = load_scenario(shipped_dir() / "no_reform.toml").params
    levers = [n for n, par in REGISTRY.items() if n.endswith("_on") and par.kind == "bool"]
    assert len(levers) >= 10
    assert all(p[n] == 0.0 for n in levers)
    assert p[MODE_ASSIGNMENTS] == []


@pytest.mark.parametrize("mode", ["corporate", "sanheyi", "quzheng"])
def test_all_mode_scenarios_assign_the_mode_everywhere_from_2018(mode: str) -> None:
    p = load_scenario(shipped_dir() / f"all_{mode}.toml").params
    assert p[MODE_ASSIGNMENTS] == [{"year": 2018.0, "mode": mode, "zones": "all"}]


def test_one_city_one_national_sets_the_goal_levers() -> None:
    p = load_scenario(shipped_dir() / "one_city_one_national.toml").params
    assert p["upgrades_per_year"] > 0
    assert p["new_zones_per_year"] > 0


def test_scenario_keeps_source_text_and_overrides(
    tmp_path: Path, scenario_file: Callable[..., Path]
) -> None:
    path = scenario_file(
        "mix",
        "[parameters]\nexit_rule_on = false\n\n[[modes]]\nyear = 2017.5\nmode = 'corporate'\n"
        "zones = ['Z02', 'Z03']\n",
    )
    sc = load_scenario(path)
    assert sc.source == path.read_text()
    assert sc.overrides["exit_rule_on"] is False
    assert sc.params["exit_rule_on"] == 0.0
    assert sc.params[MODE_ASSIGNMENTS][0]["zones"] == ["Z02", "Z03"]
    assert (sc.run.start, sc.run.end, sc.run.replications, sc.run.seed) == (2016, 2017, 2, 11)


def test_run_table_defaults(tmp_path: Path, scenario_file: Callable[..., Path]) -> None:
    sc = load_scenario(scenario_file("bare", run=""))
    assert (sc.run.start, sc.run.end) == (2016, 2035)
    assert sc.run.replications >= 1


def test_find_scenario_resolves_shipped_names(tmp_path: Path) -> None:
    assert find_scenario("baseline") == shipped_dir() / "baseline.toml"
    assert find_scenario(str(tmp_path / "x.toml")) == tmp_path / "x.toml"


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


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('description = "q?"', "name"),
        ('name = "x"', "description"),
        ('name = "a b/c"\ndescription = "q?"', "name"),
        ('name = 3\ndescription = "q?"', "name"),
    ],
)
def test_name_and_description_are_required(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError, match=rf"{path}: {key}: expected"):
        load_scenario(path)


def test_missing_file_is_a_scenario_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="file not found"):
        load_scenario(tmp_path / "nope.toml")


def _posterior(path: Path) -> Path:
    import pandas as pd

    pd.DataFrame(
        {"startup_density": [0.5, 1.0, 1.5], "exit_hazard": [0.05, 0.06, 0.07], "weight": 1.0}
    ).to_csv(path, index=False)
    return path


def test_posterior_scenario_draws_parameters_per_replicate(scenario_file, tmp_path) -> None:
    from sim.experiments.batch import scenario_specs
    from sim.experiments.posterior import replicate_params

    post = _posterior(tmp_path / "post.csv")
    run = '[run]\nstart = 2016\nend = 2017\nreplications = 6\nseed = 5\nposterior = "post.csv"\n'
    sc = load_scenario(scenario_file("uncertain", "[parameters]\nexit_hazard = 0.09\n", run=run))
    assert sc.run.posterior == str(post.resolve())
    specs = scenario_specs([sc])
    drawn = {s.params["startup_density"] for s in specs}
    assert drawn <= {0.5, 1.0, 1.5} and len(drawn) > 1
    assert {s.params["exit_hazard"] for s in specs} == {0.09}  # the scenario's lever wins
    for s in specs:
        assert s.params == replicate_params(post, 5, s.replicate, sc.overrides)


def test_posterior_that_is_missing_names_run_posterior(scenario_file) -> None:
    run = '[run]\nstart = 2016\nend = 2017\nposterior = "nowhere.parquet"\n'
    with pytest.raises(ScenarioError, match=r"run\.posterior: expected an existing posterior"):
        load_scenario(scenario_file("bad", run=run))


def test_posterior_with_unknown_parameter_names_run_posterior(scenario_file, tmp_path) -> None:
    import pandas as pd

    pd.DataFrame({"not_a_parameter": [1.0], "weight": [1.0]}).to_csv(tmp_path / "p.csv")
    run = '[run]\nstart = 2016\nend = 2017\nposterior = "p.csv"\n'
    with pytest.raises(ScenarioError, match=r"run\.posterior: expected a valid posterior"):
        load_scenario(scenario_file("bad2", run=run))


def test_shipped_scenarios_are_package_data_behind_the_scenarios_folder() -> None:
    root = Path(__file__).resolve().parents[2]
    assert shipped_dir() == root / "sim" / "scenarios"
    assert (root / "scenarios").resolve() == shipped_dir()


def test_shipped_posterior_is_the_calibration_posterior() -> None:
    import pandas as pd

    root = Path(__file__).resolve().parents[2]
    shipped = load_scenario(shipped_dir() / "baseline_uncertain.toml").run.posterior
    assert shipped is not None and Path(shipped).is_relative_to(shipped_dir())
    calibration = root / "calibration" / "posterior.parquet"
    if not calibration.is_file():
        pytest.skip("no calibration output in this checkout")
    pd.testing.assert_frame_equal(pd.read_parquet(shipped), pd.read_parquet(calibration))


def test_listing_an_empty_install_is_an_error(monkeypatch, tmp_path: Path) -> None:
    from sim.experiments.scenarios import shipped

    monkeypatch.setattr(shipped, "shipped_dir", lambda: tmp_path)
    with pytest.raises(FileNotFoundError, match="no shipped scenario"):
        shipped_scenarios()


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
