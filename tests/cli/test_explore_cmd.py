"""``zonesim explore``: one-line errors, a small exploration end to end, resume, brief section."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from sim.analysis import brief
from sim.analysis.robustness import read_exploration
from sim.analysis.robustness.experiment import default_posterior
from sim.cli import build_parser, main
from sim.experiments.store import load_results

OUTCOMES = "firms@2017,stat_zone_gdp@2017"


def _error(capsys, argv):
    status = main(argv)
    return status, capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (["baseline"], "POLICY: expected at least two policy files"),
        (["baseline", "baseline"], "expected a name not used by another policy"),
        (["baseline", "no/such.toml"], "no/such.toml"),
        (["baseline", "all_corporate", "--uncertain", "modes,nope"], "--uncertain 'nope'"),
        (["baseline", "all_corporate", "--outcomes", "firms@1990"], "expected a year from 2016"),
        (["baseline", "all_corporate", "--outcomes", "firms"], "--outcomes 'firms': expected"),
        (["baseline", "all_corporate", "--threshold", "nope@2035>=1"], "--threshold 'nope@"),
        (["baseline", "all_corporate", "--threshold", "firms@2035"], "--threshold"),
        (["baseline", "all_corporate", "--threshold", "firms@2030>=1"], "expected one of the"),
        (["baseline", "all_corporate", "--discover", "firms@2031"], "--discover firms@2031"),
        (["baseline", "all_corporate", "--posterior", "no/post.parquet"], "--posterior"),
        (["baseline", "all_corporate", "--states", "1"], "--states"),
        (["baseline", "all_corporate", "--seeds-per-state", "1"], "--seeds-per-state"),
        (["baseline", "all_corporate", "--posterior", "x", "--no-posterior"], "--no-posterior"),
        (
            ["baseline", "all_corporate", "--workers", "2", "--scheduler", "tcp://x:1"],
            "--scheduler",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(capsys, tmp_path, extra, fragment):
    out = tmp_path / "ex"
    status, err = _error(capsys, ["explore", *extra, "--out", str(out), "--quiet"])
    assert status == 2
    assert err.count("\n") == 1 and fragment in err, err
    assert "Traceback" not in err
    assert not out.exists()


def test_out_that_is_a_file_is_refused(capsys, tmp_path):
    out = tmp_path / "file"
    out.write_text("x")
    status, err = _error(capsys, ["explore", "baseline", "all_corporate", "--out", str(out)])
    assert status == 2 and "expected a folder" in err


@pytest.fixture(scope="module")
def explored(tmp_path_factory):
    out = tmp_path_factory.mktemp("explore") / "ex"
    argv = ["explore", "baseline", "all_corporate", "all_sanheyi", "--uncertain", "modes",
            "--states", "6", "--outcomes", OUTCOMES, "--threshold", "firms@2017>=1",
            "--workers", "1", "--seed", "3", "--out", str(out), "--quiet"]  # fmt: skip
    with pytest.MonkeyPatch.context() as mp:  # a folder without calibration/
        mp.chdir(tmp_path_factory.mktemp("elsewhere"))
        assert main(argv) == 0
    return out, argv


def test_default_posterior_is_the_shipped_one_whatever_the_folder(explored):
    out, _ = explored
    settings = json.loads((out / "explore.json").read_text())
    assert settings["posterior"] == str(default_posterior())
    assert settings["posterior_default"] is True
    assert settings["posterior_parameters"]  # the calibrated parameters came from it
    design = pd.read_parquet(out / "design.parquet")
    assert (design["draw"] >= 0).all()
    report = (out / "report.md").read_text()
    sha = settings["posterior_sha256"][:16]
    assert f"Calibration posterior: `calibration_posterior.parquet`, sha256 {sha} (the default" in (
        report
    )
    assert not re.search(r"(^|[\s`(])/\w", report), "an absolute path in report.md"


def test_report_and_help_say_that_run_tables_are_not_used(capsys, explored):
    out, _ = explored
    assert "`[run]` tables are not used" in (out / "report.md").read_text()
    with pytest.raises(SystemExit):
        build_parser().parse_args(["explore", "--help"])
    assert "[run] tables are not used" in " ".join(capsys.readouterr().out.split())


def test_small_exploration_writes_every_table(explored):
    out, _ = explored
    for stem in ("design", "outcome_runs", "outcomes", "pairwise", "regret", "satisficing",
                 "boxes", "box_limits", "trajectories", "feature_scores", "break_even",
                 "evppi"):  # fmt: skip
        assert (out / f"{stem}.csv").is_file() and (out / f"{stem}.parquet").is_file()
    report = (out / "report.md").read_text()
    assert report.startswith("# Robustness analysis") and "## Value of information" in report
    assert "2 seeds per state" in report
    assert "- Runs: 36 in " in report  # 3 policies x 6 states x 2 seeds, not the 18 means
    assert (out / "trees.txt").is_file() and (out / "figures" / "regret.png").is_file()
    exp = read_exploration(out)
    assert exp.policies == ["baseline", "all_corporate", "all_sanheyi"]
    assert len(exp.runs) == 36 and len(exp.outcomes) == 18 and len(exp.pairwise) == 2 * 6
    # the runs' own values: policy x state x seed -> the batch's annual table; a state's
    # outcome is the mean over its two seeds, the same seeds for every policy
    annual = load_results(out / "runs").annual
    rows = annual[(annual["scenario"] == "all_corporate") & (annual["sample"] == 4)
                  & (annual["year"] == 2017)].sort_values("replicate")  # fmt: skip
    assert len(rows) == 2 and rows["seed"].nunique() == 2
    got = exp.outcomes.query("policy == 'all_corporate' and state == 4")["firms@2017"].item()
    assert got == rows["firms"].mean()
    for policy in exp.policies:
        seeds = annual[(annual["scenario"] == policy) & (annual["sample"] == 4)]["seed"]
        assert set(seeds) == set(rows["seed"])
    assert (exp.pairwise["seeds"] == 2).all()  # (the policies do not differ before 2018)
    settings = json.loads((out / "explore.json").read_text())
    assert settings["uncertain"] and all(isinstance(n, str) for n in settings["uncertain"])


def test_rerun_resumes_and_other_settings_are_refused(capsys, explored):
    out, argv = explored
    before = pd.read_parquet(out / "pairwise.parquet")
    capsys.readouterr()
    assert main([a for a in argv if a != "--quiet"]) == 0  # progress on: every phase says so
    err = capsys.readouterr().err
    assert "runs: nothing to compute: all 36 runs are already stored" in err
    assert "ex: analysing 6 states (win probabilities," in err
    manifest = json.loads((out / "runs" / "manifest.json").read_text())
    assert manifest["runs"]["skipped"] == manifest["runs"]["total"] == 36
    pd.testing.assert_frame_equal(pd.read_parquet(out / "pairwise.parquet"), before)
    other = [a if a != "6" else "7" for a in argv]
    status = main(other)
    err = capsys.readouterr().err
    assert status == 2 and "--out" in err and "(states differs" in err


def test_brief_takes_the_robustness_section(explored, tmp_path):
    out, _ = explored
    batch = tmp_path / "batch"
    assert main(["run", "baseline", "all_corporate", "--reps", "2", "--seed", "1",
                 "--no-zones", "--quiet", "--out", str(batch)]) == 0  # fmt: skip
    built = brief.build_brief([batch], lang="en", robustness=out, discover=False)
    assert "Which mode, how sure?" in built.markdown
    assert built.markdown.index("Which mode, how sure?") < built.markdown.index("## Methods")
    assert 'id="robustness"' in built.html
