"""Synthetic results shared by the plotting tests."""

from __future__ import annotations

import re

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.text import Text

from sim.core.run import METRICS

HAN = re.compile(r"[\u3400-\u9fff]")


def synthetic_annual(
    scenarios: tuple[str, ...] = ("baseline", "what_if"), reps: int = 5
) -> pd.DataFrame:
    """Annual table in the store layout: metric = 100 * scenario + replicate + (year - 2016)."""
    rows = []
    for i, s in enumerate(scenarios):
        for k in range(reps):
            for year in range(2016, 2021):
                row = {"scenario": s, "replicate": k, "seed": 1000 + k, "year": year}
                row.update({m: float(100 * i + k + (year - 2016)) for m in METRICS})
                row["zones_legacy"], row["zones_sanheyi"] = (10.0 * (1 - i), 20.0 + i)
                row["zones_quzheng"], row["zones_corporate"] = (5.0, 2.0 * i)
                rows.append(row)
    df = pd.DataFrame(rows)
    df["sample"] = pd.array([pd.NA] * len(df), dtype="Int64")
    return df


def synthetic_zones() -> pd.DataFrame:
    rows = []
    for s, modes in (("baseline", ("sanheyi", "quzheng")), ("what_if", ("corporate",))):
        for k in range(2):
            for j, mode in enumerate(modes * 2):
                rows.append(
                    {"scenario": s, "replicate": k, "seed": k, "year": 2020,
                     "zone_id": f"Z{j:02d}", "status": "active", "mode": mode,
                     "firms": 100.0 * (j + 1), "gdp": 10.0 + j, "approval_days": 30.0 + k}
                )  # fmt: skip
    return pd.DataFrame(rows)


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]
