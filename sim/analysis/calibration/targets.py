"""Calibration targets: the patterns, their sources, tolerances and weights.

A :class:`Target` is a pattern: a metric of the annual table in a year, optionally
divided by another (a rate), optionally the effect of a lever (the same seeds with the
lever off), optionally one-sided (at least / at most its value). :class:`Targets` holds
every pattern of a targets file with the calibrated parameters and the method's
settings; :func:`~sim.analysis.calibration.target_file.load_targets` reads and checks
one. Structural targets (exact by construction of the zone registry) carry no weight but
are checked all the same. Validation targets are never fitted, screened against or
matched: they are predictions the fit never saw (out-of-sample checks).

The best fit keeps clear of the prior's edges: a calibrated default within ``edge`` (a
share of the range) of a bound is a sign of a missing mechanism or a misread target, not
a finding, unless the bound is a physical limit (``[physical]``: parameter, bound and why).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from sim.core.params import REGISTRY
from sim.errors import ZonesimError

#: How a lever's effect is measured: ``relative`` (with / without - 1) or ``log``.
EFFECTS = ("relative", "log")
#: Transforms of a moment: ``pareto_top1`` reads a top-1 % share ``s`` as the Pareto
#: exponent ``alpha = 1 / (1 - ln s / ln 0.01)`` of a distribution with that share.
TRANSFORMS = ("pareto_top1",)
#: One-sided patterns: the moment should be at least / at most the value.
BOUNDS = ("at_least", "at_most")
#: Largest magnitude of a ratio of two effects (keeps near-zero denominators finite).
RATIO_CLIP = 5.0


class TargetsError(ZonesimError, ValueError):
    """A targets file is missing, malformed or invalid (message names file and key)."""


@dataclass(frozen=True)
class Target:
    """One calibration target.

    Attributes:
        name: Identifier (the key under ``[targets]``).
        metric: Column of the annual table, or of the zone table when ``table`` is
            ``"zones"``.
        value: The observed figure.
        tolerance: Relative (share of ``value``) or absolute tolerance.
        relative: Whether ``tolerance`` is relative.
        weight: Weight in the fitting distance (0: checked, not fitted).
        structural: Whether the figure holds by construction of the zone registry.
        source: Where the figure comes from.
        table: ``"annual"`` or ``"zones"``.
        zone_id: Zone of a zone-table target.
        year: Year of the metric (default: the targets' year).
        over: Metric divided into this one (a rate), or ``None``.
        over_year: Year of the divisor (default: ``year``).
        lever: Name of the lever whose effect this is (``None``: a level).
        effect: ``"relative"`` or ``"log"`` effect of the lever.
        transform: ``None`` or one of :data:`TRANSFORMS`.
        bound: ``None`` (two-sided) or one of :data:`BOUNDS`.
        validation: Whether the pattern is kept out of the fit (weight 0): a
            prediction checked against the figure, never used to choose parameters.
    """

    name: str
    metric: str
    value: float
    tolerance: float
    relative: bool = False
    weight: float = 1.0
    structural: bool = False
    source: str = ""
    table: str = "annual"
    zone_id: str | None = None
    year: int | None = None
    over: str | None = None
    over_year: int | None = None
    lever: str | None = None
    effect: str = "relative"
    transform: str | None = None
    bound: str | None = None
    validation: bool = False

    @property
    def abs_tolerance(self) -> float:
        """Tolerance in the metric's unit."""
        return abs(self.value) * self.tolerance if self.relative else self.tolerance

    @property
    def fitted(self) -> bool:
        """Whether the target enters the fitting distance."""
        return self.weight > 0 and not self.structural and self.table == "annual"

    def passes(self, simulated: float) -> bool:
        """Whether a simulated value is within tolerance (rounding-safe).

        A one-sided pattern passes on its side of the value and within tolerance of it
        on the other.
        """
        off = float(one_sided([self], np.array([simulated - self.value]))[0])
        return abs(off) <= self.abs_tolerance * (1 + 1e-9) + 1e-9


@dataclass(frozen=True)
class Targets:
    """A targets file: the figures, the calibrated parameters and method settings.

    Attributes:
        path: The file read.
        year: Year the targets describe; calibration runs end then.
        targets: Every target, in file order.
        parameters: Calibrated parameter names.
        ridge: Weight of the pull towards prior defaults in the search.
        abc_quantile: Quantile of accepted distances giving the next tolerance.
        min_epsilon: ABC stops once its tolerance is at most this.
        levers: Parameter overrides of each lever (the "without" runs of effects).
        screened: Whether ``parameters`` are candidates to screen (from ``groups``)
            rather than an explicit list.
        screen_threshold: Smallest main-effect index (on any pattern) that keeps a
            screened parameter.
        cutoff: Implausibility above which history matching rules a point out.
        observation_sd: Observation error sd, as a share of each tolerance.
        discrepancy_sd: Model discrepancy sd, as a share of each tolerance.
        identify: For parameters the patterns may leave unidentified, the data that
            would identify them (``[identify]``: parameter = text).
        edge: Share of a parameter's range next to each bound that the best fit keeps
            clear of (unless the bound is physical).
        physical: Bounds that are physical limits, with the reason
            (``[physical.<parameter>]``: ``lower`` / ``upper`` = text).
    """

    path: Path
    year: int
    targets: tuple[Target, ...]
    parameters: tuple[str, ...]
    ridge: float = 0.05
    abc_quantile: float = 0.5
    min_epsilon: float = 0.5
    levers: dict[str, dict[str, Any]] = field(default_factory=dict)
    screened: bool = False
    screen_threshold: float = 0.02
    cutoff: float = 3.0
    observation_sd: float = 0.5
    discrepancy_sd: float = 0.5
    identify: dict[str, str] = field(default_factory=dict)
    edge: float = 0.05
    physical: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def fitted(self) -> tuple[Target, ...]:
        """Targets entering the fitting distance."""
        return tuple(t for t in self.targets if t.fitted)

    @property
    def horizon(self) -> int:
        """Last year any pattern reads (the end of every calibration run)."""
        years = [self.year] + [y for t in self.targets for y in (t.year, t.over_year) if y]
        return max(years)

    @property
    def runs_per_point(self) -> int:
        """Model runs per parameter point and seed: the point and each lever fitted."""
        return 1 + len({t.lever for t in self.fitted if t.lever})

    def without(self, names: Iterable[str]) -> Targets:
        """The same targets with the patterns ``names`` dropped from the fit (weight 0)."""
        drop = set(names)
        return replace(
            self,
            targets=tuple(replace(t, weight=0.0) if t.name in drop else t for t in self.targets),
        )

    def with_parameters(self, names: Sequence[str]) -> Targets:
        """The same targets calibrating ``names`` (e.g. the screened parameters)."""
        return replace(self, parameters=tuple(names), screened=False)

    @property
    def bounds(self) -> np.ndarray:
        """Prior bounds (registry bounds), shape ``(parameters, 2)``."""
        return np.array([[REGISTRY[n].lower, REGISTRY[n].upper] for n in self.parameters])

    def near_edges(self, thetas: np.ndarray) -> np.ndarray:
        """Which coordinates lie within ``edge`` of the range from a non-physical bound.

        Args:
            thetas: Points, shape ``(points, parameters)`` (or one point).

        Returns:
            Booleans of the same shape (2-d).
        """
        thetas = np.atleast_2d(thetas)
        lo, hi = self.bounds.T
        u = (thetas - lo) / (hi - lo)
        free_lo = np.array(["lower" in self.physical.get(n, {}) for n in self.parameters])
        free_hi = np.array(["upper" in self.physical.get(n, {}) for n in self.parameters])
        return ((u < self.edge) & ~free_lo) | ((u > 1 - self.edge) & ~free_hi)

    def clear_of_edges(self, thetas: np.ndarray) -> np.ndarray:
        """Whether each point (row) keeps ``edge`` of the range from every bound.

        Physical bounds (:attr:`physical`) do not count.
        """
        return ~self.near_edges(thetas).any(axis=1)

    @property
    def prior_defaults(self) -> np.ndarray:
        """Prior default of each calibrated parameter (before any calibration)."""
        return np.array([prior_value(n) for n in self.parameters])


def one_sided(patterns: Sequence[Target], diff: np.ndarray) -> np.ndarray:
    """Differences ``simulated - value`` (last axis: ``patterns``), one-sided where asked.

    A one-sided pattern counts only on its wrong side: no difference above an
    ``at_least`` value, none below an ``at_most`` one.
    """
    lower = np.array([t.bound == "at_least" for t in patterns])
    upper = np.array([t.bound == "at_most" for t in patterns])
    return np.where(lower, np.minimum(diff, 0.0), np.where(upper, np.maximum(diff, 0.0), diff))


def prior_value(name: str) -> float:
    """Return a parameter's value before calibration (its prior default)."""
    p = REGISTRY[name]
    return float(p.prior if p.prior is not None else p.default)


def prior_params() -> dict[str, float]:
    """Every parameter at its prior default (calibration ignores calibrated.toml)."""
    return {name: prior_value(name) for name in REGISTRY}


def candidate_parameters(groups: Sequence[str], exclude: Sequence[str] = ()) -> tuple[str, ...]:
    """Continuous registry parameters of ``groups`` (registry order), less ``exclude``."""
    return tuple(
        n
        for n, p in REGISTRY.items()
        if p.group in groups and p.kind == "real" and p.lower < p.upper and n not in exclude
    )
