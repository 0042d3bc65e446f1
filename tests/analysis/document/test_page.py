"""The page around a document: skeleton and style sheet are package files, fonts by language."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

import sim
from sim.analysis import cjkfont
from sim.analysis.document import page
from sim.core.lang import LANGS, translate

SIM = Path(sim.__file__).parent
TEMPLATES = SIM / "analysis" / "document" / "templates"


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_is_the_skeleton_filled_in(lang: str) -> None:
    out = page.render_page("<p>太原 x</p>", lang, "A & B")
    skeleton = (TEMPLATES / "page.html").read_text(encoding="utf-8")
    assert out.startswith("<!DOCTYPE html>\n<html lang=")
    assert out.endswith("<body>\n<p>太原 x</p>\n</body>\n</html>\n")
    assert skeleton.split("$")[0] in out and "<title>A &amp; B</title>" in out
    assert (TEMPLATES / "style.css").read_text(encoding="utf-8") + "</style>" in out
    code, family = ("zh-CN", cjkfont.FAMILY) if lang == "zh" else ("en", "Helvetica Neue")
    assert f'<html lang="{code}">' in out
    assert f"body{{font-family:{translate(page.FONTS, lang)}}}" in out
    assert translate(page.FONTS, lang).lstrip('"').startswith(family)
    assert "@font-face" in out  # the shipped font's subset for 太原


def test_templates_ship_with_the_package_and_no_module_holds_a_style_sheet() -> None:
    pyproject = tomllib.loads((SIM.parent / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = pyproject["tool"]["setuptools"]["package-data"]["sim.analysis.document"]
    files = sorted(p.name for p in TEMPLATES.iterdir())
    assert files == ["page.html", "style.css"]
    assert {Path(p).suffix for p in shipped} >= {".html", ".css"}
    # the style sheet's rules live in the package file only
    for path in (SIM / "analysis").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert "border-collapse" not in node.value, path
                assert "<!DOCTYPE" not in node.value, path
