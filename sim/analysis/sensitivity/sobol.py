"""Sobol' first- and total-order indices (SALib ``sobol``) on a Saltelli design."""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.analysis.sensitivity.problem import factor_names, require_power_of_two

COLUMNS = ("S1", "S1_conf", "ST", "ST_conf")
PRIMARY = (("S1", "S1_conf"), ("ST", "ST_conf"))
OPTIONS: tuple[str, ...] = ()
GROUPS = True
#: A Sobol index is influential from this value up.
THRESHOLD = 0.05


def block(problem: dict[str, Any]) -> int:
    """Rows per base sample: two more than the factors (no second order)."""
    return len(factor_names(problem)) + 2


def sample(problem: dict[str, Any], n: int, *, seed: int) -> np.ndarray:
    """Scrambled Saltelli design of base size ``n`` (a power of two)."""
    from SALib.sample import sobol

    require_power_of_two("sobol", n)
    return sobol.sample(problem, n, calc_second_order=False, scramble=True, seed=seed)


def analyze(
    problem: dict[str, Any],
    X: np.ndarray,
    y: np.ndarray,
    *,
    seed: int,
    conf_level: float,
    resamples: int,
) -> dict[str, Any]:
    """First- and total-order indices with bootstrap intervals."""
    from SALib.analyze import sobol

    return sobol.analyze(
        problem,
        y,
        calc_second_order=False,
        num_resamples=resamples,
        conf_level=conf_level,
        seed=seed,
    )
