"""The explorer's own words, in English and Chinese.

Labels of outputs, parameters, modes and cities come from their registries, and the
words of effects (better, worse, unclear, intervals) from the brief
(:mod:`sim.analysis.brief.text`); this table holds only what the page itself says, and
:func:`error_line` how it says an error.
"""

from __future__ import annotations

from typing import Any

from sim.core.lang import Translated, translate

#: Each language's name in itself, in the order of :data:`~sim.core.lang.LANGS`.
LANGUAGE_NAMES: Translated = ("English", "中文")

#: Every string of the page, by key: (English, Chinese).
TEXT: dict[str, Translated] = {
    "title": ("Shanxi zone reform explorer", "山西开发区改革交互探索"),
    "tab_watch": ("Watch one run", "观察一次运行"),
    "tab_whatif": ("What-if", "情景对比"),
    "tab_results": ("Results folder", "结果文件夹"),
    "scenario": ("Scenario", "情景"),
    "start_from": ("Start from", "起点情景"),
    "name": ("Name (letters, digits, _ . -)", "名称（字母、数字、_ . -）"),
    "end": ("Last year", "末年"),
    "seeds": ("Seeds (paired replicates)", "随机种子数（配对重复运行）"),
    "master_seed": ("Master seed", "主种子"),
    "seed_bad": (
        "Master seed: expected a whole number from 0 to 2^63 - 1; kept {seed}.",
        "主种子：应为0至2^63 - 1之间的整数；保留{seed}。",
    ),
    "levers": ("Levers and assumptions", "政策杠杆与假设"),
    "levers_note": (
        "Every slider runs from the parameter's lower to its upper bound in the parameter "
        "registry; grey captions say what it means and what it rests on.",
        "每个滑块的范围即参数表中该参数的下限至上限；灰色说明给出其含义和依据。",
    ),
    "posterior_note": (
        "This scenario draws the calibrated parameters from the calibration posterior in "
        "every replicate; a slider you move fixes that parameter for every replicate.",
        "该情景的每次重复运行都从校准后验中抽取校准参数；移动某个滑块会使该参数在所有重复运行中固定为该值。",
    ),
    "changed": ("changed", "已修改"),
    "group_timeline": ("Reform timeline", "改革时间安排"),
    "group_assessment": ("Assessment and exit", "考核与退出"),
    "group_land": ("Land and new zones", "用地与新设开发区"),
    "group_modes": ("Management modes", "管理模式"),
    "group_environment": ("Approval and business environment", "审批与营商环境"),
    "group_entry": ("Entry of firms", "企业进入"),
    "group_sectors": ("Sectors", "行业"),
    "group_growth": ("Firm growth and exit", "企业成长与退出"),
    "group_province": ("The province", "全省"),
    "modes": ("Management modes by zone", "各开发区管理模式"),
    "modes_note": (
        "Each rule gives the chosen zones a mode from its date, as [[modes]] in a scenario "
        "file; later rules win.",
        "每条规则自其日期起为所选开发区指定管理模式，与情景文件中的 [[modes]] 相同；"
        "后面的规则优先。",
    ),
    "rule_year": ("From", "起始时间"),
    "rule_mode": ("Mode", "模式"),
    "rule_field": ("Zones", "开发区"),
    "rule_values": ("Which", "范围"),
    "field_all": ("all zones", "所有开发区"),
    "field_city": ("prefecture", "地市"),
    "field_level": ("level", "级别"),
    "field_type": ("type", "类型"),
    "field_mode": ("registered mode", "登记模式"),
    "field_ids": ("zone ids", "开发区编号"),
    "rule_add": ("Add a rule", "添加规则"),
    "rule_remove": ("Remove", "删除"),
    "draft_description": (
        "{start}, changed in the explorer: {changes}.",
        "{start}，在交互探索中修改：{changes}。",
    ),
    "reset_edits": ("Undo all changes", "撤销所有修改"),
    # watch one run
    "watch_intro": (
        "Replicate {k} of the scenario (seed {seed}): Step advances one year, ▶ plays, "
        "Reset starts again with the settings on the left.",
        "该情景的第{k}次重复运行（种子 {seed}）：“Step”前进一年，“▶”连续运行，"
        "“Reset”按左侧设置重新开始。",
    ),
    "replicate": ("Replicate", "重复运行"),
    "stale": (
        "The settings on the left changed since this run started: press Reset to watch them.",
        "左侧设置在本次运行开始后已修改：按“Reset”以观察新设置。",
    ),
    "year_now": ("Year {year} finished", "已完成{year}年"),
    "not_started": ("No year finished yet: press Step.", "尚未完成任何年份：请按“Step”。"),
    "finished": ("The run reached {end}.", "运行已到{end}年。"),
    "colour_by": ("Colour prefectures by", "地市着色依据"),
    "mode_share": ("Share of zones: {mode}", "开发区占比：{mode}"),
    "map_title": ("{what}, {year}", "{year}年{what}"),
    "map_zones": (
        "Dots: zones with status, in their mode's colour,\nplaced around the seat (not at "
        "their sites).",
        "圆点：在册开发区，颜色为其管理模式，\n围绕地市驻地排列（并非实际位置）。",
    ),
    "headline": ("Headline outputs", "主要输出"),
    "timeline": ("Reform timeline (numbered on the charts)", "改革时间线（图中编号）"),
    "timeline_off": ("switched off", "已关闭"),
    "events_none": ("No dated event in this scenario.", "该情景没有带日期的事件。"),
    # what-if
    "whatif_intro": (
        "Runs the scenario on the left against the baseline with {n} paired seeds "
        "(common random numbers), {start}–{end}, in the background.",
        "在后台以{n}个配对种子（共同随机数）运行左侧情景与基准情景，{start}–{end}年。",
    ),
    "run": ("Run against the baseline", "与基准情景对比运行"),
    "cancel": ("Cancel", "取消"),
    "progress": ("{done} of {total} runs", "已完成{done}/{total}次运行"),
    "cancelled": ("Cancelled.", "已取消。"),
    "error": ("The what-if failed: {line}", "情景运行失败：{line}"),
    "ran": (
        "{name} against the baseline: {n} paired seeds, master seed {seed}; {ran} run(s) "
        "computed, {reused} reused, in {seconds:.1f} s.",
        "{name}与基准情景对比：{n}个配对种子，主种子{seed}；计算{ran}次运行，复用{reused}次，"
        "用时{seconds:.1f}秒。",
    ),
    "verdict": ("Reading", "判断"),
    "save_head": ("Save as scenario", "另存为情景"),
    "save_path": ("File (.toml)", "文件（.toml）"),
    "overwrite": ("Replace an existing file", "覆盖已有文件"),
    "save": ("Save", "保存"),
    "saved": (
        "Saved {path}; `zonesim validate` accepts it. To reproduce this what-if: {command}",
        "已保存 {path}，可通过 `zonesim validate` 检查。复现此情景对比：{command}",
    ),
    "save_failed": ("Not saved: {line}", "未保存：{line}"),
    "exists": (
        "{path}: the file exists; tick 'Replace an existing file' or choose another name",
        "{path}：文件已存在；请勾选“覆盖已有文件”或换一个名称",
    ),
    # results folder
    "results_intro": (
        "A batch folder written by `zonesim run` (with a baseline and what-ifs).",
        "由 `zonesim run` 生成的批次文件夹（含基准情景和对比情景）。",
    ),
    "folder": ("Batch folder", "批次文件夹"),
    "open": ("Open", "打开"),
    "open_failed": ("Cannot open it: {line}", "无法打开：{line}"),
    "opened": (
        "{path}: {n} scenario(s), {reps} replicate(s), {start}–{end}; baseline {baseline}.",
        "{path}：{n}个情景，{reps}次重复运行，{start}–{end}年；基准情景 {baseline}。",
    ),
    "map_results": (
        "Zone output by prefecture, baseline, {year}",
        "{year}年各地市开发区产出（基准）",
    ),
}


def text(key: str, lang: str, **fmt: Any) -> str:
    """The page's text ``key`` in ``lang`` (``"en"`` or ``"zh"``), formatted."""
    return translate(TEXT[key], lang).format(**fmt)


def error_line(exc: BaseException) -> str:
    """An error on one line: a scenario or parameter error's message, else ``Type: message``."""
    lines = str(exc).strip().splitlines()
    first = lines[0] if lines else ""
    if isinstance(exc, ValueError | FileNotFoundError | FileExistsError) and first:
        return first
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__
