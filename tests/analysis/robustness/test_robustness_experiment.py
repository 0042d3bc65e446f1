"""Which calibration posterior an exploration uses, and how its report says so."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim.analysis.robustness.design import ExploreError
from sim.analysis.robustness.experiment import choose_posterior, default_posterior
from sim.analysis.robustness.report import posterior_note
from sim.experiments.scenarios import load_scenario, shipped_dir


def test_default_posterior_is_shipped_and_independent_of_the_working_folder(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no calibration/ here
    path = choose_posterior(None, True)
    assert path == default_posterior() and path.is_absolute() and path.is_file()
    assert path.parent == shipped_dir()
    # the same file the shipped uncertain baseline draws from
    shipped = load_scenario(shipped_dir() / "baseline_uncertain.toml").run.posterior
    pd.testing.assert_frame_equal(pd.read_parquet(path), pd.read_parquet(shipped))


def test_named_posterior_or_none():
    assert choose_posterior("p.parquet", True) == Path("p.parquet")
    assert choose_posterior(None, False) is None
    with pytest.raises(ExploreError, match=r"^posterior: ") as info:
        choose_posterior("p.parquet", False)
    assert info.value.argument == "posterior"


def test_report_names_the_posterior_used_without_an_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    shipped = str(default_posterior())
    sha = "0123456789abcdef" * 4
    note = posterior_note(
        {"posterior": shipped, "posterior_default": True, "posterior_sha256": sha}
    )
    assert note == (
        "`calibration_posterior.parquet`, sha256 0123456789abcdef (the default: the copy "
        "shipped with the scenarios)"
    )
    (tmp_path / "cal").mkdir()
    mine = str(tmp_path / "cal" / "p.parquet")  # inside the working folder: relative
    assert posterior_note({"posterior": mine, "posterior_default": False}) == "`cal/p.parquet`"
    for none in ("none", None):  # None: folders written before the setting said "none"
        assert posterior_note({"posterior": none}).startswith("none (")
