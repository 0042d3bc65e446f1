"""The import contracts of ``pyproject.toml`` hold, and an upward import breaks them.

``lint-imports`` (run by ``make test``) checks the layers ``sim.cli`` > ``sim.analysis`` >
``sim.experiments`` > ``sim.core``, the layers inside ``sim.analysis`` and that
``sim.errors`` imports nothing of the package. These tests run it on a copy of the
package's source, unchanged and with one forbidden import planted per contract, so a
contract that could not fail (a misspelled layer, say) is caught too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sim

ROOT = Path(sim.__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

#: (module that gets the import, the import, the contract it breaks)
UPWARD = [
    ("sim/core/run.py", "import sim.experiments.batch", "Layers: command line"),
    ("sim/experiments/store/load.py", "import sim.analysis.plotting", "Layers: command line"),
    ("sim/analysis/plotting/charts.py", "import sim.cli.options", "Layers: command line"),
    ("sim/analysis/sensitivity/files.py", "import sim.analysis.brief", "Analysis layers"),
    ("sim/analysis/calibration/files.py", "import sim.analysis.robustness", "Analysis layers"),
    ("sim/analysis/document/builder.py", "import sim.analysis.sensitivity", "Analysis layers"),
    ("sim/analysis/safetext.py", "import sim.analysis.document", "Analysis layers"),
    ("sim/errors.py", "import sim.core.params", "The error base imports nothing"),
]


def _lint(tmp_path: Path, plant: list[tuple[str, str, str]]) -> subprocess.CompletedProcess[str]:
    """Run ``lint-imports`` with the project's contracts on a copy of ``sim/``."""
    shutil.copytree(
        ROOT / "sim",
        tmp_path / "sim",
        ignore=lambda d, names: [
            n for n in names if not n.endswith(".py") and not (Path(d) / n).is_dir()
        ],
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for module, line, _ in plant:
        path = tmp_path / module
        path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # planted\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", "pyproject.toml"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")
def test_contracts_hold_for_the_package(tmp_path: Path) -> None:
    done = _lint(tmp_path, [])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 kept, 0 broken" in done.stdout


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")
@pytest.mark.parametrize(("module", "line", "contract"), UPWARD, ids=[u[1] for u in UPWARD])
def test_an_upward_import_breaks_its_contract(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    done = _lint(tmp_path, [(module, line, contract)])
    assert done.returncode != 0
    broken = [r for r in done.stdout.splitlines() if r.endswith("BROKEN")]
    assert len(broken) == 1 and broken[0].startswith(contract), done.stdout
    importer = module.removesuffix(".py").replace("/", ".")
    assert f"{importer} -> {line.split()[1]}" in done.stdout, done.stdout
