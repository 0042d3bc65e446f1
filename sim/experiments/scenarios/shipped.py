"""The shipped scenarios (package data in ``sim/scenarios/``) and scenario references."""

from __future__ import annotations

from pathlib import Path

from sim.core.suggest import did_you_mean
from sim.errors import MissingFileError
from sim.experiments.scenarios.loading import load_scenario
from sim.experiments.scenarios.scenario import Scenario, ScenarioError


def shipped_dir() -> Path:
    """Return the folder of the shipped scenarios.

    They are package data (``sim/scenarios/``), so they install with the package; the
    project's top-level ``scenarios/`` points there.
    """
    return Path(__file__).resolve().parents[2] / "scenarios"


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
