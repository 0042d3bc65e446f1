"""ABC-SMC posterior of the calibrated parameters, and what the targets identify.

:func:`abc_smc` is a batch-synchronous population Monte Carlo ABC (Beaumont et al.
2009; adaptive tolerances, Del Moral et al. 2012; optimal multivariate normal kernel,
Filippi et al. 2013); :func:`identifiability` says which parameters the targets pin
down (posterior-to-prior 90 % interval width ratio).
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
from scipy import linalg, special
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
        particles: Final population, shape ``(population, parameters)``.
        weights: Normalised importance weights.
        distances: Distances of the final particles.
        moments: Moments of the final particles, ``(population, fitted targets)``.
        generations: One row per generation: ``generation, epsilon, accepted,
            proposed, acceptance, ess, runs``.
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


def _omvn(parents: np.ndarray, w: np.ndarray, dist: np.ndarray, eps: float) -> np.ndarray:
    """Optimal multivariate normal kernel (Filippi et al. 2013), one shared covariance.

    ``Sigma = sum_i sum_k w_i w~_k (theta~_k - theta_i)(theta~_k - theta_i)^T`` where
    ``theta~`` are the previous particles already within the new tolerance (at least
    ``d + 1`` of them) and ``w~`` their normalised weights: it spans the moves from the
    population to where the next generation will be accepted (narrower than twice the
    population covariance once the tolerance concentrates). Returns its Cholesky
    factor repeated for every parent, shape ``(particles, d, d)``.
    """
    n, d = parents.shape
    sel = dist <= eps
    if sel.sum() < d + 1:
        sel = np.zeros(n, dtype=bool)
        sel[np.argsort(dist, kind="stable")[: d + 1]] = True
    xs, ws = parents[sel], w[sel] / w[sel].sum()
    mu_s, mu = ws @ xs, w @ parents
    cs = ((xs - mu_s) * ws[:, None]).T @ (xs - mu_s)
    ca = ((parents - mu) * w[:, None]).T @ (parents - mu)
    cov = cs + ca + np.outer(mu_s - mu, mu_s - mu) + 1e-10 * np.eye(d)
    return np.broadcast_to(np.linalg.cholesky(cov), (n, d, d))


def _propose(
    rng: np.random.Generator,
    parents: np.ndarray,
    w: np.ndarray,
    chol: np.ndarray,
    n: int,
    support: Support | None = None,
) -> np.ndarray:
    """Perturb particles drawn by weight; redraw any proposal outside the prior's support."""
    d = parents.shape[1]
    out = np.empty((n, d))
    todo = np.arange(n)
    for _ in range(10_000):
        idx = rng.choice(len(parents), size=len(todo), p=w)
        z = rng.standard_normal((len(todo), d))
        x = parents[idx] + np.einsum("nij,nj->ni", chol[idx], z)
        ok = np.all((x >= 0) & (x <= 1), axis=1)
        if support is not None and ok.any():
            ok[ok] = support(x[ok])
        out[todo[ok]] = x[ok]
        todo = todo[~ok]
        if not len(todo):
            return out
    raise RuntimeError("ABC proposal kernel keeps leaving the prior's support")


#: Smallest share of kernel moves that must land in the support (see :func:`_fit_to_support`).
MIN_INSIDE = 0.05


def _fit_to_support(
    rng: np.random.Generator,
    parents: np.ndarray,
    w: np.ndarray,
    chol: np.ndarray,
    support: Support,
) -> np.ndarray:
    """Shrink the kernel until :data:`MIN_INSIDE` of its moves land in the support.

    A kernel shaped on the whole population can step out of a thin NROY region almost
    every time; shrinking it (by 0.7 at a time, at most ten times) keeps proposals
    mostly inside. The importance weights use the kernel returned, so they stay exact
    for the proposal actually made (up to the truncation to the support, as for the box).
    """
    d = parents.shape[1]
    for _ in range(10):
        idx = rng.choice(len(parents), size=2000, p=w)
        moved = parents[idx] + np.einsum("nij,nj->ni", chol[idx], rng.standard_normal((2000, d)))
        inside = np.all((moved >= 0) & (moved <= 1), axis=1)
        inside[inside] = support(moved[inside])
        if inside.mean() >= MIN_INSIDE:
            break
        chol = chol * 0.7
    return chol


def _new_weights(x: np.ndarray, parents: np.ndarray, w: np.ndarray, chol: np.ndarray) -> np.ndarray:
    """Importance weights under a uniform prior: 1 / sum_j w_j K_j(x | parent_j)."""
    d = x.shape[1]
    logk = np.empty((len(x), len(parents)))
    for j in range(len(parents)):
        z = linalg.solve_triangular(chol[j], (x - parents[j]).T, lower=True)
        logdet = np.sum(np.log(np.diag(chol[j])))
        logk[:, j] = -0.5 * np.sum(z**2, axis=0) - logdet - 0.5 * d * math.log(2 * math.pi)
    logw = -special.logsumexp(logk + np.log(np.maximum(w, 1e-300))[None, :], axis=1)
    logw -= logw.max()
    out = np.exp(logw)
    return out / out.sum()


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
    """Approximate the posterior by batch-synchronous ABC-SMC (population Monte Carlo).

    Generation 0 draws ``2 * population`` parameter sets from the uniform prior and
    keeps the ``population`` nearest (tolerance = the largest distance kept).
    Generation ``t`` sets its tolerance to the ``abc_quantile`` of the previous
    generation's distances, proposes batches of ``population`` particles (drawn by
    weight, perturbed with the optimal multivariate normal kernel,
    redrawn outside the prior) until ``population`` are accepted, and weights them by
    prior / proposal density. Each particle is one run with its own seed (ABC
    compares one realisation with the one observed). It stops at ``min_epsilon``,
    at an acceptance rate below 2 % (after ten batches), after ``max_generations``, or when the next
    generation could exceed ``max_runs``; the last complete generation is the
    posterior. Proposals and seeds are drawn before each batch runs, from branches
    of the master seed, so results do not depend on workers or timing. When ``store``
    is given, each generation is written there and read back on a later call with
    the same settings (resumption by generation). With ``support`` (the NROY space of
    history matching), the prior is uniform on that region: generation 0 draws from
    it and proposals outside it are redrawn.

    Args:
        targets: The targets.
        evaluate: ``evaluate(step, thetas, seeds) -> moments``.
        seed: Master seed.
        population: Particles per generation.
        max_generations: Most generations after generation 0.
        max_runs: Most runs in all (default: unlimited).
        store: Folder for the generation files.
        progress: Whether to report each generation on stderr.
        support: Region of the unit box the prior is restricted to (default: all).

    Returns:
        The final population, its weights and the per-generation record.
    """
    lo, hi = targets.bounds.T
    d = len(lo)
    n = population
    settings = _settings_digest(
        targets, seed=seed, population=n, q=targets.abc_quantile, kernel="omvn-support",
        support=None if support is None else support_digest(support),
    )  # fmt: skip
    runs = 0
    rows: list[dict[str, float]] = []

    def unit_to_theta(x: np.ndarray) -> np.ndarray:
        return lo + x * (hi - lo)

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

    def load_gen(t: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict] | None:
        if store is None:
            return None
        path = store / f"generation_{t:02d}.parquet"
        if not path.is_file() or parquet_metadata(path).get("digest") != settings:
            return None
        df = pd.read_parquet(path)
        meta = json.loads(parquet_metadata(path)["row"])
        x = np.ascontiguousarray(df[[f"u_{name}" for name in targets.parameters]].to_numpy())
        m = df[[f"m_{t_.name}" for t_ in targets.fitted]].to_numpy()
        w, dist = (np.ascontiguousarray(df[c].to_numpy()) for c in ("weight", "distance"))
        return x, w, dist, np.ascontiguousarray(m), meta

    def save_gen(
        t: int, x: np.ndarray, w: np.ndarray, dist: np.ndarray, m: np.ndarray, row: dict
    ) -> None:
        if store is None:
            return
        df = pd.DataFrame(unit_to_theta(x), columns=list(targets.parameters))
        df["weight"], df["distance"] = w, dist
        for j, name in enumerate(targets.parameters):  # unit coordinates: exact resumption
            df[f"u_{name}"] = x[:, j]
        for j, t_ in enumerate(targets.fitted):
            df[f"m_{t_.name}"] = m[:, j]
        atomic_write_parquet(
            store / f"generation_{t:02d}.parquet", df, {"digest": settings, "row": json.dumps(row)}
        )

    # Generation 0: rejection from the prior.
    loaded = load_gen(0)
    if loaded is not None:
        x, w, dist, m, row = loaded
        runs += int(row["proposed"])
    else:
        rng = branch_rng(seed, ABC_PROPOSAL, 0, 0)
        x0 = rng.random((2 * n, d)) if support is None else support.sample(rng, 2 * n)
        if len(x0) < 2 * n:
            raise RuntimeError(f"abc: the prior's support gave {len(x0)} of {2 * n} points")
        m0, d0 = run_batch(0, 0, x0)
        keep = np.argsort(d0, kind="stable")[:n]
        x, dist, m = x0[keep], d0[keep], m0[keep]
        w = np.full(n, 1.0 / n)
        row = {"generation": 0, "epsilon": float(dist.max()), "accepted": n, "proposed": 2 * n,
               "acceptance": 0.5, "ess": float(n), "runs": runs}  # fmt: skip
        save_gen(0, x, w, dist, m, row)
    rows.append(row)
    say(progress, f"abc: generation 0, epsilon {row['epsilon']:.3f}, acceptance 0.50")

    for t in range(1, max_generations + 1):
        eps = float(np.quantile(dist, targets.abc_quantile))
        if rows[-1]["epsilon"] <= targets.min_epsilon:
            break
        loaded = load_gen(t)
        if loaded is not None:
            x, w, dist, m, row = loaded
            runs += int(row["proposed"])
            rows.append(row)
            say(progress, f"abc: generation {t} (stored), epsilon {row['epsilon']:.3f}")
            continue
        chol = _omvn(x, w, dist, eps)
        if support is not None:
            chol = _fit_to_support(branch_rng(seed, ABC_PROPOSAL, t, 10_000), x, w, chol, support)
        acc_x, acc_d, acc_m = [], [], []
        proposed, b = 0, 0
        complete = True
        while sum(len(a) for a in acc_x) < n:
            if max_runs is not None and runs + n > max_runs:
                complete = False
                break
            if proposed >= 10 * n and sum(len(a) for a in acc_x) / proposed < MIN_ACCEPTANCE:
                complete = False
                break
            rng = branch_rng(seed, ABC_PROPOSAL, t, b)
            xb = _propose(rng, x, w, chol, n, support)
            mb, db = run_batch(t, b, xb)
            ok = db <= eps
            acc_x.append(xb[ok])
            acc_d.append(db[ok])
            acc_m.append(mb[ok])
            proposed += n
            b += 1
        if not complete:
            say(progress, f"abc: stopping before generation {t} (run budget or acceptance)")
            break
        ax, ad, am = (np.ascontiguousarray(np.concatenate(a)[:n]) for a in (acc_x, acc_d, acc_m))
        used = proposed  # every proposal of the generation's batches was simulated
        w_new = _new_weights(ax, x, w, chol)
        x, w, dist, m = ax, w_new, ad, am
        row = {"generation": t, "epsilon": eps, "accepted": n, "proposed": used,
               "acceptance": n / used, "ess": float(1.0 / np.sum(w**2)), "runs": runs}  # fmt: skip
        save_gen(t, x, w, dist, m, row)
        rows.append(row)
        say(
            progress,
            f"abc: generation {t}, epsilon {eps:.3f}, acceptance {n / used:.2f}, runs {runs}",
        )
    return ABCResult(
        particles=unit_to_theta(x),
        weights=w,
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
