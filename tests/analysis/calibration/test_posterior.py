"""ABC-SMC and identifiability."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.analysis import calibration as cal

from .toy import toy_evaluate


def test_abc_smc_recovers_known_posterior(toy_targets: cal.Targets) -> None:
    res = cal.abc_smc(toy_targets, toy_evaluate(), seed=2, population=200, max_generations=6,
                      progress=False)  # fmt: skip
    mean = res.weights @ res.particles
    # Observation noise sd 5 (resp. 1) on 1000 * theta (resp. 100 * theta): the exact
    # posterior is centred on (0.15, 0.5) with sd 0.005 (0.01), widened by the tolerance.
    assert mean == pytest.approx([0.15, 0.5], abs=0.006)
    ident = cal.identifiability(toy_targets, res.particles, res.weights)
    assert (ident["verdict"] == "identified").all()
    assert (ident["q05"] < [0.15, 0.5]).all() and (ident["q95"] > [0.15, 0.5]).all()
    eps = res.generations["epsilon"].to_numpy()
    assert np.all(np.diff(eps) < 0)
    assert res.weights.sum() == pytest.approx(1.0)


def test_abc_resumes_by_generation(tmp_path: Path, toy_targets: cal.Targets) -> None:
    calls: list[str] = []
    kw = {"seed": 4, "population": 50, "max_generations": 3, "progress": False}
    a = cal.abc_smc(toy_targets, toy_evaluate(calls), store=tmp_path, **kw)
    assert calls
    calls.clear()
    b = cal.abc_smc(toy_targets, toy_evaluate(calls), store=tmp_path, **kw)
    assert calls == []  # every generation read back
    assert np.array_equal(a.particles, b.particles) and np.array_equal(a.weights, b.weights)
    # Drop the last generation: only it is recomputed, identically.
    last = sorted(tmp_path.glob("generation_*.parquet"))[-1]
    last.unlink()
    c = cal.abc_smc(toy_targets, toy_evaluate(calls), store=tmp_path, **kw)
    assert calls and all(s.split("/")[-1].startswith(f"gen_{last.stem[-2:]}") for s in calls)
    assert np.array_equal(a.particles, c.particles)


def test_abc_respects_run_budget(toy_targets: cal.Targets) -> None:
    points: list[int] = []
    inner = toy_evaluate()

    def evaluate(step: str, thetas: np.ndarray, seeds: np.ndarray) -> np.ndarray:
        points.append(len(thetas))
        return inner(step, thetas, seeds)

    res = cal.abc_smc(toy_targets, evaluate, seed=1, population=20, max_generations=50,
                      max_runs=200, progress=False)  # fmt: skip
    assert int(res.generations["runs"].iloc[-1]) == sum(points) <= 200
    assert len(res.generations) > 2


def test_identifiability_flags_flat_parameters(toy_targets: cal.Targets) -> None:
    rng = np.random.default_rng(0)
    particles = np.column_stack([rng.uniform(0, 0.3, 2000), rng.normal(0.5, 0.02, 2000)])
    ident = cal.identifiability(toy_targets, particles, np.full(2000, 1 / 2000))
    assert ident["verdict"].tolist() == ["not identified", "identified"]


class _LeftHalf:
    """A support region: the left half of the unit box in the first parameter."""

    dim = 2

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return np.atleast_2d(x)[:, 0] < 0.5

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        x = rng.random((n, 2))
        x[:, 0] *= 0.5
        return x


def test_abc_stays_inside_its_support(toy_targets: cal.Targets) -> None:
    res = cal.abc_smc(toy_targets, toy_evaluate(), seed=3, population=40, max_generations=3,
                      support=_LeftHalf(), progress=False)  # fmt: skip
    lo, hi = toy_targets.bounds[0]
    assert ((res.particles[:, 0] - lo) / (hi - lo) < 0.5).all()
    # The truth (young_growth 0.15 of 0..0.3) lies on the boundary: the posterior piles up
    # against it rather than crossing it.
    assert res.weights @ res.particles[:, 0] < 0.15


class _Band(_LeftHalf):
    """A thin band of the unit box (2 % of it): the kernel must shrink to stay inside."""

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return np.abs(np.atleast_2d(x)[:, 0] - 0.5) < 0.01

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        x = rng.random((n, 2))
        x[:, 0] = 0.49 + 0.02 * x[:, 0]
        return x


def test_abc_proposes_inside_a_thin_support(toy_targets: cal.Targets) -> None:
    res = cal.abc_smc(toy_targets, toy_evaluate(), seed=4, population=30, max_generations=3,
                      support=_Band(), progress=False)  # fmt: skip
    lo, hi = toy_targets.bounds[0]
    assert (np.abs((res.particles[:, 0] - lo) / (hi - lo) - 0.5) < 0.01).all()
    assert len(res.generations) == 4
