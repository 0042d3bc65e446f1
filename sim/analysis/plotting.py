"""Figures of batch results, shared by the policy briefs and the notebooks.

Every function takes DataFrames in the layout of :func:`sim.load_results`
(``scenario, replicate, seed, year`` then metrics, or then zone-year columns) and
returns a :class:`matplotlib.figure.Figure`. Figures are built without
``pyplot``, so nothing depends on the interactive backend and nothing accumulates
in global state; :func:`to_png` and :func:`to_svg` render them with Agg.

Labels come in English (``"en"``) and Chinese (``"zh"``). Chinese text is set in the
font that ships with the package (:mod:`sim.analysis.cjkfont`), registered with
Matplotlib when a figure is drawn, so Chinese figures need no system font; English
figures use DejaVu Sans (Matplotlib's own) with the same font for any Chinese name.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from typing import cast

import numpy as np
import pandas as pd
from matplotlib import font_manager, rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from sim.analysis import cjkfont
from sim.core import modes as mode_registry
from sim.core import outputs
from sim.core.lang import Translated, check_lang, translate
from sim.experiments.summary import summarize

Lang = str  # one of sim.core.lang.LANGS

#: Metrics shown in fan charts and headline tables, in display order.
KEY_METRICS = (
    "firms",
    "stat_zone_gdp",
    "stat_zone_gdp_growth",
    "growth_gap_pp",
    "zones_active",
    "approval_days",
)

#: Display names of the annual metrics (``en``, ``zh``), with units, from the output
#: registry.
METRIC_LABELS: dict[str, Translated] = {o.name: (o.label_en, o.label_zh) for o in outputs.ANNUAL}

#: Display names of the zone-table columns (``en``, ``zh``), from the output registry.
ZONE_LABELS: dict[str, Translated] = {o.name: (o.label_en, o.label_zh) for o in outputs.ZONES}

#: Management modes in display order, with labels and colours, from the mode registry.
MODES = mode_registry.MODE_NAMES
MODE_LABELS: dict[str, Translated] = {
    m.name: (m.label_en, m.label_zh) for m in mode_registry.MODES.values()
}
MODE_COLOURS: dict[str, str] = {m.name: m.colour for m in mode_registry.MODES.values()}

#: Scenario colours, cycled in scenario order (the baseline comes first). None is a
#: mode's colour, so a colour means one mode in every chart.
PALETTE = (
    "#4d4d4d", "#d62728", "#9467bd", "#8c564b", "#e377c2",
    "#17becf", "#bcbd22", "#6a3d9a", "#b15928", "#000080",
)  # fmt: skip

_TEXT = {
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


def metric_label(metric: str, lang: Lang = "en") -> str:
    """Return the display name of an annual metric (the metric itself if unknown)."""
    return translate(METRIC_LABELS[metric], lang) if metric in METRIC_LABELS else metric


def zone_label(column: str, lang: Lang = "en") -> str:
    """Return the display name of a zone-table column (the column itself if unknown)."""
    return translate(ZONE_LABELS[column], lang) if column in ZONE_LABELS else column


def mode_label(mode: str, lang: Lang = "en") -> str:
    """Return the display name of a management mode (the mode itself if unknown)."""
    return translate(MODE_LABELS[mode], lang) if mode in MODE_LABELS else mode


def _text(key: str, lang: Lang, **fmt: object) -> str:
    return translate(_TEXT[key], lang).format(**fmt)


@contextmanager
def _style(lang: Lang) -> Iterator[None]:
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


def _safe(text: str) -> str:
    """Free text (a scenario's name) without characters no figure font can draw.

    Figures then never show missing-glyph boxes, whatever a scenario file holds.
    """
    have = _figure_characters()
    if all(c in have or c.isspace() for c in text):
        return text
    return "".join(c for c in text if c in have or c.isspace()).strip() or "?"


def _finish(fig: Figure) -> Figure:
    """Lay out and draw once, then freeze the layout.

    Drawing here creates the lazily made labels (ticks) while this figure's fonts
    are in force; freezing the layout makes every later rendering of the figure
    identical (the constrained layout otherwise shifts slightly from draw to draw).
    """
    FigureCanvasAgg(fig)
    fig.canvas.draw()
    fig.set_layout_engine("none")
    return fig


def _scenario_order(df: pd.DataFrame, scenarios: Sequence[str] | None) -> list[str]:
    present = list(pd.unique(df["scenario"]))
    if scenarios is None:
        return present
    missing = [s for s in scenarios if s not in present]
    if missing:
        raise ValueError(f"scenarios: {missing[0]!r} is not in the data (have {present})")
    return list(scenarios)


def _colours(scenarios: Sequence[str], colours: Mapping[str, str] | None) -> dict[str, str]:
    colours = dict(colours or {})
    for i, s in enumerate(scenarios):
        colours.setdefault(s, PALETTE[i % len(PALETTE)])
    return colours


def quantile_bands(
    annual: pd.DataFrame, metric: str, quantiles: Sequence[float] = (0.05, 0.25, 0.5, 0.75, 0.95)
) -> pd.DataFrame:
    """Quantiles of a metric over replicates (and samples), by scenario and year.

    The quantiles are those of :func:`sim.experiments.summary.summarize`.

    Args:
        annual: Annual results (``scenario``, ``replicate``, ``seed``, ``year`` and
            ``metric`` columns).
        metric: Metric to summarise.
        quantiles: Quantile levels in [0, 1].

    Returns:
        One row per scenario and year: ``scenario``, ``year`` and one column per
        quantile level, named by the level as a float (``0.05``, ``0.5``, ...).
    """
    if metric not in annual.columns:
        raise ValueError(f"metric: expected a column of the results, got {metric!r}")
    table = summarize(annual, metrics=[metric], quantiles=list(quantiles))
    names = {f"q{round(q * 100):02d}": float(q) for q in quantiles}
    return table[["scenario", "year", *names]].rename(columns=names).reset_index(drop=True)


def _tick(value: float, _pos: int | None = None) -> str:
    """An axis tick: thousands separators, no trailing zeros (``43,000``, ``2.5``)."""
    if value == 0:
        return "0"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"


def _signed_tick(value: float, _pos: int | None = None) -> str:
    """An effect's axis tick: :func:`_tick` with its sign (``+1,000``, ``-2.5``, ``0``)."""
    text = _tick(value)
    return text if value <= 0 or text == "0" else "+" + text


def fan_chart(
    annual: pd.DataFrame,
    metric: str,
    *,
    scenarios: Sequence[str] | None = None,
    bands: Sequence[tuple[float, float]] = ((0.05, 0.95), (0.25, 0.75)),
    labels: Mapping[str, str] | None = None,
    colours: Mapping[str, str] | None = None,
    lang: Lang = "en",
    ax: Axes | None = None,
    legend: bool = True,
) -> Figure:
    """Fan chart of one metric over time: median line and quantile bands per scenario.

    Args:
        annual: Annual results (``scenario, replicate, year`` and the metric).
        metric: Metric to draw.
        scenarios: Scenarios to draw, in order (default: all, as they appear).
        bands: Quantile pairs shaded around the median, widest first.
        labels: Display names of scenarios (default: the names).
        colours: Colours of scenarios (default: :data:`PALETTE` in order).
        lang: ``"en"`` or ``"zh"``.
        ax: Axes to draw into (default: a new figure).
        legend: Whether to draw a legend.

    Returns:
        The figure holding the chart (drawn once only if the function made it).
    """
    scenarios = _scenario_order(annual, scenarios)
    colours = _colours(scenarios, colours)
    levels = sorted({0.5, *(q for pair in bands for q in pair)})
    table = quantile_bands(annual[annual["scenario"].isin(scenarios)], metric, levels)
    with _style(lang):
        own = None
        if ax is None:
            fig = own = Figure(figsize=(6.0, 3.4), layout="constrained")
            ax = fig.add_subplot()
        else:
            fig = cast(Figure, ax.get_figure(root=True))  # an Axes has a figure
        widest = max((hi - lo for lo, hi in bands), default=1.0)
        for s in scenarios:
            rows = table[table["scenario"] == s].sort_values("year")
            name = _safe((labels or {}).get(s, s))
            for lo, hi in bands:
                alpha = 0.12 + 0.18 * (1 - (hi - lo) / widest)
                ax.fill_between(
                    rows["year"], rows[lo], rows[hi], color=colours[s], alpha=alpha, linewidth=0
                )
            ax.plot(rows["year"], rows[0.5], color=colours[s], linewidth=1.6, label=name)
        ax.set_title(metric_label(metric, lang))
        ax.set_xlabel(_text("year", lang))
        # the default locator is a MaxNLocator, which takes integer=
        ax.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
        values = annual[metric].dropna()
        if len(values) and (values == values.round()).all():  # counts: whole-number ticks
            ax.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
        ax.yaxis.set_major_formatter(FuncFormatter(_tick))
        ax.grid(alpha=0.3, linewidth=0.5)
        if legend:
            lo, hi = bands[0] if bands else (0.5, 0.5)
            ax.legend(  # beside the plot, never over the lines
                title=_text("band", lang, lo=100 * lo, hi=100 * hi),
                fontsize=8,
                title_fontsize=8,
                loc="upper left",
                bbox_to_anchor=(1.01, 1.0),
            )
        return fig if own is None else _finish(fig)


def fan_grid(
    annual: pd.DataFrame,
    metrics: Sequence[str] = KEY_METRICS,
    *,
    scenarios: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    colours: Mapping[str, str] | None = None,
    lang: Lang = "en",
    ncols: int = 2,
) -> Figure:
    """Fan charts of several metrics in a grid sharing one legend.

    Args:
        annual: Annual results.
        metrics: Metrics, one panel each.
        scenarios: Scenarios to draw, in order (default: all).
        labels: Display names of scenarios.
        colours: Colours of scenarios.
        lang: ``"en"`` or ``"zh"``.
        ncols: Panels per row.

    Returns:
        The figure.
    """
    if not metrics:
        raise ValueError("metrics: expected at least one metric")
    scenarios = _scenario_order(annual, scenarios)
    colours = _colours(scenarios, colours)
    nrows = -(-len(metrics) // ncols)
    with _style(lang):
        fig = Figure(figsize=(3.6 * ncols, 2.6 * nrows + 0.5), layout="constrained")
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        for ax, metric in zip(axes, metrics, strict=False):
            fan_chart(
                annual,
                metric,
                scenarios=scenarios,
                labels=labels,
                colours=colours,
                lang=lang,
                ax=ax,
                legend=False,
            )
            ax.set_xlabel("")
        for ax in axes[len(metrics) :]:
            ax.set_visible(False)
        handles, names = axes[0].get_legend_handles_labels()
        fig.legend(
            handles,
            names,
            loc="outside lower center",
            ncols=min(len(names), 4),
            title=_text("band", lang, lo=5, hi=95) + " / " + _text("median", lang),
            fontsize=8,
            title_fontsize=8,
        )
        return _finish(fig)


def effects_chart(
    effects: pd.DataFrame,
    *,
    value: str = "mean",
    low: str = "low",
    high: str = "high",
    label: str = "label",
    lang: Lang = "en",
    colour: str = PALETTE[1],
) -> Figure:
    """Forest plot of effects with intervals, one row per effect, one panel per row.

    Effects are in their own units, so each row gets its own axis.

    Args:
        effects: One row per effect with columns ``label``, ``value``, ``low`` and
            ``high`` (names as given by the keyword arguments).
        value: Column of the point estimate.
        low: Column of the interval's lower end.
        high: Column of the interval's upper end.
        label: Column of the row label.
        lang: ``"en"`` or ``"zh"``.
        colour: Marker colour (a ``colour`` column, where present, sets it per row).

    Returns:
        The figure.
    """
    if effects.empty:
        raise ValueError("effects: expected at least one row")
    n = len(effects)
    with _style(lang):
        fig = Figure(figsize=(6.0, 0.55 * n + 0.7), layout="constrained")
        axes = fig.subplots(n, 1, squeeze=False).ravel()
        for ax, (_, row) in zip(axes, effects.iterrows(), strict=True):
            v, lo, hi = float(row[value]), float(row[low]), float(row[high])
            ax.axvline(0.0, color="#777777", linewidth=0.8)
            c = row["colour"] if "colour" in row.index else colour
            ax.plot([lo, hi], [0, 0], color=c, linewidth=2.2, solid_capstyle="butt")
            ax.plot([v], [0], marker="o", color=c, markersize=5)
            span = max(abs(lo), abs(hi), abs(v), 1e-9) * 1.15
            ax.set_xlim(-span, span)
            ax.set_yticks([0], [_safe(str(row[label]))])
            ax.tick_params(axis="x", labelsize=7)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=4, symmetric=True))
            ax.xaxis.set_major_formatter(FuncFormatter(_signed_tick))
            ax.spines["left"].set_visible(False)
            ax.grid(axis="x", alpha=0.3, linewidth=0.5)
        axes[0].set_title(_text("effect", lang))
        return _finish(fig)


def mode_counts_chart(
    annual: pd.DataFrame,
    *,
    year: int | None = None,
    scenarios: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    lang: Lang = "en",
) -> Figure:
    """Stacked bars: mean number of zones in each management mode, by scenario.

    Args:
        annual: Annual results with the ``zones_<mode>`` metrics.
        year: Year shown (default: the last year).
        scenarios: Scenarios, in order (default: all).
        labels: Display names of scenarios.
        lang: ``"en"`` or ``"zh"``.

    Returns:
        The figure.
    """
    scenarios = _scenario_order(annual, scenarios)
    year = int(annual["year"].max()) if year is None else int(year)
    columns = [f"zones_{m}" for m in MODES]
    rows = annual[annual["year"] == year]
    if rows.empty:
        raise ValueError(f"year: expected a year in the results, got {year}")
    means = rows.groupby("scenario")[columns].mean().reindex(scenarios)
    with _style(lang):
        fig = Figure(figsize=(6.0, 0.45 * len(scenarios) + 1.4), layout="constrained")
        ax = fig.add_subplot()
        y = np.arange(len(scenarios))
        left = np.zeros(len(scenarios))
        for mode, col in zip(MODES, columns, strict=True):
            ax.barh(
                y, means[col], left=left, color=MODE_COLOURS[mode], label=mode_label(mode, lang)
            )
            left += means[col].to_numpy()
        ax.set_yticks(y, [_safe((labels or {}).get(s, s)) for s in scenarios])
        ax.invert_yaxis()
        ax.set_xlabel(_text("zones", lang))
        ax.set_title(_text("mode_counts", lang, year=year))
        fig.legend(loc="outside lower center", ncols=len(MODES), fontsize=8)
        return _finish(fig)


def mode_outcomes_chart(
    zones: pd.DataFrame,
    *,
    columns: Sequence[str] = ("firms", "gdp", "approval_days"),
    year: int | None = None,
    scenarios: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    lang: Lang = "en",
) -> Figure:
    """Grouped bars: mean outcome per zone with status, by scenario and management mode.

    The mean is over zones in a mode and over replicates; each scenario is a row of
    bars (scenarios named once, down the side), one per mode, in the mode's registry
    colour (as in :func:`mode_counts_chart`); modes a scenario does not use get no bar.

    Args:
        zones: Zone-year results (``scenario, year, status, mode`` and ``columns``).
        columns: Zone-table columns, one panel each.
        year: Year shown (default: the last year).
        scenarios: Scenarios, in order (default: all).
        labels: Display names of scenarios.
        lang: ``"en"`` or ``"zh"``.

    Returns:
        The figure.
    """
    scenarios = _scenario_order(zones, scenarios)
    year = int(zones["year"].max()) if year is None else int(year)
    rows = zones[(zones["year"] == year) & (zones["status"] == "active")]
    if rows.empty:
        raise ValueError(f"year: expected a year with zones in the results, got {year}")
    means = rows.groupby(["scenario", "mode"])[list(columns)].mean()
    modes = [m for m in MODES if m in set(rows["mode"])]
    with _style(lang):
        # scenarios down the side (one row each, named once), not under every panel,
        # where long names overlap
        fig = Figure(
            figsize=(2.8 * len(columns) + 2.2, 0.5 * len(scenarios) + 1.4), layout="constrained"
        )
        axes = fig.subplots(1, len(columns), squeeze=False, sharey=True).ravel()
        height = 0.8 / len(modes)
        y = np.arange(len(scenarios))
        for ax, col in zip(axes, columns, strict=True):
            for i, m in enumerate(modes):
                widths = [
                    means[col].get((s, m), np.nan) if (s, m) in means.index else np.nan
                    for s in scenarios
                ]
                ax.barh(
                    y + (i - (len(modes) - 1) / 2) * height,
                    widths,
                    height=height,
                    color=MODE_COLOURS[m],
                    label=mode_label(m, lang),
                )
            ax.set_title(zone_label(col, lang))
            ax.grid(axis="x", alpha=0.3, linewidth=0.5)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=3))
            ax.xaxis.set_major_formatter(FuncFormatter(_tick))
        axes[0].set_yticks(y, [_safe((labels or {}).get(s, s)) for s in scenarios])
        axes[0].invert_yaxis()
        handles, names = axes[0].get_legend_handles_labels()
        fig.legend(handles, names, loc="outside lower center", ncols=min(len(names), 4), fontsize=8)
        fig.suptitle(_text("mode_outcomes", lang, year=year), fontsize=10)
        return _finish(fig)


def to_png(fig: Figure, *, dpi: int = 110) -> bytes:
    """Render a figure to PNG bytes with Agg."""
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def to_png_base64(fig: Figure, *, dpi: int = 110) -> str:
    """Render a figure to a base64 PNG (for ``data:image/png;base64,...`` URIs)."""
    return base64.b64encode(to_png(fig, dpi=dpi)).decode("ascii")


def to_svg(fig: Figure) -> str:
    """Render a figure to an SVG document (text as paths, so no font is needed to view it)."""
    FigureCanvasAgg(fig)
    buf = io.StringIO()
    with rc_context({"svg.fonttype": "path", "svg.hashsalt": "zonesim"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


#: Public names of the figure helpers, for figures drawn outside this module.
style = _style
finish = _finish
