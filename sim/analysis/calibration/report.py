"""The calibration report: ``report.md`` and its figures.

Figures are :class:`matplotlib.figure.Figure` objects saved directly (no ``pyplot``,
no backend switch), so writing a report leaves a notebook's plotting state alone.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.analysis.calibration.posterior import IDENTIFIED_RATIO, WEAK_RATIO, weighted_cov
from sim.analysis.calibration.targets import Target, Targets, prior_value
from sim.analysis.safetext import display_path
from sim.core.params import REGISTRY
from sim.experiments.fileio import atomic_write, atomic_write_text
from sim.experiments.runs import model_version

if TYPE_CHECKING:
    from sim.analysis.calibration.pipeline import CalibrationResult


def write_report(
    result: CalibrationResult, out: Path, *, seed: int, command: str = ""
) -> list[Path]:
    """Write ``report.md`` and its figures (``figures/*.png``) to ``out``.

    Args:
        result: The calibration.
        out: Output folder.
        seed: Master seed used.
        command: Command line that produced it (quoted in the report).

    Returns:
        The paths written.
    """
    from matplotlib.figure import Figure

    figs = out / "figures"
    figs.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
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
        ax.plot([0, 0], [v.q05, v.q95], color="C0", lw=1.5)
        ax.plot([0], [v.simulated], "o", color="C0", label=f"best fit ({nval} seeds)")
        ax.plot([1, 1], [p.q05, p.q95], color="C1", lw=1.5)
        ax.plot([1], [p.simulated], "s", color="C1", label="posterior predictive")
        ax.set_xlim(-0.7, 1.7)
        ax.set_xticks([])
        ax.set_title(v.target.replace("_", " "), fontsize=8)
        ax.tick_params(labelsize=7)
    flat[0].legend(fontsize=6, loc="lower left")
    fig.suptitle("End-2018 targets: value ± tolerance, simulated mean and 5-95 % range", fontsize=9)
    fig.tight_layout()
    written.append(_save(fig, figs / "targets.png", dpi=110))

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
    written.append(_save(fig, figs / "marginals.png", dpi=110))

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
    written.append(_save(fig, figs / "pairs.png", dpi=100))

    # Convergence.
    g = abc.generations
    fig = Figure(figsize=(10, 3))
    axes = fig.subplots(1, 3)
    axes[0].semilogy(g["generation"], g["epsilon"], "o-")
    axes[0].axhline(t.min_epsilon, color="0.5", ls="--", lw=1)
    axes[0].set(xlabel="ABC generation", ylabel="tolerance ε", title="ABC tolerance")
    axes[1].plot(g["generation"], g["acceptance"], "o-", label="moves accepted")
    axes[1].plot(g["generation"], g["distinct"] / g["alive"].iloc[0], "s--", label="distinct")
    axes[1].set(xlabel="ABC generation", ylabel="share", title="ABC mixing", ylim=(0, 1.05))
    axes[1].legend(fontsize=7)
    if result.history is not None:
        waves = [w.index for w in result.history.waves]
        axes[2].semilogy(waves, [max(w.nroy, 1e-6) for w in result.history.waves], "o-")
        axes[2].set_xticks(waves)
    axes[2].set(xlabel="history-matching wave", ylabel="NROY share of the prior box",
                title="History matching")  # fmt: skip
    fig.tight_layout()
    written.append(_save(fig, figs / "convergence.png", dpi=110))

    if result.history is not None:
        sens = result.history.sensitivity
        fig = Figure(figsize=(0.55 * sens.shape[1] + 3, 0.32 * sens.shape[0] + 1.8))
        ax = fig.subplots()
        im = ax.imshow(sens.to_numpy(), vmin=0, vmax=1, cmap="Blues", aspect="auto")
        ax.set_xticks(range(sens.shape[1]), sens.columns, rotation=60, ha="right", fontsize=7)
        ax.set_yticks(range(sens.shape[0]), sens.index, fontsize=7)
        fig.colorbar(im, ax=ax, label="main-effect index")
        ax.set_title("Which pattern constrains which parameter (emulator main effects)",
                     fontsize=9)  # fmt: skip
        fig.tight_layout()
        written.append(_save(fig, figs / "sensitivity.png", dpi=110))

    return [
        *written,
        atomic_write_text(out / "report.md", _report_text(result, seed=seed, command=command)),
    ]


def _save(fig: Any, path: Path, *, dpi: int) -> Path:
    return atomic_write(path, lambda p: fig.savefig(p, dpi=dpi))


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def _role(tg: Target, unreachable: dict[str, float]) -> str:
    if tg.name in unreachable:
        return (
            "dropped from the fit: no point of the prior reaches it (smallest "
            f"implausibility {unreachable[tg.name]:.1f})"
        )
    if tg.structural:
        return "structural (exact by construction; checked, not fitted)"
    if tg.validation:
        return "validation (never fitted: an out-of-sample check)"
    return "fitted" if tg.fitted else "checked (weight 0)"


def _measure(tg: Target, year: int) -> str:
    """How the model measures a pattern, in words."""
    y = tg.year or year
    if tg.table == "zones":
        return f"zone table, {tg.zone_id}, `{tg.metric}`"
    what = f"`{tg.metric}` {y}"
    if tg.lever:
        what = f"{tg.effect} effect of lever `{tg.lever}` on {what}"
    if tg.over or tg.over_year:
        what += f" / {'same effect on ' if tg.lever else ''}`{tg.over or tg.metric}` "
        what += f"{tg.over_year or y}"
    if tg.transform:
        what = f"{tg.transform}({what})"
    side = {"at_least": "≥ ", "at_most": "≤ "}.get(tg.bound or "", "")
    return f"{what}{'; one-sided: ' + side.strip() if side else ''}"


def _report_text(result: CalibrationResult, *, seed: int, command: str) -> str:
    t, abc, ident, plan = result.targets, result.abc, result.ident, result.plan
    g = abc.generations
    h = result.history
    unreach = h.unreachable if h is not None else {}
    n_id = int((ident["verdict"] == "identified").sum())
    n_val = plan.validation_runs
    lines = [
        "# Calibration: pattern-oriented, history matching and ABC-SMC",
        "",
        f"Targets: `{display_path(t.path)}`; year {t.year}; master seed {seed}; model "
        f"`{model_version()}`.",
        f"Runs: {result.runs} for history matching, ABC and the best fit (budget "
        f"{plan.budget}), plus {n_val} validation and {plan.predictive_runs} "
        f"posterior-predictive points; every point is {plan.runs_per_point} runs (the "
        "point and its lever variants on the same seed).",
    ]
    if command:
        lines += ["", "Command:", "", "```", command, "```"]
    lines += [
        "",
        "Method (details in `docs/calibration.md`): candidate parameters screened on a "
        "Latin-hypercube design; Gaussian-process emulators of every pattern; history "
        f"matching in {len(plan.waves)} waves (implausibility cutoff {t.cutoff:g}); "
        f"ABC-SMC with MCMC moves ({plan.population} particles) on the real model with "
        "the not-ruled-out-yet (NROY) space as its prior's support; best fit among "
        f"{plan.candidates} posterior candidates on {plan.crn} common seeds, each at least "
        f"{t.edge:.0%} of its prior's range from every bound that is not physical.",
        "",
        "## Time and runs by stage",
        "",
        "| stage | runs | minutes |",
        "|---|---|---|",
        *[f"| {st.name} | {st.runs} | {st.seconds / 60:.1f} |" for st in result.stages],
        f"| total | {sum(st.runs for st in result.stages)} | "
        f"{sum(st.seconds for st in result.stages) / 60:.1f} |",
        "",
        "## Patterns",
        "",
        "![targets](figures/targets.png)",
        "",
        f"Best fit: mean and 5-95 % range over {n_val} seeds the calibration never used. "
        "Predictive: 5-95 % range of points drawn from the posterior (parameter and "
        "stochastic uncertainty): the posterior predictive check of every pattern.",
        "",
        "| pattern | measured as | value | tolerance | best fit (mean) | best fit 5-95 % "
        "| predictive 5-95 % | within | role | source |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for tg, v, pr in zip(t.targets, result.validation.itertuples(),
                         result.predictive.itertuples(), strict=True):  # fmt: skip
        lines.append(
            f"| {tg.name} | {_measure(tg, t.year)} | {_fmt(tg.value)} | ±{_fmt(v.tolerance)} | "
            f"{_fmt(v.simulated)} | {_fmt(v.q05)}–{_fmt(v.q95)} | {_fmt(pr.q05)}–{_fmt(pr.q95)} "
            f"| {'yes' if v.within else '**no**'} | {_role(tg, unreach)} | {tg.source} |"
        )
    held_out = {tg.name for tg in t.targets if tg.validation}
    missed = [v.target for v in result.validation.itertuples() if not v.within]
    lines += [
        "",
        (
            f"Every pattern is within its tolerance at the best fit on {n_val} unseen seeds."
            if not missed
            else f"Not within tolerance at the best fit on {n_val} unseen seeds: "
            + ", ".join(missed)
            + " (see `docs/calibration.md` for why)."
        ),
    ]
    if held_out:
        lines += [
            "",
            f"Validation patterns ({', '.join(sorted(held_out))}) never enter the fit: the "
            "screening, the history matching, ABC and the best fit do not see them, so their "
            "rows are predictions.",
        ]
    if h is not None:
        calibrated = set(t.parameters)
        lines += [
            "",
            "## Screening: the parameters the patterns speak to",
            "",
            f"Candidates: {len(h.screening)} continuous parameters. Main effect: the largest "
            "share of a pattern's variance over wave 1's design that the parameter explains "
            "alone (additive quadratic fit), with the p-value of its partial F test; "
            f"calibrated when an effect of {t.screen_threshold:g} or more is significant at 5 % "
            "family-wise (Bonferroni over every parameter and pattern). The others keep their "
            "prior default and range in every use of the posterior.",
            "",
            "| parameter | largest main effect | on pattern | p-value | calibrated |",
            "|---|---|---|---|---|",
        ]
        for r in h.screening.sort_values("main_effect", ascending=False).itertuples():
            lines.append(
                f"| {r.parameter} | {r.main_effect:.3f} | {r.pattern} | {r.p_value:.2g} | "
                f"{'yes' if r.parameter in calibrated else 'no'} |"
            )
        lines += [
            "",
            "## History matching",
            "",
            "| wave | design points | parameters | runs | NROY share of the prior box | minutes |",
            "|---|---|---|---|---|---|",
        ]
        for w in h.waves:
            lines.append(
                f"| {w.index} | {len(w.design)} | {len(w.names)} | {w.runs} | {w.nroy:.4g} | "
                f"{w.seconds / 60:.1f} |"
            )
        lines += [
            "",
            "A point is ruled out when its implausibility exceeds "
            f"{t.cutoff:g} on any pattern under any wave's emulators: |target − emulated "
            "mean| / √(emulator variance + seed-noise variance + observation variance + "
            f"discrepancy variance), with observation and discrepancy sd {t.observation_sd:g} "
            f"and {t.discrepancy_sd:g} of the pattern's tolerance. The share is estimated "
            "from uniform draws over the calibrated parameters' prior box.",
            "",
            "### Which pattern constrains which parameter",
            "",
            "![sensitivity](figures/sensitivity.png)",
            "",
            "Main-effect (first-order Sobol) index of each calibrated parameter on each "
            "pattern under the last wave's emulator mean, over the prior box (indices of 0.05 "
            "or more shown):",
            "",
            "| pattern | " + " | ".join(h.sensitivity.columns) + " |",
            "|---|" + "---|" * h.sensitivity.shape[1],
        ]
        for name, row in h.sensitivity.iterrows():
            cells = [f"{v:.2f}" if v >= 0.05 else "" for v in row.to_numpy()]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Best-fit parameters and identifiability",
        "",
        f"The patterns identify {n_id} of {len(t.parameters)} calibrated parameters. "
        "Criterion: width of the posterior's 90 % interval divided by the prior's (0.9 of the "
        f"registry range); identified below {IDENTIFIED_RATIO}, weakly identified below "
        f"{WEAK_RATIO}, otherwise not identified. A parameter that is not identified keeps its "
        "prior range in every use of the posterior; its best-fit value is one of many that "
        "fit equally well and carries no evidence. The last column says which data would "
        "identify it.",
        "",
        "The column 'from a bound' gives the best fit's distance from the nearer bound, in "
        "% of the prior's range (a physical bound is named, with the reason): "
        + _edge_summary(t, result.best.theta),
        "",
        "| parameter | prior default | prior range | best fit | from a bound | posterior mean "
        "| posterior 90 % | width ratio | verdict | data that would identify it |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r, b in zip(ident.itertuples(), result.best.theta, strict=True):
        hint = "" if r.verdict == "identified" else t.identify.get(r.parameter, "")
        lines.append(
            f"| {r.parameter} | {_fmt(r.prior_default)} | {_fmt(r.lower)}–{_fmt(r.upper)} | "
            f"{_fmt(b)} | {_edge_text(t, r.parameter, b)} | {_fmt(r.posterior_mean)} | "
            f"{_fmt(r.q05)}–{_fmt(r.q95)} | {r.width_ratio:.2f} | {r.verdict} | {hint} |"
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
            "Posterior correlations of magnitude 0.4 or more (the patterns constrain these "
            "combinations rather than each parameter alone):",
            "",
            *[f"- {a} and {b}: {c:+.2f}" for _, a, b, c in strong],
            "",
        ]
    if result.loo is not None:
        lines += _loo_lines(result.loo)
    lines += [
        "## Convergence",
        "",
        "![convergence](figures/convergence.png)",
        "",
        "Each generation keeps the particles within its tolerance (alive), replaces the "
        "others by copies of kept ones and moves each copy by Metropolis-Hastings steps "
        "(moves); acceptance is the share of proposed moves accepted, distinct the particles "
        "that differ after the moves, runs the cumulative real-model points.",
        "",
        "| generation | tolerance ε | alive | moves | proposed | acceptance | distinct | runs |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in g.itertuples():
        lines.append(
            f"| {r.generation} | {r.epsilon:.3f} | {r.alive} | {r.moves} | {r.proposed} | "
            f"{r.acceptance:.2f} | {r.distinct} | {r.runs} |"
        )
    final = float(g["epsilon"].iloc[-1])
    stop = (
        f"reached the target tolerance {t.min_epsilon}" if final <= t.min_epsilon
        else "stopped by the run budget or a low acceptance rate of its moves before "
        f"reaching the target tolerance {t.min_epsilon}: the posterior is wider than the "
        "data alone would allow"
    )  # fmt: skip
    lines += [
        "",
        f"The final tolerance is {final:.3f} (distance units: one unit is about one pattern "
        f"tolerance); ABC {stop}. Best-fit distance: {result.best.distance:.3f} on "
        f"{plan.crn} common seeds.",
        "",
    ]
    return "\n".join(lines)


def _edge_text(t: Targets, name: str, value: float) -> str:
    """Distance of a best-fit value from its nearer bound, in % of the range."""
    p = REGISTRY[name]
    u = (value - p.lower) / (p.upper - p.lower)
    side = "lower" if u <= 0.5 else "upper"
    text = f"{100 * min(u, 1 - u):.0f} %"
    reason = t.physical.get(name, {}).get(side)
    if reason and min(u, 1 - u) < t.edge:
        text += f" ({side} bound physical: {reason})"
    return text


def _edge_summary(t: Targets, theta: np.ndarray) -> str:
    """Which best-fit values lie within the edge of a bound that is not physical."""
    close = [n for n, near in zip(t.parameters, t.near_edges(theta)[0], strict=True) if near]
    edge = f"{100 * t.edge:g} %"
    if not close:
        return f"none is within {edge} of a bound that is not physical."
    return f"within {edge} of a bound that is not physical: {', '.join(close)}."


def _loo_lines(loo: pd.DataFrame) -> list[str]:
    """The leave-one-pattern-out section."""
    n_within, n_cov = int(loo["within"].sum()), int(loo["covered"].sum())
    lines = [
        "## Leave one pattern out",
        "",
        "Each fitted pattern in turn is left out of the whole calibration (screening, "
        "history matching, ABC and the best fit on the other patterns, at a smaller run "
        "budget) and then predicted: at that fit's best fit (mean and 5-95 % over its "
        "validation seeds) and by its posterior predictive (5-95 %). Error: the "
        "prediction's distance from the figure in tolerances (0 on the right side of a "
        f"one-sided pattern). {n_within} of {len(loo)} predictions are within tolerance; "
        f"the predictive range covers {n_cov} of {len(loo)} figures. A pattern the others "
        "predict is corroborated by them; one they do not predict carries information the "
        "others lack (and the model fits it only by being fitted to it).",
        "",
        "| pattern left out | value | tolerance | predicted (mean) | 5-95 % | predictive "
        "5-95 % | error (tolerances) | within | covered | calibrated parameters |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in loo.itertuples():
        side = {"at_least": "≥ ", "at_most": "≤ "}.get(r.bound if isinstance(r.bound, str) else "")
        lines.append(
            f"| {r.pattern} | {side or ''}{_fmt(r.value)} | ±{_fmt(r.tolerance)} | "
            f"{_fmt(r.predicted)} | {_fmt(r.q05)}–{_fmt(r.q95)} | "
            f"{_fmt(r.predictive_q05)}–{_fmt(r.predictive_q95)} | {r.error:+.1f} | "
            f"{'yes' if r.within else '**no**'} | {'yes' if r.covered else '**no**'} | "
            f"{r.calibrated} |"
        )
    return [*lines, ""]


def _weighted_corr(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    cov = weighted_cov(x, w)
    sd = np.sqrt(np.maximum(np.diag(cov), 1e-300))
    return cov / np.outer(sd, sd)
