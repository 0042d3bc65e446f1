"""The built brief: sections, assumptions, provenance, self-contained HTML."""

from __future__ import annotations

import base64
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import sim
from sim.analysis import brief, safetext
from sim.analysis.brief.pdf import find_chromium
from sim.analysis.safetext import md_cell as md_escape
from sim.core.lang import LANGS

from .helpers import (
    END,
    SCENARIOS,
    latin_runs,
    md_section,
    md_table,
    page_text,
    parse_html,
    title,
)

#: Titles of the what-ifs of the test batch (from their scenario files).
TITLES = {lang: tuple(title(s, lang) for s in SCENARIOS[1:]) for lang in LANGS}


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
    command = md_escape(safetext.display_command(m["command"]))
    assert str(m["master_seed"]) in footer and command in footer
    assert str(batch.parent) not in b.markdown + b.html  # the batch's own folder, by name
    seed0 = next(iter(m["scenarios"]["baseline"]["seeds"].values()))
    assert str(seed0) in footer
    # effects and fans per what-if, mode counts and outcomes, the prefecture maps (the
    # baseline's level and a what-if's effect)
    assert b.headline is not None and len(b.figures) == 2 * 2 + 2 + 2


def test_html_is_self_contained(briefs: dict[str, brief.Brief]) -> None:
    for b in briefs.values():
        page = parse_html(b.html)
        assert not {"script", "link", "iframe", "object", "embed"} & set(page.tags)
        assert len(page.imgs) == len(b.figures) > 0
        for img in page.imgs:
            assert (img["src"] or "").startswith("data:image/png;base64,")
            assert img.get("alt")
        assert not re.search(r"(?i)(https?:|@import)", b.html)
        # the one url() is the embedded font subset
        urls = re.findall(r"url\(([^)]*)\)", b.html)
        assert len(urls) == 1 and urls[0].startswith("data:font/woff;base64,")


def test_html_embeds_the_shipped_font_for_every_character_of_the_page(
    briefs: dict[str, brief.Brief],
) -> None:
    from fontTools.ttLib import TTFont

    from sim.analysis import cjkfont

    for lang, b in briefs.items():
        data = re.search(r"url\(data:font/woff;base64,([^)]*)\)", b.html).group(1)
        with TTFont(io.BytesIO(base64.b64decode(data))) as font:
            covered = {chr(c) for c in font.getBestCmap()}
        shown = set(page_text(b.html))
        assert {c for c in shown if c.isprintable() and not c.isspace()} <= covered, lang
        family = re.search(r"body\{font-family:([^;}]*)", b.html).group(1)
        first = family.split(",")[0].strip('"')
        assert (first == cjkfont.FAMILY) == (lang == "zh"), family  # as its figures


def test_no_brief_asks_its_reader_to_install_anything(briefs: dict[str, brief.Brief]) -> None:
    for b in briefs.values():
        for text in (b.markdown, b.html):
            assert not re.search(r"(?i)apt-get|pip install|brew install|安装", text)


#: Run in a fresh interpreter that sees no font but Matplotlib's own (a clean Matplotlib
#: cache, an empty fontconfig, the system fonts Matplotlib found in its folders dropped
#: from its list): builds the Chinese brief, failing on any warning (a missing glyph is
#: one), and prints every figure's texts.
NO_SYSTEM_FONTS = """
import json, sys, warnings
warnings.simplefilter("error")
from matplotlib import font_manager, get_data_path
from matplotlib.text import Text
from sim.analysis import brief, plotting
fonts = font_manager.fontManager
fonts.ttflist = [f for f in fonts.ttflist if f.fname.startswith(get_data_path())]
fonts._findfont_cached.cache_clear()
render, texts = plotting.to_png, []
def record(fig, **kwargs):
    texts.append([t.get_text() for t in fig.findobj(Text) if t.get_text()])
    return render(fig, **kwargs)
plotting.to_png = record
built = brief.build_brief([sys.argv[1]], lang="zh")
assert len(texts) == len(built.figures)
print(json.dumps(texts))
"""


def test_chinese_figures_need_no_system_font(batch: Path, tmp_path: Path) -> None:
    (tmp_path / "fonts.conf").write_text("<fontconfig></fontconfig>\n")
    env = {
        **os.environ,
        "MPLCONFIGDIR": str(tmp_path / "mpl"),
        "FONTCONFIG_FILE": str(tmp_path / "fonts.conf"),
    }
    done = subprocess.run(
        [sys.executable, "-c", NO_SYSTEM_FONTS, str(batch)],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.splitlines()[-1])
    assert len(figures) == 2 * 2 + 2 + 2
    for texts in figures:
        assert any(re.search(r"[\u4e00-\u9fff]", t) for t in texts), texts


@pytest.mark.requires_program("chromium", "chromedriver")
def test_brief_opens_in_headless_chromium(briefs: dict[str, brief.Brief], tmp_path: Path) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(dir=tmp_path)
    options = webdriver.ChromeOptions()
    options.binary_location = find_chromium()
    for arg in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", f"--user-data-dir={profile}",
    ):  # fmt: skip
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
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
        assert re.search(r"<h1>[^<]*</h1>\s*<p[^>]*>(?:[^<]|</?span[^>]*>)*</p>\s*"
                         r"<section class=\"findings\">"
                         r"\s*<h2 id=\"key-findings\">", b.html)  # fmt: skip
        first = md_section(b.markdown, brief.heading("findings", lang))
        # the synthetic exploration: corporate beats the others in 57 % of 60 states
        # (interval 44-68 %: cannot tell), quzheng beats sanheyi in half, ties the rest
        words = {"en": ("about as likely as not", "cannot tell at this budget"),
                 "zh": ("可能性约为一半", "以目前的计算量无法判断")}[lang]  # fmt: skip
        for w in words:
            assert w in first, (lang, w)
        assert "66 %" in first and "33" in first  # the thresholds are stated
        assert ("assumptions" if lang == "en" else "假设") in first
        assert brief.text("caveat_no_calibration", lang) in first
    plain = md_section(plain_brief.markdown, brief.heading("findings", "en"))
    assert "conditional on the default assumptions" in plain and "zonesim explore" in plain
    assert "likely (" not in plain  # no graded confidence from seed-only intervals


def test_first_screen_opens_with_one_verdict_per_question(
    briefs: dict[str, brief.Brief],
) -> None:
    """The verdicts come right after the question: which mode (none is reliably best here,
    and what the answer depends on), and what the what-ifs change."""
    for lang, b in briefs.items():
        first = md_section(b.markdown, brief.heading("findings", lang))
        paras = [p for p in first.split("\n\n") if p.strip()]
        mode_q, whatif_q = brief.text("verdict_mode_q", lang), brief.text("verdict_whatif_q", lang)
        assert paras[1].startswith(f"**{mode_q}**") and paras[2].startswith(f"**{whatif_q}**")
        none = "No mode is reliably best" if lang == "en" else "没有哪种模式稳定地更好"
        assert none in paras[1] and "`sanheyi_approval`" in paras[1]  # the settling parameter
        assert title("no_reform", lang) in paras[2]
        assert len(re.findall(r'<p class="verdict">', b.html)) == 2


def test_the_more_frequent_winner_is_named_first_with_ties(
    briefs: dict[str, brief.Brief],
) -> None:
    """quzheng comes after sanheyi in the policies but wins more often: it is named first,
    and the states where they tie are shown."""
    for lang, b in briefs.items():
        first = md_section(b.markdown, brief.heading("findings", lang))
        q, s = f"**{title('all_quzheng', lang)}**", f"**{title('all_sanheyi', lang)}**"
        if lang == "en":
            m = re.search(rf"{re.escape(q)} beats {re.escape(s)} in (\d+) % of the 60 states"
                          rf".*?; {re.escape(s)} wins in 0 %, (\d+) % tie", first)  # fmt: skip
        else:
            m = re.search(rf"{re.escape(q)}胜过{re.escape(s)}的占 (\d+) %.*?；{re.escape(s)}"
                          r"胜出 0 %，持平 (\d+) %", first)  # fmt: skip
        assert m, lang
        assert int(m.group(1)) + int(m.group(2)) == 100
        assert f"{s} beats" not in first and f"{s}胜过" not in first


def test_contents_and_the_mode_section_follow_the_findings(
    briefs: dict[str, brief.Brief],
) -> None:
    for lang, b in briefs.items():
        findings = b.html.index('<section class="findings">')
        end = b.html.index("</section>", findings)
        toc = b.html.index('<nav class="toc">', findings)
        assert toc < end  # the contents close the findings box
        links = re.findall(r'<li><a href="#([\w-]+)">', b.html[toc:end])
        assert links[0] == "robustness" and "methods" in links and "provenance" in links
        for anchor in links:
            assert f'id="{anchor}"' in b.html
        after = b.html[end + len("</section>") :].lstrip()
        assert after.startswith('<h2 id="robustness">')  # the detail directly after
        assert brief.text("toc", lang) in md_section(b.markdown, brief.heading("findings", lang))


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
            value, low, high, verdict = re.fullmatch(
                r"([+-]?[\d,.]+) \(([+-]?[\d,.]+) to ([+-]?[\d,.]+); (\w+)\)", cell
            ).groups()
            assert float(value.replace(",", "")) == 0 or value[0] in "+-"
            assert verdict in ("better", "worse", "unclear")
            assert float(low.replace(",", "")) <= float(high.replace(",", ""))
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
    from sim.analysis.robustness.text import text as robustness_text

    policies = read_exploration(exploration).policies
    assert len(policies) == 3
    for lang, b in briefs.items():
        section = md_section(b.markdown, robustness_text("title", lang))
        colon = "：" if lang == "zh" else ": "
        pairs, regret = section.split(f"{robustness_text('regret_head', lang)}{colon}")
        regret = regret.split(robustness_text("voi_head", lang))[0]
        a, c, q = (title(p, lang) for p in policies)
        # the more frequent winner first: quzheng beats sanheyi (or ties), never the reverse
        assert [r[0] for r in md_table(pairs)] == [f"{a} / {c}", f"{a} / {q}", f"{q} / {c}"]
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
    from sim.analysis.brief.places import prefecture_table
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


def test_prefecture_maps_have_a_colour_bar_separate_the_small_prefectures_and_mark_doubt(
    batch: Path,
) -> None:
    import pandas as pd
    from matplotlib.patches import PathPatch

    from sim.analysis.brief.figures import prefecture_map
    from sim.core.cities import CITIES

    level = pd.Series({c: 100.0 + 10 * i for i, c in enumerate(CITIES)}) * 1.0
    level[next(iter(CITIES))] = 5000.0  # one prefecture far above the ten others
    fig = prefecture_map(level, "output", "en", colour_label="100 m yuan")
    assert len(fig.axes) == 2 and fig.axes[1].get_xlabel() == "100 m yuan"  # the colour bar
    tiles = {p.get_gid(): p.get_facecolor() for p in fig.axes[0].patches if p.get_gid()}
    small = {tiles[c] for c in list(CITIES)[1:]}
    assert len(small) >= 4  # not one pale shade for the ten smaller prefectures

    effect = pd.Series({c: float(i - 5) for i, c in enumerate(CITIES)})
    ci = pd.DataFrame({"ci_low": effect - 2, "ci_high": effect + 2})
    fig = prefecture_map(effect, "change", "en", interval=ci)
    hatched = [p for p in fig.axes[0].patches if isinstance(p, PathPatch) and p.get_hatch()]
    assert len(hatched) == int(((ci["ci_low"] <= 0) & (ci["ci_high"] >= 0)).sum()) == 5
    low, high = fig.axes[1].get_xlim()
    assert low == -high == -5  # the colour bar is symmetric about zero


def test_zone_ranking_marks_synthetic_zones(briefs: dict[str, brief.Brief]) -> None:
    ranking = md_table(md_section(briefs["en"].markdown, brief.heading("ranking", "en")))
    assert [r[0] for r in ranking] == [str(i) for i in range(1, len(ranking) + 1)]
    for r in ranking:
        assert (r[5] == "synthetic") == ("Synthetic" in r[1])
        assert (r[5] == "public registry") == r[1].endswith(" (model zone)")
    output = [float(r[6].replace(",", "")) for r in ranking]
    assert output == sorted(output, reverse=True)


def test_a_batch_missing_runs_is_refused_unless_allowed_and_then_warned_of(
    batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sim.cli import main

    damaged = tmp_path / "batch"
    shutil.copytree(batch, damaged)
    part = sorted((damaged / "annual").glob("part-*.parquet"))[0]
    part.write_bytes(part.read_bytes()[:100])
    out = tmp_path / "brief.html"
    assert main(["brief", str(damaged), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "are not (unfinished, corrupt or set aside)" in err
    assert "running again `zonesim run " in err and "--allow-missing" in err
    assert not out.exists()
    with pytest.warns(UserWarning, match="allow_missing=True: loading them"):
        assert main(["brief", str(damaged), "--out", str(out), "--allow-missing"]) == 0
    first = md_section(out.with_suffix(".md").read_text(), brief.text("title", "en"))
    assert "Warning: " in first and "run(s) of this batch are missing" in first


def test_markdown_holds_no_html_entity(briefs: dict[str, brief.Brief]) -> None:
    for b in briefs.values():
        entity = re.search(r"(?<!\\)&(#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);", b.markdown, re.I)
        assert entity is None, b.markdown[entity.start() - 80 : entity.end() + 20]
    assert "≤ 33 % 为“不太可能”" in briefs["zh"].markdown  # the legend of probability words


def test_mode_verdict_says_when_no_assumption_stands_out(batch: Path, exploration: Path) -> None:
    """Outcomes unrelated to the parameters: no mode is reliably best and no single
    assumption stands out, though the most promising one to measure is named."""
    import numpy as np

    from sim.analysis.brief.overview import mode_verdict
    from sim.analysis.robustness.experiment import analyse
    from sim.analysis.robustness.report import read_exploration

    exp = read_exploration(exploration)
    rng = np.random.default_rng(3)
    noisy = exp.outcomes.assign(**{"firms@2035": rng.normal(0, 1, len(exp.outcomes))})
    exp = analyse(exp.states, noisy, exp.settings)
    data = brief.load_batches([batch])
    en = mode_verdict(exp, data, "en")
    assert en.startswith("No mode is reliably best on the outcome measured")
    assert "no single assumption stands out at this budget (the most promising to measure:" in en
    assert "没有哪一个假设明显突出" in mode_verdict(exp, data, "zh")


def test_chinese_brief_leaves_no_english_word_half_width_mark_or_code_value(
    briefs: dict[str, brief.Brief],
) -> None:
    """Alt text, the batch's status, seeds and lists read in Chinese, with full-width marks."""
    zh = briefs["zh"]
    alts = re.findall(r'<img [^>]*alt="([^"]*)"', zh.html)
    assert len(alts) == len(zh.figures)
    for alt in alts:
        words = html.unescape(alt).replace("Natural Earth", "")  # a source's name
        assert not re.search(r"[A-Za-z]{3,}", words), alt
    assert [f.alt for f in briefs["en"].figures] != [f.alt for f in zh.figures]
    text = page_text(zh.html)
    assert "| 状态 | 已完成 |" in zh.markdown and "complete" not in text
    assert not re.search(r"[\u4e00-\u9fff）]\s?[:;,] ", text), re.findall(
        r".{8}[\u4e00-\u9fff）]\s?[:;,] .{8}", text
    )
    assert not re.search(r", 20\d\d", text)
    assert brief.text("map_title", "zh", label="开发区产出", year=2035) == "2035年开发区产出"


def test_short_cells_and_number_ranges_never_break_across_lines(
    briefs: dict[str, brief.Brief],
) -> None:
    zh = briefs["zh"].html
    assert '<td class="nw">太原</td>' in zh  # a city column is not one character a line
    ranges = re.findall(r'<span class="nw">([^<]*)</span>', zh)
    assert any(re.fullmatch(r"\d+\u00a0%–\d+\u00a0%", r) for r in ranges), ranges[:5]
    assert not re.search(r"\d %–", page_text(zh))
