"""The brief's words, in English and Chinese: section headings and every sentence.

:data:`SECTIONS` holds the headings and :data:`TEXT` every other string, each as an
``(English, Chinese)`` pair; :func:`text` and :func:`heading` pick a language and fill
in the ``{placeholders}``. A new sentence is one entry here, in both languages.
"""

from __future__ import annotations

from typing import Any

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
    "batch_design": (
        "Design: {reps} replicate(s) per scenario, {start}–{end}, quarterly steps with annual "
        "outputs; every number is a mean over replicates unless a range is given.",
        "设计：每个情景{reps}次重复运行，{start}–{end}年，按季度推进、按年输出；除注明范围外，"
        "所有数字均为重复运行的均值。",
    ),
    "posterior_used": (
        "Parameter uncertainty: the replicates of {names} carry posterior draws of the "
        "calibrated parameters, so their intervals include it.",
        "参数不确定性：{names} 的各次重复运行使用校准参数的后验抽样，因此区间已包含参数不确定性。",
    ),
    "posterior_absent": (
        "Parameter uncertainty: not included (every replicate uses the same parameter "
        "values); intervals show stochastic variation only.",
        "参数不确定性：未包含（各次重复运行使用相同参数）；区间只反映随机波动。",
    ),
    "calibration_head": ("Calibration fit", "校准拟合"),
    "calibration_none": (
        "No calibration outputs were found; parameters are at their registry defaults.",
        "未找到校准结果；参数取参数表默认值。",
    ),
    "calibration_from": ("From {path}.", "来自 {path}。"),
    "calibration_distance": (
        "Best-fit distance {distance} (one unit is about one target tolerance).",
        "最优拟合距离 {distance}（一个单位约为一个目标容差）。",
    ),
    "target": ("Target", "目标"),
    "target_value": ("Target value", "目标值"),
    "kind": ("Kind", "类型"),
    "kind_two_sided": ("two-sided", "双侧"),
    "kind_at_least": ("at least ≥", "至少 ≥"),
    "kind_at_most": ("at most ≤", "至多 ≤"),
    "source": ("Source", "来源"),
    "simulated": ("Simulated", "模拟值"),
    "sensitivity_head": ("Main sensitivities", "主要敏感参数"),
    "sensitivity_none": (
        "No sensitivity analysis was found (run `zonesim sensitivity` to add one).",
        "未找到敏感性分析结果（可运行 `zonesim sensitivity` 生成）。",
    ),
    "sensitivity_from": (
        "{method} analysis in {path}: the parameters that move each output most.",
        "{path} 中的 {method} 分析：对各输出影响最大的参数。",
    ),
    "output": ("Output", "输出"),
    "top_params": ("Most influential parameters (index)", "影响最大的参数（指数）"),
    "assumed_head": ("Assumed, not measured", "假设而非实测"),
    "assumed_intro": (
        "{n} of the model's {total} parameters are assumptions (their source in the "
        "parameter registry says so); their ranges are what the sensitivity analysis "
        "explores. The management-mode effects are all assumptions:",
        "模型{total}个参数中有{n}个是假设（参数表中的来源注明为假设）；其取值范围即敏感性分析"
        "的探索范围。管理模式的作用全部是假设：",
    ),
    "range": ("Range", "范围"),
    "value": ("Value", "取值"),
    "other_assumptions": ("Other assumed parameters: {items}.", "其他假设参数：{items}。"),
    "whatif_assumptions": (
        "Assumed parameters a what-if changes: {items}.",
        "对比情景改变的假设参数：{items}。",
    ),
    "batch": ("Batch", "批次"),
    "item": ("Item", "项目"),
    "command": ("Command", "命令"),
    "model_version": ("Model version", "模型版本"),
    "model_version_value": (
        "{number} of {date} (code {code})",
        "{number}（{date}；代码 {code}）",
    ),
    "commit": ("Git commit", "Git 提交"),
    "dirty": (" (uncommitted changes)", "（含未提交的修改）"),
    "unknown": ("unknown", "未知"),
    "run_time": ("Run", "运行时间"),
    "status": ("Status", "状态"),
    "runs_done": ("Runs", "运行数"),
    "seeds": ("Seeds", "种子"),
    "master_seed": ("master seed {seed}", "主种子 {seed}"),
    "replicate_seeds": ("replicate seeds {seeds}", "各次重复的种子 {seeds}"),
    "versions": ("Versions", "版本"),
    "horizons_note": (
        "The scenarios end in different years ({items}): every scenario is compared over "
        "the years they share, {start}–{end}.",
        "各情景的结束年份不同（{items}）：所有情景只在共同覆盖的年份（{start}–{end}年）内比较。",
    ),
    "missing_annual": (
        "Warning: {n} run(s) of this batch are missing from its annual tables (not finished, "
        "or a part damaged); the numbers use the {found} of {total} runs found.",
        "注意：该批次有{n}次运行不在年度表中（尚未完成或文件损坏）；数字仅基于找到的{found}/{total}次运行。",
    ),
    "missing_zones": (
        "Warning: {n} run(s) of this batch are missing from its zone tables (not finished, "
        "or a part damaged); the sections on zones and prefectures use the {found} of {total} "
        "runs found.",
        "注意：该批次有{n}次运行不在开发区表中（尚未完成或文件损坏）；有关开发区和地市的部分仅基于找到的{found}/{total}次运行。",
    ),
    "runs_in_annual": ("annual tables {found} / {total}", "年度表 {found} / {total}"),
    "runs_in_zones": ("zone tables {found} / {total}", "开发区表 {found} / {total}"),
    "generated": (
        "Built by `zonesim brief` from the batch folder(s) above; numbers are means over "
        "replicates as stored by `sim.load_results`.",
        "由 `zonesim brief` 根据上述批次生成；数字为 `sim.load_results` 读取的重复运行均值。",
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
    "prefectures_intro": (
        "Output of the zones with status in each of Shanxi's 11 prefectures in {year} "
        "(baseline, mean over replicates), and each what-if's effect on it (mean paired "
        "difference, with the 95 % interval of the mean in brackets).",
        "{year}年山西11个地市在册开发区的产出（基准情景，重复运行均值），及各对比情景对其的影响"
        "（配对差值均值，括号内为均值的95%区间）。",
    ),
    "map_fig": (
        "Map: Shanxi's outline is Natural Earth's (public domain); each prefecture is drawn as "
        "the part of the province nearest its seat (dot), not its administrative boundary, for "
        "which no openly licensed data could be bundled; colour is the model zones' generated "
        "output in {year}, baseline (not data on the prefectures).",
        "地图：山西省界取自Natural Earth（公有领域）；"
        "每个地市显示为省内距其政府驻地（圆点）最近的区域，并非行政边界"
        "（没有可随附的开放许可地市边界数据）；颜色表示{year}年基准情景模型开发区的模拟产出（并非各地市的数据）。",
    ),
    "zone_output": ("Zone output (100 m yuan), baseline", "开发区产出（亿元，基准）"),
    "firms_col": ("Firms", "企业数"),
    "map_level_scale": (
        "Zone output (100 m yuan), in five classes of about two prefectures each",
        "开发区产出（亿元），分为五档，每档约两个地市",
    ),
    "map_effect_title": (
        "{scenario}: change in zone output, {year}",
        "{scenario}：{year}年开发区产出的变化",
    ),
    "map_effect_scale": (
        "Difference from the baseline (100 m yuan); hatched: 95 % interval includes 0",
        "与基准情景之差（亿元）；斜线：95 % 区间包含 0",
    ),
    "map_effect_fig": (
        "Map: change in the zones' output in {year} under {scenario} against the baseline "
        "(mean paired difference over replicates, 100 m yuan); a hatched prefecture's 95 % "
        "interval includes zero. Prefectures drawn as on the map above.",
        "地图：{scenario}情景下{year}年开发区产出相对基准情景的变化（各次重复配对差的均值，"
        "亿元）；斜线填充的地市，其 95 % 区间包含零。地市画法与上图相同。",
    ),
    "map_note": (
        "Outline: Natural Earth (public domain). Each cell is the area nearest\n"
        "a prefecture seat, not the prefecture's administrative boundary.",
        "省界：Natural Earth（公有领域）。各区为距地市驻地最近的范围，\n不是地市行政边界。",
    ),
    "ranking_intro": (
        "The {n} model zones with the largest generated output in {year} (baseline, mean over "
        "replicates). {generated}",
        "{year}年模拟产出最大的{n}个模型开发区（基准情景，重复运行均值）。{generated}",
    ),
    "rank": ("Rank", "排名"),
    "synthetic": ("Seeded from", "设定依据"),
    "seeded_registry": ("public registry", "公开名录"),
    "seeded_synthetic": ("synthetic", "合成"),
    "model_zone_mark": (" (model zone)", "（模型开发区）"),
    "generated_zones": (
        "Each row is a zone of the model: a zone marked (model zone) takes its name, prefecture "
        "and level from the public registry, but its firms, output and whether it loses status "
        "are generated by the model under its assumptions, not data or a forecast for the real "
        "zone; synthetic zones are illustrative.",
        "每一行都是模型中的开发区：标有“（模型开发区）”的开发区，其名称、所属地市和级别取自公开名录，"
        "但其企业、产出以及是否失去资格均由模型在其假设下生成，既非该真实开发区的数据，也不是对它的预测；"
        "合成开发区仅作示意。",
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
    "role": ("Role", "作用"),
    "role_fitted": ("fitted", "拟合"),
    "role_checked": ("checked", "检验"),
    "role_structural": ("by construction", "按构造成立"),
    "calibration_roles": (
        "{fitted} target(s) were fitted, {checked} only checked, and {structural} hold by "
        "construction (a within-tolerance mark on those says nothing about the fit).",
        "{fitted}个目标用于拟合，{checked}个仅作检验，{structural}个按构造成立（这些目标“在容差内”"
        "并不说明拟合好坏）。",
    ),
    "mode_rule": ("from {year}: {mode} for {zones}", "自{year}年起：{zones}实行{mode}"),
    "all_zones": ("all zones", "所有开发区"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "tolerance": ("Tolerance", "容差"),
    "within": ("Within tolerance", "在容差内"),
    "levels": ("national|provincial|park", "国家级|省级|园区"),
    "statuses": ("complete|interrupted|failed|running", "已完成|已中断|失败|运行中"),
    "types": ("industrial|eco_tourism|agri_hitech", "工业|生态文旅|农业高新"),
}


def text(key: str, lang: str, **fmt: Any) -> str:
    """Return the text ``key`` in ``lang`` (``"en"`` or ``"zh"``), formatted."""
    return translate(TEXT[key], lang).format(**fmt)


#: Marks that join the parts of a list and of a clause, by language.
SEPARATORS: dict[str, Translated] = {
    "list": (", ", "，"),
    "clause": ("; ", "；"),
    "label": (": ", "："),
}


def separator(kind: str, lang: str) -> str:
    """The mark joining list items, clauses, or a label and its value, in ``lang``."""
    return translate(SEPARATORS[kind], lang)


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
