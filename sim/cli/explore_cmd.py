"""``zonesim explore``: robustness of policies over states of the world, and where each wins."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.analysis.robustness.design import ASSUMPTIONS, DEFAULT_OUTCOMES
from sim.cli import UsageError
from sim.cli.options import (
    add_backend_options,
    command_line,
    flag_message,
    int_at_least,
    seed_int,
)
from sim.experiments.errors import ArgumentError

#: Flags of ``explore`` for the arguments of :func:`~sim.analysis.robustness.run_exploration`.
FLAGS = {
    "policies": "POLICY",
    "uncertain": "--uncertain",
    "states": "--states",
    "outcomes": "--outcomes",
    "thresholds": "--threshold",
    "discover_outcomes": "--discover",
    "posterior": "--posterior",
}


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``explore`` subcommand."""
    p = sub.add_parser(
        "explore",
        help="robustness of policies across uncertain assumptions, and where each one wins",
        description=(
            "Run every policy (scenario file) in the same states of the world: a Latin "
            "hypercube over the uncertain parameters' registry ranges, a calibration-posterior "
            "draw and a seed per state. Report P(A beats B) with intervals over the states, "
            "regret, satisficing shares, and scenario discovery (PRIM boxes, a classification "
            "tree, feature scores, break-even values). The policy files' [run] tables are not "
            "used: the exploration sets the years, seeds and posterior draws. Resumable: the "
            "same command skips finished runs."
        ),
    )
    p.add_argument("policies", nargs="+", metavar="POLICY", help="scenario file or shipped name")
    p.add_argument(
        "--uncertain",
        metavar="GROUPS|NAMES",
        help=f"comma-separated '{ASSUMPTIONS}', parameter groups or names (default: {ASSUMPTIONS})",
    )
    p.add_argument(
        "--states", metavar="N", type=int_at_least(2), default=100, help="states of the world (100)"
    )
    p.add_argument(
        "--outcomes",
        metavar="METRIC@YEAR,...",
        help=f"outcomes (default: {','.join(DEFAULT_OUTCOMES)})",
    )
    p.add_argument(
        "--threshold",
        metavar="METRIC@YEAR>=X,...",
        help="satisficing criteria (>= or <=), each on an outcome of --outcomes",
    )
    p.add_argument(
        "--discover", metavar="METRIC@YEAR,...", help="outcomes for scenario discovery (all)"
    )
    post = p.add_mutually_exclusive_group()
    post.add_argument(
        "--posterior",
        metavar="FILE",
        type=Path,
        help="calibration posterior (default: the shipped copy of calibration/posterior.parquet)",
    )
    post.add_argument(
        "--no-posterior", action="store_true", help="keep calibrated parameters at their defaults"
    )
    p.add_argument("--seed", metavar="S", type=seed_int, default=0, help="master seed (0)")
    add_backend_options(p)
    p.add_argument("--out", metavar="DIR", type=Path, help="folder (default: results/explore)")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the exploration and print where its report is."""
    from sim.analysis.robustness import run_exploration

    if args.posterior is not None and not args.posterior.is_file():
        raise UsageError(f"--posterior {args.posterior}: expected an existing file")
    try:
        exp, out = run_exploration(
            args.policies,
            uncertain=args.uncertain,
            states=args.states,
            outcomes=args.outcomes,
            thresholds=args.threshold,
            discover_outcomes=args.discover,
            posterior=args.posterior,
            use_posterior=not args.no_posterior,
            seed=args.seed,
            workers=args.workers,
            scheduler=args.scheduler,
            out=args.out,
            progress=not args.quiet,
            command=command_line(),
        )
    except ArgumentError as exc:  # the library names its arguments: name the flags instead
        raise UsageError(flag_message(exc, FLAGS)) from None
    if not args.quiet:
        print(
            f"{out}: {len(exp.outcomes)} runs ({len(exp.policies)} policies x "
            f"{exp.settings['states']} states) in {exp.settings.get('run_seconds', '?')} s; "
            f"see {out / 'report.md'}",
            file=sys.stderr,
        )
    return 0
