"""Reading a targets file: every table and key checked, one clear line for each error.

:func:`load_targets` reads a targets file (``calibration/targets_2018.toml``): every
pattern with its source, the model output that measures it, its tolerance and weight,
the levers of the effect-size patterns and the calibrated parameters (a list, or
registry groups to screen), into :class:`~sim.analysis.calibration.targets.Targets`.
An error names the file, the key and what was expected (:class:`TargetsError`).
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sim.analysis.calibration.targets import (
    BOUNDS,
    EFFECTS,
    TRANSFORMS,
    Target,
    Targets,
    TargetsError,
    candidate_parameters,
    prior_params,
)
from sim.core.params import REGISTRY, ParameterError, resolve
from sim.core.run import FIRST_YEAR, METRICS
from sim.errors import MissingFileError
from sim.experiments.scenarios.loading import NAME_PATTERN

#: Default targets file (relative to the working directory).
DEFAULT_TARGETS = Path("calibration/targets_2018.toml")

_TARGET_KEYS = {
    "metric", "value", "tolerance", "relative", "weight", "structural", "source", "table",
    "zone_id", "year", "over", "over_year", "lever", "effect", "transform", "bound",
    "validation",
}  # fmt: skip


_CAL_KEYS = {
    "year", "parameters", "groups", "exclude", "screen_threshold", "ridge", "abc_quantile",
    "min_epsilon", "cutoff", "observation_sd", "discrepancy_sd", "edge",
}  # fmt: skip

#: Zone-table columns a target may name.
ZONE_COLUMNS = (
    "firms", "entries", "exits", "gdp", "gdp_growth", "planned_area_km2", "land_used_km2",
    "staff", "bodies", "departments", "approval_days", "powers", "operators",
)  # fmt: skip


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


def _table(
    path: Path, key: str, value: Any, allowed: set[str] | frozenset[str], *, got: bool = True
) -> Mapping[str, Any]:
    """``value`` as a table whose keys are all in ``allowed`` (the first other key named)."""
    if not isinstance(value, Mapping):
        raise TargetsError(f"{path}: {key}: expected a table" + (f", got {value!r}" if got else ""))
    extra = set(value) - set(allowed)
    if extra:
        raise TargetsError(
            f"{path}: {key}.{sorted(extra)[0]}: expected one of {', '.join(sorted(allowed))}"
        )
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
    table = _table(path, key, table, _TARGET_KEYS)
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
    cal = _table(path, "calibration", doc.get("calibration", {}), _CAL_KEYS, got=False)
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
