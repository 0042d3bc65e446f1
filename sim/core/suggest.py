"""Did-you-mean hints for names a user types (scenarios, parameters, modes, cities, flags)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, choices: Iterable[str], n: int = 1) -> list[str]:
    """The ``n`` choices closest to ``word`` (letter case ignored), best first.

    Args:
        word: What the user typed.
        choices: The names that exist.
        n: How many suggestions at most.

    Returns:
        Up to ``n`` names from ``choices`` (difflib ratio at least 0.6), possibly none.
    """
    choices = list(dict.fromkeys(choices))
    by_key = {c.casefold(): c for c in choices}
    found = difflib.get_close_matches(word.casefold(), list(by_key), n=n, cutoff=0.6)
    return [by_key[f] for f in found]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest choice, or ``""`` when none is close."""
    found = closest(str(word), choices)
    return f"; did you mean {found[0]!r}?" if found else ""
