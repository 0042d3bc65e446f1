"""``zonesim validate``: check scenario files without running them."""

from __future__ import annotations

import argparse

from sim.core.params import MODE_ASSIGNMENTS
from sim.experiments.scenarios import find_scenario, load_scenario


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``validate`` subcommand."""
    p = sub.add_parser("validate", help="check scenario files (keys, types, bounds, zones)")
    p.add_argument(
        "scenarios", nargs="+", metavar="SCENARIO", help="scenario file, or shipped scenario name"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load every scenario; stop at the first error (exit status 2)."""
    for ref in args.scenarios:
        sc = load_scenario(find_scenario(ref))
        n_params = len([k for k in sc.overrides if k != MODE_ASSIGNMENTS])
        n_modes = len(sc.overrides.get(MODE_ASSIGNMENTS, []))
        print(
            f"ok {sc.path}: {sc.name}, {sc.run.start}-{sc.run.end}, "
            f"{sc.run.replications} replicates, seed {sc.run.seed}, "
            f"{n_params} parameter override(s), {n_modes} mode assignment(s)"
        )
    return 0
