"""Summaries over replicates: means, quantiles and paired differences.

Both functions take a table with the store's label columns (``scenario``,
``replicate``, ``seed``, ``year``; e.g. ``load_results(path).annual``) and return
a tidy table: one row per scenario, year and metric.

Paired differences use common random numbers: replicate ``k`` of each scenario is
compared with the baseline run that has the same seed, so the spread of the
differences reflects the scenario's effect, not the draw of the seeds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sim.core.params import REGISTRY

#: Label columns, never summarised (registry parameters, a sweep's columns, neither).
LABELS = ("batch", "scenario", "replicate", "seed", "sample", "run_id", "year")
#: Default quantiles (5 %, median, 95 %).
QUANTILES = (0.05, 0.5, 0.95)


def _table(data: Any) -> pd.DataFrame:
    return data.annual if hasattr(data, "annual") else data


def _metrics(df: pd.DataFrame, metrics: Sequence[str] | None) -> list[str]:
    if metrics is None:
        return [
            c
            for c in df.columns
            if c not in LABELS
            and c not in REGISTRY
            and pd.api.types.is_numeric_dtype(df[c].dtype)
            and not pd.api.types.is_bool_dtype(df[c].dtype)
        ]
    missing = [m for m in metrics if m not in df.columns]
    if missing:
        raise ValueError(f"metrics: expected columns of the table, got {missing[0]!r}")
    return list(metrics)


def _qname(q: float) -> str:
    return f"q{round(q * 100):02d}"


def _describe(long: pd.DataFrame, keys: list[str], quantiles: Sequence[float]) -> pd.DataFrame:
    """n, mean, sd, se, 95 % t-interval of the mean and quantiles of ``value``."""
    g = long.groupby(keys, sort=False, observed=True)["value"]
    out = g.agg(n="count", mean="mean", sd="std").reset_index()
    out["se"] = out["sd"] / np.sqrt(out["n"])
    # Student t with n - 1 degrees of freedom: replicates are few (often 5-20).
    half = stats.t.ppf(0.975, np.maximum(out["n"] - 1, 1)) * out["se"]
    out["ci_low"] = out["mean"] - half
    out["ci_high"] = out["mean"] + half
    for q in quantiles:
        out[_qname(q)] = g.quantile(q).to_numpy()
    return out


def _long(df: pd.DataFrame, id_vars: list[str], metrics: list[str]) -> pd.DataFrame:
    long = df.melt(id_vars=id_vars, value_vars=metrics, var_name="metric", value_name="value")
    long["value"] = long["value"].astype("float64")
    return long


def summarize(
    data: Any,
    *,
    metrics: Sequence[str] | None = None,
    quantiles: Sequence[float] = QUANTILES,
) -> pd.DataFrame:
    """Mean, spread and quantiles of each metric over replicates.

    Args:
        data: A table with the label columns, or a :class:`~.store.Results` (its
            annual table is used).
        metrics: Columns to summarise (default: every numeric non-label column).
        quantiles: Quantiles to report, as columns ``q05``, ``q50``, ...

    Returns:
        Columns ``scenario, year, metric, n, mean, sd, se, ci_low, ci_high`` and
        the quantiles; rows in the table's scenario order, then year, then metric.
    """
    df = _table(data)
    cols = _metrics(df, metrics)
    long = _long(df, ["scenario", "year"], cols)
    out = _describe(long, ["scenario", "year", "metric"], quantiles)
    return _order(out, df, cols)


def paired_differences(
    data: Any,
    baseline: str = "baseline",
    *,
    metrics: Sequence[str] | None = None,
    quantiles: Sequence[float] = QUANTILES,
) -> pd.DataFrame:
    """Differences from a baseline scenario, paired by seed (common random numbers).

    For every other scenario, each run is matched with the baseline run of the
    same replicate and seed in the same year; only the seeds both have are used.

    Args:
        data: A table with the label columns, or a :class:`~.store.Results`.
        baseline: Name of the baseline scenario.
        metrics: Columns to compare (default: every numeric non-label column).
        quantiles: Quantiles of the differences to report.

    Returns:
        Columns ``scenario, baseline, year, metric, n, mean, sd, se, ci_low,
        ci_high`` and the quantiles, where each statistic describes
        ``scenario - baseline`` over the paired runs.

    Raises:
        ValueError: If the baseline scenario is not in the table.
    """
    df = _table(data)
    if baseline not in set(df["scenario"]):
        names = ", ".join(dict.fromkeys(df["scenario"]))
        raise ValueError(f"baseline: expected a scenario of the batch ({names}), got {baseline!r}")
    cols = _metrics(df, metrics)
    pair = ["replicate", "seed", "year"]
    base = df.loc[df["scenario"] == baseline, [*pair, *cols]]
    others = df.loc[df["scenario"] != baseline, ["scenario", *pair, *cols]]
    merged = others.merge(base, on=pair, how="inner", suffixes=("", "__base"), sort=False)
    diff = merged[["scenario", "year"]].copy()
    for c in cols:
        diff[c] = merged[c].astype("float64") - merged[f"{c}__base"].astype("float64")
    long = _long(diff, ["scenario", "year"], cols)
    out = _describe(long, ["scenario", "year", "metric"], quantiles)
    out.insert(1, "baseline", baseline)
    return _order(out, df, cols)


def _order(out: pd.DataFrame, df: pd.DataFrame, metrics: list[str]) -> pd.DataFrame:
    scen = {s: i for i, s in enumerate(dict.fromkeys(df["scenario"]))}
    met = {m: i for i, m in enumerate(metrics)}
    key = np.lexsort(
        (out["metric"].map(met).to_numpy(), out["year"].to_numpy(), out["scenario"].map(scen))
    )
    return out.iloc[key].reset_index(drop=True)
