"""Execute the notebooks and store them with their outputs (``make notebooks``).

Each notebook runs top to bottom in a fresh kernel, in a temporary copy of the project's
layout (``notebooks/`` plus the input folders ``scenarios/`` and ``calibration/``), so it
writes nothing into the project. Paths of the temporary copy are removed from the outputs,
timing metadata is not recorded, and the executed notebook replaces the stored one.

``tests/test_notebooks.py`` executes every notebook the same way and checks that the stored
outputs are those of the current code (:func:`fingerprint`): the plain-text results and the
number of figures of every code cell; streams (progress bars, timings) are not compared, nor
run ids and model-version hashes, which change with any edit of the model's code.

Usage::

    python scripts/execute_notebooks.py [NOTEBOOK ...]   # default: every notebook
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
#: Project folders a notebook may read through relative paths (copied, so never written).
INPUT_DIRS = ("scenarios", "calibration")
KERNEL = "zonesim-notebooks"
#: Kernel named in the stored notebooks (the reader's own Python 3 kernel).
STORED_KERNEL = {"display_name": "Python 3", "language": "python", "name": "python3"}
#: Seconds a cell may take.
TIMEOUT = 900


def _kernel_dir(base: Path) -> Path:
    """A Jupyter data folder with a kernel running this interpreter (``sim`` installed)."""
    spec = base / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "zonesim", "language": "python"})
    )
    return base / "jupyter"


def _scrub(value: Any, prefix: str) -> Any:
    """``value`` with ``prefix`` (the temporary copy's path, plus '/') removed from its text."""
    if isinstance(value, str):
        return value.replace(prefix, "")
    if isinstance(value, list):
        return [_scrub(v, prefix) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, prefix) for k, v in value.items()}
    return value


def execute(path: Path, base: Path) -> nbformat.NotebookNode:
    """Execute a notebook in a temporary copy of the project under ``base``.

    Args:
        path: The notebook (in ``notebooks/``).
        base: An empty temporary folder.

    Returns:
        The executed notebook, its outputs free of the temporary paths.

    Raises:
        nbclient.exceptions.CellExecutionError: If a cell fails (naming the cell).
    """
    work = base / "work"
    shutil.copytree(
        path.parent, work / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints")
    )
    for name in INPUT_DIRS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, work / name)
    jupyter = _kernel_dir(base)
    old = {k: os.environ.get(k) for k in ("JUPYTER_PATH", "MPLBACKEND")}
    os.environ["JUPYTER_PATH"] = str(jupyter)
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    try:
        nb = nbformat.read(work / "notebooks" / path.name, as_version=4)
        client = NotebookClient(
            nb,
            timeout=TIMEOUT,
            kernel_name=KERNEL,
            record_timing=False,
            resources={"metadata": {"path": str(work / "notebooks")}},
        )
        client.execute()
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [nbformat.from_dict(_scrub(o, f"{work}/")) for o in cell.outputs]
    return nb


#: Hashes that change with any edit of ``sim/core`` though no number moves: run ids (20 hex
#: digits) and the model version's code hash (``0.1.0+`` and 12 hex digits).
_VOLATILE = re.compile(r"\b[0-9a-f]{20}\b|(?<=\+)[0-9a-f]{8}(?:[0-9a-f]{4})?\b")


def fingerprint(nb: nbformat.NotebookNode) -> list[dict[str, Any]]:
    """What the test compares: per code cell, its plain-text results and figure count.

    Run ids and model-version hashes are masked (:data:`_VOLATILE`): they change with every
    edit of the model's code, while the numbers they label may not.
    """
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        texts, figures, errors = [], 0, 0
        for o in cell.outputs:
            if o.output_type in ("execute_result", "display_data"):
                if "text/plain" in o.data and not any(k.startswith("image/") for k in o.data):
                    texts.append(_VOLATILE.sub("#", o.data["text/plain"]))
                figures += sum(k.startswith("image/") for k in o.data)
            elif o.output_type == "error":
                errors += 1
        out.append({"text": texts, "figures": figures, "errors": errors})
    return out


def main(argv: list[str] | None = None) -> int:
    """Execute the notebooks named (default: all) and store them with their outputs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks (default: all)")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(NOTEBOOK_DIR.glob("*.ipynb"))
    for path in paths:
        with tempfile.TemporaryDirectory() as tmp:
            nb = execute(path.resolve(), Path(tmp))
        nbformat.validate(nb)
        nbformat.write(nb, path)
        print(f"executed {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
