"""Targets files: the shipped one, and errors naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.analysis import calibration as cal

from .toy import TOY, write_targets


def test_shipped_targets() -> None:
    t = cal.load_targets()
    by = {x.name: x for x in t.targets}
    assert by["firms"].value == 43031 and by["firms"].abs_tolerance == pytest.approx(860.62)
    assert by["stat_zone_gdp"].value == 2347
    assert by["stat_zone_gdp_growth"].value == 13.9
    assert by["growth_gap_pp"].value == 7.2 and not by["growth_gap_pp"].fitted
    assert by["demonstration_staff"].table == "zones" and by["demonstration_staff"].zone_id == "Z01"
    assert {x.name for x in t.fitted} == {"firms", "stat_zone_gdp", "stat_zone_gdp_growth"}
    structural = {x.name for x in t.targets if x.structural}
    assert structural >= {"zones_active", "industrial_area_km2", "operators", "demonstration_staff"}
    assert all(x.source for x in t.targets)


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"parameters": ["nope"]}, "calibration.parameters[0]"),
        ({"parameters": ["integration_on"]}, "continuous parameter"),
        ({"target": {"metric": "gdp_of_mars", "value": 1, "tolerance": 1}}, "targets.x.metric"),
        ({"target": {"metric": "firms", "value": 1, "tolerance": 0}}, "targets.x.tolerance"),
        (
            {"target": {"metric": "firms", "value": 1, "tolerance": 1, "colour": 1}},
            "targets.x.colour",
        ),
        ({"target": {"metric": "firms", "tolerance": 1}}, "targets.x.value"),
        ({"target": {"metric": "staff", "value": 1, "tolerance": 0, "table": "zones"}}, "zone_id"),
    ],
)
def test_bad_targets_name_file_and_key(tmp_path: Path, change: dict, needle: str) -> None:
    params = change.get("parameters", ["young_growth"])
    targets = {"x": change["target"]} if "target" in change else TOY
    path = write_targets(tmp_path / "bad.toml", parameters=params, targets=targets)
    with pytest.raises(cal.TargetsError, match=r"bad\.toml") as info:
        cal.load_targets(path)
    assert needle in str(info.value)


def test_missing_targets_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"none\.toml"):
        cal.load_targets(tmp_path / "none.toml")
