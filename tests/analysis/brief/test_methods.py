"""The methods box reads calibration and sensitivity outputs through their own readers."""

from __future__ import annotations

from pathlib import Path

from sim.analysis import brief
from sim.analysis import calibration as cal
from sim.analysis import sensitivity as sa

from ..calibration.toy import TOY, toy_calibration, write_targets
from ..sensitivity.ishigami import ishigami
from .helpers import md_section, md_table

#: The toy targets with a source each, one of them a one-sided literature bound.
SOURCED = {
    "firms": {**TOY["firms"], "source": "facts: yearbook 2018"},
    "stat_zone_gdp": {**TOY["stat_zone_gdp"], "bound": "at_least", "source": "Lu et al. (2019)"},
}


def test_brief_reports_what_the_analyses_wrote(batch: Path, tmp_path: Path) -> None:
    targets = cal.load_targets(
        write_targets(
            tmp_path / "toy.toml", parameters=["young_growth", "entrant_size"], targets=SOURCED
        )
    )
    result = toy_calibration(targets)
    cal.write_outputs(result, tmp_path / "calibration", seed=3, search_runs=10)
    sens = ishigami(n=16, method="morris", resamples=20)
    sa.write_outputs(sens, tmp_path / "sensitivity-morris")

    found = brief.read_calibration(tmp_path / "calibration")
    assert found is not None and found.distance == result.best.distance
    assert list(found.table["target"]) == [t.name for t in targets.targets]
    assert list(found.table["value"]) == [t.value for t in targets.targets]
    assert list(found.table["simulated"]) == list(result.validation["simulated"])
    s = brief.read_sensitivity(tmp_path / "sensitivity-morris")
    assert s is not None and s.method == "morris" and list(s.top) == ["y"]

    b = brief.build_brief([batch], calibration=found, sensitivity=[s], discover=False)
    box = md_section(b.markdown, "Calibration fit")
    rows = md_table(box)
    assert [r[0] for r in rows] == [t.name for t in targets.targets]
    # each target's kind and source; a one-sided bound keeps its sign and is no observation
    assert [r[2:5] for r in rows] == [
        ["two-sided", "yearbook 2018", brief.fmt_number(150.0)],
        ["at least ≥", "Lu et al. (2019)", "≥ " + brief.fmt_number(50.0)],
    ]
    assert "Observed" not in box and "Target value" in box
    assert f"Best-fit distance {brief.fmt_number(result.best.distance)}" in box
    sensitivities = md_section(b.markdown, "Main sensitivities")
    assert "| y | " in sensitivities and s.top["y"][0][0] in sensitivities


def test_folders_without_outputs_are_not_methods(tmp_path: Path) -> None:
    assert brief.read_calibration(tmp_path) is None
    assert brief.read_sensitivity(tmp_path) is None
    (tmp_path / "fit.csv").write_text("target,observed,simulated\nfirms,1,2\n")
    assert brief.read_calibration(tmp_path) is None  # no guessed file names


def test_calibration_kinds_and_sources_come_from_the_folders_targets_file(
    batch: Path, tmp_path: Path
) -> None:
    """A validation table written without kinds and sources takes them from the targets."""
    folder = tmp_path / "calibration"
    folder.mkdir()
    write_targets(folder / "targets_2018.toml", parameters=["young_growth"], targets=SOURCED)
    (folder / "validation.csv").write_text(
        "target,metric,value,tolerance,simulated,within\n"
        "firms,firms,150,10,151,True\nstat_zone_gdp,stat_zone_gdp,50,2,60,True\n"
    )
    found = brief.read_calibration(folder)
    assert found is not None
    assert list(found.table["bound"]) == ["two_sided", "at_least"]
    assert list(found.table["source"]) == ["facts: yearbook 2018", "Lu et al. (2019)"]
    zh = brief.build_brief([batch], lang="zh", calibration=found, discover=False).markdown
    rows = md_table(md_section(zh, "校准拟合"))
    assert [r[2] for r in rows] == ["双侧", "至少 ≥"] and "观测值" not in zh
