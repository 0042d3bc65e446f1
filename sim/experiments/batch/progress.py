"""What a batch tells its user: the work ahead, a progress bar, and what a resume set aside."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

from sim.core.run import FIRST_YEAR
from sim.experiments.runs import RunSpec
from sim.experiments.store.describe import describe_runs, recompute_advice, recompute_commands
from sim.experiments.store.layout import QUARANTINE, Key
from sim.experiments.store.quarantine import Repair
from sim.experiments.store.runindex import run_keys

#: Wall-clock seconds one worker takes per simulated run-year, storage included, for the
#: estimate printed before a batch starts (``benchmarks/bench_batch_throughput.py --end
#: 2035`` measures 0.0073 with two workers at the defaults; rounded up, as points of a
#: sensitivity design near the parameters' bounds carry more firms); the progress bar
#: then shows the time left from the batch's own pace.
SECONDS_PER_RUN_YEAR = 0.008


def work_estimate(todo: Sequence[RunSpec], stored: int, workers: int) -> str:
    """The line printed before a batch starts: its runs, and about how long they take.

    Args:
        todo: The runs to compute.
        stored: Runs of the batch already stored (skipped).
        workers: Worker processes.

    Returns:
        E.g. ``"600 runs to compute (40 already stored), 20 years each, on 2 workers:
        about 48 s (at 0.008 s per run-year per worker)"``.
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


def progress_bar(name: str, total: int, done: int, *, show: bool) -> tqdm[Any]:
    """The batch's progress bar on stderr: ``total`` runs, ``done`` of them stored already."""
    return tqdm(
        total=total,
        initial=done,
        unit="run",
        desc=name,
        disable=not show,
        file=sys.stderr,
        dynamic_ncols=True,
        smoothing=0.1,
    )


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
