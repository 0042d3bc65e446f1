"""Time a full calibration (history matching + ABC-SMC + best fit + validation + report).

Usage::

    python benchmarks/bench_calibration.py [--budget N] [--workers W] [--out DIR]

Without ``--out`` the calibration runs in a temporary folder (from scratch, nothing
reused); the default budget is the command's default. Prints the wall time and the
throughput.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from sim.analysis import calibration as cal
from sim.cli.calibrate_cmd import DEFAULT_BUDGET, DEFAULT_SEED
from sim.experiments.backends import make_backend


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=int, default=DEFAULT_BUDGET)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    targets = cal.load_targets()
    plan = cal.plan_budget(args.budget, len(targets.parameters), targets.runs_per_point)
    with tempfile.TemporaryDirectory() as tmp, make_backend(args.workers) as backend:
        out = args.out or Path(tmp) / "calibration"
        t0 = time.perf_counter()
        result = cal.calibrate(
            targets, backend=backend, out=out, seed=args.seed, plan=plan, progress=False
        )
        elapsed = time.perf_counter() - t0
        total = sum(st.runs for st in result.stages)
        print(
            f"calibration: budget {args.budget}, {total} runs on {backend.name}: "
            f"{elapsed / 60:.1f} min ({total / elapsed:.1f} runs/s); best distance "
            f"{result.best.distance:.3f}; final ABC tolerance "
            f"{result.abc.generations['epsilon'].iloc[-1]:.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
