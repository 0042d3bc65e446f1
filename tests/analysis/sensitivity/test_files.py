"""Sensitivity files: every writer with its reader."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from sim.analysis import sensitivity as sa

from .ishigami import ishigami


def test_write_outputs_sobol_tables_figures_and_report(tmp_path):
    import matplotlib

    backend = matplotlib.get_backend()
    result = ishigami(n=256)
    sa.write_outputs(result, tmp_path)
    table = pd.read_parquet(tmp_path / "indices.parquet")
    assert list(table.columns[:6]) == ["parameter", "output", "S1", "S1_conf", "ST", "ST_conf"]
    pd.testing.assert_frame_equal(table, pd.read_csv(tmp_path / "indices.csv"), atol=1e-9)
    for name in ("sobol_indices.png", "convergence.png"):
        assert (tmp_path / "figures" / name).stat().st_size > 0
    report = (tmp_path / "report.md").read_text()
    assert "## Influential indices" in report and "x1 ST" in report
    assert matplotlib.get_backend() == backend  # the caller's backend is left alone


def test_tables_and_summary_round_trip_through_their_readers(tmp_path):
    result = ishigami(n=64, method="morris", resamples=50)
    sa.write_outputs(result, tmp_path)
    pd.testing.assert_frame_equal(sa.read_indices(tmp_path), result.indices)
    pd.testing.assert_frame_equal(sa.read_indices(tmp_path, half=True), result.half)
    pd.testing.assert_frame_equal(sa.read_convergence(tmp_path), result.convergence)
    assert sa.read_summary(tmp_path) == json.loads(json.dumps(result.meta))
    assert sa.read_summary(tmp_path)["method"] == "morris"


def test_readers_name_the_missing_or_bad_file(tmp_path):
    for read in (sa.read_indices, sa.read_convergence, sa.read_summary):
        with pytest.raises(FileNotFoundError, match="sensitivity output not found"):
            read(tmp_path)
    (tmp_path / "summary.json").write_text("[1, 2]")
    with pytest.raises(ValueError, match=r"summary\.json: expected the JSON settings"):
        sa.read_summary(tmp_path)
