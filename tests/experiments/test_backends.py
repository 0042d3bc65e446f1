from __future__ import annotations

import functools
import gc
import http.server
import threading
import time
from collections.abc import Iterator

import pytest

from sim.core.params import resolve
from sim.experiments.backends import (
    DaskBackend,
    ProcessBackend,
    SerialBackend,
    available_cores,
    make_backend,
)
from sim.experiments.errors import ArgumentError
from sim.experiments.runs import RunSpec, run_chunk


def square(x: int) -> int:
    return x * x


def test_make_backend_choices() -> None:
    with make_backend(1) as b:
        assert isinstance(b, SerialBackend)
    with make_backend(2) as b:
        assert isinstance(b, ProcessBackend) and b.workers == 2
    with make_backend() as b:
        assert b.workers == available_cores()
    with pytest.raises(ArgumentError, match=r"^workers: expected"):
        make_backend(0)


def frozen_objects(_: int) -> int:
    return gc.get_freeze_count()


def test_local_workers_freeze_their_imports() -> None:
    # Collections in a worker scan only its runs' objects (see lifeline.init_worker).
    with make_backend(2) as b:
        counts = dict(b.imap_unordered(frozen_objects, range(4)))
    assert min(counts.values()) > 10_000


def test_tasks_in_process_run_with_the_callers_objects_frozen() -> None:
    gc.unfreeze()  # whatever an earlier test froze in this process
    with SerialBackend() as b:
        counts = dict(b.imap_unordered(frozen_objects, range(2)))
    assert min(counts.values()) > 10_000  # the collection after a task skips them
    assert gc.get_freeze_count() == 0  # and they are back once the tasks are done
    gc.freeze()  # a process that froze objects itself keeps them frozen
    try:
        with SerialBackend() as b:
            list(b.imap_unordered(frozen_objects, range(2)))
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


def test_no_more_local_workers_than_tasks() -> None:
    with make_backend(2, tasks=1) as b:  # one run: no worker process to start
        assert isinstance(b, SerialBackend)
    with make_backend(4, tasks=3) as b:
        assert isinstance(b, ProcessBackend) and b.workers == 3
    with make_backend(2, tasks=5) as b:
        assert b.workers == 2


@pytest.mark.parametrize("workers", [1, 2])
def test_every_item_is_mapped_once(workers: int) -> None:
    with make_backend(workers) as b:
        got = dict(b.imap_unordered(square, range(20)))
    assert got == {i: i * i for i in range(20)}


def test_items_are_consumed_lazily() -> None:
    pulled = []

    def items() -> Iterator[int]:
        for i in range(100):
            pulled.append(i)
            yield i

    with ProcessBackend(2) as b:
        it = b.imap_unordered(square, items())
        next(it)
        assert len(pulled) <= 2 * 2 + 1  # bounded number of tasks in flight
        assert len(dict(it)) == 99


def test_unreachable_scheduler_is_a_value_error() -> None:
    pattern = r"^scheduler tcp://127\.0\.0\.1:9: expected a reachable"
    with pytest.raises(ArgumentError, match=pattern):
        DaskBackend("tcp://127.0.0.1:9", timeout=1)


def test_scheduler_address_of_an_http_server_times_out_with_one_line() -> None:
    # A web server (say, the scheduler's dashboard) accepts the connection, never answers.
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        address = f"tcp://127.0.0.1:{server.server_address[1]}"
        t0 = time.monotonic()
        with pytest.raises(ValueError, match="did not answer within 6 s") as info:
            DaskBackend(address, timeout=1)
        assert time.monotonic() - t0 < 30
        assert "\n" not in str(info.value) and address in str(info.value)
    finally:
        server.shutdown()
        server.server_close()


def test_process_worker_with_other_code_refuses_the_task(monkeypatch: pytest.MonkeyPatch) -> None:
    # The client's identity is changed here; the workers compute their own, which differs.
    from sim.experiments.runs import CodeMismatchError, code_identity

    real = code_identity()
    chunk = [RunSpec("x", 0, 1, resolve({}), 2016, 2016)]
    with ProcessBackend(2) as b:
        task = functools.partial(run_chunk, identity={**real, "model": "0.0+other"})
        with pytest.raises(CodeMismatchError, match=r"worker .*\(pid \d+\): model: expected"):
            dict(b.imap_unordered(task, [chunk]))
    assert run_chunk(chunk, identity=real).keys == (chunk[0].key,)  # same identity: runs
