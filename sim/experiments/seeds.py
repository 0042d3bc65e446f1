"""Common random numbers: replicate seeds derived from one master seed.

Replicate ``k`` of every scenario in a batch runs with the same seed, so the
difference between two scenarios in replicate ``k`` is a paired difference: the
scenarios see the same draws wherever their paths agree.
"""

from __future__ import annotations

import numpy as np

#: Largest seed stored (seeds fit a signed 64-bit column).
SEED_BITS = 63


def replicate_seed(master: int, replicate: int) -> int:
    """Return the seed of one replicate.

    The seed is drawn from the ``replicate``-th child of
    ``numpy.random.SeedSequence(master)`` (the child that ``spawn`` would give), so
    it does not depend on how many replicates the batch has: adding replicates
    keeps the seeds of the existing ones.

    Args:
        master: The batch's master seed (a non-negative integer).
        replicate: Replicate index, from 0.

    Returns:
        A non-negative integer below ``2**63``.

    Raises:
        ValueError: If ``master`` or ``replicate`` is negative.
    """
    if master < 0 or replicate < 0:
        raise ValueError(f"seed: expected non-negative master seed and replicate, got {master}")
    child = np.random.SeedSequence(master, spawn_key=(replicate,))
    return int(child.generate_state(1, np.uint64)[0] >> np.uint64(64 - SEED_BITS))


def replicate_seeds(master: int, n: int) -> list[int]:
    """Return the seeds of replicates ``0..n-1`` (see :func:`replicate_seed`)."""
    return [replicate_seed(master, k) for k in range(n)]
