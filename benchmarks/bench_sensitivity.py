"""Time the sensitivity analyses the project promises to run routinely.

Two targets, on the machine at hand:

* ``morris``: Morris screening with 20 trajectories over every varied registry
  parameter (2016-2035, the default outputs): at most 3 minutes.
* ``sobol``: Sobol first and total order over 12 parameters (the twelve
  management-mode effects on approval, attraction, services and overhead, the least
  supported assumptions) with N = 1024: at most 30 minutes. By default the run time is
  *estimated*: a slice of the real design runs through the same batch path and
  the full count of runs is divided by the measured throughput. ``--full`` runs it.

Each target runs in a fresh temporary folder (no resumption), with every local core
unless ``--workers`` says otherwise, and prints one line per measurement.

Usage::

    python benchmarks/bench_sensitivity.py morris [--trajectories 20] [--workers W] [--keep DIR]
    python benchmarks/bench_sensitivity.py sobol [--probe-rows 112] [--full] [--workers W]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from sim.analysis.sensitivity import (
    DEFAULT_OUTPUTS,
    ModelEvaluator,
    build_problem,
    make_design,
    parse_outputs,
    run_sensitivity,
)
from sim.experiments.backends import make_backend

MORRIS_LIMIT_S = 180.0
SOBOL_LIMIT_S = 1800.0

#: The twelve management-mode effects (the model's least-supported assumptions).
SOBOL_PARAMS = (
    "sanheyi_approval", "quzheng_approval", "corporate_approval",
    "sanheyi_attraction", "quzheng_attraction", "corporate_attraction",
    "sanheyi_services", "quzheng_services", "corporate_services",
    "sanheyi_capital", "quzheng_capital", "corporate_capital",
)  # fmt: skip


def bench_morris(trajectories: int, workers: int | None, seed: int, keep: Path | None) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        out = keep if keep is not None else Path(tmp) / "morris"
        if (out / "runs").exists():
            sys.exit(f"--keep {out}: expected a new folder (finished runs would be skipped)")
        t0 = time.perf_counter()
        result, _ = run_sensitivity("morris", n=trajectories, workers=workers, seed=seed, out=out)
        elapsed = time.perf_counter() - t0
    m = result.meta
    ok = elapsed <= MORRIS_LIMIT_S
    print(
        f"morris: r={trajectories}, {len(m['parameters'])} parameters, {m['runs']} runs, "
        f"backend {m['backend']}: {elapsed:.1f} s ({elapsed / m['runs']:.3f} s/run wall); "
        f"limit {MORRIS_LIMIT_S:.0f} s: {'PASS' if ok else 'FAIL'}"
    )
    print(
        f"morris: {len(result.influential())} influential indices, "
        f"{len(result.not_converged())} not converged"
    )
    return ok


def bench_sobol(n: int, probe_rows: int, workers: int | None, seed: int, full: bool) -> bool:
    names = list(SOBOL_PARAMS)
    if full:
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            result, _ = run_sensitivity(
                "sobol", params=names, n=n, workers=workers, seed=seed, out=Path(tmp) / "sobol"
            )
            elapsed = time.perf_counter() - t0
        runs = result.meta["runs"]
        label = "measured"
        print(
            f"sobol: {len(result.influential())} influential indices, "
            f"{len(result.not_converged())} not converged"
        )
    else:
        problem = build_problem(names)
        design = make_design("sobol", problem, n, seed=seed)
        runs = len(design.X) + 8 * 4  # design plus the default noise probe
        rows = min(probe_rows, len(design.X) // 2)
        with tempfile.TemporaryDirectory() as tmp, make_backend(workers) as backend:
            evaluator = ModelEvaluator(
                problem,
                parse_outputs(DEFAULT_OUTPUTS),
                Path(tmp) / "runs",
                backend=backend,
                seed=seed,
                progress=False,
            )
            warm = 2 * backend.workers  # start the workers before timing
            evaluator(design.X[:warm], range(warm), [0])
            t0 = time.perf_counter()
            evaluator(design.X[warm : warm + rows], range(warm, warm + rows), [0])
            measured = time.perf_counter() - t0
        elapsed = runs * measured / rows
        label = f"estimated from {rows} runs in {measured:.1f} s"
    ok = elapsed <= SOBOL_LIMIT_S
    print(
        f"sobol: N={n}, {len(names)} parameters, {runs} runs: {elapsed / 60:.1f} min "
        f"({label}; {elapsed / runs:.3f} s/run wall); limit {SOBOL_LIMIT_S / 60:.0f} min: "
        f"{'PASS' if ok else 'FAIL'}"
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", choices=("morris", "sobol"))
    parser.add_argument("--trajectories", type=int, default=20)
    parser.add_argument("-N", type=int, default=1024)
    parser.add_argument("--probe-rows", type=int, default=112, help="sobol rows timed (estimate)")
    parser.add_argument("--full", action="store_true", help="run the whole Sobol analysis")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="morris: keep the analysis in this new folder")
    args = parser.parse_args()
    if args.target == "morris":
        ok = bench_morris(args.trajectories, args.workers, args.seed, args.keep)
    else:
        ok = bench_sobol(args.N, args.probe_rows, args.workers, args.seed, args.full)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
