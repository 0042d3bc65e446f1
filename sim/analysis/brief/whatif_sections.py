"""The brief's sections on one what-if.

Its question, its changes, its effects in a table and a figure, its fan charts and the
zones that lost status in it.

Each function takes the :class:`~sim.analysis.brief.sections.Context` of the brief
being built and appends its part, as the functions of
:mod:`~sim.analysis.brief.sections` do.
"""

from __future__ import annotations

import math

from sim.analysis import plotting
from sim.analysis.brief.data import (
    MAX_LOST_ROWS,
    changed_parameters,
    lost_status,
    zone_cell,
)
from sim.analysis.brief.figures import (
    effects_figure,
    fans_figure,
)
from sim.analysis.brief.formatting import (
    fmt_effect,
    fmt_effect_interval,
    fmt_level,
    fmt_param,
    fmt_share,
)
from sim.analysis.brief.naming import scenario_question
from sim.analysis.brief.overview import verdict
from sim.analysis.brief.sections import VERDICT_COLOURS, Context
from sim.analysis.brief.text import heading, param_basis, param_description, vocab
from sim.core.cities import city_label
from sim.core.outputs import better


def whatif_section(c: Context, scen: str) -> None:
    """One what-if: its question, changes, effects, fan charts and lost zones."""
    c.doc.heading(2, c.t("whatif", name=c.title(scen)), f"whatif-{scen}")
    question_section(c, scen)
    changes_section(c, scen)
    effects_section(c, scen)
    fans_section(c, scen)
    lost_section(c, scen)


def question_section(c: Context, scen: str) -> None:
    """The question the scenario asks (its description)."""
    c.doc.heading(3, heading("question", c.lang))
    c.doc.quote(scenario_question(c.data, scen, c.lang) or c.t("no_description"))


def changes_section(c: Context, scen: str) -> None:
    """The parameters the scenario changes against the baseline, with their basis."""
    t = c.t
    c.doc.heading(3, heading("changes", c.lang))
    changes = changed_parameters(c.data, scen)
    if changes is None:
        c.doc.para(t("changes_unknown"))
        return
    if not changes:
        c.doc.para(t("no_changes"))
        return
    rows = [
        [name, fmt_param(a, c.lang), fmt_param(b, c.lang), param_description(name, c.lang),
         param_basis(name, c.lang)]
        for name, a, b in changes
    ]  # fmt: skip
    c.doc.table(
        [t("param"), t("baseline_value"), t("scenario_value"), t("meaning"), t("basis")], rows
    )


def effects_section(c: Context, scen: str) -> None:
    """The headline effects table and the effects chart of the last year."""
    t, lang = c.t, c.lang
    c.doc.heading(3, heading("effects", lang))
    rows_h = c.head[c.head["scenario"] == scen]
    post = t("posterior_note") if scen in c.posterior_used else ""
    c.doc.table(
        [
            t("metric"),
            t("year"),
            t("baseline_value"),
            t("scenario_value"),
            t("effect"),
            t("ci"),
            t("spread"),
            t("pairs"),
        ],
        [
            [
                plotting.metric_label(r.metric, lang),
                str(r.year),
                fmt_level(r.baseline_mean, r.metric),
                fmt_level(r.scenario_mean, r.metric),
                fmt_effect(r.mean, r.ci_low, r.ci_high, lang, interval=False),
                fmt_effect_interval(r.ci_low, r.ci_high, lang, like=r.mean),
                fmt_effect_interval(r.low, r.high, lang, like=r.mean),
                str(r.n),
            ]
            for r in rows_h.itertuples()
        ],
        cls="headline",
        numeric=2,
    )
    c.doc.para(t("effects_note", posterior=post), cls="note")
    at_end = rows_h[rows_h["year"] == c.last].copy()
    if len(at_end):
        at_end["colour"] = [
            VERDICT_COLOURS[verdict(r.mean, r.ci_low, r.ci_high, better(r.metric))]
            if better(r.metric)
            else plotting.PALETTE[0]
            for r in at_end.itertuples()
        ]
        c.doc.figure(
            effects_figure(at_end, c.lang),
            f"{scen}-effects.png",
            t("effects_alt", scenario=c.title(scen), year=c.last),
            t("effects_fig", year=c.last),
        )


def fans_section(c: Context, scen: str) -> None:
    """Fan charts of the key metrics, baseline against the what-if."""
    c.doc.heading(3, heading("fans", c.lang))
    c.doc.figure(
        fans_figure(c.data, scen, c.lang),
        f"{scen}-fans.png",
        c.t("fans_alt", scenario=c.title(scen), start=c.first, end=c.last),
        c.t("fans_fig", start=c.first, end=c.last),
    )


def lost_section(c: Context, scen: str) -> None:
    """Zones that lost status, in the scenario and in the baseline."""
    t, lang = c.t, c.lang
    c.doc.heading(3, heading("lost", lang))
    if c.data.zones is None:
        c.doc.para(t("lost_no_zones"))
        return
    lost = lost_status(c.data, scen)
    if lost.empty:
        c.doc.para(t("lost_none", year=c.last))
        return
    shown = lost.head(MAX_LOST_ROWS)
    more = t("lost_more", n=len(lost) - len(shown)) if len(lost) > len(shown) else ""
    c.doc.table(
        [
            t("zone"),
            t("city"),
            t("level"),
            t("type"),
            t("share_base"),
            t("share_scen"),
            t("first_year"),
        ],
        [
            [
                zone_cell(r._asdict(), lang),
                city_label(r.city, lang),
                vocab("levels", r.level, lang),
                vocab("types", r.type, lang),
                fmt_share(r.share_baseline),
                fmt_share(r.share_scenario),
                "–" if math.isnan(r.first_year) else str(round(r.first_year)),
            ]
            for r in shown.itertuples()
        ],
        numeric=4,
    )
    c.doc.para(t("lost_note", year=c.last, more=more, generated=t("generated_zones")), cls="note")


#: Anchor of the "which mode, how sure" section (set by :mod:`sim.analysis.robustness.section`).
