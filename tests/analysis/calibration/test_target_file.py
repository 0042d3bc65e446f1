"""Reading a targets file: errors name the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.analysis import calibration as cal

from .toy import TOY, write_targets


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
        (
            {"target": {"metric": "firms", "value": 1, "tolerance": 1, "lever": "nope"}},
            "targets.x.lever",
        ),
        (
            {"target": {"metric": "firms", "value": 1, "tolerance": 1, "bound": "above"}},
            "targets.x.bound",
        ),
        (
            {"target": {"metric": "firms", "value": 1, "tolerance": 1, "over": "mars"}},
            "targets.x.over",
        ),
        (
            {"target": {"metric": "firms", "value": 1, "tolerance": 1, "year": 1999}},
            "targets.x.year",
        ),
        (
            {
                "target": {
                    "metric": "firms",
                    "value": 1,
                    "tolerance": 1,
                    "validation": True,
                    "weight": 1,
                }
            },
            "targets.x.weight",
        ),
        ({"extra": "edge = 0.5"}, "calibration.edge"),
        ({"extra": '[physical.young_growth]\nside = "x"'}, "physical.young_growth.side"),
        ({"extra": '[physical.nope]\nlower = "x"'}, "physical.nope"),
        ({"groups": ["nope"]}, "calibration.groups[0]"),
        ({"levers": {"off": {"exit_hazard": 9.0}}}, "levers.off"),
    ],
)
def test_bad_targets_name_file_and_key(tmp_path: Path, change: dict, needle: str) -> None:
    params = change.get("parameters", ["young_growth"])
    targets = {"x": change["target"]} if "target" in change else TOY
    path = write_targets(tmp_path / "bad.toml", parameters=params, targets=targets,
                         groups=change.get("groups"), levers=change.get("levers"),
                         extra=change.get("extra", ""))  # fmt: skip
    with pytest.raises(cal.TargetsError, match=r"bad\.toml") as info:
        cal.load_targets(path)
    assert needle in str(info.value)


def test_missing_targets_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"none\.toml"):
        cal.load_targets(tmp_path / "none.toml")
