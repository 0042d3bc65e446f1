"""The brief as an A4 PDF printed by headless Chromium."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from sim.analysis import brief
from sim.analysis.brief.pdf import find_chromium, write_pdf
from sim.cli import main


def _images(reader) -> int:
    return sum(len(page.images) for page in reader.pages)


@pytest.mark.requires_program("chromium")
def test_pdf_has_a_page_per_section_and_embeds_the_figures(
    briefs: dict[str, brief.Brief], tmp_path: Path
) -> None:
    from pypdf import PdfReader

    chromium = find_chromium()
    for lang, b in briefs.items():
        page = tmp_path / f"brief.{lang}.html"
        brief.write_brief(b, page)
        pdf = write_pdf(page, tmp_path / f"brief.{lang}.pdf", chromium=chromium)
        reader = PdfReader(pdf)
        sections = len(re.findall(r"<h2[ >]", b.html))
        assert len(reader.pages) >= sections, (lang, len(reader.pages), sections)
        assert _images(reader) >= len(b.figures), lang
        box = reader.pages[0].mediabox  # A4: 595 x 842 points
        assert abs(float(box.width) - 595) < 3 and abs(float(box.height) - 842) < 3
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp files


def test_missing_chromium_is_one_line_and_writes_nothing(
    batch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    out = tmp_path / "b.html"
    assert main(["brief", str(batch), "--out", str(out), "--pdf"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "chromium" in err[0].lower() and "found none" in err[0]
    assert not out.exists() and not out.with_suffix(".pdf").exists()


@pytest.mark.requires_program("chromium")
def test_pdf_opens_with_the_findings_and_keeps_table_rows_whole(
    briefs: dict[str, brief.Brief], tmp_path: Path
) -> None:
    """Page 1 holds the title and the key findings, not the title alone."""
    from pypdf import PdfReader

    chromium = find_chromium()
    for lang, b in briefs.items():
        page = tmp_path / f"brief.{lang}.html"
        brief.write_brief(b, page)
        reader = PdfReader(write_pdf(page, tmp_path / f"brief.{lang}.pdf", chromium=chromium))
        first = reader.pages[0].extract_text()
        assert brief.heading("findings", lang) in first, (lang, first[:200])
        assert len(first) > 400, (lang, first)  # the findings, not their heading alone
        rules = re.search(r"@media print\{(.*)\}", b.html, re.S).group(1)
        kept = re.search(r"([^{}]*)\{break-inside:avoid\}", rules).group(1).split(",")
        assert {"table", "tr", "figure"} <= set(kept)  # a long table breaks between rows
        assert "thead{display:table-header-group}" in rules  # and repeats its header
