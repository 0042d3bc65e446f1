"""``zonesim run``: run a batch of scenarios into a results folder."""

from __future__ import annotations

import argparse
import hashlib
import shlex
import sys
import time
from pathlib import Path

from sim.cli import UsageError
from sim.cli.options import add_backend_options, int_at_least, positive_int, seed_int
from sim.experiments.backends import make_backend
from sim.experiments.batch import execute, scenario_specs
from sim.experiments.scenarios import (
    MAX_REPLICATIONS,
    Scenario,
    find_scenario,
    load_scenario,
)

#: Default parent folder of batch folders.
RESULTS_DIR = Path("results")


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
    add_backend_options(p)
    p.add_argument(
        "--out", metavar="DIR", type=Path, help="batch folder (default: results/<scenario names>)"
    )
    p.add_argument(
        "--force-into-nonempty",
        action="store_true",
        help="allow --out to be a non-empty folder that is not a batch (its files are kept)",
    )
    p.add_argument("--chunk-size", type=positive_int, help="runs per task (default: automatic)")
    p.add_argument("--no-zones", action="store_true", help="store annual tables only")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    p.set_defaults(func=run)


def default_out(scenarios: list[Scenario]) -> Path:
    """``results/<name>`` for one scenario, ``results/<a>+<b>+...`` for several."""
    names = [s.name for s in scenarios]
    joined = "+".join(names)
    if len(joined) > 80:
        digest = hashlib.sha256(joined.encode()).hexdigest()[:8]
        joined = f"{names[0]}+{len(names) - 1}-more-{digest}"
    return RESULTS_DIR / joined


def _command(args: argparse.Namespace) -> str:
    parts = ["zonesim", "run", *args.scenarios]
    for flag in ("reps", "seed", "workers", "scheduler", "out", "chunk_size"):
        value = getattr(args, flag)
        if value is not None:
            parts += [f"--{flag.replace('_', '-')}", str(value)]
    parts += ["--no-zones"] * args.no_zones + ["--quiet"] * args.quiet
    parts += ["--force-into-nonempty"] * args.force_into_nonempty
    return shlex.join(parts)


def run(args: argparse.Namespace) -> int:
    """Validate the scenarios, then run the batch."""
    scenarios = [load_scenario(find_scenario(ref)) for ref in args.scenarios]
    specs = scenario_specs(scenarios, reps=args.reps, seed=args.seed)
    out = args.out if args.out is not None else default_out(scenarios)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: expected a folder, got a file")
    master = args.seed if args.seed is not None else scenarios[0].run.seed
    extra = {
        "command": _command(args),
        "master_seed": master,
        "scenarios": {
            sc.name: {
                "file": sc.path,
                "description": sc.description,
                "source": sc.source,
                # every text of the scenario run into this folder, with its master seeds
                "versions": {
                    hashlib.sha256(sc.source.encode()).hexdigest()[:12]: {
                        "file": sc.path,
                        "source": sc.source,
                        "overrides": sc.overrides,
                        "master_seeds": {str(master): args.reps or sc.run.replications},
                    }
                },
            }
            for sc in scenarios
        },
    }
    t0 = time.perf_counter()
    with make_backend(args.workers, args.scheduler) as backend:
        execute(
            specs,
            out,
            backend=backend,
            manifest_extra=extra,
            progress=not args.quiet,
            chunk_size=args.chunk_size,
            zones=not args.no_zones,
            allow_foreign=args.force_into_nonempty,
        )
    if not args.quiet:
        print(
            f"{out}: {len(specs)} runs of {len(scenarios)} scenario(s) "
            f"in {time.perf_counter() - t0:.1f} s; load with sim.load_results({str(out)!r})",
            file=sys.stderr,
        )
    return 0
