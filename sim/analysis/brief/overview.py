"""The brief's first screen: key findings, their caveats, and the trade-offs.

The key findings open with one verdict sentence per question (which management mode;
what the what-ifs change), then the detail. The mode verdict and its detail come from
an exploration (:mod:`sim.analysis.robustness`) where one is given: for each outcome,
each pair of modes with the one that wins more often first and ties shown, graded in
words only where the whole interval lies in one band, and, where the model cannot
tell, the assumption whose value would settle it (its value of information and
break-even value). Without an exploration the findings say that they are conditional
on the default assumptions and point to ``zonesim explore``, because intervals over
seeds alone cannot say which management mode is better.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from sim.analysis import plotting, safetext
from sim.analysis.brief.data import BriefData, headline_effects, registry_note
from sim.analysis.brief.formatting import fmt_effect, shown_path
from sim.analysis.brief.methods import Calibration
from sim.analysis.brief.naming import assumptions, scenario_title
from sim.analysis.brief.text import text
from sim.analysis.document import bracket, separator
from sim.analysis.robustness.report import Exploration, read_exploration, seeds_text
from sim.analysis.robustness.sentences import (
    comparisons,
    decision_voi,
    outcome_title,
    pair_sentence,
    seed_noise_text,
    shown_outcomes,
    voi_sentence,
    width_sentence,
)
from sim.analysis.robustness.words import param_phrase
from sim.analysis.territory import relabelling
from sim.core.outputs import ANNUAL_NAMES, FIXED_TERRITORY, better

#: Criteria of the trade-off table; their better direction is the output registry's
#: (``Output.better``, read with :func:`sim.core.outputs.better`).
TRADEOFF_CRITERIA: tuple[str, ...] = (
    "stat_zone_gdp", "firms", "growth_gap_pp", "zones_delisted", "approval_days", "staff",
)  # fmt: skip

#: The as-reported outcome whose like-for-like split leads each what-if's finding.
LIKE_FOR_LIKE = "stat_zone_gdp"


def verdict(effect: float, low: float, high: float, better: int) -> str:
    """``"better"``, ``"worse"`` or ``"unclear"`` (the 95 % interval contains zero)."""
    if math.isnan(low) or math.isnan(high) or low <= 0 <= high:
        return "unclear"
    return "better" if effect * better > 0 else "worse"


def tradeoffs(data: BriefData) -> pd.DataFrame:
    """The trade-off table: one row per what-if and criterion in the last year.

    Returns:
        The rows of :func:`~sim.analysis.brief.headline_effects` for the criteria of
        :data:`TRADEOFF_CRITERIA` and the last year, with a ``better`` column (+1 or -1)
        and a ``verdict`` column (:func:`verdict`).
    """
    last = data.years[1]
    metrics = [m for m in TRADEOFF_CRITERIA if m in data.annual.columns]
    head = headline_effects(data, years=[last], metrics=metrics)
    if head.empty:
        return head.assign(better=[], verdict=[])
    head["better"] = [better(m) for m in head["metric"]]
    head["verdict"] = [verdict(r.mean, r.ci_low, r.ci_high, r.better) for r in head.itertuples()]
    return head


#: Grades that make a mode "reliably" better than another.
RELIABLE = ("likely", "very_likely")


def best_mode(exp: Exploration, label: str) -> str | None:
    """The policy that reliably beats every other on ``label`` (graded likely or more)."""
    cmps = comparisons(exp, label)
    for p in exp.policies:
        mine = [c for c in cmps if p in (c.first, c.second)]
        if mine and all(c.first == p and c.grade in RELIABLE and not c.tied for c in mine):
            return p
    return None


def settling_parameters(exp: Exploration, labels: list[str]) -> tuple[list[str], bool]:
    """The parameters whose value would change the choice on ``labels`` most, in order.

    For each outcome, the parameter with the largest value of information for the
    choice among all policies (where knowing it would change the choice at all); each
    named once.

    Returns:
        The parameters, and whether every one of them stands out from chance (its EVPPI
        is above the noise floor).
    """
    out: list[str] = []
    clear = True
    for label in labels:
        rows = decision_voi(exp, label)
        if rows.empty or int(rows.iloc[0]["switches"]) == 0:
            continue
        top = rows.iloc[0]
        clear = clear and bool(top["above_floor"])
        if top["parameter"] not in out:
            out.append(str(top["parameter"]))
    return out, clear


def mode_verdict(exp: Exploration, data: BriefData, lang: str) -> str:
    """One sentence: which mode, how sure, and what the answer depends on."""
    labels = shown_outcomes(exp)
    best = {label: best_mode(exp, label) for label in labels}
    decided = [p for p in dict.fromkeys(best.values()) if p is not None]
    listed = ("；" if lang == "zh" else "; ").join(
        text(
            "verdict_item",
            lang,
            p=f"**{scenario_title(data, p, lang)}**",
            outcomes=_outcomes(best, p, lang),
        )
        for p in decided
    )
    open_ = [label for label, p in best.items() if p is None]
    if not open_:
        if len(decided) == 1:
            return text("verdict_all", lang, p=f"**{scenario_title(data, decided[0], lang)}**")
        return text("verdict_split", lang, items=listed)
    params, clear = settling_parameters(exp, open_)
    named = text("and", lang).join(param_phrase(p, lang) for p in params[:2])
    if not params:
        depends = text("depends_none", lang)
    elif clear:
        depends = text("depends", lang, params=named)
    else:
        depends = text("depends_weak", lang, params=named)
    if not decided:
        k = len(labels)
        scope = text("scope_one", lang) if k == 1 else text("scope_all", lang, k=k)
        return text("verdict_none", lang, scope=scope, depends=depends)
    return text("verdict_some", lang, items=listed, k=len(open_), n=len(labels), depends=depends)


def _outcomes(best: dict[str, str | None], policy: str, lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    return sep.join(outcome_title(label, lang) for label, p in best.items() if p == policy)


def exploration_findings(
    exp: Exploration, data: BriefData, lang: str
) -> list[tuple[str, list[str]]]:
    """One item per outcome: each pair, the more frequent winner first, in graded words.

    Where a comparison of the outcome cannot be told at this budget, the item ends with
    what would settle it (the parameter with the largest value of information).

    Returns:
        ``(outcome title, sentences)`` per outcome.
    """
    name = lambda p: f"**{scenario_title(data, p, lang)}**"  # noqa: E731
    out = []
    for label in shown_outcomes(exp):
        cmps = comparisons(exp, label)
        if not cmps:
            continue
        parts = [pair_sentence(c, lang, name) for c in cmps]
        if any(c.grade is None for c in cmps):
            voi = voi_sentence(exp, label, lang, name)
            parts += [voi] if voi else []
        noise = seed_noise_text(exp, label, lang)
        out.append((outcome_title(label, lang) + (bracket(noise, lang) if noise else ""), parts))
    return out


def exploration_intro(exp: Exploration, lang: str) -> str:
    """What the mode findings rest on: states, seeds, the widest interval, seed noise."""
    s = exp.settings
    labels = shown_outcomes(exp)
    k = int(s.get("seeds_per_state") or 1)
    has_noise = any(seed_noise_text(exp, label, lang) for label in labels)
    parts = [
        text("findings_robust_intro", lang, n=s["states"], seeds=seeds_text(s), k=k),
        width_sentence(exp, labels, lang),
        text("seed_noise_note", lang) if has_noise else "",
    ]
    return ("" if lang == "zh" else " ").join(p for p in parts if p)


def exploration_source(exp: Exploration, lang: str) -> str:
    """The exploration behind the headline: its folder, states, seeds, master seed, command."""
    s = exp.settings
    command = s.get("command")
    return text(
        "exploration_source",
        lang,
        path=shown_path(exp.path) if exp.path is not None else text("unknown", lang),
        states=s["states"],
        seeds=int(s.get("seeds_per_state") or 1),
        seed=s.get("seed", text("unknown", lang)),
        command=safetext.display_command(str(command)) if command else text("unknown", lang),
    )


def effect_cell(mean: float, low: float, high: float, verdict_: str, lang: str) -> str:
    """An effect with its interval and verdict: ``+80 (+70 to +90; worse)``."""
    body = fmt_effect(mean, low, high, lang)
    word = text(verdict_, lang)
    if lang == "zh":
        return body.replace(" (", "（").removesuffix(")") + f"；{word}）"
    return body.removesuffix(")") + f"; {word})"


def _percent(log_points: float) -> float:
    """A change of ``log_points`` (100 x log ratio) as a percentage change."""
    return 100 * math.expm1(log_points / 100)


def like_for_like(data: BriefData, scenario: str, year: int, lang: str) -> str | None:
    """A what-if's effect on zone output, real change first, then as reported.

    The statistics' zones change with integration, delisting and new zones, so a
    what-if that changes which zones are counted changes the as-reported output
    (:data:`LIKE_FOR_LIKE`) by relabelling alone. The clause leads with the effect on
    the fixed territory (:data:`sim.core.outputs.FIXED_TERRITORY`), with its 95 %
    interval over the paired runs, then gives the as-reported effect and, where the two
    parts go the same way, the share of it that is relabelling
    (:func:`sim.analysis.territory.relabelling`).

    Returns:
        The clause, or ``None`` when the tables lack either version of the output.
    """
    fixed = FIXED_TERRITORY[LIKE_FOR_LIKE]
    if not {LIKE_FOR_LIKE, fixed} <= set(data.annual.columns):
        return None
    row = relabelling(
        data.annual, scenario, data.baseline, metrics=[LIKE_FOR_LIKE], years=[year]
    ).iloc[0]
    unit = " %" if lang == "en" else "%"
    real = fmt_effect(
        _percent(row.real), _percent(row.real_low), _percent(row.real_high), lang
    ).replace(" (", unit + (" (" if lang == "en" else "（"), 1)
    if lang == "zh":
        real = real.removesuffix(")") + "）"
    out = text(
        "finding_like_for_like",
        lang,
        metric=re.sub(r"\s*[（(][^()（）]*[)）]$", "", plotting.metric_label(fixed, lang)),
        real=real,
        total=fmt_effect(row.total_pct) + unit,
    )
    share = row.relabelling_share
    if math.isfinite(share) and 0 <= share <= 1:
        out += text("finding_relabelled_share", lang, share=f"{100 * share:.0f}{unit}")
    return out


def identical_to_baseline(data: BriefData, scenario: str) -> bool:
    """Whether every paired run of ``scenario`` equals the baseline's on every criterion.

    The criteria are the annual outputs with a better direction (:func:`better`); counts
    that only describe the setting (zones per mode, operators) may differ. A what-if whose
    lever the default assumptions make inert (the management modes, whose assumed effects
    are equal by default) reproduces the baseline run for run under common random
    numbers; its effects are then zero by construction, not a finding.
    """
    keys = ["replicate", "year"]
    cols = [c for c in ANNUAL_NAMES if c in data.annual.columns and better(c)]
    a = data.annual[data.annual["scenario"] == scenario].set_index(keys)[cols].sort_index()
    b = data.annual[data.annual["scenario"] == data.baseline].set_index(keys)[cols].sort_index()
    return not a.empty and a.index.equals(b.index) and bool(a.equals(b))


def default_findings(
    data: BriefData, table: pd.DataFrame, lang: str, explored: Sequence[str] = ()
) -> list[str]:
    """One sentence per what-if: its clear effects on the criteria (default assumptions).

    Each sentence leads with the like-for-like effect on zone output
    (:func:`like_for_like`); the as-reported criterion it replaces is not repeated. A
    what-if identical to the baseline in every paired run says so instead
    (:func:`identical_to_baseline`), pointing to the exploration when ``explored`` (its
    policies) holds it.
    """
    return [
        f"**{scenario_title(data, scen, lang)}**"
        + separator("label", lang)
        + _whatif_effects(data, table, scen, lang, explored)
        + separator("stop", lang)
        for scen in data.whatifs
    ]


def _whatif_effects(
    data: BriefData, table: pd.DataFrame, scen: str, lang: str, explored: Sequence[str]
) -> str:
    """The body of :func:`default_findings`' sentence on ``scen``."""
    if identical_to_baseline(data, scen):
        body = text("finding_identical", lang)
        return body + (text("finding_identical_explored", lang) if scen in explored else "")
    lead = like_for_like(data, scen, data.years[1], lang)
    rows = table[(table["scenario"] == scen) & (table["verdict"] != "unclear")]
    if lead is not None:
        rows = rows[rows["metric"] != LIKE_FOR_LIKE]
    items = [
        f"{plotting.metric_label(r.metric, lang)} "
        + effect_cell(r.mean, r.ci_low, r.ci_high, r.verdict, lang)
        for r in rows.itertuples()
    ]
    body = separator("list", lang).join(items) or text("finding_none", lang)
    if lead is None:
        return body
    return lead + separator("clause", lang) + body if items else lead


def whatif_verdict(data: BriefData, table: pd.DataFrame, lang: str) -> str:
    """One sentence: which what-ifs do better or worse than the baseline.

    Grouped by how many criteria are clearly better or worse in the last year (default
    assumptions, seed noise only); those with no clear difference are named too.
    """
    groups: dict[str, list[str]] = {"wi_worse": [], "wi_better": [], "wi_mixed": [], "wi_none": []}
    for scen in data.whatifs:
        v = table.loc[table["scenario"] == scen, "verdict"]
        better, worse = int((v == "better").sum()), int((v == "worse").sum())
        key = (
            "wi_none" if better == worse == 0
            else "wi_worse" if worse > better
            else "wi_better" if better > worse
            else "wi_mixed"
        )  # fmt: skip
        groups[key].append(f"**{scenario_title(data, scen, lang)}**")
    sep = "、" if lang == "zh" else ", "
    items = [text(k, lang, names=sep.join(v)) for k, v in groups.items() if v]
    if not items:
        return ""
    return text(
        "verdict_whatifs",
        lang,
        year=data.years[1],
        assumptions=assumptions(data, lang),
        items=("；" if lang == "zh" else "; ").join(items),
    )


def caveats(calibration: Calibration | None, lang: str) -> list[str]:
    """The caveats that decide how to read the findings: registry, modes, calibration."""
    out = [registry_note(lang), text("caveat_modes", lang)]
    if calibration is None:
        out.append(text("caveat_no_calibration", lang))
        return out
    counts = calibration.counts()
    verdicts = calibration.verdicts()
    ident = ""
    if verdicts:
        ident = text(
            "caveat_ident",
            lang,
            n=sum(len(v) for v in verdicts.values()),
            identified=len(verdicts.get("identified", [])),
            weak=len(verdicts.get("weakly identified", [])),
            none=len(verdicts.get("not identified", [])),
        )
    out.append(
        text(
            "caveat_calibration",
            lang,
            fitted=counts.get("fitted", 0),
            checked=counts.get("checked", 0),
            structural=counts.get("structural", 0),
            ident=ident,
        )
    )
    return out


def load_exploration(folder: str | Path | None) -> Exploration | None:
    """The exploration in ``folder``, or ``None`` if no folder is given."""
    return None if folder is None else read_exploration(folder)
