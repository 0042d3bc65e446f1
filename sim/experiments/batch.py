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
import warnings
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

import sim
from sim.core import version
from sim.core.run import FIRST_YEAR
from sim.experiments import lifeline
from sim.experiments.backends import Backend, make_backend
from sim.experiments.errors import ArgumentError
from sim.experiments.identity import code_identity, identity_difference
from sim.experiments.posterior import load_posterior, replicate_params
from sim.experiments.runs import RunSpec, params_json, run_chunk
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
    Key,
    Repair,
    Results,
    StoreError,
    check_compatible,
    describe_runs,
    load_results,
    merge_runs,
    read_manifest,
    recompute_advice,
    recompute_commands,
    run_counts,
    run_keys,
    runs_table,
)

#: Largest number of runs in one task (one part file per task).
MAX_CHUNK = 10
#: Tasks per worker aimed at, so the progress bar moves and the load balances.
TASKS_PER_WORKER = 4
#: Default parent folder of batch folders.
RESULTS_DIR = Path("results")
#: Most run-years (runs times years simulated) a command asks for unless told otherwise:
#: about a core-week at the model's speed of a few hundredths of a second per year.
MAX_WORK = 10_000_000
#: Wall-clock seconds one worker takes per simulated run-year, storage included, for the
#: estimate printed before a batch starts (measured with
#: ``benchmarks/bench_batch_throughput.py --end 2035``); the progress bar then shows the
#: time left from the batch's own pace.
SECONDS_PER_RUN_YEAR = 0.015
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


def check_work(runs: int, years: int, limit: int | None = None, *, what: str = "runs") -> int:
    """Refuse a request for more work than ``limit`` run-years, before any work is done.

    Args:
        runs: Runs asked for.
        years: Years each run simulates (the longest horizon).
        limit: Most run-years allowed (default :data:`MAX_WORK`); at least 1.
        what: What to ask fewer of, in the message (``"replicates"``, ``"states"``).

    Returns:
        The run-years asked for.

    Raises:
        ArgumentError: Naming ``max_work``, the work asked for and the limit.
    """
    limit = MAX_WORK if limit is None else limit
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ArgumentError("max_work", f": expected a whole number of at least 1, got {limit!r}")
    work = int(runs) * max(int(years), 1)
    if work > limit:
        raise ArgumentError(
            "max_work",
            f": expected at most {limit:,} run-years of work, got {_count(runs)} runs of "
            f"{years} year(s) = {_count(work)}; ask for fewer {what}, or raise the limit",
        )
    return work


def _count(n: int) -> str:
    """A whole number with thousands separators, or its order of magnitude if enormous."""
    return f"{n:,}" if n < 10**18 else f"about 10^{len(str(n)) - 1}"


def work_estimate(todo: Sequence[RunSpec], stored: int, workers: int) -> str:
    """The line printed before a batch starts: its runs, and about how long they take.

    Args:
        todo: The runs to compute.
        stored: Runs of the batch already stored (skipped).
        workers: Worker processes.

    Returns:
        E.g. ``"600 runs to compute (40 already stored), 20 years each, on 2 workers:
        about 2 min (at 0.015 s per run-year per worker)"``.
    """
    skipped = f" ({stored} already stored)" if stored else ""
    if not todo:
        return f"nothing to compute: all {stored} runs are already stored"
    run_years = sum(max(s.end - FIRST_YEAR + 1, 1) for s in todo)
    longest = max(s.end for s in todo) - FIRST_YEAR + 1
    years = (
        f"{longest} years each" if run_years == longest * len(todo) else f"up to {longest} years"
    )
    seconds = run_years * SECONDS_PER_RUN_YEAR / max(workers, 1)
    when = f"{seconds / 60:.0f} min" if seconds >= 90 else f"{max(seconds, 1):.0f} s"
    plural = "worker" if workers == 1 else "workers"
    return (
        f"{len(todo)} runs to compute{skipped}, {years}, on {workers} {plural}: about {when} "
        f"(at {SECONDS_PER_RUN_YEAR:g} s per run-year per worker)"
    )


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
        first = grp.drop_duplicates(["replicate", "seed"])
        seeds: dict[str, int] | str = {
            str(r): int(s) for r, s in zip(first["replicate"], first["seed"], strict=True)
        }
        if len(seeds) < len(first):
            seeds = f"{len(first)} runs under several master seeds (see runs.parquet)"
        elif len(seeds) > 1000:
            seeds = f"{len(seeds)} replicates (see runs.parquet)"
        out[str(name)] = {
            "start": int(grp["start"].min()),
            "end": int(grp["end"].max()),
            "runs": len(grp),
            "params": json.loads(params[0]) if len(params) == 1 else None,
            "seeds": seeds,
        }
    return out


def check_scenarios(
    out: Path,
    manifest: Mapping[str, Any],
    stored: pd.DataFrame,
    new: pd.DataFrame,
    entries: Mapping[str, Any] | None,
) -> None:
    """Refuse a scenario whose parameters differ from those of its runs in the batch.

    A scenario's runs under any master seed must share its parameters: a scenario entry's
    ``identity`` (:func:`scenario_identity`) must be the stored one; without identities
    (a batch of an earlier version, or a call of :func:`execute` with bare run
    specifications), a scenario of one parameter set must keep it. Sample designs
    (calibration, sensitivity: runs with a ``sample``) vary their parameters by design
    and are not checked.

    Raises:
        StoreError: Naming the scenario and what to do.
    """
    old = manifest.get("scenarios") or {}
    for name, grp in new.groupby("scenario", sort=False):
        entry = old.get(name)
        stored_identity = entry.get("identity") if isinstance(entry, Mapping) else None
        mine = ((entries or {}).get(name) or {}).get("identity")
        if stored_identity and mine:
            same = stored_identity == mine
        elif grp["sample"].isna().all():
            had = set(stored.loc[stored["scenario"] == name, "params"])
            have = set(grp["params"])
            same = not had or len(had) > 1 or len(have) > 1 or had == have
        else:
            same = True
        if not same:
            raise StoreError(
                f"scenario {name!r}: expected the parameters and horizon of its runs already "
                "in this batch, got different ones (an edited scenario, or other settings)",
                file=out,
                advice="a batch never pools two versions of a scenario, so give the changed "
                "scenario another name or run it into a new {out_dir} folder",
            )


def scenario_identity(sc: Scenario) -> str:
    """Hash of what a scenario's runs are computed from, whatever the master seed.

    Its resolved parameters, horizon and (with ``run.posterior``) the posterior file's
    content: two scenarios with the same identity run the same replicates.
    """
    posterior = None
    if sc.run.posterior:
        posterior = hashlib.sha256(Path(sc.run.posterior).read_bytes()).hexdigest()
    text = json.dumps(
        {
            "params": json.loads(params_json(sc.params)),
            "posterior": posterior,
            "start": sc.run.start,
            "end": sc.run.end,
        },
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


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
    (:func:`sim.experiments.runs.code_identity`). SIGTERM and Ctrl-C stop the batch
    with the manifest's status ``interrupted``; an error sets ``failed``.

    Args:
        specs: The runs, in the order the loaded tables list them. Keys
            (:attr:`RunSpec.key`) must be unique.
        out_dir: Batch folder (created if needed; a non-empty folder must be a batch).
        backend: Where the runs execute (:func:`sim.experiments.backends.make_backend`).
        manifest_extra: Entries merged into the manifest (e.g. scenario files'
            text, the command line); nested tables are merged key by key.
        progress: Whether to print the runs to compute with an estimate of their time
            (:func:`work_estimate`) and show a progress bar with the time left (on stderr).
        chunk_size: Runs per task (default: :func:`default_chunk_size`).
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
        owner = str((manifest_extra or {}).get("owner", "run"))
        if previous.get("owner", owner) != owner:
            raise StoreError(
                f"expected an empty folder or a batch folder of `zonesim {owner}`, got the "
                f"runs of `zonesim {previous['owner']}`, which this command never writes into",
                file=out,
                advice="choose another {out_dir}",
            )
        folder_identity = {k: v for k, v in identity.items() if k != "code"}
        if previous and previous.get("model_version") != identity["model"]:
            raise StoreError(
                f"expected runs of the batch's model version "
                f"{previous.get('model_version')}, this code is {identity['model']}",
                file=out,
                advice="the model changed, so run the batch into a new {out_dir} folder (or "
                "move this one aside)",
            )
        changed = identity_difference(previous.get("identity") or {}, folder_identity)
        if changed:
            raise StoreError(
                "expected the Python and package versions the batch's runs were computed "
                f"with, got other ones ({changed})",
                file=out,
                advice="run the batch into a new {out_dir} folder, or install the versions "
                "of the batch",
            )
        stored = store.read_runs()
        new = runs_table(specs)
        if stored is not None:
            check_compatible(stored, new, out)
            check_scenarios(out, previous, stored, new, (manifest_extra or {}).get("scenarios"))
        repaired = store.repair()
        done = store.finished(zones=zones)
        todo = [s for s in specs if s.key not in done]
        runs = merge_runs(stored, new)
        recomputed = set(repaired.runs) & {s.key for s in todo}
        if repaired.moved:
            print(quarantine_report(out, repaired, runs, recomputed, previous), file=sys.stderr)
        invocation: dict[str, Any] = {
            "command": shlex.join([Path(sys.argv[0]).name, *sys.argv[1:]]),
            "started": _now(),
            "finished": None,
            "status": "running",
            "model_version": identity["model"],
            "model_date": version.DATE,
            "identity": folder_identity,
            "packages": _versions(),
            "git": _git_state(),
            "backend": backend.name,
            "zones": zones,
            "scenarios": dict(Counter(s.scenario for s in specs)),
            "runs": {
                "total": len(specs),
                "skipped": len(specs) - len(todo),
                "run": 0,
                "set_aside": len(repaired.runs),
                "recomputed": len(recomputed),
            },
            "quarantined": [p.name for p in repaired.moved],
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
        top = (
            "command", "started", "finished", "status", "model_version", "model_date",
            "identity", "packages", "git",
        )  # fmt: skip
        manifest.update({k: invocation[k] for k in top})
        manifest.update(backend=backend.name, zones=zones, runs=invocation["runs"], owner=owner)
        manifest["invocations"].append(invocation)

        def save(**changes: Any) -> None:
            invocation.update(changes)
            manifest.update({k: invocation[k] for k in changes if k in top})
            store.write_manifest(manifest)

        save()  # manifest first: a batch killed before the run index is written resumes
        store.write_runs(runs)
        size = chunk_size or default_chunk_size(len(todo), backend.workers)
        task = functools.partial(run_chunk, zones=zones, identity=identity)
        if progress:
            estimate = work_estimate(todo, len(specs) - len(todo), backend.workers)
            print(f"{out.name}: {estimate}", file=sys.stderr)
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
            if before_runs is not None:
                before_runs()
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


def quarantine_report(
    out: Path,
    repaired: Repair,
    runs: pd.DataFrame,
    recomputed: set[Key],
    manifest: Mapping[str, Any],
) -> str:
    """The lines saying what a resume set aside and which of those runs it recomputes.

    Args:
        out: The batch folder.
        repaired: What :meth:`~sim.experiments.store.BatchStore.repair` moved.
        runs: The batch's run index (stored and new runs).
        recomputed: Keys of the set-aside runs this command computes again.
        manifest: The batch's manifest before this command (its earlier commands).
    """
    lines = [
        f"{out}: moved {len(repaired.moved)} corrupt, truncated or unindexed file(s) to "
        f"{out / QUARANTINE}: {', '.join(p.name for p in repaired.moved)}"
    ]
    if not repaired.runs:
        lines.append("they held no finished run")
        return "\n  ".join(lines)
    set_aside = set(repaired.runs)
    keys = run_keys(runs)
    lost = runs[[k in set_aside for k in keys]]
    again = runs[[k in recomputed for k in keys]]
    other = runs[[k in set_aside and k not in recomputed for k in keys]]
    lines.append(f"they held {len(lost)} finished run(s): {describe_runs(lost)}")
    lines.append(
        f"this command recomputes {len(again)} of them"
        + (f": {describe_runs(again)}" if len(again) else "")
    )
    if len(other):
        lines.append(
            f"still missing, as this command does not ask for them: {describe_runs(other)}; "
            f"{recompute_advice(recompute_commands(manifest, other))}"
        )
    return "\n  ".join(lines)


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
        max_work: Most run-years the batch may ask for (default :data:`MAX_WORK`),
            checked before any run specification is built.

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
        set_aside=int(counts.get("set_aside", 0)),
        recomputed=int(counts.get("recomputed", 0)),
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
        "identity": scenario_identity(sc),
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
        max_work: Most run-years the batch may ask for (default :data:`MAX_WORK`).

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
