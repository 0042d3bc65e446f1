from __future__ import annotations

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
