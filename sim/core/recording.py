"""Recording a run's outputs: the zones' accounts of the year and the tables' rows.

:class:`Accounts` sums each zone's value added, entries and exits and the exits by age
band over the year; at year end :class:`Recorder` turns them and the agents' state into
one row of the annual table and one row per located zone of the zone table (the
columns of :mod:`sim.core.outputs`).
"""

from __future__ import annotations

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


class Recorder:
    """The annual and zone tables of a run, one row (or one row per zone) a year.

    Attributes:
        annual: One dict per year: ``year`` then the annual outputs.
        zone_columns: The zone table by column (``year`` then the zone outputs), one
            value per located zone and year.
    """

    def __init__(self) -> None:
        """Start with empty tables."""
        self.annual: list[dict[str, float]] = []
        self.zone_columns: dict[str, list[Any]] = {}
        #: Zones in the statistics, and the number of units, at the last year end.
        self._covered = np.zeros(0, dtype=np.intp)
        self._units_recorded = 0
        #: The size of the smallest of last year's largest 1 % of firms.
        self._top_size: float | None = None

    @property
    def zone_rows(self) -> list[dict[str, Any]]:
        """The zone table as one dict per located zone and year."""
        names, columns = list(self.zone_columns), self.zone_columns.values()
        return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]

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
        self.annual.append(self._annual_row(model, year, firms_z))
        self._zone_rows(model, year, firms_z, zone_growth)

    def _annual_row(
        self, model: ZoneReformModel, year: int, firms_z: np.ndarray
    ) -> dict[str, float]:
        zl, acc = model.zone_list, model.accounts
        va, prev = acc.year_va, acc.prev_va
        # Statistics as published: counted zones in the statistics (boundaries change as
        # parks merge in); and the same zones at fixed boundaries: every unit of a zone
        # in the statistics, whatever its level or status.
        stats = np.array([z.in_statistics and z.counted for z in zl])
        same = np.array([z.in_statistics for z in zl])
        gdp, same_gdp = float(va[stats].sum()), float(va[same].sum())
        zone_gdp = float(va.sum())
        # As reported: this year's total over last year's. Same coverage: the zones in the
        # statistics (the units in the model) in both years, at this year's boundaries.
        if self.annual:
            last = self.annual[-1]
            covered = np.zeros(len(zl), dtype=bool)
            covered[self._covered] = True
            covered &= stats
            existed = np.arange(len(zl)) < self._units_recorded
            reported, zone_reported = last["stat_zone_gdp"], last["zone_gdp"]
        else:
            covered, existed = stats, np.ones(len(zl), dtype=bool)
            reported, zone_reported = float(prev[stats].sum()), float(prev.sum())
        self._covered, self._units_recorded = np.flatnonzero(stats), len(zl)
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
        counted = [z for z in zl if z.counted]
        active = [z for z in zl if z.status == "active"]
        g_prov = registry.province_growth(year, model.p)
        ops = [o for z in counted for o in z.operators]
        row: dict[str, float] = {
            "year": year,
            "firms": model.firms.n,
            "firm_entries": int(acc.entries.sum()),
            "firm_exits": int(acc.exits.sum()),
            "firms_designated": acc.designated_firms,
            "zones_active": len(counted),
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
            "firms_in_active_zones": int(sum(firms_z[z.index] for z in counted)),
            "industrial_area_km2": model.industrial_area(),
            "land_used_km2": float(model.firms.land.sum()),
            "land_designated_km2": model.designated(),
            "land_cap_km2": max(model.province.land_cap, model.designated_2016),
            "zones_three_systems": sum(z.three_systems for z in counted),
            "operators": len(ops),
            "zones_with_operators": sum(bool(z.operators) for z in counted),
            "staff": sum(z.staff for z in active),
            "bodies": sum(z.bodies for z in active),
            "approval_days": float(np.mean([z.approval_days for z in counted])),
            "approval_days_territory": float(
                np.average(
                    [z.approval_days for z in zl if z.located],
                    weights=[z.planned_area for z in zl if z.located],
                )
            ),
            "delegated_powers": float(sum(z.powers for z in counted)),
            "zones_delisted": len(model.province.delisted),
            "leadership_changes": len(model.province.leadership_changes),
            "national_zones": sum(z.level == "national" for z in counted),
            "top1_share": top1,
            "largest_firm_share": largest,
        }
        rates = acc.band_exits / np.maximum(acc.band_exposure, 1e-12)
        for name, k in (("0_1", 0), ("2_7", 2), ("7_up", 3)):
            row[f"exit_rate_age_{name}"] = float(rates[k]) if acc.band_exposure[k] else 0.0
        for m in modes.MODE_NAMES:
            row[f"zones_{m}"] = sum(z.mode == m for z in counted)
        return row

    def _zone_rows(
        self, model: ZoneReformModel, year: int, firms_z: np.ndarray, zone_growth: np.ndarray
    ) -> None:
        acc = model.accounts
        zones = [z for z in model.zone_list if z.located]
        idx = np.array([z.index for z in zones], dtype=np.intp)
        columns: dict[str, list[Any]] = {
            "year": [year] * len(zones),
            "unit": [z.unit for z in zones],
            "zone_id": [z.zone_id for z in zones],
            "name": [z.name for z in zones],
            "name_zh": [z.name_zh for z in zones],
            "synthetic": [z.synthetic for z in zones],
            "city": [z.city for z in zones],
            "level": [z.level for z in zones],
            "type": [z.type for z in zones],
            "status": [z.status for z in zones],
            "mode": [z.mode for z in zones],
            "in_statistics": [bool(z.in_statistics) for z in zones],
            "firms": firms_z[idx].tolist(),
            "entries": acc.entries[idx].tolist(),
            "exits": acc.exits[idx].tolist(),
            "gdp": acc.year_va[idx].tolist(),
            "gdp_growth": (100 * zone_growth[idx]).tolist(),
            "planned_area_km2": [z.planned_area for z in zones],
            "land_used_km2": [z.land_used for z in zones],
            "staff": [z.staff for z in zones],
            "bodies": [z.bodies for z in zones],
            "departments": [z.departments for z in zones],
            "approval_days": [z.approval_days for z in zones],
            "effort": [z.effort for z in zones],
            "services": [z.services for z in zones],
            "environment": [z.environment for z in zones],
            "powers": [z.powers for z in zones],
            "three_systems": [z.three_systems for z in zones],
            "operators": [len(z.operators) for z in zones],
            "unqualified_streak": [z.unqualified_streak for z in zones],
        }
        for name, values in columns.items():
            self.zone_columns.setdefault(name, []).extend(values)
