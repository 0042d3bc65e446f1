"""The built brief: sections, assumptions, provenance, self-contained HTML."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import warnings
from pathlib import Path

import pytest

import sim
from sim.analysis import brief, plotting

from .helpers import (
    END,
    SCENARIOS,
    md_section,
    md_table,
    parse_html,
)


def test_html_headline_tables_equal_markdown(briefs: dict[str, brief.Brief]) -> None:
    for lang, b in briefs.items():
        html_rows = [rows[1:] for cls, rows in parse_html(b.html).tables if cls == "headline"]
        md_rows = [
            md_table(md_section(md_section(b.markdown, brief.text("whatif", lang, name=s)),
                                brief.heading("effects", lang)))
            for s in SCENARIOS[1:]
        ]  # fmt: skip
        assert html_rows == md_rows


def test_brief_states_question_assumptions_and_provenance(
    batch: Path, briefs: dict[str, brief.Brief]
) -> None:
    m = sim.load_results(batch).manifest
    b = briefs["en"]
    question = md_section(md_section(b.markdown, "What if: no_reform"), "The question")
    assert m["scenarios"]["no_reform"]["description"] in question
    methods = md_section(b.markdown, brief.heading("methods", "en"))
    assumed = [p.name for p in sim.REGISTRY.values() if p.source.startswith("assumption")]
    for name in ("sanheyi_attraction", "corporate_services"):  # mode effects
        assert name in assumed and f"| {name} |" in methods
    assert f"{len(assumed)} of the model's {len(sim.REGISTRY)} parameters" in methods
    footer = md_section(b.markdown, brief.heading("provenance", "en"))
    assert m["model_version"] in footer
    assert (m["git"]["commit"] or "unknown") in footer
    assert str(m["master_seed"]) in footer and m["command"] in footer
    seed0 = next(iter(m["scenarios"]["baseline"]["seeds"].values()))
    assert str(seed0) in footer
    assert b.headline is not None and len(b.figures) == 2 * 2 + 2


def test_html_is_self_contained(briefs: dict[str, brief.Brief]) -> None:
    for b in briefs.values():
        page = parse_html(b.html)
        assert not {"script", "link", "iframe", "object", "embed"} & set(page.tags)
        assert len(page.imgs) == len(b.figures) > 0
        for img in page.imgs:
            assert (img["src"] or "").startswith("data:image/png;base64,")
            assert img.get("alt")
        assert not re.search(r"(?i)(https?:|url\(|@import|@font-face)", b.html)


def test_chinese_brief_without_cjk_font_uses_english_figures(
    batch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plotting, "cjk_font", lambda: None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        b = brief.build_brief([batch], lang="zh", years=[END])
    assert brief.text("figure_fallback", "zh") in b.markdown
    assert brief.heading("effects", "zh") in b.html  # the text stays Chinese


def _browser() -> tuple[str, str]:
    """Paths of chromium and chromedriver; fail under CI, skip elsewhere, if missing."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    try:
        import selenium  # noqa: F401
    except ImportError:
        chromium = None
    if chromium and driver:
        return chromium, driver
    message = "chromium, chromium-driver and selenium are needed for the browser test"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI=true)")
    pytest.skip(message)


def test_brief_opens_in_headless_chromium(briefs: dict[str, brief.Brief], tmp_path: Path) -> None:
    chromium, driver_path = _browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(dir=tmp_path)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", f"--user-data-dir={profile}",
    ):  # fmt: skip
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        for lang, b in briefs.items():
            page = tmp_path / f"brief.{lang}.html"
            brief.write_brief(b, page)
            browser.get(page.as_uri())
            images = browser.execute_script(
                "return Array.from(document.images).map(i => "
                "[i.complete, i.naturalWidth, i.naturalHeight, i.getBoundingClientRect().width])"
            )
            assert len(images) == len(b.figures) > 0
            for complete, width, height, shown in images:
                assert complete and width > 0 and height > 0 and shown > 0
            requests = browser.execute_script(
                "return performance.getEntriesByType('resource').map(e => e.name)"
            )
            assert all(r.startswith("data:") for r in requests), requests
            title = browser.execute_script("return document.querySelector('h1').textContent")
            assert title == brief.text("title", lang)
            errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
            assert errors == [], errors
    finally:
        browser.quit()


NATIONAL = {
    "en": (
        "Shanxi Transformation Comprehensive Reform Demonstration Zone (Taiyuan)",
        "Datong Economic and Technological Development Zone (Datong)",
        "Jincheng Economic and Technological Development Zone (Jincheng)",
        "Changzhi High-Tech Industrial Development Zone (Changzhi)",
    ),
    "zh": (
        "山西转型综合改革示范区（太原）",
        "大同经济技术开发区（大同）",
        "晋城经济技术开发区（晋城）",
        "长治高新技术产业开发区（长治）",
    ),
}


def test_first_screen_names_real_zones_and_calls_synthetic_ones_illustrative(
    briefs: dict[str, brief.Brief],
) -> None:
    for lang, b in briefs.items():
        first = b.markdown.split("\n## ")[0]  # title, subtitle and the registry note
        for name in NATIONAL[lang]:
            assert name in first, (lang, name)
        assert ("illustrative" if lang == "en" else "仅作示意") in first
        assert ("25 of the 67 zones" if lang == "en" else "67个开发区中有25个") in first
        other = NATIONAL["zh" if lang == "en" else "en"][1]
        assert other not in b.markdown and other not in b.html
