"""Gaussian-process emulators of the patterns."""

from __future__ import annotations

import numpy as np
import pytest

from sim.analysis import calibration as cal


def _design(n: int = 60, reps: int = 2) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.random((n, 3))
    clean = np.column_stack([3 * x[:, 0] + x[:, 1] ** 2, np.sin(3 * x[:, 2])])
    y = clean[:, None, :] + 0.05 * rng.standard_normal((n, reps, 2))
    return x, y


def test_emulator_predicts_the_function_and_its_noise() -> None:
    x, y = _design()
    em = cal.Emulator.fit(x, y, ("a", "b"), seed=1)
    probe = np.array([[0.3, 0.6, 0.2], [0.8, 0.1, 0.9]])
    mean, var = em.predict(probe)
    truth = np.column_stack([3 * probe[:, 0] + probe[:, 1] ** 2, np.sin(3 * probe[:, 2])])
    assert mean == pytest.approx(truth, abs=0.05)
    assert (var >= 0).all() and (var < 0.01).all()
    assert np.sqrt(em.noise_var) == pytest.approx([0.05, 0.05], rel=0.3)
    # Without replicates the seed noise comes from the fitted white noise.
    single = cal.Emulator.fit(x, y[:, :1], ("a", "b"), seed=1)
    assert np.sqrt(single.noise_var) == pytest.approx([0.05, 0.05], rel=0.6)


def test_main_effects_name_the_parameters_each_pattern_depends_on() -> None:
    x, y = _design()
    em = cal.Emulator.fit(x, y, ("a", "b"), seed=1)
    s = em.main_effects(np.random.default_rng(2))
    assert s[0, 0] > 0.7 and s[0, 2] < 0.02  # a: mostly x0, not x2
    assert s[1, 2] > 0.9 and s[1, :2].max() < 0.02  # b: x2 only
    scales = em.length_scales()
    assert scales[1, 2] < scales[1, 0] and scales[1, 2] < scales[1, 1]


def test_emulator_fit_is_deterministic() -> None:
    x, y = _design(40)
    a = cal.Emulator.fit(x, y, ("a", "b"), seed=3).predict(x[:5])
    b = cal.Emulator.fit(x, y, ("a", "b"), seed=3).predict(x[:5])
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
