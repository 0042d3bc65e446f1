"""The Markdown report of a sensitivity analysis."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.analysis.sensitivity.analysis import CONVERGENCE_TOLERANCE

if TYPE_CHECKING:
    from sim.analysis.sensitivity.pipeline import SensitivityResult


def _fmt(value: float, conf: float | None = None) -> str:
    if conf is None or not np.isfinite(conf):
        return f"{value:.3g}"
    return f"{value:.3g} ± {conf:.2g}"


def render_report(result: SensitivityResult) -> str:
    """Render the Markdown report: settings, noise, influential and unconverged indices."""
    m = result.meta
    method = m["method"]
    size = f"r = {m['n']} trajectories" if method == "morris" else f"N = {m['n']}"
    lines = [
        f"# Sensitivity analysis: {method}",
        "",
        f"- Design: {size}, {m['rows']} points, {len(m['parameters'])} parameters"
        + (" in groups" if m["grouped"] else "")
        + f"; {m['runs']} model runs; seed {m['seed']}.",
        f"- Replicates per point: {m['replicates']} (common random numbers); noise estimated "
        f"from {m['noise_replicates']} extra replicates at {m['noise_points']} points.",
        f"- Intervals: {round(m['conf_level'] * 100)} % bootstrap ({m['resamples']} resamples)"
        + (
            "; PAWN has none, convergence is the change from N/2 to N." if method == "pawn" else "."
        ),
        "- Boolean switches are not varied unless named; integer parameters are rounded.",
        "",
        "## Noise",
        "",
        "Seed-to-seed variance of one run at the probed points (95 % interval), the "
        "variance of the outputs across the design, and the noise share of the latter "
        "(after averaging the replicates)"
        + ("; mu* below the noise floor cannot be told from noise." if method == "morris" else ".")
        + (
            " Sobol tables also give noise-adjusted `S1_adj`, `ST_adj`."
            if method == "sobol"
            else ""
        ),
        "",
        "| output | noise variance (one run) | output variance | noise share |"
        + (" mu* noise floor |" if method == "morris" else ""),
        "|---|---|---|---|" + ("---|" if method == "morris" else ""),
    ]
    if m["noise_points"] == 0:
        lines.insert(-3, "Not measured in this analysis (no noise probe).\n")
    for _, r in result.noise.iterrows():
        floor = f" {r['mu_star_noise_floor']:.3g} |" if method == "morris" else ""
        lines.append(
            f"| {r['output']} | {r['noise_var']:.4g} [{r['noise_var_low']:.3g}, "
            f"{r['noise_var_high']:.3g}] | {r['output_var']:.4g} | {r['noise_share']:.2g} |" + floor
        )
    lines += ["", "## Influential indices", ""]
    infl = result.influential()
    for label in result.outputs:
        d = infl[infl["output"] == label].sort_values("value", ascending=False)
        if d.empty:
            lines.append(f"- **{label}**: none above the threshold.")
            continue
        items = ", ".join(
            f"{r['parameter']} {r['index']} {_fmt(r['value'], r['conf'])}" for _, r in d.iterrows()
        )
        lines.append(f"- **{label}**: {items}")
    lines += ["", "## Convergence", ""]
    bad = result.not_converged()
    tol = f"{CONVERGENCE_TOLERANCE:.0%}"
    if bad.empty:
        lines.append(
            f"Every influential index has converged (interval half-width at most {tol} of its "
            f"value at N = {m['n']})."
        )
    else:
        lines.append(
            f"Influential indices NOT converged at N = {m['n']} (half-width or N/2-to-N change "
            f"above {tol} of the value):"
        )
        lines.append("")
        for _, r in bad.iterrows():
            lines.append(
                f"- {r['output']}: {r['parameter']} {r['index']} = {_fmt(r['value'], r['conf'])}"
                f" (N/2: {r['value_half']:.3g})"
            )
    lines += [
        "",
        "Tables: `indices.csv`, `convergence.csv`, `noise.csv`, `design.csv` (and Parquet); "
        "figures in `figures/`.",
        "",
    ]
    return "\n".join(lines)
