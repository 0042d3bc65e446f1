"""What-ifs: the draft, its paired runs through the run boundary, effects and saving."""

from __future__ import annotations

import threading
import tomllib
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from sim.analysis.brief import headline_effects, load_batches
from sim.app import whatif
from sim.cli import main
from sim.core.params import MODE_ASSIGNMENTS, REGISTRY
from sim.experiments.batch import run_batch
from sim.experiments.runs import RunOutput, run_chunk
from sim.experiments.scenarios import (
    ScenarioError,
    check_file,
    load_scenario,
    shipped_dir,
    shipped_names,
)
from sim.experiments.seeds import replicate_seed


def short(d: whatif.Draft, seeds: int = 2) -> whatif.Draft:
    return replace(d, end=2017, seeds=seeds)


@pytest.fixture(scope="module")
def runner() -> whatif.Runner:
    r = whatif.Runner(workers=1)
    yield r
    r.close()


@pytest.fixture(scope="module")
def edited() -> whatif.Draft:
    """Datong's zones corporate from 2016.5, without the approval bureaus."""
    d = short(whatif.draft())
    d = d.with_value("integration_on", False)
    rule = {"year": 2016.5, "mode": "corporate", "zones": "city:Datong"}
    return replace(d, name="datong_corporate", modes=(*d.modes, rule))


@pytest.mark.parametrize("name", shipped_names())
def test_a_draft_of_a_shipped_scenario_is_that_scenario(name: str) -> None:
    d = whatif.draft(name)
    sc = load_scenario(shipped_dir() / f"{name}.toml")
    assert d.scenario().params == sc.params
    assert d.overrides() == {k: v for k, v in sc.params.items() if k in REGISTRY
                             and v != REGISTRY[k].default}  # fmt: skip
    assert d.changes() == [] and not d.modes_changed
    assert d.description("en") == sc.description
    assert d.name == ("whatif" if name == "baseline" else name)
    assert (d.doc().get("title"), d.doc().get("title_zh")) == (
        sc.title or None,
        sc.title_zh or None,
    )


def test_edits_are_validated_overrides(edited: whatif.Draft) -> None:
    assert edited.overrides() == {"integration_on": 0.0}
    assert edited.changes() == ["integration_on"] and edited.modes_changed
    sc = edited.scenario()
    assert sc.params["integration_on"] == 0.0
    assert sc.params[MODE_ASSIGNMENTS][-1]["zones"] == "city:Datong"
    assert "integration_on = 0" in edited.description("en")
    assert "大同" in edited.description("zh")
    far = edited.with_value("delegation_years", 99.0)
    assert far.values["delegation_years"] == REGISTRY["delegation_years"].upper


def test_invalid_drafts_name_the_key(edited: whatif.Draft) -> None:
    with pytest.raises(ScenarioError, match="name: expected letters"):
        replace(edited, name="has space").scenario()
    with pytest.raises(ScenarioError, match="name: expected a name other than 'baseline'"):
        whatif.specs(replace(edited, name="baseline"))
    late = replace(edited, modes=({"year": 2030.0, "mode": "corporate", "zones": "all"},))
    with pytest.raises(ScenarioError, match=r"modes\[0\]\.year"):
        late.scenario()


def test_runs_are_paired_with_the_baseline(edited: whatif.Draft) -> None:
    base, what, specs = whatif.specs(replace(edited, seeds=3, seed=5))
    assert base.name == "baseline" and what.name == "datong_corporate"
    assert [s.scenario for s in specs] == ["baseline"] * 3 + ["datong_corporate"] * 3
    seeds = [replicate_seed(5, k) for k in range(3)]
    assert [s.seed for s in specs[:3]] == seeds == [s.seed for s in specs[3:]]
    assert all(s.end == 2017 for s in specs)
    assert specs[0].params == load_scenario(shipped_dir() / "baseline.toml").params


def test_outcome_is_the_brief_headline_table_of_the_runs(
    edited: whatif.Draft, runner: whatif.Runner
) -> None:
    seen: list[tuple[int, int]] = []
    out = whatif.outcome(edited, runner, progress=lambda a, b: seen.append((a, b)))
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)
    assert [a for a, _ in seen] == sorted(a for a, _ in seen)
    assert (out.ran, out.reused) == (4, 0)
    assert out.scenario == "datong_corporate" and out.data.baseline == "baseline"
    pd.testing.assert_frame_equal(out.head, headline_effects(out.data))
    zones = out.head[(out.head["metric"] == "zones_active") & (out.head["year"] == 2017)]
    assert len(zones) == 1 and zones["n"].item() == 2
    assert zones["mean"].item() != 0  # without integration the units keep their status

    again = whatif.outcome(edited, runner)
    assert (again.ran, again.reused) == (0, 4)  # same run ids: nothing runs again
    pd.testing.assert_frame_equal(again.head, out.head)


def test_effects_table_in_the_brief_words(edited: whatif.Draft, runner: whatif.Runner) -> None:
    out = whatif.outcome(edited, runner)
    header, rows, colours = whatif.effects_table(out.head, "en")
    assert header[-1] == "Reading" and header[5] == "95 % interval of the mean"
    assert len(rows) == len(out.head) == len(colours)
    words = {r[-1] for r in rows}
    assert words <= {"better", "worse", "unclear", "–"}
    zh_header, zh_rows, _ = whatif.effects_table(out.head, "zh")
    assert zh_header[0] == "指标" and " 至 " in zh_rows[0][5]
    assert {r[-1] for r in zh_rows} <= {"更好", "更差", "不明显", "–"}


def test_a_failing_run_raises_and_the_runner_keeps_working(edited: whatif.Draft) -> None:
    calls = {"n": 0}

    def flaky(specs: list, **kwargs: object) -> RunOutput:
        calls["n"] += 1
        if calls["n"] == 2:
            raise ZeroDivisionError("division by zero in a test run")
        return run_chunk(specs, **kwargs)

    r = whatif.Runner(workers=1, task=flaky)
    with pytest.raises(ZeroDivisionError) as info:
        whatif.outcome(edited, r)
    assert whatif.error_line(info.value) == "ZeroDivisionError: division by zero in a test run"
    out = whatif.outcome(edited, r)  # the finished runs are kept, the rest run now
    assert out.ran == 3 and out.reused == 1


def test_stop_cancels_between_runs(edited: whatif.Draft) -> None:
    r = whatif.Runner(workers=1)
    with pytest.raises(whatif.Cancelled):
        whatif.outcome(replace(edited, seed=99), r, stop=lambda: True)
    r.close()
    with pytest.raises(whatif.Cancelled):  # a closed runner runs nothing more
        whatif.outcome(edited, r)


def test_error_lines_are_one_line() -> None:
    assert whatif.error_line(ValueError("a: expected b\nmore")) == "a: expected b"
    assert whatif.error_line(RuntimeError("")) == "RuntimeError"
    assert whatif.error_line(KeyError("x")) == "KeyError: 'x'"


# ---------------------------------------------------------------- saving


def test_saved_scenario_validates_and_reproduces_the_page(
    edited: whatif.Draft, runner: whatif.Runner, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path = whatif.save(edited, tmp_path / "datong.toml")
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
    command = whatif.reproduce_command(edited, path)
    assert command.startswith(f"zonesim run baseline {path.as_posix()} --reps 2 --seed ")


def test_saving_refuses_and_writes_nothing(edited: whatif.Draft, tmp_path: Path) -> None:
    target = tmp_path / "x.toml"
    target.write_text("keep", encoding="utf-8")
    with pytest.raises(FileExistsError):
        whatif.save(edited, target)
    assert target.read_text(encoding="utf-8") == "keep"
    whatif.save(edited, target, overwrite=True)
    assert check_file(target)[1] == []
    with pytest.raises(ScenarioError, match="name"):
        whatif.save(replace(edited, name="bad name"), tmp_path / "y.toml")
    with pytest.raises(ScenarioError, match=r"\.toml"):
        whatif.save(edited, tmp_path / "y.txt")
    with pytest.raises(FileNotFoundError):
        whatif.save(edited, tmp_path / "missing" / "y.toml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.toml"]


def test_a_posterior_scenario_saves_its_posterior_relative_to_the_file(tmp_path: Path) -> None:
    d = short(whatif.draft("baseline_uncertain"))
    assert d.posterior is not None
    path = whatif.save(d, tmp_path / "uncertain.toml")
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    assert not Path(doc["run"]["posterior"]).is_absolute()
    sc, errors = check_file(path)
    assert errors == [] and Path(sc.run.posterior) == Path(d.posterior)
    base, what, specs = whatif.specs(d)
    assert base.run.posterior == what.run.posterior  # paired on posterior draws too
    assert specs[0].params == specs[2].params  # replicate 0 of both: the same draw


@pytest.mark.slow
def test_a_started_pool_serves_what_ifs_from_threads_that_end(edited: whatif.Draft) -> None:
    """The page runs each what-if in a thread of its own that ends with it."""
    r = whatif.Runner(workers=2)
    r.start()  # the main thread starts the pool (its fork server lives as long as it)
    results: list[object] = []

    def one(seed: int) -> None:
        try:
            results.append(whatif.outcome(replace(edited, seed=seed), r))
        except Exception as exc:  # reported below
            results.append(exc)

    try:
        for seed in (1, 2):
            t = threading.Thread(target=one, args=(seed,))
            t.start()
            t.join()
    finally:
        r.close()
    assert [type(x).__name__ for x in results] == ["Outcome", "Outcome"], results
