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

from sim.core.model import ZoneReformModel
from sim.core.zonedata import ZoneData

#: Registry year: every run starts from the 2016 units.
FIRST_YEAR = 2016
LAST_YEAR = 2060

#: Annual metrics, in column order after ``year``.
METRICS = (
    "firms",
    "firm_entries",
    "firm_exits",
    "zones_active",
    "stat_zone_gdp",
    "stat_zone_gdp_growth",
    "province_gdp_growth",
    "growth_gap_pp",
    "zone_gdp",
    "firms_in_active_zones",
    "industrial_area_km2",
    "land_used_km2",
    "zones_three_systems",
    "operators",
    "zones_with_operators",
    "staff",
    "bodies",
    "approval_days",
    "delegated_powers",
    "zones_delisted",
    "leadership_changes",
    "national_zones",
    "zones_legacy",
    "zones_sanheyi",
    "zones_quzheng",
    "zones_corporate",
)

SeedLike = int | np.random.SeedSequence


@dataclass
class SimulationResult:
    """Outputs of one run.

    Attributes:
        annual: One row per year: ``year`` then one column per metric in
            :data:`METRICS`.
        zones: One row per zone and year (units before integration).
        model: The final Mesa model, for inspecting agents.
    """

    annual: pd.DataFrame
    zones: pd.DataFrame
    model: ZoneReformModel


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
        sim.params.ParameterError: If a parameter is unknown or out of bounds.
    """
    if not FIRST_YEAR <= start <= end <= LAST_YEAR:
        raise ValueError(
            f"horizon: expected {FIRST_YEAR} <= start <= end <= {LAST_YEAR}, got {start}..{end}"
        )
    model = ZoneReformModel(params, rng=np.random.default_rng(seed), data=data)
    for _ in range((end - FIRST_YEAR + 1) * 4):
        model.step()
    annual = pd.DataFrame(model.annual, columns=["year", *METRICS])
    zones = pd.DataFrame(model.zone_rows)
    annual = annual[annual["year"] >= start].reset_index(drop=True)
    zones = zones[zones["year"] >= start].reset_index(drop=True)
    return SimulationResult(annual=annual, zones=zones, model=model)
