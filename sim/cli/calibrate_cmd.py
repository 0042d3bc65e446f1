"""``zonesim calibrate``: fit the model to the end-2018 figures, with a posterior."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.analysis import calibration as cal
from sim.cli import UsageError
from sim.cli.options import (
    add_backend_options,
    add_foreign_option,
    add_work_option,
    command_line,
    positive_int,
    seed_int,
)
from sim.core.params import CALIBRATED_FILE
from sim.core.run import FIRST_YEAR
from sim.experiments.backends import make_backend
from sim.experiments.batch import check_work

#: Default run budget (search + ABC-SMC); see docs/calibration.md for timings.
DEFAULT_BUDGET = 45000
DEFAULT_SEED = 20181231


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``calibrate`` subcommand."""
    p = sub.add_parser(
        "calibrate",
        help="calibrate the model to the end-2018 figures (best fit and ABC posterior)",
        description=(
            "Fit the model to the patterns of the targets file: screen the candidate "
            "parameters, history-match with Gaussian-process emulators in waves, approximate "
            "the posterior by ABC-SMC on the model inside the space not ruled out, and pick "
            "the best fit on common seeds. Writes best_fit.toml, posterior.parquet, tables and "
            "report.md to --out. Running the same command again resumes: finished runs, waves "
            "and generations are reused."
        ),
    )
    p.add_argument(
        "--targets",
        type=Path,
        default=cal.DEFAULT_TARGETS,
        metavar="FILE",
        help=f"targets file (default: {cal.DEFAULT_TARGETS})",
    )
    p.add_argument(
        "--budget",
        type=positive_int,
        default=DEFAULT_BUDGET,
        metavar="N",
        help=f"model runs for history matching, ABC and the best fit (default: {DEFAULT_BUDGET})",
    )
    p.add_argument(
        "--leave-one-out",
        type=positive_int,
        default=None,
        metavar="N",
        help="also refit without each fitted pattern in turn (the parameters the full fit "
        "calibrates), N runs per fit, and predict the pattern left out (loo.csv and a section "
        "of the report)",
    )
    add_backend_options(p)
    p.add_argument(
        "--out",
        type=Path,
        default=cal.DEFAULT_OUT,
        metavar="DIR",
        help=f"output folder (default: {cal.DEFAULT_OUT})",
    )
    p.add_argument(
        "--seed", type=seed_int, default=DEFAULT_SEED, help=f"master seed ({DEFAULT_SEED})"
    )
    p.add_argument(
        "--write-defaults",
        nargs="?",
        const=CALIBRATED_FILE,
        type=Path,
        metavar="PATH",
        help="write the best fit as the model's defaults ([defaults] TOML; default path: "
        "the package's calibrated.toml)",
    )
    add_foreign_option(p, "the calibration")
    add_work_option(p)
    p.add_argument("--no-report", action="store_true", help="skip report.md and the figures")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Check the inputs, calibrate, write the outputs and print a summary."""
    targets = cal.load_targets(args.targets)  # checked before anything is written
    check_work(args.budget, targets.year - FIRST_YEAR + 1, args.max_work, what="runs (budget)")
    plan = cal.plan_budget(args.budget, len(targets.parameters), targets.runs_per_point)
    if args.out.exists() and not args.out.is_dir():
        raise UsageError(f"--out {args.out}: expected a folder, found a file")
    progress = not args.quiet
    with make_backend(args.workers, args.scheduler) as backend:
        result = cal.calibrate(
            targets,
            backend=backend,
            out=args.out,
            seed=args.seed,
            plan=plan,
            progress=progress,
            report=not args.no_report,
            command=command_line() if sys.argv[1:2] == ["calibrate"] else "",
            allow_foreign=args.force_into_nonempty,
            max_work=args.max_work,
            loo_budget=args.leave_one_out,
        )
    if args.write_defaults is not None:
        cal.write_defaults(
            args.write_defaults,
            result.targets.parameters,
            result.best.theta,
            f"Calibrated defaults written by `zonesim calibrate` (seed {args.seed}, budget "
            f"{args.budget}; targets {targets.path.name}).\nPriors stay in the parameter "
            "registry (Parameter.prior); see calibration/report.md.",
        )
    print(f"best-fit distance {result.best.distance:.3f} ({result.runs} runs)")
    print(cal.format_table(result.validation))
    for r in result.ident.itertuples():
        print(f"{r.parameter:<22} {r.verdict:<18} width ratio {r.width_ratio:.2f}")
    print(
        f"outputs in {args.out}/"
        + (f"; defaults in {args.write_defaults}" if args.write_defaults else "")
    )
    return 0
