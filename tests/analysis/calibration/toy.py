"""A toy calibration problem with a known answer, for the calibration tests.

The toy "model" is analytic (no simulation): each pattern is a function of the
calibrated parameters plus seeded noise, so emulators, history matching and ABC can
be tested fast against a known truth.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis import calibration as cal


def write_targets(
    path: Path,
    *,
    parameters: list[str] | None = None,
    targets: dict[str, dict],
    year: int = 2018,
    extra: str = "",
    groups: list[str] | None = None,
    levers: dict[str, dict] | None = None,
) -> Path:
    lines = ["[calibration]", f"year = {year}"]
    lines.append(f"groups = {groups!r}" if groups else f"parameters = {parameters!r}")
    lines.append(extra)
    for name, over in (levers or {}).items():
        lines.append(f"[levers.{name}]")
        lines += [
            f"{k} = {str(v).lower() if isinstance(v, bool) else repr(v)}" for k, v in over.items()
        ]
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

#: Toy patterns (by target name) as functions of the parameters, and their noise sd.
TOY_MODEL: dict[str, tuple[Callable[[dict[str, float]], float], float]] = {
    "firms": (lambda p: 1000 * p["young_growth"], 5.0),
    "stat_zone_gdp": (lambda p: 100 * p["entrant_size"], 1.0),
    "stat_zone_gdp_growth": (lambda p: 20 * p["young_growth"] + 10 * p["entrant_size"] ** 2, 0.2),
    "firm_exits": (lambda p: 5.0 + p["young_growth"], 0.1),  # never reaches 100
}


def toy_evaluate(calls: list[str] | None = None, targets: cal.Targets | None = None):
    """Toy moments of the fitted patterns plus seeded noise.

    With ``targets`` fixed, it evaluates them; otherwise the targets come as a fourth
    argument (the history-matching signature).
    """

    def evaluate(step: str, thetas: np.ndarray, seeds: np.ndarray, tg=None) -> np.ndarray:
        tg = tg or targets
        if calls is not None:
            calls.append(step)
        names = [t.name for t in tg.fitted] if tg is not None else ["firms", "stat_zone_gdp"]
        params = tg.parameters if tg is not None else ("young_growth", "entrant_size")
        out = np.empty((*seeds.shape, len(names)))
        for i in range(seeds.shape[0]):
            p = dict(zip(params, thetas[i], strict=True))
            for r in range(seeds.shape[1]):
                e = np.random.default_rng(int(seeds[i, r])).standard_normal(len(names))
                out[i, r] = [TOY_MODEL[n][0](p) + TOY_MODEL[n][1] * e[j]
                             for j, n in enumerate(names)]  # fmt: skip
        return out

    return evaluate


def toy_calibration(targets: cal.Targets) -> cal.CalibrationResult:
    """A small but complete calibration of the toy problem (no model runs)."""
    history = cal.history_match(targets, toy_evaluate(), seed=1, points=(20, 10), progress=False)
    targets = history.targets
    evaluate = toy_evaluate(targets=targets)
    abc = cal.abc_smc(targets, evaluate, seed=1, population=20, max_generations=2,
                      support=history.nroy, progress=False)  # fmt: skip
    best = cal.search(targets, evaluate, cal.candidates(abc, 4), seed=1, crn=2)
    ident = cal.identifiability(targets, abc.particles, abc.weights)
    rng = np.random.default_rng(0)
    sims = pd.DataFrame(
        {t.name: t.value + t.abs_tolerance * rng.standard_normal(20) for t in targets.targets}
    )
    table = cal.validation_table(targets, sims)
    plan = cal.plan_budget(1000, len(targets.parameters))
    stages = [cal.Stage("history matching", history.runs, 2.0), cal.Stage("ABC-SMC", abc.runs, 1.0)]
    return cal.CalibrationResult(
        targets, plan, best, abc, ident, table, table, abc.runs, history, stages
    )
