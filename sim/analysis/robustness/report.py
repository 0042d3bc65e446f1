"""The exploration folder: writers and readers of its tables, figures and report.

Layout::

    explore.json          settings (identity for resuming, policies, uncertainties)
    design.csv|parquet    the states of the world: state, seed, posterior draw, values
    runs/                 the batch folder (sim.load_results)
    outcomes.csv|parquet  one row per (policy, state), one column per outcome
    pairwise.*            P(A beats B) with Wilson intervals
    regret.*              regret distribution per policy and outcome
    satisficing.*         share of states meeting each threshold
    boxes.*, box_limits.*, trajectories.*   PRIM (chosen boxes, limits, peeling)
    feature_scores.*, break_even.*          feature ranking, single-parameter splits
    trees.txt             classification trees
    figures/*.png         win probabilities, regret, PRIM trade-offs
    report.md             everything above in words

Every file is written atomically (:mod:`sim.experiments.fileio`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.robustness.discovery import Discovery
from sim.analysis.robustness.words import likelihood, num, pct, scale_note
from sim.errors import MissingFileError
from sim.experiments.fileio import atomic_write, atomic_write_text

SETTINGS = "explore.json"
DESIGN = "design"
FIGURES = "figures"
TREES = "trees.txt"
REPORT = "report.md"
#: Tables of the folder: attributes of :class:`Exploration` stored under their own name,
#: and attributes of :class:`~.discovery.Discovery` by file stem.
_MEASURE_TABLES = ("outcomes", "pairwise", "regret", "satisficing")
_DISCOVERY_TABLES = {
    "boxes": "boxes",
    "box_limits": "limits",
    "trajectories": "trajectories",
    "feature_scores": "scores",
    "break_even": "break_even",
}


@dataclass
class Exploration:
    """An exploration's settings, design, outcomes, measures and discovery tables.

    Attributes:
        path: Its folder (``None`` while only in memory).
        settings: Contents of ``explore.json``.
        states: The design table (one row per state of the world).
        outcomes: One row per (policy, state), one column per outcome.
        pairwise: P(A beats B) per outcome (:func:`.measures.pairwise_wins`).
        regret: Regret summary per outcome and policy.
        satisficing: Satisficing shares per criterion and policy.
        discovery: Scenario-discovery tables.
    """

    path: Path | None
    settings: dict[str, Any]
    states: pd.DataFrame
    outcomes: pd.DataFrame
    pairwise: pd.DataFrame
    regret: pd.DataFrame
    satisficing: pd.DataFrame
    discovery: Discovery

    @property
    def policies(self) -> list[str]:
        """Policy names in order."""
        return list(dict.fromkeys(self.outcomes["policy"]))

    def p_win(self, outcome: str, a: str, b: str) -> pd.Series:
        """The row of P(``a`` beats ``b``) for ``outcome``."""
        pw = self.pairwise
        rows = pw[(pw["outcome"] == outcome) & (pw["policy_a"] == a) & (pw["policy_b"] == b)]
        if rows.empty:
            raise KeyError(f"no P({a} beats {b}) for {outcome}")
        return rows.iloc[0]


def _write_table(df: pd.DataFrame, folder: Path, stem: str) -> list[Path]:
    return [
        atomic_write(folder / f"{stem}.csv", lambda p: df.to_csv(p, index=False)),
        atomic_write(folder / f"{stem}.parquet", lambda p: df.to_parquet(p, index=False)),
    ]


def _read_table(folder: Path, stem: str) -> pd.DataFrame:
    path = folder / f"{stem}.parquet"
    if path.is_file():
        return pd.read_parquet(path)
    return pd.read_csv(folder / f"{stem}.csv")


def _json(settings: dict[str, Any]) -> str:
    return json.dumps(settings, indent=1, ensure_ascii=False, default=str) + "\n"


def write_design(states: pd.DataFrame, settings: dict[str, Any], out_dir: Path) -> list[Path]:
    """Write the settings and the design table (before any run, so a resume finds them)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = _write_table(states, out_dir, DESIGN)
    return [*written, atomic_write_text(out_dir / SETTINGS, _json(settings))]


def write_exploration(exp: Exploration, out_dir: Path) -> list[Path]:
    """Write every table, the trees, the figures and ``report.md``.

    Returns:
        The paths written.
    """
    out_dir = Path(out_dir)
    written = write_design(exp.states, exp.settings, out_dir)
    for stem in _MEASURE_TABLES:
        written += _write_table(getattr(exp, stem), out_dir, stem)
    for stem, attr in _DISCOVERY_TABLES.items():
        written += _write_table(getattr(exp.discovery, attr), out_dir, stem)
    trees = "".join(f"## {key}\n\n{body}\n" for key, body in exp.discovery.trees.items())
    written.append(atomic_write_text(out_dir / TREES, trees))
    written += write_figures(exp, out_dir / FIGURES)
    written.append(atomic_write_text(out_dir / REPORT, render_report(exp)))
    return written


def _read_trees(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    parts = re.split(r"^## (.+)\n\n", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return {parts[i]: parts[i + 1].rstrip("\n") + "\n" for i in range(1, len(parts) - 1, 2)}


def read_exploration(folder: str | Path) -> Exploration:
    """Load an exploration folder written by :func:`write_exploration`.

    Raises:
        FileNotFoundError: If ``folder`` holds no finished exploration.
    """
    folder = Path(folder)
    if not (folder / SETTINGS).is_file() or not (folder / "pairwise.csv").is_file():
        raise MissingFileError(
            f"{folder}: expected a `zonesim explore` folder ({SETTINGS} and pairwise.csv)"
        )
    settings = json.loads((folder / SETTINGS).read_text(encoding="utf-8"))
    tables = {stem: _read_table(folder, stem) for stem in _MEASURE_TABLES}
    disc = {attr: _read_table(folder, stem) for stem, attr in _DISCOVERY_TABLES.items()}
    return Exploration(
        path=folder,
        settings=settings,
        states=_read_table(folder, DESIGN),
        discovery=Discovery(**disc, trees=_read_trees(folder / TREES)),
        **tables,
    )


# --------------------------------------------------------------------------- figures


def _save(fig: Any, path: Path) -> Path:
    return atomic_write(path, lambda p: fig.savefig(p, dpi=110, format="png"))


def write_figures(exp: Exploration, fig_dir: Path) -> list[Path]:
    """Draw win-probability matrices, regret distributions and PRIM trade-offs (PNG).

    Figures are drawn on :class:`matplotlib.figure.Figure` objects, never through
    ``pyplot``, so the caller's plotting backend is left alone.
    """
    from matplotlib.figure import Figure

    from sim.analysis.robustness.design import parse_outcomes
    from sim.analysis.robustness.measures import outcome_matrix, regret

    fig_dir.mkdir(parents=True, exist_ok=True)
    specs = parse_outcomes(exp.settings["outcomes"])
    policies = exp.policies
    n = len(specs)
    paths = []

    fig = Figure(figsize=(3.4 * n + 0.6, 3.2 + 0.25 * len(policies)))
    axes = fig.subplots(1, n, squeeze=False)[0]
    for ax, o in zip(axes, specs, strict=True):
        pw = exp.pairwise[exp.pairwise["outcome"] == o.label]
        m = np.full((len(policies), len(policies)), np.nan)
        for r in pw.itertuples():
            m[policies.index(r.policy_a), policies.index(r.policy_b)] = r.p_win
        ax.imshow(m, vmin=0, vmax=1, cmap="RdBu")
        for i in range(len(policies)):
            for j in range(len(policies)):
                if i != j:
                    ax.text(j, i, f"{m[i, j]:.2f}", ha="center", va="center", fontsize=7)
        ax.set_xticks(range(len(policies)), policies, rotation=45, ha="right", fontsize=7)
        ax.set_yticks(range(len(policies)), policies if ax is axes[0] else [], fontsize=7)
        ax.set_title(o.label, fontsize=8)
    fig.suptitle("P(row beats column) over the states of the world", fontsize=9)
    fig.tight_layout()
    paths.append(_save(fig, fig_dir / "win_probability.png"))

    fig = Figure(figsize=(3.4 * n + 0.6, 3.4))
    axes = fig.subplots(1, n, squeeze=False)[0]
    for ax, o in zip(axes, specs, strict=True):
        r = regret(outcome_matrix(exp.outcomes, o.label), o)
        ax.boxplot([r[p].to_numpy() for p in policies], whis=(5, 95), showfliers=False)
        ax.set_xticks(range(1, len(policies) + 1), policies, rotation=45, ha="right", fontsize=7)
        ax.set_title(f"regret, {o.label}", fontsize=8)
        ax.tick_params(axis="y", labelsize=7)
    fig.tight_layout()
    paths.append(_save(fig, fig_dir / "regret.png"))

    traj = exp.discovery.trajectories
    if len(traj):
        shown = list(dict.fromkeys(traj["outcome"]))
        fig = Figure(figsize=(3.6 * len(shown) + 0.6, 3.6))
        axes = fig.subplots(1, len(shown), squeeze=False)[0]
        for ax, label in zip(axes, shown, strict=True):
            t = traj[traj["outcome"] == label]
            for (win, lose), d in t.groupby(["winner", "loser"], sort=False):
                line = ax.plot(d["coverage"], d["density"], lw=0.9, label=f"{win} > {lose}")[0]
                c = d[d["chosen"].astype(bool)]
                ax.scatter(c["coverage"], c["density"], color=line.get_color(), s=18, zorder=3)
            ax.set(xlabel="coverage", ylabel="density", xlim=(0, 1.02), ylim=(0, 1.02))
            ax.set_title(f"PRIM peeling, {label}", fontsize=8)
        axes[0].legend(fontsize=6)
        fig.tight_layout()
        paths.append(_save(fig, fig_dir / "prim_tradeoff.png"))
    return paths


# --------------------------------------------------------------------------- report


def box_sentences(exp: Exploration, outcome: str, lang: str = "en") -> list[str]:
    """The chosen PRIM box of every (winner, loser) pair of ``outcome``, in words."""
    from sim.analysis.robustness.section import box_sentence

    boxes = exp.discovery.boxes
    boxes = boxes[boxes["outcome"] == outcome]
    return [box_sentence(exp, r, lang) for _, r in boxes.iterrows()]


def posterior_note(settings: dict[str, Any]) -> str:
    """Which calibration posterior the states drew from, in words (from the settings)."""
    used = settings.get("posterior")
    if used in (None, "none"):
        return "none (calibrated parameters at their defaults, or in the hypercube if named)"
    default = " (the default: the copy shipped with the scenarios)"
    return f"`{used}`" + (default if settings.get("posterior_default") else "")


def render_report(exp: Exploration) -> str:
    """The Markdown report: design, measures, discovery."""
    s = exp.settings
    lines = [
        "# Robustness analysis and scenario discovery",
        "",
        f"- Policies: {', '.join(exp.policies)}.",
        f"- States of the world: {s['states']} (Latin hypercube over "
        f"{len(s['lhs_parameters'])} parameters' registry ranges"
        + (
            f", plus calibration-posterior draws for {len(s['posterior_parameters'])} "
            "calibrated parameters"
            if s.get("posterior_parameters")
            else "; calibrated parameters at their defaults"
        )
        + f"); one seed per state; master seed {s['seed']}.",
        f"- Calibration posterior: {posterior_note(s)}.",
        "- Every policy runs in every state with the same parameter values and seed.",
        f"- The policy files' `[run]` tables are not used: the exploration sets the years "
        f"({s['start']}–{s['end']}), the seeds and the posterior draws.",
        f"- Runs: {len(exp.outcomes)}"
        + (f" in {s['run_seconds']} s on {s.get('backend', '?')}" if "run_seconds" in s else "")
        + ".",
    ]
    over = {p: v for p, v in (s.get("policy_overrides") or {}).items() if v}
    for policy, names in over.items():
        lines.append(
            f"- Policy `{policy}` sets {', '.join(f'`{n}`' for n in names)} itself: its value "
            "wins over the state's, so these are not uncertain for it."
        )
    lines += [
        "",
        "P(A beats B) is the share of states in which A's outcome is strictly better; the "
        "95 % Wilson interval covers the sampling of states (parameter values, posterior "
        "draw and seed together), not seed noise alone. " + scale_note("en"),
        "",
        "## P(A beats B)",
        "",
        "| outcome | A | B | P(A beats B) | 95 % interval | in words | ties |",
        "|---|---|---|---:|---:|---|---:|",
    ]
    for r in exp.pairwise.itertuples():
        lines.append(
            f"| {r.outcome} | {r.policy_a} | {r.policy_b} | {pct(r.p_win)} | "
            f"{pct(r.p_win_low)}–{pct(r.p_win_high)} | {likelihood(r.p_win)} | {pct(r.p_tie)} |"
        )
    lines += [
        "",
        "## Regret",
        "",
        "Shortfall from the best policy in each state (outcome units; 0 for the best).",
        "",
        "| outcome | policy | mean | median | 90th pct | max | mean (share of best) | best in |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in exp.regret.itertuples():
        lines.append(
            f"| {r.outcome} | {r.policy} | {num(r.mean)} | {num(r.median)} | {num(r.p90)} | "
            f"{num(r.max)} | {pct(r.mean_rel)} | {pct(r.best_share)} |"
        )
    if len(exp.satisficing):
        lines += [
            "",
            "## Satisficing",
            "",
            "| criterion | policy | share of states | 95 % interval |",
            "|---|---|---:|---:|",
        ]
        for r in exp.satisficing.itertuples():
            lines.append(
                f"| {r.criterion} | {r.policy} | {pct(r.share)} | "
                f"{pct(r.share_low)}–{pct(r.share_high)} |"
            )
    lines += [
        "",
        "## Scenario discovery",
        "",
        "PRIM (EMA Workbench) box per pair: the largest-coverage box on the peeling "
        f"trajectory with density >= {s.get('density_target', 0.8):g} (else the densest). "
        "Coverage: share of the winner's wins inside the box; density: share of states "
        "in the box where it wins. Break-even values: one-split classification tree on "
        "each parameter alone. Trees: `trees.txt`.",
    ]
    for label in s.get("discover", []):
        lines += ["", f"### {label}", ""]
        lines += [f"- {t}" for t in box_sentences(exp, label, "en")]
        be = exp.discovery.break_even
        be = be[be["outcome"] == label] if len(be) else be
        if len(be):
            lines += ["", "| A | B | parameter | break-even | A wins below | A wins above |"]
            lines += ["|---|---|---|---:|---:|---:|"]
            for (_, _), d in be.groupby(["policy_a", "policy_b"], sort=False):
                for r in d.head(3).itertuples():
                    lines.append(
                        f"| {r.policy_a} | {r.policy_b} | {r.parameter} | {num(r.threshold)} | "
                        f"{pct(r.p_win_below)} | {pct(r.p_win_above)} |"
                    )
        fs = exp.discovery.scores
        fs = fs[fs["outcome"] == label] if len(fs) else fs
        if len(fs):
            lines.append("")
            for (a, b), d in fs.groupby(["policy_a", "policy_b"], sort=False):
                top = ", ".join(f"{r.parameter} ({r.score:.2f})" for r in d.head(5).itertuples())
                lines.append(f"- Feature scores, {a} vs {b}: {top}")
    lines += [
        "",
        "Tables: `design`, `outcomes`, `pairwise`, `regret`, `satisficing`, `boxes`, "
        "`box_limits`, `trajectories`, `feature_scores`, `break_even` (CSV and Parquet); "
        "figures in `figures/`; runs in `runs/` (`sim.load_results`).",
        "",
    ]
    return "\n".join(lines)
