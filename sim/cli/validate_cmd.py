"""``zonesim validate``: check scenario files without running them."""

from __future__ import annotations

import argparse
import sys

from sim.core.params import MODE_ASSIGNMENTS
from sim.experiments.scenarios import ScenarioError, check_file, design_points, find_scenario


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``validate`` subcommand."""
    p = sub.add_parser(
        "validate",
        help="check scenario files (keys, types, bounds, zones); every error of every file",
    )
    p.add_argument(
        "scenarios", nargs="+", metavar="SCENARIO", help="scenario file, or shipped scenario name"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Check every scenario; print each error on its own line (exit status 2 if any)."""
    errors: list[ScenarioError] = []
    for ref in args.scenarios:
        try:
            sc, found = check_file(find_scenario(ref))
        except ScenarioError as exc:  # an unknown shipped name
            sc, found = None, [exc]
        errors += found
        if sc is None:
            continue
        n_params = len([k for k in sc.overrides if k != MODE_ASSIGNMENTS])
        n_modes = len(sc.overrides.get(MODE_ASSIGNMENTS, []))
        sweep = f", sweep of {len(design_points(sc))} variant(s)" if sc.sweep else ""
        print(
            f"ok {sc.path}: {sc.name}, {sc.run.start}-{sc.run.end}, "
            f"{sc.run.replications} replicates, seed {sc.run.seed}, "
            f"{n_params} parameter override(s), {n_modes} mode assignment(s){sweep}"
        )
    for err in errors:
        print(f"zonesim validate: error: {err}", file=sys.stderr)
    if len(errors) > 1:
        files = len({e.path for e in errors})
        print(f"zonesim validate: {len(errors)} error(s) in {files} file(s)", file=sys.stderr)
    return 2 if errors else 0
