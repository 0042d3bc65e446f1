from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from SALib.test_functions import Ishigami

from sim.analysis import sensitivity as sa
from sim.core.params import REGISTRY, groups, resolve, salib_problem
from sim.core.run import METRICS

ISHIGAMI = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-math.pi, math.pi]] * 3}
# Analytic indices for a = 7, b = 0.1 (Saltelli et al. 2008, The Primer).
S1_TRUE = np.array([0.3139, 0.4424, 0.0])
ST_TRUE = np.array([0.5576, 0.4424, 0.2437])
VAR_TRUE = 7**2 / 8 + 0.1 * math.pi**4 / 5 + 0.1**2 * math.pi**8 / 18 + 0.5


def _ishigami(**kwargs):
    noise_sd = kwargs.pop("noise_sd", 0.0)
    method = kwargs.pop("method", "sobol")
    evaluate = sa.function_evaluator(Ishigami.evaluate, noise_sd=noise_sd, seed=7)
    defaults = {"n": 2048, "seed": 2024, "resamples": 300}
    return sa.run_analysis(method, ISHIGAMI, ["y"], evaluate, **{**defaults, **kwargs})


# --------------------------------------------------------------- known answers


def test_sobol_ishigami_reproduces_analytic_indices():
    result = _ishigami()
    idx = result.indices
    assert list(idx["parameter"]) == ["x1", "x2", "x3"]
    np.testing.assert_allclose(idx["S1"], S1_TRUE, atol=0.04)
    np.testing.assert_allclose(idx["ST"], ST_TRUE, atol=0.04)
    # The intervals cover the truth and the noise-free output reports no noise.
    assert np.all(np.abs(idx["ST"] - ST_TRUE) <= idx["ST_conf"] + 0.01)
    assert result.noise["noise_share"].iloc[0] == pytest.approx(0.0, abs=1e-12)
    # Convergence report: influential = x1, x2 (both orders) and x3 (total order).
    infl = result.influential()
    assert set(zip(infl["parameter"], infl["index"], strict=True)) == {
        ("x1", "S1"), ("x2", "S1"), ("x1", "ST"), ("x2", "ST"), ("x3", "ST")
    }  # fmt: skip


def test_ishigami_with_noise_reports_noise_share_and_adjusted_indices_are_unbiased():
    sd = 1.5
    result = _ishigami(noise_sd=sd, n=4096, noise_points=128, noise_replicates=4)
    true_share = sd**2 / (VAR_TRUE + sd**2)
    noise = result.noise.iloc[0]
    assert noise["noise_var_low"] <= sd**2 <= noise["noise_var_high"]
    assert noise["noise_share"] == pytest.approx(true_share, rel=0.15)
    idx = result.indices
    # Raw first-order indices are biased down by the noise (the correction matters) ...
    assert idx["S1"].iloc[1] < S1_TRUE[1] - 0.04
    # ... the adjusted ones recover the analytic values.
    np.testing.assert_allclose(idx["S1_adj"], S1_TRUE, atol=0.04)
    np.testing.assert_allclose(idx["ST_adj"], ST_TRUE, atol=0.04)


def test_ishigami_averaging_replicates_divides_the_noise_share():
    sd = 1.5
    one = _ishigami(noise_sd=sd, n=512, noise_points=64)
    four = _ishigami(noise_sd=sd, n=512, noise_points=64, replicates=4)
    assert four.noise["noise_var_mean"].iloc[0] == pytest.approx(
        four.noise["noise_var"].iloc[0] / 4
    )
    assert four.noise["noise_share"].iloc[0] == pytest.approx(
        one.noise["noise_share"].iloc[0] / 4, rel=0.35
    )
    assert four.meta["runs"] == len(four.design.X) * 4 + 64 * 4


def test_morris_ishigami_ranks_and_noise_floor():
    result = _ishigami(method="morris", n=40, noise_sd=0.5, noise_points=32)
    idx = result.indices.set_index("parameter")
    assert set(idx.columns) >= {"mu", "mu_star", "mu_star_conf", "sigma", "mu_star_noise_floor"}
    # x1 and x2 dominate mu*; x3 acts only through its interaction (sigma > mu*/2).
    assert idx.loc["x3", "sigma"] > idx.loc["x3", "mu_star"] / 2
    floor = idx["mu_star_noise_floor"].iloc[0]
    assert floor == pytest.approx(2 * 0.5 / math.sqrt(math.pi) / (2 / 3), rel=0.35)
    assert np.all(idx["mu_star"] > floor)


def test_pawn_ishigami_finds_x3_without_main_effect():
    result = _ishigami(method="pawn", n=1024)
    median = result.indices.set_index("parameter")["median"]
    assert median.notna().all()
    assert median.idxmin() == "x3"  # x3 acts only through its interaction with x1
    assert median["x3"] < 0.5 * median["x1"]


def test_dgsm_ishigami_reproduces_analytic_derivative_measures():
    # nu_i = E[(df/dx_i)^2]: a^2/2; (1 + 2b pi^4/5 + b^2 pi^8/9)/2; 8 b^2 pi^6/7.
    a, b = 7.0, 0.1
    nu = [
        (1 + 2 * b * math.pi**4 / 5 + b**2 * math.pi**8 / 9) / 2,
        a**2 / 2,
        8 * b**2 * math.pi**6 / 7,
    ]
    result = _ishigami(method="dgsm", n=1024)
    np.testing.assert_allclose(result.indices["vi"], nu, rtol=0.1)


def test_replicates_alone_measure_the_noise():
    result = _ishigami(n=64, noise_sd=1.0, replicates=3, noise_points=16, noise_replicates=0)
    noise = result.noise.iloc[0]
    assert noise["probe_points"] == 16 and noise["probe_runs"] == 3
    assert noise["noise_var_low"] <= 1.0 <= noise["noise_var_high"]


def test_without_noise_probe_indices_are_still_judged():
    result = _ishigami(method="morris", n=20, noise_points=0)
    assert result.noise["noise_var"].isna().all()
    assert set(result.influential()["parameter"]) == {"x1", "x2", "x3"}
    assert "Not measured" in sa.render_report(result)


def test_analysis_is_deterministic_for_a_seed():
    a = _ishigami(n=256)
    b = _ishigami(n=256)
    pd.testing.assert_frame_equal(a.indices, b.indices)
    c = _ishigami(n=256, seed=2025)
    assert not np.array_equal(a.design.X, c.design.X)


def test_write_outputs_sobol_tables_figures_and_report(tmp_path):
    import matplotlib

    backend = matplotlib.get_backend()
    result = _ishigami(n=256)
    sa.write_outputs(result, tmp_path)
    table = pd.read_parquet(tmp_path / "indices.parquet")
    assert list(table.columns[:6]) == ["parameter", "output", "S1", "S1_conf", "ST", "ST_conf"]
    pd.testing.assert_frame_equal(table, pd.read_csv(tmp_path / "indices.csv"), atol=1e-9)
    for name in ("sobol_indices.png", "convergence.png"):
        assert (tmp_path / "figures" / name).stat().st_size > 0
    report = (tmp_path / "report.md").read_text()
    assert "## Influential indices" in report and "x1 ST" in report
    assert matplotlib.get_backend() == backend  # the caller's backend is left alone


# --------------------------------------------------------------- outputs


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


# --------------------------------------------------------------- problem


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


def test_design_sizes_and_errors():
    problem = sa.build_problem(["beta_services", "exit_hazard", "three_systems_rollout"])
    assert len(sa.make_design("sobol", problem, 64, seed=1).X) == 64 * 5
    assert len(sa.make_design("morris", problem, 6, seed=1).X) == 6 * 4
    assert len(sa.make_design("pawn", problem, 64, seed=1).X) == 64
    assert len(sa.make_design("dgsm", problem, 10, seed=1).X) == 10 * 4
    with pytest.raises(sa.SensitivityError, match=r"^n: expected a power of two"):
        sa.make_design("sobol", problem, 100, seed=1)
    with pytest.raises(sa.SensitivityError, match=r"^method 'fast': expected one of"):
        sa.make_design("fast", problem, 64, seed=1)
    grouped = sa.build_problem(grouped=True)
    with pytest.raises(sa.SensitivityError, match=r"^grouped: expected method morris or sobol"):
        sa.make_design("pawn", grouped, 64, seed=1)
    # Grouped Morris: one trajectory step per group.
    assert len(sa.make_design("morris", grouped, 4, seed=1).X) == 4 * (len(groups()) + 1)


def test_convergence_flags_wide_intervals():
    full = pd.DataFrame(
        {"parameter": ["a", "b", "c"], "output": "y", "S1": [0.5, 0.2, 0.01],
         "S1_conf": [0.02, 0.05, 0.02], "ST": [0.6, 0.3, 0.02], "ST_conf": [0.03, 0.01, 0.01]}
    )  # fmt: skip
    conv = sa.convergence_table("sobol", full, full)
    s1 = conv[conv["index"] == "S1"].set_index("parameter")
    assert list(s1["influential"]) == [True, True, False]
    assert list(s1["converged"]) == [True, False, False]


# --------------------------------------------------------------- model path


SMALL = ["beta_services", "exit_hazard"]


def test_model_evaluator_uses_common_random_numbers(tmp_path):
    problem = sa.build_problem(SMALL)
    ev = sa.ModelEvaluator(
        problem, sa.parse_outputs("firms@2017"), tmp_path, backend=None, seed=3, progress=False
    )
    X = np.array([[1.0, 0.05], [2.0, 0.10]])
    specs = ev.specs(X, [0, 1], [0, 1])
    seeds = {(s.sample, s.replicate): s.seed for s in specs}
    assert seeds[(0, 0)] == seeds[(1, 0)] != seeds[(0, 1)] == seeds[(1, 1)]
    assert specs[2].params["beta_services"] == 2.0
    assert specs[0].end == 2017


def test_model_analysis_writes_tables_and_resumes(tmp_path):
    kwargs = {
        "params": SMALL,
        "outputs": "firms@2017,growth_gap_pp@2017",
        "n": 4,
        "seed": 5,
        "workers": 1,
        "out": tmp_path / "sa",
        "noise_points": 1,
        "noise_replicates": 1,
        "resamples": 50,
        "progress": False,
    }
    first, out = sa.run_sensitivity("morris", **kwargs)
    assert first.meta["runs"] == 4 * 3 + 1
    for name in ("indices", "convergence", "noise", "design"):
        assert (out / f"{name}.csv").is_file() and (out / f"{name}.parquet").is_file()
    table = pd.read_csv(out / "indices.csv")
    assert {"parameter", "output", "mu_star", "mu_star_conf", "sigma"} <= set(table.columns)
    assert set(table["output"]) == {"firms@2017", "growth_gap_pp@2017"}
    assert (out / "figures" / "morris_mu_star_sigma.png").is_file()
    assert "## Convergence" in (out / "report.md").read_text()
    # Resume: the same analysis again runs nothing and gives the same indices.
    second, _ = sa.run_sensitivity("morris", **kwargs)
    manifest = json.loads((out / "runs" / "manifest.json").read_text())
    assert manifest["runs"]["skipped"] == manifest["runs"]["total"] == 13
    pd.testing.assert_frame_equal(first.indices, second.indices)
    # Another analysis in the same folder is refused before anything runs.
    with pytest.raises(sa.SensitivityError, match="another analysis"):
        sa.run_sensitivity("morris", **{**kwargs, "n": 6})


def test_model_indices_do_not_depend_on_the_number_of_workers(tmp_path):
    kwargs = {
        "params": SMALL,
        "outputs": "firms@2017",
        "n": 4,
        "seed": 9,
        "noise_points": 1,
        "noise_replicates": 1,
        "resamples": 50,
        "progress": False,
    }
    serial, _ = sa.run_sensitivity("morris", workers=1, out=tmp_path / "one", **kwargs)
    pooled, _ = sa.run_sensitivity("morris", workers=2, out=tmp_path / "two", **kwargs)
    pd.testing.assert_frame_equal(serial.indices, pooled.indices)
    pd.testing.assert_frame_equal(serial.noise, pooled.noise)
