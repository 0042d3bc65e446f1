"""Small parts of the page: captions, headings, labelled selects, tables and figures."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import solara

from sim.analysis import cjkfont, safetext
from sim.app.page.state import lang
from sim.app.text import text

CAPTION = {"font-size": "0.78em", "color": "#666", "line-height": "1.25", "margin": "0 0 8px 0"}


def t(key: str, **fmt: Any) -> str:
    """The page's text ``key`` in the tab's language, formatted."""
    return text(key, lang.value, **fmt)


@solara.component
def LabelledSelect(
    label: str, value: Any, choices: Sequence[tuple[Any, str]], on_value: Callable[[Any], None]
) -> None:
    """A select whose options show labels (in the page's language) for values."""
    items = [{"text": lab, "value": val} for val, lab in choices]
    solara.v.Select(
        label=label,
        v_model=value,
        items=items,
        on_v_model=on_value,
        dense=True,
        hide_details=True,
    )


def html_table(header: list[str], rows: list[list[str]], colours: list[str] | None = None) -> str:
    """An HTML table of text cells (escaped); the last cell of a row in its colour."""
    th = "".join(f"<th>{safetext.html_text(h)}</th>" for h in header)
    body = []
    for i, row in enumerate(rows):
        cells = [safetext.html_text(c) for c in row]
        if colours:
            cells[-1] = f'<span style="color:{colours[i]};font-weight:600">{cells[-1]}</span>'
        tds = "".join(f"<td>{c}</td>" for c in cells)
        body.append(f"<tr>{tds}</tr>")
    return (
        '<table class="zs-table"><thead><tr>'
        + th
        + "</tr></thead><tbody>"
        + "".join(body)
        + "</tbody></table>"
    )


STYLE = """
.zs-table { border-collapse: collapse; font-size: 0.85em; margin: 6px 0 10px 0; }
.zs-table th, .zs-table td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: right; }
.zs-table th:first-child, .zs-table td:first-child { text-align: left; }
.zs-h { margin: 14px 0 4px 0; font-weight: 500; }
.zs-quote { border-left: 3px solid #ccc; padding: 2px 10px; color: #444; margin: 6px 0; }
"""


#: The package's folder: its text files hold every word the page can show.
PACKAGE = Path(__file__).parents[2]
#: Suffixes of those files (code with the page's words, the registries, the scenarios).
TEXT_SUFFIXES = (".py", ".toml", ".csv")


@functools.cache
def font_css() -> str:
    """The page's Chinese in the shipped font, as the brief's and the figures' are.

    An ``@font-face`` rule of the shipped font (:mod:`sim.analysis.cjkfont`) subset to
    ASCII and the characters of the package's text files, and the page's font list with
    it after the Latin face, so that no system font is needed for Chinese.
    """
    chars = {chr(c) for c in range(0x20, 0x7F)}
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in TEXT_SUFFIXES and path.is_file():
            chars.update(path.read_text(encoding="utf-8"))
    face = cjkfont.font_face_css("".join(sorted(chars)))
    family = f'.v-application {{ font-family: Roboto, "{cjkfont.FAMILY}", sans-serif !important; }}'
    return f"{face}\n{family}\n"


def Heading(title: str) -> None:
    """A section heading (plain HTML: the page loads no Markdown renderer)."""
    solara.HTML(tag="h4", unsafe_innerHTML=safetext.html_text(title), classes=["zs-h"])


@solara.component
def MemoFigure(make: Callable[[], Any], dependencies: list[Any]) -> None:
    """A Matplotlib figure drawn again only when ``dependencies`` change (as PNG)."""
    fig = solara.use_memo(make, dependencies)
    if fig is not None:
        solara.FigureMatplotlib(fig, format="png", dependencies=dependencies)
