"""The firm population's inner loops: compiled (numba), with NumPy references.

Every quarter the model updates each living firm once: level adjustment, growth,
exit, its age band and the per-zone accumulators (:func:`firm_dynamics`); entry
counts firms and land by zone and checks entrants against free land
(:func:`zone_census`, :func:`land_check`). Each has two implementations with the
same inputs and outputs: a numba kernel (one pass over the firms, compiled on first
use and cached on disk, so later processes and workers load it instead of compiling)
and a NumPy reference (array passes; the tests compare the two). :func:`use` selects
one for the process; the kernel is the default.

Random numbers are counter-based: firm ``i``'s draw of a mechanism in a quarter is
:func:`uniforms` of that quarter's key (from the run's ``SeedSequence``, see
``ZoneReformModel._key``) and the firm's id: the SplitMix64 output function of the
key plus the counter times the golden-ratio increment (Steele, Lea and Flood 2014,
"Fast splittable pseudorandom number generators"). Draws depend on neither the order
of the firms nor the other firms, so both implementations consume them identically,
the kernel can compute them inside its vectorised loop, and a paired run gives a
surviving firm the same shocks (common random numbers at the firm level).

The kernel's ``exp`` and ``log`` are polynomial (:func:`_exp`, :func:`_log`; within
three units in the last place of the C library's) so that the compiler vectorises the
loop; IEEE arithmetic, with multiply-adds fused where the processor has them, and no
other fast-math licence.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

import numba
import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

#: Implementations: the compiled kernel and the NumPy reference.
IMPLEMENTATIONS = ("numba", "numpy")
_current = "numba"

#: Upper edges of the age bands of recorded exits, years (see ``model.EXIT_AGE_EDGES``).
AGE_EDGES = (1.0, 2.0, 7.0)
#: Largest factor by which a small firm's shock scale exceeds the median firm's.
SHOCK_SCALE_MAX = 2.5

#: Compiled once per machine and cached on disk; IEEE arithmetic except that a multiply
#: and an add may fuse (FMA), which the polynomials below need to be fast.
_JIT = {
    "cache": True,
    "nogil": True,
    "error_model": "numpy",
    "boundscheck": False,
    "fastmath": {"contract"},
}

GAMMA = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_ONE = np.uint64(1)
_S11, _S27, _S30, _S31 = (np.uint64(k) for k in (11, 27, 30, 31))
_TWO_M53 = 2.0**-53


def use(name: str) -> None:
    """Select the implementation for this process: ``"numba"`` or ``"numpy"``.

    Raises:
        ValueError: If ``name`` is not one of :data:`IMPLEMENTATIONS`.
    """
    global _current
    if name not in IMPLEMENTATIONS:
        raise ValueError(f"kernel: expected one of {IMPLEMENTATIONS}, got {name!r}")
    _current = name


def current() -> str:
    """The implementation in use."""
    return _current


@contextmanager
def using(name: str) -> Iterator[None]:
    """Use implementation ``name`` inside a ``with`` block."""
    before = _current
    use(name)
    try:
        yield
    finally:
        use(before)


# ---------------------------------------------------------------- random numbers
def uniforms(key: int, ids: np.ndarray) -> np.ndarray:
    """Uniform draws in (0, 1), one per counter in ``ids``, of the stream ``key``.

    ``(SplitMix64(key + (id + 1) * GAMMA) >> 11 + 0.5) * 2**-53``: 53 random bits,
    centred in their interval, so a draw is never 0 or 1.
    """
    z = np.uint64(key) + (ids.astype(np.uint64) + _ONE) * GAMMA
    z ^= z >> _S30
    z *= _M1
    z ^= z >> _S27
    z *= _M2
    z ^= z >> _S31
    return ((z >> _S11).astype(np.int64) + 0.5) * _TWO_M53


@numba.njit(inline="always", **_JIT)
def _uniform(key: np.uint64, i: np.int64) -> float:  # pragma: no cover - compiled
    z = key + (np.uint64(i) + _ONE) * GAMMA
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    z = z ^ (z >> _S31)
    return (np.int64(z >> _S11) + 0.5) * _TWO_M53


# ---------------------------------------------------------------- exp and log
@intrinsic
def _bits(typingctx, x):  # pragma: no cover - compiled
    """The IEEE bits of a float64 as an int64."""
    if x != types.float64:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(64))

    return types.int64(types.float64), codegen


@intrinsic
def _float(typingctx, k):  # pragma: no cover - compiled
    """The float64 whose IEEE bits are the int64 ``k``."""
    if k != types.int64:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())

    return types.float64(types.int64), codegen


_LN2_HI = 6.93147180369123816490e-01  # trailing zeros: k * _LN2_HI is exact
_LN2_LO = 1.90821492927058770002e-10
_INV_LN2 = 1.44269504088896338700e00
_SQRT2 = 1.4142135623730951


@numba.njit(inline="always", **_JIT)
def _exp(x: float) -> float:  # pragma: no cover - compiled
    """exp(x) for x in [-708, 709] (clamped), branch-free so loops vectorise.

    ``exp(x) = 2^k exp(r)`` with ``|r| <= ln(2)/2`` and the Taylor polynomial of
    degree 12 of ``exp(r)`` (truncation error below 2e-16), in Horner form.
    """
    x = min(max(x, -708.0), 709.0)
    k = math.floor(x * _INV_LN2 + 0.5)
    r = (x - k * _LN2_HI) - k * _LN2_LO
    p = 2.08767569878681e-09
    p = p * r + 2.505210838544172e-08
    p = p * r + 2.755731922398589e-07
    p = p * r + 2.7557319223985893e-06
    p = p * r + 2.48015873015873e-05
    p = p * r + 0.0001984126984126984
    p = p * r + 0.001388888888888889
    p = p * r + 0.008333333333333333
    p = p * r + 0.041666666666666664
    p = p * r + 0.16666666666666666
    p = p * r + 0.5
    p = p * r + 1.0
    p = p * r + 1.0
    return p * _float((np.int64(k) + 1023) << 52)


@numba.njit(inline="always", **_JIT)
def _log(x: float) -> float:  # pragma: no cover - compiled
    """log(x) for a positive normal x, branch-free so loops vectorise.

    ``x = 2^e m`` with ``m`` in [sqrt(2)/2, sqrt(2)); ``log(m) = 2 atanh(s)`` with
    ``s = (m - 1) / (m + 1)``, ``|s| <= 0.172``, by its series to ``s^19`` (error
    below 3e-17).
    """
    b = _bits(x)
    e = np.float64((b >> 52) - 1023)
    m = _float((b & 0x000FFFFFFFFFFFFF) | 0x3FF0000000000000)  # [1, 2)
    big = m > _SQRT2
    m = m * 0.5 if big else m
    e = e + 1.0 if big else e
    f = m - 1.0
    s = f / (2.0 + f)
    z = s * s
    w = 0.05263157894736842
    w = w * z + 0.058823529411764705
    w = w * z + 0.06666666666666667
    w = w * z + 0.07692307692307693
    w = w * z + 0.09090909090909091
    w = w * z + 0.1111111111111111
    w = w * z + 0.14285714285714285
    w = w * z + 0.2
    w = w * z + 0.3333333333333333
    w = w * z + 1.0
    return e * _LN2_HI + (2.0 * s * w + e * _LN2_LO)


@numba.njit(**_JIT)
def _exp_log_arrays(x: np.ndarray, out_exp: np.ndarray, out_log: np.ndarray) -> None:
    """``exp`` and ``log`` of an array (for testing the polynomial versions)."""
    for i in range(x.shape[0]):
        out_exp[i] = _exp(x[i])
        out_log[i] = _log(x[i])


def exp_log(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The kernel's ``exp`` and ``log`` of every element of ``x`` (for tests)."""
    x = np.ascontiguousarray(x, dtype=np.float64)
    e, lg = np.empty_like(x), np.empty_like(x)
    _exp_log_arrays(x, e, lg)
    return e, lg


# ---------------------------------------------------------------- firm dynamics
class Workspace:
    """Scratch arrays of the kernel, kept between quarters; they grow by doubling.

    Fresh large arrays would cost page faults every quarter.
    """

    def __init__(self) -> None:
        self._floats = np.empty((3, 0))
        self._dead = np.empty(0, dtype=np.bool_)

    def floats(self, n: int) -> np.ndarray:
        """A ``(3, >= n)`` float scratch array."""
        if self._floats.shape[1] < n:
            self._floats = np.empty((3, max(n, 2 * self._floats.shape[1])))
        return self._floats

    def dead(self, n: int) -> np.ndarray:
        """A boolean array of length ``n`` (contents undefined)."""
        if len(self._dead) < n:
            self._dead = np.empty(max(n, 2 * len(self._dead)), dtype=np.bool_)
        return self._dead[:n]


class ZoneArrays(NamedTuple):
    """Zone state as arrays indexed like ``model.zone_list`` (read once per quarter)."""

    days: np.ndarray  # approval time
    services: np.ndarray
    effort: np.ndarray
    national: np.ndarray  # 1.0 for a counted national zone
    marketing: np.ndarray
    environment: np.ndarray
    located: np.ndarray  # bool: firms can be located here
    planned: np.ndarray  # planned area, km2
    delisted: np.ndarray  # 1.0 for a delisted zone


class Quarter(NamedTuple):
    """The scalars of one quarter's firm dynamics (see ``ZoneReformModel._firm_dynamics``)."""

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
    growth_key: int
    exit_key: int


def _dynamics_numpy(
    zone, size, level, birth, firm_id, sector, land, target, hazard0, q, va, exits, bands,
    dead, used, counts, work,
):  # fmt: skip
    """NumPy reference of :func:`_dynamics_kernel` (same arguments, same effects)."""
    tgt = target[zone]
    tgt[birth < q.incumbent_before] *= q.incumbent_share
    dl = (tgt - level) * q.kappa
    level += dl
    x = np.log(size) - q.log_median
    b = np.minimum(np.exp(-q.shock_elasticity * x), SHOCK_SCALE_MAX) * q.shock_k
    v = uniforms(q.growth_key, firm_id) - 0.5
    g = np.copysign(-b * np.log1p(-2.0 * np.abs(v)), v) + np.log1p(-b * b)
    age = q.now - birth
    g += dl + np.where(age < q.young_years, q.young_step, 0.0) + q.drift
    size *= np.exp(g)
    ra = age * q.inv_age_scale
    h = hazard0[zone] * (1.0 + q.young_excess * ra * np.exp(1.0 - ra))
    h *= np.exp(-q.size_elasticity * (x + g))
    dead[:] = uniforms(q.exit_key, firm_id) < 1.0 - np.exp(-h)
    nz, nb = len(va), len(AGE_EDGES) + 1
    va += np.bincount(zone, weights=size, minlength=nz)
    exits += np.bincount(zone[dead], minlength=nz)
    band = np.searchsorted(AGE_EDGES, age, side="right")
    bands[0] += np.bincount(band, minlength=nb)
    bands[1] += np.bincount(band[dead], minlength=nb)
    alive = ~dead
    _census_numpy(zone[alive], sector[alive], land[alive], used, counts)


@numba.njit(**_JIT)
def _dynamics_kernel(
    zone, size, level, birth, firm_id, sector, land, target, hazard0, q, va, exits, bands,
    dead, used, counts, work,
):  # fmt: skip  # pragma: no cover - compiled
    n = size.shape[0]
    tgt, h, u = work[0, :n], work[1, :n], work[2, :n]
    # Gathers by zone first: the main loops then read and write every array at its
    # own index only, which lets the compiler vectorise them.
    for i in range(n):
        z = zone[i]
        tgt[i] = target[z] * (q.incumbent_share if birth[i] < q.incumbent_before else 1.0)
        h[i] = hazard0[z]
    for i in range(n):
        dl = (tgt[i] - level[i]) * q.kappa
        level[i] += dl
        x = _log(size[i]) - q.log_median
        b = min(_exp(-q.shock_elasticity * x), SHOCK_SCALE_MAX) * q.shock_k
        v = _uniform(q.growth_key, firm_id[i]) - 0.5
        # log(1 + y) as log of the rounded 1 + y: an absolute error below 2e-16.
        g = math.copysign(-b * _log(1.0 - 2.0 * abs(v)), v) + _log(1.0 - b * b)
        age = q.now - birth[i]
        g += dl + (q.young_step if age < q.young_years else 0.0) + q.drift
        size[i] *= _exp(g)
        u[i] = x + g  # log relative size after growth
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
    nz, ns = counts.shape
    part = np.zeros((8, nz))
    part_land = np.zeros(8 * nz)  # the survivors' census, for the next quarter's entry
    part_n = np.zeros(8 * nz * ns, dtype=np.int32)
    for i in range(n):  # exits; sums by zone
        z = zone[i]
        part[i & 7, z] += size[i]
        # u < 1 - exp(-h), deciding by h - h^2/2 <= 1 - exp(-h) <= h where it can.
        hi = h[i]
        d = u[i] < hi and (u[i] < hi - 0.5 * hi * hi or u[i] < 1.0 - _exp(-hi))
        dead[i] = d
        if d:
            exits[z] += 1
            age = q.now - birth[i]
            bands[1, (age >= AGE_EDGES[0]) + (age >= AGE_EDGES[1]) + (age >= AGE_EDGES[2])] += 1
        else:
            j = (i & 7) * nz + z
            part_land[j] += land[i]
            part_n[j * ns + sector[i]] += 1
    va += _sum8(part)
    _add_partials(part_land, part_n, used, counts)


@numba.njit(**_JIT)
def _sum8(part):  # pragma: no cover - compiled
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
    level: np.ndarray,
    birth: np.ndarray,
    firm_id: np.ndarray,
    target: np.ndarray,
    hazard0: np.ndarray,
    q: Quarter,
    work: Workspace,
    sector: np.ndarray,
    land: np.ndarray,
    sectors: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """One quarter of every firm: level adjustment, growth and exit, and their sums.

    Updates ``level`` and ``size`` in place. Per firm: the level closes ``kappa`` of
    its gap to the zone's ``target`` (times ``incumbent_share`` for firms born before
    ``incumbent_before``); log growth is a Laplace shock (inverse transform of the
    growth draw; scale ``shock_k`` times the firm's size relative to the median to the
    power ``-shock_elasticity``, at most :data:`SHOCK_SCALE_MAX` times) less
    ``log(1 - b^2)``, which takes out the mean of ``exp(shock)``, plus the level change,
    ``young_step`` while younger than ``young_years``, and ``drift``; the firm exits
    if its exit draw falls below ``1 - exp(-h)``, with the quarterly hazard
    ``h = hazard0[zone] * (1 + young_excess * r * exp(1 - r)) * rel_size^(-size_elasticity)``
    at relative age ``r = age * inv_age_scale`` and the size after growth (see
    ``model.log_exit_hazard``).

    ``work`` holds the kernel's scratch arrays between calls; ``sector`` and ``land``
    (with the number of ``sectors``) serve the census of the survivors.

    Returns:
        ``dead`` (exits, by firm; a view into ``work``), the quarter's value added by
        zone (sum of sizes after growth, exits included), exits by zone, a
        ``(2, bands)`` array of firms and exits by age band (:data:`AGE_EDGES`), and
        the survivors' census (:func:`zone_census`).
    """
    n, nz = len(size), len(target)
    q = q._replace(growth_key=np.uint64(q.growth_key), exit_key=np.uint64(q.exit_key))
    dead = work.dead(n)
    va = np.zeros(nz)
    exits = np.zeros(nz, dtype=np.int64)
    bands = np.zeros((2, len(AGE_EDGES) + 1), dtype=np.int64)
    used, counts = np.zeros(nz), np.zeros((nz, sectors))
    impl = _dynamics_kernel if _current == "numba" else _dynamics_numpy
    impl(
        zone, size, level, birth, firm_id, sector, land, target, hazard0, q, va, exits, bands,
        dead, used, counts, work.floats(n),
    )  # fmt: skip
    return dead, va, exits, bands, (used, counts)


@numba.njit(**_JIT)
def _select_kernel(a, k):  # pragma: no cover - compiled
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
            return a[k]
    return a[k]


@numba.njit(**_JIT)
def _bracket_kernel(x, lo, hi, buf):  # pragma: no cover - compiled
    """Count the elements of ``x`` below ``lo``; copy those in [lo, hi] into ``buf``."""
    below = 0
    m = 0
    for i in range(x.shape[0]):  # branch-free: half the values fall below the bracket
        v = x[i]
        below += v < lo
        buf[m] = v
        m += (v >= lo) & (v <= hi)
    return below, m


@numba.njit(**_JIT)
def _order_kernel(x, k, lows, highs, buf):  # pragma: no cover - compiled
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
    if _current == "numpy":
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
    if _current == "numpy":
        top = np.partition(x, n - k)[n - k :]
        return float(top.sum()), float(top[0])
    buf = np.empty(n) if work is None else work.floats(n)[0]
    lows, highs = _brackets(near, ((TAIL_BRACKET, math.inf),))
    value, total = _order_kernel(x, n - k, lows, highs, buf)
    return float(total), float(value)


#: Lower bound of :func:`largest` below its guess, as a factor.
TAIL_BRACKET = 0.7
#: Brackets of :func:`order_statistic` around its guess, as factors: narrow, then wide.
BRACKETS = ((math.exp(-0.1), math.exp(0.1)), (0.5, 2.0))


# ---------------------------------------------------------------- entry
class Choice(NamedTuple):
    """The parameters of entry's choice (see ``ZoneReformModel._entry``)."""

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


def _census_numpy(zone, sector, land, used, counts):
    nz, ns = counts.shape
    used += np.bincount(zone, weights=land, minlength=nz)
    counts += np.bincount(zone.astype(np.int64) * ns + sector, minlength=nz * ns).reshape(nz, ns)


@numba.njit(**_JIT)
def _census_kernel(zone, sector, land, used, counts):  # pragma: no cover - compiled
    nz, ns = counts.shape
    # Land and firm counts by zone in eight interleaved partial sums (see the dynamics).
    part_land = np.zeros(8 * nz)
    part_n = np.zeros(8 * nz * ns, dtype=np.int32)
    for i in range(zone.shape[0]):
        j = (i & 7) * nz + zone[i]
        part_land[j] += land[i]
        part_n[j * ns + sector[i]] += 1
    _add_partials(part_land, part_n, used, counts)


@numba.njit(**_JIT)
def _add_partials(part_land, part_n, used, counts):  # pragma: no cover - compiled
    nz, ns = counts.shape
    used += _sum8(part_land.reshape(8, nz))
    for k in range(8):
        counts += part_n[k * nz * ns : (k + 1) * nz * ns].reshape(nz, ns)


def zone_census(
    zone: np.ndarray, sector: np.ndarray, land: np.ndarray, zones: int, sectors: int
) -> tuple[np.ndarray, np.ndarray]:
    """Land in use by zone, and firms by zone and sector (one pass over the firms)."""
    used, counts = np.zeros(zones), np.zeros((zones, sectors))
    impl = _census_kernel if _current == "numba" else _census_numpy
    impl(zone, sector, land, used, counts)
    return used, counts


def _choice_numpy(
    zone, sector, land, fresh, used, counts, za, c, shares, free, prob, lam, cdf, speed
):
    if fresh:
        _census_numpy(zone, sector, land, used, counts)
    ns = len(shares)
    free[:] = np.maximum(za.planned - used, 0.0)
    speed[:] = c.approval_days_legacy / za.days
    with np.errstate(divide="ignore"):
        base = (
            c.beta_approval * np.log(speed)
            + c.beta_services * za.services
            + c.beta_effort * np.log(za.effort)
            + c.beta_national * za.national
            + za.marketing
            + c.beta_land * np.log(free / np.maximum(za.planned, 1e-12))
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


@numba.njit(**_JIT)
def _choice_kernel(
    zone, sector, land, fresh, used, counts, za, c, shares, free, prob, lam, cdf, speed
):  # pragma: no cover - compiled
    if fresh:
        _census_kernel(zone, sector, land, used, counts)
    nz, ns = len(free), len(shares)
    base = np.empty(nz)
    for z in range(nz):
        free[z] = max(za.planned[z] - used[z], 0.0)
        speed[z] = c.approval_days_legacy / za.days[z]
        base[z] = (
            c.beta_approval * np.log(speed[z])
            + c.beta_services * za.services[z]
            + c.beta_effort * np.log(za.effort[z])
            + c.beta_national * za.national[z]
            + za.marketing[z]
            + c.beta_land * np.log(free[z] / max(za.planned[z], 1e-12))
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
            util[z + 1] = base[z] + c.beta_agglomeration * np.log1p(counts[z, s])
            top = max(top, util[z + 1])
        total = 0.0
        for z in range(nz + 1):
            util[z] = np.exp(util[z] - top)
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
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Free land and the entrants' choice probabilities, from the zones' census.

    ``census`` is the land in use by zone and the firms by zone and sector as
    :func:`firm_dynamics` left them; without it (``None``) they are counted from the
    firms' ``zone``, ``sector`` and ``land`` first (as :func:`zone_census` does).

    A project of sector ``s`` chooses zone ``z`` (or none, row 0) by a multinomial
    logit: utility ``beta_approval log(speed) + beta_services services + beta_effort
    log(effort) + beta_national national + marketing + beta_land log(free / planned) +
    beta_agglomeration log(1 + firms of s in z)`` (``-inf`` where no firm can locate),
    against ``outside_utility``, with ``speed = approval_days_legacy / days``. Start-ups
    come at the rate ``startup_density / 4 * free * exp(beta_env_startup *
    environment)`` (``model.startup_intensity``) with the sectors of the zone's firms
    (the province's ``shares`` in an empty zone).

    Returns:
        Free land by zone, the choice probabilities (sectors x (1 + zones)), the
        start-up rates by zone, the cumulative sector shares of start-ups (zones x
        sectors) and the approval speed by zone.
    """
    nz, ns = len(za.planned), len(shares)
    free, lam, speed = np.empty(nz), np.empty(nz), np.empty(nz)
    prob, cdf = np.empty((ns, nz + 1)), np.empty((nz, ns))
    fresh = census is None
    used, counts = (np.zeros(nz), np.zeros((nz, ns))) if fresh else census
    impl = _choice_kernel if _current == "numba" else _choice_numpy
    impl(zone, sector, land, fresh, used, counts, za, c, shares, free, prob, lam, cdf, speed)
    return free, prob, lam, cdf, speed


def _place_numpy(alloc, starts, cdf, u_sector, land, free, new_zone, new_sector, keep):
    alloc = alloc.T  # zones x sectors
    nz, ns = alloc.shape
    flat = alloc.ravel()
    n_projects = int(flat.sum())
    s_zone = np.repeat(np.arange(nz), starts)
    s_sector = (u_sector[:, None] > cdf[s_zone]).sum(axis=1)
    new_zone[:n_projects] = np.repeat(np.arange(nz), alloc.sum(axis=1))
    new_zone[n_projects:] = s_zone
    new_sector[:n_projects] = np.repeat(np.tile(np.arange(ns), nz), flat)
    new_sector[n_projects:] = np.minimum(s_sector, ns - 1)
    # Entrants sorted by zone (stable), cumulative land within each zone.
    order = np.argsort(new_zone, kind="stable")
    zs, ls = new_zone[order], land[order]
    cum = np.cumsum(ls)
    first = np.searchsorted(zs, zs, side="left")
    within = cum - (cum[first] - ls[first])
    keep[order] = within <= free[zs]


@numba.njit(**_JIT)
def _place_kernel(
    alloc, starts, cdf, u_sector, land, free, new_zone, new_sector, keep
):  # pragma: no cover - compiled
    ns, nz = alloc.shape
    k = 0
    for z in range(nz):  # projects, by zone and sector
        for s in range(ns):
            for _ in range(alloc[s, z]):
                new_zone[k] = z
                new_sector[k] = s
                k += 1
    j = 0
    for z in range(nz):  # start-ups, by zone; the sector from the zone's mix
        for _ in range(starts[z]):
            s = 0
            while s < ns - 1 and u_sector[j] > cdf[z, s]:
                s += 1
            new_zone[k] = z
            new_sector[k] = s
            k += 1
            j += 1
    taken = np.zeros(nz)
    for i in range(k):  # land check, in order
        z = new_zone[i]
        taken[z] += land[i]
        keep[i] = taken[z] <= free[z]


def place_entrants(
    alloc: np.ndarray,
    starts: np.ndarray,
    cdf: np.ndarray,
    u_sector: np.ndarray,
    land: np.ndarray,
    free: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Entrants' zones and sectors, and which of them find free land.

    Entrants come in order: the projects (``alloc``, sectors x zones), by zone and
    sector, then the start-ups (``starts`` by zone), whose sector is the first whose
    cumulative share ``cdf[zone]`` reaches their draw ``u_sector``. Each takes
    ``land``; within a zone, an entrant fits if the land taken by it and every entrant
    before it is at most the zone's ``free`` land.

    Returns:
        Each entrant's zone and sector, and whether it fits.
    """
    k = len(land)
    new_zone = np.empty(k, dtype=np.intp)
    new_sector = np.empty(k, dtype=np.int8)
    keep = np.empty(k, dtype=np.bool_)
    impl = _place_kernel if _current == "numba" else _place_numpy
    impl(alloc, starts, cdf, u_sector, land, free, new_zone, new_sector, keep)
    return new_zone, new_sector, keep


# ---------------------------------------------------------------- exits
@numba.njit(**_JIT)
def _compact_kernel(dead, floats, ints, bytes_, firm_id, row_of):  # pragma: no cover
    n = dead.shape[0]
    n_dead = 0
    for i in range(n):  # vectorised
        n_dead += dead[i]
    n_keep = n - n_dead
    j = n_keep  # survivors beyond n_keep fill the holes below it, both in order
    for i in range(n_keep):
        if dead[i]:
            row_of[firm_id[i]] = -1
            while dead[j]:
                row_of[firm_id[j]] = -1
                j += 1
            for c in floats:
                c[i] = c[j]
            for c in ints:
                c[i] = c[j]
            for c in bytes_:
                c[i] = c[j]
            firm_id[i] = firm_id[j]
            row_of[firm_id[i]] = i
            j += 1
    for i in range(j, n):  # the dead in the tail not yet passed
        if dead[i]:
            row_of[firm_id[i]] = -1
    return n_keep


def compact(
    dead: np.ndarray,
    arrays: dict[str, np.ndarray],
    row_of: np.ndarray,
) -> int:
    """Drop the rows marked ``dead`` from the live rows of ``arrays``; return the rows left.

    Survivors from the tail fill the holes the dead leave, in order (swap with last),
    so the cost is proportional to the deaths, not to the population. ``row_of`` maps
    each firm id to its row (-1 once dead). Object columns (agent views) are moved too.
    """
    n = len(dead)
    groups: dict[str, list[np.ndarray]] = {"f8": [], "i8": [], "i1": []}
    for name, a in arrays.items():
        if name != "firm_id":
            groups.get(a.dtype.str[1:], []).append(a[:n])
    if _current == "numba" and sum(map(len, groups.values())) == len(arrays) - 1:
        return _compact_kernel(
            dead, *(tuple(g) for g in groups.values()), arrays["firm_id"][:n], row_of
        )
    dead_rows = np.flatnonzero(dead)
    n_keep = n - len(dead_rows)
    row_of[arrays["firm_id"][dead_rows]] = -1
    holes = dead_rows[dead_rows < n_keep]
    movers = n_keep + np.flatnonzero(~dead[n_keep:n])
    for arr in arrays.values():
        arr[holes] = arr[movers]
    row_of[arrays["firm_id"][holes]] = holes
    return n_keep


def compile_all() -> None:
    """Compile every kernel (or load it from the disk cache): a process's first run is then fast.

    Runs the model for a year with the kernel; ``make setup`` calls it so that the cache
    exists before the first batch.
    """
    from sim.core.run import simulate

    with using("numba"):
        simulate(seed=0, end=2016)
