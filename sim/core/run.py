"""The run boundary: (parameters, seed, horizon) -> outputs.

Batches, calibration and sensitivity analysis call :func:`simulate` and nothing
else of the model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.core import outputs
from sim.core.firms import ORIGINS, SECTORS
from sim.core.model import ZoneReformModel
from sim.core.zonedata import ZoneData

#: Registry year: every run starts from the 2016 units.
FIRST_YEAR = 2016
LAST_YEAR = 2060

#: Annual metrics, in column order after ``year`` (from :mod:`sim.core.outputs`).
METRICS = outputs.ANNUAL_NAMES

#: Columns of the firm table (see :func:`simulate`'s ``firm_years``).
FIRM_COLUMNS = (
    "year", "firm_id", "zone_id", "unit", "sector", "size", "land", "birth", "origin",
)  # fmt: skip

SeedLike = int | np.random.SeedSequence


@dataclass
class SimulationResult:
    """Outputs of one run.

    Attributes:
        annual: One row per year: ``year`` then one column per metric in
            :data:`METRICS`.
        zones: One row per zone and year (units before integration): ``year`` then
            the columns of :data:`sim.core.outputs.ZONES` (none when not asked for).
        model: The final Mesa model, for inspecting agents.
        firms: One row per living firm at the end of each year asked for with
            ``firm_years`` (columns :data:`FIRM_COLUMNS`); empty otherwise.
    """

    annual: pd.DataFrame
    zones: pd.DataFrame
    model: ZoneReformModel
    firms: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(FIRM_COLUMNS)))


def _check_recorded(columns: Iterable[str], names: tuple[str, ...], table: str) -> None:
    """Raise unless the model recorded exactly the registered columns, in order."""
    columns = tuple(columns)
    if not columns or columns == ("year", *names):
        return
    recorded = set(columns) - {"year"}
    raise RuntimeError(
        f"{table} table: recorded columns differ from sim.core.outputs: unregistered "
        f"{sorted(recorded - set(names))}, missing {sorted(set(names) - recorded)}, "
        "or a different order"
    )


def simulate(
    params: Mapping[str, Any] | None = None,
    *,
    seed: SeedLike,
    start: int = FIRST_YEAR,
    end: int = 2035,
    data: ZoneData | None = None,
    firm_years: Iterable[int] = (),
    zones: bool = True,
) -> SimulationResult:
    """Run the model from the 2016 registry to the end of ``end``.

    Args:
        params: Parameter overrides; see ``zonesim params``.
        seed: Integer seed or a :class:`numpy.random.SeedSequence`; the run's only
            source of randomness.
        start: First year reported (the model always starts from 2016).
        end: Last year simulated and reported (inclusive).
        data: Zone registry (default: the shipped one).
        firm_years: Years at whose end every living firm is recorded in
            ``.firms``; reading the firms takes no random draw, so the other
            outputs are the same with or without them.
        zones: Whether to build the zone table (``.zones`` is empty otherwise); the
            other outputs are the same either way.

    Returns:
        The annual, zone and firm tables and the final model.

    Raises:
        ValueError: If the horizon is invalid or a firm year lies outside it.
        sim.core.params.ParameterError: If a parameter is unknown or out of bounds.
    """
    if not FIRST_YEAR <= start <= end <= LAST_YEAR:
        raise ValueError(
            f"horizon: expected {FIRST_YEAR} <= start <= end <= {LAST_YEAR}, got {start}..{end}"
        )
    snap_years = sorted({int(y) for y in firm_years})
    if snap_years and not start <= snap_years[0] <= snap_years[-1] <= end:
        raise ValueError(f"firm_years: expected years within {start}..{end}, got {snap_years}")
    model = ZoneReformModel(params, rng=np.random.default_rng(seed), data=data)
    snapshots = []
    for _ in range((end - FIRST_YEAR + 1) * 4):
        model.step()
        if model.quarter % 4 == 0 and model.year - 1 in snap_years:
            snapshots.append(_firm_table(model, model.year - 1))
    _check_recorded(model.annual[0] if model.annual else (), METRICS, "annual")
    _check_recorded(model.recorder.zone_names, outputs.ZONE_NAMES, "zone")
    names = ["year", *METRICS]
    annual = pd.DataFrame({c: np.array([row[c] for row in model.annual]) for c in names})
    zone_names = ["year", *outputs.ZONE_NAMES]
    table = pd.DataFrame(model.recorder.zone_columns if zones else {}, columns=zone_names)
    if start > FIRST_YEAR:
        annual = annual[annual["year"] >= start].reset_index(drop=True)
        table = table[table["year"] >= start].reset_index(drop=True)
    result = SimulationResult(annual=annual, zones=table, model=model)
    if snapshots:
        result.firms = pd.concat(snapshots, ignore_index=True)
    return result


def _firm_table(model: ZoneReformModel, year: int) -> pd.DataFrame:
    """Every living firm at the end of ``year``: one row each, :data:`FIRM_COLUMNS`."""
    pop, zl = model.firms, model.zone_list
    zone = pop.zone
    return pd.DataFrame(
        {
            "year": np.full(pop.n, year, dtype=np.int64),
            "firm_id": pop.firm_id.copy(),
            "zone_id": np.array([z.zone_id for z in zl], dtype=object)[zone],
            "unit": np.array([z.unit for z in zl], dtype=object)[zone],
            "sector": np.array(SECTORS, dtype=object)[pop.sector],
            "size": pop.size.copy(),
            "land": pop.land.copy(),
            "birth": pop.birth.copy(),
            "origin": np.array(ORIGINS, dtype=object)[pop.origin],
        }
    )
