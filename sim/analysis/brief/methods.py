"""Calibration and sensitivity results shown in the brief's methods box.

The brief reads other analyses' outputs only through their own readers
(:func:`sim.analysis.calibration.read_validation` and
:func:`~sim.analysis.calibration.read_best_fit`;
:func:`sim.analysis.sensitivity.read_convergence` and
:func:`~sim.analysis.sensitivity.read_summary`), so it never guesses a file name.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sim.analysis.calibration import (
    VALIDATION_FILE,
    TargetsError,
    load_targets,
    read_best_fit,
    read_identifiability,
    read_validation,
)
from sim.analysis.sensitivity import read_convergence, read_summary


@dataclass
class Calibration:
    """A calibration fit read from a calibration output folder.

    Attributes:
        path: Where it was read from.
        table: One row per target: ``target``, ``value`` (the figure of the source),
            ``bound`` (``two_sided``, ``at_least`` or ``at_most``), ``simulated``,
            ``source`` (blank where unknown) and, where the fit has them, ``tolerance``
            and ``within`` (within tolerance).
        distance: The best fit's distance (one unit is about one target tolerance),
            or ``None`` if the folder has no best fit.
        identifiability: One row per calibrated parameter (``parameter``,
            ``verdict``: identified, weakly identified or not identified), or ``None``
            if the folder has no such table.
    """

    path: Path
    table: pd.DataFrame
    distance: float | None = None
    identifiability: pd.DataFrame | None = None

    def role(self, row: pd.Series) -> str:
        """A target's role: ``fitted``, ``structural`` (holds by construction) or ``checked``."""
        if "structural" in row and _flag(row["structural"]):
            return "structural"
        if "fitted" in row and _flag(row["fitted"]):
            return "fitted"
        return "checked" if "fitted" in row else "unknown"

    def counts(self) -> dict[str, int]:
        """Targets by role (:meth:`role`), and how many of each are within tolerance."""
        out: dict[str, int] = {}
        for _, row in self.table.iterrows():
            role = self.role(row)
            out[role] = out.get(role, 0) + 1
            if "within" in row and _flag(row["within"]):
                out[f"{role}_within"] = out.get(f"{role}_within", 0) + 1
        return out

    def verdicts(self) -> dict[str, list[str]]:
        """Calibrated parameters by identifiability verdict (empty if unknown)."""
        if self.identifiability is None:
            return {}
        out: dict[str, list[str]] = {}
        for name, verdict in zip(
            self.identifiability["parameter"], self.identifiability["verdict"], strict=True
        ):
            out.setdefault(str(verdict), []).append(str(name))
        return out


def _flag(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value) and value == value  # nan is false


@dataclass
class Sensitivity:
    """Headline results of a sensitivity analysis folder.

    Attributes:
        path: The folder.
        method: The method (``morris``, ``sobol``, ...).
        top: Per output, the influential parameters with their index, best first.
    """

    path: Path
    method: str
    top: dict[str, list[tuple[str, float]]] = field(default_factory=dict)


def read_calibration(folder: str | Path) -> Calibration | None:
    """Read a calibration's fit from a ``zonesim calibrate`` output folder.

    The table is the calibration's validation (:func:`~sim.analysis.calibration.read_validation`:
    each target's value, its simulated mean on fresh seeds, tolerance and whether it is
    within); the note gives the best-fit distance
    (:func:`~sim.analysis.calibration.read_best_fit`) where the folder has one.

    Returns:
        The fit, or ``None`` if the folder holds no calibration output.
    """
    try:
        df = read_validation(folder)
    except (FileNotFoundError, ValueError, pd.errors.ParserError):
        return None
    if not {"target", "value", "simulated"} <= set(df.columns):
        return None
    table = df[["target", "value", "simulated"]].copy()
    known = _target_facts(Path(folder))
    for col, default in (("bound", "two_sided"), ("source", "")):
        if col in df.columns:
            table[col] = df[col].fillna(default).to_numpy()
        else:  # a validation table written before it kept them: the folder's targets
            table[col] = [known.get(name, {}).get(col, default) for name in df["target"]]
    for extra in ("tolerance", "within", "structural", "fitted"):
        if extra in df.columns:
            table[extra] = df[extra].to_numpy()
    distance = None
    with contextlib.suppress(FileNotFoundError, ValueError):
        distance = read_best_fit(folder).distance
    ident = None
    with contextlib.suppress(FileNotFoundError, ValueError, pd.errors.ParserError):
        ident = read_identifiability(folder)
        if not {"parameter", "verdict"} <= set(ident.columns):
            ident = None
    path = Path(folder) / VALIDATION_FILE
    return Calibration(path, table, distance, ident)


def _target_facts(folder: Path) -> dict[str, dict[str, str]]:
    """Each target's bound and source from the one targets file in ``folder``, if any."""
    files = sorted(folder.glob("targets*.toml"))
    if len(files) != 1:
        return {}
    try:
        targets = load_targets(files[0])
    except TargetsError:
        return {}
    return {t.name: {"bound": t.bound or "two_sided", "source": t.source} for t in targets.targets}


def read_sensitivity(folder: str | Path, per_output: int = 3) -> Sensitivity | None:
    """Read the headline indices of a ``zonesim sensitivity`` output folder.

    Uses the analysis's convergence table
    (:func:`~sim.analysis.sensitivity.read_convergence`: ``parameter, output, index,
    value, influential``) and its summary (:func:`~sim.analysis.sensitivity.read_summary`:
    ``method``).

    Returns:
        The largest indices per output (influential ones first), or ``None`` if the
        folder holds no finished analysis.
    """
    folder = Path(folder)
    try:
        df = read_convergence(folder)
        method = str(read_summary(folder).get("method", "?"))
    except (FileNotFoundError, ValueError, OSError):
        return None
    if not {"parameter", "output", "value"} <= set(df.columns):
        return None
    if "index" in df.columns:  # one headline index per method: keep the first listed
        df = df[df["index"] == df["index"].iloc[0]]
    top: dict[str, list[tuple[str, float]]] = {}
    for output, grp in df.groupby("output", sort=False):
        grp = grp.assign(_abs=grp["value"].abs()).sort_values("_abs", ascending=False)
        if "influential" in grp.columns and grp["influential"].astype(bool).any():
            grp = grp[grp["influential"].astype(bool)]
        top[str(output)] = [
            (str(p), float(v)) for p, v in zip(grp["parameter"], grp["value"], strict=True)
        ][:per_output]
    return Sensitivity(folder, method, top)


def find_method_outputs(
    paths: Sequence[Path],
) -> tuple[Calibration | None, list[Sensitivity]]:
    """Look for calibration and sensitivity outputs beside the batch folders.

    Calibration: the ``calibration`` folder beside the results folder (the project's
    ``calibration/``) or a ``calibration*`` folder among the batches' siblings.
    Sensitivity: ``sensitivity*`` folders among the batches' siblings.
    """
    parents = list(dict.fromkeys(p.resolve().parent for p in paths))
    cal_dirs: list[Path] = []
    sens: list[Sensitivity] = []
    for parent in parents:
        cal_dirs += sorted(parent.glob("calibration*"))
        cal_dirs.append(parent.parent / "calibration")
        for folder in sorted(parent.glob("sensitivity*")):
            s = read_sensitivity(folder)
            if s is not None:
                sens.append(s)
    calibration = None
    for folder in dict.fromkeys(cal_dirs):
        if folder.is_dir():
            calibration = read_calibration(folder)
            if calibration is not None:
                break
    return calibration, sens
