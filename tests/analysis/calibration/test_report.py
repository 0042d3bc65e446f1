"""The calibration report: Markdown and figures, without touching pyplot's state."""

from __future__ import annotations

from pathlib import Path

import matplotlib

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
