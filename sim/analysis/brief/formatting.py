"""How the brief writes numbers, intervals, shares, parameter values and paths."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

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
    decimals = min(3, max(0, 3 - math.floor(math.log10(abs(value)))))
    out = f"{value:,.{decimals}f}"
    return "0" if out in ("-0", "0") or re.fullmatch(r"-?0\.0*", out) else out


def fmt_interval(low: float, high: float, lang: str) -> str:
    """Format an interval as ``low to high`` (``low 至 high`` in Chinese)."""
    return f"{fmt_number(low)} {text('to', lang)} {fmt_number(high)}"


def fmt_share(value: float) -> str:
    """Format a share of replicates as a whole percentage (``0.25`` -> ``25 %``)."""
    return f"{100 * value:.0f} %"


def fmt_param(value: Any) -> str:
    """Format a parameter value: ``%g`` for floats, JSON for lists and tables."""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


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
    """A path as shown in the brief: relative to the working folder where possible."""
    resolved = Path(path).resolve()
    if resolved.is_relative_to(Path.cwd()):
        return resolved.relative_to(Path.cwd()).as_posix()
    return resolved.as_posix()
