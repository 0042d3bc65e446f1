"""Calibration files: every writer with its reader."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.analysis import calibration as cal
from sim.core.params import ParameterError


def test_write_defaults_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "calibrated.toml"
    cal.write_defaults(path, ["exit_hazard", "entrant_size"], [0.0612345678, 0.5], "header")
    doc = tomllib.loads(path.read_text())
    assert doc["defaults"] == {"exit_hazard": 0.0612346, "entrant_size": 0.5}
    with pytest.raises(ParameterError, match="exit_hazard"):
        cal.write_defaults(tmp_path / "bad.toml", ["exit_hazard"], [5.0], "")
    assert not (tmp_path / "bad.toml").exists()


def test_outputs_round_trip_through_their_readers(
    tmp_path: Path, toy_result: cal.CalibrationResult
) -> None:
    r = toy_result
    cal.write_outputs(r, tmp_path, seed=7, search_runs=40)
    best = cal.read_best_fit(tmp_path)
    assert best.path == tmp_path / cal.BEST_FIT_FILE
    assert list(best.parameters) == list(r.targets.parameters)
    assert best.parameters == {
        n: float(f"{v:.6g}") for n, v in zip(r.targets.parameters, r.best.theta, strict=True)
    }
    assert best.distance == r.best.distance and best.seed == 7 and best.runs == r.runs
    assert best.moments == dict(
        zip([t.name for t in r.targets.fitted], r.best.moments.tolist(), strict=True)
    )
    post = cal.read_posterior(tmp_path)
    assert np.allclose(post[list(r.targets.parameters)].to_numpy(), r.abc.particles)
    assert np.allclose(post["weight"], r.abc.weights / r.abc.weights.sum())
    rows = {tuple(row) for row in post[list(r.targets.parameters)].to_numpy().tolist()}
    draws = cal.posterior_draws(3, 5, tmp_path / cal.POSTERIOR_FILE)
    assert len(draws) == 3 and all(tuple(d.values()) in rows for d in draws)
    pd.testing.assert_frame_equal(cal.read_validation(tmp_path), r.validation)
    pd.testing.assert_frame_equal(cal.read_identifiability(tmp_path), r.ident)
    assert r.history is not None
    waves = cal.read_table(tmp_path, cal.WAVES_FILE)
    assert waves["wave"].tolist() == [1, 2]
    assert waves["nroy_share"].tolist() == [w.nroy for w in r.history.waves]
    sens = cal.read_table(tmp_path, cal.SENSITIVITY_FILE).set_index("pattern")
    pd.testing.assert_frame_equal(sens, r.history.sensitivity, check_names=False)
    screening = cal.read_table(tmp_path, cal.SCREENING_FILE)
    assert screening["parameter"].tolist() == list(r.targets.parameters)
    stages = cal.read_table(tmp_path, cal.STAGES_FILE)
    assert stages["runs"].tolist() == [s.runs for s in r.stages]


def test_readers_name_the_missing_file(tmp_path: Path) -> None:
    for read in (cal.read_best_fit, cal.read_posterior, cal.read_validation):
        with pytest.raises(FileNotFoundError, match=str(tmp_path)):
            read(tmp_path)
    (tmp_path / cal.BEST_FIT_FILE).write_text("[defaults]\nexit_hazard = 0.1\n")
    with pytest.raises(ValueError, match=r"best_fit\.toml: fit: expected a value"):
        cal.read_best_fit(tmp_path)
