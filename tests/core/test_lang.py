from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import sim
from sim.core.lang import LANGS, check_lang, translate

SIM = Path(sim.__file__).parent


def test_translate_picks_the_language_in_the_order_of_langs() -> None:
    assert LANGS == ("en", "zh")
    assert translate(("Firms", "企业数"), "en") == "Firms"
    assert translate(("Firms", "企业数"), "zh") == "企业数"
    with pytest.raises(ValueError, match=r"^lang: expected one of en, zh, got 'fr'$"):
        translate(("Firms", "企业数"), "fr")
    check_lang("zh")


def test_the_languages_are_listed_once() -> None:
    listed = [
        p.relative_to(SIM).as_posix()
        for p in SIM.rglob("*.py")
        if re.search(r"^\s*LANGS\b[^=]*=", p.read_text(encoding="utf-8"), flags=re.MULTILINE)
    ]
    assert listed == ["core/lang.py"]


def _codes(node: ast.expr) -> set[str]:
    """The language codes of :data:`LANGS` a literal tuple, list or set lists as its items."""
    if not isinstance(node, ast.Tuple | ast.List | ast.Set):
        return set()
    items = [e.elts[0] if isinstance(e, ast.Tuple) and e.elts else e for e in node.elts]
    return {e.value for e in items if isinstance(e, ast.Constant) and e.value in LANGS}


def languages_listed(source: str) -> list[int]:
    """Lines that list the languages themselves: ``("en", "zh")``, ``{"en": ..., "zh": ...}``,
    or one entry per language (``(("en", "English"), ("zh", "中文"))``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.expr):
            continue
        keys = node.keys if isinstance(node, ast.Dict) else []
        coded = {k.value for k in keys if isinstance(k, ast.Constant) and k.value in LANGS}
        if len(coded) > 1 or len(_codes(node)) > 1:
            found.append(node.lineno)
    return found


def test_no_module_lists_the_languages_but_their_home() -> None:
    """Languages are :data:`LANGS`; text by language is a :data:`Translated` tuple."""
    listed = {
        p.relative_to(SIM).as_posix(): lines
        for p in sorted(SIM.rglob("*.py"))
        if p.relative_to(SIM).as_posix() != "core/lang.py"
        and (lines := languages_listed(p.read_text(encoding="utf-8")))
    }
    assert listed == {}


def test_the_check_finds_languages_listed_by_hand() -> None:
    source = 'A = ("en", "zh")\nB = {"zh": "x", "en": "y"}\nC = [("en", "E"), ("zh", "Z")]\n'
    assert languages_listed(source) == [1, 2, 3]
    assert languages_listed('HTML_LANG = ("en", "zh-CN")\nT = ("Firms", "企业数")\n') == []
