"""Every seed of the project, derived from one master seed: the branches and their helpers.

Seeds come from ``numpy.random.SeedSequence(master, spawn_key=key)``: the child that
``spawn`` would give at ``key``. The first entry of ``key`` names a *branch*; the
branches below are kept apart so that, for example, the validation of a calibration
never reuses a seed the calibration drew from. Changing a branch number or a helper
changes every stored result that depends on it, so ``tests/experiments/test_seeds.py``
pins a few derived values.

Replicate ``k`` of every scenario in a batch runs with seed :func:`replicate_seed`
``(master, k)``, so the difference between two scenarios in replicate ``k`` is a paired
difference (common random numbers): the scenarios see the same draws wherever their
paths agree. Replicates use the key ``(k,)`` directly; the named branches below are
further keys under the same master seed.
"""

from __future__ import annotations

import numpy as np

#: Largest seed stored (seeds fit a signed 64-bit column).
SEED_BITS = 63

#: Calibration: seeds shared by every candidate of the global search (common random numbers).
CRN = 1
#: Calibration: seeds of the ABC-SMC simulations (key ``(ABC_SIMULATION, generation, batch, i)``).
ABC_SIMULATION = 2
#: Calibration: generators of the ABC-SMC proposals (key ``(ABC_PROPOSAL, generation, batch)``).
ABC_PROPOSAL = 3
#: Calibration: generator of the differential-evolution search.
SEARCH = 4
#: Calibration: posterior-predictive draws and their runs.
PREDICTIVE = 5
#: Calibration: validation seeds, never used while fitting.
VALIDATION = 6
#: Posterior draws of a batch that carries parameter uncertainty (key ``(POSTERIOR_DRAW, k)``).
POSTERIOR_DRAW = 7
#: Calibration: history matching (key ``(HISTORY, wave, replicate)`` for the wave's common
#: seeds; ``(HISTORY, wave, 10_000 + k)`` for its designs and emulator fits).
HISTORY = 8
#: Latin-hypercube designs of scenario sweeps (key ``(SWEEP, 0)``).
SWEEP = 9
#: Sensitivity analysis: SALib's sampling (stream 0) and bootstrap (stream ``1 + output``).
SALIB = 1_000_003
#: Robustness: the Latin hypercube of an exploration's states of the world (key
#: ``(EXPLORE_STATES,)``).
EXPLORE_STATES = 2**31 - 11
#: Robustness: the posterior draw of each state of the world (key ``(EXPLORE_DRAW, state)``).
EXPLORE_DRAW = 2**31 - 12
#: Robustness: random states of scenario discovery's trees (key ``(DISCOVERY, ...)``).
DISCOVERY = 2**31 - 13


def _check(master: int, key: tuple[int, ...]) -> None:
    if master < 0 or any(k < 0 for k in key):
        raise ValueError(
            f"seed: expected a non-negative master seed and branch, got {master} and {key}"
        )


def branch_seed(master: int, *key: int) -> int:
    """Return the seed at ``key`` under ``master``: a non-negative integer below ``2**63``.

    Args:
        master: The master seed (non-negative).
        *key: The spawn key: a branch constant of this module and indices under it.

    Raises:
        ValueError: If ``master`` or an entry of ``key`` is negative.
    """
    key = tuple(int(k) for k in key)
    _check(master, key)
    child = np.random.SeedSequence(master, spawn_key=key)
    return int(child.generate_state(1, np.uint64)[0] >> np.uint64(64 - SEED_BITS))


def branch_state32(master: int, *key: int) -> int:
    """Return a 32-bit integer at ``key`` under ``master`` (a library's ``random_state``)."""
    key = tuple(int(k) for k in key)
    _check(master, key)
    return int(np.random.SeedSequence(master, spawn_key=key).generate_state(1, np.uint32)[0])


def branch_rng(master: int, *key: int) -> np.random.Generator:
    """Return a generator seeded at ``key`` under ``master`` (see :func:`branch_seed`)."""
    key = tuple(int(k) for k in key)
    _check(master, key)
    return np.random.default_rng(np.random.SeedSequence(master, spawn_key=key))


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
    return branch_seed(master, replicate)


def replicate_seeds(master: int, n: int) -> list[int]:
    """Return the seeds of replicates ``0..n-1`` (see :func:`replicate_seed`)."""
    return [replicate_seed(master, k) for k in range(n)]


def crn_seeds(master: int, n: int) -> list[int]:
    """Seeds shared by every candidate of a calibration search (branch :data:`CRN`)."""
    return [branch_seed(master, CRN, r) for r in range(n)]


def validation_seeds(master: int, n: int = 20) -> list[int]:
    """Seeds of a calibration's validation runs (branch :data:`VALIDATION`)."""
    return [branch_seed(master, VALIDATION, r) for r in range(n)]


def sweep_rng(master: int) -> np.random.Generator:
    """Generator of a scenario file's Latin-hypercube sweep (branch :data:`SWEEP`)."""
    return branch_rng(master, SWEEP, 0)


def salib_seed(master: int, stream: int) -> int:
    """A positive seed for SALib on branch :data:`SALIB` (SALib reads 0 as "no seed").

    Args:
        master: The analysis's master seed.
        stream: 0 for sampling, ``1 + j`` for the bootstrap of output ``j``.

    Returns:
        An integer from 1 to ``2**31 - 2``.
    """
    _check(master, (stream,))
    child = np.random.SeedSequence(master, spawn_key=(SALIB, stream))
    return int(child.generate_state(1, np.uint32)[0] % (2**31 - 2)) + 1
