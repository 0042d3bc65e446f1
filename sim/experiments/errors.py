"""Errors in the library's own language.

A function that rejects one of its arguments raises :class:`ArgumentError`, whose
message starts with the argument's name (``outputs 'x@1': expected metric@year``).
A front end that calls the function under other names (the command line's flags)
passes its own names to :meth:`ArgumentError.message`.
"""

from __future__ import annotations

from collections.abc import Mapping

from sim.errors import ZonesimError


class ArgumentError(ZonesimError, ValueError):
    """An argument of a library function has an invalid value.

    Attributes:
        argument: The argument's name, as the function's signature spells it (also
            :attr:`key`).
        detail: The rest of the message (after the name), e.g. ``": expected ..."``.
    """

    def __init__(self, argument: str, detail: str) -> None:
        """Build the error; the message is ``argument + detail``."""
        self.argument = argument
        self.detail = detail
        super().__init__(detail, key=argument)

    def message(self, names: Mapping[str, str] | None = None) -> str:
        """The message, with ``names``' entry for the argument (if any) in its name's place."""
        return f"{(names or {}).get(self.argument, self.argument)}{self.detail}"

    def renamed(self, name: str) -> str:
        """The message with ``name`` (e.g. a command-line flag) for the argument's name."""
        return self.message({self.argument: name})
