"""The brief's "which mode, how sure" section, in English and Chinese.

:func:`robustness_section` turns an exploration folder into an HTML fragment and a
Markdown fragment: for each outcome and pair of policies, the one that wins in more
states first, how often it wins, loses and ties, with the Wilson interval over the
states, in words only where the whole interval lies in one band of the stated scale
(otherwise "cannot tell at this budget" and the states that would tell); how much of
each comparison's variance is seed noise; the conditions under which each
alternative wins (PRIM boxes in words); each policy's regret; and what would settle
the choice (the parameter with the largest value of information and its break-even
value). The section also says how wide the widest interval is against the ±10 points
a clear answer needs. Intervals that hold only seed noise never appear here: every
interval covers the sampling of parameter values and seeds.
Policies are named by a title the caller gives (the brief passes the scenario titles
in its language); every piece of text that comes from files (titles, policy and
parameter names) is escaped.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis import plotting, safetext
from sim.analysis.robustness.design import parse_outcome
from sim.analysis.robustness.measures import Comparison
from sim.analysis.robustness.report import Exploration, read_exploration, seeds_text
from sim.analysis.robustness.voi import SEP
from sim.analysis.robustness.words import (
    box_conditions,
    count,
    num,
    param_phrase,
    pct,
    scale_note,
    sig2,
    states_for_half_width,
    words,
)
from sim.core.lang import Translated, check_lang, translate

#: Half-width of the headline intervals that a clear answer needs (percentage points / 100).
TARGET_HALF_WIDTH = 0.10

_TEXT: dict[str, Translated] = {
    "title": ("Which mode, how sure?", "哪种模式更好，把握有多大？"),
    "intro": (
        "Each policy ran in the same {n} states of the world: {k} uncertain parameters "
        "drawn over their full assumed ranges{post}, and {seeds} per state, the same "
        "for every policy; a state's outcome is the mean over its seeds. No study measures "
        "the management modes' effects, so the answer is not a ranking: it is how often each "
        "choice wins across these assumptions, where it wins, what it costs when it does "
        "not, and which assumption would settle it. The intervals (95 %, Wilson) cover the "
        "sampling of the states, parameters and seeds together; the run-to-run intervals "
        "elsewhere in this brief hold seed noise only and do not answer this question.",
        "每个政策都在同样的 {n} 个“世界状态”中运行：{k} 个不确定参数在其假定范围内"
        "整体抽样{post}，每个状态 {k_seeds} 个随机种子，各政策相同；"
        "一个状态的结果是其各种子的均值。目前没有研究测度各管理模式的效果，所以答案不是一个排名，"
        "而是：在这些假设下每种选择胜出的频率、在哪些条件下胜出、不胜出时的代价，"
        "以及哪个假设能决定答案。区间（95 %，Wilson）同时涵盖状态、参数与随机种子的抽样；"
        "本简报其他部分的区间只反映随机种子的波动，不能回答这个问题。",
    ),
    "post": (
        ", plus draws from the calibration posterior for {m} calibrated parameters",
        "，并从校准后验中抽取 {m} 个已校准参数",
    ),
    "width": (
        "With {n} states the widest of these intervals is ±{w} percentage points.",
        "在 {n} 个状态下，这些区间中最宽的为 ±{w} 个百分点。",
    ),
    "width_short": (
        "With {n} states the widest of these intervals is ±{w} percentage points, wider than "
        "the ±{target} points a clear answer needs; about {m} states would reach it.",
        "在 {n} 个状态下，这些区间中最宽的为 ±{w} 个百分点，宽于明确回答所需的 ±{target} 个"
        "百分点；约需 {m} 个状态才能达到。",
    ),
    "seed_noise_short": ("seed noise: {share} of the variance", "随机种子波动占方差的 {share}"),
    "overrides": (
        "Policy {p} sets {names} itself; its value is used in every state.",
        "政策 {p} 自行设定 {names}；在每个状态中均使用其设定值。",
    ),
    "pair": ("Pair (more frequent winner first)", "比较（较常胜出者在前）"),
    "p_win": ("P(first beats second)", "前者胜出概率"),
    "interval": ("95 % interval", "95 % 区间"),
    "words": ("In words", "用语"),
    "ties": ("Ties", "持平"),
    "seed_col": ("Seed noise", "种子噪声"),
    "when_first": ("When the first wins", "前者胜出的条件"),
    "when_second": ("When the second wins", "后者胜出的条件"),
    "regret_head": ("Regret", "遗憾值"),
    "regret_intro": (
        "Shortfall from the best policy in each state ({unit}); 0 for the best.",
        "每个状态中与最优政策的差距（{unit}）；最优者为 0。",
    ),
    "policy": ("Policy", "政策"),
    "mean": ("Mean", "平均"),
    "p90": ("90th percentile", "第 90 百分位"),
    "max": ("Worst", "最差"),
    "best_in": ("Best in (share of states)", "最优的状态比例"),
    "sentence": (
        "{a} beats {b} in {p} of the {n} states (95 % interval {lo}–{hi}); {b} wins in "
        "{q}{ties}: {verdict}.",
        "在 {n} 个状态中，{a}胜过{b}的占 {p}（95 % 区间 {lo}–{hi}）；{b}胜出 {q}{ties}："
        "{verdict}。",
    ),
    "sentence_tie": (
        "{a} and {b} each win in {p} of the {n} states{ties}: neither wins more often.",
        "在 {n} 个状态中，{a}与{b}各胜出 {p}{ties}：没有哪一方更常胜出。",
    ),
    "ties_part": (", {t} tie", "，持平 {t}"),
    "ties_part_tie": (" ({t} tie)", "（持平 {t}）"),
    "graded": ("{word}", "{word}"),
    "cannot_tell": (
        "cannot tell at this budget (about {m} states would tell, if the share stayed at {p})",
        "以目前的计算量无法判断（若比例保持在 {p}，约需 {m} 个状态才能判断）",
    ),
    "cannot_tell_edge": (
        "cannot tell at this budget (the share sits at the edge of a band, so more states "
        "alone would not settle it)",
        "以目前的计算量无法判断（该比例处在两档的边界上，仅增加状态数无法判断）",
    ),
    "voi_head": ("What would settle it", "什么能决定答案"),
    "voi": (
        "Learning {param} would change the choice most: knowing it before choosing gains "
        "{v} on average ({unit}). Its break-even value is {t}: below it {below} does better "
        "on average, above it {above}{more}.",
        "了解{param}最能改变选择：在选择前知道它平均可多得 {v}（{unit}）。其临界值为 {t}："
        "低于该值时{below}平均表现更好，高于该值时{above}{more}。",
    ),
    "voi_more": (
        "; the better choice changes {k} across its range",
        "；在其范围内更优选择还会再变化 {k} 次",
    ),
    "voi_weak": (
        "The assumption whose value would change the choice most is {param} (break-even "
        "value {t}: below it {below} does better on average, above it {above}{more}), but at "
        "this budget its value of information ({v}) does not stand out from chance (noise "
        "floor {floor}): more states would tell whether measuring it would settle the choice.",
        "最能改变选择的假设是{param}（临界值 {t}：低于该值时{below}平均表现更好，高于该值时"
        "{above}{more}），但以目前的计算量，其信息价值（{v}）并未明显高于随机水平"
        "（噪声下限 {floor}）：需要更多状态才能判断测定它能否决定选择。",
    ),
    "voi_none": (
        "No single parameter's value of information stands out from chance at this budget: "
        "learning any one assumption alone would not settle the choice.",
        "以目前的计算量，没有哪个参数的信息价值明显高于随机水平：仅了解某一个假设无法决定选择。",
    ),
    "voi_intro": (
        "Expected value of partial perfect information (EVPPI; regression method of Strong, "
        "Oakley & Brennan 2014): what knowing each parameter before choosing among all the "
        "policies would gain on average, in the outcome's unit; values at or below the noise "
        "floor ({floor}: the largest value any parameter reaches when the states' outcomes are "
        "shuffled) do not stand out from chance.",
        "部分完全信息的期望价值（EVPPI；Strong、Oakley 与 Brennan 2014 年的回归方法）：在所有政策中"
        "选择之前知道某个参数，平均可多得多少（以该结果的单位计）；不高于噪声下限（{floor}，"
        "即打乱各状态的结果后任一参数所能达到的最大值）的数值并未明显高于随机水平。",
    ),
    "param": ("Parameter", "参数"),
    "evppi": ("EVPPI", "EVPPI"),
    "break_even": ("Break-even", "临界值"),
    "better_below": ("Better below", "低于时更好"),
    "better_above": ("Better above", "高于时更好"),
    "box": (
        "{w} wins in {density} of the states where {cond} (these are {mass} of all states "
        "and hold {coverage} of its wins; overall it wins in {base})",
        "在 {cond} 的状态中，{w} 有 {density} 胜出（这些状态占全部的 {mass}，包含其胜出情形的 "
        "{coverage}；总体胜出比例 {base}）",
    ),
    "box_all": (
        "{w} wins in {base} of all states; no smaller region holds its wins more densely",
        "{w} 在全部状态中的 {base} 胜出；没有更小的区域使其胜出更集中",
    ),
    "always": ("{w} wins in every state", "{w} 在所有状态中胜出"),
    "never": ("{w} wins in no state", "{w} 在任何状态中都未胜出"),
    "no_box": ("not analysed", "未分析"),
    "assumptions": (
        "These probabilities follow from assumed ranges, not from measured effects: they "
        "say which assumptions a choice depends on, not that one mode is better.",
        "这些概率来自假定的参数范围，而非测得的效果：它们说明一种选择依赖哪些假设，并不表明某种模式更好。",
    ),
}


def _t(key: str, lang: str, **fmt: Any) -> str:
    return translate(_TEXT[key], lang).format(**fmt)


def _colon(lang: str) -> str:
    return "：" if lang == "zh" else ": "


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md_escape(text: str) -> str:
    """Escape Markdown's special characters in user text (cleaned as everywhere else).

    Lighter than :func:`sim.analysis.safetext.md_escape` (parentheses, dashes and the
    like stay as they are, so the Markdown file reads well); control and bidirectional
    characters go the same way (:func:`sim.analysis.safetext.clean`), and so do
    character references (:func:`sim.analysis.safetext.md_references`).
    """
    return safetext.md_references(_MD_SPECIAL.sub(r"\\\1", safetext.clean(text)))


def _code_html(text: str) -> str:
    """Escaped text with backtick spans (parameter names) shown as code."""
    escaped = safetext.keep_together(safetext.html_text(text))
    return re.sub(r"`([^`<>]+)`", r"<code>\1</code>", escaped)


def _code_md(text: str) -> str:
    """Escaped Markdown with backtick spans kept as code (unescaped inside)."""
    return re.sub(
        r"\\`(.+?)\\`", lambda m: "`" + re.sub(r"\\(.)", r"\1", m.group(1)) + "`", md_escape(text)
    )


@dataclass(frozen=True)
class Section:
    """A fragment of the brief in both formats.

    Attributes:
        html: HTML fragment (headings, paragraphs, tables).
        markdown: Markdown fragment.
    """

    html: str
    markdown: str


class _Frag:
    """HTML and Markdown built side by side; every argument is plain text, escaped here."""

    def __init__(self) -> None:
        self.html: list[str] = []
        self.md: list[str] = []

    def heading(self, level: int, title: str, anchor: str | None = None) -> None:
        ident = f' id="{safetext.html_text(anchor)}"' if anchor else ""
        self.html.append(f"<h{level}{ident}>{safetext.html_text(title)}</h{level}>")
        self.md.append(f"{'#' * level} {md_escape(title)}\n")

    def para(self, body: str, cls: str | None = None) -> None:
        c = f' class="{cls}"' if cls else ""
        self.html.append(f"<p{c}>{_code_html(body)}</p>")
        self.md.append(_code_md(body) + "\n")

    def items(self, entries: Sequence[str]) -> None:
        self.html.append("<ul>" + "".join(f"<li>{_code_html(e)}</li>" for e in entries) + "</ul>")
        self.md.append("\n".join(f"- {_code_md(e)}" for e in entries) + "\n")

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], numeric: int = 0) -> None:
        head = "".join(f"<th>{safetext.html_text(h)}</th>" for h in header)
        body = "".join(
            "<tr>"
            + "".join(
                f'<td class="num">{safetext.keep_together(safetext.html_text(c))}</td>'
                if numeric and j >= numeric
                else f"<td>{safetext.keep_together(safetext.html_text(c))}</td>"
                for j, c in enumerate(row)
            )
            + "</tr>"
            for row in rows
        )
        self.html.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        cell = lambda v: md_escape(v).replace("\n", " ")  # noqa: E731
        align = ["---:" if numeric and j >= numeric else "---" for j in range(len(header))]
        self.md.append(
            "\n".join(
                [
                    "| " + " | ".join(cell(h) for h in header) + " |",
                    "| " + " | ".join(align) + " |",
                    *("| " + " | ".join(cell(c) for c in row) + " |" for row in rows),
                ]
            )
            + "\n"
        )


def box_sentence(
    exp: Exploration,
    row: Mapping[str, Any],
    lang: str = "en",
    title: Callable[[str], str] = str,
) -> str:
    """One row of the boxes table (a winner against a loser) in words.

    ``title`` turns a policy name into the name shown (default: the name itself).
    """
    w = title(str(row["winner"]))
    status = row.get("status")
    if status == "always":
        return _t("always", lang, w=w)
    if status == "never":
        return _t("never", lang, w=w)
    lim = exp.discovery.limits
    lim = lim[
        (lim["outcome"] == row["outcome"])
        & (lim["winner"] == row["winner"])
        & (lim["loser"] == row["loser"])
    ] if len(lim) else lim  # fmt: skip
    if lim.empty:
        return _t("box_all", lang, w=w, base=pct(row["base_rate"]))
    return _t(
        "box",
        lang,
        w=w,
        density=pct(row["density"]),
        cond=box_conditions(lim.to_dict("records"), lang),
        mass=pct(row["mass"]),
        coverage=pct(row["coverage"]),
        base=pct(row["base_rate"]),
    )


def _box_for(
    exp: Exploration, outcome: str, win: str, lose: str, lang: str, title: Callable[[str], str]
) -> str:
    b = exp.discovery.boxes
    rows = b[(b["outcome"] == outcome) & (b["winner"] == win) & (b["loser"] == lose)]
    if rows.empty:
        return _t("no_box", lang)
    return box_sentence(exp, rows.iloc[0], lang, title)


def outcome_title(label: str, lang: str) -> str:
    """An outcome as a title: ``"Firms, 2035"``, ``"2035年企业数"``."""
    o = parse_outcome(label)
    if lang == "zh":
        return f"{o.year}年{plotting.metric_label(o.metric, lang)}"
    return f"{plotting.metric_label(o.metric, lang)}, {o.year}"


def verdict(cmp: Comparison, lang: str = "en") -> str:
    """The grade of a comparison in words, or "cannot tell" with the states that would."""
    if cmp.grade:
        return words(cmp.grade, lang)
    if cmp.states_needed is None or cmp.states_needed < 0:
        return _t("cannot_tell_edge", lang)
    return _t("cannot_tell", lang, m=count(cmp.states_needed), p=pct(cmp.p_win))


def pair_sentence(cmp: Comparison, lang: str = "en", title: Callable[[str], str] = str) -> str:
    """A comparison in one sentence: the more frequent winner first, ties, the verdict."""
    n = cmp.states
    if cmp.tied:
        ties = _t("ties_part_tie", lang, t=pct(cmp.ties / n)) if cmp.ties else ""
        return _t(
            "sentence_tie", lang, a=title(cmp.first), b=title(cmp.second), p=pct(cmp.p_win),
            n=n, ties=ties,
        )  # fmt: skip
    ties = _t("ties_part", lang, t=pct(cmp.ties / n)) if cmp.ties else ""
    return _t(
        "sentence",
        lang,
        a=title(cmp.first),
        b=title(cmp.second),
        n=n,
        p=pct(cmp.p_win),
        lo=pct(cmp.p_win_low),
        hi=pct(cmp.p_win_high),
        q=pct(cmp.losses / n),
        ties=ties,
        verdict=verdict(cmp, lang),
    )


def comparisons(exp: Exploration, label: str) -> list[Comparison]:
    """Every pair of the exploration's policies on ``label``, the more frequent winner first."""
    out = []
    for a, b in itertools.combinations(exp.policies, 2):
        try:
            out.append(exp.compare(label, a, b))
        except KeyError:
            continue
    return out


def shown_outcomes(exp: Exploration) -> list[str]:
    """The outcomes the brief reports: the exploration's discovery outcomes."""
    s = exp.settings
    return list(s.get("discover") or s["outcomes"])


def width_sentence(exp: Exploration, labels: Sequence[str], lang: str = "en") -> str:
    """The widest 95 % interval of the comparisons on ``labels``, and whether it is enough.

    A clear answer needs every interval within ±:data:`TARGET_HALF_WIDTH`; where one is
    wider, the sentence says how many states would bring the widest one there.
    """
    cmps = [c for label in labels for c in comparisons(exp, label)]
    if not cmps:
        return ""
    widest = max(cmps, key=lambda c: c.p_win_high - c.p_win_low)
    n = widest.states
    w = (widest.p_win_high - widest.p_win_low) / 2
    if w <= TARGET_HALF_WIDTH + 1e-9:
        return _t("width", lang, n=n, w=f"{100 * w:.0f}")
    m = states_for_half_width(widest.p_win, TARGET_HALF_WIDTH)
    return _t(
        "width_short", lang, n=n, w=f"{100 * w:.0f}", target=f"{100 * TARGET_HALF_WIDTH:.0f}",
        m=count(m),
    )  # fmt: skip


def seed_noise_range(exp: Exploration, label: str) -> tuple[float, float] | None:
    """Smallest and largest seed-noise share of the comparisons on ``label`` (None if unknown)."""
    shares = [c.seed_share for c in comparisons(exp, label) if c.seed_share == c.seed_share]
    return (min(shares), max(shares)) if shares else None


def seed_noise_text(exp: Exploration, label: str, lang: str = "en") -> str:
    """``"seed noise 7–27 % of the variance"`` for ``label``'s comparisons ("" if unknown)."""
    shares = seed_noise_range(exp, label)
    if shares is None:
        return ""
    lo, hi = (pct(v) for v in shares)
    return _t("seed_noise_short", lang, share=lo if lo == hi else f"{lo}–{hi}")


def decision_voi(exp: Exploration, label: str) -> pd.DataFrame:
    """The value-of-information rows of the choice among all policies on ``label``."""
    ev = exp.evppi
    if ev is None or ev.empty:
        return pd.DataFrame()
    rows = ev[(ev["outcome"] == label) & (ev["comparison"] == SEP.join(exp.policies))]
    return rows.sort_values("rank")


def voi_sentence(
    exp: Exploration, label: str, lang: str = "en", title: Callable[[str], str] = str
) -> str:
    """What would settle the choice on ``label``: the parameter with the largest EVPPI.

    Its break-even value, and whether its EVPPI stands out from chance (is above the
    comparison's noise floor); "nothing to learn" where no parameter would change the
    choice; empty without a value-of-information table.
    """
    rows = decision_voi(exp, label)
    if rows.empty:
        return ""
    top = rows.iloc[0]
    switches = int(top["switches"])
    if switches == 0:
        return _t("voi_none", lang)
    more = ""
    if switches > 1:
        k = switches - 1
        en = "once more" if k == 1 else f"{k} more times"
        more = _t("voi_more", lang, k=en if lang == "en" else k)
    return _t(
        "voi" if bool(top["above_floor"]) else "voi_weak",
        lang,
        param=param_phrase(str(top["parameter"]), lang),
        v=sig2(float(top["evppi"])),
        floor=sig2(float(top["floor"])),
        unit=outcome_title(label, lang),
        t=num(float(top["break_even"])),
        below=title(str(top["best_below"])),
        above=title(str(top["best_above"])),
        more=more,
    )


def robustness_section(
    source: str | Path | Exploration,
    lang: str = "en",
    *,
    outcomes: Sequence[str] | None = None,
    level: int = 2,
    title: Callable[[str], str] | None = None,
) -> Section:
    """Build the "which mode, how sure" section from an exploration.

    Args:
        source: An exploration folder (``zonesim explore --out``) or a loaded
            :class:`~sim.analysis.robustness.report.Exploration`.
        lang: ``"en"`` or ``"zh"``.
        outcomes: Outcome labels to show (default: the exploration's discovery outcomes).
        level: Heading level of the section's title.
        title: Turns a policy (scenario) name into the name the section shows, e.g.
            the scenario's title in ``lang`` (default: the name itself).

    Returns:
        The HTML and Markdown fragments.

    Raises:
        ValueError: If ``lang`` is unknown.
        FileNotFoundError: If the folder holds no exploration.
    """
    check_lang(lang)
    exp = source if isinstance(source, Exploration) else read_exploration(source)
    name = title or str
    s = exp.settings
    shown = list(outcomes) if outcomes is not None else shown_outcomes(exp)
    doc = _Frag()
    doc.heading(level, _t("title", lang), "robustness")
    n_post = len(s.get("posterior_parameters") or [])
    post = _t("post", lang, m=n_post) if s.get("posterior") and n_post else ""
    doc.para(
        _t(
            "intro",
            lang,
            n=s["states"],
            k=len(s.get("lhs_parameters") or []),
            post=post,
            seeds=seeds_text(s),
            k_seeds=int(s.get("seeds_per_state") or 1),
        )
    )
    doc.para(width_sentence(exp, shown, lang))
    doc.para(scale_note(lang), cls="note")
    for policy, names in (s.get("policy_overrides") or {}).items():
        if names:
            doc.para(_t("overrides", lang, p=name(policy), names=", ".join(names)), cls="note")
    for label in shown:
        doc.heading(level + 1, outcome_title(label, lang))
        noise = seed_noise_text(exp, label, lang)
        if noise:
            doc.para(noise[:1].upper() + noise[1:] + ("。" if lang == "zh" else "."), cls="note")
        cmps = comparisons(exp, label)
        doc.items([pair_sentence(c, lang, name) for c in cmps])
        doc.table(
            [
                _t("pair", lang),
                _t("p_win", lang),
                _t("interval", lang),
                _t("words", lang),
                _t("ties", lang),
                _t("seed_col", lang),
                _t("when_first", lang),
                _t("when_second", lang),
            ],
            [
                [
                    f"{name(c.first)} / {name(c.second)}",
                    pct(c.p_win),
                    f"{pct(c.p_win_low)}–{pct(c.p_win_high)}",
                    verdict(c, lang),
                    pct(c.ties / c.states),
                    pct(c.seed_share),
                    _box_for(exp, label, c.first, c.second, lang, name),
                    _box_for(exp, label, c.second, c.first, lang, name),
                ]
                for c in cmps
            ],
        )
        reg = exp.regret[exp.regret["outcome"] == label]
        if len(reg):
            doc.para(
                _t("regret_head", lang)
                + _colon(lang)
                + _t("regret_intro", lang, unit=outcome_title(label, lang))
            )
            doc.table(
                [_t(k, lang) for k in ("policy", "mean", "p90", "max", "best_in")],
                [
                    [name(str(r.policy)), sig2(r.mean), sig2(r.p90), sig2(r.max),
                     pct(r.best_share)]
                    for r in reg.itertuples()
                ],
                numeric=1,
            )  # fmt: skip
        voi_section(doc, exp, label, lang, name, level + 1)
    doc.para(_t("assumptions", lang), cls="note")
    return Section("\n".join(doc.html), "\n".join(doc.md).rstrip() + "\n")


#: Parameters in the section's value-of-information table.
VOI_ROWS = 3


def voi_section(
    doc: _Frag, exp: Exploration, label: str, lang: str, name: Callable[[str], str], level: int
) -> None:
    """The value of information of the choice on ``label``: a sentence and the top rows."""
    rows = decision_voi(exp, label)
    if rows.empty:
        return
    doc.para(_t("voi_head", lang) + _colon(lang) + voi_sentence(exp, label, lang, name))
    doc.para(_t("voi_intro", lang, floor=sig2(float(rows.iloc[0]["floor"]))), cls="note")
    doc.table(
        [_t(k, lang) for k in ("param", "evppi", "break_even", "better_below", "better_above")],
        [
            [
                str(r.parameter),
                sig2(r.evppi),
                num(r.break_even),
                name(r.best_below) if isinstance(r.best_below, str) and r.best_below else "–",
                name(r.best_above) if isinstance(r.best_above, str) and r.best_above else "–",
            ]
            for r in rows.head(VOI_ROWS).itertuples()
        ],
    )
