"""``zonesim params``: print the parameter registry."""

from __future__ import annotations

import argparse
import json

from sim.core.lang import LANGS
from sim.core.params import REGISTRY
from sim.core.suggest import did_you_mean
from sim.errors import MissingFileError, ZonesimError

KEYS = (
    "name",
    "default",
    "lower",
    "upper",
    "unit",
    "description",
    "source",
    "description_zh",
    "source_zh",
)


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``params`` subcommand."""
    p = sub.add_parser("params", help="list the model parameters with bounds and sources")
    p.add_argument(
        "names", nargs="*", metavar="NAME", help="show only these parameters (default: all)"
    )
    p.add_argument("--json", action="store_true", help="print a JSON list of objects")
    p.add_argument(
        "--lang",
        choices=LANGS,
        default="en",
        help="language of the meanings and sources in the table (default: en; JSON has both)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the registry (or the parameters named) as a table or as JSON."""
    for name in args.names:
        if name not in REGISTRY:
            raise ZonesimError(
                f"parameter {name!r}: expected a name of the registry (zonesim params lists "
                f"them){did_you_mean(name, REGISTRY)}"
            )
    chosen = args.names or list(REGISTRY)
    rows = [{k: getattr(REGISTRY[n], k) for k in KEYS} for n in chosen]
    if not rows:  # never succeed with nothing to show
        raise MissingFileError(
            "the parameter registry is empty (sim/core/data/parameters.toml); the installation "
            "is incomplete"
        )
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    suffix = "_zh" if args.lang == "zh" else ""
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        print(
            f"{r['name']:<{width}}  {r['default']:>9g}  [{r['lower']:g}, {r['upper']:g}] "
            f"{r['unit']:<12} {r['description' + suffix]}  ({r['source' + suffix]})"
        )
    return 0
