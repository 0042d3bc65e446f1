"""Problems and outputs: parsing and registry bounds."""

from __future__ import annotations

import numpy as np
import pytest

from sim.analysis import sensitivity as sa
from sim.core.params import REGISTRY, groups, resolve, salib_problem
from sim.core.run import METRICS


def test_parse_outputs_defaults_and_lists():
    specs = sa.parse_outputs(None)
    assert [s.label for s in specs] == list(sa.DEFAULT_OUTPUTS)
    assert all(s.metric in METRICS for s in specs)
    specs = sa.parse_outputs("firms@2018, zones_delisted@2035")
    assert specs == (sa.OutputSpec("firms", 2018), sa.OutputSpec("zones_delisted", 2035))


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("firms", "expected metric@year"),
        ("firms@", "expected metric@year"),
        ("unicorns@2018", "expected a metric"),
        ("firms@20x8", "whole year"),
        ("firms@1990", "from 2016"),
        ("firms@2018,firms@2018", "listed twice"),
        (",", "at least one"),
    ],
)
def test_parse_outputs_rejects_bad_specs(text, fragment):
    with pytest.raises(sa.SensitivityError, match=fragment):
        sa.parse_outputs(text)


def test_default_problem_is_the_registry_without_booleans():
    problem = sa.build_problem()
    assert problem == salib_problem()
    assert not any(REGISTRY[n].kind == "bool" for n in problem["names"])
    for name, (lo, hi) in zip(problem["names"], problem["bounds"], strict=True):
        assert (lo, hi) == (REGISTRY[name].lower, REGISTRY[name].upper)
    varied = {n for n, p in REGISTRY.items() if p.kind != "bool" and p.lower < p.upper}
    assert set(problem["names"]) == varied


def test_grouped_problem_uses_registry_groups():
    problem = sa.build_problem(grouped=True)
    assert problem["groups"] == [REGISTRY[n].group for n in problem["names"]]
    assert set(sa.factor_names(problem)) <= set(groups())


def test_named_problem_and_errors():
    problem = sa.build_problem("beta_services, exit_hazard")
    assert problem["names"] == ["beta_services", "exit_hazard"]
    with pytest.raises(sa.SensitivityError, match="nope: expected a registered"):
        sa.build_problem(["beta_services", "nope"])
    with pytest.raises(sa.SensitivityError, match="listed twice"):
        sa.build_problem(["beta_services", "beta_services"])
    with pytest.raises(sa.SensitivityError, match="at least two"):
        sa.build_problem(["beta_services"])


def test_overrides_round_integers_threshold_booleans_and_validate():
    problem = sa.build_problem(["exit_consecutive_years", "exit_rule_on", "assessment_year"])
    X = np.array([[2.49, 0.49, 2018.3], [2.51, 0.5, 2020.0], [5.0000001, 1.0, 2035.0]])
    over = sa.to_overrides(problem, X)
    assert [o["exit_consecutive_years"] for o in over] == [2.0, 3.0, 5.0]
    assert [o["exit_rule_on"] for o in over] == [0.0, 1.0, 1.0]
    assert over[0]["assessment_year"] == 2018.3  # decimal years stay decimal
    # Every override of a full-registry design passes the registry's validation.
    design = sa.make_design("morris", sa.build_problem(), 4, seed=1)
    for o in sa.to_overrides(design.problem, design.X):
        resolve(o)
