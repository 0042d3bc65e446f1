"""Suite-wide marks (``e2e`` for end-to-end modules, ``requires_program`` for outside
programs) and fixtures.

``make test-fast`` (``-m "not slow and not e2e"``) leaves out the tests marked ``slow`` and
every test of the :data:`E2E` modules, which run batches, briefs, calibrations, the command
line or notebooks from end to end; ``make test`` runs them all.

The project installs its Python packages (``make setup``) and nothing else: no system
package, font or browser. A test that needs a program the project does not install is
marked ``@pytest.mark.requires_program("name")`` and skips, saying which program is
missing, wherever it is absent (under ``CI=true`` too). ``tests/test_system_programs.py``
lists every program the code and the tests start and checks that each test needing one
carries the mark.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import sim
from sim.analysis.brief.pdf import CHROMIUM_NAMES

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
    "experiments/test_batch_execution.py",
    "experiments/test_identity.py",
    "experiments/test_store_trust.py",
    "test_audit_mechanisms.py",
    "test_notebooks.py",
)

#: Programs the project does not install, by name: the executables looked up for each
#: and what needs them.
SYSTEM_PROGRAMS: dict[str, tuple[tuple[str, ...], str]] = {
    "chromium": (
        CHROMIUM_NAMES,
        "headless browser: `zonesim brief --pdf`, screenshots, the brief's browser tests",
    ),
    "chromedriver": (("chromedriver",), "Selenium's driver of Chromium: the browser test"),
    "git": (("git",), "the commit in a batch's manifest (recorded as unknown without git)"),
}


def find_program(name: str) -> str | None:
    """The path of one of the executables of ``SYSTEM_PROGRAMS[name]``, or ``None``."""
    names, _ = SYSTEM_PROGRAMS[name]
    return next((path for path in (shutil.which(n) for n in names) if path), None)


def skip_reason(name: str) -> str:
    """Why a test that needs program ``name`` skips where it is missing."""
    names, purpose = SYSTEM_PROGRAMS[name]
    return (
        f"needs {name} ({' or '.join(names)} on the PATH; {purpose}), which the project "
        "does not install"
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "requires_program(*names): skip unless these programs (keys of SYSTEM_PROGRAMS in "
        "tests/conftest.py) are on the PATH",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests of the :data:`E2E` modules ``e2e``."""
    for item in items:
        if item.path.relative_to(TESTS).as_posix().startswith(E2E):
            item.add_marker(pytest.mark.e2e)


def pytest_runtest_setup(item: pytest.Item) -> None:
    for mark in item.iter_markers("requires_program"):
        for name in mark.args:
            if name not in SYSTEM_PROGRAMS:
                pytest.fail(f"requires_program({name!r}): not in SYSTEM_PROGRAMS", pytrace=False)
            if find_program(name) is None:
                pytest.skip(skip_reason(name))


@pytest.fixture(scope="session")
def system_programs() -> dict[str, tuple[tuple[str, ...], str]]:
    """:data:`SYSTEM_PROGRAMS`, for the test that checks them."""
    return SYSTEM_PROGRAMS


@pytest.fixture
def copy_package() -> Callable[[Path], Path]:
    """Copy the ``sim`` package into a folder (importable with that folder on the path)."""

    def copy(folder: Path) -> Path:
        target = folder / "sim"
        source = Path(sim.__file__).parent
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        return target

    return copy
