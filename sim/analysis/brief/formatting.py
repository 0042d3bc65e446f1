"""How the brief writes numbers, intervals, shares, parameter values and paths.

Effects are written to two significant figures with their interval on the same
rounding (``+80 (70 to 90)``, :func:`fmt_effect`); levels of counts (firms, zones,
posts) as whole numbers (:func:`fmt_level`); other levels to about four significant
digits (:func:`fmt_number`).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from sim.analysis import safetext
from sim.analysis.brief.text import text
from sim.analysis.document import separator

#: Units of the outputs that count things (their levels are shown as whole numbers).
COUNT_UNITS = frozenset(
    {"firms", "firms/year", "zones", "posts", "bodies", "companies", "powers", "changes",
     "departments"}
)  # fmt: skip


def is_count(metric: str) -> bool:
    """Whether an annual or zone-table output counts things (its unit is a count)."""
    from sim.core.outputs import ANNUAL_BY_NAME, ZONES_BY_NAME

    out = ANNUAL_BY_NAME.get(metric) or ZONES_BY_NAME.get(metric)
    return out is not None and out.unit in COUNT_UNITS


def fmt_level(value: float, metric: str) -> str:
    """A level of ``metric``: a whole number for counts, else :func:`fmt_number`."""
    if is_count(metric) and value is not None and math.isfinite(value):
        return fmt_number(float(round(value)))
    return fmt_number(value)


def _decimals(*values: float, width: float | None = None) -> int | None:
    """Decimals for two significant figures of the largest ``|value|``.

    Finer where an interval of ``width`` would otherwise lose its one significant
    figure (``99.7 (95 to 104)`` keeps units). ``None`` when every value is 0.
    """
    finite = [abs(v) for v in values if v is not None and math.isfinite(v) and v != 0]
    if not finite:
        return None
    top = max(finite)
    decimals = 1 - math.floor(math.log10(top))
    if abs(round(top, decimals)) >= 10 ** (math.floor(math.log10(top)) + 1):
        decimals -= 1  # 99.6 rounds to 100: two figures are "1.0e2"
    if width is not None and math.isfinite(width) and width > 0:
        decimals = max(decimals, -math.floor(math.log10(width)))
    return decimals


def _rounded(value: float, decimals: int, sign: bool) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    r = round(value, decimals)
    out = f"{r:,.{max(decimals, 0)}f}"
    if re.fullmatch(r"-?[0.,]*", out):
        out = out.lstrip("-")
    return "+" + out if sign and not out.startswith("-") and re.search(r"[1-9]", out) else out


def fmt_effect(
    mean: float,
    low: float | None = None,
    high: float | None = None,
    lang: str = "en",
    *,
    interval: bool = True,
) -> str:
    """An effect to two significant figures, with its interval on the same rounding.

    The largest of the three numbers sets the rounding (two significant figures), so
    ``79.58 (70.2 to 90.1)`` reads ``+80 (+70 to +90)`` and ``0.333 (-0.5 to 1.2)``
    reads ``+0.3 (-0.5 to +1.2)``; a narrow interval keeps its first figure (``99.7 (95
    to 104)`` reads ``+100 (+95 to +104)``). Without an interval, the effect alone
    (``313.8`` reads ``+310``). ``interval=False`` writes the effect alone, rounded as
    with its interval (for a table with the interval in a column of its own).
    """
    if low is None or high is None:
        decimals = _decimals(mean)
        return "0" if decimals is None else _rounded(mean, decimals, sign=True)
    decimals = _decimals(mean, low, high, width=high - low)
    if decimals is None:
        return "0" + (f" ({fmt_interval(0.0, 0.0, lang, sign=True)})" if interval else "")
    out = _rounded(mean, decimals, sign=True)
    if interval:
        to = text("to", lang)
        out += f" ({_rounded(low, decimals, True)} {to} {_rounded(high, decimals, True)})"
    return out


def fmt_effect_interval(low: float, high: float, lang: str, *, like: float) -> str:
    """An effect's interval alone, rounded as :func:`fmt_effect` rounds ``like`` with it."""
    decimals = _decimals(like, low, high, width=high - low)
    if decimals is None:
        return fmt_interval(0.0, 0.0, lang, sign=True)
    to = text("to", lang)
    return f"{_rounded(low, decimals, True)} {to} {_rounded(high, decimals, True)}"


def fmt_number(value: float) -> str:
    """Format a number with about four significant digits and thousands separators.

    At most three decimals; ``nan`` becomes an en dash. The brief's tables use this
    one format, so a reader (or a test) can tell from a number how far it is rounded.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    value = float(value)
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    if value == round(value):  # counts and other whole numbers print as integers
        return f"{round(value):,d}"
    decimals = min(3, max(0, 3 - math.floor(math.log10(abs(value)))))
    out = f"{value:,.{decimals}f}"
    return "0" if out in ("-0", "0") or re.fullmatch(r"-?0\.0*", out) else out


def fmt_interval(low: float, high: float, lang: str, *, sign: bool = False) -> str:
    """Format an interval as ``low to high`` (``low 至 high`` in Chinese), signed if asked."""
    f = signed if sign else fmt_number
    return f"{f(low)} {text('to', lang)} {f(high)}"


def fmt_share(value: float) -> str:
    """Format a share of replicates as a whole percentage (``0.25`` -> ``25 %``)."""
    return f"{100 * value:.0f} %"


def fmt_param(value: Any, lang: str = "en") -> str:
    """Format a parameter value: ``%g`` for floats, mode assignments in words."""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list) and all(isinstance(v, dict) and "mode" in v for v in value):
        return "; ".join(mode_rule(v, lang) for v in value) or "–"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def mode_rule(rule: dict[str, Any], lang: str = "en") -> str:
    """One mode assignment in words (``from 2018: Corporate for all zones``)."""
    from sim.analysis import plotting
    from sim.core.cities import city_label

    zones = rule.get("zones", "all")
    items = zones if isinstance(zones, list) else [zones]
    shown = []
    for z in items:
        z = str(z)
        if z == "all":
            shown.append(text("all_zones", lang))
        elif z.startswith("city:"):
            shown.append(city_label(z.split(":", 1)[1], lang))
        else:
            shown.append(z)
    sep = separator("series", lang)
    year = rule.get("year", "")
    year = f"{year:g}" if isinstance(year, float) else str(year)
    return text(
        "mode_rule",
        lang,
        year=year,
        mode=plotting.mode_label(str(rule["mode"]), lang),
        zones=sep.join(shown),
    )


def signed(value: float) -> str:
    """Format an effect with its sign (``+12`` or ``-3.5``; zero unsigned)."""
    out = fmt_number(value)
    return out if out.startswith("-") or out == "0" else "+" + out


def truthy(value: Any) -> bool:
    """Read a yes/no cell (``True``, ``"true"``, ``1``, ``"yes"``; ``nan`` is false)."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value) and not (isinstance(value, float) and math.isnan(value))


def shown_path(path: Path) -> str:
    """A path as shown in the brief: relative to the working folder, never absolute.

    See :func:`sim.analysis.safetext.display_path`.
    """
    return safetext.display_path(path)
