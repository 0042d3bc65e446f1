"""``zonesim sensitivity``: global sensitivity analysis (Morris, Sobol, PAWN, DGSM)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.analysis.sensitivity import (
    DEFAULT_OUTPUTS,
    METHODS,
    SensitivityResult,
    run_sensitivity,
)
from sim.cli import UsageError
from sim.cli.options import add_backend_options, command_line, flag_message, int_at_least
from sim.experiments.errors import ArgumentError


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``sensitivity`` subcommand."""
    p = sub.add_parser(
        "sensitivity",
        help="global sensitivity analysis of the model's outputs to its parameters",
        description=(
            "Sample the registry's parameter bounds with SALib, run the model through the "
            "batch layer (resumable: the same command skips finished runs) and write index "
            "tables, figures and a report. Boolean switches are not varied unless named in "
            "--params; integer parameters are rounded."
        ),
    )
    p.add_argument("--method", required=True, choices=list(METHODS), help="analysis method")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--params", metavar="NAMES", help="comma-separated parameters to vary")
    what.add_argument(
        "--groups", action="store_true", help="vary the registry's parameter groups (morris, sobol)"
    )
    p.add_argument(
        "--outputs",
        metavar="METRICS",
        help=f"comma-separated metric@year specs (default: {','.join(DEFAULT_OUTPUTS)})",
    )
    size = p.add_mutually_exclusive_group()
    size.add_argument(
        "-N", "--samples", type=int_at_least(4), help="base sample size (sobol/pawn/dgsm; 1024)"
    )
    size.add_argument(
        "-r", "--trajectories", type=int_at_least(4), help="Morris trajectories (default 20)"
    )
    p.add_argument("--scenario", metavar="FILE", help="scenario giving the base point")
    p.add_argument(
        "--seed", metavar="S", type=int_at_least(0), help="master seed (default: scenario's or 0)"
    )
    p.add_argument(
        "--replicates",
        metavar="K",
        type=int_at_least(1),
        default=1,
        help="seeds averaged per point, the same at every point (default 1)",
    )
    p.add_argument(
        "--noise-points",
        metavar="M",
        type=int_at_least(0),
        default=8,
        help="points probed for noise (8)",
    )
    p.add_argument(
        "--noise-replicates",
        metavar="R",
        type=int_at_least(0),
        default=4,
        help="extra replicates at each probed point (4)",
    )
    p.add_argument(
        "--levels", metavar="P", type=int_at_least(2), default=4, help="Morris levels (4)"
    )
    p.add_argument(
        "--resamples", metavar="B", type=int_at_least(10), default=1000, help="bootstrap draws"
    )
    add_backend_options(p)
    p.add_argument("--out", metavar="DIR", type=Path, help="folder (results/sensitivity-METHOD)")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Check the option combination, then run the analysis."""
    if args.method == "morris" and args.samples is not None:
        raise UsageError("-N: expected -r TRAJECTORIES with --method morris")
    if args.method != "morris" and args.trajectories is not None:
        raise UsageError(f"-r: expected -N SAMPLES with --method {args.method}")
    try:
        result, out = _run(args)
    except ArgumentError as exc:  # the sample size is -r for Morris, -N otherwise
        flags = {"n": "-r" if args.method == "morris" else "-N"}
        raise UsageError(flag_message(exc, flags)) from None
    if not args.quiet:
        bad = result.not_converged()
        print(
            f"{out}: {result.meta['runs']} runs; {len(result.influential())} influential "
            f"indices, {len(bad)} not converged; see {out / 'report.md'}",
            file=sys.stderr,
        )
    return 0


def _run(args: argparse.Namespace) -> tuple[SensitivityResult, Path]:
    return run_sensitivity(
        args.method,
        params=args.params,
        grouped=args.groups,
        outputs=args.outputs,
        n=args.trajectories if args.method == "morris" else args.samples,
        scenario=args.scenario,
        seed=args.seed,
        workers=args.workers,
        scheduler=args.scheduler,
        out=args.out,
        replicates=args.replicates,
        noise_points=args.noise_points,
        noise_replicates=args.noise_replicates,
        num_levels=args.levels,
        resamples=args.resamples,
        progress=not args.quiet,
        command=command_line(),
    )
