"""ABC-SMC posterior of the calibrated parameters, and what the targets identify.

:func:`abc_smc` is a batch-synchronous sequential Monte Carlo ABC with MCMC moves
(Drovandi & Pettitt 2011; adaptive tolerances as in Del Moral, Doucet & Jasra 2012);
:func:`identifiability` says which parameters the targets pin down (posterior-to-prior
90 % interval width ratio).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd
from scipy.stats import qmc

from sim.analysis.calibration.evaluation import distance, result_digest, say
from sim.analysis.calibration.targets import Targets, prior_value
from sim.experiments.fileio import atomic_write_parquet, parquet_metadata
from sim.experiments.seeds import ABC_PROPOSAL, ABC_SIMULATION, branch_rng, branch_seed

#: Identifiability thresholds on the posterior-to-prior 90 % width ratio.
IDENTIFIED_RATIO, WEAK_RATIO = 0.5, 0.8
#: ABC gives up on a generation whose acceptance rate stays below this.
MIN_ACCEPTANCE = 0.02


class Support(Protocol):
    """A region of the unit box (e.g. the NROY space of history matching)."""

    @property
    def dim(self) -> int:
        """Dimension of the box."""
        ...

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Whether each row of ``x`` lies in the region."""
        ...

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Up to ``n`` points of the region."""
        ...


@dataclass
class ABCResult:
    """Output of :func:`abc_smc`.

    Attributes:
        particles: Final population, shape ``(population, parameters)``; equally
            weighted, so a particle that no move has left yet appears more than once.
        weights: Normalised weights (all equal).
        distances: Distances of the final particles.
        moments: Moments of the final particles, ``(population, fitted targets)``.
        generations: One row per generation: ``generation, epsilon, alive, moves,
            proposed, acceptance, distinct, runs``.
        runs: Runs used, including those of an unfinished last generation.
    """

    particles: np.ndarray
    weights: np.ndarray
    distances: np.ndarray
    moments: np.ndarray
    generations: pd.DataFrame
    runs: int = 0


def weighted_cov(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Covariance of a weighted sample (weights summing to 1, unbiased for frequency)."""
    mean = w @ x
    xc = x - mean
    return (xc * w[:, None]).T @ xc / max(1e-12, 1 - np.sum(w**2))


#: Most MCMC moves of a replenished particle in one generation.
MAX_MOVES = 10
#: The moves per generation are chosen so that a replenished particle stays where it was
#: with at most this probability (Drovandi & Pettitt 2011), up to :data:`MAX_MOVES`.
STAY_PROBABILITY = 0.1
#: ABC stops when the moves' acceptance rate falls below this (the population no longer
#: mixes at the current tolerance).
MIN_ACCEPTANCE = 0.02


def moves_for(acceptance: float) -> int:
    """MCMC moves so that a particle stays put with probability :data:`STAY_PROBABILITY`.

    ``R = ceil(log c / log(1 - p))`` for acceptance rate ``p`` (Drovandi & Pettitt 2011),
    between 1 and :data:`MAX_MOVES`.
    """
    if acceptance >= 1:
        return 1
    if acceptance <= 0:
        return MAX_MOVES
    r = math.ceil(math.log(STAY_PROBABILITY) / math.log1p(-acceptance))
    return int(min(max(r, 1), MAX_MOVES))


def _random_walk(x: np.ndarray) -> np.ndarray:
    """Cholesky factor of the random-walk kernel.

    The population's covariance scaled by ``2.38**2 / d`` (Roberts & Rosenthal 2001),
    with a small ridge.
    """
    d = x.shape[1]
    cov = np.atleast_2d(np.cov(x, rowvar=False)) * (2.38**2 / d)
    return np.linalg.cholesky(cov + 1e-10 * np.eye(d))


#: Smallest share of random-walk moves that must land inside the support (see
#: :func:`_fit_to_support`).
MIN_INSIDE = 0.25


def _fit_to_support(
    rng: np.random.Generator, x: np.ndarray, chol: np.ndarray, inside: Callable
) -> np.ndarray:
    """Shrink the random walk until :data:`MIN_INSIDE` of its moves stay in the support.

    A walk shaped on the whole population steps out of a thin NROY region almost every
    time (a move outside is rejected without a run, but it is a wasted move); shrinking
    it by 0.7 at a time (at most 15 times), tested on moves from the particles
    themselves, keeps most moves inside. The kernel stays symmetric, so the
    Metropolis-Hastings ratio is unchanged.
    """
    for _ in range(15):
        z = rng.standard_normal((2000, x.shape[1]))
        moved = x[rng.integers(len(x), size=2000)] + z @ chol.T
        if inside(moved).mean() >= MIN_INSIDE:
            break
        chol = chol * 0.7
    return chol


def support_digest(support: Support) -> str:
    """A digest naming a support region by its membership of fixed probe points."""
    probe = qmc.Halton(d=support.dim, scramble=False).random(4096)
    return result_digest(np.packbits(support(probe)))


def _settings_digest(targets: Targets, **kw: Any) -> str:
    return result_digest(
        targets.parameters, [asdict(t) for t in targets.fitted], targets.year, sorted(kw.items())
    )


def abc_smc(
    targets: Targets,
    evaluate: Callable[[str, np.ndarray, np.ndarray], np.ndarray],
    *,
    seed: int,
    population: int = 200,
    max_generations: int = 10,
    max_runs: int | None = None,
    store: Path | None = None,
    progress: bool = True,
    support: Support | None = None,
) -> ABCResult:
    """Approximate the posterior by ABC-SMC with MCMC moves (replenishment).

    The algorithm of Drovandi & Pettitt (2011), an adaptive sequential Monte Carlo ABC
    in the family of Del Moral, Doucet & Jasra (2012). Generation 0 draws
    ``population`` points from the uniform prior (on ``support`` when given) and runs
    each once. Generation ``t`` sets its tolerance to the ``abc_quantile`` of the
    distances (never below the target ``min_epsilon``), keeps the particles within it
    (an exact sample of the posterior at the new tolerance, since each was drawn from
    the posterior at the previous one), replaces the others by copies of kept ones
    drawn at random and moves every copy ``R`` times by Metropolis-Hastings: a Gaussian
    random walk with the kept particles' covariance scaled by ``2.38**2 / d`` (shrunk
    until a quarter of its moves stay inside the support, :func:`_fit_to_support`), one
    run per proposal inside the support, accepted when its distance is within the
    tolerance (the prior is uniform and the kernel symmetric, so that is the whole
    acceptance ratio). ``R`` follows the previous generation's acceptance rate so that
    a copy stays where it was with probability at most :data:`STAY_PROBABILITY`. The
    particles keep equal weights, so the weights cannot degenerate as importance
    weights do in high dimension; duplicates that no move has left are counted
    (``distinct``).

    It stops after the generation at the target tolerance, when the moves' acceptance
    rate falls below :data:`MIN_ACCEPTANCE`, after ``max_generations``, or when the next
    generation could exceed ``max_runs``; the last complete generation is the
    posterior. Proposals and seeds are drawn before each batch runs, from branches of
    the master seed, so results do not depend on workers or timing. When ``store`` is
    given, each generation is written there and read back on a later call with the
    same settings (resumption by generation).

    Args:
        targets: The targets.
        evaluate: ``evaluate(step, thetas, seeds) -> moments``.
        seed: Master seed.
        population: Particles.
        max_generations: Most generations after generation 0.
        max_runs: Most runs in all (points, as ``evaluate`` counts them; default:
            unlimited).
        store: Folder for the generation files.
        progress: Whether to report each generation on stderr.
        support: Region of the unit box the prior is restricted to (default: all).

    Returns:
        The final population and the per-generation record.
    """
    lo, hi = targets.bounds.T
    d = len(lo)
    n = population
    settings = _settings_digest(
        targets, seed=seed, population=n, q=targets.abc_quantile, kernel="rsmc-mcmc-fit",
        moves=(MAX_MOVES, STAY_PROBABILITY),
        support=None if support is None else support_digest(support),
    )  # fmt: skip
    runs = 0
    rows: list[dict[str, float]] = []

    def unit_to_theta(x: np.ndarray) -> np.ndarray:
        return lo + x * (hi - lo)

    def inside(x: np.ndarray) -> np.ndarray:
        ok = np.all((x >= 0) & (x <= 1), axis=1)
        if support is not None and ok.any():
            ok[ok] = support(x[ok])
        return ok

    def run_batch(t: int, b: int, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        nonlocal runs
        seeds = np.array(
            [[branch_seed(seed, ABC_SIMULATION, t, b, i)] for i in range(len(x))], dtype=np.int64
        )
        runs += len(x)
        # Batches of other settings (another population, prior or kernel) live apart: a batch
        # folder only grows.
        step = f"abc/{settings[:8]}/gen_{t:02d}_batch_{b:02d}"
        m = evaluate(step, unit_to_theta(x), seeds)[:, 0, :]
        return m, distance(targets, m)

    def load_gen(t: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict] | None:
        if store is None:
            return None
        path = store / f"generation_{t:02d}.parquet"
        if not path.is_file() or parquet_metadata(path).get("digest") != settings:
            return None
        df = pd.read_parquet(path)
        meta = json.loads(parquet_metadata(path)["row"])
        x = np.ascontiguousarray(df[[f"u_{name}" for name in targets.parameters]].to_numpy())
        m = df[[f"m_{t_.name}" for t_ in targets.fitted]].to_numpy()
        dist = np.ascontiguousarray(df["distance"].to_numpy())
        return x, dist, np.ascontiguousarray(m), meta

    def save_gen(t: int, x: np.ndarray, dist: np.ndarray, m: np.ndarray, row: dict) -> None:
        if store is None:
            return
        df = pd.DataFrame(unit_to_theta(x), columns=list(targets.parameters))
        df["weight"], df["distance"] = 1.0 / len(x), dist
        for j, name in enumerate(targets.parameters):  # unit coordinates: exact resumption
            df[f"u_{name}"] = x[:, j]
        for j, t_ in enumerate(targets.fitted):
            df[f"m_{t_.name}"] = m[:, j]
        atomic_write_parquet(
            store / f"generation_{t:02d}.parquet", df, {"digest": settings, "row": json.dumps(row)}
        )

    def distinct(x: np.ndarray) -> int:
        return len(np.unique(x, axis=0))

    # Generation 0: the prior.
    loaded = load_gen(0)
    if loaded is not None:
        x, dist, m, row = loaded
        runs = int(row["runs"])
    else:
        rng = branch_rng(seed, ABC_PROPOSAL, 0, 0)
        x = rng.random((n, d)) if support is None else support.sample(rng, n)
        if len(x) < n:
            raise RuntimeError(f"abc: the prior's support gave {len(x)} of {n} points")
        m, dist = run_batch(0, 0, x)
        row = {"generation": 0, "epsilon": float(dist.max()), "alive": n, "moves": 0,
               "proposed": n, "acceptance": 1.0, "distinct": n, "runs": runs}  # fmt: skip
        save_gen(0, x, dist, m, row)
    rows.append(row)
    say(progress, f"abc: generation 0, epsilon {row['epsilon']:.3f}")
    acceptance = 1.0

    for t in range(1, max_generations + 1):
        if rows[-1]["epsilon"] <= targets.min_epsilon or acceptance < MIN_ACCEPTANCE:
            break
        loaded = load_gen(t)
        if loaded is not None:
            x, dist, m, row = loaded
            runs = int(row["runs"])
            acceptance = float(row["acceptance"])
            rows.append(row)
            say(progress, f"abc: generation {t} (stored), epsilon {row['epsilon']:.3f}")
            continue
        eps = max(float(np.quantile(dist, targets.abc_quantile)), targets.min_epsilon)
        alive = np.flatnonzero(dist <= eps)
        dead = np.flatnonzero(dist > eps)
        moves = moves_for(acceptance)
        if max_runs is not None and runs + len(dead) * moves > max_runs:
            say(progress, f"abc: stopping before generation {t} (run budget)")
            break
        rng = branch_rng(seed, ABC_PROPOSAL, t, 10_000)
        x, dist, m = x.copy(), dist.copy(), m.copy()
        src = alive[rng.integers(len(alive), size=len(dead))]
        x[dead], dist[dead], m[dead] = x[src], dist[src], m[src]
        chol = _fit_to_support(
            branch_rng(seed, ABC_PROPOSAL, t, 10_001), x[alive], _random_walk(x[alive]), inside
        )
        proposed = accepted = 0
        for b in range(moves):
            rng = branch_rng(seed, ABC_PROPOSAL, t, b)
            xp = x[dead] + rng.standard_normal((len(dead), d)) @ chol.T
            ok = inside(xp)
            proposed += len(dead)
            if not ok.any():
                continue
            idx = dead[ok]
            mb, db = run_batch(t, b, xp[ok])
            acc = db <= eps
            x[idx[acc]], dist[idx[acc]], m[idx[acc]] = xp[ok][acc], db[acc], mb[acc]
            accepted += int(acc.sum())
        acceptance = accepted / max(proposed, 1)
        row = {"generation": t, "epsilon": eps, "alive": len(alive), "moves": moves,
               "proposed": proposed, "acceptance": acceptance, "distinct": distinct(x),
               "runs": runs}  # fmt: skip
        save_gen(t, x, dist, m, row)
        rows.append(row)
        say(
            progress,
            f"abc: generation {t}, epsilon {eps:.3f}, {moves} moves, acceptance "
            f"{acceptance:.2f}, distinct {row['distinct']}, runs {runs}",
        )
    return ABCResult(
        particles=unit_to_theta(x),
        weights=np.full(len(x), 1.0 / len(x)),
        distances=dist,
        moments=m,
        generations=pd.DataFrame(rows),
        runs=runs,
    )


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: Sequence[float]) -> np.ndarray:
    """Quantiles of a weighted sample (inverse of the weighted empirical CDF)."""
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[order]
    cdf = (np.cumsum(w) - 0.5 * w) / np.sum(w)
    return np.interp(q, cdf, v)


def identifiability(targets: Targets, particles: np.ndarray, weights: np.ndarray) -> pd.DataFrame:
    """Say, for every calibrated parameter, whether the targets identify it.

    Criterion: the ratio of the posterior's 90 % interval width to the prior's
    (uniform on the registry bounds: 0.9 of the range). Identified below
    :data:`IDENTIFIED_RATIO`, weakly identified below :data:`WEAK_RATIO`, otherwise
    not identified (the data leave it at its prior range).

    Returns:
        One row per parameter: ``parameter, prior_default, lower, upper,
        posterior_mean, q05, q50, q95, width_ratio, verdict``.
    """
    rows = []
    for j, name in enumerate(targets.parameters):
        lo, hi = targets.bounds[j]
        q05, q50, q95 = weighted_quantile(particles[:, j], weights, [0.05, 0.5, 0.95])
        ratio = (q95 - q05) / (0.9 * (hi - lo))
        verdict = (
            "identified" if ratio < IDENTIFIED_RATIO
            else "weakly identified" if ratio < WEAK_RATIO
            else "not identified"
        )  # fmt: skip
        rows.append({
            "parameter": name, "prior_default": prior_value(name), "lower": lo, "upper": hi,
            "posterior_mean": float(weights @ particles[:, j]), "q05": q05, "q50": q50,
            "q95": q95, "width_ratio": ratio, "verdict": verdict,
        })  # fmt: skip
    return pd.DataFrame(rows)


def posterior_frame(targets: Targets, abc: ABCResult) -> pd.DataFrame:
    """The final ABC population as a posterior table (parameters, weight, distance)."""
    df = pd.DataFrame(abc.particles, columns=list(targets.parameters))
    df["weight"] = abc.weights
    df["distance"] = abc.distances
    return df
