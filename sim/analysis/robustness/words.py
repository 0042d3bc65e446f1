"""Numbers in words, in English and Chinese: probabilities, boxes, regret.

Probabilities are put in words on the calibrated scale of the IPCC's uncertainty
guidance (Mastrandrea et al. 2010), stated wherever it is used: *very likely* 90 % or
more, *likely* 66 % or more, *about as likely as not* 33–66 %, *unlikely* 33 % or less,
*very unlikely* 10 % or less. In Chinese, as in the IPCC's Chinese reports, *likely* is
可能 and *very likely* 很可能.

A word is given only when the whole 95 % interval of the probability lies in its band
(:func:`grade`); otherwise the model cannot tell at this budget, and
:func:`states_needed` says how many states would narrow the interval into the band of
the share observed, if the share stayed as it is.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from scipy.stats import norm

from sim.analysis.document import bracket
from sim.core.lang import Translated, translate

#: A probability from this value up is "very likely".
VERY_LIKELY = 0.90
#: A probability from this value up is "likely".
LIKELY = 0.66
#: A probability up to this value is "unlikely".
UNLIKELY = 0.33
#: A probability up to this value is "very unlikely".
VERY_UNLIKELY = 0.10
#: Bands of the scale, most specific first: (key, lower, upper), bounds inclusive.
BANDS: tuple[tuple[str, float, float], ...] = (
    ("very_likely", VERY_LIKELY, 1.0),
    ("very_unlikely", 0.0, VERY_UNLIKELY),
    ("likely", LIKELY, 1.0),
    ("unlikely", 0.0, UNLIKELY),
    ("even", UNLIKELY, LIKELY),
)
#: Largest number of states :func:`states_needed` reports (beyond it: "more than").
MAX_STATES = 100_000

#: The scale's words, by band: (English, Chinese).
WORDS: dict[str, Translated] = {
    "very_likely": ("very likely", "很可能"),
    "likely": ("likely", "可能"),
    "even": ("about as likely as not", "可能性约为一半"),
    "unlikely": ("unlikely", "不太可能"),
    "very_unlikely": ("very unlikely", "很不可能"),
    "cannot_tell": ("cannot tell at this budget", "以目前的计算量无法判断"),
}
#: The scale and the rule for giving a word, stated (percentages filled in).
SCALE_NOTE: Translated = (
    "Probabilities in words (the IPCC's calibrated scale): very likely means {vl} % or "
    "more, likely {lk} % or more, about as likely as not {ul}–{lk} %, unlikely {ul} % "
    "or less, very unlikely {vu} % or less. A word is used only when the whole 95 % "
    "interval lies in its band; otherwise the finding says the model cannot tell at "
    "this budget.",
    "概率用语（IPCC 校准用语）：≥ {vl} % 为“很可能”，≥ {lk} % 为“可能”，"
    "{ul}–{lk} % 为“可能性约为一半”，≤ {ul} % 为“不太可能”，≤ {vu} % 为“很不可能”。"
    "只有整个 95 % 区间都落在某一档内时才使用该用语；否则写“以目前的计算量无法判断”。",
)
#: A box's conditions: joined by "and"; a box that restricts nothing holds "anywhere".
CONDITIONS_JOIN: Translated = (" and ", "，且 ")
ANYWHERE: Translated = ("anywhere", "任何条件下")


def likelihood_key(p: float) -> str:
    """The widest band of the scale a point probability falls in.

    ``"likely"`` from :data:`LIKELY` up, ``"unlikely"`` below :data:`UNLIKELY`,
    ``"even"`` in between (the band an interval around ``p`` would have to fit).
    """
    if p >= LIKELY:
        return "likely"
    if p < UNLIKELY:
        return "unlikely"
    return "even"


def grade(low: float, high: float) -> str | None:
    """The most specific band that holds the whole interval ``[low, high]``, or ``None``.

    ``None`` means the interval straddles a band's edge: the model cannot tell at this
    budget. A NaN bound gives ``None``.
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        return None
    for key, lo, hi in BANDS:
        if lo <= low and high <= hi:
            return key
    return None


def words(key: str | None, lang: str = "en") -> str:
    """A band (a key of :func:`grade`, ``None`` for "cannot tell") in words."""
    return translate(WORDS[key or "cannot_tell"], lang)


def likelihood(low: float, high: float, lang: str = "en") -> str:
    """A probability's 95 % interval in words: its band's word, or "cannot tell"."""
    return words(grade(low, high), lang)


def wilson_bounds(p: float, n: float, conf: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a share ``p`` observed over ``n`` trials."""
    z = float(norm.ppf(0.5 + conf / 2))
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def half_width(p: float, n: int, conf: float = 0.95) -> float:
    """Half the width of the Wilson interval of ``p`` over ``n`` states."""
    lo, hi = wilson_bounds(p, n, conf)
    return (hi - lo) / 2


def states_needed(p: float, conf: float = 0.95, *, target: str | None = None) -> int | None:
    """States that would put the Wilson interval of a share ``p`` inside a band.

    Args:
        p: The share observed.
        conf: Confidence level.
        target: The band (a key of :data:`BANDS`); default the widest band that holds
            ``p`` (:func:`likelihood_key`).

    Returns:
        The smallest number of states for which the interval around ``p`` lies in the
        band, or ``None`` if no number up to :data:`MAX_STATES` does (``p`` on or near
        the band's edge).
    """
    if not math.isfinite(p):
        return None
    key = target or likelihood_key(p)
    _, lo, hi = next(b for b in BANDS if b[0] == key)

    def fits(n: int) -> bool:
        a, b = wilson_bounds(p, n, conf)
        return lo <= a and b <= hi

    if not fits(MAX_STATES):
        return None
    small, big = 1, MAX_STATES  # fits(big); the interval narrows as n grows
    while big - small > 1:
        mid = (small + big) // 2
        small, big = (small, mid) if fits(mid) else (mid, big)
    return big


def states_for_half_width(p: float, target: float, conf: float = 0.95) -> int:
    """Fewest states for which the Wilson interval of a share ``p`` is at most ``±target``."""
    small, big = 1, 2
    while half_width(p, big, conf) > target:
        small, big = big, big * 2
    while big - small > 1:
        mid = (small + big) // 2
        small, big = (small, mid) if half_width(p, mid, conf) <= target else (mid, big)
    return big


def param_phrase(name: str, lang: str = "en") -> str:
    """A parameter in plain words: its meaning (without asides), then its name in code.

    In English the meaning stops at its first comma or semicolon; in Chinese at its first
    semicolon, less a closing clause that gives a value (a Chinese comma often joins the
    parts of one phrase).

    ``"investment-attraction effort of a sanheyi zone relative to legacy
    (`sanheyi_attraction`)"``; a name outside the registry stays as it is.
    """
    meaning = param_meaning(name, lang)
    if meaning is None:
        return f"`{name}`"
    return meaning + bracket(f"`{name}`", lang)


def param_meaning(name: str, lang: str = "en") -> str | None:
    """A registry parameter's meaning in short plain words (``None`` outside the registry).

    The rules of :func:`param_phrase`: ``"下放全部权限清单所需的时间"``.
    """
    from sim.core.params import REGISTRY

    p = REGISTRY.get(name)
    if p is None:
        return None
    if lang == "zh":
        meaning = re.sub(r"（[^（）]*）", "", p.description_zh).split("；")[0].rstrip("。，")
        return re.sub(r"，[^，]*\d[^，]*$", "", meaning)  # a closing aside with a value
    meaning = re.sub(r" \([^()]*\)", "", p.description).split("; ")[0].split(", ")[0]
    meaning = meaning.rstrip(".")
    return meaning[:1].lower() + meaning[1:] if meaning[1:2].islower() else meaning


def scale_note(lang: str = "en") -> str:
    """The word scale and the rule for giving a word, stated."""
    vl, lk = round(VERY_LIKELY * 100), round(LIKELY * 100)
    ul, vu = round(UNLIKELY * 100), round(VERY_UNLIKELY * 100)
    return translate(SCALE_NOTE, lang).format(vl=vl, lk=lk, ul=ul, vu=vu)


def pct(p: float) -> str:
    """A share as a whole percentage (``"–"`` when unknown)."""
    return "–" if p is None or not math.isfinite(p) else f"{100 * p:.0f} %"


def sig2(v: float) -> str:
    """A number to two significant figures, with thousands separators (``"–"`` if unknown).

    ``79.58`` is ``80``, ``313.8`` is ``310``, ``0.333`` is ``0.33``, ``12345`` is
    ``12,000``.
    """
    if v is None or not math.isfinite(v):
        return "–"
    if v == 0:
        return "0"
    decimals = 1 - math.floor(math.log10(abs(v)))
    rounded = round(v, decimals)
    if rounded != 0 and math.floor(math.log10(abs(rounded))) > math.floor(math.log10(abs(v))):
        decimals -= 1  # 99.6 -> 100, not 100.
        rounded = round(v, decimals)
    return f"{rounded:,.{max(decimals, 0)}f}"


def count(n: int) -> str:
    """A count to two significant figures, as a whole number (``2,156`` is ``2,200``)."""
    n = int(n)
    if abs(n) < 100:
        return str(n)
    return f"{round(n, 2 - len(str(abs(n)))):,}"


def num(v: float) -> str:
    """A parameter value for reading: three significant digits, whole numbers from 100 on.

    Decimal years keep one decimal (``2019.5``); large counts get thousands separators.
    Effects and regrets use :func:`sig2` instead.
    """
    if v is None or not math.isfinite(v):
        return "–"
    if abs(v) < 100:
        return f"{v:.3g}"
    if abs(v) < 10_000:
        return f"{v:.1f}".removesuffix(".0")
    return f"{v:,.0f}"


def condition(row: Mapping[str, Any], lang: str = "en") -> str:
    """One restricted dimension of a box in words, e.g. ``x ≥ 1.6`` or ``0.2 ≤ x ≤ 0.5``.

    ``x`` is the parameter's meaning in the reader's language (:func:`param_meaning`),
    ``"2018 年后每年新增实行三项制度的开发区数 ≥ 2.5"``; a name outside the registry
    stays as it is.
    """
    name = str(row["parameter"])
    name = param_meaning(name, lang) or name
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
        return translate(ANYWHERE, lang)
    return translate(CONDITIONS_JOIN, lang).join(parts)
