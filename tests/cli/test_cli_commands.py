from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.cli import COMMANDS, build_parser, main
from sim.core.lang import LANGS
from sim.core.params import REGISTRY
from sim.experiments.scenarios import shipped_dir


def test_commands_are_registered() -> None:
    for name in ("sim.cli.run_cmd", "sim.cli.validate_cmd", "sim.cli.list_cmd"):
        assert name in COMMANDS
    help_text = build_parser().format_help()
    for cmd in ("run", "validate", "list", "params"):
        assert cmd in help_text


def test_list_shows_every_shipped_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    names = sorted(p.stem for p in shipped_dir().glob("*.toml"))
    for n in names:
        assert any(line.startswith(n + " ") for line in out.splitlines()), n
    assert main(["list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert sorted(r["name"] for r in rows) == names
    assert all(r["description"].strip() for r in rows)


def test_validate_accepts_shipped_scenarios(capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(str(p) for p in shipped_dir().glob("*.toml"))
    assert main(["validate", *files, "baseline"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(files) + 1 and all(line.startswith("ok ") for line in out)


def test_params_json_has_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["params", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows] == list(REGISTRY)
    keys = {"name", "default", "lower", "upper", "unit", "description", "source"}
    keys |= {"description_zh", "source_zh"}
    assert all(keys <= set(r) for r in rows)
    assert main(["params"]) == 0
    assert "land_cap_share" in capsys.readouterr().out


@pytest.mark.parametrize("lang", LANGS)
def test_params_shows_meanings_and_sources_in_the_chosen_language(
    lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["params", "--lang", lang]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(REGISTRY)
    for line, p in zip(lines, REGISTRY.values(), strict=True):
        shown = (p.description_zh, p.source_zh) if lang == "zh" else (p.description, p.source)
        hidden = p.description if lang == "zh" else p.description_zh
        assert line.startswith(p.name) and line.endswith(f"{shown[0]}  ({shown[1]})")
        assert hidden not in line


def test_validate_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope.toml")]) == 2
    assert "nope.toml: file not found" in capsys.readouterr().err


def test_params_shows_the_parameters_named(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["params", "exit_rule_on"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].startswith("exit_rule_on ")
    assert main(["params", "delegation_years", "exit_rule_on", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows] == ["delegation_years", "exit_rule_on"]
    assert main(["params", "exit_rul"]) == 2
    err = capsys.readouterr().err
    assert "parameter 'exit_rul'" in err and "did you mean 'exit_rule_on'?" in err


def test_a_mistyped_command_gets_the_closest_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rnu", "baseline"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("zonesim: error: unknown command 'rnu'; did you mean 'run'?")
    assert main(["brif"]) == 2
    assert "did you mean 'brief'?" in capsys.readouterr().err
