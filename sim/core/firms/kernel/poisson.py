"""Poisson counts from counter-based draws: entry's numbers of start-ups and projects."""

from __future__ import annotations

import math

import numba
import numpy as np

from sim.core.compiled import JIT
from sim.core.firms.kernel.base import _uniform, current, uniforms

#: Means at or above which :func:`poisson_counts` samples by transformed rejection.
POISSON_PTRS = 10.0
#: Counters reserved for each mean: mean ``c`` draws at ``c * POISSON_DRAWS + t``.
POISSON_DRAWS = 1 << 16
#: Uniforms a rejection sampler takes at a time (two per attempt).
_CHUNK = 16


@numba.njit(**JIT)
def _inverse_poisson(lam: float, u: float) -> int:  # pragma: no cover - compiled
    """The Poisson(``lam``) count whose distribution function first reaches ``u``."""
    p = math.exp(-lam)
    total = p
    k = 0
    while u > total and p > 0.0:
        k += 1
        p *= lam / k
        total += p
    return k


@numba.njit(**JIT)
def _ptrs_poisson(lam: float, u: np.ndarray) -> int:  # pragma: no cover - compiled
    """A Poisson(``lam``) count by transformed rejection (PTRS, Hörmann 1993), ``lam >= 10``.

    Takes the uniforms ``u`` in pairs, one pair per attempt; -1 if none is accepted.
    As NumPy's ``Generator.poisson`` samples means of 10 and more.
    """
    slam, loglam = math.sqrt(lam), math.log(lam)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    invalpha = 1.1239 + 1.1328 / (b - 3.4)
    vr = 0.9277 - 3.6224 / (b - 2.0)
    for t in range(0, u.shape[0] - 1, 2):
        uu, v = u[t] - 0.5, u[t + 1]
        us = 0.5 - abs(uu)
        k = math.floor((2.0 * a / us + b) * uu + lam + 0.43)
        if us >= 0.07 and v <= vr:
            return int(k)
        if k < 0 or (us < 0.013 and v > us):
            continue
        accept = -lam + k * loglam - math.lgamma(k + 1.0)
        if math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b) <= accept:
            return int(k)
    return -1


@numba.njit(**JIT)
def _poisson_kernel(key: np.uint64, lam: np.ndarray, out: np.ndarray) -> None:  # pragma: no cover
    u = np.empty(_CHUNK)
    for c in range(lam.shape[0]):
        base = c * POISSON_DRAWS
        if lam[c] < POISSON_PTRS:
            out[c] = _inverse_poisson(lam[c], _uniform(key, base))
            continue
        k, t = -1, 0
        while k < 0:
            for j in range(_CHUNK):
                u[j] = _uniform(key, base + t + j)
            k = _ptrs_poisson(lam[c], u)
            t += _CHUNK
        out[c] = k


def _poisson_numpy(key: np.uint64, lam: np.ndarray, out: np.ndarray) -> None:
    cells = np.arange(len(lam), dtype=np.int64) * POISSON_DRAWS
    small = lam < POISSON_PTRS
    for c, u in zip(np.flatnonzero(small), uniforms(key, cells[small]), strict=True):
        out[c] = _inverse_poisson.py_func(lam[c], u)
    for c in np.flatnonzero(~small):
        k, t = -1, 0
        while k < 0:
            k = _ptrs_poisson.py_func(lam[c], uniforms(key, cells[c] + t + np.arange(_CHUNK)))
            t += _CHUNK
        out[c] = k


def poisson_counts(key: int | np.uint64, lam: np.ndarray) -> np.ndarray:
    """One Poisson count for each mean in ``lam``: counter-based draws of the stream ``key``.

    The count of mean ``c`` takes the :func:`uniforms` of ``key`` at counters from
    ``c * POISSON_DRAWS`` on, so it depends on the run, the quarter and its place
    only. Below :data:`POISSON_PTRS` a mean's count inverts one draw (the first count
    whose distribution function reaches it); from it on, transformed rejection takes
    pairs of draws (Hörmann 1993; NumPy's method for those means).

    Raises:
        ValueError: If a mean is negative or NaN.
    """
    lam = np.ascontiguousarray(lam, dtype=np.float64)
    if not (lam >= 0.0).all():
        raise ValueError("poisson_counts: expected means >= 0 (not NaN)")
    out = np.empty(len(lam), dtype=np.int64)
    impl = _poisson_kernel if current() == "numba" else _poisson_numpy
    impl(np.uint64(key), lam, out)
    return out
