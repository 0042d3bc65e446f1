"""A running ``zonesim app`` for the server and browser tests; a draft and a runner for the rest."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from sim.app.draft import Draft, draft
from sim.app.runner import Runner

from .helpers import short, stop

ZONESIM = Path(sys.executable).with_name("zonesim")


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Callable[..., tuple[subprocess.Popen, str]]]:
    """Start ``zonesim app --port 0`` in ``tmp_path``; returns the process and its address."""
    procs: list[subprocess.Popen] = []

    def start(*args: str) -> tuple[subprocess.Popen, str]:
        proc = subprocess.Popen(
            [str(ZONESIM), "app", "--port", "0", *args],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        procs.append(proc)
        line = proc.stdout.readline()
        m = re.match(r"zonesim app: serving on (http://127\.0\.0\.1:\d+/) \(Ctrl-C stops it\)$",
                     line.strip())  # fmt: skip
        if not m:
            stop(proc)
            raise AssertionError(line + proc.stderr.read())
        return proc, m.group(1)

    yield start
    for proc in procs:
        stop(proc)


@pytest.fixture(scope="module")
def runner() -> Iterator[Runner]:
    r = Runner(workers=1)
    yield r
    r.close()


@pytest.fixture(scope="module")
def edited() -> Draft:
    """Datong's zones corporate from 2016.5, without the approval bureaus."""
    d = short(draft())
    d = d.with_value("integration_on", False)
    rule = {"year": 2016.5, "mode": "corporate", "zones": "city:Datong"}
    return replace(d, name="datong_corporate", modes=(*d.modes, rule))
