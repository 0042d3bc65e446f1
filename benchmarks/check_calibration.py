"""Check the model's current defaults against the end-2018 targets on fresh seeds.

Runs the model with its defaults (``sim/core/data/calibrated.toml`` over the priors) on
20 seeds that the calibration never used (the validation branch of the master seed),
prints each target beside the mean simulated value, then the fitting distance on the
calibration's common seeds (comparable with the distance in ``calibration/best_fit.toml``)
and each calibrated default's distance from the nearer bound of its prior range. Exits
with status 1 if any target is outside its tolerance (firms ±2 %, statistics-zone GDP
±3 %, growth and gap ±0.5 points, structural figures as in the targets file) or a
calibrated default lies within the targets file's ``edge`` share of its range from a
bound that is not physical. With ``--predictive N`` it also runs ``N`` draws of the
calibration posterior on the calibration's posterior-predictive seeds and prints each
pattern's 5-95 % range (comparable with ``calibration/predictive.csv``).

Usage::

    python benchmarks/check_calibration.py [--targets FILE] [--seeds N] [--workers W]
        [--predictive N [--posterior FILE]]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

from sim.analysis import calibration as cal
from sim.analysis.calibration.pipeline import CRN
from sim.core.params import REGISTRY
from sim.experiments.backends import make_backend
from sim.experiments.posterior import posterior_draws
from sim.experiments.runs import model_version
from sim.experiments.seeds import PREDICTIVE, branch_seed

MASTER_SEED = 20181231


def bound_table(targets: cal.Targets) -> tuple[list[str], bool]:
    """Lines giving each calibrated default's distance from its nearer bound, and a verdict.

    Returns:
        The lines and whether every default keeps ``targets.edge`` of its range from each
        bound that is not physical.
    """
    names = [n for n, p in REGISTRY.items() if p.prior is not None]
    fitted = targets.with_parameters(names)
    theta = np.array([REGISTRY[n].default for n in names])
    lo, hi = fitted.bounds.T
    share = (theta - lo) / (hi - lo)
    near = fitted.near_edges(theta)[0]
    lines = [f"{'parameter':<24}{'default':>11}{'range':>22}  from lower  from upper  physical"]
    for i, n in enumerate(names):
        phys = ", ".join(targets.physical.get(n, {})) or "-"
        lines.append(
            f"{n:<24}{theta[i]:>11.4g}{f'{lo[i]:g}-{hi[i]:g}':>22}  {share[i]:>9.1%}"
            f"  {1 - share[i]:>9.1%}  {phys}{'  NEAR A BOUND' if near[i] else ''}"
        )
    return lines, not near.any()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=Path, default=cal.DEFAULT_TARGETS)
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--seed", type=int, default=MASTER_SEED, help="master seed")
    parser.add_argument("--predictive", type=int, default=0, help="posterior draws (0: none)")
    parser.add_argument("--posterior", type=Path, default=cal.DEFAULT_POSTERIOR)
    args = parser.parse_args(argv)
    targets = cal.load_targets(args.targets)
    seeds = cal.validation_seeds(args.seed, args.seeds)
    common = cal.crn_seeds(args.seed, CRN)
    if set(cal.crn_seeds(args.seed, 10)) & set(seeds):
        raise SystemExit("validation seeds overlap the calibration's common seeds")
    with tempfile.TemporaryDirectory() as tmp, make_backend(args.workers) as backend:
        sims = cal.simulate_targets(
            targets, [None] * len(seeds), seeds, backend=backend, folder=Path(tmp) / "check"
        )
        on_common = cal.simulate_targets(
            targets, [None] * len(common), common, backend=backend, folder=Path(tmp) / "crn"
        )
        predictive = None
        if args.predictive > 0:
            draws = posterior_draws(
                args.posterior, args.predictive, branch_seed(args.seed, PREDICTIVE)
            )
            predictive = cal.simulate_targets(
                targets,
                draws,
                [branch_seed(args.seed, PREDICTIVE, k) for k in range(len(draws))],
                backend=backend,
                folder=Path(tmp) / "predictive",
            )
    table = cal.validation_table(targets, sims)
    print(f"model {model_version()}")
    print(f"defaults vs end-{targets.year} targets: mean of {len(seeds)} unused seeds")
    print(cal.format_table(table))
    moments = on_common[[t.name for t in targets.fitted]].to_numpy().mean(axis=0)
    print(f"distance on the calibration's {len(common)} common seeds: "
          f"{float(cal.distance(targets, moments)):.4f}")  # fmt: skip
    if predictive is not None:
        print(f"posterior predictive: {len(predictive)} draws of {args.posterior}")
        print(cal.format_table(cal.validation_table(targets, predictive)))
    lines, clear = bound_table(targets)
    print(f"calibrated defaults and their prior ranges (edge {targets.edge:.0%}):")
    print("\n".join(lines))
    failed = table[~table["within"]]
    if len(failed):
        print(f"FAIL: {', '.join(failed['target'])} outside tolerance")
    if not clear:
        print(f"FAIL: a calibrated default within {targets.edge:.0%} of a non-physical bound")
    if len(failed) or not clear:
        return 1
    print("PASS: every target within tolerance; every calibrated default clear of its bounds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
