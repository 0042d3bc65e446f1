"""Worker processes that end with the process that started them, however it ends.

A local pool's workers (and the fork server that forks them) must not outlive the batch
when its main process is killed, even by ``SIGKILL`` of its PID alone, which runs no
clean-up code. Two mechanisms that need nothing from the dying parent:

* on Linux, ``prctl(PR_SET_PDEATHSIG, SIGKILL)``: the kernel kills the process when its
  parent ends (the fork server is tied to the main process, each worker to the fork
  server, or to the main process when started with ``spawn``);
* everywhere, a daemon thread that polls the main process's PID and exits the worker once
  that process is gone.

With the pool's processes gone, the resource tracker sees its pipe close and exits too.

``SIGTERM`` sent to the whole process group (by ``timeout``, a cluster's job cancel or a
service manager) reaches the workers and the fork server as well as the main process.
They ignore it (:func:`ignore_sigterm`): their lives are tied to the main process, which
ends them itself (with ``SIGKILL``) once it has recorded the interruption, so a batch
ends the same way whether the signal went to its main process or to its group.

The main process, asked to end by ``SIGTERM`` while a batch runs, must stop cleanly: a
signal handler that raised at once could interrupt the executor half-way through taking
its futures' locks, and the executor's thread would then wait on those locks for ever
(and the interpreter on that thread at exit). :func:`sigterm_checkpoints` therefore only
records the request; the batch loop raises :class:`Terminated` at its next
:func:`checkpoint`, where no lock is held.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

#: Seconds between two checks of the main process by the watchdog thread.
POLL_SECONDS = 0.5
_PR_SET_PDEATHSIG = 1
#: Set when SIGTERM arrives during a batch (see :func:`sigterm_checkpoints`).
_TERMINATE = threading.Event()


class Terminated(KeyboardInterrupt):
    """SIGTERM received while a batch ran, raised at a checkpoint (an interruption)."""


def checkpoint() -> None:
    """Raise :class:`Terminated` if SIGTERM arrived since the batch started."""
    if _TERMINATE.is_set():
        _TERMINATE.clear()  # raised once
        raise Terminated


@contextlib.contextmanager
def sigterm_checkpoints() -> Iterator[None]:
    """Record SIGTERM while the block runs, for :func:`checkpoint` (main thread only).

    A request not yet raised at a checkpoint is raised when the block ends.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        _TERMINATE.set()

    _TERMINATE.clear()
    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        requested = _TERMINATE.is_set()
        _TERMINATE.clear()
    if requested:  # arrived after the last checkpoint: the caller still stops
        raise Terminated


def ignore_sigterm() -> None:
    """Ignore SIGTERM in this process (a worker or the fork server; see above)."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


@contextlib.contextmanager
def sigterm_raises() -> Iterator[None]:
    """Raise :class:`Terminated` on SIGTERM while the block runs (main thread only).

    A batch inside the block records the signal instead, until its next checkpoint
    (:func:`sigterm_checkpoints` sets its own handler for the batch's duration).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent ends (Linux; else no-op)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else (cannot happen for our parent)
        return True
    return True


def _watch(pid: int) -> None:
    while _alive(pid):
        time.sleep(POLL_SECONDS)
    os._exit(1)


def init_worker(main_pid: int) -> None:
    """Pool initializer: tie this worker's life to the main process ``main_pid``.

    Also moves the imported modules' objects out of the garbage collector's reach
    (``gc.freeze``): collections then scan only a run's objects, and do not copy the
    pages the worker shares with the process it was forked from.
    """
    gc.freeze()
    ignore_sigterm()
    die_with_parent()
    if not _alive(main_pid):
        os._exit(1)
    threading.Thread(target=_watch, args=(main_pid,), daemon=True, name="lifeline").start()
