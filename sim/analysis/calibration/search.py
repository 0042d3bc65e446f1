"""Global search: simulated moments with common random numbers, by differential evolution.

Every candidate runs with the same seeds (branch :data:`sim.experiments.seeds.CRN`),
and SciPy's differential evolution, seeded from the master seed, minimises the
distance of the mean moments; the best fit feeds ``sim/core/data/calibrated.toml``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import optimize

from sim.analysis.calibration.evaluation import distance, say
from sim.analysis.calibration.targets import Targets
from sim.experiments.seeds import SEARCH, branch_rng, crn_seeds


@dataclass
class SearchResult:
    """Best fit of the global search.

    Attributes:
        theta: Best parameter values (calibrated parameters, in order).
        distance: Its distance on the common seeds (without the ridge term).
        objective: Its objective (squared distance plus ridge term).
        moments: Its mean fitted moments over the common seeds.
        history: Best objective after each generation.
        evaluations: Candidates evaluated.
    """

    theta: np.ndarray
    distance: float
    objective: float
    moments: np.ndarray
    history: list[float] = field(default_factory=list)
    evaluations: int = 0


def search(
    targets: Targets,
    evaluate: Callable[[str, np.ndarray, np.ndarray], np.ndarray],
    *,
    seed: int,
    crn: int = 3,
    popsize: int = 4,
    maxiter: int = 10,
    progress: bool = True,
) -> SearchResult:
    """Minimise the simulated-moments objective by differential evolution.

    Every candidate runs with the same ``crn`` seeds, so differences between
    candidates are not seed noise. The objective is the squared distance of the
    mean moments plus ``ridge * |x - x_prior|**2`` in unit-scaled coordinates (a
    tie-breaker along directions the targets do not constrain). SciPy's
    ``differential_evolution`` runs vectorised (one batch per generation), with a
    seed from the master seed, no gradient polish (the objective is a simulation).

    Args:
        targets: The targets.
        evaluate: ``evaluate(step, thetas, seeds) -> moments`` (an :class:`Evaluator`).
        seed: Master seed.
        crn: Common seeds per candidate.
        popsize: Population multiplier (population = ``popsize * parameters``).
        maxiter: Generations after the initial population.
        progress: Whether to report each generation on stderr.

    Returns:
        The best fit found.
    """
    lo, hi = targets.bounds.T
    x0 = (targets.prior_defaults - lo) / (hi - lo)
    seeds = np.array(crn_seeds(seed, crn), dtype=np.int64)
    calls = {"n": 0}
    best: dict[str, Any] = {"obj": math.inf}
    history: list[float] = []

    def objective(x: np.ndarray) -> np.ndarray:
        xs = np.atleast_2d(x.T)  # (S, d)
        theta = lo + xs * (hi - lo)
        step = f"search/eval_{calls['n']:03d}"
        calls["n"] += 1
        moments = evaluate(step, theta, np.tile(seeds, (len(theta), 1)))
        mean = moments.mean(axis=1)
        d = distance(targets, mean)
        obj = d**2 + targets.ridge * np.sum((xs - x0) ** 2, axis=1)
        i = int(np.argmin(obj))
        if obj[i] < best["obj"]:
            best.update(obj=float(obj[i]), theta=theta[i].copy(), d=float(d[i]), m=mean[i].copy())
        return obj

    def callback(*_: Any, **__: Any) -> None:
        history.append(best["obj"])
        say(progress, f"search: generation {len(history)}/{maxiter}, best distance {best['d']:.3f}")

    optimize.differential_evolution(
        objective,
        bounds=[(0.0, 1.0)] * len(lo),
        popsize=popsize,
        maxiter=maxiter,
        rng=branch_rng(seed, SEARCH),
        polish=False,
        init="latinhypercube",
        tol=0.0,
        updating="deferred",
        vectorized=True,
        callback=callback,
    )
    return SearchResult(
        theta=best["theta"],
        distance=best["d"],
        objective=best["obj"],
        moments=best["m"],
        history=history,
        evaluations=calls["n"],
    )
