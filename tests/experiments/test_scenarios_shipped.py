"""The shipped scenarios: each loads and asks its question in both languages; names as refs."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from sim.core.params import MODE_ASSIGNMENTS, REGISTRY, defaults
from sim.experiments.scenarios import (
    ScenarioError,
    find_scenario,
    load_scenario,
    shipped,
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


def test_shipped_scenarios_are_within_the_depth() -> None:
    assert len(shipped_scenarios()) > 5


def test_find_scenario_resolves_shipped_names(tmp_path: Path) -> None:
    assert find_scenario("baseline") == shipped_dir() / "baseline.toml"
    assert find_scenario(str(tmp_path / "x.toml")) == tmp_path / "x.toml"


def test_unknown_shipped_name_suggests_and_lists() -> None:
    with pytest.raises(ScenarioError) as err:
        find_scenario("baselin")
    msg = str(err.value)
    assert msg.startswith("no scenario 'baselin'; did you mean 'baseline'? shipped: baseline, ")
    assert "no_reform" in msg and "\n" not in msg
    with pytest.raises(ScenarioError, match=r"^no scenario 'zzz'; shipped: baseline"):
        find_scenario("zzz")


def test_shipped_scenarios_are_package_data_behind_the_scenarios_folder() -> None:
    root = Path(__file__).resolve().parents[2]
    assert shipped_dir() == root / "sim" / "scenarios"
    assert (root / "scenarios").resolve() == shipped_dir()


def test_shipped_posterior_is_the_calibration_posterior() -> None:
    root = Path(__file__).resolve().parents[2]
    shipped = load_scenario(shipped_dir() / "baseline_uncertain.toml").run.posterior
    assert shipped is not None and Path(shipped).is_relative_to(shipped_dir())
    calibration = root / "calibration" / "posterior.parquet"
    if not calibration.is_file():
        pytest.skip("no calibration output in this checkout")
    pd.testing.assert_frame_equal(pd.read_parquet(shipped), pd.read_parquet(calibration))


def test_listing_an_empty_install_is_an_error(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(shipped, "shipped_dir", lambda: tmp_path)
    with pytest.raises(FileNotFoundError, match="no shipped scenario"):
        shipped_scenarios()
