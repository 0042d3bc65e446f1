"""Bad input: exit status 2, one line naming the file and key, no traceback, no folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import main

GOOD = 'name = "s"\ndescription = "What if?"\n[run]\nend = 2017\nreplications = 1\n'

#: (case, file text or None for no file, extra arguments, words the message must hold)
CASES = [
    ("malformed", 'name = "s\n', [], ["s.toml", "expected valid TOML"]),
    ("unknown_key", GOOD + "[extras]\nx = 1\n", [], ["s.toml", "extras", "expected one of"]),
    ("unknown_run_key", GOOD + "reps = 3\n", [], ["s.toml", "run.reps", "expected one of"]),
    ("unknown_param", GOOD + "[parameters]\nfoo = 1\n", [],
     ["s.toml", "parameters.foo", "expected a registered parameter"]),
    ("out_of_bounds", GOOD + "[parameters]\nland_cap_share = 0.5\n", [],
     ["s.toml", "parameters.land_cap_share", "expected a value between"]),
    ("wrong_type", GOOD + "[parameters]\nexpansion_max_km2 = 'lots'\n", [],
     ["s.toml", "parameters.expansion_max_km2", "expected a number"]),
    ("wrong_run_type", GOOD.replace("replications = 1", "replications = 'two'"), [],
     ["s.toml", "run.replications", "expected"]),
    ("nan", GOOD + "[parameters]\nexpansion_max_km2 = nan\n", [],
     ["s.toml", "parameters.expansion_max_km2", "expected a finite number"]),
    ("unknown_mode", GOOD + "[[modes]]\nyear = 2017\nmode = 'market'\nzones = 'all'\n", [],
     ["s.toml", "modes[0].mode", "expected one of legacy, sanheyi, quzheng, corporate"]),
    ("unknown_zone", GOOD + "[[modes]]\nyear = 2017\nmode = 'corporate'\nzones = ['Z00']\n", [],
     ["s.toml", "modes[0].zones", "expected zone ids"]),
    ("unknown_city", GOOD + "[[modes]]\nyear = 2017\nmode = 'corporate'\nzones = 'city:Rome'\n",
     [], ["s.toml", "modes[0].zones", "expected city:"]),
    ("year_outside_horizon", GOOD + "[[modes]]\nyear = 2019\nmode = 'corporate'\nzones = 'all'\n",
     [], ["s.toml", "modes[0].year", "expected a date within the run's horizon"]),
    ("end_outside_horizon", GOOD.replace("end = 2017", "end = 2099"), [],
     ["s.toml", "run.end", "expected a year between"]),
    ("missing_file", None, [], ["s.toml", "file not found"]),
    ("bad_reps", GOOD, ["--reps", "0"], ["--reps", "expected a whole number >= 1"]),
    ("bad_workers", GOOD, ["--workers", "many"], ["--workers", "expected a whole number"]),
    ("bad_seed", GOOD, ["--seed", "-3"], ["--seed", "expected a whole number"]),
    ("unknown_option", GOOD, ["--fast"], ["unrecognized arguments: --fast"]),
    ("workers_and_scheduler", GOOD, ["--workers", "2", "--scheduler", "tcp://127.0.0.1:1"],
     ["--scheduler", "not allowed with argument --workers"]),
    ("out_is_a_file", GOOD, ["--out", "s.toml"], ["--out", "expected a folder"]),
]  # fmt: skip


@pytest.mark.parametrize(("case", "text", "args", "words"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_exits_2_with_one_line(
    case: str,
    text: str | None,
    args: list[str],
    words: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    if text is not None:
        (tmp_path / "s.toml").write_text(text)
    try:
        status = main(["run", "s.toml", "--workers", "1", *args] if "--workers" not in args
                      and "--scheduler" not in args else ["run", "s.toml", *args])  # fmt: skip
    except SystemExit as exc:  # argparse
        status = exc.code
    err = capsys.readouterr().err
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(("zonesim run: error: ", "zonesim: error: "))
    for w in words:
        assert w in lines[0], lines[0]
    assert "Traceback" not in err
    assert not (tmp_path / "results").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ([] if text is None else ["s.toml"])


def test_validate_reports_the_same_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.toml"
    path.write_text(GOOD + "[parameters]\nfoo = 1\n")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert (
        err == f"zonesim validate: error: {path}: parameters.foo: expected a registered "
        "parameter name (see `zonesim params`)"
    )


def test_real_command_exit_status_and_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(GOOD + "[parameters]\nland_cap_share = nan\n")
    done = subprocess.run(
        [sys.executable, "-m", "sim.cli", "run", str(path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "parameters.land_cap_share" in done.stderr
    assert not (tmp_path / "results").exists()


def test_unreachable_scheduler_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sim.experiments.backends.CONNECT_TIMEOUT", 1.0)
    path = tmp_path / "s.toml"
    path.write_text(GOOD)
    status = main(["run", str(path), "--scheduler", "tcp://127.0.0.1:9", "--out",
                   str(tmp_path / "o")])  # fmt: skip
    assert status == 2
    assert "--scheduler tcp://127.0.0.1:9: expected a reachable Dask scheduler" in (
        capsys.readouterr().err
    )
    assert not (tmp_path / "o").exists()
