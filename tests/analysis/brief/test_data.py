"""The brief's numbers: from the results store, paired by seed, batches combined with care."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.analysis import brief, plotting
from sim.experiments.errors import ArgumentError
from sim.experiments.summary import paired_differences, summarize

from .helpers import (
    END,
    REPS,
    SCENARIOS,
    assert_interval,
    assert_shows,
    make_batch,
    md_section,
    md_table,
    title,
)


def test_headline_numbers_equal_summary_of_load_results(
    batch: Path, briefs: dict[str, brief.Brief]
) -> None:
    res = sim.load_results(batch)
    metrics = list(brief.HEADLINE_METRICS)
    levels = summarize(res.annual, metrics=metrics).set_index(["scenario", "year", "metric"])
    diffs = paired_differences(
        res.annual, "baseline", metrics=metrics, quantiles=(0.05, 0.95)
    ).set_index(["scenario", "year", "metric"])
    label_to_metric = {plotting.metric_label(m, "en"): m for m in metrics}
    years = [2018, END]
    md = briefs["en"].markdown
    checked = 0
    for scen in SCENARIOS[1:]:
        section = md_section(md, brief.text("whatif", "en", name=title(scen, "en")))
        rows = md_table(md_section(section, brief.heading("effects", "en")))
        assert [(label_to_metric[r[0]], int(r[1])) for r in rows] == [
            (m, y) for m in metrics for y in years
        ]
        for label, year, base, value, effect, ci, spread, n in rows:
            key = (scen, int(year), label_to_metric[label])
            d = diffs.loc[key]
            assert_shows(base, levels.loc[("baseline", *key[1:]), "mean"])
            assert_shows(value, levels.loc[key, "mean"])
            assert_shows(effect, d["mean"])
            assert_interval(ci, d["ci_low"], d["ci_high"])
            assert_interval(spread, d["q05"], d["q95"])
            assert int(n) == d["n"] == REPS
            checked += 1
    assert checked == 2 * len(metrics) * len(years)


def test_effects_are_paired_by_seed(batch: Path, briefs: dict[str, brief.Brief]) -> None:
    """The headline effect is the mean of run-by-run differences over shared seeds."""
    a = sim.load_results(batch).annual
    row = briefs["en"].headline.query("scenario == 'no_reform' and metric == 'firms'").iloc[-1]
    pick = a[a["year"] == row["year"]].set_index(["scenario", "seed"])["firms"]
    diffs = pick.loc["no_reform"] - pick.loc["baseline"]
    assert len(diffs) == REPS
    assert row["mean"] == pytest.approx(diffs.mean(), rel=1e-12)
    assert row["low"] == pytest.approx(diffs.quantile(0.05), rel=1e-12)


def test_lost_status_shares(batch: Path) -> None:
    data = brief.load_batches([batch])
    lost = brief.lost_status(data, "all_corporate")
    z = data.zones
    last = z[(z["year"] == END) & (z["status"] == "delisted")]
    for scen, col in (("baseline", "share_baseline"), ("all_corporate", "share_scenario")):
        expected = last[last["scenario"] == scen].groupby("zone_id")["replicate"].nunique() / REPS
        got = lost.set_index("zone_id")[col]
        got = got[got > 0]
        pd.testing.assert_series_equal(
            got.sort_index(), expected.sort_index().astype(float), check_names=False
        )


def test_baseline_option_determinism_and_errors(batch: Path, tmp_path: Path) -> None:
    b = brief.build_brief([batch], baseline="no_reform", years=[END])
    assert set(b.headline["scenario"]) == {"baseline", "all_corporate"}
    again = brief.build_brief([batch], baseline="no_reform", years=[END])
    assert (again.html, again.markdown) == (b.html, b.markdown)  # a pure function of the batch
    with pytest.raises(ArgumentError, match=r"^baseline: expected a scenario"):
        brief.load_batches([batch], baseline="nope")
    with pytest.raises(ValueError, match="lang"):
        brief.build_brief([batch], lang="fr")
    with pytest.raises(FileNotFoundError, match="batch folder"):
        brief.load_batches([tmp_path])
    with pytest.raises(ValueError, match="also in"):
        brief.load_batches([batch, batch])


def test_batches_combine_only_with_shared_seeds(batch: Path, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    other_seed = make_batch(tmp_path / "a", ("no_integration",), seed=99)
    with pytest.raises(ValueError, match="seeds shared with the baseline"):
        brief.load_batches([batch, other_seed])
    single = make_batch(tmp_path / "b", ("no_integration",))
    with pytest.raises(ValueError, match="at least two scenarios"):
        brief.load_batches([single])
    data = brief.load_batches([batch, single])
    assert data.whatifs == ["no_reform", "all_corporate", "no_integration"]


def test_posterior_batches_are_recognised(batch: Path, tmp_path: Path) -> None:
    """A scenario whose parameters vary by run (posterior draws) is flagged as such."""
    copy = tmp_path / "posterior"
    shutil.copytree(batch, copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    manifest["scenarios"]["all_corporate"]["params"] = None  # what batch.execute writes then
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    data = brief.load_batches([copy])
    assert data.uses_posterior("all_corporate") and not data.uses_posterior("no_reform")
    assert brief.changed_parameters(data, "all_corporate") is None
    assert brief.changed_parameters(data, "no_reform")


def test_sample_designs_are_refused(tmp_path: Path) -> None:
    """Calibration and sensitivity designs (several runs per replicate) are not what-ifs."""
    from sim.core.params import resolve
    from sim.experiments.backends import make_backend
    from sim.experiments.batch import execute
    from sim.experiments.runs import RunSpec

    params = resolve({})
    specs = [
        RunSpec(scenario=s, replicate=0, seed=1, params=params, start=2016, end=2016, sample=k)
        for s in ("a", "b")
        for k in (0, 1)
    ]
    with make_backend(1) as backend:
        out = execute(specs, tmp_path / "design", backend=backend, progress=False)
    with pytest.raises(ValueError, match="got a sample design"):
        brief.load_batches([out])


def test_lost_status_rows_carry_names_and_chinese_cities(batch: Path) -> None:
    from sim.analysis.brief.data import zone_cell

    data = brief.load_batches([batch])
    lost = brief.lost_status(data, "all_corporate")
    names = sim.core.zonedata.load().zones.set_index("zone_id")
    for r in lost.itertuples():
        if r.zone_id in names.index:
            assert (r.name, r.name_zh) == tuple(names.loc[r.zone_id, ["name", "name_zh"]])
    row = {"zone_id": "Z02", "name": "", "name_zh": "", "synthetic": 0}  # an older zone table
    assert zone_cell(row, "zh") == "Z02 大同经济技术开发区（模型开发区）"  # a real name: generated
    assert zone_cell(row, "en").endswith(" (model zone)")
    assert zone_cell({**row, "zone_id": "Z99"}, "en") == "Z99"
    synthetic = {**row, "name": "Synthetic provincial zone, Taiyuan 1", "synthetic": 1}
    assert zone_cell(synthetic, "en") == "Z02 Synthetic provincial zone, Taiyuan 1"
