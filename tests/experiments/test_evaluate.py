"""The shared evaluator: parameter points x seeds -> runs -> metrics at years."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.core.params import resolve
from sim.core.run import simulate
from sim.experiments.backends import SerialBackend
from sim.experiments.evaluate import MetricAt, PointEvaluator
from sim.experiments.store import load_results


def test_points_and_seeds_give_the_model_outputs(tmp_path: Path) -> None:
    points = [resolve(), resolve({"exit_hazard": 0.1})]
    seeds = np.array([[5, 6], [5, 6]])
    outputs = [MetricAt("firms", 2016), MetricAt("firms", 2017), MetricAt("zones_active", 2017)]
    with SerialBackend() as backend:
        runner = PointEvaluator(tmp_path / "b", backend=backend, scenario="t", progress=False)
        Y = runner(points, seeds, outputs, samples=[10, 11], replicates=[0, 1])
        again = runner(points, seeds, outputs, samples=[10, 11], replicates=[0, 1])
    assert Y.shape == (2, 2, 3)
    assert np.array_equal(Y, again)
    for i, p in enumerate(points):
        for c in range(2):
            annual = simulate(p, seed=int(seeds[i, c]), start=2016, end=2017).annual
            annual = annual.set_index("year")
            assert Y[i, c].tolist() == [
                annual.loc[2016, "firms"], annual.loc[2017, "firms"],
                annual.loc[2017, "zones_active"],
            ]  # fmt: skip
    runs = load_results(tmp_path / "b").runs
    assert sorted(zip(runs["sample"], runs["replicate"], strict=True)) == [
        (10, 0), (10, 1), (11, 0), (11, 1)
    ]  # fmt: skip


def test_runs_asked_before_stay_in_the_batch(tmp_path: Path) -> None:
    with SerialBackend() as backend:
        runner = PointEvaluator(tmp_path, backend=backend, scenario="t", progress=False)
        runner([resolve()], [[1]], [MetricAt("firms", 2016)])
        runner([resolve()], [[2]], [MetricAt("firms", 2016)], replicates=[1])
    assert len(load_results(tmp_path).runs) == 2


def test_metric_label() -> None:
    assert MetricAt("firms", 2018).label == "firms@2018"
    with pytest.raises(AttributeError):
        MetricAt("firms", 2018).year = 2019  # frozen


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("firms", "expected metric@year"),
        ("nonsense@2018", "expected a metric of the annual table"),
        ("firms@20x8", "whole year"),
        ("firms@1990", "expected a year from"),
    ],
)
def test_metric_at_errors_name_the_callers_argument(text: str, words: str) -> None:
    from sim.experiments.errors import ArgumentError
    from sim.experiments.evaluate import parse_metric_at

    with pytest.raises(ArgumentError, match=words) as info:
        parse_metric_at(text, argument="targets")
    assert info.value.argument == "targets"


def test_metric_lists_parse_into_the_callers_class_and_refuse_repeats() -> None:
    from dataclasses import dataclass

    from sim.experiments.errors import ArgumentError
    from sim.experiments.evaluate import MetricAt, parse_metric_list

    @dataclass(frozen=True)
    class Tagged(MetricAt):
        pass

    out = parse_metric_list("firms@2018, stat_zone_gdp@2035", argument="a", cls=Tagged)
    assert out == (Tagged("firms", 2018), Tagged("stat_zone_gdp", 2035))
    with pytest.raises(ArgumentError, match="listed twice"):
        parse_metric_list(["firms@2018", "firms@2018"], argument="a")
    with pytest.raises(ArgumentError, match="at least one"):
        parse_metric_list(" , ", argument="a")
