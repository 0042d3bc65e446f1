"""Reading a scenario file (or a mapping with its keys) and loading it into a :class:`Scenario`."""

from __future__ import annotations

import errno
import json
import re
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sim.core.params import MODE_ASSIGNMENTS, ParameterError, resolve
from sim.core.suggest import closest
from sim.experiments.errors import ArgumentError
from sim.experiments.scenarios.checks import (
    Collect,
    check_in_time,
    check_modes,
    check_parameters,
    check_run,
    check_settings,
    unknown_key,
)
from sim.experiments.scenarios.scenario import RunSettings, Scenario, ScenarioError, Sweep
from sim.experiments.scenarios.sweeps import check_sweep, design_points

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
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
#: Deepest nesting of tables and lists a scenario needs (file, ``[[modes]]``, a mode's
#: table, its list of zone ids); anything deeper is refused before it is read further.
MAX_DEPTH = 4


def load_scenario(path: str | Path, settings: Mapping[str, Any] | None = None) -> Scenario:
    """Load and validate a scenario file.

    Args:
        path: The TOML file.
        settings: Parameter values laid over the file's ``[parameters]`` (the command
            line's ``--set``), checked by :func:`~.checks.check_settings`.

    Returns:
        The scenario with fully resolved parameters (a file with a ``[sweep]`` runs as
        the variants of :func:`~.sweeps.expand`).

    Raises:
        ScenarioError: If the file is missing, is not valid TOML, has an unknown
            key, or sets a value of the wrong type, out of bounds, not finite, or
            outside the run's horizon. The message names the file and the key (the
            first error; :func:`check_file` gives them all).
        ArgumentError: If ``settings`` names an unknown parameter, a bad value, or a
            parameter the file sweeps.
    """
    collect = Collect()
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
    collect = Collect()
    _check_depth(Path(label), doc)
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
    collect = Collect()
    try:
        text, doc = _read(Path(path))
    except ScenarioError as exc:  # the file cannot be read at all
        return None, [exc]
    return _load(Path(path), text, doc, {}, collect), collect.errors


def _read(path: Path) -> tuple[str, dict[str, Any]]:
    """The file's text and its TOML content (a byte-order mark is accepted)."""
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
        doc = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ScenarioError(path, "", "expected a UTF-8 text file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(path, "", f"expected valid TOML: {exc}") from None
    except RecursionError:
        raise ScenarioError(path, "", _too_deep()) from None
    _check_depth(path, doc)
    return text, doc


def _too_deep() -> str:
    return f"expected tables and lists nested at most {MAX_DEPTH} deep, got deeper nesting"


def _check_depth(path: Path, doc: Any) -> None:
    """Refuse tables and lists nested deeper than :data:`MAX_DEPTH` (the file is depth 1)."""
    level = [doc]
    for depth in range(1, MAX_DEPTH + 2):
        inner = [
            v
            for c in level
            for v in (c.values() if isinstance(c, Mapping) else c)
            if isinstance(v, Mapping | list | tuple)
        ]
        if not inner:
            return
        if depth >= MAX_DEPTH:
            raise ScenarioError(path, "", _too_deep())
        level = inner


def _check_text(path: Path, doc: Mapping[str, Any], key: str) -> str:
    """A non-empty string at ``key``."""
    if key not in doc:
        raise ScenarioError(path, key, "expected a string (missing)")
    if not isinstance(doc[key], str) or not doc[key].strip():
        raise ScenarioError(path, key, f"expected a non-empty string, got {doc[key]!r}")
    return str(doc[key])


def _check_name(path: Path, doc: Mapping[str, Any]) -> str:
    """The scenario's name: letters, digits, ``_ . -``, at most 64."""
    name = _check_text(path, doc, "name")
    if not NAME_PATTERN.fullmatch(name):
        raise ScenarioError(
            path, "name", f"expected letters, digits, '_', '.' or '-' (at most 64), got {name!r}"
        )
    return name


def _load(
    path: Path, text: str, doc: Mapping[str, Any], settings: Mapping[str, Any], collect: Collect
) -> Scenario | None:
    """Check a scenario's content, recording every error; the scenario if there was none."""
    for key in sorted(set(doc) - set(TOP_KEYS)):
        collect.errors.append(unknown_key(path, key, TOP_KEYS))
    name = collect("", _check_name, path, doc)
    description = collect("", _check_text, path, doc, "description")
    texts: dict[str, Any] = {  # title, title_zh, description_zh
        key: " ".join(collect("", _check_text, path, doc, key).split())
        for key in OPTIONAL_TEXTS
        if key in doc
    }
    run = collect(RunSettings(), check_run, path, doc.get("run", {}), collect)
    overrides, sweep = _overrides(path, doc, run, settings, collect)
    if collect.errors:
        return None
    try:
        params = resolve(overrides, prefix="parameters.")
    except ParameterError as exc:  # checked above; kept as the last guard
        raise ScenarioError(path, "", str(exc)) from None
    _check_in_time_everywhere(path, name, run, overrides, params, sweep, collect)
    if collect.errors:
        return None
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


def _overrides(
    path: Path,
    doc: Mapping[str, Any],
    run: RunSettings,
    settings: Mapping[str, Any],
    collect: Collect,
) -> tuple[dict[str, Any], Sweep | None]:
    """The parameters a scenario sets (file, then ``settings``, then modes), and its sweep.

    Raises:
        ArgumentError: If ``settings`` gives a parameter the file sweeps.
    """
    overrides: dict[str, Any] = collect(
        {}, check_parameters, path, doc.get("parameters", {}), collect
    )
    modes: list[dict[str, Any]] = collect([], check_modes, path, doc.get("modes", []), run, collect)
    sweep = None
    if "sweep" in doc:
        sweep = collect(None, check_sweep, path, doc["sweep"], overrides, collect)
        for key in sorted(set(settings) & set(sweep.values if sweep else ())):
            raise ArgumentError("set", f" {key}: {path} sweeps it; expected another parameter")
    overrides.update(settings)
    if modes:
        overrides[MODE_ASSIGNMENTS] = modes
    return overrides, sweep


def _check_in_time_everywhere(
    path: Path,
    name: str,
    run: RunSettings,
    overrides: Mapping[str, Any],
    params: Mapping[str, Any],
    sweep: Sweep | None,
    collect: Collect,
) -> None:
    """Check the mode assignments' zone ids in time (:func:`~.checks.check_in_time`).

    A sweep over integration is checked at every design point; otherwise ``params``.
    """
    swept = set(sweep.values) if sweep else set()
    if swept & {"integration_on", "integration_year"}:
        bare = Scenario(name, "", run, {}, {}, "", str(path), sweep=sweep)
        for _, point in design_points(bare):
            collect(None, check_in_time, path, resolve({**overrides, **point}))
    else:
        collect(None, check_in_time, path, params)
