"""Every notebook in notebooks/ runs top to bottom; notebooks in git carry no outputs."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
#: Project folders a notebook may read through relative paths (copied, so never written).
INPUT_DIRS = ("scenarios", "calibration")
KERNEL = "zonesim-notebook-test"


@pytest.fixture
def kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A kernel spec running this interpreter (the one with ``sim`` installed)."""
    spec = tmp_path / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "zonesim tests",
                "language": "python",
            }
        )
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    return KERNEL


def snapshot(folder: Path, notebook: Path) -> tuple[set[str], int]:
    """Files other than notebooks in ``folder``, and the notebook's modification time."""
    others = {p.name for p in folder.iterdir() if p.suffix != ".ipynb"}
    return others, notebook.stat().st_mtime_ns


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path: Path, tmp_path: Path, kernel: str) -> None:
    """Execute from a clean kernel in a temporary copy of the project's layout."""
    work = tmp_path / "work"
    shutil.copytree(
        NOTEBOOK_DIR, work / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints")
    )
    for name in INPUT_DIRS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, work / name)
    before = snapshot(NOTEBOOK_DIR, path)
    nb = nbformat.read(work / "notebooks" / path.name, as_version=4)
    client = NotebookClient(
        nb,
        timeout=900,
        kernel_name=kernel,
        resources={"metadata": {"path": str(work / "notebooks")}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, if any cell fails
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.execution_count is not None for c in code)
    assert snapshot(NOTEBOOK_DIR, path) == before  # nothing written into the repository


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_has_no_outputs(path: Path) -> None:
    """Notebooks are committed without outputs (clear them before committing)."""
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: cell {i} has outputs (clear them)"
            assert cell.execution_count is None, f"{path.name}: cell {i} has an execution count"


def test_there_are_notebooks() -> None:
    names = {p.name for p in NOTEBOOKS}
    assert {"quickstart.ipynb", "scenario_comparison.ipynb"} <= names
