from __future__ import annotations

from collections.abc import Iterator

import pytest

from sim.experiments.backends import (
    DaskBackend,
    ProcessBackend,
    SerialBackend,
    available_cores,
    make_backend,
)
from sim.experiments.errors import ArgumentError


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
