"""Briefs show user text literally: no markup, control or bidirectional characters pass."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.analysis import brief
from sim.cli import main

INJECTED = (
    r"What if <script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3))"
    r" \u202eevil\u2066 \u0000nul\u001b[31m?"
)
RAW = ("<script", "<img", "\u202e", "\u2066", "\x00", "\x1b")


def _scenario(folder: Path, name: str, extra: str = "") -> str:
    path = folder / f"{name}.toml"
    path.write_text(
        f'name = "{name}"\ndescription = "{INJECTED}"\n'
        f"[run]\nend = 2018\nreplications = 2\nseed = 3\n{extra}",
        encoding="utf-8",
    )
    return str(path)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("safety")
    files = [_scenario(folder, "baseline"),
             _scenario(folder, "alt", "[parameters]\nexit_rule_on = false\n")]  # fmt: skip
    out = folder / "b<img src=x onerror=alert(4)>\u202e"
    assert main(["run", *files, "--workers", "1", "--quiet", "--out", str(out)]) == 0
    (folder / "calibration-old").mkdir()  # siblings the brief must not read by itself
    (folder / "sensitivity-old").mkdir()
    return out


def test_brief_reads_only_the_folders_it_is_given(
    batch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(paths: object) -> None:
        raise AssertionError("the brief looked for folders it was not given")

    monkeypatch.setattr(brief, "find_method_outputs", refuse)
    built = brief.build_brief([batch], lang="en")
    assert "calibration-old" not in built.markdown and "sensitivity-old" not in built.markdown


def test_user_text_is_escaped_in_markdown_and_html(batch: Path) -> None:
    built = brief.build_brief([batch], lang="en", discover=False)
    for raw in RAW:
        assert not re.search(r"(?<!\\)" + re.escape(raw), built.markdown), raw
        assert raw not in built.html.replace('<img src="data:image/png', ""), raw
    assert "&lt;script&gt;alert(1)" in built.html  # shown, not run
    assert r"\[x\]\(javascript:alert\(3\)\)" in built.markdown  # no link
    assert r"\<script>alert" in built.markdown  # shown as written, not run
    assert r"b\<img src=x onerror=alert(4)>" in built.markdown  # the folder's name
    assert "&lt;" not in built.markdown and "&gt;" not in built.markdown  # no entities
    assert not [c for c in built.markdown if ord(c) < 32 and c not in "\t\n"]
    for page in (built.markdown, built.html):  # the batch lies outside the working folder
        assert str(batch.parent) not in page and str(Path.cwd()) not in page
