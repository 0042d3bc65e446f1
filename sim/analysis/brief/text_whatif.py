"""The brief's words for a what-if's sections and the management modes, in English and Chinese."""

from __future__ import annotations

from sim.core.lang import Translated

#: The words of the what-if and management-mode sections, by key: (English, Chinese);
#: part of :data:`sim.analysis.brief.text.TEXT`.
WHATIF_TEXT: dict[str, Translated] = {
    "whatif": ("What if: {name}", "情景：{name}"),
    "no_description": ("(no description in the scenario file)", "（情景文件未给出说明）"),
    "no_changes": (
        "No parameter differs from the baseline.",
        "与基准情景相比没有参数变化。",
    ),
    "changes_unknown": (
        "Parameters vary from run to run (posterior draws); see the batch's runs.parquet.",
        "参数逐次运行不同（后验抽样）；见批次的 runs.parquet。",
    ),
    "param": ("Parameter", "参数"),
    "baseline_value": ("Baseline", "基准"),
    "scenario_value": ("Scenario", "情景"),
    "meaning": ("Meaning", "含义"),
    "basis": ("Basis", "依据"),
    "assumed": ("assumption", "假设"),
    "measured_source": ("data or literature: {source}", "数据或文献：{source}"),
    "lever": ("policy choice of the scenario", "情景设定的政策选择"),
    "mode_assignments": (
        "Management modes assigned to zones, each from its year (year, mode, zones).",
        "自指定年份起为开发区指定的管理模式（年份、模式、开发区）。",
    ),
    "metric": ("Metric", "指标"),
    "year": ("Year", "年份"),
    "effect": ("Effect (mean)", "影响（均值）"),
    "ci": ("95 % interval of the mean", "均值的95%区间"),
    "spread": ("5–95 % of runs", "5–95%的运行"),
    "pairs": ("Runs", "运行数"),
    "to": ("to", "至"),
    "effects_note": (
        "Effect = scenario minus baseline, paired run by run over the common seeds "
        "(replicate k of every scenario shares seed k{posterior}). The 95 % interval is "
        "for the mean effect (Student t over the paired runs); the 5–95 % range shows how "
        "much the effect varies between runs.",
        "影响 = 情景值减基准值，按共同随机种子逐次配对（每个情景的第k次重复使用相同的第k个种子"
        "{posterior}）。95%区间针对平均影响（基于配对运行的t分布）；5–95%范围表示各次运行之间"
        "影响的离散程度。",
    ),
    "posterior_note": (
        " and the same posterior draw of the calibrated parameters",
        "及相同的校准参数后验抽样",
    ),
    "effects_fig": (
        "Effects in {year}: mean (dot) and 5–95 % of paired runs (bar); green is better, red "
        "worse (the 95 % interval of the mean excludes zero), grey unclear or neither.",
        "{year}年的影响：均值（圆点）与配对运行的5–95%范围（横线）；绿色为更好、红色为更差"
        "（均值的95%区间不含零），灰色为不明显或无所谓好坏。",
    ),
    "effects_alt": ("{scenario}: effects in {year}", "{scenario}：{year}年的影响"),
    "fans_alt": ("{scenario}: key metrics, {start}–{end}", "{scenario}：{start}–{end}年主要指标"),
    "mode_counts_alt": ("Zones by management mode, {year}", "{year}年各管理模式的开发区数"),
    "mode_outcomes_alt": (
        "Zone outcomes by management mode, {year}",
        "{year}年各管理模式的开发区结果",
    ),
    "map_title": ("{label}, {year}", "{year}年{label}"),
    "fans_fig": (
        "Median (line), 25–75 % and 5–95 % of replicates (bands), {start}–{end}.",
        "中位数（线）、重复运行的25–75%与5–95%范围（色带），{start}–{end}年。",
    ),
    "lost_none": (
        "No zone lost its status in either scenario by {year}.",
        "截至{year}年，两个情景中均无开发区失去资格。",
    ),
    "lost_no_zones": (
        "This batch did not store zone tables (run without --no-zones to see them).",
        "该批次未保存开发区明细表（运行时不加 --no-zones 即可保存）。",
    ),
    "lost_note": (
        "Share of replicates in which the model zone had lost its status by {year} (provincial "
        "zones rated unqualified in consecutive years lose status); first year is the "
        "median over the replicates where it did. {generated} {more}",
        "截至{year}年该模型开发区失去资格的重复运行比例（连续被评为不合格的省级开发区失去资格）；"
        "首年为发生该情况的重复运行的中位数。{generated}{more}",
    ),
    "lost_more": ("{n} more zone(s) not shown.", "另有{n}个开发区未列出。"),
    "registry_note": (
        "Zone registry: {named} of the {n} zones (and the units merged into them) carry the "
        "names, prefectures and levels public sources give; the national zones are {national}. "
        'The other {synthetic} zones are synthetic (named "Synthetic ..."): zone-level '
        "results for them are illustrative, not statements about real places. For the named "
        "zones too, firms, output, modes and dates are generated to match the provincial "
        "totals, so no zone's result is a forecast for that place.",
        "开发区名录：{n}个开发区中有{named}个（及并入其中的单位）采用公开资料给出的名称、所属地市和"
        "级别；国家级开发区为{national}。其余{synthetic}个为合成开发区（名称标有“合成”），其开发区"
        "层面的结果仅作示意，不代表真实地点。具名开发区的企业、产出、管理模式和时间同样按全省总量"
        "生成，因此任何开发区的结果都不是对该地的预测。",
    ),
    "zone": ("Zone", "开发区"),
    "city": ("City", "城市"),
    "level": ("Level", "级别"),
    "type": ("Type", "类型"),
    "share_base": ("Lost status, baseline", "基准情景失去资格比例"),
    "share_scen": ("Lost status, scenario", "本情景失去资格比例"),
    "first_year": ("First year (scenario)", "首年（本情景）"),
    "scenario": ("Scenario", "情景"),
    "mode": ("Mode", "模式"),
    "modes_intro": (
        "Zones with status in each management mode in {year} (mean over replicates), and "
        "outcomes per zone by mode. Mode effects are model assumptions (no quantitative "
        "study compares the modes): read differences between modes as consequences of "
        "those assumptions, not as findings.",
        "{year}年各管理模式下在册开发区数（重复运行均值）及各模式的每区表现。管理模式的作用是"
        "模型假设（尚无定量研究比较这三种模式）：模式之间的差异应理解为这些假设的结果，而非研究发现。",
    ),
    "modes_outcomes_note": (
        "Mean per zone with status in {year}, over zones in the mode and replicates.",
        "{year}年在册开发区每区均值（对该模式的开发区及重复运行取平均）。",
    ),
    "modes_descriptive": (
        "Descriptive, not causal: zones were given their modes for reasons (size, location, "
        "history), corporate zones have operators and all three systems, so differences "
        "between modes here mix the modes' assumed effects with who the zones are. The "
        "scenarios that give every zone one mode (and, better, `zonesim explore`) answer "
        "the causal question.",
        "这是描述，不是因果比较：各开发区的管理模式是因各自情况（规模、区位、历史）而定的，"
        "企业化管理的开发区都有运营主体并实行三项制度，因此这里模式之间的差异混合了模式的假设作用和"
        "开发区本身的差别。回答因果问题要看为所有开发区指定同一模式的情景"
        "（更好的是 `zonesim explore`）。",
    ),
}
