"""Like-for-like effects: how much of an as-reported effect is relabelling.

The zones "in the statistics" are not a fixed territory: integration moves parks into
them, delisting takes zones out, new zones add land. A scenario that changes which
zones are counted (no integration, no exit rule) therefore changes the as-reported
outcomes by relabelling alone. Every as-reported outcome has a fixed-territory version
(:data:`sim.core.outputs.FIXED_TERRITORY`: every unit that is part of a zone, whatever
its status), which changes only by what firms and zones do. :func:`relabelling` splits
a scenario's as-reported effect against a reference into

- real change: the effect on the fixed-territory version, and
- relabelling: the rest (coverage and boundaries),

run by run, pairing the runs of the two scenarios by replicate and seed (common random
numbers), as :func:`sim.experiments.summary.paired_differences` does. Levels are split
on the log scale, where the parts add up exactly (``log S = log F + log(S / F)``: the
relabelling part is the change in the share of the territory's value that is
reported); growth rates and margins, in percentage points, by difference.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sim.core import outputs

#: Components of the split, in column order.
PARTS = ("total", "real", "relabelling")
#: Units measured in points (split by difference); other outcomes are split in logs.
POINT_UNITS = frozenset({"%", "pp"})
_PAIR = ["replicate", "seed", "year"]


def _interval(x: np.ndarray) -> tuple[float, float, float]:
    """Mean and 95 % Student-t interval of the mean (NaN bounds for one value)."""
    n = len(x)
    mean = float(np.mean(x))
    if n < 2:
        return mean, float("nan"), float("nan")
    half = float(stats.t.ppf(0.975, n - 1) * np.std(x, ddof=1) / np.sqrt(n))
    return mean, mean - half, mean + half


def relabelling(
    data: Any,
    scenario: str,
    reference: str = "baseline",
    *,
    metrics: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Split the as-reported effects of ``scenario`` against ``reference``.

    Args:
        data: An annual table with the store's label columns (``scenario``,
            ``replicate``, ``seed``, ``year``), or a :class:`~sim.experiments.store.Results`.
        scenario: The scenario whose effect is split.
        reference: The scenario it is compared with (``scenario - reference``).
        metrics: As-reported outcomes, keys of :data:`sim.core.outputs.FIXED_TERRITORY`
            (default: all of them present in the table).
        years: Years (default: every year both scenarios have).

    Returns:
        One row per metric and year, columns ``scenario, reference, metric,
        fixed_metric, year, scale, n``; for each part of :data:`PARTS` its mean over
        the paired runs and the 95 % interval of the mean (``total``, ``total_low``,
        ``total_high``, ``real``, ...); and ``relabelling_share``, the relabelling
        part's share of the total (of the means; NaN when the total is 0). ``scale``
        is ``"log"`` (levels: 100 × log ratio, about a percentage for small effects;
        ``total = real + relabelling`` exactly) or ``"points"`` (rates and margins:
        differences in percentage points). For levels ``total_pct`` and
        ``real_pct`` give the means as percentage changes, ``100 (exp(x / 100) - 1)``.

    Raises:
        ValueError: If a scenario is not in the table, a metric is not an as-reported
            outcome or its columns are missing, or the two scenarios share no run.
    """
    df = data.annual if hasattr(data, "annual") else data
    names = list(dict.fromkeys(df["scenario"]))
    for arg, name in (("scenario", scenario), ("reference", reference)):
        if name not in names:
            raise ValueError(
                f"{arg}: expected a scenario of the table ({', '.join(names)}), got {name!r}"
            )
    if metrics is None:
        metrics = [m for m, f in outputs.FIXED_TERRITORY.items() if {m, f} <= set(df.columns)]
    for m in metrics:
        if m not in outputs.FIXED_TERRITORY:
            raise ValueError(
                f"metrics: expected as-reported outcomes ({', '.join(outputs.FIXED_TERRITORY)}), "
                f"got {m!r}"
            )
        missing = {m, outputs.FIXED_TERRITORY[m]} - set(df.columns)
        if missing:
            raise ValueError(f"metrics: the table has no column {sorted(missing)[0]!r}")
    cols = sorted({c for m in metrics for c in (m, outputs.FIXED_TERRITORY[m])})
    runs = df.loc[df["scenario"] == scenario, [*_PAIR, *cols]]
    base = df.loc[df["scenario"] == reference, [*_PAIR, *cols]]
    paired = runs.merge(base, on=_PAIR, suffixes=("", "__ref"))
    if years is not None:
        paired = paired[paired["year"].isin(list(years))]
    if paired.empty:
        raise ValueError(f"scenario {scenario!r} and reference {reference!r} share no run")
    rows = []
    for m in metrics:
        fixed = outputs.FIXED_TERRITORY[m]
        points = outputs.ANNUAL_BY_NAME[m].unit in POINT_UNITS
        for year, g in paired.groupby("year", sort=True):
            if points:
                total = (g[m] - g[f"{m}__ref"]).to_numpy(float)
                real = (g[fixed] - g[f"{fixed}__ref"]).to_numpy(float)
            else:
                total = 100 * np.log(g[m].to_numpy(float) / g[f"{m}__ref"].to_numpy(float))
                real = 100 * np.log(g[fixed].to_numpy(float) / g[f"{fixed}__ref"].to_numpy(float))
            row: dict[str, Any] = {
                "scenario": scenario,
                "reference": reference,
                "metric": m,
                "fixed_metric": fixed,
                "year": int(year),
                "scale": "points" if points else "log",
                "n": len(g),
            }
            for part, x in zip(PARTS, (total, real, total - real), strict=True):
                row[part], row[f"{part}_low"], row[f"{part}_high"] = _interval(x)
            row["relabelling_share"] = (
                row["relabelling"] / row["total"] if row["total"] != 0 else float("nan")
            )
            for part in ("total", "real"):
                row[f"{part}_pct"] = (
                    float("nan") if points else 100 * float(np.expm1(row[part] / 100))
                )
            rows.append(row)
    return pd.DataFrame(rows)
