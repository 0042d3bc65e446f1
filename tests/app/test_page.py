"""The page's Chinese is set in the shipped font, not a font of the machine."""

from __future__ import annotations

import base64
import io
import re

from fontTools.ttLib import TTFont

from sim.analysis import cjkfont
from sim.app.page.parts import font_css
from sim.app.text import TEXT
from sim.core.modes import MODES
from sim.core.params import REGISTRY


def test_the_page_embeds_the_shipped_font_with_the_characters_of_its_chinese() -> None:
    css = font_css()
    data = re.search(r"base64,([A-Za-z0-9+/=]+)", css)
    assert data is not None and f'font-family:"{cjkfont.FAMILY}"' in css
    assert re.search(rf'\.v-application \{{ font-family: [^}}]*"{cjkfont.FAMILY}"', css)
    with TTFont(io.BytesIO(base64.b64decode(data.group(1)))) as font:
        have = {chr(c) for c in font.getBestCmap()}
    words = [zh for _, zh in TEXT.values()] + [m.label_zh for m in MODES.values()]
    words += [p.description_zh for p in REGISTRY.values()]
    lacking = set(cjkfont.missing("".join(words)))  # not in the shipped font at all (▶)
    missing = {c for w in words for c in w if not c.isspace()} - have - lacking
    assert missing == set() and len(have) > 500
