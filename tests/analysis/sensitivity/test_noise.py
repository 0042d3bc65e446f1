"""Replicate noise: measured, reported and adjusted for."""

from __future__ import annotations

import numpy as np
import pytest

from sim.analysis import sensitivity as sa

from .ishigami import S1_TRUE, ST_TRUE, VAR_TRUE, ishigami


def test_ishigami_with_noise_reports_noise_share_and_adjusted_indices_are_unbiased():
    sd = 1.5
    result = ishigami(noise_sd=sd, n=4096, noise_points=128, noise_replicates=4)
    true_share = sd**2 / (VAR_TRUE + sd**2)
    noise = result.noise.iloc[0]
    assert noise["noise_var_low"] <= sd**2 <= noise["noise_var_high"]
    assert noise["noise_share"] == pytest.approx(true_share, rel=0.15)
    idx = result.indices
    # Raw first-order indices are biased down by the noise (the correction matters) ...
    assert idx["S1"].iloc[1] < S1_TRUE[1] - 0.04
    # ... the adjusted ones recover the analytic values.
    np.testing.assert_allclose(idx["S1_adj"], S1_TRUE, atol=0.04)
    np.testing.assert_allclose(idx["ST_adj"], ST_TRUE, atol=0.04)


def test_ishigami_averaging_replicates_divides_the_noise_share():
    sd = 1.5
    one = ishigami(noise_sd=sd, n=512, noise_points=64)
    four = ishigami(noise_sd=sd, n=512, noise_points=64, replicates=4)
    assert four.noise["noise_var_mean"].iloc[0] == pytest.approx(
        four.noise["noise_var"].iloc[0] / 4
    )
    assert four.noise["noise_share"].iloc[0] == pytest.approx(
        one.noise["noise_share"].iloc[0] / 4, rel=0.35
    )
    assert four.meta["runs"] == len(four.design.X) * 4 + 64 * 4


def test_replicates_alone_measure_the_noise():
    result = ishigami(n=64, noise_sd=1.0, replicates=3, noise_points=16, noise_replicates=0)
    noise = result.noise.iloc[0]
    assert noise["probe_points"] == 16 and noise["probe_runs"] == 3
    assert noise["noise_var_low"] <= 1.0 <= noise["noise_var_high"]


def test_without_noise_probe_indices_are_still_judged():
    result = ishigami(method="morris", n=20, noise_points=0)
    assert result.noise["noise_var"].isna().all()
    assert set(result.influential()["parameter"]) == {"x1", "x2", "x3"}
    assert "Not measured" in sa.render_report(result)
