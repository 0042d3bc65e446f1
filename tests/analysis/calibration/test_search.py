"""The global search."""

from __future__ import annotations

import numpy as np
import pytest

from sim.analysis import calibration as cal

from .toy import toy_evaluate


def test_search_finds_the_toy_optimum(toy_targets: cal.Targets) -> None:
    best = cal.search(toy_targets, toy_evaluate(), seed=1, crn=2, popsize=8, maxiter=30,
                      progress=False)  # fmt: skip
    assert best.theta == pytest.approx([0.15, 0.5], abs=0.01)
    assert best.distance < 0.5


def test_search_is_deterministic(toy_targets: cal.Targets) -> None:
    a = cal.search(toy_targets, toy_evaluate(), seed=3, crn=2, popsize=4, maxiter=3, progress=False)
    b = cal.search(toy_targets, toy_evaluate(), seed=3, crn=2, popsize=4, maxiter=3, progress=False)
    assert np.array_equal(a.theta, b.theta)
