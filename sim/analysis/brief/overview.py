"""The brief's first screen and overviews: key findings, trade-offs, prefectures, ranking.

The key findings take their graded confidence from an exploration
(:mod:`sim.analysis.robustness`) where one is given; otherwise they say that they are
conditional on the default assumptions and point to ``zonesim explore``, because
intervals over seeds alone cannot say which management mode is better.
"""

from __future__ import annotations

import itertools
import math
from functools import cache
from pathlib import Path

import pandas as pd

from sim.analysis import plotting
from sim.analysis.brief.data import BriefData, headline_effects, registry_note, zone_cell
from sim.analysis.brief.formatting import fmt_number, signed
from sim.analysis.brief.methods import Calibration
from sim.analysis.brief.text import text, vocab
from sim.analysis.robustness.design import parse_outcome
from sim.analysis.robustness.report import Exploration, read_exploration
from sim.analysis.robustness.words import likelihood, pct
from sim.core.cities import CITIES, city_label
from sim.core.outputs import better
from sim.errors import InputError
from sim.experiments.scenarios import shipped_scenarios

#: Criteria of the trade-off table, with the better direction (+1 higher, -1 lower) of
#: the output registry (``Output.better``).
TRADEOFF_CRITERIA: tuple[tuple[str, int], ...] = tuple(
    (m, better(m))
    for m in ("stat_zone_gdp", "firms", "growth_gap_pp", "zones_delisted", "approval_days", "staff")
)

#: Zones shown in the ranking.
RANKED_ZONES = 15


def scenario_title(data: BriefData, name: str, lang: str) -> str:
    """A scenario's display title: its ``title``/``title_zh`` where given, else its name.

    A scenario outside the batches (a policy of an exploration) takes the title of the
    shipped scenario of that name, if there is one.
    """
    key = "title_zh" if lang == "zh" else "title"
    info = data.info.get(name)
    if info is None:
        return _shipped_titles().get(name, {}).get(key) or name
    return info.get(key) or name


@cache
def _shipped_titles() -> dict[str, dict[str, str]]:
    return {sc.name: {"title": sc.title, "title_zh": sc.title_zh} for sc in shipped_scenarios()}


def scenario_question(data: BriefData, name: str, lang: str) -> str:
    """A scenario's question in ``lang`` (the English one where no Chinese is given)."""
    info = data.info.get(name, {})
    if lang == "zh" and info.get("description_zh"):
        return str(info["description_zh"])
    return str(info.get("description") or "")


def bracket(words: str, lang: str) -> str:
    """``" (words)"``, or ``"（words）"`` in Chinese."""
    return f"（{words}）" if lang == "zh" else f" ({words})"


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
    metrics = [m for m, _ in TRADEOFF_CRITERIA if m in data.annual.columns]
    head = headline_effects(data, years=[last], metrics=metrics)
    direction = dict(TRADEOFF_CRITERIA)
    if head.empty:
        return head.assign(better=[], verdict=[])
    head["better"] = [direction[m] for m in head["metric"]]
    head["verdict"] = [verdict(r.mean, r.ci_low, r.ci_high, r.better) for r in head.itertuples()]
    return head


def exploration_findings(exp: Exploration, data: BriefData, lang: str) -> list[str]:
    """One sentence per outcome of an exploration: who beats whom, in graded words."""
    s = exp.settings
    shown = list(s.get("discover") or s["outcomes"])
    out = []
    for label in shown:
        o = parse_outcome(label)
        items = []
        for a, b in itertools.combinations(exp.policies, 2):
            try:
                r = exp.p_win(label, a, b)
            except KeyError:
                continue
            items.append(
                text(
                    "finding_pair",
                    lang,
                    a=f"**{scenario_title(data, a, lang)}**",
                    b=f"**{scenario_title(data, b, lang)}**",
                    words=likelihood(r["p_win"], lang),
                    p=pct(r["p_win"]),
                    lo=pct(r["p_win_low"]),
                    hi=pct(r["p_win_high"]),
                )
            )
        if items:
            label_ = plotting.metric_label(o.metric, lang)
            metric = f"{o.year}年{label_}" if lang == "zh" else f"{label_}, {o.year}"
            colon, sep, stop = ("：", "；", "。") if lang == "zh" else (": ", "; ", ".")
            out.append(metric + colon + sep.join(items) + stop)
    return out


def default_findings(data: BriefData, table: pd.DataFrame, lang: str) -> list[str]:
    """One sentence per what-if: its clear effects on the criteria (default assumptions)."""
    out = []
    sep = "，" if lang == "zh" else ", "
    for scen in data.whatifs:
        rows = table[(table["scenario"] == scen) & (table["verdict"] != "unclear")]
        items = [
            f"{plotting.metric_label(r.metric, lang)} {signed(r.mean)}"
            + bracket(text(r.verdict, lang), lang)
            for r in rows.itertuples()
        ]
        colon, stop = ("：", "。") if lang == "zh" else (": ", ".")
        name = f"**{scenario_title(data, scen, lang)}**"
        out.append(name + colon + (sep.join(items) or text("finding_none", lang)) + stop)
    return out


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


def prefecture_table(data: BriefData) -> pd.DataFrame:
    """Zone output by prefecture in the last year: baseline mean and each what-if's effect.

    Returns:
        One row per prefecture (index ``city``) with a ``baseline`` column (mean over
        replicates of the summed output of zones with status) and one column per
        what-if (mean paired difference, replicate by replicate on shared seeds).
    """
    if data.zones is None:
        raise InputError(f"{data.paths[0]}: expected zone tables (a batch run with zone tables)")
    z = data.zones
    last = data.years[1]
    rows = z[(z["year"] == last) & (z["status"] == "active")]
    per = rows.groupby(["scenario", "seed", "city"], sort=False)["gdp"].sum().unstack("city")
    cities = list(CITIES)
    per = per.reindex(columns=cities).fillna(0.0)
    base = per.loc[data.baseline]
    out = pd.DataFrame({"baseline": base.mean()})
    for scen in data.whatifs:
        if scen not in per.index.get_level_values(0):
            continue
        other = per.loc[scen]
        seeds = base.index.intersection(other.index)
        out[scen] = (other.loc[seeds] - base.loc[seeds]).mean()
    out.index.name = "city"
    return out


def zone_ranking(data: BriefData, n: int = RANKED_ZONES) -> pd.DataFrame:
    """The ``n`` zones with the largest mean output in the baseline's last year."""
    if data.zones is None:
        raise InputError(f"{data.paths[0]}: expected zone tables (a batch run with zone tables)")
    z = data.zones
    last = data.years[1]
    rows = z[(z["scenario"] == data.baseline) & (z["year"] == last) & (z["status"] == "active")]
    reps = max(data.replicates(data.baseline), 1)
    sums = rows.groupby("zone_id")[["gdp", "firms"]].sum() / reps
    meta = rows.drop_duplicates("zone_id").set_index("zone_id")
    keep = [c for c in ("name", "name_zh", "synthetic", "city", "level", "mode") if c in meta]
    out = sums.join(meta[keep]).sort_values(["gdp", "firms"], ascending=False).head(n)
    return out.reset_index()


def ranking_rows(table: pd.DataFrame, lang: str) -> list[list[str]]:
    """Rows of the zone ranking as the brief shows them."""
    rows = []
    for i, r in enumerate(table.to_dict("records"), start=1):
        synthetic = bool(int(r.get("synthetic", 1) or 0))
        rows.append(
            [
                str(i),
                zone_cell(r, lang),
                city_label(r["city"], lang),
                vocab("levels", r.get("level", ""), lang),
                plotting.mode_label(r["mode"], lang) if r.get("mode") else "–",
                text("yes", lang) if synthetic else text("no", lang),
                fmt_number(r["gdp"]),
                fmt_number(round(r["firms"])),
            ]
        )
    return rows
