"""Sweeps: the ``[sweep]`` table, its design points, and the scenario variants they give."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from sim.core.params import REGISTRY, resolve
from sim.experiments.scenarios.checks import Collect, check_int, check_value, type_name
from sim.experiments.scenarios.scenario import Scenario, ScenarioError, Sweep
from sim.experiments.seeds import sweep_rng

#: Sweep methods: full factorial over lists of values, or a Latin hypercube within bounds.
SWEEP_METHODS = ("grid", "lhs")
#: Largest number of design points of one sweep.
MAX_DESIGN_POINTS = 10_000


def check_sweep(path: Path, table: Any, fixed: Mapping[str, Any], collect: Collect) -> Sweep:
    """The ``[sweep]`` table: its method, its size and each swept parameter's values.

    Args:
        path: The scenario file.
        table: The table as read.
        fixed: The file's ``[parameters]`` (a parameter is set or swept, not both).
        collect: Gathers the errors of single parameters.

    Raises:
        ScenarioError: If the method or size is invalid, nothing is swept, or a grid
            has too many points.
    """
    if not isinstance(table, Mapping):
        raise ScenarioError(path, "sweep", f"expected a table, got {type_name(table)}")
    method = table.get("method", "grid")
    if method not in SWEEP_METHODS:
        raise ScenarioError(
            path, "sweep.method", f"expected one of {', '.join(SWEEP_METHODS)}, got {method!r}"
        )
    n = table.get("n")
    if method == "lhs":
        n = check_int(path, "sweep.n", n, 1, MAX_DESIGN_POINTS, "a number of design points")
    elif n is not None:
        raise ScenarioError(path, "sweep.n", 'expected n only with method = "lhs"')
    values: dict[str, tuple[float, ...]] = {}
    for name, given in table.items():
        if name in ("method", "n"):
            continue
        checked = _swept_values(path, name, given, method, fixed, collect)
        if checked is not None:
            values[name] = checked
    if not values and not collect.errors:
        raise ScenarioError(path, "sweep", "expected at least one parameter to sweep")
    if method == "grid" and math.prod(len(v) for v in values.values()) > MAX_DESIGN_POINTS:
        raise ScenarioError(
            path, "sweep", f"expected at most {MAX_DESIGN_POINTS:,} design points in the grid"
        )
    return Sweep(method=method, values=values, n=n)


def _swept_values(
    path: Path, name: str, given: Any, method: str, fixed: Mapping[str, Any], collect: Collect
) -> tuple[float, ...] | None:
    """One swept parameter's checked values, or ``None`` with its errors collected."""
    key = f"sweep.{name}"
    if name in fixed:
        collect.errors.append(
            ScenarioError(path, key, "expected a parameter not also set in [parameters]")
        )
        return None
    if name not in REGISTRY:
        collect(None, check_value, path, key, name, None)
        return None
    what = "[lower, upper]" if method == "lhs" else "a list of values"
    if not isinstance(given, list) or not given or (method == "lhs" and len(given) != 2):
        collect.errors.append(ScenarioError(path, key, f"expected {what}, got {given!r}"))
        return None
    given_checked = [
        collect(None, check_value, path, f"{key}[{i}]", name, v) for i, v in enumerate(given)
    ]
    checked = [v for v in given_checked if v is not None]
    if len(checked) < len(given_checked):
        return None
    if method == "lhs" and not checked[0] < checked[1]:
        collect.errors.append(ScenarioError(path, key, f"expected lower < upper, got {given!r}"))
        return None
    if method == "grid" and len(set(checked)) != len(checked):
        collect.errors.append(ScenarioError(path, key, f"expected distinct values, got {given!r}"))
        return None
    return tuple(checked)


def _format(name: str, value: float) -> str:
    """A swept value as a variant's name shows it (switches as true/false, integers bare)."""
    kind = REGISTRY[name].kind
    if kind == "bool":
        return "true" if value else "false"
    return str(int(value)) if kind == "int" else format(value, ".10g")


def design_points(sc: Scenario) -> list[tuple[str, dict[str, float]]]:
    """A sweep's design points: ``(variant name, {parameter: value})``, in order.

    A grid is the full factorial of the lists (the last parameter varying fastest); a
    Latin hypercube has ``n`` points drawn with :func:`sim.experiments.seeds.sweep_rng`
    from the scenario's master seed, integers and switches rounded.
    """
    if sc.sweep is None:
        return []
    names = list(sc.sweep.values)
    if sc.sweep.method == "grid":
        points = [
            dict(zip(names, combo, strict=True))
            for combo in itertools.product(*sc.sweep.values.values())
        ]
        return [
            (f"{sc.name}[{','.join(f'{k}={_format(k, v)}' for k, v in p.items())}]", p)
            for p in points
        ]
    from scipy.stats import qmc  # here: scipy.stats takes a second to import

    unit = qmc.LatinHypercube(d=len(names), rng=sweep_rng(sc.run.seed)).random(sc.sweep.n)
    lower = [sc.sweep.values[k][0] for k in names]
    upper = [sc.sweep.values[k][1] for k in names]
    scaled = qmc.scale(unit, lower, upper)
    out = []
    for i, row in enumerate(scaled):
        point = {}
        for k, v in zip(names, row, strict=True):
            point[k] = float(round(v)) if REGISTRY[k].kind in ("int", "bool") else float(v)
        out.append((f"{sc.name}#{i}", point))
    return out


def expand(sc: Scenario) -> list[Scenario]:
    """The scenarios a loaded file runs as: itself, or one variant per design point.

    Each variant has the file's settings, overrides and modes plus its design point
    (:attr:`Scenario.design`), fully resolved.
    """
    if sc.sweep is None:
        return [sc]
    out = []
    for name, point in design_points(sc):
        overrides = {**sc.overrides, **point}
        params = resolve(overrides)
        out.append(
            replace(sc, name=name, params=params, overrides=overrides, sweep=None, design=point)
        )
    return out
