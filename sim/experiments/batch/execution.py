"""Running a batch: :func:`execute` checks the folder, skips stored runs and streams the rest."""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

from sim.experiments import lifeline
from sim.experiments.backends import Backend
from sim.experiments.batch.manifest import (
    batch_manifest,
    check_scenarios,
    invocation_record,
    record_change,
)
from sim.experiments.batch.plan import chunks, default_chunk_size
from sim.experiments.batch.progress import progress_bar, quarantine_report, work_estimate
from sim.experiments.batch.provenance import now
from sim.experiments.identity import code_identity, identity_difference
from sim.experiments.runs import RunOutput, RunSpec, run_chunk
from sim.experiments.store.errors import StoreError
from sim.experiments.store.layout import Key
from sim.experiments.store.quarantine import Repair
from sim.experiments.store.runindex import check_compatible, merge_runs, runs_table
from sim.experiments.store.writer import BatchStore


def execute(
    specs: Sequence[RunSpec],
    out_dir: str | Path,
    *,
    backend: Backend,
    manifest_extra: Mapping[str, Any] | None = None,
    progress: bool = True,
    chunk_size: int | None = None,
    zones: bool = True,
    allow_foreign: bool = False,
    before_runs: Callable[[], object] | None = None,
) -> Path:
    """Run a batch, streaming outputs into the store at ``out_dir``.

    Runs already stored in ``out_dir`` (same scenario, replicate, sample and run
    id) are skipped, so running the same batch again resumes it. The batch only
    grows: runs of other scenarios, seeds or replicates are added to the run index
    and every stored run stays in it (see :mod:`sim.experiments.store`); a run that
    would replace a stored one with other parameters, or a model version other than
    the batch's, is refused. Each invocation is recorded under ``invocations`` in the
    manifest (command, times, status, packages, backend); scenario entries given in
    ``manifest_extra`` are merged key by key. The batch records the command that owns
    it (``manifest_extra["owner"]``, default ``"run"``); a batch of another command is
    refused.

    Every part is verified before the batch starts; corrupt or foreign parts are moved
    to ``quarantine/`` (reported on one line on stderr) and their runs recomputed.
    Each task checks that the worker runs the client's code
    (:func:`sim.experiments.identity.code_identity`). SIGTERM and Ctrl-C stop the batch
    with the manifest's status ``interrupted``; an error sets ``failed``.

    Args:
        specs: The runs, in the order the loaded tables list them. Keys
            (:attr:`RunSpec.key`) must be unique.
        out_dir: Batch folder (created if needed; a non-empty folder must be a batch).
        backend: Where the runs execute (:func:`sim.experiments.backends.make_backend`).
        manifest_extra: Entries merged into the manifest (e.g. scenario files'
            text, the command line); nested tables are merged key by key.
        progress: Whether to print the runs to compute with an estimate of their time
            (:func:`~.progress.work_estimate`) and show a progress bar with the time left
            (on stderr).
        chunk_size: Runs per task (default: :func:`~.plan.default_chunk_size`).
        zones: Whether to store zone-year tables (``False`` keeps annual ones only).
        allow_foreign: Accept a non-empty folder that is not a batch (its files are
            left untouched).
        before_runs: Called once the folder has accepted the batch (every check
            passed), before its first run: a command writes its own files then, so a
            refused batch leaves none.

    Returns:
        The batch folder.

    Raises:
        ValueError: If ``specs`` is empty or has duplicate keys, or ``chunk_size`` is
            below 1.
        StoreError: If ``out_dir`` cannot hold this batch (see
            :class:`sim.experiments.store.BatchStore`,
            :func:`sim.experiments.store.check_compatible`).
        CodeMismatchError: If a worker runs other model code or packages.
    """
    specs = _checked_specs(specs, chunk_size)
    out = Path(out_dir)
    extra = dict(manifest_extra or {})
    identity = code_identity()
    folder_identity = {k: v for k, v in identity.items() if k != "code"}
    with BatchStore(out, allow_foreign=allow_foreign) as store, lifeline.sigterm_checkpoints():
        previous = store.manifest or {}
        owner = str(extra.get("owner", "run"))
        _check_folder(out, previous, owner, folder_identity)
        todo, runs, repaired, recomputed = _resume(store, specs, previous, extra, zones=zones)
        invocation = invocation_record(
            specs, len(todo), repaired, recomputed, folder_identity,
            backend=backend.name, zones=zones, extra=extra,
        )  # fmt: skip
        manifest = batch_manifest(previous, invocation, extra, runs, owner=owner)
        store.write_manifest(manifest)  # first: a batch killed before the run index resumes
        store.write_runs(runs)
        size = chunk_size or default_chunk_size(len(todo), backend.workers)
        task = functools.partial(run_chunk, zones=zones, identity=identity)
        if progress:
            estimate = work_estimate(todo, len(specs) - len(todo), backend.workers)
            print(f"{out.name}: {estimate}", file=sys.stderr)
        bar = progress_bar(out.name, len(specs), len(specs) - len(todo), show=progress)
        status = "interrupted"
        try:
            if before_runs is not None:
                before_runs()
            _store_outputs(store, backend, task, chunks(todo, size), invocation["runs"], bar)
            status = "complete"
        except Exception:
            status = "failed"
            raise
        finally:
            with contextlib.suppress(OSError):  # the original error is the one to report
                record_change(manifest, invocation, status=status, finished=now())
                store.write_manifest(manifest)
    return out


def _checked_specs(specs: Sequence[RunSpec], chunk_size: int | None) -> list[RunSpec]:
    """``specs`` as a list, refused if empty or with a key twice, or ``chunk_size`` below 1."""
    specs = list(specs)
    if not specs:
        raise ValueError("specs: expected at least one run")
    if chunk_size is not None and chunk_size < 1:
        raise ValueError(f"chunk_size: expected at least 1, got {chunk_size}")
    keys = [s.key for s in specs]
    if len(set(keys)) != len(keys):
        dup = next(k for i, k in enumerate(keys) if k in keys[:i])
        raise ValueError(f"specs: expected unique (scenario, replicate, sample) runs, got {dup}")
    return specs


def _resume(
    store: BatchStore,
    specs: list[RunSpec],
    previous: Mapping[str, Any],
    extra: Mapping[str, Any],
    *,
    zones: bool,
) -> tuple[list[RunSpec], pd.DataFrame, Repair, set[Key]]:
    """What the folder holds of the batch already, once its parts are verified.

    Refuses runs that would change stored ones, sets bad parts aside (and says so on
    stderr) and leaves out the runs stored intact.

    Args:
        store: The batch folder's writer.
        specs: The runs asked for.
        previous: The folder's manifest (empty for a new batch).
        extra: The batch's extra manifest entries (their ``scenarios``).
        zones: Whether a run counts as stored only with its zone table.

    Returns:
        The runs to compute, the batch's run index (stored and new runs), what was set
        aside, and the keys of the set-aside runs computed again.
    """
    stored = store.read_runs()
    new = runs_table(specs)
    if stored is not None:
        check_compatible(stored, new, store.path)
        check_scenarios(store.path, previous, stored, new, extra.get("scenarios"))
    repaired = store.repair()
    done = store.finished(zones=zones)
    todo = [s for s in specs if s.key not in done]
    runs = merge_runs(stored, new)
    recomputed = set(repaired.runs) & {s.key for s in todo}
    if repaired.moved:
        report = quarantine_report(store.path, repaired, runs, recomputed, previous)
        print(report, file=sys.stderr)
    return todo, runs, repaired, recomputed


def _check_folder(
    out: Path, previous: Mapping[str, Any], owner: str, identity: Mapping[str, str | None]
) -> None:
    """Refuse a batch of another command, model version, or Python and package versions.

    Args:
        out: The batch folder.
        previous: Its manifest (empty for a new batch).
        owner: The command running the batch.
        identity: The model and packages of this process (:func:`code_identity` without
            the package's ``code`` hash).

    Raises:
        StoreError: Naming what differs and what to do.
    """
    if previous.get("owner", owner) != owner:
        raise StoreError(
            f"expected an empty folder or a batch folder of `zonesim {owner}`, got the "
            f"runs of `zonesim {previous['owner']}`, which this command never writes into",
            file=out,
            advice="choose another {out_dir}",
        )
    if previous and previous.get("model_version") != identity["model"]:
        raise StoreError(
            f"expected runs of the batch's model version "
            f"{previous.get('model_version')}, this code is {identity['model']}",
            file=out,
            advice="the model changed, so run the batch into a new {out_dir} folder (or "
            "move this one aside)",
        )
    changed = identity_difference(previous.get("identity") or {}, dict(identity))
    if changed:
        raise StoreError(
            "expected the Python and package versions the batch's runs were computed "
            f"with, got other ones ({changed})",
            file=out,
            advice="run the batch into a new {out_dir} folder, or install the versions "
            "of the batch",
        )


def _store_outputs(
    store: BatchStore,
    backend: Backend,
    task: Callable[[list[RunSpec]], RunOutput],
    tasks: list[list[RunSpec]],
    counts: dict[str, int],
    bar: tqdm[Any],
) -> None:
    """Run the tasks on ``backend`` and store each chunk as it finishes (counted, on the bar)."""
    with bar:
        for _, output in backend.imap_unordered(task, tasks):
            store.write_output(output)
            counts["run"] += len(output.keys)
            bar.update(len(output.keys))
            lifeline.checkpoint()
