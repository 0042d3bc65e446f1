"""Policy what-if briefs: a self-contained HTML page and a Markdown twin.

A brief reads one or more batch folders (:func:`sim.load_results`) and, for every
scenario other than the baseline, states the question the scenario asks, the
headline effects against the baseline with intervals, fan charts of the key
metrics, the zones that lost status, a comparison of management modes, a
methods-and-assumptions box and a provenance footer taken from the manifests.

Every number comes from :mod:`sim.experiments.summary`: scenario values from
:func:`~sim.experiments.summary.summarize` and effects from
:func:`~sim.experiments.summary.paired_differences` (replicate ``k`` of every scenario
shares seed ``k``, and its posterior draw where the batch used one, so effects are
paired differences). The brief is a pure function of the batch folders: building it
twice gives the same bytes.

The HTML needs no network to open: figures are embedded PNG images, the style
sheet is inline, and there is no script. Text comes in English (``"en"``) or
Chinese (``"zh"``); figures use Chinese labels only where a CJK font is installed
(:func:`sim.analysis.plotting.cjk_font`) and English labels otherwise.
"""

from __future__ import annotations

import base64
import contextlib
import html
import json
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis import plotting
from sim.core.params import MODE_ASSIGNMENTS, REGISTRY
from sim.experiments.store import Results, load_results
from sim.experiments.summary import paired_differences, summarize

#: Metrics in the headline table, in display order.
HEADLINE_METRICS = plotting.KEY_METRICS
#: Years in the headline table (the last one is replaced by the batch's last year).
HEADLINE_YEARS = (2018, 2025, 2035)
#: Mode-count metrics of the annual table.
MODE_METRICS = tuple(f"zones_{m}" for m in plotting.MODES)
#: Zone-table columns compared across modes.
MODE_OUTCOMES = ("firms", "gdp", "approval_days")
#: Rows of the lost-status table shown at most per scenario.
MAX_LOST_ROWS = 15
#: Quantiles of the paired differences shown as the spread across runs.
SPREAD = (0.05, 0.95)

#: Section headings, by identifier: (English, Chinese).
SECTIONS: dict[str, tuple[str, str]] = {
    "summary": ("Summary", "概要"),
    "question": ("The question", "问题"),
    "changes": ("What the scenario changes", "情景设定"),
    "effects": ("Headline effects against the baseline", "相对基准情景的主要影响"),
    "fans": ("Key metrics over time", "关键指标走势"),
    "lost": ("Zones that lost status", "失去资格的开发区"),
    "modes": ("Management modes compared", "管理模式比较"),
    "methods": ("Methods and assumptions", "方法与假设"),
    "provenance": ("Provenance", "来源与可复现信息"),
}

_T: dict[str, tuple[str, str]] = {
    "title": ("Policy brief: what-if scenarios", "政策简报：情景分析"),
    "subtitle": (
        "Agent-based model of Shanxi's development-zone reform, {start}–{end}",
        "山西开发区改革主体模型，{start}–{end}年",
    ),
    "whatif": ("What if: {name}", "情景：{name}"),
    "baseline_is": (
        "Baseline: **{name}**. {n} what-if scenario(s); {reps} replicate(s) per scenario.",
        "基准情景：**{name}**。共{n}个对比情景；每个情景{reps}次重复运行。",
    ),
    "baseline_question": ("The baseline asks: {q}", "基准情景的问题：{q}"),
    "headline_sentence": (
        "In {year}, {metric}: {diff} against the baseline (95 % interval of the mean "
        "effect {lo} to {hi}).",
        "{year}年，{metric}：与基准相比{diff}（平均影响的95%区间 {lo} 至 {hi}）。",
    ),
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
    "measured": ("data or literature", "数据或文献"),
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
        "Effects in {year}: mean (dot) and 5–95 % of paired runs (bar).",
        "{year}年的影响：均值（圆点）与配对运行的5–95%范围（横线）。",
    ),
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
        "Share of replicates in which the zone had lost its status by {year} (provincial "
        "zones rated unqualified in consecutive years lose status); first year is the "
        "median over the replicates where it did. {more}",
        "截至{year}年失去资格的重复运行比例（连续被评为不合格的省级开发区失去资格）；"
        "首年为发生该情况的重复运行的中位数。{more}",
    ),
    "lost_more": ("{n} more zone(s) not shown.", "另有{n}个开发区未列出。"),
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
    "target": ("Target", "目标"),
    "observed": ("Observed", "观测值"),
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
    "other_assumptions": ("Other assumed parameters", "其他假设参数"),
    "whatif_assumptions": (
        "Assumed parameters a what-if changes: {items}.",
        "对比情景改变的假设参数：{items}。",
    ),
    "batch": ("Batch", "批次"),
    "item": ("Item", "项目"),
    "command": ("Command", "命令"),
    "model_version": ("Model version", "模型版本"),
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
    "missing_runs": (
        "Warning: {n} run(s) of this batch have not finished; numbers use the finished runs.",
        "注意：该批次有{n}次运行尚未完成；数字仅基于已完成的运行。",
    ),
    "figure_fallback": (
        "",
        "本机未安装中文字体，图中文字以英文显示（安装方法：apt-get install fonts-noto-cjk）。",
    ),
    "generated": (
        "Built by `zonesim brief` from the batch folder(s) above; numbers are means over "
        "replicates as stored by `sim.load_results`.",
        "由 `zonesim brief` 根据上述批次生成；数字为 `sim.load_results` 读取的重复运行均值。",
    ),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "tolerance": ("Tolerance", "容差"),
    "within": ("Within tolerance", "在容差内"),
    "levels": ("national|provincial|park", "国家级|省级|园区"),
    "types": ("industrial|eco_tourism|agri_hitech", "工业|生态文旅|农业高新"),
}


def text(key: str, lang: str, **fmt: Any) -> str:
    """Return the text ``key`` in ``lang`` (``"en"`` or ``"zh"``), formatted."""
    return _T[key][plotting.LANGS.index(lang)].format(**fmt)


def heading(section: str, lang: str) -> str:
    """Return the heading of a section (a key of :data:`SECTIONS`) in ``lang``."""
    return SECTIONS[section][plotting.LANGS.index(lang)]


def _vocab(key: str, value: str, lang: str) -> str:
    """Translate a level or type name (as stored in the zone table)."""
    names = _T[key][0].split("|")
    if value in names:
        return text(key, lang).split("|")[names.index(value)]
    return value


# --------------------------------------------------------------------------- numbers


def fmt_number(value: float) -> str:
    """Format a number with about four significant digits and thousands separators.

    At most three decimals; ``nan`` becomes an en dash. The brief's tables use this
    one format, so a reader (or a test) can tell from a number how far it is rounded.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    value = float(value)
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    decimals = min(3, max(0, 3 - math.floor(math.log10(abs(value)))))
    out = f"{value:,.{decimals}f}"
    return "0" if out in ("-0", "0") or re.fullmatch(r"-?0\.0*", out) else out


def fmt_interval(low: float, high: float, lang: str) -> str:
    """Format an interval as ``low to high`` (``low 至 high`` in Chinese)."""
    return f"{fmt_number(low)} {text('to', lang)} {fmt_number(high)}"


def _fmt_share(value: float) -> str:
    return f"{100 * value:.0f} %"


def _fmt_param(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# --------------------------------------------------------------------------- loading


@dataclass
class BriefData:
    """The batches a brief is built from, combined.

    Attributes:
        paths: The batch folders, as given.
        results: The loaded batches, in the same order.
        annual: Annual tables of every batch, concatenated.
        zones: Zone-year tables concatenated, or ``None`` if a batch has none.
        scenarios: Scenario names in batch order.
        baseline: The baseline scenario.
        info: Per scenario, its manifest entry (description, parameters, seeds).
        batch_of: Per scenario, the index of its batch.
    """

    paths: list[Path]
    results: list[Results]
    annual: pd.DataFrame
    zones: pd.DataFrame | None
    scenarios: list[str]
    baseline: str
    info: dict[str, dict[str, Any]]
    batch_of: dict[str, int]

    @property
    def whatifs(self) -> list[str]:
        """The scenarios other than the baseline, in batch order."""
        return [s for s in self.scenarios if s != self.baseline]

    @property
    def years(self) -> tuple[int, int]:
        """First and last year of the annual table."""
        return int(self.annual["year"].min()), int(self.annual["year"].max())

    def replicates(self, scenario: str) -> int:
        """Number of replicates of a scenario in the tables."""
        rows = self.annual[self.annual["scenario"] == scenario]
        return int(rows[["replicate", "seed"]].drop_duplicates().shape[0])

    def uses_posterior(self, scenario: str) -> bool:
        """Whether the scenario's replicates carry posterior draws (parameters vary)."""
        entry = self.info.get(scenario, {})
        return bool(entry.get("posterior")) or ("params" in entry and entry["params"] is None)


def load_batches(paths: Sequence[str | Path], baseline: str | None = None) -> BriefData:
    """Load and combine batch folders for a brief.

    Args:
        paths: Batch folders written by ``zonesim run``.
        baseline: Baseline scenario (default: ``"baseline"`` if present, else the
            first scenario of the first batch).

    Returns:
        The combined data.

    Raises:
        FileNotFoundError: If a folder is not a batch folder.
        ValueError: If a scenario appears in two batches, a batch has several runs
            per scenario and replicate (a calibration or sensitivity design), the
            baseline is unknown, there is nothing to compare, or a what-if shares no
            seed with the baseline.
    """
    if not paths:
        raise ValueError("RESULTS_DIR: expected at least one batch folder")
    paths = [Path(p) for p in paths]
    results = [load_results(p) for p in paths]
    annual_parts, zone_parts = [], []
    scenarios: list[str] = []
    info: dict[str, dict[str, Any]] = {}
    batch_of: dict[str, int] = {}
    for i, (path, res) in enumerate(zip(paths, results, strict=True)):
        annual = res.annual
        if annual.empty:
            raise ValueError(f"{path}: expected finished runs in the batch, found none")
        if annual.duplicated(["scenario", "replicate", "year"]).any():
            raise ValueError(
                f"{path}: expected one run per scenario and replicate (a scenario batch from "
                "`zonesim run`), got a sample design (calibration or sensitivity)"
            )
        for name in dict.fromkeys(annual["scenario"]):
            if name in batch_of:
                raise ValueError(
                    f"{path}: scenario {name!r}: expected each scenario in one batch only, "
                    f"it is also in {paths[batch_of[name]]}"
                )
            batch_of[name] = i
            scenarios.append(name)
            info[name] = dict(res.manifest.get("scenarios", {}).get(name, {}))
        annual_parts.append(annual)
        zone_parts.append(res.zones if res.manifest.get("zones", True) else None)
    annual = pd.concat(annual_parts, ignore_index=True) if len(paths) > 1 else annual_parts[0]
    zones = None
    if all(z is not None and not z.empty for z in zone_parts):
        zones = pd.concat(zone_parts, ignore_index=True) if len(paths) > 1 else zone_parts[0]
    if baseline is None:
        baseline = "baseline" if "baseline" in batch_of else scenarios[0]
    elif baseline not in batch_of:
        raise ValueError(
            f"--baseline: expected a scenario of the batch ({', '.join(scenarios)}), "
            f"got {baseline!r}"
        )
    if len(scenarios) < 2:
        raise ValueError(
            f"{paths[0]}: expected at least two scenarios (a baseline and a what-if), "
            f"got {', '.join(scenarios)}"
        )
    base_seeds = set(annual.loc[annual["scenario"] == baseline, "seed"])
    for name in scenarios:
        if name != baseline and not base_seeds & set(
            annual.loc[annual["scenario"] == name, "seed"]
        ):
            raise ValueError(
                f"{paths[batch_of[name]]}: scenario {name!r}: expected seeds shared with the "
                f"baseline {baseline!r} (run them with the same --seed), got none in common"
            )
    return BriefData(paths, results, annual, zones, scenarios, baseline, info, batch_of)


# --------------------------------------------------------------------------- tables


def headline_years(data: BriefData, years: Sequence[int] = HEADLINE_YEARS) -> list[int]:
    """Years of the headline table: ``years`` within the horizon, the last one moved to its end."""
    first, last = data.years
    wanted = [*years[:-1], last] if years else [last]
    return sorted({y for y in wanted if first <= y <= last})


def headline_effects(
    data: BriefData,
    *,
    years: Sequence[int] | None = None,
    metrics: Sequence[str] = HEADLINE_METRICS,
) -> pd.DataFrame:
    """Headline table: scenario and baseline means and paired effects with intervals.

    Args:
        data: The combined batches.
        years: Years to report (default: :func:`headline_years`).
        metrics: Metrics to report.

    Returns:
        One row per what-if, metric and year with columns ``scenario, metric, year,
        baseline_mean, scenario_mean, mean, ci_low, ci_high, low, high, n``, where
        ``mean`` etc. describe scenario minus baseline over paired runs and
        ``low``/``high`` are the 5 % and 95 % quantiles of the paired differences.
    """
    years = headline_years(data) if years is None else list(years)
    metrics = [m for m in metrics if m in data.annual.columns]
    levels = summarize(data.annual, metrics=metrics)
    diffs = paired_differences(
        data.annual, data.baseline, metrics=metrics, quantiles=(*SPREAD, 0.5)
    )
    lo_col, hi_col = (f"q{round(q * 100):02d}" for q in SPREAD)
    lv = levels.set_index(["scenario", "year", "metric"])["mean"]
    rows = []
    for scen in data.whatifs:
        d = diffs[(diffs["scenario"] == scen) & diffs["year"].isin(years)]
        d = d.set_index(["metric", "year"])
        for metric in metrics:
            for year in years:
                if (metric, year) not in d.index:
                    continue
                r = d.loc[(metric, year)]
                rows.append(
                    {
                        "scenario": scen,
                        "metric": metric,
                        "year": int(year),
                        "baseline_mean": float(lv.get((data.baseline, year, metric), math.nan)),
                        "scenario_mean": float(lv.get((scen, year, metric), math.nan)),
                        "mean": float(r["mean"]),
                        "ci_low": float(r["ci_low"]),
                        "ci_high": float(r["ci_high"]),
                        "low": float(r[lo_col]),
                        "high": float(r[hi_col]),
                        "n": int(r["n"]),
                    }
                )
    return pd.DataFrame(rows)


def _zones(data: BriefData) -> pd.DataFrame:
    if data.zones is None:
        raise ValueError(f"{data.paths[0]}: expected zone tables (run without --no-zones)")
    return data.zones


def lost_status(data: BriefData, scenario: str) -> pd.DataFrame:
    """Zones that lost status by the last year in a scenario or in the baseline.

    Args:
        data: The combined batches (with zone tables).
        scenario: The what-if.

    Returns:
        One row per zone with columns ``zone_id, city, level, type, share_baseline,
        share_scenario, first_year`` (share of replicates; median first year in the
        scenario), sorted by the scenario's share, then the baseline's, then zone.
    """
    z = _zones(data)
    last = data.years[1]
    rows = z[z["scenario"].isin([scenario, data.baseline])]
    gone = rows[rows["status"] == "delisted"]
    first = (
        gone.groupby(["scenario", "replicate", "zone_id"], sort=False)["year"].min().reset_index()
    )
    out = []
    meta = rows[rows["year"] == last].drop_duplicates("zone_id").set_index("zone_id")
    for zone_id, grp in first.groupby("zone_id", sort=True):
        shares = {}
        for scen in (data.baseline, scenario):
            shares[scen] = grp["scenario"].eq(scen).sum() / max(data.replicates(scen), 1)
        years = grp.loc[grp["scenario"] == scenario, "year"]
        m = meta.loc[zone_id] if zone_id in meta.index else None
        out.append(
            {
                "zone_id": zone_id,
                "city": m["city"] if m is not None else "",
                "level": m["level"] if m is not None else "",
                "type": m["type"] if m is not None else "",
                "share_baseline": float(shares[data.baseline]),
                "share_scenario": float(shares[scenario]),
                "first_year": float(years.median()) if len(years) else math.nan,
            }
        )
    df = pd.DataFrame(
        out,
        columns=[
            "zone_id", "city", "level", "type", "share_baseline", "share_scenario", "first_year"
        ],
    )  # fmt: skip
    return df.sort_values(
        ["share_scenario", "share_baseline", "zone_id"], ascending=[False, False, True]
    ).reset_index(drop=True)


def mode_counts(data: BriefData, year: int | None = None) -> pd.DataFrame:
    """Mean zones with status in each mode, by scenario (rows) and mode (columns)."""
    year = data.years[1] if year is None else year
    s = summarize(data.annual, metrics=list(MODE_METRICS))
    s = s[s["year"] == year].pivot(index="scenario", columns="metric", values="mean")
    return s.reindex(index=data.scenarios, columns=list(MODE_METRICS))


def mode_outcomes(data: BriefData, year: int | None = None) -> pd.DataFrame:
    """Mean outcome per zone with status, by scenario and mode (zone tables required)."""
    year = data.years[1] if year is None else year
    z = _zones(data)
    rows = z[(z["year"] == year) & (z["status"] == "active")]
    out = rows.groupby(["scenario", "mode"], sort=False)[list(MODE_OUTCOMES)].mean()
    order = [(s, m) for s in data.scenarios for m in plotting.MODES if (s, m) in out.index]
    return out.loc[order]


def changed_parameters(data: BriefData, scenario: str) -> list[tuple[str, Any, Any]] | None:
    """Parameters whose resolved value differs from the baseline's, or ``None`` if unknown."""
    a = data.info.get(data.baseline, {}).get("params")
    b = data.info.get(scenario, {}).get("params")
    if a is None or b is None:
        return None
    keys = [k for k in REGISTRY if k in a or k in b]
    keys += [k for k in sorted(set(a) | set(b)) if k not in REGISTRY]
    return [(k, a.get(k), b.get(k)) for k in keys if a.get(k) != b.get(k)]


# --------------------------------------------------------------------------- methods


@dataclass
class Calibration:
    """A calibration fit read from a calibration output folder.

    Attributes:
        path: Where it was read from.
        table: One row per target: ``target``, ``observed``, ``simulated`` and, where
            the fit has them, ``tolerance`` and ``within`` (within tolerance).
        note: Extra line (e.g. the distance), or ``""``.
    """

    path: Path
    table: pd.DataFrame
    note: str = ""


@dataclass
class Sensitivity:
    """Headline results of a sensitivity analysis folder.

    Attributes:
        path: The folder.
        method: The method (``morris``, ``sobol``, ...).
        top: Per output, the influential parameters with their index, best first.
    """

    path: Path
    method: str
    top: dict[str, list[tuple[str, float]]] = field(default_factory=dict)


def _first_column(df: pd.DataFrame, names: Iterable[str]) -> str | None:
    return next((n for n in names if n in df.columns), None)


def read_calibration(folder: str | Path) -> Calibration | None:
    """Read a calibration fit (a table of targets with observed and simulated values).

    Looks for ``fit.csv``, ``targets.csv``, ``validation.csv`` or ``report.csv`` in
    ``folder`` with a target column (``target``, ``name`` or ``metric``), an observed
    column (``observed``, ``target_value`` or ``value``) and a simulated column
    (``simulated``, ``sim_mean``, ``mean`` or ``sim``).

    Returns:
        The fit, or ``None`` if the folder holds none.
    """
    folder = Path(folder)
    for name in ("fit.csv", "targets.csv", "validation.csv", "report.csv"):
        path = folder / name
        if not path.is_file():
            continue
        try:
            df = pd.read_csv(path)
        except (OSError, ValueError, pd.errors.ParserError):
            continue
        tcol = _first_column(df, ("target", "name", "metric"))
        ocol = _first_column(df, ("observed", "target_value", "value"))
        scol = _first_column(df, ("simulated", "sim_mean", "mean", "sim"))
        if tcol and ocol and scol:
            table = df[[tcol, ocol, scol]].copy()
            table.columns = ["target", "observed", "simulated"]
            for extra in ("tolerance", "within"):
                if extra in df.columns:
                    table[extra] = df[extra].to_numpy()
            note = ""
            meta = folder / "summary.json"
            if meta.is_file():
                with contextlib.suppress(OSError, ValueError):
                    m = json.loads(meta.read_text(encoding="utf-8"))
                    if isinstance(m, dict) and "distance" in m:
                        note = f"distance {fmt_number(float(m['distance']))}"
            return Calibration(path, table, note)
    return None


def read_sensitivity(folder: str | Path, per_output: int = 3) -> Sensitivity | None:
    """Read the headline indices of a ``zonesim sensitivity`` output folder.

    Uses ``convergence.csv`` (``parameter, output, index, value, influential``) and
    ``summary.json`` (``method``).

    Returns:
        The largest indices per output (influential ones first), or ``None``.
    """
    folder = Path(folder)
    conv, meta = folder / "convergence.csv", folder / "summary.json"
    if not (conv.is_file() and meta.is_file()):
        return None
    try:
        df = pd.read_csv(conv)
        method = str(json.loads(meta.read_text(encoding="utf-8")).get("method", "?"))
    except (OSError, ValueError, pd.errors.ParserError):
        return None
    if not {"parameter", "output", "value"} <= set(df.columns):
        return None
    if "index" in df.columns:  # one headline index per method: keep the first listed
        df = df[df["index"] == df["index"].iloc[0]]
    top: dict[str, list[tuple[str, float]]] = {}
    for output, grp in df.groupby("output", sort=False):
        grp = grp.assign(_abs=grp["value"].abs()).sort_values("_abs", ascending=False)
        if "influential" in grp.columns and grp["influential"].astype(bool).any():
            grp = grp[grp["influential"].astype(bool)]
        top[str(output)] = [
            (str(p), float(v)) for p, v in zip(grp["parameter"], grp["value"], strict=True)
        ][:per_output]
    return Sensitivity(folder, method, top)


def find_method_outputs(
    paths: Sequence[Path],
) -> tuple[Calibration | None, list[Sensitivity]]:
    """Look for calibration and sensitivity outputs beside the batch folders.

    Calibration: the ``calibration`` folder beside the results folder (the project's
    ``calibration/``) or a ``calibration*`` folder among the batches' siblings.
    Sensitivity: ``sensitivity*`` folders among the batches' siblings.
    """
    parents = list(dict.fromkeys(p.resolve().parent for p in paths))
    cal_dirs: list[Path] = []
    sens: list[Sensitivity] = []
    for parent in parents:
        cal_dirs += sorted(parent.glob("calibration*"))
        cal_dirs.append(parent.parent / "calibration")
        for folder in sorted(parent.glob("sensitivity*")):
            s = read_sensitivity(folder)
            if s is not None:
                sens.append(s)
    calibration = None
    for folder in dict.fromkeys(cal_dirs):
        if folder.is_dir():
            calibration = read_calibration(folder)
            if calibration is not None:
                break
    return calibration, sens


# --------------------------------------------------------------------------- document


@dataclass
class BriefFigure:
    """A rendered figure of the brief.

    Attributes:
        name: File name (``.png``) used beside the Markdown.
        alt: Alternative text.
        caption: Caption shown under it.
        png: PNG bytes.
    """

    name: str
    alt: str
    caption: str
    png: bytes


@dataclass
class Brief:
    """A built brief.

    Attributes:
        lang: ``"en"`` or ``"zh"``.
        html: The self-contained HTML page.
        markdown: The Markdown version (figures referenced as files).
        figures: The figures, in order of appearance.
        headline: The headline table (:func:`headline_effects`).
        figure_dir: Folder name of the Markdown's figures, relative to it.
    """

    lang: str
    html: str
    markdown: str
    figures: list[BriefFigure]
    headline: pd.DataFrame
    figure_dir: str


class _Doc:
    """Builds HTML and Markdown side by side from the same calls."""

    def __init__(self, figure_dir: str) -> None:
        self.html: list[str] = []
        self.md: list[str] = []
        self.figures: list[BriefFigure] = []
        self.figure_dir = figure_dir

    def heading(self, level: int, title: str, anchor: str | None = None) -> None:
        ident = f' id="{html.escape(anchor)}"' if anchor else ""
        self.html.append(f"<h{level}{ident}>{html.escape(title)}</h{level}>")
        self.md.append(f"{'#' * level} {title}\n")

    def para(self, body: str, cls: str | None = None) -> None:
        """A paragraph; ``**bold**`` and ``code`` in backticks work in both outputs."""
        c = f' class="{cls}"' if cls else ""
        self.html.append(f"<p{c}>{_inline(body)}</p>")
        self.md.append(("> " if cls == "warning" else "") + body + "\n")

    def quote(self, body: str) -> None:
        self.html.append(f'<blockquote class="question">{html.escape(body)}</blockquote>')
        self.md.append("> " + body + "\n")

    def items(self, entries: Sequence[str]) -> None:
        self.html.append("<ul>" + "".join(f"<li>{_inline(e)}</li>" for e in entries) + "</ul>")
        self.md.append("\n".join(f"- {e}" for e in entries) + "\n")

    def table(
        self, header: Sequence[str], rows: Sequence[Sequence[str]], cls: str = "", numeric: int = 0
    ) -> None:
        """A table; columns from index ``numeric`` on are right-aligned numbers."""
        head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
        body = "".join(
            "<tr>"
            + "".join(
                f'<td class="num">{html.escape(c)}</td>'
                if numeric and j >= numeric
                else f"<td>{html.escape(c)}</td>"
                for j, c in enumerate(row)
            )
            + "</tr>"
            for row in rows
        )
        c = f' class="{cls}"' if cls else ""
        self.html.append(f"<table{c}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        align = ["---:" if numeric and j >= numeric else "---" for j in range(len(header))]
        lines = [
            "| " + " | ".join(_md_cell(h) for h in header) + " |",
            "| " + " | ".join(align) + " |",
            *("| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows),
        ]
        self.md.append("\n".join(lines) + "\n")

    def figure(self, fig: Any, name: str, alt: str, caption: str) -> None:
        png = plotting.to_png(fig)
        self.figures.append(BriefFigure(name, alt, caption, png))
        data = base64.b64encode(png).decode("ascii")
        self.html.append(
            f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(alt)}">'
            + (f"<figcaption>{html.escape(caption)}</figcaption>" if caption else "")
            + "</figure>"
        )
        self.md.append(
            f"![{alt}]({self.figure_dir}/{name})\n" + (f"\n*{caption}*\n" if caption else "")
        )

    def open(self, tag: str, cls: str) -> None:
        self.html.append(f'<{tag} class="{cls}">')

    def close(self, tag: str) -> None:
        self.html.append(f"</{tag}>")

    def raw_md(self, body: str) -> None:
        self.md.append(body)


def _md_cell(value: str) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _inline(body: str) -> str:
    """Escape text for HTML, then render ``**bold**`` and backtick code."""
    out = html.escape(body)
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", out)


_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",
"Helvetica Neue",Arial,sans-serif;max-width:58rem;margin:2rem auto;padding:0 1rem;
color:#222;line-height:1.5}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #ccc;margin-top:2.2rem}
h3{margin-top:1.4rem}.subtitle{color:#555;margin-top:0}
table{border-collapse:collapse;margin:.6rem 0;font-size:.88rem}
th,td{border:1px solid #ddd;padding:.25rem .5rem;vertical-align:top}
th{background:#f3f3f3;text-align:left}td.num{text-align:right;white-space:nowrap}
figure{margin:1rem 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.85rem;color:#555}
blockquote.question{border-left:4px solid #d62728;margin:.5rem 0;padding:.3rem .8rem;
background:#fdf3f3}
.methods{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:.2rem 1rem 1rem}
.provenance{font-size:.82rem;color:#444;border-top:1px solid #ccc;margin-top:2.5rem}
.warning{background:#fff8c5;padding:.4rem .6rem;border-radius:4px}
.note{font-size:.85rem;color:#555}code{font-size:.85em}
"""


def _param_desc(name: str, lang: str) -> str:
    if name == MODE_ASSIGNMENTS:
        return text("mode_assignments", lang)
    p = REGISTRY.get(name)
    return p.description if p is not None else ""


def build_brief(
    paths: Sequence[str | Path],
    *,
    baseline: str | None = None,
    lang: str = "en",
    years: Sequence[int] | None = None,
    calibration: Calibration | None = None,
    sensitivity: Sequence[Sensitivity] | None = None,
    discover: bool = True,
    figure_dir: str = "brief_files",
    robustness: str | Path | None = None,
) -> Brief:
    """Build a brief from batch folders.

    Args:
        paths: Batch folders (``zonesim run ... --out DIR``).
        baseline: Baseline scenario (default: ``"baseline"`` or the first scenario).
        lang: ``"en"`` or ``"zh"``.
        years: Years of the headline table (default: :func:`headline_years`).
        calibration: Calibration fit to report (default: found beside the batches
            when ``discover`` is true).
        sensitivity: Sensitivity analyses to report (default: found likewise).
        discover: Whether to look for calibration and sensitivity outputs.
        figure_dir: Folder name for the Markdown's figure files.
        robustness: An exploration folder (``zonesim explore --out``) whose "which mode,
            how sure" section goes before the methods.

    Returns:
        The brief, in memory (see :func:`write_brief`).

    Raises:
        ValueError: If ``lang`` is unknown or the batches cannot be compared (see
            :func:`load_batches`).
        FileNotFoundError: If a folder is not a batch folder.
    """
    plotting.check_lang(lang)
    data = load_batches(paths, baseline)
    if discover and (calibration is None or sensitivity is None):
        found_cal, found_sens = find_method_outputs(data.paths)
        calibration = found_cal if calibration is None else calibration
        sensitivity = found_sens if sensitivity is None else sensitivity
    sensitivity = list(sensitivity or [])
    figlang = plotting.figure_language(lang)
    first, last = data.years
    head = headline_effects(data, years=years)
    labels = {s: s for s in data.scenarios}
    doc = _Doc(figure_dir)
    t = lambda key, **kw: text(key, lang, **kw)  # noqa: E731

    doc.heading(1, t("title"))
    doc.para(t("subtitle", start=first, end=last), cls="subtitle")
    for i, res in enumerate(data.results):
        if len(res.missing):
            doc.para(t("missing_runs", n=len(res.missing)) + f" ({data.paths[i]})", cls="warning")

    # Summary -------------------------------------------------------------------------
    doc.heading(2, heading("summary", lang), "summary")
    reps = sorted({data.replicates(s) for s in data.scenarios})
    doc.para(
        t(
            "baseline_is",
            name=data.baseline,
            n=len(data.whatifs),
            reps="/".join(str(r) for r in reps),
        )
    )
    base_q = data.info.get(data.baseline, {}).get("description")
    if base_q:
        doc.para(t("baseline_question", q=base_q))
    summary_items = []
    for scen in data.whatifs:
        rows = head[(head["scenario"] == scen) & (head["year"] == last)]
        parts = []
        for metric in ("firms", "stat_zone_gdp"):
            r = rows[rows["metric"] == metric]
            if len(r):
                r = r.iloc[0]
                parts.append(
                    t(
                        "headline_sentence",
                        year=last,
                        metric=plotting.metric_label(metric, lang),
                        diff=_signed(r["mean"]),
                        lo=fmt_number(r["ci_low"]),
                        hi=fmt_number(r["ci_high"]),
                    )
                )
        summary_items.append(f"**{scen}**: " + " ".join(parts))
    doc.items(summary_items)
    if lang == "zh" and figlang != "zh":
        doc.para(t("figure_fallback"), cls="note")

    # What-ifs ------------------------------------------------------------------------
    posterior_used = [s for s in data.scenarios if data.uses_posterior(s)]
    for scen in data.whatifs:
        doc.heading(2, t("whatif", name=scen), f"whatif-{scen}")
        doc.heading(3, heading("question", lang))
        desc = data.info.get(scen, {}).get("description") or t("no_description")
        doc.quote(desc)

        doc.heading(3, heading("changes", lang))
        changes = changed_parameters(data, scen)
        if changes is None:
            doc.para(t("changes_unknown"))
        elif not changes:
            doc.para(t("no_changes"))
        else:
            rows = []
            for name, a, b in changes:
                p = REGISTRY.get(name)
                if p is None:
                    basis = t("lever") if name == MODE_ASSIGNMENTS else ""
                else:
                    basis = t("assumed") if p.is_assumption else t("measured") + f": {p.source}"
                rows.append([name, _fmt_param(a), _fmt_param(b), _param_desc(name, lang), basis])
            doc.table(
                [t("param"), t("baseline_value"), t("scenario_value"), t("meaning"), t("basis")],
                rows,
            )

        doc.heading(3, heading("effects", lang))
        rows_h = head[head["scenario"] == scen]
        post = t("posterior_note") if scen in posterior_used else ""
        doc.table(
            [
                t("metric"),
                t("year"),
                t("baseline_value"),
                t("scenario_value"),
                t("effect"),
                t("ci"),
                t("spread"),
                t("pairs"),
            ],
            [
                [
                    plotting.metric_label(r.metric, lang),
                    str(r.year),
                    fmt_number(r.baseline_mean),
                    fmt_number(r.scenario_mean),
                    fmt_number(r.mean),
                    fmt_interval(r.ci_low, r.ci_high, lang),
                    fmt_interval(r.low, r.high, lang),
                    str(r.n),
                ]
                for r in rows_h.itertuples()
            ],
            cls="headline",
            numeric=2,
        )
        doc.para(t("effects_note", posterior=post), cls="note")
        at_end = rows_h[rows_h["year"] == last].copy()
        if len(at_end):
            at_end["label"] = [plotting.metric_label(m, figlang) for m in at_end["metric"]]
            doc.figure(
                plotting.effects_chart(at_end, lang=figlang),
                f"{scen}-effects.png",
                f"{scen}: effects {last}",
                t("effects_fig", year=last),
            )

        doc.heading(3, heading("fans", lang))
        doc.figure(
            plotting.fan_grid(
                data.annual,
                [m for m in HEADLINE_METRICS if m in data.annual.columns],
                scenarios=[data.baseline, scen],
                labels=labels,
                lang=figlang,
            ),
            f"{scen}-fans.png",
            f"{scen}: key metrics {first}-{last}",
            t("fans_fig", start=first, end=last),
        )

        doc.heading(3, heading("lost", lang))
        if data.zones is None:
            doc.para(t("lost_no_zones"))
        else:
            lost = lost_status(data, scen)
            if lost.empty:
                doc.para(t("lost_none", year=last))
            else:
                shown = lost.head(MAX_LOST_ROWS)
                more = t("lost_more", n=len(lost) - len(shown)) if len(lost) > len(shown) else ""
                doc.table(
                    [
                        t("zone"),
                        t("city"),
                        t("level"),
                        t("type"),
                        t("share_base"),
                        t("share_scen"),
                        t("first_year"),
                    ],
                    [
                        [
                            r.zone_id,
                            r.city,
                            _vocab("levels", r.level, lang),
                            _vocab("types", r.type, lang),
                            _fmt_share(r.share_baseline),
                            _fmt_share(r.share_scenario),
                            "–" if math.isnan(r.first_year) else f"{r.first_year:g}",
                        ]
                        for r in shown.itertuples()
                    ],
                    numeric=4,
                )
                doc.para(t("lost_note", year=last, more=more), cls="note")

    # Modes ---------------------------------------------------------------------------
    doc.heading(2, heading("modes", lang), "modes")
    doc.para(t("modes_intro", year=last))
    counts = mode_counts(data)
    doc.table(
        [t("scenario"), *(plotting.mode_label(m, lang) for m in plotting.MODES)],
        [[s, *(fmt_number(counts.loc[s, c]) for c in MODE_METRICS)] for s in counts.index],
        numeric=1,
    )
    doc.figure(
        plotting.mode_counts_chart(data.annual, scenarios=data.scenarios, lang=figlang),
        "modes-counts.png",
        f"zones by mode {last}",
        "",
    )
    if data.zones is not None:
        outcomes = mode_outcomes(data)
        doc.table(
            [
                t("scenario"),
                t("mode"),
                *(plotting.zone_label(c, lang) for c in MODE_OUTCOMES),
            ],
            [
                [s, plotting.mode_label(m, lang), *(fmt_number(v) for v in row)]
                for (s, m), row in zip(outcomes.index, outcomes.to_numpy(), strict=True)
            ],
            numeric=2,
        )
        doc.para(t("modes_outcomes_note", year=last), cls="note")
        doc.figure(
            plotting.mode_outcomes_chart(
                data.zones, columns=MODE_OUTCOMES, scenarios=data.scenarios, lang=figlang
            ),
            "modes-outcomes.png",
            f"zone outcomes by mode {last}",
            "",
        )

    if robustness is not None:
        from sim.analysis.robustness.section import robustness_section

        part = robustness_section(robustness, lang)
        doc.html.append(part.html)
        doc.md.append(part.markdown)

    # Methods -------------------------------------------------------------------------
    doc.open("section", "methods")
    doc.heading(2, heading("methods", lang), "methods")
    design = [t("batch_design", reps="/".join(str(r) for r in reps), start=first, end=last)]
    if posterior_used:
        design.append(t("posterior_used", names=", ".join(posterior_used)))
    else:
        design.append(t("posterior_absent"))
    doc.items(design)

    doc.heading(3, t("calibration_head"))
    if calibration is None:
        doc.para(t("calibration_none"))
    else:
        doc.para(t("calibration_from", path=_shown_path(calibration.path)))
        cal = calibration.table
        extra = [c for c in ("tolerance", "within") if c in cal.columns]
        doc.table(
            [t("target"), t("observed"), t("simulated"), *(t(c) for c in extra)],
            [
                [
                    str(r["target"]),
                    fmt_number(r["observed"]),
                    fmt_number(r["simulated"]),
                    *(
                        (t("yes") if _truthy(r[c]) else t("no"))
                        if c == "within"
                        else fmt_number(r[c])
                        for c in extra
                    ),
                ]
                for _, r in cal.iterrows()
            ],
            numeric=1,
        )
        if calibration.note:
            doc.para(calibration.note, cls="note")

    doc.heading(3, t("sensitivity_head"))
    if not sensitivity:
        doc.para(t("sensitivity_none"))
    for sens in sensitivity:
        doc.para(t("sensitivity_from", method=sens.method, path=_shown_path(sens.path)))
        doc.table(
            [t("output"), t("top_params")],
            [
                [out, ", ".join(f"{p} ({v:.2g})" for p, v in items)]
                for out, items in sens.top.items()
            ],
        )

    doc.heading(3, t("assumed_head"))
    assumed = [p for p in REGISTRY.values() if p.is_assumption]
    doc.para(t("assumed_intro", n=len(assumed), total=len(REGISTRY)))
    doc.table(
        [t("param"), t("value"), t("range"), t("meaning")],
        [
            [p.name, f"{p.default:g}", f"{p.lower:g}–{p.upper:g} {p.unit}", p.description]
            for p in assumed
            if p.group == "modes"
        ],
    )
    others = [p.name for p in assumed if p.group != "modes"]
    if others:
        doc.para(f"{t('other_assumptions')}: " + ", ".join(f"`{n}`" for n in others) + ".")
    touched = sorted(
        {
            name
            for scen in data.whatifs
            for name, _, _ in (changed_parameters(data, scen) or [])
            if name in REGISTRY and REGISTRY[name].is_assumption
        }
    )
    if touched:
        doc.para(t("whatif_assumptions", items=", ".join(f"`{n}`" for n in touched)))
    doc.close("section")

    # Provenance ----------------------------------------------------------------------
    doc.open("footer", "provenance")
    doc.heading(2, heading("provenance", lang), "provenance")
    for i, res in enumerate(data.results):
        m = res.manifest
        git = m.get("git") or {}
        commit = git.get("commit") or t("unknown")
        if git.get("dirty"):
            commit += t("dirty")
        scen_here = [s for s in data.scenarios if data.batch_of[s] == i]
        seeds = _seed_text(m, scen_here, lang)
        packages = m.get("packages") or {}
        versions = ", ".join(f"{k} {v}" for k, v in packages.items() if v)
        runs = m.get("runs") or {}
        rows = [
            [t("batch"), f"{_shown_path(data.paths[i])} ({', '.join(scen_here)})"],
            [t("command"), str(m.get("command", t("unknown")))],
            [t("model_version"), str(m.get("model_version", t("unknown")))],
            [t("commit"), commit],
            [t("run_time"), f"{m.get('started', '?')} – {m.get('finished', '?')}"],
            [t("status"), str(m.get("status", t("unknown")))],
            [t("runs_done"), f"{runs.get('run', '?')} / {runs.get('total', len(res.runs))}"],
            [t("seeds"), seeds],
            [t("versions"), versions or t("unknown")],
        ]
        doc.table([t("item"), t("value")], rows, cls="provenance-table")
    doc.para(t("generated"), cls="note")
    doc.close("footer")

    page = _page(doc, lang, t("title"))
    markdown = "\n".join(doc.md).rstrip() + "\n"
    return Brief(lang, page, markdown, doc.figures, head, figure_dir)


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value) and not (isinstance(value, float) and math.isnan(value))


def _signed(value: float) -> str:
    out = fmt_number(value)
    return out if out.startswith("-") or out == "0" else "+" + out


def _shown_path(path: Path) -> str:
    """A path as shown in the brief: relative to the working folder where possible."""
    resolved = Path(path).resolve()
    if resolved.is_relative_to(Path.cwd()):
        return resolved.relative_to(Path.cwd()).as_posix()
    return resolved.as_posix()


def _seed_text(manifest: Mapping[str, Any], scenarios: Sequence[str], lang: str) -> str:
    parts = []
    master = manifest.get("master_seed")
    if master is not None:
        parts.append(text("master_seed", lang, seed=master))
    entries = manifest.get("scenarios") or {}
    seeds = None
    for s in scenarios:
        seeds = (entries.get(s) or {}).get("seeds")
        if seeds:
            break
    if isinstance(seeds, Mapping):
        shown = ", ".join(f"{k}: {v}" for k, v in list(seeds.items())[:8])
        if len(seeds) > 8:
            shown += ", …"
        parts.append(text("replicate_seeds", lang, seeds=shown))
    elif seeds:
        parts.append(str(seeds))
    return "; ".join(parts) or text("unknown", lang)


def _page(doc: _Doc, lang: str, title: str) -> str:
    code = "zh-CN" if lang == "zh" else "en"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{code}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(doc.html)
        + "\n</body>\n</html>\n"
    )


# --------------------------------------------------------------------------- writing


def output_paths(out: str | Path) -> tuple[Path, Path, Path]:
    """HTML, Markdown and figure-folder paths for ``--out`` (an ``.html`` or ``.md`` file)."""
    out = Path(out)
    if out.suffix.lower() in (".md", ".markdown"):
        md, page = out, out.with_suffix(".html")
    else:
        page, md = out, out.with_suffix(".md")
    return page, md, md.with_name(md.stem + "_files")


def write_brief(brief: Brief, out: str | Path) -> list[Path]:
    """Write a brief's HTML, Markdown and the Markdown's figure files.

    Every file is written under a temporary name and renamed into place, so an
    interrupted write leaves no half-written file.

    Args:
        brief: The brief (:func:`build_brief`).
        out: The HTML path (``.md`` for the Markdown path; the other gets the other
            suffix). Figures go to ``<stem>_files/`` beside the Markdown.

    Returns:
        The paths written.
    """
    page, md, fig_dir = output_paths(out)
    markdown = brief.markdown.replace(f"]({brief.figure_dir}/", f"]({fig_dir.name}/")
    page.parent.mkdir(parents=True, exist_ok=True)
    fig_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fig in brief.figures:
        written.append(_atomic(fig_dir / fig.name, lambda p, b=fig.png: p.write_bytes(b)))
    written.append(_atomic(md, lambda p: p.write_text(markdown, encoding="utf-8")))
    written.append(_atomic(page, lambda p: p.write_text(brief.html, encoding="utf-8")))
    return written


def _atomic(path: Path, write: Callable[[Path], Any]) -> Path:
    """Write through a temporary file in the same folder, then rename it into place."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # created with the user's umask
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
