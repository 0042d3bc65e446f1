"""``zonesim run``: run a batch of scenarios into a results folder."""

from __future__ import annotations

import argparse
import shlex
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sim.cli import UsageError
from sim.cli.options import (
    add_backend_options,
    add_foreign_option,
    add_work_option,
    int_at_least,
    parse_settings,
    positive_int,
    seed_int,
    setting,
)
from sim.experiments.batch import HorizonWarning, run_batch
from sim.experiments.scenarios import MAX_REPLICATIONS


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``run`` subcommand."""
    p = sub.add_parser(
        "run",
        help="run scenarios (replicates with common random numbers) into a results folder",
        description=(
            "Run every replicate of each scenario; replicate k of every scenario uses the "
            "same seed. Outputs stream into one folder per batch; running the same command "
            "again skips finished runs (resume). A batch folder only grows: other scenarios, "
            "seeds or replicates are added to it; a changed scenario needs a new folder."
        ),
    )
    p.add_argument(
        "scenarios", nargs="+", metavar="SCENARIO", help="scenario file, or shipped scenario name"
    )
    p.add_argument(
        "--reps",
        type=int_at_least(1, MAX_REPLICATIONS + 1),
        help=f"replicates per scenario, at most {MAX_REPLICATIONS:,} (default: file's)",
    )
    p.add_argument("--seed", type=seed_int, help="master seed (default: the files' run.seed)")
    p.add_argument(
        "--set",
        metavar="KEY=VALUE",
        action="append",
        type=setting,
        default=[],
        help="set a registry parameter in every scenario, over its [parameters] (repeatable; "
        "TOML values: 4.5, true)",
    )
    add_backend_options(p)
    p.add_argument(
        "--out", metavar="DIR", type=Path, help="batch folder (default: results/<scenario names>)"
    )
    add_foreign_option(p, "the batch")
    add_work_option(p)
    p.add_argument("--chunk-size", type=positive_int, help="runs per task (default: automatic)")
    p.add_argument("--no-zones", action="store_true", help="store annual tables only")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    p.set_defaults(func=run)


def _command(args: argparse.Namespace) -> str:
    parts = ["zonesim", "run", *args.scenarios]
    for flag in ("reps", "seed", "workers", "scheduler", "out", "chunk_size", "max_work"):
        value = getattr(args, flag)
        if value is not None:
            parts += [f"--{flag.replace('_', '-')}", str(value)]
    for text in args.set:
        parts += ["--set", text]
    parts += ["--no-zones"] * args.no_zones + ["--quiet"] * args.quiet
    parts += ["--force-into-nonempty"] * args.force_into_nonempty
    return shlex.join(parts)


@contextmanager
def horizon_warning_line() -> Iterator[None]:
    """Show a :class:`HorizonWarning` as one line on stderr (other warnings as before)."""
    with warnings.catch_warnings():
        previous = warnings.showwarning

        def show(message: Warning | str, category: type[Warning], *args, **kwargs) -> None:
            if issubclass(category, HorizonWarning):
                print(f"zonesim run: warning: {message}", file=sys.stderr)
            else:
                previous(message, category, *args, **kwargs)

        warnings.showwarning = show
        yield


def run(args: argparse.Namespace) -> int:
    """Validate the scenarios, then run the batch."""
    out = args.out
    if out is not None and out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: expected a folder, got a file")
    t0 = time.perf_counter()
    with horizon_warning_line():
        outcome = run_batch(
            args.scenarios,
            reps=args.reps,
            seed=args.seed,
            settings=parse_settings(args.set),
            workers=args.workers,
            scheduler=args.scheduler,
            out=out,
            command=_command(args),
            progress=not args.quiet,
            chunk_size=args.chunk_size,
            zones=not args.no_zones,
            allow_foreign=args.force_into_nonempty,
            max_work=args.max_work,
        )
    if not args.quiet:
        print(
            f"{outcome.path}: {outcome.summary()} in {time.perf_counter() - t0:.1f} s; "
            f"load with sim.load_results({str(outcome.path)!r})",
            file=sys.stderr,
        )
    return 0
