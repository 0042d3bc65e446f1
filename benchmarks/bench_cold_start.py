"""Cold start: import, the kernel's first compile, a worker's first run, a 1-run batch.

Each figure is the median wall time of fresh Python processes:

* ``import``: ``import sim.core.run`` (the model, numba and the kernel's module);
* ``first compile``: the first quarter's work, i.e. one year's run, with an empty kernel
  cache (numba compiles every kernel and writes the cache), in a temporary
  ``NUMBA_CACHE_DIR``;
* ``cached first run``: the same in a new process that loads that cache (what a new
  worker process does before its first run);
* ``1-run batch``: ``zonesim run baseline --reps 1`` (2016-2035) with ``--workers 1``
  (in process) and ``--workers 2`` (a worker process started for the run), with the
  kernel cache as it is (warm after ``make setup``).

``--code DIR`` (repeatable) times other copies of the source tree too (e.g. an older
commit unpacked with ``git archive``); the trees are timed in turn within each repeat,
so machine load affects them alike. Kernel figures are skipped for a tree without one.

Usage: ``python benchmarks/bench_cold_start.py [--repeats 5] [--code DIR ...]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN_A_YEAR = "from sim.core.run import simulate; simulate(seed=0, end=2016)"


def _timed(args: list[str], env: dict[str, str], cwd: Path) -> float:
    t = time.perf_counter()
    subprocess.run(args, env=env, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - t


def _measure(code: Path, cache: str) -> dict[str, float]:
    """One repeat of every figure for the tree ``code``."""
    py, env = sys.executable, {**os.environ, "PYTHONPATH": str(code)}
    out = {"import sim.core.run": _timed([py, "-c", "import sim.core.run"], env, code)}
    core = code / "sim" / "core"
    if (core / "firms" / "kernel").is_dir() or (core / "kernel.py").exists():  # a compiled kernel
        with tempfile.TemporaryDirectory() as empty:
            cold = {**env, "NUMBA_CACHE_DIR": empty}
            out["first compile + one year"] = _timed([py, "-c", RUN_A_YEAR], cold, code)
        warm = {**env, "NUMBA_CACHE_DIR": cache}
        _timed([py, "-c", RUN_A_YEAR], warm, code)  # fills the cache
        out["cached first run (one year)"] = _timed([py, "-c", RUN_A_YEAR], warm, code)
    else:
        out["cached first run (one year)"] = _timed([py, "-c", RUN_A_YEAR], env, code)
    scenario = str(code / "scenarios" / "baseline.toml")
    for workers in (1, 2):
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [py, "-m", "sim.cli", "run", scenario, "--reps", "1", "--workers",
                   str(workers), "--out", str(Path(tmp) / "b"), "--quiet"]  # fmt: skip
            out[f"1-run batch, --workers {workers}"] = _timed(cmd, env, code)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--code", type=Path, action="append", default=[], help="another tree")
    args = parser.parse_args()
    trees = [ROOT, *(c.resolve() for c in args.code)]
    times: dict[Path, dict[str, list[float]]] = {t: defaultdict(list) for t in trees}
    with tempfile.TemporaryDirectory() as cache:
        for _ in range(args.repeats):
            for tree in trees:
                for label, t in _measure(tree, cache).items():
                    times[tree][label].append(t)
    for tree in trees:
        print(f"code: {tree}")
        for label, ts in times[tree].items():
            print(
                f"  {label}: median {statistics.median(ts):.2f} s "
                f"(min {min(ts):.2f}, max {max(ts):.2f})"
            )


if __name__ == "__main__":
    main()
