"""Batches: build run specifications and stream their outputs into a store.

:func:`execute` is the one entry point for every batch (scenario batches, and the
calibration and sensitivity designs built on them): it skips runs already in the
store (resume), runs the rest in chunks on a backend, and writes each chunk to the
store as soon as it finishes.
"""

from __future__ import annotations

import functools
import math
import platform
import shlex
import subprocess
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from tqdm import tqdm

import sim
from sim.experiments.backends import Backend
from sim.experiments.posterior import load_posterior, replicate_params
from sim.experiments.runs import RunSpec, model_version, run_chunk
from sim.experiments.scenarios import Scenario
from sim.experiments.seeds import replicate_seed
from sim.experiments.store import BatchStore

#: Largest number of runs in one task (one part file per task).
MAX_CHUNK = 10
#: Tasks per worker aimed at, so the progress bar moves and the load balances.
TASKS_PER_WORKER = 4
#: Packages whose versions go into the manifest.
PACKAGES = ("numpy", "pandas", "pyarrow", "scipy", "mesa", "dask", "distributed", "tqdm")
#: Manifest format version.
MANIFEST_FORMAT = 1


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


def _scenario_summary(specs: Sequence[RunSpec]) -> dict[str, Any]:
    """Per scenario: horizon, replicates, seeds and (if shared) resolved parameters."""
    out: dict[str, Any] = {}
    for s in specs:
        entry = out.setdefault(
            s.scenario,
            {"start": s.start, "end": s.end, "runs": 0, "seeds": {}, "params": s.params},
        )
        entry["runs"] += 1
        entry["seeds"].setdefault(str(s.replicate), int(s.seed))
        shared = entry["params"]
        if shared is not None and shared is not s.params and dict(shared) != dict(s.params):
            entry["params"] = None  # varies by run: see runs.parquet
    for entry in out.values():
        if entry["params"] is not None:
            entry["params"] = dict(entry["params"])
        if len(entry["seeds"]) > 1000:
            entry["seeds"] = f"{len(entry['seeds'])} replicates (see runs.parquet)"
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
) -> Path:
    """Run a batch, streaming outputs into the store at ``out_dir``.

    Runs already stored in ``out_dir`` (same scenario, replicate, sample and run
    id) are skipped, so running the same batch again resumes it. The run index
    (``runs.parquet``) and the manifest are replaced by this batch's; the manifest
    keeps earlier invocations under ``history``.

    Args:
        specs: The runs, in the order the loaded tables list them. Keys
            (:attr:`RunSpec.key`) must be unique.
        out_dir: Batch folder (created if needed).
        backend: Where the runs execute (:func:`sim.experiments.backends.make_backend`).
        manifest_extra: Entries merged into the manifest (e.g. scenario files'
            text, the command line); nested tables are merged key by key.
        progress: Whether to show a progress bar with the time left (on stderr).
        chunk_size: Runs per task (default: :func:`default_chunk_size`).
        zones: Whether to store zone-year tables (``False`` keeps annual ones only).

    Returns:
        The batch folder.

    Raises:
        ValueError: If ``specs`` is empty or has duplicate keys, ``chunk_size`` is
            below 1, or another process is writing to ``out_dir``.
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
    with BatchStore(out) as store:
        store.clean()
        done = store.finished(zones=zones)
        todo = [s for s in specs if s.key not in done]
        previous = store.read_manifest()
        history = []
        if previous is not None:
            history = previous.pop("history", [])
            history.append(
                {k: previous.get(k) for k in ("command", "started", "finished", "status", "runs")}
            )
        manifest: dict[str, Any] = {
            "format": MANIFEST_FORMAT,
            "command": shlex.join([Path(sys.argv[0]).name, *sys.argv[1:]]),
            "started": _now(),
            "finished": None,
            "status": "running",
            "model_version": model_version(),
            "packages": _versions(),
            "git": _git_state(),
            "backend": backend.name,
            "zones": zones,
            "runs": {"total": len(specs), "skipped": len(specs) - len(todo), "run": 0},
            "scenarios": _scenario_summary(specs),
        }
        _merge(manifest, manifest_extra or {})
        manifest["history"] = history
        store.write_manifest(manifest)
        store.write_runs(specs)
        size = chunk_size or default_chunk_size(len(todo), backend.workers)
        task = functools.partial(run_chunk, zones=zones)
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
        try:
            with bar:
                for _, output in backend.imap_unordered(task, _chunks(todo, size)):
                    store.write_output(output)
                    manifest["runs"]["run"] += len(output.keys)
                    bar.update(len(output.keys))
            manifest["status"] = "complete"
        except BaseException:
            manifest["status"] = "interrupted"
            raise
        finally:
            manifest["finished"] = _now()
            store.write_manifest(manifest)
    return out
