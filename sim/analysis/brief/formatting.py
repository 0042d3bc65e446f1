"""How the brief writes numbers, intervals, shares, parameter values and paths."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from sim.analysis import safetext
from sim.analysis.brief.text import text


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
    sep = "、" if lang == "zh" else ", "
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
