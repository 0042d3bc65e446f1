"""The budget plan, the seed streams and recovery of known parameters on the model."""

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
    plan = cal.plan_budget(6000, 9, runs_per_point=3)
    points = plan.replicates * sum(plan.waves) + plan.abc_points + plan.candidates * plan.crn
    assert points * plan.runs_per_point <= 6000
    hm = plan.replicates * sum(plan.waves)
    assert hm == pytest.approx(min(0.4 * 2000, 640), abs=4)
    small = cal.plan_budget(3000, 9, runs_per_point=3)  # below the cap: 40 %
    assert small.replicates * sum(small.waves) == pytest.approx(0.4 * 1000, abs=4)
    assert plan.waves[0] == 2 * plan.waves[1] and plan.population >= 20
    with pytest.raises(ArgumentError, match=r"^budget: expected at least \d+ runs, got 10") as e:
        cal.plan_budget(10, 9)
    # The smallest budget named in the message is enough, and one run less is not.
    need = int(str(e.value).split()[4])
    assert cal.plan_budget(need, 9).budget == need
    with pytest.raises(ArgumentError):
        cal.plan_budget(need - 1, 9)


@pytest.mark.slow
def test_recovers_known_parameters_from_several_patterns(tmp_path: Path) -> None:
    """Patterns made by the model at known parameters fall inside the posterior's 90 %.

    The whole pipeline (history matching with emulators, ABC inside the NROY space,
    best fit, validation) on a short horizon and a tiny budget.
    """
    truth = {"projects_per_year": 9000.0, "exit_hazard": 0.07}
    patterns = {
        "firms": {"metric": "firms", "value": 1.0, "tolerance": 0.02, "relative": True},
        "stat_zone_gdp": {"metric": "stat_zone_gdp", "value": 1.0, "tolerance": 0.03,
                          "relative": True},
        "entry_rate": {"metric": "firm_entries", "over": "firms", "value": 1.0,
                       "tolerance": 0.01},
        "exit_rate": {"metric": "firm_exits", "over": "firms", "value": 1.0, "tolerance": 0.01},
    }  # fmt: skip
    path = write_targets(
        tmp_path / "synthetic.toml", parameters=list(truth), targets=patterns, year=2016,
        extra="min_epsilon = 1.2",
    )  # fmt: skip
    targets = cal.load_targets(path)
    plan = cal.Plan(budget=0, runs_per_point=1, waves=(24, 16, 16), replicates=2,
                    population=40, max_generations=5, abc_points=600, candidates=4, crn=2,
                    validation_runs=4, predictive_runs=10)  # fmt: skip
    with ProcessBackend(2) as backend:
        sims = cal.simulate_targets(
            targets, [truth] * 4, cal.validation_seeds(99, 4), backend=backend,
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
        res = cal.calibrate(targets, backend=backend, out=tmp_path / "cal", seed=5, plan=plan,
                            progress=False, report=False)  # fmt: skip
    for r in res.ident.itertuples():
        assert r.q05 <= truth[r.parameter] <= r.q95, r
    # The data narrow the posterior: it is not just the prior handed back.
    assert res.ident["width_ratio"].max() < 0.5
    assert res.history is not None and res.history.waves[-1].nroy < 0.5
    assert res.abc.generations["epsilon"].iloc[-1] < res.abc.generations["epsilon"].iloc[0]
    assert res.validation["within"].all()


@pytest.mark.slow
def test_leave_one_out_refits_without_each_pattern_and_predicts_it(tmp_path: Path) -> None:
    """Each fit drops one pattern; its row predicts that pattern, never seen by the fit."""
    patterns = {
        "firms": {"metric": "firms", "value": 41000.0, "tolerance": 0.05, "relative": True},
        "entry_rate": {"metric": "firm_entries", "over": "firms", "value": 0.1,
                       "tolerance": 0.05},
        "exit_rate": {"metric": "firm_exits", "over": "firms", "value": 0.08,
                      "tolerance": 0.04},
        "entries_check": {"metric": "firm_entries", "value": 4000.0, "tolerance": 0.5,
                          "relative": True, "validation": True},
    }  # fmt: skip
    path = write_targets(
        tmp_path / "loo.toml", parameters=["projects_per_year", "exit_hazard"],
        targets=patterns, year=2016,
    )  # fmt: skip
    targets = cal.load_targets(path)
    plan = cal.Plan(budget=0, runs_per_point=1, waves=(8, 6, 6), replicates=2, population=20,
                    max_generations=2, abc_points=120, candidates=3, crn=2, validation_runs=4,
                    predictive_runs=6)  # fmt: skip
    with ProcessBackend(2) as backend:
        loo = cal.leave_one_out(targets, backend=backend, out=tmp_path / "cal", seed=3,
                                plan=plan, progress=False)  # fmt: skip
    assert list(loo["pattern"]) == ["firms", "entry_rate", "exit_rate"]  # not the validation one
    for r in loo.itertuples():
        fit = cal.read_validation(tmp_path / "cal" / "loo" / r.pattern).set_index("target")
        # ``fitted`` marks the patterns this fit saw: every fitted one but the one left out
        # (the validation pattern never is).
        seen = {t.name for t in targets.fitted} - {r.pattern}
        assert set(fit.index[fit["fitted"]]) == seen
        assert r.predicted == pytest.approx(fit.loc[r.pattern, "simulated"])
        assert r.predictive_q05 <= r.predictive_q95 and r.q05 <= r.predicted <= r.q95
        assert r.within == (abs(r.error) <= 1 + 1e-9)
    assert (tmp_path / "cal" / cal.LOO_FILE).is_file()
