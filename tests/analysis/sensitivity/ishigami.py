"""The Ishigami function: a known-answer problem for the sensitivity tests."""

from __future__ import annotations

import math

import numpy as np
from SALib.test_functions import Ishigami

from sim.analysis import sensitivity as sa

ISHIGAMI = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-math.pi, math.pi]] * 3}
# Analytic indices for a = 7, b = 0.1 (Saltelli et al. 2008, The Primer).
S1_TRUE = np.array([0.3139, 0.4424, 0.0])
ST_TRUE = np.array([0.5576, 0.4424, 0.2437])
VAR_TRUE = 7**2 / 8 + 0.1 * math.pi**4 / 5 + 0.1**2 * math.pi**8 / 18 + 0.5


def ishigami(**kwargs):
    """Run the analysis on the Ishigami function (Sobol, N = 2048 unless told)."""
    noise_sd = kwargs.pop("noise_sd", 0.0)
    method = kwargs.pop("method", "sobol")
    evaluate = sa.function_evaluator(Ishigami.evaluate, noise_sd=noise_sd, seed=7)
    defaults = {"n": 2048, "seed": 2024, "resamples": 300}
    return sa.run_analysis(method, ISHIGAMI, ["y"], evaluate, **{**defaults, **kwargs})
