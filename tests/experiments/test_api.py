"""sim.run_scenarios, several folders in sim.load_results, sweep columns, run counts."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.experiments.errors import ArgumentError
from sim.experiments.store import CombinedResults, Results, StoreError
from sim.experiments.summary import summarize


def spec(name: str, **extra: object) -> dict[str, object]:
    """A scenario mapping with a one-year horizon."""
    return {"name": name, "description": f"What if {name}?", "run": {"end": 2016}, **extra}


SWEEP = spec("deleg", sweep={"delegation_years": [1.5, 6.0]})


def test_run_scenarios_returns_results_with_sweep_columns(tmp_path: Path) -> None:
    out = tmp_path / "b"
    res = sim.run_scenarios(
        [SWEEP, spec("ref")], reps=2, workers=1, out=out, seed=3, progress=False
    )
    assert isinstance(res, Results) and res.missing.empty
    assert res.scenarios == ["deleg[delegation_years=1.5]", "deleg[delegation_years=6]", "ref"]
    for table in (res.runs, res.annual, res.zones):
        # the swept value is a column right after seed, NaN outside the sweep
        assert (
            list(table.columns).index("delegation_years") == list(table.columns).index("seed") + 1
        )
        got = table.groupby("scenario", sort=False)["delegation_years"].first()
        assert got.iloc[0] == 1.5 and got.iloc[1] == 6.0 and pd.isna(got.iloc[2])
    stored = [json.loads(p)["delegation_years"] for p in res.runs["params"]]
    assert stored[:4] == [1.5, 1.5, 6.0, 6.0]  # the runs ran with the values shown
    assert "delegation_years" not in set(summarize(res)["metric"])  # a label, not a metric
    assert res.summary() == "6 runs: 6 ran, 0 reused"
    again = sim.run_scenarios([SWEEP], reps=3, workers=1, out=out, seed=3, progress=False)
    assert again.summary() == "6 runs: 2 ran, 4 reused"


def test_set_applies_to_every_scenario_and_is_recorded(tmp_path: Path) -> None:
    out = tmp_path / "b"
    res = sim.run_scenarios(
        [spec("a"), spec("b", parameters={"exit_rule_on": True})],
        reps=1, workers=1, out=out, set={"exit_rule_on": False}, progress=False,
    )  # fmt: skip
    assert {json.loads(p)["exit_rule_on"] for p in res.runs["params"]} == {0.0}
    assert res.manifest["invocations"][-1]["set"] == {"exit_rule_on": False}
    version = next(iter(res.manifest["scenarios"]["b"]["versions"].values()))
    assert version["set"] == {"exit_rule_on": False}
    with pytest.raises(ArgumentError, match=r"^set exit_rule: .*did you mean 'exit_rule_on'"):
        sim.run_scenarios([spec("a")], reps=1, out=tmp_path / "c", set={"exit_rule": 1})
    with pytest.raises(ArgumentError, match=r"^reps: expected 1 to"):
        sim.run_scenarios([spec("a")], reps=0, out=tmp_path / "c")
    assert not (tmp_path / "c").exists()


def test_several_cities_in_one_assignment_reach_the_model(tmp_path: Path) -> None:
    modes = [{"year": 2016, "mode": "corporate", "zones": "city:大同,Linfen"}]
    res = sim.run_scenarios(
        [spec("two", modes=modes)], reps=1, workers=1, out=tmp_path / "b", progress=False
    )
    zones = res.zones
    located = zones[zones["status"] != "merged"] if "status" in zones else zones
    picked = located[located["city"].isin(["Datong", "Linfen"])]
    assert not picked.empty and set(picked["mode"]) == {"corporate"}
    assert "corporate" not in set(located.loc[located["city"] == "Taiyuan", "mode"])
    stored = json.loads(res.runs["params"].iloc[0])["mode_assignments"][0]["zones"]
    assert stored == "city:Datong,Linfen"


@pytest.fixture
def two_batches(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "base", tmp_path / "whatif"
    kw = {"reps": 2, "workers": 1, "seed": 9, "progress": False}
    sim.run_scenarios([spec("baseline")], out=a, **kw)
    sim.run_scenarios([spec("baseline"), SWEEP], out=b, **kw)
    return a, b


def test_load_results_combines_folders(two_batches: tuple[Path, Path]) -> None:
    a, b = two_batches
    res = sim.load_results(a, b)
    assert isinstance(res, CombinedResults)
    assert sim.load_results([a, b]).scenarios == res.scenarios
    assert res.scenarios == ["baseline", "deleg[delegation_years=1.5]", "deleg[delegation_years=6]"]
    annual = res.annual
    assert list(annual.columns[:2]) == ["batch", "scenario"]
    # the baseline stored in both folders (same runs) is read once, from the first
    assert set(annual.loc[annual["scenario"] == "baseline", "batch"]) == {str(a)}
    assert len(annual) == 6 * annual["year"].nunique()
    assert len(res.runs) == 6 and len(res.zones) > 0
    assert "delegation_years" in annual and set(res.design) == set(res.scenarios[1:])
    assert res.manifest["model_version"] == res.parts[0].manifest["model_version"]


def test_load_results_refuses_other_model_versions(two_batches: tuple[Path, Path]) -> None:
    a, b = two_batches
    manifest = json.loads((b / "manifest.json").read_text())
    manifest["model_version"] = "0.0.1+older"
    (b / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(StoreError, match=r"expected batches of one model version.*0\.0\.1\+older"):
        sim.load_results(a, b)


def test_load_results_refuses_a_scenario_with_other_runs(tmp_path: Path) -> None:
    kw = {"reps": 1, "workers": 1, "progress": False}
    sim.run_scenarios([spec("x")], out=tmp_path / "a", seed=1, **kw)
    sim.run_scenarios([spec("x")], out=tmp_path / "b", seed=2, **kw)
    with pytest.raises(
        StoreError, match=r"scenario 'x' replicate 0: expected the run.*seed \d+ ->"
    ):
        sim.load_results(tmp_path / "a", tmp_path / "b")
    sim.run_scenarios([spec("y")], out=tmp_path / "c", seed=1, **kw)
    sim.run_scenarios([spec("y")], out=tmp_path / "d", seed=1, set={"exit_rule_on": False}, **kw)
    with pytest.raises(StoreError, match=r"exit_rule_on 1\.0 -> 0\.0"):
        sim.load_results(tmp_path / "c", tmp_path / "d")


def test_load_results_merges_folders_that_share_some_runs(tmp_path: Path) -> None:
    kw = {"workers": 1, "seed": 4, "progress": False}
    a, b = tmp_path / "a", tmp_path / "b"
    sim.run_scenarios([spec("x")], reps=4, out=a, **kw)
    sim.run_scenarios([spec("x")], reps=3, out=b, **kw)
    for first, second in ((a, b), (b, a)):
        res = sim.load_results(first, second)
        assert list(res.runs["replicate"]) == [0, 1, 2, 3]
        assert len(res.runs) == 4 and res.runs["run_id"].is_unique
        years = res.annual["year"].nunique()
        assert len(res.annual) == 4 * years
        by_batch = res.runs.groupby("batch")["replicate"].apply(list).to_dict()
        assert by_batch[str(first)] == ([0, 1, 2, 3] if first == a else [0, 1, 2])
        if first == b:
            assert by_batch[str(a)] == [3]  # the run only the second folder has
        pd.testing.assert_frame_equal(
            res.annual.drop(columns="batch").sort_values(["replicate", "year"])
            .reset_index(drop=True),
            sim.load_results(a).annual.sort_values(["replicate", "year"]).reset_index(drop=True),
        )  # fmt: skip


def test_sweep_columns_never_collide_with_table_columns() -> None:
    # swept parameters become columns of the loaded tables: their names must be free there
    from sim.core.params import REGISTRY

    run = sim.simulate(seed=1, end=2016)
    labels = {"batch", "scenario", "replicate", "seed", "year", "sample", "run_id", "start",
              "end", "params"}  # fmt: skip
    assert not set(REGISTRY) & (set(run.annual) | set(run.zones) | labels)
