"""The synthetic zone registry: the public list of zones, filled in to every published figure.

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
:data:`ASSUMPTIONS`. The registry's schema, loader and writer are in :mod:`sim.core.zonedata`.

Regenerate the shipped files with ``python -m sim.core.zonegen``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.core.cities import CITIES, city_label
from sim.core.lang import translate
from sim.core.modes import DEMONSTRATION_MODE, MODES
from sim.core.zonedata import (
    DATA_DIR,
    SYNTHETIC_MARK,
    UNIT_COLUMNS,
    ZoneData,
    save,
)
from sim.core.zonepublic import (
    FACTS,
    PUBLIC_CSV,
    Row,
    public_zones,
    read_public,
    sourced_fields,
)

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
    "modes_2018": {m.name: m.zones_2018 for m in MODES.values() if m.zones_2018},
    "three_systems_2017": 12,
    "firms_2016": 37000,
    "statistics_value_added_2016": 1880.0,
    "non_industrial_area_km2": (15.0, 60.0),
}

SEED = 20181231


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


def _synthetic_zones(rng: np.random.Generator, named: list[Row]) -> list[Row]:
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
            Row(
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
    demo, demo_units, named = public_zones(read_public(public))
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
    other_modes = [
        m for m, k in a["modes_2018"].items() for _ in range(k - (m == DEMONSTRATION_MODE))
    ]
    modes = [DEMONSTRATION_MODE, *rng.permutation(other_modes).tolist()]
    run_by_operator = np.array([MODES[m].operator_runs_zone for m in modes])
    # Staffing of each mode (sim.core.modes); a range of one value draws nothing.
    departments = np.array([_draw(rng, MODES[m].departments_2018) for m in modes])
    staff = np.array([_draw(rng, MODES[m].staff_2018) for m in modes])
    staff[0] = FACTS["demo_staff_2018"]
    mode_year = np.where(rng.random(n) < 0.5, 2017.5, 2018.0)
    mode_year[0] = 2017.25
    size_w = area * np.where(national, 1.6, 1.0)
    powers = _split_int(FACTS["local_powers"], np.sqrt(size_w), minimum=60)
    # Three systems by 2018: 38 zones, favouring larger zones and corporate ones.
    ts_w = np.sqrt(size_w) * np.where(run_by_operator, 3.0, 1.0)
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
    corporate = np.flatnonzero(run_by_operator)
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
    sourced = sourced_fields(
        [("zones", zid, r) for zid, r in zip(zones["zone_id"], rows, strict=True)]
        + [("units", uid, r) for uid, r in zip(units["unit_id"], unit_rows, strict=True)]
    )
    return ZoneData(zones=zones, units=units, provenance=sourced)


def _generate_units(
    rng: np.random.Generator, zones: pd.DataFrame, rows: list[Row], demo_units: list[Row]
) -> tuple[pd.DataFrame, list[Row]]:
    """Generate the 2016 units that merge into the integrated zones.

    Returns:
        The units table and, row for row, the units' provenance.
    """
    a = ASSUMPTIONS
    out: list[Row] = []
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
                lead = Row(
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
                unit = Row(
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
