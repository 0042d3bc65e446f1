"""How the brief names scenarios: titles in the reader's language, questions, values set."""

from __future__ import annotations

from pathlib import Path

from sim.analysis import brief
from sim.analysis.brief.naming import (
    assumptions,
    design_label,
    overrides_note,
    param_name,
    scenario_question,
    scenario_title,
)
from sim.core.lang import LANGS

from .helpers import SCENARIOS, title


def test_scenarios_are_named_by_their_titles_in_the_language(batch: Path) -> None:
    data = brief.load_batches([batch])
    for lang in LANGS:
        assert [scenario_title(data, s, lang) for s in SCENARIOS] == [
            title(s, lang) for s in SCENARIOS
        ]
        assert scenario_title(data, "no_such_scenario", lang) == "no_such_scenario"
    assert scenario_question(data, "no_reform", "en") == data.info["no_reform"]["description"]
    assert scenario_question(data, "no_reform", "zh") == data.info["no_reform"]["description_zh"]


def test_without_values_set_the_findings_rest_on_the_default_assumptions(batch: Path) -> None:
    data = brief.load_batches([batch])
    assert overrides_note(data, "en") is None
    assert assumptions(data, "en") == brief.text("assumptions_default", "en")


def test_swept_values_are_named_by_parameter_in_english_and_by_meaning_in_chinese() -> None:
    swept = {"delegation_years": 1.5, "exit_rule_on": False}
    assert design_label(swept, "en") == "delegation_years = 1.5, exit_rule_on = False"
    zh = "下放全部权限清单所需的时间 = 1.5，年度考核与动态退出 = False"
    assert design_label(swept, "zh") == zh
    assert param_name("delegation_years", "en") == "delegation_years"
    assert param_name("delegation_years", "zh") == "下放全部权限清单所需的时间"
    assert param_name("not_a_parameter", "zh") == "not_a_parameter"
