"""The public list of zones: what public sources say about individual zones.

``data/zones_public.csv`` names zones and 2016 units with their prefecture, level,
category and (some) areas, each row with its source. :func:`public_zones` turns it
into registry rows (the demonstration zone, its units, the other named zones) that
remember which field came from which source (:func:`sourced_fields`);
:mod:`sim.core.zonegen` fills in the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.core.cities import canonical_city
from sim.core.zonedata import DATA_DIR, PROVENANCE_COLUMNS, UNIT_LEVELS

#: Figures the registry must reproduce (facts.md).
FACTS: dict[str, Any] = {
    "zones": 67,
    "industrial_zones": 59,
    "industrial_area_km2": 2750.0,
    "statistics_zones": 37,
    "cities": 11,
    "demo_units": 8,
    "demo_units_by_level": {"national": 4, "provincial": 3, "park": 1},
    "demo_bodies_2016": 5,
    "demo_staff_2016": 423,
    "demo_staff_2018": 146,
    "local_powers": 8384,
    "three_systems_2018": 38,
    "operators_2018": 74,
    "zones_with_operators_2018": 35,
}

#: What public sources give about individual zones, one row each with its source.
PUBLIC_CSV = DATA_DIR / "zones_public.csv"
#: How the public list's ``category`` maps to the registry's zone ``type``.
CATEGORY_TYPES = {
    "integrated demonstration zone": "industrial",
    "ETDZ": "industrial",
    "HTZ": "industrial",
    "special customs zone": "industrial",
    "economic development zone": "industrial",
    "industrial park": "industrial",
    "eco-culture-tourism zone": "eco_tourism",
    "agricultural zone": "agri_hitech",
}
#: The demonstration zone's row in the public list (``name_zh``).
DEMO_NAME_ZH = "山西转型综合改革示范区"
#: Note of the public rows that are units of the demonstration zone.
MERGED_NOTE = "merged into the demonstration zone"
#: Note of a public row whose area is that of its 2016 unit, not of the end-2018 zone.
UNIT_AREA_NOTE = "before the 2017 expansion"
#: Units of the demonstration zone its row's note names but no public row describes:
#: (English name as in the note, Chinese name, level). The Chinese names are the
#: usual ones, not from the list; the levels follow from facts.md's 4 national, 3
#: provincial and 1 park once the listed units are placed.
DEMO_NOTE_UNITS = (
    ("Sci-Tech Innovation City", "山西科技创新城", "provincial"),
    ("University Town", "山西大学城", "park"),
)


def read_public(path: str | Path = PUBLIC_CSV) -> pd.DataFrame:
    """Read the public list of zones (every column as text, blanks as ``""``).

    Args:
        path: The list (default: the shipped ``data/zones_public.csv``).

    Returns:
        One row per zone or unit a public source names, with its ``source``.
    """
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _area(text: str) -> float:
    """A public area, km2 (``nan`` where the list gives none)."""
    return float(text) if text else np.nan


@dataclass
class Row:
    """A registry row being built: its values and the public column behind each sourced one."""

    values: dict[str, Any]
    public: pd.Series | None = None
    sourced: dict[str, str] = field(default_factory=dict)  # field -> public column

    def source(self, name: str, column: str) -> None:
        """Mark field ``name`` as taken from ``column`` of the row's public entry."""
        self.sourced[name] = column


def named_row(public: pd.Series, **extra: Any) -> Row:
    """A row for a zone or unit of the public list, with its sourced fields marked."""
    row = Row(
        {
            "name": public["name_en"],
            "name_zh": public["name_zh"],
            "synthetic": 0,
            "level": public["level"],
            **extra,
        },
        public,
    )
    for name, column in (("name", "name_en"), ("name_zh", "name_zh"), ("level", "level")):
        row.source(name, column)
    return row


def public_zones(pub: pd.DataFrame) -> tuple[Row, list[Row], list[Row]]:
    """The demonstration zone, its units, and the other zones the public list names."""
    demo_pub = pub[pub["name_zh"] == DEMO_NAME_ZH].iloc[0]
    merged = pub["note"].str.contains(MERGED_NOTE, regex=False)
    demo = named_row(
        demo_pub,
        city=canonical_city(demo_pub["prefecture"].split("/")[0]),
        type=CATEGORY_TYPES[demo_pub["category"]],
        area=_area(demo_pub["area_km2"]),
        unit_area=np.nan,
        staff=FACTS["demo_staff_2018"],
    )
    demo.source("city", "prefecture")
    demo.source("type", "category")
    demo.source("planned_area_km2", "area_km2")
    demo.source("staff", "note")
    units = [named_row(r, area=_area(r["area_km2"])) for _, r in pub[merged].iterrows()]
    for u in units:
        if not np.isnan(u.values["area"]):
            u.source("planned_area_km2", "area_km2")
    for name, name_zh, level in DEMO_NOTE_UNITS:
        values = {"name": name, "name_zh": name_zh, "synthetic": 0, "level": level}
        u = Row({**values, "area": np.nan}, demo_pub)
        u.source("name", "note")
        units.append(u)
    order = {lv: i for i, lv in enumerate(UNIT_LEVELS)}
    units.sort(key=lambda u: order[u.values["level"]])  # stable: list order within a level
    zones = []
    for _, r in pub[~merged & (pub["name_zh"] != DEMO_NAME_ZH)].iterrows():
        area = _area(r["area_km2"])
        unit_level = UNIT_AREA_NOTE in r["note"]
        z = named_row(
            r,
            city=canonical_city(r["prefecture"]),
            type=CATEGORY_TYPES[r["category"]],
            area=np.nan if unit_level else area,
            unit_area=area if unit_level else np.nan,
        )
        z.source("city", "prefecture")
        z.source("type", "category")
        if not unit_level and not np.isnan(area):
            z.source("planned_area_km2", "area_km2")
        zones.append(z)
    return demo, units, zones


def sourced_fields(rows: list[tuple[str, str, Row]]) -> pd.DataFrame:
    """One row per sourced field: where in the public list it comes from."""
    out = [
        {
            "table": table,
            "id": rid,
            "field": name,
            "public_name": r.public["name_zh"],
            "public_column": column,
            "source": r.public["source"],
        }
        for table, rid, r in rows
        if r.public is not None  # a generated row has no sourced field
        for name, column in r.sourced.items()
    ]
    return pd.DataFrame(out, columns=list(PROVENANCE_COLUMNS))
