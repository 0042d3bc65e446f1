"""The moment function: patterns from paired runs, and their distance."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.analysis import calibration as cal
from sim.experiments.backends import ProcessBackend, SerialBackend
from sim.experiments.evaluate import MetricAt

from .toy import write_targets


def test_distance_scales_by_tolerance(toy_targets: cal.Targets) -> None:
    m = np.array([[160.0, 50.0], [150.0, 46.0]])
    assert cal.distance(toy_targets, m) == pytest.approx([1.0, 2.0])


def test_one_sided_patterns_count_only_on_their_wrong_side(tmp_path: Path) -> None:
    path = write_targets(tmp_path / "t.toml", parameters=["young_growth"], targets={
        "lo": {"metric": "firms", "value": 10.0, "tolerance": 1.0, "bound": "at_least"},
        "hi": {"metric": "stat_zone_gdp", "value": 10.0, "tolerance": 2.0, "bound": "at_most"},
    })  # fmt: skip
    t = cal.load_targets(path)
    m = np.array([[12.0, 8.0], [8.0, 14.0]])
    assert cal.scaled_errors(t, m).tolist() == [[0.0, 0.0], [-2.0, 2.0]]
    lo, hi = t.targets
    assert lo.passes(50.0) and not lo.passes(8.9) and hi.passes(-50.0) and not hi.passes(12.1)


def _pattern(**kw: object) -> cal.Target:
    return cal.Target(name="p", metric="firms", value=0.0, tolerance=1.0, **kw)  # type: ignore[arg-type]


def test_pattern_value_levels_rates_effects_and_transforms() -> None:
    firms, gdp = MetricAt("firms", 2018), MetricAt("zone_gdp", 2018)
    firms17 = MetricAt("firms", 2017)
    col = {firms: 0, gdp: 1, firms17: 2}
    # (points=1, variants=[point, lever], replicates=1, outputs)
    v = np.array([[[[120.0, 300.0, 100.0]], [[100.0, 200.0, 100.0]]]])
    var = [None, "off"]
    assert cal.pattern_value(_pattern(), v, col, var, 2018) == pytest.approx(np.array([[120.0]]))
    rate = _pattern(over="firms", over_year=2017)
    assert cal.pattern_value(rate, v, col, var, 2018) == pytest.approx(np.array([[1.2]]))
    eff = _pattern(lever="off")
    assert cal.pattern_value(eff, v, col, var, 2018) == pytest.approx(np.array([[0.2]]))
    share = _pattern(lever="off", effect="log", over="zone_gdp")
    assert cal.pattern_value(share, v, col, var, 2018) == pytest.approx(
        np.array([[np.log(1.2) / np.log(1.5)]])
    )
    # A ratio of effects with a zero divisor stays finite (the lever did nothing in 2017).
    lag = _pattern(lever="off", over_year=2017)
    assert np.isfinite(cal.pattern_value(lag, v, col, var, 2018)).all()
    top = _pattern(transform="pareto_top1")
    s = np.array([[[[0.01 ** (1 - 1 / 1.5), 1.0, 1.0]], [[1.0, 1.0, 1.0]]]])
    assert cal.pattern_value(top, s, col, var, 2018) == pytest.approx(np.array([[1.5]]))


def test_evaluator_same_on_every_backend(tmp_path: Path, toy_targets: cal.Targets) -> None:
    thetas = np.array([[0.1, 0.3], [0.2, 0.6]])
    seeds = np.array([[11, 12], [11, 12]])
    t = cal.Targets(**{**toy_targets.__dict__, "year": 2016})
    with SerialBackend() as serial, ProcessBackend(2) as procs:
        a = cal.Evaluator(t, serial, tmp_path / "a", progress=False)("s", thetas, seeds)
        b = cal.Evaluator(t, procs, tmp_path / "b", progress=False)("s", thetas, seeds)
    assert a.shape == (2, 2, 2)
    assert np.array_equal(a, b)
    assert a[0, 0, 0] == a[0, 0, 0] and not np.array_equal(a[0], a[1])


def test_effects_are_paired_on_common_seeds(tmp_path: Path) -> None:
    """Before the lever acts, with and without it are the same run: the effect is 0."""
    path = write_targets(
        tmp_path / "t.toml", parameters=["exit_hazard"], year=2016,
        levers={"no_bureau": {"approval_bureau_on": False}},
        targets={
            "bureau_2016": {"metric": "firm_entries", "lever": "no_bureau", "value": 0.0,
                            "tolerance": 0.1},
            "entry_rate": {"metric": "firm_entries", "over": "firms", "value": 0.1,
                           "tolerance": 0.05},
        },
    )  # fmt: skip
    t = cal.load_targets(path)
    assert t.runs_per_point == 2
    with SerialBackend() as serial:
        ev = cal.Evaluator(t, serial, tmp_path / "w", progress=False)
        m = ev("s", np.array([[0.05], [0.1]]), np.array([[1, 2], [1, 2]]))
    assert ev.runs == 8  # 2 points x 2 seeds x (point + lever)
    assert np.array_equal(m[:, :, 0], np.zeros((2, 2)))
    assert (m[:, :, 1] > 0).all() and (m[:, :, 1] < 1).all()
