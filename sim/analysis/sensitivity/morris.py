"""Morris elementary effects (SALib ``morris``): ``n`` trajectories on a grid."""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.analysis.sensitivity.problem import SensitivityArgumentError, factor_names

COLUMNS = ("mu", "mu_star", "mu_star_conf", "sigma")
PRIMARY = (("mu_star", "mu_star_conf"),)
OPTIONS = ("num_levels",)
GROUPS = True
THRESHOLD = None


def block(problem: dict[str, Any]) -> int:
    """Rows per trajectory: one more than the factors."""
    return len(factor_names(problem)) + 1


def sample(problem: dict[str, Any], n: int, *, seed: int, num_levels: int = 4) -> np.ndarray:
    """``n`` trajectories on a grid of ``num_levels`` levels (an even number)."""
    from SALib.sample import morris

    if num_levels < 2 or num_levels % 2:
        raise SensitivityArgumentError(
            "num_levels", f": expected an even number >= 2, got {num_levels}"
        )
    return morris.sample(problem, n, num_levels=num_levels, seed=seed)


def analyze(
    problem: dict[str, Any],
    X: np.ndarray,
    y: np.ndarray,
    *,
    seed: int,
    conf_level: float,
    resamples: int,
    num_levels: int = 4,
) -> dict[str, Any]:
    """Mean, mean absolute value and spread of the elementary effects."""
    from SALib.analyze import morris

    return morris.analyze(
        problem,
        X,
        y,
        num_resamples=resamples,
        conf_level=conf_level,
        num_levels=num_levels,
        seed=seed,
    )


def noise_floor(noise_var_mean: Any, num_levels: int) -> Any:
    """The mu* that noise alone gives when runs at neighbouring points are independent."""
    step = num_levels / (2 * (num_levels - 1))
    return 2 * np.sqrt(noise_var_mean / np.pi) / step
