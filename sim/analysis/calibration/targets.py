"""Calibration targets: the patterns, their sources, tolerances and weights.

:func:`load_targets` reads a targets file (``calibration/targets_2018.toml``): every
pattern with its source, the model output that measures it, its tolerance and weight,
the levers of the effect-size patterns and the calibrated parameters (a list, or
registry groups to screen). A pattern is a metric of the annual table in a year,
optionally divided by another (a rate), optionally the effect of a lever (the same
seeds with the lever off), optionally one-sided (at least / at most its value).
Structural targets (exact by construction of the zone registry) carry no weight but
are checked all the same. Validation targets are never fitted, screened against or
matched: they are predictions the fit never saw (out-of-sample checks).

The best fit keeps clear of the prior's edges: a calibrated default within ``edge`` (a
share of the range) of a bound is a sign of a missing mechanism or a misread target, not
a finding, unless the bound is a physical limit (``[physical]``: parameter, bound and why).
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from sim.core.params import REGISTRY, ParameterError, resolve
from sim.core.run import FIRST_YEAR, METRICS
from sim.errors import MissingFileError, ZonesimError

#: Default targets file and output folder (relative to the working directory).
DEFAULT_TARGETS = Path("calibration/targets_2018.toml")
#: Names a target may have (they become table cells, figure titles and report rows).
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


_TARGET_KEYS = {
    "metric", "value", "tolerance", "relative", "weight", "structural", "source", "table",
    "zone_id", "year", "over", "over_year", "lever", "effect", "transform", "bound",
    "validation",
}  # fmt: skip


_CAL_KEYS = {
    "year", "parameters", "groups", "exclude", "screen_threshold", "ridge", "abc_quantile",
    "min_epsilon", "cutoff", "observation_sd", "discrepancy_sd", "edge",
}  # fmt: skip

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


def _number(path: Path, key: str, value: Any, *, lo: float = -math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise TargetsError(f"{path}: {key}: expected a number, got {value!r}")
    if value < lo:
        raise TargetsError(f"{path}: {key}: expected a number of at least {lo:g}, got {value!r}")
    return float(value)


def _choice(path: Path, key: str, value: Any, choices: Sequence[str]) -> str | None:
    if value is not None and value not in choices:
        raise TargetsError(f"{path}: {key}: expected one of {', '.join(choices)}, got {value!r}")
    return value


def _year(path: Path, key: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not FIRST_YEAR <= value <= 2060:
        raise TargetsError(f"{path}: {key}: expected a year from {FIRST_YEAR}, got {value!r}")
    return value


def _target(path: Path, name: str, table: Any, levers: Mapping[str, Any]) -> Target:
    if not NAME_PATTERN.fullmatch(name):
        raise TargetsError(
            f"{path}: targets.{name!r}: expected a name of letters, digits, '_', '.' or '-' "
            "(at most 64, starting with a letter or digit)"
        )
    key = f"targets.{name}"
    if not isinstance(table, Mapping):
        raise TargetsError(f"{path}: {key}: expected a table, got {table!r}")
    extra = set(table) - _TARGET_KEYS
    if extra:
        raise TargetsError(
            f"{path}: {key}.{sorted(extra)[0]}: expected one of {', '.join(sorted(_TARGET_KEYS))}"
        )
    for req in ("metric", "value", "tolerance"):
        if req not in table:
            raise TargetsError(f"{path}: {key}.{req}: expected a value (missing)")
    kind = table.get("table", "annual")
    if kind not in ("annual", "zones"):
        raise TargetsError(f"{path}: {key}.table: expected 'annual' or 'zones', got {kind!r}")
    metric = table["metric"]
    zone_id = table.get("zone_id")
    if kind == "annual":
        for field_ in ("metric", "over"):
            m = table.get(field_)
            if (field_ == "metric" or m is not None) and m not in METRICS:
                raise TargetsError(
                    f"{path}: {key}.{field_}: expected an annual metric (e.g. firms), got {m!r}"
                )
    else:
        if metric not in ZONE_COLUMNS:
            raise TargetsError(
                f"{path}: {key}.metric: expected a zone-table column "
                f"({', '.join(ZONE_COLUMNS)}), got {metric!r}"
            )
        if not isinstance(zone_id, str) or not zone_id:
            raise TargetsError(f"{path}: {key}.zone_id: expected a zone id such as 'Z01'")
        for field_ in ("over", "over_year", "lever", "transform", "year"):
            if field_ in table:
                raise TargetsError(f"{path}: {key}.{field_}: expected only on annual targets")
    for flag in ("relative", "structural", "validation"):
        if not isinstance(table.get(flag, False), bool):
            raise TargetsError(f"{path}: {key}.{flag}: expected true or false")
    source = table.get("source", "")
    if not isinstance(source, str):
        raise TargetsError(f"{path}: {key}.source: expected text, got {source!r}")
    validation = table.get("validation", False)
    if validation and table.get("weight", 0.0) != 0:
        raise TargetsError(
            f"{path}: {key}.weight: expected none (or 0) for a validation pattern, which is "
            "never fitted"
        )
    lever = table.get("lever")
    if lever is not None and lever not in levers:
        raise TargetsError(
            f"{path}: {key}.lever: expected a lever of [levers] "
            f"({', '.join(levers) or 'none defined'}), got {lever!r}"
        )
    return Target(
        name=name,
        metric=metric,
        value=_number(path, f"{key}.value", table["value"]),
        tolerance=_number(path, f"{key}.tolerance", table["tolerance"], lo=0.0),
        relative=table.get("relative", False),
        weight=0.0
        if validation
        else _number(path, f"{key}.weight", table.get("weight", 1.0), lo=0.0),
        structural=table.get("structural", False),
        source=source,
        table=kind,
        zone_id=zone_id,
        year=_year(path, f"{key}.year", table.get("year")),
        over=table.get("over"),
        over_year=_year(path, f"{key}.over_year", table.get("over_year")),
        lever=lever,
        effect=_choice(path, f"{key}.effect", table.get("effect", "relative"), EFFECTS) or "",
        transform=_choice(path, f"{key}.transform", table.get("transform"), TRANSFORMS),
        bound=_choice(path, f"{key}.bound", table.get("bound"), BOUNDS),
        validation=validation,
    )


def _physical(path: Path, tables: Any) -> dict[str, dict[str, str]]:
    """Check ``[physical.<parameter>]`` tables: ``lower`` / ``upper`` = the reason."""
    if not isinstance(tables, Mapping):
        raise TargetsError(f"{path}: physical: expected [physical.<parameter>] tables")
    out = {}
    for name, table in tables.items():
        key = f"physical.{name}"
        if name not in REGISTRY:
            raise TargetsError(f"{path}: {key}: expected a registered parameter, got {name!r}")
        if not isinstance(table, Mapping) or not table:
            raise TargetsError(f"{path}: {key}: expected lower and/or upper = the reason")
        for side, reason in table.items():
            if side not in ("lower", "upper") or not isinstance(reason, str) or not reason:
                raise TargetsError(
                    f"{path}: {key}.{side}: expected lower or upper = the reason (text)"
                )
        out[str(name)] = dict(table)
    return out


def _levers(path: Path, tables: Any) -> dict[str, dict[str, Any]]:
    """Check ``[levers.<name>]`` tables: parameter overrides of the "without" runs."""
    if not isinstance(tables, Mapping):
        raise TargetsError(f"{path}: levers: expected [levers.<name>] tables")
    out = {}
    for name, over in tables.items():
        if not isinstance(over, Mapping) or not over:
            raise TargetsError(f"{path}: levers.{name}: expected a table of parameter values")
        try:
            resolve({**prior_params(), **over})
        except ParameterError as exc:
            raise TargetsError(f"{path}: levers.{name}: {exc}") from None
        out[str(name)] = dict(over)
    return out


def candidate_parameters(groups: Sequence[str], exclude: Sequence[str] = ()) -> tuple[str, ...]:
    """Continuous registry parameters of ``groups`` (registry order), less ``exclude``."""
    return tuple(
        n
        for n, p in REGISTRY.items()
        if p.group in groups and p.kind == "real" and p.lower < p.upper and n not in exclude
    )


#: Zone-table columns a target may name.
ZONE_COLUMNS = (
    "firms", "entries", "exits", "gdp", "gdp_growth", "planned_area_km2", "land_used_km2",
    "staff", "bodies", "departments", "approval_days", "powers", "operators",
)  # fmt: skip


def _parameters(path: Path, cal: Mapping[str, Any]) -> tuple[tuple[str, ...], bool]:
    """The calibrated parameters: an explicit list, or the candidates of ``groups``."""
    if ("parameters" in cal) == ("groups" in cal):
        raise TargetsError(
            f"{path}: calibration.parameters: expected either a list of parameters or "
            "registry groups to screen (calibration.groups), not both or neither"
        )
    if "groups" in cal:
        groups, exclude = cal["groups"], cal.get("exclude", [])
        known = {p.group for p in REGISTRY.values()}
        for key, items in (("groups", groups), ("exclude", exclude)):
            if not isinstance(items, list) or not all(isinstance(g, str) for g in items):
                raise TargetsError(f"{path}: calibration.{key}: expected a list of names")
        for i, g in enumerate(groups):
            if g not in known:
                raise TargetsError(
                    f"{path}: calibration.groups[{i}]: expected a registry group "
                    f"({', '.join(sorted(known))}), got {g!r}"
                )
        for i, n in enumerate(exclude):
            if n not in REGISTRY:
                raise TargetsError(
                    f"{path}: calibration.exclude[{i}]: expected a registered parameter, got {n!r}"
                )
        names = candidate_parameters(groups, exclude)
        if not names:
            raise TargetsError(f"{path}: calibration.groups: no continuous parameter in {groups}")
        return names, True
    names = cal["parameters"]
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise TargetsError(f"{path}: calibration.parameters: expected a list of parameter names")
    for i, n in enumerate(names):
        key = f"calibration.parameters[{i}]"
        if n not in REGISTRY:
            raise TargetsError(f"{path}: {key}: expected a registered parameter name, got {n!r}")
        p = REGISTRY[n]
        if p.kind not in ("real", "year") or not p.lower < p.upper:
            raise TargetsError(
                f"{path}: {key}: expected a continuous parameter, got {n!r} ({p.kind})"
            )
    if len(set(names)) != len(names):
        raise TargetsError(f"{path}: calibration.parameters: expected each name once")
    return tuple(names), False


def load_targets(path: str | Path = DEFAULT_TARGETS) -> Targets:
    """Read and check a targets file.

    Args:
        path: TOML file with ``[calibration]`` and ``[targets.<name>]`` tables.

    Returns:
        The targets.

    Raises:
        FileNotFoundError: If the file does not exist.
        TargetsError: On a malformed file, an unknown key, metric or parameter, or a
            fitted target with zero tolerance.
    """
    path = Path(path)
    if not path.is_file():
        raise MissingFileError(f"{path}: targets file not found")
    try:
        with path.open("rb") as f:
            doc = tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise TargetsError(f"{path}: expected valid TOML ({exc})") from None
    extra = set(doc) - {"calibration", "targets", "levers", "identify", "physical"}
    if extra:
        raise TargetsError(
            f"{path}: {sorted(extra)[0]}: expected only [calibration], [levers], [targets], "
            "[identify] and [physical]"
        )
    identify = doc.get("identify", {})
    for k, v in identify.items():
        if k not in REGISTRY or not isinstance(v, str):
            raise TargetsError(
                f"{path}: identify.{k}: expected a registered parameter = text, got {v!r}"
            )
    cal = doc.get("calibration", {})
    if not isinstance(cal, Mapping):
        raise TargetsError(f"{path}: calibration: expected a table")
    bad = set(cal) - _CAL_KEYS
    if bad:
        raise TargetsError(
            f"{path}: calibration.{sorted(bad)[0]}: expected one of {', '.join(sorted(_CAL_KEYS))}"
        )
    year = cal.get("year", 2018)
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= 2060:
        raise TargetsError(
            f"{path}: calibration.year: expected a year from {FIRST_YEAR}, got {year!r}"
        )
    names, screened = _parameters(path, cal)
    quantile = _number(path, "calibration.abc_quantile", cal.get("abc_quantile", 0.5), lo=0.0)
    if not 0 < quantile < 1:
        raise TargetsError(f"{path}: calibration.abc_quantile: expected a number in (0, 1)")
    tables = doc.get("targets")
    if not isinstance(tables, Mapping) or not tables:
        raise TargetsError(f"{path}: targets: expected at least one [targets.<name>] table")
    levers = _levers(path, doc.get("levers", {}))
    targets = tuple(_target(path, str(k), v, levers) for k, v in tables.items())
    for t in targets:
        if t.fitted and t.abs_tolerance <= 0:
            raise TargetsError(
                f"{path}: targets.{t.name}.tolerance: expected > 0 for a fitted target"
            )
    out = Targets(
        path=path,
        year=year,
        targets=targets,
        parameters=names,
        ridge=_number(path, "calibration.ridge", cal.get("ridge", 0.05), lo=0.0),
        abc_quantile=quantile,
        min_epsilon=_number(path, "calibration.min_epsilon", cal.get("min_epsilon", 0.5), lo=0.0),
        levers=levers,
        identify=dict(identify),
        screened=screened,
        screen_threshold=_number(
            path, "calibration.screen_threshold", cal.get("screen_threshold", 0.02), lo=0.0
        ),
        cutoff=_number(path, "calibration.cutoff", cal.get("cutoff", 3.0), lo=0.0),
        observation_sd=_number(
            path, "calibration.observation_sd", cal.get("observation_sd", 0.5), lo=0.0
        ),
        discrepancy_sd=_number(
            path, "calibration.discrepancy_sd", cal.get("discrepancy_sd", 0.5), lo=0.0
        ),
        edge=_number(path, "calibration.edge", cal.get("edge", 0.05), lo=0.0),
        physical=_physical(path, doc.get("physical", {})),
    )
    if out.edge >= 0.5:
        raise TargetsError(f"{path}: calibration.edge: expected a share below 0.5")
    if not out.fitted:
        raise TargetsError(f"{path}: targets: expected at least one fitted (weighted) target")
    return out
