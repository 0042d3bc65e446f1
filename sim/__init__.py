"""Agent-based model of Shanxi's development-zone reform (2016-2035)."""

from sim.model import ZoneReformModel
from sim.params import REGISTRY, ParameterError
from sim.run import METRICS, SimulationResult, simulate

__all__ = [
    "METRICS",
    "REGISTRY",
    "ParameterError",
    "SimulationResult",
    "ZoneReformModel",
    "simulate",
]
__version__ = "0.1.0"
