"""Helpers of the server and browser tests."""

from __future__ import annotations

import subprocess
import time
import urllib.request


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
