"""The brief's figures, drawn by :mod:`sim.analysis.plotting` from the brief's tables.

Each function returns a :class:`matplotlib.figure.Figure` (no ``pyplot`` state); the
document embeds it as PNG.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from sim.analysis import plotting
from sim.analysis.brief.data import HEADLINE_METRICS, MODE_OUTCOMES, BriefData
from sim.analysis.brief.formatting import fmt_number
from sim.analysis.brief.naming import scenario_title


def effects_figure(at_end: pd.DataFrame, lang: str) -> Figure:
    """Effects of one what-if in the last year: mean and 5-95 % of paired runs.

    Args:
        at_end: Rows of the headline table (:func:`~sim.analysis.brief.headline_effects`)
            for one scenario and year.
        lang: ``"en"`` or ``"zh"``.
    """
    at_end = at_end.copy()
    at_end["label"] = [plotting.metric_label(m, lang) for m in at_end["metric"]]
    return plotting.effects_chart(at_end, lang=lang)


def scenario_colours(data: BriefData) -> dict[str, str]:
    """One colour per scenario, in batch order, the same in every figure of the brief."""
    return {s: plotting.PALETTE[i % len(plotting.PALETTE)] for i, s in enumerate(data.scenarios)}


def fans_figure(data: BriefData, scenario: str, lang: str) -> Figure:
    """Fan charts of the headline metrics, baseline against one what-if."""
    return plotting.fan_grid(
        data.annual,
        [m for m in HEADLINE_METRICS if m in data.annual.columns],
        scenarios=[data.baseline, scenario],
        labels=_titles(data, lang),
        colours=scenario_colours(data),
        lang=lang,
    )


def mode_counts_figure(data: BriefData, lang: str) -> Figure:
    """Zones with status in each management mode, by scenario."""
    return plotting.mode_counts_chart(
        data.annual, scenarios=data.scenarios, labels=_titles(data, lang), lang=lang
    )


def mode_outcomes_figure(data: BriefData, lang: str) -> Figure:
    """Outcomes per zone by management mode and scenario (zone tables required)."""
    return plotting.mode_outcomes_chart(
        data.zones,
        columns=MODE_OUTCOMES,
        scenarios=data.scenarios,
        labels=_titles(data, lang),
        lang=lang,
    )


def _titles(data: BriefData, lang: str) -> dict[str, str]:
    """The scenarios' display titles (:func:`scenario_title`), short: no values set."""
    return {s: scenario_title(data, s, lang, sets=False) for s in data.scenarios}


#: Classes of a level map: prefectures in quantile classes of about equal size.
LEVEL_CLASSES = 5


def prefecture_map(
    values: pd.Series,
    title: str,
    lang: str,
    note: str = "",
    *,
    colour_label: str = "",
    interval: pd.DataFrame | None = None,
) -> Figure:
    """A map of Shanxi's 11 prefectures, coloured by ``values`` (index: city), with a colour bar.

    Levels (``interval`` is ``None``) are shaded by quantile class (:data:`LEVEL_CLASSES`
    classes of about equal size), so the ten prefectures far smaller than Taiyuan are
    told apart; the colour bar gives the class limits. Effects
    (``interval``: columns ``ci_low, ci_high`` by city) are shaded on a diverging scale
    symmetric about zero, and a prefecture whose 95 % interval includes zero is hatched.

    The outline is Natural Earth's; each prefecture is drawn as the area of the outline
    nearest its seat (:func:`~sim.analysis.brief.geography.prefecture_cells`), not its
    administrative boundary, which ``note`` (written under the map) says. Each cell is a
    :class:`matplotlib.patches.PathPatch` whose ``gid`` is its city, so a test can count
    the prefectures drawn; a dot marks the seat, the label (name and value) sits at the
    cell's pole of inaccessibility, or above the dot where that is too close to it.
    """
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import BoundaryNorm, ListedColormap, Normalize
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath
    from shapely.ops import polylabel

    from sim.analysis.brief.geography import SEATS, X_SCALE, outline, prefecture_cells
    from sim.core.cities import city_label

    vals = values.reindex(list(SEATS)).astype(float)
    finite = vals.dropna()
    norm: Normalize
    if interval is not None:
        span = float(finite.abs().max()) if len(finite) and finite.abs().max() > 0 else 1.0
        norm = Normalize(-span, span)
        cmap = ListedColormap(colormaps["RdBu"](np.linspace(0.1, 0.9, 256)))
    else:
        cmap = ListedColormap(colormaps["Blues"](np.linspace(0.15, 0.9, 256)))
        breaks = np.unique(np.quantile(finite, np.linspace(0, 1, LEVEL_CLASSES + 1)))
        if len(breaks) > 2:
            norm = BoundaryNorm(breaks, cmap.N)
        else:
            norm = Normalize(*(breaks[[0, -1]] if len(breaks) else (0.0, 1.0)))
    with plotting.style(lang):
        fig = Figure(figsize=(4.6, 6.6), layout="constrained")
        ax = fig.subplots()
        for city, cell in prefecture_cells().items():
            v = vals.get(city)
            known = v is not None and v == v
            unsure = (
                interval is not None
                and city in interval.index
                and interval.at[city, "ci_low"] <= 0 <= interval.at[city, "ci_high"]
            )
            parts = getattr(cell, "geoms", [cell])
            path = MplPath.make_compound_path(
                *(MplPath(np.asarray(g.exterior.coords), closed=True) for g in parts)
            )
            ax.add_patch(
                PathPatch(path, facecolor=cmap(norm(v)) if known else "#eeeeee",
                          edgecolor="white", linewidth=1.2, gid=city)
            )  # fmt: skip
            if unsure:
                ax.add_patch(
                    PathPatch(path, facecolor="none", edgecolor="#777777", hatch="///",
                              linewidth=0)
                )  # fmt: skip
            ax.plot(*SEATS[city], marker="o", markersize=2.5, color="#222222")
            spot = polylabel(max(parts, key=lambda g: g.area), tolerance=0.01)
            x, y = spot.x, spot.y
            if abs(x - SEATS[city][0]) < 0.3 and abs(y - SEATS[city][1]) < 0.2:
                y = SEATS[city][1] + 0.25  # clear of the seat's dot
            label = city_label(city, lang)
            amount = "–" if not known else fmt_number(v)
            shade = float(norm(v)) / (cmap.N - 1 if isinstance(norm, BoundaryNorm) else 1)
            dark = known and abs(shade - (0.5 if interval is not None else 0)) > 0.35
            ink = "white" if dark and not unsure else "#222222"
            back = {"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 1}
            ax.text(x, y, f"{label}\n{amount}", ha="center", va="center",
                    fontsize=7.5, color=ink, bbox=back if unsure else None)  # fmt: skip
        rim = np.asarray(outline().exterior.coords)
        ax.plot(rim[:, 0], rim[:, 1], color="#555555", linewidth=0.8)
        ax.set_aspect(1 / X_SCALE)
        ax.axis("off")
        ax.set_title(title)
        bar = fig.colorbar(
            ScalarMappable(norm=norm, cmap=cmap), ax=ax, orientation="horizontal",
            shrink=0.8, aspect=30, pad=0.02,
        )  # fmt: skip
        if isinstance(norm, BoundaryNorm):  # the class limits
            limits = [float(v) for v in norm.boundaries]
            bar.set_ticks(limits, labels=[fmt_number(v) for v in limits])
        bar.set_label(colour_label, fontsize=7.5)
        bar.ax.tick_params(labelsize=7)
        if note:
            fig.supxlabel(note, fontsize=7, color="#555555")
        return plotting.finish(fig)
