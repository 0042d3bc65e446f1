"""Estimate the emulator's saving: model runs with history matching versus without.

Reads a finished calibration (its targets, plan and stored waves in ``<out>/work``),
rebuilds the NROY space from the stored waves (no model runs), then draws ``--draws``
points from the prior box and ``--draws`` points from the NROY space, simulates each
once (with its lever variants, seeds from a branch the calibration never used) and
counts how many fall within the ABC's final tolerance. The expected runs to collect the
final population by rejection are ``population / acceptance * runs per point`` in each
space; with history matching the history-matching runs come on top. The ratio of the
two acceptance rates is the emulator's saving factor for the ABC stage (ABC-SMC's
sequential proposals save over rejection in both spaces alike).

Usage::

    python benchmarks/calibration_saving.py [--out calibration] [--draws 150] [--workers 2]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from sim.analysis import calibration as cal
from sim.cli.calibrate_cmd import DEFAULT_BUDGET, DEFAULT_SEED
from sim.experiments.backends import make_backend
from sim.experiments.seeds import branch_rng, branch_seed

#: Seed branch of this benchmark (apart from every calibration branch).
SAVING = 9


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=cal.DEFAULT_OUT)
    parser.add_argument("--budget", type=int, default=DEFAULT_BUDGET)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--draws", type=int, default=150)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    targets = cal.load_targets()
    plan = cal.plan_budget(args.budget, len(targets.parameters), targets.runs_per_point)
    gens = cal.read_table(args.out, "generations.csv")
    eps = float(gens["epsilon"].iloc[-1])
    work = args.out / "work"
    with make_backend(args.workers) as backend:
        evaluator = cal.Evaluator(targets, backend, work, progress=False)

        def evaluate(step: str, thetas: np.ndarray, seeds: np.ndarray, tg: cal.Targets):
            return evaluator.for_targets(tg)(step, thetas, seeds)

        history = cal.history_match(
            targets, evaluate, seed=args.seed, points=plan.waves, replicates=plan.replicates,
            store=work / "history", progress=False, runs_per_point=plan.runs_per_point,
        )  # fmt: skip
        tg = history.targets
        ev = evaluator.for_targets(tg)
        lo, hi = tg.bounds.T
        rng = branch_rng(args.seed, SAVING, 0)
        spaces = {
            "prior box": rng.random((args.draws, len(lo))),
            "NROY space": history.nroy.sample(branch_rng(args.seed, SAVING, 1), args.draws),
        }
        rates = {}
        for k, (name, x) in enumerate(spaces.items()):
            seeds = [[branch_seed(args.seed, SAVING, 2 + k, i)] for i in range(len(x))]
            m = ev(f"saving/{k}", lo + x * (hi - lo), np.array(seeds))[:, 0, :]
            d = cal.distance(tg, m)
            rates[name] = (int((d <= eps).sum()), len(x))
    runs_hm = history.runs
    rpp = plan.runs_per_point
    print(f"final ABC tolerance {eps:.3f}; population {plan.population}; {rpp} runs per point")
    for name, (hit, n) in rates.items():
        print(f"{name}: {hit} of {n} single runs within the tolerance")
    (hp, n_prior), (hn, n_nroy) = rates["prior box"], rates["NROY space"]
    p_prior = max(hp, 0.5) / n_prior  # half a hit when none: an optimistic bound for the prior
    p_nroy = max(hn, 0.5) / n_nroy
    without = plan.population / p_prior * rpp
    with_hm = runs_hm + plan.population / p_nroy * rpp
    bound = "at least " if hp == 0 else ""
    print(
        f"rejection runs to {plan.population} particles: without history matching "
        f"{bound}{without:,.0f}; with it {with_hm:,.0f} ({runs_hm} history-matching runs); "
        f"saving factor {bound}{without / with_hm:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
