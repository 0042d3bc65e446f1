"""Firms grow and exit: one pass of the compiled kernel over every firm each quarter.

Growth is Gibrat's law with the province's trend, the zones' fading premium, a
productivity level that adjusts towards the zone's target, young firms' catch-up and
Laplace shocks whose scale falls with size; exit follows a hazard that falls with size,
rises and falls with age and rises with the business environment
(:func:`log_exit_hazard`). :func:`grow_and_exit` runs both in one pass of
:func:`sim.core.firms.kernel.firm_dynamics`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from sim.core import params as registry
from sim.core.firms import kernel
from sim.core.firms.population import SECTORS

if TYPE_CHECKING:
    from sim.core.model import ZoneReformModel

#: Age bands of the recorded exit rates, years: [0, 1), [1, 2), [2, 7) and 7 or more (the
#: founding year, the second, the peak years 3-7 and later, as in SAIC 2013).
EXIT_AGE_EDGES = kernel.AGE_EDGES
#: Largest factor by which a small firm's shock scale exceeds the median firm's.
SHOCK_SCALE_MAX = kernel.SHOCK_SCALE_MAX


def log_exit_hazard(
    log_rel_size: np.ndarray,
    age: np.ndarray,
    environment: np.ndarray,
    params: Mapping[str, float],
) -> np.ndarray:
    """Log of the quarterly exit hazard of firms.

    ``h = exit_hazard/4 * (1 + exit_churn * env) * rel_size^(-exit_size_elasticity)
    * (1 + (exit_young_factor - 1) * (age / a) * exp(1 - age / a))`` with
    ``a = exit_age_scale`` and ``rel_size`` the size relative to the median firm: the
    hazard falls with size; with age it rises from the mature level at birth to
    ``exit_young_factor`` times it at age ``a`` and falls back (the liability of
    adolescence: a new firm's initial endowment carries it through its first years;
    SAIC 2013 finds Chinese firms' hazard highest in their third year); a better
    environment raises it (churn: selection at the bottom).

    Args:
        log_rel_size: Log of each firm's size relative to the median firm.
        age: Each firm's age, years.
        environment: Business-environment index of each firm's zone.
        params: Resolved parameters.
    """
    rel_age = age / params["exit_age_scale"]
    young = rel_age * np.exp(1 - rel_age)
    young *= params["exit_young_factor"] - 1
    out = np.log1p(young, out=young)
    out -= params["exit_size_elasticity"] * log_rel_size
    out += np.log(params["exit_hazard"] / 4 * (1 + params["exit_churn"] * environment))
    return out


def grow_and_exit(model: ZoneReformModel, za: kernel.ZoneArrays) -> None:
    """Growth and exit of every firm: one pass of :func:`sim.core.firms.kernel.firm_dynamics`.

    Adds the quarter's value added, exits and age-band exposure to ``model.accounts``
    and advances the province's real GDP index by the quarter's growth.
    """
    p, pop, acc = model.p, model.firms, model.accounts
    n = pop.n
    g_prov = registry.province_growth(model.year, p)
    if n:
        # Productivity level: partial adjustment towards a level target. Firms already
        # in place when the reform starts get `incumbent_level_share` of it (levels,
        # not a permanent growth premium; net entry carries most of the reform).
        env = za.environment
        target = p["reform_level_effect"] * env - p["delisting_tfp_loss"] * za.delisted
        # Gibrat with Laplace shocks whose scale falls with size relative to the median
        # firm (one O(n) selection per quarter); exit by an Exp(1) clock below the
        # quarter's hazard (see `log_exit_hazard`).
        model.median_size = kernel.order_statistic(
            pop.size, n // 2, model.median_size, model.workspace
        )
        growth_key, exit_key = model.keys("dynamics", 2)
        q = kernel.Quarter(
            now=model.now,
            incumbent_before=p["integration_year"],
            incumbent_share=p["incumbent_level_share"],
            kappa=1 - math.exp(-p["level_convergence"] / 4),
            log_median=math.log(model.median_size),
            shock_elasticity=p["shock_size_elasticity"],
            shock_k=p["shock_scale"] / (2 * math.sqrt(2)),
            young_years=p["young_years"],
            young_step=p["young_growth"] / 4,
            drift=(math.log1p(g_prov / 100) + math.log1p(model.premium_pp() / 100)) / 4,
            size_elasticity=p["exit_size_elasticity"],
            inv_age_scale=1 / p["exit_age_scale"],
            young_excess=p["exit_young_factor"] - 1,
            growth_key=growth_key,
            exit_key=exit_key,
        )
        hazard0 = p["exit_hazard"] / 4 * (1 + p["exit_churn"] * env)
        # Firms by zone and sector, as entry left them (counted afresh without them).
        counts, shape = pop.counts, (len(target), len(SECTORS))
        if counts is None or counts.shape != shape:
            counts = kernel.zone_census(pop.zone, pop.sector, pop.land, *shape)[1]
        dead, va, exits, bands, census = kernel.firm_dynamics(
            pop.zone,
            pop.size,
            pop.log_size,
            pop.level,
            pop.birth,
            pop.firm_id,
            target,
            hazard0,
            q,
            model.workspace,
            pop.sector,
            pop.land,
            counts,
        )
        acc.exits += exits
        acc.band_exposure += bands[0] / 4
        acc.band_exits += bands[1]
        acc.year_va += va / 4
        pop.remove(dead)
        pop.census, pop.counts = census, census[1]
    model.gdp_index *= (1 + g_prov / 100) ** 0.25
