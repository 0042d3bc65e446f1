"""Helpers of the app's tests."""

from __future__ import annotations

import subprocess
import time
import urllib.request
from dataclasses import replace

from sim.app.draft import Draft


def get(url: str, timeout: float = 120) -> str:
    """The body at ``url``, retried until the server answers."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=60) as r:
                return r.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def short(d: Draft, seeds: int = 2) -> Draft:
    """The draft to 2017 with ``seeds`` seeds (quick runs)."""
    return replace(d, end=2017, seeds=seeds)
