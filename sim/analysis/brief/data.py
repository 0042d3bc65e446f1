"""The batches a brief is built from, and the tables it shows.

Every number comes from :mod:`sim.experiments.summary`: scenario values from
:func:`~sim.experiments.summary.summarize` and effects from
:func:`~sim.experiments.summary.paired_differences` (replicate ``k`` of every scenario
shares seed ``k``, and its posterior draw where the batch used one, so effects are
paired differences).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis import plotting
from sim.analysis.brief.text import text
from sim.core import zonedata
from sim.core.cities import city_label
from sim.core.params import REGISTRY
from sim.errors import InputError
from sim.experiments.errors import ArgumentError
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
        horizons: Per scenario, its own first and last year where the scenarios' horizons
            differ (the tables then hold only the years every scenario shares), else empty.
    """

    paths: list[Path]
    results: list[Results]
    annual: pd.DataFrame
    zones: pd.DataFrame | None
    scenarios: list[str]
    baseline: str
    info: dict[str, dict[str, Any]]
    batch_of: dict[str, int]
    horizons: dict[str, tuple[int, int]] = field(default_factory=dict)

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


def load_batches(
    paths: Sequence[str | Path], baseline: str | None = None, *, allow_missing: bool = False
) -> BriefData:
    """Load and combine batch folders for a brief.

    Args:
        paths: Batch folders written by ``zonesim run``.
        baseline: Baseline scenario (default: ``"baseline"`` if present, else the
            first scenario of the first batch).
        allow_missing: Build from the stored runs of a batch that lists runs it does not
            store (:func:`~sim.experiments.store.load_results`); the brief then says so.

    Returns:
        The combined data.

    Raises:
        FileNotFoundError: If a folder is not a batch folder.
        MissingRunsError: If a batch lists runs it does not store (unless
            ``allow_missing``).
        ValueError: If a scenario appears in two batches, a batch is a sample design
            (calibration or sensitivity: runs with a ``sample``), the
            baseline is unknown, there is nothing to compare, or a what-if shares no
            seed with the baseline, or the scenarios share no year.

    Where the scenarios end (or start) in different years, the tables keep only the
    years every scenario covers, and :attr:`BriefData.horizons` lists each one's own.
    """
    if not paths:
        raise ArgumentError("paths", ": expected at least one batch folder")
    folders = [Path(p) for p in paths]
    results = [load_results(p, allow_missing=allow_missing) for p in folders]
    annual_parts, zone_parts = [], []
    scenarios: list[str] = []
    info: dict[str, dict[str, Any]] = {}
    batch_of: dict[str, int] = {}
    for i, (path, res) in enumerate(zip(paths, results, strict=True)):
        annual = res.annual
        if annual.empty:
            raise InputError(f"{path}: expected finished runs in the batch, found none")
        if annual["sample"].notna().any():
            raise InputError(
                f"{path}: expected a scenario batch from `zonesim run` (one run per scenario, "
                "replicate and master seed), got a sample design (calibration or sensitivity)"
            )
        for name in dict.fromkeys(annual["scenario"]):
            if name in batch_of:
                raise InputError(
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
        raise ArgumentError(
            "baseline",
            f": expected a scenario of the batch ({', '.join(scenarios)}), got {baseline!r}",
        )
    if len(scenarios) < 2:
        raise InputError(
            f"{paths[0]}: expected at least two scenarios (a baseline and a what-if), "
            f"got {', '.join(scenarios)}"
        )
    base_seeds = set(annual.loc[annual["scenario"] == baseline, "seed"])
    for name in scenarios:
        if name != baseline and not base_seeds & set(
            annual.loc[annual["scenario"] == name, "seed"]
        ):
            raise InputError(
                f"{paths[batch_of[name]]}: scenario {name!r}: expected seeds shared with the "
                f"baseline {baseline!r} (run them with the same master seed), got none in common"
            )
    annual, zones, horizons = shared_years(annual, zones, where=", ".join(map(str, paths)))
    return BriefData(folders, results, annual, zones, scenarios, baseline, info, batch_of, horizons)


def shared_years(
    annual: pd.DataFrame, zones: pd.DataFrame | None, *, where: str = "the batches"
) -> tuple[pd.DataFrame, pd.DataFrame | None, dict[str, tuple[int, int]]]:
    """Keep the years every scenario covers, where the scenarios' horizons differ.

    Returns:
        The annual and zone tables cut to the shared years, and each scenario's own
        first and last year (empty, and the tables unchanged, where all agree).

    Raises:
        InputError: If the scenarios share no year.
    """
    span = annual.groupby("scenario", sort=False)["year"].agg(["min", "max"])
    if span["min"].nunique() == 1 and span["max"].nunique() == 1:
        return annual, zones, {}
    horizons = {str(s): (int(r["min"]), int(r["max"])) for s, r in span.iterrows()}
    first, last = int(span["min"].max()), int(span["max"].min())
    if first > last:
        raise InputError(
            f"{where}: scenarios "
            + ", ".join(f"{s} {a}–{b}" for s, (a, b) in horizons.items())
            + ": expected horizons that share at least one year"
        )
    annual = annual[annual["year"].between(first, last)].reset_index(drop=True)
    if zones is not None:
        zones = zones[zones["year"].between(first, last)].reset_index(drop=True)
    return annual, zones, horizons


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


def registry_note(lang: str) -> str:
    """The brief's note on the shipped zone registry: what is real, what is synthetic."""
    z = zonedata.default().zones
    national = z[z["level"] == "national"]
    sep, left, right = ("、", "（", "）") if lang == "zh" else ("; ", " (", ")")
    return text(
        "registry_note",
        lang,
        named=int((z["synthetic"] == 0).sum()),
        n=len(z),
        synthetic=int(z["synthetic"].sum()),
        national=sep.join(
            f"{zonedata.zone_label(r, lang)}{left}{city_label(r['city'], lang)}{right}"
            for r in national.to_dict("records")
        ),
    )


def zone_cell(row: Mapping[str, Any], lang: str) -> str:
    """A zone's id and display name (the id alone if no name is known).

    A zone with a real name (not synthetic) is marked as the model's zone, so the
    generated outcome beside it never reads as data or a forecast for the real place.
    """
    label = zonedata.zone_label(row, lang)
    if label == row["zone_id"]:
        return str(label)
    real = not int(row.get("synthetic", 1) or 0)
    return f"{row['zone_id']} {label}" + (text("model_zone_mark", lang) if real else "")


def _zones(data: BriefData) -> pd.DataFrame:
    if data.zones is None:
        raise InputError(f"{data.paths[0]}: expected zone tables (a batch run with zone tables)")
    return data.zones


def lost_status(data: BriefData, scenario: str) -> pd.DataFrame:
    """Zones that lost status by the last year in a scenario or in the baseline.

    Args:
        data: The combined batches (with zone tables).
        scenario: The what-if.

    Returns:
        One row per zone with columns ``zone_id, name, name_zh, synthetic, city, level,
        type, share_baseline, share_scenario, first_year`` (share of replicates; median
        first year in the scenario, the lower of the middle two, so a year that
        occurred), sorted by the scenario's share, then the baseline's, then zone.
        Names are blank where the zone tables have none.
    """
    z = _zones(data)
    last = data.years[1]
    rows = z[z["scenario"].isin([scenario, data.baseline])]
    gone = rows[rows["status"] == "delisted"]
    first = (
        gone.groupby(["scenario", "replicate", "seed", "zone_id"], sort=False)["year"]
        .min()
        .reset_index()
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
                **{k: m.get(k, "") if m is not None else "" for k in ("name", "name_zh")},
                "synthetic": int(m.get("synthetic", 1)) if m is not None else 1,
                "city": m["city"] if m is not None else "",
                "level": m["level"] if m is not None else "",
                "type": m["type"] if m is not None else "",
                "share_baseline": float(shares[data.baseline]),
                "share_scenario": float(shares[scenario]),
                "first_year": (
                    float(years.quantile(0.5, interpolation="lower")) if len(years) else math.nan
                ),
            }
        )
    df = pd.DataFrame(
        out,
        columns=[
            "zone_id", "name", "name_zh", "synthetic", "city", "level", "type",
            "share_baseline", "share_scenario", "first_year",
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
