"""Value of information: which parameter, once known, would change the choice most.

For one outcome, choosing among policies ``d`` has the net benefit ``NB_d`` (the
outcome with its better direction up, in the outcome's unit). The *expected value of
partial perfect information* (EVPPI) of a parameter ``θ`` is what the choice would
gain, on average, if ``θ`` were known before choosing:

    EVPPI(θ) = E_θ[max_d E(NB_d | θ)] - max_d E(NB_d).

It is estimated from the exploration's runs by the regression method of Strong,
Oakley & Brennan (2014, *Medical Decision Making* 34: 311-326): regress the
incremental net benefit of each policy against the first (``NB_d - NB_1``, the state
means) on ``θ`` alone with a smoother, and average over the states,

    EVPPI(θ) ≈ mean_i max_d ĝ_d(θ_i) - max_d mean_i ĝ_d(θ_i),  ĝ_1 = 0.

The smoother is a penalised cubic regression spline (a P-spline: 10 B-spline basis
functions on evenly spaced knots, a second-difference penalty, the smoothing chosen by
generalised cross-validation), the one-term GAM the method's authors use. A
parameter with fewer distinct values than basis functions is regressed on its values
(the group means). Where the best policy by ``ĝ`` changes as ``θ`` moves, ``θ`` has a
*break-even value*: on one side one policy does better on average, on the other side
another.

With a hundred states the estimate has an upward bias (a smoother fits some noise),
and the largest of many parameters' estimates more so. Every decision therefore gets a
*noise floor*: the 95th percentile, over shuffles of the states' outcomes (after which
no parameter carries information), of the largest EVPPI of any parameter. A parameter
is worth learning, by this estimate, only above the floor.

Every comparison is a decision: each pair of policies, and all policies together.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.interpolate import BSpline

from sim.analysis.robustness.design import Outcome
from sim.analysis.robustness.measures import outcome_matrix
from sim.experiments.seeds import VOI_SHUFFLE, branch_rng

#: B-spline basis functions of the smoother (mgcv's default for one smooth term).
BASIS = 10
#: Smoothing parameters tried by generalised cross-validation (log-spaced, relative).
LAMBDAS = 10.0 ** np.linspace(-6, 8, 57)
#: Shuffles of the noise floor, and the quantile taken.
FLOOR_SHUFFLES = 49
FLOOR_QUANTILE = 0.95
#: A change of the best policy counts among the ``switches`` if it weighs at least this
#: share of the weightiest one (smaller ones are near-ties between two policies).
MINOR = 0.1
#: Separator of the policies in a comparison's label (``"a|b"``, ``"a|b|c"``).
SEP = "|"


@dataclass(frozen=True)
class Smoother:
    """A penalised regression of any number of responses on one parameter.

    Built once per parameter (:func:`smoother`); :meth:`fit` smooths the columns of
    a matrix, each with its own smoothing chosen by generalised cross-validation.

    Attributes:
        basis: Design matrix, shape ``(n, k)``, already rotated so that the penalty is
            diagonal (``basis.T @ basis`` is the identity).
        penalty: Eigenvalues of the penalty in that basis, shape ``(k,)`` (zeros for
            unpenalised directions, all zeros for a regression on group means).
    """

    basis: np.ndarray
    penalty: np.ndarray

    def fit(self, y: np.ndarray) -> np.ndarray:
        """Fitted values ``E(y | θ)`` at the states, one column per column of ``y``."""
        y = np.asarray(y, dtype=float)
        y2 = y if y.ndim == 2 else y[:, None]
        n = len(y2)
        z = self.basis.T @ y2  # coordinates in the orthonormal basis
        if self.penalty.any():
            # every smoothing parameter at once: shrinkage (L, k), coordinates (L, k, m)
            shrink = 1.0 / (1.0 + LAMBDAS[:, None] * self.penalty[None, :])
            edf = shrink.sum(axis=1)
            fz = shrink[:, :, None] * z[None, :, :]
            # residual sum of squares: |y|^2 - 2 z.f + |f|^2 in the orthonormal basis
            rss = (y2**2).sum(axis=0)[None, :] - (fz * (2 * z[None] - fz)).sum(axis=1)
            gcv = n * np.maximum(rss, 0.0) / np.maximum(n - edf, 1e-9)[:, None] ** 2
            z = shrink[gcv.argmin(axis=0)].T * z
        out = self.basis @ z
        return out if y.ndim == 2 else out[:, 0]


def smoother(x: np.ndarray, basis: int = BASIS) -> Smoother:
    """The smoother of responses on the parameter values ``x`` (one per state).

    A P-spline with ``basis`` cubic B-splines on evenly spaced knots and a
    second-difference penalty; with fewer distinct values than ``basis``, the
    regression on indicator variables of the values (group means).
    """
    x = np.asarray(x, dtype=float)
    values = np.unique(x)
    if len(values) < basis:
        design = (x[:, None] == values[None, :]).astype(float)
        q, _ = np.linalg.qr(design)
        return Smoother(q, np.zeros(q.shape[1]))
    lo, hi = float(values[0]), float(values[-1])
    inner = np.linspace(lo, hi, basis - 2)
    knots = np.r_[[lo] * 3, inner, [hi] * 3]
    design = BSpline.design_matrix(np.clip(x, lo, hi), knots, 3).toarray()
    diff = np.diff(np.eye(design.shape[1]), n=2, axis=0)
    # Demmler-Reinsch: orthonormalise the design, diagonalise the penalty in that basis
    q, r = np.linalg.qr(design)
    r_inv = np.linalg.pinv(r)
    pen = r_inv.T @ (diff.T @ diff) @ r_inv
    pen = (pen + pen.T) / 2
    eig, vec = np.linalg.eigh(pen)
    eig = np.where(eig > 1e-10 * eig.max(), eig, 0.0)
    scale = np.mean(eig[eig > 0]) if (eig > 0).any() else 1.0
    return Smoother(q @ vec, eig / scale)


def evppi(fitted: np.ndarray) -> float:
    """EVPPI from fitted incremental net benefits, one column per policy but the first.

    Args:
        fitted: ``ĝ_d(θ_i)``, shape ``(states, policies - 1)`` (the first policy's
            incremental net benefit is 0).

    Returns:
        ``mean_i max_d ĝ_d - max_d mean_i ĝ_d`` with ``ĝ_1 = 0``; exactly 0 where the
        same policy is best in every state (knowing ``θ`` would not change the choice).
    """
    g = np.column_stack([np.zeros(len(fitted)), np.asarray(fitted, dtype=float)])
    best = g.argmax(axis=1)
    if (best == best[0]).all():
        return 0.0
    return max(float(g.max(axis=1).mean() - g.mean(axis=0).max()), 0.0)


def break_evens(x: np.ndarray, fitted: np.ndarray) -> list[tuple[float, int, int, float]]:
    """Where the best policy by the fitted net benefits changes as ``x`` grows.

    Args:
        x: Parameter values, one per state.
        fitted: ``ĝ_d``, shape ``(states, policies - 1)`` (the first policy is 0).

    Returns:
        ``(value, best below, best above, weight)`` for each change, in increasing
        ``x``; policies by index (0 the first). The value interpolates linearly between
        the neighbouring states where the two fitted curves cross. The weight says how
        much the change matters: the summed fitted advantage of the policy below over
        the one above in the states below the value, plus the reverse above it (a
        change between two policies that hardly differ weighs little).
    """
    x = np.asarray(x, dtype=float)
    g = np.column_stack([np.zeros(len(x)), np.asarray(fitted, dtype=float)])
    order = np.argsort(x, kind="stable")
    xs, gs = x[order], g[order]
    keep = np.r_[True, np.diff(xs) > 0]  # equal values share their fit
    xs, gs = xs[keep], gs[keep]
    best = gs.argmax(axis=1)
    out = []
    for j in np.flatnonzero(best[1:] != best[:-1]):
        a, b = int(best[j]), int(best[j + 1])
        h = gs[:, a] - gs[:, b]
        t = h[j] / (h[j] - h[j + 1]) if h[j] != h[j + 1] else 0.5
        weight = float(np.clip(h[: j + 1], 0, None).sum() + np.clip(-h[j + 1 :], 0, None).sum())
        out.append((float(xs[j] + t * (xs[j + 1] - xs[j])), a, b, weight))
    return out


def _noise_floors(
    smooths: Sequence[Smoother],
    inb: np.ndarray,
    widths: Sequence[int],
    rng: np.random.Generator,
    shuffles: int,
) -> np.ndarray:
    """Each comparison's noise floor, from shuffles of the states' outcomes.

    After a shuffle no parameter carries information; the floor is a quantile of the
    largest EVPPI that any parameter then reaches.

    Args:
        smooths: One smoother per parameter.
        inb: Incremental net benefits of every comparison side by side.
        widths: Columns of ``inb`` per comparison.
        rng: Generator of the shuffles.
        shuffles: Number of shuffles.

    Returns:
        One floor per comparison (:data:`FLOOR_QUANTILE` of the maxima).
    """
    cuts = np.cumsum(widths)[:-1]
    maxima = np.zeros((shuffles, len(widths)))
    for s in range(shuffles):
        y = inb[rng.permutation(len(inb))]
        for smooth in smooths:
            for c, g in enumerate(np.split(smooth.fit(y), cuts, axis=1)):
                maxima[s, c] = max(maxima[s, c], evppi(g))
    return np.quantile(maxima, FLOOR_QUANTILE, axis=0)


def decisions(policies: Sequence[str]) -> list[tuple[str, ...]]:
    """The comparisons: every pair of policies in order, then all of them (if more than 2)."""
    out = [tuple(p) for p in itertools.combinations(policies, 2)]
    return out + ([tuple(policies)] if len(policies) > 2 else [])


def value_of_information(
    states: pd.DataFrame,
    outcomes: pd.DataFrame,
    specs: Sequence[Outcome],
    features: Sequence[str],
    *,
    seed: int,
    shuffles: int = FLOOR_SHUFFLES,
) -> pd.DataFrame:
    """EVPPI of every parameter for every comparison and outcome.

    Args:
        states: State table (``state`` and the feature columns).
        outcomes: State means (``policy, state``, one column per outcome).
        specs: Outcomes to analyse.
        features: Columns of ``states`` that are parameters (varied across states).
        seed: Master seed (the noise floor's shuffles derive from it).
        shuffles: Shuffles of the noise floor.

    Returns:
        One row per (outcome, comparison, parameter), the comparison's largest EVPPI
        first: ``outcome, comparison`` (policies joined by ``|``), ``parameter,
        evppi`` (outcome's unit), ``rank`` (1 the largest), ``floor`` (the
        comparison's noise floor, the same for all its parameters), ``above_floor``,
        ``break_even`` (the change of the best policy that weighs most, NaN if none:
        :func:`break_evens`), ``best_below``, ``best_above`` (the policies on either
        side of it) and ``switches`` (how many changes weigh at least :data:`MINOR` of
        that one).
    """
    x_all = states.set_index("state")
    varied = [f for f in features if x_all[f].nunique() > 1]
    rows = []
    for k, o in enumerate(specs):
        values = outcome_matrix(outcomes, o.label)
        x = x_all.loc[values.index]
        nb = o.sense * values.to_numpy(dtype=float)
        cols = list(values.columns)
        comps = decisions(cols)
        inbs = [nb[:, [cols.index(p) for p in c[1:]]] - nb[:, [cols.index(c[0])]] for c in comps]
        widths = [i.shape[1] for i in inbs]
        stacked = np.column_stack(inbs)
        smooths = [smoother(x[name].to_numpy(dtype=float)) for name in varied]
        fits = {
            name: np.split(sm.fit(stacked), np.cumsum(widths)[:-1], axis=1)
            for name, sm in zip(varied, smooths, strict=True)
        }
        rng = branch_rng(seed, VOI_SHUFFLE, k)
        if not varied:
            continue
        floors = _noise_floors(smooths, stacked, widths, rng, shuffles)
        for c, comp in enumerate(comps):
            found: list[dict[str, Any]] = []
            for name in varied:
                g = fits[name][c]
                even = break_evens(x[name].to_numpy(dtype=float), g)
                main = max(even, key=lambda e: e[3]) if even else None
                found.append(
                    {
                        "outcome": o.label,
                        "comparison": SEP.join(comp),
                        "parameter": name,
                        "evppi": evppi(g),
                        "break_even": main[0] if main else np.nan,
                        "best_below": comp[main[1]] if main else "",
                        "best_above": comp[main[2]] if main else "",
                        "switches": sum(e[3] >= MINOR * main[3] for e in even) if main else 0,
                    }
                )
            found.sort(key=lambda r: -float(r["evppi"]))
            floor = float(floors[c])
            for rank, r in enumerate(found, start=1):
                above = float(r["evppi"]) > floor
                rows.append(r | {"rank": rank, "floor": floor, "above_floor": above})
    cols = ["outcome", "comparison", "parameter", "evppi", "rank", "floor", "above_floor"]
    cols += ["break_even", "best_below", "best_above", "switches"]
    return pd.DataFrame(rows, columns=cols)
