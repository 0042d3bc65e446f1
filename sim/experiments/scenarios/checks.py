"""Checks of a scenario's tables against the parameter registry, the zones and the horizon.

Each check raises :class:`~.scenario.ScenarioError` naming the file and the key; a
:class:`Collect` runs checks so that a file's every error is found, not only the first.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from sim.core import selectors, zonedata
from sim.core.params import MODE_ASSIGNMENTS, REGISTRY, ParameterError, resolve
from sim.core.run import FIRST_YEAR, LAST_YEAR
from sim.core.suggest import did_you_mean
from sim.experiments.errors import ArgumentError
from sim.experiments.posterior import PosteriorError, load_posterior
from sim.experiments.scenarios.scenario import (
    MAX_REPLICATIONS,
    RUN_DEFAULTS,
    RunSettings,
    ScenarioError,
)


def type_name(value: Any) -> str:
    """The TOML name of a value's type (``integer``, ``string``, ...)."""
    return {bool: "boolean", int: "integer", float: "number", str: "string"}.get(
        type(value), type(value).__name__
    )


class Collect:
    """Errors of one file, gathered so that a check can go on after the first."""

    def __init__(self) -> None:
        self.errors: list[ScenarioError] = []

    def __call__[T](self, default: T, check: Callable[..., T], *args: Any) -> T:
        """``check(*args)``, or ``default`` after recording its :class:`ScenarioError`."""
        try:
            return check(*args)
        except ScenarioError as exc:
            self.errors.append(exc)
            return default


def check_int(path: Path, key: str, value: Any, lo: int, hi: int, what: str) -> int:
    """An integer from ``lo`` to ``hi`` (``what`` names it in the message)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScenarioError(path, key, f"expected {what} (an integer), got {value!r}")
    if not lo <= value <= hi:
        raise ScenarioError(path, key, f"expected {what} between {lo} and {hi}, got {value}")
    return value


def unknown_key(path: Path, key: str, allowed: tuple[str, ...]) -> ScenarioError:
    """The error for an unknown key, with the closest allowed one."""
    hint = did_you_mean(key.rpartition(".")[2], allowed)
    return ScenarioError(path, key, f"expected one of {', '.join(allowed)} (unknown key){hint}")


def check_run(path: Path, table: Any, collect: Collect) -> RunSettings:
    """The ``[run]`` table: horizon, replicates, master seed and posterior."""
    if not isinstance(table, Mapping):
        raise ScenarioError(path, "run", f"expected a table, got {type_name(table)}")
    allowed = (*RUN_DEFAULTS, "posterior")
    for key in sorted(set(table) - set(allowed)):
        collect.errors.append(unknown_key(path, f"run.{key}", allowed))
    v = {**RUN_DEFAULTS, **table}
    d = RUN_DEFAULTS
    posterior = collect(None, _check_posterior, path, v.get("posterior"))
    start = collect(
        d["start"], check_int, path, "run.start", v["start"], FIRST_YEAR, LAST_YEAR, "a year"
    )
    end = collect(d["end"], check_int, path, "run.end", v["end"], FIRST_YEAR, LAST_YEAR, "a year")
    if end < start:
        collect.errors.append(
            ScenarioError(path, "run.end", f"expected a year >= run.start ({start}), got {end}")
        )
        end = max(start, d["end"])
    reps = collect(
        d["replications"], check_int, path, "run.replications", v["replications"], 1,
        MAX_REPLICATIONS, "a replicate count",
    )  # fmt: skip
    seed = collect(
        d["seed"], check_int, path, "run.seed", v["seed"], 0, 2**63 - 1, "a non-negative seed"
    )
    return RunSettings(start=start, end=end, replications=reps, seed=seed, posterior=posterior)


def _check_posterior(path: Path, value: Any) -> str | None:
    """Resolve ``run.posterior`` (relative to the scenario file) and check the file."""
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise ScenarioError(path, "run.posterior", f"expected a file path, got {value!r}")
    file = (path.parent / value).resolve()
    try:
        load_posterior(file)
    except FileNotFoundError:
        raise ScenarioError(
            path, "run.posterior", f"expected an existing posterior file, got {value!r}"
        ) from None
    except PosteriorError as exc:
        raise ScenarioError(path, "run.posterior", f"expected a valid posterior: {exc}") from None
    return str(file)


def _check_zones(path: Path, key: str, zones: Any) -> None:
    """A zone selector that the zone registry accepts."""
    try:
        selectors.check(zones, zonedata.default())
    except selectors.SelectorError as exc:
        raise ScenarioError(path, key, str(exc)) from None


def _check_mode(path: Path, key: str, item: Any, run: RunSettings) -> dict[str, Any]:
    """One ``[[modes]]`` table, resolved, in force within the run's horizon."""
    if not isinstance(item, Mapping):
        raise ScenarioError(path, key, f"expected a table, got {type_name(item)}")
    checked: dict[str, Any]
    try:
        (checked,) = resolve({MODE_ASSIGNMENTS: [item]})[MODE_ASSIGNMENTS]
    except ParameterError as exc:
        sub = exc.key.removeprefix(f"{MODE_ASSIGNMENTS}[0]")
        got = "" if exc.got is None else f", got {exc.got!r}"
        raise ScenarioError(path, key + sub, f"expected {exc.expected}{got}{exc.hint}") from None
    year = checked["year"]
    if not FIRST_YEAR <= year < run.end + 1:
        raise ScenarioError(
            path,
            f"{key}.year",
            f"expected a date within the run's horizon {FIRST_YEAR}..{run.end} "
            f"({FIRST_YEAR} <= year < {run.end + 1}), got {item['year']!r}",
        )
    _check_zones(path, f"{key}.zones", checked["zones"])
    return checked


def check_modes(path: Path, modes: Any, run: RunSettings, collect: Collect) -> list[dict[str, Any]]:
    """The ``[[modes]]`` tables that pass their checks (the others' errors collected)."""
    if not isinstance(modes, list):
        raise ScenarioError(
            path, "modes", "expected [[modes]] tables with year, mode and zones, got "
            f"{type_name(modes)}"
        )  # fmt: skip
    out = [
        collect(None, _check_mode, path, f"modes[{i}]", item, run) for i, item in enumerate(modes)
    ]
    return [m for m in out if m is not None]


def check_in_time(path: Path, params: Mapping[str, Any]) -> None:
    """Refuse a mode assignment whose zone ids select nothing in its year.

    A 2016 unit id (``U002``) names a zone only until integration
    (``integration_year``, with ``integration_on``): the units then merge into their
    zones (``Z01``) and the unit id selects nothing.

    Raises:
        ScenarioError: Naming ``modes[i].zones`` and the id.
    """
    if not params.get("integration_on"):
        return
    units = zonedata.default().units.set_index("unit_id")["zone_id"]
    merged_at = float(params["integration_year"])
    for i, a in enumerate(params.get(MODE_ASSIGNMENTS, [])):
        zones = a["zones"]
        ids = [z for z in zones if z in units.index] if isinstance(zones, list) else []
        if ids and float(a["year"]) >= merged_at:
            raise ScenarioError(
                path,
                f"modes[{i}].zones",
                f"expected zone ids (e.g. {units[ids[0]]}) in year {a['year']}, after "
                f"integration (integration_year {merged_at:g}); got the 2016 unit {ids[0]!r}, "
                f"merged into {units[ids[0]]} by then, which selects nothing",
            )


def check_value(path: Path, key: str, name: str, value: Any) -> float:
    """A registry parameter's value, checked (the error names ``key``)."""
    if name == MODE_ASSIGNMENTS:
        raise ScenarioError(path, key, "expected mode assignments as [[modes]] tables")
    if name not in REGISTRY:
        raise ScenarioError(
            path,
            key,
            "expected a registered parameter name (see `zonesim params`)"
            + did_you_mean(name, REGISTRY),
        )
    if isinstance(value, float) and math.isnan(value):
        raise ScenarioError(path, key, "expected a finite number, got nan")
    try:
        return REGISTRY[name].check(value, key)
    except ParameterError as exc:
        raise ScenarioError(path, key, str(exc).removeprefix(f"{key}: ")) from None


def check_parameters(path: Path, table: Any, collect: Collect) -> dict[str, Any]:
    """The ``[parameters]`` table: the values that pass (the others' errors collected)."""
    if not isinstance(table, Mapping):
        raise ScenarioError(path, "parameters", f"expected a table, got {type_name(table)}")
    out = {}
    for key, value in table.items():
        if collect(None, check_value, path, f"parameters.{key}", key, value) is not None:
            out[key] = value
    return out


def check_settings(values: Mapping[str, Any] | None) -> dict[str, Any]:
    """Check parameter values given for every scenario of a batch (``set``).

    Args:
        values: Registry parameter name -> value.

    Returns:
        The values, unchanged.

    Raises:
        ArgumentError: Naming ``set``, the parameter and what was expected.
    """
    out = dict(values or {})
    for name, value in out.items():
        if name not in REGISTRY:
            raise ArgumentError(
                "set",
                f" {name}: expected a registered parameter name (see `zonesim params`)"
                + did_you_mean(name, REGISTRY),
            )
        try:
            REGISTRY[name].check(value, name)
        except ParameterError as exc:
            raise ArgumentError("set", f" {exc}") from None
    return out
