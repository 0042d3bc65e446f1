"""House rules of the package's layout: short modules, mode names in the mode registry only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import sim
from sim.core import modes

PACKAGE = Path(sim.__file__).parent
#: Longest module of the model, lines.
MAX_LINES = 500


def _docstrings(tree: ast.AST) -> set[int]:
    """Ids of the string constants that are docstrings."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def mode_literals(source: str) -> list[str]:
    """The string constants of ``source`` (docstrings aside) that are a mode's key or name."""
    names = {n for m in modes.MODES.values() for n in (m.name, m.label_zh, m.label_en)}
    tree = ast.parse(source)
    docs = _docstrings(tree)
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docs
        and node.value in names
    ]


@pytest.mark.parametrize(
    "path", sorted((PACKAGE / "core").rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_no_model_module_is_over_500_lines(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_mode_names_are_written_only_in_the_mode_registry() -> None:
    found = {
        str(path.relative_to(PACKAGE)): hits
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != PACKAGE / "core" / "modes.py"
        and (hits := mode_literals(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_mode_literal_check_sees_keys_and_chinese_names_but_not_docstrings() -> None:
    source = (
        'def f():\n    """The corporate mode."""\n    return ["corporate", "区政合一", "other"]\n'
    )
    assert mode_literals(source) == ["corporate", "区政合一"]
    assert mode_literals('"""corporate"""\nx = 1\n') == []
