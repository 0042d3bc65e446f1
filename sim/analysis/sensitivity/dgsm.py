"""Derivative-based global sensitivity measures (SALib ``dgsm``) by finite differences."""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.analysis.sensitivity.problem import SensitivityArgumentError

COLUMNS = ("vi", "vi_std", "dgsm", "dgsm_conf")
PRIMARY = (("dgsm", "dgsm_conf"),)
OPTIONS = ("delta",)
GROUPS = False
THRESHOLD = None


def block(problem: dict[str, Any]) -> int:
    """Rows per base point: the point and one step along each parameter."""
    return problem["num_vars"] + 1


def sample(problem: dict[str, Any], n: int, *, seed: int, delta: float = 0.01) -> np.ndarray:
    """``n`` base points, each with a relative step ``delta`` along every parameter."""
    from SALib.sample import finite_diff

    if not 0 < delta < 1:
        raise SensitivityArgumentError("delta", f": expected a step between 0 and 1, got {delta}")
    return finite_diff.sample(problem, n, delta=delta, seed=seed)


def analyze(
    problem: dict[str, Any],
    X: np.ndarray,
    y: np.ndarray,
    *,
    seed: int,
    conf_level: float,
    resamples: int,
    delta: float = 0.01,
) -> dict[str, Any]:
    """Squared-derivative measures with bootstrap intervals."""
    from SALib.analyze import dgsm

    return dgsm.analyze(problem, X, y, num_resamples=resamples, conf_level=conf_level, seed=seed)
