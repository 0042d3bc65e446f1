"""The brief's sections: one function per section, each writing into the document.

Every function takes the :class:`Context` of the brief being built (the data, the
language, the headline table and the document) and appends its section; the order
of the calls in :func:`~sim.analysis.brief.build_brief` is the order of the brief.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis import plotting, safetext
from sim.analysis.brief.data import (
    MODE_METRICS,
    MODE_OUTCOMES,
    BriefData,
    mode_counts,
    mode_outcomes,
)
from sim.analysis.brief.figures import (
    mode_counts_figure,
    mode_outcomes_figure,
    prefecture_map,
)
from sim.analysis.brief.formatting import (
    fmt_effect,
    fmt_level,
    fmt_number,
    shown_path,
)
from sim.analysis.brief.methods import Calibration, Sensitivity
from sim.analysis.brief.naming import assumptions, overrides_note, scenario_title
from sim.analysis.brief.overview import (
    TRADEOFF_CRITERIA,
    caveats,
    default_findings,
    effect_cell,
    exploration_findings,
    exploration_intro,
    exploration_source,
    mode_verdict,
    tradeoffs,
    whatif_verdict,
)
from sim.analysis.brief.places import (
    prefecture_intervals,
    prefecture_table,
    ranking_rows,
    zone_ranking,
)
from sim.analysis.brief.text import heading, text, vocab
from sim.analysis.document import Document, separator
from sim.analysis.robustness.report import Exploration
from sim.analysis.robustness.words import scale_note
from sim.core.cities import city_label
from sim.core.outputs import better
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
    doc: Document
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
        spans = [f"{c.title(s)} {a}–{b}" for s, (a, b) in c.data.horizons.items()]
        items = separator("clause", c.lang).join(spans)
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

    The contents follow at the end of the section
    (:meth:`~sim.analysis.document.Document.toc_here`).
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
    explored = c.exploration.policies if c.exploration is not None else ()
    doc.items(default_findings(c.data, c.tradeoffs, c.lang, explored))
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
    metrics = [m for m in TRADEOFF_CRITERIA if m in set(table["metric"])]
    header = [t("scenario")] + [
        f"{plotting.metric_label(m, lang)} "
        + t("higher_better" if better(m) > 0 else "lower_better")
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
            t("map_title", label=t("zone_output"), year=c.last),
            c.lang,
            note=text("map_note", c.lang),
            colour_label=t("map_level_scale"),
        ),
        "prefectures-map.png",
        t("map_fig", year=c.last),
        t("map_fig", year=c.last),
    )
    shown = [s for s in table.columns[1:] if s in ci]
    if shown:  # the what-if that changes the most output, its uncertainty marked
        scen = max(shown, key=lambda s: float(table[s].abs().sum()))
        caption = t("map_effect_fig", scenario=c.title(scen), year=c.last)
        doc.figure(
            prefecture_map(
                table[scen],
                t("map_effect_title", scenario=c.title(scen), year=c.last),
                c.lang,
                note=text("map_note", c.lang),
                colour_label=t("map_effect_scale"),
                interval=ci[scen],
            ),
            f"{scen}-prefectures-map.png",
            caption,
            caption,
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


def robustness_section(c: Context, folder: str | Path | Exploration) -> None:
    """Which mode, how sure: the exploration's section (:mod:`sim.analysis.robustness`)."""
    from sim.analysis.robustness.section import write_section

    write_section(c.doc, folder, c.lang, title=c.title)


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
               t("mode_counts_alt", year=c.last), "")  # fmt: skip
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
               t("mode_outcomes_alt", year=c.last), "")  # fmt: skip


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
            [t("status"), vocab("statuses", str(m.get("status", t("unknown"))), c.lang)],
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
        sep = separator("list", lang)
        shown = sep.join(f"{k}{separator('label', lang)}{v}" for k, v in list(seeds.items())[:8])
        if len(seeds) > 8:
            shown += sep + "…"
        parts.append(text("replicate_seeds", lang, seeds=shown))
    elif seeds:
        parts.append(str(seeds))
    return separator("clause", lang).join(parts) or text("unknown", lang)
