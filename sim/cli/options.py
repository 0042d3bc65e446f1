"""Option types and option groups shared by the ``zonesim`` subcommands."""

from __future__ import annotations

import argparse
import re
import shlex
import sys
import tomllib
from collections.abc import Callable, Mapping
from typing import Any

from sim.errors import ZonesimError
from sim.experiments.errors import ArgumentError


def int_at_least(low: int, high: int | None = None) -> Callable[[str], int]:
    """Argument type: a whole number from ``low`` (to ``high`` exclusive, if given)."""
    what = f"a whole number >= {low}" if high is None else f"a whole number in [{low}, {high})"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
        if value < low or (high is not None and value >= high):
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
        return value

    return parse


def setting(text: str) -> str:
    """Argument type of ``--set``: one ``KEY=VALUE`` on one line (see :func:`parse_settings`)."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip() or _CONTROL.search(text):
        raise argparse.ArgumentTypeError(
            f"expected one KEY=VALUE on one line (e.g. delegation_years=4), got {text!r}"
        )
    return text


#: Line breaks and other control characters, which no ``--set`` text may hold.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def parse_settings(texts: list[str]) -> dict[str, Any]:
    """``--set`` texts as parameter values: each value read as TOML (``4``, ``4.5``, ``true``).

    A value that is not TOML (a bare word) stays a string, for the registry to reject
    with its own message. A key given twice keeps its last value.

    Raises:
        ArgumentError: Naming ``set``, if a text is not one assignment of one value (a
            line break, a second assignment, or lists nested without end).
    """
    out: dict[str, Any] = {}
    for text in texts:
        key, _, value = text.partition("=")
        if _CONTROL.search(text):
            raise ArgumentError("set", f" {text!r}: expected one KEY=VALUE on one line")
        try:
            doc = tomllib.loads(f"v = {value.strip()}")
        except tomllib.TOMLDecodeError:
            doc = {"v": value.strip()}
        except RecursionError:
            raise ArgumentError(
                "set", f" {key.strip()}: expected one value, got lists or tables nested too deep"
            ) from None
        if list(doc) != ["v"]:
            raise ArgumentError("set", f" {text!r}: expected one KEY=VALUE, got several")
        out[key.strip()] = doc["v"]
    return out


#: A count of at least one (replicates, workers, budgets).
positive_int = int_at_least(1)
#: A master seed: a whole number from 0 to 2**63 - 1.
seed_int = int_at_least(0, 2**63)


def add_backend_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--workers W | --scheduler ADDRESS`` (mutually exclusive)."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--workers",
        metavar="W",
        type=positive_int,
        help="local worker processes (default: all cores)",
    )
    where.add_argument(
        "--scheduler", metavar="ADDRESS", help="run on a Dask cluster, e.g. tcp://host:8786"
    )


def add_work_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--max-work RUN_YEARS``: the total-work limit checked before any work."""
    from sim.experiments.batch import MAX_WORK

    parser.add_argument(
        "--max-work",
        metavar="RUN_YEARS",
        type=positive_int,
        help=f"most run-years (runs x years simulated) to ask for (default: {MAX_WORK:,})",
    )


def add_foreign_option(parser: argparse.ArgumentParser, what: str = "the output") -> None:
    """Add ``--force-into-nonempty``: write beside the files of a non-empty folder."""
    parser.add_argument(
        "--force-into-nonempty",
        action="store_true",
        help=f"allow --out to be a non-empty folder of other files ({what} goes beside them; "
        "none is replaced)",
    )


def command_line() -> str:
    """The command as typed, for manifests and reports."""
    return shlex.join(["zonesim", *sys.argv[1:]])


#: Command-line names of library arguments, for errors that name an argument
#: (:class:`sim.experiments.errors.ArgumentError`, or advice such as a
#: :class:`~sim.experiments.store.StoreError`'s). A subcommand whose flag differs for the
#: same argument passes its own entries to :func:`flag_message`.
FLAGS: dict[str, str] = {
    "allow_foreign": "--force-into-nonempty",
    "allow_missing": "--allow-missing",
    "baseline": "--baseline",
    "budget": "--budget",
    "delta": "--delta",
    "grouped": "--groups",
    "loo_budget": "--leave-one-out",
    "method": "--method",
    "n": "-N",
    "noise_points": "--noise-points",
    "noise_replicates": "--noise-replicates",
    "num_levels": "--levels",
    "out": "--out",
    "out_dir": "--out",
    "overwrite": "--overwrite",
    "outputs": "--outputs",
    "params": "--params",
    "paths": "RESULTS_DIR",
    "replicates": "--replicates",
    "reps": "--reps",
    "resamples": "--resamples",
    "scheduler": "--scheduler",
    "seed": "--seed",
    "set": "--set",
    "workers": "--workers",
    "max_work": "--max-work",
}


def flag_message(exc: ZonesimError, flags: Mapping[str, str] | None = None) -> str:
    """A library error's message with command-line flags for the arguments it names.

    Args:
        exc: The library's error.
        flags: Entries that take precedence over :data:`FLAGS`.

    Returns:
        The message; an argument without a flag keeps its name.
    """
    return exc.message({**FLAGS, **(flags or {})})
