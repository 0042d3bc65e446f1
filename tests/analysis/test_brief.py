"""Policy briefs: numbers from the results store, both languages, self-contained HTML."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.analysis import brief, plotting
from sim.cli import main
from sim.experiments.errors import ArgumentError
from sim.experiments.scenarios import shipped_dir
from sim.experiments.summary import paired_differences, summarize

SCENARIOS = ("baseline", "no_reform", "all_corporate")
END = 2020
REPS = 3


def short_copy(folder: Path, name: str) -> Path:
    text = (shipped_dir() / f"{name}.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^end = \d+", f"end = {END}", text)
    text = re.sub(r"(?m)^replications = \d+", f"replications = {REPS}", text)
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def make_batch(folder: Path, names: tuple[str, ...] = SCENARIOS, seed: int | None = None) -> Path:
    """A real batch written by `zonesim run` (short horizon, few replicates)."""
    files = [str(short_copy(folder, n)) for n in names]
    out = folder / "batch"
    extra = [] if seed is None else ["--seed", str(seed)]
    assert main(["run", *files, "--workers", "1", "--quiet", "--out", str(out), *extra]) == 0
    return out


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_batch(tmp_path_factory.mktemp("brief"))


@pytest.fixture(scope="module")
def briefs(batch: Path) -> dict[str, brief.Brief]:
    return {lang: brief.build_brief([batch], lang=lang) for lang in plotting.LANGS}


# ----------------------------------------------------------------------------- parsing


def md_section(markdown: str, title: str) -> str:
    """Text from a heading with ``title`` to the next heading of the same or higher level."""
    m = re.search(rf"(?m)^(#+) {re.escape(title)}\n", markdown)
    assert m, f"no heading {title!r}"
    level = len(m.group(1))
    rest = markdown[m.end() :]
    end = re.search(rf"(?m)^#{{1,{level}}} ", rest)
    return rest[: end.start()] if end else rest


def md_table(section: str) -> list[list[str]]:
    lines = [ln for ln in section.splitlines() if ln.startswith("|")]
    assert len(lines) >= 2, "no table"
    return [[c.strip() for c in ln.strip("|").split(" | ")] for ln in lines[2:]]


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []
        self.imgs: list[dict[str, str | None]] = []
        self.tags: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        a = dict(attrs)
        if tag == "table":
            self.tables.append((a.get("class") or "", []))
        elif tag == "tr":
            self.tables[-1][1].append([])
        elif tag == "td":
            self._cell = []
        elif tag == "img":
            self.imgs.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.tables[-1][1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parse_html(page: str) -> _Tables:
    p = _Tables()
    p.feed(page)
    return p


def parse_number(text: str) -> tuple[float, int]:
    """Value and number of decimals of a number as the brief prints it."""
    clean = text.replace(",", "")
    decimals = len(clean.split(".")[1]) if "." in clean else 0
    return float(clean), decimals


def assert_shows(text: str, value: float) -> None:
    """``text`` is ``value`` rounded to the decimals shown."""
    shown, decimals = parse_number(text)
    tol = 0.5 * 10.0**-decimals * (1 + 1e-9) + 1e-9 * abs(value)
    assert abs(shown - value) <= tol, f"{text} does not show {value}"


def assert_interval(text: str, low: float, high: float, lang: str = "en") -> None:
    a, b = text.split(f" {brief.text('to', lang)} ")
    assert_shows(a, low)
    assert_shows(b, high)


# ----------------------------------------------------------------------------- numbers


def test_headline_numbers_equal_summary_of_load_results(
    batch: Path, briefs: dict[str, brief.Brief]
) -> None:
    res = sim.load_results(batch)
    metrics = list(brief.HEADLINE_METRICS)
    levels = summarize(res.annual, metrics=metrics).set_index(["scenario", "year", "metric"])
    diffs = paired_differences(
        res.annual, "baseline", metrics=metrics, quantiles=(0.05, 0.95)
    ).set_index(["scenario", "year", "metric"])
    label_to_metric = {plotting.metric_label(m, "en"): m for m in metrics}
    years = [2018, END]
    md = briefs["en"].markdown
    checked = 0
    for scen in SCENARIOS[1:]:
        section = md_section(md, brief.text("whatif", "en", name=scen))
        rows = md_table(md_section(section, brief.heading("effects", "en")))
        assert [(label_to_metric[r[0]], int(r[1])) for r in rows] == [
            (m, y) for m in metrics for y in years
        ]
        for label, year, base, value, effect, ci, spread, n in rows:
            key = (scen, int(year), label_to_metric[label])
            d = diffs.loc[key]
            assert_shows(base, levels.loc[("baseline", *key[1:]), "mean"])
            assert_shows(value, levels.loc[key, "mean"])
            assert_shows(effect, d["mean"])
            assert_interval(ci, d["ci_low"], d["ci_high"])
            assert_interval(spread, d["q05"], d["q95"])
            assert int(n) == d["n"] == REPS
            checked += 1
    assert checked == 2 * len(metrics) * len(years)


def test_html_headline_tables_equal_markdown(briefs: dict[str, brief.Brief]) -> None:
    for lang, b in briefs.items():
        html_rows = [rows[1:] for cls, rows in parse_html(b.html).tables if cls == "headline"]
        md_rows = [
            md_table(md_section(md_section(b.markdown, brief.text("whatif", lang, name=s)),
                                brief.heading("effects", lang)))
            for s in SCENARIOS[1:]
        ]  # fmt: skip
        assert html_rows == md_rows


def test_effects_are_paired_by_seed(batch: Path, briefs: dict[str, brief.Brief]) -> None:
    """The headline effect is the mean of run-by-run differences over shared seeds."""
    a = sim.load_results(batch).annual
    row = briefs["en"].headline.query("scenario == 'no_reform' and metric == 'firms'").iloc[-1]
    pick = a[a["year"] == row["year"]].set_index(["scenario", "seed"])["firms"]
    diffs = pick.loc["no_reform"] - pick.loc["baseline"]
    assert len(diffs) == REPS
    assert row["mean"] == pytest.approx(diffs.mean(), rel=1e-12)
    assert row["low"] == pytest.approx(diffs.quantile(0.05), rel=1e-12)


def test_fmt_number() -> None:
    assert brief.fmt_number(43031.4) == "43,031"
    assert brief.fmt_number(13.94) == "13.94"
    assert brief.fmt_number(-0.12345) == "-0.123"
    assert brief.fmt_number(1e-9) == "0"
    assert brief.fmt_number(float("nan")) == "–"


# ----------------------------------------------------------------------------- content


def test_both_languages_have_every_section(briefs: dict[str, brief.Brief]) -> None:
    for lang, b in briefs.items():
        other = "zh" if lang == "en" else "en"
        for key in brief.SECTIONS:
            title = brief.heading(key, lang)
            assert re.search(rf"<h\d[^>]*>{re.escape(title)}</h\d>", b.html), (lang, key)
            assert re.search(rf"(?m)^#+ {re.escape(title)}$", b.markdown), (lang, key)
            assert brief.heading(key, other) not in b.html, (lang, key)
        for scen in SCENARIOS[1:]:
            assert brief.text("whatif", lang, name=scen) in b.markdown
        assert f'lang="{"zh-CN" if lang == "zh" else "en"}"' in b.html


def test_every_text_has_both_languages() -> None:
    han = re.compile(r"[\u3400-\u9fff]")
    for key, (en, zh) in {**brief.SECTIONS, **brief.TEXT}.items():
        if key == "figure_fallback":
            continue  # a note for Chinese readers only
        assert en and not han.search(en), key
        assert han.search(zh), key


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


def test_lost_status_shares(batch: Path) -> None:
    data = brief.load_batches([batch])
    lost = brief.lost_status(data, "all_corporate")
    z = data.zones
    last = z[(z["year"] == END) & (z["status"] == "delisted")]
    for scen, col in (("baseline", "share_baseline"), ("all_corporate", "share_scenario")):
        expected = last[last["scenario"] == scen].groupby("zone_id")["replicate"].nunique() / REPS
        got = lost.set_index("zone_id")[col]
        got = got[got > 0]
        pd.testing.assert_series_equal(
            got.sort_index(), expected.sort_index().astype(float), check_names=False
        )


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


# ----------------------------------------------------------------------------- errors


def test_baseline_option_determinism_and_errors(batch: Path, tmp_path: Path) -> None:
    b = brief.build_brief([batch], baseline="no_reform", years=[END])
    assert set(b.headline["scenario"]) == {"baseline", "all_corporate"}
    again = brief.build_brief([batch], baseline="no_reform", years=[END])
    assert (again.html, again.markdown) == (b.html, b.markdown)  # a pure function of the batch
    with pytest.raises(ArgumentError, match=r"^baseline: expected a scenario"):
        brief.load_batches([batch], baseline="nope")
    with pytest.raises(ValueError, match="lang"):
        brief.build_brief([batch], lang="fr")
    with pytest.raises(FileNotFoundError, match="batch folder"):
        brief.load_batches([tmp_path])
    with pytest.raises(ValueError, match="also in"):
        brief.load_batches([batch, batch])


def test_batches_combine_only_with_shared_seeds(batch: Path, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    other_seed = make_batch(tmp_path / "a", ("no_integration",), seed=99)
    with pytest.raises(ValueError, match="seeds shared with the baseline"):
        brief.load_batches([batch, other_seed])
    single = make_batch(tmp_path / "b", ("no_integration",))
    with pytest.raises(ValueError, match="at least two scenarios"):
        brief.load_batches([single])
    data = brief.load_batches([batch, single])
    assert data.whatifs == ["no_reform", "all_corporate", "no_integration"]


# ----------------------------------------------------------------------------- browser


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


def test_posterior_batches_are_recognised(batch: Path, tmp_path: Path) -> None:
    """A scenario whose parameters vary by run (posterior draws) is flagged as such."""
    copy = tmp_path / "posterior"
    shutil.copytree(batch, copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    manifest["scenarios"]["all_corporate"]["params"] = None  # what batch.execute writes then
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    data = brief.load_batches([copy])
    assert data.uses_posterior("all_corporate") and not data.uses_posterior("no_reform")
    assert brief.changed_parameters(data, "all_corporate") is None
    assert brief.changed_parameters(data, "no_reform")


def test_sample_designs_are_refused(tmp_path: Path) -> None:
    """Calibration and sensitivity designs (several runs per replicate) are not what-ifs."""
    from sim.core.params import resolve
    from sim.experiments.backends import make_backend
    from sim.experiments.batch import execute
    from sim.experiments.runs import RunSpec

    params = resolve({})
    specs = [
        RunSpec(scenario=s, replicate=0, seed=1, params=params, start=2016, end=2016, sample=k)
        for s in ("a", "b")
        for k in (0, 1)
    ]
    with make_backend(1) as backend:
        out = execute(specs, tmp_path / "design", backend=backend, progress=False)
    with pytest.raises(ValueError, match="one run per scenario and replicate"):
        brief.load_batches([out])
