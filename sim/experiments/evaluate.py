"""Parameter points x seeds -> runs -> metrics at years: the evaluator analyses share.

Calibration and sensitivity analysis both ask the same question of the model: for a
table of parameter points and a table of seeds, what is each metric in each year of
interest? :class:`PointEvaluator` answers it through the batch layer
(:func:`sim.experiments.batch.execute`, local processes or Dask): run ``(i, c)`` has
parameters ``points[i]`` and seed ``seeds[i, c]``, is stored under sample label
``samples[i]`` and replicate label ``replicates[c]``, and runs already stored in the
folder are not repeated, so an interrupted analysis resumes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.core.run import FIRST_YEAR, LAST_YEAR, METRICS
from sim.experiments.backends import Backend
from sim.experiments.batch import execute
from sim.experiments.errors import ArgumentError
from sim.experiments.runs import RunSpec
from sim.experiments.store import Results, load_results


@dataclass(frozen=True)
class MetricAt:
    """One scalar output of a run: a metric of the annual table at the end of a year.

    Attributes:
        metric: Column of the annual table.
        year: Calendar year.
    """

    metric: str
    year: int

    @property
    def label(self) -> str:
        """The output as written in tables and reports, ``metric@year``."""
        return f"{self.metric}@{self.year}"


def parse_metric_at[M: MetricAt](
    text: str,
    *,
    argument: str,
    cls: type[M] = MetricAt,  # type: ignore[assignment]  # a type parameter's default is 3.13
    example: str = "firms@2018",
) -> M:
    """Parse ``metric@year`` (e.g. ``firms@2018``) into ``cls``.

    Args:
        text: The text.
        argument: The caller's argument name, which the error message starts with.
        cls: :class:`MetricAt` or a subclass of it.
        example: An example shown in the error message.

    Raises:
        ArgumentError: If the text is malformed, the metric is not a column of the
            annual table or the year lies outside the model's range.
    """
    metric, sep, year = text.strip().partition("@")
    if not sep or not metric or not year:
        raise ArgumentError(argument, f" {text!r}: expected metric@year, e.g. {example}")
    if metric not in METRICS:
        raise ArgumentError(
            argument,
            f" {text!r}: expected a metric of the annual table "
            f"({', '.join(METRICS[:4])}, ...), got {metric!r}",
        )
    try:
        y = int(year)
    except ValueError:
        raise ArgumentError(argument, f" {text!r}: expected a whole year after '@'") from None
    if not FIRST_YEAR <= y <= LAST_YEAR:
        raise ArgumentError(
            argument, f" {text!r}: expected a year from {FIRST_YEAR} to {LAST_YEAR}"
        )
    return cls(metric, y)


def parse_metric_list[M: MetricAt](
    texts: str | Sequence[str],
    *,
    argument: str,
    cls: type[M] = MetricAt,  # type: ignore[assignment]  # a type parameter's default is 3.13
    example: str = "firms@2018",
) -> tuple[M, ...]:
    """Parse comma-separated or listed ``metric@year`` texts (see :func:`parse_metric_at`).

    Raises:
        ArgumentError: On a malformed or repeated entry, or an empty list.
    """
    if isinstance(texts, str):
        texts = [t for t in texts.split(",") if t.strip()]
    out = tuple(parse_metric_at(t, argument=argument, cls=cls, example=example) for t in texts)
    if not out:
        raise ArgumentError(argument, ": expected at least one metric@year")
    labels = [o.label for o in out]
    for label in labels:
        if labels.count(label) > 1:
            raise ArgumentError(argument, f": {label} is listed twice")
    return out


class PointEvaluator:
    """Runs parameter points with given seeds in one batch folder and reads metrics back.

    The folder's run index lists every run asked of this evaluator so far, so design
    points and later extra replicates load as one batch.

    Args:
        folder: Batch folder (created if needed; resumable).
        backend: Where runs execute.
        scenario: Scenario label of the runs in the store.
        progress: Whether to show a progress bar.
        zones: Whether to store zone tables too.
        manifest_extra: Entries merged into the batch manifest.
    """

    def __init__(
        self,
        folder: str | Path,
        *,
        backend: Backend,
        scenario: str,
        progress: bool = True,
        zones: bool = False,
        manifest_extra: Mapping[str, Any] | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.backend = backend
        self.scenario = scenario
        self.progress = progress
        self.zones = zones
        self.manifest_extra = dict(manifest_extra or {})
        self._asked: dict[RunSpec, None] = {}

    def specs(
        self,
        points: Sequence[Mapping[str, Any]],
        seeds: np.ndarray | Sequence[Sequence[int]],
        *,
        start: int,
        end: int,
        samples: Sequence[int] | None = None,
        replicates: Sequence[int] | None = None,
    ) -> list[RunSpec]:
        """Run specifications of the points (point-major, replicates inner).

        Args:
            points: Resolved parameters of each point.
            seeds: Seed of every run, shape ``(points, replicates)``.
            start: First year stored.
            end: Last year simulated.
            samples: Sample label of each point (default ``0..points-1``).
            replicates: Replicate label of each column of ``seeds`` (default ``0..``).

        Returns:
            ``len(points) * replicates`` specifications.
        """
        seeds = np.asarray(seeds, dtype=np.int64).reshape(len(points), -1)
        samples = range(len(points)) if samples is None else samples
        replicates = range(seeds.shape[1]) if replicates is None else replicates
        return [
            RunSpec(self.scenario, int(r), int(seeds[i, c]), dict(point), start, end, int(s))
            for i, (point, s) in enumerate(zip(points, samples, strict=True))
            for c, r in enumerate(replicates)
        ]

    def run(self, specs: Sequence[RunSpec]) -> Results:
        """Run (or find stored) ``specs`` and every run asked before; return the batch."""
        self._asked.update(dict.fromkeys(specs))
        execute(
            list(self._asked),
            self.folder,
            backend=self.backend,
            manifest_extra=self.manifest_extra,
            progress=self.progress,
            zones=self.zones,
        )
        return load_results(self.folder)

    def __call__(
        self,
        points: Sequence[Mapping[str, Any]],
        seeds: np.ndarray | Sequence[Sequence[int]],
        outputs: Sequence[MetricAt],
        *,
        start: int | None = None,
        samples: Sequence[int] | None = None,
        replicates: Sequence[int] | None = None,
    ) -> np.ndarray:
        """Simulate every point with every seed of its row and return the outputs.

        Args:
            points: Resolved parameters of each point.
            seeds: Seed of every run, shape ``(points, replicates)``.
            outputs: Metrics and years to read.
            start: First year stored (default: the first output year).
            samples: Sample label of each point (default ``0..points-1``).
            replicates: Replicate label of each column of ``seeds``.

        Returns:
            Array of shape ``(points, replicates, outputs)``.
        """
        years = [o.year for o in outputs]
        start = min(years) if start is None else min(start, *years)
        specs = self.specs(
            points, seeds, start=start, end=max(years), samples=samples, replicates=replicates
        )
        annual = self.run(specs).annual
        n = len(points)
        return metric_values(annual, specs, outputs, self.folder).reshape(n, -1, len(outputs))


def metric_values(
    annual: pd.DataFrame, specs: Sequence[RunSpec], outputs: Sequence[MetricAt], folder: Path
) -> np.ndarray:
    """Read ``outputs`` of ``specs`` from an annual table, shape ``(runs, outputs)``.

    Raises:
        RuntimeError: If a run has no row for an output's year (not finished).
    """
    wanted = {spec.run_id for spec in specs}
    years = sorted({o.year for o in outputs})
    metrics = sorted({o.metric for o in outputs})
    table = annual.loc[annual["run_id"].isin(wanted) & annual["year"].isin(years)]
    table = table[["run_id", "year", *metrics]].drop_duplicates(["run_id", "year"])
    table = table.set_index(["run_id", "year"])
    run_ids = [spec.run_id for spec in specs]
    out = np.empty((len(specs), len(outputs)))
    for j, o in enumerate(outputs):
        values = table.xs(o.year, level="year")[o.metric].reindex(run_ids)
        if values.isna().any():
            spec = specs[int(np.flatnonzero(values.isna().to_numpy())[0])]
            raise RuntimeError(
                f"{folder}: run {spec.run_id} (sample {spec.sample}) has no {o.label}; "
                "expected a finished run"
            )
        out[:, j] = values.to_numpy(dtype=float)
    return out
