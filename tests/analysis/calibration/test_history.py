"""Screening, history matching in waves and ABC inside the NROY space (analytic toy model)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.analysis import calibration as cal

from .toy import toy_evaluate, write_targets

#: Known parameters of the toy model; targets are its noise-free patterns there.
TRUTH = {"young_growth": 0.15, "entrant_size": 0.5}


def _targets(tmp_path: Path, *, unreachable: bool = False) -> cal.Targets:
    targets = {
        "firms": {"metric": "firms", "value": 150.0, "tolerance": 10.0},
        "stat_zone_gdp": {"metric": "stat_zone_gdp", "value": 50.0, "tolerance": 2.0},
        "stat_zone_gdp_growth": {"metric": "stat_zone_gdp_growth", "value": 5.5,
                                 "tolerance": 0.5},
    }  # fmt: skip
    if unreachable:
        targets["firm_exits"] = {"metric": "firm_exits", "value": 100.0, "tolerance": 1.0}
    return cal.load_targets(write_targets(
        tmp_path / "t.toml", targets=targets,
        parameters=["young_growth", "entrant_size", "shock_scale", "exit_hazard"],
        extra="screen_threshold = 0.02\nmin_epsilon = 0.6",
    ))  # fmt: skip


def _screened(t: cal.Targets) -> cal.Targets:
    return cal.Targets(**{**t.__dict__, "screened": True})


def test_screening_keeps_only_parameters_the_patterns_speak_to(tmp_path: Path) -> None:
    t = _screened(_targets(tmp_path))
    h = cal.history_match(t, toy_evaluate(), seed=1, points=(40,), progress=False)
    assert h.targets.parameters == ("young_growth", "entrant_size")
    row = h.screening.set_index("parameter")
    assert not row.loc["shock_scale", "calibrated"] and row.loc["shock_scale", "main_effect"] < 0.02
    assert row.loc["young_growth", "pattern"] == "firms"
    assert h.sensitivity.loc["firms", "young_growth"] > 0.9
    assert h.sensitivity.loc["stat_zone_gdp", "entrant_size"] > 0.9


def test_waves_shrink_the_nroy_space_around_the_truth(tmp_path: Path) -> None:
    t = _screened(_targets(tmp_path))
    h = cal.history_match(t, toy_evaluate(), seed=1, points=(40, 30, 30), progress=False)
    shares = [w.nroy for w in h.waves]
    assert shares[0] < 0.2 and shares[-1] <= shares[0] and shares[-1] > 0
    lo, hi = h.targets.bounds.T
    truth = (np.array([TRUTH[n] for n in h.targets.parameters]) - lo) / (hi - lo)
    assert h.nroy(truth[None])[0]
    # Later designs lie inside the space earlier waves left.
    assert cal.NROY(h.targets, h.nroy.emulators[:1], h.nroy.cutoffs[:1])(h.waves[1].design).all()


def test_unreachable_pattern_is_dropped_and_named(tmp_path: Path) -> None:
    t = _screened(_targets(tmp_path, unreachable=True))
    h = cal.history_match(t, toy_evaluate(), seed=1, points=(40, 20), progress=False)
    assert set(h.unreachable) == {"firm_exits"} and h.unreachable["firm_exits"] > 3
    assert "firm_exits" not in {x.name for x in h.targets.fitted}
    assert h.waves[-1].nroy > 0


def test_history_matching_resumes_from_wave_files(tmp_path: Path) -> None:
    t = _screened(_targets(tmp_path))
    calls: list[str] = []
    kw = {"seed": 4, "points": (30, 20), "progress": False, "store": tmp_path / "h"}
    a = cal.history_match(t, toy_evaluate(calls), **kw)
    assert calls == ["history/wave_01", "history/wave_02"]
    calls.clear()
    b = cal.history_match(t, toy_evaluate(calls), **kw)
    assert calls == []
    assert all(np.array_equal(u.design, v.design) for u, v in zip(a.waves, b.waves, strict=True))
    assert [w.nroy for w in a.waves] == [w.nroy for w in b.waves]


def test_recovery_with_the_emulator_in_the_loop(tmp_path: Path) -> None:
    """Screen, history-match, then ABC inside the NROY space: the truth is recovered."""
    t = _screened(_targets(tmp_path))
    h = cal.history_match(t, toy_evaluate(), seed=2, points=(40, 30, 30), progress=False)
    tg = h.targets
    abc = cal.abc_smc(tg, toy_evaluate(targets=tg), seed=2, population=100, max_generations=6,
                      support=h.nroy, progress=False)  # fmt: skip
    assert h.nroy(
        np.clip((abc.particles - tg.bounds[:, 0]) / np.ptp(tg.bounds, axis=1), 0, 1)
    ).all()
    ident = cal.identifiability(tg, abc.particles, abc.weights)
    for r in ident.itertuples():
        assert r.q05 <= TRUTH[r.parameter] <= r.q95, r
        assert r.verdict == "identified"
    assert abc.generations["epsilon"].iloc[-1] <= tg.min_epsilon


def test_implausibility_matches_its_definition(tmp_path: Path) -> None:
    t = _targets(tmp_path)
    x = np.random.default_rng(0).random((30, 4))
    y = toy_evaluate(targets=t)("s", t.bounds[:, 0] + x * np.ptp(t.bounds, axis=1),
                                np.tile([1, 2], (30, 1)))  # fmt: skip
    em = cal.Emulator.fit(x, y, tuple(n.name for n in t.fitted), seed=0)
    probe = x[:3]
    mean, var = em.predict(probe)
    tol = np.array([n.abs_tolerance for n in t.fitted])
    value = np.array([n.value for n in t.fitted])
    expected = np.abs(value - mean) / np.sqrt(var + em.noise_var + 0.5 * tol**2)
    assert cal.implausibility(t, em, probe) == pytest.approx(expected)


def test_screening_tells_effects_from_chance() -> None:
    rng = np.random.default_rng(0)
    x = rng.random((60, 12))
    y = (3 * x[:, 0] + 0.2 * rng.standard_normal(60))[:, None, None]
    main, p = cal.screen([f"p{i}" for i in range(12)], ["a"], x, y)
    assert main[0, 0] > 0.8 and p[0, 0] < 1e-10
    # With 25 regressors on 60 points chance gives the others a few per cent, not significance.
    assert (p[0, 1:] > 0.05 / 12).all()
