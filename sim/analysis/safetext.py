"""Text from users and files made safe to put in HTML and Markdown documents.

Scenario descriptions, folder paths, command lines and manifest entries end up in the
briefs. They may hold anything: markup (``<script>``, ``<img onerror=...>``), Markdown
syntax, NUL and other control characters, or Unicode bidirectional controls that make
text display in another order than it reads (the "Trojan Source" trick). Every function
here first removes control characters (keeping tab and newline) and bidirectional
controls, then escapes for its target.
"""

from __future__ import annotations

import html
import re

#: Unicode bidirectional formatting characters (embeddings, overrides, isolates, marks).
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]")
#: ASCII punctuation with a meaning in Markdown (CommonMark lets any of them be escaped).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")
_MD_LINE_START = re.compile(r"^(\s*\d*)([-=>.)])", re.MULTILINE)


def clean(text: object) -> str:
    """Return ``text`` as a string without control or bidirectional characters.

    Tab and newline are kept; carriage returns, NUL, escape sequences, C1 controls and
    the bidirectional controls of :data:`BIDI_CONTROLS` are removed.
    """
    return _CONTROL.sub("", str(text))


def html_text(text: object) -> str:
    """Cleaned text escaped for HTML element content and quoted attribute values."""
    return html.escape(clean(text), quote=True)


def md_inline(text: object) -> str:
    """Cleaned text with HTML neutralised, for Markdown built from templates.

    ``&``, ``<`` and ``>`` become character references, so no raw HTML (``<script>``,
    ``<img onerror=...>``) survives into the Markdown, while the templates' own Markdown
    (``**bold**``, backtick code) still works.
    """
    return clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def md_escape(text: object) -> str:
    """Cleaned user text that renders literally in Markdown, on one line.

    Newlines become spaces, HTML is neutralised (:func:`md_inline`), every Markdown
    punctuation character is backslash-escaped, and so is a list, heading or quote
    marker at the start.
    """
    flat = " ".join(clean(text).splitlines())
    out = _MD_SPECIAL.sub(r"\\\1", md_inline(flat))
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), out)


def md_cell(text: object) -> str:
    """Text for a Markdown table cell: :func:`md_inline`, on one line, pipes escaped."""
    return " ".join(md_inline(text).splitlines()).replace("|", "\\|")
