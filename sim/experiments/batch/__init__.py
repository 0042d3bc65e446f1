"""Batches: build run specifications and stream their outputs into a store.

:func:`execute` is the one entry point for every batch (scenario batches, and the
calibration and sensitivity designs built on them): it skips runs already in the
store (resume), runs the rest in chunks on a backend, and writes each chunk to the
store as soon as it finishes.

Modules:
    plan: run specifications with common random numbers (:func:`scenario_specs`), the
        work limit (:func:`check_work`) and the chunks of a batch.
    execution: :func:`execute`.
    manifest: what the manifest records of each invocation and scenario.
    provenance: the time, the git tree and the package versions of an invocation.
    progress: the work estimate, the progress bar and the quarantine report.
    scenario_batch: :func:`run_batch` and :func:`run_scenarios` (``sim.run_scenarios``)
        load scenarios and run them as ``zonesim run`` does.

The backends that run the tasks (local processes, Dask) are :mod:`sim.experiments.backends`.
"""

from __future__ import annotations

from sim.experiments.batch.execution import execute
from sim.experiments.batch.manifest import check_scenarios, scenario_identity
from sim.experiments.batch.plan import MAX_WORK, check_work, default_chunk_size, scenario_specs
from sim.experiments.batch.progress import SECONDS_PER_RUN_YEAR, quarantine_report, work_estimate
from sim.experiments.batch.scenario_batch import (
    RESULTS_DIR,
    BatchOutcome,
    HorizonWarning,
    default_out,
    load_scenarios,
    run_batch,
    run_scenarios,
    warn_mixed_horizons,
)

__all__ = [
    "MAX_WORK",
    "RESULTS_DIR",
    "SECONDS_PER_RUN_YEAR",
    "BatchOutcome",
    "HorizonWarning",
    "check_scenarios",
    "check_work",
    "default_chunk_size",
    "default_out",
    "execute",
    "load_scenarios",
    "quarantine_report",
    "run_batch",
    "run_scenarios",
    "scenario_identity",
    "scenario_specs",
    "warn_mixed_horizons",
    "work_estimate",
]
