"""Fixtures of the calibration tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.analysis import calibration as cal

from .toy import TOY, write_targets


@pytest.fixture
def toy_targets(tmp_path: Path) -> cal.Targets:
    path = write_targets(
        tmp_path / "toy.toml", parameters=["young_growth", "entrant_size"], targets=TOY
    )
    return cal.load_targets(path)


@pytest.fixture
def toy_result(toy_targets: cal.Targets) -> cal.CalibrationResult:
    """A small but complete calibration of the toy problem (no model runs)."""
    from .toy import toy_evaluate

    evaluate = toy_evaluate()
    best = cal.search(toy_targets, evaluate, seed=1, crn=2, popsize=4, maxiter=2, progress=False)
    abc = cal.abc_smc(
        toy_targets, evaluate, seed=1, population=20, max_generations=2, progress=False
    )
    ident = cal.identifiability(toy_targets, abc.particles, abc.weights)
    rng = np.random.default_rng(0)
    sims = pd.DataFrame(
        {t.name: t.value + t.abs_tolerance * rng.standard_normal(20) for t in toy_targets.targets}
    )
    table = cal.validation_table(toy_targets, sims)
    plan = cal.plan_budget(100, len(toy_targets.parameters))
    return cal.CalibrationResult(toy_targets, plan, best, abc, ident, table, table, abc.runs)
