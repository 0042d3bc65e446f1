"""The brief's words and numbers in both languages."""

from __future__ import annotations

import re
from pathlib import Path

from sim.analysis import brief

from .helpers import SCENARIOS
from .helpers import title as scenario_title


def test_fmt_number() -> None:
    assert brief.fmt_number(43031.4) == "43,031"
    assert brief.fmt_number(13.94) == "13.94"
    assert brief.fmt_number(67.0) == "67" and brief.fmt_number(6.0) == "6"  # counts
    assert brief.fmt_number(12345.0) == "12,345"
    assert brief.fmt_number(-0.12345) == "-0.123"
    assert brief.fmt_number(1e-9) == "0"
    assert brief.fmt_number(float("nan")) == "–"


def test_both_languages_have_every_section(briefs: dict[str, brief.Brief]) -> None:
    for lang, b in briefs.items():
        other = "zh" if lang == "en" else "en"
        for key in brief.SECTIONS:
            title = brief.heading(key, lang)
            assert re.search(rf"<h\d[^>]*>{re.escape(title)}</h\d>", b.html), (lang, key)
            assert re.search(rf"(?m)^#+ {re.escape(title)}$", b.markdown), (lang, key)
            assert brief.heading(key, other) not in b.html, (lang, key)
        for scen in SCENARIOS[1:]:
            assert brief.text("whatif", lang, name=scenario_title(scen, lang)) in b.markdown
        assert f'lang="{"zh-CN" if lang == "zh" else "en"}"' in b.html


def test_every_text_has_both_languages() -> None:
    han = re.compile(r"[\u3400-\u9fff]")
    for key, (en, zh) in {**brief.SECTIONS, **brief.TEXT}.items():
        assert en and not han.search(en), key
        assert han.search(zh), key


def test_parameter_values_read_as_words() -> None:
    from sim.analysis.brief.formatting import fmt_param

    rules = [
        {"year": 2018, "mode": "corporate", "zones": "all"},
        {"year": 2020, "mode": "sanheyi", "zones": ["city:Datong", "Z07"]},
    ]
    assert fmt_param(rules, "en") == (
        "from 2018: Corporate for all zones; from 2020: Three-in-one committee for Datong, Z07"
    )
    zh = fmt_param(rules, "zh")
    assert "自2018年起：所有开发区实行" in zh and "大同、Z07" in zh and "{" not in zh
    assert fmt_param(1.5) == "1.5"


def test_effects_have_two_significant_figures_and_their_interval() -> None:
    from sim.analysis.brief.formatting import fmt_effect, fmt_effect_interval, fmt_level

    assert fmt_effect(79.58, 70.2, 90.1) == "+80 (+70 to +90)"  # not "+79.58"
    assert fmt_effect(0.333, -0.5, 1.2) == "+0.3 (-0.5 to +1.2)"  # not "+0.333"
    assert fmt_effect(313.8) == "+310"
    assert fmt_effect(99.7, 95.0, 104.0) == "+100 (+95 to +104)"  # the interval keeps a figure
    assert fmt_effect(-20.8, -25.0, -16.0, "zh") == "-21 (-25 至 -16)"
    assert fmt_effect(79.58, 70.2, 90.1, interval=False) == "+80"
    assert fmt_effect_interval(70.2, 90.1, "en", like=79.58) == "+70 to +90"
    assert fmt_level(47.333, "zones_active") == "47" and fmt_level(41269.5, "firms") == "41,270"
    assert fmt_level(2047.83, "stat_zone_gdp") == "2,048"  # not a count: four figures


def test_brief_tables_show_effects_with_intervals(briefs: dict[str, brief.Brief]) -> None:
    from .helpers import md_section, md_table

    for lang, b in briefs.items():
        to = brief.text("to", lang)
        section = md_section(b.markdown, brief.heading("prefectures", lang)).split("\n### ")[0]
        table = md_table(section)
        cells = [c for row in table for c in row[2:]]
        assert cells and all(re.fullmatch(rf"[+-]?[\d,.]+ \([+-]?[\d,.]+ {to} [+-]?[\d,.]+\)", c)
                             for c in cells), cells[:3]  # fmt: skip
        for c in cells:  # two significant figures: at most two digits before the zeros
            digits = re.sub(r"[^\d]", "", c.split(" ")[0]).lstrip("0")
            assert len(digits.rstrip("0")) <= 2, c


def test_every_key_of_the_brief_text_is_defined_once() -> None:
    """The sections' tables make up TEXT with no key in two of them (one would hide the other)."""
    import ast
    import importlib

    from sim.analysis.brief.text_methods import METHODS_TEXT
    from sim.analysis.brief.text_places import PLACES_TEXT
    from sim.analysis.brief.text_whatif import WHATIF_TEXT

    text_module = importlib.import_module("sim.analysis.brief.text")
    tree = ast.parse(Path(text_module.__file__).read_text(encoding="utf-8"))
    (table,) = [n.value for n in tree.body if isinstance(n, ast.AnnAssign)
                and getattr(n.target, "id", "") == "TEXT"]  # fmt: skip
    assert isinstance(table, ast.Dict)
    own = [k.value for k in table.keys if isinstance(k, ast.Constant)]
    keys = [*own, *WHATIF_TEXT, *PLACES_TEXT, *METHODS_TEXT]
    assert len(keys) == len(set(keys)) == len(text_module.TEXT)
