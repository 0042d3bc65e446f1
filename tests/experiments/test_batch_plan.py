"""Planning a batch: common random numbers, one master seed, posterior draws, chunks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from sim.experiments.batch import default_chunk_size, scenario_specs
from sim.experiments.posterior import replicate_params
from sim.experiments.scenarios import load_scenario
from sim.experiments.seeds import replicate_seed


def test_common_random_numbers_pair_replicates(
    tmp_path: Path, scenario_file: Callable[..., Path]
) -> None:
    a = load_scenario(scenario_file("a"))
    b = load_scenario(scenario_file("b", "[parameters]\nexit_rule_on = false"))
    specs = scenario_specs([a, b], reps=3)
    seeds = {(s.scenario, s.replicate): s.seed for s in specs}
    for k in range(3):
        assert seeds["a", k] == seeds["b", k] == replicate_seed(11, k)
    assert len({seeds["a", k] for k in range(3)}) == 3
    assert [s.seed for s in scenario_specs([a], seed=99)] == [replicate_seed(99, k) for k in (0, 1)]


def test_scenarios_with_different_master_seeds_need_a_seed(
    tmp_path: Path, scenario_file: Callable[..., Path]
) -> None:
    a = load_scenario(scenario_file("a"))
    b = load_scenario(scenario_file("b", run="[run]\nend = 2017\nseed = 12\n"))
    with pytest.raises(ValueError, match=r"b.toml: run.seed: expected the master seed"):
        scenario_specs([a, b])
    assert len(scenario_specs([a, b], seed=1, reps=1)) == 2
    with pytest.raises(ValueError, match="name: expected a name not used"):
        scenario_specs([a, a])


def _posterior(path: Path) -> Path:
    pd.DataFrame(
        {"startup_density": [0.5, 1.0, 1.5], "exit_hazard": [0.05, 0.06, 0.07], "weight": 1.0}
    ).to_csv(path, index=False)
    return path


def test_posterior_scenario_draws_parameters_per_replicate(scenario_file, tmp_path) -> None:
    post = _posterior(tmp_path / "post.csv")
    run = '[run]\nstart = 2016\nend = 2017\nreplications = 6\nseed = 5\nposterior = "post.csv"\n'
    sc = load_scenario(scenario_file("uncertain", "[parameters]\nexit_hazard = 0.09\n", run=run))
    assert sc.run.posterior == str(post.resolve())
    specs = scenario_specs([sc])
    drawn = {s.params["startup_density"] for s in specs}
    assert drawn <= {0.5, 1.0, 1.5} and len(drawn) > 1
    assert {s.params["exit_hazard"] for s in specs} == {0.09}  # the scenario's lever wins
    for s in specs:
        assert s.params == replicate_params(post, 5, s.replicate, sc.overrides)


def test_default_chunk_size() -> None:
    assert default_chunk_size(8, 2) == 1
    assert default_chunk_size(1000, 2) == 10
    assert default_chunk_size(100, 2) == 10
    assert default_chunk_size(30, 2) == 4
