"""``zonesim list``: the shipped scenarios and the questions they answer."""

from __future__ import annotations

import argparse
import json
import textwrap

from sim.experiments.scenarios import shipped_scenarios


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``list`` subcommand."""
    p = sub.add_parser("list", help="list the shipped scenarios and their questions")
    p.add_argument("--json", action="store_true", help="print a JSON list of objects")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print each shipped scenario's name, file and question."""
    scenarios = shipped_scenarios()
    if args.json:
        rows = [
            {
                "name": s.name,
                "file": s.path,
                "description": s.description,
                "start": s.run.start,
                "end": s.run.end,
                "replications": s.run.replications,
                "seed": s.run.seed,
            }
            for s in scenarios
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    width = max((len(s.name) for s in scenarios), default=0)
    for s in scenarios:
        lines = textwrap.wrap(s.description, 96 - width) or [""]
        print(f"{s.name:<{width}}  {lines[0]}")
        for line in lines[1:]:
            print(f"{'':<{width}}  {line}")
    return 0
