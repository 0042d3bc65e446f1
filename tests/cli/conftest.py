from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

DASK = Path(sys.executable).with_name("dask")


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def start_cluster(
    folder: Path, workers: int = 2, worker_args: tuple[str, ...] = ()
) -> tuple[str, list[subprocess.Popen]]:
    """Start a Dask scheduler on loopback and ``workers`` one-thread workers.

    Returns:
        The scheduler's address and the processes (scheduler first); stop them with
        :func:`stop_cluster`.
    """
    info = folder / "scheduler.json"
    log = (folder / "log.txt").open("w")
    common = ["--no-dashboard"]
    procs = [
        subprocess.Popen(
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0",
             "--scheduler-file", str(info), *common],
            stdout=log, stderr=subprocess.STDOUT, cwd=folder,
        )
    ]  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not info.is_file() or not info.read_text().strip():
            assert procs[0].poll() is None, "dask scheduler exited"
            assert time.monotonic() < deadline, "dask scheduler did not start"
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        for _ in range(workers):
            procs.append(
                subprocess.Popen(
                    [str(DASK), "worker", address, "--nthreads", "1", "--nworkers", "1",
                     "--host", "127.0.0.1", "--memory-limit", "0", *common, *worker_args],
                    stdout=log, stderr=subprocess.STDOUT, cwd=folder,
                )
            )  # fmt: skip
        from distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(workers, timeout=60)
    except BaseException:
        stop_cluster(procs)
        raise
    finally:
        log.close()
    return address, procs


def stop_cluster(procs: list[subprocess.Popen]) -> None:
    """Stop the workers, then the scheduler."""
    _stop(procs[1:])
    _stop(procs[:1])


@pytest.fixture(scope="session")
def dask_scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Address of a real Dask scheduler on loopback with two one-thread workers."""
    address, procs = start_cluster(tmp_path_factory.mktemp("dask"))
    try:
        yield address
    finally:
        stop_cluster(procs)


@pytest.fixture
def start_dask(tmp_path: Path) -> Iterator[Callable[..., tuple[str, list[subprocess.Popen]]]]:
    """Start a cluster (:func:`start_cluster` arguments after the folder); stopped after."""
    started: list[list[subprocess.Popen]] = []

    def start(workers: int = 1, worker_args: tuple[str, ...] = ()) -> tuple[str, list]:
        folder = tmp_path / f"dask{len(started)}"
        folder.mkdir()
        address, procs = start_cluster(folder, workers, worker_args)
        started.append(procs)
        return address, procs

    yield start
    for procs in started:
        stop_cluster(procs)
