"""Saving a draft: a scenario file that validates and reproduces the page."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from sim.analysis.brief import headline_effects, load_batches
from sim.app import whatif
from sim.app.draft import Draft, draft
from sim.app.runner import Runner
from sim.app.scenario_file import reproduce_command, save
from sim.cli import main
from sim.experiments.batch import run_batch
from sim.experiments.scenarios import (
    ScenarioError,
    check_file,
)

from .helpers import short


def test_saved_scenario_validates_and_reproduces_the_page(
    edited: Draft, runner: Runner, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path = save(edited, tmp_path / "datong.toml")
    assert main(["validate", str(path)]) == 0
    assert "ok " in capsys.readouterr().out
    sc, errors = check_file(path)
    assert errors == [] and sc is not None
    assert sc.params == edited.scenario().params
    assert (sc.run.end, sc.run.replications, sc.run.seed) == (2017, 2, edited.seed)
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    assert doc["parameters"] == {"integration_on": False}
    assert "title" not in doc  # the origin's title no longer fits an edited scenario

    # `zonesim run baseline FILE --reps N --seed S` gives the page's runs and effects
    page = whatif.outcome(edited, runner)
    base = tmp_path / "baseline.toml"
    base.write_text(
        Path("scenarios/baseline.toml")
        .read_text(encoding="utf-8")
        .replace("end = 2035", "end = 2017"),
        encoding="utf-8",
    )
    outcome = run_batch([base, path], reps=edited.seeds, seed=edited.seed, workers=1,
                        out=tmp_path / "batch", progress=False, zones=False)  # fmt: skip
    head = headline_effects(load_batches([outcome.path]))
    cols = ["scenario", "metric", "year", "mean", "ci_low", "ci_high", "n"]
    pd.testing.assert_frame_equal(head[cols], page.head[cols])
    command = reproduce_command(edited, path)
    assert command.startswith(f"zonesim run baseline {path.as_posix()} --reps 2 --seed ")


def test_saving_refuses_and_writes_nothing(edited: Draft, tmp_path: Path) -> None:
    target = tmp_path / "x.toml"
    target.write_text("keep", encoding="utf-8")
    with pytest.raises(FileExistsError):
        save(edited, target)
    assert target.read_text(encoding="utf-8") == "keep"
    save(edited, target, overwrite=True)
    assert check_file(target)[1] == []
    with pytest.raises(ScenarioError, match="name"):
        save(replace(edited, name="bad name"), tmp_path / "y.toml")
    with pytest.raises(ScenarioError, match=r"\.toml"):
        save(edited, tmp_path / "y.txt")
    with pytest.raises(FileNotFoundError):
        save(edited, tmp_path / "missing" / "y.toml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.toml"]


def test_a_posterior_scenario_saves_its_posterior_relative_to_the_file(tmp_path: Path) -> None:
    d = short(draft("baseline_uncertain"))
    assert d.posterior is not None
    path = save(d, tmp_path / "uncertain.toml")
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    assert not Path(doc["run"]["posterior"]).is_absolute()
    sc, errors = check_file(path)
    assert errors == [] and Path(sc.run.posterior) == Path(d.posterior)
    base, what, specs = whatif.specs(d)
    assert base.run.posterior == what.run.posterior  # paired on posterior draws too
    assert specs[0].params == specs[2].params  # replicate 0 of both: the same draw
