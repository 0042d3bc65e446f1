"""The better direction of a metric is the output registry's, read where it is needed.

``Output.better`` (:mod:`sim.core.outputs`) is the one place that says whether more or
less of a metric is better; no module of the analysis, the explorer or the command line
pairs a metric with a direction of its own, which could then disagree with it silently.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import sim
from sim.analysis.brief.overview import TRADEOFF_CRITERIA
from sim.core.outputs import ANNUAL_NAMES, ZONE_NAMES, better

SIM = Path(sim.__file__).parent
METRIC_NAMES = set(ANNUAL_NAMES) | set(ZONE_NAMES)
#: A name that says it holds directions (``LOWER_IS_BETTER``, ``direction``).
DIRECTION_NAME = re.compile(r"better|direction|higher|lower_is|sense", re.IGNORECASE)


def _sign(node: ast.expr) -> int | None:
    """The value of ``1``, ``-1`` or ``+1`` written as a literal, else None."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _sign(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    if isinstance(node, ast.Constant) and type(node.value) is int and node.value in (1, -1):
        return node.value
    return None


def _metric(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value in METRIC_NAMES


def directions_held(path: Path, root: Path = SIM) -> list[str]:
    """Places in a module that pair a metric name with a literal ±1, or name a table so."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        pairs: list[tuple[ast.expr | None, ast.expr]] = []
        if isinstance(node, ast.Dict):
            pairs = list(zip(node.keys, node.values, strict=True))
        elif isinstance(node, ast.Tuple) and len(node.elts) == 2:
            pairs = [(node.elts[0], node.elts[1])]
        if any(k is not None and _metric(k) and _sign(v) is not None for k, v in pairs):
            found.append(f"{path.relative_to(root)}:{node.lineno}")
        if isinstance(node, ast.Assign | ast.AnnAssign) and not isinstance(node.value, ast.Lambda):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name) and t.id.isupper()]
            if any(DIRECTION_NAME.search(n) for n in names):
                found.append(f"{path.relative_to(root)}:{node.lineno} ({names[0]})")
    return found


def test_no_module_holds_a_direction_of_its_own() -> None:
    modules = [p for part in ("analysis", "app", "cli") for p in sorted((SIM / part).rglob("*.py"))]
    assert [d for p in modules for d in directions_held(p)] == []


def test_the_check_finds_a_direction_held_by_hand(tmp_path: Path) -> None:
    path = tmp_path / "probe.py"
    path.write_text('LOWER_IS_BETTER = ("staff",)\nX = {"staff": -1}\nY = ("firms", +1)\n')
    assert [d.split(":")[1].split()[0] for d in directions_held(path, tmp_path)] == ["1", "2", "3"]


@pytest.mark.parametrize("metric", TRADEOFF_CRITERIA)
def test_every_trade_off_criterion_has_a_better_direction(metric: str) -> None:
    assert better(metric) in (1, -1)
