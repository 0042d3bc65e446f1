"""Package-wide rules that a scan of the source checks."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import sim

SIM = Path(sim.__file__).parent
#: A command-line option in a message: ``--name`` at a word start.
FLAG = re.compile(r"(?:^|[\s(`])--[a-z]")
#: Most lines a module of the package may have.
MAX_LINES = 500
#: Modules (relative to ``sim/``) still over :data:`MAX_LINES` until they are split; a
#: module leaves the list when it is split, and none joins it.
TOO_LONG: frozenset[str] = frozenset()


def _modules() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(SIM.rglob("*.py"))]


def test_no_module_uses_pyplot_or_switches_the_backend() -> None:
    """Figures are Figure objects: pyplot state and matplotlib.use would change a notebook's."""
    found = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [(path, a.name) for a in node.names if a.name == "matplotlib.pyplot"]
            elif isinstance(node, ast.ImportFrom):
                if node.module == "matplotlib.pyplot" or (
                    node.module == "matplotlib" and any(a.name == "pyplot" for a in node.names)
                ):
                    found.append((path, "matplotlib.pyplot"))
            elif isinstance(node, ast.Call):
                f = node.func
                if (
                    isinstance(f, ast.Attribute)
                    and f.attr == "use"
                    and isinstance(f.value, ast.Name)
                    and f.value.id in ("matplotlib", "mpl")
                ):
                    found.append((path, "matplotlib.use"))
    assert found == []


def test_library_errors_name_arguments_not_flags() -> None:
    """Below sim/cli, no error message names a command-line option (``--...``)."""
    found = []
    for path, tree in _modules():
        if "cli" in path.relative_to(SIM).parts[:1]:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and node.exc is not None:
                for sub in ast.walk(node.exc):
                    if (
                        isinstance(sub, ast.Constant)
                        and isinstance(sub.value, str)
                        and FLAG.search(sub.value)
                    ):
                        found.append((path.relative_to(SIM), node.lineno, sub.value))
    assert found == []


def test_no_module_is_longer_than_the_limit() -> None:
    """Every module has at most MAX_LINES lines, but those listed in TOO_LONG (still over)."""
    lines = {
        path.relative_to(SIM).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted(SIM.rglob("*.py"))
    }
    over = {name: n for name, n in lines.items() if n > MAX_LINES}
    assert {name: n for name, n in over.items() if name not in TOO_LONG} == {}
    split = sorted(TOO_LONG - set(over))
    assert split == [], f"now within {MAX_LINES} lines: remove them from TOO_LONG: {split}"


def test_every_module_says_what_it_holds() -> None:
    """Every module opens with a docstring."""
    assert [path.relative_to(SIM) for path, tree in _modules() if not ast.get_docstring(tree)] == []
