"""The ``zonesim`` command: one module per subcommand.

Each module in :data:`COMMANDS` exposes ``register(subparsers)``, which adds its
subparser and sets ``func`` (a callable taking the parsed namespace and returning an
exit status). Errors a user can fix (bad scenario, unknown parameter, missing file,
bad option) raise :class:`UsageError` or a ``ValueError`` subclass with a message
naming the file and key; :func:`main` prints it on one line and exits with status 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

#: Subcommand modules, in the order ``zonesim --help`` lists them.
COMMANDS = (
    "sim.cli.run_cmd",
    "sim.cli.validate_cmd",
    "sim.cli.list_cmd",
    "sim.cli.params_cmd",
    "sim.cli.sensitivity_cmd",
    "sim.cli.calibrate_cmd",
    "sim.cli.explore_cmd",
    "sim.cli.brief_cmd",
)


class UsageError(Exception):
    """An error in the user's input; reported on one line with exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, status 2, no usage dump
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every registered subcommand."""
    parser = _Parser(
        prog="zonesim",
        description="Agent-based model of Shanxi's development-zone reform.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in COMMANDS:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``zonesim``; returns the exit status."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, or a bad option (one line, status 2)
        return exc.code if isinstance(exc.code, int) else 2
    try:
        status = args.func(args)
    except (UsageError, ValueError, FileNotFoundError) as exc:
        print(f"zonesim {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and closed
        return 0
    except KeyboardInterrupt:
        print(f"zonesim {args.command}: interrupted; finished runs are kept", file=sys.stderr)
        return 130
    return int(status or 0)


if __name__ == "__main__":
    sys.exit(main())
