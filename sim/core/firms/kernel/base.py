"""The kernel's foundations: the implementation switch, random numbers, ``exp`` and ``log``.

Also the scratch and zone arrays every kernel reads.

See :mod:`sim.core.firms.kernel` for the design.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NamedTuple, cast

import numba
import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

from sim.core.compiled import JIT

if TYPE_CHECKING:
    from numba.core.base import BaseContext
    from numba.core.typing.context import BaseContext as TypingContext
    from numba.core.typing.templates import Signature

    #: What an intrinsic's typing function returns: the signature and its code generator.
    _Typed = tuple[
        Signature, Callable[[BaseContext, ir.IRBuilder, Signature, list[ir.Value]], ir.Value]
    ]

#: Implementations: the compiled kernel and the NumPy reference.
IMPLEMENTATIONS = ("numba", "numpy")
_current = "numba"

#: Upper edges of the age bands of recorded exits, years (``firms.dynamics.EXIT_AGE_EDGES``).
AGE_EDGES = (1.0, 2.0, 7.0)
#: Largest factor by which a small firm's shock scale exceeds the median firm's.
SHOCK_SCALE_MAX = 2.5

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
def uniforms(key: int | np.uint64, ids: np.ndarray) -> np.ndarray:
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


@numba.njit(inline="always", **JIT)
def _uniform(key: int | np.uint64, i: int | np.int64) -> float:  # pragma: no cover - compiled
    z = key + (np.uint64(i) + _ONE) * GAMMA
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    z = z ^ (z >> _S31)
    return (np.int64(z >> _S11) + 0.5) * _TWO_M53


# ---------------------------------------------------------------- exp and log
def _unary(
    name: str,
    arg: types.Type,
    result: types.Type,
    emit: Callable[[ir.IRBuilder, ir.Value], ir.Value],
) -> object:
    """A numba intrinsic ``name`` of one ``arg`` giving a ``result``: the code ``emit`` makes."""

    def typer(typingctx: TypingContext, x: types.Type) -> _Typed | None:  # pragma: no cover
        if x != arg:
            return None

        def codegen(
            context: BaseContext, builder: ir.IRBuilder, signature: Signature, args: list[ir.Value]
        ) -> ir.Value:
            return emit(builder, args[0])

        return result(arg), codegen

    typer.__name__ = typer.__qualname__ = name
    return intrinsic(typer)


# numba's stubs type a call of an intrinsic as a call of its typing function (the typing
# context first) that never returns; compiled code passes the value alone and gets one.
#: The IEEE bits of a float64 as an int64.
_bits = cast(
    "Callable[[float], np.int64]",
    _unary("_bits", types.float64, types.int64, lambda b, v: b.bitcast(v, ir.IntType(64))),
)
#: The float64 whose IEEE bits are an int64.
_float = cast(
    "Callable[[np.int64], float]",
    _unary("_float", types.int64, types.float64, lambda b, v: b.bitcast(v, ir.DoubleType())),
)
#: The IEEE square root (LLVM's, which vectorises; numba's ``math.sqrt`` calls the C library).
_sqrt = cast(
    "Callable[[float], float]",
    _unary(
        "_sqrt",
        types.float64,
        types.float64,
        lambda b, v: b.call(b.module.declare_intrinsic("llvm.sqrt", [ir.DoubleType()]), [v]),
    ),
)


_LN2_HI = 6.93147180369123816490e-01  # trailing zeros: k * _LN2_HI is exact
_LN2_LO = 1.90821492927058770002e-10
_INV_LN2 = 1.44269504088896338700e00
_SQRT2 = 1.4142135623730951


#: Coefficients, highest power first, of the Taylor polynomial of degree 12 of ``exp``.
_EXP_TAYLOR = (
    2.08767569878681e-09, 2.505210838544172e-08, 2.755731922398589e-07,
    2.7557319223985893e-06, 2.48015873015873e-05, 0.0001984126984126984,
    0.001388888888888889, 0.008333333333333333, 0.041666666666666664,
    0.16666666666666666, 0.5, 1.0, 1.0,
)  # fmt: skip
#: ``atanh(s) / s`` in powers of ``s^2``, highest first: ``1/19, 1/17, ..., 1/3, 1``.
_ATANH_SERIES = (
    0.05263157894736842, 0.058823529411764705, 0.06666666666666667, 0.07692307692307693,
    0.09090909090909091, 0.1111111111111111, 0.14285714285714285, 0.2,
    0.3333333333333333, 1.0,
)  # fmt: skip
#: ``(sin(x) - x) / x^3`` and ``(cos(x) - 1) / x^2`` in powers of ``x^2``, highest first.
_SIN_TAYLOR = (
    -7.647163731819816e-13, 1.6059043836821613e-10, -2.505210838544172e-08,
    2.7557319223985893e-06, -0.0001984126984126984, 0.008333333333333333,
    -0.16666666666666666,
)  # fmt: skip
_COS_TAYLOR = (
    4.779477332387385e-14, -1.1470745597729725e-11, 2.08767569878681e-09,
    -2.755731922398589e-07, 2.48015873015873e-05, -0.001388888888888889,
    0.041666666666666664, -0.5,
)  # fmt: skip


@numba.njit(inline="always", **JIT)
def _horner(x: float, coefficients: tuple[float, ...]) -> float:  # pragma: no cover - compiled
    """The polynomial with ``coefficients`` (highest power first) at ``x``, in Horner form."""
    p = coefficients[0]
    for c in coefficients[1:]:
        p = p * x + c
    return p


@numba.njit(inline="always", **JIT)
def _exp(x: float) -> float:  # pragma: no cover - compiled
    """exp(x) for x in [-708, 709] (clamped), branch-free so loops vectorise.

    ``exp(x) = 2^k exp(r)`` with ``|r| <= ln(2)/2`` and the Taylor polynomial of
    degree 12 of ``exp(r)`` (truncation error below 2e-16), in Horner form.
    """
    x = min(max(x, -708.0), 709.0)
    k = math.floor(x * _INV_LN2 + 0.5)
    r = (x - k * _LN2_HI) - k * _LN2_LO
    p = _horner(r, _EXP_TAYLOR)
    return p * _float((np.int64(k) + 1023) << 52)


@numba.njit(inline="always", **JIT)
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
    w = _horner(z, _ATANH_SERIES)
    return e * _LN2_HI + (2.0 * s * w + e * _LN2_LO)


_TWO_PI = 6.283185307179586


@numba.njit(inline="always", **JIT)
def _sincos_turns(u: float) -> tuple[float, float]:  # pragma: no cover - compiled
    """(sin(2 pi u), cos(2 pi u)) for u in [0, 1], branch-free so loops vectorise.

    ``u = q/4 + t`` with ``|t| <= 1/8`` (exact); the Taylor polynomials of degree 15 and
    16 of sine and cosine at ``x = 2 pi t``, ``|x| <= pi/4`` (truncation errors below
    5e-17), then the quarter turn ``q`` rotates the pair.
    """
    q = math.floor(u * 4.0 + 0.5)
    x = (u - q * 0.25) * _TWO_PI
    z = x * x
    s = _horner(z, _SIN_TAYLOR)
    s = x + x * (s * z)
    c = _horner(z, _COS_TAYLOR)
    c = 1.0 + z * c
    # q quarter turns (q in 0..4) rotate (s, c): (c, -s), (-s, -c), (-c, s), (s, c).
    odd = q - 2.0 * math.floor(q * 0.5)  # 1.0 for q = 1, 3
    sign = 1.0 - 2.0 * (q - 4.0 * math.floor(q * 0.25) >= 2.0)  # -1.0 for q = 2, 3
    even = 1.0 - odd
    return sign * (even * s + odd * c), sign * (even * c - odd * s)


@numba.njit(**JIT)
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


@numba.njit(**JIT)
def _sincos_arrays(u: np.ndarray, out_sin: np.ndarray, out_cos: np.ndarray) -> None:
    """``sin`` and ``cos`` of ``2 pi u`` for an array (for testing the polynomials)."""
    for i in range(u.shape[0]):
        out_sin[i], out_cos[i] = _sincos_turns(u[i])


def sincos_turns(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The kernel's ``sin(2 pi u)`` and ``cos(2 pi u)`` of every ``u`` in [0, 1] (for tests)."""
    u = np.ascontiguousarray(u, dtype=np.float64)
    s, c = np.empty_like(u), np.empty_like(u)
    _sincos_arrays(u, s, c)
    return s, c


# ---------------------------------------------------------------- arrays
class Workspace:
    """Scratch arrays of the kernel, kept between quarters; they grow by doubling.

    Fresh large arrays would cost page faults every quarter.
    """

    def __init__(self) -> None:
        self._floats = np.empty((4, 0))
        self._rows = np.empty(0, dtype=np.int64)

    def floats(self, n: int) -> np.ndarray:
        """A ``(4, >= n)`` float scratch array."""
        if self._floats.shape[1] < n:
            self._floats = np.empty((4, max(n, 2 * self._floats.shape[1])))
        return self._floats

    def rows(self, n: int) -> np.ndarray:
        """An integer array of length ``n`` (contents undefined)."""
        if len(self._rows) < n:
            self._rows = np.empty(max(n, 2 * len(self._rows)), dtype=np.int64)
        return self._rows[:n]


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
