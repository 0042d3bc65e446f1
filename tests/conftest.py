"""Suite-wide markers: ``e2e`` for the modules that run the program end to end.

``make test-fast`` (``-m "not slow and not e2e"``) leaves out the tests marked ``slow`` and
every test of the modules below, which run batches, briefs, calibrations, the command line
or notebooks from end to end; ``make test`` runs them all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).parent

#: Test modules and folders (relative to ``tests/``) that run the program end to end.
E2E = (
    "cli/",
    "analysis/brief/",
    "analysis/test_brief_safety.py",
    "analysis/calibration/test_history.py",
    "analysis/calibration/test_evaluation.py",
    "analysis/calibration/test_report.py",
    "analysis/robustness/test_robustness_discovery.py",
    "analysis/robustness/test_robustness_section.py",
    "analysis/sensitivity/test_pipeline.py",
    "experiments/test_api.py",
    "experiments/test_backends.py",
    "experiments/test_batch.py",
    "test_audit_mechanisms.py",
    "test_notebooks.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests of the :data:`E2E` modules ``e2e``."""
    for item in items:
        if item.path.relative_to(TESTS).as_posix().startswith(E2E):
            item.add_marker(pytest.mark.e2e)
