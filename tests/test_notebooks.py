"""Every notebook runs top to bottom, and its stored outputs are those of the current code.

Notebooks are committed with their outputs, so a reader on the web sees the tables and
figures; ``make notebooks`` (``scripts/execute_notebooks.py``) regenerates them. The test
executes each notebook the same way (a fresh kernel, a temporary copy of the project) and
compares the plain-text results and the number of figures of every code cell with the
stored ones.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))


def _script() -> ModuleType:
    """The notebook runner (``scripts/`` is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "execute_notebooks", ROOT / "scripts" / "execute_notebooks.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


execute_notebooks = _script()


def snapshot(folder: Path, notebook: Path) -> tuple[set[str], int]:
    """Files other than notebooks in ``folder``, and the notebook's modification time."""
    others = {p.name for p in folder.iterdir() if p.suffix != ".ipynb"}
    return others, notebook.stat().st_mtime_ns


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_stored_outputs_are_those_of_the_current_code(path: Path, tmp_path: Path) -> None:
    """Execute from a clean kernel; results and figures must match the stored ones."""
    before = snapshot(NOTEBOOK_DIR, path)
    fresh = execute_notebooks.execute(path, tmp_path)  # raises CellExecutionError on failure
    stored = nbformat.read(path, as_version=4)
    assert snapshot(NOTEBOOK_DIR, path) == before  # nothing written into the repository
    assert [c.source for c in fresh.cells] == [c.source for c in stored.cells]
    got = execute_notebooks.fingerprint(fresh)
    want = execute_notebooks.fingerprint(stored)
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        assert g == w, f"{path.name}: code cell {i}: stored outputs are stale (make notebooks)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_stored_executed(path: Path) -> None:
    """Every code cell ran, in order, and none shows an error or a warning."""
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), (
        f"{path.name}: not executed top to bottom (make notebooks)"
    )
    for i, cell in enumerate(code):
        for out in cell.outputs:
            assert out.output_type != "error", f"{path.name}: code cell {i} failed"
            text = "".join(out.get("text", "")) if out.output_type == "stream" else ""
            assert "Warning" not in text, f"{path.name}: code cell {i} shows a warning: {text}"
            assert "/tmp/" not in str(out), f"{path.name}: code cell {i} shows a temporary path"
    assert any(c.outputs for c in code), f"{path.name}: no outputs (make notebooks)"


def test_there_are_notebooks() -> None:
    names = {p.name for p in NOTEBOOKS}
    assert {"quickstart.ipynb", "scenario_comparison.ipynb", "own_scenario.ipynb"} <= names


def _one_cell(text: str, figures: int = 0) -> nbformat.NotebookNode:
    outputs = [nbformat.v4.new_output("execute_result", {"text/plain": text}, execution_count=1)]
    outputs += [
        nbformat.v4.new_output("display_data", {"image/png": "", "text/plain": "<Figure>"})
        for _ in range(figures)
    ]
    outputs.append(nbformat.v4.new_output("stream", name="stderr", text="100%| 3/3 [00:02]"))
    cell = nbformat.v4.new_code_cell("x", outputs=outputs)
    return nbformat.v4.new_notebook(cells=[cell])


def test_fingerprint_sees_numbers_and_figures_not_hashes_or_streams() -> None:
    fp = execute_notebooks.fingerprint
    base = _one_cell("firms 42904 run c013adf5fcb80cd6c896 model 0.1.0+abcdef012345", 1)
    same = _one_cell("firms 42904 run 4d9ecfb39c8dc1bd98e3 model 0.1.0+0123456789ab", 1)
    same.cells[0].outputs[-1].text = "100%| 3/3 [00:09]"
    assert fp(base) == fp(same)
    assert fp(base) != fp(
        _one_cell("firms 42905 run c013adf5fcb80cd6c896 model 0.1.0+abcdef012345", 1)
    )
    assert fp(base) != fp(
        _one_cell("firms 42904 run c013adf5fcb80cd6c896 model 0.1.0+abcdef012345")
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_names_no_path_relative_to_its_folder(path: Path) -> None:
    """Files are found through the package, so a notebook runs wherever it is opened."""
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        assert "../" not in cell.source, f"{path.name}: code cell {i} names a relative path"
