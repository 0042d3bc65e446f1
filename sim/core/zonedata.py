"""The zone registry as data: integrated zones (end-2018) and their 2016 units.

No public list of Shanxi's 67 zones with their sizes exists, so the shipped registry
is synthetic: generated deterministically by :func:`generate` so that every aggregate
the sources give holds exactly (see ``docs/ODD.md``, "Input data"):

* 67 national + provincial zones at end-2018 in 11 prefecture cities;
* 59 industrial zones (the demonstration zone among them) with 2,750 km2 planned;
* 37 industrial zones in the GDP statistics;
* the demonstration zone merged from 8 units (4 national, 3 provincial, the
  university-town park) run by 5 bodies with 423 staff, into 1 body with 146 staff;
* 8,384 locally delegated powers, 38 zones with the three systems by 2018, 74
  operators in 35 zones by 2018.

Everything else (which city holds which zone, areas, firms, value added, modes) is
an assumption stated in :data:`ASSUMPTIONS`. A user can replace the two CSV files
with a real registry that has the same columns; :func:`load` checks them.

Regenerate the shipped files with ``python -m sim.core.zonedata``.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import numpy as np
import pandas as pd

DATA_DIR = Path(__file__).parent / "data"

CITIES = (
    "Taiyuan",
    "Datong",
    "Yangquan",
    "Changzhi",
    "Jincheng",
    "Shuozhou",
    "Jinzhong",
    "Yuncheng",
    "Xinzhou",
    "Linfen",
    "Lvliang",
)
#: County-level divisions per city (public administrative divisions, 2018; assumption).
COUNTIES = {
    "Taiyuan": 10,
    "Datong": 11,
    "Yangquan": 5,
    "Changzhi": 13,
    "Jincheng": 6,
    "Shuozhou": 6,
    "Jinzhong": 11,
    "Yuncheng": 13,
    "Xinzhou": 14,
    "Linfen": 17,
    "Lvliang": 13,
}
#: Province land area, km2 (facts: about 156,700 km2).
PROVINCE_LAND_KM2 = 156_700.0
ZONE_TYPES = ("industrial", "eco_tourism", "agri_hitech")
LEVELS = ("national", "provincial")
UNIT_LEVELS = ("national", "provincial", "park")
MODES_2018 = ("sanheyi", "quzheng", "corporate")

#: Column name -> dtype kind ("str", "int", "float") of each registry table.
ZONE_COLUMNS: dict[str, str] = {
    "zone_id": "str",
    "name": "str",
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
    "level": "str",
    "body_id": "str",
    "staff": "int",
    "departments": "int",
    "planned_area_km2": "float",
    "firms": "int",
    "value_added": "float",
}

#: Figures the registry must reproduce (facts.md).
FACTS = {
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

#: Assumptions of the synthetic registry (reported in the ODD document).
ASSUMPTIONS = {
    "national_zones": 6,
    "eco_tourism_zones": 5,
    "agri_hitech_zones": 3,
    "demo_area_km2": 600.0,
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
    """

    zones: pd.DataFrame
    units: pd.DataFrame

    @cached_property
    def zone_records(self) -> list[dict]:
        """Zone rows as dictionaries (computed once; treat as read-only)."""
        return self.zones.to_dict("records")

    @cached_property
    def unit_records(self) -> list[dict]:
        """Unit rows as dictionaries (computed once; treat as read-only)."""
        return self.units.to_dict("records")


class ZoneDataError(ValueError):
    """The zone registry files are missing or malformed."""


def _split(rng: np.random.Generator, total: float, weights: np.ndarray) -> np.ndarray:
    """Split a total in proportion to weights (floats)."""
    w = np.asarray(weights, dtype=float)
    return total * w / w.sum()


def _split_int(total: int, weights: np.ndarray, minimum: int = 0) -> np.ndarray:
    """Split an integer total in proportion to weights, largest remainders first."""
    w = np.asarray(weights, dtype=float)
    free = total - minimum * len(w)
    raw = free * w / w.sum()
    out = np.floor(raw).astype(int)
    order = np.argsort(-(raw - out), kind="stable")
    out[order[: free - out.sum()]] += 1
    return out + minimum


def generate(seed: int = SEED) -> ZoneData:
    """Generate the synthetic registry (deterministic for a seed).

    Args:
        seed: Seed of the generator.

    Returns:
        The registry, matching every figure in :data:`FACTS`.
    """
    rng = np.random.default_rng(seed)
    a = ASSUMPTIONS
    n = FACTS["zones"]
    n_ind = FACTS["industrial_zones"]
    # Zone 0 is the demonstration zone; industrial zones first, then the others.
    types = ["industrial"] * n_ind + ["eco_tourism"] * a["eco_tourism_zones"]
    types += ["agri_hitech"] * a["agri_hitech_zones"]
    # Cities: the demonstration zone in Taiyuan; the rest spread round-robin over a
    # shuffled order so every city holds several zones.
    city_idx = np.concatenate([[0], rng.permutation(np.arange(1, n) % len(CITIES))])
    levels = ["provincial"] * n
    national_cities = rng.choice(np.arange(1, len(CITIES)), a["national_zones"] - 1, replace=False)
    for c in national_cities:
        first = next(i for i in range(1, n_ind) if city_idx[i] == c and levels[i] != "national")
        levels[first] = "national"
    levels[0] = "national"
    # Planned area: industrial zones share 2,750 km2, the demonstration zone 600.
    ind_w = rng.lognormal(0.0, 0.6, n_ind - 1) * np.where(
        np.array(levels[1:n_ind]) == "national", 2.5, 1.0
    )
    area = np.empty(n)
    area[0] = a["demo_area_km2"]
    area[1:n_ind] = _split(rng, FACTS["industrial_area_km2"] - a["demo_area_km2"], ind_w)
    area[n_ind:] = rng.uniform(*a["non_industrial_area_km2"], n - n_ind)
    area = np.round(area, 2)
    area[n_ind - 1] = round(FACTS["industrial_area_km2"] - area[: n_ind - 1].sum(), 2)
    # Statistics: the demonstration zone and the 36 largest other industrial zones.
    in_stats = np.zeros(n, dtype=int)
    in_stats[0] = 1
    in_stats[1 + np.argsort(-area[1:n_ind], kind="stable")[: FACTS["statistics_zones"] - 1]] = 1
    # Modes: the demonstration zone has its own committee.
    others = (
        ["sanheyi"] * (a["modes_2018"]["sanheyi"] - 1)
        + ["quzheng"] * a["modes_2018"]["quzheng"]
        + ["corporate"] * a["modes_2018"]["corporate"]
    )
    modes = ["sanheyi", *rng.permutation(others).tolist()]
    departments = np.array(
        [
            int(rng.integers(6, 9))
            if m == "sanheyi"
            else (3 if m == "quzheng" else int(rng.integers(2, 4)))
            for m in modes
        ]
    )
    staff = np.array(
        [
            int(rng.integers(55, 120))
            if m == "sanheyi"
            else (int(rng.integers(25, 45)) if m == "quzheng" else int(rng.integers(15, 35)))
            for m in modes
        ]
    )
    staff[0] = FACTS["demo_staff_2018"]
    mode_year = np.where(rng.random(n) < 0.5, 2017.5, 2018.0)
    mode_year[0] = 2017.25
    size_w = area * np.where(np.array(levels) == "national", 1.6, 1.0)
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
    city_counts: dict[str, int] = {}
    ids, names = [], []
    for i in range(n):
        city = CITIES[city_idx[i]]
        city_counts[city] = city_counts.get(city, 0) + 1
        ids.append(f"Z{i + 1:02d}")
        names.append(
            "Transformation Comprehensive Reform Demonstration Zone"
            if i == 0
            else f"{city} {types[i].replace('_', '-')} zone {city_counts[city]}"
        )
    zones = pd.DataFrame(
        {
            "zone_id": ids,
            "name": names,
            "city": [CITIES[c] for c in city_idx],
            "level": levels,
            "type": types,
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
    units = _generate_units(rng, zones)
    return ZoneData(zones=zones, units=units)


def _generate_units(rng: np.random.Generator, zones: pd.DataFrame) -> pd.DataFrame:
    """Generate the 2016 units that merge into the integrated zones."""
    a = ASSUMPTIONS
    rows = []
    # The demonstration zone: 8 units, 5 bodies, 423 staff.
    demo_levels = ["national"] * 4 + ["provincial"] * 3 + ["park"]
    demo_bodies = [1, 2, 3, 4, 5, 5, 5, 5]  # three provincial units and the park share one
    demo_staff_by_body = _split_int(FACTS["demo_staff_2016"], rng.uniform(0.7, 1.3, 5))
    demo_area = _split(rng, a["demo_area_km2"], rng.uniform(0.5, 1.5, 8))
    first_of_body = {b: demo_bodies.index(b) for b in set(demo_bodies)}
    for k in range(8):
        b = demo_bodies[k]
        rows.append(
            {
                "zone_id": "Z01",
                "level": demo_levels[k],
                "body": f"Z01-B{b}",
                "staff": int(demo_staff_by_body[b - 1]) if first_of_body[b] == k else 0,
                "departments": int(rng.integers(8, 13)) if first_of_body[b] == k else 0,
                "area": demo_area[k],
            }
        )
    absorbing = set(
        rng.choice(zones.index[1:59], a["zones_absorbing_parks"], replace=False).tolist()
    )
    for i, z in zones.iloc[1:].iterrows():
        parts = 1 + (int(rng.integers(1, 3)) if i in absorbing else 0)
        w = rng.uniform(0.5, 1.5, parts)
        w[0] += 1.0  # the lead unit is the largest
        areas = _split(rng, z["planned_area_km2"], w)
        for k in range(parts):
            rows.append(
                {
                    "zone_id": z["zone_id"],
                    "level": z["level"] if k == 0 else "park",
                    "body": f"{z['zone_id']}-B{k + 1}",
                    "staff": int(rng.integers(40, 90)) if k == 0 else int(rng.integers(15, 40)),
                    "departments": int(rng.integers(8, 13)) if k == 0 else int(rng.integers(4, 8)),
                    "area": areas[k],
                }
            )
    units = pd.DataFrame(rows)
    units["planned_area_km2"] = units.pop("area").round(3)
    # Area rounding: keep each zone's total exact.
    for zid, grp in units.groupby("zone_id", sort=False):
        target = float(zones.loc[zones["zone_id"] == zid, "planned_area_km2"].iloc[0])
        units.loc[grp.index[0], "planned_area_km2"] = round(
            target - grp["planned_area_km2"].iloc[1:].sum(), 3
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
    units["name"] = [
        f"{zid} unit {k + 1}"
        for zid, k in zip(units["zone_id"], units.groupby("zone_id").cumcount(), strict=True)
    ]
    units = units.rename(columns={"body": "body_id"})
    return units[list(UNIT_COLUMNS)]


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
        ("zones.csv", zones, "mode", MODES_2018),
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


def save(data: ZoneData, directory: str | Path = DATA_DIR) -> None:
    """Write the registry as ``zones.csv`` and ``units_2016.csv``."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    data.zones.to_csv(d / "zones.csv", index=False)
    data.units.to_csv(d / "units_2016.csv", index=False)


def main(argv: list[str] | None = None) -> None:
    """Regenerate the shipped synthetic registry."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DATA_DIR), help="output folder")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    save(generate(args.seed), args.out)


if __name__ == "__main__":
    main()
