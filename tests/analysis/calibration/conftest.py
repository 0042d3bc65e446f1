"""Fixtures of the calibration tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.analysis import calibration as cal

from .toy import TOY, toy_calibration, write_targets


@pytest.fixture
def toy_targets(tmp_path: Path) -> cal.Targets:
    path = write_targets(
        tmp_path / "toy.toml", parameters=["young_growth", "entrant_size"], targets=TOY
    )
    return cal.load_targets(path)


@pytest.fixture
def toy_result(toy_targets: cal.Targets) -> cal.CalibrationResult:
    """A small but complete calibration of the toy problem (no model runs)."""
    return toy_calibration(toy_targets)
