"""A loaded scenario: its run settings, its sweep, and the error a bad scenario raises."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.core.run import FIRST_YEAR
from sim.errors import ZonesimError

#: Defaults of the ``[run]`` table.
RUN_DEFAULTS: dict[str, int] = {
    "start": FIRST_YEAR,
    "end": 2035,
    "replications": 20,
    "seed": 20170401,
}
MAX_REPLICATIONS = 100_000


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
        sweep: The file's ``[sweep]`` (run through :func:`~.sweeps.expand`), or ``None``.
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
