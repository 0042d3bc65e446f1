"""Zones after 2018: designated parks, planned-ahead expansion, the programme's course."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core import zonedata
from sim.core.model import ZoneReformModel
from sim.core.params import REGISTRY
from sim.core.run import simulate


def _hi(name: str) -> float:
    return REGISTRY[name].upper


def _model_at_end_of(year: int, params: dict | None = None, seed: int = 5) -> ZoneReformModel:
    m = ZoneReformModel(params, rng=seed)
    while m.year <= year:
        m.step()
    return m


def test_designation_moves_firms_into_zones_without_changing_provincial_output() -> None:
    m = _model_at_end_of(2018, {"new_zones_per_year": 0})
    pop = m.firms
    in_zones = int(np.isin(pop.zone, [z.index for z in m.zone_list if z.counted]).sum())
    output = m.rest_gdp + float(pop.size.sum())
    rest, zone_output = m.rest_gdp, float(pop.size.sum())
    z = m._new_zone("Xinzhou", m.now, park=True)
    assert m.firms.n == len(pop)  # the park joins at the start of the next quarter
    m._join_parks()
    pop = m.firms
    firms = pop.zone == z.index
    assert firms.sum() == round(m._park_template[0])
    moved = float(pop.size[firms].sum())
    assert moved > 0
    counted = [x.index for x in m.zone_list if x.counted]
    assert int(np.isin(pop.zone, counted).sum()) == in_zones + firms.sum()
    assert m.rest_gdp == pytest.approx(rest - moved)
    assert float(pop.size.sum()) == pytest.approx(zone_output + moved)
    assert m.rest_gdp + float(pop.size.sum()) == pytest.approx(output, rel=1e-12)
    assert z.in_statistics and z.counted
    assert (pop.land[firms].sum()) <= z.planned_area


def test_a_greenfield_zone_brings_no_firms_and_stays_outside_the_statistics() -> None:
    m = _model_at_end_of(2018, {"new_zones_per_year": 0})
    rest, n = m.rest_gdp, m.firms.n
    z = m._new_zone("Xinzhou", m.now, park=False)
    m._join_parks()
    assert m.firms.n == n and m.rest_gdp == rest
    assert not z.in_statistics and z.counted


@pytest.mark.parametrize("share", [0.5, 0.75, 1.0])
def test_designation_share_accumulates(share: float) -> None:
    m = ZoneReformModel({"designation_share": share}, rng=1)
    parks = []
    for _ in range(8):
        parks.append(m._next_is_park())
        m.new_zones += 1
    assert sum(parks) == round(share * 8)


def test_designated_parks_join_the_statistics_with_their_firms() -> None:
    params = {"new_zones_per_year": 4, "designation_share": 1.0, "exit_rule_on": 0}
    res = simulate(params, seed=2, end=2019)
    a = res.annual.set_index("year")
    z = res.zones[(res.zones["year"] == 2019) & res.zones["zone_id"].str.startswith("N")]
    assert len(z) == 4 and z["in_statistics"].all() and (z["firms"] > 0).all()
    assert a.loc[2019, "zones_active"] == 67 + 4
    # the province's output in the year of designation is the same with or without it
    none = simulate({**params, "designation_share": 0.5}, seed=2, end=2018).annual
    assert none.set_index("year").loc[2018, "province_gdp"] == a.loc[2018, "province_gdp"]


def test_planned_expansion_designates_area_ahead_of_use() -> None:
    base = {"expansion_trigger": _hi("expansion_trigger"), "new_zones_per_year": 0,
            "exit_rule_on": 0, "land_cap_share": _hi("land_cap_share")}  # fmt: skip
    ahead = simulate({**base, "planned_expansion_km2": 60.0}, seed=3, end=2021).annual
    none = simulate({**base, "planned_expansion_km2": 0.0}, seed=3, end=2021).annual
    gained = (
        ahead.set_index("year")["industrial_area_km2"]
        - none.set_index("year")["industrial_area_km2"]
    )
    # the end-of-year plans of 2019 and 2020 count in 2020 and 2021
    assert gained.loc[2021] == pytest.approx(2 * 60.0, rel=1e-9)


@pytest.mark.slow
def test_baseline_zones_and_planned_area_rise_after_2018() -> None:
    rows = [simulate(None, seed=s, end=2022).annual.set_index("year") for s in range(10)]
    for a in rows:
        assert a.loc[2022, "zones_active"] > a.loc[2018, "zones_active"]
        assert a.loc[2022, "industrial_area_km2"] > a.loc[2018, "industrial_area_km2"]


@pytest.mark.slow
def test_the_largest_levers_give_every_county_a_zone() -> None:
    params = {name: _hi(name) for name in ("new_zones_per_year", "land_cap_share",
              "planned_expansion_km2", "expansion_max_km2")}  # fmt: skip
    params["expansion_trigger"] = REGISTRY["expansion_trigger"].lower
    # Without dynamic exit: a delisted zone leaves its county without one again.
    params["exit_rule_on"] = 0
    m = ZoneReformModel(params, rng=4)
    while m.year <= 2030:
        m.step()
    assert all(c.counties_without_zone == 0 for c in m.cities.values())
    assert sum(zonedata.COUNTIES.values()) == 119
