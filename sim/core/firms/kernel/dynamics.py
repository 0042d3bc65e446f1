"""Firm dynamics in one pass (level, growth, exit, age bands, accumulators) and order statistics."""

from __future__ import annotations

import math
from typing import NamedTuple

import numba
import numpy as np

from sim.core.compiled import JIT
from sim.core.firms.kernel.base import (
    AGE_EDGES,
    SHOCK_SCALE_MAX,
    Workspace,
    _exp,
    _log,
    _uniform,
    current,
    uniforms,
)


class Quarter(NamedTuple):
    """The scalars of one quarter's firm dynamics (see ``firms.dynamics.grow_and_exit``)."""

    now: float  # decimal year at the start of the quarter
    incumbent_before: float  # firms born before this date get `incumbent_share` of the target
    incumbent_share: float
    kappa: float  # share of the gap to the level target closed this quarter
    log_median: float  # log of the median firm's size
    shock_elasticity: float
    shock_k: float  # Laplace scale of the median firm's shock
    young_years: float
    young_step: float  # young firms' extra log growth this quarter
    drift: float  # log growth of the province and the zone premium this quarter
    size_elasticity: float  # of the exit hazard
    inv_age_scale: float  # 1 / exit_age_scale
    young_excess: float  # exit_young_factor - 1
    growth_key: int | np.uint64  # np.uint64 once firm_dynamics has converted it
    exit_key: int | np.uint64


def _dynamics_numpy(
    zone: np.ndarray, size: np.ndarray, log_size: np.ndarray, level: np.ndarray,
    birth: np.ndarray, firm_id: np.ndarray, sector: np.ndarray, land: np.ndarray,
    target: np.ndarray, hazard0: np.ndarray, q: Quarter, va: np.ndarray, exits: np.ndarray,
    bands: np.ndarray, dead_rows: np.ndarray, used: np.ndarray, counts: np.ndarray,
    work: np.ndarray,
) -> int:  # fmt: skip
    """NumPy reference of :func:`_dynamics_kernel` (same arguments, same effects)."""
    tgt = target[zone]
    tgt[birth < q.incumbent_before] *= q.incumbent_share
    dl = (tgt - level) * q.kappa
    level += dl
    x = log_size - q.log_median
    b = np.minimum(np.exp(-q.shock_elasticity * x), SHOCK_SCALE_MAX) * q.shock_k
    v = uniforms(q.growth_key, firm_id) - 0.5
    g = np.copysign(-b * np.log1p(-2.0 * np.abs(v)), v) + np.log1p(-b * b)
    age = q.now - birth
    g += dl + np.where(age < q.young_years, q.young_step, 0.0) + q.drift
    log_size += g
    np.exp(log_size, out=size)
    ra = age * q.inv_age_scale
    h = hazard0[zone] * (1.0 + q.young_excess * ra * np.exp(1.0 - ra))
    h *= np.exp(-q.size_elasticity * (x + g))
    dead = uniforms(q.exit_key, firm_id) < 1.0 - np.exp(-h)
    nz, nb = len(va), len(AGE_EDGES) + 1
    va += np.bincount(zone, weights=size, minlength=nz)
    exits += np.bincount(zone[dead], minlength=nz)
    band = np.searchsorted(AGE_EDGES, age, side="right")
    bands[0] += np.bincount(band, minlength=nb)
    bands[1] += np.bincount(band[dead], minlength=nb)
    alive = ~dead
    used += np.bincount(zone[alive], weights=land[alive], minlength=nz)
    ns = counts.shape[1]
    gone = np.bincount(zone[dead].astype(np.int64) * ns + sector[dead], minlength=nz * ns)
    counts -= gone.reshape(nz, ns)
    rows = np.flatnonzero(dead)
    dead_rows[: len(rows)] = rows
    return len(rows)


@numba.njit(**JIT)
def _dynamics_kernel(
    zone: np.ndarray, size: np.ndarray, log_size: np.ndarray, level: np.ndarray,
    birth: np.ndarray, firm_id: np.ndarray, sector: np.ndarray, land: np.ndarray,
    target: np.ndarray, hazard0: np.ndarray, q: Quarter, va: np.ndarray, exits: np.ndarray,
    bands: np.ndarray, dead_rows: np.ndarray, used: np.ndarray, counts: np.ndarray,
    work: np.ndarray,
) -> int:  # fmt: skip  # pragma: no cover - compiled
    n = size.shape[0]
    tgt, h, u, b = work[0, :n], work[1, :n], work[2, :n], work[3, :n]
    # Gathers by zone first: the main loops then read and write every array at its
    # own index only, which lets the compiler vectorise them.
    for i in range(n):
        z = zone[i]
        tgt[i] = target[z] * (q.incumbent_share if birth[i] < q.incumbent_before else 1.0)
        h[i] = hazard0[z]
    # Growth in three loops (shock scale; growth; size): fewer values live at once. The
    # log size is state, kept with the size: no log of the size each quarter.
    for i in range(n):
        x = log_size[i] - q.log_median
        u[i] = x
        b[i] = min(_exp(-q.shock_elasticity * x), SHOCK_SCALE_MAX) * q.shock_k
    for i in range(n):
        dl = (tgt[i] - level[i]) * q.kappa
        level[i] += dl
        bi = b[i]
        v = _uniform(q.growth_key, firm_id[i]) - 0.5
        # log(1 + y) as log of the rounded 1 + y: an absolute error below 2e-16.
        g = math.copysign(-bi * _log(1.0 - 2.0 * abs(v)), v) + _log(1.0 - bi * bi)
        age = q.now - birth[i]
        g += dl + (q.young_step if age < q.young_years else 0.0) + q.drift
        u[i] += g  # log relative size after growth
        log_size[i] += g
    for i in range(n):
        size[i] = _exp(log_size[i])
    c1 = c2 = c3 = 0  # firms at least AGE_EDGES[k] old
    for i in range(n):  # a second loop: fewer values live at once
        age = q.now - birth[i]
        ra = age * q.inv_age_scale
        h[i] *= (1.0 + q.young_excess * ra * _exp(1.0 - ra)) * _exp(-q.size_elasticity * u[i])
        u[i] = _uniform(q.exit_key, firm_id[i])
        c1 += age >= AGE_EDGES[0]
        c2 += age >= AGE_EDGES[1]
        c3 += age >= AGE_EDGES[2]
    bands[0, 0] += n - c1
    bands[0, 1] += c1 - c2
    bands[0, 2] += c2 - c3
    bands[0, 3] += c3
    # Value added by zone in eight interleaved partial sums: consecutive firms often
    # share a zone, and one running sum per zone would wait on itself.
    nz = counts.shape[0]
    part = np.zeros((8, nz))
    part_land = np.zeros(8 * nz)  # the survivors' land, for the next quarter's entry
    m = 0  # exits so far
    for i in range(n):  # sums by zone
        part[i & 7, zone[i]] += size[i]
    for i in range(n):  # exits; the survivors' census
        z = zone[i]
        # u < 1 - exp(-h), deciding by h - h^2/2 <= 1 - exp(-h) <= h where it can.
        hi = h[i]
        if u[i] < hi and (u[i] < hi - 0.5 * hi * hi or u[i] < 1.0 - _exp(-hi)):
            dead_rows[m] = i
            m += 1
            exits[z] += 1
            counts[z, sector[i]] -= 1.0
            age = q.now - birth[i]
            bands[1, (age >= AGE_EDGES[0]) + (age >= AGE_EDGES[1]) + (age >= AGE_EDGES[2])] += 1
        else:
            part_land[(i & 7) * nz + z] += land[i]
    va += _sum8(part)
    used += _sum8(part_land.reshape(8, nz))
    return m


@numba.njit(**JIT)
def _sum8(part: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    """Column sums of an (8, m) array of partial sums, pairwise."""
    out = np.empty(part.shape[1])
    for z in range(part.shape[1]):
        out[z] = ((part[0, z] + part[1, z]) + (part[2, z] + part[3, z])) + (
            (part[4, z] + part[5, z]) + (part[6, z] + part[7, z])
        )
    return out


def firm_dynamics(
    zone: np.ndarray,
    size: np.ndarray,
    log_size: np.ndarray,
    level: np.ndarray,
    birth: np.ndarray,
    firm_id: np.ndarray,
    target: np.ndarray,
    hazard0: np.ndarray,
    q: Quarter,
    work: Workspace,
    sector: np.ndarray,
    land: np.ndarray,
    counts: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """One quarter of every firm: level adjustment, growth and exit, and their sums.

    Updates ``level``, ``log_size`` and ``size`` in place: the log size is the state
    that grows, the size its ``exp`` (``log_size`` must be ``log(size)`` on entry, as
    the population keeps it). Per firm: the level closes ``kappa`` of its gap to the
    zone's ``target`` (times ``incumbent_share`` for firms born before
    ``incumbent_before``); log growth is a Laplace shock (inverse transform of the
    growth draw; scale ``shock_k`` times the firm's size relative to the median to the
    power ``-shock_elasticity``, at most :data:`SHOCK_SCALE_MAX` times) less
    ``log(1 - b^2)``, which takes out the mean of ``exp(shock)``, plus the level change,
    ``young_step`` while younger than ``young_years``, and ``drift``; the firm exits
    if its exit draw falls below ``1 - exp(-h)``, with the quarterly hazard
    ``h = hazard0[zone] * (1 + young_excess * r * exp(1 - r)) * rel_size^(-size_elasticity)``
    at relative age ``r = age * inv_age_scale`` and the size after growth (see
    ``sim.core.firms.log_exit_hazard``).

    ``work`` holds the kernel's scratch arrays between calls; ``sector`` and ``land``
    serve the census of the survivors: ``counts`` (the firms by zone and sector, as
    :func:`zone_census` counts them) loses the exits, in place.

    Returns:
        The rows of the firms that exit, ascending (a view into ``work``), the quarter's
        value added by zone (sum of sizes after growth, exits included), exits by zone,
        a ``(2, bands)`` array of firms and exits by age band (:data:`AGE_EDGES`), and
        the survivors' census (:func:`zone_census`).
    """
    n, nz = len(size), len(target)
    q = q._replace(growth_key=np.uint64(q.growth_key), exit_key=np.uint64(q.exit_key))
    rows = work.rows(n)
    va = np.zeros(nz)
    exits = np.zeros(nz, dtype=np.int64)
    bands = np.zeros((2, len(AGE_EDGES) + 1), dtype=np.int64)
    used = np.zeros(nz)
    impl = _dynamics_kernel if current() == "numba" else _dynamics_numpy
    m = impl(
        zone, size, log_size, level, birth, firm_id, sector, land, target, hazard0, q, va,
        exits, bands, rows, used, counts, work.floats(n),
    )  # fmt: skip
    return rows[:m], va, exits, bands, (used, counts)


@numba.njit(**JIT)
def _select_kernel(a: np.ndarray, k: int) -> float:  # pragma: no cover - compiled
    """The k-th smallest element of ``a`` (reordered in place): Hoare's quickselect."""
    lo, hi = 0, a.shape[0] - 1
    while lo < hi:
        mid = (lo + hi) >> 1
        # Median of three as the pivot, and sentinels at both ends.
        if a[mid] < a[lo]:
            a[mid], a[lo] = a[lo], a[mid]
        if a[hi] < a[lo]:
            a[hi], a[lo] = a[lo], a[hi]
        if a[hi] < a[mid]:
            a[hi], a[mid] = a[mid], a[hi]
        pivot = a[mid]
        i, j = lo, hi
        while i <= j:
            while a[i] < pivot:
                i += 1
            while pivot < a[j]:
                j -= 1
            if i <= j:
                a[i], a[j] = a[j], a[i]
                i += 1
                j -= 1
        if k <= j:
            hi = j
        elif k >= i:
            lo = i
        else:
            return a[k]  # type: ignore[no-any-return]  # an element: Any in NumPy's stubs
    return a[k]  # type: ignore[no-any-return]


@numba.njit(**JIT)
def _bracket_kernel(
    x: np.ndarray, lo: float, hi: float, buf: np.ndarray
) -> tuple[int, int]:  # pragma: no cover - compiled
    """Count the elements of ``x`` below ``lo``; copy those in [lo, hi] into ``buf``."""
    below = 0
    m = 0
    for i in range(x.shape[0]):  # branch-free: half the values fall below the bracket
        v = x[i]
        below += v < lo
        buf[m] = v
        m += (v >= lo) & (v <= hi)
    return below, m


@numba.njit(**JIT)
def _order_kernel(
    x: np.ndarray, k: int, lows: np.ndarray, highs: np.ndarray, buf: np.ndarray
) -> tuple[float, float]:  # pragma: no cover - compiled
    """The k-th smallest of ``x`` and the sum of those from it up, trying brackets first.

    For each bracket ``[lows[t], highs[t]]`` in turn: count the values below it and copy
    those inside into ``buf``; if rank ``k`` falls inside, select among those. Else
    select in a copy of all of ``x``.
    """
    n = x.shape[0]
    for t in range(lows.shape[0]):
        below, m = _bracket_kernel(x, lows[t], highs[t], buf)
        if below <= k < below + m:
            r = k - below
            value = _select_kernel(buf[:m], r)  # leaves the larger ones after it
            return value, buf[r:m].sum()
    buf[:n] = x
    value = _select_kernel(buf[:n], k)
    return value, buf[k:n].sum()


def _brackets(near: float | None, factors: tuple[tuple[float, float], ...]) -> np.ndarray:
    if near is None or not near > 0:
        return np.empty((2, 0))
    return np.array([[near * lo for lo, _ in factors], [near * hi for _, hi in factors]])


def order_statistic(
    x: np.ndarray, k: int, near: float | None = None, work: Workspace | None = None
) -> float:
    """The ``k``-th smallest element of ``x`` (0-based); ``x`` is left unchanged.

    Args:
        x: Values (not NaN).
        k: Rank, ``0 <= k < len(x)``.
        near: A guess of the answer (e.g. last quarter's median). The kernel then
            counts the values below a narrow bracket around it in one pass and selects
            among the few inside (then tries a wide bracket); it falls back to a full
            selection if the answer lies outside. The answer does not depend on the
            guess.
        work: Scratch arrays to use (default: fresh ones).
    """
    if current() == "numpy":
        return float(np.partition(x, k)[k])
    buf = np.empty(len(x)) if work is None else work.floats(len(x))[0]
    lows, highs = _brackets(near, BRACKETS)
    return float(_order_kernel(x, k, lows, highs, buf)[0])


def largest(
    x: np.ndarray, k: int, near: float | None = None, work: Workspace | None = None
) -> tuple[float, float]:
    """The sum of the ``k`` largest elements of ``x`` and the smallest of them.

    Args:
        x: Values (not NaN).
        k: How many, ``1 <= k <= len(x)``.
        near: A guess of the ``k``-th largest (e.g. last year's): the kernel then
            selects among the values above a bound below it (see
            :func:`order_statistic`). The answer does not depend on the guess.
        work: Scratch arrays to use (default: fresh ones).
    """
    n = len(x)
    if current() == "numpy":
        top = np.partition(x, n - k)[n - k :]
        return float(top.sum()), float(top[0])
    buf = np.empty(n) if work is None else work.floats(n)[0]
    lows, highs = _brackets(near, ((TAIL_BRACKET, math.inf),))
    value, total = _order_kernel(x, n - k, lows, highs, buf)
    return float(total), float(value)


#: Lower bound of :func:`largest` below its guess, as a factor.
TAIL_BRACKET = 0.7
#: Brackets of :func:`order_statistic` around its guess, as factors: narrow (the median
#: firm grows by 0.5 % to 4 % a quarter in the scenarios), then wide.
BRACKETS = ((0.99, 1.06), (0.5, 2.0))


# ---------------------------------------------------------------- census
def _census_numpy(
    zone: np.ndarray, sector: np.ndarray, land: np.ndarray, used: np.ndarray, counts: np.ndarray
) -> None:
    nz, ns = counts.shape
    used += np.bincount(zone, weights=land, minlength=nz)
    counts += np.bincount(zone.astype(np.int64) * ns + sector, minlength=nz * ns).reshape(nz, ns)


@numba.njit(**JIT)
def _census_kernel(
    zone: np.ndarray, sector: np.ndarray, land: np.ndarray, used: np.ndarray, counts: np.ndarray
) -> None:  # pragma: no cover - compiled
    nz, ns = counts.shape
    # Land and firm counts by zone in eight interleaved partial sums (see the dynamics).
    part_land = np.zeros(8 * nz)
    part_n = np.zeros(8 * nz * ns, dtype=np.int32)
    for i in range(zone.shape[0]):
        j = (i & 7) * nz + zone[i]
        part_land[j] += land[i]
        part_n[j * ns + sector[i]] += 1
    _add_partials(part_land, part_n, used, counts)


@numba.njit(**JIT)
def _add_partials(
    part_land: np.ndarray, part_n: np.ndarray, used: np.ndarray, counts: np.ndarray
) -> None:  # pragma: no cover - compiled
    nz, ns = counts.shape
    used += _sum8(part_land.reshape(8, nz))
    for k in range(8):
        counts += part_n[k * nz * ns : (k + 1) * nz * ns].reshape(nz, ns)


def zone_census(
    zone: np.ndarray, sector: np.ndarray, land: np.ndarray, zones: int, sectors: int
) -> tuple[np.ndarray, np.ndarray]:
    """Land in use by zone, and firms by zone and sector (one pass over the firms)."""
    used, counts = np.zeros(zones), np.zeros((zones, sectors))
    impl = _census_kernel if current() == "numba" else _census_numpy
    impl(zone, sector, land, used, counts)
    return used, counts
