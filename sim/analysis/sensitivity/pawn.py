"""PAWN density-based indices (SALib ``pawn``) on a scrambled Sobol' sequence."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.stats import qmc

from sim.analysis.sensitivity.problem import require_power_of_two

COLUMNS = ("minimum", "mean", "median", "maximum", "CV", "stdev")
PRIMARY: tuple[tuple[str, str | None], ...] = (("median", None),)
OPTIONS: tuple[str, ...] = ()
GROUPS = False
THRESHOLD = None


def block(problem: dict[str, Any]) -> int:
    """One row per sample."""
    return 1


def sample(problem: dict[str, Any], n: int, *, seed: int) -> np.ndarray:
    """``n`` points (a power of two) of a scrambled Sobol' sequence over the bounds."""
    require_power_of_two("pawn", n)
    d = problem["num_vars"]
    unit = qmc.Sobol(d, scramble=True, seed=np.random.default_rng(np.random.SeedSequence(seed)))
    lo, hi = np.asarray(problem["bounds"], dtype=float).T
    return qmc.scale(unit.random(n), lo, hi)


def analyze(
    problem: dict[str, Any],
    X: np.ndarray,
    y: np.ndarray,
    *,
    seed: int,
    conf_level: float,
    resamples: int,
) -> dict[str, Any]:
    """Kolmogorov-Smirnov statistics over 10 slices (deterministic; no bootstrap)."""
    from SALib.analyze import pawn

    return pawn.analyze(problem, X, y, S=10, seed=None)
