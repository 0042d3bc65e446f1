"""The model's random streams: ``numpy.random.SeedSequence(root, spawn_key=key)``, compiled.

Each mechanism draws, every quarter, from a stream seeded by the run's root and a key
(mechanism, quarter[, zone]) (see ``ZoneReformModel.stream``). A run makes a few hundred
of them, and NumPy's :class:`~numpy.random.SeedSequence` spends more time hashing a key
than the model spends drawing from some of the streams. :class:`StreamSeed` computes the
same pool and the same words as ``SeedSequence(root, spawn_key=key)`` (NumPy's algorithm:
the hash mix of O'Neill's ``seed_seq_fe``, as in ``numpy/random/bit_generator.pyx``) in one
compiled call; ``tests/core/test_streams.py`` holds it to NumPy's output word for word.
"""

from __future__ import annotations

import sys
from typing import Any

import numba
import numpy as np
from numpy.random.bit_generator import ISeedSequence

from sim.core.compiled import CACHED

_INIT_A = np.uint32(0x43B0D7E5)
_MULT_A = np.uint32(0x931E8875)
_INIT_B = np.uint32(0x8B51F9DD)
_MULT_B = np.uint32(0x58F38DED)
_MIX_MULT_L = np.uint32(0xCA01F9DD)
_MIX_MULT_R = np.uint32(0x4973F715)
#: Words in a pool (NumPy's default ``pool_size``).
POOL_SIZE = 4


@numba.njit(inline="always", **CACHED)
def _u32(x: Any) -> Any:  # pragma: no cover - compiled
    return np.uint32(x & np.uint64(0xFFFFFFFF))


@numba.njit(inline="always", **CACHED)
def _hashmix(value: Any, h: Any) -> tuple[Any, Any]:  # pragma: no cover - compiled
    """(hashmix(value), the next hash constant), as ``SeedSequence``'s ``hashmix``."""
    value = _u32(np.uint64(value) ^ np.uint64(h))
    h = _u32(np.uint64(h) * np.uint64(_MULT_A))
    value = _u32(np.uint64(value) * np.uint64(h))
    return _u32(np.uint64(value) ^ (np.uint64(value) >> np.uint64(16))), h


@numba.njit(inline="always", **CACHED)
def _mix(x: Any, y: Any) -> Any:  # pragma: no cover - compiled
    r = _u32(np.uint64(_MIX_MULT_L) * np.uint64(x) - np.uint64(_MIX_MULT_R) * np.uint64(y))
    return _u32(np.uint64(r) ^ (np.uint64(r) >> np.uint64(16)))


@numba.njit(**CACHED)
def _pool(entropy: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    """``SeedSequence.mix_entropy`` of a zeroed pool with ``entropy`` (uint32 words)."""
    pool = np.zeros(POOL_SIZE, dtype=np.uint32)
    h = _INIT_A
    n = entropy.shape[0]
    for i in range(POOL_SIZE):
        pool[i], h = _hashmix(entropy[i] if i < n else np.uint32(0), h)
    for i_src in range(POOL_SIZE):
        for i_dst in range(POOL_SIZE):
            if i_src != i_dst:
                v, h = _hashmix(pool[i_src], h)
                pool[i_dst] = _mix(pool[i_dst], v)
    for i_src in range(POOL_SIZE, n):
        for i_dst in range(POOL_SIZE):
            v, h = _hashmix(entropy[i_src], h)
            pool[i_dst] = _mix(pool[i_dst], v)
    return pool


@numba.njit(**CACHED)
def _state(pool: np.ndarray, n_words: int) -> np.ndarray:  # pragma: no cover - compiled
    """``SeedSequence.generate_state(n_words, np.uint32)`` of ``pool``."""
    out = np.empty(n_words, dtype=np.uint32)
    h = _INIT_B
    for i in range(n_words):
        v = _u32(np.uint64(pool[i % POOL_SIZE]) ^ np.uint64(h))
        h = _u32(np.uint64(h) * np.uint64(_MULT_B))
        v = _u32(np.uint64(v) * np.uint64(h))
        out[i] = _u32(np.uint64(v) ^ (np.uint64(v) >> np.uint64(16)))
    return out


def words(value: int) -> list[int]:
    """A non-negative integer as 32-bit words, least significant first (``[0]`` for 0)."""
    if value < 0:
        raise ValueError(f"expected a non-negative integer, got {value}")
    out = [value & 0xFFFFFFFF]
    value >>= 32
    while value:
        out.append(value & 0xFFFFFFFF)
        value >>= 32
    return out


class StreamSeed(ISeedSequence):
    """``numpy.random.SeedSequence(root, spawn_key=key)``'s words, for seeding a generator.

    Args:
        root: The run's root entropy as :func:`words`, padded with zeros to
            :data:`POOL_SIZE` words (as ``SeedSequence`` pads it when there is a key).
        key: The stream's spawn key: non-negative integers, at least one.
    """

    def __init__(self, root: list[int], key: tuple[int, ...]) -> None:
        """Mix the root and the key into the pool."""
        entropy = [*root]
        for k in key:
            if 0 <= k <= 0xFFFFFFFF:
                entropy.append(k)
            else:
                entropy.extend(words(k))
        self.pool = _pool(np.array(entropy, dtype=np.uint32))

    def generator(self) -> np.random.Generator:
        """A generator seeded so, as ``numpy.random.default_rng(SeedSequence(...))``."""
        # PCG64 takes any ISeedSequence; NumPy's stubs name only SeedSequence.
        return np.random.Generator(np.random.PCG64(self))  # type: ignore[arg-type]

    def generate_state(self, n_words: int, dtype: Any = np.uint32) -> np.ndarray:
        """``n_words`` words of state, as ``SeedSequence.generate_state``."""
        if dtype is np.uint64 or np.dtype(dtype) == np.uint64:
            state = _state(self.pool, 2 * n_words)
            if _LITTLE:
                return state.view(np.uint64)
            return state.astype("<u4").view("<u8").astype(np.uint64)  # as NumPy reads pairs
        if np.dtype(dtype) != np.uint32:
            raise ValueError(f"dtype: expected uint32 or uint64, got {dtype}")
        state32: np.ndarray = _state(self.pool, n_words)
        return state32


def root_words(root: int) -> list[int]:
    """The root entropy of :class:`StreamSeed`: ``root``'s words padded to the pool."""
    w = words(root)
    return w + [0] * (POOL_SIZE - len(w))


_LITTLE = sys.byteorder == "little"
