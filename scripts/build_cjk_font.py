"""Build the Chinese font that ships with the package (``sim/analysis/cjkfont/``).

The font is a subset of Noto Sans SC Regular (version 2.004, SIL Open Font License 1.1,
copyright Adobe), renamed as the licence asks of a modified version. It covers:

* every character of GB 2312 (its 6,763 Chinese characters and 682 symbols), the
  common set of simplified Chinese;
* printable ASCII, Latin-1, general punctuation, arrows and the mathematical signs
  figures and briefs use;
* every other non-ASCII character in the package's own text and data (``sim/``: code,
  registries, zone and city tables, shipped scenarios), so whatever the program prints
  is covered (``tests/analysis/test_cjkfont.py`` checks it stays so).

Usage::

    python scripts/build_cjk_font.py NotoSansSC-Regular.otf

where the argument is Noto Sans SC 2.004 Regular from the noto-cjk project, as the PyPI
wheel ``pylopdf-fonts-zh-cn`` 0.1.1 carries it (``pip download --no-deps
pylopdf-fonts-zh-cn==0.1.1``; the file's sha256 is :data:`SOURCE_SHA256`). The output is
deterministic: the same source gives the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.analysis import cjkfont  # noqa: E402

#: sha256 of the source font file (Noto Sans SC 2.004 Regular, OTF).
SOURCE_SHA256 = "faa6c9df652116dde789d351359f3d7e5d2285a2b2a1f04a2d7244df706d5ea9"

#: Text files of the package whose characters the font must cover.
TEXT_SUFFIXES = (".py", ".csv", ".toml", ".json", ".md", ".txt")

#: Code point ranges always kept (ASCII, Latin-1, punctuation, arrows, signs, CJK
#: punctuation and full-width forms).
RANGES = (
    (0x20, 0x7E),
    (0xA0, 0xFF),
    (0x2010, 0x203A),
    (0x2190, 0x2193),
    (0x2212, 0x2212),
    (0x2264, 0x2265),
    (0x3000, 0x303F),
    (0xFF01, 0xFF5E),
)


def gb2312() -> set[str]:
    """Every character of GB 2312 (both levels of Chinese characters and the symbols)."""
    out = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return out


def package_characters(root: Path = ROOT / "sim") -> set[str]:
    """Non-ASCII characters of the package's text files (code, data, scenarios)."""
    out: set[str] = set()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            out.update(c for c in path.read_text(encoding="utf-8") if ord(c) > 0x7E)
    return out


def wanted() -> set[int]:
    """Code points of the subset."""
    chars = gb2312() | package_characters()
    points = {ord(c) for c in chars if c.isprintable() and not c.isspace()}
    for lo, hi in RANGES:
        points.update(range(lo, hi + 1))
    return points


def rename(font: TTFont) -> None:
    """Give the subset its own family name (the licence's rule for modified versions)."""
    family, version = cjkfont.FAMILY, font["head"].fontRevision
    ps_name = family.replace(" ", "") + "-Regular"
    names = {
        1: family,
        2: "Regular",
        3: f"{version:.3f};{ps_name};subset of Noto Sans SC",
        4: family,
        5: f"Version {version:.3f}; subset of Noto Sans SC {version:.3f}",
        6: ps_name,
        16: family,
        17: "Regular",
    }
    table = font["name"]
    table.names = [n for n in table.names if n.nameID not in names]
    for ident, value in names.items():
        table.setName(value, ident, 3, 1, 0x409)
        table.setName(value, ident, 1, 0, 0)
    font["CFF "].cff.fontNames = [ps_name]


def build(source: Path, out: Path) -> Path:
    """Subset ``source`` to :func:`wanted` and write it to ``out``."""
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = [0x409]
    options.notdef_outline = True
    options.recalc_timestamp = False
    font = TTFont(source, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(wanted()))
    subsetter.subset(font)
    rename(font)
    font.save(out)
    return out


def main(argv: list[str] | None = None) -> int:
    """Build the font from the source file named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="NotoSansSC-Regular.otf (version 2.004)")
    args = parser.parse_args(argv)
    digest = hashlib.sha256(args.source.read_bytes()).hexdigest()
    if digest != SOURCE_SHA256:
        parser.error(f"{args.source}: expected sha256 {SOURCE_SHA256}, got {digest}")
    out = build(args.source, cjkfont.FONT_FILE)
    font = TTFont(out)
    print(f"{out.relative_to(ROOT)}: {out.stat().st_size:,} bytes, "
          f"{len(font.getBestCmap()):,} characters")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
