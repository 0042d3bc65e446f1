"""The marks that join the parts of a text, by language.

Chinese text takes full-width marks and no spaces (``，`` ``；`` ``：`` ``、`` ``。``);
every writer of a document joins its parts with :func:`separator` and puts an aside in
brackets with :func:`bracket`, so no module picks a mark by testing the language itself.
"""

from __future__ import annotations

from sim.core.lang import Translated, translate

#: Marks that join the parts of a list and of a clause, by language.
SEPARATORS: dict[str, Translated] = {
    "list": (", ", "，"),
    "clause": ("; ", "；"),
    "label": (": ", "："),
    "series": (", ", "、"),
    "stop": (".", "。"),
}

#: An aside after a word: a space and round brackets, or full-width brackets in Chinese.
BRACKETS: Translated = (" ({})", "（{}）")


def separator(kind: str, lang: str) -> str:
    """The mark of ``kind`` in ``lang``.

    ``list`` joins the items of a list, ``clause`` the clauses of a sentence, ``label``
    a label and its value; ``series`` joins names in a series (``、`` in Chinese) and
    ``stop`` ends a sentence.
    """
    return translate(SEPARATORS[kind], lang)


def bracket(words: str, lang: str) -> str:
    """``" (words)"``, or ``"（words）"`` in Chinese: an aside after what it follows."""
    return translate(BRACKETS, lang).format(words)
