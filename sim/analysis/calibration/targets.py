"""Calibration targets: the end-2018 figures, their sources, tolerances and weights.

:func:`load_targets` reads a targets file (``calibration/targets_2018.toml``): every
figure with its source, the model output it is compared with, its tolerance and
weight, and the calibrated parameters. Structural targets (exact by construction of
the zone registry) carry no weight but are checked all the same.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.core.params import REGISTRY
from sim.core.run import FIRST_YEAR, METRICS

#: Default targets file and output folder (relative to the working directory).
DEFAULT_TARGETS = Path("calibration/targets_2018.toml")


_TARGET_KEYS = {
    "metric", "value", "tolerance", "relative", "weight", "structural", "source", "table",
    "zone_id",
}  # fmt: skip


_CAL_KEYS = {"year", "parameters", "ridge", "abc_quantile", "min_epsilon"}


class TargetsError(ValueError):
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

    @property
    def abs_tolerance(self) -> float:
        """Tolerance in the metric's unit."""
        return abs(self.value) * self.tolerance if self.relative else self.tolerance

    @property
    def fitted(self) -> bool:
        """Whether the target enters the fitting distance."""
        return self.weight > 0 and not self.structural and self.table == "annual"

    def passes(self, simulated: float) -> bool:
        """Whether a simulated value is within tolerance (rounding-safe)."""
        return abs(simulated - self.value) <= self.abs_tolerance * (1 + 1e-9) + 1e-9


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
    """

    path: Path
    year: int
    targets: tuple[Target, ...]
    parameters: tuple[str, ...]
    ridge: float = 0.05
    abc_quantile: float = 0.5
    min_epsilon: float = 0.5

    @property
    def fitted(self) -> tuple[Target, ...]:
        """Targets entering the fitting distance."""
        return tuple(t for t in self.targets if t.fitted)

    @property
    def bounds(self) -> np.ndarray:
        """Prior bounds (registry bounds), shape ``(parameters, 2)``."""
        return np.array([[REGISTRY[n].lower, REGISTRY[n].upper] for n in self.parameters])

    @property
    def prior_defaults(self) -> np.ndarray:
        """Prior default of each calibrated parameter (before any calibration)."""
        return np.array([prior_value(n) for n in self.parameters])


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


def _target(path: Path, name: str, table: Any) -> Target:
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
        if metric not in METRICS:
            raise TargetsError(
                f"{path}: {key}.metric: expected an annual metric (e.g. firms), got {metric!r}"
            )
    else:
        if metric not in ZONE_COLUMNS:
            raise TargetsError(
                f"{path}: {key}.metric: expected a zone-table column "
                f"({', '.join(ZONE_COLUMNS)}), got {metric!r}"
            )
        if not isinstance(zone_id, str) or not zone_id:
            raise TargetsError(f"{path}: {key}.zone_id: expected a zone id such as 'Z01'")
    for flag in ("relative", "structural"):
        if not isinstance(table.get(flag, False), bool):
            raise TargetsError(f"{path}: {key}.{flag}: expected true or false")
    source = table.get("source", "")
    if not isinstance(source, str):
        raise TargetsError(f"{path}: {key}.source: expected text, got {source!r}")
    return Target(
        name=name,
        metric=metric,
        value=_number(path, f"{key}.value", table["value"]),
        tolerance=_number(path, f"{key}.tolerance", table["tolerance"], lo=0.0),
        relative=table.get("relative", False),
        weight=_number(path, f"{key}.weight", table.get("weight", 1.0), lo=0.0),
        structural=table.get("structural", False),
        source=source,
        table=kind,
        zone_id=zone_id,
    )


#: Zone-table columns a target may name.
ZONE_COLUMNS = (
    "firms", "entries", "exits", "gdp", "gdp_growth", "planned_area_km2", "land_used_km2",
    "staff", "bodies", "departments", "approval_days", "powers", "operators",
)  # fmt: skip


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
        raise FileNotFoundError(f"{path}: targets file not found")
    try:
        with path.open("rb") as f:
            doc = tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise TargetsError(f"{path}: expected valid TOML ({exc})") from None
    extra = set(doc) - {"calibration", "targets"}
    if extra:
        raise TargetsError(f"{path}: {sorted(extra)[0]}: expected only [calibration] and [targets]")
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
    names = cal.get("parameters")
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
    quantile = _number(path, "calibration.abc_quantile", cal.get("abc_quantile", 0.5), lo=0.0)
    if not 0 < quantile < 1:
        raise TargetsError(f"{path}: calibration.abc_quantile: expected a number in (0, 1)")
    tables = doc.get("targets")
    if not isinstance(tables, Mapping) or not tables:
        raise TargetsError(f"{path}: targets: expected at least one [targets.<name>] table")
    targets = tuple(_target(path, str(k), v) for k, v in tables.items())
    for t in targets:
        if t.fitted and t.abs_tolerance <= 0:
            raise TargetsError(
                f"{path}: targets.{t.name}.tolerance: expected > 0 for a fitted target"
            )
    out = Targets(
        path=path,
        year=year,
        targets=targets,
        parameters=tuple(names),
        ridge=_number(path, "calibration.ridge", cal.get("ridge", 0.05), lo=0.0),
        abc_quantile=quantile,
        min_epsilon=_number(path, "calibration.min_epsilon", cal.get("min_epsilon", 0.5), lo=0.0),
    )
    if not out.fitted:
        raise TargetsError(f"{path}: targets: expected at least one fitted (weighted) target")
    return out
