"""Experiments: scenarios, seeds, execution backends, batches and the results store.

Modules and packages:
    scenarios: scenario files (TOML) -> validated :class:`~.scenarios.Scenario`, and the
        variants of a ``[sweep]`` (:func:`~.scenarios.expand`); a package (the record,
        loading, checks against the registry, sweeps, the shipped scenarios).
    seeds: every seed from one master seed (common random numbers), branch by branch.
    posterior: parameter draws from a calibration posterior, one per replicate.
    runs: :class:`~.runs.RunSpec`, :func:`~.runs.run_one` and compact outputs.
    identity: the model version and the code identity a worker must share.
    backends: serial, local process pool and Dask backends behind one interface.
    lifeline: pool workers (and their fork server) that end with the main process.
    batch: :func:`~.batch.execute`, streaming a batch into the store with resume;
        :func:`~.batch.run_batch` and :func:`~.batch.run_scenarios` (``sim.run_scenarios``)
        load scenarios and run them as ``zonesim run`` does; a package (planning,
        execution, the manifest's records, provenance, progress).
    store: the batch folder (append-only, checksummed parts) and :func:`~.store.load_results`
        (one folder, or several read as one); a package (layout, trust checks, the index
        files, the writer, quarantine, results).
    outfolder: the folders of the analysis commands and the files they own.
    evaluate: model outputs at points of a parameter space, on the batch layer.
    summary: means, quantiles and paired differences over replicates.
    fileio: atomic, durable file writes.
    errors: :class:`~.errors.ArgumentError`, a bad argument of a library function.

This package imports :mod:`sim.core` only.
"""

from __future__ import annotations
