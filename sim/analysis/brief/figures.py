"""The brief's figures, drawn by :mod:`sim.analysis.plotting` from the brief's tables.

Each function returns a :class:`matplotlib.figure.Figure` (no ``pyplot`` state); the
document embeds it as PNG.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from sim.analysis import plotting
from sim.analysis.brief.data import HEADLINE_METRICS, MODE_OUTCOMES, BriefData


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


def fans_figure(data: BriefData, scenario: str, lang: str) -> Figure:
    """Fan charts of the headline metrics, baseline against one what-if."""
    return plotting.fan_grid(
        data.annual,
        [m for m in HEADLINE_METRICS if m in data.annual.columns],
        scenarios=[data.baseline, scenario],
        labels={s: s for s in data.scenarios},
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
