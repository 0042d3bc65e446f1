"""The marks that join the parts of a text come from one table, in every language."""

from __future__ import annotations

import pytest

from sim.analysis.document import SEPARATORS, separator
from sim.core.lang import LANGS


def test_chinese_marks_are_full_width_and_english_ones_half_width() -> None:
    assert [separator(k, "zh") for k in ("list", "clause", "label", "series", "stop")] == [
        "，", "；", "：", "、", "。"
    ]  # fmt: skip
    assert separator("clause", "en") == "; " and separator("stop", "en") == "."
    for marks in SEPARATORS.values():
        assert len(marks) == len(LANGS)
        assert all(ord(c) < 128 for c in marks[0])
        assert all(ord(c) > 0x3000 for c in marks[1])
    with pytest.raises(ValueError, match="lang"):
        separator("list", "fr")
