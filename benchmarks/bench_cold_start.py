"""Cold start: import, the kernel's first compile, a worker's first run, a 1-run batch.

Each figure is the median wall time of fresh Python processes:

* ``import``: ``import sim.core.run`` (the model, numba and the cached kernel's module);
* ``first compile``: a one-year run with an empty kernel cache (numba compiles and
  writes the cache), in a temporary ``NUMBA_CACHE_DIR``;
* ``cached first run``: the same run in a new process that loads that cache;
* ``1-run batch``: ``zonesim run baseline --reps 1`` (2016-2035) with ``--workers 1``
  (in process) and ``--workers 2`` (a worker process started for the run), with the
  kernel cache as it is (the project's own, warm after any earlier run).

``--code DIR`` times another copy of the source tree instead (e.g. an older commit
unpacked with ``git archive``), for before/after comparisons on the same machine;
the kernel figures are skipped if that tree has no kernel.

Usage: ``python benchmarks/bench_cold_start.py [--repeats 5] [--code DIR]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _timed(args: list[str], env: dict[str, str], cwd: Path) -> float:
    t = time.perf_counter()
    subprocess.run(args, env=env, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - t


def _median(fn, repeats: int) -> str:
    ts = [fn() for _ in range(repeats)]
    return f"median {statistics.median(ts):.2f} s (min {min(ts):.2f}, max {max(ts):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--code", type=Path, default=ROOT, help="source tree to time")
    args = parser.parse_args()
    code = args.code.resolve()
    env = {**os.environ, "PYTHONPATH": str(code)}
    py = sys.executable
    has_kernel = (code / "sim" / "core" / "kernel.py").exists()
    print(f"code: {code}")
    print(
        "import sim.core.run:",
        _median(lambda: _timed([py, "-c", "import sim.core.run"], env, code), args.repeats),
    )
    run_year = "from sim.core.run import simulate; simulate(seed=0, end=2016)"
    if has_kernel:

        def first_compile() -> float:
            with tempfile.TemporaryDirectory() as cache:
                return _timed([py, "-c", run_year], {**env, "NUMBA_CACHE_DIR": cache}, code)

        print(
            "first compile (empty cache) + one year:",
            _median(first_compile, max(args.repeats // 2, 1)),
        )
        with tempfile.TemporaryDirectory() as cache:
            cached = {**env, "NUMBA_CACHE_DIR": cache}
            _timed([py, "-c", run_year], cached, code)  # fills the cache
            print(
                "cached first run (one year):",
                _median(lambda: _timed([py, "-c", run_year], cached, code), args.repeats),
            )
    else:
        print(
            "cached first run (one year):",
            _median(lambda: _timed([py, "-c", run_year], env, code), args.repeats),
        )
    scenario = str(code / "scenarios" / "baseline.toml")
    for workers in (1, 2):

        def batch(workers: int = workers) -> float:
            with tempfile.TemporaryDirectory() as out:
                cmd = [py, "-m", "sim.cli", "run", scenario, "--reps", "1", "--workers",
                       str(workers), "--out", str(Path(out) / "b"), "--quiet"]  # fmt: skip
                return _timed(cmd, env, code)

        print(f"1-run batch, --workers {workers}:", _median(batch, args.repeats))


if __name__ == "__main__":
    main()
