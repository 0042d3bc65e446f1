"""Figures of a sensitivity analysis: indices, Morris mu*-sigma, convergence.

Figures are drawn on :class:`matplotlib.figure.Figure` objects, never through
``pyplot``, so the caller's plotting backend is left alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.analysis.sensitivity.methods import METHODS
from sim.analysis.sensitivity.problem import factor_names
from sim.experiments.fileio import atomic_write

if TYPE_CHECKING:
    from sim.analysis.sensitivity.pipeline import SensitivityResult


def _short(label: str, width: int = 28) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def write_figures(result: SensitivityResult, fig_dir: Path) -> list[Path]:
    """Draw the index, mu*-sigma and convergence figures (PNG, Agg backend).

    Figures are drawn on :class:`matplotlib.figure.Figure` objects (Agg canvas), never
    through ``pyplot``, so the caller's plotting backend is left alone.
    """
    from matplotlib.figure import Figure

    def subplots(ncols: int, figsize: tuple[float, float]) -> tuple[Any, Any]:
        fig = Figure(figsize=figsize)
        return fig, fig.subplots(1, ncols, squeeze=False)

    fig_dir.mkdir(parents=True, exist_ok=True)
    method = result.design.method
    idx = result.indices
    outs = result.outputs
    names = factor_names(result.design.problem)
    paths = []
    n_out = len(outs)

    if method == "morris":
        fig, axes = subplots(n_out, (4.2 * n_out, 4.2))
        for ax, label in zip(axes[0], outs, strict=True):
            d = idx[idx["output"] == label]
            ax.errorbar(
                d["mu_star"], d["sigma"], xerr=d["mu_star_conf"], fmt="o", ms=3, lw=0.8, alpha=0.8
            )
            for _, r in d.nlargest(5, "mu_star").iterrows():
                ax.annotate(_short(r["parameter"], 20), (r["mu_star"], r["sigma"]), fontsize=7)
            if "mu_star_noise_floor" in d and np.isfinite(d["mu_star_noise_floor"].iloc[0]):
                ax.axvline(d["mu_star_noise_floor"].iloc[0], color="grey", ls=":", lw=1)
            lim = max(d["mu_star"].max(), d["sigma"].max(), 1e-12) * 1.05
            ax.plot([0, lim], [0, lim], color="grey", lw=0.6, ls="--")
            ax.set(title=label, xlabel="mu* (95 % CI)", ylabel="sigma")
        fig.tight_layout()
        paths.append(fig_dir / "morris_mu_star_sigma.png")
        _save(fig, paths[-1])

    cols = METHODS[method].PRIMARY
    height = max(3.0, 0.16 * len(names) + 1.2)
    fig, axes = subplots(n_out, (3.6 * n_out + 1.6, height))
    pos = np.arange(len(names))
    width = 0.8 / len(cols)
    for ax, label in zip(axes[0], outs, strict=True):
        d = idx[idx["output"] == label].set_index("parameter").loc[names]
        for k, (col, conf) in enumerate(cols):
            ax.barh(
                pos + k * width,
                d[col],
                height=width,
                xerr=d[conf] if conf else None,
                label=col,
                error_kw={"lw": 0.7},
            )
        ax.set_yticks(pos + width * (len(cols) - 1) / 2)
        ax.set_yticklabels([_short(n) for n in names], fontsize=7)
        ax.invert_yaxis()
        ax.set_title(label, fontsize=9)
        if ax is not axes[0][0]:
            ax.set_yticklabels([])
    axes[0][0].legend(fontsize=7)
    fig.tight_layout()
    paths.append(fig_dir / f"{method}_indices.png")
    _save(fig, paths[-1])

    conv = result.convergence
    size = "r" if method == "morris" else "N"
    fig, axes = subplots(n_out, (3.6 * n_out, 3.8))
    for ax, label in zip(axes[0], outs, strict=True):
        c = conv[conv["output"] == label]
        for key, d in c.groupby("index", sort=False):
            ax.scatter(d["value_half"], d["value"], s=10, label=str(key), alpha=0.8)
        bad = c[c["influential"] & ~c["converged"]]
        if len(bad):
            ax.scatter(bad["value_half"], bad["value"], s=40, facecolors="none",
                       edgecolors="red", label="influential,\nnot converged")  # fmt: skip
        lo = float(min(c["value"].min(), c["value_half"].min(), 0))
        hi = float(max(c["value"].max(), c["value_half"].max(), 1e-12))
        ax.plot([lo, hi], [lo, hi], color="grey", lw=0.7, ls="--")
        ax.set_title(label, fontsize=9)
        ax.set_xlabel(f"index at {size}/2 = {result.meta['n_half']}")
        ax.set_ylabel(f"index at {size} = {result.meta['n']}")
    axes[0][0].legend(fontsize=7)
    fig.tight_layout()
    paths.append(fig_dir / "convergence.png")
    _save(fig, paths[-1])
    return paths


def _save(fig: Any, path: Path) -> None:
    atomic_write(path, lambda p: fig.savefig(p, dpi=110))
