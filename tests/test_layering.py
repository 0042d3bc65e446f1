"""Package-wide rules that a scan of the source checks."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import sim

SIM = Path(sim.__file__).parent
#: A command-line option in a message: ``--name`` at a word start.
FLAG = re.compile(r"(?:^|[\s(`])--[a-z]")


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
