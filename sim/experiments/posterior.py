"""Parameter sets drawn from a calibration posterior, for batches with parameter uncertainty.

A posterior file (Parquet or CSV, written by ``zonesim calibrate``) holds one row per
particle: one column per calibrated parameter (registered names), a ``weight`` column
(importance weights; equal weights when absent) and optionally ``distance`` and
``generation``. A scenario that names such a file (``[run] posterior = "..."``) runs
replicate ``k`` with parameter set :func:`posterior_draw` ``(path, seed, k)`` over its
own parameters, so a batch carries parameter uncertainty as well as stochastic noise.

Draw ``k`` comes from key ``(POSTERIOR_DRAW, k)`` under ``numpy.random.SeedSequence(seed)``
(:mod:`sim.experiments.seeds`, as the replicate seeds do), so adding replicates
keeps the draws of the existing ones, and the
draws do not depend on the number of workers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from sim.core.params import REGISTRY, ParameterError, resolve
from sim.errors import MissingFileError, ZonesimError
from sim.experiments.seeds import POSTERIOR_DRAW, branch_rng

#: Columns of a posterior file that are not parameters.
META_COLUMNS = ("weight", "distance", "generation")


class PosteriorError(ZonesimError, ValueError):
    """A posterior file is missing, malformed or invalid (message names file and key)."""


def load_posterior(path: str | Path) -> pd.DataFrame:
    """Read and check a posterior sample.

    Args:
        path: A ``.parquet`` or ``.csv`` file.

    Returns:
        The particles: one column per parameter and a ``weight`` column that sums
        to 1 (other meta columns kept as they are).

    Raises:
        FileNotFoundError: If the file does not exist.
        PosteriorError: If the file cannot be read, a column is not a registered
            parameter, a value fails the parameter's check (bounds, integer or boolean, as
            every run checks it), or the weights are invalid.
    """
    path = Path(path)
    if not path.is_file():
        raise MissingFileError(f"{path}: posterior file not found")
    if path.suffix not in (".parquet", ".csv"):
        raise PosteriorError(f"{path}: expected a .parquet or .csv posterior file")
    try:
        df = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
    except (ValueError, UnicodeDecodeError, pa.ArrowException) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise PosteriorError(
            f"{path}: expected a readable {path.suffix[1:]} posterior file, could not read it "
            f"({first})"
        ) from None
    names = [c for c in df.columns if c not in META_COLUMNS]
    if df.empty or not names:
        raise PosteriorError(f"{path}: expected at least one particle and one parameter column")
    for name in names:
        if name not in REGISTRY:
            raise PosteriorError(f"{path}: column {name!r}: expected a registered parameter name")
        p = REGISTRY[name]
        values = pd.to_numeric(df[name], errors="coerce").to_numpy(dtype=float)
        for row, value in enumerate(values):  # the check every run applies (resolve)
            try:
                p.check(float(value))
            except ParameterError as exc:
                got = df[name].iloc[row]
                got = got.item() if isinstance(got, np.generic) else got
                raise PosteriorError(
                    f"{path}: {name} (row {row}): expected {exc.expected}, got {got!r}"
                ) from None
        df[name] = values
    if "weight" in df.columns:
        w = pd.to_numeric(df["weight"], errors="coerce").to_numpy(dtype=float)
        if not np.all(np.isfinite(w)) or (w < 0).any() or w.sum() <= 0:
            raise PosteriorError(
                f"{path}: weight: expected non-negative numbers with a positive sum"
            )
    else:
        w = np.ones(len(df))
    df["weight"] = w / w.sum()
    return df.reset_index(drop=True)


def parameter_names(posterior: pd.DataFrame) -> list[str]:
    """Return the parameter columns of a posterior table, in file order."""
    return [c for c in posterior.columns if c not in META_COLUMNS]


def _draw_index(weights: np.ndarray, seed: int, k: int) -> int:
    """Index of draw ``k``: inverse-CDF of the weights at one uniform number."""
    if seed < 0 or k < 0:
        raise ValueError(f"posterior draw: expected non-negative seed and index, got {seed}, {k}")
    u = branch_rng(seed, POSTERIOR_DRAW, k).random()
    cdf = np.cumsum(weights)
    return int(min(np.searchsorted(cdf, u * cdf[-1], side="right"), len(weights) - 1))


def posterior_draw(path: str | Path | pd.DataFrame, seed: int, k: int) -> dict[str, float]:
    """Return parameter set ``k`` drawn (by weight) from a posterior.

    Args:
        path: Posterior file, or a table from :func:`load_posterior`.
        seed: Master seed (a scenario's ``[run] seed``).
        k: Draw index (the replicate index).

    Returns:
        ``{parameter name: value}`` for every parameter column.
    """
    post = path if isinstance(path, pd.DataFrame) else load_posterior(path)
    i = _draw_index(post["weight"].to_numpy(dtype=float), seed, k)
    return {n: float(post[n].iloc[i]) for n in parameter_names(post)}


def posterior_draws(path: str | Path | pd.DataFrame, n: int, seed: int) -> list[dict[str, float]]:
    """Return parameter sets ``0..n-1`` drawn from a posterior (see :func:`posterior_draw`).

    Args:
        path: Posterior file, or a table from :func:`load_posterior`.
        n: Number of draws (replicates).
        seed: Master seed.

    Returns:
        ``n`` parameter mappings; draw ``k`` is the same whatever ``n``.

    Raises:
        ValueError: If ``n`` is negative.
    """
    if n < 0 or isinstance(n, bool) or not math.isfinite(n):
        raise ValueError(f"posterior draws: expected a non-negative count, got {n}")
    post = path if isinstance(path, pd.DataFrame) else load_posterior(path)
    return [posterior_draw(post, seed, k) for k in range(n)]


def replicate_params(
    posterior: str | Path | pd.DataFrame, seed: int, k: int, overrides: Mapping[str, Any]
) -> dict[str, Any]:
    """Resolved parameters of replicate ``k`` of a scenario that draws from a posterior.

    The scenario's own overrides (its ``[parameters]`` and mode assignments) are laid
    over draw ``k``, so a what-if lever set in the scenario wins over the posterior,
    and the posterior supplies the calibrated parameters the scenario leaves alone.

    Args:
        posterior: Posterior file, or a table from :func:`load_posterior`.
        seed: The scenario's master seed.
        k: Replicate index.
        overrides: The scenario's explicit overrides (not the resolved defaults).

    Returns:
        A full, validated parameter mapping (:func:`sim.core.params.resolve`).
    """
    return resolve({**posterior_draw(posterior, seed, k), **dict(overrides)})
