"""Measure the emulator's saving: runs to reach each ABC tolerance with and without it.

Real-model runs are counted. With history matching, the calibration's own record is used
(``generations.csv`` of a finished ``zonesim calibrate`` in ``--out``; its history-
matching runs are counted on top). Without it, the same ABC-SMC (same targets,
calibrated parameters, population, seed and kernel) is run again with the whole prior
box as its prior, through the same batch layer, until it reaches the target tolerance or
has spent ``--factor`` times the runs the calibration spent in all. The table gives, for
every tolerance the calibration's ABC passed, the real-model runs each way; the saving
is their ratio (a lower bound where the run without history matching stopped first).
Resumable like the calibration (each generation is stored in
``work/saving/abc_prior_box``; history matching is re-run there once, the model version
having changed with the calibrated defaults it wrote).

Usage::

    python benchmarks/calibration_saving.py [--out calibration] [--workers 2] [--factor 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

from sim.analysis import calibration as cal
from sim.cli.calibrate_cmd import DEFAULT_BUDGET
from sim.experiments.backends import make_backend


def runs_to(generations: pd.DataFrame, epsilon: float) -> int | None:
    """Points simulated until the first generation at or below ``epsilon`` (None: never)."""
    hit = generations[generations["epsilon"] <= epsilon + 1e-12]
    return None if hit.empty else int(hit["runs"].iloc[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=cal.DEFAULT_OUT)
    parser.add_argument("--budget", type=int, default=DEFAULT_BUDGET)
    parser.add_argument("--seed", type=int, default=20181231)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--factor", type=float, default=3.0)
    args = parser.parse_args(argv)
    targets = cal.load_targets()
    plan = cal.plan_budget(args.budget, len(targets.parameters), targets.runs_per_point)
    with_hm = cal.read_table(args.out, "generations.csv")
    rpp = plan.runs_per_point
    with make_backend(args.workers) as backend:
        # Its own work folder: the calibration's runs belong to the model version before
        # --write-defaults; history matching starts from the priors, so it is the same here.
        work = args.out / "work" / "saving"
        evaluator = cal.Evaluator(targets, backend, work, progress=False)
        history = cal.history_stage(targets, evaluator, plan, seed=args.seed, progress=False)
        hm_runs = history.runs
        spent = hm_runs + int(with_hm["runs"].iloc[-1]) * rpp
        t0 = time.perf_counter()
        without = cal.abc_smc(
            history.targets, evaluator.for_targets(history.targets), seed=args.seed,
            population=plan.population, max_generations=plan.max_generations,
            max_runs=int(args.factor * spent / rpp), store=work / "abc_prior_box",
            progress=True,
        )  # fmt: skip
        minutes = (time.perf_counter() - t0) / 60
    g = without.generations
    shares = ", ".join(f"{w.nroy:.4f}" for w in history.waves)
    print(f"history matching: {hm_runs} runs, NROY shares {shares} (as in waves.csv); runs per "
          f"point {rpp}; population {plan.population}")  # fmt: skip
    print(
        f"ABC without history matching: {len(g) - 1} generations, {int(g['runs'].iloc[-1])} "
        f"points, final tolerance {g['epsilon'].iloc[-1]:.3f} ({minutes:.1f} min this call)"
    )
    print("| tolerance | runs with history matching (its own included) | runs without | saving |")
    print("|---|---|---|---|")
    for eps in with_hm["epsilon"]:
        a = runs_to(with_hm, eps)
        b = runs_to(g, eps)
        a_runs = hm_runs + a * rpp
        if b is None:
            b_runs = int(g["runs"].iloc[-1]) * rpp
            print(f"| {eps:.3f} | {a_runs:,} | more than {b_runs:,} | more than "
                  f"{b_runs / a_runs:.1f}× |")  # fmt: skip
        else:
            print(f"| {eps:.3f} | {a_runs:,} | {b * rpp:,} | {b * rpp / a_runs:.1f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
