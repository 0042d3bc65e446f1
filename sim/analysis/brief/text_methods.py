"""The brief's words for its methods box, provenance footer and warnings, in both languages."""

from __future__ import annotations

from sim.core.lang import Translated

#: The words of the methods box, the provenance footer and the batch warnings, by key:
#: (English, Chinese); part of :data:`sim.analysis.brief.text.TEXT`.
METHODS_TEXT: dict[str, Translated] = {
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
    "tolerance": ("Tolerance", "容差"),
    "within": ("Within tolerance", "在容差内"),
}
