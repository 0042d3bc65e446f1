"""Numbers in words, in English and Chinese: probabilities, boxes, regret.

Probabilities are put in words on a fixed scale, stated wherever they are used:
*likely* from :data:`LIKELY` up, *unlikely* below :data:`UNLIKELY`, *about as
likely as not* in between.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

#: A probability from this value up reads "likely".
LIKELY = 0.66
#: A probability below this value reads "unlikely".
UNLIKELY = 0.33

_WORDS: dict[str, dict[str, str]] = {
    "likely": {"en": "likely", "zh": "很可能"},
    "even": {"en": "about as likely as not", "zh": "可能性约为一半"},
    "unlikely": {"en": "unlikely", "zh": "不太可能"},
}


def likelihood_key(p: float) -> str:
    """``"likely"``, ``"even"`` or ``"unlikely"`` for a probability."""
    if p >= LIKELY:
        return "likely"
    if p < UNLIKELY:
        return "unlikely"
    return "even"


def likelihood(p: float, lang: str = "en") -> str:
    """A probability in words (see the module docstring for the scale)."""
    return _WORDS[likelihood_key(p)][lang]


def scale_note(lang: str = "en") -> str:
    """The word scale, stated."""
    lo, hi = round(UNLIKELY * 100), round(LIKELY * 100)
    if lang == "zh":
        return (
            f"概率用语：≥ {hi} % 为“很可能”，{lo}–{hi} % 为“可能性约为一半”，"
            f"< {lo} % 为“不太可能”。"
        )
    return (
        f"Probabilities in words: likely means {hi} % or more, about as likely as not "
        f"{lo}–{hi} %, unlikely below {lo} %."
    )


def pct(p: float) -> str:
    """A share as a whole percentage (``"–"`` when unknown)."""
    return "–" if p is None or not math.isfinite(p) else f"{100 * p:.0f} %"


def num(v: float) -> str:
    """A number for reading: three significant digits, whole numbers from 100 on.

    Decimal years keep one decimal (``2019.5``); large counts get thousands separators.
    """
    if v is None or not math.isfinite(v):
        return "–"
    if abs(v) < 100:
        return f"{v:.3g}"
    if abs(v) < 10_000:
        return f"{v:.1f}".removesuffix(".0")
    return f"{v:,.0f}"


def condition(row: Mapping[str, Any], lang: str = "en") -> str:
    """One restricted dimension of a box in words, e.g. ``x ≥ 1.6`` or ``0.2 ≤ x ≤ 0.5``."""
    name = str(row["parameter"])
    lo, hi = (
        v if v is not None and math.isfinite(v) else None
        for v in (row.get("lower"), row.get("upper"))
    )
    if lo is not None and hi is not None:
        return f"{num(lo)} ≤ {name} ≤ {num(hi)}"
    if lo is not None:
        return f"{name} ≥ {num(lo)}"
    if hi is not None:
        return f"{name} ≤ {num(hi)}"
    return name


def box_conditions(rows: Iterable[Mapping[str, Any]], lang: str = "en") -> str:
    """A box's restricted dimensions joined with "and"."""
    parts = [condition(r, lang) for r in rows]
    if not parts:
        return "任何条件下" if lang == "zh" else "anywhere"
    return ("，且 " if lang == "zh" else " and ").join(parts)
