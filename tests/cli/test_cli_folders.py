"""One output-folder policy: every command writes an empty folder or its own, never a user's
file or another command's folder; explore's results are bound to their design; work is
bounded before it starts."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from sim.analysis.robustness import read_exploration
from sim.cli import main
from sim.experiments.store import load_results

OUTCOMES = "firms@2017"
EXPLORE = ["--uncertain", "modes", "--states", "3", "--outcomes", OUTCOMES, "--workers", "1",
           "--quiet", "--no-posterior"]  # fmt: skip


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def run_status(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    status = main(argv)
    return status, capsys.readouterr().err


@pytest.fixture(scope="module")
def explored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("folders") / "ex"
    assert main(["explore", "baseline", "all_corporate", *EXPLORE, "--seed", "3",
                 "--out", str(out)]) == 0  # fmt: skip
    return out


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("folders") / "batch"
    assert main(["run", "baseline", "all_corporate", "--reps", "2", "--seed", "1", "--workers",
                 "1", "--quiet", "--out", str(out)]) == 0  # fmt: skip
    return out


def user_folder(folder: Path) -> Path:
    (folder / "figures").mkdir(parents=True)
    for name in ("report.md", "outcomes.csv", "trees.txt", "figures/regret.png", "notes.txt"):
        (folder / name).write_text(f"my {name}")
    return folder


def test_explore_never_replaces_a_users_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = user_folder(tmp_path / "mine")
    before = snapshot(out)
    argv = ["explore", "baseline", "all_corporate", *EXPLORE, "--out", str(out)]
    status, err = run_status(argv, capsys)
    assert status == 2 and err.count("\n") == 1 and "--force-into-nonempty" in err
    status, err = run_status([*argv, "--force-into-nonempty"], capsys)
    assert status == 2 and err.count("\n") == 1
    assert "which this command would replace" in err and "--out" in err
    assert snapshot(out) == before  # nothing written: no design.csv, no explore.json


def test_explore_beside_a_users_files_with_the_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    argv = ["explore", "baseline", "all_corporate", *EXPLORE, "--out", str(out)]
    assert run_status([*argv, "--force-into-nonempty"], capsys)[0] == 0
    assert (out / "notes.txt").read_text() == "mine" and (out / "report.md").is_file()
    assert main(argv) == 0  # an exploration's folder now: no flag needed


def test_no_command_writes_into_another_commands_folder(
    explored: Path, batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(explored), snapshot(batch)
    status, err = run_status(
        ["explore", "baseline", "all_corporate", *EXPLORE, "--out", str(batch)], capsys
    )
    assert status == 2 and "the folder of `zonesim run`" in err
    for target in (explored, explored / "runs"):
        status, err = run_status(["run", "baseline", "--reps", "1", "--workers", "1",
                                  "--quiet", "--force-into-nonempty", "--out", str(target)],
                                 capsys)  # fmt: skip
        assert status == 2 and "`zonesim explore`" in err and err.count("\n") == 1, err
    for command in (["sensitivity", "--method", "morris"], ["calibrate"]):
        status, err = run_status([*command, "--workers", "1", "--out", str(explored)], capsys)
        assert status == 2 and "the folder of `zonesim explore`" in err, err
    assert (snapshot(explored), snapshot(batch)) == before


def test_calibrate_and_sensitivity_never_replace_a_users_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "validation.csv").write_text("mine")
    (out / "report.md").write_text("mine")
    before = snapshot(out)
    for command in (["calibrate"], ["sensitivity", "--method", "morris"]):
        for force in ([], ["--force-into-nonempty"]):
            argv = [*command, "--workers", "1", "--quiet", "--out", str(out), *force]
            status, err = run_status(argv, capsys)
            assert status == 2 and err.count("\n") == 1, err
    assert snapshot(out) == before


def test_brief_never_replaces_a_users_file_or_the_batch(
    batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.md").write_text("my notes")
    out = tmp_path / "notes.html"
    status, err = run_status(["brief", str(batch), "--out", str(out)], capsys)
    assert status == 2 and "notes.md" in err and "--overwrite" in err and err.count("\n") == 1
    assert (tmp_path / "notes.md").read_text() == "my notes" and not out.exists()
    assert main(["brief", str(batch), "--out", str(out), "--overwrite"]) == 0
    assert main(["brief", str(batch), "--out", str(out)]) == 0  # the brief's own files now
    stale = tmp_path / "notes_files" / "old-figure.png"
    record = json.loads((tmp_path / "notes_files" / "zonesim-brief.json").read_text())
    assert {"notes.html", "notes.md"} <= set(record["files"])
    stale.write_bytes(b"x")  # a file the brief did not record: kept
    assert main(["brief", str(batch), "--out", str(out)]) == 0 and stale.exists()
    before = snapshot(batch)
    for target in ("manifest.json", "runs.parquet", "annual/b.html", "zones/b.md"):
        status, err = run_status(["brief", str(batch), "--out", str(batch / target)], capsys)
        assert status == 2 and err.count("\n") == 1, (target, err)
    assert snapshot(batch) == before and len(load_results(batch).annual)


# --------------------------------------------------------------------- explore's design


def test_lost_settings_and_another_seed_recompute(
    explored: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ex"
    argv = ["explore", "baseline", "all_corporate", *EXPLORE]
    assert main([*argv, "--seed", "3", "--out", str(out)]) == 0
    (out / "explore.json").unlink()
    assert main([*argv, "--seed", "4", "--out", str(out)]) == 0
    fresh = tmp_path / "fresh"
    assert main([*argv, "--seed", "4", "--out", str(fresh)]) == 0
    got, want = read_exploration(out).outcomes, read_exploration(fresh).outcomes
    pd.testing.assert_frame_equal(got, want)
    old = read_exploration(explored).outcomes
    assert not got[OUTCOMES].equals(old[OUTCOMES])


def test_a_policy_files_sweep_expands_into_policies(tmp_path: Path) -> None:
    policy = tmp_path / "swept.toml"
    policy.write_text(
        'name = "swept"\ndescription = "q"\n[sweep]\nexit_rule_on = [true, false]\n',
        encoding="utf-8",
    )
    out = tmp_path / "ex"
    assert main(["explore", "baseline", str(policy), *EXPLORE, "--out", str(out)]) == 0
    exp = read_exploration(out)
    assert exp.policies == ["baseline", "swept[exit_rule_on=true]", "swept[exit_rule_on=false]"]
    runs = load_results(out / "runs").runs
    assert runs.groupby("scenario")["params"].nunique().min() == 3  # a design per state


# --------------------------------------------------------------------- total work


def _bounded(argv: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> str:
    t0 = time.monotonic()
    status, err = run_status(argv, capsys)
    assert status == 2 and err.count("\n") == 1 and "Traceback" not in err, err
    assert time.monotonic() - t0 < 30
    assert "--max-work: expected at most 10,000,000 run-years" in err
    assert not (tmp_path / "w").exists()
    return err


@pytest.mark.parametrize("states", ["100000000", "1000000000000", "9" * 40])
def test_explore_states_are_bounded_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], states: str
) -> None:
    argv = ["explore", "baseline", "all_corporate", "--states", states, "--no-posterior",
            "--out", str(tmp_path / "w")]  # fmt: skip
    _bounded(argv, capsys, tmp_path)


def test_run_of_a_large_grid_is_bounded_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scenario_grid: Callable[[Path], Path]
) -> None:
    grid = scenario_grid(tmp_path)
    argv = ["run", str(grid), "--reps", "100000", "--out", str(tmp_path / "w"), "--quiet"]
    err = _bounded(argv, capsys, tmp_path)
    assert "1,000,000,000 runs" in err


@pytest.fixture
def scenario_grid() -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        values = ", ".join(str(1.0 + i / 100) for i in range(100))
        shares = ", ".join(str(round(0.01 + i / 200, 4)) for i in range(100))
        path = folder / "grid.toml"
        path.write_text(
            f'name = "grid"\ndescription = "q"\n[sweep]\ndelegation_years = [{values}]\n'
            f"delegation_share = [{shares}]\n",
            encoding="utf-8",
        )
        return path

    return write


def test_the_limit_is_raised_with_its_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["run", "baseline", "--reps", "1", "--workers", "1", "--quiet"]
    status, err = run_status([*base, "--max-work", "5", "--out", str(tmp_path / "a")], capsys)
    assert status == 2 and "--max-work: expected at most 5 run-years" in err
    assert not (tmp_path / "a").exists()
    for flag in (["--max-work", "0"], ["--max-work", "1e9"]):
        status, err = run_status([*base, *flag, "--out", str(tmp_path / "b")], capsys)
        assert status == 2 and "--max-work" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    "command",
    [["sensitivity", "--method", "sobol", "-N", "1" + "0" * 30],
     ["calibrate", "--budget", "1" + "0" * 400]],
    ids=["sensitivity", "calibrate"],
)  # fmt: skip
def test_huge_sizes_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    _bounded([*command, "--workers", "1", "--out", str(tmp_path / "w")], capsys, tmp_path)
