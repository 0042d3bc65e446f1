"""The parameter registry: the single source of truth for every model parameter.

Each :class:`Parameter` carries its default, bounds, unit, meaning and source (each
in English and in Chinese), read from the parameter table
``sim/core/data/parameters.toml`` (:func:`load_table`). The registry feeds the model
defaults (:func:`defaults`), scenario validation (:func:`resolve`), calibration priors
and SALib problems (:func:`salib_problem`).

A source is a citation, a figure from the project's fact sheet ("facts: ..."), or
``"assumption"``. Assumptions are never findings: their bounds are the range the
sensitivity analysis explores.

Structured policy inputs that are not numbers (mode assignments by zone, group or
year) travel in the same parameter mapping under the key ``mode_assignments`` and are
validated by :func:`resolve` too.
"""

from __future__ import annotations

import csv
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Literal

from sim.core import selectors
from sim.core.modes import MODE_NAMES
from sim.core.suggest import did_you_mean
from sim.errors import ZonesimError

Kind = Literal["real", "int", "bool", "year"]


#: Reserved key for structured mode assignments in a parameter mapping.
MODE_ASSIGNMENTS = "mode_assignments"


class ParameterError(ZonesimError, ValueError):
    """A parameter value or key is invalid.

    Attributes:
        key: The offending key (dotted path where nested).
        expected: What was expected, in words.
        got: The offending value, or ``None``.
        hint: A did-you-mean suffix (``"; did you mean 'x'?"``) or ``""``.
    """

    key: str

    def __init__(self, key: str, expected: str, got: Any = None, *, hint: str = "") -> None:
        self.expected = expected
        self.got = got
        self.hint = hint
        got_text = "" if got is None else f", got {got!r}"
        super().__init__(f"expected {expected}{got_text}{hint}", key=key)


@dataclass(frozen=True)
class Parameter:
    """One model parameter.

    Attributes:
        name: Identifier used in scenario files, the command line and code.
        default: Value used when a scenario does not set it.
        lower: Smallest admissible value (inclusive).
        upper: Largest admissible value (inclusive).
        unit: Physical or accounting unit, or ``"-"`` for a pure number.
        description: What the parameter means in the model (the table's ``meaning``).
        source: Citation, fact-sheet figure, or ``"assumption"``.
        description_zh: The meaning in Chinese (the table's ``meaning_zh``).
        source_zh: The source in Chinese (the table's ``source_zh``; citations of
            authors stay as they are).
        kind: ``real``, ``int``, ``bool`` (0/1) or ``year`` (decimal year).
        group: Thematic group, used for grouped sensitivity analysis.
        prior: Value before calibration (equals ``default`` unless calibrated).
    """

    name: str
    default: float
    lower: float
    upper: float
    unit: str
    description: str
    source: str
    description_zh: str
    source_zh: str
    kind: Kind = "real"
    group: str = "other"
    prior: float | None = None

    @property
    def is_assumption(self) -> bool:
        """Whether the value is a modelling assumption rather than data."""
        return self.source.startswith("assumption")

    def as_dict(self) -> dict[str, Any]:
        """Return the parameter as a plain dictionary (for JSON output)."""
        out = asdict(self)
        out["prior"] = self.prior if self.prior is not None else self.default
        return out

    def check(self, value: Any, key: str | None = None) -> float:
        """Validate and coerce a value for this parameter.

        Args:
            value: Candidate value.
            key: Name to report in errors (defaults to the parameter name).

        Returns:
            The value as a float (ints and bools are integral floats).

        Raises:
            ParameterError: If the value has the wrong type, is not finite or is out
                of bounds.
        """
        key = key or self.name
        if self.kind == "bool":
            if isinstance(value, bool) or value in (0, 1):
                return float(bool(value))
            raise ParameterError(key, "true or false", value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ParameterError(key, f"a number ({self.kind})", value)
        if not math.isfinite(value):
            raise ParameterError(key, "a finite number", value)
        if self.kind == "int" and float(value) != int(value):
            raise ParameterError(key, "an integer", value)
        if not self.lower <= value <= self.upper:
            raise ParameterError(
                key, f"a value between {self.lower:g} and {self.upper:g} {self.unit}", value
            )
        return float(value)


#: The parameter table (one TOML table per parameter, in registry order).
PARAMETERS_FILE = Path(__file__).parent / "data" / "parameters.toml"

#: Fields of a parameter table: name -> (required, types, what is expected).
_FIELDS: dict[str, tuple[bool, tuple[type, ...], str]] = {
    "default": (True, (int, float, bool), 'a number (true or false for kind = "bool")'),
    "bounds": (False, (list,), "[lower, upper], two numbers"),
    "unit": (True, (str,), 'a unit string ("-" for a pure number)'),
    "kind": (True, (str,), "one of real, int, bool, year"),
    "group": (True, (str,), "a group name"),
    "meaning": (True, (str,), "a sentence saying what the parameter means"),
    "source": (True, (str,), 'a citation, a fact-sheet figure or "assumption"'),
    "meaning_zh": (True, (str,), "the meaning in Chinese"),
    "source_zh": (True, (str,), "the source in Chinese"),
}
KINDS = ("real", "int", "bool", "year")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _parse_parameter(name: str, table: Any, where: str) -> Parameter:
    """Build one :class:`Parameter` from its TOML table, checking every field."""
    if not isinstance(table, Mapping):
        raise ParameterError(f"{where}: {name}", "a table of parameter fields", table)
    unknown = sorted(set(table) - set(_FIELDS))
    if unknown:
        raise ParameterError(
            f"{where}: {name}.{unknown[0]}", f"one of {', '.join(_FIELDS)} (unknown field)"
        )
    for field, (required, types, expected) in _FIELDS.items():
        if field not in table:
            if required:
                raise ParameterError(f"{where}: {name}.{field}", f"{expected} (missing)")
            continue
        value = table[field]
        if not isinstance(value, types) or (isinstance(value, str) and not value.strip()):
            raise ParameterError(f"{where}: {name}.{field}", expected, value)
    kind = table["kind"]
    if kind not in KINDS:
        raise ParameterError(f"{where}: {name}.kind", f"one of {', '.join(KINDS)}", kind)
    if kind == "bool":
        if "bounds" in table:
            raise ParameterError(f"{where}: {name}.bounds", 'no bounds for kind = "bool"')
        lower, upper = 0, 1
    else:
        bounds = table.get("bounds")
        if (
            bounds is None
            or len(bounds) != 2
            or not all(isinstance(b, int | float) and not isinstance(b, bool) for b in bounds)
            or not all(math.isfinite(b) for b in bounds)
            or bounds[0] > bounds[1]
        ):
            raise ParameterError(
                f"{where}: {name}.bounds",
                "[lower, upper], two finite numbers, lower <= upper",
                bounds,
            )
        lower, upper = bounds
    default = table["default"]
    if kind == "bool":
        if not isinstance(default, bool):
            raise ParameterError(f"{where}: {name}.default", "true or false", default)
        default = int(default)
    p = Parameter(
        name=name,
        default=default,
        lower=lower,
        upper=upper,
        unit=table["unit"],
        description=table["meaning"],
        source=table["source"],
        description_zh=table["meaning_zh"],
        source_zh=table["source_zh"],
        kind=kind,
        group=table["group"],
    )
    p.check(default, f"{where}: {name}.default")
    return p


def load_table(path: Path = PARAMETERS_FILE) -> tuple[Parameter, ...]:
    """Load and validate a parameter table.

    Args:
        path: The TOML file: one table per parameter, named by the parameter.

    Returns:
        The parameters with their prior defaults, in file order.

    Raises:
        ParameterError: If the file is missing or not valid TOML, or a table has an
            unknown or missing field, a value of the wrong type, an unknown kind,
            malformed bounds or a default outside its bounds. The message names the
            file, the parameter and the field.
    """
    try:
        with path.open("rb") as f:
            doc = tomllib.load(f)
    except FileNotFoundError:
        raise ParameterError(str(path), "a parameter table (file not found)") from None
    except tomllib.TOMLDecodeError as exc:
        raise ParameterError(str(path), f"valid TOML ({exc})") from None
    out = []
    for name, table in doc.items():
        if not _NAME.match(name):
            raise ParameterError(f"{path}: {name}", "a lower-case identifier as the table name")
        out.append(_parse_parameter(name, table, str(path)))
    return tuple(out)


#: Calibrated defaults written by ``zonesim calibrate`` (``name = value`` in
#: ``[defaults]``); the registry keeps the prior value beside each.
CALIBRATED_FILE = Path(__file__).parent / "data" / "calibrated.toml"


def _with_calibration(params: tuple[Parameter, ...], path: Path) -> dict[str, Parameter]:
    """Apply calibrated defaults from ``path`` (if present) over the priors."""
    calibrated: dict[str, Any] = {}
    if path.is_file():
        with path.open("rb") as f:
            calibrated = tomllib.load(f).get("defaults", {})
    out = {}
    for p in params:
        if p.name in calibrated:
            value = p.check(calibrated[p.name], f"{path}: defaults.{p.name}")
            p = replace(p, default=value, prior=p.default)
        out[p.name] = p
    unknown = set(calibrated) - set(out)
    if unknown:
        raise ParameterError(f"{path}: defaults.{sorted(unknown)[0]}", "a registered parameter")
    return out


REGISTRY: dict[str, Parameter] = _with_calibration(load_table(), CALIBRATED_FILE)

#: The province's dated growth table: real GDP growth (%, year on year, at comparable
#: prices, as first published), nominal GDP (亿元, for reference only: the model is real)
#: and each year's source.
PROVINCE_GROWTH_FILE = Path(__file__).parent / "data" / "province_growth.csv"


def _province_growth_table(path: Path = PROVINCE_GROWTH_FILE) -> dict[int, dict[str, str]]:
    """The rows of the dated growth table by year, checked to be consecutive years."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = {int(r["year"]): r for r in csv.DictReader(f)}
    years = sorted(rows)
    if years != list(range(years[0], years[-1] + 1)):
        raise ValueError(f"{path}: expected consecutive years, got {years}")
    return rows


PROVINCE_GROWTH_TABLE = _province_growth_table()
#: Province growth path given by data (%, real, year on year).
PROVINCE_GROWTH_DATA: dict[int, float] = {
    y: float(r["real_growth_pct"]) for y, r in PROVINCE_GROWTH_TABLE.items()
}
#: The last year of the table: the path is a projection (parameters) after it.
LAST_DATA_YEAR = max(PROVINCE_GROWTH_DATA)
#: Province GDP in 2017, 亿元 (facts: about 1.55 trillion yuan).
PROVINCE_GDP_2017 = float(PROVINCE_GROWTH_TABLE[2017]["gdp_nominal_100m_yuan"])
#: Province GDP in 2016, 亿元: the 2017 level deflated by 2017's real growth.
PROVINCE_GDP_2016 = PROVINCE_GDP_2017 / (1 + PROVINCE_GROWTH_DATA[2017] / 100)
#: Years whose mean growth is the investment flow's reference pace (the calibration years).
REFERENCE_YEARS = (2016, 2017, 2018)
#: Mean province growth 2016-2018 (%): the investment flow's reference pace.
REFERENCE_GROWTH = sum(PROVINCE_GROWTH_DATA[y] for y in REFERENCE_YEARS) / len(REFERENCE_YEARS)
#: Years of the projected path's two ends (parameters ``province_growth_<year>``).
PROJECTION_YEARS = (LAST_DATA_YEAR + 1, 2035)


def defaults() -> dict[str, float]:
    """Return the default value of every registered parameter."""
    return {name: float(p.default) for name, p in REGISTRY.items()}


def _check_assignments(items: Any, key: str = MODE_ASSIGNMENTS) -> list[dict[str, Any]]:
    """Validate structured mode assignments.

    Each assignment is a mapping with ``year`` (decimal year), ``mode`` (one of
    :data:`MODE_NAMES`) and ``zones``, a selector (:mod:`sim.core.selectors`; its
    grammar is checked here, the names it uses against a zone registry by the model
    and by scenario validation).
    """
    if not isinstance(items, list | tuple):
        raise ParameterError(key, "a list of {year, mode, zones} tables", items)
    out = []
    for i, item in enumerate(items):
        k = f"{key}[{i}]"
        if not isinstance(item, Mapping):
            raise ParameterError(k, "a table with year, mode and zones", item)
        extra = set(item) - {"year", "mode", "zones"}
        if extra:
            raise ParameterError(f"{k}.{sorted(extra)[0]}", "only year, mode and zones")
        for field in ("year", "mode", "zones"):
            if field not in item:
                raise ParameterError(f"{k}.{field}", "a value (missing)")
        year = item["year"]
        if isinstance(year, bool) or not isinstance(year, int | float) or not math.isfinite(year):
            raise ParameterError(f"{k}.year", "a year number", year)
        if item["mode"] not in MODE_NAMES:
            hint = did_you_mean(str(item["mode"]), MODE_NAMES)
            raise ParameterError(
                f"{k}.mode", f"one of {', '.join(MODE_NAMES)}", item["mode"], hint=hint
            )
        try:
            zones = selectors.normalise(item["zones"])
        except selectors.SelectorError as exc:
            raise ParameterError(f"{k}.zones", exc.expected, exc.got, hint=exc.hint) from None
        out.append({"year": float(year), "mode": item["mode"], "zones": zones})
    return out


def resolve(overrides: Mapping[str, Any] | None = None, *, prefix: str = "") -> dict[str, Any]:
    """Return a full, validated parameter mapping.

    Args:
        overrides: Values that replace defaults; keys must be registered parameter
            names or ``mode_assignments``.
        prefix: Prepended to keys in error messages (e.g. ``"parameters."``).

    Returns:
        Every registered parameter as a float, plus ``mode_assignments`` (a list,
        possibly empty), in registry order.

    Raises:
        ParameterError: On an unknown key or an invalid value.
    """
    params: dict[str, Any] = defaults()
    params[MODE_ASSIGNMENTS] = []
    for key, value in (overrides or {}).items():
        if key == MODE_ASSIGNMENTS:
            params[key] = _check_assignments(value, prefix + key)
            continue
        if key not in REGISTRY:
            raise ParameterError(
                prefix + key,
                "a registered parameter name (see `zonesim params`)",
                hint=did_you_mean(key, REGISTRY),
            )
        params[key] = REGISTRY[key].check(value, prefix + key)
    return params


def groups() -> dict[str, list[str]]:
    """Return parameter names by group, in registry order."""
    out: dict[str, list[str]] = {}
    for p in REGISTRY.values():
        out.setdefault(p.group, []).append(p.name)
    return out


def salib_problem(names: list[str] | None = None, *, grouped: bool = False) -> dict[str, Any]:
    """Build a SALib problem from registry bounds.

    Args:
        names: Parameters to vary (default: every non-boolean parameter whose bounds
            differ).
        grouped: Whether to attach each parameter's registry group.

    Returns:
        A SALib problem dictionary (``num_vars``, ``names``, ``bounds`` and
        optionally ``groups``).

    Raises:
        ParameterError: If a name is unknown or has equal bounds.
    """
    if names is None:
        names = [n for n, p in REGISTRY.items() if p.kind != "bool" and p.lower < p.upper]
    for n in names:
        if n not in REGISTRY:
            raise ParameterError(n, "a registered parameter name")
        if not REGISTRY[n].lower < REGISTRY[n].upper:
            raise ParameterError(n, "a parameter whose lower bound is below its upper bound")
    problem: dict[str, Any] = {
        "num_vars": len(names),
        "names": list(names),
        "bounds": [[REGISTRY[n].lower, REGISTRY[n].upper] for n in names],
    }
    if grouped:
        problem["groups"] = [REGISTRY[n].group for n in names]
    return problem


def province_growth(year: int, params: Mapping[str, float]) -> float:
    """Return the province's real GDP growth (%) in a year.

    Data for 2016 to :data:`LAST_DATA_YEAR` (:data:`PROVINCE_GROWTH_FILE`); after it a
    linear path between the parameters ``province_growth_<first>`` and
    ``province_growth_<last>`` for the years of :data:`PROJECTION_YEARS`, flat beyond the
    last one and at the 2016 figure before 2016.
    """
    if year in PROVINCE_GROWTH_DATA:
        return PROVINCE_GROWTH_DATA[year]
    if year < 2016:
        return PROVINCE_GROWTH_DATA[2016]
    first, last = PROJECTION_YEARS
    g0, g1 = params[f"province_growth_{first}"], params[f"province_growth_{last}"]
    w = min(max((year - first) / (last - first), 0.0), 1.0)
    return g0 + w * (g1 - g0)
