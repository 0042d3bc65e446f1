"""Removing exited firms from the population's arrays."""

from __future__ import annotations

import numba
import numpy as np

from sim.core.firms.kernel.base import _JIT, current


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
    if current() == "numba" and sum(map(len, groups.values())) == len(arrays) - 1:
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
