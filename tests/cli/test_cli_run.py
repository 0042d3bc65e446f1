from __future__ import annotations

import json
import shlex
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.experiments.scenarios import shipped_dir
from sim.experiments.store import load_results, read_manifest

ZONESIM = [sys.executable, "-m", "sim.cli"]
BASELINE = shipped_dir() / "baseline.toml"


def short_copy(folder: Path, name: str = "baseline", end: int = 2018) -> Path:
    """A shipped scenario with a short horizon."""
    text = (shipped_dir() / f"{name}.toml").read_text().replace("end = 2035", f"end = {end}")
    path = folder / f"{name}.toml"
    path.write_text(text)
    return path


def _parts(out: Path) -> list[str]:
    return sorted(p.name for p in (out / "annual").glob("part-*.parquet"))


@pytest.mark.slow
def test_baseline_batch_runs_then_resumes(tmp_path: Path) -> None:
    cmd = [*ZONESIM, "run", str(BASELINE), "--reps", "8"]
    done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "results" / "baseline"  # default folder, default backend
    res = load_results(out)
    assert res.missing.empty and len(res.runs) == 8
    assert sorted(set(res.annual["replicate"])) == list(range(8))
    assert res.annual["year"].max() == 2035
    m = res.manifest
    assert m["backend"].startswith("processes(") and m["status"] == "complete"
    assert m["scenarios"]["baseline"]["source"] == BASELINE.read_text()
    assert m["command"].startswith("zonesim run ") and m["master_seed"] == 20170401
    parts = _parts(out)
    again = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr  # every run reused, none recomputed:
    assert _parts(out) == parts
    assert json.loads((out / "manifest.json").read_text())["runs"] == {
        "total": 8, "skipped": 8, "run": 0, "set_aside": 0, "recomputed": 0,
    }  # fmt: skip


@pytest.mark.slow
def test_workers_and_dask_give_identical_tables(tmp_path: Path, dask_scheduler: str) -> None:
    files = [str(short_copy(tmp_path)), str(short_copy(tmp_path, "all_corporate"))]
    tables = {}
    for label, flags in {
        "w1": ["--workers", "1"],
        "w2": ["--workers", "2"],
        "dask": ["--scheduler", dask_scheduler],
    }.items():
        out = tmp_path / label
        assert main(["run", *files, "--reps", "3", "--out", str(out), "--quiet", *flags]) == 0
        tables[label] = load_results(out)
    assert tables["dask"].manifest["backend"].startswith("dask(")
    assert tables["w1"].manifest["backend"] == "serial"
    for label in ("w2", "dask"):
        pd.testing.assert_frame_equal(tables["w1"].annual, tables[label].annual, check_exact=True)
        pd.testing.assert_frame_equal(tables["w1"].zones, tables[label].zones, check_exact=True)
    a = tables["w1"].annual
    assert list(dict.fromkeys(a["scenario"])) == ["baseline", "all_corporate"]
    seeds = a.groupby(["scenario", "replicate"])["seed"].first().unstack(0)
    assert (seeds["baseline"] == seeds["all_corporate"]).all()  # common random numbers


def test_dask_batch_through_scheduler_subprocess(tmp_path: Path, dask_scheduler: str) -> None:
    path = short_copy(tmp_path, end=2017)
    cmd = [*ZONESIM, "run", str(path), "--reps", "4", "--scheduler", dask_scheduler,
           "--out", str(tmp_path / "d")]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "4 runs" in done.stderr  # summary line after the progress bar
    res = load_results(tmp_path / "d")
    assert res.missing.empty and len(res.annual) == 8


def test_default_out_for_several_scenarios(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    files = [str(short_copy(tmp_path, end=2016)), str(short_copy(tmp_path, "no_reform", 2016))]
    assert main(["run", *files, "--reps", "1", "--workers", "1", "--quiet"]) == 0
    res = load_results(tmp_path / "results" / "baseline+no_reform")
    assert res.scenarios == ["baseline", "no_reform"]


def test_shipped_name_and_seed_override(tmp_path: Path) -> None:
    out = tmp_path / "o"
    rc = main(["run", "no_reform", "--reps", "1", "--seed", "5", "--workers", "1",
               "--out", str(out), "--quiet", "--no-zones", "--chunk-size", "1"])  # fmt: skip
    assert rc == 0
    res = load_results(out)
    assert res.manifest["master_seed"] == 5 and res.manifest["zones"] is False
    assert res.zones.empty and res.annual["year"].max() == 2035


def test_zone_tables_name_the_real_national_zones(tmp_path: Path) -> None:
    # Scenario selectors take a city in Chinese; the stored zone table names the zones.
    text = short_copy(tmp_path).read_text(encoding="utf-8")
    scen = tmp_path / "datong.toml"
    scen.write_text(
        text.replace('name = "baseline"', 'name = "datong"')
        + "\n[[modes]]\nyear = 2018\nmode = 'corporate'\nzones = 'city:大同'\n",
        encoding="utf-8",
    )
    out = tmp_path / "o"
    assert (
        main(["run", str(scen), "--reps", "1", "--workers", "1", "--out", str(out), "--quiet"]) == 0
    )
    z = load_results(out).zones
    z = z[z["year"] == 2018]
    national = z[z["level"] == "national"].set_index("city")
    assert national["name"].to_dict() == {
        "Taiyuan": "Shanxi Transformation Comprehensive Reform Demonstration Zone",
        "Datong": "Datong Economic and Technological Development Zone",
        "Jincheng": "Jincheng Economic and Technological Development Zone",
        "Changzhi": "Changzhi High-Tech Industrial Development Zone",
    }
    assert national.loc["Datong", "name_zh"] == "大同经济技术开发区"
    assert not national["synthetic"].any()
    assert (z.loc[z["city"] == "Datong", "mode"] == "corporate").all()
    assert (z.loc[z["city"] != "Datong", "mode"] != "corporate").any()


#: A worker preload that makes the worker import ``sim`` from another folder.
OTHER_CODE = """
import sys

sys.path.insert(0, {folder!r})
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("module", "old", "new", "key"),
    [
        ("experiments/runs.py", "int(spec.seed)] * n", "int(spec.seed) + 1] * n", "model"),
        ("core/run.py", "def simulate(", "def simulate_(", "model"),
        ("experiments/summary.py", "(0.05, 0.5, 0.95)", "(0.05, 0.5, 0.9)", "code"),
    ],
    ids=["run-boundary", "model", "elsewhere"],
)
def test_dask_worker_with_other_code_is_refused(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    start_dask: Callable,
    copy_package: Callable,
    module: str,
    old: str,
    new: str,
    key: str,
) -> None:
    other = tmp_path / "other"
    pkg = copy_package(other)
    text = (pkg / module).read_text(encoding="utf-8")
    assert old in text
    if module == "core/run.py":  # a changed model: simulate wraps the original, 1 % off
        new_text = text.replace(old, new, 1) + (
            "\n\ndef simulate(*a, **k):\n    r = simulate_(*a, **k)\n"
            "    r.annual['firms'] = r.annual['firms'] * 1.01\n    return r\n"
        )
    else:
        new_text = text.replace(old, new, 1)
    (pkg / module).write_text(new_text, encoding="utf-8")
    preload = tmp_path / "other_code.py"
    preload.write_text(OTHER_CODE.format(folder=str(other)))
    address, _ = start_dask(worker_args=("--preload", str(preload)))
    path = short_copy(tmp_path, end=2016)
    out = tmp_path / "d"
    rc = main(["run", str(path), "--reps", "2", "--scheduler", address, "--out", str(out),
               "--quiet"])  # fmt: skip
    err = capsys.readouterr().err.strip()
    assert rc == 2 and len(err.splitlines()) == 1, err
    assert "Dask worker tcp://127.0.0.1:" in err and f": {key}: expected the client's" in err
    with pytest.warns(UserWarning, match="2 of 2 are not"):
        res = load_results(out, allow_missing=True)
    assert res.manifest["status"] == "failed" and len(res.missing) == 2 and res.annual.empty


@pytest.mark.slow
def test_lost_scheduler_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], start_dask: Callable
) -> None:
    address, procs = start_dask()
    path = short_copy(tmp_path, end=2025)
    out = tmp_path / "d"

    def kill_after_first_part() -> None:  # the scheduler dies mid-batch
        deadline = time.monotonic() + 120
        while not _parts(out) and time.monotonic() < deadline:
            time.sleep(0.05)
        procs[0].kill()

    threading.Thread(target=kill_after_first_part, daemon=True).start()
    rc = main(["run", str(path), "--reps", "30", "--chunk-size", "1", "--scheduler", address,
               "--out", str(out), "--quiet"])  # fmt: skip
    err = capsys.readouterr().err.strip()
    assert rc == 2 and len(err.splitlines()) == 1
    assert f"--scheduler {address}: lost the connection" in err
    assert read_manifest(out)["status"] == "failed"


def test_runs_into_one_folder_add_up_and_keep_their_provenance(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = short_copy(tmp_path, end=2016)
    corp = short_copy(tmp_path, "no_reform", end=2016)
    out = tmp_path / "o"
    common = ["--reps", "1", "--workers", "1", "--quiet", "--out", str(out)]
    assert main(["run", str(base), "--seed", "1", *common]) == 0
    assert main(["run", str(base), "--seed", "2", *common]) == 0
    assert main(["run", str(corp), "--seed", "1", *common]) == 0
    res = load_results(out)
    assert res.scenarios == ["baseline", "no_reform"] and len(res.runs) == 3
    assert sorted(res.annual.groupby("scenario")["seed"].nunique()) == [1, 2]
    (version,) = res.manifest["scenarios"]["baseline"]["versions"].values()
    assert version["master_seeds"] == {"1": 1, "2": 1} and version["source"] == base.read_text()
    invocations = res.manifest["invocations"]
    assert [i["master_seed"] for i in invocations] == [1, 2, 1]
    assert all(i["packages"]["numpy"] and i["started"] for i in invocations)
    base.write_text(base.read_text().replace("[parameters]", "[parameters]\nexit_rule_on = 0"))
    assert main(["run", str(base), "--seed", "1", *common]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "scenario 'baseline'" in err and "new --out" in err
    assert len(load_results(out).runs) == 3


def _truncate_part_of(out: Path, seed: int) -> str:
    """Cut the annual part holding the run with ``seed`` in half; return its file name."""
    runs = pd.read_parquet(out / "runs.parquet")
    run_id = runs.loc[runs["seed"] == seed, "run_id"].item()
    for line in (out / "parts.jsonl").read_text().splitlines():
        rec = json.loads(line)
        if [k[3] for k in rec["runs"]] == [run_id]:
            part = out / "annual" / rec["part"]
            part.write_bytes(part.read_bytes()[: part.stat().st_size // 2])
            return rec["part"]
    raise AssertionError(f"no part holds only the run with seed {seed}")


def test_runs_set_aside_from_another_seed_are_named_until_their_command_restores_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two seeds in one folder; one part of each is truncated; a run with the default
    seed recomputes its own run only, says which other run stays missing and which
    command recomputes it; loading fails naming it; that command restores it."""
    from sim.experiments.seeds import replicate_seed
    from sim.experiments.store import MissingRunsError

    base = short_copy(tmp_path, end=2016)
    out = tmp_path / "o"
    common = ["--reps", "2", "--workers", "1", "--chunk-size", "1", "--out", str(out)]
    default = ["run", str(base), *common]
    assert main(["run", str(base), "--seed", "9", *common, "--quiet"]) == 0
    assert main(default) == 0
    clean = load_results(out).annual
    lost = replicate_seed(9, 1)
    _truncate_part_of(out, lost)
    _truncate_part_of(out, replicate_seed(20170401, 0))  # the default master seed
    capsys.readouterr()

    assert main(default) == 0
    err = capsys.readouterr().err
    assert "they held 2 finished run(s): baseline replicates 1, 0 (seeds " in err
    assert "this command recomputes 1 of them: baseline replicate 0" in err
    assert (
        f"still missing, as this command does not ask for them: baseline replicate 1 (seed {lost})"
        in err
    )
    assert (
        "1 ran, 1 reused; 1 of the 2 run(s) set aside in quarantine recomputed, 1 still missing"
        in err
    )

    with pytest.raises(MissingRunsError) as info:
        load_results(out)
    message = str(info.value)
    assert (
        f"1 of 4 are not (unfinished, corrupt or set aside): baseline replicate 1 (seed {lost})"
        in message
    )
    ((command, runs),) = info.value.commands
    assert (
        command.startswith("zonesim run ") and "--seed 9" in command and f"`{command}`" in message
    )
    assert runs["seed"].tolist() == [lost]

    assert main(shlex.split(command)[1:]) == 0  # the command the message names
    res = load_results(out)
    assert res.missing.empty and len(res.runs) == 4
    pd.testing.assert_frame_equal(res.annual, clean, check_exact=True)
