"""Experiments: scenarios, seeds, execution backends, batches and the results store.

Modules:
    scenarios: scenario files (TOML) -> validated :class:`~.scenarios.Scenario`.
    seeds: replicate seeds from one master seed (common random numbers).
    runs: :class:`~.runs.RunSpec`, :func:`~.runs.run_one` and compact outputs.
    backends: serial, local process pool and Dask backends behind one interface.
    lifeline: pool workers (and their fork server) that end with the main process.
    batch: :func:`~.batch.execute`, streaming a batch into the store with resume.
    store: the batch folder (append-only, checksummed parts) and :func:`~.store.load_results`.
    summary: means, quantiles and paired differences over replicates.

This package imports :mod:`sim.core` only.
"""

from __future__ import annotations
