"""The ``zonesim`` command: one module per subcommand.

Each module in :data:`COMMANDS` exposes ``register(subparsers)``, which adds its
subparser and sets ``func`` (a callable taking the parsed namespace and returning an
exit status). Errors a user can fix (bad scenario, unknown parameter, missing file,
bad option) raise :class:`UsageError` or a ``ValueError`` subclass with a message
naming the file and key; :func:`main` prints it on one line and exits with status 2.
Library errors name the function's argument
(:class:`sim.experiments.errors.ArgumentError`); :func:`main` puts the option's flag
in its place (:data:`sim.cli.options.FLAGS`).
"""

from __future__ import annotations

import argparse
import errno
import importlib
import sys
from collections.abc import Sequence

import sim
from sim.cli.options import flag_message, store_message
from sim.core.suggest import did_you_mean
from sim.experiments.errors import ArgumentError
from sim.experiments.store import StoreError

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
    "sim.cli.app_cmd",
)


class UsageError(Exception):
    """An error in the user's input; reported on one line with exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, status 2, no usage dump
        self.exit(2, f"{self.prog}: error: {message}\n")

    def parse_args(self, args=None, namespace=None):  # type: ignore[no-untyped-def,override]
        """Parse; an unrecognized option gets the closest option of its subcommand."""
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            command = getattr(parsed, "command", None)
            parser = self._subcommands().get(command, self) if command else self
            options = _option_strings(parser)
            flags = [e for e in extras if e.startswith("--")]
            hints = "".join(
                f"{hint} (for {flag})" if len(flags) > 1 else hint
                for flag in flags
                if (hint := did_you_mean(flag.split("=")[0], options))
            )
            parser.error(f"unrecognized arguments: {' '.join(extras)}{hints}")
        return parsed

    def _subcommands(self) -> dict[str, argparse.ArgumentParser]:
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                return dict(action.choices)
        return {}


def _option_strings(parser: argparse.ArgumentParser) -> list[str]:
    return [o for a in parser._actions for o in a.option_strings if o.startswith("--")]


#: What to do about an operating-system error, by errno.
_OS_HINTS = {
    errno.EROFS: "the file system is read-only; choose a writable folder",
    errno.EACCES: "permission denied; choose a folder you may write to or fix its permissions",
    errno.EPERM: "operation not permitted; choose a folder you may write to",
    errno.ENOSPC: "the disk is full; free space and run the same command again "
    "(finished runs are kept)",
    errno.EDQUOT: "the disk quota is exceeded; free space and run the same command again",
    errno.ELOOP: "a symbolic link loop; point to the real file",
    errno.EISDIR: "expected a file, got a folder",
    errno.ENOTDIR: "expected a folder, got a file",
    errno.ENOENT: "not found",
}


def os_error_line(exc: OSError) -> str:
    """One line for an operating-system error: the path, what happened, what to do."""
    path = exc.filename if exc.filename is not None else ""
    if exc.filename2 is not None:
        path = f"{path} -> {exc.filename2}"
    what = _OS_HINTS.get(exc.errno or -1, (exc.strerror or str(exc)).strip())
    if exc.errno not in _OS_HINTS and exc.strerror is None:
        what = " ".join(str(exc).split()) or type(exc).__name__
    return f"{path}: {what}" if path else what


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every registered subcommand."""
    parser = _Parser(
        prog="zonesim",
        description="Agent-based model of Shanxi's development-zone reform.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {sim.__version__}")
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
    except ArgumentError as exc:  # the library names an argument: name its flag instead
        print(f"zonesim {args.command}: error: {flag_message(exc)}", file=sys.stderr)
        return 2
    except StoreError as exc:  # the store's advice names arguments: name the flags instead
        print(f"zonesim {args.command}: error: {store_message(exc)}", file=sys.stderr)
        return 2
    except (UsageError, ValueError, FileNotFoundError) as exc:
        print(f"zonesim {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and closed
        return 0
    except OSError as exc:  # missing file, read-only or full disk, permission, ...
        print(f"zonesim {args.command}: error: {os_error_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"zonesim {args.command}: interrupted; finished runs are kept", file=sys.stderr)
        return 130
    return int(status or 0)


if __name__ == "__main__":
    sys.exit(main())
