"""End-2018 figures with the default parameters (facts.md "Outcomes reported for end-2018").

Structural figures (zones, modes, area, the demonstration zone) must hold exactly;
firm counts and growth are stochastic and must fall within calibration ranges, on
the mean of a few seeds.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

SEEDS = (1, 2, 3)
Run = Callable[..., tuple[pd.DataFrame, pd.DataFrame]]


@pytest.fixture(scope="module")
def rows_2018(run_tables: Run) -> list[pd.Series]:
    out = []
    for s in SEEDS:
        annual, _ = run_tables(seed=s, end=2019)
        out.append(annual.set_index("year").loc[2018])
    return out


@pytest.fixture(scope="module")
def zones_2018(run_tables: Run) -> pd.DataFrame:
    _, zones = run_tables(seed=SEEDS[0], end=2019)
    return zones[zones["year"] == 2018]


def test_67_zones_active(rows_2018: list[pd.Series]) -> None:
    assert all(r["zones_active"] == 67 for r in rows_2018)


def test_all_three_reform_modes_in_use(rows_2018: list[pd.Series]) -> None:
    for r in rows_2018:
        assert r["zones_sanheyi"] > 0
        assert r["zones_quzheng"] > 0
        assert r["zones_corporate"] > 0
        assert r["zones_legacy"] == 0
        assert r["zones_sanheyi"] + r["zones_quzheng"] + r["zones_corporate"] == 67


def test_industrial_area_is_2750_km2(rows_2018: list[pd.Series]) -> None:
    assert all(r["industrial_area_km2"] == pytest.approx(2750.0, abs=1e-6) for r in rows_2018)


def test_three_systems_and_operators_as_reported(rows_2018: list[pd.Series]) -> None:
    for r in rows_2018:
        assert r["zones_three_systems"] == 38
        assert r["operators"] == 74
        assert r["zones_with_operators"] == 35


def test_demonstration_zone_is_one_body_with_146_staff(zones_2018: pd.DataFrame) -> None:
    demo = zones_2018[zones_2018["zone_id"] == "Z01"]
    assert len(demo) == 1
    assert int(demo["bodies"].iloc[0]) == 1
    assert int(demo["staff"].iloc[0]) == 146
    assert demo["status"].iloc[0] == "active"


def test_demonstration_zone_in_2016_is_five_bodies_with_423_staff(run_tables: Run) -> None:
    _, zones = run_tables(seed=SEEDS[0], end=2019)
    demo = zones[(zones["year"] == 2016) & (zones["zone_id"] == "Z01")]
    assert len(demo) == 8
    assert int(demo["bodies"].sum()) == 5
    assert int(demo["staff"].sum()) == 423


def test_firms_within_15_percent_of_43031(rows_2018: list[pd.Series]) -> None:
    firms = float(np.mean([r["firms"] for r in rows_2018]))
    assert 43031 * 0.85 <= firms <= 43031 * 1.15, firms


def test_stat_zone_gdp_growth_between_10_and_18_percent(rows_2018: list[pd.Series]) -> None:
    growth = float(np.mean([r["stat_zone_gdp_growth"] for r in rows_2018]))
    assert 10.0 <= growth <= 18.0, growth


def test_province_growth_path_and_gap(rows_2018: list[pd.Series]) -> None:
    for r in rows_2018:
        assert r["province_gdp_growth"] == 6.7
        assert r["growth_gap_pp"] == pytest.approx(r["stat_zone_gdp_growth"] - 6.7)
