"""Simulated moments and their distance."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.analysis import calibration as cal
from sim.experiments.backends import ProcessBackend, SerialBackend


def test_distance_scales_by_tolerance(toy_targets: cal.Targets) -> None:
    m = np.array([[160.0, 50.0], [150.0, 46.0]])
    assert cal.distance(toy_targets, m) == pytest.approx([1.0, 2.0])


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
