from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main

TARGETS = """\
[calibration]
year = 2016
parameters = ["projects_per_year", "exit_hazard"]
min_epsilon = 1.0

[targets.firms]
metric = "firms"
value = 40000
tolerance = 0.02
relative = true
source = "test"

[targets.zones]
metric = "zones_active"
value = 73
tolerance = 0
structural = true
source = "test"
"""


@pytest.fixture
def targets(tmp_path: Path) -> Path:
    path = tmp_path / "targets.toml"
    path.write_text(TARGETS)
    return path


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--targets", "missing.toml"], "missing.toml: targets file not found"),
        (["--budget", "50"], "--budget: expected at least"),
        (["--leave-one-out", "50"], "--leave-one-out: expected at least"),
        (["--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "--workers"),
    ],
)
def test_bad_input_one_line_exit_2_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    out = tmp_path / "out"
    status = main(["calibrate", "--out", str(out), *args])
    err = capsys.readouterr().err
    assert status == 2
    assert needle in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert not out.exists()


def test_bad_targets_key_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.toml"
    path.write_text(TARGETS.replace('metric = "firms"', 'metric = "fims"'))
    assert main(["calibrate", "--targets", str(path), "--out", str(tmp_path / "o")]) == 2
    assert "t.toml: targets.firms.metric" in capsys.readouterr().err


@pytest.mark.slow
def test_patterns_out_of_reach_everywhere_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "t.toml"
    path.write_text(TARGETS.replace("value = 40000", "value = 90000"))
    args = ["calibrate", "--targets", str(path), "--budget", "200", "--workers", "1",
            "--out", str(tmp_path / "o"), "--quiet"]  # fmt: skip
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert "t.toml: no fitted pattern can be reached" in err and "firms" in err
    assert len(err.splitlines()) == 1


@pytest.mark.slow
def test_small_calibration_end_to_end_and_resume(
    tmp_path: Path, targets: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cal"
    defaults = tmp_path / "calibrated.toml"
    args = ["calibrate", "--targets", str(targets), "--budget", "200", "--workers", "1",
            "--out", str(out), "--seed", "3", "--quiet",
            "--write-defaults", str(defaults)]  # fmt: skip
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "zones" in printed and "projects_per_year" in printed
    names = ["best_fit.toml", "posterior.parquet", "posterior.csv", "report.md",
             "generations.csv", "identifiability.csv", "figures/targets.png",
             "figures/marginals.png", "figures/pairs.png", "figures/convergence.png",
             "figures/sensitivity.png", "waves.csv", "screening.csv", "sensitivity.csv",
             "stages.csv"]  # fmt: skip
    for name in names:
        assert (out / name).is_file(), name
    doc = tomllib.loads(defaults.read_text())
    assert set(doc["defaults"]) == {"projects_per_year", "exit_hazard"}
    post = pd.read_parquet(out / "posterior.parquet")
    assert {"projects_per_year", "exit_hazard", "weight"} <= set(post.columns)
    report = (out / "report.md").read_text()
    assert "identified" in report and "structural" in report
    best = (out / "best_fit.toml").read_text()
    # A second identical command resumes from the stored batches: same result.
    assert main(args) == 0
    assert (out / "best_fit.toml").read_text() == best
    assert pd.read_parquet(out / "posterior.parquet").equals(post)
