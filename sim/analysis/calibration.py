"""Calibration of the model to the end-2018 figures, with honest uncertainty.

The pipeline (see ``docs/calibration.md``):

1. :func:`load_targets` reads a targets file (``calibration/targets_2018.toml``):
   every figure with its source, the model output it is compared with, its
   tolerance and weight, and the calibrated parameters. Structural targets (exact by
   construction of the zone registry) carry no weight but are checked all the same.
2. **Global search** (:func:`search`): simulated moments with common random numbers
   (every candidate runs with the same seeds), minimised by SciPy's differential
   evolution with a fixed seed; the best fit feeds ``sim/core/data/calibrated.toml``.
3. **ABC-SMC** (:func:`abc_smc`): a batch-synchronous population Monte Carlo ABC
   (Beaumont et al. 2009; adaptive tolerances, Del Moral et al. 2012; optimal
   multivariate normal kernel, Filippi et al. 2013) gives a posterior
   over the calibrated parameters; :func:`identifiability` says which of them the
   targets pin down (posterior-to-prior 90 % interval width ratio).
4. :func:`validate` checks a parameter set on seeds the calibration never used, and
   :func:`write_report` writes the tables, figures and ``report.md``.

Every simulation goes through the batch layer (:func:`sim.experiments.batch.execute`,
local processes or Dask), one batch folder per evaluation step under ``<out>/work``.
Proposals and seeds are drawn from generators seeded by the master seed before a batch
runs, so results are bit-identical whatever the number of workers, and an interrupted
calibration resumes: finished runs are skipped, finished steps and generations are read
back from their files.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import linalg, optimize, special

from sim.core.params import REGISTRY, resolve
from sim.core.run import FIRST_YEAR, METRICS
from sim.experiments.backends import Backend
from sim.experiments.batch import execute
from sim.experiments.posterior import posterior_draws as _posterior_draws
from sim.experiments.runs import RunSpec, model_version
from sim.experiments.store import load_results

#: Default targets file and output folder (relative to the working directory).
DEFAULT_TARGETS = Path("calibration/targets_2018.toml")
DEFAULT_OUT = Path("calibration")
POSTERIOR_FILE = "posterior.parquet"
#: Scenario label of every calibration run in the batch store.
SCENARIO = "calibration"
#: Seed-stream branches (spawn keys under the master seed), kept disjoint.
STREAM_CRN, STREAM_ABC_SIM, STREAM_ABC_PROPOSAL, STREAM_SEARCH = 1, 2, 3, 4
STREAM_PREDICTIVE, STREAM_VALIDATION = 5, 6
#: Identifiability thresholds on the posterior-to-prior 90 % width ratio.
IDENTIFIED_RATIO, WEAK_RATIO = 0.5, 0.8
#: ABC gives up on a generation whose acceptance rate stays below this.
MIN_ACCEPTANCE = 0.02

_TARGET_KEYS = {
    "metric", "value", "tolerance", "relative", "weight", "structural", "source", "table",
    "zone_id",
}  # fmt: skip
_CAL_KEYS = {"year", "parameters", "ridge", "abc_quantile", "min_epsilon"}


class TargetsError(ValueError):
    """A targets file is missing, malformed or invalid (message names file and key)."""


# ----------------------------------------------------------------------------- targets
@dataclass(frozen=True)
class Target:
    """One calibration target.

    Attributes:
        name: Identifier (the key under ``[targets]``).
        metric: Column of the annual table, or of the zone table when ``table`` is
            ``"zones"``.
        value: The observed figure.
        tolerance: Relative (share of ``value``) or absolute tolerance.
        relative: Whether ``tolerance`` is relative.
        weight: Weight in the fitting distance (0: checked, not fitted).
        structural: Whether the figure holds by construction of the zone registry.
        source: Where the figure comes from.
        table: ``"annual"`` or ``"zones"``.
        zone_id: Zone of a zone-table target.
    """

    name: str
    metric: str
    value: float
    tolerance: float
    relative: bool = False
    weight: float = 1.0
    structural: bool = False
    source: str = ""
    table: str = "annual"
    zone_id: str | None = None

    @property
    def abs_tolerance(self) -> float:
        """Tolerance in the metric's unit."""
        return abs(self.value) * self.tolerance if self.relative else self.tolerance

    @property
    def fitted(self) -> bool:
        """Whether the target enters the fitting distance."""
        return self.weight > 0 and not self.structural and self.table == "annual"

    def passes(self, simulated: float) -> bool:
        """Whether a simulated value is within tolerance (rounding-safe)."""
        return abs(simulated - self.value) <= self.abs_tolerance * (1 + 1e-9) + 1e-9


@dataclass(frozen=True)
class Targets:
    """A targets file: the figures, the calibrated parameters and method settings.

    Attributes:
        path: The file read.
        year: Year the targets describe; calibration runs end then.
        targets: Every target, in file order.
        parameters: Calibrated parameter names.
        ridge: Weight of the pull towards prior defaults in the search.
        abc_quantile: Quantile of accepted distances giving the next tolerance.
        min_epsilon: ABC stops once its tolerance is at most this.
    """

    path: Path
    year: int
    targets: tuple[Target, ...]
    parameters: tuple[str, ...]
    ridge: float = 0.05
    abc_quantile: float = 0.5
    min_epsilon: float = 0.5

    @property
    def fitted(self) -> tuple[Target, ...]:
        """Targets entering the fitting distance."""
        return tuple(t for t in self.targets if t.fitted)

    @property
    def bounds(self) -> np.ndarray:
        """Prior bounds (registry bounds), shape ``(parameters, 2)``."""
        return np.array([[REGISTRY[n].lower, REGISTRY[n].upper] for n in self.parameters])

    @property
    def prior_defaults(self) -> np.ndarray:
        """Prior default of each calibrated parameter (before any calibration)."""
        return np.array([prior_value(n) for n in self.parameters])


def prior_value(name: str) -> float:
    """Return a parameter's value before calibration (its prior default)."""
    p = REGISTRY[name]
    return float(p.prior if p.prior is not None else p.default)


def prior_params() -> dict[str, float]:
    """Every parameter at its prior default (calibration ignores calibrated.toml)."""
    return {name: prior_value(name) for name in REGISTRY}


def _number(path: Path, key: str, value: Any, *, lo: float = -math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise TargetsError(f"{path}: {key}: expected a number, got {value!r}")
    if value < lo:
        raise TargetsError(f"{path}: {key}: expected a number of at least {lo:g}, got {value!r}")
    return float(value)


def _target(path: Path, name: str, table: Any) -> Target:
    key = f"targets.{name}"
    if not isinstance(table, Mapping):
        raise TargetsError(f"{path}: {key}: expected a table, got {table!r}")
    extra = set(table) - _TARGET_KEYS
    if extra:
        raise TargetsError(
            f"{path}: {key}.{sorted(extra)[0]}: expected one of {', '.join(sorted(_TARGET_KEYS))}"
        )
    for req in ("metric", "value", "tolerance"):
        if req not in table:
            raise TargetsError(f"{path}: {key}.{req}: expected a value (missing)")
    kind = table.get("table", "annual")
    if kind not in ("annual", "zones"):
        raise TargetsError(f"{path}: {key}.table: expected 'annual' or 'zones', got {kind!r}")
    metric = table["metric"]
    zone_id = table.get("zone_id")
    if kind == "annual":
        if metric not in METRICS:
            raise TargetsError(
                f"{path}: {key}.metric: expected an annual metric (e.g. firms), got {metric!r}"
            )
    else:
        if metric not in ZONE_COLUMNS:
            raise TargetsError(
                f"{path}: {key}.metric: expected a zone-table column "
                f"({', '.join(ZONE_COLUMNS)}), got {metric!r}"
            )
        if not isinstance(zone_id, str) or not zone_id:
            raise TargetsError(f"{path}: {key}.zone_id: expected a zone id such as 'Z01'")
    for flag in ("relative", "structural"):
        if not isinstance(table.get(flag, False), bool):
            raise TargetsError(f"{path}: {key}.{flag}: expected true or false")
    source = table.get("source", "")
    if not isinstance(source, str):
        raise TargetsError(f"{path}: {key}.source: expected text, got {source!r}")
    return Target(
        name=name,
        metric=metric,
        value=_number(path, f"{key}.value", table["value"]),
        tolerance=_number(path, f"{key}.tolerance", table["tolerance"], lo=0.0),
        relative=table.get("relative", False),
        weight=_number(path, f"{key}.weight", table.get("weight", 1.0), lo=0.0),
        structural=table.get("structural", False),
        source=source,
        table=kind,
        zone_id=zone_id,
    )


#: Zone-table columns a target may name.
ZONE_COLUMNS = (
    "firms", "entries", "exits", "gdp", "gdp_growth", "planned_area_km2", "land_used_km2",
    "staff", "bodies", "departments", "approval_days", "powers", "operators",
)  # fmt: skip


def load_targets(path: str | Path = DEFAULT_TARGETS) -> Targets:
    """Read and check a targets file.

    Args:
        path: TOML file with ``[calibration]`` and ``[targets.<name>]`` tables.

    Returns:
        The targets.

    Raises:
        FileNotFoundError: If the file does not exist.
        TargetsError: On a malformed file, an unknown key, metric or parameter, or a
            fitted target with zero tolerance.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: targets file not found")
    try:
        with path.open("rb") as f:
            doc = tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise TargetsError(f"{path}: expected valid TOML ({exc})") from None
    extra = set(doc) - {"calibration", "targets"}
    if extra:
        raise TargetsError(f"{path}: {sorted(extra)[0]}: expected only [calibration] and [targets]")
    cal = doc.get("calibration", {})
    if not isinstance(cal, Mapping):
        raise TargetsError(f"{path}: calibration: expected a table")
    bad = set(cal) - _CAL_KEYS
    if bad:
        raise TargetsError(
            f"{path}: calibration.{sorted(bad)[0]}: expected one of {', '.join(sorted(_CAL_KEYS))}"
        )
    year = cal.get("year", 2018)
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= 2060:
        raise TargetsError(
            f"{path}: calibration.year: expected a year from {FIRST_YEAR}, got {year!r}"
        )
    names = cal.get("parameters")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise TargetsError(f"{path}: calibration.parameters: expected a list of parameter names")
    for i, n in enumerate(names):
        key = f"calibration.parameters[{i}]"
        if n not in REGISTRY:
            raise TargetsError(f"{path}: {key}: expected a registered parameter name, got {n!r}")
        p = REGISTRY[n]
        if p.kind not in ("real", "year") or not p.lower < p.upper:
            raise TargetsError(
                f"{path}: {key}: expected a continuous parameter, got {n!r} ({p.kind})"
            )
    if len(set(names)) != len(names):
        raise TargetsError(f"{path}: calibration.parameters: expected each name once")
    quantile = _number(path, "calibration.abc_quantile", cal.get("abc_quantile", 0.5), lo=0.0)
    if not 0 < quantile < 1:
        raise TargetsError(f"{path}: calibration.abc_quantile: expected a number in (0, 1)")
    tables = doc.get("targets")
    if not isinstance(tables, Mapping) or not tables:
        raise TargetsError(f"{path}: targets: expected at least one [targets.<name>] table")
    targets = tuple(_target(path, str(k), v) for k, v in tables.items())
    for t in targets:
        if t.fitted and t.abs_tolerance <= 0:
            raise TargetsError(
                f"{path}: targets.{t.name}.tolerance: expected > 0 for a fitted target"
            )
    out = Targets(
        path=path,
        year=year,
        targets=targets,
        parameters=tuple(names),
        ridge=_number(path, "calibration.ridge", cal.get("ridge", 0.05), lo=0.0),
        abc_quantile=quantile,
        min_epsilon=_number(path, "calibration.min_epsilon", cal.get("min_epsilon", 0.5), lo=0.0),
    )
    if not out.fitted:
        raise TargetsError(f"{path}: targets: expected at least one fitted (weighted) target")
    return out


# ----------------------------------------------------------------------------- seeds
def stream_seed(master: int, *key: int) -> int:
    """Return a seed from branch ``key`` of ``SeedSequence(master)`` (below 2**63)."""
    if master < 0:
        raise ValueError(f"--seed: expected a non-negative integer, got {master}")
    ss = np.random.SeedSequence(master, spawn_key=tuple(int(k) for k in key))
    return int(ss.generate_state(1, np.uint64)[0] >> np.uint64(1))


def stream_rng(master: int, *key: int) -> np.random.Generator:
    """Return a generator on branch ``key`` of ``SeedSequence(master)``."""
    return np.random.default_rng(np.random.SeedSequence(master, spawn_key=tuple(key)))


def crn_seeds(master: int, n: int) -> list[int]:
    """Seeds shared by every candidate of the search (common random numbers)."""
    return [stream_seed(master, STREAM_CRN, r) for r in range(n)]


def validation_seeds(master: int, n: int = 20) -> list[int]:
    """Seeds of the validation runs, on a branch the calibration never draws from."""
    return [stream_seed(master, STREAM_VALIDATION, r) for r in range(n)]


# ----------------------------------------------------------------------------- evaluation
class Evaluator:
    """Simulates the fitted moments of candidate parameter sets through the batch layer.

    Each call is one batch folder under ``work_dir`` (named by the caller's step), so a
    repeated call with the same candidates and seeds resumes or reuses it; a small
    ``moments.parquet`` beside the batch holds the extracted moments once complete.

    Args:
        targets: The targets (year, parameters, fitted metrics).
        backend: Where runs execute.
        work_dir: Folder of the batch folders.
        progress: Whether to show progress bars.
    """

    def __init__(
        self, targets: Targets, backend: Backend, work_dir: Path, *, progress: bool = True
    ) -> None:
        self.targets = targets
        self.backend = backend
        self.work_dir = Path(work_dir)
        self.progress = progress
        self.metrics = [t.metric for t in targets.fitted]
        self.base = prior_params()
        self.runs = 0  # runs requested (cached or not), for budgets

    def params(self, theta: Sequence[float]) -> dict[str, Any]:
        """Full resolved parameters of a candidate (calibrated values over priors)."""
        over = dict(self.base)
        over.update({n: float(v) for n, v in zip(self.targets.parameters, theta, strict=True)})
        return resolve(over)

    def __call__(self, step: str, thetas: np.ndarray, seeds: np.ndarray) -> np.ndarray:
        """Simulate candidates ``thetas`` (rows) with seeds ``seeds[i, r]``.

        Args:
            step: Name of the batch folder (unique per evaluation step).
            thetas: Parameter values, shape ``(candidates, parameters)``.
            seeds: Seeds, shape ``(candidates, replicates)``.

        Returns:
            Fitted moments, shape ``(candidates, replicates, fitted targets)``.
        """
        thetas = np.atleast_2d(np.asarray(thetas, dtype=float))
        seeds = np.asarray(seeds, dtype=np.int64).reshape(len(thetas), -1)
        n, reps = seeds.shape
        self.runs += n * reps
        folder = self.work_dir / step
        digest = _digest(thetas, seeds, self.metrics, self.targets.year)
        cache = folder / "moments.parquet"
        if cache.is_file() and _cached_digest(cache) == digest:
            df = pd.read_parquet(cache)
            return df[self.metrics].to_numpy(dtype=float).reshape(n, reps, -1)
        specs = [
            RunSpec(SCENARIO, r, int(seeds[i, r]), self.params(thetas[i]), self.targets.year,
                    self.targets.year, sample=i)
            for i in range(n)
            for r in range(reps)
        ]  # fmt: skip
        execute(
            specs,
            folder,
            backend=self.backend,
            progress=self.progress,
            zones=False,
            manifest_extra={"calibration": {"step": step, "targets": str(self.targets.path)}},
        )
        annual = load_results(folder).annual
        annual = annual[annual["year"] == self.targets.year]
        if len(annual) != n * reps:
            raise RuntimeError(f"{folder}: expected {n * reps} finished runs, found {len(annual)}")
        annual = annual.sort_values(["sample", "replicate"], kind="stable")
        out = annual[self.metrics].to_numpy(dtype=float).reshape(n, reps, -1)
        table = pd.DataFrame(out.reshape(n * reps, -1), columns=self.metrics)
        _atomic_parquet(table, cache, {"digest": digest})
        return out


def _digest(*parts: Any) -> str:
    h = hashlib.sha256(model_version().encode())
    for part in parts:
        h.update(
            np.asarray(part).tobytes() if isinstance(part, np.ndarray) else repr(part).encode()
        )
    return h.hexdigest()[:24]


def _cached_digest(path: Path) -> str | None:
    import pyarrow.parquet as pq

    meta = pq.read_schema(path).metadata or {}
    value = meta.get(b"digest")
    return value.decode() if value else None


def _atomic_parquet(df: pd.DataFrame, path: Path, meta: Mapping[str, str] | None = None) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(df, preserve_index=False)
    if meta:
        merged = dict(table.schema.metadata or {})
        merged.update({k.encode(): v.encode() for k, v in meta.items()})
        table = table.replace_schema_metadata(merged)
    tmp = path.with_suffix(path.suffix + ".tmp")
    pq.write_table(table, tmp)
    tmp.replace(path)


def _atomic_text(text: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def scaled_errors(targets: Targets, moments: np.ndarray) -> np.ndarray:
    """Return ``sqrt(weight) * (moment - value) / tolerance`` along the last axis."""
    fitted = targets.fitted
    value = np.array([t.value for t in fitted])
    tol = np.array([t.abs_tolerance for t in fitted])
    w = np.sqrt(np.array([t.weight for t in fitted]))
    return w * (moments - value) / tol


def distance(targets: Targets, moments: np.ndarray) -> np.ndarray:
    """Weighted distance ``sqrt(sum(weight * ((m - value) / tolerance)**2))``."""
    return np.sqrt(np.sum(scaled_errors(targets, moments) ** 2, axis=-1))


# ----------------------------------------------------------------------------- budget
@dataclass(frozen=True)
class Plan:
    """How a run budget is split between the search and ABC-SMC.

    Attributes:
        budget: Total runs for the search and ABC (validation and predictive runs
            come on top: ``validation_runs + predictive_runs``).
        crn: Seeds per search candidate (common random numbers).
        popsize: Differential-evolution population multiplier (population =
            ``popsize * parameters``).
        maxiter: Differential-evolution generations after the initial population.
        population: ABC particles per generation.
        max_generations: Most ABC generations after generation 0.
        abc_runs: Most runs for ABC.
        validation_runs: Seeds of the best fit's validation.
        predictive_runs: Posterior-predictive runs for the target intervals.
    """

    budget: int
    crn: int
    popsize: int
    maxiter: int
    population: int
    max_generations: int
    abc_runs: int
    validation_runs: int = 20
    predictive_runs: int = 100


def plan_budget(budget: int, n_params: int) -> Plan:
    """Split ``budget`` runs: about a fifth for the search, the rest for ABC-SMC.

    Raises:
        ValueError: If the budget is too small to run both stages.
    """
    if isinstance(budget, bool) or budget < 100:
        raise ValueError(f"--budget: expected at least 100 runs, got {budget}")
    crn = 3 if budget >= 3000 else 2
    popsize = 4 if budget >= 3000 else 2
    pop = popsize * n_params
    search_runs = int(0.2 * budget)
    maxiter = max(1, search_runs // (pop * crn) - 1)
    abc_runs = budget - pop * crn * (maxiter + 1)
    population = max(20, min(300, abc_runs // 25))
    return Plan(
        budget=budget,
        crn=crn,
        popsize=popsize,
        maxiter=maxiter,
        population=population,
        max_generations=12,
        abc_runs=abc_runs,
        validation_runs=20,
        predictive_runs=min(100, max(20, budget // 60)),
    )


def _say(progress: bool, text: str) -> None:
    if progress:
        print(text, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- search
@dataclass
class SearchResult:
    """Best fit of the global search.

    Attributes:
        theta: Best parameter values (calibrated parameters, in order).
        distance: Its distance on the common seeds (without the ridge term).
        objective: Its objective (squared distance plus ridge term).
        moments: Its mean fitted moments over the common seeds.
        history: Best objective after each generation.
        evaluations: Candidates evaluated.
    """

    theta: np.ndarray
    distance: float
    objective: float
    moments: np.ndarray
    history: list[float] = field(default_factory=list)
    evaluations: int = 0


def search(
    targets: Targets,
    evaluate: Callable[[str, np.ndarray, np.ndarray], np.ndarray],
    *,
    seed: int,
    crn: int = 3,
    popsize: int = 4,
    maxiter: int = 10,
    progress: bool = True,
) -> SearchResult:
    """Minimise the simulated-moments objective by differential evolution.

    Every candidate runs with the same ``crn`` seeds, so differences between
    candidates are not seed noise. The objective is the squared distance of the
    mean moments plus ``ridge * |x - x_prior|**2`` in unit-scaled coordinates (a
    tie-breaker along directions the targets do not constrain). SciPy's
    ``differential_evolution`` runs vectorised (one batch per generation), with a
    seed from the master seed, no gradient polish (the objective is a simulation).

    Args:
        targets: The targets.
        evaluate: ``evaluate(step, thetas, seeds) -> moments`` (an :class:`Evaluator`).
        seed: Master seed.
        crn: Common seeds per candidate.
        popsize: Population multiplier (population = ``popsize * parameters``).
        maxiter: Generations after the initial population.
        progress: Whether to report each generation on stderr.

    Returns:
        The best fit found.
    """
    lo, hi = targets.bounds.T
    x0 = (targets.prior_defaults - lo) / (hi - lo)
    seeds = np.array(crn_seeds(seed, crn), dtype=np.int64)
    calls = {"n": 0}
    best: dict[str, Any] = {"obj": math.inf}
    history: list[float] = []

    def objective(x: np.ndarray) -> np.ndarray:
        xs = np.atleast_2d(x.T)  # (S, d)
        theta = lo + xs * (hi - lo)
        step = f"search/eval_{calls['n']:03d}"
        calls["n"] += 1
        moments = evaluate(step, theta, np.tile(seeds, (len(theta), 1)))
        mean = moments.mean(axis=1)
        d = distance(targets, mean)
        obj = d**2 + targets.ridge * np.sum((xs - x0) ** 2, axis=1)
        i = int(np.argmin(obj))
        if obj[i] < best["obj"]:
            best.update(obj=float(obj[i]), theta=theta[i].copy(), d=float(d[i]), m=mean[i].copy())
        return obj

    def callback(*_: Any, **__: Any) -> None:
        history.append(best["obj"])
        _say(
            progress, f"search: generation {len(history)}/{maxiter}, best distance {best['d']:.3f}"
        )

    optimize.differential_evolution(
        objective,
        bounds=[(0.0, 1.0)] * len(lo),
        popsize=popsize,
        maxiter=maxiter,
        rng=stream_rng(seed, STREAM_SEARCH),
        polish=False,
        init="latinhypercube",
        tol=0.0,
        updating="deferred",
        vectorized=True,
        callback=callback,
    )
    return SearchResult(
        theta=best["theta"],
        distance=best["d"],
        objective=best["obj"],
        moments=best["m"],
        history=history,
        evaluations=calls["n"],
    )


# ----------------------------------------------------------------------------- ABC-SMC
@dataclass
class ABCResult:
    """Output of :func:`abc_smc`.

    Attributes:
        particles: Final population, shape ``(population, parameters)``.
        weights: Normalised importance weights.
        distances: Distances of the final particles.
        moments: Moments of the final particles, ``(population, fitted targets)``.
        generations: One row per generation: ``generation, epsilon, accepted,
            proposed, acceptance, ess, runs``.
        runs: Runs used, including those of an unfinished last generation.
    """

    particles: np.ndarray
    weights: np.ndarray
    distances: np.ndarray
    moments: np.ndarray
    generations: pd.DataFrame
    runs: int = 0


def _weighted_cov(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    mean = w @ x
    xc = x - mean
    return (xc * w[:, None]).T @ xc / max(1e-12, 1 - np.sum(w**2))


def _omvn(parents: np.ndarray, w: np.ndarray, dist: np.ndarray, eps: float) -> np.ndarray:
    """Optimal multivariate normal kernel (Filippi et al. 2013), one shared covariance.

    ``Sigma = sum_i sum_k w_i w~_k (theta~_k - theta_i)(theta~_k - theta_i)^T`` where
    ``theta~`` are the previous particles already within the new tolerance (at least
    ``d + 1`` of them) and ``w~`` their normalised weights: it spans the moves from the
    population to where the next generation will be accepted (narrower than twice the
    population covariance once the tolerance concentrates). Returns its Cholesky
    factor repeated for every parent, shape ``(particles, d, d)``.
    """
    n, d = parents.shape
    sel = dist <= eps
    if sel.sum() < d + 1:
        sel = np.zeros(n, dtype=bool)
        sel[np.argsort(dist, kind="stable")[: d + 1]] = True
    xs, ws = parents[sel], w[sel] / w[sel].sum()
    mu_s, mu = ws @ xs, w @ parents
    cs = ((xs - mu_s) * ws[:, None]).T @ (xs - mu_s)
    ca = ((parents - mu) * w[:, None]).T @ (parents - mu)
    cov = cs + ca + np.outer(mu_s - mu, mu_s - mu) + 1e-10 * np.eye(d)
    return np.broadcast_to(np.linalg.cholesky(cov), (n, d, d))


def _propose(
    rng: np.random.Generator, parents: np.ndarray, w: np.ndarray, chol: np.ndarray, n: int
) -> np.ndarray:
    """Perturb particles drawn by weight; redraw any proposal outside the unit box."""
    d = parents.shape[1]
    out = np.empty((n, d))
    todo = np.arange(n)
    for _ in range(1000):
        idx = rng.choice(len(parents), size=len(todo), p=w)
        z = rng.standard_normal((len(todo), d))
        x = parents[idx] + np.einsum("nij,nj->ni", chol[idx], z)
        ok = np.all((x >= 0) & (x <= 1), axis=1)
        out[todo[ok]] = x[ok]
        todo = todo[~ok]
        if not len(todo):
            return out
    raise RuntimeError("ABC proposal kernel keeps leaving the prior's support")


def _new_weights(x: np.ndarray, parents: np.ndarray, w: np.ndarray, chol: np.ndarray) -> np.ndarray:
    """Importance weights under a uniform prior: 1 / sum_j w_j K_j(x | parent_j)."""
    d = x.shape[1]
    logk = np.empty((len(x), len(parents)))
    for j in range(len(parents)):
        z = linalg.solve_triangular(chol[j], (x - parents[j]).T, lower=True)
        logdet = np.sum(np.log(np.diag(chol[j])))
        logk[:, j] = -0.5 * np.sum(z**2, axis=0) - logdet - 0.5 * d * math.log(2 * math.pi)
    logw = -special.logsumexp(logk + np.log(np.maximum(w, 1e-300))[None, :], axis=1)
    logw -= logw.max()
    out = np.exp(logw)
    return out / out.sum()


def _settings_digest(targets: Targets, **kw: Any) -> str:
    return _digest(
        targets.parameters, [asdict(t) for t in targets.fitted], targets.year, sorted(kw.items())
    )


def abc_smc(
    targets: Targets,
    evaluate: Callable[[str, np.ndarray, np.ndarray], np.ndarray],
    *,
    seed: int,
    population: int = 200,
    max_generations: int = 10,
    max_runs: int | None = None,
    store: Path | None = None,
    progress: bool = True,
) -> ABCResult:
    """Approximate the posterior by batch-synchronous ABC-SMC (population Monte Carlo).

    Generation 0 draws ``2 * population`` parameter sets from the uniform prior and
    keeps the ``population`` nearest (tolerance = the largest distance kept).
    Generation ``t`` sets its tolerance to the ``abc_quantile`` of the previous
    generation's distances, proposes batches of ``population`` particles (drawn by
    weight, perturbed with the optimal multivariate normal kernel,
    redrawn outside the prior) until ``population`` are accepted, and weights them by
    prior / proposal density. Each particle is one run with its own seed (ABC
    compares one realisation with the one observed). It stops at ``min_epsilon``,
    at an acceptance rate below 2 % (after ten batches), after ``max_generations``, or when the next
    generation could exceed ``max_runs``; the last complete generation is the
    posterior. Proposals and seeds are drawn before each batch runs, from branches
    of the master seed, so results do not depend on workers or timing. When ``store``
    is given, each generation is written there and read back on a later call with
    the same settings (resumption by generation).

    Args:
        targets: The targets.
        evaluate: ``evaluate(step, thetas, seeds) -> moments``.
        seed: Master seed.
        population: Particles per generation.
        max_generations: Most generations after generation 0.
        max_runs: Most runs in all (default: unlimited).
        store: Folder for the generation files.
        progress: Whether to report each generation on stderr.

    Returns:
        The final population, its weights and the per-generation record.
    """
    lo, hi = targets.bounds.T
    d = len(lo)
    n = population
    settings = _settings_digest(
        targets, seed=seed, population=n, q=targets.abc_quantile, kernel="omvn"
    )
    runs = 0
    rows: list[dict[str, float]] = []

    def unit_to_theta(x: np.ndarray) -> np.ndarray:
        return lo + x * (hi - lo)

    def run_batch(t: int, b: int, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        nonlocal runs
        seeds = np.array(
            [[stream_seed(seed, STREAM_ABC_SIM, t, b, i)] for i in range(len(x))], dtype=np.int64
        )
        runs += len(x)
        m = evaluate(f"abc/gen_{t:02d}_batch_{b:02d}", unit_to_theta(x), seeds)[:, 0, :]
        return m, distance(targets, m)

    def load_gen(t: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict] | None:
        if store is None:
            return None
        path = store / f"generation_{t:02d}.parquet"
        if not path.is_file() or _cached_digest(path) != settings:
            return None
        df = pd.read_parquet(path)
        meta = json.loads(_schema_meta(path, "row"))
        x = np.ascontiguousarray(df[[f"u_{name}" for name in targets.parameters]].to_numpy())
        m = df[[f"m_{t_.name}" for t_ in targets.fitted]].to_numpy()
        w, dist = (np.ascontiguousarray(df[c].to_numpy()) for c in ("weight", "distance"))
        return x, w, dist, np.ascontiguousarray(m), meta

    def save_gen(
        t: int, x: np.ndarray, w: np.ndarray, dist: np.ndarray, m: np.ndarray, row: dict
    ) -> None:
        if store is None:
            return
        df = pd.DataFrame(unit_to_theta(x), columns=list(targets.parameters))
        df["weight"], df["distance"] = w, dist
        for j, name in enumerate(targets.parameters):  # unit coordinates: exact resumption
            df[f"u_{name}"] = x[:, j]
        for j, t_ in enumerate(targets.fitted):
            df[f"m_{t_.name}"] = m[:, j]
        _atomic_parquet(
            df, store / f"generation_{t:02d}.parquet", {"digest": settings, "row": json.dumps(row)}
        )

    # Generation 0: rejection from the prior.
    loaded = load_gen(0)
    if loaded is not None:
        x, w, dist, m, row = loaded
        runs += int(row["proposed"])
    else:
        rng = stream_rng(seed, STREAM_ABC_PROPOSAL, 0, 0)
        x0 = rng.random((2 * n, d))
        m0, d0 = run_batch(0, 0, x0)
        keep = np.argsort(d0, kind="stable")[:n]
        x, dist, m = x0[keep], d0[keep], m0[keep]
        w = np.full(n, 1.0 / n)
        row = {"generation": 0, "epsilon": float(dist.max()), "accepted": n, "proposed": 2 * n,
               "acceptance": 0.5, "ess": float(n), "runs": runs}  # fmt: skip
        save_gen(0, x, w, dist, m, row)
    rows.append(row)
    _say(progress, f"abc: generation 0, epsilon {row['epsilon']:.3f}, acceptance 0.50")

    for t in range(1, max_generations + 1):
        eps = float(np.quantile(dist, targets.abc_quantile))
        if rows[-1]["epsilon"] <= targets.min_epsilon:
            break
        loaded = load_gen(t)
        if loaded is not None:
            x, w, dist, m, row = loaded
            runs += int(row["proposed"])
            rows.append(row)
            _say(progress, f"abc: generation {t} (stored), epsilon {row['epsilon']:.3f}")
            continue
        chol = _omvn(x, w, dist, eps)
        acc_x, acc_d, acc_m = [], [], []
        proposed, b = 0, 0
        complete = True
        while sum(len(a) for a in acc_x) < n:
            if max_runs is not None and runs + n > max_runs:
                complete = False
                break
            if proposed >= 10 * n and sum(len(a) for a in acc_x) / proposed < MIN_ACCEPTANCE:
                complete = False
                break
            rng = stream_rng(seed, STREAM_ABC_PROPOSAL, t, b)
            xb = _propose(rng, x, w, chol, n)
            mb, db = run_batch(t, b, xb)
            ok = db <= eps
            acc_x.append(xb[ok])
            acc_d.append(db[ok])
            acc_m.append(mb[ok])
            proposed += n
            b += 1
        if not complete:
            _say(progress, f"abc: stopping before generation {t} (run budget or acceptance)")
            break
        ax, ad, am = (np.ascontiguousarray(np.concatenate(a)[:n]) for a in (acc_x, acc_d, acc_m))
        used = proposed  # every proposal of the generation's batches was simulated
        w_new = _new_weights(ax, x, w, chol)
        x, w, dist, m = ax, w_new, ad, am
        row = {"generation": t, "epsilon": eps, "accepted": n, "proposed": used,
               "acceptance": n / used, "ess": float(1.0 / np.sum(w**2)), "runs": runs}  # fmt: skip
        save_gen(t, x, w, dist, m, row)
        rows.append(row)
        _say(
            progress,
            f"abc: generation {t}, epsilon {eps:.3f}, acceptance {n / used:.2f}, runs {runs}",
        )
    return ABCResult(
        particles=unit_to_theta(x),
        weights=w,
        distances=dist,
        moments=m,
        generations=pd.DataFrame(rows),
        runs=runs,
    )


def _schema_meta(path: Path, key: str) -> str:
    import pyarrow.parquet as pq

    meta = pq.read_schema(path).metadata or {}
    return meta[key.encode()].decode()


# ----------------------------------------------------------------------------- summaries
def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: Sequence[float]) -> np.ndarray:
    """Quantiles of a weighted sample (inverse of the weighted empirical CDF)."""
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[order]
    cdf = (np.cumsum(w) - 0.5 * w) / np.sum(w)
    return np.interp(q, cdf, v)


def identifiability(targets: Targets, particles: np.ndarray, weights: np.ndarray) -> pd.DataFrame:
    """Say, for every calibrated parameter, whether the targets identify it.

    Criterion: the ratio of the posterior's 90 % interval width to the prior's
    (uniform on the registry bounds: 0.9 of the range). Identified below
    :data:`IDENTIFIED_RATIO`, weakly identified below :data:`WEAK_RATIO`, otherwise
    not identified (the data leave it at its prior range).

    Returns:
        One row per parameter: ``parameter, prior_default, lower, upper,
        posterior_mean, q05, q50, q95, width_ratio, verdict``.
    """
    rows = []
    for j, name in enumerate(targets.parameters):
        lo, hi = targets.bounds[j]
        q05, q50, q95 = weighted_quantile(particles[:, j], weights, [0.05, 0.5, 0.95])
        ratio = (q95 - q05) / (0.9 * (hi - lo))
        verdict = (
            "identified" if ratio < IDENTIFIED_RATIO
            else "weakly identified" if ratio < WEAK_RATIO
            else "not identified"
        )  # fmt: skip
        rows.append({
            "parameter": name, "prior_default": prior_value(name), "lower": lo, "upper": hi,
            "posterior_mean": float(weights @ particles[:, j]), "q05": q05, "q50": q50,
            "q95": q95, "width_ratio": ratio, "verdict": verdict,
        })  # fmt: skip
    return pd.DataFrame(rows)


def _zone_value(zones: pd.DataFrame, target: Target) -> float:
    sel = zones[(zones["zone_id"] == target.zone_id) & (zones["unit"] == target.zone_id)]
    if sel.empty:
        sel = zones[zones["zone_id"] == target.zone_id]
    return float(sel[target.metric].sum())


def simulate_targets(
    targets: Targets,
    params: Sequence[Mapping[str, Any] | None],
    seeds: Sequence[int],
    *,
    backend: Backend,
    folder: Path,
    scenario: str = "validation",
    progress: bool = False,
) -> pd.DataFrame:
    """Simulate every target (annual and zone-table), one run per parameter set and seed.

    Args:
        targets: The targets.
        params: Parameter overrides of each run (``None``: the model's current
            defaults).
        seeds: Seed of each run.
        backend: Where runs execute.
        folder: Batch folder (resumable).
        scenario: Label of the runs in the batch store.
        progress: Whether to show a progress bar.

    Returns:
        One row per run (``seed`` then one column per target).
    """
    specs = [
        RunSpec(scenario, r, int(s), resolve(p), targets.year, targets.year)
        for r, (p, s) in enumerate(zip(params, seeds, strict=True))
    ]
    execute(specs, folder, backend=backend, progress=progress, zones=True)
    res = load_results(folder)
    annual = res.annual[res.annual["year"] == targets.year].sort_values("replicate")
    zones = res.zones[res.zones["year"] == targets.year]
    out = pd.DataFrame({"seed": annual["seed"].to_numpy()})
    for t in targets.targets:
        if t.table == "annual":
            out[t.name] = annual[t.metric].to_numpy(dtype=float)
        else:
            out[t.name] = [
                _zone_value(zones[zones["replicate"] == r], t) for r in annual["replicate"]
            ]
    return out


def validation_table(targets: Targets, sims: pd.DataFrame) -> pd.DataFrame:
    """Compare the mean over runs of every target with its value and tolerance.

    Returns:
        One row per target: ``target, metric, value, tolerance, simulated, q05,
        q95, error, within, structural, fitted``.
    """
    rows = []
    for t in targets.targets:
        v = sims[t.name].to_numpy(dtype=float)
        mean = float(v.mean())
        rows.append({
            "target": t.name, "metric": t.metric, "value": t.value,
            "tolerance": t.abs_tolerance, "simulated": mean,
            "q05": float(np.quantile(v, 0.05)), "q95": float(np.quantile(v, 0.95)),
            "error": mean - t.value, "within": t.passes(mean), "structural": t.structural,
            "fitted": t.fitted,
        })  # fmt: skip
    return pd.DataFrame(rows)


def format_table(table: pd.DataFrame) -> str:
    """Plain-text validation table (what ``benchmarks/check_calibration.py`` prints)."""
    lines = [f"{'target':<24}{'value':>10}{'simulated':>12}{'tolerance':>11}  {'5-95 %':>20}  ok"]
    for r in table.itertuples():
        band = f"{r.q05:.6g}..{r.q95:.6g}"
        tol = "±" + format(r.tolerance, ".3g")
        lines.append(
            f"{r.target:<24}{r.value:>10.6g}{r.simulated:>12.6g}{tol:>11}"
            f"  {band:>20}  {'yes' if r.within else 'NO'}"
        )
    return "\n".join(lines)


# ----------------------------------------------------------------------------- outputs
def format_defaults(names: Sequence[str], theta: Sequence[float], header: str = "") -> str:
    """Text of a ``calibrated.toml`` file (``[defaults]`` name = value)."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    lines.append("[defaults]")
    for name, value in zip(names, theta, strict=True):
        lines.append(f"{name} = {float(f'{value:.6g}')!r}")
    return "\n".join(lines) + "\n"


def write_defaults(path: Path, names: Sequence[str], theta: Sequence[float], header: str) -> None:
    """Write calibrated defaults, checked against the registry bounds first."""
    for n, v in zip(names, theta, strict=True):
        REGISTRY[n].check(float(f"{v:.6g}"), n)
    _atomic_text(format_defaults(names, theta, header), Path(path))


def posterior_draws(
    n: int, seed: int, path: str | Path = DEFAULT_OUT / POSTERIOR_FILE
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


@dataclass
class CalibrationResult:
    """Everything a calibration produced (also written to its output folder).

    Attributes:
        targets: The targets.
        plan: The budget plan.
        best: Best fit of the search.
        abc: ABC-SMC output.
        ident: Identifiability table.
        validation: Validation table of the best fit (fresh seeds).
        predictive: Posterior-predictive intervals per target.
        runs: Runs used by search and ABC.
    """

    targets: Targets
    plan: Plan
    best: SearchResult
    abc: ABCResult
    ident: pd.DataFrame
    validation: pd.DataFrame
    predictive: pd.DataFrame
    runs: int


def calibrate(
    targets: Targets,
    *,
    backend: Backend,
    out: Path = DEFAULT_OUT,
    budget: int = 6000,
    seed: int = 20181231,
    plan: Plan | None = None,
    progress: bool = True,
    report: bool = True,
) -> CalibrationResult:
    """Run the whole calibration and write its outputs to ``out``.

    Writes ``best_fit.toml``, ``posterior.parquet`` (and ``.csv``),
    ``generations.csv``, ``identifiability.csv``, ``validation.csv``,
    ``predictive.csv``, and (with ``report``) ``report.md`` with figures in
    ``figures/``. Intermediate batches live in ``out/work`` (resumable).

    Args:
        targets: The targets.
        backend: Where runs execute.
        out: Output folder.
        budget: Runs for search and ABC (see :func:`plan_budget`).
        seed: Master seed.
        plan: Explicit plan (overrides ``budget``).
        progress: Whether to report progress on stderr.
        report: Whether to write the report and figures.
    """
    plan = plan or plan_budget(budget, len(targets.parameters))
    out = Path(out)
    work = out / "work"
    evaluator = Evaluator(targets, backend, work, progress=progress)
    _say(progress, f"calibrate: {plan}")
    best = search(
        targets, evaluator, seed=seed, crn=plan.crn, popsize=plan.popsize,
        maxiter=plan.maxiter, progress=progress,
    )  # fmt: skip
    search_runs = evaluator.runs
    abc = abc_smc(
        targets, evaluator, seed=seed, population=plan.population,
        max_generations=plan.max_generations, max_runs=plan.abc_runs,
        store=work / "abc", progress=progress,
    )  # fmt: skip
    runs = search_runs + abc.runs
    ident = identifiability(targets, abc.particles, abc.weights)
    best_params = dict(zip(targets.parameters, best.theta.tolist(), strict=True))
    full = {**prior_params(), **best_params}
    vseeds = validation_seeds(seed, plan.validation_runs)
    vsims = simulate_targets(
        targets, [full] * len(vseeds), vseeds, backend=backend, folder=work / "validation"
    )
    validation = validation_table(targets, vsims)
    # Posterior predictive: one run per posterior draw.
    post = posterior_frame(targets, abc)
    draws = _posterior_draws(post, plan.predictive_runs, stream_seed(seed, STREAM_PREDICTIVE))
    base = prior_params()
    psims = simulate_targets(
        targets,
        [{**base, **dr} for dr in draws],
        [stream_seed(seed, STREAM_PREDICTIVE, k) for k in range(len(draws))],
        backend=backend,
        folder=work / "predictive",
        scenario="predictive",
    )
    predictive = validation_table(targets, psims)
    result = CalibrationResult(targets, plan, best, abc, ident, validation, predictive, runs)
    write_outputs(result, out, seed=seed, search_runs=search_runs)
    if report:
        write_report(result, out, seed=seed)
    return result


def posterior_frame(targets: Targets, abc: ABCResult) -> pd.DataFrame:
    """The final ABC population as a posterior table (parameters, weight, distance)."""
    df = pd.DataFrame(abc.particles, columns=list(targets.parameters))
    df["weight"] = abc.weights
    df["distance"] = abc.distances
    return df


def write_outputs(result: CalibrationResult, out: Path, *, seed: int, search_runs: int) -> None:
    """Write the tables of a calibration (see :func:`calibrate`)."""
    t = result.targets
    post = posterior_frame(t, result.abc)
    _atomic_parquet(post, out / POSTERIOR_FILE)
    _atomic_text(post.to_csv(index=False), out / "posterior.csv")
    _atomic_text(result.abc.generations.to_csv(index=False), out / "generations.csv")
    _atomic_text(result.ident.to_csv(index=False), out / "identifiability.csv")
    _atomic_text(result.validation.to_csv(index=False), out / "validation.csv")
    _atomic_text(result.predictive.to_csv(index=False), out / "predictive.csv")
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
    _atomic_text(text, out / "best_fit.toml")


def write_report(result: CalibrationResult, out: Path, *, seed: int, command: str = "") -> None:
    """Write ``report.md`` and its figures (``figures/*.png``) to ``out``.

    Args:
        result: The calibration.
        out: Output folder.
        seed: Master seed used.
        command: Command line that produced it (quoted in the report).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figs = out / "figures"
    figs.mkdir(parents=True, exist_ok=True)
    t, abc, ident = result.targets, result.abc, result.ident
    names = list(t.parameters)

    # Targets against simulated values.
    val, pred = result.validation, result.predictive
    ncol = min(6, len(val))
    nrow = math.ceil(len(val) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(1.9 * ncol + 0.5, 2.6 * nrow), squeeze=False)
    flat = axes.ravel()
    for ax in flat[len(val) :]:
        ax.axis("off")
    nval = result.plan.validation_runs
    for ax, v, p in zip(flat, val.itertuples(), pred.itertuples(), strict=False):
        ax.axhspan(v.value - v.tolerance, v.value + v.tolerance, color="0.85", label="tolerance")
        ax.axhline(v.value, color="k", lw=1, label="target")
        ax.errorbar([0], [v.simulated], yerr=[[v.simulated - v.q05], [v.q95 - v.simulated]],
                    fmt="o", color="C0", capsize=3, label=f"best fit ({nval} seeds)")  # fmt: skip
        ax.errorbar([1], [p.simulated], yerr=[[p.simulated - p.q05], [p.q95 - p.simulated]],
                    fmt="s", color="C1", capsize=3, label="posterior predictive")  # fmt: skip
        ax.set_xlim(-0.7, 1.7)
        ax.set_xticks([])
        ax.set_title(v.target.replace("_", " "), fontsize=8)
        ax.tick_params(labelsize=7)
    flat[0].legend(fontsize=6, loc="lower left")
    fig.suptitle("End-2018 targets: value ± tolerance, simulated mean and 5-95 % range", fontsize=9)
    fig.tight_layout()
    fig.savefig(figs / "targets.png", dpi=110)
    plt.close(fig)

    # Marginals.
    d = len(names)
    cols = min(3, d)
    rows = math.ceil(d / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.4 * cols, 2.4 * rows), squeeze=False)
    for j, name in enumerate(names):
        ax = axes[j // cols][j % cols]
        lo, hi = t.bounds[j]
        ax.hist(abc.particles[:, j], bins=20, range=(lo, hi), weights=abc.weights, density=True,
                color="C0", alpha=0.7, label="posterior")  # fmt: skip
        ax.axhline(1 / (hi - lo), color="0.4", ls=":", label="prior")
        ax.axvline(prior_value(name), color="0.4", ls="--", label="prior default")
        ax.axvline(result.best.theta[j], color="C3", label="best fit")
        ax.set_title(f"{name} ({ident['verdict'].iloc[j]})", fontsize=8)
        ax.tick_params(labelsize=7)
    for k in range(d, rows * cols):
        axes[k // cols][k % cols].axis("off")
    axes[0][0].legend(fontsize=6)
    fig.tight_layout()
    fig.savefig(figs / "marginals.png", dpi=110)
    plt.close(fig)

    # Pairs.
    fig, axes = plt.subplots(d, d, figsize=(1.45 * d + 1, 1.45 * d + 1), squeeze=False)
    size = 4 + 40 * abc.weights / abc.weights.max()
    for i in range(d):
        for j in range(d):
            ax = axes[i][j]
            ax.set_xticks([])
            ax.set_yticks([])
            if j > i:
                ax.axis("off")
                continue
            if i == j:
                ax.hist(abc.particles[:, j], bins=15, range=tuple(t.bounds[j]),
                        weights=abc.weights, color="C0")  # fmt: skip
            else:
                ax.scatter(abc.particles[:, j], abc.particles[:, i], s=size, alpha=0.4, lw=0)
                ax.set_ylim(*t.bounds[i])
            ax.set_xlim(*t.bounds[j])
            if i == d - 1:
                ax.set_xlabel(names[j], fontsize=6, rotation=30)
            if j == 0:
                ax.set_ylabel(names[i], fontsize=6, rotation=60)
    fig.suptitle("Posterior pairs (axes span the prior ranges)", fontsize=9)
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.1, top=0.95, wspace=0.08, hspace=0.08)
    fig.savefig(figs / "pairs.png", dpi=100)
    plt.close(fig)

    # Convergence.
    g = abc.generations
    fig, axes = plt.subplots(1, 3, figsize=(10, 3))
    axes[0].semilogy(g["generation"], g["epsilon"], "o-")
    axes[0].axhline(t.min_epsilon, color="0.5", ls="--", lw=1)
    axes[0].set(xlabel="ABC generation", ylabel="tolerance ε", title="ABC tolerance")
    axes[1].plot(g["generation"], g["acceptance"], "o-")
    axes[1].set(xlabel="ABC generation", ylabel="acceptance rate", title="ABC acceptance",
                ylim=(0, 1))  # fmt: skip
    hist = np.sqrt(np.maximum(result.best.history, 0))
    axes[2].plot(np.arange(1, len(hist) + 1), hist, "o-")
    axes[2].set(xlabel="search generation", ylabel="√objective", title="Global search")
    fig.tight_layout()
    fig.savefig(figs / "convergence.png", dpi=110)
    plt.close(fig)

    _atomic_text(_report_text(result, seed=seed, command=command), out / "report.md")


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def _report_text(result: CalibrationResult, *, seed: int, command: str) -> str:
    t, abc, ident, plan = result.targets, result.abc, result.ident, result.plan
    g = abc.generations
    n_id = int((ident["verdict"] == "identified").sum())
    lines = [
        "# Calibration to the end-2018 figures",
        "",
        f"Targets: `{t.path.as_posix()}`; year {t.year}; master seed {seed}; model "
        f"`{model_version()}`.",
        f"Runs: {result.runs} for search and ABC-SMC (budget {plan.budget}), plus "
        f"{plan.validation_runs} validation and {plan.predictive_runs} posterior-predictive runs.",
    ]
    if command:
        lines += ["", "Command:", "", "```", command, "```"]
    lines += [
        "",
        "Method (details in `docs/calibration.md`): simulated moments with common random "
        f"numbers ({plan.crn} seeds shared by every candidate), differential evolution "
        f"(population {plan.popsize * len(t.parameters)}, {plan.maxiter} generations) for the "
        f"best fit; batch-synchronous ABC-SMC ({plan.population} particles) for the posterior. "
        "Priors are uniform on the registry bounds.",
        "",
        "## Targets",
        "",
        "![targets](figures/targets.png)",
        "",
        "Best fit: mean and 5-95 % range over "
        f"{plan.validation_runs} seeds the calibration never used. Predictive: 5-95 % range of "
        "runs with parameters drawn from the posterior (parameter and stochastic uncertainty).",
        "",
        "| target | value | tolerance | best fit (mean) | best fit 5-95 % | predictive 5-95 % "
        "| within | role | source |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for tg, v, p in zip(t.targets, result.validation.itertuples(), result.predictive.itertuples(),
                        strict=True):  # fmt: skip
        role = ("structural (exact by construction; checked, not fitted)" if tg.structural
                else "fitted" if tg.fitted else "checked (weight 0)")  # fmt: skip
        lines.append(
            f"| {tg.name} | {_fmt(tg.value)} | ±{_fmt(v.tolerance)} | {_fmt(v.simulated)} | "
            f"{_fmt(v.q05)}–{_fmt(v.q95)} | {_fmt(p.q05)}–{_fmt(p.q95)} | "
            f"{'yes' if v.within else '**no**'} | {role} | {tg.source} |"
        )
    lines += [
        "",
        "`growth_gap_pp` is checked but carries no weight: the province's 2018 growth is data "
        "(6.7 %), so the gap is the growth target less a constant.",
        "",
        "## Best-fit parameters and identifiability",
        "",
        f"The targets identify {n_id} of {len(t.parameters)} calibrated parameters. Criterion: "
        "width of the posterior's 90 % interval divided by the prior's (0.9 of the registry "
        f"range); identified below {IDENTIFIED_RATIO}, weakly identified below {WEAK_RATIO}, "
        "otherwise not identified. A parameter that is not identified keeps its prior range "
        "in every use of the posterior; its best-fit value is one of many that fit equally "
        "well and carries no evidence.",
        "",
        "| parameter | prior default | prior range | best fit | posterior mean | posterior 90 % "
        "| width ratio | verdict |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r, b in zip(ident.itertuples(), result.best.theta, strict=True):
        lines.append(
            f"| {r.parameter} | {_fmt(r.prior_default)} | {_fmt(r.lower)}–{_fmt(r.upper)} | "
            f"{_fmt(b)} | {_fmt(r.posterior_mean)} | {_fmt(r.q05)}–{_fmt(r.q95)} | "
            f"{r.width_ratio:.2f} | {r.verdict} |"
        )
    corr = _weighted_corr(abc.particles, abc.weights)
    pairs = [
        (abs(corr[i, j]), t.parameters[i], t.parameters[j], corr[i, j])
        for i in range(len(t.parameters))
        for j in range(i)
    ]
    strong = sorted([p for p in pairs if p[0] >= 0.4], reverse=True)[:6]
    lines += ["", "![marginals](figures/marginals.png)", "", "![pairs](figures/pairs.png)", ""]
    if strong:
        lines += [
            "Posterior correlations of magnitude 0.4 or more (the targets constrain these "
            "combinations rather than each parameter alone):",
            "",
            *[f"- {a} and {b}: {c:+.2f}" for _, a, b, c in strong],
            "",
        ]
    lines += [
        "## Convergence",
        "",
        "![convergence](figures/convergence.png)",
        "",
        "| generation | tolerance ε | accepted | proposed | acceptance | ESS |",
        "|---|---|---|---|---|---|",
    ]
    for r in g.itertuples():
        lines.append(
            f"| {r.generation} | {r.epsilon:.3f} | {r.accepted} | {r.proposed} | "
            f"{r.acceptance:.2f} | {r.ess:.0f} |"
        )
    final = float(g["epsilon"].iloc[-1])
    stop = (
        f"reached the target tolerance {t.min_epsilon}" if final <= t.min_epsilon
        else "stopped by the run budget or a low acceptance rate before reaching the target "
        f"tolerance {t.min_epsilon}: the posterior is wider than the data alone would allow"
    )  # fmt: skip
    lines += [
        "",
        f"The final tolerance is {final:.3f} (distance units: one unit is about one target "
        f"tolerance); ABC {stop}. Search best distance: {result.best.distance:.3f} on the common "
        "seeds.",
        "",
    ]
    return "\n".join(lines)


def _weighted_corr(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    cov = _weighted_cov(x, w)
    sd = np.sqrt(np.maximum(np.diag(cov), 1e-300))
    return cov / np.outer(sd, sd)
