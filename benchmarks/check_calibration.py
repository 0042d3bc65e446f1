"""Check the model's current defaults against the end-2018 targets on fresh seeds.

Runs the model with its defaults (``sim/core/data/calibrated.toml`` over the priors) on
20 seeds that the calibration never used (the validation branch of the master seed),
prints each target beside the mean simulated value, and exits with status 1 if any
target is outside its tolerance (firms ±2 %, statistics-zone GDP ±3 %, growth and gap
±0.5 points, structural figures as in the targets file).

Usage::

    python benchmarks/check_calibration.py [--targets FILE] [--seeds N] [--workers W]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from sim.analysis import calibration as cal
from sim.experiments.backends import make_backend

MASTER_SEED = 20181231


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=Path, default=cal.DEFAULT_TARGETS)
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--seed", type=int, default=MASTER_SEED, help="master seed")
    args = parser.parse_args(argv)
    targets = cal.load_targets(args.targets)
    seeds = cal.validation_seeds(args.seed, args.seeds)
    used = set(cal.crn_seeds(args.seed, 10))
    if used & set(seeds):
        raise SystemExit("validation seeds overlap the calibration's common seeds")
    with tempfile.TemporaryDirectory() as tmp, make_backend(args.workers) as backend:
        sims = cal.simulate_targets(
            targets, [None] * len(seeds), seeds, backend=backend, folder=Path(tmp) / "check"
        )
    table = cal.validation_table(targets, sims)
    print(f"defaults vs end-{targets.year} targets: mean of {len(seeds)} unused seeds")
    print(cal.format_table(table))
    failed = table[~table["within"]]
    if len(failed):
        print(f"FAIL: {', '.join(failed['target'])} outside tolerance")
        return 1
    print("PASS: every target within tolerance")
    return 0


if __name__ == "__main__":
    sys.exit(main())
