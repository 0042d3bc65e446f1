"""Peak memory of one run, and of batches: a batch's does not grow with its size.

First one full 2016-2035 run in a fresh process: its peak resident memory, and that
after the imports alone (the run's own share is the difference). Then a 100-run and a
1,000-run batch (short horizon, two local workers), each in a fresh process, sampling
the resident memory of that process and of every worker process under it. Prints the
peak of the parent, of the largest worker, and of all processes together. A flat store
keeps the 1,000-run peaks about those of 100 runs.

Usage: ``python benchmarks/bench_batch_memory.py [--runs 100 1000] [--end 2017] [--workers 2]``
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

MB = 1024 * 1024


class _Sampler(threading.Thread):
    """Samples the RSS of this process and its descendants every ``interval`` s."""

    def __init__(self, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.parent = 0
        self.worker = 0
        self.total = 0
        self._halt = threading.Event()

    def run(self) -> None:
        me = psutil.Process()
        while not self._halt.is_set():
            try:
                parent = me.memory_info().rss
                kids = []
                for p in me.children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        kids.append(p.memory_info().rss)
            except psutil.Error:
                continue
            self.parent = max(self.parent, parent)
            self.worker = max(self.worker, max(kids, default=0))
            self.total = max(self.total, parent + sum(kids))
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def _child(runs: int, end: int, workers: int) -> None:
    from sim.core.params import resolve
    from sim.experiments.backends import make_backend
    from sim.experiments.batch import execute
    from sim.experiments.runs import RunSpec
    from sim.experiments.seeds import replicate_seed

    params = resolve({})
    specs = [RunSpec("bench", k, replicate_seed(1, k), params, 2016, end) for k in range(runs)]
    sampler = _Sampler()
    sampler.start()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, make_backend(workers) as backend:
        execute(specs, Path(tmp) / "batch", backend=backend, progress=False)
    seconds = time.perf_counter() - t0
    sampler.stop()
    print(
        json.dumps(
            {
                "runs": runs,
                "seconds": round(seconds, 1),
                "parent_mb": round(sampler.parent / MB, 1),
                "largest_worker_mb": round(sampler.worker / MB, 1),
                "all_processes_mb": round(sampler.total / MB, 1),
            }
        )
    )


def _single() -> None:
    import resource

    from sim.core.run import simulate

    imported = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    simulate(seed=0, end=2035)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"imports_mb": round(imported / 1024, 1), "peak_mb": round(peak / 1024, 1)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--end", type=int, default=2017, help="last simulated year")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--single", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.runs[0], args.end, args.workers)
        return
    if args.single:
        _single()
        return
    out = subprocess.run([sys.executable, __file__, "--single"], capture_output=True, text=True)
    one = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"one run 2016-2035: peak {one['peak_mb']} MB, after the imports {one['imports_mb']} MB "
        f"(the run's own share {one['peak_mb'] - one['imports_mb']:.1f} MB)"
    )
    rows = []
    for n in args.runs:
        cmd = [sys.executable, __file__, "--child", "--runs", str(n), "--end", str(args.end),
               "--workers", str(args.workers)]  # fmt: skip
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"{'runs':>6} {'seconds':>8} {'parent MB':>10} {'worker MB':>10} {'all MB':>8}")
    for r in rows:
        print(
            f"{r['runs']:>6} {r['seconds']:>8} {r['parent_mb']:>10} "
            f"{r['largest_worker_mb']:>10} {r['all_processes_mb']:>8}"
        )
    if len(rows) > 1:
        ratio = rows[-1]["all_processes_mb"] / rows[0]["all_processes_mb"]
        print(f"peak of {rows[-1]['runs']} runs / peak of {rows[0]['runs']} runs: {ratio:.2f}")


if __name__ == "__main__":
    main()
