"""The run boundary: (parameters, seed, horizon) -> outputs.

Batches, calibration and sensitivity analysis call :func:`simulate` and nothing
else of the model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.core import outputs
from sim.core.model import ZoneReformModel
from sim.core.zonedata import ZoneData

#: Registry year: every run starts from the 2016 units.
FIRST_YEAR = 2016
LAST_YEAR = 2060

#: Annual metrics, in column order after ``year`` (from :mod:`sim.core.outputs`).
METRICS = outputs.ANNUAL_NAMES

SeedLike = int | np.random.SeedSequence


@dataclass
class SimulationResult:
    """Outputs of one run.

    Attributes:
        annual: One row per year: ``year`` then one column per metric in
            :data:`METRICS`.
        zones: One row per zone and year (units before integration): ``year`` then
            the columns of :data:`sim.core.outputs.ZONES`.
        model: The final Mesa model, for inspecting agents.
    """

    annual: pd.DataFrame
    zones: pd.DataFrame
    model: ZoneReformModel


def _check_recorded(rows: list[dict[str, Any]], names: tuple[str, ...], table: str) -> None:
    """Raise unless the model recorded exactly the registered columns, in order."""
    if not rows or tuple(rows[0]) == ("year", *names):
        return
    recorded = set(rows[0]) - {"year"}
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
) -> SimulationResult:
    """Run the model from the 2016 registry to the end of ``end``.

    Args:
        params: Parameter overrides; see ``zonesim params``.
        seed: Integer seed or a :class:`numpy.random.SeedSequence`; the run's only
            source of randomness.
        start: First year reported (the model always starts from 2016).
        end: Last year simulated and reported (inclusive).
        data: Zone registry (default: the shipped one).

    Returns:
        The annual and zone tables and the final model.

    Raises:
        ValueError: If the horizon is invalid.
        sim.core.params.ParameterError: If a parameter is unknown or out of bounds.
    """
    if not FIRST_YEAR <= start <= end <= LAST_YEAR:
        raise ValueError(
            f"horizon: expected {FIRST_YEAR} <= start <= end <= {LAST_YEAR}, got {start}..{end}"
        )
    model = ZoneReformModel(params, rng=np.random.default_rng(seed), data=data)
    for _ in range((end - FIRST_YEAR + 1) * 4):
        model.step()
    _check_recorded(model.annual, METRICS, "annual")
    _check_recorded(model.zone_rows, outputs.ZONE_NAMES, "zone")
    annual = pd.DataFrame(model.annual, columns=["year", *METRICS])
    zones = pd.DataFrame(model.zone_rows, columns=["year", *outputs.ZONE_NAMES])
    annual = annual[annual["year"] >= start].reset_index(drop=True)
    zones = zones[zones["year"] >= start].reset_index(drop=True)
    return SimulationResult(annual=annual, zones=zones, model=model)
