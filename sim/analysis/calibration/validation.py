"""Validation: every target simulated on seeds the calibration never used.

:func:`simulate_targets` runs parameter sets (annual, effect and zone-table targets)
through the moment function; :func:`validation_table` compares the mean over runs with
each target's value and tolerance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.calibration.evaluation import Evaluator
from sim.analysis.calibration.targets import Targets
from sim.core.params import resolve
from sim.experiments.backends import Backend


def simulate_targets(
    targets: Targets,
    params: Sequence[Mapping[str, Any] | None],
    seeds: Sequence[int],
    *,
    backend: Backend,
    folder: Path,
    scenario: str = "validation",
    progress: bool = False,
) -> pd.DataFrame:
    """Simulate every target (annual, effect and zone-table), one point per parameter set.

    Each parameter set runs once with its seed, with the lever variants its effect
    patterns need on the same seed (:class:`~sim.analysis.calibration.Evaluator`).

    Args:
        targets: The targets.
        params: Parameter overrides of each run, over the prior defaults (``None``:
            the model's current defaults).
        seeds: Seed of each run.
        backend: Where runs execute.
        folder: Batch folder (resumable).
        scenario: Label of the runs in the batch store.
        progress: Whether to show a progress bar.

    Returns:
        One row per run (``seed`` then one column per target).
    """
    folder = Path(folder)
    evaluator = Evaluator(targets, backend, folder.parent, progress=progress)
    points = [default_params() if p is None else dict(p) for p in params]
    out = evaluator.simulate(
        folder.name, points, np.asarray(seeds).reshape(-1, 1), targets.targets, scenario=scenario
    )[:, 0, :]
    table = pd.DataFrame(out, columns=[t.name for t in targets.targets])
    table.insert(0, "seed", np.asarray(seeds, dtype=np.int64))
    return table


def validation_table(targets: Targets, sims: pd.DataFrame) -> pd.DataFrame:
    """Compare the mean over runs of every target with its value and tolerance.

    Returns:
        One row per target: ``target, metric, value, bound, tolerance, simulated, q05,
        q95, error, within, structural, fitted, source``, where ``bound`` is
        ``two_sided``, ``at_least`` or ``at_most`` and ``source`` where the value
        comes from.
    """
    rows = []
    for t in targets.targets:
        v = sims[t.name].to_numpy(dtype=float)
        mean = float(v.mean())
        rows.append({
            "target": t.name, "metric": t.metric, "value": t.value,
            "bound": t.bound or "two_sided", "tolerance": t.abs_tolerance, "simulated": mean,
            "q05": float(np.quantile(v, 0.05)), "q95": float(np.quantile(v, 0.95)),
            "error": mean - t.value, "within": t.passes(mean), "structural": t.structural,
            "fitted": t.fitted, "source": t.source,
        })  # fmt: skip
    return pd.DataFrame(rows)


def format_table(table: pd.DataFrame) -> str:
    """Plain-text validation table (what ``benchmarks/check_calibration.py`` prints)."""
    lines = [f"{'target':<24}{'value':>10}{'simulated':>12}{'tolerance':>11}  {'5-95 %':>20}  ok"]
    for r in table.itertuples():
        band = f"{r.q05:.6g}..{r.q95:.6g}"
        tol = "±" + format(r.tolerance, ".3g")
        lines.append(
            f"{r.target:<24}{r.value:>10.6g}{r.simulated:>12.6g}{tol:>11}"
            f"  {band:>20}  {'yes' if r.within else 'NO'}"
        )
    return "\n".join(lines)


def default_params() -> dict[str, Any]:
    """The model's current defaults (calibrated values where there are)."""
    return resolve({})
