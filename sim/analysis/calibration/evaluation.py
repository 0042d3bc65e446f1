"""Simulated moments: the fitted targets of candidate parameter sets, and their distance.

:class:`Evaluator` runs candidates through the shared evaluator
(:class:`sim.experiments.evaluate.PointEvaluator`), one batch folder per evaluation
step, and caches the extracted moments beside the batch; :func:`distance` measures
how far moments are from the targets in units of their tolerances.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.calibration.targets import Targets, prior_params
from sim.core.params import resolve
from sim.experiments.backends import Backend
from sim.experiments.evaluate import MetricAt, PointEvaluator
from sim.experiments.fileio import atomic_write_parquet, parquet_metadata
from sim.experiments.runs import model_version

#: Scenario label of every calibration run in the batch store.
SCENARIO = "calibration"


class Evaluator:
    """Simulates the fitted moments of candidate parameter sets through the batch layer.

    Each call runs through :class:`sim.experiments.evaluate.PointEvaluator` in one batch
    folder under ``work_dir`` (named by the caller's step), so a repeated call with the
    same candidates and seeds resumes or reuses it; a small ``moments.parquet`` beside
    the batch holds the extracted moments once complete.

    Args:
        targets: The targets (year, parameters, fitted metrics).
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
        self.metrics = [t.metric for t in targets.fitted]
        self.base = prior_params()
        self.runs = 0  # runs requested (cached or not), for budgets

    def params(self, theta: Sequence[float]) -> dict[str, Any]:
        """Full resolved parameters of a candidate (calibrated values over priors)."""
        over = dict(self.base)
        over.update({n: float(v) for n, v in zip(self.targets.parameters, theta, strict=True)})
        return resolve(over)

    def __call__(self, step: str, thetas: np.ndarray, seeds: np.ndarray) -> np.ndarray:
        """Simulate candidates ``thetas`` (rows) with seeds ``seeds[i, r]``.

        Args:
            step: Name of the batch folder (unique per evaluation step).
            thetas: Parameter values, shape ``(candidates, parameters)``.
            seeds: Seeds, shape ``(candidates, replicates)``.

        Returns:
            Fitted moments, shape ``(candidates, replicates, fitted targets)``.
        """
        thetas = np.atleast_2d(np.asarray(thetas, dtype=float))
        seeds = np.asarray(seeds, dtype=np.int64).reshape(len(thetas), -1)
        n, reps = seeds.shape
        self.runs += n * reps
        folder = self.work_dir / step
        digest = result_digest(thetas, seeds, self.metrics, self.targets.year)
        cache = folder / "moments.parquet"
        if cache.is_file() and _cached_digest(cache) == digest:
            df = pd.read_parquet(cache)
            return df[self.metrics].to_numpy(dtype=float).reshape(n, reps, -1)
        runner = PointEvaluator(
            folder,
            backend=self.backend,
            scenario=SCENARIO,
            progress=self.progress,
            manifest_extra={"calibration": {"step": step, "targets": str(self.targets.path)}},
        )
        points = [self.params(theta) for theta in thetas]
        outputs = [MetricAt(m, self.targets.year) for m in self.metrics]
        out = runner(points, seeds, outputs)
        table = pd.DataFrame(out.reshape(n * reps, -1), columns=self.metrics)
        atomic_write_parquet(cache, table, {"digest": digest})
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
    """Return ``sqrt(weight) * (moment - value) / tolerance`` along the last axis."""
    fitted = targets.fitted
    value = np.array([t.value for t in fitted])
    tol = np.array([t.abs_tolerance for t in fitted])
    w = np.sqrt(np.array([t.weight for t in fitted]))
    return w * (moments - value) / tol


def distance(targets: Targets, moments: np.ndarray) -> np.ndarray:
    """Weighted distance ``sqrt(sum(weight * ((m - value) / tolerance)**2))``."""
    return np.sqrt(np.sum(scaled_errors(targets, moments) ** 2, axis=-1))


def say(progress: bool, text: str) -> None:
    """Print a progress line on stderr when ``progress`` is true."""
    if progress:
        print(text, file=sys.stderr, flush=True)
