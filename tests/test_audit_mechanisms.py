"""The mechanism audit (benchmarks/audit_mechanisms.py) measures on a short, small run."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from sim.core import params as registry

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "audit_mechanisms.py"


@pytest.fixture(scope="module")
def audit() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_mechanisms", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def short(audit: ModuleType) -> dict:
    groups = audit.plan([3, 4], end=2020, draws=2)
    return audit.run_plan(groups, workers=1)


def test_every_figure_is_measured(audit: ModuleType, short: dict) -> None:
    rows = audit.measure(short)
    assert {r.figure for r in rows} == set(range(1, 10))
    for r in rows:
        assert math.isfinite(r.mean), r.measure
        if r.kind == "t95":
            assert r.lo <= r.mean <= r.hi, r.measure
    text = audit.markdown(rows, 2)
    assert text.count("\n") == len(rows) + 4


def test_decomposition_adds_up_to_year_end_growth(audit: ModuleType, short: dict) -> None:
    out = short["baseline"][0]
    parts = audit.decompose(out, 2017, 2018)
    units = audit.stat_units(out, 2017), audit.stat_units(out, 2018)
    s0 = audit.firms_at(out, 2017, units[0])["size"].sum()
    s1 = audit.firms_at(out, 2018, units[1])["size"].sum()
    assert parts["total"] == pytest.approx(100 * (s1 / s0 - 1))
    terms = ("incumbents", "entrants", "exits", "reclassified")
    assert sum(parts[k] for k in terms) == pytest.approx(parts["total"])
    assert parts["entrants"] > 0 > parts["exits"]


def test_published_statistics_match_the_annual_metric(audit: ModuleType, short: dict) -> None:
    for out in short["baseline"] + short["no_reform"]:
        annual = out.annual.set_index("year")["stat_zone_gdp"]
        published = audit.stat_gdp(out)
        assert np.allclose(published.loc[annual.index], annual)
        assert (audit.stat_gdp(out, fixed=True) >= published - 1e-9).all()


def test_hill_recovers_a_pareto_tail_exponent(audit: ModuleType) -> None:
    rng = np.random.default_rng(1)
    for alpha in (1.0, 2.0):
        sizes = rng.pareto(alpha, 200_000) + 1.0
        assert audit.hill(sizes, 0.01) == pytest.approx(alpha, rel=0.1)


def test_t_interval(audit: ModuleType) -> None:
    mean, lo, hi = audit.t_interval([1.0, 2.0, 3.0, np.nan])
    assert mean == 2.0
    assert hi - mean == pytest.approx(4.302653 * 1.0 / math.sqrt(3), rel=1e-5)
    assert mean - lo == pytest.approx(hi - mean)


def test_equal_mode_effects_are_equal_and_admissible(audit: ModuleType) -> None:
    params, common = audit.equal_mode_effects(registry.resolve())
    registry.resolve({k: v for k, v in params.items() if k in registry.REGISTRY})
    for effect, value in common.items():
        for mode in audit.MODES:
            if f"{mode}_{effect}" in registry.REGISTRY:
                assert params[f"{mode}_{effect}"] == value
