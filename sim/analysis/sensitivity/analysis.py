"""Designs and indices: sampling a design and analysing its outputs, for every method.

:func:`make_design` samples a design with the method's module (the table
:data:`~sim.analysis.sensitivity.methods.METHODS`); :func:`analyze_design` computes
the indices of every output on the whole design or on its first base units (the
convergence check); :func:`convergence_table` compares headline indices at N/2 and N.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import ModuleType

import numpy as np
import pandas as pd

from sim.analysis.sensitivity.methods import METHODS
from sim.analysis.sensitivity.problem import (
    SensitivityArgumentError,
    SensitivityError,
    factor_names,
)
from sim.experiments.seeds import salib_seed

#: An index has converged when its interval half-width is at most this share of its
#: value (PAWN, which has no interval: when it moved at most this share from N/2 to N).
CONVERGENCE_TOLERANCE = 0.10

#: A Morris mu*, PAWN median or DGSM index is influential from this share of the
#: largest index of the same output up (Sobol: the method's absolute ``THRESHOLD``).
RELATIVE_THRESHOLD = 0.10

#: Smallest base sample size that still leaves a usable half for the convergence check.
MIN_BASE = 4


@dataclass(frozen=True)
class Design:
    """A sampled design and what is needed to analyse it.

    Attributes:
        method: A key of :data:`~sim.analysis.sensitivity.methods.METHODS`.
        problem: The SALib problem.
        X: Design in parameter units, one row per model evaluation.
        n_base: Base sample size (Sobol/PAWN/DGSM ``N``, Morris trajectories).
        block: Rows per base unit (the first ``m * block`` rows form a design of
            base size ``m``).
        options: Method options (``num_levels``, ``delta``).
    """

    method: str
    problem: dict
    X: np.ndarray
    n_base: int
    block: int
    options: dict = field(default_factory=dict)

    def rows(self, n_base: int | None = None) -> int:
        """Rows of the design restricted to its first ``n_base`` base units."""
        return (self.n_base if n_base is None else n_base) * self.block


def make_design(
    method: str,
    problem: dict,
    n: int,
    *,
    seed: int,
    num_levels: int = 4,
    delta: float = 0.01,
) -> Design:
    """Sample a design with the method's module.

    Args:
        method: A key of :data:`~sim.analysis.sensitivity.methods.METHODS`: ``morris``
            (``n`` trajectories), ``sobol`` (Saltelli design, first and total order,
            ``n`` a power of two), ``pawn`` (scrambled Sobol' sequence of ``n`` points,
            a power of two) or ``dgsm`` (finite differences around ``n`` base points).
        problem: SALib problem from :func:`~sim.analysis.sensitivity.build_problem`.
        n: Base sample size.
        seed: Master seed; the sampling stream is derived from it.
        num_levels: Morris grid levels (even).
        delta: DGSM relative finite-difference step.

    Returns:
        The design.

    Raises:
        SensitivityArgumentError: On an unknown method or an invalid size or option
            (names the argument).
    """
    m = method_module(method)
    if n < MIN_BASE:
        raise SensitivityArgumentError("n", f": expected at least {MIN_BASE}, got {n}")
    if problem.get("groups") and not m.GROUPS:
        groups = " or ".join(k for k, v in METHODS.items() if v.GROUPS)
        raise SensitivityArgumentError("grouped", f": expected method {groups}, not {method}")
    problem = copy.deepcopy(problem)  # SALib may add keys to the problem it is given
    options = {k: v for k, v in {"num_levels": num_levels, "delta": delta}.items()
               if k in m.OPTIONS}  # fmt: skip
    X = m.sample(problem, n, seed=salib_seed(seed, 0), **options)
    return Design(method, problem, X, n, m.block(problem), options)


def method_module(method: str) -> ModuleType:
    """Return the module of a method of the table (see :mod:`~sim.analysis.sensitivity.methods`).

    Raises:
        SensitivityArgumentError: If ``method`` is not in the table.
    """
    if method not in METHODS:
        raise SensitivityArgumentError(
            "method", f" {method!r}: expected one of {', '.join(METHODS)}"
        )
    return METHODS[method]


def analyze_design(
    design: Design,
    Y: np.ndarray,
    outputs: Sequence[str],
    *,
    seed: int,
    n_base: int | None = None,
    conf_level: float = 0.95,
    resamples: int = 1000,
) -> pd.DataFrame:
    """Compute the indices of every output.

    Args:
        design: The sampled design.
        Y: Outputs, shape ``(rows, outputs)`` (the first :meth:`Design.rows` rows
            are used).
        outputs: Output labels, one per column of ``Y``.
        seed: Master seed (the bootstrap stream is derived from it).
        n_base: Analyse only the first ``n_base`` base units (default: all).
        conf_level: Confidence level of the intervals.
        resamples: Bootstrap resamples.

    Returns:
        Long table: ``parameter``, ``output``, then the ``COLUMNS`` of the
        method. ``parameter`` holds the group name in a grouped analysis.

    Raises:
        SensitivityError: If an output is constant or not finite over the design.
    """
    rows = design.rows(n_base)
    X = design.X[:rows]
    Y = np.asarray(Y, dtype=float).reshape(len(design.X), -1)[:rows]
    names = factor_names(design.problem)
    columns = method_module(design.method).COLUMNS
    frames = []
    for j, label in enumerate(outputs):
        y = Y[:, j]
        if not np.all(np.isfinite(y)):
            raise SensitivityError(f"output {label}: expected finite values at every point")
        if np.ptp(y) == 0:
            res = {c: np.zeros(len(names)) for c in columns}
        else:
            res = method_module(design.method).analyze(
                design.problem,
                X,
                y,
                seed=salib_seed(seed, 1 + j),
                conf_level=conf_level,
                resamples=resamples,
                **design.options,
            )
            res = {c: np.asarray(res[c], dtype=float) for c in columns}
        frame = pd.DataFrame({"parameter": names, "output": label, **res})
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def convergence_table(method: str, full: pd.DataFrame, half: pd.DataFrame) -> pd.DataFrame:
    """Compare headline indices at N/2 and N and flag influence and convergence.

    Influential: indices of at least the method's ``THRESHOLD`` (Sobol); other methods'
    indices of at least :data:`RELATIVE_THRESHOLD` of the output's largest (and, for
    Morris, above the noise floor when one is known). Converged: interval
    half-width at most :data:`CONVERGENCE_TOLERANCE` of the value (PAWN: change from
    N/2 to N at most that share).
    """
    frames = []
    m = method_module(method)
    for index, conf in m.PRIMARY:
        f = full[["parameter", "output"]].copy()
        f["index"] = index
        f["value"] = full[index].to_numpy()
        f["value_half"] = half[index].to_numpy()
        f["conf"] = full[conf].to_numpy() if conf else np.nan
        f["change"] = (f["value"] - f["value_half"]).abs()
        scale = f["value"].abs().replace(0, np.nan)
        f["rel_halfwidth"] = f["conf"] / scale
        f["rel_change"] = f["change"] / scale
        if m.THRESHOLD is not None:
            f["influential"] = f["value"] >= m.THRESHOLD
        else:
            peak = f.groupby("output")["value"].transform(lambda v: v.abs().max())
            f["influential"] = (f["value"].abs() >= RELATIVE_THRESHOLD * peak) & (peak > 0)
            if "mu_star_noise_floor" in full:
                floor = full["mu_star_noise_floor"].to_numpy(dtype=float)
                f["influential"] &= ~(f["value"] <= np.nan_to_num(floor, nan=-np.inf))
        measure = f["rel_change"] if conf is None else f["rel_halfwidth"]
        f["converged"] = (measure <= CONVERGENCE_TOLERANCE).fillna(False)
        frames.append(f)
    return pd.concat(frames, ignore_index=True)
