"""Global sensitivity analysis of the model with SALib.

The pipeline has one shape for every method (Morris, Sobol, PAWN, DGSM):

1. :func:`build_problem` builds the SALib problem from the parameter registry's
   bounds (:func:`sim.core.params.salib_problem`, the single source of truth),
   optionally with the registry's groups;
2. :func:`make_design` samples the unit-scaled design with SALib;
3. an *evaluator* turns design rows into outputs: ``evaluate(X, samples,
   replicates) -> Y`` of shape ``(rows, replicates, outputs)``. :class:`ModelEvaluator`
   runs the model through the batch layer (local processes or Dask, resumable);
   :func:`function_evaluator` wraps a plain function such as SALib's Ishigami for
   known-answer tests;
4. :func:`analyze_design` computes the indices with SALib, on the whole design and
   on its first half (the convergence check);
5. :func:`write_outputs` writes the tables, figures and a Markdown report.

Stochastic outputs. Every design point runs with the same ``k`` replicate seeds
(common random numbers, :func:`sim.experiments.seeds.replicate_seed`) and its
output is the mean over them. The remaining seed-to-seed noise is estimated from
extra replicates at a few design points and reported beside the indices as a
variance and as a share of the output's variance across the design. For Sobol
indices, a noise-adjusted pair is reported too (exact when the noise is
independent between design points; see ``docs/sensitivity.md``).

Parameter kinds. SALib samples continuous values; integer parameters are rounded to
the nearest integer, ``year`` parameters stay decimal years, and boolean switches
are left out of the default problem (name them with ``params`` to include them: a
sample then means "on" from 0.5 up).
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats import qmc

from sim.core.params import REGISTRY, ParameterError, resolve, salib_problem
from sim.core.run import FIRST_YEAR, LAST_YEAR, METRICS

#: Methods, in the order the command line lists them.
METHODS = ("morris", "sobol", "pawn", "dgsm")

#: Outputs analysed when none are named: firms and growth gap in 2018 (the
#: calibration year), then 2035 GDP of the statistics zones, firms and delisted zones.
DEFAULT_OUTPUTS = (
    "firms@2018",
    "growth_gap_pp@2018",
    "stat_zone_gdp@2035",
    "firms@2035",
    "zones_delisted@2035",
)

#: Index columns of each method's table (after ``parameter`` and ``output``).
INDEX_COLUMNS: dict[str, tuple[str, ...]] = {
    "morris": ("mu", "mu_star", "mu_star_conf", "sigma"),
    "sobol": ("S1", "S1_conf", "ST", "ST_conf"),
    "pawn": ("minimum", "mean", "median", "maximum", "CV", "stdev"),
    "dgsm": ("vi", "vi_std", "dgsm", "dgsm_conf"),
}

#: Headline indices of each method and the column holding their interval half-width.
PRIMARY: dict[str, tuple[tuple[str, str | None], ...]] = {
    "morris": (("mu_star", "mu_star_conf"),),
    "sobol": (("S1", "S1_conf"), ("ST", "ST_conf")),
    "pawn": (("median", None),),
    "dgsm": (("dgsm", "dgsm_conf"),),
}

#: An index has converged when its interval half-width is at most this share of its
#: value (PAWN, which has no interval: when it moved at most this share from N/2 to N).
CONVERGENCE_TOLERANCE = 0.10

#: A Sobol index is influential from this value up.
SOBOL_THRESHOLD = 0.05

#: A Morris mu*, PAWN median or DGSM index is influential from this share of the
#: largest index of the same output up.
RELATIVE_THRESHOLD = 0.10

#: Smallest base sample size that still leaves a usable half for the convergence check.
MIN_BASE = 4


class SensitivityError(ValueError):
    """An invalid sensitivity-analysis request (reported on one line)."""


# --------------------------------------------------------------------------- outputs


@dataclass(frozen=True)
class OutputSpec:
    """One scalar output: a metric of :data:`sim.core.run.METRICS` in one year.

    Attributes:
        metric: Metric name.
        year: Calendar year (end of year).
    """

    metric: str
    year: int

    @property
    def label(self) -> str:
        """The spec as written on the command line, ``metric@year``."""
        return f"{self.metric}@{self.year}"


def parse_output(text: str) -> OutputSpec:
    """Parse ``metric@year`` (e.g. ``firms@2018``).

    Raises:
        SensitivityError: If the text is malformed, the metric unknown or the year out
            of the model's range.
    """
    metric, sep, year = text.strip().partition("@")
    if not sep or not metric or not year:
        raise SensitivityError(f"--outputs {text!r}: expected metric@year, e.g. firms@2018")
    if metric not in METRICS:
        raise SensitivityError(
            f"--outputs {text!r}: expected a metric of `zonesim` results "
            f"({', '.join(METRICS[:4])}, ...), got {metric!r}"
        )
    try:
        y = int(year)
    except ValueError:
        raise SensitivityError(f"--outputs {text!r}: expected a whole year after '@'") from None
    if not FIRST_YEAR <= y <= LAST_YEAR:
        raise SensitivityError(
            f"--outputs {text!r}: expected a year from {FIRST_YEAR} to {LAST_YEAR}"
        )
    return OutputSpec(metric, y)


def parse_outputs(texts: str | Sequence[str] | None) -> tuple[OutputSpec, ...]:
    """Parse comma-separated or listed output specs (default :data:`DEFAULT_OUTPUTS`).

    Raises:
        SensitivityError: On a malformed or repeated spec, or an empty list.
    """
    if texts is None:
        texts = DEFAULT_OUTPUTS
    if isinstance(texts, str):
        texts = [t for t in texts.split(",") if t.strip()]
    specs = tuple(parse_output(t) for t in texts)
    if not specs:
        raise SensitivityError("--outputs: expected at least one metric@year")
    labels = [s.label for s in specs]
    for label in labels:
        if labels.count(label) > 1:
            raise SensitivityError(f"--outputs: {label} is listed twice")
    return specs


# --------------------------------------------------------------------------- problem


def build_problem(names: Sequence[str] | str | None = None, *, grouped: bool = False) -> dict:
    """Build the SALib problem from the registry.

    Args:
        names: Parameters to vary (a list or a comma-separated string); default every
            non-boolean parameter whose bounds differ.
        grouped: Attach each parameter's registry group (grouped Morris or Sobol).

    Returns:
        A SALib problem dictionary (``num_vars``, ``names``, ``bounds``, and
        ``groups`` when grouped).

    Raises:
        SensitivityError: On an unknown or repeated name, or on a parameter whose
            bounds are equal.
    """
    if isinstance(names, str):
        names = [n.strip() for n in names.split(",") if n.strip()]
    if names is not None:
        names = list(names)
        if not names:
            raise SensitivityError("--params: expected at least one parameter name")
        for n in names:
            if names.count(n) > 1:
                raise SensitivityError(f"--params: {n} is listed twice")
            if n in REGISTRY and not REGISTRY[n].lower < REGISTRY[n].upper:
                raise SensitivityError(f"--params: {n} has equal bounds; nothing to vary")
    try:
        problem = salib_problem(names, grouped=grouped)
    except ParameterError as exc:
        raise SensitivityError(
            f"--params {exc.key}: expected a registered parameter name (see `zonesim params`)"
        ) from None
    if problem["num_vars"] < 2:
        raise SensitivityError("--params: expected at least two parameters to compare")
    if grouped and len(set(problem["groups"])) < 2:
        raise SensitivityError("--groups: expected parameters from at least two groups")
    return problem


def factor_names(problem: Mapping[str, Any]) -> list[str]:
    """Names of the analysed factors: groups when grouped, else parameters."""
    groups = problem.get("groups")
    if groups:
        return list(dict.fromkeys(groups))
    return list(problem["names"])


def to_overrides(problem: Mapping[str, Any], X: np.ndarray) -> list[dict[str, float]]:
    """Map design rows to parameter overrides that the registry accepts.

    Integer parameters are rounded to the nearest integer, booleans are "on" from
    0.5 up, year and real parameters keep their value; every value is clipped to its
    bounds (sampling round-off).

    Args:
        problem: SALib problem from :func:`build_problem`.
        X: Design, one row per point, columns in ``problem["names"]`` order.

    Returns:
        One ``{name: value}`` mapping per row.
    """
    X = np.atleast_2d(np.asarray(X, dtype=float))
    cols = []
    for j, name in enumerate(problem["names"]):
        p = REGISTRY[name]
        x = np.clip(X[:, j], p.lower, p.upper)
        if p.kind == "int":
            x = np.clip(np.rint(x), math.ceil(p.lower), math.floor(p.upper))
        elif p.kind == "bool":
            x = (x >= 0.5 * (p.lower + p.upper)).astype(float)
        cols.append(x)
    values = np.column_stack(cols) if cols else np.empty((len(X), 0))
    return [dict(zip(problem["names"], map(float, row), strict=True)) for row in values]


# --------------------------------------------------------------------------- design


@dataclass(frozen=True)
class Design:
    """A sampled design and what is needed to analyse it.

    Attributes:
        method: One of :data:`METHODS`.
        problem: The SALib problem.
        X: Design in parameter units, one row per model evaluation.
        n_base: Base sample size (Sobol/PAWN/DGSM ``N``, Morris trajectories).
        block: Rows per base unit (the first ``m * block`` rows form a design of
            base size ``m``).
        options: Method options (``num_levels``, ``delta``).
    """

    method: str
    problem: dict
    X: np.ndarray
    n_base: int
    block: int
    options: dict = field(default_factory=dict)

    def rows(self, n_base: int | None = None) -> int:
        """Rows of the design restricted to its first ``n_base`` base units."""
        return (self.n_base if n_base is None else n_base) * self.block


def _salib_seed(seed: int, stream: int) -> int:
    """A positive integer seed for SALib, derived from the master seed.

    SALib treats a seed of 0 as "no seed", so the result is never 0.
    """
    child = np.random.SeedSequence(seed, spawn_key=(1_000_003, stream))
    return int(child.generate_state(1, np.uint32)[0] % (2**31 - 2)) + 1


def _is_power_of_two(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


def make_design(
    method: str,
    problem: dict,
    n: int,
    *,
    seed: int,
    num_levels: int = 4,
    delta: float = 0.01,
) -> Design:
    """Sample a design with SALib.

    Args:
        method: ``morris`` (``n`` trajectories), ``sobol`` (Saltelli design, first
            and total order, ``n`` a power of two), ``pawn`` (scrambled Sobol'
            sequence of ``n`` points, a power of two) or ``dgsm`` (finite differences
            around ``n`` base points).
        problem: SALib problem from :func:`build_problem`.
        n: Base sample size.
        seed: Master seed; the sampling stream is derived from it.
        num_levels: Morris grid levels (even).
        delta: DGSM relative finite-difference step.

    Returns:
        The design.

    Raises:
        SensitivityError: On an unknown method or an invalid size.
    """
    if method not in METHODS:
        raise SensitivityError(f"--method {method!r}: expected one of {', '.join(METHODS)}")
    if n < MIN_BASE:
        raise SensitivityError(f"sample size: expected at least {MIN_BASE}, got {n}")
    if problem.get("groups") and method not in ("morris", "sobol"):
        raise SensitivityError(f"--groups: expected --method morris or sobol, not {method}")
    problem = copy.deepcopy(problem)  # SALib may add keys to the problem it is given
    s = _salib_seed(seed, 0)
    d = problem["num_vars"]
    n_factors = len(factor_names(problem))
    if method == "morris":
        from SALib.sample import morris

        if num_levels < 2 or num_levels % 2:
            raise SensitivityError(f"--levels: expected an even number >= 2, got {num_levels}")
        X = morris.sample(problem, n, num_levels=num_levels, seed=s)
        return Design(method, problem, X, n, n_factors + 1, {"num_levels": num_levels})
    if method in ("sobol", "pawn") and not _is_power_of_two(n):
        raise SensitivityError(f"-N: expected a power of two for {method} (e.g. 1024), got {n}")
    if method == "sobol":
        from SALib.sample import sobol

        X = sobol.sample(problem, n, calc_second_order=False, scramble=True, seed=s)
        return Design(method, problem, X, n, n_factors + 2)
    if method == "pawn":
        unit = qmc.Sobol(d, scramble=True, seed=np.random.default_rng(np.random.SeedSequence(s)))
        lo, hi = np.asarray(problem["bounds"], dtype=float).T
        X = qmc.scale(unit.random(n), lo, hi)
        return Design(method, problem, X, n, 1)
    from SALib.sample import finite_diff

    if not 0 < delta < 1:
        raise SensitivityError(f"--delta: expected a step between 0 and 1, got {delta}")
    X = finite_diff.sample(problem, n, delta=delta, seed=s)
    return Design(method, problem, X, n, d + 1, {"delta": delta})


# --------------------------------------------------------------------------- analysis


def _analyze_one(
    design: Design, X: np.ndarray, y: np.ndarray, *, seed: int, conf_level: float, resamples: int
) -> dict[str, np.ndarray]:
    """Run SALib's analysis of one method on one output vector."""
    problem = design.problem
    if design.method == "morris":
        from SALib.analyze import morris

        res = morris.analyze(
            problem,
            X,
            y,
            num_resamples=resamples,
            conf_level=conf_level,
            num_levels=design.options["num_levels"],
            seed=seed,
        )
    elif design.method == "sobol":
        from SALib.analyze import sobol

        res = sobol.analyze(
            problem,
            y,
            calc_second_order=False,
            num_resamples=resamples,
            conf_level=conf_level,
            seed=seed,
        )
    elif design.method == "pawn":
        from SALib.analyze import pawn

        res = pawn.analyze(problem, X, y, S=10, seed=None)  # deterministic; no bootstrap
    else:
        from SALib.analyze import dgsm

        res = dgsm.analyze(problem, X, y, num_resamples=resamples, conf_level=conf_level, seed=seed)
    return {c: np.asarray(res[c], dtype=float) for c in INDEX_COLUMNS[design.method]}


def analyze_design(
    design: Design,
    Y: np.ndarray,
    outputs: Sequence[str],
    *,
    seed: int,
    n_base: int | None = None,
    conf_level: float = 0.95,
    resamples: int = 1000,
) -> pd.DataFrame:
    """Compute the indices of every output.

    Args:
        design: The sampled design.
        Y: Outputs, shape ``(rows, outputs)`` (the first :meth:`Design.rows` rows
            are used).
        outputs: Output labels, one per column of ``Y``.
        seed: Master seed (the bootstrap stream is derived from it).
        n_base: Analyse only the first ``n_base`` base units (default: all).
        conf_level: Confidence level of the intervals.
        resamples: Bootstrap resamples.

    Returns:
        Long table: ``parameter``, ``output``, then :data:`INDEX_COLUMNS` of the
        method. ``parameter`` holds the group name in a grouped analysis.

    Raises:
        SensitivityError: If an output is constant or not finite over the design.
    """
    rows = design.rows(n_base)
    X = design.X[:rows]
    Y = np.asarray(Y, dtype=float).reshape(len(design.X), -1)[:rows]
    names = factor_names(design.problem)
    frames = []
    for j, label in enumerate(outputs):
        y = Y[:, j]
        if not np.all(np.isfinite(y)):
            raise SensitivityError(f"output {label}: expected finite values at every point")
        if np.ptp(y) == 0:
            res = {c: np.zeros(len(names)) for c in INDEX_COLUMNS[design.method]}
        else:
            res = _analyze_one(
                design,
                X,
                y,
                seed=_salib_seed(seed, 1 + j),
                conf_level=conf_level,
                resamples=resamples,
            )
        frame = pd.DataFrame({"parameter": names, "output": label, **res})
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------- noise


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
        levels = design.options["num_levels"]
        step = levels / (2 * (levels - 1))
        out["mu_star_noise_floor"] = 2 * np.sqrt(out["noise_var_mean"] / np.pi) / step
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


# --------------------------------------------------------------------------- evaluators


class Evaluator(Protocol):
    """Turns design rows into outputs.

    Called as ``evaluate(X, samples, replicates)``: ``X`` holds design rows in
    parameter units, ``samples`` their row numbers in the design (run labels, so a
    resumed analysis finds its runs) and ``replicates`` the replicate indices (seeds)
    to run at each. Returns an array of shape ``(rows, replicates, outputs)``.
    """

    def __call__(
        self, X: np.ndarray, samples: Sequence[int], replicates: Sequence[int]
    ) -> np.ndarray:
        """Evaluate the rows (see the class docstring)."""
        ...


def function_evaluator(
    fn: Callable[[np.ndarray], np.ndarray],
    *,
    noise_sd: float = 0.0,
    seed: int = 0,
) -> Evaluator:
    """Wrap a vectorised function ``fn(X) -> Y`` as an evaluator.

    Args:
        fn: Deterministic function of the design rows; 1-D or 2-D result.
        noise_sd: Standard deviation of additive Gaussian noise, drawn afresh for
            every (row, replicate): the worst case for common random numbers.
        seed: Master seed of the noise.

    Returns:
        An :class:`Evaluator`.
    """

    def evaluate(X: np.ndarray, samples: Sequence[int], replicates: Sequence[int]) -> np.ndarray:
        base = np.asarray(fn(np.asarray(X, dtype=float)), dtype=float).reshape(len(X), -1)
        Y = np.repeat(base[:, None, :], len(replicates), axis=1)
        if noise_sd > 0:
            for k, rep in enumerate(replicates):
                for i, s in enumerate(samples):
                    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(rep, s)))
                    Y[i, k] += noise_sd * rng.standard_normal(base.shape[1])
        return Y

    return evaluate


class ModelEvaluator:
    """Runs design rows through the model with the batch layer (resumable).

    Each row becomes one :class:`sim.experiments.runs.RunSpec` per replicate: the
    base parameters with the row's overrides, replicate ``r``'s seed from
    :func:`sim.experiments.seeds.replicate_seed` (the same at every row: common
    random numbers), labelled with the row's number as ``sample``. Runs already
    stored in ``runs_dir`` are not repeated.
    """

    def __init__(
        self,
        problem: dict,
        outputs: Sequence[OutputSpec],
        runs_dir: Path,
        *,
        backend: Any,
        seed: int,
        base: Mapping[str, Any] | None = None,
        scenario: str = "sensitivity",
        start: int = FIRST_YEAR,
        progress: bool = True,
        manifest_extra: Mapping[str, Any] | None = None,
    ) -> None:
        """Set up the evaluator.

        Args:
            problem: SALib problem.
            outputs: Output specs; the horizon ends at their last year.
            runs_dir: Batch folder for the runs.
            backend: Backend from :func:`sim.experiments.backends.make_backend`.
            seed: Master seed of the replicate seeds.
            base: Resolved parameters of the base point (default: registry defaults).
            scenario: Scenario label of the runs.
            start: First year stored.
            progress: Show a progress bar.
            manifest_extra: Extra fields recorded in the batch manifest.
        """
        self.problem = problem
        self.outputs = list(outputs)
        self.runs_dir = Path(runs_dir)
        self.backend = backend
        self.seed = seed
        self.base = dict(base) if base is not None else resolve()
        self.scenario = scenario
        self.start = min(start, min(o.year for o in self.outputs))
        self.end = max(o.year for o in self.outputs)
        self.progress = progress
        self.manifest_extra = dict(manifest_extra or {})
        self._asked: dict[Any, Any] = {}

    def specs(self, X: np.ndarray, samples: Sequence[int], replicates: Sequence[int]) -> list:
        """Run specifications of the rows (row-major, replicates inner)."""
        from sim.experiments.runs import RunSpec
        from sim.experiments.seeds import replicate_seed

        seeds = {r: replicate_seed(self.seed, r) for r in replicates}
        specs = []
        for s, over in zip(samples, to_overrides(self.problem, X), strict=True):
            params = {**self.base, **over}
            for r in replicates:
                specs.append(
                    RunSpec(self.scenario, int(r), seeds[r], params, self.start, self.end, int(s))
                )
        return specs

    def __call__(
        self, X: np.ndarray, samples: Sequence[int], replicates: Sequence[int]
    ) -> np.ndarray:
        """Run (or reload) the rows; see :class:`Evaluator`."""
        from sim.experiments.batch import execute
        from sim.experiments.store import load_results

        specs = self.specs(X, samples, replicates)
        # The batch's run index lists every run asked for so far (design and noise
        # probe), so the folder loads as one batch; finished runs are skipped.
        self._asked.update(dict.fromkeys(specs))
        execute(
            list(self._asked),
            self.runs_dir,
            backend=self.backend,
            manifest_extra=self.manifest_extra,
            progress=self.progress,
            zones=False,
        )
        annual = load_results(self.runs_dir).annual
        wanted = {spec.run_id for spec in specs}
        years = sorted({o.year for o in self.outputs})
        metrics = sorted({o.metric for o in self.outputs})
        cols = ["run_id", "year", *metrics]
        table = annual.loc[annual["run_id"].isin(wanted) & annual["year"].isin(years), cols]
        table = table.drop_duplicates(["run_id", "year"]).set_index(["run_id", "year"])
        run_ids = [spec.run_id for spec in specs]
        Y = np.empty((len(X), len(replicates), len(self.outputs)))
        for j, o in enumerate(self.outputs):
            values = table.xs(o.year, level="year")[o.metric].reindex(run_ids)
            if values.isna().any():
                spec = specs[int(np.flatnonzero(values.isna().to_numpy())[0])]
                raise SensitivityError(
                    f"{self.runs_dir}: run {spec.run_id} (sample {spec.sample}) has no "
                    f"{o.label}; expected a finished run"
                )
            Y[:, :, j] = values.to_numpy(dtype=float).reshape(len(X), len(replicates))
        return Y


# --------------------------------------------------------------------------- pipeline


@dataclass
class SensitivityResult:
    """Everything a sensitivity analysis produced.

    Attributes:
        design: The sampled design.
        outputs: Output labels.
        Y: Outputs averaged over the replicates, shape ``(rows, outputs)``.
        indices: Index table at the full sample size (with noise columns).
        half: Index table at half the sample size.
        convergence: Headline indices at N/2 and N with interval widths and flags.
        noise: Noise table (one row per output).
        meta: Settings and counts for the report and the manifest.
    """

    design: Design
    outputs: list[str]
    Y: np.ndarray
    indices: pd.DataFrame
    half: pd.DataFrame
    convergence: pd.DataFrame
    noise: pd.DataFrame
    meta: dict

    def influential(self) -> pd.DataFrame:
        """Rows of the convergence table flagged influential."""
        c = self.convergence
        return c[c["influential"]]

    def not_converged(self) -> pd.DataFrame:
        """Influential indices whose interval is wider than the tolerance."""
        c = self.convergence
        return c[c["influential"] & ~c["converged"]]


def convergence_table(method: str, full: pd.DataFrame, half: pd.DataFrame) -> pd.DataFrame:
    """Compare headline indices at N/2 and N and flag influence and convergence.

    Influential: Sobol indices of at least :data:`SOBOL_THRESHOLD`; other methods'
    indices of at least :data:`RELATIVE_THRESHOLD` of the output's largest (and, for
    Morris, above the noise floor when one is known). Converged: interval
    half-width at most :data:`CONVERGENCE_TOLERANCE` of the value (PAWN: change from
    N/2 to N at most that share).
    """
    frames = []
    for index, conf in PRIMARY[method]:
        f = full[["parameter", "output"]].copy()
        f["index"] = index
        f["value"] = full[index].to_numpy()
        f["value_half"] = half[index].to_numpy()
        f["conf"] = full[conf].to_numpy() if conf else np.nan
        f["change"] = (f["value"] - f["value_half"]).abs()
        scale = f["value"].abs().replace(0, np.nan)
        f["rel_halfwidth"] = f["conf"] / scale
        f["rel_change"] = f["change"] / scale
        if method == "sobol":
            f["influential"] = f["value"] >= SOBOL_THRESHOLD
        else:
            peak = f.groupby("output")["value"].transform(lambda v: v.abs().max())
            f["influential"] = (f["value"].abs() >= RELATIVE_THRESHOLD * peak) & (peak > 0)
            if "mu_star_noise_floor" in full:
                floor = full["mu_star_noise_floor"].to_numpy(dtype=float)
                f["influential"] &= ~(f["value"] <= np.nan_to_num(floor, nan=-np.inf))
        measure = f["rel_change"] if conf is None else f["rel_halfwidth"]
        f["converged"] = (measure <= CONVERGENCE_TOLERANCE).fillna(False)
        frames.append(f)
    return pd.concat(frames, ignore_index=True)


def run_analysis(
    method: str,
    problem: dict,
    outputs: Sequence[str],
    evaluate: Evaluator,
    *,
    n: int,
    seed: int,
    replicates: int = 1,
    noise_points: int = 8,
    noise_replicates: int = 4,
    num_levels: int = 4,
    delta: float = 0.01,
    conf_level: float = 0.95,
    resamples: int = 1000,
) -> SensitivityResult:
    """Sample, evaluate and analyse: the whole pipeline behind one evaluator.

    Args:
        method: One of :data:`METHODS`.
        problem: SALib problem (:func:`build_problem`).
        outputs: Output labels, one per output of the evaluator.
        evaluate: The :class:`Evaluator`.
        n: Base sample size (Morris: trajectories).
        seed: Master seed (sampling, replicate seeds, bootstrap).
        replicates: Replicates averaged at every point (common random numbers).
        noise_points: Design points that get extra replicates for the noise estimate.
        noise_replicates: Extra replicates at each of them.
        num_levels: Morris levels.
        delta: DGSM step.
        conf_level: Confidence level.
        resamples: Bootstrap resamples.

    Returns:
        The :class:`SensitivityResult`.

    Raises:
        SensitivityError: On invalid settings.
    """
    if replicates < 1:
        raise SensitivityError(f"--replicates: expected at least 1, got {replicates}")
    if noise_points < 0 or noise_replicates < 0:
        raise SensitivityError("--noise-points/--noise-replicates: expected 0 or more")
    design = make_design(method, problem, n, seed=seed, num_levels=num_levels, delta=delta)
    n_rows = len(design.X)
    reps = list(range(replicates))
    Y_all = np.asarray(evaluate(design.X, range(n_rows), reps), dtype=float)
    if Y_all.shape != (n_rows, replicates, len(outputs)):
        raise SensitivityError(
            f"evaluator: expected an array of shape {(n_rows, replicates, len(outputs))}, "
            f"got {Y_all.shape}"
        )
    Y = Y_all.mean(axis=1)
    probe = probe_rows(n_rows, noise_points if noise_replicates + replicates > 1 else 0)
    extra = list(range(replicates, replicates + noise_replicates))
    if len(probe) and extra:
        Y_probe = np.concatenate(
            [Y_all[probe], np.asarray(evaluate(design.X[probe], probe.tolist(), extra))], axis=1
        )
    else:
        Y_probe = Y_all[probe]
    noise = noise_table(design, Y_probe, probe, replicates, outputs, conf_level=conf_level)
    noise["output_var"] = Y.var(axis=0)
    noise["noise_share"] = (noise["noise_var_mean"] / noise["output_var"].replace(0, np.nan)).clip(
        upper=1.0
    )

    kwargs = {"seed": seed, "conf_level": conf_level, "resamples": resamples}
    full = analyze_design(design, Y, outputs, **kwargs)
    half_n = design.n_base // 2
    half = analyze_design(design, Y, outputs, n_base=half_n, **kwargs)
    full = adjust_for_noise(full, noise)
    half = adjust_for_noise(half, noise)
    if "mu_star_noise_floor" in noise:
        floor = noise.set_index("output")["mu_star_noise_floor"]
        full["mu_star_noise_floor"] = full["output"].map(floor)
    conv = convergence_table(method, full, half)
    meta = {
        "method": method,
        "n": int(n),
        "n_half": int(half_n),
        "rows": int(n_rows),
        "runs": int(n_rows * replicates + len(probe) * len(extra)),
        "replicates": int(replicates),
        "noise_points": len(probe),
        "noise_replicates": len(extra),
        "seed": int(seed),
        "conf_level": conf_level,
        "resamples": resamples,
        "parameters": list(problem["names"]),
        "grouped": bool(problem.get("groups")),
        **design.options,
    }
    return SensitivityResult(design, list(outputs), Y, full, half, conv, noise, meta)


# --------------------------------------------------------------------------- writing


def _atomic_write(path: Path, write: Callable[[Path], Any]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)


def _write_table(df: pd.DataFrame, path_stem: Path) -> None:
    _atomic_write(path_stem.with_suffix(".csv"), lambda p: df.to_csv(p, index=False))
    _atomic_write(path_stem.with_suffix(".parquet"), lambda p: df.to_parquet(p, index=False))


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
    tables = {
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
    report = out_dir / "report.md"
    _atomic_write(report, lambda p: p.write_text(render_report(result), encoding="utf-8"))
    meta = out_dir / "summary.json"
    _atomic_write(meta, lambda p: p.write_text(json.dumps(result.meta, indent=1) + "\n"))
    return [*written, report, meta]


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
        fig.savefig(paths[-1], dpi=110)

    cols = {
        "morris": [("mu_star", "mu_star_conf")],
        "sobol": [("S1", "S1_conf"), ("ST", "ST_conf")],
        "pawn": [("median", None)],
        "dgsm": [("dgsm", "dgsm_conf")],
    }[method]
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
    fig.savefig(paths[-1], dpi=110)

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
    fig.savefig(paths[-1], dpi=110)
    return paths


def _fmt(value: float, conf: float | None = None) -> str:
    if conf is None or not np.isfinite(conf):
        return f"{value:.3g}"
    return f"{value:.3g} ± {conf:.2g}"


def render_report(result: SensitivityResult) -> str:
    """Render the Markdown report: settings, noise, influential and unconverged indices."""
    m = result.meta
    method = m["method"]
    size = f"r = {m['n']} trajectories" if method == "morris" else f"N = {m['n']}"
    lines = [
        f"# Sensitivity analysis: {method}",
        "",
        f"- Design: {size}, {m['rows']} points, {len(m['parameters'])} parameters"
        + (" in groups" if m["grouped"] else "")
        + f"; {m['runs']} model runs; seed {m['seed']}.",
        f"- Replicates per point: {m['replicates']} (common random numbers); noise estimated "
        f"from {m['noise_replicates']} extra replicates at {m['noise_points']} points.",
        f"- Intervals: {round(m['conf_level'] * 100)} % bootstrap ({m['resamples']} resamples)"
        + (
            "; PAWN has none, convergence is the change from N/2 to N." if method == "pawn" else "."
        ),
        "- Boolean switches are not varied unless named; integer parameters are rounded.",
        "",
        "## Noise",
        "",
        "Seed-to-seed variance of one run at the probed points (95 % interval), the "
        "variance of the outputs across the design, and the noise share of the latter "
        "(after averaging the replicates)"
        + ("; mu* below the noise floor cannot be told from noise." if method == "morris" else ".")
        + (
            " Sobol tables also give noise-adjusted `S1_adj`, `ST_adj`."
            if method == "sobol"
            else ""
        ),
        "",
        "| output | noise variance (one run) | output variance | noise share |"
        + (" mu* noise floor |" if method == "morris" else ""),
        "|---|---|---|---|" + ("---|" if method == "morris" else ""),
    ]
    if m["noise_points"] == 0:
        lines.insert(-3, "Not measured in this analysis (no noise probe).\n")
    for _, r in result.noise.iterrows():
        floor = f" {r['mu_star_noise_floor']:.3g} |" if method == "morris" else ""
        lines.append(
            f"| {r['output']} | {r['noise_var']:.4g} [{r['noise_var_low']:.3g}, "
            f"{r['noise_var_high']:.3g}] | {r['output_var']:.4g} | {r['noise_share']:.2g} |" + floor
        )
    lines += ["", "## Influential indices", ""]
    infl = result.influential()
    for label in result.outputs:
        d = infl[infl["output"] == label].sort_values("value", ascending=False)
        if d.empty:
            lines.append(f"- **{label}**: none above the threshold.")
            continue
        items = ", ".join(
            f"{r['parameter']} {r['index']} {_fmt(r['value'], r['conf'])}" for _, r in d.iterrows()
        )
        lines.append(f"- **{label}**: {items}")
    lines += ["", "## Convergence", ""]
    bad = result.not_converged()
    tol = f"{CONVERGENCE_TOLERANCE:.0%}"
    if bad.empty:
        lines.append(
            f"Every influential index has converged (interval half-width at most {tol} of its "
            f"value at N = {m['n']})."
        )
    else:
        lines.append(
            f"Influential indices NOT converged at N = {m['n']} (half-width or N/2-to-N change "
            f"above {tol} of the value):"
        )
        lines.append("")
        for _, r in bad.iterrows():
            lines.append(
                f"- {r['output']}: {r['parameter']} {r['index']} = {_fmt(r['value'], r['conf'])}"
                f" (N/2: {r['value_half']:.3g})"
            )
    lines += [
        "",
        "Tables: `indices.csv`, `convergence.csv`, `noise.csv`, `design.csv` (and Parquet); "
        "figures in `figures/`.",
        "",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- entry point

#: Settings that identify an analysis in its folder; resuming requires the same.
_IDENTITY = ("method", "parameters", "grouped", "n", "seed", "replicates", "base", "options")


def _identity(settings: Mapping[str, Any]) -> dict[str, Any]:
    return {k: settings[k] for k in _IDENTITY}


def check_out_dir(out_dir: Path, settings: Mapping[str, Any]) -> None:
    """Refuse a folder that holds a different analysis (resuming needs the same one).

    Raises:
        SensitivityError: If ``out_dir`` is a file, or its ``sensitivity.json``
            records different identifying settings.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise SensitivityError(f"--out {out_dir}: expected a folder, got a file")
    path = out_dir / "sensitivity.json"
    if not path.is_file():
        return
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        raise SensitivityError(f"{path}: expected the JSON settings of an analysis") from None
    new = json.loads(json.dumps(_identity(settings)))
    for key in _IDENTITY:
        if old.get(key) != new[key]:
            raise SensitivityError(
                f"{path}: {key}: this folder holds another analysis ({key} differs); "
                "expected the same settings to resume, or choose another --out"
            )


def run_sensitivity(
    method: str,
    *,
    params: Sequence[str] | str | None = None,
    grouped: bool = False,
    outputs: Sequence[str] | str | None = None,
    n: int | None = None,
    scenario: str | Path | None = None,
    seed: int | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    out: str | Path | None = None,
    replicates: int = 1,
    noise_points: int = 8,
    noise_replicates: int = 4,
    num_levels: int = 4,
    delta: float = 0.01,
    resamples: int = 1000,
    progress: bool = True,
    command: str | None = None,
) -> tuple[SensitivityResult, Path]:
    """Run a sensitivity analysis of the model end to end (the ``zonesim`` command).

    Everything is validated before anything is written or run. Runs go to
    ``<out>/runs`` through the batch layer, so running the same analysis again
    skips finished runs; the tables, figures and report go to ``<out>``.

    Args:
        method: One of :data:`METHODS`.
        params: Parameters to vary (default: every non-boolean registry parameter).
        grouped: Vary the registry's parameter groups instead (Morris, Sobol).
        outputs: Output specs ``metric@year`` (default :data:`DEFAULT_OUTPUTS`).
        n: Base sample size (default 20 Morris trajectories, N = 1024 otherwise).
        scenario: Scenario file (or shipped name) giving the base point and horizon
            start; default the registry defaults.
        seed: Master seed (default: the scenario's, else 0).
        workers: Local worker processes.
        scheduler: Dask scheduler address.
        out: Analysis folder (default ``results/sensitivity-<method>``).
        replicates: Replicates averaged per point.
        noise_points: Points with extra replicates for the noise estimate.
        noise_replicates: Extra replicates at each of them.
        num_levels: Morris levels.
        delta: DGSM step.
        resamples: Bootstrap resamples.
        progress: Show a progress bar.
        command: The command line, recorded in the manifest.

    Returns:
        The result and the folder written.

    Raises:
        SensitivityError: On invalid settings (one line naming the option or file).
        ValueError: From the scenario loader or the backend, likewise one line.
    """
    from sim.experiments.backends import make_backend
    from sim.experiments.runs import params_json

    if method not in METHODS:
        raise SensitivityError(f"--method {method!r}: expected one of {', '.join(METHODS)}")
    if scheduler is not None and workers is not None:
        raise SensitivityError("--workers: expected no --workers with --scheduler")
    if workers is not None and workers < 1:
        raise SensitivityError(f"--workers: expected at least 1, got {workers}")
    specs = parse_outputs(outputs)
    problem = build_problem(params, grouped=grouped)
    n = n if n is not None else (20 if method == "morris" else 1024)
    base, label, start = resolve(), "sensitivity", FIRST_YEAR
    if scenario is not None:
        from sim.experiments.scenarios import find_scenario, load_scenario

        sc = load_scenario(find_scenario(str(scenario)))
        base, label, start = dict(sc.params), f"sensitivity-{sc.name}", sc.run.start
        seed = sc.run.seed if seed is None else seed
    seed = 0 if seed is None else seed
    if seed < 0:
        raise SensitivityError(f"--seed: expected a whole number >= 0, got {seed}")
    first = min(s.year for s in specs)
    if first < start:
        raise SensitivityError(
            f"--outputs {first}: expected years from the scenario's start ({start}) on"
        )
    make_design(method, problem, n, seed=seed, num_levels=num_levels, delta=delta)  # validates
    out_dir = Path(out) if out is not None else Path("results") / f"sensitivity-{method}"
    options = {"num_levels": num_levels} if method == "morris" else {}
    if method == "dgsm":
        options = {"delta": delta}
    settings = {
        "method": method,
        "parameters": list(problem["names"]),
        "grouped": grouped,
        "n": n,
        "seed": seed,
        "replicates": replicates,
        "base": hashlib.sha256(params_json(base).encode()).hexdigest()[:16],
        "options": options,
        "outputs": [s.label for s in specs],
        "scenario": None if scenario is None else str(scenario),
    }
    check_out_dir(out_dir, settings)
    with make_backend(workers, scheduler) as backend:
        out_dir.mkdir(parents=True, exist_ok=True)
        _atomic_write(
            out_dir / "sensitivity.json",
            lambda p: p.write_text(json.dumps(settings, indent=1) + "\n", encoding="utf-8"),
        )
        evaluator = ModelEvaluator(
            problem,
            specs,
            out_dir / "runs",
            backend=backend,
            seed=seed,
            base=base,
            scenario=label,
            start=start,
            progress=progress,
            manifest_extra={"sensitivity": settings, **({"command": command} if command else {})},
        )
        result = run_analysis(
            method,
            problem,
            [s.label for s in specs],
            evaluator,
            n=n,
            seed=seed,
            replicates=replicates,
            noise_points=noise_points,
            noise_replicates=noise_replicates,
            num_levels=num_levels,
            delta=delta,
            resamples=resamples,
        )
    result.meta["backend"] = backend.name
    write_outputs(result, out_dir)
    return result, out_dir
