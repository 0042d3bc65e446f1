"""The brief's "which mode, how sure" section, in English and Chinese.

:func:`robustness_section` turns an exploration folder into an HTML fragment and a
Markdown fragment: for each outcome, the probability that each policy beats each
other one over the states of the world (in words on a stated scale, with its Wilson
interval over the states), the conditions under which each alternative wins (PRIM
boxes in words), and each policy's regret. Intervals that hold only seed noise never
appear here: every interval covers the sampling of parameter values and seeds.
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

from sim.analysis import plotting, safetext
from sim.analysis.robustness.design import parse_outcome
from sim.analysis.robustness.report import Exploration, read_exploration
from sim.analysis.robustness.words import box_conditions, likelihood, num, pct, scale_note
from sim.core.lang import Translated, check_lang, translate

_TEXT: dict[str, Translated] = {
    "title": ("Which mode, how sure?", "哪种模式更好，把握有多大？"),
    "intro": (
        "Each policy ran in the same {n} states of the world: {k} uncertain parameters "
        "drawn over their full assumed ranges{post}, and one seed per state. No study "
        "measures the management modes' effects, so the answer is not a ranking: it is how "
        "often each choice wins across these assumptions, where it wins, and what it costs "
        "when it does not. The intervals (95 %, Wilson) cover the sampling of the states, "
        "parameters and seeds together; the run-to-run intervals elsewhere in this brief "
        "hold seed noise only and do not answer this question.",
        "每个政策都在同样的 {n} 个“世界状态”中运行：{k} 个不确定参数在其假定范围内"
        "整体抽样{post}，每个状态一个随机种子。目前没有研究测度各管理模式的效果，"
        "所以答案不是一个排名，而是：在这些假设下每种选择胜出的频率、在哪些条件下胜出、"
        "以及不胜出时的代价。区间（95 %，Wilson）同时涵盖参数与随机种子的抽样；"
        "本简报其他部分的区间只反映随机种子的波动，不能回答这个问题。",
    ),
    "post": (
        ", plus draws from the calibration posterior for {m} calibrated parameters",
        "，并从校准后验中抽取 {m} 个已校准参数",
    ),
    "overrides": (
        "Policy {p} sets {names} itself; its value is used in every state.",
        "政策 {p} 自行设定 {names}；在每个状态中均使用其设定值。",
    ),
    "pairs_head": ("Who beats whom", "两两比较"),
    "pair": ("Pair", "比较"),
    "p_win": ("P(first beats second)", "前者胜出概率"),
    "interval": ("95 % interval", "95 % 区间"),
    "words": ("In words", "用语"),
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
        "{a} beats {b}: {words} ({p}, {lo}–{hi}).",
        "{a} 胜过 {b}：{words}（{p}，{lo}–{hi}）。",
    ),
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


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md_escape(text: str) -> str:
    """Escape Markdown's special characters in user text (cleaned as everywhere else).

    Lighter than :func:`sim.analysis.safetext.md_escape` (parentheses, dashes and the
    like stay as they are, so the Markdown file reads well); control and bidirectional
    characters go the same way (:func:`sim.analysis.safetext.clean`).
    """
    return _MD_SPECIAL.sub(r"\\\1", safetext.clean(text))


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
        self.html.append(f"<p{c}>{safetext.html_text(body)}</p>")
        self.md.append(md_escape(body) + "\n")

    def items(self, entries: Sequence[str]) -> None:
        self.html.append(
            "<ul>" + "".join(f"<li>{safetext.html_text(e)}</li>" for e in entries) + "</ul>"
        )
        self.md.append("\n".join(f"- {md_escape(e)}" for e in entries) + "\n")

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], numeric: int = 0) -> None:
        head = "".join(f"<th>{safetext.html_text(h)}</th>" for h in header)
        body = "".join(
            "<tr>"
            + "".join(
                f'<td class="num">{safetext.html_text(c)}</td>'
                if numeric and j >= numeric
                else f"<td>{safetext.html_text(c)}</td>"
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


def _outcome_title(label: str, lang: str) -> str:
    o = parse_outcome(label)
    return f"{plotting.metric_label(o.metric, lang)}, {o.year}"


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
    shown = list(outcomes) if outcomes is not None else list(s.get("discover") or s["outcomes"])
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
        )
    )
    doc.para(scale_note(lang), cls="note")
    for policy, names in (s.get("policy_overrides") or {}).items():
        if names:
            doc.para(_t("overrides", lang, p=name(policy), names=", ".join(names)), cls="note")
    policies = exp.policies
    for label in shown:
        doc.heading(level + 1, _outcome_title(label, lang))
        sentences, rows = [], []
        for a, b in itertools.combinations(policies, 2):
            r = exp.p_win(label, a, b)
            sentences.append(
                _t(
                    "sentence",
                    lang,
                    a=name(a),
                    b=name(b),
                    words=likelihood(r["p_win"], lang),
                    p=pct(r["p_win"]),
                    lo=pct(r["p_win_low"]),
                    hi=pct(r["p_win_high"]),
                )
            )
            rows.append(
                [
                    f"{name(a)} / {name(b)}",
                    pct(r["p_win"]),
                    f"{pct(r['p_win_low'])}–{pct(r['p_win_high'])}",
                    likelihood(r["p_win"], lang),
                    _box_for(exp, label, a, b, lang, name),
                    _box_for(exp, label, b, a, lang, name),
                ]
            )
        doc.items(sentences)
        doc.table(
            [
                _t("pair", lang),
                _t("p_win", lang),
                _t("interval", lang),
                _t("words", lang),
                _t("when_first", lang),
                _t("when_second", lang),
            ],
            rows,
        )
        reg = exp.regret[exp.regret["outcome"] == label]
        if len(reg):
            doc.para(
                f"{_t('regret_head', lang)}: "
                + _t("regret_intro", lang, unit=_outcome_title(label, lang))
            )
            doc.table(
                [_t(k, lang) for k in ("policy", "mean", "p90", "max", "best_in")],
                [
                    [name(str(r.policy)), num(r.mean), num(r.p90), num(r.max), pct(r.best_share)]
                    for r in reg.itertuples()
                ],
                numeric=1,
            )
    doc.para(_t("assumptions", lang), cls="note")
    return Section("\n".join(doc.html), "\n".join(doc.md).rstrip() + "\n")
