"""SIGTERM to a command's whole process group ends it like Ctrl-C: one line, 143."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.experiments.store import load_results

SCENARIO = 'name = "s"\ndescription = "q"\n[run]\nend = 2018\nreplications = 16\nseed = 5\n'


def _group(pgid: int) -> list[int]:
    """Live processes of a process group (Linux ``/proc``)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            out.append(int(stat.parent.name))
    return out


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc")
def test_sigterm_to_the_group_is_an_interruption(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(SCENARIO)
    out = tmp_path / "b"
    zonesim = Path(sys.executable).with_name("zonesim")
    argv = [str(zonesim), "run", str(path), "--workers", "2", "--chunk-size", "1", "--quiet",
            "--out", str(out)]  # fmt: skip
    proc = subprocess.Popen(
        argv, start_new_session=True, stderr=subprocess.PIPE, text=True, cwd=tmp_path
    )
    try:
        deadline = time.monotonic() + 180
        while len(list((out / "annual").glob("part-*.parquet"))) < 2:
            assert proc.poll() is None, "batch ended before it could be stopped"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGTERM)  # as timeout, a job cancel or a service manager
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 143, err
    assert err.strip().splitlines() == ["zonesim run: interrupted; finished runs are kept"]
    with pytest.warns(UserWarning, match="are not"):  # the unfinished runs, named
        res = load_results(out, allow_missing=True)
    assert res.manifest["status"] == "interrupted" and len(res.annual["run_id"].unique()) >= 2
    deadline = time.monotonic() + 10
    while _group(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _group(proc.pid) == []  # no worker, fork server or tracker left behind
    done = subprocess.run([*argv[:-2], "--out", str(out)], capture_output=True, text=True)
    assert done.returncode == 0 and load_results(out).missing.empty
