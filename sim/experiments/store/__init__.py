"""Results store: one folder per batch, written as runs finish, never losing data.

Layout of a batch folder::

    manifest.json        format marker, scenarios, invocations (see batch.execute)
    runs.parquet         every run of the batch: labels, seed, horizon, run id, parameters
    parts.jsonl          the part index: one JSON line per stored part, with the run keys it
                         holds and the sha256 of its annual and zone files
    annual/part-*.parquet   annual metrics, one part per finished chunk of runs
    zones/part-*.parquet    zone-year rows, same part names (absent with zones=False)
    quarantine/          corrupt, truncated or foreign parts moved aside (never deleted)

Rules the store keeps:

* **It trusts only names it made.** A part named in the index must match the store's own
  pattern (:data:`.layout.PART_PATTERN`: no folder, no ``..``, no absolute path), so it
  lies in the batch folder; an index line naming anything else is ignored like a torn line (its
  runs are missing, a resume drops the line and recomputes them). No symbolic link is
  followed: a store entry (``annual/``, ``parts.jsonl``, ...) that is a link is refused
  with a message, and a part file that is a link, or not a regular file, is read as
  corrupt (a resume moves the link itself to ``quarantine/``).
* **It knows its own files.** A folder is a batch when its ``manifest.json`` carries the
  format marker :data:`FORMAT`. The store writes only the entries above and never deletes
  or overwrites anything else. A non-empty folder that is not a batch is refused, unless the
  caller passes ``allow_foreign=True`` (``zonesim run --force-into-nonempty``); even then
  the folder must not already hold an entry of the names above, and every other file stays
  as it is. A batch of the earlier format (``"format": 1``) is refused with a line saying to
  start a new folder.
* **Writes are atomic and durable.** Parts are written through
  :mod:`sim.experiments.fileio` (temporary file, fsync, rename, fsync of the folder), zone
  part first, then the annual part; only then is the part's line appended to the index
  and fsynced. A run is finished when an index line names it and its files match their
  checksums.
* **Integrity.** :func:`load_results` verifies every part against its sha256 and compares
  the runs the run index lists with the runs stored: a run that is not (unfinished, or its
  part is corrupt or was set aside) is an error (:class:`MissingRunsError`) naming the runs
  and the command that recomputes them, unless the caller allows missing runs, which then
  are listed in :attr:`Results.missing` with a warning. Every resume
  (:meth:`BatchStore.repair`) verifies every part and moves corrupt, truncated, unindexed
  (foreign) and leftover temporary files to ``quarantine/``; the batch reports which runs
  they held and which of them it recomputes (those it was asked for).
  A run stored twice is read once, chosen by run key in index order, never by file name.
* **Append-only.** The run index grows: a later batch into the same folder adds its runs
  (other scenarios, seeds or replicates) and every earlier run stays visible. A run that
  has the same scenario, replicate, sample and seed as a stored one but a different run id
  (other parameters or horizon) is refused by :func:`check_compatible`, as is a batch of
  another model version: such a batch belongs in a new folder.

Modules:
    layout: the folder's entry names, the part file pattern, run keys.
    trust: refusing symbolic links, reading part files, checking their checksums.
    index: reading the manifest, the part index and the run index.
    runindex: run index rows from run specifications, run keys, merging and
        :func:`~.runindex.check_compatible`.
    writer: :class:`~.writer.BatchStore`, which locks the folder and writes its files.
    quarantine: :func:`~.quarantine.repair` (a resume's check of every part) and
        moving files aside.
    results: :class:`~.results.Results`, one folder's tables.
    combined: :class:`~.combined.CombinedResults`, several folders read as one.
    load: :func:`~.load.load_results`.
    describe: runs in words and the commands that recompute them.
    errors: :class:`~.errors.StoreError` and :class:`~.errors.MissingRunsError`.
"""

from __future__ import annotations

from sim.experiments.store.combined import CombinedResults
from sim.experiments.store.describe import (
    describe_runs,
    recompute_advice,
    recompute_commands,
    run_counts,
)
from sim.experiments.store.errors import MissingRunsError, StoreError
from sim.experiments.store.index import read_manifest
from sim.experiments.store.layout import FORMAT
from sim.experiments.store.load import load_results
from sim.experiments.store.quarantine import Repair
from sim.experiments.store.results import Results
from sim.experiments.store.runindex import (
    check_compatible,
    merge_runs,
    run_difference,
    run_keys,
    runs_table,
)
from sim.experiments.store.writer import BatchStore

__all__ = [
    "FORMAT",
    "BatchStore",
    "CombinedResults",
    "MissingRunsError",
    "Repair",
    "Results",
    "StoreError",
    "check_compatible",
    "describe_runs",
    "load_results",
    "merge_runs",
    "read_manifest",
    "recompute_advice",
    "recompute_commands",
    "run_counts",
    "run_difference",
    "run_keys",
    "runs_table",
]
