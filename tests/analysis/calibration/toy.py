"""A toy calibration problem with a known answer, for the calibration tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis import calibration as cal


def write_targets(
    path: Path,
    *,
    parameters: list[str],
    targets: dict[str, dict],
    year: int = 2018,
    extra: str = "",
) -> Path:
    lines = ["[calibration]", f"year = {year}", f"parameters = {parameters!r}", extra]
    for name, t in targets.items():
        lines.append(f"[targets.{name}]")
        for k, v in t.items():
            v = str(v).lower() if isinstance(v, bool) else repr(v)
            lines.append(f"{k} = {v}")
    path.write_text("\n".join(lines).replace("'", '"') + "\n")
    return path


TOY = {
    "firms": {"metric": "firms", "value": 150.0, "tolerance": 10.0},
    "stat_zone_gdp": {"metric": "stat_zone_gdp", "value": 50.0, "tolerance": 2.0},
}


def toy_evaluate(calls: list[str] | None = None):
    """Moments 1000 * young_growth and 100 * entrant_size plus seeded noise."""

    def evaluate(step: str, thetas: np.ndarray, seeds: np.ndarray) -> np.ndarray:
        if calls is not None:
            calls.append(step)
        out = np.empty((*seeds.shape, 2))
        for i in range(seeds.shape[0]):
            for r in range(seeds.shape[1]):
                e = np.random.default_rng(int(seeds[i, r])).standard_normal(2)
                out[i, r] = [1000 * thetas[i, 0] + 5 * e[0], 100 * thetas[i, 1] + 1 * e[1]]
        return out

    return evaluate


def toy_calibration(targets: cal.Targets) -> cal.CalibrationResult:
    """A small but complete calibration of the toy problem (no model runs)."""
    evaluate = toy_evaluate()
    best = cal.search(targets, evaluate, seed=1, crn=2, popsize=4, maxiter=2, progress=False)
    abc = cal.abc_smc(targets, evaluate, seed=1, population=20, max_generations=2, progress=False)
    ident = cal.identifiability(targets, abc.particles, abc.weights)
    rng = np.random.default_rng(0)
    sims = pd.DataFrame(
        {t.name: t.value + t.abs_tolerance * rng.standard_normal(20) for t in targets.targets}
    )
    table = cal.validation_table(targets, sims)
    plan = cal.plan_budget(100, len(targets.parameters))
    return cal.CalibrationResult(targets, plan, best, abc, ident, table, table, abc.runs)
