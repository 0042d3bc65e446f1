"""SIGTERM during a batch: recorded by the handler, raised at a checkpoint."""

from __future__ import annotations

import os
import signal
import time

import pytest

from sim.experiments import lifeline


def test_sigterm_is_deferred_to_the_next_checkpoint() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with lifeline.sigterm_checkpoints():
        lifeline.checkpoint()  # nothing requested yet
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.05)  # the handler ran and returned: no exception at an arbitrary point
        with pytest.raises(lifeline.Terminated):
            lifeline.checkpoint()
        assert issubclass(lifeline.Terminated, KeyboardInterrupt)  # an interruption
    assert signal.getsignal(signal.SIGTERM) is before
    lifeline.checkpoint()  # cleared when the batch ends


def test_a_request_after_the_last_checkpoint_is_raised_at_the_end() -> None:
    with pytest.raises(lifeline.Terminated), lifeline.sigterm_checkpoints():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.05)
    with lifeline.sigterm_checkpoints():  # a new batch starts without the old request
        lifeline.checkpoint()


def test_outside_a_batch_sigterm_raises_at_once() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(lifeline.Terminated), lifeline.sigterm_raises():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(1)
    assert signal.getsignal(signal.SIGTERM) is before
