"""The ODD document stays in step with the code."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from sim.core import modes, outputs, zonedata, zonegen, zonepublic
from sim.core.params import REGISTRY
from sim.core.run import METRICS

ROOT = Path(__file__).resolve().parents[2]
ODD = ROOT / "docs" / "ODD.md"


@pytest.fixture(scope="module")
def maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_tables", ROOT / "docs" / "make_tables.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def odd() -> str:
    return ODD.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "block", ["PARAMETER TABLE", "ANNUAL OUTPUT TABLE", "ZONE OUTPUT TABLE", "MODE TABLE"]
)
def test_generated_tables_are_up_to_date(maker: ModuleType, odd: str, block: str) -> None:
    assert maker.extract_block(odd, block) == maker.render_block(block), (
        f"docs/ODD.md {block.lower()} is out of date: run `python docs/make_tables.py --write`"
    )


def _first_column(table: str) -> list[str]:
    return re.findall(r"^\| `([a-z0-9_]+)` \|", table, flags=re.MULTILINE)


def test_generated_tables_list_every_entry_once(maker: ModuleType) -> None:
    assert _first_column(maker.render_parameters()) == list(REGISTRY)
    assert _first_column(maker.render_annual()) == list(METRICS)
    assert _first_column(maker.render_zones()) == list(outputs.ZONE_NAMES)
    assert _first_column(maker.render_modes()) == list(modes.MODE_NAMES)


def test_table_detects_a_changed_default(maker: ModuleType, odd: str, monkeypatch) -> None:
    from dataclasses import replace

    name = next(iter(REGISTRY))
    p = REGISTRY[name]
    monkeypatch.setitem(REGISTRY, name, replace(p, description=p.description + " (changed)"))
    assert maker.extract_block(odd, "PARAMETER TABLE") != maker.render_block("PARAMETER TABLE")


def test_every_parameter_is_discussed_in_the_text(odd: str, maker: ModuleType) -> None:
    text = odd.replace(maker.extract_block(odd, "PARAMETER TABLE"), "")
    missing = [n for n in REGISTRY if f"`{n}`" not in text]
    assert not missing, f"parameters not cited outside the table: {missing}"


def test_every_metric_is_described(odd: str) -> None:
    missing = [m for m in METRICS if f"`{m}`" not in odd]
    assert not missing, missing


def test_registry_assumptions_are_documented(odd: str) -> None:
    missing = [k for k in zonegen.ASSUMPTIONS if f"`{k}`" not in odd]
    assert not missing, missing
    missing = [k for k in zonepublic.FACTS if f"`{k}`" not in odd]
    assert not missing, missing


def test_sourced_and_synthetic_counts_match_the_registry(odd: str) -> None:
    data, prov = zonedata.load(), zonedata.load_provenance()
    z, u = data.zones, data.units
    text = " ".join(odd.split())  # line breaks as spaces
    named = f"{(z['synthetic'] == 0).sum()} zones and {(u['synthetic'] == 0).sum()} units are named"
    assert named in text
    assert f"The other {z['synthetic'].sum()} zones (`synthetic` = 1)" in text
    for table, df, idcols in (("zones", z, 2), ("units", u, 3)):
        total = len(df) * (len(df.columns) - idcols)
        assert f"{(prov['table'] == table).sum()} of the {table}' {total:,} fields" in text


def test_odd_has_the_protocol_sections(odd: str) -> None:
    for heading in (
        "Purpose and patterns",
        "Entities, state variables and scales",
        "Process overview and scheduling",
        "Design concepts",
        "Initialisation",
        "Input data",
        "Submodels",
        "Simplifications and open points",
    ):
        assert re.search(rf"^#+ .*{re.escape(heading)}", odd, flags=re.MULTILINE), heading
