"""The brief's sections: one function per section, each writing into the document.

Every function takes the :class:`Context` of the brief being built (the data, the
language, the headline table and the document) and appends its section; the order
of the calls in :func:`~sim.analysis.brief.build_brief` is the order of the brief.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis import plotting, safetext
from sim.analysis.brief.data import (
    MAX_LOST_ROWS,
    MODE_METRICS,
    MODE_OUTCOMES,
    BriefData,
    changed_parameters,
    lost_status,
    mode_counts,
    mode_outcomes,
    zone_cell,
)
from sim.analysis.brief.document import _Doc
from sim.analysis.brief.figures import (
    effects_figure,
    fans_figure,
    mode_counts_figure,
    mode_outcomes_figure,
    prefecture_map,
)
from sim.analysis.brief.formatting import (
    fmt_effect,
    fmt_effect_interval,
    fmt_level,
    fmt_number,
    fmt_param,
    fmt_share,
    shown_path,
    truthy,
)
from sim.analysis.brief.methods import Calibration, Sensitivity
from sim.analysis.brief.overview import (
    TRADEOFF_CRITERIA,
    assumptions,
    caveats,
    default_findings,
    effect_cell,
    exploration_findings,
    exploration_intro,
    exploration_source,
    mode_verdict,
    overrides_note,
    prefecture_intervals,
    prefecture_table,
    ranking_rows,
    scenario_question,
    scenario_title,
    tradeoffs,
    verdict,
    whatif_verdict,
    zone_ranking,
)
from sim.analysis.brief.text import heading, text, unit_label, vocab
from sim.analysis.robustness.report import Exploration
from sim.analysis.robustness.words import scale_note
from sim.core.cities import city_label
from sim.core.outputs import better
from sim.core.params import MODE_ASSIGNMENTS, REGISTRY
from sim.experiments.store import Results


@dataclass
class Context:
    """What every section needs.

    Attributes:
        data: The combined batches.
        lang: Text language (``"en"`` or ``"zh"``).
        head: The headline table (:func:`~sim.analysis.brief.headline_effects`).
        doc: The document being written.
        calibration: Calibration fit to report, if any.
        sensitivity: Sensitivity analyses to report.
        exploration: The exploration behind the key findings, if any.
    """

    data: BriefData
    lang: str
    head: pd.DataFrame
    doc: _Doc
    calibration: Calibration | None = None
    sensitivity: list[Sensitivity] = field(default_factory=list)
    exploration: Exploration | None = None

    @cached_property
    def tradeoffs(self) -> pd.DataFrame:
        """The trade-off table (:func:`~sim.analysis.brief.overview.tradeoffs`)."""
        return tradeoffs(self.data)

    def title(self, scenario: str) -> str:
        """A scenario's display title in the brief's language."""
        return scenario_title(self.data, scenario, self.lang)

    def t(self, key: str, **fmt: Any) -> str:
        """The text ``key`` in the brief's language (see :func:`text`)."""
        return text(key, self.lang, **fmt)

    @property
    def first(self) -> int:
        """First year of the batches."""
        return self.data.years[0]

    @property
    def last(self) -> int:
        """Last year of the batches."""
        return self.data.years[1]

    @property
    def posterior_used(self) -> list[str]:
        """Scenarios whose replicates carry posterior draws."""
        return [s for s in self.data.scenarios if self.data.uses_posterior(s)]

    @property
    def replicates(self) -> str:
        """Replicate counts of the scenarios, e.g. ``"10"`` or ``"5/10"``."""
        reps = sorted({self.data.replicates(s) for s in self.data.scenarios})
        return "/".join(str(r) for r in reps)


def title_section(c: Context) -> None:
    """Title, subtitle, and warnings: mixed horizons, every batch with unfinished runs."""
    c.doc.heading(1, c.t("title"))
    c.doc.para(c.t("subtitle", start=c.first, end=c.last), cls="subtitle")
    note = overrides_note(c.data, c.lang)
    if note:
        c.doc.para(note, cls="warning")
    if c.data.horizons:
        sep = "；" if c.lang == "zh" else "; "
        items = sep.join(f"{c.title(s)} {a}–{b}" for s, (a, b) in c.data.horizons.items())
        c.doc.para(c.t("horizons_note", items=items, start=c.first, end=c.last), cls="warning")
    for i, res in enumerate(c.data.results):
        for table in _tables(res):
            gone = len(res.missing_from(table))
            if gone:
                c.doc.para(
                    c.t(f"missing_{table}", n=gone, found=len(res.runs) - gone, total=len(res.runs))
                    + f" ({shown_path(c.data.paths[i])})",
                    cls="warning",
                )


def _tables(res: Results) -> tuple[str, ...]:
    """The tables a batch keeps (annual, and zone tables unless run without them)."""
    return ("annual", "zones") if res.keeps_zones else ("annual",)


def run_counts(res: Results, lang: str) -> str:
    """Runs found in each table of a batch against the runs of its index."""
    total = len(res.runs)
    return "; ".join(
        text(f"runs_in_{table}", lang, found=total - len(res.missing_from(table)), total=total)
        for table in _tables(res)
    )


#: Colours of effects that are better, worse or unclear (the 95 % interval holds zero).
VERDICT_COLOURS = {"better": "#1a9850", "worse": "#d73027", "unclear": "#8c8c8c"}


def findings_section(c: Context) -> None:
    """The first section: the question, one verdict per question, the detail, caveats.

    The contents follow at the end of the section (:meth:`_Doc.toc_here`).
    """
    t, doc = c.t, c.doc
    doc.open("section", "findings")
    doc.heading(2, heading("findings", c.lang), "key-findings")
    doc.para(t("question_main"), cls="lead")
    whatifs = whatif_verdict(c.data, c.tradeoffs, c.lang)
    verdicts = []
    if c.exploration is not None:
        verdicts.append(f"**{t('verdict_mode_q')}** " + mode_verdict(c.exploration, c.data, c.lang))
    if whatifs:
        verdicts.append(f"**{t('verdict_whatif_q')}** " + whatifs)
    for v in verdicts:
        doc.para(v, cls="verdict")
    if c.exploration is not None:
        doc.para(exploration_source(c.exploration, c.lang), cls="note")  # beside the headline
        doc.heading(3, t("findings_mode_head"))
        doc.para(exploration_intro(c.exploration, c.lang))
        doc.items(exploration_findings(c.exploration, c.data, c.lang))
        doc.para(scale_note(c.lang), cls="note")
    else:
        doc.para(t("findings_no_robust", assumptions=assumptions(c.data, c.lang)), cls="warning")
    doc.heading(3, t("findings_whatif_head"))
    doc.para(t("findings_default_head", year=c.last, assumptions=assumptions(c.data, c.lang)))
    doc.items(default_findings(c.data, c.tradeoffs, c.lang))
    doc.heading(3, t("caveats_head"))
    doc.items(caveats(c.calibration, c.lang))
    doc.toc_here(t("toc"))
    doc.close("section")


def tradeoff_section(c: Context) -> None:
    """Scenarios x criteria: signed effects in the last year, better direction marked."""
    t, lang, doc = c.t, c.lang, c.doc
    doc.heading(2, heading("tradeoffs", lang), "tradeoffs")
    table = c.tradeoffs
    doc.para(t("tradeoff_intro", year=c.last))
    metrics = [m for m, _ in TRADEOFF_CRITERIA if m in set(table["metric"])]
    header = [t("scenario")] + [
        f"{plotting.metric_label(m, lang)} "
        + t("higher_better" if dict(TRADEOFF_CRITERIA)[m] > 0 else "lower_better")
        for m in metrics
    ]
    rows, classes = [], []
    for scen in c.data.whatifs:
        sub = table[table["scenario"] == scen].set_index("metric")
        row, cls = [c.title(scen)], [""]
        for m in metrics:
            if m in sub.index:
                r = sub.loc[m]
                row.append(effect_cell(r["mean"], r["ci_low"], r["ci_high"], r["verdict"], lang))
                cls.append(str(r["verdict"]))
            else:
                row.append("–")
                cls.append("")
        rows.append(row)
        classes.append(cls)
    doc.table(header, rows, cls="tradeoffs", numeric=1, cell_classes=classes)
    if "staff" in metrics:
        doc.para(t("tradeoff_staff"), cls="note")


def prefectures_section(c: Context) -> None:
    """Zone output by prefecture with a map, and the zones ranked."""
    t, lang, doc = c.t, c.lang, c.doc
    doc.heading(2, heading("prefectures", lang), "prefectures")
    if c.data.zones is None:
        doc.para(t("lost_no_zones"))
        return
    table = prefecture_table(c.data)
    ci = prefecture_intervals(c.data)
    doc.para(t("prefectures_intro", year=c.last))
    doc.table(
        [t("city"), t("zone_output"), *(c.title(s) for s in table.columns[1:])],
        [
            [city_label(city, lang), fmt_number(r["baseline"]),
             *(fmt_effect(r[s], ci[s].at[city, "ci_low"], ci[s].at[city, "ci_high"], lang)
               for s in table.columns[1:])]
            for city, r in table.iterrows()
        ],
        numeric=1,
    )  # fmt: skip
    doc.figure(
        prefecture_map(
            table["baseline"],
            text("zone_output", c.lang) + f", {c.last}",
            c.lang,
            note=text("map_note", c.lang),
        ),
        "prefectures-map.png",
        t("map_fig", year=c.last),
        t("map_fig", year=c.last),
    )
    doc.heading(3, heading("ranking", lang), "ranking")
    ranking = zone_ranking(c.data)
    doc.para(t("ranking_intro", n=len(ranking), year=c.last, generated=t("generated_zones")))
    doc.table(
        [t("rank"), t("zone"), t("city"), t("level"), t("mode"), t("synthetic"),
         t("zone_output"), t("firms_col")],
        ranking_rows(ranking, lang),
        numeric=6,
    )  # fmt: skip


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


def _param_desc(name: str, lang: str) -> str:
    if name == MODE_ASSIGNMENTS:
        return text("mode_assignments", lang)
    p = REGISTRY.get(name)
    if p is None:
        return ""
    return p.description_zh if lang == "zh" else p.description


def _basis(name: str, lang: str) -> str:
    p = REGISTRY.get(name)
    if p is None:
        return text("lever", lang) if name == MODE_ASSIGNMENTS else ""
    if p.is_assumption:
        return text("assumed", lang)
    return text("measured_source", lang, source=p.source_zh if lang == "zh" else p.source)


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
        [name, fmt_param(a, c.lang), fmt_param(b, c.lang), _param_desc(name, c.lang),
         _basis(name, c.lang)]
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
            f"{scen}: effects {c.last}",
            t("effects_fig", year=c.last),
        )


def fans_section(c: Context, scen: str) -> None:
    """Fan charts of the key metrics, baseline against the what-if."""
    c.doc.heading(3, heading("fans", c.lang))
    c.doc.figure(
        fans_figure(c.data, scen, c.lang),
        f"{scen}-fans.png",
        f"{scen}: key metrics {c.first}-{c.last}",
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
ROBUSTNESS_ANCHOR = "robustness"


def _section_title(lang: str) -> str:
    from sim.analysis.robustness.section import _t as robustness_text

    return robustness_text("title", lang)


def robustness_section(c: Context, folder: str | Path | Exploration) -> None:
    """Which mode, how sure: the exploration's section (:mod:`sim.analysis.robustness`)."""
    from sim.analysis.robustness.section import robustness_section as build

    part = build(folder, c.lang, title=c.title)
    c.doc.contents(ROBUSTNESS_ANCHOR, _section_title(c.lang))
    c.doc.html.append(part.html)
    c.doc.md.append(part.markdown)


def modes_section(c: Context) -> None:
    """Zones by management mode and outcomes per zone by mode, for every scenario."""
    t, lang, data, doc = c.t, c.lang, c.data, c.doc
    doc.heading(2, heading("modes", lang), "modes")
    doc.para(t("modes_descriptive"), cls="warning")
    doc.para(t("modes_intro", year=c.last))
    counts = mode_counts(data)
    doc.table(
        [t("scenario"), *(plotting.mode_label(m, lang) for m in plotting.MODES)],
        [
            [c.title(s), *(fmt_level(counts.loc[s, col], col) for col in MODE_METRICS)]
            for s in counts.index
        ],
        numeric=1,
    )
    doc.figure(mode_counts_figure(data, c.lang), "modes-counts.png",
               f"zones by mode {c.last}", "")  # fmt: skip
    if data.zones is None:
        return
    outcomes = mode_outcomes(data)
    doc.table(
        [t("scenario"), t("mode"), *(plotting.zone_label(col, lang) for col in MODE_OUTCOMES)],
        [
            [
                c.title(s),
                plotting.mode_label(m, lang),
                *(fmt_level(v, col) for v, col in zip(row, MODE_OUTCOMES, strict=True)),
            ]
            for (s, m), row in zip(outcomes.index, outcomes.to_numpy(), strict=True)
        ],
        numeric=2,
    )
    doc.para(t("modes_outcomes_note", year=c.last), cls="note")
    doc.figure(mode_outcomes_figure(data, c.lang), "modes-outcomes.png",
               f"zone outcomes by mode {c.last}", "")  # fmt: skip


def methods_section(c: Context) -> None:
    """The methods box: design, calibration fit, sensitivities and assumptions."""
    c.doc.open("section", "methods")
    c.doc.heading(2, heading("methods", c.lang), "methods")
    design = [c.t("batch_design", reps=c.replicates, start=c.first, end=c.last)]
    if c.posterior_used:
        design.append(c.t("posterior_used", names=", ".join(c.posterior_used)))
    else:
        design.append(c.t("posterior_absent"))
    c.doc.items(design)
    calibration_section(c)
    sensitivity_section(c)
    assumptions_section(c)
    c.doc.close("section")


#: Signs of one-sided calibration targets before their value.
BOUND_SIGNS = {"at_least": "≥ ", "at_most": "≤ "}


def calibration_section(c: Context) -> None:
    """The calibration fit: each target's kind, value, source and simulated value."""
    t, doc, cal = c.t, c.doc, c.calibration
    doc.heading(3, t("calibration_head"))
    if cal is None:
        doc.para(t("calibration_none"))
        return
    doc.para(t("calibration_from", path=shown_path(cal.path)))
    table = cal.table
    counts = cal.counts()
    doc.para(
        t(
            "calibration_roles",
            fitted=counts.get("fitted", 0),
            checked=counts.get("checked", 0),
            structural=counts.get("structural", 0),
        )
    )
    extra = [col for col in ("tolerance", "within") if col in table.columns]
    doc.table(
        [t("target"), t("role"), t("kind"), t("source"), t("target_value"), t("simulated"),
         *(t(col) for col in extra)],
        [
            [
                str(r["target"]),
                t("unknown") if cal.role(r) == "unknown" else t(f"role_{cal.role(r)}"),
                t(f"kind_{r['bound']}"),
                str(r["source"]).removeprefix("facts: ") or "–",
                BOUND_SIGNS.get(r["bound"], "") + fmt_number(r["value"]),
                fmt_number(r["simulated"]),
                *(
                    (t("yes") if truthy(r[col]) else t("no"))
                    if col == "within"
                    else fmt_number(r[col])
                    for col in extra
                ),
            ]
            for _, r in table.iterrows()
        ],
        numeric=4,
    )  # fmt: skip
    verdicts = cal.verdicts()
    if verdicts:
        doc.para(
            t(
                "caveat_ident",
                n=sum(len(v) for v in verdicts.values()),
                identified=len(verdicts.get("identified", [])),
                weak=len(verdicts.get("weakly identified", [])),
                none=len(verdicts.get("not identified", [])),
            )
        )
    if cal.distance is not None:
        doc.para(t("calibration_distance", distance=fmt_number(cal.distance)), cls="note")


def sensitivity_section(c: Context) -> None:
    """The most influential parameters of every sensitivity analysis found."""
    t, doc = c.t, c.doc
    doc.heading(3, t("sensitivity_head"))
    if not c.sensitivity:
        doc.para(t("sensitivity_none"))
    for sens in c.sensitivity:
        doc.para(t("sensitivity_from", method=sens.method, path=shown_path(sens.path)))
        doc.table(
            [t("output"), t("top_params")],
            [
                [out, ", ".join(f"{p} ({v:.2g})" for p, v in items)]
                for out, items in sens.top.items()
            ],
        )


def assumptions_section(c: Context) -> None:
    """The assumed parameters: the mode effects in full, the others by name."""
    t, doc, data = c.t, c.doc, c.data
    doc.heading(3, t("assumed_head"))
    assumed = [p for p in REGISTRY.values() if p.is_assumption]
    doc.para(t("assumed_intro", n=len(assumed), total=len(REGISTRY)))
    doc.table(
        [t("param"), t("value"), t("range"), t("meaning")],
        [
            [
                p.name,
                f"{p.default:g}",
                f"{p.lower:g}–{p.upper:g} {unit_label(p.unit, c.lang)}".rstrip(),
                _param_desc(p.name, c.lang),
            ]
            for p in assumed
            if p.group == "modes"
        ],
    )
    others = [p.name for p in assumed if p.group != "modes"]
    if others:
        doc.para(f"{t('other_assumptions')}: " + ", ".join(f"`{n}`" for n in others) + ".")
    touched = sorted(
        {
            name
            for scen in data.whatifs
            for name, _, _ in (changed_parameters(data, scen) or [])
            if name in REGISTRY and REGISTRY[name].is_assumption
        }
    )
    if touched:
        doc.para(t("whatif_assumptions", items=", ".join(f"`{n}`" for n in touched)))


def provenance_section(c: Context) -> None:
    """Per batch: command, model version, commit, run times, status, seeds, versions."""
    t, doc, data = c.t, c.doc, c.data
    doc.open("footer", "provenance")
    doc.heading(2, heading("provenance", c.lang), "provenance")
    for i, res in enumerate(data.results):
        m = res.manifest
        git = m.get("git") or {}
        commit = git.get("commit") or t("unknown")
        if git.get("dirty"):
            commit += t("dirty")
        scen_here = [s for s in data.scenarios if data.batch_of[s] == i]
        packages = m.get("packages") or {}
        versions = ", ".join(f"{k} {v}" for k, v in packages.items() if v)
        rows = [
            [t("batch"), f"{shown_path(data.paths[i])} ({', '.join(scen_here)})"],
            [t("command"), safetext.display_command(str(m.get("command", t("unknown"))))],
            [t("model_version"), model_version_text(m, c.lang)],
            [t("commit"), commit],
            [t("run_time"), f"{m.get('started', '?')} – {m.get('finished', '?')}"],
            [t("status"), str(m.get("status", t("unknown")))],
            [t("runs_done"), run_counts(res, c.lang)],
            [t("seeds"), _seed_text(m, scen_here, c.lang)],
            [t("versions"), versions or t("unknown")],
        ]
        code = {t("batch"), t("command"), t("commit"), t("model_version")}
        doc.table(
            [t("item"), t("value")],
            rows,
            cls="provenance-table",
            cell_classes=[["", "code" if r[0] in code else ""] for r in rows],
        )
    doc.para(t("generated"), cls="note")
    doc.close("footer")


def model_version_text(manifest: Mapping[str, Any], lang: str) -> str:
    """The batch's model version as a reader reads it: number, date, code hash."""
    full = str(manifest.get("model_version") or text("unknown", lang))
    number, _, code = full.partition("+")
    date = manifest.get("model_date")
    if not code or not date:
        return full
    return text("model_version_value", lang, number=number, date=date, code=code)


def _seed_text(manifest: Mapping[str, Any], scenarios: Sequence[str], lang: str) -> str:
    parts = []
    masters = [inv.get("master_seed") for inv in manifest.get("invocations") or []]
    masters = list(
        dict.fromkeys(m for m in [*masters, manifest.get("master_seed")] if m is not None)
    )
    if masters:
        parts.append(text("master_seed", lang, seed=", ".join(map(str, masters))))
    entries = manifest.get("scenarios") or {}
    seeds = None
    for s in scenarios:
        seeds = (entries.get(s) or {}).get("seeds")
        if seeds:
            break
    if isinstance(seeds, Mapping):
        shown = ", ".join(f"{k}: {v}" for k, v in list(seeds.items())[:8])
        if len(seeds) > 8:
            shown += ", …"
        parts.append(text("replicate_seeds", lang, seeds=shown))
    elif seeds:
        parts.append(str(seeds))
    return "; ".join(parts) or text("unknown", lang)
