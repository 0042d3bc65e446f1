"""The budget plan, the seed streams and recovery of known parameters."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.analysis import calibration as cal
from sim.experiments.backends import ProcessBackend
from sim.experiments.errors import ArgumentError

from .toy import write_targets


def test_seed_streams_disjoint() -> None:
    crn = set(cal.crn_seeds(5, 50))
    val = set(cal.validation_seeds(5, 50))
    assert not crn & val and len(crn) == len(val) == 50
    assert cal.crn_seeds(5, 3) == cal.crn_seeds(5, 10)[:3]


def test_plan_budget_respects_budget() -> None:
    plan = cal.plan_budget(6000, 9)
    search_runs = plan.popsize * 9 * plan.crn * (plan.maxiter + 1)
    assert search_runs + plan.abc_runs == 6000 and plan.population >= 20
    with pytest.raises(ArgumentError, match=r"^budget: expected at least 100"):
        cal.plan_budget(10, 9)


@pytest.mark.slow
def test_recovers_known_parameters(tmp_path: Path) -> None:
    """Targets made by the model at known parameters fall inside the posterior's 90 %."""
    truth = {"projects_per_year": 9000.0, "exit_hazard": 0.07}
    base = cal.prior_params()
    path = write_targets(
        tmp_path / "synthetic.toml",
        parameters=list(truth),
        targets={
            "firms": {"metric": "firms", "value": 1.0, "tolerance": 0.02, "relative": True},
            "stat_zone_gdp": {
                "metric": "stat_zone_gdp",
                "value": 1.0,
                "tolerance": 0.03,
                "relative": True,
            },
            "growth": {"metric": "stat_zone_gdp_growth", "value": 1.0, "tolerance": 0.5},
        },
        extra="min_epsilon = 0.6",
    )
    targets = cal.load_targets(path)
    with ProcessBackend(2) as backend:
        sims = cal.simulate_targets(
            targets, [{**base, **truth}] * 4, cal.validation_seeds(99, 4), backend=backend,
            folder=tmp_path / "truth",
        )  # fmt: skip
        observed = {t.name: float(sims[t.name].mean()) for t in targets.targets}
        targets = cal.Targets(
            **{
                **targets.__dict__,
                "targets": tuple(
                    cal.Target(**{**t.__dict__, "value": observed[t.name]}) for t in targets.targets
                ),
            }
        )
        evaluate = cal.Evaluator(targets, backend, tmp_path / "work", progress=False)
        res = cal.abc_smc(targets, evaluate, seed=5, population=40, max_generations=4,
                          progress=False)  # fmt: skip
    ident = cal.identifiability(targets, res.particles, res.weights)
    for r in ident.itertuples():
        assert r.q05 <= truth[r.parameter] <= r.q95, r
    # The data narrow the posterior: it is not just the prior handed back.
    assert ident["width_ratio"].min() < 0.8
    assert res.generations["epsilon"].iloc[-1] < res.generations["epsilon"].iloc[0]
