"""The analysis of the model end to end: evaluation, resumption, workers."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from sim.analysis import sensitivity as sa

SMALL = ["beta_services", "exit_hazard"]


def test_model_evaluator_uses_common_random_numbers(tmp_path):
    problem = sa.build_problem(SMALL)
    ev = sa.ModelEvaluator(
        problem, sa.parse_outputs("firms@2017"), tmp_path, backend=None, seed=3, progress=False
    )
    X = np.array([[0.5, 0.05], [1.25, 0.10]])
    specs = ev.specs(X, [0, 1], [0, 1])
    seeds = {(s.sample, s.replicate): s.seed for s in specs}
    assert seeds[(0, 0)] == seeds[(1, 0)] != seeds[(0, 1)] == seeds[(1, 1)]
    assert specs[2].params["beta_services"] == 1.25
    assert specs[0].end == 2017


def test_model_analysis_writes_tables_and_resumes(tmp_path):
    kwargs = {
        "params": SMALL,
        "outputs": "firms@2017,growth_gap_pp@2017",
        "n": 4,
        "seed": 5,
        "workers": 1,
        "out": tmp_path / "sa",
        "noise_points": 1,
        "noise_replicates": 1,
        "resamples": 50,
        "progress": False,
    }
    first, out = sa.run_sensitivity("morris", **kwargs)
    assert first.meta["runs"] == 4 * 3 + 1
    for name in ("indices", "convergence", "noise", "design"):
        assert (out / f"{name}.csv").is_file() and (out / f"{name}.parquet").is_file()
    table = pd.read_csv(out / "indices.csv")
    assert {"parameter", "output", "mu_star", "mu_star_conf", "sigma"} <= set(table.columns)
    assert set(table["output"]) == {"firms@2017", "growth_gap_pp@2017"}
    assert (out / "figures" / "morris_mu_star_sigma.png").is_file()
    assert "## Convergence" in (out / "report.md").read_text()
    # Resume: the same analysis again runs nothing and gives the same indices.
    second, _ = sa.run_sensitivity("morris", **kwargs)
    manifest = json.loads((out / "runs" / "manifest.json").read_text())
    assert manifest["runs"]["skipped"] == manifest["runs"]["total"] == 13
    pd.testing.assert_frame_equal(first.indices, second.indices)
    # Another analysis in the same folder is refused before anything runs.
    with pytest.raises(sa.SensitivityError, match="another analysis"):
        sa.run_sensitivity("morris", **{**kwargs, "n": 6})


def test_model_indices_do_not_depend_on_the_number_of_workers(tmp_path):
    kwargs = {
        "params": SMALL,
        "outputs": "firms@2017",
        "n": 4,
        "seed": 9,
        "noise_points": 1,
        "noise_replicates": 1,
        "resamples": 50,
        "progress": False,
    }
    serial, _ = sa.run_sensitivity("morris", workers=1, out=tmp_path / "one", **kwargs)
    pooled, _ = sa.run_sensitivity("morris", workers=2, out=tmp_path / "two", **kwargs)
    pd.testing.assert_frame_equal(serial.indices, pooled.indices)
    pd.testing.assert_frame_equal(serial.noise, pooled.noise)
