"""Invariants over the whole parameter space (property-based).

Parameter sets are drawn within the registry bounds (every parameter, booleans and
years included, plus random mode assignments); each run is short. The accounting
closes: zone GDP never exceeds provincial GDP, land in use never exceeds the land
designated, which never exceeds the cap, and the firm count balances year by year.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.core import firms, zonedata
from sim.core import model as model_module
from sim.core.firms import kernel
from sim.core.model import ZoneReformModel
from sim.core.params import MODE_ASSIGNMENTS, MODE_NAMES, REGISTRY, Parameter
from sim.core.run import simulate

INITIAL_FIRMS = int(zonedata.load().units["firms"].sum())
STOCKS_ANNUAL = [
    "firms", "firm_entries", "firm_exits", "zones_active", "stat_zone_gdp", "zone_gdp",
    "stat_zone_gdp_same_zones", "province_gdp", "rest_gdp", "zone_gdp_share",
    "land_designated_km2", "land_cap_km2", "top1_share", "largest_firm_share",
    "firms_in_active_zones", "industrial_area_km2", "land_used_km2", "zones_three_systems",
    "operators", "zones_with_operators", "staff", "bodies", "approval_days",
    "approval_days_territory",
    "delegated_powers", "zones_delisted", "leadership_changes", "national_zones",
    "zones_legacy", "zones_sanheyi", "zones_quzheng", "zones_corporate",
]  # fmt: skip
STOCKS_ZONES = [
    "firms", "entries", "exits", "gdp", "planned_area_km2", "land_used_km2", "staff", "bodies",
    "departments", "approval_days", "effort", "services", "environment", "powers",
    "operators", "unqualified_streak",
]  # fmt: skip
SELECTORS = ["all", "level:national", "level:provincial", "type:industrial",
             "type:eco_tourism", "city:Taiyuan", "mode:sanheyi", "mode:corporate",
             ["Z01"], ["Z02", "Z30"]]  # fmt: skip


def parameter_strategy(p: Parameter) -> st.SearchStrategy[Any]:
    """Values of one registry parameter, anywhere within its bounds."""
    if p.kind == "bool":
        return st.booleans()
    if p.kind == "int":
        return st.integers(int(p.lower), int(p.upper))
    return st.floats(p.lower, p.upper, allow_nan=False, allow_infinity=False)


assignment = st.fixed_dictionaries(
    {
        "year": st.floats(2016.0, 2020.0),
        "mode": st.sampled_from(MODE_NAMES),
        "zones": st.sampled_from(SELECTORS),
    }
)
parameter_sets = st.fixed_dictionaries(
    {name: parameter_strategy(p) for name, p in REGISTRY.items()}
    | {MODE_ASSIGNMENTS: st.lists(assignment, max_size=2)}
)


def check_invariants(annual: pd.DataFrame, zones: pd.DataFrame) -> None:
    for name, df in (("annual", annual), ("zones", zones)):
        numeric = df.select_dtypes(include=["number", "bool"]).to_numpy(dtype=float)
        assert np.isfinite(numeric).all(), f"{name}: NaN or infinity"
        assert not df.isna().any().any(), f"{name}: missing values"
    for col in STOCKS_ANNUAL:
        assert (annual[col] >= 0).all(), col
    for col in STOCKS_ZONES:
        assert (zones[col] >= 0).all(), col
    over = zones["land_used_km2"] > zones["planned_area_km2"] + 1e-9
    assert not over.any(), zones.loc[over, ["year", "unit", "land_used_km2", "planned_area_km2"]]
    # firm balance, year by year
    prev = np.concatenate([[INITIAL_FIRMS], annual["firms"].to_numpy()[:-1]])
    balance = (
        prev
        + annual["firm_entries"].to_numpy()
        - annual["firm_exits"].to_numpy()
        + annual["firms_designated"].to_numpy()
    )
    np.testing.assert_array_equal(annual["firms"].to_numpy(), balance)
    # zone rows add up to the annual totals
    by_year = zones.groupby("year")
    np.testing.assert_array_equal(by_year["firms"].sum().to_numpy(), annual["firms"].to_numpy())
    np.testing.assert_array_equal(
        by_year["entries"].sum().to_numpy(), annual["firm_entries"].to_numpy()
    )
    np.testing.assert_array_equal(
        by_year["exits"].sum().to_numpy(), annual["firm_exits"].to_numpy()
    )
    np.testing.assert_allclose(
        by_year["land_used_km2"].sum().to_numpy(), annual["land_used_km2"].to_numpy(), rtol=1e-9
    )
    # the province closes: zones are part of it, never more than all of it
    np.testing.assert_allclose(
        annual["province_gdp"], annual["rest_gdp"] + annual["zone_gdp"], rtol=1e-12
    )
    assert (annual["zone_gdp"] <= annual["province_gdp"] * (1 + 1e-12)).all()
    assert (annual["zone_gdp_share"] <= 1.0 + 1e-12).all()
    # one land ledger: land in use <= land designated <= cap, every year
    industrial = zones[zones["type"] == "industrial"].groupby("year")["land_used_km2"].sum()
    used = industrial.reindex(annual["year"], fill_value=0.0).to_numpy()
    assert (used <= annual["land_designated_km2"].to_numpy() + 1e-9).all()
    assert (annual["land_designated_km2"] <= annual["land_cap_km2"] + 1e-9).all()
    # statistics at fixed boundaries cover at least the published ones, the fixed territory
    # of every zone at least those
    assert (annual["stat_zone_gdp_same_zones"] >= annual["stat_zone_gdp"] - 1e-9).all()
    assert (annual["zone_gdp"] >= annual["stat_zone_gdp_same_zones"] - 1e-9).all()
    assert (annual["firms_in_active_zones"] <= annual["firms"]).all()
    for gap, growth in (("growth_gap_pp", "stat_zone_gdp_growth"),
                        ("zone_growth_gap_pp", "zone_gdp_growth")):  # fmt: skip
        np.testing.assert_allclose(
            annual[gap], annual[growth] - annual["province_gdp_growth"], atol=1e-9
        )
    assert (annual["largest_firm_share"] <= annual["top1_share"] + 1e-12).all()
    assert (annual["top1_share"] <= 1.0 + 1e-12).all()
    modes = annual[["zones_legacy", "zones_sanheyi", "zones_quzheng", "zones_corporate"]]
    np.testing.assert_array_equal(modes.sum(axis=1).to_numpy(), annual["zones_active"].to_numpy())
    assert (annual["zones_with_operators"] <= annual["zones_active"]).all()
    assert (annual["zones_three_systems"] <= annual["zones_active"]).all()
    assert (zones["environment"] <= 1.0).all()
    assert (zones["services"] <= 1.0).all()


@pytest.mark.slow
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(params=parameter_sets, seed=st.integers(0, 2**32 - 1))
def test_invariants_hold_anywhere_in_the_parameter_space(params: dict[str, Any], seed: int) -> None:
    result = simulate(params, seed=seed, end=2022, firm_years=(2022,))
    check_invariants(result.annual, result.zones)
    assert len(result.firms) == result.annual["firms"].iloc[-1]
    pop = result.model.firms
    assert (pop.size > 0).all()
    assert np.isfinite(pop.size).all()
    assert (pop.land >= 0).all()
    assert len(result.model.enterprise_agents()) == result.annual["firms"].iloc[-1]


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params=parameter_sets, seed=st.integers(0, 2**32 - 1))
def test_firms_see_the_zones_and_firms_as_they_are(params: dict[str, Any], seed: int) -> None:
    """What entry and the firm dynamics read and keep between quarters equals a fresh
    count, every quarter: the zone arrays (kept while no zone changes), and the firms
    by zone and sector (kept by entry and the dynamics)."""
    model = ZoneReformModel(params, rng=seed)
    seen, enter_firms, grow_and_exit = [], firms.enter, firms.grow_and_exit

    def enter(m: ZoneReformModel, za: Any) -> None:
        fresh = m._read_zone_arrays()
        for name, a, b in zip(za._fields, za, fresh, strict=True):
            np.testing.assert_array_equal(a, b, err_msg=f"{m.now} {name}")
        enter_firms(m, za)

    def grow(m: ZoneReformModel, za: Any) -> None:
        pop = m.firms
        counts = kernel.zone_census(pop.zone, pop.sector, pop.land, *pop.counts.shape)[1]
        np.testing.assert_array_equal(pop.counts, counts, err_msg=str(m.now))
        seen.append(m.now)
        grow_and_exit(m, za)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(model_module.firms, "enter", enter)
        mp.setattr(model_module.firms, "grow_and_exit", grow)
        while model.now < 2022:
            model.step()
    assert len(seen) == 24


def test_invariants_hold_for_the_defaults() -> None:
    result = simulate(seed=0, end=2020)
    check_invariants(result.annual, result.zones)


@pytest.mark.slow
def test_invariants_hold_over_a_full_run_at_the_bounds() -> None:
    """The registry's upper bounds for growth, entry and land: the longest, most expansive run."""
    push = ("reform_level_effect", "zone_premium_pp", "young_growth", "projects_per_year",
            "startup_density", "beta_env_startup", "expansion_max_km2", "new_zones_per_year",
            "upgrades_per_year", "land_cap_share", "unqualified_share")  # fmt: skip
    params = {n: REGISTRY[n].upper for n in push} | {"displacement": 1.0}
    result = simulate(params, seed=3, end=2035)
    check_invariants(result.annual, result.zones)


@pytest.mark.parametrize("displacement", [0.0, 1.0])
def test_displacement_bounds_the_province_path(displacement: float) -> None:
    # Designated parks move output from the rest into the zones: the rest's own path is
    # checked without them.
    params = {"displacement": displacement} | (
        {} if displacement == 1.0 else {"new_zones_per_year": 0}
    )
    annual = simulate(params, seed=2, end=2024).annual
    a = annual.set_index("year")
    path = a["province_gdp_growth"] / 100
    ratio = a["province_gdp"] / a["province_gdp"].shift(1) - 1
    if displacement == 1.0:
        # zones gain only at the rest's expense: the province stays on its path
        # (while the zones grow faster than it, as they do here)
        np.testing.assert_allclose(ratio.iloc[1:], path.iloc[1:], rtol=1e-9)
    else:
        # every zone gain is additional: the province grows at least at its pace
        assert (ratio.iloc[1:] >= path.iloc[1:] - 1e-12).all()
        rest = a["rest_gdp"] / a["rest_gdp"].shift(1) - 1
        np.testing.assert_allclose(rest.iloc[1:], path.iloc[1:], rtol=1e-9)
    assert a.loc[2016, "province_gdp"] == pytest.approx(15_500 / 1.07)
