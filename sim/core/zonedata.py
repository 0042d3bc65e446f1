"""The zone registry as data: integrated zones (end-2018) and their 2016 units.

The registry is two tables, ``zones.csv`` (one row per integrated zone, columns
:data:`ZONE_COLUMNS`) and ``units_2016.csv`` (one row per 2016 unit, columns
:data:`UNIT_COLUMNS`), with ``provenance.csv`` listing every sourced field. This
module holds their schema, loads and checks them (:func:`load`, :func:`default`),
writes them (:func:`save`), builds the rows of a zone approved during a run
(:func:`new_zone_rows`) and names zones (:func:`zone_label`).

The shipped registry is synthetic where no public source names a zone: it is built by
:mod:`sim.core.zonegen` from the public list ``data/zones_public.csv``. A user can
replace ``zones.csv`` and ``units_2016.csv`` with a real registry that has the same
columns; :func:`load` checks them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.core.cities import CITIES as CITIES  # re-exported with COUNTIES: the city vocabulary
from sim.core.cities import COUNTIES as COUNTIES
from sim.core.lang import Translated, check_lang, translate
from sim.core.modes import REGISTRABLE_MODES
from sim.errors import ZonesimError

DATA_DIR = Path(__file__).parent / "data"
#: What public sources give about individual zones, one row each with its source.
PUBLIC_CSV = DATA_DIR / "zones_public.csv"
#: File of a registry folder listing its sourced fields (see :func:`load_provenance`).
PROVENANCE_CSV = "provenance.csv"

#: Province land area, km2 (facts: about 156,700 km2).
PROVINCE_LAND_KM2 = 156_700.0
ZONE_TYPES = ("industrial", "eco_tourism", "agri_hitech")
LEVELS = ("national", "provincial")
UNIT_LEVELS = ("national", "provincial", "park")

#: Column name -> dtype kind ("str", "int", "float") of each registry table.
#: ``name`` is the English name; ``synthetic`` is 1 where no public source names the row.
ZONE_COLUMNS: dict[str, str] = {
    "zone_id": "str",
    "name": "str",
    "name_zh": "str",
    "synthetic": "int",
    "city": "str",
    "level": "str",
    "type": "str",
    "demonstration": "int",
    "in_statistics": "int",
    "planned_area_km2": "float",
    "staff": "int",
    "departments": "int",
    "mode": "str",
    "mode_year": "float",
    "local_powers": "int",
    "three_systems_year": "float",
    "operators": "int",
    "operators_year": "float",
}
UNIT_COLUMNS: dict[str, str] = {
    "unit_id": "str",
    "zone_id": "str",
    "name": "str",
    "name_zh": "str",
    "synthetic": "int",
    "level": "str",
    "body_id": "str",
    "staff": "int",
    "departments": "int",
    "planned_area_km2": "float",
    "firms": "int",
    "value_added": "float",
}
#: Columns of ``provenance.csv``: one row per sourced field of a registry row.
PROVENANCE_COLUMNS = ("table", "id", "field", "public_name", "public_column", "source")

#: Words that mark a synthetic row's name, by language.
SYNTHETIC_MARK: Translated = ("Synthetic", "合成")


@dataclass(frozen=True)
class ZoneData:
    """The zone registry.

    Attributes:
        zones: One row per integrated zone (end-2018), columns :data:`ZONE_COLUMNS`.
        units: One row per 2016 unit, columns :data:`UNIT_COLUMNS`; ``zone_id`` names
            the integrated zone each unit merges into.
        provenance: The sourced fields (columns :data:`PROVENANCE_COLUMNS`), where
            known: set by :func:`generate`; read with :func:`load_provenance`.
    """

    zones: pd.DataFrame
    units: pd.DataFrame
    provenance: pd.DataFrame | None = None

    @cached_property
    def zone_records(self) -> list[dict[str, Any]]:
        """Zone rows as dictionaries (computed once; treat as read-only)."""
        records: list[dict[str, Any]] = self.zones.to_dict("records")
        return records

    @cached_property
    def unit_records(self) -> list[dict[str, Any]]:
        """Unit rows as dictionaries (computed once; treat as read-only)."""
        records: list[dict[str, Any]] = self.units.to_dict("records")
        return records

    @cached_property
    def unit_columns(self) -> dict[str, np.ndarray]:
        """Unit columns as arrays (computed once; read-only)."""
        columns = {c: self.units[c].to_numpy(copy=True) for c in self.units.columns}
        for a in columns.values():
            a.flags.writeable = False
        return columns

    @cached_property
    def cities(self) -> list[str]:
        """The cities of the integrated zones, sorted (computed once)."""
        return sorted(set(self.zones["city"]))


class ZoneDataError(ZonesimError, ValueError):
    """The zone registry files are missing or malformed."""


_BLANK = {"str": "", "int": 0, "float": math.nan}


def new_zone_rows(zone_id: str, **values: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The registry rows of a zone approved during a run: its zone row and its one unit's.

    Args:
        zone_id: The new zone's id, also its unit's id.
        **values: Values of :data:`ZONE_COLUMNS`; a column not given is blank (``""``,
            0 or ``nan`` by its kind).

    Returns:
        The zone row (every column of :data:`ZONE_COLUMNS`) and the unit row (the
        columns of :data:`UNIT_COLUMNS` that describe a unit and that the zone row
        has, with ``unit_id``).

    Raises:
        KeyError: If a value names no column of :data:`ZONE_COLUMNS`.
    """
    unknown = set(values) - set(ZONE_COLUMNS)
    if unknown:
        raise KeyError(
            f"new zone: unknown columns {sorted(unknown)}; expected {list(ZONE_COLUMNS)}"
        )
    zone = {c: _BLANK[kind] for c, kind in ZONE_COLUMNS.items()} | values | {"zone_id": zone_id}
    unit = {"unit_id": zone_id} | {
        c: zone[c] for c in UNIT_COLUMNS if c in ZONE_COLUMNS and c != "zone_id"
    }
    return zone, unit


def _check(df: pd.DataFrame, columns: dict[str, str], path: Path) -> pd.DataFrame:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ZoneDataError(f"{path}: column '{missing[0]}' missing; expected {list(columns)}")
    if df.empty:
        raise ZoneDataError(f"{path}: expected at least one row below the header, got none")
    df = df.reset_index(drop=True)
    for col, kind in columns.items():
        if kind == "str":
            blank = df[col].isna() | (df[col].astype(str).str.strip() == "")
            if blank.any():
                raise ZoneDataError(
                    f"{path}: column '{col}' row {int(blank.idxmax()) + 2}: expected a "
                    "non-empty value"
                )
            df[col] = df[col].astype(str).str.strip()
            continue
        values = pd.to_numeric(df[col], errors="coerce")
        bad = values.isna() & df[col].notna()
        if bad.any():
            raise ZoneDataError(
                f"{path}: column '{col}' row {int(bad.idxmax()) + 2}: expected a number"
            )
        infinite = np.isinf(values.to_numpy(dtype=float))
        if infinite.any():
            raise ZoneDataError(
                f"{path}: column '{col}' row {int(np.argmax(infinite)) + 2}: expected a finite "
                f"number, got {df[col].iloc[int(np.argmax(infinite))]!r}"
            )
        if kind == "int":
            bad = values.isna() | (values != values.round())
            if bad.any():
                raise ZoneDataError(
                    f"{path}: column '{col}' row {int(bad.idxmax()) + 2}: expected an integer"
                )
            values = values.astype(int)
        if kind != "str" and (values < 0).any():
            raise ZoneDataError(
                f"{path}: column '{col}' row {int((values < 0).idxmax()) + 2}: "
                "expected a non-negative number"
            )
        df[col] = values
    return df[list(columns)]


def _require(df: pd.DataFrame, col: str, rows: pd.Series, path: Path, what: str) -> None:
    """Raise if ``col`` is blank in any of ``rows``."""
    blank = rows & df[col].isna()
    if blank.any():
        raise ZoneDataError(
            f"{path}: column '{col}' row {int(blank.idxmax()) + 2}: expected {what}"
        )


def load(directory: str | Path | None = None) -> ZoneData:
    """Load and check the registry from ``zones.csv`` and ``units_2016.csv``.

    Args:
        directory: Folder holding the two files (default: the shipped registry).

    Returns:
        The registry.

    Raises:
        ZoneDataError: If a file is missing, has no rows, or a column is absent or
            malformed (blank text, non-numeric, infinite, fractional count, duplicate id,
            unknown city, level, type or mode), if no unit has a firm, or if the two tables
            do not fit together. The message is one line naming the file, column and row.
    """
    d = Path(directory) if directory is not None else DATA_DIR
    tables = []
    for name, cols in (("zones.csv", ZONE_COLUMNS), ("units_2016.csv", UNIT_COLUMNS)):
        path = d / name
        if not path.is_file():
            raise ZoneDataError(f"{path}: file not found; expected the zone registry table")
        tables.append(_check(pd.read_csv(path, keep_default_na=True), cols, path))
    zones, units = tables
    for name, df, col in (("zones.csv", zones, "zone_id"), ("units_2016.csv", units, "unit_id")):
        dup = df[col].duplicated()
        if dup.any():
            raise ZoneDataError(
                f"{d / name}: column '{col}' row {int(dup.idxmax()) + 2}: expected unique ids, "
                f"got {df[col].iloc[int(dup.idxmax())]!r} twice"
            )
    unknown = set(units["zone_id"]) - set(zones["zone_id"])
    if unknown:
        raise ZoneDataError(
            f"{d / 'units_2016.csv'}: column 'zone_id': unknown zone {sorted(unknown)[0]!r}"
        )
    checks = (
        ("zones.csv", zones, "city", CITIES),
        ("zones.csv", zones, "level", LEVELS),
        ("zones.csv", zones, "type", ZONE_TYPES),
        ("zones.csv", zones, "mode", REGISTRABLE_MODES),
        ("units_2016.csv", units, "level", UNIT_LEVELS),
    )
    for name, df, col, allowed in checks:
        bad = ~df[col].isin(allowed)
        if bad.any():
            raise ZoneDataError(
                f"{d / name}: column '{col}': expected one of {allowed}, "
                f"got {df.loc[bad, col].iloc[0]!r}"
            )
    if units["firms"].sum() <= 0:
        raise ZoneDataError(
            f"{d / 'units_2016.csv'}: column 'firms': expected at least one firm in the table, "
            "got zero in every row"
        )
    zpath = d / "zones.csv"
    everywhere = pd.Series(True, index=zones.index)
    _require(zones, "mode_year", everywhere, zpath, "the year the mode is adopted")
    _require(zones, "operators_year", zones["operators"] > 0, zpath, "the operators' year")
    without_units = set(zones["zone_id"]) - set(units["zone_id"])
    if without_units:
        raise ZoneDataError(
            f"{zpath}: column 'zone_id': zone {sorted(without_units)[0]!r} has no 2016 unit "
            "in units_2016.csv"
        )
    return ZoneData(zones=zones, units=units)


@cache
def default() -> ZoneData:
    """The shipped registry, loaded once per process (read-only)."""
    return load()


def load_provenance(directory: str | Path | None = None) -> pd.DataFrame:
    """Read the sourced fields of a registry folder (``provenance.csv``).

    Each row names a registry row (``table`` ``zones`` or ``units``, and its ``id``),
    one of its fields, and where the value comes from: the public list's row
    (``public_name``, its ``name_zh``), column (``public_column``) and ``source``.
    Every field not listed is generated.

    Args:
        directory: Registry folder (default: the shipped registry).

    Returns:
        The table, columns :data:`PROVENANCE_COLUMNS`.

    Raises:
        ZoneDataError: If the file is missing or lacks a column.
    """
    path = (Path(directory) if directory is not None else DATA_DIR) / PROVENANCE_CSV
    if not path.is_file():
        raise ZoneDataError(f"{path}: file not found; expected the registry's provenance")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in PROVENANCE_COLUMNS if c not in df.columns]
    if missing:
        raise ZoneDataError(
            f"{path}: column '{missing[0]}' missing; expected {list(PROVENANCE_COLUMNS)}"
        )
    return df[list(PROVENANCE_COLUMNS)]


def zone_label(
    zone: str | Mapping[str, Any], lang: str = "en", data: ZoneData | None = None
) -> str:
    """Return a zone's (or 2016 unit's) display name in ``lang``, marking synthetic ones.

    Args:
        zone: A zone or unit id of ``data``, or a row with ``name`` (English),
            ``name_zh`` and ``synthetic`` (a registry row or a zone-table row); a
            row without names is looked up by its ``zone_id``.
        lang: ``"en"`` or ``"zh"``.
        data: Registry to look ids up in (default: the shipped one).

    Returns:
        The Chinese (``"zh"``) or English name; a synthetic row whose name does not
        say so gets " (synthetic)" / "（合成）" appended. An unknown id gives the id
        itself.

    Raises:
        ValueError: If ``lang`` is neither ``"en"`` nor ``"zh"``.
    """
    check_lang(lang)
    if isinstance(zone, str):
        reg = data if data is not None else default()
        found = reg.zones[reg.zones["zone_id"] == zone]
        if found.empty:
            found = reg.units[reg.units["unit_id"] == zone]
        if found.empty:
            return zone
        row: Mapping[str, Any] = found.iloc[0].to_dict()
    else:
        row = zone
    name = row.get("name_zh" if lang == "zh" else "name") or row.get("name")
    if not isinstance(name, str) or not name:
        rid = row.get("zone_id", row.get("unit_id", ""))
        return zone_label(rid, lang, data) if rid else ""
    mark = translate(SYNTHETIC_MARK, lang)
    if bool(row.get("synthetic", 0)) and mark.casefold() not in name.casefold():
        name += "（合成）" if lang == "zh" else " (synthetic)"
    return name


def save(data: ZoneData, directory: str | Path = DATA_DIR) -> None:
    """Write the registry as ``zones.csv`` and ``units_2016.csv`` (and its provenance)."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    data.zones.to_csv(d / "zones.csv", index=False)
    data.units.to_csv(d / "units_2016.csv", index=False)
    if data.provenance is not None:
        data.provenance.to_csv(d / PROVENANCE_CSV, index=False)
