"""The base of every error a user can fix.

Bad input (a malformed scenario, an unknown parameter, an out-of-bounds value, a
missing or unusable file, a bad option) raises a subclass of :class:`ZonesimError`.
The error carries what went wrong as data: the file, the key and the advice, so that
a front end can report it in its own words. The ``zonesim`` command prints such an
error on one line and exits with status 2; any other exception is a bug in the
program (``zonesim`` prints its traceback and exits with status 1).

This module imports nothing from the package, so every layer may import it.

Example:
    >>> class FolderError(ZonesimError):
    ...     arguments = {"out_dir": "out_dir"}
    >>> err = FolderError("expected an empty folder", file="out", advice="choose another {out_dir}")
    >>> str(err)
    'out: expected an empty folder; choose another out_dir'
    >>> err.message({"out_dir": "--out"})
    'out: expected an empty folder; choose another --out'
"""

from __future__ import annotations

from collections.abc import Mapping
from os import PathLike
from typing import ClassVar


class ZonesimError(Exception):
    """An error in the user's input or environment that the user can fix.

    The message reads ``<file>: <key>: <problem>; <advice>`` (parts that are not given
    are left out). The advice may name arguments of a library function as ``{name}``
    placeholders; :attr:`arguments` spells them as the library's caller writes them,
    and a front end passes its own spellings (command-line flags) to :meth:`message`.

    Attributes:
        problem: What is wrong, usually ``expected <what>, got <value>``.
        file: The file or folder concerned, or ``None``.
        key: The key, column or argument concerned, or ``None``.
        advice: What to do about it, or ``None``.
    """

    #: The library's spelling of each argument the advice may name, by placeholder.
    arguments: ClassVar[Mapping[str, str]] = {}

    def __init__(
        self,
        problem: str,
        *,
        file: str | PathLike[str] | None = None,
        key: str | None = None,
        advice: str | None = None,
    ) -> None:
        """Build the error; ``str(error)`` is :meth:`message` in the library's words."""
        self.problem = problem
        self.file = None if file is None else str(file)
        self.key = key or None
        self.advice = advice or None
        super().__init__(self.message())

    def message(self, names: Mapping[str, str] | None = None) -> str:
        """The message, with ``names`` spelling the arguments the advice names.

        Args:
            names: A front end's spelling of library arguments (e.g. ``{"out_dir":
                "--out"}``); an argument it does not name keeps the library's spelling.

        Returns:
            One line: ``<file>: <key>: <problem>; <advice>``.
        """
        text = ": ".join(p for p in (self.file, self.key, self.problem) if p)
        if self.advice is None:
            return text
        advice = self.advice
        for name, spelling in {**self.arguments, **(names or {})}.items():
            advice = advice.replace(f"{{{name}}}", spelling)
        return f"{text}; {advice}"


class InputError(ZonesimError, ValueError):
    """A file or value the user gave has the wrong content (not a more specific error)."""


class MissingFileError(ZonesimError, FileNotFoundError):
    """A file or folder the user named, or one the installation should hold, is missing."""
