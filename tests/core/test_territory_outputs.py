"""As reported, same coverage, fixed territory: the three ways zone output is recorded.

The zones in the statistics change between years (integration moves parks in, delisting
takes zones out, new zones add land). As-reported growth compares this year's published
total with last year's; same-coverage growth only the zones covered in both years; the
fixed-territory outcomes every unit that is part of a zone (``sim.core.outputs``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.core import outputs
from sim.core.run import simulate

#: No change of coverage: no integration, no delisting, no new zones.
FIXED_COVERAGE = {"integration_on": False, "exit_rule_on": False, "new_zones_per_year": 0.0}


def covered(zones: pd.DataFrame) -> pd.Series:
    """Per year, the set of units in the statistics (counted zones in the statistics)."""
    z = zones[zones["in_statistics"] & zones["status"].eq("active") & zones["level"].ne("park")]
    return z.groupby("year")["unit"].agg(frozenset)


def test_every_as_reported_outcome_has_a_registered_fixed_territory_version() -> None:
    for pairs in (outputs.FIXED_TERRITORY, outputs.SAME_COVERAGE):
        for reported, like in pairs.items():
            assert reported in outputs.ANNUAL_BY_NAME
            assert like in outputs.ANNUAL_BY_NAME
            assert outputs.ANNUAL_BY_NAME[reported].unit == outputs.ANNUAL_BY_NAME[like].unit


@pytest.mark.parametrize("seed", [1, 2])
def test_same_coverage_growth_equals_as_reported_growth_when_coverage_does_not_change(
    seed: int,
) -> None:
    res = simulate(FIXED_COVERAGE, seed=seed, end=2024)
    a = res.annual.set_index("year")
    cov = covered(res.zones)
    assert all(c == cov.iloc[0] for c in cov)
    for reported, same in outputs.SAME_COVERAGE.items():
        np.testing.assert_array_equal(a[reported].to_numpy(), a[same].to_numpy())


def test_a_change_of_coverage_shows_in_as_reported_growth_only() -> None:
    """The baseline: integration (2017) and delisting change coverage; 2018 does not."""
    res = simulate({"new_zones_per_year": 2.0}, seed=2, end=2026)
    a = res.annual.set_index("year")
    cov = covered(res.zones)
    changed = [y for y in cov.index[1:] if cov[y] != cov[y - 1]]
    assert 2017 in changed and 2018 not in changed
    assert any(y > 2018 for y in changed)  # delisting
    reported, same = a["stat_zone_gdp_growth"], a["stat_zone_gdp_same_coverage_growth"]
    for y in cov.index[1:]:
        if y in changed:
            assert reported[y] != pytest.approx(same[y], abs=1e-9), y
        else:
            assert reported[y] == same[y], y
    # the parks merged in 2017 count as growth of the statistics as reported
    assert reported[2017] > same[2017] + 10
    # zones approved from 2018 add to all zones' output, not to their same-coverage growth
    new = res.zones[res.zones["unit"].str.startswith("N")]
    first = int(new["year"].min())
    assert a.loc[first, "zone_gdp_growth"] > a.loc[first, "zone_gdp_same_coverage_growth"]
    # Before them the two agree (to rounding: 2017's merges regroup last year's sums).
    np.testing.assert_allclose(
        a.loc[:2018, "zone_gdp_growth"], a.loc[:2018, "zone_gdp_same_coverage_growth"], atol=1e-9
    )


def test_fixed_territory_outcomes_cover_every_unit() -> None:
    res = simulate(None, seed=4, end=2021)
    a = res.annual.set_index("year")
    z = res.zones
    gdp = z.groupby("year")["gdp"].sum()
    np.testing.assert_allclose(a["zone_gdp"], gdp, rtol=1e-12)
    assert (a["stat_zone_gdp"] < a["zone_gdp"]).all()
    assert (a["firms_in_active_zones"] <= a["firms"]).all()
    area = z["planned_area_km2"]
    days = (z["approval_days"] * area).groupby(z["year"]).sum() / area.groupby(z["year"]).sum()
    np.testing.assert_allclose(a["approval_days_territory"], days, rtol=1e-12)
    growth = 100 * (a["zone_gdp"] / a["zone_gdp"].shift() - 1)
    np.testing.assert_allclose(a["zone_gdp_growth"].iloc[1:], growth.iloc[1:], rtol=1e-9)
    np.testing.assert_allclose(
        a["zone_growth_gap_pp"], a["zone_gdp_growth"] - a["province_gdp_growth"], rtol=1e-12
    )
