"""Firms enter: the 2016 firms, investment projects and start-ups, designated parks' firms.

Investment projects choose a zone (or none) by a discrete choice, start-ups come from a
province-wide pool on free zone land, and both must fit on the zone's free land
(:func:`enter`, every quarter); the 2016 firms and the firms of a park designated as a
zone are drawn to match a given value added (:func:`add_established`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from sim.core import params as registry
from sim.core.firms import kernel
from sim.core.firms.population import ORIGINS

if TYPE_CHECKING:
    from sim.core.model import ZoneReformModel

#: Largest share of a unit's planned area its initial firms may occupy.
INITIAL_LAND_MAX = 0.85


def reed_sizes(rng: np.random.Generator, n: int, body_sd: float, alpha: float) -> np.ndarray:
    """Firm sizes with a lognormal body and a Pareto upper tail (Reed's product).

    ``LogNormal(0, body_sd) * (1 + Lomax(alpha))``: the product keeps the Pareto
    factor's counter-cumulative tail exponent ``alpha``.
    """
    return rng.lognormal(0.0, body_sd, n) * (1.0 + rng.pareto(alpha, n))


def reed_mean(body_sd: float, alpha: float) -> float:
    """Mean of :func:`reed_sizes` (``alpha`` > 1)."""
    return math.exp(0.5 * body_sd**2) * alpha / (alpha - 1.0)


def startup_intensity(
    free_km2: np.ndarray, environment: np.ndarray, params: Mapping[str, float]
) -> np.ndarray:
    """Expected start-ups per quarter in each zone: a pool on free land, by environment.

    ``startup_density / 4 * free * exp(beta_env_startup * environment)``: no term in a
    zone's own firm stock, so entry does not compound.
    """
    return (
        params["startup_density"] / 4 * free_km2 * np.exp(params["beta_env_startup"] * environment)
    )


def add_established(
    model: ZoneReformModel,
    rng: np.random.Generator,
    zones: np.ndarray,
    counts: np.ndarray,
    value_added: np.ndarray,
    area: np.ndarray,
    origin: int,
) -> np.ndarray:
    """Add the established firms of some zones, sized to their value added exactly.

    Sizes are Reed draws (lognormal body, Pareto tail ``size_tail_alpha``) scaled so
    that each zone's firms add up to its value added; their land fills at most
    :data:`INITIAL_LAND_MAX` of the zone's planned area; ages are exponential (mean
    8 years).

    Args:
        model: The model whose population receives the firms.
        rng: Random stream.
        zones: Zone indices.
        counts: Firms in each zone.
        value_added: Each zone's value added, 亿元 per year.
        area: Each zone's planned area, km2.
        origin: Index into :data:`sim.core.firms.ORIGINS`.

    Returns:
        The new firms' ids.
    """
    p = model.p
    k = len(zones)
    local = np.repeat(np.arange(k, dtype=np.intp), counts)
    n = len(local)
    raw = reed_sizes(rng, n, p["entrant_size_sd"], p["size_tail_alpha"])
    unit_raw = np.bincount(local, weights=raw, minlength=k)
    size = raw * (value_added / np.maximum(unit_raw, 1e-300))[local]
    land_sd = p["land_sd"]
    land = p["land_per_firm"] * rng.lognormal(-0.5 * land_sd**2, land_sd, n)
    unit_land = np.bincount(local, weights=land, minlength=k)
    cap = INITIAL_LAND_MAX * area
    land *= np.minimum(1.0, cap / np.maximum(unit_land, 1e-12))[local]
    age = rng.exponential(8.0, n)
    # Sectors in the province's shares (as ``rng.choice(sectors, n, p=shares)`` draws them).
    cdf = model.sector_shares.cumsum()
    cdf /= cdf[-1]
    return model.firms.add(
        zone=zones[local],
        sector=kernel.categories(rng.random(n), cdf),
        size=size,
        level=np.zeros(n),
        birth=model.now - age,
        land=land,
        origin=np.full(n, origin, dtype=np.int8),
    )


def enter(model: ZoneReformModel, za: kernel.ZoneArrays) -> None:
    """Investment projects choose a zone (or none); start-ups; land check.

    Projects: a discrete choice in which reforms act through services, effort,
    marketing and (weakly) approval time; a faster approval raises a project's size
    (investment realised) rather than the count, by ``approval_investment`` times the
    share of the legacy approval time removed, in logs. Start-ups: a province-wide pool on
    free zone land, drawn by the business environment (:func:`startup_intensity`).
    Entries are counted by zone in ``model.accounts.entries``.
    """
    p, pop = model.p, model.firms
    nz = len(model.zone_list)
    choice = kernel.Choice(*(p[f] for f in kernel.Choice._fields))
    census = pop.census if pop.census is not None and len(pop.census[0]) == nz else None
    free, prob, lam, cdf, speed, stock = kernel.entry_choice(
        pop.zone, pop.sector, pop.land, census, za, choice, model.sector_shares
    )
    pop.counts = stock
    # Start-ups by zone and projects by zone and sector: independent Poisson counts
    # (a Poisson number of projects per sector, each choosing a zone with `prob`),
    # counter-based by cell.
    pace = registry.province_growth(model.year, p) / registry.REFERENCE_GROWTH
    flow = p["projects_per_year"] / 4 * pace * model.sector_shares
    means = np.concatenate([lam, (flow[:, None] * prob[:, 1:]).ravel()])
    counts = kernel.poisson_counts(model.keys("entry", 1)[0], means)
    starts, alloc = counts[:nz], counts[nz:].reshape(len(flow), nz)
    n_starts, n_projects = int(starts.sum()), int(alloc.sum())
    k = n_projects + n_starts
    if k == 0:
        return
    # Land (lognormal, mean land_per_firm), the size's lognormal body and Pareto factor,
    # and a start-up's sector draw (its sector follows the zone's mix, the province's in
    # an empty zone): counter-based draws of the candidates in the order of entry.
    sd, alpha = p["entrant_size_sd"], p["entrant_tail_alpha"]
    draws = kernel.Draws(p["land_per_firm"], p["land_sd"], sd, alpha)
    land, raw, u_sector = kernel.entrant_draws(model.keys("entrants", 4), k, n_starts, draws)
    # Entrant size follows the economy, not the incumbents: 2016's mean firm scaled by
    # the province's real GDP since, times a Reed draw (mean 1) truncated at
    # `entrant_size_cap` times the mean. Projects gain from faster approvals in
    # proportion to the share of the legacy wait removed (a wait costs a project in
    # proportion to its length): at most `approval_investment` in logs, reached
    # only if the whole wait goes, however the cuts compound.
    mean_raw = reed_mean(sd, alpha)
    np.minimum(raw, p["entrant_size_cap"] * mean_raw, out=raw)
    size = p["entrant_size"] * model.size_2016 * model.gdp_index / mean_raw * raw
    gain = np.exp(p["approval_investment"] * (1 - 1 / speed))  # 1 - 1 / speed: the wait cut
    # Land check: entrants take free land in order; those that do not fit leave.
    new = kernel.place_entrants(alloc, starts, cdf, u_sector, land, free, size, gain, stock)
    n = len(new.zone)
    origin = np.full(n, ORIGINS.index("startup"), dtype=np.int8)
    origin[: new.projects] = ORIGINS.index("project")
    pop.add(
        zone=new.zone,
        sector=new.sector,
        size=new.size,
        level=0.0,
        birth=model.now,
        land=new.land,
        origin=origin,
    )
    pop.counts = stock  # every firm now: the census's and the entrants
    model.accounts.entries += new.entries
