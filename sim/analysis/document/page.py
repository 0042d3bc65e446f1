"""The HTML page around a document: its skeleton and style sheet are package files.

``templates/page.html`` is the page (a :class:`string.Template`: ``$lang``, ``$title``,
``$font``, ``$family``, ``$css`` and ``$body``); ``templates/style.css`` is its style
sheet, for the screen and for A4 print. The page needs no network: the style sheet is
inline and the shipped font (:mod:`sim.analysis.cjkfont`) is embedded as a subset
holding the characters of the page, so the page looks the same on every machine.
"""

from __future__ import annotations

import html
from functools import cache
from importlib.resources import files
from string import Template

from sim.analysis import cjkfont, safetext
from sim.core.lang import Translated, translate

#: The page's ``lang`` attribute, by language.
HTML_LANG: Translated = ("en", "zh-CN")

#: Body fonts by language: Chinese pages are set in the shipped font, as their figures
#: are; English pages in the reader's sans-serif, with the shipped font for any Chinese.
FONTS: Translated = (
    f'"Helvetica Neue",Arial,"{cjkfont.FAMILY}",sans-serif',
    f'"{cjkfont.FAMILY}","Noto Sans CJK SC","Source Han Sans SC",sans-serif',
)


@cache
def template(name: str) -> str:
    """The text of the package file ``templates/<name>``."""
    return (files(__package__) / "templates" / name).read_text(encoding="utf-8")


def render_page(body: str, lang: str, title: str) -> str:
    """The HTML page: ``body`` (an HTML fragment), its style sheet and the font it uses.

    Args:
        body: The page's content, HTML.
        lang: ``"en"`` or ``"zh"``.
        title: The page's title, plain text (escaped here).

    Raises:
        ValueError: If ``lang`` is unknown.
    """
    font = cjkfont.font_face_css(html.unescape(title + body))
    return Template(template("page.html")).substitute(
        lang=translate(HTML_LANG, lang),
        title=safetext.html_text(title),
        font=font,
        family=translate(FONTS, lang),
        css=template("style.css"),
        body=body,
    )
