"""The runs of the explorer's what-ifs: a :class:`Runner` in the background.

:class:`Runner` runs specifications through :func:`sim.experiments.runs.run_chunk` (the
run boundary) on a backend of :mod:`sim.experiments.backends`, reusing finished runs
(same run id, same result); :class:`Cancelled` is what a what-if stopped by its user
raises.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

import pandas as pd
import pyarrow as pa

from sim.errors import ZonesimError
from sim.experiments.backends import Backend, make_backend
from sim.experiments.runs import RunOutput, RunSpec, code_identity, run_chunk

#: Finished runs kept for reuse (annual tables only, a few kB each).
CACHE_RUNS = 500


class Cancelled(ZonesimError):
    """The what-if was cancelled (by the user) before its runs finished."""


class Runner:
    """Runs specifications on a backend, in the background, reusing finished runs.

    One runner serves the page: its backend (a local process pool unless ``workers`` is
    1) starts on first use and stays up until :meth:`close`. Finished runs are kept by
    run id (:attr:`~sim.experiments.runs.RunSpec.run_id`: parameters, seed, horizon and
    model version), so a baseline already run is not run again.

    Args:
        workers: Local worker processes (default: every core; 1 runs in the calling thread).
        task: The function a task runs (:func:`sim.experiments.runs.run_chunk`).
        cache_runs: Finished runs kept.
    """

    def __init__(
        self,
        workers: int | None = None,
        *,
        task: Callable[..., RunOutput] = run_chunk,
        cache_runs: int = CACHE_RUNS,
    ) -> None:
        self.workers = workers
        self._task = task
        self._cache: OrderedDict[str, pa.Table] = OrderedDict()
        self._cache_runs = cache_runs
        self._lock = threading.Lock()
        self._backend: Backend | None = None
        self._closed = threading.Event()

    def _get_backend(self) -> Backend:
        with self._lock:
            if self._backend is None:
                self._backend = make_backend(self.workers)
            return self._backend

    def start(self) -> None:
        """Start the backend and its worker processes now, from the calling thread.

        Call it from the main thread: on Linux a pool's fork server dies with the thread
        that started it (:mod:`sim.experiments.lifeline` ties it to its parent with the
        parent-death signal, which follows the thread), so a pool started by a what-if's
        thread would break when that thread ends.
        """
        backend = self._get_backend()
        for _ in backend.imap_unordered(abs, range(backend.workers)):
            pass

    def _drop_backend(self) -> None:
        with self._lock:
            backend, self._backend = self._backend, None
        if backend is not None:
            backend.close()

    def close(self) -> None:
        """Stop the backend's worker processes; runs going on stop at their next result."""
        self._closed.set()
        self._drop_backend()

    def cached(self, spec: RunSpec) -> bool:
        """Whether a run with this specification's run id has finished."""
        with self._lock:
            return spec.run_id in self._cache

    def run(
        self,
        runs: Sequence[RunSpec],
        *,
        progress: Callable[[int, int], None] | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> tuple[pd.DataFrame, int]:
        """Run specifications (those not run before) and return their annual table.

        Args:
            runs: The runs, in the order of the returned table.
            progress: Called with (finished, total) after each run.
            stop: Polled after each run; when it returns true the rest is cancelled.

        Returns:
            The annual table (label columns as in a batch) and how many runs were computed.

        Raises:
            Cancelled: If ``stop`` asked to stop.
            Exception: What a run raised (the backend is restarted on the next call).
        """
        if self._closed.is_set():
            raise Cancelled("the what-if was cancelled before its runs finished")
        todo = list({s.run_id: s for s in runs if not self.cached(s)}.values())
        total, done = len(runs), sum(1 for s in runs if self.cached(s))
        if progress:
            progress(done, total)
        if todo:
            backend = self._get_backend()
            task = functools.partial(self._task, zones=False, identity=code_identity())
            try:
                for _, out in backend.imap_unordered(task, ([s] for s in todo)):
                    with self._lock:
                        self._cache[out.keys[0][3]] = out.annual
                        while len(self._cache) > self._cache_runs:
                            self._cache.popitem(last=False)
                    done += sum(1 for s in runs if s.run_id == out.keys[0][3])
                    if progress:
                        progress(done, total)
                    if self._closed.is_set() or (stop is not None and stop()):
                        raise Cancelled("the what-if was cancelled before its runs finished")
            except Cancelled:
                raise
            except Exception:
                self._drop_backend()  # a broken pool is not reused
                raise
        return self._table(runs), len(todo)

    def _table(self, runs: Sequence[RunSpec]) -> pd.DataFrame:
        parts = []
        with self._lock:
            tables = [self._cache[s.run_id] for s in runs]
        for spec, table in zip(runs, tables, strict=True):
            df = table.to_pandas()
            df["scenario"] = spec.scenario
            df["replicate"] = spec.replicate
            df["seed"] = int(spec.seed)
            parts.append(df)
        return pd.concat(parts, ignore_index=True)
