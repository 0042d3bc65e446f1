"""The exploration folder: writers and readers of its tables, figures and report.

Layout::

    explore.json          settings (identity for resuming, policies, uncertainties)
    design.csv|parquet    the states of the world: state, seed, posterior draw, values
    runs/                 the batch folder (sim.load_results)
    outcome_runs.*        one row per (policy, state, seed), one column per outcome
    outcomes.csv|parquet  one row per (policy, state): the means over the state's seeds
    pairwise.*            P(A beats B) with Wilson intervals, grade, seed-noise share
    regret.*              regret distribution per policy and outcome
    satisficing.*         share of states meeting each threshold
    boxes.*, box_limits.*, trajectories.*   PRIM (chosen boxes, limits, peeling)
    feature_scores.*, break_even.*          feature ranking, single-parameter splits
    evppi.*               value of information of each parameter per comparison
    trees.txt             classification trees
    figures/*.png         win probabilities, regret, PRIM trade-offs
    report.md             everything above in words

Every file is written atomically (:mod:`sim.experiments.fileio`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis import safetext
from sim.analysis.robustness.discovery import Discovery
from sim.analysis.robustness.measures import Comparison, compare
from sim.analysis.robustness.words import likelihood, num, pct, scale_note, sig2
from sim.analysis.safetext import display_path
from sim.errors import MissingFileError
from sim.experiments.fileio import atomic_write, atomic_write_text

SETTINGS = "explore.json"
DESIGN = "design"
FIGURES = "figures"
TREES = "trees.txt"
REPORT = "report.md"
#: The batch folder of the runs.
RUNS = "runs"
#: Figures of :func:`write_figures`.
FIGURE_FILES = ("win_probability.png", "regret.png", "prim_tradeoff.png")
#: Tables of the folder: attributes of :class:`Exploration` stored under their own name,
#: and attributes of :class:`~.discovery.Discovery` by file stem.
_MEASURE_TABLES = ("outcomes", "pairwise", "regret", "satisficing")
#: Tables of the folder that older explorations lack (read as empty): file stem, attribute.
_OPTIONAL_TABLES = {"outcome_runs": "runs", "evppi": "evppi"}
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
        runs: One row per (policy, state, seed): ``policy, state, replicate, seed``,
            outcomes (``outcomes`` holds their means per state).
        evppi: Value of information per outcome, comparison and parameter
            (:func:`~sim.analysis.robustness.voi.value_of_information`).
    """

    path: Path | None
    settings: dict[str, Any]
    states: pd.DataFrame
    outcomes: pd.DataFrame
    pairwise: pd.DataFrame
    regret: pd.DataFrame
    satisficing: pd.DataFrame
    discovery: Discovery
    runs: pd.DataFrame = field(default_factory=pd.DataFrame)
    evppi: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def policies(self) -> list[str]:
        """Policy names in order."""
        return list(dict.fromkeys(self.outcomes["policy"]))

    def compare(self, outcome: str, a: str, b: str) -> Comparison:
        """The pair ``a``, ``b`` on ``outcome``, the more frequent winner first."""
        return compare(self.pairwise, outcome, a, b)

    def p_win(self, outcome: str, a: str, b: str) -> pd.Series:
        """The row of P(``a`` beats ``b``) for ``outcome``."""
        pw = self.pairwise
        rows = pw[(pw["outcome"] == outcome) & (pw["policy_a"] == a) & (pw["policy_b"] == b)]
        if rows.empty:
            raise KeyError(f"no P({a} beats {b}) for {outcome}")
        return rows.iloc[0]


def output_files() -> list[str]:
    """Every file an exploration may write in its folder (relative paths)."""
    stems = [DESIGN, *_MEASURE_TABLES, *_DISCOVERY_TABLES]
    return [
        SETTINGS,
        TREES,
        REPORT,
        *(f"{stem}.{ext}" for stem in stems for ext in ("csv", "parquet")),
        *(f"{FIGURES}/{name}" for name in FIGURE_FILES),
    ]


def _write_table(df: pd.DataFrame, folder: Path, stem: str) -> list[Path]:
    return [
        safetext.write_csv(folder / f"{stem}.csv", df),
        atomic_write(folder / f"{stem}.parquet", lambda p: df.to_parquet(p, index=False)),
    ]


def _read_table(folder: Path, stem: str) -> pd.DataFrame:
    path = folder / f"{stem}.parquet"
    if path.is_file():
        return pd.read_parquet(path)
    return safetext.read_csv(folder / f"{stem}.csv")


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
    for stem, attr in _OPTIONAL_TABLES.items():
        written += _write_table(getattr(exp, attr), out_dir, stem)
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
    for stem, attr in _OPTIONAL_TABLES.items():
        if (folder / f"{stem}.csv").is_file():
            tables[attr] = _read_table(folder, stem)
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

    fig = win_probability_figure(exp)
    paths.append(_save(fig, fig_dir / FIGURE_FILES[0]))

    fig = Figure(figsize=(3.4 * n + 0.6, 3.4), layout="constrained")
    axes = fig.subplots(1, n, squeeze=False)[0]
    for ax, o in zip(axes, specs, strict=True):
        r = regret(outcome_matrix(exp.outcomes, o.label), o)
        ax.boxplot([r[p].to_numpy() for p in policies], whis=(5, 95), showfliers=False)
        ax.set_xticks(range(1, len(policies) + 1), policies, rotation=45, ha="right", fontsize=7)
        ax.set_title(f"regret, {o.label}", fontsize=8)
        ax.tick_params(axis="y", labelsize=7)
    paths.append(_save(fig, fig_dir / FIGURE_FILES[1]))

    traj = exp.discovery.trajectories
    if len(traj):
        shown = list(dict.fromkeys(traj["outcome"]))
        fig = Figure(figsize=(3.6 * len(shown) + 0.6, 3.6), layout="constrained")
        axes = fig.subplots(1, len(shown), squeeze=False)[0]
        for ax, label in zip(axes, shown, strict=True):
            t = traj[traj["outcome"] == label]
            for (win, lose), d in t.groupby(["winner", "loser"], sort=False):
                line = ax.plot(d["coverage"], d["density"], lw=0.9, label=f"{win} > {lose}")[0]
                c = d[d["chosen"].astype(bool)]
                ax.scatter(c["coverage"], c["density"], color=line.get_color(), s=18, zorder=3)
            ax.set(xlabel="coverage", ylabel="density", xlim=(0, 1.02), ylim=(0, 1.02))
            ax.set_title(f"PRIM peeling, {label}", fontsize=8)
        handles, names = axes[0].get_legend_handles_labels()  # beside the lines, not on them
        fig.legend(handles, names, loc="outside lower center", ncols=3, fontsize=6)
        paths.append(_save(fig, fig_dir / FIGURE_FILES[2]))
    return paths


def win_probability_figure(exp: Exploration) -> Any:
    """Matrices of P(row beats column), one per outcome, every label inside the figure."""
    from matplotlib.figure import Figure

    from sim.analysis.robustness.design import parse_outcomes

    specs = parse_outcomes(exp.settings["outcomes"])
    policies = exp.policies
    n = len(specs)
    fig = Figure(figsize=(3.4 * n + 0.6, 3.2 + 0.25 * len(policies)), layout="constrained")
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
    return fig


# --------------------------------------------------------------------------- report


def box_sentences(exp: Exploration, outcome: str, lang: str = "en") -> list[str]:
    """The chosen PRIM box of every (winner, loser) pair of ``outcome``, in words."""
    from sim.analysis.robustness.sentences import box_sentence

    boxes = exp.discovery.boxes
    boxes = boxes[boxes["outcome"] == outcome]
    return [box_sentence(exp, r, lang) for _, r in boxes.iterrows()]


def posterior_note(settings: dict[str, Any]) -> str:
    """Which calibration posterior the states drew from, in words (from the settings).

    The file is named relative to the working folder, or by its name, with its checksum
    (:func:`sim.analysis.safetext.display_path`): never by an absolute path.
    """
    used = settings.get("posterior")
    if used in (None, "none"):
        return "none (calibrated parameters at their defaults, or in the hypercube if named)"
    sha = settings.get("posterior_sha256")
    default = " (the default: the copy shipped with the scenarios)"
    return (
        f"`{display_path(used)}`"
        + (f", sha256 {sha[:16]}" if sha else "")
        + (default if settings.get("posterior_default") else "")
    )


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
        + f"); {seeds_text(s)} per state; master seed {s['seed']}.",
        f"- Calibration posterior: {posterior_note(s)}.",
        "- Every policy runs in every state with the same parameter values and seeds "
        "(common random numbers); a state's outcome is the mean over its seeds.",
        f"- The policy files' `[run]` tables are not used: the exploration sets the years "
        f"({s['start']}–{s['end']}), the seeds and the posterior draws.",
        f"- Runs: {len(exp.outcomes) * int(s.get('seeds_per_state') or 1)}"
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
        "draw and seeds together). " + scale_note("en") + " *Seed noise* is the share of "
        "the variance of the difference A - B between state means that is seed noise "
        "(within-state variance over the seeds, divided by their number); *states to "
        "tell* is how many states would narrow an ungraded interval into the band of its "
        "share, if the share stayed as it is.",
        "",
        "## P(A beats B)",
        "",
        "| outcome | A | B | P(A beats B) | 95 % interval | in words | ties | seed noise "
        "| states to tell |",
        "|---|---|---|---:|---:|---|---:|---:|---:|",
    ]
    for r in exp.pairwise.itertuples():
        lines.append(
            f"| {r.outcome} | {r.policy_a} | {r.policy_b} | {pct(r.p_win)} | "
            f"{pct(r.p_win_low)}–{pct(r.p_win_high)} | {likelihood(r.p_win_low, r.p_win_high)} "
            f"| {pct(r.p_tie)} | {pct(getattr(r, 'seed_share', float('nan')))} "
            f"| {states_to_tell(getattr(r, 'states_needed', -1))} |"
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
            f"| {r.outcome} | {r.policy} | {sig2(r.mean)} | {sig2(r.median)} | {sig2(r.p90)} | "
            f"{sig2(r.max)} | {pct(r.mean_rel)} | {pct(r.best_share)} |"
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
    lines += evppi_lines(exp)
    lines += [
        "",
        "Tables: `design`, `outcome_runs`, `outcomes`, `pairwise`, `regret`, `satisficing`, "
        "`boxes`, `box_limits`, `trajectories`, `feature_scores`, `break_even`, `evppi` (CSV "
        "and Parquet); figures in `figures/`; runs in `runs/` (`sim.load_results`).",
        "",
    ]
    return "\n".join(lines)


#: Parameters per comparison in the report's value-of-information table.
EVPPI_SHOWN = 5


def seeds_text(settings: dict[str, Any]) -> str:
    """``"2 seeds"`` (``"one seed"`` for explorations made before seeds per state)."""
    k = int(settings.get("seeds_per_state") or 1)
    return "one seed" if k == 1 else f"{k} seeds"


def states_to_tell(needed: Any) -> str:
    """The ``states_needed`` column in words: blank when graded, a count, or "more than"."""
    from sim.analysis.robustness.words import MAX_STATES

    if needed is None or pd.isna(needed) or int(needed) == 0:
        return ""
    return f"> {MAX_STATES:,}" if int(needed) < 0 else f"{int(needed):,}"


def evppi_lines(exp: Exploration) -> list[str]:
    """The report's value-of-information section (empty without an EVPPI table)."""
    ev = exp.evppi
    if ev is None or ev.empty:
        return []
    lines = [
        "",
        "## Value of information",
        "",
        "Expected value of partial perfect information (EVPPI) of each parameter, by the "
        "regression method of Strong, Oakley & Brennan (2014): the expected gain, in the "
        "outcome's unit, from knowing the parameter before choosing among the compared "
        "policies (a penalised spline of each policy's incremental outcome on the "
        "parameter, smoothing by generalised cross-validation). The noise floor is the 95th "
        "percentile of the top parameter's EVPPI with its values shuffled across states; "
        "only values above it say anything. The break-even value is where the policy that "
        f"does better on average changes. The {EVPPI_SHOWN} largest per comparison:",
        "",
        "| outcome | comparison | parameter | EVPPI | noise floor | break-even | better below "
        "| better above |",
        "|---|---|---|---:|---:|---:|---|---|",
    ]
    for (_, comp), d in ev.groupby(["outcome", "comparison"], sort=False):
        for r in d.sort_values("rank").head(EVPPI_SHOWN).itertuples():
            lines.append(
                f"| {r.outcome} | {comp.replace('|', ' / ')} | {r.parameter} | {sig2(r.evppi)} | "
                f"{sig2(r.floor)} | {num(r.break_even)} | {r.best_below or '–'} | "
                f"{r.best_above or '–'} |"
            )
    return lines
