"""The Chinese font that ships with the package, for figures and briefs on any machine.

``ZonesimSansSC-Regular.otf`` is a subset of Noto Sans SC Regular 2.004 (copyright
Adobe, SIL Open Font License 1.1, ``OFL.txt`` beside it), renamed "Zonesim Sans SC" as
the licence asks of a modified version. It covers all of GB 2312 (6,763 Chinese
characters and its symbols), ASCII, Latin-1 and the punctuation, arrows and signs the
figures use, and every character in the package's own text and data
(``scripts/build_cjk_font.py`` builds it; ``README.md`` beside it gives its source).

Figures register it with Matplotlib at run time (:func:`register`), so no system font
is needed; a brief's HTML embeds a subset of it holding the characters the page uses
(:func:`font_face_css`), so page and figures are set in the same face.
"""

from __future__ import annotations

import base64
import io
from functools import cache
from pathlib import Path

#: Family name of the shipped font.
FAMILY = "Zonesim Sans SC"
#: The font file (OpenType, CFF outlines).
FONT_FILE = Path(__file__).with_name("ZonesimSansSC-Regular.otf")
#: Its licence.
LICENCE_FILE = Path(__file__).with_name("OFL.txt")


@cache
def register() -> str:
    """Add the font to Matplotlib's font list (once per process); return its family name."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(FONT_FILE))
    return FAMILY


@cache
def characters() -> frozenset[str]:
    """The characters the font has a glyph for."""
    from fontTools.ttLib import TTFont

    with TTFont(FONT_FILE, lazy=True) as font:
        return frozenset(chr(c) for c in font.getBestCmap())


def missing(text: str) -> list[str]:
    """Distinct characters of ``text`` the font lacks (spaces and controls aside), sorted."""
    have = characters()
    return sorted({c for c in text if c not in have and c.isprintable() and not c.isspace()})


def web_font(text: str) -> bytes | None:
    """A WOFF subset of the font holding the characters of ``text`` it covers.

    The same text gives the same bytes. Returns ``None`` if the font covers none of them.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    points = sorted({ord(c) for c in text if c in characters() and not c.isspace()})
    if not points:
        return None
    options = subset.Options()
    options.flavor = "woff"
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    with TTFont(FONT_FILE, recalcTimestamp=False) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=points)
        subsetter.subset(font)
        font.flavor = "woff"
        buf = io.BytesIO()
        font.save(buf)
    return buf.getvalue()


def font_face_css(text: str) -> str:
    """An ``@font-face`` rule embedding :func:`web_font` of ``text`` as a data URL.

    Returns an empty string if the font covers no character of ``text``.
    """
    data = web_font(text)
    if data is None:
        return ""
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'@font-face{{font-family:"{FAMILY}";font-style:normal;font-weight:400;'
        f'src:url(data:font/woff;base64,{encoded}) format("woff")}}'
    )
