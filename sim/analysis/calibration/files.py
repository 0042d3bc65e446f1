"""The files a calibration writes, and the readers other analyses use.

Writers and readers sit side by side so that a reader (the policy brief, a notebook)
never guesses a file name or a column: :func:`write_outputs` writes
``best_fit.toml``, ``posterior.parquet`` (and ``.csv``), ``generations.csv``,
``identifiability.csv``, ``validation.csv``, ``predictive.csv``, and the record of
history matching and of the stages (``waves.csv``, ``screening.csv``,
``sensitivity.csv``, ``stages.csv``); :func:`~sim.analysis.calibration.leave_one_out`
writes ``loo.csv``;
:func:`read_best_fit`, :func:`read_posterior`, :func:`read_validation` and
:func:`read_identifiability` read them back.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim.analysis import safetext
from sim.analysis.calibration.posterior import posterior_frame
from sim.core.params import REGISTRY
from sim.errors import InputError, MissingFileError
from sim.experiments.fileio import atomic_write_parquet, atomic_write_text
from sim.experiments.posterior import load_posterior
from sim.experiments.posterior import posterior_draws as _posterior_draws
from sim.experiments.runs import model_version

if TYPE_CHECKING:
    from sim.analysis.calibration.history import HistoryResult
    from sim.analysis.calibration.pipeline import CalibrationResult

#: File names in a calibration output folder.
BEST_FIT_FILE = "best_fit.toml"
POSTERIOR_FILE = "posterior.parquet"
POSTERIOR_CSV = "posterior.csv"
GENERATIONS_FILE = "generations.csv"
IDENTIFIABILITY_FILE = "identifiability.csv"
VALIDATION_FILE = "validation.csv"
PREDICTIVE_FILE = "predictive.csv"
WAVES_FILE = "waves.csv"
SCREENING_FILE = "screening.csv"
SENSITIVITY_FILE = "sensitivity.csv"
STAGES_FILE = "stages.csv"
#: Figures of the report (``figures/``).
FIGURE_FILES = ("targets.png", "marginals.png", "pairs.png", "convergence.png", "sensitivity.png")
#: Folder of intermediate batches and wave files.
WORK = "work"
#: Folder of the leave-one-out fits (one calibration folder per pattern left out).
LOO = "loo"
LOO_FILE = "loo.csv"
#: The posterior a default calibration writes (``zonesim calibrate`` without ``--out``).
DEFAULT_POSTERIOR = Path("calibration") / POSTERIOR_FILE


def output_files() -> list[str]:
    """Every file a calibration may write in its folder (relative paths)."""
    return [
        BEST_FIT_FILE, POSTERIOR_FILE, POSTERIOR_CSV, GENERATIONS_FILE, IDENTIFIABILITY_FILE,
        VALIDATION_FILE, PREDICTIVE_FILE, WAVES_FILE, SCREENING_FILE, SENSITIVITY_FILE,
        STAGES_FILE, LOO_FILE, "report.md", *(f"figures/{name}" for name in FIGURE_FILES),
    ]  # fmt: skip


def format_defaults(
    names: Sequence[str], theta: Sequence[float] | np.ndarray, header: str = ""
) -> str:
    """Text of a ``calibrated.toml`` file (``[defaults]`` name = value)."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    lines.append("[defaults]")
    for name, value in zip(names, theta, strict=True):
        lines.append(f"{name} = {float(f'{value:.6g}')!r}")
    return "\n".join(lines) + "\n"


def write_defaults(
    path: Path, names: Sequence[str], theta: Sequence[float] | np.ndarray, header: str
) -> None:
    """Write calibrated defaults, checked against the registry bounds first."""
    for n, v in zip(names, theta, strict=True):
        REGISTRY[n].check(float(f"{v:.6g}"), n)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, format_defaults(names, theta, header))


def write_outputs(
    result: CalibrationResult, out: Path, *, seed: int, search_runs: int
) -> list[Path]:
    """Write the tables of a calibration (see :func:`~sim.analysis.calibration.calibrate`).

    Returns:
        The paths written.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    t = result.targets
    post = posterior_frame(t, result.abc)
    written = [atomic_write_parquet(out / POSTERIOR_FILE, post)]
    tables = {
        POSTERIOR_CSV: post,
        GENERATIONS_FILE: result.abc.generations,
        IDENTIFIABILITY_FILE: result.ident,
        VALIDATION_FILE: result.validation,
        PREDICTIVE_FILE: result.predictive,
        STAGES_FILE: pd.DataFrame([asdict(st) for st in result.stages]),
    }
    if result.history is not None:
        h = result.history
        tables[WAVES_FILE] = waves_table(h)
        tables[SCREENING_FILE] = h.screening
        tables[SENSITIVITY_FILE] = h.sensitivity.rename_axis("pattern").reset_index()
    for name, df in tables.items():
        written.append(safetext.write_csv(out / name, df))
    moments = "\n".join(
        f"{tg.name} = {float(v)!r}" for tg, v in zip(t.fitted, result.best.moments, strict=True)
    )
    header = (
        f"Best fit of `zonesim calibrate` (targets {t.path.name}, seed {seed}, "
        f"budget {result.plan.budget} runs).\n"
        f"Distance {result.best.distance:.4f} on {result.plan.crn} common seeds; "
        f"model {model_version()}."
    )
    text = format_defaults(t.parameters, result.best.theta, header)
    text += (
        f"\n[fit]\ndistance = {result.best.distance!r}\nsearch_runs = {search_runs}\n"
        f"total_runs = {result.runs}\nseed = {seed}\nmodel_version = {model_version()!r}\n"
        f"\n[fit.moments]\n{moments}\n"
    )
    written.append(atomic_write_text(out / BEST_FIT_FILE, text))
    return written


def waves_table(history: HistoryResult) -> pd.DataFrame:
    """One row per history-matching wave: points, runs, NROY share, seconds."""
    return pd.DataFrame(
        [
            {
                "wave": w.index,
                "points": len(w.design),
                "parameters": len(w.names),
                "runs": w.runs,
                "nroy_share": w.nroy,
                "seconds": w.seconds,
            }
            for w in history.waves
        ]
    )


def read_table(folder: str | Path, name: str) -> pd.DataFrame:
    """Read one of a calibration's CSV tables (e.g. :data:`WAVES_FILE`)."""
    return safetext.read_csv(_calibration_file(folder, name))


@dataclass(frozen=True)
class BestFit:
    """A calibration's best fit as read from ``best_fit.toml``.

    Attributes:
        path: The file read.
        parameters: Best-fit value of each calibrated parameter (``[defaults]``).
        distance: Its distance on the common seeds.
        seed: Master seed of the calibration.
        runs: Runs used by search and ABC.
        model_version: Model version that produced it.
        moments: Mean simulated value of each fitted target at the best fit.
    """

    path: Path
    parameters: dict[str, float]
    distance: float
    seed: int
    runs: int
    model_version: str
    moments: dict[str, float] = field(default_factory=dict)


def _calibration_file(folder: str | Path, name: str) -> Path:
    path = Path(folder) / name
    if not path.is_file():
        raise MissingFileError(f"{path}: calibration output not found (run `zonesim calibrate`)")
    return path


def read_best_fit(folder: str | Path) -> BestFit:
    """Read ``best_fit.toml`` from a calibration output folder.

    Raises:
        FileNotFoundError: If the folder has no ``best_fit.toml``.
        ValueError: If the file is not a best-fit file (names the file and key).
    """
    path = _calibration_file(folder, BEST_FIT_FILE)
    try:
        with path.open("rb") as f:
            doc = tomllib.load(f)
        fit = doc["fit"]
        return BestFit(
            path=path,
            parameters={k: float(v) for k, v in doc["defaults"].items()},
            distance=float(fit["distance"]),
            seed=int(fit["seed"]),
            runs=int(fit["total_runs"]),
            model_version=str(fit["model_version"]),
            moments={k: float(v) for k, v in fit.get("moments", {}).items()},
        )
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: expected valid TOML ({exc})") from None
    except KeyError as exc:
        raise InputError(f"{path}: {exc.args[0]}: expected a value (missing)") from None


def read_posterior(folder: str | Path) -> pd.DataFrame:
    """Read ``posterior.parquet``, checked by :func:`sim.experiments.posterior.load_posterior`."""
    return load_posterior(_calibration_file(folder, POSTERIOR_FILE))


def read_validation(folder: str | Path) -> pd.DataFrame:
    """Read ``validation.csv``: one row per target (see ``validation_table``).

    Text columns that may be empty (``bound``, ``source``) come back as strings.
    """
    df = safetext.read_csv(_calibration_file(folder, VALIDATION_FILE))
    for col in ("bound", "source"):
        if col in df.columns:
            df[col] = df[col].astype(object).fillna("").astype(str)
    return df


def read_identifiability(folder: str | Path) -> pd.DataFrame:
    """Read ``identifiability.csv``: one row per calibrated parameter with its verdict."""
    return safetext.read_csv(_calibration_file(folder, IDENTIFIABILITY_FILE))


def posterior_draws(
    n: int, seed: int, path: str | Path = DEFAULT_POSTERIOR
) -> list[dict[str, float]]:
    """Return ``n`` parameter sets drawn from the calibration posterior.

    Draw ``k`` is the parameter set for replicate ``k``; it depends on ``seed`` and
    ``k`` only (see :func:`sim.experiments.posterior.posterior_draw`).

    Args:
        n: Number of draws.
        seed: Master seed.
        path: Posterior file written by ``zonesim calibrate``.
    """
    return _posterior_draws(path, n, seed)
