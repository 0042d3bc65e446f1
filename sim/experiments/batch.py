"""Batches: build run specifications and stream their outputs into a store.

:func:`execute` is the one entry point for every batch (scenario batches, and the
calibration and sensitivity designs built on them): it skips runs already in the
store (resume), runs the rest in chunks on a backend, and writes each chunk to the
store as soon as it finishes.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import platform
import shlex
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

import sim
from sim.experiments.backends import Backend
from sim.experiments.posterior import load_posterior, replicate_params
from sim.experiments.runs import RunSpec, code_identity, run_chunk
from sim.experiments.scenarios import Scenario
from sim.experiments.seeds import replicate_seed
from sim.experiments.store import (
    FORMAT,
    QUARANTINE,
    BatchStore,
    StoreError,
    check_compatible,
    merge_runs,
    runs_table,
)

#: Largest number of runs in one task (one part file per task).
MAX_CHUNK = 10
#: Tasks per worker aimed at, so the progress bar moves and the load balances.
TASKS_PER_WORKER = 4
#: Packages whose versions go into the manifest.
PACKAGES = ("numpy", "pandas", "pyarrow", "scipy", "mesa", "dask", "distributed", "tqdm")


def scenario_specs(
    scenarios: Sequence[Scenario], *, reps: int | None = None, seed: int | None = None
) -> list[RunSpec]:
    """Run specifications for a batch of scenarios, with common random numbers.

    Replicate ``k`` of every scenario uses the same seed, derived from the master
    seed (:func:`sim.experiments.seeds.replicate_seed`). A scenario with
    ``run.posterior`` runs replicate ``k`` with posterior draw ``k`` under its own
    overrides (:func:`sim.experiments.posterior.replicate_params`), so scenarios that
    share the posterior and master seed are paired on parameters as well as seeds.

    Args:
        scenarios: The scenarios (names must differ).
        reps: Replicates per scenario (default: each scenario's ``run.replications``).
        seed: Master seed (default: the scenarios' ``run.seed``, which must agree).

    Returns:
        Specifications in batch order: scenario by scenario, replicate by replicate.

    Raises:
        ValueError: If two scenarios share a name, or their master seeds differ and
            no ``seed`` is given.
    """
    names: dict[str, Scenario] = {}
    for sc in scenarios:
        if sc.name in names:
            raise ValueError(
                f"{sc.path}: name: expected a name not used by another scenario of the batch "
                f"({names[sc.name].path}), got {sc.name!r}"
            )
        names[sc.name] = sc
    if seed is None and scenarios:
        first = scenarios[0]
        for sc in scenarios[1:]:
            if sc.run.seed != first.run.seed:
                raise ValueError(
                    f"{sc.path}: run.seed: expected the master seed of {first.path} "
                    f"({first.run.seed}) so that runs are paired, got {sc.run.seed} "
                    "(or give the batch one master seed)"
                )
    specs = []
    for sc in scenarios:
        master = sc.run.seed if seed is None else seed
        posterior = load_posterior(sc.run.posterior) if sc.run.posterior else None
        for k in range(reps if reps is not None else sc.run.replications):
            params = (
                sc.params
                if posterior is None
                else replicate_params(posterior, master, k, sc.overrides)
            )
            specs.append(
                RunSpec(
                    scenario=sc.name,
                    replicate=k,
                    seed=replicate_seed(master, k),
                    params=params,
                    start=sc.run.start,
                    end=sc.run.end,
                )
            )
    return specs


def default_chunk_size(n_runs: int, workers: int) -> int:
    """Runs per task: about four tasks per worker, at most :data:`MAX_CHUNK`."""
    return max(1, min(MAX_CHUNK, math.ceil(n_runs / (max(workers, 1) * TASKS_PER_WORKER))))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _git_state() -> dict[str, Any]:
    """Commit and dirtiness of the project's git tree (``None`` if not a git tree)."""
    root = Path(sim.__file__).resolve().parent.parent

    def git(*args: str) -> str | None:
        try:
            out = subprocess.run(
                ["git", "-C", str(root), *args],
                capture_output=True,
                text=True,
                timeout=10,
                check=True,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return out.stdout

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain")
    return {
        "commit": commit.strip() if commit else None,
        "dirty": None if status is None else bool(status.strip()),
    }


def _versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {"python": platform.python_version(), "sim": sim.__version__}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def _scenario_summary(runs: pd.DataFrame) -> dict[str, Any]:
    """Per scenario of a run index: horizon, runs, replicate seeds, shared parameters."""
    out: dict[str, Any] = {}
    for name, grp in runs.groupby("scenario", sort=False):
        params = grp["params"].unique()
        first = grp.drop_duplicates("replicate")
        seeds: dict[str, int] | str = {
            str(r): int(s) for r, s in zip(first["replicate"], first["seed"], strict=True)
        }
        if len(seeds) > 1000:
            seeds = f"{len(seeds)} replicates (see runs.parquet)"
        out[str(name)] = {
            "start": int(grp["start"].min()),
            "end": int(grp["end"].max()),
            "runs": len(grp),
            "params": json.loads(params[0]) if len(params) == 1 else None,
            "seeds": seeds,
        }
    return out


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value
    return base


def _chunks(specs: Sequence[RunSpec], size: int) -> list[list[RunSpec]]:
    return [list(specs[i : i + size]) for i in range(0, len(specs), size)]


class _Terminated(KeyboardInterrupt):
    """SIGTERM received while a batch runs (handled as an interruption)."""


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """Turn SIGTERM into an exception while the batch runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


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
) -> Path:
    """Run a batch, streaming outputs into the store at ``out_dir``.

    Runs already stored in ``out_dir`` (same scenario, replicate, sample and run
    id) are skipped, so running the same batch again resumes it. The batch only
    grows: runs of other scenarios, seeds or replicates are added to the run index
    and every stored run stays in it (see :mod:`sim.experiments.store`); a run that
    would replace a stored one with other parameters, or a model version other than
    the batch's, is refused. Each invocation is recorded under ``invocations`` in the
    manifest (command, times, status, packages, backend); scenario entries given in
    ``manifest_extra`` are merged key by key.

    Every part is verified before the batch starts; corrupt or foreign parts are moved
    to ``quarantine/`` (reported on one line on stderr) and their runs recomputed.
    Each task checks that the worker runs the client's code
    (:func:`sim.experiments.runs.code_identity`). SIGTERM and Ctrl-C stop the batch
    with the manifest's status ``interrupted``; an error sets ``failed``.

    Args:
        specs: The runs, in the order the loaded tables list them. Keys
            (:attr:`RunSpec.key`) must be unique.
        out_dir: Batch folder (created if needed; a non-empty folder must be a batch).
        backend: Where the runs execute (:func:`sim.experiments.backends.make_backend`).
        manifest_extra: Entries merged into the manifest (e.g. scenario files'
            text, the command line); nested tables are merged key by key.
        progress: Whether to show a progress bar with the time left (on stderr).
        chunk_size: Runs per task (default: :func:`default_chunk_size`).
        zones: Whether to store zone-year tables (``False`` keeps annual ones only).
        allow_foreign: Accept a non-empty folder that is not a batch (its files are
            left untouched).

    Returns:
        The batch folder.

    Raises:
        ValueError: If ``specs`` is empty or has duplicate keys, or ``chunk_size`` is
            below 1.
        StoreError: If ``out_dir`` cannot hold this batch (see
            :class:`sim.experiments.store.BatchStore`, :func:`check_compatible`).
        CodeMismatchError: If a worker runs other model code or packages.
    """
    specs = list(specs)
    if not specs:
        raise ValueError("specs: expected at least one run")
    if chunk_size is not None and chunk_size < 1:
        raise ValueError(f"chunk_size: expected at least 1, got {chunk_size}")
    keys = [s.key for s in specs]
    if len(set(keys)) != len(keys):
        dup = next(k for i, k in enumerate(keys) if k in keys[:i])
        raise ValueError(f"specs: expected unique (scenario, replicate, sample) runs, got {dup}")
    out = Path(out_dir)
    identity = code_identity()
    with BatchStore(out, allow_foreign=allow_foreign) as store, _sigterm_interrupts():
        previous = store.manifest or {}
        if previous and previous.get("model_version") != identity["model"]:
            raise StoreError(
                f"{out}: expected runs of the batch's model version "
                f"{previous.get('model_version')}, this code is {identity['model']}; the "
                "model changed, so run the batch into a new out_dir folder (or move this one "
                "aside)"
            )
        stored = store.read_runs()
        new = runs_table(specs)
        if stored is not None:
            check_compatible(stored, new, out)
        quarantined = store.repair()
        if quarantined:
            print(
                f"{out}: moved {len(quarantined)} corrupt, truncated or unindexed file(s) "
                f"to {out / QUARANTINE}: {', '.join(p.name for p in quarantined)}; "
                "their runs are computed again",
                file=sys.stderr,
            )
        done = store.finished(zones=zones)
        todo = [s for s in specs if s.key not in done]
        runs = merge_runs(stored, new)
        invocation: dict[str, Any] = {
            "command": shlex.join([Path(sys.argv[0]).name, *sys.argv[1:]]),
            "started": _now(),
            "finished": None,
            "status": "running",
            "model_version": identity["model"],
            "packages": _versions(),
            "git": _git_state(),
            "backend": backend.name,
            "zones": zones,
            "runs": {"total": len(specs), "skipped": len(specs) - len(todo), "run": 0},
            "quarantined": [p.name for p in quarantined],
        }
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created": previous.get("created", invocation["started"]),
            "invocations": list(previous.get("invocations", [])),
            "scenarios": previous.get("scenarios", {}),
        }
        extra = dict(manifest_extra or {})
        for key in ("command", "master_seed"):  # per invocation
            if key in extra:
                invocation[key] = extra[key]
        _merge(manifest, extra)
        _merge(manifest["scenarios"], _scenario_summary(runs))
        # The latest invocation's provenance, also at the top level for readers.
        top = ("command", "started", "finished", "status", "model_version", "packages", "git")
        manifest.update({k: invocation[k] for k in top})
        manifest.update(backend=backend.name, zones=zones, runs=invocation["runs"])
        manifest["invocations"].append(invocation)

        def save(**changes: Any) -> None:
            invocation.update(changes)
            manifest.update({k: invocation[k] for k in changes if k in top})
            store.write_manifest(manifest)

        save()  # manifest first: a batch killed before the run index is written resumes
        store.write_runs(runs)
        size = chunk_size or default_chunk_size(len(todo), backend.workers)
        task = functools.partial(run_chunk, zones=zones, identity=identity)
        bar = tqdm(
            total=len(specs),
            initial=len(specs) - len(todo),
            unit="run",
            desc=out.name,
            disable=not progress,
            file=sys.stderr,
            dynamic_ncols=True,
            smoothing=0.1,
        )
        status = "interrupted"
        try:
            with bar:
                for _, output in backend.imap_unordered(task, _chunks(todo, size)):
                    store.write_output(output)
                    invocation["runs"]["run"] += len(output.keys)
                    bar.update(len(output.keys))
            status = "complete"
        except Exception:
            status = "failed"
            raise
        finally:
            with contextlib.suppress(OSError):  # the original error is the one to report
                save(status=status, finished=_now())
    return out
