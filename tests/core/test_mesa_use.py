"""The package uses Mesa through its public API only."""

from __future__ import annotations

import re
from pathlib import Path

import mesa

PACKAGE = Path(__file__).resolve().parents[2] / "sim"
MESA = Path(mesa.__file__).parent
#: Mesa modules whose classes the model subclasses or uses.
MESA_MODULES = ("model.py", "agent.py", "agentset.py")


def mesa_private_names() -> set[str]:
    """Underscore attributes that Mesa's Model, Agent and AgentSet set on themselves."""
    names: set[str] = set()
    for module in MESA_MODULES:
        names |= set(re.findall(r"self\.(_[A-Za-z]\w*)\s*[:=]", (MESA / module).read_text()))
    return names


def test_the_scan_knows_mesa_private_containers() -> None:
    names = mesa_private_names()
    assert {"_agents", "_all_agents", "_agents_by_type"} <= names


def test_package_never_touches_mesa_private_attributes() -> None:
    names = mesa_private_names()
    pattern = re.compile(r"\.(_[A-Za-z]\w*)\b")
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line_no}: .{m.group(1)}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for m in pattern.finditer(line)
        if m.group(1) in names
    ]
    assert not found, found


def test_the_scan_would_catch_a_write() -> None:
    names = mesa_private_names()
    line = "self._all = model._all_agents._agents"
    hits = [m.group(1) for m in re.finditer(r"\.(_[A-Za-z]\w*)\b", line) if m.group(1) in names]
    assert hits == ["_all_agents", "_agents"]
