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
                          # (city: pinyin or Chinese, any case: city:Datong, city:大同;
                          # several: city:Datong,Linfen)

    [sweep]               # optional: a design over registry parameters
    delegation_years = [1.5, 3.0, 4.5, 6.0]     # full factorial over the lists given

    # or a Latin hypercube of n points within [lower, upper] per parameter:
    # method = "lhs"
    # n = 8
    # delegation_years = [1.5, 6.0]

A file with a ``[sweep]`` runs as one scenario *variant* per design point
(:func:`expand`): ``slow_delegation[delegation_years=4.5]`` for a full factorial (the
values in the order given, parameters joined by commas), ``slow_delegation#3`` for point 3
(from 0) of a Latin hypercube. A variant's swept values are its :attr:`Scenario.design`;
batches record them, and :func:`sim.load_results` shows them as columns. The hypercube is
drawn from the file's master seed (``run.seed``) through ``numpy.random.SeedSequence``
(:func:`sim.experiments.seeds.sweep_rng`), so a file always gives the same design.

Everything is checked on loading; an error names the file and the key and says
what was expected (:class:`ScenarioError`, a ``ValueError``). :func:`check_file`
returns every error of a file instead of the first.
"""

from __future__ import annotations

import errno
import itertools
import json
import math
import re
import stat
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from scipy.stats import qmc

from sim.core import selectors, zonedata
from sim.core.params import MODE_ASSIGNMENTS, REGISTRY, ParameterError, resolve
from sim.core.run import FIRST_YEAR, LAST_YEAR
from sim.core.suggest import closest, did_you_mean
from sim.errors import MissingFileError, ZonesimError
from sim.experiments.errors import ArgumentError
from sim.experiments.posterior import PosteriorError, load_posterior
from sim.experiments.seeds import sweep_rng

#: Defaults of the ``[run]`` table.
RUN_DEFAULTS: dict[str, int] = {
    "start": FIRST_YEAR,
    "end": 2035,
    "replications": 20,
    "seed": 20170401,
}
TOP_KEYS = (
    "name",
    "title",
    "title_zh",
    "description",
    "description_zh",
    "run",
    "parameters",
    "modes",
    "sweep",
)
#: Optional display texts: a short title in English and Chinese, the question in Chinese.
OPTIONAL_TEXTS = ("title", "title_zh", "description_zh")
#: Sweep methods: full factorial over lists of values, or a Latin hypercube within bounds.
SWEEP_METHODS = ("grid", "lhs")
#: Largest number of design points of one sweep.
MAX_DESIGN_POINTS = 10_000
MAX_REPLICATIONS = 100_000
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class ScenarioError(ZonesimError, ValueError):
    """A scenario file is missing, malformed or invalid.

    The message reads ``<file>: <key>: expected <what>, got <value>``.

    Attributes:
        path: The scenario file.
        key: The offending key (dotted path), or ``""`` for the file as a whole.
    """

    def __init__(self, path: str | Path, key: str, message: str) -> None:
        self.path = str(path)
        super().__init__(message, file=path, key=key)


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
class Sweep:
    """The ``[sweep]`` table of a scenario.

    Attributes:
        method: ``"grid"`` (full factorial) or ``"lhs"`` (Latin hypercube).
        values: Per swept parameter, its values (grid) or ``(lower, upper)`` (lhs).
        n: Number of Latin-hypercube points (``None`` for a grid).
    """

    method: str
    values: dict[str, tuple[float, ...]]
    n: int | None = None


@dataclass(frozen=True)
class Scenario:
    """A loaded, validated scenario.

    Attributes:
        name: Short identifier (letters, digits, ``_ . -``).
        description: The question the scenario answers.
        run: Run settings.
        title: Short title in English (empty if the file gives none).
        title_zh: Short title in Chinese (empty if the file gives none).
        description_zh: The question in Chinese (empty if the file gives none).
        params: Fully resolved parameters (every registry parameter plus
            ``mode_assignments``), ready for :func:`sim.core.run.simulate`.
        overrides: The parameters as written in the file (``[[modes]]`` under
            ``mode_assignments``).
        source: The file's text.
        path: The file.
        sweep: The file's ``[sweep]`` (run through :func:`expand`), or ``None``.
        design: For a sweep's variant, its swept parameter values; else empty.
    """

    name: str
    description: str
    run: RunSettings
    params: dict[str, Any] = field(repr=False)
    overrides: dict[str, Any]
    source: str = field(repr=False)
    path: str
    sweep: Sweep | None = None
    design: dict[str, float] = field(default_factory=dict)
    title: str = ""
    title_zh: str = ""
    description_zh: str = ""

    @property
    def base(self) -> str:
        """The file's scenario name (a variant's name without its design point)."""
        return self.name.split("[", 1)[0].split("#", 1)[0]


def _type_name(value: Any) -> str:
    return {bool: "boolean", int: "integer", float: "number", str: "string"}.get(
        type(value), type(value).__name__
    )


class _Collect:
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


def _check_int(path: Path, key: str, value: Any, lo: int, hi: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScenarioError(path, key, f"expected {what} (an integer), got {value!r}")
    if not lo <= value <= hi:
        raise ScenarioError(path, key, f"expected {what} between {lo} and {hi}, got {value}")
    return value


def _unknown_key(path: Path, key: str, allowed: tuple[str, ...]) -> ScenarioError:
    hint = did_you_mean(key.rpartition(".")[2], allowed)
    return ScenarioError(path, key, f"expected one of {', '.join(allowed)} (unknown key){hint}")


def _check_run(path: Path, table: Any, collect: _Collect) -> RunSettings:
    if not isinstance(table, Mapping):
        raise ScenarioError(path, "run", f"expected a table, got {_type_name(table)}")
    allowed = (*RUN_DEFAULTS, "posterior")
    for key in sorted(set(table) - set(allowed)):
        collect.errors.append(_unknown_key(path, f"run.{key}", allowed))
    v = {**RUN_DEFAULTS, **table}
    d = RUN_DEFAULTS
    posterior = collect(None, _check_posterior, path, v.get("posterior"))
    start = collect(
        d["start"], _check_int, path, "run.start", v["start"], FIRST_YEAR, LAST_YEAR, "a year"
    )
    end = collect(d["end"], _check_int, path, "run.end", v["end"], FIRST_YEAR, LAST_YEAR, "a year")
    if end < start:
        collect.errors.append(
            ScenarioError(path, "run.end", f"expected a year >= run.start ({start}), got {end}")
        )
        end = max(start, d["end"])
    reps = collect(
        d["replications"], _check_int, path, "run.replications", v["replications"], 1,
        MAX_REPLICATIONS, "a replicate count",
    )  # fmt: skip
    seed = collect(
        d["seed"], _check_int, path, "run.seed", v["seed"], 0, 2**63 - 1, "a non-negative seed"
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
    try:
        selectors.check(zones, zonedata.default())
    except selectors.SelectorError as exc:
        raise ScenarioError(path, key, str(exc)) from None


def _check_mode(path: Path, key: str, item: Any, run: RunSettings) -> dict[str, Any]:
    if not isinstance(item, Mapping):
        raise ScenarioError(path, key, f"expected a table, got {_type_name(item)}")
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


def _check_modes(
    path: Path, modes: Any, run: RunSettings, collect: _Collect
) -> list[dict[str, Any]]:
    if not isinstance(modes, list):
        raise ScenarioError(
            path, "modes", "expected [[modes]] tables with year, mode and zones, got "
            f"{_type_name(modes)}"
        )  # fmt: skip
    out = [
        collect(None, _check_mode, path, f"modes[{i}]", item, run) for i, item in enumerate(modes)
    ]
    return [m for m in out if m is not None]


def _check_value(path: Path, key: str, name: str, value: Any) -> float:
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


def _check_parameters(path: Path, table: Any, collect: _Collect) -> dict[str, Any]:
    if not isinstance(table, Mapping):
        raise ScenarioError(path, "parameters", f"expected a table, got {_type_name(table)}")
    out = {}
    for key, value in table.items():
        if collect(None, _check_value, path, f"parameters.{key}", key, value) is not None:
            out[key] = value
    return out


def _check_sweep(path: Path, table: Any, fixed: Mapping[str, Any], collect: _Collect) -> Sweep:
    if not isinstance(table, Mapping):
        raise ScenarioError(path, "sweep", f"expected a table, got {_type_name(table)}")
    method = table.get("method", "grid")
    if method not in SWEEP_METHODS:
        raise ScenarioError(
            path, "sweep.method", f"expected one of {', '.join(SWEEP_METHODS)}, got {method!r}"
        )
    n = table.get("n")
    if method == "lhs":
        n = _check_int(path, "sweep.n", n, 1, MAX_DESIGN_POINTS, "a number of design points")
    elif n is not None:
        raise ScenarioError(path, "sweep.n", 'expected n only with method = "lhs"')
    values: dict[str, tuple[float, ...]] = {}
    for name, given in table.items():
        if name in ("method", "n"):
            continue
        key = f"sweep.{name}"
        if name in fixed:
            collect.errors.append(
                ScenarioError(path, key, "expected a parameter not also set in [parameters]")
            )
            continue
        if name not in REGISTRY:
            collect(None, _check_value, path, key, name, None)
            continue
        what = "[lower, upper]" if method == "lhs" else "a list of values"
        if not isinstance(given, list) or not given or (method == "lhs" and len(given) != 2):
            collect.errors.append(ScenarioError(path, key, f"expected {what}, got {given!r}"))
            continue
        given_checked = [
            collect(None, _check_value, path, f"{key}[{i}]", name, v) for i, v in enumerate(given)
        ]
        checked = [v for v in given_checked if v is not None]
        if len(checked) < len(given_checked):
            continue
        if method == "lhs" and not checked[0] < checked[1]:
            collect.errors.append(
                ScenarioError(path, key, f"expected lower < upper, got {given!r}")
            )
        elif method == "grid" and len(set(checked)) != len(checked):
            collect.errors.append(
                ScenarioError(path, key, f"expected distinct values, got {given!r}")
            )
        else:
            values[name] = tuple(checked)
    if not values and not collect.errors:
        raise ScenarioError(path, "sweep", "expected at least one parameter to sweep")
    if method == "grid" and math.prod(len(v) for v in values.values()) > MAX_DESIGN_POINTS:
        raise ScenarioError(
            path, "sweep", f"expected at most {MAX_DESIGN_POINTS:,} design points in the grid"
        )
    return Sweep(method=method, values=values, n=n)


def _format(name: str, value: float) -> str:
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


def _read(path: Path) -> tuple[str, dict[str, Any]]:
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ScenarioError(
                path, "", "expected a scenario file, got a symbolic link loop"
            ) from None
        siblings = [p.stem for p in path.parent.glob("*.toml")] if path.parent.is_dir() else []
        near = closest(path.stem, sorted(siblings))
        hint = f"; did you mean {str(path.parent / (near[0] + '.toml'))!r}?" if near else ""
        raise ScenarioError(
            path, "", f"file not found; expected a scenario file (TOML){hint}"
        ) from None
    if stat.S_ISDIR(mode):
        raise ScenarioError(path, "", "expected a scenario file (TOML), got a folder")
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark is accepted
        return text, tomllib.loads(text)
    except UnicodeDecodeError:
        raise ScenarioError(path, "", "expected a UTF-8 text file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(path, "", f"expected valid TOML: {exc}") from None


def _check_text(path: Path, doc: Mapping[str, Any], key: str) -> str:
    if key not in doc:
        raise ScenarioError(path, key, "expected a string (missing)")
    if not isinstance(doc[key], str) or not doc[key].strip():
        raise ScenarioError(path, key, f"expected a non-empty string, got {doc[key]!r}")
    return str(doc[key])


def _check_name(path: Path, doc: Mapping[str, Any]) -> str:
    name = _check_text(path, doc, "name")
    if not NAME_PATTERN.match(name):
        raise ScenarioError(
            path, "name", f"expected letters, digits, '_', '.' or '-' (at most 64), got {name!r}"
        )
    return name


def _load(
    path: Path, text: str, doc: Mapping[str, Any], settings: Mapping[str, Any], collect: _Collect
) -> Scenario | None:
    """Check a scenario's content, recording every error; the scenario if there was none."""
    for key in sorted(set(doc) - set(TOP_KEYS)):
        collect.errors.append(_unknown_key(path, key, TOP_KEYS))
    name = collect("", _check_name, path, doc)
    description = collect("", _check_text, path, doc, "description")
    texts: dict[str, Any] = {  # title, title_zh, description_zh
        key: " ".join(collect("", _check_text, path, doc, key).split())
        for key in OPTIONAL_TEXTS
        if key in doc
    }
    run = collect(RunSettings(), _check_run, path, doc.get("run", {}), collect)
    overrides: dict[str, Any] = collect(
        {}, _check_parameters, path, doc.get("parameters", {}), collect
    )
    modes: list[dict[str, Any]] = collect(
        [], _check_modes, path, doc.get("modes", []), run, collect
    )
    sweep = None
    if "sweep" in doc:
        sweep = collect(None, _check_sweep, path, doc["sweep"], overrides, collect)
        for key in sorted(set(settings) & set(sweep.values if sweep else ())):
            raise ArgumentError("set", f" {key}: {path} sweeps it; expected another parameter")
    overrides.update(settings)
    if modes:
        overrides[MODE_ASSIGNMENTS] = modes
    if collect.errors:
        return None
    try:
        params = resolve(overrides, prefix="parameters.")
    except ParameterError as exc:  # checked above; kept as the last guard
        raise ScenarioError(path, "", str(exc)) from None
    return Scenario(
        name=name,
        description=" ".join(description.split()),
        run=run,
        params=params,
        overrides=overrides,
        source=text,
        path=str(path),
        sweep=sweep,
        **texts,
    )


def load_scenario(path: str | Path, settings: Mapping[str, Any] | None = None) -> Scenario:
    """Load and validate a scenario file.

    Args:
        path: The TOML file.
        settings: Parameter values laid over the file's ``[parameters]`` (the command
            line's ``--set``), checked by :func:`check_settings`.

    Returns:
        The scenario with fully resolved parameters (a file with a ``[sweep]`` runs as
        the variants of :func:`expand`).

    Raises:
        ScenarioError: If the file is missing, is not valid TOML, has an unknown
            key, or sets a value of the wrong type, out of bounds, not finite, or
            outside the run's horizon. The message names the file and the key (the
            first error; :func:`check_file` gives them all).
        ArgumentError: If ``settings`` names an unknown parameter, a bad value, or a
            parameter the file sweeps.
    """
    collect = _Collect()
    settings = check_settings(settings)
    text, doc = _read(Path(path))
    sc = _load(Path(path), text, doc, settings, collect)
    if sc is None:
        raise collect.errors[0]
    return sc


def load_doc(
    label: str, doc: Mapping[str, Any], settings: Mapping[str, Any] | None = None
) -> Scenario:
    """Load a scenario given as a mapping with a scenario file's keys.

    Args:
        label: What errors name in place of a file (e.g. ``files_or_specs[0]``); a
            relative ``run.posterior`` is read from the working folder.
        doc: The scenario's content, as :func:`tomllib.loads` would give it.
        settings: As for :func:`load_scenario`.

    Raises:
        ScenarioError: As :func:`load_scenario` (naming ``label``).
    """
    collect = _Collect()
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, default=str)
    sc = _load(Path(label), text, doc, check_settings(settings), collect)
    if sc is None:
        raise collect.errors[0]
    return sc


def check_file(path: str | Path) -> tuple[Scenario | None, list[ScenarioError]]:
    """Check a scenario file and return every error found, not only the first.

    Returns:
        The scenario (``None`` if there is an error) and the errors, in file order.
    """
    collect = _Collect()
    try:
        text, doc = _read(Path(path))
    except ScenarioError as exc:  # the file cannot be read at all
        return None, [exc]
    return _load(Path(path), text, doc, {}, collect), collect.errors


def shipped_dir() -> Path:
    """Return the folder of the shipped scenarios.

    They are package data (``sim/scenarios/``), so they install with the package; the
    project's top-level ``scenarios/`` points there.
    """
    return Path(__file__).resolve().parents[1] / "scenarios"


def shipped_names() -> list[str]:
    """Names of the shipped scenarios, baseline first, then by name."""
    stems = [p.stem for p in shipped_dir().glob("*.toml")]
    return sorted(stems, key=lambda n: (n != "baseline", n))


def find_scenario(ref: str) -> Path:
    """Return the file a scenario reference names.

    A reference is a path to a TOML file or the name of a shipped scenario
    (``baseline`` for ``scenarios/baseline.toml``).

    Raises:
        ScenarioError: If ``ref`` is a bare name (no ``/``, no ``.toml``) that is neither
            an existing file nor a shipped scenario; the message suggests the closest
            shipped name and lists them.
    """
    path = Path(ref)
    if path.exists() or path.suffix == ".toml" or "/" in ref:
        return path
    shipped = shipped_dir() / f"{ref}.toml"
    if shipped.is_file():
        return shipped
    names = shipped_names()
    raise ScenarioError(
        "",
        "",
        f"no scenario {ref!r}{did_you_mean(ref, names) or ';'} shipped: {', '.join(names)}; "
        "or give the path to a scenario file (.toml)",
    )


def shipped_scenarios() -> list[Scenario]:
    """Load every shipped scenario, baseline first, then by name.

    Raises:
        FileNotFoundError: If the package holds no scenario (an incomplete install).
    """
    files = [shipped_dir() / f"{n}.toml" for n in shipped_names()]
    if not files:
        raise MissingFileError(
            f"{shipped_dir()}: no shipped scenario files (*.toml); the installation is incomplete"
        )
    return [load_scenario(p) for p in files]
