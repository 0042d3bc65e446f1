"""The ``zonesim`` command: one module per subcommand.

Each module in :data:`COMMANDS` exposes ``register(subparsers)``, which adds its
subparser and sets ``func`` (a callable taking the parsed namespace and returning an
exit status).

Errors a user can fix (bad scenario, unknown parameter, missing file, bad option)
derive from :class:`sim.errors.ZonesimError` (:class:`UsageError` for the command line's own);
:func:`main` prints one on one line and exits with status 2, as it does for an
operating-system error about a file (a missing file, a full disk, a read-only folder).
Library errors name the function's arguments; :func:`main` puts the options' flags in
their place (:data:`sim.cli.options.FLAGS`). Any other exception is a bug: :func:`main`
prints its traceback and a request to report it, and exits with status 1.
Ctrl-C and SIGTERM (to the process or its whole group) end a command alike: one line
saying it was interrupted, exit status 130 (Ctrl-C) or 143 (SIGTERM), and a batch's
manifest says ``interrupted``.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import sys
import traceback
from collections.abc import Sequence
from typing import NoReturn

import sim
from sim.cli.options import FLAGS
from sim.core.suggest import did_you_mean
from sim.errors import ZonesimError
from sim.experiments import lifeline

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


class UsageError(ZonesimError):
    """An error in the user's command line; reported on one line with exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, status 2, no usage dump
        self.exit(2, f"{self.prog}: error: {message}\n")

    def parse_args(  # type: ignore[override]  # one signature for argparse's overloads
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
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


def _about_a_file(exc: OSError) -> bool:
    """Whether an operating-system error concerns a file or the disk (not the program)."""
    return exc.filename is not None or exc.errno in _OS_HINTS


#: What :func:`main` prints after the traceback of an unexpected exception.
BUG_REPORT = (
    "this is a bug in zonesim, not in your input; please report it with the command "
    "and the traceback above"
)


def os_error_line(exc: OSError) -> str:
    """One line for an operating-system error: the path, what happened, what to do."""
    path = exc.filename if exc.filename is not None else ""
    if exc.filename2 is not None:
        path = f"{path} -> {exc.filename2}"
    what = _OS_HINTS.get(exc.errno or -1, (exc.strerror or str(exc)).strip())
    if exc.errno not in _OS_HINTS and exc.strerror is None:
        what = " ".join(str(exc).split()) or type(exc).__name__
    return f"{path}: {what}" if path else what


class _Version(argparse.Action):
    """``--version``: the package version and the model version (computed only when asked)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        from sim.core import version
        from sim.experiments.identity import model_version

        print(f"zonesim {sim.__version__} (model {model_version()} of {version.DATE})")
        parser.exit()


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """Build the argument parser with every registered subcommand.

    With ``argv`` naming a subcommand first, only that one is registered: each command
    module imports what it needs (the analysis commands import scikit-learn, SALib and
    SciPy's statistics), so ``zonesim run`` does not pay for the others.
    """
    parser = _Parser(
        prog="zonesim",
        description="Agent-based model of Shanxi's development-zone reform.",
    )
    parser.add_argument(
        "--version",
        action=_Version,
        nargs=0,
        help="show the package and model versions and exit",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    first = next(iter(argv or ()), "")
    only = [m for m in COMMANDS if m == f"sim.cli.{first}_cmd"]
    for name in only or COMMANDS:
        importlib.import_module(name).register(sub)
    return parser


def _verb_hint(argv: Sequence[str]) -> str | None:
    """The line for a mistyped subcommand (first word not a verb): the closest verb."""
    first = next(iter(argv), "")
    verbs = [m.removeprefix("sim.cli.").removesuffix("_cmd") for m in COMMANDS]
    if not first or first.startswith("-") or first in verbs:
        return None
    return (
        f"zonesim: error: unknown command {first!r}{did_you_mean(first, verbs)} "
        f"(commands: {', '.join(verbs)})"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``zonesim``; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if hint := _verb_hint(argv):
        print(hint, file=sys.stderr)
        return 2
    try:
        args = build_parser(argv).parse_args(argv)
    except SystemExit as exc:  # --help, or a bad option (one line, status 2)
        return exc.code if isinstance(exc.code, int) else 2
    prefix = f"zonesim {args.command}"
    try:
        with lifeline.sigterm_raises():
            status = args.func(args)
    except ZonesimError as exc:  # the library names its arguments: name the flags instead
        print(f"{prefix}: error: {exc.message(FLAGS)}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and closed
        return 0
    except OSError as exc:
        if not _about_a_file(exc):
            return _bug(prefix)
        # missing file, read-only or full disk, permission, ...
        print(f"{prefix}: error: {os_error_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (lifeline.Terminated)
        print(f"{prefix}: interrupted; finished runs are kept", file=sys.stderr)
        return 143 if isinstance(exc, lifeline.Terminated) else 130
    except Exception:
        return _bug(prefix)
    return int(status or 0)


def _bug(prefix: str) -> int:
    """Report the exception being handled as a bug: its traceback, a request, status 1."""
    traceback.print_exc()
    print(f"{prefix}: internal error: {BUG_REPORT}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
