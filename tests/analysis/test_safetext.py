from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.analysis import safetext

NASTY = "a\x00b\x1b[31mc\u202eevil\u2066d\u200fe\r\x85f"


def test_clean_removes_controls_and_bidi_but_keeps_tab_and_newline() -> None:
    assert safetext.clean(NASTY) == "ab[31mcevilde" + "f"
    assert safetext.clean("x\ty\nz") == "x\ty\nz"
    assert safetext.clean(12) == "12"


def test_html_text_escapes_markup() -> None:
    out = safetext.html_text('<img src=x onerror="alert(1)">\u202e')
    assert out == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"


MARKDOWN = [safetext.md_inline, safetext.md_escape, safetext.md_cell]
#: Raw HTML or an autolink opening in Markdown: a ``<`` not escaped by a backslash.
RAW_HTML = re.compile(r"(?<!\\)(?:\\\\)*<[A-Za-z/!?]")
#: A character reference that Markdown would decode: an ``&`` not escaped by a backslash.
REFERENCE = re.compile(r"(?<!\\)(?:\\\\)*&(#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")


@pytest.mark.parametrize("fn", MARKDOWN)
def test_markdown_functions_leave_no_raw_html_entities_or_controls(fn: object) -> None:
    text = "<script>alert(1)</script><img src=x onerror=alert(1)> &lt;b&gt; &#60; \\<i>" + NASTY
    out = fn(text)  # type: ignore[operator]
    assert not RAW_HTML.search(out) and not REFERENCE.search(out), out
    assert not any(c in out for c in "\x00\x1b\r\x85") and not set(out) & safetext.BIDI_CONTROLS


@pytest.mark.parametrize("fn", MARKDOWN)
@given(text=st.text(alphabet=st.sampled_from("<>&#;/!?ab1x\\ \n"), max_size=30))
def test_no_text_gives_raw_html_or_an_entity_in_markdown(fn: object, text: str) -> None:
    out = fn(text)  # type: ignore[operator]
    assert not RAW_HTML.search(out) and not REFERENCE.search(out), (text, out)


def test_md_inline_keeps_template_markdown_and_plain_signs() -> None:
    assert safetext.md_inline("**Effects** of `x` & y") == "**Effects** of `x` & y"
    assert safetext.md_inline("likely ≥ 66 %, unlikely < 33 %") == "likely ≥ 66 %, unlikely < 33 %"
    assert safetext.md_inline("R&D &lt;b&gt; <b>") == r"R&D \&lt;b\&gt; \<b>"
    assert safetext.md_inline("a\n> quoted") == "a\n\\> quoted"


def test_md_escape_renders_literally_on_one_line() -> None:
    assert safetext.md_escape("# [click](javascript:x) *a*\n- b|c") == (
        r"\# \[click\]\(javascript:x\) \*a\* - b\|c"
    )
    assert safetext.md_escape("- item") == r"\- item"
    assert safetext.md_escape("1. first") == r"1\. first"


def test_md_cell_escapes_pipes_and_newlines() -> None:
    assert safetext.md_cell("a|b\nc<d") == r"a\|b c\<d"


def test_display_path_is_never_absolute(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "results" / "b").mkdir(parents=True)
    assert safetext.display_path(tmp_path / "results" / "b") == "results/b"
    assert safetext.display_path("results/b") == "results/b"
    assert safetext.display_path("../elsewhere/b") == "../elsewhere/b"
    assert safetext.display_path("/opt/data/posterior.parquet") == "posterior.parquet"
    assert safetext.display_path("/opt/data/b", base="/opt") == "data/b"
    assert safetext.display_path(tmp_path) == "."


def test_display_command_shows_no_absolute_path(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    command = (
        f"zonesim run /opt/s/base.toml {tmp_path}/alt.toml --out=/opt/x/b --seed 9 --out '/a b/c'"
    )
    assert safetext.display_command(command) == (
        "zonesim run base.toml alt.toml --out=b --seed 9 --out c"
    )
    assert safetext.display_command("zonesim run 'unbalanced") == "zonesim run 'unbalanced"


def test_numbers_keep_their_unit_and_ranges_stay_on_one_line() -> None:
    out = safetext.keep_together("interval 39 %–86 %, 5 % of runs, 2016–2035, x_2")
    assert '<span class="nw">39\u00a0%–86\u00a0%</span>' in out
    assert "5\u00a0% of runs" in out and '<span class="nw">2016–2035</span>' in out
    assert out.endswith("x_2")


def test_html_inline_escapes_text_and_renders_template_markdown() -> None:
    assert safetext.html_inline("**Lead**: `x_1` <b>39 %–86 %</b>\u202e") == (
        '<strong>Lead</strong>: <code>x_1</code> &lt;b&gt;<span class="nw">39\u00a0%–86\u00a0%'
        "</span>&lt;/b&gt;"
    )
