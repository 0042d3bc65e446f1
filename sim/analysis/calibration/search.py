"""The best fit: posterior candidates compared on common random numbers.

ABC-SMC compares each particle on one seed; the best fit is chosen among a few
candidates from its posterior (the weighted median, the weighted mean and the
particles nearest the targets) by the mean moments over common seeds (branch
:data:`sim.experiments.seeds.CRN`), so the choice reflects parameters rather than
luck. Candidates within the targets' ``edge`` of a bound that is not physical are left
out: where the patterns do not identify a direction (a ridge of equally good points),
one particle's position along it is chance, and the best fit must not put a default
at the edge of the prior by chance. The best fit feeds ``sim/core/data/calibrated.toml``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from sim.analysis.calibration.evaluation import distance, result_digest
from sim.analysis.calibration.posterior import ABCResult, weighted_quantile
from sim.analysis.calibration.targets import Targets
from sim.experiments.seeds import crn_seeds


@dataclass
class SearchResult:
    """Best fit among the candidates.

    Attributes:
        theta: Best parameter values (calibrated parameters, in order).
        distance: Its distance on the common seeds (without the ridge term).
        objective: Its objective (squared distance plus ridge term).
        moments: Its mean fitted moments over the common seeds.
        history: Objective of every candidate, in order.
        evaluations: Candidates evaluated.
    """

    theta: np.ndarray
    distance: float
    objective: float
    moments: np.ndarray
    history: list[float] = field(default_factory=list)
    evaluations: int = 0


def candidates(
    abc: ABCResult, n: int, keep: Callable[[np.ndarray], np.ndarray] | None = None
) -> np.ndarray:
    """``n`` best-fit candidates from a posterior, shape ``(n, parameters)``.

    The weighted median and mean, then the particles nearest the targets (distinct,
    by distance); with ``keep`` (rows -> bool mask, e.g.
    :meth:`Targets.clear_of_edges`) only the points it keeps, unless it keeps none.
    """
    median = np.array(
        [
            weighted_quantile(abc.particles[:, j], abc.weights, [0.5])[0]
            for j in range(abc.particles.shape[1])
        ]
    )
    mean = abc.weights @ abc.particles
    order = np.argsort(abc.distances, kind="stable")
    rows = np.array([median, mean, *abc.particles[order]])
    if keep is not None and keep(rows).any():
        rows = rows[keep(rows)]
    out: list[np.ndarray] = []
    for r in rows:
        if len(out) == n:
            break
        if not any(np.array_equal(r, o) for o in out):
            out.append(r)
    return np.array(out)


def search(
    targets: Targets,
    evaluate: Callable[[str, np.ndarray, np.ndarray], np.ndarray],
    thetas: np.ndarray,
    *,
    seed: int,
    crn: int = 3,
) -> SearchResult:
    """Choose the best of ``thetas`` by simulated moments on common random numbers.

    Every candidate runs with the same ``crn`` seeds; the objective is the squared
    distance of the mean moments plus ``ridge * |x - x_prior|**2`` in unit-scaled
    coordinates (a tie-breaker along directions the targets do not constrain).

    Args:
        targets: The targets.
        evaluate: ``evaluate(step, thetas, seeds) -> moments`` (an :class:`Evaluator`).
        thetas: Candidates, shape ``(candidates, parameters)``.
        seed: Master seed.
        crn: Common seeds per candidate.

    Returns:
        The best candidate.
    """
    lo, hi = targets.bounds.T
    x0 = (targets.prior_defaults - lo) / (hi - lo)
    seeds = np.array(crn_seeds(seed, crn), dtype=np.int64)
    thetas = np.atleast_2d(thetas)
    step = f"best_fit/{result_digest(thetas, seeds)[:8]}"  # a batch folder only grows
    moments = evaluate(step, thetas, np.tile(seeds, (len(thetas), 1))).mean(axis=1)
    d = distance(targets, moments)
    obj = d**2 + targets.ridge * np.sum(((thetas - lo) / (hi - lo) - x0) ** 2, axis=1)
    i = int(np.argmin(obj))
    return SearchResult(
        theta=thetas[i].copy(),
        distance=float(d[i]),
        objective=float(obj[i]),
        moments=moments[i].copy(),
        history=[float(o) for o in obj],
        evaluations=len(thetas),
    )
