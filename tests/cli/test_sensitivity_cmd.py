from __future__ import annotations

import pandas as pd
import pytest

from sim.cli import build_parser, main


def _error(capsys, argv):
    with pytest.raises(SystemExit) as exc:
        status = main(argv)
        raise SystemExit(status)
    err = capsys.readouterr().err
    return exc.value.code, err


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (["--method", "sobol", "-N", "100"], "-N: expected a power of two"),
        (["--method", "sobol", "-r", "10"], "-r: expected -N SAMPLES"),
        (["--method", "morris", "-N", "64"], "-N: expected -r TRAJECTORIES"),
        (["--method", "morris", "--params", "beta_services,nope"], "nope: expected a registered"),
        (["--method", "morris", "--outputs", "firms@1990"], "expected a year from 2016"),
        (["--method", "morris", "--outputs", "firms"], "expected metric@year"),
        (["--method", "pawn", "--groups"], "--groups: expected method morris or sobol"),
        (["--method", "morris", "--scenario", "no/such/file.toml"], "no/such/file.toml"),
        (["--method", "morris", "--workers", "2", "--scheduler", "tcp://x:1"], "--scheduler"),
        (["--method", "fast"], "--method"),
        (["--method", "morris", "-r", "2"], "-r"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(capsys, tmp_path, extra, fragment):
    out = tmp_path / "sa"
    code, err = _error(capsys, ["sensitivity", *extra, "--out", str(out)])
    assert code == 2
    assert err.count("\n") == 1 and fragment in err
    assert "Traceback" not in err
    assert not out.exists()


def test_out_dir_that_is_a_file_is_refused(capsys, tmp_path):
    path = tmp_path / "file"
    path.write_text("x")
    code, err = _error(capsys, ["sensitivity", "--method", "morris", "--out", str(path)])
    assert code == 2 and "expected a folder" in err and err.count("\n") == 1


def test_command_is_registered():
    parser = build_parser()
    args = parser.parse_args(["sensitivity", "--method", "sobol", "--params", "a,b", "-N", "8"])
    assert (args.method, args.params, args.samples) == ("sobol", "a,b", 8)


def test_small_morris_run_writes_the_tables(capsys, tmp_path):
    out = tmp_path / "sa"
    argv = [
        "sensitivity", "--method", "morris", "--params", "beta_services,exit_hazard",
        "-r", "4", "--outputs", "firms@2017", "--workers", "1", "--seed", "3",
        "--noise-points", "1", "--noise-replicates", "1", "--resamples", "50",
        "--out", str(out), "--quiet",
    ]  # fmt: skip
    assert main(argv) == 0
    table = pd.read_csv(out / "indices.csv")
    assert list(table["parameter"]) == ["beta_services", "exit_hazard"]
    assert {"mu_star", "mu_star_conf", "sigma"} <= set(table.columns)
    assert (out / "report.md").is_file()
