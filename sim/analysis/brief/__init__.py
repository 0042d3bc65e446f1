"""Policy what-if briefs: a self-contained HTML page and a Markdown twin.

A brief reads one or more batch folders (:func:`sim.load_results`) and opens with
the key findings (the question, who beats whom in graded words from an exploration
of :mod:`sim.analysis.robustness`, or a statement that the findings are conditional
on the default assumptions, and the caveats), then a trade-off table, results by
prefecture with a map and a zone ranking; for every scenario other than
the baseline, the question the scenario asks, the headline effects against the
baseline with intervals, fan charts of the key metrics and the zones that lost
status; then a description of the management modes, "which mode, how sure", a
methods-and-assumptions box and a provenance footer taken from the manifests.

The package's modules are the brief's parts: :mod:`~sim.analysis.brief.data` (the
batches and the tables, every number from :mod:`sim.experiments.summary`),
:mod:`~sim.analysis.brief.text` (every string in English and Chinese, with a table per
section in :mod:`~sim.analysis.brief.text_whatif`, :mod:`~sim.analysis.brief.text_places`
and :mod:`~sim.analysis.brief.text_methods`),
:mod:`~sim.analysis.brief.formatting` (numbers), :mod:`~sim.analysis.brief.methods`
(calibration and sensitivity results, read through those analyses' own readers),
:mod:`~sim.analysis.brief.naming` (scenario titles and questions, values set),
:mod:`~sim.analysis.brief.overview` (key findings, caveats, trade-offs),
:mod:`~sim.analysis.brief.places` (prefectures, ranking),
:mod:`~sim.analysis.brief.figures`, :mod:`~sim.analysis.brief.sections` (one function
per section; a what-if's sections in :mod:`~sim.analysis.brief.whatif_sections`, the
methods in :mod:`~sim.analysis.brief.method_sections`),
:mod:`~sim.analysis.brief.pdf` (the PDF and screenshots, by headless Chromium),
:mod:`~sim.analysis.brief.build` (:func:`build_brief`) and
:mod:`~sim.analysis.brief.write` (:func:`write_brief`). The sections write into a
:class:`sim.analysis.document.Document` (HTML and Markdown side by side).

Effects are paired differences: replicate ``k`` of every scenario shares seed ``k``,
and its posterior draw where the batch used one. The brief is a pure function of the
batch folders: building it twice gives the same bytes.

The HTML needs no network to open: figures are embedded PNG images, the style
sheet is inline (with a print style sheet for A4), and there is no script. Text
comes in English (``"en"``) or Chinese (``"zh"``), figures' labels too: Chinese is set
in the font that ships with the package (:mod:`sim.analysis.cjkfont`), in the figures
and, embedded as a subset of the characters the page uses, in the HTML.
"""

from __future__ import annotations

from sim.analysis.brief.build import Brief, build_brief
from sim.analysis.brief.data import (
    HEADLINE_METRICS,
    HEADLINE_YEARS,
    MAX_LOST_ROWS,
    MODE_METRICS,
    MODE_OUTCOMES,
    SPREAD,
    BriefData,
    changed_parameters,
    headline_effects,
    headline_years,
    load_batches,
    lost_status,
    mode_counts,
    mode_outcomes,
)
from sim.analysis.brief.formatting import fmt_interval, fmt_number
from sim.analysis.brief.methods import (
    Calibration,
    Sensitivity,
    find_method_outputs,
    read_calibration,
    read_sensitivity,
)
from sim.analysis.brief.text import SECTIONS, TEXT, heading, text
from sim.analysis.brief.write import output_paths, write_brief

__all__ = [
    "HEADLINE_METRICS",
    "HEADLINE_YEARS",
    "MAX_LOST_ROWS",
    "MODE_METRICS",
    "MODE_OUTCOMES",
    "SECTIONS",
    "SPREAD",
    "TEXT",
    "Brief",
    "BriefData",
    "Calibration",
    "Sensitivity",
    "build_brief",
    "changed_parameters",
    "find_method_outputs",
    "fmt_interval",
    "fmt_number",
    "heading",
    "headline_effects",
    "headline_years",
    "load_batches",
    "lost_status",
    "mode_counts",
    "mode_outcomes",
    "output_paths",
    "read_calibration",
    "read_sensitivity",
    "text",
    "write_brief",
]
