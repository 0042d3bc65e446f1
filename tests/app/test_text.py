"""The page's own words: both languages, the same placeholders, every one in use."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

import sim.app
from sim.app.text import TEXT, error_line, text

APP = Path(sim.app.__file__).parent


def fields(s: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(s) if f}


@pytest.mark.parametrize("key", sorted(TEXT))
def test_every_text_in_both_languages_with_the_same_placeholders(key: str) -> None:
    en, zh = TEXT[key]
    assert en.strip() and zh.strip()
    assert fields(en) == fields(zh)


def test_every_text_is_used() -> None:
    source = "".join(
        p.read_text(encoding="utf-8") for p in APP.rglob("*.py") if p.name != "text.py"
    )
    quoted = set(re.findall(r"""["'](\w+)["']""", source))
    unused = [k for k in TEXT if k not in quoted and not k.startswith(("group_", "field_"))]
    assert unused == []


def test_text_fills_placeholders() -> None:
    assert text("progress", "en", done=3, total=8) == "3 of 8 runs"
    assert text("progress", "zh", done=3, total=8) == "已完成3/8次运行"


def test_error_lines_are_one_line() -> None:
    assert error_line(ValueError("a: expected b\nmore")) == "a: expected b"
    assert error_line(RuntimeError("")) == "RuntimeError"
    assert error_line(KeyError("x")) == "KeyError: 'x'"
