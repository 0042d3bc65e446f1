"""Designs, indices and convergence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis import sensitivity as sa
from sim.core.params import groups

from .ishigami import ishigami


def test_design_sizes_and_errors():
    problem = sa.build_problem(["beta_services", "exit_hazard", "three_systems_rollout"])
    assert len(sa.make_design("sobol", problem, 64, seed=1).X) == 64 * 5
    assert len(sa.make_design("morris", problem, 6, seed=1).X) == 6 * 4
    assert len(sa.make_design("pawn", problem, 64, seed=1).X) == 64
    assert len(sa.make_design("dgsm", problem, 10, seed=1).X) == 10 * 4
    with pytest.raises(sa.SensitivityError, match=r"^n: expected a power of two"):
        sa.make_design("sobol", problem, 100, seed=1)
    with pytest.raises(sa.SensitivityError, match=r"^method 'fast': expected one of"):
        sa.make_design("fast", problem, 64, seed=1)
    grouped = sa.build_problem(grouped=True)
    with pytest.raises(sa.SensitivityError, match=r"^grouped: expected method morris or sobol"):
        sa.make_design("pawn", grouped, 64, seed=1)
    # Grouped Morris: one trajectory step per group.
    assert len(sa.make_design("morris", grouped, 4, seed=1).X) == 4 * (len(groups()) + 1)


def test_convergence_flags_wide_intervals():
    full = pd.DataFrame(
        {"parameter": ["a", "b", "c"], "output": "y", "S1": [0.5, 0.2, 0.01],
         "S1_conf": [0.02, 0.05, 0.02], "ST": [0.6, 0.3, 0.02], "ST_conf": [0.03, 0.01, 0.01]}
    )  # fmt: skip
    conv = sa.convergence_table("sobol", full, full)
    s1 = conv[conv["index"] == "S1"].set_index("parameter")
    assert list(s1["influential"]) == [True, True, False]
    assert list(s1["converged"]) == [True, False, False]


def test_analysis_is_deterministic_for_a_seed():
    a = ishigami(n=256)
    b = ishigami(n=256)
    pd.testing.assert_frame_equal(a.indices, b.indices)
    c = ishigami(n=256, seed=2025)
    assert not np.array_equal(a.design.X, c.design.X)
