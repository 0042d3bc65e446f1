"""A document built as HTML and Markdown side by side, from the same calls."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sim.analysis import plotting, safetext
from sim.analysis.document.page import render_page

#: A text cell of at most this many characters (a city, a level, a mode) never wraps:
#: a narrow column would otherwise set a Chinese name one character a line.
SHORT_CELL = 6

#: A list entry: a text, or a text with a list of its own under it.
Entry = str | tuple[str, Sequence[str]]


@dataclass
class Figure:
    """A rendered figure of a document.

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


class Document:
    """HTML and Markdown built side by side; every argument is plain text, escaped here.

    Texts may hold the templates' own Markdown, ``**bold**`` and backtick code, which
    both outputs render; everything else shows as written (escaped by
    :mod:`sim.analysis.safetext`). :meth:`fragment` and :meth:`markdown` give the two
    outputs, :meth:`page` the HTML as a self-contained page.

    Attributes:
        html: The HTML, one element a call.
        md: The Markdown, one block a call.
        figures: The figures, in order of appearance.
        figure_dir: Folder of the Markdown's figure files, relative to it.
        entries: Sections for the contents: (position in ``html``, anchor, title).
    """

    def __init__(self, figure_dir: str = "figures") -> None:
        self.html: list[str] = []
        self.md: list[str] = []
        self.figures: list[Figure] = []
        self.figure_dir = figure_dir
        self.entries: list[tuple[int, str, str]] = []
        self._toc: tuple[int, int, str] | None = None

    def heading(self, level: int, title: str, anchor: str | None = None) -> None:
        """A heading; a second-level one with an anchor is listed in the contents."""
        if level == 2 and anchor:
            self.contents(anchor, title)
        ident = f' id="{safetext.html_text(anchor)}"' if anchor else ""
        self.html.append(f"<h{level}{ident}>{safetext.html_text(title)}</h{level}>")
        self.md.append(f"{'#' * level} {safetext.md_inline(title)}\n")

    def para(self, body: str, cls: str | None = None) -> None:
        """A paragraph; a ``warning`` is a block quote in the Markdown."""
        c = f' class="{safetext.html_text(cls)}"' if cls else ""
        self.html.append(f"<p{c}>{safetext.html_inline(body)}</p>")
        self.md.append(("> " if cls == "warning" else "") + safetext.md_inline(body) + "\n")

    def quote(self, body: str) -> None:
        """User text (a scenario's question), shown literally in both outputs."""
        self.html.append(f'<blockquote class="question">{safetext.html_text(body)}</blockquote>')
        self.md.append("> " + safetext.md_escape(body) + "\n")

    def items(self, entries: Sequence[Entry]) -> None:
        """A bulleted list; an entry ``(text, children)`` has a list of its own under it."""

        def li(e: Entry) -> str:
            if isinstance(e, str):
                return f"<li>{safetext.html_inline(e)}</li>"
            sub = "".join(f"<li>{safetext.html_inline(c)}</li>" for c in e[1])
            return f"<li>{safetext.html_inline(e[0])}<ul>{sub}</ul></li>"

        def md(e: Entry) -> str:
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
            c = f' class="{safetext.html_text(" ".join(names))}"' if names else ""
            body = safetext.keep_together(safetext.html_text(value))
            return f"<td{c}>" + (f"<code>{body}</code>" if kind(i, j) == "code" else body) + "</td>"

        head = "".join(f"<th>{safetext.html_text(h)}</th>" for h in header)
        body = "".join(
            "<tr>" + "".join(cell(i, j, c) for j, c in enumerate(row)) + "</tr>"
            for i, row in enumerate(rows)
        )
        c = f' class="{safetext.html_text(cls)}"' if cls else ""
        self.html.append(f"<table{c}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        align = ["---:" if numeric and j >= numeric else "---" for j in range(len(header))]
        lines = [
            "| " + " | ".join(safetext.md_cell(h) for h in header) + " |",
            "| " + " | ".join(align) + " |",
            *("| " + " | ".join(safetext.md_cell(c) for c in row) + " |" for row in rows),
        ]
        self.md.append("\n".join(lines) + "\n")

    def figure(self, fig: Any, name: str, alt: str, caption: str) -> None:
        """A figure: embedded in the HTML, a file of :attr:`figure_dir` for the Markdown."""
        png = plotting.to_png(fig)
        self.figures.append(Figure(name, alt, caption, png))
        data = base64.b64encode(png).decode("ascii")
        self.html.append(
            f'<figure><img src="data:image/png;base64,{data}" alt="{safetext.html_text(alt)}">'
            + (f"<figcaption>{safetext.html_text(caption)}</figcaption>" if caption else "")
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
            f'<li><a href="#{safetext.html_text(a)}">{safetext.html_text(t)}</a></li>'
            for a, t in shown
        )
        self.html.insert(
            at_html, f'<nav class="toc"><h3>{safetext.html_text(title)}</h3><ol>{links}</ol></nav>'
        )
        items = "\n".join(f"{i}. {safetext.md_inline(t)}" for i, (_, t) in enumerate(shown, 1))
        self.md.insert(at_md, f"### {safetext.md_inline(title)}\n\n{items}\n")
        self._toc = None

    def open(self, tag: str, cls: str) -> None:
        """Open an HTML element of class ``cls`` (a box, a footer); nothing in Markdown."""
        self.html.append(f'<{tag} class="{safetext.html_text(cls)}">')

    def close(self, tag: str) -> None:
        """Close the element :meth:`open` opened."""
        self.html.append(f"</{tag}>")

    def fragment(self) -> str:
        """The HTML so far, as a fragment of a page."""
        return "\n".join(self.html)

    def markdown(self) -> str:
        """The Markdown so far, ending in one newline."""
        return safetext.clean("\n".join(self.md).rstrip() + "\n")

    def page(self, lang: str, title: str) -> str:
        """The HTML as a self-contained page (:func:`~sim.analysis.document.page.render_page`)."""
        return safetext.clean(render_page(self.fragment(), lang, title))
