"""Execution backends behind one interface.

A :class:`Backend` maps a picklable function over items (chunks of runs) and yields
``(index, result)`` pairs as tasks complete, whatever the order. Three backends:

* :class:`SerialBackend`: in this process, one item after the other;
* :class:`ProcessBackend`: a local process pool (the default, one process per core);
* :class:`DaskBackend`: a Dask distributed cluster reached at a scheduler address.
  Start workers with one thread each (the model is pure Python), e.g.
  ``dask worker tcp://host:8786 --nworkers 8 --nthreads 1``.

Every backend keeps only a bounded number of tasks in flight, so a batch of any size
holds at most a few chunk results in memory at once.
"""

from __future__ import annotations

import abc
import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent import futures
from types import TracebackType
from typing import Any, Self, TypeVar

from sim.experiments import lifeline
from sim.experiments.errors import ArgumentError

T = TypeVar("T")
R = TypeVar("R")

#: Tasks kept in flight per worker.
IN_FLIGHT_PER_WORKER = 2
#: Seconds between two checks for a termination request while waiting on local workers.
WAIT_POLL_SECONDS = 0.2
#: Modules imported once in the fork server, before it forks the workers (the second ties
#: the server's life to the main process).
PRELOAD = ("sim.experiments.runs", "sim.experiments._forkserver_preload")
#: Seconds to wait for a Dask scheduler and its first worker.
CONNECT_TIMEOUT = 10.0
#: Extra seconds allowed for the scheduler's handshake before giving up on it.
HANDSHAKE_GRACE = 5.0


class BackendError(ArgumentError):
    """A backend cannot be reached or was lost (message names the address and what to do)."""

    def __init__(self, address: str, detail: str) -> None:
        """Build the error: ``scheduler <address>: <detail>``."""
        super().__init__("scheduler", f" {address}: {detail}")


def available_cores() -> int:
    """Return the number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Backend(abc.ABC):
    """Runs a function over items and yields results as they complete.

    Attributes:
        workers: Number of tasks that can run at the same time.
        name: Short description, recorded in batch manifests.
    """

    workers: int = 1
    name: str = "backend"

    @abc.abstractmethod
    def imap_unordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[tuple[int, R]]:
        """Apply ``fn`` to every item; yield ``(index of item, result)`` as tasks finish.

        Args:
            fn: A picklable (module-level) function.
            items: Picklable arguments, one task each; consumed lazily.

        Yields:
            Pairs of the item's position in ``items`` and ``fn(item)``.
        """

    def close(self) -> None:  # noqa: B027 (optional hook)
        """Release the backend's resources."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class SerialBackend(Backend):
    """Runs every task in this process, in order."""

    workers = 1
    name = "serial"

    def imap_unordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[tuple[int, R]]:
        """Apply ``fn`` to each item in turn (see :meth:`Backend.imap_unordered`).

        While it runs, the objects alive when it started are kept out of the garbage
        collector's scans (``gc.freeze``, as a worker keeps its imports, see
        :func:`sim.experiments.lifeline.init_worker`): the collection after each task
        (:func:`sim.experiments.runs.run_chunk`) then scans that task's objects only.
        A process that froze objects itself keeps its own arrangement.
        """
        freeze = gc.get_freeze_count() == 0  # unfreezing would undo the process's own
        if freeze:
            gc.freeze()
        try:
            for i, item in enumerate(items):
                lifeline.checkpoint()
                yield i, fn(item)
        finally:
            if freeze:
                gc.unfreeze()


class _WindowedBackend(Backend):
    """Shared submit-and-collect loop with a bounded number of tasks in flight."""

    def _submit(self, fn: Callable[[T], R], item: T) -> Any:
        raise NotImplementedError

    def _wait_one(self, pending: dict[Any, int]) -> Any:
        raise NotImplementedError

    def _result(self, future: Any) -> Any:
        return future.result()

    def imap_unordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[tuple[int, R]]:
        """Apply ``fn`` to items on the workers (see :meth:`Backend.imap_unordered`)."""
        limit = max(1, self.workers * IN_FLIGHT_PER_WORKER)
        source = enumerate(items)
        pending: dict[Any, int] = {}
        try:
            for i, item in source:
                pending[self._submit(fn, item)] = i
                if len(pending) >= limit:
                    break
            while pending:
                done = self._wait_one(pending)
                i = pending.pop(done)
                result = self._result(done)
                for j, item in source:
                    pending[self._submit(fn, item)] = j
                    break
                yield i, result
        finally:
            for f in pending:
                f.cancel()


class ProcessBackend(_WindowedBackend):
    """A local pool of worker processes (started with ``forkserver`` or ``spawn``)."""

    name = "processes"

    def __init__(self, workers: int | None = None) -> None:
        """Start a pool of ``workers`` processes (default: every available core)."""
        self.workers = workers or available_cores()
        ctx: multiprocessing.context.BaseContext
        if "forkserver" in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(list(PRELOAD))  # workers fork with the model imported
        else:
            ctx = multiprocessing.get_context("spawn")
        self._pool = futures.ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=ctx,
            initializer=lifeline.init_worker,
            initargs=(os.getpid(),),
        )
        self.name = f"processes({self.workers})"

    def _submit(self, fn: Callable[[T], R], item: T) -> futures.Future[R]:
        return self._pool.submit(fn, item)

    def _wait_one(self, pending: dict[Any, int]) -> Any:
        # Wait in short steps so a termination request is honoured at a safe point.
        while True:
            done, _ = futures.wait(
                pending, timeout=WAIT_POLL_SECONDS, return_when=futures.FIRST_COMPLETED
            )
            if done:
                return min(done, key=pending.__getitem__)  # lowest index first among ties
            lifeline.checkpoint()

    def close(self) -> None:
        """Stop the worker processes, cancelling queued tasks."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None and not issubclass(exc_type, Exception):
            # Interrupted (Ctrl-C, SIGTERM): end the workers now rather than let them
            # finish their tasks, whose results nobody would store. The interruption may
            # have left the executor's queues half-updated, so do not wait on them: stop
            # the executor without waiting and reap the terminated workers directly.
            procs = list((getattr(self._pool, "_processes", None) or {}).values())
            for proc in procs:
                proc.kill()  # workers ignore SIGTERM (see sim.experiments.lifeline)
            self._pool.shutdown(wait=False, cancel_futures=True)
            for proc in procs:
                proc.join(timeout=5)
            return
        self.close()


class DaskBackend(_WindowedBackend):
    """Tasks run on a Dask distributed cluster."""

    def __init__(self, address: str, *, timeout: float | None = None) -> None:
        """Connect to the scheduler at ``address`` (e.g. ``tcp://10.0.0.5:8786``).

        Args:
            address: The scheduler's address.
            timeout: Seconds to wait for it and a first worker (default
                :data:`CONNECT_TIMEOUT`).

        Raises:
            BackendError: If the scheduler cannot be reached, does not answer, or has no
                workers (names ``scheduler``).
        """
        from distributed import Client

        timeout = CONNECT_TIMEOUT if timeout is None else timeout
        self.address = address
        box: dict[str, Any] = {}

        def connect() -> None:
            try:
                box["client"] = Client(address, timeout=timeout, set_as_default=False)
            except BaseException as exc:  # reported in the calling thread
                box["error"] = exc

        # A server that accepts the connection but never answers (an HTTP dashboard, say)
        # would block Client() for ever: wait for it in a thread, with a deadline.
        thread = threading.Thread(target=connect, daemon=True, name="dask-connect")
        thread.start()
        thread.join(timeout + HANDSHAKE_GRACE)
        if thread.is_alive():
            raise BackendError(
                address,
                f"expected a Dask scheduler; the server there did not "
                f"answer within {timeout + HANDSHAKE_GRACE:g} s (give the scheduler's port, "
                "e.g. tcp://host:8786, not its dashboard's)",
            )
        error = box.get("error")
        if isinstance(error, OSError | TimeoutError | ValueError):
            raise BackendError(
                address,
                f"expected a reachable Dask scheduler (e.g. "
                f"tcp://host:8786); could not connect: {str(error).splitlines()[0]}",
            ) from None
        if error is not None:
            raise error
        self._client = box["client"]
        try:
            self._client.wait_for_workers(1, timeout=timeout)
        except (TimeoutError, OSError):
            self._client.close()
            raise BackendError(
                address, f"expected at least one worker; none joined in {timeout:g} s"
            ) from None
        info = self._client.scheduler_info(n_workers=-1)["workers"]
        self.workers = max(1, sum(int(w.get("nthreads", 1)) for w in info.values()))
        self.name = f"dask({address}, {self.workers} threads)"
        self._as_completed: Any = None

    def _submit(self, fn: Callable[[T], R], item: T) -> Any:
        from distributed import as_completed

        future = self._client.submit(fn, item, pure=False)
        if self._as_completed is None:
            self._as_completed = as_completed([future], loop=self._client.loop)
        else:
            self._as_completed.add(future)
        return future

    def _lost(self) -> BackendError:
        return BackendError(
            self.address,
            "lost the connection to the Dask scheduler; finished "
            "runs are kept: run the same command again once the scheduler is back",
        )

    def _wait_one(self, pending: dict[Any, int]) -> Any:
        try:
            return next(self._as_completed)
        except (futures.CancelledError, OSError) as exc:
            raise self._lost() from exc

    def _result(self, future: Any) -> Any:
        try:
            result = future.result()
        except (futures.CancelledError, OSError) as exc:
            raise self._lost() from exc
        future.release()
        return result

    def imap_unordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[tuple[int, R]]:
        """Apply ``fn`` to items on the cluster (see :meth:`Backend.imap_unordered`)."""
        self._as_completed = None
        yield from super().imap_unordered(fn, items)

    def close(self) -> None:
        """Disconnect from the scheduler (the cluster keeps running)."""
        self._client.close()


def make_backend(
    workers: int | None = None, scheduler: str | None = None, *, tasks: int | None = None
) -> Backend:
    """Build the backend a batch runs on.

    Args:
        workers: Local worker processes (default: every available core); ``1`` runs
            in this process. Ignored when ``scheduler`` is given.
        scheduler: Address of a Dask scheduler (``tcp://host:port``); when given,
            tasks run on that cluster's workers.
        tasks: At most this many tasks will run (e.g. a batch's number of runs), when
            known: no more local workers start than that, and a single task runs in this
            process (a worker would only add its start-up; results do not depend on the
            number of workers).

    Returns:
        The backend; use it as a context manager or call ``close()``.

    Raises:
        ArgumentError: If ``workers`` is below 1 or the scheduler cannot be reached
            (names the argument).
    """
    if scheduler is not None:
        return DaskBackend(scheduler)
    if workers is not None and workers < 1:
        raise ArgumentError("workers", f": expected a whole number of at least 1, got {workers}")
    n = workers or available_cores()
    if tasks is not None:
        n = max(1, min(n, tasks))
    return SerialBackend() if n == 1 else ProcessBackend(n)
