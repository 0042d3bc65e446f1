"""Widgets generated from the parameter, mode and zone registries."""

from __future__ import annotations

import math

import pytest

from sim.app import levers
from sim.core import selectors, zonedata
from sim.core.cities import CITIES, city_label
from sim.core.lang import LANGS
from sim.core.modes import MODE_NAMES
from sim.core.params import REGISTRY, ParameterError

WIDGET = {"bool": "Checkbox", "int": "SliderInt", "real": "SliderFloat", "year": "SliderFloat"}


@pytest.mark.parametrize("name", list(REGISTRY))
def test_every_parameter_has_a_widget_bounded_by_the_registry(name: str) -> None:
    p = REGISTRY[name]
    spec = levers.user_param(name, p.default)
    assert spec["type"] == WIDGET[p.kind]
    assert spec["label"].startswith(name)
    if p.kind == "bool":
        assert spec["value"] is bool(p.default)
        return
    assert (spec["min"], spec["max"]) == (p.lower, p.upper)
    assert spec["min"] <= spec["value"] <= spec["max"]
    assert 0 < spec["step"] <= (p.upper - p.lower or 1)
    if p.unit not in ("-",):
        assert f"({p.unit})" in spec["label"]


def test_widget_kinds_and_steps() -> None:
    assert levers.step(REGISTRY["integration_year"]) == 0.25  # dates in quarters
    assert levers.step(REGISTRY["provincial_powers"]) == 1.0
    assert levers.step(REGISTRY["projects_per_year"]) == 100.0  # range 28,000
    assert levers.step(REGISTRY["land_cap_share"]) == pytest.approx(1e-4)  # range 0.0325
    assert isinstance(levers.user_param("provincial_powers", 33)["value"], int)


def test_chinese_labels_use_the_brief_units() -> None:
    assert levers.user_param("delegation_years", 1.5, "zh")["label"] == "delegation_years (年)"
    assert levers.user_param("delegation_share", 1.0, "zh")["label"] == "delegation_share"


def test_snap_keeps_values_within_bounds_and_on_the_grid() -> None:
    p = REGISTRY["delegation_share"]
    assert levers.snap(p, 0.35000000000000003) == 0.35
    assert levers.snap(p, 7.0) == p.upper
    assert levers.snap(p, -1.0) == p.lower
    assert levers.snap(REGISTRY["provincial_powers"], 12.6) == 13.0
    assert levers.snap(REGISTRY["integration_on"], False) == 0.0
    with pytest.raises(ParameterError, match="delegation_share"):
        levers.snap(p, "a lot")
    with pytest.raises(ParameterError, match="delegation_share"):
        levers.snap(p, math.nan)


def test_descriptions_in_both_languages() -> None:
    p = REGISTRY["beta_services"]
    en, zh = levers.describe(p.name, "en"), levers.describe(p.name, "zh")
    assert en.meaning == p.description and zh.meaning == p.description_zh
    assert en.assumption and en.basis == "assumption" and zh.basis == "假设"
    assert en.bounds == f"{p.lower:g} to {p.upper:g} {p.unit}"
    sourced = levers.describe("exit_young_factor", "en")
    assert not sourced.assumption and "SAIC" in sourced.basis


def test_groups_cover_the_registry_in_order() -> None:
    names = [n for group in levers.groups().values() for n in group]
    assert names == list(REGISTRY)
    for group in levers.groups():
        assert levers.group_label(group, "zh") != ""
    assert levers.group_label("no_such_group", "en") == "no_such_group"


@pytest.mark.parametrize("field", ["city", "level", "type", "mode"])
def test_selector_choices_are_values_of_the_zone_registry(field: str) -> None:
    data = zonedata.default()
    for lang in LANGS:
        choices = levers.selector_choices(field, lang)
        assert choices
        for value, label in choices:
            spec = levers.selector(field, [value])
            selectors.check(spec, data)  # a scenario file would accept it
            assert label
    assert [v for v, _ in levers.selector_choices("city")] == [
        c for c in CITIES if c in set(data.zones["city"])
    ]
    assert dict(levers.selector_choices("city", "zh"))["Datong"] == city_label("Datong", "zh")


def test_selectors_are_stored_as_scenario_files_store_them() -> None:
    assert levers.selector("all", []) == "all"
    assert levers.selector("city", []) is None
    assert levers.selector("city", ["Linfen", "Datong"]) == "city:Datong,Linfen"
    assert levers.parse_selector("city:Datong,Linfen") == ("city", ["Datong", "Linfen"])
    assert levers.parse_selector(["Z01", "U002"]) == ("ids", ["Z01", "U002"])
    assert [m for m, _ in levers.mode_choices()] == list(MODE_NAMES)


def test_mode_rules_stay_within_the_run() -> None:
    assert levers.rule_year_bounds(2030) == (2016.0, 2030.75)
    assert levers.new_rule(2018)["year"] == 2018.0
    assert levers.new_rule(2035) == {"year": 2020.0, "mode": "corporate", "zones": "all"}


def test_a_slider_snapping_a_value_is_not_a_move() -> None:
    p = REGISTRY["regulation_year"]  # 2019.16, between two quarters
    assert not levers.moved(p, 2019.16, 2019.25)
    assert levers.moved(p, 2019.16, 2019.5)
    assert levers.moved(REGISTRY["integration_on"], 1.0, False)
    assert not levers.moved(REGISTRY["provincial_powers"], 33.0, 33)
