"""The built brief: sections, assumptions, provenance, self-contained HTML."""

from __future__ import annotations

import html
import os
import re
import shutil
import tempfile
import warnings
from pathlib import Path

import pytest

import sim
from sim.analysis import brief, plotting
from sim.analysis.safetext import md_cell as md_escape

from .helpers import (
    END,
    SCENARIOS,
    latin_runs,
    md_section,
    md_table,
    parse_html,
    title,
)

#: Titles of the what-ifs of the test batch (from their scenario files).
TITLES = {lang: tuple(title(s, lang) for s in SCENARIOS[1:]) for lang in ("en", "zh")}


def test_html_headline_tables_equal_markdown(briefs: dict[str, brief.Brief]) -> None:
    for lang, b in briefs.items():
        html_rows = [rows[1:] for cls, rows in parse_html(b.html).tables if cls == "headline"]
        md_rows = [
            md_table(md_section(md_section(b.markdown, brief.text("whatif", lang, name=t)),
                                brief.heading("effects", lang)))
            for t in TITLES[lang]
        ]  # fmt: skip
        assert html_rows == md_rows


def test_brief_states_question_assumptions_and_provenance(
    batch: Path, briefs: dict[str, brief.Brief]
) -> None:
    m = sim.load_results(batch).manifest
    b = briefs["en"]
    title = m["scenarios"]["no_reform"]["title"]
    question = md_section(md_section(b.markdown, f"What if: {title}"), "The question")
    assert m["scenarios"]["no_reform"]["description"] in question
    zh = md_section(
        md_section(briefs["zh"].markdown, f"情景：{m['scenarios']['no_reform']['title_zh']}"),
        "问题",
    )
    assert m["scenarios"]["no_reform"]["description_zh"] in zh
    methods = md_section(b.markdown, brief.heading("methods", "en"))
    assumed = [p.name for p in sim.REGISTRY.values() if p.source.startswith("assumption")]
    for name in ("sanheyi_attraction", "corporate_services"):  # mode effects
        assert name in assumed and f"| {name} |" in methods
    assert f"{len(assumed)} of the model's {len(sim.REGISTRY)} parameters" in methods
    footer = md_section(b.markdown, brief.heading("provenance", "en"))
    number, code = m["model_version"].split("+")
    assert f"{number} of {m['model_date']} (code {code})" in footer
    assert (m["git"]["commit"] or "unknown") in footer
    assert str(m["master_seed"]) in footer and m["command"] in footer
    seed0 = next(iter(m["scenarios"]["baseline"]["seeds"].values()))
    assert str(seed0) in footer
    # effects and fans per what-if, mode counts and outcomes, the prefecture map
    assert b.headline is not None and len(b.figures) == 2 * 2 + 2 + 1


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
            first = browser.execute_script("return document.querySelector('h2').id")
            assert first == "key-findings"
            tiles = browser.execute_script(
                "const i = document.querySelector('img[alt^=\"' + arguments[0] + '\"]');"
                "return i ? [i.complete, i.naturalWidth] : null",
                brief.text("map_fig", lang, year=END)[:20],
            )
            assert tiles is not None and tiles[0] and tiles[1] > 0
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
        first = md_section(b.markdown, brief.heading("findings", lang))  # the first screen
        for name in NATIONAL[lang]:
            assert name in first, (lang, name)
        assert ("illustrative" if lang == "en" else "仅作示意") in first
        assert ("25 of the 67 zones" if lang == "en" else "67个开发区中有25个") in first
        other = NATIONAL["zh" if lang == "en" else "en"][1]
        assert other not in b.markdown and other not in b.html


def test_key_findings_come_first_with_graded_confidence_and_caveats(
    briefs: dict[str, brief.Brief], plain_brief: brief.Brief
) -> None:
    for lang, b in briefs.items():
        headings = re.findall(r"(?m)^## (.+)$", b.markdown)
        assert headings[0] == brief.heading("findings", lang)
        assert re.search(r"<h1>[^<]*</h1>\s*<p[^>]*>[^<]*</p>\s*<section class=\"findings\">"
                         r"\s*<h2 id=\"key-findings\">", b.html)  # fmt: skip
        first = md_section(b.markdown, brief.heading("findings", lang))
        # the synthetic exploration: corporate beats sanheyi in half the states
        # (about as likely as not), sanheyi beats quzheng in all (likely)
        words = {"en": ("about as likely as not", "likely (100 %"),
                 "zh": ("可能性约为一半", "很可能（100 %")}[lang]  # fmt: skip
        for w in words:
            assert w in first, (lang, w)
        assert "66 %" in first and "33" in first  # the thresholds are stated
        assert ("assumptions" if lang == "en" else "假设") in first
        assert brief.text("caveat_no_calibration", lang) in first
    plain = md_section(plain_brief.markdown, brief.heading("findings", "en"))
    assert "conditional on the default assumptions" in plain and "zonesim explore" in plain
    assert "likely (" not in plain  # no graded confidence from seed-only intervals


def test_tradeoff_table_is_signed_and_marks_the_better_direction(
    briefs: dict[str, brief.Brief],
) -> None:
    b = briefs["en"]
    table = md_section(b.markdown, brief.heading("tradeoffs", "en"))
    header = next(ln for ln in table.splitlines() if ln.startswith("| Scenario"))
    assert header.count("↑ better") == 3 and header.count("↓ better") == 3
    rows = md_table(table)
    assert [r[0] for r in rows] == list(TITLES["en"])
    for row in rows:
        for cell in row[1:]:
            value, verdict = re.fullmatch(r"([+-]?[\d,.]+) \((\w+)\)", cell).groups()
            assert value == "0" or value[0] in "+-"
            assert verdict in ("better", "worse", "unclear")
    cells = parse_html(b.html).tables
    assert any(cls == "tradeoffs" for cls, _ in cells)
    assert 'class="num worse"' in b.html  # no reform is worse on several criteria


def test_chinese_brief_has_no_english_sentences(briefs: dict[str, brief.Brief]) -> None:
    assert latin_runs(briefs["zh"].html) == []
    assert len(latin_runs(briefs["en"].html)) > 50  # the scan finds English where it is
    # every parameter's meaning and source, whichever parameters a scenario changes
    for p in sim.REGISTRY.values():
        for zh in (p.description_zh, p.source_zh):
            assert latin_runs(f"<td>{html.escape(zh)}</td>") == [], (p.name, zh)


def test_changes_show_meaning_and_source_in_the_brief_language(
    briefs: dict[str, brief.Brief],
) -> None:
    for lang, b in briefs.items():
        changes = md_section(
            md_section(b.markdown, brief.text("whatif", lang, name=title("no_reform", lang))),
            brief.heading("changes", lang),
        )
        rows = {r[0]: r[3:] for r in md_table(changes)}
        ps = [p for p in sim.REGISTRY.values() if md_escape(p.name) in rows]
        assert len(ps) == len(rows) > 5
        assert any(p.is_assumption for p in ps) and not all(p.is_assumption for p in ps)
        zh = lang == "zh"
        for p in ps:
            basis = (
                brief.text("assumed", lang)
                if p.is_assumption
                else brief.text("measured_source", lang, source=p.source_zh if zh else p.source)
            )
            cells = [p.description_zh if zh else p.description, basis]
            assert rows[md_escape(p.name)] == [md_escape(c) for c in cells], (lang, p.name)


def test_robustness_section_names_policies_by_their_titles(
    briefs: dict[str, brief.Brief], exploration: Path
) -> None:
    from sim.analysis.robustness.report import read_exploration
    from sim.analysis.robustness.section import _t as robustness_text

    policies = read_exploration(exploration).policies
    assert len(policies) == 3
    for lang, b in briefs.items():
        section = md_section(b.markdown, robustness_text("title", lang))
        pairs, regret = section.split(f"{robustness_text('regret_head', lang)}: ")
        a, c, q = (title(p, lang) for p in policies)
        assert [r[0] for r in md_table(pairs)] == [f"{a} / {c}", f"{a} / {q}", f"{c} / {q}"]
        assert sorted(r[0] for r in md_table(regret)) == sorted((a, c, q))
        for policy in policies:
            assert policy not in section.replace("\\_", "_"), (lang, policy)


def test_mode_comparison_is_labelled_descriptive(briefs: dict[str, brief.Brief]) -> None:
    for lang, b in briefs.items():
        modes = md_section(b.markdown, brief.heading("modes", lang))
        assert brief.text("modes_descriptive", lang).split("：")[0].split(":")[0] in modes


def test_prefecture_map_draws_the_eleven_prefectures(batch: Path) -> None:
    from matplotlib.patches import PathPatch

    from sim.analysis.brief.figures import prefecture_map
    from sim.analysis.brief.overview import prefecture_table
    from sim.core.cities import CITIES

    data = brief.load_batches([batch])
    table = prefecture_table(data)
    assert sorted(table.index) == sorted(CITIES)
    fig = prefecture_map(table["baseline"], "output", "en")
    tiles = [p for p in fig.axes[0].patches if isinstance(p, PathPatch) and p.get_gid()]
    assert sorted(p.get_gid() for p in tiles) == sorted(CITIES)
    shades = {p.get_gid(): p.get_facecolor() for p in tiles}
    top = table["baseline"].idxmax()
    assert all(sum(shades[top][:3]) <= sum(c[:3]) for c in shades.values())  # darkest


def test_zone_ranking_marks_synthetic_zones(briefs: dict[str, brief.Brief]) -> None:
    ranking = md_table(md_section(briefs["en"].markdown, brief.heading("ranking", "en")))
    assert [r[0] for r in ranking] == [str(i) for i in range(1, len(ranking) + 1)]
    for r in ranking:
        assert (r[5] == "yes") == ("Synthetic" in r[1])
    output = [float(r[6].replace(",", "")) for r in ranking]
    assert output == sorted(output, reverse=True)
