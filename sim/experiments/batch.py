"""Batches: build run specifications and stream their outputs into a store.

:func:`execute` is the one entry point for every batch (scenario batches, and the
calibration and sensitivity designs built on them): it skips runs already in the
store (resume), runs the rest in chunks on a backend, and writes each chunk to the
store as soon as it finishes.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import math
import platform
import shlex
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

import sim
from sim.experiments import lifeline
from sim.experiments.backends import Backend, make_backend
from sim.experiments.errors import ArgumentError
from sim.experiments.posterior import load_posterior, replicate_params
from sim.experiments.runs import RunSpec, code_identity, run_chunk
from sim.experiments.scenarios import (
    MAX_REPLICATIONS,
    Scenario,
    ScenarioError,
    check_settings,
    expand,
    find_scenario,
    load_doc,
    load_scenario,
)
from sim.experiments.seeds import replicate_seed
from sim.experiments.store import (
    FORMAT,
    QUARANTINE,
    BatchStore,
    Results,
    StoreError,
    check_compatible,
    load_results,
    merge_runs,
    read_manifest,
    runs_table,
)

#: Largest number of runs in one task (one part file per task).
MAX_CHUNK = 10
#: Tasks per worker aimed at, so the progress bar moves and the load balances.
TASKS_PER_WORKER = 4
#: Default parent folder of batch folders.
RESULTS_DIR = Path("results")
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
        ScenarioError: If two scenarios share a name, or their master seeds differ and
            no ``seed`` is given.
    """
    names: dict[str, Scenario] = {}
    for sc in scenarios:
        if sc.name in names:
            raise ScenarioError(
                sc.path,
                "name",
                "expected a name not used by another scenario of the batch "
                f"({names[sc.name].path}), got {sc.name!r}",
            )
        names[sc.name] = sc
    if seed is None and scenarios:
        first = scenarios[0]
        for sc in scenarios[1:]:
            if sc.run.seed != first.run.seed:
                raise ScenarioError(
                    sc.path,
                    "run.seed",
                    f"expected the master seed of {first.path} ({first.run.seed}) so that "
                    f"runs are paired, got {sc.run.seed} (or give the batch one master seed)",
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
    with BatchStore(out, allow_foreign=allow_foreign) as store, lifeline.sigterm_checkpoints():
        previous = store.manifest or {}
        if previous and previous.get("model_version") != identity["model"]:
            raise StoreError(
                f"expected runs of the batch's model version "
                f"{previous.get('model_version')}, this code is {identity['model']}",
                file=out,
                advice="the model changed, so run the batch into a new {out_dir} folder (or "
                "move this one aside)",
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
        for key in ("command", "master_seed", "set"):  # per invocation
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
                    lifeline.checkpoint()
            status = "complete"
        except Exception:
            status = "failed"
            raise
        finally:
            with contextlib.suppress(OSError):  # the original error is the one to report
                save(status=status, finished=_now())
    return out


@dataclass(frozen=True)
class BatchOutcome:
    """What one call of :func:`run_batch` did.

    Attributes:
        path: The batch folder.
        scenarios: Names of the scenarios (sweep variants included) of the call.
        total: Runs the call asked for.
        reused: Runs already in the folder (skipped).
        ran: Runs computed by the call.
    """

    path: Path
    scenarios: tuple[str, ...]
    total: int
    reused: int
    ran: int

    def summary(self) -> str:
        """``"25 runs of 5 scenario(s): 5 ran, 20 reused"``."""
        return (
            f"{self.total} runs of {len(self.scenarios)} scenario(s): {self.ran} ran, "
            f"{self.reused} reused"
        )


def default_out(scenarios: Sequence[Scenario]) -> Path:
    """``results/<name>`` for one scenario file, ``results/<a>+<b>+...`` for several."""
    names = list(dict.fromkeys(s.base for s in scenarios))
    joined = "+".join(names)
    if len(joined) > 80:
        digest = hashlib.sha256(joined.encode()).hexdigest()[:8]
        joined = f"{names[0]}+{len(names) - 1}-more-{digest}"
    return RESULTS_DIR / joined


def load_scenarios(
    files_or_specs: Sequence[str | Path | Scenario | Mapping[str, Any]] | str | Path,
    settings: Mapping[str, Any] | None = None,
) -> list[Scenario]:
    """Load scenarios from files, shipped names, loaded scenarios or scenario mappings.

    A mapping has the keys of a scenario file (``name``, ``description``, ``run``,
    ``parameters``, ``modes``, ``sweep``) and is checked the same way. Files with a
    ``[sweep]`` give one scenario per design point (:func:`expand`).

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
    files_or_specs: Sequence[str | Path | Scenario | Mapping[str, Any]] | str | Path,
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
    specs = scenario_specs(scenarios, reps=reps, seed=seed)
    path = Path(out) if out is not None else default_out(scenarios)
    master = seed if seed is not None else scenarios[0].run.seed
    extra: dict[str, Any] = {
        "master_seed": master,
        "set": dict(settings),
        "scenarios": {sc.name: _scenario_entry(sc, master, reps, settings) for sc in scenarios},
    }
    if command is not None:
        extra["command"] = command
    with make_backend(workers, scheduler) as backend:
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
    counts = (read_manifest(path) or {}).get("runs", {})
    return BatchOutcome(
        path=path,
        scenarios=tuple(sc.name for sc in scenarios),
        total=len(specs),
        reused=int(counts.get("skipped", 0)),
        ran=int(counts.get("run", 0)),
    )


def _scenario_entry(
    sc: Scenario, master: int, reps: int | None, settings: Mapping[str, Any]
) -> dict[str, Any]:
    """A scenario's manifest entry: file, question, design point, every text it ran from."""
    text = sc.source + (json.dumps(dict(settings), sort_keys=True) if settings else "")
    version = hashlib.sha256(text.encode())  # the file's text alone when nothing was set
    return {
        "file": sc.path,
        "description": sc.description,
        "title": sc.title,
        "title_zh": sc.title_zh,
        "description_zh": sc.description_zh,
        "source": sc.source,
        "base": sc.base,
        "design": dict(sc.design),
        # every text of the scenario run into this folder, with its master seeds
        "versions": {
            version.hexdigest()[:12]: {
                "file": sc.path,
                "source": sc.source,
                "set": dict(settings),
                "overrides": sc.overrides,
                "master_seeds": {str(master): reps or sc.run.replications},
            }
        },
    }


def run_scenarios(
    files_or_specs: Sequence[str | Path | Scenario | Mapping[str, Any]] | str | Path,
    *,
    reps: int | None = None,
    workers: int | None = None,
    out: str | Path | None = None,
    seed: int | None = None,
    set: Mapping[str, Any] | None = None,
    scheduler: str | None = None,
    progress: bool = True,
    zones: bool = True,
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
    )
    return load_results(outcome.path)
