"""Every method of the table on the Ishigami function (known answers)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.analysis import sensitivity as sa

from .ishigami import S1_TRUE, ST_TRUE, ishigami


def test_sobol_ishigami_reproduces_analytic_indices():
    result = ishigami()
    idx = result.indices
    assert list(idx["parameter"]) == ["x1", "x2", "x3"]
    np.testing.assert_allclose(idx["S1"], S1_TRUE, atol=0.04)
    np.testing.assert_allclose(idx["ST"], ST_TRUE, atol=0.04)
    # The intervals cover the truth and the noise-free output reports no noise.
    assert np.all(np.abs(idx["ST"] - ST_TRUE) <= idx["ST_conf"] + 0.01)
    assert result.noise["noise_share"].iloc[0] == pytest.approx(0.0, abs=1e-12)
    # Convergence report: influential = x1, x2 (both orders) and x3 (total order).
    infl = result.influential()
    assert set(zip(infl["parameter"], infl["index"], strict=True)) == {
        ("x1", "S1"), ("x2", "S1"), ("x1", "ST"), ("x2", "ST"), ("x3", "ST")
    }  # fmt: skip


def test_morris_ishigami_ranks_and_noise_floor():
    result = ishigami(method="morris", n=40, noise_sd=0.5, noise_points=32)
    idx = result.indices.set_index("parameter")
    assert set(idx.columns) >= {"mu", "mu_star", "mu_star_conf", "sigma", "mu_star_noise_floor"}
    # x1 and x2 dominate mu*; x3 acts only through its interaction (sigma > mu*/2).
    assert idx.loc["x3", "sigma"] > idx.loc["x3", "mu_star"] / 2
    floor = idx["mu_star_noise_floor"].iloc[0]
    assert floor == pytest.approx(2 * 0.5 / math.sqrt(math.pi) / (2 / 3), rel=0.35)
    assert np.all(idx["mu_star"] > floor)


def test_pawn_ishigami_finds_x3_without_main_effect():
    result = ishigami(method="pawn", n=1024)
    median = result.indices.set_index("parameter")["median"]
    assert median.notna().all()
    assert median.idxmin() == "x3"  # x3 acts only through its interaction with x1
    assert median["x3"] < 0.5 * median["x1"]


def test_dgsm_ishigami_reproduces_analytic_derivative_measures():
    # nu_i = E[(df/dx_i)^2]: a^2/2; (1 + 2b pi^4/5 + b^2 pi^8/9)/2; 8 b^2 pi^6/7.
    a, b = 7.0, 0.1
    nu = [
        (1 + 2 * b * math.pi**4 / 5 + b**2 * math.pi**8 / 9) / 2,
        a**2 / 2,
        8 * b**2 * math.pi**6 / 7,
    ]
    result = ishigami(method="dgsm", n=1024)
    np.testing.assert_allclose(result.indices["vi"], nu, rtol=0.1)


@pytest.mark.parametrize("name", list(sa.METHODS))
def test_every_method_module_has_the_one_shape(name):
    """sample gives block(problem) rows per base unit, analyze gives the COLUMNS."""
    m = sa.METHODS[name]
    assert {index for index, _ in m.PRIMARY} <= set(m.COLUMNS)
    assert all(conf is None or conf in m.COLUMNS for _, conf in m.PRIMARY)
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-math.pi, math.pi]] * 3}
    X = m.sample(problem, 16, seed=11)
    assert X.shape == (16 * m.block(problem), 3)
    assert np.array_equal(X, m.sample(problem, 16, seed=11))
    y = X[:, 0] + 2 * X[:, 1]
    res = m.analyze(problem, X, y, seed=3, conf_level=0.95, resamples=20)
    assert all(np.asarray(res[c]).shape == (3,) for c in m.COLUMNS)
    design = sa.make_design(name, problem, 16, seed=1)
    assert design.block == m.block(problem) and set(design.options) == set(m.OPTIONS)
