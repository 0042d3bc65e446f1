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


def effects_figure(at_end: pd.DataFrame, lang: str) -> Figure:
    """Effects of one what-if in the last year: mean and 5-95 % of paired runs.

    Args:
        at_end: Rows of the headline table (:func:`~sim.analysis.brief.headline_effects`)
            for one scenario and year.
        lang: Figure language (:func:`sim.analysis.plotting.figure_language`).
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
        labels={s: s for s in data.scenarios},
        colours=scenario_colours(data),
        lang=lang,
    )


def mode_counts_figure(data: BriefData, lang: str) -> Figure:
    """Zones with status in each management mode, by scenario."""
    return plotting.mode_counts_chart(data.annual, scenarios=data.scenarios, lang=lang)


def mode_outcomes_figure(data: BriefData, lang: str) -> Figure:
    """Outcomes per zone by management mode and scenario (zone tables required)."""
    return plotting.mode_outcomes_chart(
        data.zones, columns=MODE_OUTCOMES, scenarios=data.scenarios, lang=lang
    )


#: Tile positions (column, row from the top) of Shanxi's 11 prefectures: a schematic in
#: their approximate relative positions, north at the top, not their boundaries.
PREFECTURE_TILES: dict[str, tuple[float, float]] = {
    "Shuozhou": (0.5, 0),
    "Datong": (1.5, 0),
    "Xinzhou": (1, 1),
    "Lvliang": (0, 2),
    "Taiyuan": (1, 2),
    "Yangquan": (2, 2),
    "Linfen": (0, 3),
    "Jinzhong": (1, 3),
    "Changzhi": (2, 3),
    "Yuncheng": (0, 4),
    "Jincheng": (2, 4),
}


def prefecture_map(values: pd.Series, title: str, lang: str, note: str = "") -> Figure:
    """A schematic tile map of the 11 prefectures, coloured by ``values`` (index: city).

    ``note`` is written under the tiles (the brief says there that it is a schematic).

    Each tile is a :class:`matplotlib.patches.Rectangle` whose ``gid`` is its city, so
    a test can count the prefectures drawn.
    """
    from matplotlib import colormaps
    from matplotlib.colors import Normalize
    from matplotlib.patches import Rectangle

    from sim.core.cities import city_label

    vals = values.reindex(list(PREFECTURE_TILES)).astype(float)
    finite = vals.dropna()
    norm = Normalize(float(finite.min()) if len(finite) else 0.0,
                     float(finite.max()) if len(finite) else 1.0)  # fmt: skip
    cmap = colormaps["Blues"]
    with plotting.style(lang) as lang:
        fig = Figure(figsize=(4.6, 5.0), layout="constrained")
        ax = fig.subplots()
        for city, (col, row) in PREFECTURE_TILES.items():
            v = vals.get(city)
            shade = cmap(0.15 + 0.75 * norm(v)) if v is not None and v == v else "#eeeeee"
            ax.add_patch(
                Rectangle((col, -row), 0.94, 0.94, facecolor=shade, edgecolor="white", gid=city)
            )
            dark = v is not None and v == v and norm(v) > 0.55
            label = plotting.safe_text(city_label(city, lang), lang)
            amount = "–" if v is None or v != v else fmt_number(v)
            ax.text(col + 0.47, -row + 0.47, f"{label}\n{amount}", ha="center", va="center",
                    fontsize=8, color="white" if dark else "#222222")  # fmt: skip
        ax.set_xlim(-0.1, 3.05)
        ax.set_ylim(-4.1, 1.05)
        ax.set_aspect("equal")
        ax.axis("off")
        ax.set_title(plotting.safe_text(title, lang))
        if note:
            ax.text(1.5, -4.08, plotting.safe_text(note, lang), ha="center", va="top",
                    fontsize=7, color="#555555")  # fmt: skip
        return plotting.finish(fig)
