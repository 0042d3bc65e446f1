"""What a batch tells its user before it starts: its runs and about how long they take."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.experiments import batch
from sim.experiments.backends import SerialBackend
from sim.experiments.batch import execute, work_estimate
from sim.experiments.runs import RunSpec


def test_a_batch_says_how_many_runs_and_about_how_long_before_it_starts(
    tmp_path: Path, specs: list, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "b"
    execute(specs[:2], out, backend=SerialBackend(), progress=True)
    err = capsys.readouterr().err
    first = err.splitlines()[0]  # before the progress bar
    assert first.startswith("b: 2 runs to compute, 2 years each, on 1 worker: about ")
    execute(specs, out, backend=SerialBackend(), progress=True)
    assert "b: 4 runs to compute (2 already stored)" in capsys.readouterr().err
    execute(specs, out, backend=SerialBackend(), progress=False)  # quiet: nothing
    assert capsys.readouterr().err == ""


def test_work_estimate_scales_with_runs_years_and_workers(specs: list) -> None:
    long = [RunSpec(s.scenario, s.replicate, s.seed, s.params, 2016, 2035) for s in specs]
    line = work_estimate(long * 400, 0, 2)  # 2400 runs of 20 years on 2 workers
    assert line.startswith("2400 runs to compute, 20 years each, on 2 workers: about ")
    minutes = int(line.split("about ")[1].split(" min")[0])
    assert abs(minutes - 2400 * 20 * batch.SECONDS_PER_RUN_YEAR / 2 / 60) <= 0.5
    assert f"at {batch.SECONDS_PER_RUN_YEAR:g} s per run-year per worker" in line
    assert work_estimate([], 6, 2) == "nothing to compute: all 6 runs are already stored"
    assert "up to 20 years" in work_estimate([*long, *specs], 0, 1)
