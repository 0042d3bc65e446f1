"""The best fit among posterior candidates."""

from __future__ import annotations

import numpy as np
import pytest

from sim.analysis import calibration as cal

from .toy import toy_evaluate


def test_search_picks_the_candidate_nearest_the_targets(toy_targets: cal.Targets) -> None:
    thetas = np.array([[0.10, 0.30], [0.15, 0.50], [0.20, 0.70]])
    best = cal.search(toy_targets, toy_evaluate(), thetas, seed=1, crn=3)
    assert best.theta == pytest.approx([0.15, 0.5])
    assert best.distance < 1 and best.evaluations == 3
    assert np.argmin(best.history) == 1


def test_candidates_median_mean_then_nearest(toy_targets: cal.Targets) -> None:
    abc = cal.abc_smc(toy_targets, toy_evaluate(), seed=2, population=30, max_generations=2,
                      progress=False)  # fmt: skip
    c = cal.candidates(abc, 5)
    assert c.shape == (5, 2)
    assert c[1] == pytest.approx(abc.weights @ abc.particles)
    assert np.array_equal(c[2], abc.particles[np.argmin(abc.distances)])
    assert len({tuple(r) for r in c}) == 5
