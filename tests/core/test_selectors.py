"""Zone selectors: one grammar, one check against the zone registry, one matcher."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from sim.core import selectors, zonedata
from sim.core.selectors import Selector, SelectorError


def zone(zid: str, unit: str, level: str, type_: str, city: str, mode: str) -> SimpleNamespace:
    return SimpleNamespace(
        zone_id=zid, unit=unit, level=level, type=type_, city=city, registered={"mode": mode}
    )


ZONES = [
    zone("Z01", "Z01", "national", "industrial", "Taiyuan", "sanheyi"),
    zone("Z02", "U010", "provincial", "eco_tourism", "Datong", "corporate"),
    zone("Z03", "Z03", "provincial", "industrial", "Taiyuan", "quzheng"),
]


@pytest.mark.parametrize(
    ("spec", "parsed"),
    [
        ("all", Selector("all")),
        ("level:national", Selector("level", ("national",))),
        ("type:industrial", Selector("type", ("industrial",))),
        ("city:Taiyuan", Selector("city", ("Taiyuan",))),
        ("mode:corporate", Selector("mode", ("corporate",))),
        (["Z01", "U010"], Selector("ids", ("Z01", "U010"))),
    ],
)
def test_parse(spec, parsed: Selector) -> None:
    assert selectors.parse(spec) == parsed


@pytest.mark.parametrize("spec", ["planet:Mars", "level", "level:", "", "All", 3, ["Z01", 2]])
def test_parse_rejects_what_the_grammar_does_not_allow(spec) -> None:
    with pytest.raises(SelectorError) as err:
        selectors.parse(spec)
    assert err.value.got == spec


@pytest.mark.parametrize(
    ("spec", "ids"),
    [
        ("all", ["Z01", "Z02", "Z03"]),
        ("level:provincial", ["Z02", "Z03"]),
        ("type:industrial", ["Z01", "Z03"]),
        ("city:Taiyuan", ["Z01", "Z03"]),
        ("mode:corporate", ["Z02"]),
        (["Z03", "U010"], ["Z02", "Z03"]),  # zone ids and unit ids; registry order kept
        (["Z99"], []),
    ],
)
def test_select_matches_in_order(spec, ids: list[str]) -> None:
    assert [z.zone_id for z in selectors.select(spec, ZONES)] == ids


def test_check_against_the_zone_registry() -> None:
    data = zonedata.default()
    for spec in ("all", "level:national", "city:Taiyuan", "mode:quzheng", ["Z01", "U001"]):
        selectors.check(spec, data)
    with pytest.raises(SelectorError, match="zone ids"):
        selectors.check(["Z01", "Z999"], data)
    with pytest.raises(
        SelectorError, match=r"city:<a city present in the zone registry: .*Taiyuan"
    ):
        selectors.check("city:Atlantis", data)
    with pytest.raises(SelectorError, match="mode present"):
        selectors.check("mode:legacy", data)  # no registry zone is registered as legacy


def test_normalise_keeps_strings_and_lists_ids() -> None:
    assert selectors.normalise("all") == "all"
    assert selectors.normalise(("Z01", "Z02")) == ["Z01", "Z02"]


# ---------------------------------------------------------------- several values of one field
def test_several_values_of_a_field_select_either() -> None:
    sel = selectors.parse("city:Taiyuan,Datong")
    assert sel == Selector("city", ("Taiyuan", "Datong"))
    assert [z.zone_id for z in selectors.select(sel, ZONES)] == ["Z01", "Z02", "Z03"]
    assert [z.zone_id for z in selectors.select("mode:corporate,quzheng", ZONES)] == ["Z02", "Z03"]


@pytest.mark.parametrize(
    "spec", ["city:Linfen,Datong", "city:临汾,大同", "city:大同，临汾", "city:datong, LINFEN,大同"]
)
def test_stored_form_of_several_cities_is_canonical(spec: str) -> None:
    # one selection, one spelling: pinyin, once each, sorted (so one run id)
    assert selectors.normalise(spec) == "city:Datong,Linfen"


@pytest.mark.parametrize("spec", ["city:Datong,", "city:,Datong", "level:national,,provincial"])
def test_empty_value_in_a_list_is_rejected(spec: str) -> None:
    with pytest.raises(SelectorError):
        selectors.parse(spec)


def test_unknown_value_in_a_list_is_named_with_a_suggestion() -> None:
    with pytest.raises(SelectorError) as err:
        selectors.check("city:Datong,Linfn", zonedata.default())
    assert err.value.got == "city:Linfn"
    assert "did you mean 'Linfen'?" in str(err.value)


def test_unknown_field_gets_a_suggestion() -> None:
    with pytest.raises(SelectorError) as err:
        selectors.parse("cty:Datong")
    assert "did you mean 'city'?" in str(err.value)
