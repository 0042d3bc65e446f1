"""Scenario files: one what-if question, its run settings and its policy levers.

A scenario is a TOML file::

    name = "slow_delegation"
    description = "What if powers had been delegated over six years instead of 18 months?"

    [run]                 # all optional; defaults below
    start = 2016          # first year reported
    end = 2035            # last year simulated
    replications = 20     # replicates (common random numbers across scenarios)
    seed = 20170401       # master seed

    [parameters]          # registry overrides (see `zonesim params`)
    delegation_years = 6.0

    [[modes]]             # mode assignments (any number), in force from `year`
    year = 2018
    mode = "corporate"    # legacy, sanheyi, quzheng or corporate
    zones = "all"         # all | level:<level> | type:<type> | city:<city> |
                          # mode:<registered mode> | ["Z01", "Z07", ...]
                          # (city: pinyin or Chinese, any case: city:Datong, city:大同)

Everything is checked on loading; an error names the file and the key and says
what was expected (:class:`ScenarioError`, a ``ValueError``).
"""

from __future__ import annotations

import errno
import math
import re
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.core import selectors, zonedata
from sim.core.params import MODE_ASSIGNMENTS, ParameterError, resolve
from sim.core.run import FIRST_YEAR, LAST_YEAR
from sim.experiments.posterior import PosteriorError, load_posterior

#: Defaults of the ``[run]`` table.
RUN_DEFAULTS: dict[str, int] = {
    "start": FIRST_YEAR,
    "end": 2035,
    "replications": 20,
    "seed": 20170401,
}
TOP_KEYS = ("name", "description", "run", "parameters", "modes")
MAX_REPLICATIONS = 100_000
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class ScenarioError(ValueError):
    """A scenario file is missing, malformed or invalid.

    The message reads ``<file>: <key>: expected <what>, got <value>``.

    Attributes:
        path: The scenario file.
        key: The offending key (dotted path), or ``""`` for the file as a whole.
    """

    def __init__(self, path: str | Path, key: str, message: str) -> None:
        self.path = str(path)
        self.key = key
        super().__init__(f"{path}: {message}" if not key else f"{path}: {key}: {message}")


@dataclass(frozen=True)
class RunSettings:
    """The ``[run]`` table of a scenario.

    Attributes:
        start: First year reported.
        end: Last year simulated and reported.
        replications: Number of replicates.
        seed: Master seed.
        posterior: Calibration posterior file (resolved path) whose draw ``k``
            replicate ``k`` runs with, or ``None`` for the scenario's fixed parameters.
    """

    start: int = RUN_DEFAULTS["start"]
    end: int = RUN_DEFAULTS["end"]
    replications: int = RUN_DEFAULTS["replications"]
    seed: int = RUN_DEFAULTS["seed"]
    posterior: str | None = None


@dataclass(frozen=True)
class Scenario:
    """A loaded, validated scenario.

    Attributes:
        name: Short identifier (letters, digits, ``_ . -``).
        description: The question the scenario answers.
        run: Run settings.
        params: Fully resolved parameters (every registry parameter plus
            ``mode_assignments``), ready for :func:`sim.core.run.simulate`.
        overrides: The parameters as written in the file (``[[modes]]`` under
            ``mode_assignments``).
        source: The file's text.
        path: The file.
    """

    name: str
    description: str
    run: RunSettings
    params: dict[str, Any] = field(repr=False)
    overrides: dict[str, Any]
    source: str = field(repr=False)
    path: str


def _type_name(value: Any) -> str:
    return {bool: "boolean", int: "integer", float: "number", str: "string"}.get(
        type(value), type(value).__name__
    )


def _check_int(path: Path, key: str, value: Any, lo: int, hi: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScenarioError(path, key, f"expected {what} (an integer), got {value!r}")
    if not lo <= value <= hi:
        raise ScenarioError(path, key, f"expected {what} between {lo} and {hi}, got {value}")
    return value


def _check_run(path: Path, table: Any) -> RunSettings:
    if not isinstance(table, Mapping):
        raise ScenarioError(path, "run", f"expected a table, got {_type_name(table)}")
    allowed = (*RUN_DEFAULTS, "posterior")
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        raise ScenarioError(
            path, f"run.{unknown[0]}", f"expected one of {', '.join(allowed)} (unknown key)"
        )
    v = {**RUN_DEFAULTS, **table}
    posterior = _check_posterior(path, v.get("posterior"))
    start = _check_int(path, "run.start", v["start"], FIRST_YEAR, LAST_YEAR, "a year")
    end = _check_int(path, "run.end", v["end"], FIRST_YEAR, LAST_YEAR, "a year")
    if end < start:
        raise ScenarioError(path, "run.end", f"expected a year >= run.start ({start}), got {end}")
    reps = _check_int(
        path, "run.replications", v["replications"], 1, MAX_REPLICATIONS, "a replicate count"
    )
    seed = _check_int(path, "run.seed", v["seed"], 0, 2**63 - 1, "a non-negative seed")
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
    try:
        selectors.check(zones, zonedata.default())
    except selectors.SelectorError as exc:
        raise ScenarioError(path, key, str(exc)) from None


def _check_modes(path: Path, modes: Any, run: RunSettings) -> list[dict[str, Any]]:
    if not isinstance(modes, list):
        raise ScenarioError(
            path, "modes", "expected [[modes]] tables with year, mode and zones, got "
            f"{_type_name(modes)}"
        )  # fmt: skip
    out = []
    for i, item in enumerate(modes):
        key = f"modes[{i}]"
        if not isinstance(item, Mapping):
            raise ScenarioError(path, key, f"expected a table, got {_type_name(item)}")
        try:
            (checked,) = resolve({MODE_ASSIGNMENTS: [item]})[MODE_ASSIGNMENTS]
        except ParameterError as exc:
            sub = exc.key.removeprefix(f"{MODE_ASSIGNMENTS}[0]")
            got = "" if exc.got is None else f", got {exc.got!r}"
            raise ScenarioError(path, key + sub, f"expected {exc.expected}{got}") from None
        year = checked["year"]
        if not FIRST_YEAR <= year < run.end + 1:
            raise ScenarioError(
                path,
                f"{key}.year",
                f"expected a date within the run's horizon {FIRST_YEAR}..{run.end} "
                f"({FIRST_YEAR} <= year < {run.end + 1}), got {item['year']!r}",
            )
        _check_zones(path, f"{key}.zones", checked["zones"])
        out.append(checked)
    return out


def _check_parameters(path: Path, table: Any) -> dict[str, Any]:
    if not isinstance(table, Mapping):
        raise ScenarioError(path, "parameters", f"expected a table, got {_type_name(table)}")
    if MODE_ASSIGNMENTS in table:
        raise ScenarioError(
            path, f"parameters.{MODE_ASSIGNMENTS}", "expected mode assignments as [[modes]] tables"
        )
    for key, value in table.items():
        if isinstance(value, float) and math.isnan(value):
            raise ScenarioError(path, f"parameters.{key}", "expected a finite number, got nan")
    return dict(table)


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario file.

    Args:
        path: The TOML file.

    Returns:
        The scenario with fully resolved parameters.

    Raises:
        ScenarioError: If the file is missing, is not valid TOML, has an unknown
            key, or sets a value of the wrong type, out of bounds, not finite, or
            outside the run's horizon. The message names the file and the key.
    """
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ScenarioError(
                path, "", "expected a scenario file, got a symbolic link loop"
            ) from None
        raise ScenarioError(path, "", "file not found; expected a scenario file (TOML)") from None
    if stat.S_ISDIR(mode):
        raise ScenarioError(path, "", "expected a scenario file (TOML), got a folder")
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark is accepted
        doc = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ScenarioError(path, "", "expected a UTF-8 text file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(path, "", f"expected valid TOML: {exc}") from None
    unknown = sorted(set(doc) - set(TOP_KEYS))
    if unknown:
        raise ScenarioError(
            path, unknown[0], f"expected one of {', '.join(TOP_KEYS)} (unknown key)"
        )
    for key in ("name", "description"):
        if key not in doc:
            raise ScenarioError(path, key, "expected a string (missing)")
        if not isinstance(doc[key], str) or not doc[key].strip():
            raise ScenarioError(path, key, f"expected a non-empty string, got {doc[key]!r}")
    name = doc["name"]
    if not NAME_PATTERN.match(name):
        raise ScenarioError(
            path, "name", f"expected letters, digits, '_', '.' or '-' (at most 64), got {name!r}"
        )
    run = _check_run(path, doc.get("run", {}))
    overrides = _check_parameters(path, doc.get("parameters", {}))
    modes = _check_modes(path, doc.get("modes", []), run)
    if modes:
        overrides[MODE_ASSIGNMENTS] = modes
    try:
        params = resolve(overrides, prefix="parameters.")
    except ParameterError as exc:
        raise ScenarioError(path, "", str(exc)) from None
    return Scenario(
        name=name,
        description=" ".join(doc["description"].split()),
        run=run,
        params=params,
        overrides=overrides,
        source=text,
        path=str(path),
    )


def shipped_dir() -> Path:
    """Return the folder of the shipped scenarios.

    They are package data (``sim/scenarios/``), so they install with the package; the
    project's top-level ``scenarios/`` points there.
    """
    return Path(__file__).resolve().parents[1] / "scenarios"


def find_scenario(ref: str) -> Path:
    """Return the file a scenario reference names.

    A reference is a path to a TOML file or the name of a shipped scenario
    (``baseline`` for ``scenarios/baseline.toml``).
    """
    path = Path(ref)
    if path.exists() or path.suffix == ".toml" or "/" in ref:
        return path
    shipped = shipped_dir() / f"{ref}.toml"
    return shipped if shipped.is_file() else path


def shipped_scenarios() -> list[Scenario]:
    """Load every shipped scenario, baseline first, then by name.

    Raises:
        FileNotFoundError: If the package holds no scenario (an incomplete install).
    """
    files = sorted(shipped_dir().glob("*.toml"), key=lambda p: (p.stem != "baseline", p.stem))
    if not files:
        raise FileNotFoundError(
            f"{shipped_dir()}: no shipped scenario files (*.toml); the installation is incomplete"
        )
    return [load_scenario(p) for p in files]
