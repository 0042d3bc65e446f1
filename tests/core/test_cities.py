"""City names: identifiers, Chinese and English names, aliases, any letter case."""

from __future__ import annotations

import csv

import pytest

from sim.core import cities, zonedata
from sim.core.cities import CITIES, COUNTIES, canonical_city, city_label

ZH = {
    "Taiyuan": "太原", "Datong": "大同", "Yangquan": "阳泉", "Changzhi": "长治",
    "Jincheng": "晋城", "Shuozhou": "朔州", "Jinzhong": "晋中", "Yuncheng": "运城",
    "Xinzhou": "忻州", "Linfen": "临汾", "Lvliang": "吕梁",
}  # fmt: skip


def test_eleven_prefecture_cities_with_their_chinese_names() -> None:
    assert tuple(ZH) == CITIES
    assert {c: city_label(c, "zh") for c in CITIES} == ZH
    assert city_label("Lvliang", "en") == "Lüliang"
    assert city_label("Datong", "en") == "Datong"
    assert all(COUNTIES[c] > 0 for c in CITIES)
    assert zonedata.CITIES == CITIES and zonedata.COUNTIES == COUNTIES


@pytest.mark.parametrize("city", list(ZH))
def test_pinyin_and_chinese_in_any_case_name_the_city(city: str) -> None:
    for name in (city, city.lower(), city.upper(), f" {city} ", ZH[city], ZH[city] + "市"):
        assert canonical_city(name) == city, name


@pytest.mark.parametrize("name", ["Lvliang", "Lüliang", "LÜLIANG", "luliang", "吕梁", "吕梁市"])
def test_lvliang_under_all_its_spellings(name: str) -> None:
    assert canonical_city(name) == "Lvliang"
    assert city_label(name, "zh") == "吕梁"


@pytest.mark.parametrize("name", ["Atlantis", "", "Taiyuan/Jinzhong", "Beijing", "北京"])
def test_unknown_names_are_none_and_keep_their_label(name: str) -> None:
    assert canonical_city(name) is None
    assert city_label(name, "zh") == name


def test_no_alias_names_two_cities() -> None:
    seen: dict[str, str] = {}
    with cities.CITIES_CSV.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            names = [row["city"], row["name_zh"], row["name_en"], *row["aliases"].split("|")]
            for name in {cities._key(n) for n in names}:
                assert seen.setdefault(name, row["city"]) == row["city"], name


def test_city_label_rejects_an_unknown_language() -> None:
    with pytest.raises(ValueError, match="lang"):
        city_label("Datong", "fr")
