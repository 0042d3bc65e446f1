"""One escaping policy for every writer: Markdown links only http(s), CSV cells inert."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.analysis import safetext
from sim.analysis.calibration.target_file import load_targets
from sim.analysis.calibration.targets import TargetsError

SIM = Path(sim.__file__).parent


@pytest.mark.parametrize(
    "text",
    ["[click](javascript:alert(1))", "![x](javascript:alert(1))", "<javascript:alert(1)>",
     "[a](data:text/html;base64,PHNjcmlwdD4=)"],
)  # fmt: skip
def test_text_never_forms_a_link(text: str) -> None:
    for fn in (safetext.md_inline, safetext.md_escape, safetext.md_cell):
        out = fn(text)
        # every ``<`` and ``](`` is backslash-escaped (CommonMark shows it as written)
        assert re.search(r"(?<!\\)(<|\]\()", out) is None, out


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("brief_files/a.png", "brief_files/a.png"),
        ("<svg onload=alert(1)>_files/a.png", "%3Csvg%20onload%3Dalert%281%29%3E_files/a.png"),
        ("x) [y](javascript:z", "x%29%20%5By%5D%28javascript%3Az"),
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("javascript:alert(1)", "#"),
        ("JavaScript:alert(1)", "#"),
        ("data:text/html,x", "#"),
        ("file:///etc/passwd", "#"),
        ("//evil.example/x", "#"),
    ],
)
def test_link_targets_are_http_or_relative(target: str, expected: str) -> None:
    assert safetext.md_url(target) == expected


def test_csv_cells_that_start_a_formula_are_inert_and_read_back(tmp_path: Path) -> None:
    df = pd.DataFrame(
        {
            "target": ['=HYPERLINK("http://x","y")', "+1", "-a", "@SUM(A1)", "\tx", "plain"],
            "@col": ["a", "b", "c", "d", "e", "f"],
            "value": [-1.5, 2.0, 3.0, -4.0, 5.0, 6.0],
        }
    )
    path = safetext.write_csv(tmp_path / "t.csv", df)
    lines = path.read_text().splitlines()
    assert lines[0].startswith("target,'@col,value")
    assert lines[1].startswith("\"'=HYPERLINK(")
    cells = [line.split(",")[0].strip('"') for line in lines[2:5]]
    assert cells == ["'+1", "'-a", "'@SUM(A1)"]
    assert lines[6] == "plain,f,6.0" and lines[1].endswith(",-1.5")  # numbers stay numbers
    pd.testing.assert_frame_equal(safetext.read_csv(path), df)


def test_every_csv_writer_goes_through_the_policy() -> None:
    """No module writes CSV with ``to_csv`` but :mod:`sim.analysis.safetext` (and the zone
    registry's own data files, which the model reads back verbatim)."""
    allowed = {SIM / "analysis" / "safetext.py", SIM / "core" / "zonedata.py"}
    found = []
    for path in sorted(SIM.rglob("*.py")):
        if path in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "to_csv":
                found.append(f"{path.relative_to(SIM)}:{node.lineno}")
    assert found == []


def test_target_names_that_are_not_plain_names_are_refused(tmp_path: Path) -> None:
    text = Path("calibration/targets_2018.toml").read_text(encoding="utf-8")
    path = tmp_path / "t.toml"
    path.write_text(
        text.replace("[targets.firms]", '[targets."=HYPERLINK(\\"http://x\\",\\"y\\")"]', 1),
        encoding="utf-8",
    )
    with pytest.raises(TargetsError, match=r"targets\.'=HYPERLINK.*expected a name of letters"):
        load_targets(path)


def _calls(path: Path) -> list[str]:
    """The dotted names of every call in a module (``html.escape``, ``re.sub``)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        func = node.func if isinstance(node, ast.Call) else None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            out.append(f"{func.value.id}.{func.attr}")
    return out


def test_html_is_escaped_in_one_place() -> None:
    """Only :mod:`sim.analysis.safetext` escapes HTML; every other writer calls it."""
    escaping = [
        path.relative_to(SIM).as_posix()
        for path in sorted(SIM.rglob("*.py"))
        if "html.escape" in _calls(path) or "from html import" in path.read_text(encoding="utf-8")
    ]
    assert escaping == ["analysis/safetext.py"]


def test_analysis_documents_are_built_by_the_document_builder() -> None:
    """No module of :mod:`sim.analysis` but the builder (and :mod:`safetext`'s inline
    markup) writes HTML elements: a second builder would escape by rules of its own."""
    tag = re.compile(r"<(p|td|th|tr|table|ul|ol|li|h[1-6]|figure|blockquote|nav)[ >]")
    allowed = {"safetext.py", "document/builder.py"}
    writers = set()
    for path in sorted((SIM / "analysis").rglob("*.py")):
        name = path.relative_to(SIM / "analysis").as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and tag.search(text) and name not in allowed:
                writers.add(name)
    assert writers == set()
