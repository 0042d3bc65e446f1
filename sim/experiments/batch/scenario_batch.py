"""Scenario batches: load scenarios and run them as one batch, as ``zonesim run`` does."""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.core.run import FIRST_YEAR
from sim.experiments.backends import make_backend
from sim.experiments.batch.execution import execute
from sim.experiments.batch.manifest import scenario_entry
from sim.experiments.batch.plan import check_work, scenario_specs
from sim.experiments.errors import ArgumentError
from sim.experiments.scenarios.checks import check_settings
from sim.experiments.scenarios.loading import load_doc, load_scenario
from sim.experiments.scenarios.scenario import MAX_REPLICATIONS, Scenario
from sim.experiments.scenarios.shipped import find_scenario
from sim.experiments.scenarios.sweeps import expand
from sim.experiments.store.describe import run_counts
from sim.experiments.store.index import read_manifest
from sim.experiments.store.load import load_results
from sim.experiments.store.results import Results

#: Default parent folder of batch folders.
RESULTS_DIR = Path("results")

#: What :func:`load_scenarios` accepts: files, shipped names, scenarios or mappings.
ScenarioInput = Sequence[str | Path | Scenario | Mapping[str, Any]] | str | Path


class HorizonWarning(UserWarning):
    """The scenarios of a batch report different years (a brief compares the shared ones)."""


def warn_mixed_horizons(scenarios: Sequence[Scenario]) -> None:
    """Warn (:class:`HorizonWarning`) if the scenarios do not all report the same years."""
    spans = {sc.name: (sc.run.start, sc.run.end) for sc in scenarios}
    if len(set(spans.values())) > 1:
        first = max(a for a, _ in spans.values())
        last = min(b for _, b in spans.values())
        shared = f"{first}-{last}" if first <= last else "none"
        listed = ", ".join(f"{name} {a}-{b}" for name, (a, b) in spans.items())
        warnings.warn(
            f"scenarios report different years ({listed}); a brief compares them over the "
            f"years they share ({shared})",
            HorizonWarning,
            stacklevel=3,
        )


@dataclass(frozen=True)
class BatchOutcome:
    """What one call of :func:`run_batch` did.

    Attributes:
        path: The batch folder.
        scenarios: Names of the scenarios (sweep variants included) of the call.
        total: Runs the call asked for.
        reused: Runs already in the folder (skipped).
        ran: Runs computed by the call.
        set_aside: Finished runs whose parts the call found corrupt and set aside.
        recomputed: Those of them the call computed again (the others belong to
            another command and stay missing).
    """

    path: Path
    scenarios: tuple[str, ...]
    total: int
    reused: int
    ran: int
    set_aside: int = 0
    recomputed: int = 0

    def summary(self) -> str:
        """``"25 runs of 5 scenario(s): 5 ran, 20 reused"`` (and the set-aside runs)."""
        counts = {"run": self.ran, "skipped": self.reused, "set_aside": self.set_aside,
                  "recomputed": self.recomputed}  # fmt: skip
        return f"{self.total} runs of {len(self.scenarios)} scenario(s): {run_counts(counts)}"


def default_out(scenarios: Sequence[Scenario]) -> Path:
    """``results/<name>`` for one scenario file, ``results/<a>+<b>+...`` for several."""
    names = list(dict.fromkeys(s.base for s in scenarios))
    joined = "+".join(names)
    if len(joined) > 80:
        digest = hashlib.sha256(joined.encode()).hexdigest()[:8]
        joined = f"{names[0]}+{len(names) - 1}-more-{digest}"
    return RESULTS_DIR / joined


def load_scenarios(
    files_or_specs: ScenarioInput, settings: Mapping[str, Any] | None = None
) -> list[Scenario]:
    """Load scenarios from files, shipped names, loaded scenarios or scenario mappings.

    A mapping has the keys of a scenario file (``name``, ``description``, ``run``,
    ``parameters``, ``modes``, ``sweep``) and is checked the same way. Files with a
    ``[sweep]`` give one scenario per design point (:func:`~sim.experiments.scenarios.expand`).

    Raises:
        ScenarioError: Naming the file (or ``files_or_specs[i]``) and the key.
        ArgumentError: On a bad ``settings`` entry.
    """
    if isinstance(files_or_specs, str | Path | Mapping | Scenario):
        files_or_specs = [files_or_specs]
    settings = check_settings(settings)
    out: list[Scenario] = []
    for i, item in enumerate(files_or_specs):
        if isinstance(item, Scenario):
            if settings:
                raise ArgumentError(
                    "set", ": expected scenario files or mappings (a loaded Scenario is final)"
                )
            out += expand(item)
        elif isinstance(item, Mapping):
            out += expand(load_doc(f"files_or_specs[{i}]", dict(item), settings))
        elif isinstance(item, str | Path):
            out += expand(load_scenario(find_scenario(str(item)), settings))
        else:
            raise ArgumentError(
                "files_or_specs",
                f"[{i}]: expected a scenario file, a shipped scenario's name, a Scenario or a "
                f"mapping, got {type(item).__name__}",
            )
    if not out:
        raise ArgumentError("files_or_specs", ": expected at least one scenario")
    return out


def run_batch(
    files_or_specs: ScenarioInput,
    *,
    reps: int | None = None,
    seed: int | None = None,
    settings: Mapping[str, Any] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    out: str | Path | None = None,
    command: str | None = None,
    progress: bool = True,
    chunk_size: int | None = None,
    zones: bool = True,
    allow_foreign: bool = False,
    max_work: int | None = None,
) -> BatchOutcome:
    """Load scenarios and run them as one batch (what ``zonesim run`` does).

    Args:
        files_or_specs: See :func:`load_scenarios`.
        reps: Replicates per scenario (default: each file's ``run.replications``).
        seed: Master seed (default: the files' ``run.seed``, which must agree).
        settings: Registry parameters laid over every scenario's ``[parameters]``
            (``--set``); recorded in the manifest.
        workers: Local worker processes (default: every core; 1 runs in process).
        scheduler: A Dask scheduler's address (instead of local workers), or a
            ``distributed.Client``'s scheduler address.
        out: Batch folder (default: ``results/<scenario files' names>``).
        command: The command line recorded in the manifest.
        progress: Whether to show a progress bar.
        chunk_size: Runs per task.
        zones: Whether to keep zone-year tables.
        allow_foreign: Accept a non-empty folder that is not a batch.
        max_work: Most run-years the batch may ask for (default
            :data:`~.plan.MAX_WORK`), checked before any run specification is built.

    Warns:
        HorizonWarning: If the scenarios report different years.

    Returns:
        What the call did, with how many runs it reused and how many it ran.

    Raises:
        ArgumentError: On an invalid argument (named).
        ScenarioError: On an invalid scenario.
        StoreError: If ``out`` cannot hold the batch.
    """
    if reps is not None and not (isinstance(reps, int) and 1 <= reps <= MAX_REPLICATIONS):
        raise ArgumentError(
            "reps", f": expected 1 to {MAX_REPLICATIONS:,} replicates, got {reps!r}"
        )
    settings = check_settings(settings)
    scenarios = load_scenarios(files_or_specs, settings)
    warn_mixed_horizons(scenarios)
    check_work(
        sum(reps or sc.run.replications for sc in scenarios),
        max(sc.run.end - FIRST_YEAR + 1 for sc in scenarios),
        max_work,
        what="replicates or design points",
    )
    specs = scenario_specs(scenarios, reps=reps, seed=seed)
    path = Path(out) if out is not None else default_out(scenarios)
    master = seed if seed is not None else scenarios[0].run.seed
    extra: dict[str, Any] = {
        "master_seed": master,
        "set": dict(settings),
        "scenarios": {sc.name: scenario_entry(sc, master, reps, settings) for sc in scenarios},
    }
    if command is not None:
        extra["command"] = command
    with make_backend(workers, scheduler, tasks=len(specs)) as backend:
        execute(
            specs,
            path,
            backend=backend,
            manifest_extra=extra,
            progress=progress,
            chunk_size=chunk_size,
            zones=zones,
            allow_foreign=allow_foreign,
        )
    return _outcome(path, scenarios, len(specs))


def _outcome(path: Path, scenarios: Sequence[Scenario], total: int) -> BatchOutcome:
    """What the batch's latest invocation did, from its manifest."""
    counts = (read_manifest(path) or {}).get("runs", {})
    return BatchOutcome(
        path=path,
        scenarios=tuple(sc.name for sc in scenarios),
        total=total,
        reused=int(counts.get("skipped", 0)),
        ran=int(counts.get("run", 0)),
        set_aside=int(counts.get("set_aside", 0)),
        recomputed=int(counts.get("recomputed", 0)),
    )


def run_scenarios(
    files_or_specs: ScenarioInput,
    *,
    reps: int | None = None,
    workers: int | None = None,
    out: str | Path | None = None,
    seed: int | None = None,
    set: Mapping[str, Any] | None = None,
    scheduler: str | None = None,
    progress: bool = True,
    zones: bool = True,
    max_work: int | None = None,
) -> Results:
    """Run scenarios as one batch and return its results (``zonesim run`` from Python).

    Finished runs already in ``out`` are reused, so calling it again resumes or adds.
    ``results.summary()`` says how many runs this call reused and how many it ran.

    Args:
        files_or_specs: Scenario files, shipped scenario names, loaded scenarios or
            mappings with a scenario file's keys (see :func:`load_scenarios`).
        reps: Replicates per scenario (default: each file's).
        workers: Local worker processes (default: every core; 1 runs in process).
        out: Batch folder (default: ``results/<scenario names>``).
        seed: Master seed (default: the files').
        set: Registry parameters laid over every scenario's ``[parameters]``.
        scheduler: A Dask scheduler's address (e.g. ``cluster.scheduler_address`` of a
            ``dask_jobqueue.SLURMCluster``), instead of local workers.
        progress: Whether to show a progress bar.
        zones: Whether to keep zone-year tables.
        max_work: Most run-years the batch may ask for (default :data:`~.plan.MAX_WORK`).

    Returns:
        The batch's results (:func:`sim.experiments.store.load_results`).
    """
    outcome = run_batch(
        files_or_specs,
        reps=reps,
        seed=seed,
        settings=set,
        workers=workers,
        scheduler=scheduler,
        out=out,
        command=f"sim.run_scenarios({files_or_specs!r})"[:2000],
        progress=progress,
        zones=zones,
        max_work=max_work,
    )
    return load_results(outcome.path)
