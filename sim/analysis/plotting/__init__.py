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

The modules: :mod:`.labels` (display names from the model's registries),
:mod:`.theme` (fonts, colours, ticks and the figures' own words), :mod:`.charts` (the
charts) and :mod:`.render` (PNG and SVG).
"""

from __future__ import annotations

from sim.analysis.plotting.charts import (
    effects_chart,
    fan_chart,
    fan_grid,
    mode_counts_chart,
    mode_outcomes_chart,
    quantile_bands,
)
from sim.analysis.plotting.labels import (
    KEY_METRICS,
    METRIC_LABELS,
    MODE_COLOURS,
    MODE_LABELS,
    MODES,
    ZONE_LABELS,
    Lang,
    metric_label,
    mode_label,
    zone_label,
)
from sim.analysis.plotting.render import to_png, to_png_base64, to_svg
from sim.analysis.plotting.theme import PALETTE, cjk_font, finish, style

__all__ = [
    "KEY_METRICS",
    "METRIC_LABELS",
    "MODES",
    "MODE_COLOURS",
    "MODE_LABELS",
    "PALETTE",
    "ZONE_LABELS",
    "Lang",
    "cjk_font",
    "effects_chart",
    "fan_chart",
    "fan_grid",
    "finish",
    "metric_label",
    "mode_counts_chart",
    "mode_label",
    "mode_outcomes_chart",
    "quantile_bands",
    "style",
    "to_png",
    "to_png_base64",
    "to_svg",
    "zone_label",
]
