"""The brief as a document: HTML and Markdown built side by side from the same calls."""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sim.analysis import cjkfont, plotting, safetext


@dataclass
class BriefFigure:
    """A rendered figure of the brief.

    Attributes:
        name: File name (``.png``) used beside the Markdown.
        alt: Alternative text.
        caption: Caption shown under it.
        png: PNG bytes.
    """

    name: str
    alt: str
    caption: str
    png: bytes


@dataclass
class Brief:
    """A built brief.

    Attributes:
        lang: ``"en"`` or ``"zh"``.
        html: The self-contained HTML page.
        markdown: The Markdown version (figures referenced as files).
        figures: The figures, in order of appearance.
        headline: The headline table (:func:`headline_effects`).
        figure_dir: Folder name of the Markdown's figures, relative to it.
    """

    lang: str
    html: str
    markdown: str
    figures: list[BriefFigure]
    headline: pd.DataFrame
    figure_dir: str


class _Doc:
    """Builds HTML and Markdown side by side from the same calls."""

    def __init__(self, figure_dir: str) -> None:
        self.html: list[str] = []
        self.md: list[str] = []
        self.figures: list[BriefFigure] = []
        self.figure_dir = figure_dir
        #: Sections for the contents: (position in ``html``, anchor, title).
        self.entries: list[tuple[int, str, str]] = []
        self._toc: tuple[int, int, str] | None = None

    def heading(self, level: int, title: str, anchor: str | None = None) -> None:
        """A heading; a second-level one with an anchor is listed in the contents."""
        if level == 2 and anchor:
            self.contents(anchor, title)
        ident = f' id="{html.escape(anchor)}"' if anchor else ""
        self.html.append(f"<h{level}{ident}>{html.escape(title)}</h{level}>")
        self.md.append(f"{'#' * level} {safetext.md_inline(title)}\n")

    def para(self, body: str, cls: str | None = None) -> None:
        """A paragraph; ``**bold**`` and ``code`` in backticks work in both outputs."""
        c = f' class="{cls}"' if cls else ""
        self.html.append(f"<p{c}>{_inline(body)}</p>")
        self.md.append(("> " if cls == "warning" else "") + safetext.md_inline(body) + "\n")

    def quote(self, body: str) -> None:
        """User text (a scenario's question), shown literally in both outputs."""
        self.html.append(f'<blockquote class="question">{safetext.html_text(body)}</blockquote>')
        self.md.append("> " + safetext.md_escape(body) + "\n")

    def items(self, entries: Sequence[str | tuple[str, Sequence[str]]]) -> None:
        """A bulleted list; an entry ``(text, children)`` has a list of its own under it."""

        def li(e: str | tuple[str, Sequence[str]]) -> str:
            if isinstance(e, str):
                return f"<li>{_inline(e)}</li>"
            sub = "".join(f"<li>{_inline(c)}</li>" for c in e[1])
            return f"<li>{_inline(e[0])}<ul>{sub}</ul></li>"

        def md(e: str | tuple[str, Sequence[str]]) -> str:
            if isinstance(e, str):
                return f"- {safetext.md_inline(e)}"
            return "\n".join(
                [f"- {safetext.md_inline(e[0])}", *(f"  - {safetext.md_inline(c)}" for c in e[1])]
            )

        self.html.append("<ul>" + "".join(li(e) for e in entries) + "</ul>")
        self.md.append("\n".join(md(e) for e in entries) + "\n")

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        cls: str = "",
        numeric: int = 0,
        cell_classes: Sequence[Sequence[str]] | None = None,
    ) -> None:
        """A table; columns from index ``numeric`` on are right-aligned numbers.

        ``cell_classes`` (same shape as ``rows``) adds an HTML class per cell, e.g.
        ``better`` or ``worse`` (the text of the cell says the same for Markdown);
        ``code`` shows the cell as code (a path, a command) in the HTML; the Markdown
        escapes every cell the same way.
        """

        def kind(i: int, j: int) -> str:
            return cell_classes[i][j] if cell_classes is not None else ""

        def cell(i: int, j: int, value: str) -> str:
            names = ["num"] if numeric and j >= numeric else []
            if not names and len(value) <= SHORT_CELL:
                names.append("nw")
            if kind(i, j) and kind(i, j) != "code":
                names.append(kind(i, j))
            c = f' class="{html.escape(" ".join(names))}"' if names else ""
            body = safetext.keep_together(html.escape(value))
            return f"<td{c}>" + (f"<code>{body}</code>" if kind(i, j) == "code" else body) + "</td>"

        head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
        body = "".join(
            "<tr>" + "".join(cell(i, j, c) for j, c in enumerate(row)) + "</tr>"
            for i, row in enumerate(rows)
        )
        c = f' class="{cls}"' if cls else ""
        self.html.append(f"<table{c}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        align = ["---:" if numeric and j >= numeric else "---" for j in range(len(header))]
        lines = [
            "| " + " | ".join(_md_cell(h) for h in header) + " |",
            "| " + " | ".join(align) + " |",
            *("| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows),
        ]
        self.md.append("\n".join(lines) + "\n")

    def figure(self, fig: Any, name: str, alt: str, caption: str) -> None:
        png = plotting.to_png(fig)
        self.figures.append(BriefFigure(name, alt, caption, png))
        data = base64.b64encode(png).decode("ascii")
        self.html.append(
            f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(alt)}">'
            + (f"<figcaption>{html.escape(caption)}</figcaption>" if caption else "")
            + "</figure>"
        )
        target = safetext.md_url(f"{self.figure_dir}/{name}")
        self.md.append(
            f"![{safetext.md_escape(alt)}]({target})\n"
            + (f"\n*{safetext.md_inline(caption)}*\n" if caption else "")
        )

    def contents(self, anchor: str, title: str) -> None:
        """List a section that starts here (at ``anchor``) in the contents."""
        self.entries.append((len(self.html), anchor, title))

    def toc_here(self, title: str) -> None:
        """Put the contents here, once the document is complete (:meth:`insert_toc`)."""
        self._toc = (len(self.html), len(self.md), title)

    def insert_toc(self) -> None:
        """Insert the contents (every section listed after the mark) where it was marked."""
        if self._toc is None:
            return
        at_html, at_md, title = self._toc
        shown = [(a, t) for i, a, t in self.entries if i >= at_html]
        links = "".join(
            f'<li><a href="#{html.escape(a)}">{html.escape(t)}</a></li>' for a, t in shown
        )
        self.html.insert(
            at_html, f'<nav class="toc"><h3>{html.escape(title)}</h3><ol>{links}</ol></nav>'
        )
        items = "\n".join(f"{i}. {safetext.md_inline(t)}" for i, (_, t) in enumerate(shown, 1))
        self.md.insert(at_md, f"### {safetext.md_inline(title)}\n\n{items}\n")
        self._toc = None

    def open(self, tag: str, cls: str) -> None:
        self.html.append(f'<{tag} class="{cls}">')

    def close(self, tag: str) -> None:
        self.html.append(f"</{tag}>")

    def raw_md(self, body: str) -> None:
        self.md.append(body)


def _md_cell(value: str) -> str:
    return safetext.md_cell(value)


#: A text cell of at most this many characters (a city, a level, a mode) never wraps:
#: a narrow column would otherwise set a Chinese name one character a line.
SHORT_CELL = 6


def _inline(body: str) -> str:
    """Escape text for HTML, keep numbers with their units, render ``**bold**`` and code."""
    out = safetext.keep_together(html.escape(body))
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", out)


_CSS = """
body{max-width:58rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.5}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #ccc;margin-top:2.2rem}
h3{margin-top:1.4rem}.subtitle{color:#555;margin-top:0}
table{border-collapse:collapse;margin:.6rem 0;font-size:.88rem}
th,td{border:1px solid #ddd;padding:.25rem .5rem;vertical-align:top}
th{background:#f3f3f3;text-align:left}td.num{text-align:right;white-space:nowrap}
figure{margin:1rem 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.85rem;color:#555}
blockquote.question{border-left:4px solid #d62728;margin:.5rem 0;padding:.3rem .8rem;
background:#fdf3f3}
.methods{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:.2rem 1rem 1rem}
.provenance{font-size:.82rem;color:#444;border-top:1px solid #ccc;margin-top:2.5rem}
.warning{background:#fff8c5;padding:.4rem .6rem;border-radius:4px}
.note{font-size:.85rem;color:#555}code{font-size:.85em}
.findings{background:#eef5fb;border:2px solid #2c6fad;border-radius:6px;padding:.2rem 1rem .8rem}
.findings h2{border-bottom:none;margin-top:.8rem}.lead{font-size:1.05rem;font-weight:600}
.verdict{font-size:1.05rem;border-left:4px solid #2c6fad;padding-left:.6rem}
.toc ol{columns:2;margin:.2rem 0;padding-left:1.4rem}.toc a{color:#1d4f7c}
td.better{background:#e3f4e6;color:#135c2b}td.worse{background:#fbe4e2;color:#8a1c14}
td.unclear{color:#666}.nw{white-space:nowrap}
@page{size:A4;margin:16mm 14mm}
@media print{
body{max-width:none;margin:0;padding:0;font-size:10pt;line-height:1.35}
h2{break-before:page;margin-top:0}.findings h2{break-before:auto}
h2,h3{break-after:avoid}table,figure,blockquote,.warning,li,tr{break-inside:avoid}
thead{display:table-header-group}
p{orphans:3;widows:3}
figure img{max-width:100%;max-height:235mm;border:none}
table{font-size:8pt}
td.better,td.worse,.findings,.warning{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""


#: Body fonts by language: Chinese pages are set in the shipped font, as their figures
#: are; English pages in the reader's sans-serif, with the shipped font for any Chinese.
_FONTS = {
    "zh": f'"{cjkfont.FAMILY}","Noto Sans CJK SC","Source Han Sans SC",sans-serif',
    "en": f'"Helvetica Neue",Arial,"{cjkfont.FAMILY}",sans-serif',
}


def _page(doc: _Doc, lang: str, title: str) -> str:
    """The HTML page: the document, its style sheet and the font subset it uses.

    The shipped font (:mod:`sim.analysis.cjkfont`) is embedded as a subset holding the
    characters of the page, so the page looks the same on every machine.
    """
    code = "zh-CN" if lang == "zh" else "en"
    body = "\n".join(doc.html)
    font = cjkfont.font_face_css(html.unescape(title + body))
    style = f"{font}\nbody{{font-family:{_FONTS[lang]}}}{_CSS}"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{code}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n"
        + body
        + "\n</body>\n</html>\n"
    )
