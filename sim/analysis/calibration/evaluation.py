"""The moment function: patterns of candidate parameter sets, and their distance.

:class:`Evaluator` runs candidates, each with its lever variants on the same seeds,
through the shared evaluator (:class:`sim.experiments.evaluate.PointEvaluator`), one
batch folder per evaluation step, and caches the extracted moments beside the batch;
:func:`pattern_value` turns paired runs into a pattern; :func:`distance` measures how
far moments are from the targets in units of their tolerances.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.calibration.targets import (
    RATIO_CLIP,
    Target,
    Targets,
    one_sided,
    prior_params,
)
from sim.core.params import resolve
from sim.core.run import FIRST_YEAR
from sim.experiments.backends import Backend
from sim.experiments.evaluate import MetricAt, PointEvaluator, metric_values
from sim.experiments.fileio import atomic_write_parquet, parquet_metadata
from sim.experiments.runs import RunSpec, model_version

#: Scenario label of every calibration run in the batch store.
SCENARIO = "calibration"


class Evaluator:
    """Simulates the moments of candidate parameter sets through the batch layer.

    The moment function of a parameter point is computed from *paired* runs: the point
    itself and, for every lever an effect-size pattern names, the point with that
    lever's overrides, all with the same seeds (common random numbers), so an effect
    is a paired difference rather than two runs' luck. Each call runs through
    :class:`sim.experiments.evaluate.PointEvaluator` in one batch folder under
    ``work_dir`` (named by the caller's step), so a repeated call with the same
    candidates and seeds resumes or reuses it; a small ``moments.parquet`` beside the
    batch holds the extracted moments once complete.

    Args:
        targets: The targets (year, parameters, patterns, levers).
        backend: Where runs execute.
        work_dir: Folder of the batch folders.
        progress: Whether to show progress bars.
    """

    def __init__(
        self, targets: Targets, backend: Backend, work_dir: Path, *, progress: bool = True
    ) -> None:
        self.targets = targets
        self.backend = backend
        self.work_dir = Path(work_dir)
        self.progress = progress
        self.base = prior_params()
        self.runs = 0  # runs requested (cached or not), for budgets

    def variants(self, patterns: Sequence[Target]) -> list[str | None]:
        """The runs of one point and seed: ``None`` (the point) then each lever used."""
        return [None, *sorted({t.lever for t in patterns if t.lever})]

    def for_targets(self, targets: Targets) -> Evaluator:
        """An evaluator of other targets (e.g. screened parameters) in the same folder."""
        return Evaluator(targets, self.backend, self.work_dir, progress=self.progress)

    def __call__(self, step: str, thetas: np.ndarray, seeds: np.ndarray) -> np.ndarray:
        """Simulate the fitted moments of candidates ``thetas`` (rows) with ``seeds[i, r]``.

        Args:
            step: Name of the batch folder (unique per evaluation step).
            thetas: Parameter values, shape ``(candidates, parameters)``.
            seeds: Seeds, shape ``(candidates, replicates)``.

        Returns:
            Fitted moments, shape ``(candidates, replicates, fitted targets)``.
        """
        return self.moments(step, thetas, seeds, self.targets.fitted)

    def moments(
        self,
        step: str,
        thetas: np.ndarray,
        seeds: np.ndarray,
        patterns: Sequence[Target],
        *,
        scenario: str = SCENARIO,
    ) -> np.ndarray:
        """Simulate ``patterns`` (annual or zone-table) of candidates with given seeds.

        Returns:
            Moments, shape ``(candidates, replicates, patterns)``.
        """
        thetas = np.atleast_2d(np.asarray(thetas, dtype=float))
        over = [dict(zip(self.targets.parameters, map(float, th), strict=True)) for th in thetas]
        return self.simulate(step, over, seeds, patterns, scenario=scenario)

    def simulate(
        self,
        step: str,
        points: Sequence[Mapping[str, Any]],
        seeds: np.ndarray | Sequence[Sequence[int]],
        patterns: Sequence[Target],
        *,
        scenario: str = SCENARIO,
    ) -> np.ndarray:
        """Simulate ``patterns`` of parameter overrides ``points`` (over the prior defaults).

        Args:
            step: Name of the batch folder under ``work_dir``.
            points: Parameter overrides of each point.
            seeds: Seeds, shape ``(points, replicates)``.
            patterns: The patterns to compute.
            scenario: Label of the runs in the batch store.

        Returns:
            Moments, shape ``(points, replicates, patterns)``.
        """
        seeds = np.asarray(seeds, dtype=np.int64).reshape(len(points), -1)
        n, reps = seeds.shape
        variants = self.variants(patterns)
        self.runs += n * reps * len(variants)
        names = [t.name for t in patterns]
        folder = self.work_dir / step
        resolved = [{**self.base, **p} for p in points]
        digest = result_digest(
            seeds, [sorted(p.items()) for p in resolved], [asdict(t) for t in patterns],
            self.targets.levers,
        )  # fmt: skip
        cache = folder / "moments.parquet"
        if cache.is_file() and _cached_digest(cache) == digest:
            df = pd.read_parquet(cache)
            return df[names].to_numpy(dtype=float).reshape(n, reps, -1)
        zones = any(t.table == "zones" for t in patterns)
        runner = PointEvaluator(
            folder,
            backend=self.backend,
            scenario=scenario,
            progress=self.progress,
            zones=zones,
            manifest_extra={"calibration": {"step": step, "targets": str(self.targets.path)}},
        )
        runs = [
            resolve({**p, **(self.targets.levers[lever] if lever else {})})
            for p in resolved
            for lever in variants
        ]
        vseeds = np.repeat(seeds, len(variants), axis=0)  # every variant: the point's seeds
        outputs = sorted(
            {
                MetricAt(m, y or self.targets.year)
                for t in patterns
                if t.table == "annual"
                for m, y in ((t.metric, t.year), (t.over or t.metric, t.over_year or t.year))
            },
            key=lambda o: (o.metric, o.year),
        )
        end = max([self.targets.year, *(o.year for o in outputs)])
        specs = runner.specs(runs, vseeds, start=FIRST_YEAR, end=end)
        res = runner.run(specs)
        values = metric_values(res.annual, specs, outputs, folder)
        values = values.reshape(n, len(variants), reps, len(outputs))
        out = np.empty((n, reps, len(patterns)))
        col = {o: j for j, o in enumerate(outputs)}
        for k, t in enumerate(patterns):
            if t.table == "zones":
                out[:, :, k] = _zone_values(res.zones, specs, t, self.targets.year).reshape(
                    n, len(variants), reps
                )[:, 0]
                continue
            out[:, :, k] = pattern_value(t, values, col, variants, self.targets.year)
        table = pd.DataFrame(out.reshape(n * reps, -1), columns=names)
        atomic_write_parquet(cache, table, {"digest": digest})
        return out


def pattern_value(
    t: Target,
    values: np.ndarray,
    col: dict[MetricAt, int],
    variants: Sequence[str | None],
    year: int,
) -> np.ndarray:
    """One annual pattern from the outputs of paired runs.

    Args:
        t: The pattern.
        values: Outputs, shape ``(points, variants, replicates, outputs)``.
        col: Column of each output in ``values``.
        variants: The variants (``None`` first, then levers).
        year: Default year of the targets.

    Returns:
        The pattern, shape ``(points, replicates)``: the metric in its year (or the
        lever's effect on it), divided by ``over`` in ``over_year`` (or by the same
        effect there) when given, then transformed.
    """

    def level(metric: str, y: int) -> np.ndarray:
        base = values[:, 0, :, col[MetricAt(metric, y)]]
        if t.lever is None:
            return base
        without = values[:, variants.index(t.lever), :, col[MetricAt(metric, y)]]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = base / without
            eff = np.log(ratio) if t.effect == "log" else ratio - 1.0
        return np.where(np.isfinite(eff), eff, 0.0)

    v = level(t.metric, t.year or year)
    if t.over is not None or t.over_year is not None:
        d = level(t.over or t.metric, t.over_year or t.year or year)
        with np.errstate(divide="ignore", invalid="ignore"):
            v = np.where(np.abs(d) > 1e-12, v / d, 0.0)
        if t.lever is not None:  # a ratio of two effects: keep near-zero divisors finite
            v = np.clip(v, -RATIO_CLIP, RATIO_CLIP)
    if t.transform == "pareto_top1":
        s = np.clip(v, 1e-6, 1 - 1e-6)
        v = 1.0 / (1.0 - np.log(s) / np.log(0.01))
    return v


def _zone_values(zones: pd.DataFrame, specs: Sequence[RunSpec], t: Target, year: int) -> np.ndarray:
    """A zone-table target of each run in ``year`` (the zone's own unit, or all its units)."""
    table = zones[(zones["year"] == year) & (zones["zone_id"] == t.zone_id)]
    out = np.empty(len(specs))
    for i, spec in enumerate(specs):
        rows = table[table["run_id"] == spec.run_id]
        own = rows[rows["unit"] == t.zone_id]
        out[i] = float((own if not own.empty else rows)[t.metric].sum())
    return out


def result_digest(*parts: Any) -> str:
    """A short hash of the model version and ``parts`` (names a cached result)."""
    h = hashlib.sha256(model_version().encode())
    for part in parts:
        h.update(
            np.asarray(part).tobytes() if isinstance(part, np.ndarray) else repr(part).encode()
        )
    return h.hexdigest()[:24]


def _cached_digest(path: Path) -> str | None:
    return parquet_metadata(path).get("digest") or None


def scaled_errors(targets: Targets, moments: np.ndarray) -> np.ndarray:
    """Return ``sqrt(weight) * (moment - value) / tolerance`` along the last axis.

    A one-sided pattern counts only on the wrong side of its value (no error above an
    ``at_least`` value, none below an ``at_most`` one).
    """
    fitted = targets.fitted
    value = np.array([t.value for t in fitted])
    tol = np.array([t.abs_tolerance for t in fitted])
    w = np.sqrt(np.array([t.weight for t in fitted]))
    return w * one_sided(fitted, moments - value) / tol


def distance(targets: Targets, moments: np.ndarray) -> np.ndarray:
    """Weighted distance ``sqrt(sum(weight * ((m - value) / tolerance)**2))``."""
    return np.sqrt(np.sum(scaled_errors(targets, moments) ** 2, axis=-1))


def say(progress: bool, text: str) -> None:
    """Print a progress line on stderr when ``progress`` is true."""
    if progress:
        print(text, file=sys.stderr, flush=True)
