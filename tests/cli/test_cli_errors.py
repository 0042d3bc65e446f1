"""Bad input: exit status 2, one line naming the file and key, no traceback, no folder."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import main
from sim.experiments import fileio

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
    ("bad_reps", GOOD, ["--reps", "0"], ["--reps", "expected a whole number in [1, 100001)"]),
    ("bad_workers", GOOD, ["--workers", "many"], ["--workers", "expected a whole number"]),
    ("bad_seed", GOOD, ["--seed", "-3"], ["--seed", "expected a whole number"]),
    ("unknown_option", GOOD, ["--fast"], ["unrecognized arguments: --fast"]),
    ("workers_and_scheduler", GOOD, ["--workers", "2", "--scheduler", "tcp://127.0.0.1:1"],
     ["--scheduler", "not allowed with argument --workers"]),
    ("out_is_a_file", GOOD, ["--out", "s.toml"], ["--out", "expected a folder"]),
    ("empty_zone_list", GOOD + "[[modes]]\nyear = 2017\nmode = 'corporate'\nzones = []\n", [],
     ["s.toml", "modes[0].zones", "at least one zone id, got []"]),
    ("too_many_reps", GOOD, ["--reps", "100000000"],
     ["--reps", "expected a whole number in [1, 100001)"]),
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


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_byte_order_mark_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.toml"
    path.write_bytes("\ufeff".encode() + GOOD.encode())
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.startswith(f"ok {path}")


def test_folder_and_symlink_loop_are_named_as_such(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "dir.toml").mkdir()
    os.symlink(tmp_path / "loop.toml", tmp_path / "loop.toml")
    assert main(["validate", str(tmp_path / "dir.toml")]) == 2
    assert "dir.toml: expected a scenario file (TOML), got a folder" in _one_line(capsys)
    assert main(["validate", str(tmp_path / "loop.toml")]) == 2
    assert "loop.toml: expected a scenario file, got a symbolic link loop" in _one_line(capsys)


@pytest.mark.parametrize("command", ["validate", "run"])
@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("provincial_powers", "20.5", "provincial_powers (row 1): expected an integer, got 20.5"),
        ("integration_on", "0.5", "integration_on (row 1): expected true or false, got 0.5"),
    ],
)
def test_posterior_checked_alike_by_validate_and_run(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    column: str,
    value: str,
    words: str,
) -> None:
    (tmp_path / "post.csv").write_text(f"{column},weight\n1,0.5\n{value},0.5\n")
    path = tmp_path / "s.toml"
    path.write_text(GOOD + 'posterior = "post.csv"\n')
    args = ["--workers", "1", "--out", str(tmp_path / "o")] if command == "run" else []
    assert main([command, str(path), *args]) == 2
    line = _one_line(capsys)
    assert "s.toml: run.posterior" in line and "post.csv" in line and words in line
    assert not (tmp_path / "o").exists()


def test_unreadable_posterior_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "post.parquet").write_bytes(b"PAR1 not really")
    path = tmp_path / "s.toml"
    path.write_text(GOOD + 'posterior = "post.parquet"\n')
    assert main(["validate", str(path)]) == 2
    assert "post.parquet: expected a readable parquet posterior file" in _one_line(capsys)


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.EROFS, "the file system is read-only; choose a writable folder"),
        (errno.ENOSPC, "the disk is full; free space and run the same command again"),
        (errno.EACCES, "permission denied"),
    ],
)
def test_os_errors_while_writing_exit_2_with_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    code: int,
    words: str,
) -> None:
    path = tmp_path / "s.toml"
    path.write_text(GOOD)
    out = tmp_path / "o"

    def refuse(path: Path) -> None:
        raise OSError(code, os.strerror(code), str(path.parent))

    monkeypatch.setattr(fileio, "_new_temp_file", refuse)
    assert main(["run", str(path), "--workers", "1", "--out", str(out), "--quiet"]) == 2
    line = _one_line(capsys)
    assert line.startswith(f"zonesim run: error: {out}") and words in line
    assert not list(out.rglob("*.parquet")) and not (out / "manifest.json").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_folder_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.toml"
    path.write_text(GOOD)
    ro = tmp_path / "ro"
    ro.mkdir(mode=0o500)
    assert main(["run", str(path), "--workers", "1", "--out", str(ro / "o"), "--quiet"]) == 2
    assert "permission denied" in _one_line(capsys)


def test_nonbatch_folder_refused_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.toml"
    path.write_text(GOOD)
    out = tmp_path / "home"
    out.mkdir()
    (out / "thesis.tmp").write_text("chapter 1")
    args = ["run", str(path), "--workers", "1", "--out", str(out), "--quiet"]
    assert main(args) == 2
    assert "pass --force-into-nonempty" in _one_line(capsys)
    assert sorted(p.name for p in out.iterdir()) == ["thesis.tmp"]
    assert main([*args, "--force-into-nonempty"]) == 0
    assert (out / "thesis.tmp").read_text() == "chapter 1"


@pytest.mark.parametrize("content", ["[1, 2]", "{not json", '{"format": "zonesim-batch/2", '
                                     '"invocations": {}}'])  # fmt: skip
def test_bad_manifest_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    path = tmp_path / "s.toml"
    path.write_text(GOOD)
    out = tmp_path / "o"
    args = ["run", str(path), "--workers", "1", "--out", str(out), "--quiet"]
    assert main(args) == 0
    (out / "manifest.json").write_text(content)
    assert main(args) == 2
    line = _one_line(capsys)
    assert f"{out / 'manifest.json'}: " in line and "expected" in line
    assert (out / "manifest.json").read_text() == content


def test_closed_output_pipe_is_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def closed(args: object) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr("sim.cli.list_cmd.run", closed)
    assert main(["list"]) == 0


def test_unexpected_exception_is_a_bug_exit_1_with_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A library ValueError (say from NumPy) is not the user's fault: no one-line verdict."""

    def broken(args: object) -> int:
        raise ValueError("operands could not be broadcast together")

    monkeypatch.setattr("sim.cli.list_cmd.run", broken)
    assert main(["list"]) == 1
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert "ValueError: operands could not be broadcast together" in err
    assert err.strip().splitlines()[-1].startswith("zonesim list: internal error: this is a bug")


def test_oserror_not_about_a_file_is_a_bug(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: object) -> int:
        raise ConnectionResetError("reset by peer")

    monkeypatch.setattr("sim.cli.list_cmd.run", broken)
    assert main(["list"]) == 1
    assert "Traceback" in capsys.readouterr().err


def test_zonesim_error_exits_2_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sim.experiments.store import StoreError

    def refuse(args: object) -> int:
        raise StoreError("expected x", file="o", advice="choose another {out_dir}")

    monkeypatch.setattr("sim.cli.list_cmd.run", refuse)
    assert main(["list"]) == 2
    assert _one_line(capsys) == "zonesim list: error: o: expected x; choose another --out"


def test_real_command_bug_exits_1_with_traceback(tmp_path: Path) -> None:
    """The installed command, in its own process, with a bug planted in a subcommand."""
    code = (
        "import sys, sim.cli.list_cmd as m\n"
        "def run(args): return 1 / 0\n"
        "m.run = run\n"
        "from sim.cli import main\n"
        "sys.exit(main(['list']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert "Traceback" in done.stderr and "ZeroDivisionError" in done.stderr
    assert "please report it" in done.stderr
