"""What a sensitivity analysis varies and what it measures: the SALib problem and outputs.

:func:`build_problem` builds the SALib problem from the parameter registry's bounds
(:func:`sim.core.params.salib_problem`, the single source of truth), optionally with
the registry's groups; :func:`parse_outputs` reads ``metric@year`` output specs;
:func:`to_overrides` maps design rows to parameter values the registry accepts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.core.params import REGISTRY, ParameterError, salib_problem
from sim.errors import ZonesimError
from sim.experiments.errors import ArgumentError
from sim.experiments.evaluate import MetricAt, parse_metric_at, parse_metric_list

#: Outputs analysed when none are named: firms and growth gap in 2018 (the
#: calibration year), then 2035 GDP of the statistics zones, firms and delisted zones.
DEFAULT_OUTPUTS = (
    "firms@2018",
    "growth_gap_pp@2018",
    "stat_zone_gdp@2035",
    "firms@2035",
    "zones_delisted@2035",
)

#: One scalar output: a metric of :data:`sim.core.run.METRICS` in one year.
OutputSpec = MetricAt


class SensitivityError(ZonesimError, ValueError):
    """An invalid sensitivity-analysis request (reported on one line)."""


class SensitivityArgumentError(SensitivityError, ArgumentError):
    """An invalid argument of a sensitivity function; the message starts with its name."""


def parse_output(text: str) -> OutputSpec:
    """Parse ``metric@year`` (e.g. ``firms@2018``).

    Raises:
        SensitivityArgumentError: If the text is malformed, the metric unknown or the
            year out of the model's range (names ``outputs``).
    """
    try:
        return parse_metric_at(text, argument="outputs")
    except ArgumentError as exc:
        raise SensitivityArgumentError(exc.argument, exc.detail) from None


def parse_outputs(texts: str | Sequence[str] | None) -> tuple[OutputSpec, ...]:
    """Parse comma-separated or listed output specs (default :data:`DEFAULT_OUTPUTS`).

    Raises:
        SensitivityArgumentError: On a malformed or repeated spec, or an empty list.
    """
    try:
        return parse_metric_list(DEFAULT_OUTPUTS if texts is None else texts, argument="outputs")
    except ArgumentError as exc:
        raise SensitivityArgumentError(exc.argument, exc.detail) from None


def build_problem(params: Sequence[str] | str | None = None, *, grouped: bool = False) -> dict:
    """Build the SALib problem from the registry.

    Args:
        params: Parameters to vary (a list or a comma-separated string); default every
            non-boolean parameter whose bounds differ.
        grouped: Attach each parameter's registry group (grouped Morris or Sobol).

    Returns:
        A SALib problem dictionary (``num_vars``, ``names``, ``bounds``, and
        ``groups`` when grouped).

    Raises:
        SensitivityArgumentError: On an unknown or repeated name, or on a parameter
            whose bounds are equal (names ``params`` or ``grouped``).
    """
    names = params
    if isinstance(names, str):
        names = [n.strip() for n in names.split(",") if n.strip()]
    if names is not None:
        names = list(names)
        if not names:
            raise SensitivityArgumentError("params", ": expected at least one parameter name")
        for n in names:
            if names.count(n) > 1:
                raise SensitivityArgumentError("params", f": {n} is listed twice")
            if n in REGISTRY and not REGISTRY[n].lower < REGISTRY[n].upper:
                raise SensitivityArgumentError("params", f": {n} has equal bounds; nothing to vary")
    try:
        problem = salib_problem(names, grouped=grouped)
    except ParameterError as exc:
        raise SensitivityArgumentError(
            "params",
            f" {exc.key}: expected a registered parameter name (see `zonesim params`)",
        ) from None
    if problem["num_vars"] < 2:
        raise SensitivityArgumentError("params", ": expected at least two parameters to compare")
    if grouped and len(set(problem["groups"])) < 2:
        raise SensitivityArgumentError("grouped", ": expected parameters from at least two groups")
    return problem


def factor_names(problem: Mapping[str, Any]) -> list[str]:
    """Names of the analysed factors: groups when grouped, else parameters."""
    groups = problem.get("groups")
    if groups:
        return list(dict.fromkeys(groups))
    return list(problem["names"])


def require_power_of_two(method: str, n: int) -> None:
    """Check a base sample size that a method needs as a power of two.

    Raises:
        SensitivityArgumentError: If ``n`` is not a power of two (names ``n``).
    """
    if not (n > 0 and n & (n - 1) == 0):
        raise SensitivityArgumentError(
            "n", f": expected a power of two for {method} (e.g. 1024), got {n}"
        )


def to_overrides(problem: Mapping[str, Any], X: np.ndarray) -> list[dict[str, float]]:
    """Map design rows to parameter overrides that the registry accepts.

    Integer parameters are rounded to the nearest integer, booleans are "on" from
    0.5 up, year and real parameters keep their value; every value is clipped to its
    bounds (sampling round-off).

    Args:
        problem: SALib problem from :func:`build_problem`.
        X: Design, one row per point, columns in ``problem["names"]`` order.

    Returns:
        One ``{name: value}`` mapping per row.
    """
    X = np.atleast_2d(np.asarray(X, dtype=float))
    cols = []
    for j, name in enumerate(problem["names"]):
        p = REGISTRY[name]
        x = np.clip(X[:, j], p.lower, p.upper)
        if p.kind == "int":
            x = np.clip(np.rint(x), math.ceil(p.lower), math.floor(p.upper))
        elif p.kind == "bool":
            x = (x >= 0.5 * (p.lower + p.upper)).astype(float)
        cols.append(x)
    values = np.column_stack(cols) if cols else np.empty((len(X), 0))
    return [dict(zip(problem["names"], map(float, row), strict=True)) for row in values]
