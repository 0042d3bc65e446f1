from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sim.core.params import resolve
from sim.experiments.runs import RunSpec
from sim.experiments.seeds import replicate_seed

SHORT = """
[run]
start = 2016
end = 2017
replications = 2
seed = 11
"""


@pytest.fixture
def scenario_file(tmp_path: Path) -> Callable[..., Path]:
    """Write ``<name>.toml`` in ``tmp_path``: name, question, run table, extra text."""

    def write(name: str, extra: str = "", run: str = SHORT) -> Path:
        path = tmp_path / f"{name}.toml"
        path.write_text(f'name = "{name}"\ndescription = "What if {name}?"\n{run}\n{extra}\n')
        return path

    return write


@pytest.fixture
def specs() -> list[RunSpec]:
    """Two scenarios x three replicates, two-year horizon."""
    base = resolve({})
    alt = resolve({"exit_rule_on": 0, "delegation_years": 4.0})
    return [
        RunSpec(name, k, replicate_seed(5, k), params, 2016, 2017)
        for name, params in (("baseline", base), ("alt", alt))
        for k in range(3)
    ]
