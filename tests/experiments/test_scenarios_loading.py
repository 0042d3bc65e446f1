"""Reading a scenario file or mapping: texts, names, run defaults, depth, every error of a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sim.core.params import MODE_ASSIGNMENTS
from sim.experiments.scenarios import (
    ScenarioError,
    check_file,
    load_doc,
    load_scenario,
)


def test_chinese_texts_are_optional_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('name = "s"\ndescription = "q?"\n')
    assert (load_scenario(path).title, load_scenario(path).description_zh) == ("", "")
    path.write_text(
        'name = "s"\ndescription = "q?"\ntitle_zh = "标题"\ndescription_zh = """\n问？"""\n'
    )
    assert (load_scenario(path).title_zh, load_scenario(path).description_zh) == ("标题", "问？")
    path.write_text('name = "s"\ndescription = "q?"\ntitle_zh = 3\n')
    with pytest.raises(ScenarioError, match=rf"{path}: title_zh: expected a non-empty string"):
        load_scenario(path)


def test_scenario_keeps_source_text_and_overrides(
    tmp_path: Path, scenario_file: Callable[..., Path]
) -> None:
    path = scenario_file(
        "mix",
        "[parameters]\nexit_rule_on = false\n\n[[modes]]\nyear = 2017.5\nmode = 'corporate'\n"
        "zones = ['Z02', 'Z03']\n",
    )
    sc = load_scenario(path)
    assert sc.source == path.read_text()
    assert sc.overrides["exit_rule_on"] is False
    assert sc.params["exit_rule_on"] == 0.0
    assert sc.params[MODE_ASSIGNMENTS][0]["zones"] == ["Z02", "Z03"]
    assert (sc.run.start, sc.run.end, sc.run.replications, sc.run.seed) == (2016, 2017, 2, 11)


def test_run_table_defaults(tmp_path: Path, scenario_file: Callable[..., Path]) -> None:
    sc = load_scenario(scenario_file("bare", run=""))
    assert (sc.run.start, sc.run.end) == (2016, 2035)
    assert sc.run.replications >= 1


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('description = "q?"', "name"),
        ('name = "x"', "description"),
        ('name = "a b/c"\ndescription = "q?"', "name"),
        ('name = 3\ndescription = "q?"', "name"),
    ],
)
def test_name_and_description_are_required(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError, match=rf"{path}: {key}: expected"):
        load_scenario(path)


@pytest.mark.parametrize("name", ["baseline\\n", "base\\u0000line", "base\\u202eline", "a\\tb"])
def test_name_with_control_characters_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(f'name = "{name}"\ndescription = "q"\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"s.toml: name: expected"):
        load_scenario(path)


def test_missing_file_is_a_scenario_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="file not found"):
        load_scenario(tmp_path / "nope.toml")


def test_missing_file_suggests_a_neighbour(scenario_file: Callable[..., Path]) -> None:
    real = scenario_file("deleg_fast")
    with pytest.raises(ScenarioError, match=r"did you mean '.*deleg_fast\.toml'\?"):
        load_scenario(real.with_name("deleg_fsat.toml"))


def _nested(depth: int) -> str:
    return "[" * depth + "1" + "]" * depth


@pytest.mark.parametrize("depth", [5, 100_000])
def test_deep_nesting_is_one_line(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(f'name = "d"\ndescription = "q"\n[parameters]\nx = {_nested(depth)}\n')
    with pytest.raises(ScenarioError, match=r"deep.toml: expected tables and lists nested at most"):
        load_scenario(path)
    sc, errors = check_file(path)
    assert sc is None and len(errors) == 1


def test_deep_mapping_is_refused() -> None:
    doc: dict = {"name": "m", "description": "q"}
    inner = doc
    for _ in range(10):
        inner["parameters"] = {}
        inner = inner["parameters"]
    with pytest.raises(ScenarioError, match=r"files_or_specs\[0\]: expected tables and lists"):
        load_doc("files_or_specs[0]", doc)


def test_a_mapping_is_checked_like_a_file() -> None:
    sc = load_doc("spec", {"name": "m", "description": "q?", "run": {"end": 2017}})
    assert sc.run.end == 2017 and sc.path == "spec"
    with pytest.raises(ScenarioError, match=r"^spec: parameters.nope: expected a registered"):
        load_doc("spec", {"name": "m", "description": "q?", "parameters": {"nope": 1}})


def test_check_file_reports_every_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'name = "bad one"\ndescripton = "x"\n[run]\nend = 1990\nreplicatons = 3\n'
        "[parameters]\ndelegaton_years = 3\nexit_rule_on = 5\n"
        '[[modes]]\nyear = 2018\nmode = "corprate"\nzones = "all"\n'
        '[[modes]]\nyear = 2018\nmode = "sanheyi"\nzones = "city:Datung"\n'
    )
    sc, errors = check_file(path)
    assert sc is None
    assert [e.key for e in errors] == [
        "descripton", "name", "description", "run.replicatons", "run.end",
        "parameters.delegaton_years", "parameters.exit_rule_on", "modes[0].mode",
        "modes[1].zones",
    ]  # fmt: skip
    text = "\n".join(map(str, errors))
    for hint in ("'description'?", "'replications'?", "'delegation_years'?", "'corporate'?",
                 "'Datong'?"):  # fmt: skip
        assert f"did you mean {hint}" in text
    with pytest.raises(ScenarioError) as first:  # load_scenario raises the first of them
        load_scenario(path)
    assert first.value.key == "descripton"
