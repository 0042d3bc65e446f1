"""The parameter registry: validation, SALib problems, documentation, province path."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from sim.core import params
from sim.core.params import MODE_ASSIGNMENTS, REGISTRY, Parameter, ParameterError

REAL = next(n for n, p in REGISTRY.items() if p.kind == "real")
INT = next(n for n, p in REGISTRY.items() if p.kind == "int")
BOOL = next(n for n, p in REGISTRY.items() if p.kind == "bool")
YEAR = next(n for n, p in REGISTRY.items() if p.kind == "year")

#: Authors of the evidence listed in facts.md ("Evidence for mechanisms and priors").
EVIDENCE = ("Lu", "Alder", "Wang", "Chen", "Barwick", "胡税根", "Liu & Zhu", "Brandt", "SAIC 2013")


def test_resolve_returns_every_parameter_with_defaults() -> None:
    full = params.resolve()
    assert list(full)[: len(REGISTRY)] == list(REGISTRY)
    assert full[MODE_ASSIGNMENTS] == []
    for name, p in REGISTRY.items():
        assert full[name] == float(p.default)
        assert isinstance(full[name], float)


def test_resolve_applies_valid_overrides() -> None:
    p = REGISTRY[REAL]
    mid = (p.lower + p.upper) / 2
    full = params.resolve({REAL: mid, BOOL: False, INT: int(REGISTRY[INT].upper)})
    assert full[REAL] == mid
    assert full[BOOL] == 0.0
    assert full[INT] == REGISTRY[INT].upper


def test_resolve_rejects_an_unknown_name() -> None:
    with pytest.raises(ParameterError) as err:
        params.resolve({"betta_approval": 1.0})
    assert err.value.key == "betta_approval"
    assert "betta_approval" in str(err.value)


def test_resolve_prefixes_keys_in_errors() -> None:
    with pytest.raises(ParameterError) as err:
        params.resolve({"nope": 1}, prefix="parameters.")
    assert err.value.key == "parameters.nope"
    assert str(err.value).startswith("parameters.nope:")


@pytest.mark.parametrize("name", list(REGISTRY))
def test_resolve_rejects_values_out_of_bounds(name: str) -> None:
    p = REGISTRY[name]
    span = max(p.upper - p.lower, 1.0)
    for bad in (p.lower - span, p.upper + span):
        if p.kind == "int":
            bad = math.floor(bad)
        with pytest.raises(ParameterError) as err:
            params.resolve({name: bad})
        assert err.value.key == name
        assert name in str(err.value)


@pytest.mark.parametrize("name", [REAL, INT, YEAR, BOOL])
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, "1", None, [1]])
def test_resolve_rejects_non_finite_and_non_numbers(name: str, bad: object) -> None:
    with pytest.raises(ParameterError) as err:
        params.resolve({name: bad})
    assert err.value.key == name


@pytest.mark.parametrize("name", [REAL, INT, YEAR])
def test_resolve_rejects_a_bool_for_a_number(name: str) -> None:
    with pytest.raises(ParameterError) as err:
        params.resolve({name: True})
    assert err.value.key == name


def test_resolve_rejects_a_fraction_for_an_integer() -> None:
    p = REGISTRY[INT]
    with pytest.raises(ParameterError, match="integer"):
        params.resolve({INT: p.lower + 0.5})


@pytest.mark.parametrize("bad", [2, 0.5, -1, "true"])
def test_resolve_rejects_a_non_boolean_for_a_bool(bad: object) -> None:
    with pytest.raises(ParameterError) as err:
        params.resolve({BOOL: bad})
    assert err.value.key == BOOL


def test_parameter_error_is_a_value_error_with_one_line() -> None:
    with pytest.raises(ValueError) as err:
        params.resolve({REAL: "abc"})
    assert "\n" not in str(err.value)
    assert isinstance(err.value, ParameterError)


def test_mode_assignments_validated() -> None:
    ok = [{"year": 2018, "mode": "corporate", "zones": "level:national"},
          {"year": 2019.5, "mode": "quzheng", "zones": ["Z02", "Z03"]}]  # fmt: skip
    full = params.resolve({MODE_ASSIGNMENTS: ok})
    assert full[MODE_ASSIGNMENTS][1] == {"year": 2019.5, "mode": "quzheng", "zones": ["Z02", "Z03"]}
    bad_cases = [
        ({"year": 2018, "mode": "private", "zones": "all"}, "mode_assignments[0].mode"),
        ({"year": "2018", "mode": "sanheyi", "zones": "all"}, "mode_assignments[0].year"),
        ({"year": 2018, "mode": "sanheyi", "zones": "county:X"}, "mode_assignments[0].zones"),
        ({"year": 2018, "mode": "sanheyi"}, "mode_assignments[0].zones"),
        ({"year": 2018, "mode": "sanheyi", "zones": "all", "x": 1}, "mode_assignments[0].x"),
    ]
    for item, key in bad_cases:
        with pytest.raises(ParameterError) as err:
            params.resolve({MODE_ASSIGNMENTS: [item]})
        assert err.value.key == key
    with pytest.raises(ParameterError) as err:
        params.resolve({MODE_ASSIGNMENTS: "all corporate"})
    assert err.value.key == MODE_ASSIGNMENTS


def test_salib_problem_bounds_equal_the_registry() -> None:
    problem = params.salib_problem()
    names = problem["names"]
    assert problem["num_vars"] == len(names)
    assert names == [n for n, p in REGISTRY.items() if p.kind != "bool" and p.lower < p.upper]
    for name, bounds in zip(names, problem["bounds"], strict=True):
        assert bounds == [REGISTRY[name].lower, REGISTRY[name].upper]
    assert "groups" not in problem


def test_salib_problem_for_chosen_names_with_groups() -> None:
    names = [REAL, INT, BOOL]
    problem = params.salib_problem(names, grouped=True)
    assert problem["names"] == names
    assert problem["bounds"] == [[REGISTRY[n].lower, REGISTRY[n].upper] for n in names]
    assert problem["groups"] == [REGISTRY[n].group for n in names]
    with pytest.raises(ParameterError):
        params.salib_problem(["nope"])


def test_salib_problem_rejects_equal_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    # The docstring promises ParameterError for a parameter whose bounds are equal.
    fixed = Parameter(
        "fixed_thing", 1.0, 1.0, 1.0, "-", "A constant.", "assumption", "一个常数。", "假设"
    )
    monkeypatch.setitem(REGISTRY, "fixed_thing", fixed)
    with pytest.raises(ParameterError):
        params.salib_problem(["fixed_thing"])


def test_groups_cover_the_registry_once() -> None:
    groups = params.groups()
    flat = [n for names in groups.values() for n in names]
    assert sorted(flat) == sorted(REGISTRY)


@pytest.mark.parametrize("name", list(REGISTRY))
def test_every_parameter_is_documented(name: str) -> None:
    p = REGISTRY[name]
    assert p.name == name
    assert p.unit.strip()
    assert p.description.strip()
    assert p.source.strip()
    assert p.kind in ("real", "int", "bool", "year")
    assert p.group.strip()


@pytest.mark.parametrize("name", list(REGISTRY))
def test_every_parameter_has_its_meaning_and_source_in_chinese(name: str) -> None:
    p = REGISTRY[name]
    for zh in (p.description_zh, p.source_zh):  # English runs: the brief's tests
        assert re.search(r"[\u3400-\u9fff]", zh), zh
    # the same code (parameter names) in both languages; the same kind of source
    assert re.findall(r"`[^`]+`", p.description_zh) == re.findall(r"`[^`]+`", p.description)
    assert p.source.startswith("assumption") == p.source_zh.startswith("假设")
    assert p.source.startswith("facts:") == p.source_zh.startswith("事实资料：")


@pytest.mark.parametrize("name", list(REGISTRY))
def test_every_source_is_facts_evidence_or_assumption(name: str) -> None:
    src = REGISTRY[name].source
    assert (
        src.startswith("assumption") or src.startswith("facts:") or any(a in src for a in EVIDENCE)
    ), src


@pytest.mark.parametrize("name", list(REGISTRY))
def test_defaults_lie_within_bounds(name: str) -> None:
    p = REGISTRY[name]
    assert p.lower <= p.upper
    assert p.lower <= p.default <= p.upper
    prior = p.prior if p.prior is not None else p.default
    assert p.lower <= prior <= p.upper
    if p.kind in ("int", "bool"):
        assert float(p.default) == int(p.default)
    if p.kind == "bool":
        assert (p.lower, p.upper) == (0, 1)
    assert p.check(p.default) == float(p.default)


def test_province_growth_data_2016_to_2018() -> None:
    full = params.resolve()
    assert [params.province_growth(y, full) for y in (2016, 2017, 2018)] == [4.5, 7.0, 6.7]
    assert params.province_growth(2010, full) == 4.5


def test_province_growth_follows_the_dated_table_then_the_projection() -> None:
    full = params.resolve({"province_growth_2025": 6.0, "province_growth_2035": 4.0})
    table = params.PROVINCE_GROWTH_TABLE
    assert params.LAST_DATA_YEAR == 2024 and min(table) == 2016
    for year, row in table.items():  # every data year is the table's real growth, sourced
        assert params.province_growth(year, full) == float(row["real_growth_pct"])
        assert row["source"] and row["source_zh"]
    assert params.province_growth(2020, full) == 3.6  # the table, not the parameters
    assert params.province_growth(2025, full) == pytest.approx(6.0)
    assert params.province_growth(2030, full) == pytest.approx(5.0)
    assert params.province_growth(2035, full) == pytest.approx(4.0)
    assert params.province_growth(2050, full) == pytest.approx(4.0)
    # the investment flow's reference pace stays the calibration years' mean
    assert pytest.approx((4.5 + 7.0 + 6.7) / 3) == params.REFERENCE_GROWTH


def test_the_growth_table_refuses_a_gap_in_its_years(tmp_path: Path) -> None:
    rows = params.PROVINCE_GROWTH_FILE.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "growth.csv"
    bad.write_text("\n".join(r for r in rows if not r.startswith("2020,")), encoding="utf-8")
    with pytest.raises(ValueError, match="consecutive years"):
        params._province_growth_table(bad)


def test_calibrated_defaults_keep_the_prior(tmp_path: Path) -> None:
    path = tmp_path / "calibrated.toml"
    p = REGISTRY[REAL]
    value = (p.lower + p.upper) / 2
    path.write_text(f"[defaults]\n{REAL} = {value!r}\n")
    reg = params._with_calibration(params.load_table(), path)
    assert reg[REAL].default == value
    assert reg[REAL].prior == next(q.default for q in params.load_table() if q.name == REAL)
    assert reg[REAL].as_dict()["prior"] == reg[REAL].prior


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (f"[defaults]\n{REAL} = 1e9\n", REAL),
        ("[defaults]\nnot_a_parameter = 1\n", "not_a_parameter"),
    ],
)
def test_bad_calibrated_file_names_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "calibrated.toml"
    path.write_text(text)
    with pytest.raises(ParameterError) as err:
        params._with_calibration(params.load_table(), path)
    assert re.search(re.escape(str(path)) + r".*defaults\." + key, err.value.key)


# --- The parameter table file ----------------------------------------------------------

GOOD_TABLE = """
[alpha]
default = 0.5
bounds = [0.0, 1.0]
unit = "-"
kind = "real"
group = "g"
meaning = "A test parameter."
meaning_zh = "一个测试参数。"
source = "assumption"
source_zh = "假设"

[switch]
default = true
unit = "-"
kind = "bool"
group = "g"
meaning = "A test switch."
meaning_zh = "一个测试开关。"
source = "assumption"
source_zh = "假设"
"""


def test_load_table_reads_named_fields(tmp_path: Path) -> None:
    path = tmp_path / "parameters.toml"
    path.write_text(GOOD_TABLE)
    alpha, switch = params.load_table(path)
    assert (alpha.name, alpha.default, alpha.lower, alpha.upper) == ("alpha", 0.5, 0.0, 1.0)
    assert alpha.description == "A test parameter." and alpha.is_assumption
    assert (alpha.description_zh, alpha.source_zh) == ("一个测试参数。", "假设")
    assert (switch.kind, switch.default, switch.lower, switch.upper) == ("bool", 1, 0, 1)


def test_registry_is_the_shipped_table_in_file_order() -> None:
    names = [p.name for p in params.load_table()]
    assert names == list(REGISTRY)
    for p in params.load_table():
        assert REGISTRY[p.name].prior in (None, p.default)


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (lambda t: t.replace("default = 0.5", "default = 2.0"), "alpha.default"),
        (lambda t: t.replace('kind = "real"', 'kind = "complex"'), "alpha.kind"),
        (lambda t: t.replace("bounds = [0.0, 1.0]", "bounds = [1.0, 0.0]"), "alpha.bounds"),
        (lambda t: t.replace("bounds = [0.0, 1.0]\n", ""), "alpha.bounds"),
        (lambda t: t.replace('meaning = "A test parameter."\n', ""), "alpha.meaning"),
        (lambda t: t.replace('meaning_zh = "一个测试参数。"\n', ""), "alpha.meaning_zh"),
        (lambda t: t.replace('"一个测试参数。"', '"  "'), "alpha.meaning_zh"),
        (lambda t: t.replace('source_zh = "假设"\n', "", 1), "alpha.source_zh"),
        (lambda t: t.replace('source_zh = "假设"', 'source_zh = ""', 1), "alpha.source_zh"),
        (lambda t: t.replace('source_zh = "假设"', "source_zh = 3", 1), "alpha.source_zh"),
        (lambda t: t.replace('unit = "-"\n', 'unit = "-"\ncolour = "red"\n', 1), "alpha.colour"),
        (lambda t: t.replace("default = true", "default = 1"), "switch.default"),
        (lambda t: t.replace('source = "assumption"', "source = 3", 1), "alpha.source"),
        (lambda t: t.replace("[alpha]", "[Alpha]"), "Alpha"),
        (lambda t: t + "\n[broken\n", "valid TOML"),
    ],
)
def test_load_table_rejects_a_malformed_table_in_one_line(tmp_path: Path, edit, where) -> None:
    path = tmp_path / "parameters.toml"
    path.write_text(edit(GOOD_TABLE))
    with pytest.raises(ParameterError) as err:
        params.load_table(path)
    message = str(err.value)
    assert "\n" not in message
    assert str(path) in message
    assert where in message


def test_load_table_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="file not found"):
        params.load_table(tmp_path / "nope.toml")


def test_sector_weights_give_the_shares_of_the_flow() -> None:
    from sim.core.model import SECTORS, ZoneReformModel

    assert len(SECTORS) == 8
    m = ZoneReformModel(rng=1)
    assert m.sector_shares.sum() == pytest.approx(1.0)
    heavy = ZoneReformModel({f"sector_weight_{SECTORS[0]}": 0.3}, rng=1)
    assert heavy.sector_shares[0] > m.sector_shares[0]
