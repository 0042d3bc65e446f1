"""The files a sensitivity analysis writes, and the readers other analyses use.

:func:`write_outputs` writes the tables (CSV and Parquet), the figures, ``report.md``
and ``summary.json``; :func:`read_indices`, :func:`read_convergence` and
:func:`read_summary` read them back, so a reader (the policy brief, a notebook) never
guesses a file name.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.analysis.sensitivity.figures import write_figures
from sim.analysis.sensitivity.problem import to_overrides
from sim.analysis.sensitivity.report import render_report
from sim.core.params import REGISTRY
from sim.errors import InputError, MissingFileError
from sim.experiments.fileio import atomic_write, atomic_write_text

if TYPE_CHECKING:
    from sim.analysis.sensitivity.pipeline import SensitivityResult

#: Tables written as ``<name>.csv`` and ``<name>.parquet``.
TABLES = ("indices", "indices_half", "convergence", "noise", "design")
#: Settings and counts of a finished analysis.
SUMMARY_FILE = "summary.json"
#: Identifying settings, written before the runs (resumption checks them).
SETTINGS_FILE = "sensitivity.json"
REPORT_FILE = "report.md"


def _write_table(df: pd.DataFrame, path_stem: Path) -> None:
    atomic_write(path_stem.with_suffix(".csv"), lambda p: df.to_csv(p, index=False))
    atomic_write(path_stem.with_suffix(".parquet"), lambda p: df.to_parquet(p, index=False))


def design_table(result: SensitivityResult) -> pd.DataFrame:
    """The design with the values the model ran with and the (mean) outputs."""
    design = result.design
    names = design.problem["names"]
    if all(n in REGISTRY for n in names):
        ran = pd.DataFrame(to_overrides(design.problem, design.X), columns=names)
    else:  # a test function's problem: the sampled values are the values used
        ran = pd.DataFrame(design.X, columns=names)
    out = pd.DataFrame({"sample": np.arange(len(design.X))})
    out = pd.concat(
        [
            out,
            pd.DataFrame(design.X, columns=[f"x.{n}" for n in names]),
            ran,
            pd.DataFrame(result.Y, columns=result.outputs),
        ],
        axis=1,
    )
    return out


def write_outputs(result: SensitivityResult, out_dir: Path) -> list[Path]:
    """Write tables (CSV and Parquet), figures and ``report.md`` to ``out_dir``.

    Returns:
        The paths written.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    tables = {  # keys: TABLES
        "indices": result.indices,
        "indices_half": result.half,
        "convergence": result.convergence,
        "noise": result.noise,
        "design": design_table(result),
    }
    for name, df in tables.items():
        _write_table(df, out_dir / name)
        written += [out_dir / f"{name}.csv", out_dir / f"{name}.parquet"]
    written += write_figures(result, out_dir / "figures")
    report = atomic_write_text(out_dir / REPORT_FILE, render_report(result))
    meta = atomic_write_text(out_dir / SUMMARY_FILE, json.dumps(result.meta, indent=1) + "\n")
    return [*written, report, meta]


def _sensitivity_file(folder: str | Path, name: str) -> Path:
    path = Path(folder) / name
    if not path.is_file():
        raise MissingFileError(f"{path}: sensitivity output not found (run `zonesim sensitivity`)")
    return path


def read_indices(folder: str | Path, *, half: bool = False) -> pd.DataFrame:
    """Read the index table (``indices.parquet``; ``indices_half`` with ``half``).

    Returns:
        One row per factor and output: ``parameter``, ``output``, the method's index
        columns and the noise columns (see :func:`~sim.analysis.sensitivity.run_analysis`).

    Raises:
        FileNotFoundError: If the folder holds no such table.
    """
    return pd.read_parquet(
        _sensitivity_file(folder, ("indices_half" if half else "indices") + ".parquet")
    )


def read_convergence(folder: str | Path) -> pd.DataFrame:
    """Read ``convergence.parquet``: headline indices at N/2 and N with their flags.

    Raises:
        FileNotFoundError: If the folder holds no such table.
    """
    return pd.read_parquet(_sensitivity_file(folder, "convergence.parquet"))


def read_summary(folder: str | Path) -> dict[str, Any]:
    """Read ``summary.json``: the settings and counts of a finished analysis.

    Raises:
        FileNotFoundError: If the folder holds no summary.
        ValueError: If the file is not a JSON object (names the file).
    """
    path = _sensitivity_file(folder, SUMMARY_FILE)
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        meta = None
    if not isinstance(meta, dict):
        raise InputError(f"{path}: expected the JSON settings of a sensitivity analysis")
    return meta
