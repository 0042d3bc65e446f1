"""Charts of batch results: fan charts, effects with intervals, zones by management mode.

Every function takes DataFrames in the layout of :func:`sim.load_results` and returns a
:class:`matplotlib.figure.Figure`, drawn in the look of :mod:`.theme`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from sim.analysis.plotting.labels import (
    KEY_METRICS,
    MODE_COLOURS,
    MODES,
    Lang,
    metric_label,
    mode_label,
    zone_label,
)
from sim.analysis.plotting.theme import (
    PALETTE,
    figure_text,
    finish,
    safe,
    scenario_colours,
    scenario_order,
    signed_tick,
    style,
    tick,
)
from sim.experiments.summary import summarize


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
    scenarios = scenario_order(annual, scenarios)
    colours = scenario_colours(scenarios, colours)
    levels = sorted({0.5, *(q for pair in bands for q in pair)})
    table = quantile_bands(annual[annual["scenario"].isin(scenarios)], metric, levels)
    with style(lang):
        own = None
        if ax is None:
            fig = own = Figure(figsize=(6.0, 3.4), layout="constrained")
            ax = fig.add_subplot()
        else:
            fig = cast(Figure, ax.get_figure(root=True))  # an Axes has a figure
        widest = max((hi - lo for lo, hi in bands), default=1.0)
        for s in scenarios:
            rows = table[table["scenario"] == s].sort_values("year")
            name = safe((labels or {}).get(s, s))
            for lo, hi in bands:
                alpha = 0.12 + 0.18 * (1 - (hi - lo) / widest)
                ax.fill_between(
                    rows["year"], rows[lo], rows[hi], color=colours[s], alpha=alpha, linewidth=0
                )
            ax.plot(rows["year"], rows[0.5], color=colours[s], linewidth=1.6, label=name)
        ax.set_title(metric_label(metric, lang))
        ax.set_xlabel(figure_text("year", lang))
        # the default locator is a MaxNLocator, which takes integer=
        ax.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
        values = annual[metric].dropna()
        if len(values) and (values == values.round()).all():  # counts: whole-number ticks
            ax.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
        ax.yaxis.set_major_formatter(FuncFormatter(tick))
        ax.grid(alpha=0.3, linewidth=0.5)
        if legend:
            lo, hi = bands[0] if bands else (0.5, 0.5)
            ax.legend(  # beside the plot, never over the lines
                title=figure_text("band", lang, lo=100 * lo, hi=100 * hi),
                fontsize=8,
                title_fontsize=8,
                loc="upper left",
                bbox_to_anchor=(1.01, 1.0),
            )
        return fig if own is None else finish(fig)


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
    scenarios = scenario_order(annual, scenarios)
    colours = scenario_colours(scenarios, colours)
    nrows = -(-len(metrics) // ncols)
    with style(lang):
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
            title=figure_text("band", lang, lo=5, hi=95) + " / " + figure_text("median", lang),
            fontsize=8,
            title_fontsize=8,
        )
        return finish(fig)


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
    with style(lang):
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
            ax.set_yticks([0], [safe(str(row[label]))])
            ax.tick_params(axis="x", labelsize=7)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=4, symmetric=True))
            ax.xaxis.set_major_formatter(FuncFormatter(signed_tick))
            ax.spines["left"].set_visible(False)
            ax.grid(axis="x", alpha=0.3, linewidth=0.5)
        axes[0].set_title(figure_text("effect", lang))
        return finish(fig)


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
    scenarios = scenario_order(annual, scenarios)
    year = int(annual["year"].max()) if year is None else int(year)
    columns = [f"zones_{m}" for m in MODES]
    rows = annual[annual["year"] == year]
    if rows.empty:
        raise ValueError(f"year: expected a year in the results, got {year}")
    means = rows.groupby("scenario")[columns].mean().reindex(scenarios)
    with style(lang):
        fig = Figure(figsize=(6.0, 0.45 * len(scenarios) + 1.4), layout="constrained")
        ax = fig.add_subplot()
        y = np.arange(len(scenarios))
        left = np.zeros(len(scenarios))
        for mode, col in zip(MODES, columns, strict=True):
            ax.barh(
                y, means[col], left=left, color=MODE_COLOURS[mode], label=mode_label(mode, lang)
            )
            left += means[col].to_numpy()
        ax.set_yticks(y, [safe((labels or {}).get(s, s)) for s in scenarios])
        ax.invert_yaxis()
        ax.set_xlabel(figure_text("zones", lang))
        ax.set_title(figure_text("mode_counts", lang, year=year))
        fig.legend(loc="outside lower center", ncols=len(MODES), fontsize=8)
        return finish(fig)


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
    scenarios = scenario_order(zones, scenarios)
    year = int(zones["year"].max()) if year is None else int(year)
    rows = zones[(zones["year"] == year) & (zones["status"] == "active")]
    if rows.empty:
        raise ValueError(f"year: expected a year with zones in the results, got {year}")
    means = rows.groupby(["scenario", "mode"])[list(columns)].mean()
    modes = [m for m in MODES if m in set(rows["mode"])]
    with style(lang):
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
            ax.xaxis.set_major_formatter(FuncFormatter(tick))
        axes[0].set_yticks(y, [safe((labels or {}).get(s, s)) for s in scenarios])
        axes[0].invert_yaxis()
        handles, names = axes[0].get_legend_handles_labels()
        fig.legend(handles, names, loc="outside lower center", ncols=min(len(names), 4), fontsize=8)
        fig.suptitle(figure_text("mode_outcomes", lang, year=year), fontsize=10)
        return finish(fig)
