"""zonedata.load() rejects each malformed registry with one line naming file and column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim.core import zonedata
from sim.core.zonedata import ZoneDataError


def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    return (
        pd.read_csv(zonedata.DATA_DIR / "zones.csv"),
        pd.read_csv(zonedata.DATA_DIR / "units_2016.csv"),
    )


def _duplicate_unit(z: pd.DataFrame, u: pd.DataFrame) -> None:
    u.loc[7, "unit_id"] = u.loc[6, "unit_id"]


def _unknown_city(z: pd.DataFrame, u: pd.DataFrame) -> None:
    z.loc[3, "city"] = "Atlantis"


def _infinite_value_added(z: pd.DataFrame, u: pd.DataFrame) -> None:
    u.loc[2, "value_added"] = float("inf")


def _zero_firms(z: pd.DataFrame, u: pd.DataFrame) -> None:
    u["firms"] = 0


def _blank_city(z: pd.DataFrame, u: pd.DataFrame) -> None:
    z["city"] = z["city"].astype(object)
    z.loc[5, "city"] = None


def _header_only(z: pd.DataFrame, u: pd.DataFrame) -> None:
    pass  # the table is cut to its header below


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (_duplicate_unit, ["units_2016.csv", "'unit_id' row 9", "expected unique ids"]),
        (_unknown_city, ["zones.csv", "'city'", "'Atlantis'"]),
        (_infinite_value_added, ["units_2016.csv", "'value_added' row 4", "finite"]),
        (_zero_firms, ["units_2016.csv", "'firms'", "at least one firm"]),
        (_blank_city, ["zones.csv", "'city' row 7", "non-empty"]),
        (_header_only, ["zones.csv", "at least one row"]),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_malformed_registry_is_one_line(tmp_path: Path, damage: object, words: list[str]) -> None:
    zones, units = _tables()
    damage(zones, units)  # type: ignore[operator]
    if damage is _header_only:
        zones = zones.iloc[:0]
    zones.to_csv(tmp_path / "zones.csv", index=False)
    units.to_csv(tmp_path / "units_2016.csv", index=False)
    with pytest.raises(ZoneDataError) as err:
        zonedata.load(tmp_path)
    message = str(err.value)
    assert "\n" not in message
    for w in words:
        assert w in message, message


def test_shipped_registry_still_loads() -> None:
    data = zonedata.load()
    assert data.units["unit_id"].is_unique and set(data.zones["city"]) <= set(zonedata.CITIES)
