"""The look every figure shares: fonts by language, colours, ticks, words, frozen layout.

Chinese text is set in the font that ships with the package (:mod:`sim.analysis.cjkfont`),
registered with Matplotlib when a figure is drawn, so Chinese figures need no system
font; English figures use DejaVu Sans (Matplotlib's own) with the same font for any
Chinese name. A figure is drawn inside :func:`style` and ended with :func:`finish`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache

import pandas as pd
from matplotlib import font_manager, rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sim.analysis import cjkfont
from sim.analysis.plotting.labels import Lang
from sim.core.lang import Translated, check_lang, translate

#: Scenario colours, cycled in scenario order (the baseline comes first). None is a
#: mode's colour, so a colour means one mode in every chart.
PALETTE = (
    "#4d4d4d", "#d62728", "#9467bd", "#8c564b", "#e377c2",
    "#17becf", "#bcbd22", "#6a3d9a", "#b15928", "#000080",
)  # fmt: skip

#: The figures' own words, by key: (English, Chinese).
FIGURE_TEXT: dict[str, Translated] = {
    "year": ("Year", "年份"),
    "median": ("median", "中位数"),
    "band": ("{lo:g}-{hi:g} % of replicates", "{lo:g}-{hi:g}% 的重复运行"),
    "effect": ("Difference from the baseline", "与基准情景之差"),
    "zones": ("Zones", "开发区数"),
    "mode_counts": ("Zones by management mode, {year}", "{year}年各管理模式开发区数"),
    "mode_outcomes": ("Zone outcomes by management mode, {year}", "{year}年各管理模式开发区表现"),
}


@cache
def _figure_characters() -> frozenset[str]:
    """Characters the figure fonts (the shipped CJK font and DejaVu Sans) can draw."""
    from matplotlib.ft2font import FT2Font

    dejavu = FT2Font(font_manager.findfont("DejaVu Sans", fallback_to_default=False))
    return cjkfont.characters() | {chr(c) for c in dejavu.get_charmap()}


def cjk_font() -> str:
    """Register the shipped Chinese font with Matplotlib; return its family name."""
    return cjkfont.register()


def figure_text(key: str, lang: Lang, **fmt: object) -> str:
    """The figures' word ``key`` (:data:`FIGURE_TEXT`) in ``lang``, formatted."""
    return translate(FIGURE_TEXT[key], lang).format(**fmt)


@contextmanager
def style(lang: Lang) -> Iterator[None]:
    """Matplotlib settings for one figure drawn in ``lang``.

    Fonts are named explicitly (the shipped CJK font first for Chinese, after DejaVu
    Sans for English), so the figure keeps them when it is drawn later, outside this
    context.
    """
    check_lang(lang)
    families = [cjk_font(), "DejaVu Sans"] if lang == "zh" else ["DejaVu Sans", cjk_font()]
    with rc_context(
        {
            "font.family": families,
            "font.size": 9,
            "axes.titlesize": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.unicode_minus": lang != "zh",
            "figure.dpi": 100,
            "savefig.dpi": 110,
        }
    ):
        yield


def safe(text: str) -> str:
    """Free text (a scenario's name) without characters no figure font can draw.

    Figures then never show missing-glyph boxes, whatever a scenario file holds.
    """
    have = _figure_characters()
    if all(c in have or c.isspace() for c in text):
        return text
    return "".join(c for c in text if c in have or c.isspace()).strip() or "?"


def finish(fig: Figure) -> Figure:
    """Lay out and draw once, then freeze the layout.

    Drawing here creates the lazily made labels (ticks) while this figure's fonts
    are in force; freezing the layout makes every later rendering of the figure
    identical (the constrained layout otherwise shifts slightly from draw to draw).
    """
    FigureCanvasAgg(fig)
    fig.canvas.draw()
    fig.set_layout_engine("none")
    return fig


def scenario_order(df: pd.DataFrame, scenarios: Sequence[str] | None) -> list[str]:
    """The scenarios to draw: those given (each must be in ``df``), else all, as they appear."""
    present = list(pd.unique(df["scenario"]))
    if scenarios is None:
        return present
    missing = [s for s in scenarios if s not in present]
    if missing:
        raise ValueError(f"scenarios: {missing[0]!r} is not in the data (have {present})")
    return list(scenarios)


def scenario_colours(scenarios: Sequence[str], colours: Mapping[str, str] | None) -> dict[str, str]:
    """A colour for every scenario: those given, the others from :data:`PALETTE` in order."""
    colours = dict(colours or {})
    for i, s in enumerate(scenarios):
        colours.setdefault(s, PALETTE[i % len(PALETTE)])
    return colours


def tick(value: float, _pos: int | None = None) -> str:
    """An axis tick: thousands separators, no trailing zeros (``43,000``, ``2.5``)."""
    if value == 0:
        return "0"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"


def signed_tick(value: float, _pos: int | None = None) -> str:
    """An effect's axis tick: :func:`tick` with its sign (``+1,000``, ``-2.5``, ``0``)."""
    text = tick(value)
    return text if value <= 0 or text == "0" else "+" + text
