"""Evaluators: turn design rows into outputs.

An evaluator is called as ``evaluate(X, samples, replicates)`` and returns an array of
shape ``(rows, replicates, outputs)``. :class:`ModelEvaluator` runs the model through
the shared evaluator (:class:`sim.experiments.evaluate.PointEvaluator`: local
processes or Dask, resumable); :func:`function_evaluator` wraps a plain function such
as SALib's Ishigami for known-answer tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from sim.analysis.sensitivity.problem import OutputSpec, to_overrides
from sim.core.params import resolve
from sim.core.run import FIRST_YEAR
from sim.experiments.evaluate import PointEvaluator
from sim.experiments.seeds import branch_rng, replicate_seed


class Evaluator(Protocol):
    """Turns design rows into outputs.

    Called as ``evaluate(X, samples, replicates)``: ``X`` holds design rows in
    parameter units, ``samples`` their row numbers in the design (run labels, so a
    resumed analysis finds its runs) and ``replicates`` the replicate indices (seeds)
    to run at each. Returns an array of shape ``(rows, replicates, outputs)``.
    """

    def __call__(
        self, X: np.ndarray, samples: Sequence[int], replicates: Sequence[int]
    ) -> np.ndarray:
        """Evaluate the rows (see the class docstring)."""
        ...


def function_evaluator(
    fn: Callable[[np.ndarray], np.ndarray],
    *,
    noise_sd: float = 0.0,
    seed: int = 0,
) -> Evaluator:
    """Wrap a vectorised function ``fn(X) -> Y`` as an evaluator.

    Args:
        fn: Deterministic function of the design rows; 1-D or 2-D result.
        noise_sd: Standard deviation of additive Gaussian noise, drawn afresh for
            every (row, replicate): the worst case for common random numbers.
        seed: Master seed of the noise.

    Returns:
        An :class:`Evaluator`.
    """

    def evaluate(X: np.ndarray, samples: Sequence[int], replicates: Sequence[int]) -> np.ndarray:
        base = np.asarray(fn(np.asarray(X, dtype=float)), dtype=float).reshape(len(X), -1)
        Y = np.repeat(base[:, None, :], len(replicates), axis=1)
        if noise_sd > 0:
            for k, rep in enumerate(replicates):
                for i, s in enumerate(samples):
                    rng = branch_rng(seed, rep, s)
                    Y[i, k] += noise_sd * rng.standard_normal(base.shape[1])
        return Y

    return evaluate


class ModelEvaluator:
    """Runs design rows through the model with the batch layer (resumable).

    Each row becomes one run per replicate through
    :class:`sim.experiments.evaluate.PointEvaluator`: the
    base parameters with the row's overrides, replicate ``r``'s seed from
    :func:`sim.experiments.seeds.replicate_seed` (the same at every row: common
    random numbers), labelled with the row's number as ``sample``. Runs already
    stored in ``runs_dir`` are not repeated.
    """

    def __init__(
        self,
        problem: dict,
        outputs: Sequence[OutputSpec],
        runs_dir: Path,
        *,
        backend: Any,
        seed: int,
        base: Mapping[str, Any] | None = None,
        scenario: str = "sensitivity",
        start: int = FIRST_YEAR,
        progress: bool = True,
        manifest_extra: Mapping[str, Any] | None = None,
    ) -> None:
        """Set up the evaluator.

        Args:
            problem: SALib problem.
            outputs: Output specs; the horizon ends at their last year.
            runs_dir: Batch folder for the runs.
            backend: Backend from :func:`sim.experiments.backends.make_backend`.
            seed: Master seed of the replicate seeds.
            base: Resolved parameters of the base point (default: registry defaults).
            scenario: Scenario label of the runs.
            start: First year stored.
            progress: Show a progress bar.
            manifest_extra: Extra fields recorded in the batch manifest.
        """
        self.problem = problem
        self.outputs = list(outputs)
        self.runs_dir = Path(runs_dir)
        self.backend = backend
        self.seed = seed
        self.base = dict(base) if base is not None else resolve()
        self.scenario = scenario
        self.start = min(start, min(o.year for o in self.outputs))
        self.end = max(o.year for o in self.outputs)
        self.progress = progress
        self.manifest_extra = dict(manifest_extra or {})
        # One runner for design and noise probe: the folder's run index lists every run
        # asked for so far, so it loads as one batch; finished runs are skipped.
        self._runner = PointEvaluator(
            self.runs_dir,
            backend=backend,
            scenario=scenario,
            progress=progress,
            manifest_extra=self.manifest_extra,
        )

    def _points(self, X: np.ndarray) -> list[dict[str, Any]]:
        return [{**self.base, **over} for over in to_overrides(self.problem, X)]

    def _seeds(self, n: int, replicates: Sequence[int]) -> np.ndarray:
        row = [replicate_seed(self.seed, r) for r in replicates]
        return np.tile(np.array(row, dtype=np.int64), (n, 1))

    def specs(self, X: np.ndarray, samples: Sequence[int], replicates: Sequence[int]) -> list:
        """Run specifications of the rows (row-major, replicates inner)."""
        return self._runner.specs(
            self._points(X),
            self._seeds(len(X), replicates),
            start=self.start,
            end=self.end,
            samples=samples,
            replicates=replicates,
        )

    def __call__(
        self, X: np.ndarray, samples: Sequence[int], replicates: Sequence[int]
    ) -> np.ndarray:
        """Run (or reload) the rows; see :class:`Evaluator`."""
        return self._runner(
            self._points(X),
            self._seeds(len(X), replicates),
            self.outputs,
            start=self.start,
            samples=samples,
            replicates=replicates,
        )
