"""The zone registry: facts reproduced, public names and provenance, regeneration, load().

The expected figures are written out here from facts.md, so the test fails if either
the registry files or zonepublic.FACTS drift away from the sources.
"""

from __future__ import annotations

import filecmp
from pathlib import Path

import pandas as pd
import pytest

from sim.core import zonedata, zonegen, zonepublic
from sim.core.zonedata import ZoneData, ZoneDataError


@pytest.fixture(scope="module")
def registry() -> ZoneData:
    return zonedata.load()


def test_67_zones_in_11_cities(registry: ZoneData) -> None:
    z = registry.zones
    assert len(z) == 67
    assert z["zone_id"].is_unique
    assert z["city"].nunique() == 11
    assert set(z["city"]) == set(zonedata.CITIES)
    assert set(z["level"]) == {"national", "provincial"}


def test_59_industrial_zones_with_2750_km2(registry: ZoneData) -> None:
    z = registry.zones
    industrial = z[z["type"] == "industrial"]
    assert len(industrial) == 59
    assert industrial["planned_area_km2"].sum() == pytest.approx(2750.0, abs=1e-6)
    # about 1.75 % of the province's land
    share = industrial["planned_area_km2"].sum() / zonedata.PROVINCE_LAND_KM2
    assert share == pytest.approx(0.0175, abs=0.0005)
    assert set(z["type"]) <= set(zonedata.ZONE_TYPES)


def test_37_industrial_zones_in_the_statistics(registry: ZoneData) -> None:
    z = registry.zones
    stats = z[z["in_statistics"] == 1]
    assert len(stats) == 37
    assert (stats["type"] == "industrial").all()


def test_demonstration_zone_structure(registry: ZoneData) -> None:
    z, u = registry.zones, registry.units
    demo = z[z["demonstration"] == 1]
    assert len(demo) == 1
    row = demo.iloc[0]
    assert row["zone_id"] == "Z01"
    assert row["level"] == "national"
    assert row["type"] == "industrial"
    assert row["in_statistics"] == 1
    assert row["staff"] == 146
    units = u[u["zone_id"] == row["zone_id"]]
    assert len(units) == 8
    assert units["level"].value_counts().to_dict() == {"national": 4, "provincial": 3, "park": 1}
    bodies = units.loc[units["staff"] > 0, "body_id"]
    assert bodies.nunique() == 5
    assert units["body_id"].nunique() == 5
    assert units["staff"].sum() == 423
    assert units["planned_area_km2"].sum() == pytest.approx(row["planned_area_km2"], abs=1e-6)


def test_delegation_three_systems_and_operators(registry: ZoneData) -> None:
    z = registry.zones
    assert z["local_powers"].sum() == 8384
    assert (z["three_systems_year"] <= 2018).sum() == 38
    assert z["operators"].sum() == 74
    assert (z["operators"] > 0).sum() == 35
    with_ops = z[z["operators"] > 0]
    assert with_ops["operators_year"].notna().all()
    assert (with_ops["operators_year"] <= 2018).all()
    # every corporate zone is run by an operating company
    assert (z.loc[z["mode"] == "corporate", "operators"] > 0).all()


def test_modes_fit_their_structure(registry: ZoneData) -> None:
    z = registry.zones
    assert set(z["mode"]) == {"sanheyi", "quzheng", "corporate"}
    assert z.loc[z["demonstration"] == 1, "mode"].iloc[0] == "sanheyi"
    dep = z.set_index("mode")["departments"]
    assert dep.loc["sanheyi"].between(6, 8).all()
    assert (dep.loc["quzheng"] == 3).all()
    assert (dep.loc["corporate"] <= 3).all()
    assert z["mode_year"].between(2017, 2018).all()


def test_staffing_is_drawn_from_the_mode_registry(registry: ZoneData) -> None:
    from sim.core.modes import MODES

    z = registry.zones[registry.zones["demonstration"] == 0]
    for row in z.itertuples():
        mode = MODES[row.mode]
        assert mode.departments_2018 is not None and mode.staff_2018 is not None
        lo, hi = mode.departments_2018
        assert (
            lo <= row.departments <= hi and mode.departments[0] <= lo <= hi <= mode.departments[1]
        )
        lo, hi = mode.staff_2018
        assert lo <= row.staff <= hi


def test_units_fit_their_zones(registry: ZoneData) -> None:
    z, u = registry.zones, registry.units
    assert u["unit_id"].is_unique
    assert set(u["zone_id"]) == set(z["zone_id"])
    area = u.groupby("zone_id")["planned_area_km2"].sum()
    pd.testing.assert_series_equal(
        area.sort_index(),
        z.set_index("zone_id")["planned_area_km2"].sort_index(),
        check_names=False,
        atol=1e-6,
    )
    assert set(u["level"]) <= set(zonedata.UNIT_LEVELS)
    assert (u["firms"] > 0).all()
    assert (u["value_added"] > 0).all()
    assert (u["staff"] >= 0).all()
    assert (u["planned_area_km2"] > 0).all()


def test_facts_constant_matches_the_sources() -> None:
    assert zonepublic.FACTS == {
        "zones": 67,
        "industrial_zones": 59,
        "industrial_area_km2": 2750.0,
        "statistics_zones": 37,
        "cities": 11,
        "demo_units": 8,
        "demo_units_by_level": {"national": 4, "provincial": 3, "park": 1},
        "demo_bodies_2016": 5,
        "demo_staff_2016": 423,
        "demo_staff_2018": 146,
        "local_powers": 8384,
        "three_systems_2018": 38,
        "operators_2018": 74,
        "zones_with_operators_2018": 35,
    }
    assert zonedata.PROVINCE_LAND_KM2 == 156_700.0


def test_shipped_files_equal_regenerated_files(tmp_path: Path) -> None:
    zonedata.save(zonegen.generate(), tmp_path)
    for name in ("zones.csv", "units_2016.csv", zonedata.PROVENANCE_CSV):
        assert filecmp.cmp(tmp_path / name, zonedata.DATA_DIR / name, shallow=False), name


def test_generate_is_deterministic_and_load_round_trips(tmp_path: Path) -> None:
    a, b = zonegen.generate(), zonegen.generate()
    pd.testing.assert_frame_equal(a.zones, b.zones, check_exact=True)
    pd.testing.assert_frame_equal(a.units, b.units, check_exact=True)
    zonedata.save(a, tmp_path)
    loaded = zonedata.load(tmp_path)
    pd.testing.assert_frame_equal(loaded.zones, a.zones, check_exact=True)
    pd.testing.assert_frame_equal(loaded.units, a.units, check_exact=True)


def test_another_seed_still_reproduces_the_facts() -> None:
    other = zonegen.generate(seed=7)
    z, u = other.zones, other.units
    assert not z["planned_area_km2"].equals(zonegen.generate().zones["planned_area_km2"])
    assert len(z) == 67
    assert z.loc[z["type"] == "industrial", "planned_area_km2"].sum() == pytest.approx(2750.0)
    assert z["in_statistics"].sum() == 37
    assert z["local_powers"].sum() == 8384
    assert (z["three_systems_year"] <= 2018).sum() == 38
    assert (z["operators"].sum(), (z["operators"] > 0).sum()) == (74, 35)
    demo = u[u["zone_id"] == "Z01"]
    assert (len(demo), demo["staff"].sum(), demo["body_id"].nunique()) == (8, 423, 5)


# ------------------------------------------------------------------- public names


@pytest.fixture(scope="module")
def public() -> pd.DataFrame:
    return zonepublic.read_public()


@pytest.fixture(scope="module")
def provenance() -> pd.DataFrame:
    return zonedata.load_provenance()


NATIONAL = {
    "山西转型综合改革示范区": "Taiyuan",
    "大同经济技术开发区": "Datong",
    "晋城经济技术开发区": "Jincheng",
    "长治高新技术产业开发区": "Changzhi",
}


def test_public_list_gives_a_source_for_every_row(public: pd.DataFrame) -> None:
    assert len(public) == 31
    assert (public["source"].str.len() > 0).all()
    assert public["name_zh"].is_unique


def test_every_publicly_named_zone_and_unit_keeps_its_real_name(
    registry: ZoneData, public: pd.DataFrame
) -> None:
    rows = pd.concat([registry.zones, registry.units], ignore_index=True)
    for p in public.itertuples():
        found = rows[rows["name_zh"] == p.name_zh]
        assert len(found) >= 1, p.name_zh
        assert (found["name"] == p.name_en).all(), p.name_zh
        assert (found["level"] == p.level).all(), p.name_zh
        assert (found["synthetic"] == 0).all(), p.name_zh
    zones = registry.zones.set_index("name_zh")
    for p in public.itertuples():
        if p.name_zh in zones.index:
            assert zones.loc[p.name_zh, "city"] in p.prefecture.split("/"), p.name_zh
            assert zones.loc[p.name_zh, "type"] == zonepublic.CATEGORY_TYPES[p.category]


def test_national_zones_only_where_the_sources_put_them(
    registry: ZoneData, public: pd.DataFrame
) -> None:
    z = registry.zones
    national = z[z["level"] == "national"]
    assert dict(zip(national["name_zh"], national["city"], strict=True)) == NATIONAL
    public_national = {
        c for p in public[public["level"] == "national"]["prefecture"] for c in p.split("/")
    }
    assert set(national["city"]) <= public_national
    assert not set(national["city"]) & {"Shuozhou", "Lvliang", "Xinzhou"}
    u = registry.units
    assert set(u.loc[u["level"] == "national", "zone_id"]) == set(national["zone_id"])


def test_demonstration_zone_units_are_the_eight_named_ones(registry: ZoneData) -> None:
    u = registry.units[registry.units["zone_id"] == "Z01"]
    assert registry.zones.loc[0, "name_zh"] == "山西转型综合改革示范区"
    assert list(zip(u["name"], u["level"], strict=True)) == [
        ("Taiyuan Economic and Technological Development Zone", "national"),
        ("Taiyuan High-Tech Industrial Development Zone", "national"),
        ("Jinzhong Economic and Technological Development Zone", "national"),
        ("Taiyuan Wusu Comprehensive Bonded Zone", "national"),
        ("Taiyuan Industrial Park", "provincial"),
        ("Yuci Industrial Park", "provincial"),
        ("Sci-Tech Innovation City", "provincial"),
        ("University Town", "park"),
    ]
    assert (u["synthetic"] == 0).all()


def test_synthetic_rows_say_so_in_both_languages(registry: ZoneData) -> None:
    for table in (registry.zones, registry.units):
        synth = table[table["synthetic"] == 1]
        assert len(synth) > 0
        assert synth["name"].str.startswith("Synthetic").all()
        assert synth["name_zh"].str.startswith("合成").all()
        real = table[table["synthetic"] == 0]
        assert not real["name"].str.contains("Synthetic").any()
    z = registry.zones
    assert (z["synthetic"] == 0).sum() == 25
    assert (z.loc[z["synthetic"] == 1, "level"] == "provincial").all()
    row = z[z["name"] == "Synthetic provincial zone, Taiyuan 1"]
    assert row["name_zh"].tolist() == ["合成省级开发区（太原1）"]


def _public_value(public: pd.Series, column: str, value: object) -> bool:
    """Whether a registry value is what the public list's column says."""
    text = public[column]
    if column == "prefecture":
        return value in text.split("/")
    if column == "category":
        return zonepublic.CATEGORY_TYPES[text] == value
    if column == "area_km2":
        return float(text) == value
    if column == "note":
        return str(value).casefold() in text.casefold()
    return text == value


def test_every_sourced_field_equals_the_public_list(
    registry: ZoneData, public: pd.DataFrame, provenance: pd.DataFrame
) -> None:
    pub = public.set_index("name_zh", drop=False)
    tables = {
        "zones": registry.zones.set_index("zone_id"),
        "units": registry.units.set_index("unit_id"),
    }
    assert set(provenance["table"]) == set(tables)
    for r in provenance.itertuples():
        row = tables[r.table].loc[r.id]
        assert row["synthetic"] == 0, r
        p = pub.loc[r.public_name]
        assert _public_value(p, r.public_column, row[r.field]), r
        assert r.source == p["source"]
    # named rows, and only they, have sourced fields: a zone its names, city, level, type
    required = {"zones": {"name", "name_zh", "city", "level", "type"}, "units": {"name"}}
    for table, df in tables.items():
        marked = provenance[provenance["table"] == table]
        named = set(df.index[df["synthetic"] == 0])
        assert set(marked["id"]) == named
        for rid in named:
            assert required[table] <= set(marked.loc[marked["id"] == rid, "field"]), rid


def test_every_public_area_is_used(registry: ZoneData, public: pd.DataFrame) -> None:
    areas = pd.concat([registry.zones, registry.units])[["name_zh", "planned_area_km2"]]
    for p in public[public["area_km2"] != ""].itertuples():
        assert float(p.area_km2) in set(areas.loc[areas["name_zh"] == p.name_zh].iloc[:, 1])
    assert registry.zones.set_index("name_zh").loc["大同经济技术开发区", "planned_area_km2"] == 37.2


def test_zone_label_in_both_languages() -> None:
    assert zonedata.zone_label("Z01", "zh") == "山西转型综合改革示范区"
    assert zonedata.zone_label("Z01") == (
        "Shanxi Transformation Comprehensive Reform Demonstration Zone"
    )
    assert zonedata.zone_label("U002", "zh") == "太原高新技术产业开发区"
    assert zonedata.zone_label("Z99") == "Z99"
    row = {"zone_id": "N070", "name": "New county zone", "name_zh": "新区", "synthetic": 1}
    assert zonedata.zone_label(row) == "New county zone (synthetic)"
    assert zonedata.zone_label(row, "zh") == "新区（合成）"
    assert zonedata.zone_label({"zone_id": "Z01"}, "zh") == "山西转型综合改革示范区"
    with pytest.raises(ValueError, match="lang"):
        zonedata.zone_label("Z01", "de")


def test_changing_the_registry_changes_the_outputs() -> None:
    from sim.core.run import simulate

    data = zonedata.load()
    zones, units = data.zones.copy(), data.units.copy()
    datong = zones.index[zones["name_zh"] == "大同经济技术开发区"][0]
    zones.loc[datong, "level"] = "provincial"
    units.loc[units["name_zh"] == "大同经济技术开发区", "level"] = "provincial"
    base = simulate(seed=3, end=2018).annual.set_index("year")
    alt = simulate(seed=3, end=2018, data=ZoneData(zones=zones, units=units)).annual
    alt = alt.set_index("year")
    assert alt.loc[2018, "national_zones"] == base.loc[2018, "national_zones"] - 1 == 3
    # Projects choose zones differently (firm counts may coincide: draws are keyed by firm).
    assert not alt["stat_zone_gdp"].equals(base["stat_zone_gdp"])


# ----------------------------------------------------------------------------- load()


def _write_copy(tmp_path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    zones = pd.read_csv(zonedata.DATA_DIR / "zones.csv")
    units = pd.read_csv(zonedata.DATA_DIR / "units_2016.csv")
    return zones, units


def _save(tmp_path: Path, zones: pd.DataFrame, units: pd.DataFrame) -> None:
    zones.to_csv(tmp_path / "zones.csv", index=False)
    units.to_csv(tmp_path / "units_2016.csv", index=False)


def test_load_reports_a_missing_file(tmp_path: Path) -> None:
    zones, _ = _write_copy(tmp_path)
    zones.to_csv(tmp_path / "zones.csv", index=False)
    with pytest.raises(ZoneDataError, match=r"units_2016\.csv.*not found"):
        zonedata.load(tmp_path)


def test_load_reports_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(ZoneDataError, match=r"zones\.csv"):
        zonedata.load(tmp_path / "nowhere")


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("zones.csv", "staff"),
        ("zones.csv", "mode"),
        ("zones.csv", "name_zh"),
        ("zones.csv", "synthetic"),
        ("units_2016.csv", "value_added"),
        ("units_2016.csv", "name_zh"),
    ],
)
def test_load_reports_a_missing_column(tmp_path: Path, table: str, column: str) -> None:
    zones, units = _write_copy(tmp_path)
    if table == "zones.csv":
        zones = zones.drop(columns=column)
    else:
        units = units.drop(columns=column)
    _save(tmp_path, zones, units)
    with pytest.raises(ZoneDataError) as err:
        zonedata.load(tmp_path)
    message = str(err.value)
    assert table in message
    assert f"'{column}'" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("zones.csv", "planned_area_km2", "large"),
        ("zones.csv", "staff", "many"),
        ("zones.csv", "level", "county"),
        ("zones.csv", "type", "mining"),
        ("zones.csv", "mode", "private"),
        ("zones.csv", "synthetic", "maybe"),
        ("units_2016.csv", "synthetic", "0.5"),
        ("units_2016.csv", "firms", "n/a"),
        ("units_2016.csv", "zone_id", "Z99"),
    ],
)
def test_load_reports_a_bad_value(tmp_path: Path, table: str, column: str, value: str) -> None:
    zones, units = _write_copy(tmp_path)
    df = zones if table == "zones.csv" else units
    df[column] = df[column].astype(object)
    df.loc[3, column] = value
    _save(tmp_path, zones, units)
    with pytest.raises(ZoneDataError) as err:
        zonedata.load(tmp_path)
    message = str(err.value)
    assert table in message
    assert f"'{column}'" in message


def test_load_reports_a_missing_integer(tmp_path: Path) -> None:
    zones, units = _write_copy(tmp_path)
    units["staff"] = units["staff"].astype(object)
    units.loc[2, "staff"] = None
    _save(tmp_path, zones, units)
    with pytest.raises(ZoneDataError, match=r"units_2016\.csv.*'staff'"):
        zonedata.load(tmp_path)


def test_load_rejects_a_fractional_integer(tmp_path: Path) -> None:
    # A count such as 12.5 staff must be reported, not silently truncated to 12.
    zones, units = _write_copy(tmp_path)
    zones["staff"] = zones["staff"].astype(float)
    zones.loc[4, "staff"] = 12.5
    _save(tmp_path, zones, units)
    with pytest.raises(ZoneDataError, match=r"zones\.csv.*'staff'"):
        zonedata.load(tmp_path)


def test_load_reports_duplicate_zone_ids(tmp_path: Path) -> None:
    zones, units = _write_copy(tmp_path)
    zones.loc[5, "zone_id"] = zones.loc[4, "zone_id"]
    _save(tmp_path, zones, units)
    with pytest.raises(ZoneDataError, match=r"zones\.csv.*'zone_id'"):
        zonedata.load(tmp_path)


def test_a_user_registry_with_the_same_columns_runs(tmp_path: Path) -> None:
    # Swap in another registry (here: the generator with another seed) and run it.
    from sim.core.run import simulate

    zonedata.save(zonegen.generate(seed=7), tmp_path)
    result = simulate(seed=1, end=2017, data=zonedata.load(tmp_path))
    assert result.annual["zones_active"].iloc[-1] == 67
    assert set(result.zones["zone_id"]) == set(zonedata.load(tmp_path).zones["zone_id"])


@pytest.mark.parametrize("column", ["mode_year", "operators_year"])
def test_load_rejects_a_missing_date(tmp_path: Path, column: str) -> None:
    # A blank date for a registered event (every zone's mode; operators where
    # operators > 0) is an undated event: the model's timeline cannot place it.
    zones, units = _write_copy(tmp_path)
    row = zones.index[zones["operators"] > 0][0]
    zones.loc[row, column] = None
    _save(tmp_path, zones, units)
    with pytest.raises(ZoneDataError, match=rf"zones\.csv.*'{column}'"):
        zonedata.load(tmp_path)


def test_an_undated_event_does_not_stall_the_timeline() -> None:
    # Whatever load() accepts must not stop the other zones' reforms.
    from sim.core.run import simulate

    data = zonedata.load()
    zones = data.zones.copy()
    zones.loc[zones.index[zones["operators"] > 0][0], "operators_year"] = float("nan")
    result = simulate(seed=1, end=2018, data=ZoneData(zones=zones, units=data.units))
    row = result.annual.set_index("year").loc[2018]
    assert row["zones_legacy"] == 0
    assert row["zones_three_systems"] >= 37
