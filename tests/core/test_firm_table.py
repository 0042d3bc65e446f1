"""Firm micro-data at the run boundary: ``simulate(..., firm_years=...)``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.core.firms import SECTORS
from sim.core.run import FIRM_COLUMNS, SimulationResult, simulate

YEARS = (2017, 2018)


@pytest.fixture(scope="module")
def plain() -> SimulationResult:
    return simulate(seed=21, end=2019)


@pytest.fixture(scope="module")
def with_firms() -> SimulationResult:
    return simulate(seed=21, end=2019, firm_years=YEARS)


def test_default_run_has_an_empty_firm_table(plain: SimulationResult) -> None:
    assert list(plain.firms.columns) == list(FIRM_COLUMNS)
    assert plain.firms.empty


def test_recording_firms_leaves_every_other_output_bit_identical(
    plain: SimulationResult, with_firms: SimulationResult
) -> None:
    pd.testing.assert_frame_equal(plain.annual, with_firms.annual, check_exact=True)
    pd.testing.assert_frame_equal(plain.zones, with_firms.zones, check_exact=True)


def test_one_row_per_living_firm_at_each_chosen_year_end(with_firms: SimulationResult) -> None:
    firms, annual = with_firms.firms, with_firms.annual.set_index("year")
    assert list(firms.columns) == list(FIRM_COLUMNS)
    assert sorted(firms["year"].unique()) == list(YEARS)
    for year, rows in firms.groupby("year"):
        assert len(rows) == annual.loc[year, "firms"]
        assert rows["firm_id"].is_unique
        assert (rows["birth"] < year + 1).all()
    assert (firms["size"] > 0).all() and (firms["land"] > 0).all()
    assert set(firms["origin"]) <= {"initial", "project", "startup", "designated"}
    assert set(firms["sector"]) <= set(SECTORS)
    assert np.isfinite(firms[["size", "land", "birth"]].to_numpy()).all()


def test_firm_locations_agree_with_the_zone_table(with_firms: SimulationResult) -> None:
    zones = with_firms.zones
    for year in YEARS:
        counted = with_firms.firms[with_firms.firms["year"] == year].groupby("unit").size()
        table = zones[(zones["year"] == year) & (zones["firms"] > 0)].set_index("unit")["firms"]
        pd.testing.assert_series_equal(
            counted.sort_index(), table.sort_index(), check_names=False, check_dtype=False
        )
        ids = zones[zones["year"] == year].set_index("unit")["zone_id"]
        rows = with_firms.firms[with_firms.firms["year"] == year]
        assert (rows["zone_id"].to_numpy() == ids.loc[rows["unit"]].to_numpy()).all()


def test_firm_ids_follow_firms_between_years(with_firms: SimulationResult) -> None:
    firms, annual = with_firms.firms, with_firms.annual.set_index("year")
    before = firms[firms["year"] == 2017].set_index("firm_id")
    after = firms[firms["year"] == 2018].set_index("firm_id")
    new = after.index.difference(before.index)
    gone = before.index.difference(after.index)
    stay = after.index.intersection(before.index)
    # Entrants that also exit within the year appear in neither table.
    assert len(new) - len(gone) == annual.loc[2018, "firm_entries"] - annual.loc[2018, "firm_exits"]
    assert 0 < len(new) <= annual.loc[2018, "firm_entries"]
    assert 0 < len(gone) <= annual.loc[2018, "firm_exits"]
    assert ((after.loc[new, "birth"] >= 2018) & (after.loc[new, "birth"] < 2019)).all()
    assert (after.loc[stay, "birth"] == before.loc[stay, "birth"]).all()
    assert (after.loc[stay, "sector"] == before.loc[stay, "sector"]).all()


@pytest.mark.parametrize("years", [(2015,), (2020,), (2017, 2036)])
def test_firm_years_outside_the_horizon_raise(years: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match="firm_years"):
        simulate(seed=1, end=2019, firm_years=years)


def test_origin_tells_registry_firms_from_projects_and_start_ups(
    with_firms: SimulationResult,
) -> None:
    firms = with_firms.firms
    initial = firms["birth"] < 2016
    assert (firms.loc[initial, "origin"] == "initial").all()
    entrants = firms.loc[~initial & (firms["origin"] != "designated"), "origin"]
    assert set(entrants) == {"project", "startup"}


def test_start_up_density_moves_only_start_ups() -> None:
    def entrants(density: float) -> pd.Series:
        # Many projects (a small relative noise) on small plots (land never binds, so
        # start-ups do not crowd projects out through the land check).
        p = {"startup_density": density, "projects_per_year": 20000, "land_per_firm": 0.005}
        firms = simulate(p, seed=21, end=2016, firm_years=(2016,)).firms
        return firms.loc[firms["birth"] >= 2016, "origin"].value_counts()

    few, many = entrants(0.3), entrants(3.0)
    assert many["startup"] > 5 * few["startup"]
    assert many["project"] == pytest.approx(few["project"], rel=0.2)
