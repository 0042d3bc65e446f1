"""What-ifs: paired runs through the run boundary, the brief's effects."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from sim.analysis.brief import headline_effects
from sim.app import whatif
from sim.app.draft import Draft
from sim.app.runner import Runner
from sim.experiments.scenarios import (
    load_scenario,
    shipped_dir,
)
from sim.experiments.seeds import replicate_seed


def test_runs_are_paired_with_the_baseline(edited: Draft) -> None:
    base, what, specs = whatif.specs(replace(edited, seeds=3, seed=5))
    assert base.name == "baseline" and what.name == "datong_corporate"
    assert [s.scenario for s in specs] == ["baseline"] * 3 + ["datong_corporate"] * 3
    seeds = [replicate_seed(5, k) for k in range(3)]
    assert [s.seed for s in specs[:3]] == seeds == [s.seed for s in specs[3:]]
    assert all(s.end == 2017 for s in specs)
    assert specs[0].params == load_scenario(shipped_dir() / "baseline.toml").params


def test_outcome_is_the_brief_headline_table_of_the_runs(edited: Draft, runner: Runner) -> None:
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


def test_effects_table_in_the_brief_words(edited: Draft, runner: Runner) -> None:
    out = whatif.outcome(edited, runner)
    header, rows, colours = whatif.effects_table(out.head, "en")
    assert header[-1] == "Reading" and header[5] == "95 % interval of the mean"
    assert len(rows) == len(out.head) == len(colours)
    words = {r[-1] for r in rows}
    assert words <= {"better", "worse", "unclear", "–"}
    zh_header, zh_rows, _ = whatif.effects_table(out.head, "zh")
    assert zh_header[0] == "指标" and " 至 " in zh_rows[0][5]
    assert {r[-1] for r in zh_rows} <= {"更好", "更差", "不明显", "–"}
