"""The researcher's command line: hints, every error, --set, sweeps, run counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.cli import main
from sim.experiments.scenarios import shipped
from sim.experiments.store import load_results

SHORT = 'name = "{name}"\ndescription = "What if?"\n[run]\nend = 2016\nreplications = 1\n'


def write(folder: Path, name: str, extra: str = "") -> Path:
    path = folder / f"{name}.toml"
    path.write_text(SHORT.format(name=name) + extra)
    return path


def one_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    return err


def test_a_mistyped_flag_suggests_the_real_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "baseline", "--replications", "5"]) == 2
    assert one_error(capsys) == (
        "zonesim run: error: unrecognized arguments: --replications 5; did you mean '--reps'?"
    )
    assert main(["validate", "baseline", "--jsn"]) == 2
    assert "unrecognized arguments: --jsn" in one_error(capsys)
    assert main(["list", "--jsn"]) == 2
    assert one_error(capsys).endswith("did you mean '--json'?")


def test_a_mistyped_scenario_name_suggests_and_lists(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "baselin"]) == 2
    err = one_error(capsys)
    assert err.startswith("zonesim run: error: no scenario 'baselin'; did you mean 'baseline'?")
    assert "shipped: baseline, " in err and "slow_delegation" in err


def test_validate_reports_every_error_of_every_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = write(tmp_path, "a", "[parameters]\ndelegaton_years = 3\nexit_rule_on = 7\n")
    b = write(tmp_path, "b", '[[modes]]\nyear = 2016\nmode = "corprate"\nzones = "all"\n')
    good = write(tmp_path, "good")
    assert main(["validate", str(a), str(good), "baselin", str(b)]) == 2
    out, err = capsys.readouterr()
    assert out.startswith(f"ok {good}: good")
    lines = err.strip().splitlines()
    assert lines == [
        f"zonesim validate: error: {a}: parameters.delegaton_years: expected a registered "
        "parameter name (see `zonesim params`); did you mean 'delegation_years'?",
        f"zonesim validate: error: {a}: parameters.exit_rule_on: expected true or false, got 7",
        lines[2],
        f"zonesim validate: error: {b}: modes[0].mode: expected one of legacy, sanheyi, "
        "quzheng, corporate, got 'corprate'; did you mean 'corporate'?",
        "zonesim validate: 4 error(s) in 3 file(s)",
    ]
    assert "no scenario 'baselin'; did you mean 'baseline'?" in lines[2]


def test_validate_counts_a_sweeps_variants(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "s", "[sweep]\ndelegation_years = [1.5, 3, 6]\n")
    assert main(["validate", str(path)]) == 0
    assert "sweep of 3 variant(s)" in capsys.readouterr().out


def test_run_with_sweep_and_set_says_what_ran_and_what_was_reused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "s", "[sweep]\ndelegation_years = [1.5, 6]\n")
    out = tmp_path / "b"
    args = ["run", str(path), "--set", "exit_rule_on=false", "--set", "land_cap_share=0.03",
            "--workers", "1", "--out", str(out)]  # fmt: skip
    assert main(args) == 0
    assert "2 runs of 2 scenario(s): 2 ran, 0 reused in " in capsys.readouterr().err
    assert main([*args, "--reps", "2"]) == 0
    assert "4 runs of 2 scenario(s): 2 ran, 2 reused in " in capsys.readouterr().err
    res = load_results(out)
    assert res.manifest["set"] == {"exit_rule_on": False, "land_cap_share": 0.03}
    assert "--set exit_rule_on=false --set land_cap_share=0.03" in res.manifest["command"]
    params = [json.loads(p) for p in res.runs["params"]]
    assert {p["exit_rule_on"] for p in params} == {0.0}
    assert {p["land_cap_share"] for p in params} == {0.03}
    assert sorted(set(res.annual["delegation_years"])) == [1.5, 6.0]


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("land_cap=3", "--set land_cap: expected a registered parameter name (see `zonesim "
         "params`); did you mean 'land_cap_share'?"),
        ("land_cap_share=3", "--set land_cap_share: expected a value between"),
        ("land_cap_share", "argument --set: expected one KEY=VALUE"),
        ("exit_rule_on=maybe", "--set exit_rule_on: expected true or false, got 'maybe'"),
    ],
)  # fmt: skip
def test_bad_set_is_one_line_naming_the_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, needle: str
) -> None:
    out = tmp_path / "b"
    assert main(["run", "baseline", "--set", value, "--out", str(out)]) == 2
    assert needle in one_error(capsys)
    assert not out.exists()


def test_list_without_scenarios_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(shipped, "shipped_dir", lambda: tmp_path)
    assert main(["list"]) == 2
    assert "no shipped scenario files" in one_error(capsys)
    assert main(["list", "--json"]) == 2


def test_params_with_an_empty_registry_is_an_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sim.cli import params_cmd

    monkeypatch.setattr(params_cmd, "REGISTRY", {})
    assert main(["params"]) == 2
    assert "parameter registry is empty" in one_error(capsys)
    assert main(["params", "--json"]) == 2
