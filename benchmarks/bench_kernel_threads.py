"""Would a second core speed up one run? The firm kernel split over two threads.

The firm kernel (:func:`sim.core.firms.kernel.firm_dynamics`) releases the GIL, and its
per-firm work is independent, so one quarter can be split into two halves of the firms
run on two threads (each half with its own scratch arrays and census counts, the sums
added afterwards). The model does not do this; this benchmark measures what it would
gain, on this machine:

1. on one captured quarter (the firms and arguments of a run's first quarter of
   ``--year``): the whole quarter on one thread, its two halves one after the other, and
   the two halves on two threads at once (a thread pool started beforehand, so no thread
   is created in the timing);
2. in full 2016-2035 runs: the firm kernel's time per run and the run's time, with the
   kernel as the model calls it and split over two threads.

The split is a sketch for timing: its sums are added in another order than the
kernel's, so its results differ from the model's in the last bits.

Usage: ``python benchmarks/bench_kernel_threads.py [--repeats 200] [--runs 9] [--year 2021]``
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from sim.core.firms import kernel
from sim.core.run import simulate

#: The model's kernel, as ``sim.core.firms.dynamics`` calls it (through ``kernel``).
SERIAL = kernel.firm_dynamics


def _halves(pool: ThreadPoolExecutor | None, spaces: tuple[kernel.Workspace, ...]) -> Callable:
    """``firm_dynamics`` on two halves of the firms: on ``pool``'s thread and this one.

    With ``pool`` ``None`` the halves run one after the other on this thread.
    """

    def split(*args: Any) -> Any:
        (zone, size, log_size, level, birth, firm_id, target, hazard0, q, _, sector, land,
         counts) = args  # fmt: skip
        n = len(size)
        h = n // 2

        def half(lo: int, hi: int, space: kernel.Workspace, c: np.ndarray) -> Any:
            s = slice(lo, hi)
            return SERIAL(
                zone[s], size[s], log_size[s], level[s], birth[s], firm_id[s], target,
                hazard0, q, space, sector[s], land[s], c,
            )  # fmt: skip

        other = np.zeros_like(counts)
        late = pool.submit(half, h, n, spaces[1], other) if pool else None
        a = half(0, h, spaces[0], counts)
        b = late.result() if late else half(h, n, spaces[1], other)
        counts += other
        dead = np.concatenate([a[0], b[0] + h])
        return dead, a[1] + b[1], a[2] + b[2], a[3] + b[3], (a[4][0] + b[4][0], counts)

    return split


def _capture(year: int) -> tuple[Any, ...]:
    """The arguments of the kernel's call in the first quarter of ``year`` (seed 1)."""
    wanted, calls, captured = (year - 2016) * 4, [0], []

    def recording(*args: Any) -> Any:
        if calls[0] == wanted:  # copies: the kernel writes its arguments
            captured.extend(a.copy() if isinstance(a, np.ndarray) else a for a in args)
        calls[0] += 1
        return SERIAL(*args)

    kernel.firm_dynamics = recording
    try:
        simulate(seed=1, end=year)
    finally:
        kernel.firm_dynamics = SERIAL
    return tuple(captured)


def _median_us(fn: Callable[..., Any], args: tuple[Any, ...], repeats: int) -> float:
    """Median microseconds of ``fn`` on fresh copies of ``args`` (the kernel writes them)."""
    times = []
    for _ in range(repeats):
        fresh = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
        t = time.perf_counter()
        fn(*fresh)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e6


def _runs(impl: Callable[..., Any], runs: int) -> tuple[float, float]:
    """Median ms per run of the kernel and of the whole run, with ``impl`` as the kernel."""
    spent = [0.0]

    def timed(*args: Any) -> Any:
        t = time.perf_counter()
        try:
            return impl(*args)
        finally:
            spent[0] += time.perf_counter() - t

    kernel.firm_dynamics = timed
    in_kernel, total = [], []
    try:
        for k in range(runs):
            spent[0] = 0.0
            t = time.perf_counter()
            simulate(seed=k, end=2035)
            total.append(time.perf_counter() - t)
            in_kernel.append(spent[0])
    finally:
        kernel.firm_dynamics = SERIAL
    return statistics.median(in_kernel) * 1e3, statistics.median(total) * 1e3


def main() -> None:
    """Print the quarter's and the runs' timings, serial and split."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--year", type=int, default=2021)
    args = parser.parse_args()
    spaces = (kernel.Workspace(), kernel.Workspace())
    with ThreadPoolExecutor(1) as pool:
        pool.submit(int).result()  # the thread exists before the timing
        threaded = _halves(pool, spaces)
        quarter = _capture(args.year)
        n = len(quarter[1])
        print(f"one quarter of {args.year}, {n:,} firms, median of {args.repeats}:")
        timings = {
            "one thread": _median_us(SERIAL, quarter, args.repeats),
            "two halves, one after the other": _median_us(
                _halves(None, spaces), quarter, args.repeats
            ),
            "two halves on two threads": _median_us(threaded, quarter, args.repeats),
        }
        for label, us in timings.items():
            speedup = timings["one thread"] / us
            print(f"  {label:<34} {us:8.1f} us ({us / n * 1000:.1f} ns per firm; x{speedup:.2f})")
        print(f"full runs 2016-2035, median of {args.runs}:")
        for _ in range(2):  # alternately, so machine load affects both alike
            for label, impl in (("one thread", SERIAL), ("two threads", threaded)):
                k_ms, run_ms = _runs(impl, args.runs)
                print(f"  kernel {label:<12} {k_ms:6.1f} ms per run; run {run_ms:6.1f} ms")


if __name__ == "__main__":
    main()
