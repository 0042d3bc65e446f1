"""Robustness measures of policies over the states of the world.

Every measure works on a matrix of one outcome: one row per state of the world, one
column per policy (:func:`outcome_matrix`). Outcomes where smaller is better
(``Output.better`` in :mod:`sim.core.outputs`) are compared with the sign turned, so
"beats" and "regret" always mean better and shortfall.

* **P(A beats B)**: the share of states in which A's outcome is strictly better than
  B's, with a Wilson score interval for a binomial proportion over the states. Each
  state is an independent draw of the uncertain parameters, of the posterior and of
  the seed, so the interval covers the sampling of all three, not seed noise alone.
  Ties (equal outcomes, common for counts) are counted apart.
* **Regret**: in each state, the shortfall of a policy from the best policy in that
  state (0 for the best), in the outcome's unit and as a share of the best value;
  summarised by mean, median, 90th percentile and maximum, and the share of states
  in which the policy is the best.
* **Satisficing**: the share of states in which a policy meets a threshold the user
  gives (``metric@year>=value`` or ``<=``), with a Wilson interval.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import binomtest

from sim.analysis.robustness.design import ExploreError, Outcome, parse_outcome

#: Confidence level of every interval.
CONF_LEVEL = 0.95
#: Regret quantile reported beside the mean, median and maximum.
REGRET_QUANTILE = 0.90

_OPS = {">=": operator.ge, "<=": operator.le}


@dataclass(frozen=True)
class Threshold:
    """A satisficing criterion ``outcome op value``.

    Attributes:
        outcome: The outcome.
        op: ``">="`` or ``"<="``.
        value: The threshold.
    """

    outcome: Outcome
    op: str
    value: float

    @property
    def label(self) -> str:
        """The criterion as written on the command line."""
        return f"{self.outcome.label}{self.op}{self.value:g}"

    def met(self, values: np.ndarray) -> np.ndarray:
        """Whether each value meets the criterion."""
        return _OPS[self.op](np.asarray(values, dtype=float), self.value)


def parse_thresholds(texts: str | Sequence[str] | None) -> tuple[Threshold, ...]:
    """Parse ``metric@year>=value`` criteria (comma-separated or listed).

    Raises:
        ExploreError: On a malformed criterion.
    """
    if texts is None:
        return ()
    if isinstance(texts, str):
        texts = [t for t in texts.split(",") if t.strip()]
    out = []
    for text in texts:
        m = re.fullmatch(r"\s*([^<>=\s]+)\s*(>=|<=)\s*(\S+)\s*", text)
        if m is None:
            raise ExploreError(
                "thresholds", f" {text!r}: expected metric@year>=value or metric@year<=value"
            )
        try:
            value = float(m.group(3))
        except ValueError:
            raise ExploreError(
                "thresholds", f" {text!r}: expected a number after {m.group(2)}"
            ) from None
        if not np.isfinite(value):
            raise ExploreError("thresholds", f" {text!r}: expected a finite number")
        try:
            outcome = parse_outcome(m.group(1))
        except ExploreError as exc:
            raise ExploreError("thresholds", exc.detail) from None
        out.append(Threshold(outcome, m.group(2), value))
    return tuple(out)


def wilson_interval(k: int, n: int, conf: float = CONF_LEVEL) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion ``k / n`` (NaN when ``n`` is 0)."""
    if n == 0:
        return float("nan"), float("nan")
    ci = binomtest(int(k), int(n)).proportion_ci(conf, method="wilson")
    return float(ci.low), float(ci.high)


def outcome_matrix(outcomes: pd.DataFrame, label: str) -> pd.DataFrame:
    """One outcome as a state-by-policy matrix.

    Args:
        outcomes: The outcome table (``policy``, ``state``, one column per outcome).
        label: Outcome label (``metric@year``).

    Returns:
        Rows: states present for every policy (sorted); columns: policies in order
        of appearance.
    """
    policies = list(dict.fromkeys(outcomes["policy"]))
    wide = outcomes.pivot(index="state", columns="policy", values=label)[policies]
    return wide.dropna().sort_index()


def _signed(values: pd.DataFrame, outcome: Outcome) -> np.ndarray:
    return outcome.sense * values.to_numpy(dtype=float)


def pairwise_wins(values: pd.DataFrame, outcome: Outcome, conf: float = CONF_LEVEL) -> pd.DataFrame:
    """P(A beats B) for every ordered pair of policies, with Wilson intervals.

    Args:
        values: State-by-policy matrix (:func:`outcome_matrix`).
        outcome: The outcome (its sense says which direction is better).
        conf: Confidence level.

    Returns:
        One row per ordered pair: ``outcome, policy_a, policy_b, states, wins, ties,
        p_win, p_win_low, p_win_high, p_tie``.
    """
    x = _signed(values, outcome)
    n = x.shape[0]
    rows = []
    for i, j in itertools.permutations(range(x.shape[1]), 2):
        wins = int(np.sum(x[:, i] > x[:, j]))
        ties = int(np.sum(x[:, i] == x[:, j]))
        lo, hi = wilson_interval(wins, n, conf)
        rows.append(
            {
                "outcome": outcome.label,
                "policy_a": values.columns[i],
                "policy_b": values.columns[j],
                "states": n,
                "wins": wins,
                "ties": ties,
                "p_win": wins / n if n else float("nan"),
                "p_win_low": lo,
                "p_win_high": hi,
                "p_tie": ties / n if n else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def regret(values: pd.DataFrame, outcome: Outcome) -> pd.DataFrame:
    """Regret of every policy in every state: shortfall from the best policy there.

    Returns:
        State-by-policy matrix of regrets (>= 0, in the outcome's unit).
    """
    x = _signed(values, outcome)
    r = x.max(axis=1, keepdims=True) - x
    return pd.DataFrame(r, index=values.index, columns=values.columns)


def _nan_stat(fn: Any, x: np.ndarray) -> float:
    return float(fn(x)) if np.isfinite(x).any() else float("nan")


def regret_summary(values: pd.DataFrame, outcome: Outcome) -> pd.DataFrame:
    """Distribution of each policy's regret over the states.

    Returns:
        One row per policy: ``outcome, policy, states, mean, median, p90, max``
        (unit of the outcome), ``mean_rel`` and ``max_rel`` (as a share of the best
        policy's value in the state) and ``best_share`` (states where it is best).
    """
    r = regret(values, outcome)
    x = values.to_numpy(dtype=float)
    best = np.abs(x[np.arange(len(x)), np.argmax(_signed(values, outcome), axis=1)])[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(best > 0, r.to_numpy() / best, np.nan)
    rows = []
    for j, policy in enumerate(values.columns):
        col = r[policy].to_numpy()
        rows.append(
            {
                "outcome": outcome.label,
                "policy": policy,
                "states": len(col),
                "mean": float(np.mean(col)),
                "median": float(np.median(col)),
                "p90": float(np.quantile(col, REGRET_QUANTILE)),
                "max": float(np.max(col)),
                "mean_rel": _nan_stat(np.nanmean, rel[:, j]),
                "max_rel": _nan_stat(np.nanmax, rel[:, j]),
                "best_share": float(np.mean(col == 0)),
            }
        )
    return pd.DataFrame(rows)


def satisficing(
    values: pd.DataFrame, threshold: Threshold, conf: float = CONF_LEVEL
) -> pd.DataFrame:
    """Share of states in which each policy meets a threshold, with Wilson intervals.

    Returns:
        One row per policy: ``criterion, outcome, policy, states, met, share,
        share_low, share_high``.
    """
    rows = []
    for policy in values.columns:
        met = threshold.met(values[policy].to_numpy())
        k, n = int(met.sum()), len(met)
        lo, hi = wilson_interval(k, n, conf)
        rows.append(
            {
                "criterion": threshold.label,
                "outcome": threshold.outcome.label,
                "policy": policy,
                "states": n,
                "met": k,
                "share": k / n if n else float("nan"),
                "share_low": lo,
                "share_high": hi,
            }
        )
    return pd.DataFrame(rows)


def measure_all(
    outcomes: pd.DataFrame,
    specs: Sequence[Outcome],
    thresholds: Sequence[Threshold] = (),
    conf: float = CONF_LEVEL,
) -> dict[str, pd.DataFrame]:
    """Every measure of every outcome.

    Returns:
        ``{"pairwise": ..., "regret": ..., "satisficing": ...}`` long tables.
    """
    pair, reg, sat = [], [], []
    for o in specs:
        values = outcome_matrix(outcomes, o.label)
        pair.append(pairwise_wins(values, o, conf))
        reg.append(regret_summary(values, o))
    for t in thresholds:
        sat.append(satisficing(outcome_matrix(outcomes, t.outcome.label), t, conf))
    sat_cols = ["criterion", "outcome", "policy", "states", "met", "share", "share_low"]
    return {
        "pairwise": pd.concat(pair, ignore_index=True),
        "regret": pd.concat(reg, ignore_index=True),
        "satisficing": (
            pd.concat(sat, ignore_index=True)
            if sat
            else pd.DataFrame(columns=[*sat_cols, "share_high"])
        ),
    }
