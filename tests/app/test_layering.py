"""The app sits above the analysis layer: it imports the layers below, only the CLI imports it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import sim

SIM = Path(sim.__file__).parent
#: Layers the app may import.
BELOW = ("sim.core", "sim.experiments", "sim.analysis", "sim.app", "sim.errors")
#: Modules of the app that may import Solara and Mesa's visualization (the app extra): the
#: page's package and the server.
UI = ("page", "server.py")


def imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names}
    return out


def test_the_app_imports_only_the_layers_below_it() -> None:
    wrong = [
        (str(p.relative_to(SIM)), m)
        for p in sorted((SIM / "app").rglob("*.py"))
        for m in imports(p)
        if (m == "sim" or m.startswith("sim.")) and not m.startswith(BELOW)
    ]
    assert wrong == []


def test_only_the_command_line_imports_the_app() -> None:
    wrong = [
        str(p.relative_to(SIM))
        for p in sorted(SIM.rglob("*.py"))
        if p.parts[len(SIM.parts)] not in ("app", "cli")
        and any(m == "sim.app" or m.startswith("sim.app.") for m in imports(p))
    ]
    assert wrong == []
    assert any(m.startswith("sim.app") for m in imports(SIM / "cli" / "app_cmd.py"))


def test_solara_stays_in_the_page_and_the_server() -> None:
    app = SIM / "app"
    ui = {
        p.relative_to(app).parts[0]
        for p in app.rglob("*.py")
        if any(m.split(".")[0] in ("solara", "uvicorn") or m.startswith("mesa.visualization")
               for m in imports(p))
    }  # fmt: skip
    assert ui == set(UI)


def test_the_app_names_no_mode_itself() -> None:
    """Modes, their names and labels come from the mode registry, never from app code."""
    from sim.core.modes import MODES

    words = {m.name for m in MODES.values()} | {m.label_en.lower() for m in MODES.values()}
    labels_zh = [m.label_zh for m in MODES.values()]
    found = []
    for p in sorted((SIM / "app").rglob("*.py")):
        tree = ast.parse(p.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) in docstrings:
                    continue
                tokens = set(re.findall(r"[a-z]+", node.value.lower()))
                if tokens & words or any(z in node.value for z in labels_zh):
                    found.append((str(p.relative_to(SIM)), node.value))
    assert found == []
