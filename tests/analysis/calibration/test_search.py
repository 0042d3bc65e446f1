"""The best fit among posterior candidates."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.analysis import calibration as cal

from .toy import TOY, toy_evaluate, write_targets


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


def test_candidates_keep_clear_of_the_edges_unless_a_bound_is_physical(
    tmp_path: Path,
) -> None:
    path = write_targets(
        tmp_path / "edge.toml", parameters=["young_growth", "entrant_size"], targets=TOY,
        extra='edge = 0.1\n[physical.young_growth]\nlower = "no catch-up"',
    )  # fmt: skip
    t = cal.load_targets(path)
    # young_growth in [0, 0.3] (lower bound physical), entrant_size in [0.1, 1]
    points = np.array([[0.0, 0.5], [0.29, 0.5], [0.15, 0.11], [0.15, 0.5]])
    assert list(t.clear_of_edges(points)) == [True, False, False, True]
    abc = cal.ABCResult(
        particles=points, weights=np.full(4, 0.25), distances=np.array([0.1, 0.2, 0.3, 0.4]),
        moments=np.zeros((4, 2)), generations=pd.DataFrame(),
    )  # fmt: skip
    c = cal.candidates(abc, 10, t.clear_of_edges)
    # the median (0.15, 0.5) is also a particle: median, mean and the other clear particle
    assert t.clear_of_edges(c).all() and len(c) == 3
    assert not {(0.29, 0.5), (0.15, 0.11)} & {tuple(r) for r in c}
    # nothing clear: every candidate stays (the report shows the distances from the bounds)
    assert len(cal.candidates(abc, 10, lambda rows: np.zeros(len(rows), bool))) == 5
