"""The zone registry as data: integrated zones (end-2018) and their 2016 units.

No public list of Shanxi's 67 zones with their sizes exists. The shipped registry is
built by :func:`generate` from the public list ``data/zones_public.csv`` (names, levels,
prefectures and some areas of the zones public sources name, each row with its
source) and filled in deterministically so that every aggregate the sources give
holds exactly (see ``docs/ODD.md``, "Input data"):

* 67 national + provincial zones at end-2018 in 11 prefecture cities;
* 59 industrial zones (the demonstration zone among them) with 2,750 km2 planned;
* 37 industrial zones in the GDP statistics;
* the demonstration zone merged from 8 units (4 national, 3 provincial, the
  university-town park) run by 5 bodies with 423 staff, into 1 body with 146 staff;
* 8,384 locally delegated powers, 38 zones with the three systems by 2018, 74
  operators in 35 zones by 2018.

Every zone and 2016 unit the public list names carries its real Chinese and English
name, prefecture and level (and its area where public); the other zones are
synthetic and named so ("Synthetic provincial zone, Yuncheng 2"). The ``synthetic``
column flags them, and ``provenance.csv`` lists every sourced field with its source;
every field not listed there is generated, under the assumptions in
:data:`ASSUMPTIONS`. A user can replace ``zones.csv`` and ``units_2016.csv`` with a
real registry that has the same columns; :func:`load` checks them.

Regenerate the shipped files with ``python -m sim.core.zonedata``.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.core.cities import CITIES, canonical_city, city_label
from sim.core.cities import COUNTIES as COUNTIES  # re-exported with CITIES: the city vocabulary
from sim.core.lang import Translated, check_lang, translate
from sim.core.modes import MODES, REGISTRABLE_MODES
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
#: Words that mark a synthetic row's name, by language.
SYNTHETIC_MARK: Translated = ("Synthetic", "合成")
#: Type words of synthetic zones' names: type -> (English, Chinese).
TYPE_NAMES = {
    "industrial": ("zone", "开发区"),
    "eco_tourism": ("eco-culture-tourism zone", "生态文化旅游区"),
    "agri_hitech": ("agricultural high-tech zone", "农业高新技术开发区"),
}

#: Assumptions of the generated fill (reported in the ODD document).
ASSUMPTIONS: dict[str, Any] = {
    "eco_tourism_zones": 5,
    "agri_hitech_zones": 3,
    "zones_absorbing_parks": 18,
    "modes_2018": {"sanheyi": 40, "quzheng": 19, "corporate": 8},
    "three_systems_2017": 12,
    "firms_2016": 37000,
    "statistics_value_added_2016": 1880.0,
    "non_industrial_area_km2": (15.0, 60.0),
}

SEED = 20181231


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


class ZoneDataError(ZonesimError, ValueError):
    """The zone registry files are missing or malformed."""


def _split(rng: np.random.Generator, total: float, weights: np.ndarray) -> np.ndarray:
    """Split a total in proportion to weights (floats)."""
    w = np.asarray(weights, dtype=float)
    return np.asarray(total * w / w.sum())


def _draw(rng: np.random.Generator, bounds: tuple[int, int] | None) -> int:
    """A whole number from an inclusive range (a range of one value draws nothing)."""
    if bounds is None:
        raise ValueError("expected a mode's 2018 staffing range, got none")
    lo, hi = bounds
    return int(rng.integers(lo, hi + 1))


def _split_int(total: int, weights: np.ndarray, minimum: int = 0) -> np.ndarray:
    """Split an integer total in proportion to weights, largest remainders first."""
    w = np.asarray(weights, dtype=float)
    free = total - minimum * len(w)
    raw = free * w / w.sum()
    out = np.floor(raw).astype(int)
    order = np.argsort(-(raw - out), kind="stable")
    out[order[: free - out.sum()]] += 1
    return np.asarray(out + minimum)


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
class _Row:
    """A registry row being built: its values and the public column behind each sourced one."""

    values: dict[str, Any]
    public: pd.Series | None = None
    sourced: dict[str, str] = field(default_factory=dict)  # field -> public column

    def source(self, name: str, column: str) -> None:
        """Mark field ``name`` as taken from ``column`` of the row's public entry."""
        self.sourced[name] = column


def _named(public: pd.Series, **extra: Any) -> _Row:
    """A row for a zone or unit of the public list, with its sourced fields marked."""
    row = _Row(
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


def _public_zones(pub: pd.DataFrame) -> tuple[_Row, list[_Row], list[_Row]]:
    """The demonstration zone, its units, and the other zones the public list names."""
    demo_pub = pub[pub["name_zh"] == DEMO_NAME_ZH].iloc[0]
    merged = pub["note"].str.contains(MERGED_NOTE, regex=False)
    demo = _named(
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
    units = [_named(r, area=_area(r["area_km2"])) for _, r in pub[merged].iterrows()]
    for u in units:
        if not np.isnan(u.values["area"]):
            u.source("planned_area_km2", "area_km2")
    for name, name_zh, level in DEMO_NOTE_UNITS:
        values = {"name": name, "name_zh": name_zh, "synthetic": 0, "level": level}
        u = _Row({**values, "area": np.nan}, demo_pub)
        u.source("name", "note")
        units.append(u)
    order = {lv: i for i, lv in enumerate(UNIT_LEVELS)}
    units.sort(key=lambda u: order[u.values["level"]])  # stable: list order within a level
    zones = []
    for _, r in pub[~merged & (pub["name_zh"] != DEMO_NAME_ZH)].iterrows():
        area = _area(r["area_km2"])
        unit_level = UNIT_AREA_NOTE in r["note"]
        z = _named(
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


def _synthetic_zones(rng: np.random.Generator, named: list[_Row]) -> list[_Row]:
    """The zones no public source names: provincial, spread so each city holds about 6."""
    a = ASSUMPTIONS
    n = FACTS["zones"]
    named_in = {c: sum(z.values["city"] == c for z in named) for c in CITIES}
    # An even share of the 67 zones per city; the remainder goes to the cities the public
    # list fills most (Taiyuan, with the demonstration zone).
    target = dict.fromkeys(CITIES, n // len(CITIES))
    for c in sorted(CITIES, key=lambda c: -named_in[c])[: n % len(CITIES)]:
        target[c] += 1
    short = {c: target[c] - named_in[c] for c in CITIES}
    if min(short.values()) < 0:
        raise ValueError(f"public list: more named zones in a city than {n // len(CITIES) + 1}")
    cities = rng.permutation(np.repeat(np.arange(len(CITIES)), [short[c] for c in CITIES]))
    named_types = [z.values["type"] for z in named]
    counts = {
        "eco_tourism": a["eco_tourism_zones"] - named_types.count("eco_tourism"),
        "agri_hitech": a["agri_hitech_zones"] - named_types.count("agri_hitech"),
    }
    counts = {"industrial": len(cities) - sum(counts.values()), **counts}
    types = [t for t, k in counts.items() for _ in range(k)]
    seen: dict[str, int] = {}
    out = []
    for c, t in zip(cities, types, strict=True):
        city = CITIES[c]
        seen[city] = seen.get(city, 0) + 1
        en, zh = TYPE_NAMES[t]
        out.append(
            _Row(
                {
                    "name": f"{translate(SYNTHETIC_MARK, 'en')} provincial {en}, "
                    f"{city_label(city, 'en')} {seen[city]}",
                    "name_zh": f"{translate(SYNTHETIC_MARK, 'zh')}省级{zh}"
                    f"（{city_label(city, 'zh')}{seen[city]}）",
                    "synthetic": 1,
                    "level": "provincial",
                    "city": city,
                    "type": t,
                    "area": np.nan,
                    "unit_area": np.nan,
                }
            )
        )
    return out


def generate(seed: int = SEED, public: str | Path = PUBLIC_CSV) -> ZoneData:
    """Build the registry from the public list and fill the rest (deterministic for a seed).

    Args:
        seed: Seed of the fill.
        public: The public list of zones (see :func:`read_public`).

    Returns:
        The registry, matching every figure in :data:`FACTS`, with its provenance.
    """
    rng = np.random.default_rng(seed)
    a = ASSUMPTIONS
    n = FACTS["zones"]
    demo, demo_units, named = _public_zones(read_public(public))
    rows = [demo, *named, *_synthetic_zones(rng, [demo, *named])]
    if len(rows) != n:
        raise ValueError(f"public list: expected at most {n} zones, got {len(rows)}")
    v = pd.DataFrame([r.values for r in rows])
    levels = v["level"].to_numpy()
    national = levels == "national"
    industrial = (v["type"] == "industrial").to_numpy()
    # Planned area: public areas stand; the other industrial zones share the rest of
    # 2,750 km2 (lognormal weights, national zones x2.5) on top of any public 2016 area.
    area = v["area"].to_numpy(dtype=float).copy()
    base = np.nan_to_num(v["unit_area"].to_numpy(dtype=float))
    free = industrial & np.isnan(area)
    weights = rng.lognormal(0.0, 0.6, free.sum()) * np.where(national[free], 2.5, 1.0)
    pool = FACTS["industrial_area_km2"] - np.nansum(area[industrial]) - base[free].sum()
    area[free] = base[free] + _split(rng, pool, weights)
    other = ~industrial & np.isnan(area)
    low, high = a["non_industrial_area_km2"]
    area[other] = rng.uniform(low, high, other.sum())
    area = np.round(area, 2)
    last = np.flatnonzero(free)[-1]
    area[last] = round(FACTS["industrial_area_km2"] - area[industrial].sum() + area[last], 2)
    # Statistics: the demonstration zone and the 36 largest other industrial zones.
    in_stats = np.zeros(n, dtype=int)
    in_stats[0] = 1
    cand = np.flatnonzero(industrial[1:]) + 1
    in_stats[cand[np.argsort(-area[cand], kind="stable")[: FACTS["statistics_zones"] - 1]]] = 1
    # Modes: the demonstration zone has its own committee.
    other_modes = (
        ["sanheyi"] * (a["modes_2018"]["sanheyi"] - 1)
        + ["quzheng"] * a["modes_2018"]["quzheng"]
        + ["corporate"] * a["modes_2018"]["corporate"]
    )
    modes = ["sanheyi", *rng.permutation(other_modes).tolist()]
    # Staffing of each mode (sim.core.modes); a range of one value draws nothing.
    departments = np.array([_draw(rng, MODES[m].departments_2018) for m in modes])
    staff = np.array([_draw(rng, MODES[m].staff_2018) for m in modes])
    staff[0] = FACTS["demo_staff_2018"]
    mode_year = np.where(rng.random(n) < 0.5, 2017.5, 2018.0)
    mode_year[0] = 2017.25
    size_w = area * np.where(national, 1.6, 1.0)
    powers = _split_int(FACTS["local_powers"], np.sqrt(size_w), minimum=60)
    # Three systems by 2018: 38 zones, favouring larger zones and corporate ones.
    ts_w = np.sqrt(size_w) * np.where(np.array(modes) == "corporate", 3.0, 1.0)
    ts_zones = rng.choice(n, FACTS["three_systems_2018"], replace=False, p=ts_w / ts_w.sum())
    ts_zones = np.union1d(ts_zones[ts_zones != 0], [0])[: FACTS["three_systems_2018"]]
    if len(ts_zones) < FACTS["three_systems_2018"]:  # the demonstration zone displaced one
        rest = np.setdiff1d(np.arange(n), ts_zones)
        ts_zones = np.union1d(ts_zones, rest[: FACTS["three_systems_2018"] - len(ts_zones)])
    three_year = np.full(n, np.nan)
    three_year[ts_zones] = 2018.0
    early = rng.choice(ts_zones, a["three_systems_2017"], replace=False)
    three_year[early] = 2017.5
    # Operators: every corporate zone has some; 35 zones, 74 operators.
    corporate = np.flatnonzero(np.array(modes) == "corporate")
    others = np.setdiff1d(np.arange(n), corporate)
    op_w = np.sqrt(size_w[others])
    op_others = rng.choice(
        others,
        FACTS["zones_with_operators_2018"] - len(corporate),
        replace=False,
        p=op_w / op_w.sum(),
    )
    op_zones = np.sort(np.concatenate([corporate, op_others]))
    operators = np.zeros(n, dtype=int)
    op_weights = np.where(np.isin(op_zones, corporate), 3.0, 1.0) * rng.uniform(
        0.5, 1.5, len(op_zones)
    )
    operators[op_zones] = _split_int(FACTS["operators_2018"], op_weights, minimum=1)
    op_year = np.where(operators > 0, np.where(rng.random(n) < 0.4, 2017.5, 2018.0), np.nan)
    # A corporate zone's operators come with its mode, not before (one of them runs it).
    op_year[corporate] = np.maximum(op_year[corporate], mode_year[corporate])
    zones = pd.DataFrame(
        {
            "zone_id": [f"Z{i + 1:02d}" for i in range(n)],
            "name": v["name"],
            "name_zh": v["name_zh"],
            "synthetic": v["synthetic"].astype(int),
            "city": v["city"],
            "level": levels,
            "type": v["type"],
            "demonstration": (np.arange(n) == 0).astype(int),
            "in_statistics": in_stats,
            "planned_area_km2": area,
            "staff": staff,
            "departments": departments,
            "mode": modes,
            "mode_year": mode_year,
            "local_powers": powers,
            "three_systems_year": three_year,
            "operators": operators,
            "operators_year": op_year,
        }
    )
    units, unit_rows = _generate_units(rng, zones, rows, demo_units)
    provenance = _provenance(
        [("zones", zid, r) for zid, r in zip(zones["zone_id"], rows, strict=True)]
        + [("units", uid, r) for uid, r in zip(units["unit_id"], unit_rows, strict=True)]
    )
    return ZoneData(zones=zones, units=units, provenance=provenance)


def _provenance(rows: list[tuple[str, str, _Row]]) -> pd.DataFrame:
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


def _generate_units(
    rng: np.random.Generator, zones: pd.DataFrame, rows: list[_Row], demo_units: list[_Row]
) -> tuple[pd.DataFrame, list[_Row]]:
    """Generate the 2016 units that merge into the integrated zones.

    Returns:
        The units table and, row for row, the units' provenance.
    """
    a = ASSUMPTIONS
    out: list[_Row] = []
    # The demonstration zone: 8 units, 5 bodies, 423 staff.
    levels = [u.values["level"] for u in demo_units]
    expected = [lv for lv, k in FACTS["demo_units_by_level"].items() for _ in range(k)]
    if levels != expected:
        raise ValueError(f"public list: demonstration-zone units {levels}, expected {expected}")
    demo_bodies = [1, 2, 3, 4, 5, 5, 5, 5]  # three provincial units and the park share one
    demo_staff_by_body = _split_int(FACTS["demo_staff_2016"], rng.uniform(0.7, 1.3, 5))
    known = np.array([u.values["area"] for u in demo_units], dtype=float)
    demo_area = known.copy()
    demo_area[np.isnan(known)] = _split(
        rng,
        float(zones.loc[0, "planned_area_km2"]) - np.nansum(known),
        rng.uniform(0.5, 1.5, int(np.isnan(known).sum())),
    )
    first_of_body = {b: demo_bodies.index(b) for b in set(demo_bodies)}
    for k, u in enumerate(demo_units):
        b = demo_bodies[k]
        u.values.update(
            zone_id="Z01",
            body=f"Z01-B{b}",
            staff=int(demo_staff_by_body[b - 1]) if first_of_body[b] == k else 0,
            departments=int(rng.integers(8, 13)) if first_of_body[b] == k else 0,
            area=demo_area[k],
            fixed=not np.isnan(known[k]),
        )
        out.append(u)
    # Other zones: 18 industrial zones absorbed 1-2 parks, among them every zone whose
    # public area is that of its 2016 unit (it grew at integration).
    grown = [i for i, r in enumerate(rows) if not np.isnan(r.values["unit_area"])]
    pool = [i for i in zones.index[1:] if zones.loc[i, "type"] == "industrial" and i not in grown]
    drawn = rng.choice(pool, a["zones_absorbing_parks"] - len(grown), replace=False)
    absorbing = set(grown) | set(drawn.tolist())
    for i, z in zones.iloc[1:].iterrows():
        r = rows[i]
        parts = 1 + (int(rng.integers(1, 3)) if i in absorbing else 0)
        w = rng.uniform(0.5, 1.5, parts)
        w[0] += 1.0  # the lead unit is the largest
        lead_area = r.values["unit_area"]
        if np.isnan(lead_area):
            areas = _split(rng, z["planned_area_km2"], w)
        else:
            areas = np.concatenate(
                [[lead_area], _split(rng, z["planned_area_km2"] - lead_area, w[1:])]
            )
        for k in range(parts):
            if k == 0:
                lead = _Row(
                    {key: r.values[key] for key in ("name", "name_zh", "synthetic", "level")},
                    r.public,
                )
                for name in ("name", "name_zh", "level"):
                    if name in r.sourced:
                        lead.source(name, r.sourced[name])
                public_area = not np.isnan(lead_area) or (
                    parts == 1 and "planned_area_km2" in r.sourced
                )
                if public_area:
                    lead.source("planned_area_km2", "area_km2")
                unit = lead
            else:
                unit = _Row(
                    {
                        "name": f"{translate(SYNTHETIC_MARK, 'en')} park {k}, {z['name']}",
                        "name_zh": f"{translate(SYNTHETIC_MARK, 'zh')}园区{k}"
                        f"（并入{z['name_zh']}）",
                        "synthetic": 1,
                        "level": "park",
                    }
                )
            unit.values.update(
                zone_id=z["zone_id"],
                body=f"{z['zone_id']}-B{k + 1}",
                staff=int(rng.integers(40, 90)) if k == 0 else int(rng.integers(15, 40)),
                departments=int(rng.integers(8, 13)) if k == 0 else int(rng.integers(4, 8)),
                area=areas[k],
                fixed=k == 0 and not np.isnan(lead_area),
            )
            out.append(unit)
    units = pd.DataFrame([u.values for u in out])
    units["planned_area_km2"] = units.pop("area").round(3)
    # Area rounding: keep each zone's total exact, adjusting its first generated area.
    for zid, grp in units.groupby("zone_id", sort=False):
        target = float(zones.loc[zones["zone_id"] == zid, "planned_area_km2"].iloc[0])
        adjust = grp.index[~grp["fixed"].to_numpy(dtype=bool)]
        if len(adjust):
            j = adjust[0]
            units.loc[j, "planned_area_km2"] = round(
                target - grp["planned_area_km2"].drop(j).sum(), 3
            )
    # Firms and value added in 2016, by area with a premium for national units.
    zone_of = units["zone_id"].map(zones.set_index("zone_id")["type"])
    stats_of = units["zone_id"].map(zones.set_index("zone_id")["in_statistics"])
    density = np.where(units["level"] == "national", 2.0, 1.0)
    density = density * np.where(zone_of == "industrial", 1.0, 0.25)
    fw = units["planned_area_km2"].to_numpy() ** 0.8 * density * rng.lognormal(0, 0.3, len(units))
    units["firms"] = _split_int(a["firms_2016"], fw, minimum=5)
    va_w = units["firms"].to_numpy() * rng.lognormal(0, 0.25, len(units))
    in_s = stats_of.to_numpy() == 1
    va = np.empty(len(units))
    va[in_s] = _split(rng, a["statistics_value_added_2016"], va_w[in_s])
    mean_va = a["statistics_value_added_2016"] / units.loc[in_s, "firms"].sum()
    va[~in_s] = va_w[~in_s] * mean_va * 0.7
    units["value_added"] = va.round(3)
    units["unit_id"] = [f"U{i + 1:03d}" for i in range(len(units))]
    units["synthetic"] = units["synthetic"].astype(int)
    units = units.rename(columns={"body": "body_id"})
    return units[list(UNIT_COLUMNS)], out


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


def main(argv: list[str] | None = None) -> None:
    """Regenerate the shipped registry from the public list."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DATA_DIR), help="output folder")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--public", default=str(PUBLIC_CSV), help="public list of zones")
    args = parser.parse_args(argv)
    save(generate(args.seed, args.public), args.out)


if __name__ == "__main__":
    main()
