"""Entry's kernels: the census of the zones, the entrants' choice, and the land check."""

from __future__ import annotations

from typing import NamedTuple, cast

import numba
import numpy as np

from sim.core.compiled import JIT
from sim.core.firms.kernel.base import (
    ZoneArrays,
    _exp,
    _log,
    _sincos_turns,
    _sqrt,
    _uniform,
    current,
    uniforms,
)
from sim.core.firms.kernel.dynamics import _census_kernel, _census_numpy


# ---------------------------------------------------------------- entry
class Choice(NamedTuple):
    """The parameters of entry's choice (see ``sim.core.firms.entry.enter``)."""

    approval_days_legacy: float
    beta_approval: float
    beta_services: float
    beta_effort: float
    beta_national: float
    beta_land: float
    beta_agglomeration: float
    outside_utility: float
    startup_density: float
    beta_env_startup: float


def _weighted_log_numpy(weight: float, x: np.ndarray) -> np.ndarray:
    """``weight * log(x)``, where a term weighted 0 adds nothing (not ``0 * -inf``)."""
    return weight * np.log(x) if weight != 0.0 else np.zeros_like(x)


@numba.njit(**JIT)
def _weighted_log(weight: float, x: float) -> float:  # pragma: no cover - compiled
    return weight * np.log(x) if weight != 0.0 else 0.0


def _choice_numpy(
    zone: np.ndarray, sector: np.ndarray, land: np.ndarray, fresh: bool, used: np.ndarray,
    counts: np.ndarray, za: ZoneArrays, c: Choice, shares: np.ndarray, free: np.ndarray,
    prob: np.ndarray, lam: np.ndarray, cdf: np.ndarray, speed: np.ndarray, log1p: np.ndarray,
) -> None:  # fmt: skip
    if fresh:
        _census_numpy(zone, sector, land, used, counts)
    ns = len(shares)
    free[:] = np.maximum(za.planned - used, 0.0)
    speed[:] = c.approval_days_legacy / za.days
    with np.errstate(divide="ignore"):
        base = (
            _weighted_log_numpy(c.beta_approval, speed)
            + c.beta_services * za.services
            + _weighted_log_numpy(c.beta_effort, za.effort)
            + c.beta_national * za.national
            + za.marketing
            + _weighted_log_numpy(c.beta_land, free / np.maximum(za.planned, 1e-12))
        )
    base[~za.located] = -np.inf
    util = base[:, None] + c.beta_agglomeration * np.log1p(counts)
    util = np.vstack([np.full(ns, c.outside_utility), util])  # row 0: no zone
    p = np.exp(util - util.max(axis=0))
    prob[:] = (p / p.sum(axis=0)).T
    lam[:] = c.startup_density / 4 * free * np.exp(c.beta_env_startup * za.environment)
    lam[~za.located] = 0.0
    mix = np.where(counts.sum(axis=1)[:, None] > 0, counts, shares[None, :])
    cdf[:] = np.cumsum(mix, axis=1) / mix.sum(axis=1)[:, None]


@numba.njit(**JIT)
def _choice_kernel(
    zone: np.ndarray, sector: np.ndarray, land: np.ndarray, fresh: bool, used: np.ndarray,
    counts: np.ndarray, za: ZoneArrays, c: Choice, shares: np.ndarray, free: np.ndarray,
    prob: np.ndarray, lam: np.ndarray, cdf: np.ndarray, speed: np.ndarray, log1p: np.ndarray,
) -> None:  # fmt: skip  # pragma: no cover - compiled
    if fresh:
        _census_kernel(zone, sector, land, used, counts)
    nz, ns = len(free), len(shares)
    base = np.empty(nz)
    for z in range(nz):
        free[z] = max(za.planned[z] - used[z], 0.0)
        speed[z] = c.approval_days_legacy / za.days[z]
        base[z] = (
            _weighted_log(c.beta_approval, speed[z])
            + c.beta_services * za.services[z]
            + _weighted_log(c.beta_effort, za.effort[z])
            + c.beta_national * za.national[z]
            + za.marketing[z]
            + _weighted_log(c.beta_land, free[z] / max(za.planned[z], 1e-12))
        )
        lam[z] = c.startup_density / 4 * free[z] * np.exp(c.beta_env_startup * za.environment[z])
        if not za.located[z]:
            base[z] = -np.inf
            lam[z] = 0.0
    util = np.empty(nz + 1)
    for s in range(ns):
        util[0] = c.outside_utility
        top = util[0]
        for z in range(nz):
            n = counts[z, s]  # a whole number: log1p(n) from the table when it is there
            k = int(n) if n < log1p.shape[0] else -1
            util[z + 1] = base[z] + c.beta_agglomeration * (
                log1p[k] if k >= 0 and k == n else np.log1p(n)
            )
            top = max(top, util[z + 1])
        total = 0.0
        for z in range(nz + 1):
            util[z] = 0.0 if util[z] == -np.inf else np.exp(util[z] - top)
            total += util[z]
        for z in range(nz + 1):
            prob[s, z] = util[z] / total
    for z in range(nz):
        firms = 0.0
        for s in range(ns):
            firms += counts[z, s]
        row = counts[z] if firms > 0 else shares
        total = 0.0
        for s in range(ns):
            total += row[s]
        acc = 0.0
        for s in range(ns):
            acc += row[s]
            cdf[z, s] = acc / total


def entry_choice(
    zone: np.ndarray,
    sector: np.ndarray,
    land: np.ndarray,
    census: tuple[np.ndarray, np.ndarray] | None,
    za: ZoneArrays,
    c: Choice,
    shares: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Free land and the entrants' choice probabilities, from the zones' census.

    ``census`` is the land in use by zone and the firms by zone and sector as
    :func:`firm_dynamics` left them; without it (``None``) they are counted from the
    firms' ``zone``, ``sector`` and ``land`` first (as :func:`zone_census` does).

    A project of sector ``s`` chooses zone ``z`` (or none, row 0) by a multinomial
    logit: utility ``beta_approval log(speed) + beta_services services + beta_effort
    log(effort) + beta_national national + marketing + beta_land log(free / planned) +
    beta_agglomeration log(1 + firms of s in z)`` (``-inf`` where no firm can locate),
    against ``outside_utility``, with ``speed = approval_days_legacy / days``; a log term
    weighted 0 adds nothing, so that a zone with no free land (or no effort) stays open to
    choice when its weight is 0 (the land check then turns the entrants away). Start-ups
    come at the rate ``startup_density / 4 * free * exp(beta_env_startup *
    environment)`` (``sim.core.firms.startup_intensity``) with the sectors of the zone's firms
    (the province's ``shares`` in an empty zone).

    Returns:
        Free land by zone, the choice probabilities (sectors x (1 + zones)), the
        start-up rates by zone, the cumulative sector shares of start-ups (zones x
        sectors), the approval speed by zone and the census's firms by zone and sector
        (``census[1]`` itself when given).
    """
    nz, ns = len(za.planned), len(shares)
    free, lam, speed = np.empty(nz), np.empty(nz), np.empty(nz)
    prob, cdf = np.empty((ns, nz + 1)), np.empty((nz, ns))
    fresh = census is None
    used, counts = (
        (np.zeros(nz), np.zeros((nz, ns)))
        if fresh
        else cast("tuple[np.ndarray, np.ndarray]", census)  # not None: fresh is False
    )
    impl = _choice_kernel if current() == "numba" else _choice_numpy
    impl(
        zone, sector, land, fresh, used, counts, za, c, shares, free, prob, lam, cdf, speed,
        _log1p_table(),
    )  # fmt: skip
    return free, prob, lam, cdf, speed, counts


@numba.njit(**JIT)
def _log1p_kernel(n: int) -> np.ndarray:  # pragma: no cover - compiled
    out = np.empty(n)
    for k in range(n):
        out[k] = np.log1p(np.float64(k))
    return out


_LOG1P: list[np.ndarray] = []


def _log1p_table() -> np.ndarray:
    """``log1p(k)`` for the firm counts ``k < 4096``, as the choice kernel computes it."""
    if not _LOG1P:
        _LOG1P.append(_log1p_kernel(4096))
    return _LOG1P[0]


class Entrants(NamedTuple):
    """The entrants that find free land, in order (see :func:`place_entrants`)."""

    zone: np.ndarray
    sector: np.ndarray
    size: np.ndarray
    land: np.ndarray
    projects: int  # the first `projects` are investment projects, the rest start-ups
    entries: np.ndarray  # by zone


def _place_numpy(
    alloc: np.ndarray, starts: np.ndarray, cdf: np.ndarray, u_sector: np.ndarray,
    land: np.ndarray, free: np.ndarray, size: np.ndarray, gain: np.ndarray,
    out: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], entries: np.ndarray,
    counts: np.ndarray,
) -> tuple[int, int]:  # fmt: skip
    alloc = alloc.T  # zones x sectors
    nz, ns = alloc.shape
    flat = alloc.ravel()
    n_projects = int(flat.sum())
    s_zone = np.repeat(np.arange(nz), starts)
    s_sector = (u_sector[:, None] > cdf[s_zone]).sum(axis=1)
    new_zone = np.concatenate([np.repeat(np.arange(nz), alloc.sum(axis=1)), s_zone])
    new_sector = np.concatenate(
        [np.repeat(np.tile(np.arange(ns), nz), flat), np.minimum(s_sector, ns - 1)]
    )
    # Entrants sorted by zone (stable), cumulative land within each zone.
    order = np.argsort(new_zone, kind="stable")
    zs, ls = new_zone[order], land[order]
    cum = np.cumsum(ls)
    first = np.searchsorted(zs, zs, side="left")
    within = cum - (cum[first] - ls[first])
    keep = np.empty(len(land), dtype=bool)
    keep[order] = within <= free[zs]
    size = size.copy()
    size[:n_projects] *= gain[new_zone[:n_projects]]
    kept = int(keep.sum())
    zone, sector, size_out, land_out = out
    zone[:kept], sector[:kept] = new_zone[keep], new_sector[keep]
    size_out[:kept], land_out[:kept] = size[keep], land[keep]
    entries += np.bincount(new_zone[keep], minlength=nz)
    counts += np.bincount(new_zone[keep] * ns + new_sector[keep], minlength=nz * ns).reshape(nz, ns)
    return kept, int(keep[:n_projects].sum())


@numba.njit(**JIT)
def _place_kernel(
    alloc: np.ndarray, starts: np.ndarray, cdf: np.ndarray, u_sector: np.ndarray,
    land: np.ndarray, free: np.ndarray, size: np.ndarray, gain: np.ndarray,
    out: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], entries: np.ndarray,
    counts: np.ndarray,
) -> tuple[int, int]:  # fmt: skip  # pragma: no cover - compiled
    ns, nz = alloc.shape
    zone, sector, size_out, land_out = out
    taken = np.zeros(nz)
    i = 0  # entrants so far
    kept = 0
    for z in range(nz):  # projects, by zone and sector; the land check in order
        for s in range(ns):
            for _ in range(alloc[s, z]):
                taken[z] += land[i]
                if taken[z] <= free[z]:
                    zone[kept], sector[kept] = z, s
                    size_out[kept], land_out[kept] = size[i] * gain[z], land[i]
                    entries[z] += 1
                    counts[z, s] += 1.0
                    kept += 1
                i += 1
    projects = kept
    j = 0
    for z in range(nz):  # start-ups, by zone; the sector from the zone's mix
        for _ in range(starts[z]):
            s = 0
            while s < ns - 1 and u_sector[j] > cdf[z, s]:
                s += 1
            j += 1
            taken[z] += land[i]
            if taken[z] <= free[z]:
                zone[kept], sector[kept] = z, s
                size_out[kept], land_out[kept] = size[i], land[i]
                entries[z] += 1
                counts[z, s] += 1.0
                kept += 1
            i += 1
    return kept, projects


def place_entrants(
    alloc: np.ndarray,
    starts: np.ndarray,
    cdf: np.ndarray,
    u_sector: np.ndarray,
    land: np.ndarray,
    free: np.ndarray,
    size: np.ndarray,
    gain: np.ndarray,
    counts: np.ndarray,
) -> Entrants:
    """The entrants that find free land: their zones, sectors, sizes and land.

    Entrants come in order: the projects (``alloc``, sectors x zones), by zone and
    sector, then the start-ups (``starts`` by zone), whose sector is the first whose
    cumulative share ``cdf[zone]`` reaches their draw ``u_sector``. Each takes
    ``land`` and has ``size``, a project's times its zone's ``gain``; within a zone,
    an entrant fits if the land taken by it and every entrant before it is at most the
    zone's ``free`` land. The entrants that fit are added to ``counts`` (firms by zone
    and sector), in place.
    """
    k = len(land)
    out = (np.empty(k, dtype=np.intp), np.empty(k, dtype=np.int8), np.empty(k), np.empty(k))
    entries = np.zeros(len(free), dtype=np.int64)
    impl = _place_kernel if current() == "numba" else _place_numpy
    kept, projects = impl(
        alloc, starts, cdf, u_sector, land, free, size, gain, out, entries, counts
    )
    zone, sector, size_out, land_out = out
    return Entrants(zone[:kept], sector[:kept], size_out[:kept], land_out[:kept], projects, entries)


# ---------------------------------------------------------------- entrants' draws
class Draws(NamedTuple):
    """The parameters of the entrants' land and size draws (see :func:`entrant_draws`)."""

    land_per_firm: float  # mean land
    land_sd: float  # log sd of land
    size_sd: float  # log sd of the size's lognormal body
    tail_alpha: float  # Pareto exponent of the size's factor


def _draws_numpy(
    keys: np.ndarray, d: Draws, land: np.ndarray, raw: np.ndarray, u_sector: np.ndarray
) -> None:
    k = len(land)
    ids = np.arange(k)
    r = np.sqrt(-2.0 * np.log(uniforms(keys[0], ids)))
    angle = 2.0 * np.pi * uniforms(keys[1], ids)
    land[:] = d.land_per_firm * np.exp(-0.5 * d.land_sd**2 + d.land_sd * (r * np.cos(angle)))
    pareto = np.exp(-np.log(uniforms(keys[2], ids)) / d.tail_alpha)
    raw[:] = np.exp(d.size_sd * (r * np.sin(angle))) * pareto
    u_sector[:] = uniforms(keys[3], np.arange(len(u_sector)))


@numba.njit(**JIT)
def _draws_kernel(
    keys: np.ndarray, d: Draws, land: np.ndarray, raw: np.ndarray, u_sector: np.ndarray
) -> None:  # pragma: no cover - compiled
    k0, k1, k2, k3 = keys[0], keys[1], keys[2], keys[3]
    mu = -0.5 * d.land_sd * d.land_sd
    for j in range(land.shape[0]):
        r = _sqrt(-2.0 * _log(_uniform(k0, j)))
        sin, cos = _sincos_turns(_uniform(k1, j))
        land[j] = d.land_per_firm * _exp(mu + d.land_sd * (r * cos))
        pareto = _exp(-_log(_uniform(k2, j)) / d.tail_alpha)
        raw[j] = _exp(d.size_sd * (r * sin)) * pareto
    for j in range(u_sector.shape[0]):
        u_sector[j] = _uniform(k3, j)


def entrant_draws(
    keys: np.ndarray, k: int, starts: int, d: Draws
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Land and raw size of ``k`` candidate entrants, and the sector draws of ``starts`` start-ups.

    Counter-based, like the firms' growth and exit draws: candidate ``j``'s draws are
    :func:`uniforms` of ``keys[0..2]`` at counter ``j`` (start-up ``t``'s sector draw of
    ``keys[3]`` at ``t``), so they depend on the run, the quarter and the candidate's
    place in the order of entrants only. Box-Muller turns the first two into a pair of
    independent standard normals ``(Z_land, Z_size)``; the third ``U`` gives the Pareto
    factor ``U^(-1/tail_alpha)`` (``1 + Lomax(tail_alpha)``, by inversion). Land is
    ``land_per_firm * exp(-land_sd^2 / 2 + land_sd * Z_land)`` (mean ``land_per_firm``)
    and the raw size ``exp(size_sd * Z_size) * U^(-1/tail_alpha)`` (Reed's product, see
    ``sim.core.firms.entry.reed_sizes``).

    Args:
        keys: Four 64-bit keys of the quarter (``ZoneReformModel.keys``).
        k: Candidate entrants.
        starts: Start-ups among them (their sector draws).
        d: The draws' parameters.

    Returns:
        ``(land, raw, u_sector)``.
    """
    land, raw, u_sector = np.empty(k), np.empty(k), np.empty(starts)
    keys = np.asarray(keys, dtype=np.uint64)
    impl = _draws_kernel if current() == "numba" else _draws_numpy
    impl(keys, d, land, raw, u_sector)
    return land, raw, u_sector


@numba.njit(**JIT)
def _categories_kernel(
    u: np.ndarray, cdf: np.ndarray, out: np.ndarray
) -> None:  # pragma: no cover - compiled
    m = cdf.shape[0]
    for i in range(u.shape[0]):
        k = 0
        while k < m and cdf[k] <= u[i]:
            k += 1
        out[i] = k


def categories(u: np.ndarray, cdf: np.ndarray) -> np.ndarray:
    """The category of each uniform draw in ``u``: the number of ``cdf`` values at or below it.

    ``cdf.searchsorted(u, side="right")`` (as ``numpy.random.Generator.choice`` with
    probabilities maps its draws), as ``int8``; ``cdf`` ascending, short.
    """
    if current() == "numpy":
        return cdf.searchsorted(u, side="right").astype(np.int8)
    out = np.empty(len(u), dtype=np.int8)
    _categories_kernel(u, cdf, out)
    return out
