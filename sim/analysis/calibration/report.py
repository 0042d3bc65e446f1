"""The calibration report: ``report.md`` and its figures.

Figures are :class:`matplotlib.figure.Figure` objects saved directly (no ``pyplot``,
no backend switch), so writing a report leaves a notebook's plotting state alone.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.analysis.calibration.posterior import IDENTIFIED_RATIO, WEAK_RATIO, weighted_cov
from sim.analysis.calibration.targets import prior_value
from sim.experiments.fileio import atomic_write, atomic_write_text
from sim.experiments.runs import model_version

if TYPE_CHECKING:
    from sim.analysis.calibration.pipeline import CalibrationResult


def write_report(result: CalibrationResult, out: Path, *, seed: int, command: str = "") -> None:
    """Write ``report.md`` and its figures (``figures/*.png``) to ``out``.

    Args:
        result: The calibration.
        out: Output folder.
        seed: Master seed used.
        command: Command line that produced it (quoted in the report).
    """
    from matplotlib.figure import Figure

    figs = out / "figures"
    figs.mkdir(parents=True, exist_ok=True)
    t, abc, ident = result.targets, result.abc, result.ident
    names = list(t.parameters)

    # Targets against simulated values.
    val, pred = result.validation, result.predictive
    ncol = min(6, len(val))
    nrow = math.ceil(len(val) / ncol)
    fig = Figure(figsize=(1.9 * ncol + 0.5, 2.6 * nrow))
    axes = fig.subplots(nrow, ncol, squeeze=False)
    flat = axes.ravel()
    for ax in flat[len(val) :]:
        ax.axis("off")
    nval = result.plan.validation_runs
    for ax, v, p in zip(flat, val.itertuples(), pred.itertuples(), strict=False):
        ax.axhspan(v.value - v.tolerance, v.value + v.tolerance, color="0.85", label="tolerance")
        ax.axhline(v.value, color="k", lw=1, label="target")
        ax.errorbar([0], [v.simulated], yerr=[[v.simulated - v.q05], [v.q95 - v.simulated]],
                    fmt="o", color="C0", capsize=3, label=f"best fit ({nval} seeds)")  # fmt: skip
        ax.errorbar([1], [p.simulated], yerr=[[p.simulated - p.q05], [p.q95 - p.simulated]],
                    fmt="s", color="C1", capsize=3, label="posterior predictive")  # fmt: skip
        ax.set_xlim(-0.7, 1.7)
        ax.set_xticks([])
        ax.set_title(v.target.replace("_", " "), fontsize=8)
        ax.tick_params(labelsize=7)
    flat[0].legend(fontsize=6, loc="lower left")
    fig.suptitle("End-2018 targets: value ± tolerance, simulated mean and 5-95 % range", fontsize=9)
    fig.tight_layout()
    _save(fig, figs / "targets.png", dpi=110)

    # Marginals.
    d = len(names)
    cols = min(3, d)
    rows = math.ceil(d / cols)
    fig = Figure(figsize=(3.4 * cols, 2.4 * rows))
    axes = fig.subplots(rows, cols, squeeze=False)
    for j, name in enumerate(names):
        ax = axes[j // cols][j % cols]
        lo, hi = t.bounds[j]
        ax.hist(abc.particles[:, j], bins=20, range=(lo, hi), weights=abc.weights, density=True,
                color="C0", alpha=0.7, label="posterior")  # fmt: skip
        ax.axhline(1 / (hi - lo), color="0.4", ls=":", label="prior")
        ax.axvline(prior_value(name), color="0.4", ls="--", label="prior default")
        ax.axvline(result.best.theta[j], color="C3", label="best fit")
        ax.set_title(f"{name} ({ident['verdict'].iloc[j]})", fontsize=8)
        ax.tick_params(labelsize=7)
    for k in range(d, rows * cols):
        axes[k // cols][k % cols].axis("off")
    axes[0][0].legend(fontsize=6)
    fig.tight_layout()
    _save(fig, figs / "marginals.png", dpi=110)

    # Pairs.
    fig = Figure(figsize=(1.45 * d + 1, 1.45 * d + 1))
    axes = fig.subplots(d, d, squeeze=False)
    size = 4 + 40 * abc.weights / abc.weights.max()
    for i in range(d):
        for j in range(d):
            ax = axes[i][j]
            ax.set_xticks([])
            ax.set_yticks([])
            if j > i:
                ax.axis("off")
                continue
            if i == j:
                ax.hist(abc.particles[:, j], bins=15, range=tuple(t.bounds[j]),
                        weights=abc.weights, color="C0")  # fmt: skip
            else:
                ax.scatter(abc.particles[:, j], abc.particles[:, i], s=size, alpha=0.4, lw=0)
                ax.set_ylim(*t.bounds[i])
            ax.set_xlim(*t.bounds[j])
            if i == d - 1:
                ax.set_xlabel(names[j], fontsize=6, rotation=30)
            if j == 0:
                ax.set_ylabel(names[i], fontsize=6, rotation=60)
    fig.suptitle("Posterior pairs (axes span the prior ranges)", fontsize=9)
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.1, top=0.95, wspace=0.08, hspace=0.08)
    _save(fig, figs / "pairs.png", dpi=100)

    # Convergence.
    g = abc.generations
    fig = Figure(figsize=(10, 3))
    axes = fig.subplots(1, 3)
    axes[0].semilogy(g["generation"], g["epsilon"], "o-")
    axes[0].axhline(t.min_epsilon, color="0.5", ls="--", lw=1)
    axes[0].set(xlabel="ABC generation", ylabel="tolerance ε", title="ABC tolerance")
    axes[1].plot(g["generation"], g["acceptance"], "o-")
    axes[1].set(xlabel="ABC generation", ylabel="acceptance rate", title="ABC acceptance",
                ylim=(0, 1))  # fmt: skip
    hist = np.sqrt(np.maximum(result.best.history, 0))
    axes[2].plot(np.arange(1, len(hist) + 1), hist, "o-")
    axes[2].set(xlabel="search generation", ylabel="√objective", title="Global search")
    fig.tight_layout()
    _save(fig, figs / "convergence.png", dpi=110)

    atomic_write_text(out / "report.md", _report_text(result, seed=seed, command=command))


def _save(fig: Any, path: Path, *, dpi: int) -> None:
    atomic_write(path, lambda p: fig.savefig(p, dpi=dpi))


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def _report_text(result: CalibrationResult, *, seed: int, command: str) -> str:
    t, abc, ident, plan = result.targets, result.abc, result.ident, result.plan
    g = abc.generations
    n_id = int((ident["verdict"] == "identified").sum())
    lines = [
        "# Calibration to the end-2018 figures",
        "",
        f"Targets: `{t.path.as_posix()}`; year {t.year}; master seed {seed}; model "
        f"`{model_version()}`.",
        f"Runs: {result.runs} for search and ABC-SMC (budget {plan.budget}), plus "
        f"{plan.validation_runs} validation and {plan.predictive_runs} posterior-predictive runs.",
    ]
    if command:
        lines += ["", "Command:", "", "```", command, "```"]
    lines += [
        "",
        "Method (details in `docs/calibration.md`): simulated moments with common random "
        f"numbers ({plan.crn} seeds shared by every candidate), differential evolution "
        f"(population {plan.popsize * len(t.parameters)}, {plan.maxiter} generations) for the "
        f"best fit; batch-synchronous ABC-SMC ({plan.population} particles) for the posterior. "
        "Priors are uniform on the registry bounds.",
        "",
        "## Targets",
        "",
        "![targets](figures/targets.png)",
        "",
        "Best fit: mean and 5-95 % range over "
        f"{plan.validation_runs} seeds the calibration never used. Predictive: 5-95 % range of "
        "runs with parameters drawn from the posterior (parameter and stochastic uncertainty).",
        "",
        "| target | value | tolerance | best fit (mean) | best fit 5-95 % | predictive 5-95 % "
        "| within | role | source |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for tg, v, p in zip(t.targets, result.validation.itertuples(), result.predictive.itertuples(),
                        strict=True):  # fmt: skip
        role = ("structural (exact by construction; checked, not fitted)" if tg.structural
                else "fitted" if tg.fitted else "checked (weight 0)")  # fmt: skip
        lines.append(
            f"| {tg.name} | {_fmt(tg.value)} | ±{_fmt(v.tolerance)} | {_fmt(v.simulated)} | "
            f"{_fmt(v.q05)}–{_fmt(v.q95)} | {_fmt(p.q05)}–{_fmt(p.q95)} | "
            f"{'yes' if v.within else '**no**'} | {role} | {tg.source} |"
        )
    lines += [
        "",
        "`growth_gap_pp` is checked but carries no weight: the province's 2018 growth is data "
        "(6.7 %), so the gap is the growth target less a constant.",
        "",
        "## Best-fit parameters and identifiability",
        "",
        f"The targets identify {n_id} of {len(t.parameters)} calibrated parameters. Criterion: "
        "width of the posterior's 90 % interval divided by the prior's (0.9 of the registry "
        f"range); identified below {IDENTIFIED_RATIO}, weakly identified below {WEAK_RATIO}, "
        "otherwise not identified. A parameter that is not identified keeps its prior range "
        "in every use of the posterior; its best-fit value is one of many that fit equally "
        "well and carries no evidence.",
        "",
        "| parameter | prior default | prior range | best fit | posterior mean | posterior 90 % "
        "| width ratio | verdict |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r, b in zip(ident.itertuples(), result.best.theta, strict=True):
        lines.append(
            f"| {r.parameter} | {_fmt(r.prior_default)} | {_fmt(r.lower)}–{_fmt(r.upper)} | "
            f"{_fmt(b)} | {_fmt(r.posterior_mean)} | {_fmt(r.q05)}–{_fmt(r.q95)} | "
            f"{r.width_ratio:.2f} | {r.verdict} |"
        )
    corr = _weighted_corr(abc.particles, abc.weights)
    pairs = [
        (abs(corr[i, j]), t.parameters[i], t.parameters[j], corr[i, j])
        for i in range(len(t.parameters))
        for j in range(i)
    ]
    strong = sorted([p for p in pairs if p[0] >= 0.4], reverse=True)[:6]
    lines += ["", "![marginals](figures/marginals.png)", "", "![pairs](figures/pairs.png)", ""]
    if strong:
        lines += [
            "Posterior correlations of magnitude 0.4 or more (the targets constrain these "
            "combinations rather than each parameter alone):",
            "",
            *[f"- {a} and {b}: {c:+.2f}" for _, a, b, c in strong],
            "",
        ]
    lines += [
        "## Convergence",
        "",
        "![convergence](figures/convergence.png)",
        "",
        "| generation | tolerance ε | accepted | proposed | acceptance | ESS |",
        "|---|---|---|---|---|---|",
    ]
    for r in g.itertuples():
        lines.append(
            f"| {r.generation} | {r.epsilon:.3f} | {r.accepted} | {r.proposed} | "
            f"{r.acceptance:.2f} | {r.ess:.0f} |"
        )
    final = float(g["epsilon"].iloc[-1])
    stop = (
        f"reached the target tolerance {t.min_epsilon}" if final <= t.min_epsilon
        else "stopped by the run budget or a low acceptance rate before reaching the target "
        f"tolerance {t.min_epsilon}: the posterior is wider than the data alone would allow"
    )  # fmt: skip
    lines += [
        "",
        f"The final tolerance is {final:.3f} (distance units: one unit is about one target "
        f"tolerance); ABC {stop}. Search best distance: {result.best.distance:.3f} on the common "
        "seeds.",
        "",
    ]
    return "\n".join(lines)


def _weighted_corr(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    cov = weighted_cov(x, w)
    sd = np.sqrt(np.maximum(np.diag(cov), 1e-300))
    return cov / np.outer(sd, sd)
