"""Replicate noise: how much of an output's variance across the design is seed noise.

Every design point runs with the same ``k`` replicate seeds (common random numbers)
and its output is the mean over them. The remaining seed-to-seed noise is estimated
from extra replicates at a few design points (:func:`probe_rows`, :func:`noise_table`)
and reported beside the indices; for Sobol indices a noise-adjusted pair is added
(:func:`adjust_for_noise`; exact when the noise is independent between design points,
see ``docs/sensitivity.md``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from sim.analysis.sensitivity import morris
from sim.analysis.sensitivity.analysis import Design


def probe_rows(n_rows: int, n_points: int) -> np.ndarray:
    """Design rows at which extra replicates estimate the noise (evenly spread)."""
    if n_points <= 0:
        return np.empty(0, dtype=int)
    return np.unique(np.linspace(0, n_rows - 1, min(n_points, n_rows)).round().astype(int))


def noise_table(
    design: Design,
    Y: np.ndarray,
    probe: np.ndarray,
    replicates: int,
    outputs: Sequence[str],
    *,
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """Estimate the replicate noise of every output.

    Args:
        design: The design.
        Y: Single-run outputs at the probe rows, shape ``(probe rows, runs,
            outputs)``; the first ``replicates`` runs are the design's own.
        probe: The probe rows.
        replicates: Replicates averaged at every design point (``k``).
        outputs: Output labels.
        conf_level: Level of the chi-square interval on the noise variance.

    Returns:
        One row per output: ``noise_var`` (one run), ``noise_var_low``/``_high``,
        ``noise_var_mean`` (of the k-run mean), ``output_var`` (over the design),
        ``noise_share`` (their ratio) and, for Morris, ``mu_star_noise_floor`` (the
        mu* that noise alone would give when runs at neighbouring points are
        independent).
    """
    rows = []
    df = len(probe) * (Y.shape[1] - 1)
    for j, label in enumerate(outputs):
        var = float(np.mean(np.var(Y[:, :, j], axis=1, ddof=1))) if df > 0 else float("nan")
        lo = hi = float("nan")
        if df > 0:
            lo = df * var / stats.chi2.ppf(0.5 + conf_level / 2, df)
            hi = df * var / stats.chi2.ppf(0.5 - conf_level / 2, df)
        rows.append(
            {
                "output": label,
                "replicates": replicates,
                "probe_points": len(probe),
                "probe_runs": int(Y.shape[1]),
                "noise_var": var,
                "noise_var_low": lo,
                "noise_var_high": hi,
                "noise_var_mean": var / replicates,
            }
        )
    out = pd.DataFrame(rows)
    if design.method == "morris":
        floor = morris.noise_floor(out["noise_var_mean"], design.options["num_levels"])
        out["mu_star_noise_floor"] = floor
    return out


def adjust_for_noise(indices: pd.DataFrame, noise: pd.DataFrame) -> pd.DataFrame:
    """Add noise shares and, for Sobol, noise-adjusted indices.

    With output ``Y = f(x) + e`` and noise ``e`` of variance ``s2`` independent
    between design points, SALib's first-order estimate is ``V1 / (V + s2)`` and its
    total-order estimate ``(VT + s2) / (V + s2)``. With ``eta = s2 / (V + s2)`` the
    adjusted indices ``S1 / (1 - eta)`` and ``(ST - eta) / (1 - eta)`` estimate the
    indices of ``f``. Common random numbers make the effective noise smaller, so the
    true indices lie between the raw and the adjusted ones.

    Args:
        indices: Output of :func:`analyze_design`.
        noise: Output of :func:`noise_table` with ``output_var`` filled in.

    Returns:
        A copy with ``noise_share`` and, for Sobol tables, ``S1_adj``,
        ``S1_adj_conf``, ``ST_adj`` and ``ST_adj_conf``.
    """
    out = indices.copy()
    share = noise.set_index("output")["noise_share"]
    eta = out["output"].map(share).astype(float).fillna(0.0).clip(0.0, 0.99)
    out["noise_share"] = eta
    if "S1" in out:
        out["S1_adj"] = out["S1"] / (1 - eta)
        out["S1_adj_conf"] = out["S1_conf"] / (1 - eta)
        out["ST_adj"] = (out["ST"] - eta) / (1 - eta)
        out["ST_adj_conf"] = out["ST_conf"] / (1 - eta)
    return out
