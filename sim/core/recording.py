"""Recording a run's outputs: the zones' accounts of the year and the tables' rows.

:class:`Accounts` sums each zone's value added, entries and exits and the exits by age
band over the year; at year end :class:`Recorder` turns them and the agents' state into
one row of the annual table and one row per located zone of the zone table (the
columns of :mod:`sim.core.outputs`).
"""

from __future__ import annotations

import itertools
from itertools import compress
from operator import and_, attrgetter
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.core import modes
from sim.core import params as registry
from sim.core.firms import kernel
from sim.core.firms.dynamics import EXIT_AGE_EDGES

if TYPE_CHECKING:
    from sim.core.model import ZoneReformModel


def _growth(now: float, before: float) -> float:
    """Growth in percent from ``before`` to ``now`` (0 when there was nothing before)."""
    return 100 * (now / before - 1) if before > 0 else 0.0


class Accounts:
    """Each zone's sums over the year, indexed like ``model.zone_list``.

    Attributes:
        year_va: Value added this year, 亿元.
        prev_va: Value added last year, 亿元.
        entries: Firms that entered this year.
        exits: Firms that exited this year.
        band_exits: Exits this year by age band (:data:`EXIT_AGE_EDGES`), province-wide.
        band_exposure: Firm-years at risk this year by age band, province-wide.
        designated_firms: Firms that joined with designated parks this year.
    """

    def __init__(self, prev_va: np.ndarray) -> None:
        """Start the first year with last year's value added ``prev_va``."""
        n = len(prev_va)
        self.year_va = np.zeros(n)
        self.prev_va = prev_va
        self.entries = np.zeros(n, dtype=np.int64)
        self.exits = np.zeros(n, dtype=np.int64)
        self.band_exits = np.zeros(len(EXIT_AGE_EDGES) + 1)
        self.band_exposure = np.zeros(len(EXIT_AGE_EDGES) + 1)
        self.designated_firms = 0

    def add_zone(self) -> None:
        """Open the accounts of a new zone (all zero)."""
        self.year_va = np.append(self.year_va, 0.0)
        self.prev_va = np.append(self.prev_va, 0.0)
        self.entries = np.append(self.entries, 0)
        self.exits = np.append(self.exits, 0)

    def merge(self, lead: int, other: int) -> None:
        """Move zone ``other``'s sums into zone ``lead``'s."""
        for acc in (self.year_va, self.prev_va, self.entries, self.exits):
            acc[lead] += acc[other]
            acc[other] = 0

    def close_year(self) -> None:
        """This year's value added becomes last year's; every sum restarts at zero."""
        self.prev_va = self.year_va.copy()
        self.year_va[:] = 0
        self.entries[:] = 0
        self.exits[:] = 0
        self.designated_firms = 0
        self.band_exits[:] = 0
        self.band_exposure[:] = 0


#: Zone attributes the tables read, in one pass over the zones a year: (column, attribute).
ZONE_ATTRIBUTES = (
    ("unit", "unit"), ("zone_id", "zone_id"), ("name", "name"), ("name_zh", "name_zh"),
    ("synthetic", "synthetic"), ("city", "city"), ("level", "level"), ("type", "type"),
    ("status", "status"), ("mode", "mode"), ("in_statistics", "in_statistics"),
    ("planned_area_km2", "planned_area"), ("land_used_km2", "land_used"), ("staff", "staff"),
    ("bodies", "bodies"), ("departments", "departments"), ("approval_days", "approval_days"),
    ("effort", "effort"), ("services", "services"), ("environment", "environment"),
    ("powers", "powers"), ("three_systems", "three_systems"), ("operators", "operators"),
    ("unqualified_streak", "unqualified_streak"),
)  # fmt: skip
_READ = attrgetter(*(attr for _, attr in ZONE_ATTRIBUTES))
#: Zone table columns that hold text.
_TEXT = ("unit", "zone_id", "name", "name_zh", "city", "level", "type", "status", "mode")


class Recorder:
    """The annual and zone tables of a run, one row (or one row per zone) a year.

    Attributes:
        annual: One dict per year: ``year`` then the annual outputs.
    """

    def __init__(self) -> None:
        """Start with empty tables."""
        self.annual: list[dict[str, float]] = []
        #: The zone table by year: each year's columns (a list or an array each).
        self._zone_years: list[dict[str, Any]] = []
        #: Zones in the statistics, and the number of units, at the last year end.
        self._covered = np.zeros(0, dtype=np.intp)
        self._units_recorded = 0
        #: The size of the smallest of last year's largest 1 % of firms.
        self._top_size: float | None = None

    @property
    def zone_names(self) -> list[str]:
        """The zone table's column names (none before the first year end)."""
        return list(self._zone_years[0]) if self._zone_years else []

    @property
    def zone_columns(self) -> dict[str, list[Any] | np.ndarray]:
        """The zone table by column (``year`` then the zone outputs).

        One value per located zone and year: text as lists, numbers as arrays.
        """
        years = self._zone_years
        if not years:
            return {}
        columns: dict[str, list[Any] | np.ndarray] = {}
        for name, first in years[0].items():
            parts = [y[name] for y in years]
            if isinstance(first, np.ndarray):
                columns[name] = np.concatenate(parts)
            else:
                values = list(itertools.chain.from_iterable(parts))
                columns[name] = values if name in _TEXT else np.array(values)
        return columns

    @property
    def zone_rows(self) -> list[dict[str, Any]]:
        """The zone table as one dict per located zone and year."""
        columns = self.zone_columns
        names = list(columns)
        values = [c if isinstance(c, list) else c.tolist() for c in columns.values()]
        return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]

    def record(
        self, model: ZoneReformModel, year: int, firms_z: np.ndarray, zone_growth: np.ndarray
    ) -> None:
        """Append ``year``'s annual row and zone rows.

        Args:
            model: The model at the year end, before the assessment and the land ledger.
            year: Calendar year.
            firms_z: Firms by zone.
            zone_growth: Each zone's value-added growth over last year (fraction).
        """
        zl = model.zone_list
        located = [z.status != "merged" for z in zl]
        rows = np.flatnonzero(located)  # the located zones' indices
        # Every attribute of the located zones (units merged into a zone count only for
        # the statistics at fixed boundaries), one tuple per attribute.
        values = zip(*map(_READ, compress(zl, located)), strict=True)
        attrs = dict(zip((c for c, _ in ZONE_ATTRIBUTES), values, strict=True))
        same = np.array([z.in_statistics for z in zl], dtype=bool)
        self.annual.append(self._annual_row(model, year, firms_z, attrs, rows, same))
        self._zone_rows(year, firms_z, zone_growth, model.accounts, attrs, rows)

    def _annual_row(
        self,
        model: ZoneReformModel,
        year: int,
        firms_z: np.ndarray,
        attrs: dict[str, tuple[Any, ...]],
        rows: np.ndarray,
        same: np.ndarray,
    ) -> dict[str, float]:
        """The annual row, from the located zones' (``rows``) attributes ``attrs``."""
        acc = model.accounts
        nz = len(same)
        va, prev = acc.year_va, acc.prev_va
        active = [s == "active" for s in attrs["status"]]
        counted_list = [
            a and lv in ("national", "provincial")
            for a, lv in zip(active, attrs["level"], strict=True)
        ]
        counted = np.zeros(nz, dtype=bool)
        counted[rows] = counted_list
        # Statistics as published: counted zones in the statistics (boundaries change as
        # parks merge in); and the same zones at fixed boundaries (``same``): every unit
        # of a zone in the statistics, whatever its level or status.
        stats = same & counted
        gdp, same_gdp = float(va[stats].sum()), float(va[same].sum())
        zone_gdp = float(va.sum())
        # As reported: this year's total over last year's. Same coverage: the zones in the
        # statistics (the units in the model) in both years, at this year's boundaries.
        if self.annual:
            last = self.annual[-1]
            covered = np.zeros(nz, dtype=bool)
            covered[self._covered] = True
            covered &= stats
            existed = np.arange(nz) < self._units_recorded
            reported, zone_reported = last["stat_zone_gdp"], last["zone_gdp"]
        else:
            covered, existed = stats, np.ones(nz, dtype=bool)
            reported, zone_reported = float(prev[stats].sum()), float(prev.sum())
        self._covered, self._units_recorded = np.flatnonzero(stats), nz
        growth = _growth(gdp, reported)
        same_growth = _growth(same_gdp, float(prev[same].sum()))
        province_gdp = model.rest_gdp + zone_gdp
        size = model.firms.size
        n, total = len(size), float(size.sum())
        top = max(n // 100, 1)
        if n:
            top_sum, self._top_size = kernel.largest(size, top, self._top_size, model.workspace)
            top1 = top_sum / total
        else:
            top1 = 0.0
        largest = float(size.max()) / total if n else 0.0
        g_prov = registry.province_growth(year, model.p)
        area, kind, level = attrs["planned_area_km2"], attrs["type"], attrs["level"]
        industrial = [t == "industrial" for t in kind]
        operators = list(compress(attrs["operators"], counted_list))
        days = attrs["approval_days"]
        modes_counted = list(compress(attrs["mode"], counted_list))
        row: dict[str, float] = {
            "year": year,
            "firms": model.firms.n,
            "firm_entries": int(acc.entries.sum()),
            "firm_exits": int(acc.exits.sum()),
            "firms_designated": acc.designated_firms,
            "zones_active": int(counted.sum()),
            "stat_zone_gdp": gdp,
            "stat_zone_gdp_growth": growth,
            "stat_zone_gdp_same_coverage_growth": _growth(
                float(va[covered].sum()), float(prev[covered].sum())
            ),
            "province_gdp_growth": g_prov,
            "growth_gap_pp": growth - g_prov,
            "stat_zone_gdp_same_zones": same_gdp,
            "stat_zone_gdp_same_zones_growth": same_growth,
            "zone_gdp": zone_gdp,
            "zone_gdp_growth": _growth(zone_gdp, zone_reported),
            "zone_gdp_same_coverage_growth": _growth(
                float(va[existed].sum()), float(prev[existed].sum())
            ),
            "zone_growth_gap_pp": _growth(zone_gdp, zone_reported) - g_prov,
            "province_gdp": province_gdp,
            "rest_gdp": model.rest_gdp,
            "zone_gdp_share": zone_gdp / province_gdp if province_gdp > 0 else 0.0,
            "firms_in_active_zones": int(firms_z[counted].sum()),
            "industrial_area_km2": sum(compress(area, map(and_, counted_list, industrial))),
            "land_used_km2": float(model.firms.land.sum()),
            "land_designated_km2": sum(compress(area, industrial)),
            "land_cap_km2": max(model.province.land_cap, model.designated_2016),
            "zones_three_systems": sum(compress(attrs["three_systems"], counted_list)),
            "operators": sum(map(len, operators)),
            "zones_with_operators": sum(map(bool, operators)),
            "staff": sum(compress(attrs["staff"], active)),
            "bodies": sum(compress(attrs["bodies"], active)),
            "approval_days": float(np.mean(list(compress(days, counted_list)))),
            "approval_days_territory": float(np.average(np.array(days), weights=np.array(area))),
            "delegated_powers": float(sum(compress(attrs["powers"], counted_list))),
            "zones_delisted": len(model.province.delisted),
            "leadership_changes": len(model.province.leadership_changes),
            "national_zones": sum(lv == "national" for lv in compress(level, counted_list)),
            "top1_share": top1,
            "largest_firm_share": largest,
        }
        rates = acc.band_exits / np.maximum(acc.band_exposure, 1e-12)
        for name, k in (("0_1", 0), ("2_7", 2), ("7_up", 3)):
            row[f"exit_rate_age_{name}"] = float(rates[k]) if acc.band_exposure[k] else 0.0
        for m in modes.MODE_NAMES:
            row[f"zones_{m}"] = modes_counted.count(m)
        return row

    def _zone_rows(
        self,
        year: int,
        firms_z: np.ndarray,
        zone_growth: np.ndarray,
        acc: Accounts,
        attrs: dict[str, tuple[Any, ...]],
        rows: np.ndarray,
    ) -> None:
        """The zone rows: ``attrs`` of the located zones ``rows``."""
        columns: dict[str, Any] = {"year": np.full(len(rows), year, dtype=np.int64)}
        for name, values in attrs.items():
            if name == "planned_area_km2":  # the accounts' columns come before it
                columns["firms"] = firms_z[rows]
                columns["entries"] = acc.entries[rows]
                columns["exits"] = acc.exits[rows]
                columns["gdp"] = acc.year_va[rows]
                columns["gdp_growth"] = 100 * zone_growth[rows]
            columns[name] = list(map(len, values)) if name == "operators" else list(values)
        self._zone_years.append(columns)
