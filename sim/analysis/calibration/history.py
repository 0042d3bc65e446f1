"""Screening and history matching in waves: the not-ruled-out-yet (NROY) space.

Wave 1 runs a seeded Latin-hypercube design over the prior box of every candidate
parameter (:func:`screen` keeps those whose main effect on some pattern reaches the
threshold: the parameters the patterns can speak to); every wave then fits
:class:`~sim.analysis.calibration.emulator.Emulator` s of the patterns over the kept
parameters and rules out every point whose implausibility (:func:`implausibility`)
exceeds the cutoff on any pattern. The next wave's design is drawn inside what
remains by rejection sampling (:class:`NROY`). ABC-SMC then runs on the real model
with the NROY space as its prior's support.

Each wave's design and moments are written to ``wave_<w>.parquet`` (keyed by the model
version and the settings), so an interrupted history match resumes; the emulators are
refitted from them (the fit is deterministic).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats import qmc

from sim.analysis.calibration.emulator import Emulator
from sim.analysis.calibration.evaluation import result_digest, say
from sim.analysis.calibration.targets import Targets, TargetsError, one_sided
from sim.experiments.fileio import atomic_write_parquet, parquet_metadata
from sim.experiments.seeds import HISTORY, branch_rng, branch_seed

#: Largest number of candidate draws when sampling the NROY space by rejection.
MAX_DRAWS = 400_000
#: Uniform draws that estimate the NROY share of the prior box after each wave.
NROY_SAMPLE = 20_000
#: Fewest of :data:`NROY_SAMPLE` uniform draws a wave keeps (see :meth:`NROY.add`).
MIN_KEPT = 20
#: Smallest NROY share a later wave may leave (below it ABC could not sample the space).
MIN_SHARE = 0.002
#: Family-wise level of the screening's partial F tests (Bonferroni over all effects).
SCREEN_ALPHA = 0.05


@dataclass
class Wave:
    """One wave of history matching.

    Attributes:
        index: Wave number, from 1.
        design: Design points in unit coordinates of ``names``.
        names: Parameters of the design (wave 1: every candidate).
        moments: Fitted moments, shape ``(points, replicates, patterns)``.
        emulator: Emulators over the calibrated parameters.
        nroy: Share of the calibrated parameters' prior box not ruled out after it.
        cutoff: Implausibility cutoff of the wave (raised above the targets' when no
            point passes it; see :meth:`NROY.add`).
        runs: Model runs of the wave.
        seconds: Wall time of the wave's runs and fit.
    """

    index: int
    design: np.ndarray
    names: tuple[str, ...]
    moments: np.ndarray
    emulator: Emulator
    nroy: float
    cutoff: float
    runs: int
    seconds: float


@dataclass
class HistoryResult:
    """Output of :func:`history_match`.

    Attributes:
        targets: The targets with the calibrated (screened) parameters.
        waves: The waves.
        nroy: Membership of the final NROY space.
        screening: One row per candidate parameter: its largest main effect on any
            pattern, that pattern, and whether it is calibrated.
        sensitivity: Main-effect index of each calibrated parameter (columns) on each
            pattern (rows) under the last wave's emulator over the prior box.
        length_scales: The last wave's ARD length-scales (rows patterns).
        unreachable: Patterns the model cannot reach anywhere in the space history
            matching started from (smallest implausibility over a uniform sample above
            the cutoff), with that smallest implausibility: they are dropped from the
            fit (weight 0) and reported, a finding about the model.
        runs: Model runs of every wave.
    """

    targets: Targets
    waves: list[Wave]
    nroy: NROY
    screening: pd.DataFrame
    sensitivity: pd.DataFrame
    length_scales: pd.DataFrame
    unreachable: dict[str, float] = field(default_factory=dict)
    runs: int = 0


def implausibility(targets: Targets, emulator: Emulator, x: np.ndarray) -> np.ndarray:
    """Implausibility of points ``x`` (unit coordinates) on every fitted pattern.

    ``I = |value - emulated mean| / sqrt(emulator var + seed-noise var + observation
    var + discrepancy var)``, the last two as shares of each pattern's tolerance
    (``observation_sd``, ``discrepancy_sd``); a one-sided pattern counts only on its
    wrong side.

    Returns:
        Shape ``(points, emulated patterns)``, in the order of ``emulator.names``.
    """
    by_name = {t.name: t for t in targets.targets}
    fitted = [by_name[n] for n in emulator.names]
    mean, var = emulator.predict(x)
    value = np.array([t.value for t in fitted])
    tol = np.array([t.abs_tolerance for t in fitted])
    diff = one_sided(fitted, mean - value)
    extra = (targets.observation_sd**2 + targets.discrepancy_sd**2) * tol**2
    return np.abs(diff) / np.sqrt(var + emulator.noise_var + extra)


@dataclass
class NROY:
    """The space not ruled out by a sequence of waves (unit coordinates).

    Attributes:
        targets: The targets (calibrated parameters, cutoff).
        emulators: One emulator per wave.
    """

    targets: Targets
    emulators: list[Emulator] = field(default_factory=list)
    cutoffs: list[float] = field(default_factory=list)

    def add(self, emulator: Emulator, rng: np.random.Generator) -> float:
        """Add a wave's emulator; return the cutoff it uses.

        The cutoff is the targets' (3 by default) unless no point of the current NROY
        space passes it: then the patterns cannot all be met at once, and the cutoff is
        raised to the smallest value that keeps :data:`MIN_KEPT` of a uniform sample
        (the report states it: a measure of the model's discrepancy).
        """
        xs = rng.random((NROY_SAMPLE, self.dim))
        xs = xs[self(xs)]
        cutoff = self.targets.cutoff
        if len(xs):
            worst = np.sort(self.worst(emulator, xs))
            if worst[0] > cutoff:
                cutoff = float(worst[min(MIN_KEPT, len(worst)) - 1])
        self.emulators.append(emulator)
        self.cutoffs.append(cutoff)
        return cutoff

    @property
    def dim(self) -> int:
        """Number of calibrated parameters."""
        return len(self.targets.parameters)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Whether each point (rows, unit coordinates) is not ruled out yet."""
        x = np.atleast_2d(x)
        ok = np.all((x >= 0) & (x <= 1), axis=1)
        for em, cutoff in zip(self.emulators, self.cutoffs, strict=True):
            if not ok.any():
                break
            ok[ok] = self.worst(em, x[ok]) <= cutoff
        return ok

    def worst(self, emulator: Emulator, x: np.ndarray) -> np.ndarray:
        """Largest implausibility over the fitted patterns an emulator covers."""
        active = [i for i, n in enumerate(emulator.names) if n in self.fitted_names]
        if not active:
            return np.zeros(len(x))
        return implausibility(self.targets, emulator, x)[:, active].max(axis=1)

    @property
    def fitted_names(self) -> set[str]:
        """Names of the patterns that rule points out (the fitted ones)."""
        return {t.name for t in self.targets.fitted}

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Up to ``n`` points of the NROY space by rejection from Latin hypercubes.

        Draws Latin-hypercube batches over the unit box until ``n`` points are kept
        or :data:`MAX_DRAWS` were tried; returns the points found (maybe fewer).
        """
        d = len(self.targets.parameters)
        kept: list[np.ndarray] = []
        drawn = 0
        batch = max(4 * n, 4096)
        while sum(len(k) for k in kept) < n and drawn < MAX_DRAWS:
            xs = qmc.LatinHypercube(d=d, rng=rng).random(batch)
            drawn += batch
            kept.append(xs[self(xs)])
        out = np.concatenate(kept) if kept else np.empty((0, d))
        return out[:n]

    def share(self, rng: np.random.Generator) -> float:
        """Monte Carlo estimate of the NROY share of the prior box."""
        xs = rng.random((NROY_SAMPLE, len(self.targets.parameters)))
        return float(self(xs).mean())


def screen(
    names: Sequence[str], patterns: Sequence[str], x: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Main effect of each parameter on each pattern, and its significance.

    Each pattern's mean over replicates is regressed on ``u_i`` and ``u_i**2 - 1/12``
    for every parameter (``u = x - 1/2``, uniform on the box); the main effect of
    parameter ``i`` is the variance of its fitted terms, ``b1**2 / 12 + b2**2 / 180``,
    over the pattern's variance on the design. Cheap in many dimensions, where a
    Gaussian process would not be. With many candidates and few points, chance alone
    gives every parameter a few per cent, so each effect also gets the p-value of its
    partial F test (the two terms of the parameter against the full additive model).

    Args:
        names: Parameters (columns of ``x``).
        patterns: Pattern names (last axis of ``y``).
        x: Design, unit coordinates, ``(points, parameters)``.
        y: Moments, ``(points, replicates, patterns)``.

    Returns:
        Main-effect indices and p-values, each of shape ``(patterns, parameters)``.
    """
    u = x - 0.5
    n, d = u.shape
    design = np.column_stack([np.ones(n), u, u**2 - 1 / 12])
    mean = y.mean(axis=1)
    coef, *_ = np.linalg.lstsq(design, mean, rcond=None)
    b1, b2 = coef[1 : 1 + d], coef[1 + d :]
    effect = b1**2 / 12 + b2**2 / 180  # (parameters, patterns)
    total = np.maximum(mean.var(axis=0), 1e-300)
    dof = n - design.shape[1]
    rss = np.sum((mean - design @ coef) ** 2, axis=0)
    pvalues = np.ones((len(patterns), d))
    if dof > 0:
        for i in range(d):
            reduced = np.delete(design, [1 + i, 1 + d + i], axis=1)
            c, *_ = np.linalg.lstsq(reduced, mean, rcond=None)
            rss_i = np.sum((mean - reduced @ c) ** 2, axis=0)
            f = (rss_i - rss) / 2 / np.maximum(rss / dof, 1e-300)
            pvalues[:, i] = stats.f.sf(f, 2, dof)
    return np.clip((effect / total).T, 0.0, 1.0), pvalues


def _wave_seeds(seed: int, wave: int, reps: int) -> np.ndarray:
    return np.array([branch_seed(seed, HISTORY, wave, r) for r in range(reps)], dtype=np.int64)


def history_match(
    targets: Targets,
    evaluate: Callable[[str, np.ndarray, np.ndarray, Targets], np.ndarray],
    *,
    seed: int,
    points: Sequence[int],
    replicates: int = 2,
    store: Path | None = None,
    progress: bool = True,
    runs_per_point: int = 1,
) -> HistoryResult:
    """Screen the candidate parameters and history-match in waves.

    Args:
        targets: The targets; when ``targets.screened``, ``targets.parameters`` are the
            candidates and wave 1 screens them.
        evaluate: ``evaluate(step, thetas, seeds, targets) -> moments``, with
            ``thetas`` over ``targets.parameters`` (wave 1: the candidates; later
            waves: the screened parameters).
        seed: Master seed.
        points: Design points of each wave.
        replicates: Seeds per design point (common to the wave's points).
        store: Folder of the wave files (resumption).
        progress: Whether to report each wave on stderr.
        runs_per_point: Model runs per point and seed (for the run count).

    Returns:
        The screened targets, the waves and the final NROY space.
    """
    settings = result_digest(
        targets.parameters, [asdict(t) for t in targets.fitted], targets.levers, seed,
        list(points), replicates, targets.cutoff, targets.observation_sd,
        targets.discrepancy_sd, targets.screen_threshold,
    )  # fmt: skip
    waves: list[Wave] = []
    unreachable: dict[str, float] = {}
    nroy: NROY | None = None
    calibrated = targets
    runs = 0
    screening = pd.DataFrame()
    for w, n in enumerate(points, start=1):
        t0 = time.perf_counter()
        rng = branch_rng(seed, HISTORY, w, 10_000)
        space = targets if w == 1 else calibrated
        d = len(space.parameters)
        path = None if store is None else store / f"wave_{w:02d}.parquet"
        names = [t.name for t in space.fitted]
        loaded = _load_wave(path, settings, space.parameters, names)
        if loaded is not None:
            x, y, spent = loaded
        else:
            if w == 1:
                x = qmc.LatinHypercube(d=d, rng=rng).random(n)
            else:
                assert nroy is not None
                x = nroy.sample(rng, n)
                if len(x) < d + 2:
                    say(progress, f"history: wave {w}: NROY space too small to sample, stop")
                    break
            lo, hi = space.bounds.T
            seeds = np.tile(_wave_seeds(seed, w, replicates), (len(x), 1))
            y = evaluate(f"history/wave_{w:02d}", lo + x * (hi - lo), seeds, space)
            spent = None
        runs += len(x) * replicates * runs_per_point
        if w == 1:
            main, pvalues = screen(space.parameters, names, x, y)
            # Kept: an effect of at least the threshold that chance does not explain
            # (partial F test, Bonferroni over parameters and patterns).
            alpha = SCREEN_ALPHA / main.size
            real = np.where(pvalues <= alpha, main, 0.0)
            best = main.max(axis=0)
            keep = (
                real.max(axis=0) >= targets.screen_threshold
                if targets.screened
                else np.ones(d, bool)
            )
            if not keep.any():
                keep[np.argmax(best)] = True
            top = main.argmax(axis=0)
            screening = pd.DataFrame({
                "parameter": list(space.parameters),
                "main_effect": best,
                "pattern": [names[int(i)] for i in top],
                "p_value": pvalues[top, np.arange(d)],
                "calibrated": keep,
            })  # fmt: skip
            calibrated = targets.with_parameters(
                [p for p, k in zip(space.parameters, keep, strict=True) if k]
            )
            nroy = NROY(calibrated)
            xe = x[:, keep]
        else:
            xe = x
        assert nroy is not None
        fitted_now = [t.name for t in calibrated.fitted]
        em = Emulator.fit(
            xe, y, tuple(fitted_now), seed=branch_seed(seed, HISTORY, w, 20_000) % 2**31
        )
        if w == 1:  # patterns no point of the prior box reaches: a finding, not a target
            probe = branch_rng(seed, HISTORY, w, 30_000).random((NROY_SAMPLE, xe.shape[1]))
            least = implausibility(calibrated, em, probe).min(axis=0)
            unreachable = {n: float(v) for n, v in zip(em.names, least, strict=True)
                           if v > targets.cutoff}  # fmt: skip
            if unreachable:
                say(progress, f"history: unreachable patterns {sorted(unreachable)}")
                if len(unreachable) == len(fitted_now):
                    raise TargetsError(
                        f"{targets.path}: no fitted pattern can be reached anywhere in the "
                        f"prior box (least implausibility above {targets.cutoff:g}: "
                        + ", ".join(f"{n} {v:.1f}" for n, v in sorted(unreachable.items()))
                        + "); check the values, tolerances and parameter ranges"
                    )
                calibrated = calibrated.without(unreachable)
                nroy.targets = calibrated
        cutoff = nroy.add(em, branch_rng(seed, HISTORY, w, 30_001))
        if cutoff > targets.cutoff:
            say(progress, f"history: wave {w}: no point passes every pattern; cutoff {cutoff:.2f}")
        share = nroy.share(branch_rng(seed, HISTORY, 0, 30_000))  # same draws: monotone
        if w > 1 and share < MIN_SHARE:  # too thin to sample: keep the previous NROY space
            nroy.emulators.pop()
            nroy.cutoffs.pop()
            say(progress, f"history: wave {w} would leave {share:.2g} of the box; stop before it")
            break
        seconds = spent if spent is not None else time.perf_counter() - t0
        if path is not None and loaded is None:
            _save_wave(path, settings, space.parameters, names, x, y, seconds)
        n_runs = len(x) * replicates * runs_per_point
        waves.append(Wave(w, x, tuple(space.parameters), y, em, share, cutoff, n_runs, seconds))
        say(progress, f"history: wave {w}, {len(x)} points, NROY share {share:.4f}")
        if share == 0:
            say(progress, "history: every point ruled out; stop")
            break
    assert nroy is not None
    last = waves[-1].emulator
    main = last.main_effects(branch_rng(seed, HISTORY, 0, 40_000))
    cols = list(calibrated.parameters)
    sensitivity = pd.DataFrame(main, index=list(last.names), columns=cols)
    scales = pd.DataFrame(last.length_scales(), index=list(last.names), columns=cols)
    return HistoryResult(calibrated, waves, nroy, screening, sensitivity, scales, unreachable, runs)


def _save_wave(
    path: Path,
    settings: str,
    params: Sequence[str],
    names: Sequence[str],
    x: np.ndarray,
    y: np.ndarray,
    seconds: float,
) -> None:
    n, reps, _ = y.shape
    df = pd.DataFrame(np.repeat(x, reps, axis=0), columns=[f"u_{p}" for p in params])
    df.insert(0, "replicate", np.tile(np.arange(reps), n))
    df.insert(0, "point", np.repeat(np.arange(n), reps))
    for j, name in enumerate(names):
        df[f"m_{name}"] = y[:, :, j].reshape(-1)
    meta = {"digest": settings, "seconds": json.dumps(seconds)}
    atomic_write_parquet(path, df, meta)


def _load_wave(
    path: Path | None, settings: str, params: Sequence[str], names: Sequence[str]
) -> tuple[np.ndarray, np.ndarray, float] | None:
    if path is None or not path.is_file():
        return None
    meta = parquet_metadata(path)
    if meta.get("digest") != settings:
        return None
    df = pd.read_parquet(path)
    reps = int(df["replicate"].max()) + 1
    n = len(df) // reps
    x = df[[f"u_{p}" for p in params]].to_numpy()[::reps]
    y = df[[f"m_{m}" for m in names]].to_numpy().reshape(n, reps, -1)
    return np.ascontiguousarray(x), y, float(json.loads(meta["seconds"]))
