"""The document builder: HTML and Markdown side by side, every text escaped by one policy."""

from __future__ import annotations

from matplotlib.figure import Figure

from sim.analysis import safetext
from sim.analysis.document import Document

USER = "R&D <script>alert(1)</script> [x](javascript:y) \u202eevil"


def test_text_shows_as_written_and_template_markdown_renders_in_both() -> None:
    doc = Document()
    doc.heading(2, USER, "a<b")
    doc.para(f"**Lead** of `code` and {USER}", cls="warning")
    doc.items([USER, ("parent", ["child **one**"])])
    html, md = doc.fragment(), doc.markdown()
    assert '<h2 id="a&lt;b">R&amp;D &lt;script&gt;' in html
    assert "<strong>Lead</strong> of <code>code</code>" in html
    assert "<script" not in html and "\u202e" not in html
    assert "<li>parent<ul><li>child <strong>one</strong></li></ul></li>" in html
    assert md.startswith("## R&D \\<script>alert(1)\\</script> [x]\\(javascript:y) evil\n")
    assert "> **Lead** of `code` and R&D \\<script>" in md  # a warning is a quote
    assert "- parent\n  - child **one**" in md
    assert md.endswith("\n") and not md.endswith("\n\n")


def test_a_quote_is_user_text_shown_literally() -> None:
    doc = Document()
    doc.quote("What if **all** zones <b>merge</b>?")
    assert doc.html == ['<blockquote class="question">What if **all** zones '
                        "&lt;b&gt;merge&lt;/b&gt;?</blockquote>"]  # fmt: skip
    assert doc.md == [f"> {safetext.md_escape('What if **all** zones <b>merge</b>?')}\n"]


def test_tables_align_numbers_keep_short_cells_and_escape_cells() -> None:
    doc = Document()
    doc.table(
        ["Name", "Value"],
        [["a|b <i>", "12 %"], ["Taiyuan", "3"]],
        numeric=1,
        cell_classes=[["code", "better"], ["", ""]],
    )
    html, md = doc.fragment(), doc.markdown()
    assert '<td><code>a|b &lt;i&gt;</code></td><td class="num better">12\u00a0%</td>' in html
    assert '<td class="nw">Taiyuan</td>' not in html  # seven characters may wrap
    assert "| a\\|b \\<i> | 12 % |" in md and "| --- | ---: |" in md


def test_contents_list_the_sections_after_the_mark_in_both_outputs() -> None:
    doc = Document()
    doc.heading(2, "Before", "before")
    doc.toc_here("Contents")
    doc.heading(2, "One <b>", "one")
    doc.heading(3, "Not listed", "sub")
    doc.heading(2, "Two", "two")
    doc.insert_toc()
    html, md = doc.fragment(), doc.markdown()
    assert (
        '<nav class="toc"><h3>Contents</h3><ol><li><a href="#one">One &lt;b&gt;</a></li>'
        '<li><a href="#two">Two</a></li></ol></nav>'
    ) in html
    assert html.index("toc") < html.index('id="one"')
    assert "### Contents\n\n1. One \\<b>\n2. Two\n" in md
    assert md.index("### Contents") > md.index("## Before")


def test_figures_are_embedded_in_html_and_files_for_markdown() -> None:
    fig = Figure(figsize=(1, 1))
    fig.add_subplot().plot([0, 1])
    doc = Document("my <dir>")
    doc.figure(fig, "a.png", "alt <x>", "Caption **bold**")
    (f,) = doc.figures
    assert f.name == "a.png" and f.png.startswith(b"\x89PNG")
    assert '<img src="data:image/png;base64,' in doc.fragment()
    assert 'alt="alt &lt;x&gt;"' in doc.fragment()
    assert doc.markdown() == "![alt \\<x>](my%20%3Cdir%3E/a.png)\n\n*Caption **bold***\n"


def test_a_page_is_cleaned_and_holds_the_fragment() -> None:
    doc = Document()
    doc.open("section", "findings")
    doc.para("Text")
    doc.close("section")
    page = doc.page("en", "Title \u202e<b>")
    assert '<section class="findings">\n<p>Text</p>\n</section>' in page
    assert "<title>Title &lt;b&gt;</title>" in page and "\u202e" not in page
