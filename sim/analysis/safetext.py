"""Text from users and files made safe to put in HTML and Markdown documents.

Scenario descriptions, folder paths, command lines and manifest entries end up in the
briefs. They may hold anything: markup (``<script>``, ``<img onerror=...>``), Markdown
syntax, NUL and other control characters, or Unicode bidirectional controls that make
text display in another order than it reads (the "Trojan Source" trick). Every function
here first removes control characters (keeping tab and newline) and bidirectional
controls, then escapes for its target: HTML with character references, Markdown with
backslashes only, so a Markdown file never holds an HTML entity. Paths and command
lines are shown without absolute paths of the machine (:func:`display_path`,
:func:`display_command`).

One policy for every writer of the project:

* **HTML**: every text is escaped here (:func:`html_text`; :func:`html_inline` for
  text from the project's templates, which may hold ``**bold**`` and backtick code);
  documents are built by :class:`sim.analysis.document.Document`, which escapes every
  argument it is given, and no other module escapes HTML itself.
* **Markdown**: text never forms raw HTML, a link or an image (``<`` before a tag, ``&``
  before a character reference and ``](`` are backslash-escaped, so neither
  ``[x](javascript:...)`` nor ``<javascript:...>`` survives, and no HTML entity appears);
  a link the project writes itself goes through :func:`md_url`, which keeps
  ``http``/``https`` addresses and relative paths (percent-encoded) and drops every
  other scheme.
* **CSV**: a text cell (or column name) starting with ``=``, ``+``, ``-``, ``@``, tab or
  carriage return is written with a leading ``'`` (:func:`csv_frame`,
  :func:`write_csv`), so a spreadsheet shows it as text instead of running it as a
  formula; :func:`read_csv` takes the quote off again.
"""

from __future__ import annotations

import html
import re
import shlex
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pandas as pd

from sim.experiments.fileio import atomic_write

#: Unicode bidirectional formatting characters (embeddings, overrides, isolates, marks).
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]")
#: ASCII punctuation with a meaning in Markdown (CommonMark lets any of them be escaped).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")
_MD_LINE_START = re.compile(r"^(\s*\d*)([-=>.)])", re.MULTILINE)
#: Backslashes that escape nothing before the next character (an even number of them).
_UNESCAPED = r"(?<!\\)((?:\\\\)*)"
#: A ``<`` that opens raw HTML or an autolink in Markdown (a tag, ``</``, ``<!``, ``<?``).
_MD_TAG = re.compile(_UNESCAPED + r"<(?=[A-Za-z/!?])")
#: An ``&`` that starts a character reference (``&lt;``, ``&#60;``, ``&#x3c;``).
_MD_REFERENCE = re.compile(
    _UNESCAPED + r"&(?=#[0-9]{1,7};|#[xX][0-9A-Fa-f]{1,6};|[A-Za-z][A-Za-z0-9]{0,31};)"
)
#: A ``>`` that starts a line (a block quote).
_MD_QUOTE = re.compile(r"^(\s*)>", re.MULTILINE)


def clean(text: object) -> str:
    """Return ``text`` as a string without control or bidirectional characters.

    Tab and newline are kept; carriage returns, NUL, escape sequences, C1 controls and
    the bidirectional controls of :data:`BIDI_CONTROLS` are removed.
    """
    return _CONTROL.sub("", str(text))


def display_path(path: str | Path, base: str | Path | None = None) -> str:
    """A path as a document shows it: never an absolute path of the machine it ran on.

    A path inside ``base`` (default: the working folder) is shown relative to it; a
    relative path outside it as given; any other path by its last part (the file's or
    folder's name).
    """
    given = Path(path)
    root = Path(base if base is not None else Path.cwd()).resolve()
    resolved = given.resolve()
    if resolved.is_relative_to(root):
        return clean(resolved.relative_to(root).as_posix() or ".")
    return clean(given.as_posix() if not given.is_absolute() else given.name)


def display_command(command: str) -> str:
    """A recorded command line with every absolute path in it shown by :func:`display_path`.

    Arguments that are absolute paths (``/data/run.toml``, ``--out=/data/b``) become
    relative to the working folder, or their last part, so a document quoting the
    command names no folder of the machine it ran on.
    """
    try:
        words = shlex.split(command)
    except ValueError:  # unbalanced quotes: not a command line shlex can read
        return clean(command)

    def shown(word: str) -> str:
        flag, eq, value = word.partition("=")
        if eq and flag.startswith("-") and value.startswith("/"):
            return f"{flag}={display_path(value)}"
        return display_path(word) if word.startswith("/") else word

    return clean(shlex.join(shown(w) for w in words))


def html_text(text: object) -> str:
    """Cleaned text escaped for HTML element content and quoted attribute values."""
    return html.escape(clean(text), quote=True)


def html_inline(text: object) -> str:
    """Text from a template as HTML, with its ``**bold**`` and backtick code rendered.

    The HTML twin of :func:`md_inline`: :func:`html_text`, with numbers kept with their
    units (:func:`keep_together`) and the templates' own Markdown shown as markup.
    """
    out = keep_together(html_text(text))
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", out)


def md_references(text: str) -> str:
    """``text`` with every ``&`` that would start a character reference backslash-escaped.

    ``&lt;`` then shows as written, and a Markdown file never holds an HTML entity.
    """
    return _MD_REFERENCE.sub(r"\1\\&", text)


def _md_no_html(text: str) -> str:
    """``text`` (already cleaned) with raw HTML and character references neutralised."""
    return md_references(_MD_TAG.sub(r"\1\\<", text))


def md_inline(text: object) -> str:
    """Cleaned text with HTML and links neutralised, for Markdown built from templates.

    A ``<`` that would open raw HTML or an autolink (``<script>``, ``<img onerror=...>``,
    ``<!--``), an ``&`` that would start a character reference and a ``>`` that would
    start a block quote are backslash-escaped, which CommonMark shows as the character
    itself. So no raw HTML survives into the Markdown and no HTML entity appears in it.
    ``](`` is escaped too, so no text forms a link or an image, while text such as
    ``< 33 %`` or ``R&D`` and the templates' own Markdown (``**bold**``, backtick code)
    read as written.
    """
    return _MD_QUOTE.sub(r"\1\\>", _md_no_html(clean(text))).replace("](", "]\\(")


def md_url(target: str) -> str:
    """A link or image target for Markdown: ``http``/``https`` or a relative path, else ``#``.

    A relative path is percent-encoded (``/`` kept), so a folder named
    ``<svg onload=...>`` or ``a) [b`` stays one inert path; an address with any other
    scheme (``javascript:``, ``data:``, ``file:``) becomes ``#``.
    """
    text = clean(target).strip()
    parts = urlsplit(text)
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return quote(text, safe=":/?#[]@!$&'*+,;=%~")
    if parts.scheme or text.startswith("//"):
        return "#"
    return quote(text, safe="/")


#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text: ``'`` before a formula's first character."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _uncell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("'") and value[1:2] in FORMULA_START:
        return value[1:]
    return value


def _text_columns(df: pd.DataFrame) -> list[Any]:
    return [
        c
        for c in df.columns
        if pd.api.types.is_object_dtype(df[c].dtype) or pd.api.types.is_string_dtype(df[c].dtype)
    ]


def csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of a table with every text cell and column name passed through :func:`csv_cell`."""
    out = df.copy()
    for c in _text_columns(out):
        out[c] = out[c].map(csv_cell)
    out.columns = [csv_cell(c) for c in out.columns]
    return out


def write_csv(path: str | Path, df: pd.DataFrame) -> Path:
    """Write a table to CSV atomically, text cells neutralised (:func:`csv_frame`)."""
    safe = csv_frame(df)
    return atomic_write(path, lambda p: safe.to_csv(p, index=False))


def read_csv(path: str | Path) -> pd.DataFrame:
    """Read a CSV written by :func:`write_csv`, with the neutralising quotes taken off."""
    df = pd.read_csv(path)
    for c in _text_columns(df):
        df[c] = df[c].map(_uncell)
    df.columns = [_uncell(c) for c in df.columns]
    return df


def md_escape(text: object) -> str:
    """Cleaned user text that renders literally in Markdown, on one line.

    Newlines become spaces, every Markdown punctuation character is backslash-escaped,
    HTML is neutralised (as by :func:`md_inline`), and so is a list, heading or quote
    marker at the start.
    """
    flat = " ".join(clean(text).splitlines())
    out = _md_no_html(_MD_SPECIAL.sub(r"\\\1", flat))
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), out)


def md_cell(text: object) -> str:
    """Text for a Markdown table cell: :func:`md_inline`, on one line, pipes escaped."""
    return " ".join(md_inline(text).splitlines()).replace("|", "\\|")


#: A number with its unit (``39 %``) or a range of them (``39 %–86 %``, ``2016–2035``).
_NUMBER = r"-?\d+(?:[.,]\d+)*(?: %)?"
_NUMBER_RANGE = re.compile(f"{_NUMBER}(?:–{_NUMBER})?")


def keep_together(escaped: str) -> str:
    """Keep a number with its unit, and a range of numbers, on one line (escaped HTML).

    ``39 %–86 %`` becomes ``<span class="nw">39 %–86 %</span>`` with no-break spaces
    (U+00A0) before the signs; the page's style sheet keeps the class on one line.
    """

    def keep(m: re.Match[str]) -> str:
        text = m.group(0).replace(" %", "\u00a0%")
        return f'<span class="nw">{text}</span>' if "–" in text else text

    return _NUMBER_RANGE.sub(keep, escaped)
