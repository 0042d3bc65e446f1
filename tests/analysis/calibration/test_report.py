"""The calibration report: Markdown and figures, without touching pyplot's state."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pandas as pd

from sim.analysis import calibration as cal


def test_report_writes_markdown_and_figures_and_keeps_the_backend(
    tmp_path: Path, toy_result: cal.CalibrationResult
) -> None:
    backend = matplotlib.get_backend()
    cal.write_report(toy_result, tmp_path, seed=7, command="zonesim calibrate --budget 100")
    assert matplotlib.get_backend() == backend
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert text.startswith("# Calibration: pattern-oriented, history matching and ABC-SMC")
    assert "zonesim calibrate --budget 100" in text
    for section in ("## Time and runs by stage", "## Screening", "## History matching",
                    "### Which pattern constrains which parameter", "## Convergence"):  # fmt: skip
        assert section in text, section
    assert "| history matching | " in text and "NROY share" in text
    for name in ("targets", "marginals", "pairs", "convergence", "sensitivity"):
        png = tmp_path / "figures" / f"{name}.png"
        assert png.read_bytes().startswith(b"\x89PNG"), name
        assert f"figures/{name}.png" in text
    assert not list(tmp_path.rglob(".tmp-*"))


def test_report_shows_the_distance_from_the_bounds_and_the_leave_one_out_table(
    tmp_path: Path, toy_result: cal.CalibrationResult
) -> None:
    toy_result.loo = pd.DataFrame(
        [{"pattern": "firms", "value": 150.0, "tolerance": 10.0, "bound": "",
          "predicted": 171.0, "q05": 160.0, "q95": 180.0, "predictive_q05": 140.0,
          "predictive_q95": 200.0, "error": 2.1, "within": False, "covered": True,
          "calibrated": 2, "distance": 0.8}]
    )  # fmt: skip
    cal.write_report(toy_result, tmp_path, seed=7)
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "## Leave one pattern out" in text
    assert "| firms | 150 | ±10 | 171 | 160–180 | 140–200 | +2.1 | **no** | yes | 2 |" in text
    assert "| from a bound |" in text
    near = toy_result.targets.near_edges(toy_result.best.theta)[0]
    names = [n for n, x in zip(toy_result.targets.parameters, near, strict=True) if x]
    expected = ", ".join(names) + "." if names else "none is within 5 % of a bound"
    assert expected in text
