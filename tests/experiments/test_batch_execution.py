"""Batches end to end: the store's tables, resume, workers, refusals, kills, code checks."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from sim.core.params import resolve
from sim.experiments.backends import SerialBackend, make_backend
from sim.experiments.batch import execute
from sim.experiments.identity import code_identity
from sim.experiments.runs import RunSpec
from sim.experiments.store import (
    BatchStore,
    MissingRunsError,
    StoreError,
    load_results,
    read_manifest,
    runs_table,
)


def _parts(out: Path, sub: str = "annual") -> list[str]:
    return sorted(p.name for p in (out / sub).glob("part-*.parquet"))


def _indexed(out: Path) -> int:
    """Complete lines of a store's part index (0 before it exists)."""
    index = out / "parts.jsonl"
    return index.read_text(encoding="utf-8").count("\n") if index.is_file() else 0


def test_execute_writes_store_and_loads_in_batch_order(tmp_path: Path, specs: list) -> None:
    out = execute(specs, tmp_path / "b", backend=SerialBackend(), progress=False, chunk_size=2)
    res = load_results(out)
    a = res.annual
    assert list(a.columns[:4]) == ["scenario", "replicate", "seed", "year"]
    assert list(a.columns[-2:]) == ["sample", "run_id"]
    assert list(dict.fromkeys(a["scenario"])) == ["baseline", "alt"]
    assert (
        a.groupby("scenario", sort=False)["replicate"].apply(list).tolist()
        == [[0, 0, 1, 1, 2, 2]] * 2
    )
    assert len(a) == len(specs) * 2 and a["sample"].isna().all()
    assert set(res.zones["run_id"]) == {s.run_id for s in specs}
    assert res.missing.empty
    assert len(_parts(out)) == 3 == len(_parts(out, "zones"))


def test_resume_skips_finished_runs(tmp_path: Path, specs: list) -> None:
    out = tmp_path / "b"
    execute(specs[:4], out, backend=SerialBackend(), progress=False, chunk_size=1)
    first = _parts(out)
    execute(specs, out, backend=SerialBackend(), progress=False, chunk_size=1)
    assert _parts(out)[: len(first)] == first or set(first) <= set(_parts(out))
    assert len(_parts(out)) == 6
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["runs"] == {"total": 6, "skipped": 4, "run": 2, "set_aside": 0, "recomputed": 0}
    assert [i["runs"]["run"] for i in manifest["invocations"]] == [4, 2]
    t0 = time.perf_counter()
    execute(specs, out, backend=SerialBackend(), progress=False)
    assert time.perf_counter() - t0 < 2
    assert len(_parts(out)) == 6


def test_workers_and_chunks_give_identical_tables(tmp_path: Path, specs: list) -> None:
    execute(specs, tmp_path / "s", backend=SerialBackend(), progress=False, chunk_size=4)
    with make_backend(2) as b:
        execute(specs, tmp_path / "p", backend=b, progress=False, chunk_size=1)
    s, p = load_results(tmp_path / "s"), load_results(tmp_path / "p")
    pd.testing.assert_frame_equal(s.annual, p.annual, check_exact=True)
    pd.testing.assert_frame_equal(s.zones, p.zones, check_exact=True)


def test_annual_only_and_samples(tmp_path: Path) -> None:
    p = resolve({})
    specs = [RunSpec("cal", 0, 1, {**p, "exit_hazard": h}, 2016, 2016, sample=i)
             for i, h in enumerate((0.03, 0.06))]  # fmt: skip
    out = execute(specs, tmp_path / "c", backend=SerialBackend(), progress=False, zones=False)
    res = load_results(out)
    assert res.annual["sample"].tolist() == [0, 1]
    assert res.annual["sample"].dtype == "Int64"
    assert res.zones.empty
    assert json.loads((out / "manifest.json").read_text())["scenarios"]["cal"]["params"] is None
    assert len(res.runs) == 2 and json.loads(res.runs["params"][1])["exit_hazard"] == 0.06


def test_missing_runs_are_reported(tmp_path: Path, specs: list) -> None:
    out = execute(specs[:2], tmp_path / "b", backend=SerialBackend(), progress=False)
    with BatchStore(out) as store:
        store.write_runs(runs_table(specs))
    with pytest.raises(MissingRunsError, match="4 of 6 are not") as info:
        load_results(out)
    assert len(info.value.missing) == 4
    with pytest.warns(UserWarning, match="allow_missing=True"):
        assert len(load_results(out, allow_missing=True).missing) == 4


def test_folder_in_use_is_refused(tmp_path: Path, specs: list) -> None:
    with BatchStore(tmp_path / "b"), pytest.raises(ValueError, match="no other batch"):
        execute(specs, tmp_path / "b", backend=SerialBackend(), progress=False)


def test_invalid_calls(tmp_path: Path, specs: list) -> None:
    with pytest.raises(ValueError, match="at least one run"):
        execute([], tmp_path / "x", backend=SerialBackend())
    with pytest.raises(ValueError, match="unique"):
        execute([specs[0], specs[0]], tmp_path / "x", backend=SerialBackend())
    assert not (tmp_path / "x").exists()
    with pytest.raises(FileNotFoundError, match="expected a batch folder"):
        load_results(tmp_path / "x")


def test_other_package_versions_are_refused(
    tmp_path: Path, specs: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = execute(specs[:1], tmp_path / "b", backend=SerialBackend(), progress=False)
    other = {**code_identity(), "numpy": "0.0.1"}
    monkeypatch.setattr("sim.experiments.batch.execution.code_identity", lambda: other)
    with pytest.raises(StoreError, match=r"b: expected the Python and package versions .*"
                       r"\(numpy .* -> 0.0.1\)"):  # fmt: skip
        execute(specs[:2], out, backend=SerialBackend(), progress=False)
    assert len(load_results(out).runs) == 1


KILL_SCRIPT = textwrap.dedent(
    """
    import sys
    from sim.core.params import resolve
    from sim.experiments.backends import make_backend
    from sim.experiments.batch import execute
    from sim.experiments.runs import RunSpec

    if __name__ == "__main__":
        p = resolve({})
        specs = [RunSpec("k", k, 100 + k, p, 2016, 2017) for k in range(12)]
        with make_backend(int(sys.argv[2])) as b:
            execute(specs, sys.argv[1], backend=b, progress=False, chunk_size=1)
    """
)


@pytest.mark.slow
def test_sigkill_then_resume_equals_uninterrupted(tmp_path: Path) -> None:
    script = tmp_path / "batch.py"
    script.write_text(KILL_SCRIPT)
    out = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, str(script), str(out), "2"], start_new_session=True)
    deadline = time.monotonic() + 120
    # Wait for 3 runs in the index (a run is finished once its index line is written; a
    # part file alone may be half-stored when the kill comes, and is then set aside).
    while _indexed(out) < 3:
        assert proc.poll() is None, "batch ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the batch and its workers
    proc.wait()
    assert 3 <= _indexed(out) < 12
    assert read_manifest(out)["status"] == "running"
    subprocess.run([sys.executable, str(script), str(out), "2"], check=True)
    subprocess.run([sys.executable, str(script), str(tmp_path / "clean"), "1"], check=True)
    killed, clean = load_results(out), load_results(tmp_path / "clean")
    assert killed.manifest["runs"]["skipped"] >= 3
    assert len(killed.annual) == 24
    stored = sum(pq.read_metadata(out / "annual" / n).num_rows for n in _parts(out))
    assert stored == 24  # no run stored twice
    pd.testing.assert_frame_equal(killed.annual, clean.annual, check_exact=True)
    pd.testing.assert_frame_equal(killed.zones, clean.zones, check_exact=True)


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (Linux ``/proc``)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(stat.parent.name))
    out: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killing_the_main_pid_ends_every_batch_process(tmp_path: Path, sig: int) -> None:
    script = tmp_path / "batch.py"
    script.write_text(KILL_SCRIPT)
    out = tmp_path / "killed"
    proc = subprocess.Popen(
        [sys.executable, str(script), str(out), "2"], start_new_session=True,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while len(_parts(out) if (out / "annual").is_dir() else []) < 1:
            assert proc.poll() is None, "batch ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        batch = _descendants(proc.pid)
        assert len(batch) >= 3  # fork server or resource tracker, and the workers
        os.kill(proc.pid, sig)  # the main process only, not its group
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in batch) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [p for p in batch if _alive(p)]
        status = read_manifest(out)["status"]
        assert status == ("interrupted" if sig == signal.SIGTERM else "running")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def test_worker_with_other_code_fails_the_batch(
    tmp_path: Path, specs: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sim.experiments import runs

    client = {**runs.code_identity(), "model": "0.1.0+clientcode"}
    monkeypatch.setattr("sim.experiments.batch.execution.code_identity", lambda: client)
    out = tmp_path / "b"
    with pytest.raises(runs.CodeMismatchError, match=r"worker .*: model: expected the client's"):
        execute(specs[:2], out, backend=SerialBackend(), progress=False)
    with pytest.warns(UserWarning, match="2 of 2 are not"):
        res = load_results(out, allow_missing=True)
    assert res.manifest["status"] == "failed" and len(res.missing) == 2
