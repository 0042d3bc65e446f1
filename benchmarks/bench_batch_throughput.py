"""Batch throughput: runs per second with two local workers against one.

Times :func:`sim.experiments.batch.execute` (pool start-up, runs, streaming the
outputs into a fresh store) on the same batch with ``--workers 1`` (in process) and
``--workers 2`` (process pool). The target is a speed-up of at least 1.8.

Usage: ``python benchmarks/bench_batch_throughput.py [--runs 120] [--end 2025] [--repeats 2]``
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from sim.core.params import resolve
from sim.experiments.backends import available_cores, make_backend
from sim.experiments.batch import execute
from sim.experiments.runs import RunSpec
from sim.experiments.seeds import replicate_seed


def timed(specs: list[RunSpec], workers: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        with make_backend(workers) as backend:
            execute(specs, Path(tmp) / "batch", backend=backend, progress=False)
        return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=120)
    parser.add_argument("--end", type=int, default=2025, help="last simulated year")
    parser.add_argument("--repeats", type=int, default=2, help="best of this many timings")
    args = parser.parse_args()
    params = resolve({})
    specs = [
        RunSpec("bench", k, replicate_seed(2, k), params, 2016, args.end) for k in range(args.runs)
    ]
    best = {}
    for _ in range(args.repeats):
        for workers in (1, 2):  # alternate, so machine load affects both alike
            t = timed(specs, workers)
            best[workers] = min(best.get(workers, t), t)
    for workers, t in best.items():
        print(f"workers={workers}: {args.runs} runs in {t:.1f} s = {args.runs / t:.2f} runs/s")
    print(f"speed-up with 2 workers: {best[1] / best[2]:.2f}x (target >= 1.8x)")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"cores available: {available_cores()}; load average at the end: {load}")


if __name__ == "__main__":
    main()
