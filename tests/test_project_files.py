"""The files a cited project has agree with the package."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import sim

ROOT = Path(sim.__file__).resolve().parents[1]


def test_citation_gives_the_package_version() -> None:
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(rf'^version: "{re.escape(sim.__version__)}"$', text, flags=re.MULTILINE)
    assert re.search(r"^cff-version: 1\.2\.0$", text, flags=re.MULTILINE)


def test_licence_file_is_the_licence_pyproject_declares() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert declared["project"]["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_changelog_has_an_unreleased_section() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "\n## Unreleased\n" in text
