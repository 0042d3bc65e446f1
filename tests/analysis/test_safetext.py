from __future__ import annotations

import pytest

from sim.analysis import safetext

NASTY = "a\x00b\x1b[31mc\u202eevil\u2066d\u200fe\r\x85f"


def test_clean_removes_controls_and_bidi_but_keeps_tab_and_newline() -> None:
    assert safetext.clean(NASTY) == "ab[31mcevilde" + "f"
    assert safetext.clean("x\ty\nz") == "x\ty\nz"
    assert safetext.clean(12) == "12"


def test_html_text_escapes_markup() -> None:
    out = safetext.html_text('<img src=x onerror="alert(1)">\u202e')
    assert out == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"


@pytest.mark.parametrize("fn", [safetext.md_inline, safetext.md_escape, safetext.md_cell])
def test_markdown_functions_leave_no_raw_html_or_controls(fn: object) -> None:
    out = fn("<script>alert(1)</script><img src=x onerror=alert(1)>" + NASTY)  # type: ignore[operator]
    assert "<" not in out and ">" not in out
    assert not any(c in out for c in "\x00\x1b\r\x85") and not set(out) & safetext.BIDI_CONTROLS


def test_md_inline_keeps_template_markdown() -> None:
    assert safetext.md_inline("**Effects** of `x` & y") == "**Effects** of `x` &amp; y"


def test_md_escape_renders_literally_on_one_line() -> None:
    assert safetext.md_escape("# [click](javascript:x) *a*\n- b|c") == (
        r"\# \[click\]\(javascript:x\) \*a\* - b\|c"
    )
    assert safetext.md_escape("- item") == r"\- item"
    assert safetext.md_escape("1. first") == r"1\. first"


def test_md_cell_escapes_pipes_and_newlines() -> None:
    assert safetext.md_cell("a|b\nc<d") == r"a\|b c&lt;d"
