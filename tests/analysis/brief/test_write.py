"""Writing a brief's files."""

from __future__ import annotations

import os
import re
from pathlib import Path

from sim.analysis import brief


def test_write_brief_files(batch: Path, briefs: dict[str, brief.Brief], tmp_path: Path) -> None:
    written = brief.write_brief(briefs["zh"], tmp_path / "out" / "b.md")
    page, md = tmp_path / "out" / "b.html", tmp_path / "out" / "b.md"
    assert page in written and md in written
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md.read_text(encoding="utf-8"))
    assert len(links) == len(briefs["zh"].figures)
    for link in links:
        assert (md.parent / link).read_bytes().startswith(b"\x89PNG")
    assert not list((tmp_path / "out").rglob("*.tmp"))
    umask = os.umask(0)
    os.umask(umask)
    assert page.stat().st_mode & 0o777 == 0o666 & ~umask  # not private temporary-file modes
