from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

from sim.analysis import calibration as cal
from sim.core.params import ParameterError
from sim.experiments.backends import ProcessBackend, SerialBackend
from sim.experiments.errors import ArgumentError


def write_targets(
    path: Path,
    *,
    parameters: list[str],
    targets: dict[str, dict],
    year: int = 2018,
    extra: str = "",
) -> Path:
    lines = ["[calibration]", f"year = {year}", f"parameters = {parameters!r}", extra]
    for name, t in targets.items():
        lines.append(f"[targets.{name}]")
        for k, v in t.items():
            v = str(v).lower() if isinstance(v, bool) else repr(v)
            lines.append(f"{k} = {v}")
    path.write_text("\n".join(lines).replace("'", '"') + "\n")
    return path


TOY = {
    "firms": {"metric": "firms", "value": 150.0, "tolerance": 10.0},
    "stat_zone_gdp": {"metric": "stat_zone_gdp", "value": 50.0, "tolerance": 2.0},
}


def toy_evaluate(calls: list[str] | None = None):
    """Moments 1000 * young_growth and 100 * entrant_size plus seeded noise."""

    def evaluate(step: str, thetas: np.ndarray, seeds: np.ndarray) -> np.ndarray:
        if calls is not None:
            calls.append(step)
        out = np.empty((*seeds.shape, 2))
        for i in range(seeds.shape[0]):
            for r in range(seeds.shape[1]):
                e = np.random.default_rng(int(seeds[i, r])).standard_normal(2)
                out[i, r] = [1000 * thetas[i, 0] + 5 * e[0], 100 * thetas[i, 1] + 1 * e[1]]
        return out

    return evaluate


@pytest.fixture
def toy_targets(tmp_path: Path) -> cal.Targets:
    path = write_targets(
        tmp_path / "toy.toml", parameters=["young_growth", "entrant_size"], targets=TOY
    )
    return cal.load_targets(path)


# ----------------------------------------------------------------------------- targets file
def test_shipped_targets() -> None:
    t = cal.load_targets()
    by = {x.name: x for x in t.targets}
    assert by["firms"].value == 43031 and by["firms"].abs_tolerance == pytest.approx(860.62)
    assert by["stat_zone_gdp"].value == 2347
    assert by["stat_zone_gdp_growth"].value == 13.9
    assert by["growth_gap_pp"].value == 7.2 and not by["growth_gap_pp"].fitted
    assert by["demonstration_staff"].table == "zones" and by["demonstration_staff"].zone_id == "Z01"
    assert {x.name for x in t.fitted} == {"firms", "stat_zone_gdp", "stat_zone_gdp_growth"}
    structural = {x.name for x in t.targets if x.structural}
    assert structural >= {"zones_active", "industrial_area_km2", "operators", "demonstration_staff"}
    assert all(x.source for x in t.targets)


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"parameters": ["nope"]}, "calibration.parameters[0]"),
        ({"parameters": ["integration_on"]}, "continuous parameter"),
        ({"target": {"metric": "gdp_of_mars", "value": 1, "tolerance": 1}}, "targets.x.metric"),
        ({"target": {"metric": "firms", "value": 1, "tolerance": 0}}, "targets.x.tolerance"),
        (
            {"target": {"metric": "firms", "value": 1, "tolerance": 1, "colour": 1}},
            "targets.x.colour",
        ),
        ({"target": {"metric": "firms", "tolerance": 1}}, "targets.x.value"),
        ({"target": {"metric": "staff", "value": 1, "tolerance": 0, "table": "zones"}}, "zone_id"),
    ],
)
def test_bad_targets_name_file_and_key(tmp_path: Path, change: dict, needle: str) -> None:
    params = change.get("parameters", ["young_growth"])
    targets = {"x": change["target"]} if "target" in change else TOY
    path = write_targets(tmp_path / "bad.toml", parameters=params, targets=targets)
    with pytest.raises(cal.TargetsError, match=r"bad\.toml") as info:
        cal.load_targets(path)
    assert needle in str(info.value)


def test_missing_targets_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"none\.toml"):
        cal.load_targets(tmp_path / "none.toml")


def test_distance_scales_by_tolerance(toy_targets: cal.Targets) -> None:
    m = np.array([[160.0, 50.0], [150.0, 46.0]])
    assert cal.distance(toy_targets, m) == pytest.approx([1.0, 2.0])


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


# ----------------------------------------------------------------------------- algorithms
def test_search_finds_the_toy_optimum(toy_targets: cal.Targets) -> None:
    best = cal.search(toy_targets, toy_evaluate(), seed=1, crn=2, popsize=8, maxiter=30,
                      progress=False)  # fmt: skip
    assert best.theta == pytest.approx([0.15, 0.5], abs=0.01)
    assert best.distance < 0.5


def test_search_is_deterministic(toy_targets: cal.Targets) -> None:
    a = cal.search(toy_targets, toy_evaluate(), seed=3, crn=2, popsize=4, maxiter=3, progress=False)
    b = cal.search(toy_targets, toy_evaluate(), seed=3, crn=2, popsize=4, maxiter=3, progress=False)
    assert np.array_equal(a.theta, b.theta)


def test_abc_smc_recovers_known_posterior(toy_targets: cal.Targets) -> None:
    res = cal.abc_smc(toy_targets, toy_evaluate(), seed=2, population=200, max_generations=6,
                      progress=False)  # fmt: skip
    mean = res.weights @ res.particles
    # Observation noise sd 5 (resp. 1) on 1000 * theta (resp. 100 * theta): the exact
    # posterior is centred on (0.15, 0.5) with sd 0.005 (0.01), widened by the tolerance.
    assert mean == pytest.approx([0.15, 0.5], abs=0.006)
    ident = cal.identifiability(toy_targets, res.particles, res.weights)
    assert (ident["verdict"] == "identified").all()
    assert (ident["q05"] < [0.15, 0.5]).all() and (ident["q95"] > [0.15, 0.5]).all()
    eps = res.generations["epsilon"].to_numpy()
    assert np.all(np.diff(eps) < 0)
    assert res.weights.sum() == pytest.approx(1.0)


def test_abc_resumes_by_generation(tmp_path: Path, toy_targets: cal.Targets) -> None:
    calls: list[str] = []
    kw = {"seed": 4, "population": 50, "max_generations": 3, "progress": False}
    a = cal.abc_smc(toy_targets, toy_evaluate(calls), store=tmp_path, **kw)
    assert calls
    calls.clear()
    b = cal.abc_smc(toy_targets, toy_evaluate(calls), store=tmp_path, **kw)
    assert calls == []  # every generation read back
    assert np.array_equal(a.particles, b.particles) and np.array_equal(a.weights, b.weights)
    # Drop the last generation: only it is recomputed, identically.
    last = sorted(tmp_path.glob("generation_*.parquet"))[-1]
    last.unlink()
    c = cal.abc_smc(toy_targets, toy_evaluate(calls), store=tmp_path, **kw)
    assert calls and all(s.startswith(f"abc/gen_{last.stem[-2:]}") for s in calls)
    assert np.array_equal(a.particles, c.particles)


def test_abc_respects_run_budget(toy_targets: cal.Targets) -> None:
    calls: list[str] = []
    res = cal.abc_smc(toy_targets, toy_evaluate(calls), seed=1, population=20,
                      max_generations=50, max_runs=200, progress=False)  # fmt: skip
    assert int(res.generations["runs"].iloc[-1]) <= 200
    assert len(calls) * 20 <= 200


def test_identifiability_flags_flat_parameters(toy_targets: cal.Targets) -> None:
    rng = np.random.default_rng(0)
    particles = np.column_stack([rng.uniform(0, 0.3, 2000), rng.normal(0.5, 0.02, 2000)])
    ident = cal.identifiability(toy_targets, particles, np.full(2000, 1 / 2000))
    assert ident["verdict"].tolist() == ["not identified", "identified"]


def test_write_defaults_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "calibrated.toml"
    cal.write_defaults(path, ["exit_hazard", "entrant_size"], [0.0612345678, 0.5], "header")
    doc = tomllib.loads(path.read_text())
    assert doc["defaults"] == {"exit_hazard": 0.0612346, "entrant_size": 0.5}
    with pytest.raises(ParameterError, match="exit_hazard"):
        cal.write_defaults(tmp_path / "bad.toml", ["exit_hazard"], [5.0], "")
    assert not (tmp_path / "bad.toml").exists()


# ----------------------------------------------------------------------------- with the model
def test_evaluator_same_on_every_backend(tmp_path: Path, toy_targets: cal.Targets) -> None:
    thetas = np.array([[0.1, 0.3], [0.2, 0.6]])
    seeds = np.array([[11, 12], [11, 12]])
    t = cal.Targets(**{**toy_targets.__dict__, "year": 2016})
    with SerialBackend() as serial, ProcessBackend(2) as procs:
        a = cal.Evaluator(t, serial, tmp_path / "a", progress=False)("s", thetas, seeds)
        b = cal.Evaluator(t, procs, tmp_path / "b", progress=False)("s", thetas, seeds)
    assert a.shape == (2, 2, 2)
    assert np.array_equal(a, b)
    assert a[0, 0, 0] == a[0, 0, 0] and not np.array_equal(a[0], a[1])


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
