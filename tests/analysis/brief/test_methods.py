"""The methods box reads calibration and sensitivity outputs through their own readers."""

from __future__ import annotations

from pathlib import Path

from sim.analysis import brief
from sim.analysis import calibration as cal
from sim.analysis import sensitivity as sa

from ..calibration.toy import TOY, toy_calibration, write_targets
from ..sensitivity.ishigami import ishigami
from .helpers import md_section, md_table


def test_brief_reports_what_the_analyses_wrote(batch: Path, tmp_path: Path) -> None:
    targets = cal.load_targets(
        write_targets(
            tmp_path / "toy.toml", parameters=["young_growth", "entrant_size"], targets=TOY
        )
    )
    result = toy_calibration(targets)
    cal.write_outputs(result, tmp_path / "calibration", seed=3, search_runs=10)
    sens = ishigami(n=16, method="morris", resamples=20)
    sa.write_outputs(sens, tmp_path / "sensitivity-morris")

    found = brief.read_calibration(tmp_path / "calibration")
    assert found is not None and found.distance == result.best.distance
    assert list(found.table["target"]) == [t.name for t in targets.targets]
    assert list(found.table["observed"]) == [t.value for t in targets.targets]
    assert list(found.table["simulated"]) == list(result.validation["simulated"])
    s = brief.read_sensitivity(tmp_path / "sensitivity-morris")
    assert s is not None and s.method == "morris" and list(s.top) == ["y"]

    b = brief.build_brief([batch], calibration=found, sensitivity=[s], discover=False)
    box = md_section(b.markdown, "Calibration fit")
    rows = md_table(box)
    assert [r[0] for r in rows] == [t.name for t in targets.targets]
    assert f"Best-fit distance {brief.fmt_number(result.best.distance)}" in box
    sensitivities = md_section(b.markdown, "Main sensitivities")
    assert "| y | " in sensitivities and s.top["y"][0][0] in sensitivities


def test_folders_without_outputs_are_not_methods(tmp_path: Path) -> None:
    assert brief.read_calibration(tmp_path) is None
    assert brief.read_sensitivity(tmp_path) is None
    (tmp_path / "fit.csv").write_text("target,observed,simulated\nfirms,1,2\n")
    assert brief.read_calibration(tmp_path) is None  # no guessed file names
