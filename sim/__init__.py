"""Agent-based model of Shanxi's development-zone reform (2016-2035).

Layers, each importing only those before it:
``sim.core`` (the model and its run boundary) <- ``sim.experiments`` (scenarios,
batches, backends, results store) <- ``sim.analysis`` (calibration, sensitivity,
plots, briefs) <- ``sim.app`` (the browser explorer) and ``sim.cli`` (the ``zonesim``
command, which alone imports ``sim.app``).

The names below are loaded on first use, so ``import sim`` stays light and the
layers keep their direction.
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any

__version__ = "0.1.0"

with warnings.catch_warnings():
    # Mesa imports tqdm.auto, which in Jupyter without ipywidgets warns that it falls back
    # to the text progress bar; importing it here first keeps that notice out of notebooks.
    warnings.filterwarnings("ignore", message="IProgress not found")
    import tqdm.auto  # noqa: F401

_EXPORTS = {
    "simulate": "sim.core.run",
    "SimulationResult": "sim.core.run",
    "METRICS": "sim.core.run",
    "ZoneReformModel": "sim.core.model",
    "REGISTRY": "sim.core.params",
    "ParameterError": "sim.core.params",
    "ZonesimError": "sim.errors",
    "load_results": "sim.experiments.store",
    "run_scenarios": "sim.experiments.batch",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first access."""
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
