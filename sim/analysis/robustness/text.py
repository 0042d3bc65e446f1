"""The words of the brief's "which mode, how sure" section, in English and Chinese.

:data:`TEXT` holds every string of the section (:mod:`.section`, :mod:`.sentences`) as
an ``(English, Chinese)`` pair; :func:`text` picks a language and fills in the
``{placeholders}``. Probability words and parameter phrases are in :mod:`.words`.
"""

from __future__ import annotations

from typing import Any

from sim.core.lang import Translated, translate

#: Every string of the section, by key: (English, Chinese).
TEXT: dict[str, Translated] = {
    "title": ("Which mode, how sure?", "哪种模式更好，把握有多大？"),
    "outcome_title": ("{metric}, {year}", "{year}年{metric}"),
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


def text(key: str, lang: str, **fmt: Any) -> str:
    """The section's text ``key`` in ``lang`` (``"en"`` or ``"zh"``), formatted."""
    return translate(TEXT[key], lang).format(**fmt)
