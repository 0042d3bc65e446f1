"""Estimate the emulator's saving: model runs with history matching versus without.

Reads a finished calibration's stored runs (no new simulation): wave 1's design is a
Latin hypercube over the whole prior box, and ABC's generation 0 draws from the NROY
space left by history matching; both are single runs (one seed per point-seed). The
share of each within ABC's final tolerance estimates the acceptance rate of rejection
sampling from that space at that tolerance, so the runs to collect the final
population are ``population / share * runs per point`` in each space (ABC-SMC's
sequential proposals save over rejection in both spaces alike); with history matching,
its own runs come on top.

Usage::

    python benchmarks/calibration_saving.py [--out calibration]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis import calibration as cal


def _moments(path: Path, names: list[str], prefix: str = "") -> np.ndarray:
    df = pd.read_parquet(path)
    return df[[f"{prefix}{n}" for n in names]].to_numpy(dtype=float)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=cal.DEFAULT_OUT)
    args = parser.parse_args(argv)
    targets = cal.load_targets()
    waves = cal.read_table(args.out, cal.WAVES_FILE)
    gens = cal.read_table(args.out, "generations.csv")
    stages = cal.read_table(args.out, cal.STAGES_FILE).set_index("name")
    validation = cal.read_validation(args.out)
    eps = float(gens["epsilon"].iloc[-1])
    population = int(gens["accepted"].iloc[-1])
    rpp = targets.runs_per_point
    # Patterns fitted at the end (any dropped as unreachable are out of the distance).
    fitted = validation.loc[validation["fitted"], "target"].tolist()
    targets = targets.without(t.name for t in targets.fitted if t.name not in fitted)
    work = args.out / "work"
    prior = _moments(work / "history" / "wave_01.parquet", fitted, "m_")
    gen0 = sorted((work / "abc").glob("*/gen_00_batch_00/moments.parquet"))
    if not gen0:
        raise SystemExit(f"{work / 'abc'}: no stored generation 0")
    nroy = _moments(gen0[-1], fitted)
    shares = {}
    eps0 = float(gens["epsilon"].iloc[0])
    for name, m in (("prior box (wave 1)", prior), ("NROY space (ABC generation 0)", nroy)):
        d = cal.distance(targets, m)
        shares[name] = (int((d <= eps).sum()), len(d))
        print(f"{name}: {np.mean(d <= eps0):.3f} of single runs within generation 0's "
              f"tolerance {eps0:.2f}; median distance {np.median(d):.2f}")  # fmt: skip
    hm_runs = int(waves["runs"].sum())
    print(f"final ABC tolerance {eps:.3f}; population {population}; {rpp} runs per point")
    for name, (hit, n) in shares.items():
        print(f"{name}: {hit} of {n} single runs within the tolerance")
    (hp, n_prior), (hn, n_nroy) = shares.values()
    bound = "at least " if hp == 0 else ""
    without = population / (max(hp, 1) / n_prior) * rpp  # one hit if none: a lower bound
    with_hm = hm_runs + population / (max(hn, 1) / n_nroy) * rpp
    abc_runs = int(stages.loc["ABC-SMC", "runs"])
    print(
        f"rejection runs to {population} particles: without history matching {bound}"
        f"{without:,.0f}; with it {with_hm:,.0f} (of which {hm_runs} history matching); "
        f"saving factor {bound}{without / with_hm:.1f}. Runs the calibration spent: "
        f"{hm_runs} history matching + {abc_runs} ABC-SMC."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
