"""Batches and parsers shared by the brief tests."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from sim.analysis import brief
from sim.cli import main
from sim.experiments.scenarios import load_scenario, shipped_dir

SCENARIOS = ("baseline", "no_reform", "all_corporate")


END = 2020


REPS = 3


def title(name: str, lang: str) -> str:
    """A shipped scenario's title in ``lang``, as the brief shows it."""
    sc = load_scenario(shipped_dir() / f"{name}.toml")
    return sc.title_zh if lang == "zh" else sc.title


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
    """Value and number of decimals of a number as the brief prints it.

    A whole number's trailing zeros may be rounding (two significant figures: ``310``):
    they count as negative decimals.
    """
    clean = text.replace(",", "")
    if "." in clean:
        return float(clean), len(clean.split(".")[1])
    digits = clean.lstrip("+-")
    zeros = len(digits) - len(digits.rstrip("0")) if digits.strip("0") else 0
    return float(clean), -zeros


def assert_shows(text: str, value: float) -> None:
    """``text`` is ``value`` rounded to the decimals shown."""
    shown, decimals = parse_number(text)
    tol = 0.5 * 10.0**-decimals * (1 + 1e-9) + 1e-9 * abs(value)
    assert abs(shown - value) <= tol, f"{text} does not show {value}"


def assert_interval(text: str, low: float, high: float, lang: str = "en") -> None:
    a, b = text.split(f" {brief.text('to', lang)} ")
    assert_shows(a, low)
    assert_shows(b, high)


#: Latin words the Chinese brief may use: units, abbreviations, names of tools and the
#: "et al." of citations (authors' names stay as they are).
LATIN_WHITELIST = frozenset(
    {"Git", "Wilson", "PRIM", "EVPPI", "GDP", "PNG", "HTML", "Student", "t", "k", "pp", "m", "km"}
    | {"et", "al"}
)


class _Text(HTMLParser):
    """The visible text of a page, without code, tables' ids and figure data."""

    SKIP: tuple[str, ...] = ("code", "style", "title")

    def __init__(self, skip: tuple[str, ...] | None = None) -> None:
        super().__init__()
        if skip is not None:
            self.SKIP = skip
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def page_text(page: str) -> str:
    """Every text of a page outside its style sheet: title, body, code (entities decoded)."""
    p = _Text(skip=("style",))
    p.feed(page)
    return "".join(p.parts)


def latin_runs(page: str, words: int = 3) -> list[str]:
    """Runs of ``words`` or more Latin words in a page's text (code and ids excluded).

    A word is a token of Latin letters only; identifiers (with ``_``, digits or ``.``),
    code elements and the words of :data:`LATIN_WHITELIST` break a run.
    """
    p = _Text()
    p.feed(page)
    runs, run = [], []
    for part in p.parts:
        for token in re.split(r"[\s/()（）,;:，；：、。]+", part):
            word = token.strip("\"'“”.!?")
            if re.fullmatch(r"[A-Za-z][A-Za-z'-]*", word) and word not in LATIN_WHITELIST:
                run.append(word)
                continue
            if len(run) >= words:
                runs.append(" ".join(run))
            run = []
        if len(run) >= words:
            runs.append(" ".join(run))
        run = []
    return runs
