"""The runner: runs in the background, failures, cancellation, a pool that outlives threads."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from sim.app import whatif
from sim.app.draft import Draft
from sim.app.runner import Cancelled, Runner
from sim.app.text import error_line
from sim.experiments.runs import RunOutput, run_chunk


def test_a_failing_run_raises_and_the_runner_keeps_working(edited: Draft) -> None:
    calls = {"n": 0}

    def flaky(specs: list, **kwargs: object) -> RunOutput:
        calls["n"] += 1
        if calls["n"] == 2:
            raise ZeroDivisionError("division by zero in a test run")
        return run_chunk(specs, **kwargs)

    r = Runner(workers=1, task=flaky)
    with pytest.raises(ZeroDivisionError) as info:
        whatif.outcome(edited, r)
    assert error_line(info.value) == "ZeroDivisionError: division by zero in a test run"
    out = whatif.outcome(edited, r)  # the finished runs are kept, the rest run now
    assert out.ran == 3 and out.reused == 1


def test_stop_cancels_between_runs(edited: Draft) -> None:
    r = Runner(workers=1)
    with pytest.raises(Cancelled):
        whatif.outcome(replace(edited, seed=99), r, stop=lambda: True)
    r.close()
    with pytest.raises(Cancelled):  # a closed runner runs nothing more
        whatif.outcome(edited, r)


@pytest.mark.slow
def test_a_started_pool_serves_what_ifs_from_threads_that_end(edited: Draft) -> None:
    """The page runs each what-if in a thread of its own that ends with it."""
    r = Runner(workers=2)
    r.start()  # the main thread starts the pool (its fork server lives as long as it)
    results: list[object] = []

    def one(seed: int) -> None:
        try:
            results.append(whatif.outcome(replace(edited, seed=seed), r))
        except Exception as exc:  # reported below
            results.append(exc)

    try:
        for seed in (1, 2):
            t = threading.Thread(target=one, args=(seed,))
            t.start()
            t.join()
    finally:
        r.close()
    assert [type(x).__name__ for x in results] == ["Outcome", "Outcome"], results
