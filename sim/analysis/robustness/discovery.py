"""Scenario discovery: in which regions of the uncertainty space does a policy win?

For a pair of policies A and B and one outcome, every state of the world is labelled
"A beats B" or not (:mod:`.measures`), and the uncertain parameters of the states are
the features. Four maintained methods describe where A wins:

* **PRIM** (Friedman & Fisher 1999, as used for scenario discovery by Bryant &
  Lempert 2010), from EMA Workbench (:class:`ema_workbench.analysis.prim.Prim`): the
  peeling trajectory (coverage, density, mass, restricted dimensions of every box),
  and a chosen box: the one with the largest coverage among those whose density is
  at least :data:`DENSITY_TARGET` (the densest box if none reaches it), less the
  restrictions whose quasi-p values all exceed :data:`QP_MAX` (dropped with EMA
  Workbench's ``drop_restriction``; the most significant one stays), with its
  limits on the restricted dimensions and their quasi-p values. PRIM runs both ways
  (A beats B, B beats A) so that each alternative gets its conditions.
* A **classification tree** (scikit-learn's CART, depth :data:`TREE_DEPTH`) as text.
* A **feature ranking** from extra trees (EMA Workbench's
  :func:`~ema_workbench.analysis.feature_scoring.get_ex_feature_scores`).
* **Break-even values** of single parameters: a depth-1 classification tree (one
  split minimising Gini impurity) on each parameter alone gives the value ``t`` that
  best separates A's wins from its losses, with A's win rate below and above ``t``.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.robustness.design import Outcome
from sim.analysis.robustness.measures import outcome_matrix
from sim.core.params import REGISTRY
from sim.experiments.seeds import DISCOVERY, branch_state32

#: A chosen PRIM box has at least this density where one exists.
DENSITY_TARGET = 0.8
#: PRIM's smallest box mass, peeling and pasting steps (EMA Workbench's defaults).
MASS_MIN = 0.05
PEEL_ALPHA = 0.05
#: Restricted dimensions whose quasi-p values all exceed this are dropped from a chosen box.
QP_MAX = 0.05
#: Depth of the classification tree.
TREE_DEPTH = 3
#: Trees of the extra-trees feature ranking.
N_TREES = 100


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Silence EMA Workbench's import warnings and progress log while it runs."""
    logger = logging.getLogger("EMA")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _random_state(seed: int, *key: int) -> int:
    return branch_state32(seed, DISCOVERY, *key)


@dataclass
class PrimResult:
    """One PRIM run: the peeling trajectory and the chosen box.

    Attributes:
        trajectory: One row per box on the trajectory: ``id, coverage, density, mass,
            res_dim, n, k``.
        chosen: Row id of the chosen box.
        limits: The chosen box's restricted dimensions: ``parameter, lower, upper,
            data_lower, data_upper, qp_lower, qp_upper`` (quasi-p values, NaN where a
            side is not restricted).
    """

    trajectory: pd.DataFrame
    chosen: int
    limits: pd.DataFrame

    @property
    def stats(self) -> dict[str, float]:
        """Coverage, density, mass and restricted dimensions of the chosen box."""
        row = self.trajectory.loc[self.chosen]
        return {k: float(row[k]) for k in ("coverage", "density", "mass", "res_dim")}


def _trajectory(box: Any) -> pd.DataFrame:
    cols = ["id", "coverage", "density", "mass", "res_dim", "n", "k"]
    trajectory = box.peeling_trajectory[cols].copy().reset_index(drop=True)
    for c in ("id", "res_dim", "n", "k"):
        trajectory[c] = trajectory[c].astype(int)
    return trajectory


def choose_box(trajectory: pd.DataFrame, density_target: float = DENSITY_TARGET) -> int:
    """Largest-coverage box with density >= ``density_target`` (else the densest box)."""
    ok = trajectory[trajectory["density"] >= density_target]
    if ok.empty:
        return int(trajectory["density"].idxmax())
    return int(ok.sort_values(["coverage", "density"], ascending=False).index[0])


def run_prim(
    x: pd.DataFrame,
    y: np.ndarray,
    *,
    density_target: float = DENSITY_TARGET,
    mass_min: float = MASS_MIN,
    peel_alpha: float = PEEL_ALPHA,
) -> PrimResult:
    """Find one PRIM box for the cases ``y`` with EMA Workbench.

    Args:
        x: Features, one row per state, numeric columns.
        y: Cases of interest (booleans), one per row of ``x``.
        density_target: Density the chosen box should reach (:func:`choose_box`).
        mass_min: Smallest share of the states a box may hold.
        peel_alpha: Share of the states peeled at each step.

    Returns:
        The trajectory and chosen box.

    Raises:
        ValueError: If ``y`` has no case of interest.
    """
    y = np.asarray(y, dtype=bool)
    if not y.any():
        raise ValueError("y: expected at least one case of interest")
    with _quiet():
        from ema_workbench.analysis import prim

        finder = prim.Prim(
            x.reset_index(drop=True).astype(float),
            y.astype(int),
            mass_min=mass_min,
            peel_alpha=peel_alpha,
        )
        box = finder.find_box()
        chosen = choose_box(_trajectory(box), density_target)
        init = box.box_lims[0]
        restricted = [c for c in x.columns if not box.box_lims[chosen][c].equals(init[c])]
        qp0 = {c: [v for v in box.p_values[chosen].get(c, []) if v >= 0] for c in restricted}
        weak = [c for c in restricted if all(v > QP_MAX for v in qp0[c])]
        if weak and len(weak) == len(restricted):  # keep the most significant one
            weak.remove(min(weak, key=lambda c: min(qp0[c], default=np.inf)))
        if weak:
            for k, name in enumerate(weak):  # appends the pruned boxes to the trajectory
                box.drop_restriction(name, i=chosen if k == 0 else None)
            chosen = len(box.box_lims) - 1
    trajectory = _trajectory(box)
    lims, qp = box.box_lims[chosen], box.p_values[chosen]
    rows = []
    for name in x.columns:
        lo, hi = float(lims.loc[0, name]), float(lims.loc[1, name])
        lo0, hi0 = float(init.loc[0, name]), float(init.loc[1, name])
        if lo == lo0 and hi == hi0:
            continue
        q = [v if v >= 0 else np.nan for v in qp.get(name, [np.nan, np.nan])]
        rows.append(
            {
                "parameter": name,
                "lower": lo if lo > lo0 else np.nan,
                "upper": hi if hi < hi0 else np.nan,
                "data_lower": lo0,
                "data_upper": hi0,
                "qp_lower": q[0],
                "qp_upper": q[1],
            }
        )
    limit_cols = ["parameter", "lower", "upper", "data_lower", "data_upper", "qp_lower", "qp_upper"]
    return PrimResult(trajectory, chosen, pd.DataFrame(rows, columns=limit_cols))


def tree_text(x: pd.DataFrame, y: np.ndarray, *, seed: int, depth: int = TREE_DEPTH) -> str:
    """A classification tree of ``y`` on ``x`` as text (scikit-learn's ``export_text``)."""
    from sklearn.tree import DecisionTreeClassifier, export_text

    leaf = max(5, len(x) // 20)
    tree = DecisionTreeClassifier(max_depth=depth, min_samples_leaf=leaf, random_state=seed)
    tree.fit(x.to_numpy(dtype=float), np.asarray(y, dtype=bool))
    accuracy = tree.score(x.to_numpy(dtype=float), np.asarray(y, dtype=bool))
    body = export_text(tree, feature_names=list(x.columns), class_names=["loses", "wins"])
    return f"(training accuracy {accuracy:.2f}, min {leaf} states per leaf)\n{body}"


def feature_scores(x: pd.DataFrame, y: np.ndarray, *, seed: int) -> pd.DataFrame:
    """Extra-trees feature scores (EMA Workbench), largest first.

    Returns:
        ``parameter, score, rank`` (scores sum to 1).
    """
    with _quiet():
        from ema_workbench.analysis.feature_scoring import get_ex_feature_scores

        scores, _ = get_ex_feature_scores(
            x.reset_index(drop=True).astype(float),
            np.asarray(y, dtype=int),
            nr_trees=N_TREES,
            max_features=max(1, round(x.shape[1] / 3)),
            random_state=seed,
        )
    out = pd.DataFrame({"parameter": list(scores.index), "score": scores.iloc[:, 0].to_numpy()})
    out["rank"] = np.arange(1, len(out) + 1)
    return out


def break_even(x: pd.DataFrame, y: np.ndarray) -> pd.DataFrame:
    """Single-parameter break-even values from a depth-1 classification tree each.

    For each parameter alone, the split value ``t`` that minimises Gini impurity;
    ``side`` is where A wins more often (``above``: parameter > t).

    Returns:
        ``parameter, threshold, side, p_win_below, p_win_above, n_below, n_above,
        gain`` (impurity decrease), largest gain first; parameters with no split are
        left out.
    """
    from sklearn.tree import DecisionTreeClassifier

    y = np.asarray(y, dtype=bool)
    rows = []
    for name in x.columns:
        v = x[name].to_numpy(dtype=float)
        stump = DecisionTreeClassifier(max_depth=1).fit(v[:, None], y)
        if stump.tree_.node_count < 3:
            continue
        t = float(stump.tree_.threshold[0])
        below = v <= t
        p_lo, p_hi = float(y[below].mean()), float(y[~below].mean())
        rows.append(
            {
                "parameter": name,
                "threshold": t,
                "side": "above" if p_hi > p_lo else "below",
                "p_win_below": p_lo,
                "p_win_above": p_hi,
                "n_below": int(below.sum()),
                "n_above": int((~below).sum()),
                "gain": float(stump.tree_.impurity[0] - (
                    below.mean() * stump.tree_.impurity[1]
                    + (~below).mean() * stump.tree_.impurity[2])),
            }
        )  # fmt: skip
    cols = ["parameter", "threshold", "side", "p_win_below", "p_win_above", "n_below"]
    out = pd.DataFrame(rows, columns=[*cols, "n_above", "gain"])
    return out.sort_values("gain", ascending=False, kind="stable").reset_index(drop=True)


@dataclass
class Discovery:
    """Scenario-discovery tables of an exploration.

    Attributes:
        boxes: One row per (outcome, winner, loser): ``states, cases, base_rate,
            status`` (``box``, ``always`` or ``never``), and the chosen box's
            ``box_id, coverage, density, mass, res_dim``.
        limits: Chosen boxes' restricted dimensions (see :class:`PrimResult`), keyed
            by ``outcome, winner, loser``, with the registry's ``range_lower`` and
            ``range_upper``.
        trajectories: Peeling trajectories, keyed likewise, with a ``chosen`` flag.
        scores: Feature scores per (outcome, policy_a, policy_b).
        break_even: Break-even values per (outcome, policy_a, policy_b).
        trees: Tree texts by ``"outcome: A beats B"``.
    """

    boxes: pd.DataFrame
    limits: pd.DataFrame
    trajectories: pd.DataFrame
    scores: pd.DataFrame
    break_even: pd.DataFrame
    trees: dict[str, str]


def discover(
    states: pd.DataFrame,
    outcomes: pd.DataFrame,
    specs: Sequence[Outcome],
    features: Sequence[str],
    *,
    seed: int,
    density_target: float = DENSITY_TARGET,
) -> Discovery:
    """Run every discovery method for every pair of policies and outcome.

    Args:
        states: State table (``state`` and the feature columns).
        outcomes: Outcome table (``policy``, ``state``, one column per outcome).
        specs: Outcomes to analyse.
        features: Columns of ``states`` used as features (the varied parameters).
        seed: Master seed (random states of the tree methods derive from it).
        density_target: Density the chosen PRIM box should reach.

    Returns:
        The tables.
    """
    box_rows: list[dict[str, Any]] = []
    limits, trajs, scores, evens = [], [], [], []
    trees: dict[str, str] = {}
    x_all = states.set_index("state")[list(features)]
    for k, o in enumerate(specs):
        values = outcome_matrix(outcomes, o.label)
        x = x_all.loc[values.index]
        signed = o.sense * values.to_numpy(dtype=float)
        cols = list(values.columns)
        for (i, a), (j, b) in itertools.combinations(enumerate(cols), 2):
            key = {"outcome": o.label, "policy_a": a, "policy_b": b}
            a_wins = signed[:, i] > signed[:, j]
            if 0 < a_wins.sum() < len(a_wins):
                rs = _random_state(seed, k, i, j)
                trees[f"{o.label}: {a} beats {b}"] = tree_text(x, a_wins, seed=rs)
                scores.append(feature_scores(x, a_wins, seed=rs).assign(**key))
                evens.append(break_even(x, a_wins).assign(**key))
            for win, lose, y in ((a, b, a_wins), (b, a, signed[:, j] > signed[:, i])):
                row: dict[str, Any] = {
                    "outcome": o.label,
                    "winner": win,
                    "loser": lose,
                    "states": len(y),
                    "cases": int(y.sum()),
                    "base_rate": float(y.mean()),
                }
                if not y.any() or y.all():
                    row["status"] = "never" if not y.any() else "always"
                    box_rows.append(row)
                    continue
                res = run_prim(x, y, density_target=density_target)
                row |= {"status": "box", "box_id": res.chosen, **res.stats}
                box_rows.append(row)
                tag = {"outcome": o.label, "winner": win, "loser": lose}
                lim = res.limits.assign(**tag)
                lim["range_lower"] = [_bound(p, "lower") for p in lim["parameter"]]
                lim["range_upper"] = [_bound(p, "upper") for p in lim["parameter"]]
                limits.append(lim)
                traj = res.trajectory.assign(**tag)
                traj["chosen"] = traj["id"] == res.chosen
                trajs.append(traj)
    box_cols = ["outcome", "winner", "loser", "states", "cases", "base_rate", "status"]
    box_cols += ["box_id", "coverage", "density", "mass", "res_dim"]
    return Discovery(
        boxes=pd.DataFrame(box_rows).reindex(columns=box_cols),
        limits=_concat(limits, ["outcome", "winner", "loser", "parameter"]),
        trajectories=_concat(trajs, ["outcome", "winner", "loser", "id"]),
        scores=_concat(scores, ["outcome", "policy_a", "policy_b", "parameter"]),
        break_even=_concat(evens, ["outcome", "policy_a", "policy_b", "parameter"]),
        trees=trees,
    )


def _bound(name: str, side: str) -> float:
    p = REGISTRY.get(name)
    return float(getattr(p, side)) if p is not None else float("nan")


def _concat(frames: list[pd.DataFrame], lead: list[str]) -> pd.DataFrame:
    """Concatenate with the key columns first (an empty table keeps them)."""
    if not frames:
        return pd.DataFrame(columns=lead)
    df = pd.concat(frames, ignore_index=True)
    return df[[*lead, *(c for c in df.columns if c not in lead)]]
