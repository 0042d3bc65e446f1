"""The brief's words, in English and Chinese: section headings and every sentence.

:data:`SECTIONS` holds the headings and :data:`TEXT` every other string, each as an
``(English, Chinese)`` pair; :func:`text` and :func:`heading` pick a language and fill
in the ``{placeholders}``. :data:`TEXT` holds the key findings, the trade-offs and the
shared vocabulary here, and the tables of the other sections:
:mod:`~sim.analysis.brief.text_whatif` (a what-if, the management modes),
:mod:`~sim.analysis.brief.text_places` (prefectures, maps, ranking) and
:mod:`~sim.analysis.brief.text_methods` (methods, provenance, warnings). A new sentence
is one entry in the table of its section, in both languages; a key is defined once.
"""

from __future__ import annotations

from typing import Any

from sim.analysis.brief.text_methods import METHODS_TEXT
from sim.analysis.brief.text_places import PLACES_TEXT
from sim.analysis.brief.text_whatif import WHATIF_TEXT
from sim.core.lang import Translated, translate
from sim.core.params import MODE_ASSIGNMENTS, REGISTRY

#: Section headings, by identifier: (English, Chinese).
SECTIONS: dict[str, Translated] = {
    "findings": ("Key findings", "主要结论"),
    "tradeoffs": (
        "Trade-offs: every scenario on every criterion",
        "权衡：各情景在各项标准上的表现",
    ),
    "prefectures": ("Results by prefecture", "分地市结果"),
    "ranking": ("Model zones ranked by generated output", "模型开发区按模拟产出排名"),
    "question": ("The question", "问题"),
    "changes": ("What the scenario changes", "情景设定"),
    "effects": ("Headline effects against the baseline", "相对基准情景的主要影响"),
    "fans": ("Key metrics over time", "关键指标走势"),
    "lost": ("Model zones that lost status (generated)", "失去资格的模型开发区（模拟结果）"),
    "modes": (
        "Management modes: a description, not a comparison of effects",
        "管理模式：描述而非效果比较",
    ),
    "methods": ("Methods and assumptions", "方法与假设"),
    "provenance": ("Provenance", "来源与可复现信息"),
}


#: Every other string of the brief, by key: (English, Chinese).
TEXT: dict[str, Translated] = {
    "title": ("Policy brief: what-if scenarios", "政策简报：情景分析"),
    "subtitle": (
        "Agent-based model of Shanxi's development-zone reform, {start}–{end}",
        "山西开发区改革主体模型，{start}–{end}年",
    ),
    "question_main": (
        "The question: how do the reform's alternatives compare on the outcomes the province "
        "cares about (output and firms in the zones, growth, zones that lose status, approval "
        "times, staff), and how sure can we be which is better?",
        "问题：改革的各备选方案在全省关心的结果（开发区产出与企业、增长、失去资格的开发区、"
        "审批时间、编制）上表现如何？我们有多大把握判断哪种更好？",
    ),
    "findings_robust_intro": (
        "Which management mode does better: over {n} states of the world that vary every "
        "assumed parameter over its range, {seeds} per state (details in 'Which mode, how "
        "sure?' below).",
        "哪种管理模式更好：基于{n}个“世界状态”（每个假设参数在其范围内变化），每个状态{k}个"
        "随机种子（详见下文“哪种模式更好，把握有多大？”）。",
    ),
    "seed_noise_note": (
        "In brackets after each outcome: how much of the variance of its comparisons is seed "
        "noise rather than the assumptions.",
        "各结果后的括号内注明：其比较的方差中有多少来自随机种子波动而非假设。",
    ),
    "verdict_mode_q": ("Which management mode?", "哪种管理模式更好？"),
    "verdict_whatif_q": ("What do the what-ifs change?", "各对比情景带来什么变化？"),
    "verdict_all": (
        "{p} is the better mode on every outcome measured: it likely beats each other mode "
        "on each of them.",
        "{p}在所测的每项结果上都更好：它在每项结果上都可能胜过其他每种模式。",
    ),
    "verdict_split": (
        "The better mode depends on the outcome: {items}.",
        "更好的模式取决于所看的结果：{items}。",
    ),
    "verdict_item": ("{p} likely does better on {outcomes}", "{p}在{outcomes}上可能更好"),
    "verdict_some": (
        "{items}; on the other {k} of the {n} outcomes measured no mode is reliably best{depends}.",
        "{items}；在所测{n}项结果中的其余{k}项上，没有哪种模式稳定地更好{depends}。",
    ),
    "verdict_none": (
        "No mode is reliably best on {scope}{depends}.",
        "在{scope}上，没有哪种模式稳定地更好{depends}。",
    ),
    "depends": ("; the answer depends most on {params}", "；答案最取决于{params}"),
    "scope_one": ("the outcome measured", "所测的这项结果"),
    "scope_all": ("any of the {k} outcomes measured", "所测的{k}项结果中的任何一项"),
    "depends_weak": (
        "; no single assumption stands out at this budget (the most promising to measure: "
        "{params})",
        "；以目前的计算量，没有哪一个假设明显突出（最值得测定的是{params}）",
    ),
    "depends_none": (
        "; no single assumption settles it at this budget",
        "；以目前的计算量，没有哪一个假设能单独决定答案",
    ),
    "and": (" and ", "和"),
    "verdict_whatifs": (
        "Against the baseline in {year}, under {assumptions} (seed noise only): {items}.",
        "与{year}年基准情景相比，在{assumptions}下（仅含随机种子波动）：{items}。",
    ),
    "wi_worse": ("worse on more criteria than better: {names}", "变差的标准多于变好的：{names}"),
    "wi_better": ("better on more criteria than worse: {names}", "变好的标准多于变差的：{names}"),
    "wi_mixed": ("as many criteria better as worse: {names}", "变好与变差的标准一样多：{names}"),
    "wi_none": (
        "no clear difference on any criterion: {names}",
        "在各项标准上均无明显差别：{names}",
    ),
    "findings_mode_head": ("Which mode: the detail", "哪种模式：详细结论"),
    "findings_whatif_head": ("The what-ifs: the detail", "各对比情景：详细结论"),
    "toc": ("Contents", "目录"),
    "findings_no_robust": (
        "These findings are conditional on {assumptions}: the management modes' "
        "effects are assumed, and the intervals here hold seed noise only, so they cannot say "
        "which mode is better. Run `zonesim explore` (and `zonesim brief --robustness DIR`) "
        "for graded confidence over the assumptions' ranges.",
        "以下结论以{assumptions}为前提：管理模式的作用是假设，这里的区间只反映随机种子的波动，"
        "无法说明哪种模式更好。运行 `zonesim explore`（并用 `zonesim brief --robustness DIR`）"
        "可得到在各假设范围内分级的把握程度。",
    ),
    "findings_default_head": (
        "Against the baseline in {year}, under {assumptions} (seed noise only):",
        "{year}年与基准情景相比，在{assumptions}下（仅含随机种子波动）：",
    ),
    # What the brief was made from: values set over the scenario files, the exploration.
    "assumptions_default": ("the default assumptions", "默认假设"),
    "assumptions_set": (
        "the default assumptions except {params} (set for this batch)",
        "默认假设（但本批次另行设定{params}）",
    ),
    "baseline_set_title": ("Baseline", "基准情景"),
    "set_label": ("set: {params}", "设定：{params}"),
    "set_item": ("{param} = {value} (default {default})", "{param} = {value}（默认{default}）"),
    "set_in": ("{items} in {names}", "在{names}中：{items}"),
    "set_note": (
        "Parameters set for this batch over the scenario files (`zonesim run --set`): "
        "{items}. Titles and questions name what each file changes; every result here is "
        "computed with the values set.",
        "本批次在情景文件之上另行设定了参数（`zonesim run --set`）：{items}。"
        "标题和问题说明各情景文件改变了什么；本简报的所有结果均按所设定的取值计算。",
    ),
    "exploration_source": (
        "From the exploration in `{path}`: {states} states of the world × {seeds} seeds, "
        "master seed {seed}; command `{command}`.",
        "依据 `{path}` 中的探索：{states}个世界状态 × 每个状态{seeds}个随机种子，"
        "主随机种子{seed}；命令 `{command}`。",
    ),
    "finding_none": ("no clear difference on these criteria", "在这些标准上没有明显差别"),
    "finding_identical": (
        "the same as the baseline on every criterion in every paired run: the default "
        "assumptions make its change inert (the management modes' assumed effects, for one, "
        "are equal by default)",
        "每一次配对运行在各项标准上都与基准情景完全相同：默认假设下其改变不起作用（例如各管理"
        "模式的假设作用默认相等）",
    ),
    "finding_identical_explored": (
        "; how it compares over the assumptions' ranges is in 'Which mode, how sure?'",
        "；在假设取值范围内的比较见“哪种模式更好，把握有多大？”",
    ),
    "finding_like_for_like": (
        "on a fixed territory (every unit that is part of a zone, whatever its status) "
        "{metric} {real}; as reported (the zones the statistics count) {total}",
        "按固定范围（凡属开发区的单元，不论其地位）计，{metric}{real}；"
        "按统计口径（统计所覆盖的开发区）计为{total}",
    ),
    "finding_relabelled_share": (
        ", of which {share} is relabelling (which zones are counted), not real change",
        "，其中{share}来自统计范围的变化（计入哪些开发区），而非实际变化",
    ),
    "caveats_head": ("How to read these findings", "如何理解这些结论"),
    "caveat_modes": (
        "No study measures the management modes' effects: the model's mode effects are "
        "assumptions, given the same range for every mode. Differences between modes follow "
        "from those assumptions.",
        "尚无研究测度各管理模式的作用：模型中的模式作用是假设，且每种模式取相同范围。"
        "模式之间的差异来自这些假设。",
    ),
    "caveat_calibration": (
        "Calibration: {fitted} targets fitted, {checked} checked without fitting, "
        "{structural} hold by construction. {ident}",
        "校准：{fitted}个目标用于拟合，{checked}个仅作检验，{structural}个按构造成立。{ident}",
    ),
    "caveat_ident": (
        "Of the {n} calibrated parameters, {identified} are identified by the targets, "
        "{weak} weakly, {none} not at all (their values stay within their prior range).",
        "{n}个校准参数中，{identified}个被目标识别，{weak}个弱识别，{none}个未被识别"
        "（其取值仍在先验范围内）。",
    ),
    "caveat_no_calibration": (
        "Calibration: none given; parameters are at their registry defaults, so the brief "
        "cannot say what the data pin down.",
        "校准：未提供；参数取参数表默认值，因此本简报无法说明数据确定了哪些参数。",
    ),
    "tradeoff_intro": (
        "Effect of each scenario against the baseline in {year} (mean over paired runs). "
        "Arrows mark the better direction; green is better, red worse, where the 95 % interval "
        "of the mean effect excludes zero; grey otherwise.",
        "{year}年各情景相对基准情景的影响（配对运行均值）。箭头表示更好的方向；当均值影响的95%区间"
        "不含零时，绿色表示更好、红色表示更差；否则为灰色。",
    ),
    "tradeoff_staff": (
        "Fewer staff posts count as better: lean administration is one of the reform's aims.",
        "编制人数越少越好：精简行政是改革的目标之一。",
    ),
    "higher_better": ("↑ better", "↑ 更好"),
    "lower_better": ("↓ better", "↓ 更好"),
    "better": ("better", "更好"),
    "worse": ("worse", "更差"),
    "unclear": ("unclear", "不明显"),
    "mode_rule": ("from {year}: {mode} for {zones}", "自{year}年起：{zones}实行{mode}"),
    "all_zones": ("all zones", "所有开发区"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "levels": ("national|provincial|park", "国家级|省级|园区"),
    "statuses": ("complete|interrupted|failed|running", "已完成|已中断|失败|运行中"),
    "types": ("industrial|eco_tourism|agri_hitech", "工业|生态文旅|农业高新"),
    **WHATIF_TEXT,
    **PLACES_TEXT,
    **METHODS_TEXT,
}


def text(key: str, lang: str, **fmt: Any) -> str:
    """Return the text ``key`` in ``lang`` (``"en"`` or ``"zh"``), formatted."""
    return translate(TEXT[key], lang).format(**fmt)


def heading(section: str, lang: str) -> str:
    """Return the heading of a section (a key of :data:`SECTIONS`) in ``lang``."""
    return translate(SECTIONS[section], lang)


def vocab(key: str, value: str, lang: str) -> str:
    """Translate a level or type name (as stored in the zone table)."""
    names = TEXT[key][0].split("|")
    if value in names:
        return text(key, lang).split("|")[names.index(value)]
    return value


#: Units of the parameter table in Chinese (the table's units are English).
UNITS_ZH = {
    "x legacy": "×原有体制",
    "x operator": "×运营主体",
    "index": "指数",
    "-": "",
    "share": "比例",
    "years": "年",
}


def unit_label(unit: str, lang: str) -> str:
    """A parameter's unit as the brief shows it (``-`` is no unit)."""
    if lang == "zh":
        return UNITS_ZH.get(unit, unit)
    return "" if unit == "-" else unit


def param_description(name: str, lang: str) -> str:
    """A parameter's (or the mode assignments') full meaning in ``lang`` ("" if unknown)."""
    if name == MODE_ASSIGNMENTS:
        return text("mode_assignments", lang)
    p = REGISTRY.get(name)
    if p is None:
        return ""
    return p.description_zh if lang == "zh" else p.description


def param_basis(name: str, lang: str) -> str:
    """Where a parameter's value comes from: assumed, measured (its source), or a lever."""
    p = REGISTRY.get(name)
    if p is None:
        return text("lever", lang) if name == MODE_ASSIGNMENTS else ""
    if p.is_assumption:
        return text("assumed", lang)
    return text("measured_source", lang, source=p.source_zh if lang == "zh" else p.source)
