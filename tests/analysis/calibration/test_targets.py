"""The shipped targets: every figure with its source, tolerance and role in the fit."""

from __future__ import annotations

import pytest

from sim.analysis import calibration as cal


def test_shipped_targets() -> None:
    t = cal.load_targets()
    by = {x.name: x for x in t.targets}
    assert by["firms"].value == 43031 and by["firms"].abs_tolerance == pytest.approx(860.62)
    assert by["stat_zone_gdp"].value == 2347
    assert by["stat_zone_gdp_growth"].value == 13.9
    assert by["growth_gap_pp"].value == 7.2 and not by["growth_gap_pp"].fitted
    assert by["demonstration_staff"].table == "zones" and by["demonstration_staff"].zone_id == "Z01"
    fitted = {x.name for x in t.fitted}
    assert fitted >= {"firms", "stat_zone_gdp", "stat_zone_gdp_growth", "entry_rate",
                      "exit_rate", "net_entry_share", "zone_level_effect"}  # fmt: skip
    # The effect sizes of other reforms are validation patterns: never fitted.
    validation = {x.name for x in t.targets if x.validation}
    assert validation == {"reform_entry_effect", "reform_exit_effect", "bureau_entry_effect",
                          "bureau_lag"}  # fmt: skip
    assert not validation & fitted and all(by[n].weight == 0 for n in validation)
    assert t.edge == 0.05 and t.physical["displacement"].keys() == {"lower", "upper"}
    structural = {x.name for x in t.targets if x.structural}
    assert structural >= {"zones_active", "industrial_area_km2", "operators", "demonstration_staff",
                          "province_growth_2016", "province_growth_2017"}  # fmt: skip
    assert all(x.source for x in t.targets)
    # Unverified figures say so, and get wide tolerances.
    for name in ("entry_rate", "exit_rate"):
        assert by[name].source.startswith("approximate, from")
        assert by[name].abs_tolerance >= 0.4 * by[name].value
    # Effect sizes are paired runs with a lever; the levers are defined in the file.
    assert (
        by["reform_entry_effect"].lever == "no_reform" and by["reform_entry_effect"].value == 0.25
    )
    assert by["reform_exit_effect"].value == 0.087
    assert by["net_entry_share"].bound == "at_least" and by["net_entry_share"].value == 0.5
    assert by["bureau_entry_effect"].value == 0 and by["bureau_entry_effect"].lever == "no_bureau"
    assert t.levers["no_bureau"] == {"approval_bureau_on": False}
    # Only the fitted patterns' levers run while fitting; validation reads no_bureau too.
    assert t.runs_per_point == 2 and t.horizon == 2021
    # Candidates come from registry groups, screened in wave 1.
    assert t.screened and len(t.parameters) > 9
    groups = ["entry", "growth", "environment", "province"]
    exclude = ["province_growth_2025", "province_growth_2035"]
    assert t.parameters == cal.candidate_parameters(groups, exclude)
    assert "displacement" in t.parameters and "province_growth_2025" not in t.parameters
    assert not {"sanheyi_attraction", "sector_weight_metallurgy"} & set(t.parameters)
    by = {x.name: x for x in t.targets}
    assert by["size_tail_exponent"].transform == "pareto_top1"
    assert by["province_gdp_2018"].metric == "province_gdp"


def test_shipped_targets_say_what_data_would_identify_every_candidate() -> None:
    t = cal.load_targets()
    assert {"exit_rises_after_founding", "exit_falls_after_seven"} <= {x.name for x in t.fitted}
    assert set(t.parameters) <= set(t.identify), set(t.parameters) - set(t.identify)
    assert all(t.identify[p].strip() for p in t.parameters)
