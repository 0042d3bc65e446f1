"""Relabelling against real change: ``sim.analysis.territory.relabelling``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.territory import relabelling


def table() -> pd.DataFrame:
    """Two scenarios, three paired seeds, two years.

    In ``narrow`` the statistics cover half the territory, in ``wide`` all of it; the
    territory's output is 10 % lower in ``narrow``.
    """
    rows = []
    for scenario, cover, level in (("wide", 1.0, 100.0), ("narrow", 0.5, 90.0)):
        for k, seed in enumerate((11, 12, 13)):
            for year in (2018, 2019):
                territory = level * (1 + 0.01 * k) * (1.05 if year == 2019 else 1.0)
                rows.append(
                    {
                        "scenario": scenario,
                        "replicate": k,
                        "seed": seed,
                        "year": year,
                        "zone_gdp": territory,
                        "stat_zone_gdp": cover * territory,
                        "zone_gdp_growth": 5.0 + k,
                        "stat_zone_gdp_growth": 5.0 + k + (2.0 if scenario == "narrow" else 0.0),
                    }
                )
    return pd.DataFrame(rows)


def test_levels_split_in_logs_into_coverage_and_real_change() -> None:
    out = relabelling(table(), "narrow", "wide", metrics=["stat_zone_gdp"]).set_index("year")
    assert list(out.index) == [2018, 2019]
    row = out.loc[2018]
    assert row["scale"] == "log" and row["n"] == 3 and row["fixed_metric"] == "zone_gdp"
    assert row["real"] == pytest.approx(100 * np.log(0.9))
    assert row["relabelling"] == pytest.approx(100 * np.log(0.5))
    assert row["total"] == pytest.approx(row["real"] + row["relabelling"])
    assert row["relabelling_share"] == pytest.approx(np.log(0.5) / np.log(0.45))
    assert row["total_pct"] == pytest.approx(-55.0)
    assert row["real_pct"] == pytest.approx(-10.0)
    # identical differences in every pair: the interval has no width
    assert row["real_low"] == pytest.approx(row["real_high"])


def test_rates_split_by_difference_in_points() -> None:
    out = relabelling(table(), "narrow", "wide", metrics=["stat_zone_gdp_growth"], years=[2019])
    assert len(out) == 1
    row = out.iloc[0]
    assert row["scale"] == "points" and row["fixed_metric"] == "zone_gdp_growth"
    assert row["total"] == pytest.approx(2.0)
    assert row["real"] == pytest.approx(0.0)
    assert row["relabelling"] == pytest.approx(2.0)
    assert row["relabelling_share"] == pytest.approx(1.0)
    assert np.isnan(row["total_pct"])


def test_default_metrics_are_the_pairs_in_the_table() -> None:
    out = relabelling(table(), "narrow", "wide")
    assert set(out["metric"]) == {"stat_zone_gdp", "stat_zone_gdp_growth"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scenario": "none"}, "scenario: expected a scenario of the table"),
        ({"reference": "none"}, "reference: expected a scenario of the table"),
        ({"metrics": ["zone_gdp"]}, "metrics: expected as-reported outcomes"),
        ({"metrics": ["growth_gap_pp"]}, "the table has no column 'growth_gap_pp'"),
        ({"years": [2030]}, "share no run"),
    ],
)
def test_bad_requests_name_the_argument(kwargs: dict, message: str) -> None:
    args = {"scenario": "narrow", "reference": "wide"} | kwargs
    with pytest.raises(ValueError, match=message):
        relabelling(table(), **args)
