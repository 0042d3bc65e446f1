from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.experiments.summary import paired_differences, summarize


def _table() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    rows = []
    for rep in range(4):
        seed = 100 + rep
        noise = rng.normal(0, 10, 2)
        for y, year in enumerate((2016, 2017)):
            rows.append(("baseline", rep, seed, year, 50 + noise[y], 1))
            rows.append(("more", rep, seed, year, 53 + noise[y], 1))
    rows.append(("more", 9, 999, 2016, 1000.0, 1))  # no baseline partner: left out
    return pd.DataFrame(rows, columns=["scenario", "replicate", "seed", "year", "gdp", "zones"])


def test_summarize_known_answer() -> None:
    df = pd.DataFrame(
        {
            "scenario": ["a"] * 4,
            "replicate": [0, 1, 2, 3],
            "seed": [1, 2, 3, 4],
            "year": [2016] * 4,
            "x": [1.0, 2.0, 3.0, 4.0],
        }
    )
    out = summarize(df, quantiles=(0.5,))
    row = out.iloc[0]
    assert (row["scenario"], row["year"], row["metric"], row["n"]) == ("a", 2016, "x", 4)
    assert row["mean"] == 2.5 and row["q50"] == 2.5
    assert row["sd"] == pytest.approx(np.std([1, 2, 3, 4], ddof=1))
    assert row["ci_low"] < 2.5 < row["ci_high"]


def test_summarize_orders_scenarios_years_metrics() -> None:
    out = summarize(_table())
    assert list(dict.fromkeys(out["scenario"])) == ["baseline", "more"]
    assert out[["scenario", "year"]].drop_duplicates().shape[0] == 4
    assert list(out["metric"][:2]) == ["gdp", "zones"]
    assert {"q05", "q50", "q95"} <= set(out.columns)


def test_paired_differences_remove_common_noise() -> None:
    out = paired_differences(_table(), "baseline", metrics=["gdp"])
    assert set(out["scenario"]) == {"more"} and set(out["baseline"]) == {"baseline"}
    assert out["n"].tolist() == [4, 4]  # the unpaired seed is left out
    np.testing.assert_allclose(out["mean"], 3.0)
    np.testing.assert_allclose(out["sd"], 0.0, atol=1e-12)
    unpaired = summarize(_table()[lambda d: d.replicate < 9], metrics=["gdp"])
    assert (unpaired["sd"] > 1).all()  # unpaired spread is large


def test_paired_differences_accept_results_like_objects() -> None:
    class R:
        annual = _table()

    assert len(paired_differences(R(), metrics=["gdp"])) == 2


def test_unknown_baseline_or_metric() -> None:
    with pytest.raises(ValueError, match="baseline: expected a scenario"):
        paired_differences(_table(), "nope")
    with pytest.raises(ValueError, match="metrics"):
        summarize(_table(), metrics=["nope"])


def test_interval_uses_student_t_for_few_replicates() -> None:
    from scipy import stats

    from sim.experiments.summary import _describe

    long = pd.DataFrame({"g": ["a"] * 4, "value": [1.0, 2.0, 3.0, 4.0]})
    row = _describe(long, ["g"], []).iloc[0]
    half = stats.t.ppf(0.975, 3) * np.std([1, 2, 3, 4], ddof=1) / 2
    assert row["ci_high"] - row["mean"] == pytest.approx(half)
