"""The page's state: reactive variables (one value per browser tab) and the shared runner.

Solara's reactive variables hold one value per kernel, that is per browser tab; the
process pool of the what-ifs' runs (:func:`runner`) is shared by the tabs and closed with
the server (:func:`close_runner`).
"""

from __future__ import annotations

import threading
from typing import Any

import solara

from sim.app import watch
from sim.app.draft import draft
from sim.app.runner import Runner

lang = solara.reactive("en")
current = solara.reactive(draft())
open_group = solara.reactive("")
replicate = solara.reactive(0)
watched: solara.Reactive[watch.WatchedRun | None] = solara.reactive(None)
watch_args: solara.Reactive[dict[str, Any]] = solara.reactive({})
map_choice = solara.reactive("gdp")
counts = solara.reactive((0, 0))
save_path = solara.reactive("")
overwrite = solara.reactive(False)
save_message: solara.Reactive[tuple[bool, str] | None] = solara.reactive(None)
seed_message: solara.Reactive[str | None] = solara.reactive(None)
folder = solara.reactive("")
opened: solara.Reactive[Any] = solara.reactive(None)
open_message: solara.Reactive[str | None] = solara.reactive(None)

# ---------------------------------------------------------------- the shared runner

_runner: Runner | None = None
_runner_lock = threading.Lock()
#: Local worker processes of the runs (``None``: every core), set by the server.
WORKERS: int | None = None


def runner() -> Runner:
    """The page's runner (one for every browser tab), started on first use."""
    global _runner
    with _runner_lock:
        if _runner is None:
            _runner = Runner(WORKERS)
        return _runner


def close_runner() -> None:
    """Stop the runner's worker processes (when the server stops)."""
    global _runner
    with _runner_lock:
        r, _runner = _runner, None
    if r is not None:
        r.close()
