"""Removing exited firms from the population's arrays."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import numba
import numpy as np

from sim.core.compiled import JIT
from sim.core.firms.kernel.base import current


@numba.njit(**JIT)
def _compact_kernel(
    rows: np.ndarray,
    n: int,
    floats: tuple[np.ndarray, ...],
    ints: tuple[np.ndarray, ...],
    bytes_: tuple[np.ndarray, ...],
    firm_id: np.ndarray,
    row_of: np.ndarray,
) -> int:  # pragma: no cover
    n_dead: int = rows.shape[0]
    n_keep = n - n_dead
    track = row_of.shape[0] > 0
    for t in range(n_dead if track else 0):
        row_of[firm_id[rows[t]]] = -1
    tail = np.searchsorted(rows, n_keep)  # the dead at or beyond n_keep: rows[tail:]
    j = n_keep  # survivors beyond n_keep fill the holes below it, both in order
    for t in range(tail):
        i = rows[t]
        while tail < n_dead and rows[tail] == j:
            tail += 1
            j += 1
        for c in floats:
            c[i] = c[j]
        for c in ints:
            c[i] = c[j]
        for c in bytes_:
            c[i] = c[j]
        firm_id[i] = firm_id[j]
        if track:
            row_of[firm_id[i]] = i
        j += 1
    return n_keep


def compact(
    rows: np.ndarray, n: int, arrays: dict[str, np.ndarray], row_of: np.ndarray | None = None
) -> int:
    """Drop ``rows`` (ascending) from the first ``n`` rows of ``arrays``; return the rows left.

    Survivors from the tail fill the holes the dead leave, in order (swap with last),
    so the cost is proportional to the deaths, not to the population. ``row_of``, if
    given, maps each firm id to its row (-1 once dead) and is kept so. Object columns
    (agent views) are moved too.
    """
    if row_of is None:
        row_of = _NO_ROWS
    groups: dict[str, list[np.ndarray]] = {"f8": [], "i8": [], "i1": []}
    for name, a in arrays.items():
        if name != "firm_id":
            groups.get(a.dtype.str[1:], []).append(a[:n])
    if current() == "numba" and sum(map(len, groups.values())) == len(arrays) - 1:
        # mypy cannot match a starred argument followed by positional ones to parameters.
        return int(
            cast("Callable[..., int]", _compact_kernel)(
                rows, n, *(tuple(g) for g in groups.values()), arrays["firm_id"][:n], row_of
            )
        )
    n_keep = n - len(rows)
    if len(row_of):
        row_of[arrays["firm_id"][rows]] = -1
    holes = rows[rows < n_keep]
    alive = np.ones(n - n_keep, dtype=bool)
    alive[rows[rows >= n_keep] - n_keep] = False
    movers = n_keep + np.flatnonzero(alive)
    for arr in arrays.values():
        arr[holes] = arr[movers]
    if len(row_of):
        row_of[arrays["firm_id"][holes]] = holes
    return n_keep


_NO_ROWS = np.empty(0, dtype=np.int64)
