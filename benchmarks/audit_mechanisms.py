"""Audit of the model's mechanisms against the evidence: the nine figures of issue 11.

For the default parameters and paired seeds (common random numbers across scenarios), prints
each figure as a Markdown table: the mean over seeds with a 95 % t-interval, or a 5-95 % range
where the figure is a distribution over parameter draws. Only the public run boundary is used
(``sim.simulate``; scenarios resolved through ``sim.experiments.scenarios``; the ``annual``,
``zones`` and ``firms`` tables), so the same script measures later versions of the model. Where
a newer model reports a metric directly (``province_gdp``, ``land_designated_km2``), the script
uses it; otherwise it computes the figure from what exists and says so in the table's notes.

Usage::

    python benchmarks/audit_mechanisms.py [--seeds 20] [--workers 2] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sim.core import params as registry
from sim.core.run import simulate
from sim.experiments.backends import make_backend
from sim.experiments.fileio import atomic_write_text
from sim.experiments.scenarios import find_scenario, load_scenario
from sim.experiments.seeds import replicate_seeds

MASTER_SEED = 20170401
#: Shanxi GDP 2017, 亿元 (facts: about 1.55 trillion yuan); 2016 is deflated by 2017's 7.0 %.
PROVINCE_GDP_2017 = 15_500.0
PROVINCE_LAND_KM2 = 156_700.0
MODE_SCENARIOS = ("all_corporate", "all_sanheyi", "all_quzheng")
MODES = ("sanheyi", "quzheng", "corporate")
#: Mode effect parameters are ``<mode>_<effect>``; a mode without one has the legacy value.
MODE_EFFECT_LEGACY = {"capital": 1.0}
RANDOM_DRAWS = 50
FIRM_YEARS = (2017, 2018, 2020, 2035)
#: From this year on the firm table keeps only the year's entrants (all figure 4 reads), to
#: keep forty full firm tables in memory.
ENTRANTS_ONLY_FROM = 2021
ZONE_COLUMNS = ["year", "unit", "zone_id", "level", "type", "status", "in_statistics", "gdp"]
ZONE_COLUMNS_LAND = [*ZONE_COLUMNS, "planned_area_km2"]


# ---------------------------------------------------------------------------- runs
@dataclass(frozen=True)
class Job:
    """One run: a label, its parameters, seed, horizon and firm years."""

    label: str
    params: Mapping[str, Any]
    seed: int
    end: int
    firm_years: tuple[int, ...] = ()


@dataclass
class Out:
    """The tables of one run that the audit reads."""

    annual: pd.DataFrame
    zones: pd.DataFrame
    firms: pd.DataFrame = field(default_factory=pd.DataFrame)


def run_job(job: Job) -> Out:
    """Run one job and keep the columns the audit reads."""
    res = simulate(dict(job.params), seed=job.seed, end=job.end, firm_years=job.firm_years)
    zones = res.zones[[c for c in ZONE_COLUMNS_LAND if c in res.zones.columns]]
    firms = getattr(res, "firms", pd.DataFrame())
    if len(firms):
        keep = [c for c in ("year", "firm_id", "unit", "size", "birth", "origin") if c in firms]
        late = firms["year"] >= ENTRANTS_ONLY_FROM
        firms = firms.loc[~late | (firms["birth"] >= firms["year"]), keep].copy()
        for c in ("unit", "origin"):
            if c in firms:
                firms[c] = firms[c].astype("category")
    return Out(res.annual, zones, firms)


def run_all(jobs: Sequence[Job], workers: int | None) -> list[Out]:
    """Run every job (in worker processes when ``workers`` > 1), in order."""
    out: list[Out | None] = [None] * len(jobs)
    with make_backend(workers) as backend:
        for i, res in backend.imap_unordered(run_job, jobs):
            out[i] = res
    return out  # type: ignore[return-value]


def scenario_params(name: str) -> dict[str, Any]:
    """Resolved parameters of a shipped scenario."""
    return dict(load_scenario(find_scenario(name)).params)


def equal_mode_effects(base: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, float]]:
    """Set every mode effect equal across the three reform modes.

    Each effect takes the mean of the three modes' defaults; an effect that only some modes
    have (``corporate_capital``) takes the legacy value its absence means (1.0).

    Returns:
        The parameters and the common values by effect.
    """
    effects = sorted(
        {
            n.split("_", 1)[1]
            for n, p in registry.REGISTRY.items()
            if n.split("_", 1)[0] in MODES and p.kind != "bool"  # a switch is structure
        }
    )
    out, common = dict(base), {}
    for eff in effects:
        names = [f"{m}_{eff}" for m in MODES]
        present = [n for n in names if n in registry.REGISTRY]
        if len(present) == len(MODES):
            value = float(np.mean([base[n] for n in present]))
        else:
            value = MODE_EFFECT_LEGACY.get(eff, float(np.mean([base[n] for n in present])))
        for n in present:
            out[n] = value
        common[eff] = value
    return out, common


def random_draws(n: int, seed: int) -> list[dict[str, float]]:
    """``n`` parameter sets drawn uniformly within the registry's bounds (SALib's names)."""
    names = registry.salib_problem()["names"]
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(99,)))
    draws = []
    for _ in range(n):
        d = {}
        for name in names:
            p = registry.REGISTRY[name]
            v = rng.uniform(p.lower, p.upper)
            d[name] = float(round(v)) if p.kind == "int" else float(v)
        draws.append(d)
    return draws


def plan(seeds: Sequence[int], end: int = 2035, draws: int = RANDOM_DRAWS) -> dict[str, list[Job]]:
    """Every run the audit needs, by group; the same seed list pairs the scenarios."""
    base = scenario_params("baseline")
    noref = scenario_params("no_reform")
    fy = tuple(y for y in FIRM_YEARS if y <= end)
    groups: dict[str, list[Job]] = {
        "baseline": [Job("baseline", base, s, end, fy) for s in seeds],
        "no_reform": [Job("no_reform", noref, s, end, fy) for s in seeds],
        "no_level_effect": [
            Job("no_level_effect", {**base, "reform_level_effect": 0.0}, s, min(end, 2018))
            for s in seeds
        ],
        "no_bureau": [
            Job("no_bureau", {**base, "approval_bureau_on": 0}, s, min(end, 2022)) for s in seeds
        ],
    }
    for name in MODE_SCENARIOS:
        p = scenario_params(name)
        groups[name] = [Job(name, p, s, end) for s in seeds]
        groups[f"{name}_equal"] = [Job(name, equal_mode_effects(p)[0], s, end) for s in seeds]
    rs = replicate_seeds(MASTER_SEED + 1, draws)
    groups["random"] = [
        Job("random", registry.resolve(d), s, end)
        for d, s in zip(random_draws(draws, MASTER_SEED), rs, strict=True)
    ]
    return groups


def run_plan(groups: Mapping[str, list[Job]], workers: int | None) -> dict[str, list[Out]]:
    """Run every group's jobs; results by group, in seed order."""
    flat = [j for jobs in groups.values() for j in jobs]
    res = iter(run_all(flat, workers))
    return {g: [next(res) for _ in jobs] for g, jobs in groups.items()}


# ---------------------------------------------------------------------------- statistics
@dataclass
class Row:
    """One line of the audit table."""

    figure: int
    measure: str
    mean: float
    lo: float
    hi: float
    kind: str  # "t95" (mean, 95 % t-interval over seeds) or "p5-95" (range over draws)
    issue: str = ""  # the value the audit in the issue reported
    note: str = ""


def t_interval(values: Sequence[float]) -> tuple[float, float, float]:
    """Mean and 95 % t-interval of values over seeds (NaNs dropped)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if len(x) == 0:
        return math.nan, math.nan, math.nan
    m = float(x.mean())
    if len(x) < 2:
        return m, m, m
    h = float(stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x)))
    return m, m - h, m + h


def row(fig: int, measure: str, values: Sequence[float], issue: str = "", note: str = "") -> Row:
    """A row with the mean and 95 % t-interval over seeds."""
    return Row(fig, measure, *t_interval(values), "t95", issue, note)


def by_year(out: Out, column: str) -> pd.Series:
    """An annual metric indexed by year."""
    return out.annual.set_index("year")[column]


def province_gdp(out: Out, params: Mapping[str, Any] | None = None) -> pd.Series:
    """Provincial GDP by year, 亿元 (real, 2017 level from facts).

    Uses the model's ``province_gdp`` when it reports one; today's model has none, so it is
    computed from the 2017 level (facts: about 1.55 trillion yuan) and the model's
    ``province_gdp_growth`` path.
    """
    a = out.annual.set_index("year")
    if "province_gdp" in a:
        return a["province_gdp"]
    g = a["province_gdp_growth"] / 100
    index = (1 + g).cumprod()
    index = index / index.loc[2017] if 2017 in index.index else index
    return PROVINCE_GDP_2017 * index


def stat_rows(zones: pd.DataFrame) -> pd.Series:
    """Zone rows in the statistics as published: active national or provincial zones."""
    return (
        zones["in_statistics"].astype(bool)
        & (zones["status"] == "active")
        & zones["level"].isin(["national", "provincial"])
    )


def stat_units(out: Out, year: int, fixed: bool = False) -> set[str]:
    """Units whose firms count in the statistics at the end of ``year``.

    ``fixed``: the same zones at fixed boundaries, i.e. every unit of a zone in the
    statistics, whatever its level or status (parks before they merge, delisted zones).
    """
    z = out.zones[out.zones["year"] == year]
    mask = z["in_statistics"].astype(bool) if fixed else stat_rows(z)
    return set(z.loc[mask, "unit"])


def stat_gdp(out: Out, fixed: bool = False) -> pd.Series:
    """Statistics-zone GDP by year from the zone table (published or fixed boundaries)."""
    z = out.zones
    mask = z["in_statistics"].astype(bool) if fixed else stat_rows(z)
    return z[mask].groupby("year")["gdp"].sum()


def firms_at(out: Out, year: int, units: set[str] | None = None) -> pd.DataFrame:
    """Living firms at the end of ``year``, optionally only those in ``units``."""
    f = out.firms[out.firms["year"] == year]
    return f[f["unit"].isin(units)] if units is not None else f


def decompose(out: Out, y0: int, y1: int) -> dict[str, float]:
    """Growth of statistics-zone output y0 -> y1 by incumbents, entrants, exits (points).

    Firm sizes at year end (the firm table); a firm counts where it is at each date, so the
    remainder (``reclassified``) is firms moving in or out of the statistics (merges,
    delisting). The terms add up to the growth of year-end output.
    """
    a = firms_at(out, y0).set_index("firm_id")
    b = firms_at(out, y1).set_index("firm_id")
    in_a = a["unit"].isin(stat_units(out, y0))
    in_b = b["unit"].isin(stat_units(out, y1))
    s0 = float(a.loc[in_a, "size"].sum())
    both = a.index[in_a].intersection(b.index[in_b])
    entrants = b.index[in_b & (b["birth"] >= y0 + 1)]
    exits = a.index[in_a].difference(b.index)
    total = float(b.loc[in_b, "size"].sum()) - s0
    inc = float((b.loc[both, "size"] - a.loc[both, "size"]).sum())
    ent = float(b.loc[entrants, "size"].sum())
    ex = -float(a.loc[exits, "size"].sum())
    return {
        "total": 100 * total / s0,
        "incumbents": 100 * inc / s0,
        "entrants": 100 * ent / s0,
        "exits": 100 * ex / s0,
        "reclassified": 100 * (total - inc - ent - ex) / s0,
    }


def net_entry_share(base: Out, noref: Out, year: int, fixed: bool) -> float:
    """Share of the reform effect on statistics-zone output in ``year`` due to net entry.

    Paired runs share the 2016 firms (same ids). The effect (baseline - no_reform, year-end
    output of firms in statistics zones) splits into: firms born since 2016 (entry), 2016
    firms alive in one run only (exit) and 2016 firms alive in both (incumbents' growth).
    Net entry = entry + exit terms.
    """
    a = firms_at(base, year, stat_units(base, year, fixed)).set_index("firm_id")
    b = firms_at(noref, year, stat_units(noref, year, fixed)).set_index("firm_id")
    old_a, old_b = a[a["birth"] < 2016], b[b["birth"] < 2016]
    effect = float(a["size"].sum() - b["size"].sum())
    entry = float(a.loc[a["birth"] >= 2016, "size"].sum() - b.loc[b["birth"] >= 2016, "size"].sum())
    both = old_a.index.intersection(old_b.index)
    exit_term = float(
        old_a.drop(both)["size"].sum() - old_b.drop(both)["size"].sum()
    )  # survivors in one run only
    return (entry + exit_term) / effect if effect != 0 else math.nan


def hill(sizes: np.ndarray, top: float) -> float:
    """Hill estimate of the counter-cumulative tail exponent from the top ``top`` share."""
    x = np.sort(np.asarray(sizes, dtype=float))[::-1]
    k = max(round(top * len(x)), 2)
    return float(k / np.log(x[:k] / x[k]).sum())


def land_designated(out: Out) -> pd.Series:
    """Industrial land designated, km2, by year, including delisted zones and parks.

    Uses the model's ``land_designated_km2`` when it reports one; today's model has none, so
    it is the planned area of every located industrial unit (active or delisted, any level).
    """
    a = out.annual.set_index("year")
    if "land_designated_km2" in a:
        return a["land_designated_km2"]
    z = out.zones
    return z[z["type"] == "industrial"].groupby("year")["planned_area_km2"].sum()


# ---------------------------------------------------------------------------- figures
def fig1(r: Mapping[str, list[Out]]) -> list[Row]:
    """Growth premium baseline - no_reform; GDP ratio; zones' share of provincial GDP."""
    base, noref = r["baseline"], r["no_reform"]
    last = int(base[0].annual["year"].max())
    rows = []
    for y in (2020, 2025):
        if y <= last:
            prem = [
                by_year(b, "stat_zone_gdp_same_coverage_growth")[y]
                - by_year(n, "stat_zone_gdp_same_coverage_growth")[y]
                for b, n in zip(base, noref, strict=True)
            ]
            rows.append(row(1, f"growth premium baseline - no_reform {y}, pp", prem))
    late = [y for y in range(2030, 2036) if y <= last]
    if late:
        prem = [
            float(
                (
                    by_year(b, "stat_zone_gdp_same_coverage_growth")[late]
                    - by_year(n, "stat_zone_gdp_same_coverage_growth")[late]
                ).mean()
            )
            for b, n in zip(base, noref, strict=True)
        ]
        rows.append(row(1, "growth premium mean 2030-35, pp", prem, "4.9 (2035)"))
    ratio = [
        by_year(b, "stat_zone_gdp")[last] / by_year(n, "stat_zone_gdp")[last]
        for b, n in zip(base, noref, strict=True)
    ]
    rows.append(row(1, f"stat-zone GDP baseline / no_reform {last}", ratio, "4.2 (2035)"))
    note = (
        "zone_gdp_share if reported; else zone_gdp (all located zones) over provincial GDP "
        "from the 2017 level (1.55 trillion) and the growth path"
    )
    for y in (2016, last):
        share = []
        for b in base:
            a = b.annual.set_index("year")
            if "zone_gdp_share" in a:
                share.append(100 * a.loc[y, "zone_gdp_share"])
            else:
                share.append(100 * a.loc[y, "zone_gdp"] / province_gdp(b)[y])
        issue = "16" if y == 2016 else "39 (2035)"
        rows.append(row(1, f"zones' share of provincial GDP {y}, %", share, issue, note))
    return rows


def fig2(r: Mapping[str, list[Out]]) -> list[Row]:
    """Decomposition of 2017->2018 growth; net-entry share of the 2020 reform effect."""
    base, noref = r["baseline"], r["no_reform"]
    rows = []
    parts = [decompose(b, 2017, 2018) for b in base]
    issue = {"incumbents": "+10.3", "entrants": "+5.8", "exits": "-4.5"}
    note = "year-end firm sizes; a firm counts where it is at each date"
    for k in ("total", "incumbents", "entrants", "exits", "reclassified"):
        rows.append(
            row(2, f"2017->18 stat-zone growth: {k}, pp", [p[k] for p in parts], issue.get(k, ""))
        )
    rows[-1].note = note
    g = [by_year(o, "stat_zone_gdp_growth")[2018] for o in r["no_level_effect"]]
    rows.append(row(2, "2018 stat-zone growth with reform_level_effect = 0, %", g, "9.9"))
    if max(int(b.annual["year"].max()) for b in base) >= 2020:
        for fixed, label in ((False, "published"), (True, "fixed boundaries")):
            sh = [net_entry_share(b, n, 2020, fixed) for b, n in zip(base, noref, strict=True)]
            rows.append(
                row(
                    2,
                    f"share of 2020 reform effect on zone output from net entry ({label})",
                    sh,
                    "",
                    "evidence: > 1/2 (Lu, Wang & Zhu; Brandt et al. > 2/3 of TFP growth)",
                )
            )
    return rows


def fig3(r: Mapping[str, list[Out]]) -> list[Row]:
    """Entries and exits relative to no_reform 2018-19; the approval bureau's effect."""
    base, noref = r["baseline"], r["no_reform"]
    yrs = [2018, 2019]
    rows = []
    for label, runs in (("baseline", base), ("no_reform", noref)):
        rate = [
            100
            * float(
                (
                    by_year(o, "firm_entries")[yrs] / by_year(o, "firms").shift(1)[yrs].to_numpy()
                ).mean()
            )
            for o in runs
        ]
        issue = "10.5" if label == "no_reform" else "28-34"
        rows.append(row(3, f"entry rate 2018-19 {label}, % of stock", rate, issue))
    for col, issue, ev in (
        ("firm_entries", "about +300", "Barwick et al.: +25 %"),
        ("firm_exits", "negative", "Barwick et al.: +8.7 %"),
    ):
        ch = [
            100 * (by_year(b, col)[yrs].sum() / by_year(n, col)[yrs].sum() - 1)
            for b, n in zip(base, noref, strict=True)
        ]
        rows.append(row(3, f"{col} 2018-19, % vs no_reform", ch, issue, ev))
    last = int(r["no_bureau"][0].annual["year"].max())
    for span in ([2018, 2019], [y for y in (2020, 2021, 2022) if y <= last]):
        if not span:
            continue
        ch = [
            100
            * (by_year(b, "firm_entries")[span].sum() / by_year(o, "firm_entries")[span].sum() - 1)
            for b, o in zip(base, r["no_bureau"], strict=True)
        ]
        rows.append(
            row(
                3,
                f"approval bureau's effect on entries {span[0]}-{str(span[-1])[2:]}, %",
                ch,
                "+4-5",
                "baseline vs approval_bureau_on = 0; evidence: no significant effect "
                "(胡税根 & 结宇龙)",
            )
        )
    return rows


def fig4(r: Mapping[str, list[Out]]) -> list[Row]:
    """Share of entries that are local start-ups; firms in the last year."""
    base = r["baseline"]
    last = int(base[0].annual["year"].max())
    rows = []
    if "origin" in base[0].firms:
        for y in sorted({2018, last}):
            sh = []
            for b in base:
                f = firms_at(b, y)
                new = f[f["birth"] >= y]
                sh.append(
                    100 * float((new["origin"] == "startup").mean()) if len(new) else math.nan
                )
            rows.append(
                row(
                    4,
                    f"start-ups' share of {y} entrants, %",
                    sh,
                    "60-75",
                    "entrants alive at year end (firm table's origin)",
                )
            )
    rows.append(row(4, f"firms {last}", [by_year(b, "firms")[last] for b in base], "128,000"))
    return rows


def fig5(r: Mapping[str, list[Out]]) -> list[Row]:
    """Random draws from the registry's bounds: zone GDP against provincial GDP."""
    ratios = []
    for o in r["random"]:
        a = o.annual.set_index("year")
        if "zone_gdp_share" in a:
            ratios.append(float(a["zone_gdp_share"].max()))
        else:
            ratios.append(float((a["zone_gdp"] / province_gdp(o)).max()))
    x = np.array(ratios)
    n = len(x)
    note = f"{n} draws, uniform within bounds, one seed each; max over years of zone_gdp / province"
    return [
        Row(5, "draws where zone GDP > provincial GDP (some year)", float((x > 1).sum()),
            math.nan, math.nan, "count", "8 of 50", note),
        Row(5, "draws where zone GDP > half of provincial GDP", float((x > 0.5).sum()),
            math.nan, math.nan, "count", "22 of 50"),
        Row(5, "max zone GDP / provincial GDP", float(np.median(x)),
            float(np.percentile(x, 5)), float(np.percentile(x, 95)), "p5-95", "", "median"),
    ]  # fmt: skip


def fig6(r: Mapping[str, list[Out]], cap_share: float) -> list[Row]:
    """Industrial land including delisted zones against the cap."""
    cap = cap_share * PROVINCE_LAND_KM2
    peak = [float(land_designated(b).max()) for b in r["baseline"]]
    excess = [100 * (p / cap - 1) for p in peak]
    note = (
        f"cap {cap:,.0f} km2; land_designated_km2 if reported, else planned area of every "
        "located industrial unit (delisted and parks included)"
    )
    return [
        row(6, "industrial land incl. delisted, max over years, km2", peak, "3,293", note),
        row(6, "max over years vs cap, %", excess, "+5.1"),
    ]


def fig7(r: Mapping[str, list[Out]], year: int = 2018) -> list[Row]:
    """Upper tail of firm sizes in ``year``."""
    h1, h5, top1, largest = [], [], [], []
    for b in r["baseline"]:
        s = np.sort(firms_at(b, year)["size"].to_numpy())[::-1]
        h1.append(hill(s, 0.01))
        h5.append(hill(s, 0.05))
        k = max(round(0.01 * len(s)), 1)
        top1.append(100 * s[:k].sum() / s.sum())
        largest.append(100 * s[0] / s.sum())
    ev = "evidence: about 1 (Zhang & Wang; Peng & Xia; Heinrich & Dai 1.0-1.5)"
    return [
        row(7, f"Hill tail exponent {year}, top 1 %", h1, "2.0-2.5", ev),
        row(7, f"Hill tail exponent {year}, top 5 %", h5, "2.0-2.5"),
        row(7, f"top-1 % firms' share of output {year}, %", top1, "13"),
        row(7, f"largest firm's share of output {year}, %", largest, "0.22"),
    ]


def fig8(r: Mapping[str, list[Out]]) -> list[Row]:
    """The no-reform counterfactual: drift against the province; relabelling in 2018."""
    base, noref = r["baseline"], r["no_reform"]
    last = int(noref[0].annual["year"].max())
    yrs = list(range(2019, last + 1))
    rows = []
    if yrs:
        gap = [float(by_year(n, "growth_gap_pp")[yrs].mean()) for n in noref]
        rows.append(
            row(8, f"no_reform: stat-zone minus province growth 2019-{last % 100}, pp", gap, "-3")
        )
    for y in (2016, last):
        rows.append(
            row(8, f"no_reform: firms {y}", [by_year(n, "firms")[y] for n in noref],
                "37k" if y == 2016 else "24k (2035)")
        )  # fmt: skip
    pub, fix = [], []
    for b, n in zip(base, noref, strict=True):
        pub.append(100 * (stat_gdp(n)[2018] / stat_gdp(b)[2018] - 1))
        fix.append(100 * (stat_gdp(n, True)[2018] / stat_gdp(b, True)[2018] - 1))
    rows.append(row(8, "no_reform effect on stat-zone GDP 2018, published, %", pub, "-22"))
    rows.append(
        row(8, "same firms and zones (fixed boundaries), %", fix, "-10",
            "zones table: every unit of a zone in the statistics, whatever its level or status")
    )  # fmt: skip
    share = [100 * (1 - f / p) for p, f in zip(pub, fix, strict=True)]
    rows.append(row(8, "share of the 2018 no_reform effect that is relabelling, %", share, "57"))
    return rows


def fig9(r: Mapping[str, list[Out]], common: Mapping[str, float]) -> list[Row]:
    """Mode outcomes in the last year, with default and with equal mode effects."""
    rows = []
    last = int(r["all_corporate"][0].annual["year"].max())
    values = ", ".join(f"{k} {v:.3g}" for k, v in common.items())
    for suffix, label in (("", "defaults"), ("_equal", "equal effects")):
        for col in ("stat_zone_gdp", "firms"):
            for m in MODE_SCENARIOS:
                rows.append(
                    row(9, f"{m} {col} {last} ({label})",
                        [by_year(o, col)[last] for o in r[m + suffix]])
                )  # fmt: skip
            for a, b, issue in (
                ("all_corporate", "all_sanheyi", "21 (defaults), 2 (equal)"),
                ("all_sanheyi", "all_quzheng", "0 (equal)"),
            ):
                d = [
                    100 * (by_year(x, col)[last] / by_year(y, col)[last] - 1)
                    for x, y in zip(r[a + suffix], r[b + suffix], strict=True)
                ]
                rows.append(
                    row(9, f"{a} vs {b}: {col} {last}, % ({label})", d,
                        issue if col == "stat_zone_gdp" else "",
                        "")
                )  # fmt: skip
    rows[-1].note = (
        f"equal effects: {values}; structural differences (departments' overhead, the corporate "
        "zones' operator) kept"
    )
    return rows


FIGURES: dict[int, Callable[..., list[Row]]] = {
    1: fig1, 2: fig2, 3: fig3, 4: fig4, 5: fig5, 6: fig6, 7: fig7, 8: fig8, 9: fig9,
}  # fmt: skip


def measure(r: Mapping[str, list[Out]]) -> list[Row]:
    """Every figure of the audit from the runs of :func:`plan`."""
    base = scenario_params("baseline")
    _, common = equal_mode_effects(scenario_params("all_corporate"))
    rows = []
    for k, fn in FIGURES.items():
        if k == 6:
            rows += fn(r, base["land_cap_share"])
        elif k == 9:
            rows += fn(r, common)
        else:
            rows += fn(r)
    return rows


# ---------------------------------------------------------------------------- output
def _fmt(x: float) -> str:
    if not math.isfinite(x):
        return ""
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}" if abs(x) < 10 else f"{x:.1f}"


def markdown(rows: Sequence[Row], n_seeds: int) -> str:
    """The audit as a Markdown table."""
    lines = [
        f"Mean over {n_seeds} paired seeds with 95 % t-interval (t95), median with 5-95 % range "
        "over parameter draws (p5-95), or a count.",
        "",
        "| # | measure | value | interval | kind | audit in issue | note |",
        "|---|---|---|---|---|---|---|",
    ]
    for x in rows:
        iv = f"{_fmt(x.lo)} to {_fmt(x.hi)}" if math.isfinite(x.lo) else ""
        cells = (x.figure, x.measure, _fmt(x.mean), iv, x.kind, x.issue, x.note)
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20, help="paired seeds (default 20)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--seed", type=int, default=MASTER_SEED, help="master seed")
    parser.add_argument("--draws", type=int, default=RANDOM_DRAWS, help="random parameter draws")
    parser.add_argument("--json", type=Path, default=None, metavar="OUT", help="save as JSON")
    args = parser.parse_args(argv)
    if args.seeds < 2 or args.draws < 1:
        parser.error("--seeds: expected at least 2; --draws: at least 1")
    seeds = replicate_seeds(args.seed, args.seeds)
    results = run_plan(plan(seeds, draws=args.draws), args.workers)
    rows = measure(results)
    print(markdown(rows, len(seeds)), end="")
    if args.json is not None:
        doc = {
            "seeds": len(seeds),
            "master_seed": args.seed,
            "draws": args.draws,
            "rows": [vars(x) for x in rows],
        }
        atomic_write_text(args.json, json.dumps(doc, indent=1, allow_nan=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
