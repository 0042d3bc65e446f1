"""The shipped Chinese font: its licence, what it covers, and the subsets pages embed."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

from fontTools.ttLib import TTFont

import sim
from sim.analysis import cjkfont

PACKAGE = Path(sim.__file__).parent
#: Chinese characters and punctuation (CJK ideographs, extensions, compatibility forms,
#: CJK symbols and punctuation, full-width forms).
CJK = re.compile(r"[\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f"
                 r"\uff00-\uffef]")  # fmt: skip
DATA_SUFFIXES = (".csv", ".toml", ".json")


def package_files(*suffixes: str) -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*")) if p.is_file() and p.suffix in suffixes]


def test_font_ships_with_its_licence_and_own_name() -> None:
    assert cjkfont.FONT_FILE.is_file() and cjkfont.LICENCE_FILE.is_file()
    licence = cjkfont.LICENCE_FILE.read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Adobe" in licence
    size = cjkfont.FONT_FILE.stat().st_size
    assert 1_000_000 < size < 3_000_000, size  # a subset, not the whole font
    with TTFont(cjkfont.FONT_FILE) as font:
        names = font["name"]
        assert names.getDebugName(1) == cjkfont.FAMILY
        assert "Source" not in names.getDebugName(1)  # the licence's reserved name
        assert "Open Font License" in names.getDebugName(13)


def test_font_covers_every_chinese_character_of_the_package() -> None:
    """Every Chinese character in the package's code, data and scenarios; every character
    of its data files (zone and city names, registries, shipped scenarios)."""
    chinese: dict[str, str] = {}
    for path in package_files(".py", ".md", ".txt", *DATA_SUFFIXES):
        for c in CJK.findall(path.read_text(encoding="utf-8")):
            chinese.setdefault(c, path.relative_to(PACKAGE).as_posix())
    data = "".join(p.read_text(encoding="utf-8") for p in package_files(*DATA_SUFFIXES))
    assert len(chinese) > 500  # the scan finds the package's Chinese
    lacking = cjkfont.missing("".join(chinese) + data)
    assert lacking == [], {c: chinese.get(c, "data") for c in lacking}


def test_font_covers_gb2312_and_the_figures_punctuation() -> None:
    gb2312 = []
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                gb2312.append(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    assert len(gb2312) == 7445
    assert cjkfont.missing("".join(gb2312)) == []
    assert cjkfont.missing("ASCII ~ Latin-1 é ± × – — “” … ≥ ≤ − ↑ ↓ → ² ％（），。：；、") == []
    assert cjkfont.missing("a\U0001f600\U00020000") == ["\U0001f600", "\U00020000"]


def test_web_font_holds_the_characters_of_the_text_and_is_deterministic() -> None:
    text = "开发区产出（亿元）Zone output 2035 ≥ 5 %"
    data = cjkfont.web_font(text)
    assert data is not None and data[:4] == b"wOFF"
    assert cjkfont.web_font(text) == data
    with TTFont(io.BytesIO(data)) as font:
        covered = {chr(c) for c in font.getBestCmap()}
        assert font["name"].getDebugName(1) == cjkfont.FAMILY
    assert set(text) - {" "} <= covered
    assert len(covered) < 40  # only what the text uses
    assert len(data) < 20_000
    assert cjkfont.web_font("\ue000") is None and cjkfont.font_face_css("") == ""


def test_font_face_rule_embeds_the_subset_as_a_data_url() -> None:
    css = cjkfont.font_face_css("开发区")
    url = re.fullmatch(
        r'@font-face\{font-family:"Zonesim Sans SC";font-style:normal;font-weight:400;'
        r'src:url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\) format\("woff"\)\}',
        css,
    )
    assert url is not None
    assert base64.b64decode(url.group(1)) == cjkfont.web_font("开发区")
