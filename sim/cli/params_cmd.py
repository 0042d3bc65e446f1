"""``zonesim params``: print the parameter registry."""

from __future__ import annotations

import argparse
import json

from sim.core.lang import LANGS
from sim.core.params import REGISTRY
from sim.errors import MissingFileError

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
    p.add_argument("--json", action="store_true", help="print a JSON list of objects")
    p.add_argument(
        "--lang",
        choices=LANGS,
        default="en",
        help="language of the meanings and sources in the table (default: en; JSON has both)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the registry as a table or as JSON."""
    rows = [{k: getattr(p, k) for k in KEYS} for p in REGISTRY.values()]
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
