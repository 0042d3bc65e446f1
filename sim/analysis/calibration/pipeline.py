"""The whole calibration: budget plan, history matching, ABC-SMC, validation, outputs.

:func:`calibrate` splits a run budget (:func:`plan_budget`), screens the candidate
parameters and history-matches the patterns in waves with Gaussian-process emulators
(:func:`~sim.analysis.calibration.history.history_match`), runs ABC-SMC on the real
model inside the not-ruled-out-yet space, chooses the best fit on common seeds,
validates it on fresh seeds, draws posterior-predictive runs and writes the outputs
(:func:`~sim.analysis.calibration.files.write_outputs`) and, optionally, the report.
:func:`leave_one_out` repeats the whole calibration without each fitted pattern in turn
and predicts the pattern left out.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis import safetext
from sim.analysis.calibration.evaluation import Evaluator, result_digest, say
from sim.analysis.calibration.files import (
    BEST_FIT_FILE,
    LOO,
    LOO_FILE,
    WORK,
    output_files,
    write_outputs,
)
from sim.analysis.calibration.history import HistoryResult, history_match
from sim.analysis.calibration.posterior import ABCResult, abc_smc, identifiability, posterior_frame
from sim.analysis.calibration.report import write_report
from sim.analysis.calibration.search import SearchResult, candidates, search
from sim.analysis.calibration.targets import Targets, one_sided
from sim.analysis.calibration.validation import simulate_targets, validation_table
from sim.core.run import FIRST_YEAR
from sim.experiments.backends import Backend
from sim.experiments.batch import check_work
from sim.experiments.errors import ArgumentError
from sim.experiments.outfolder import OutputFolder
from sim.experiments.posterior import posterior_draws as _posterior_draws
from sim.experiments.seeds import PREDICTIVE, branch_seed, validation_seeds

#: Default output folder (relative to the working directory).
DEFAULT_OUT = Path("calibration")
#: Seeds per history-matching design point; best-fit candidates and their common seeds.
REPLICATES, CANDIDATES, CRN = 2, 10, 4
#: Most point-seeds for history matching (three waves of 160, 80 and 80 points, two seeds).
HM_MAX = 640
#: Most ABC particles: about thirty-five per calibrated parameter, so that the posterior's
#: 90 % intervals rest on a few hundred distinct particles. A generation costs at most
#: ``(1 - abc_quantile) * population * MAX_MOVES`` points (fewer: moves that leave the NROY
#: space cost no run), so the ABC share of the budget is kept at sixteen populations or more.
POPULATION_MAX = 750


@dataclass(frozen=True)
class Plan:
    """How a run budget is split between history matching, ABC-SMC and the best fit.

    Attributes:
        budget: Model runs for history matching, ABC and the best fit (validation
            and predictive runs come on top).
        runs_per_point: Model runs per parameter point and seed (the point and its
            lever variants).
        waves: Design points of each history-matching wave.
        replicates: Seeds per design point.
        population: ABC particles per generation.
        max_generations: Most ABC generations after generation 0.
        abc_points: Most ABC particles simulated (points, not runs).
        candidates: Best-fit candidates compared on common seeds.
        crn: Common seeds per best-fit candidate.
        validation_runs: Seeds of the best fit's validation.
        predictive_runs: Posterior-predictive points.
    """

    budget: int
    runs_per_point: int
    waves: tuple[int, ...]
    replicates: int
    population: int
    max_generations: int
    abc_points: int
    candidates: int = CANDIDATES
    crn: int = CRN
    validation_runs: int = 20
    predictive_runs: int = 100

    @property
    def abc_runs(self) -> int:
        """Most model runs for ABC."""
        return self.abc_points * self.runs_per_point


def _split(points: int, n_params: int) -> tuple[tuple[int, ...], int, int] | None:
    """Waves, ABC points and population for ``points`` point-seeds, or ``None`` if too few."""
    hm = min(int(0.4 * points), HM_MAX) // REPLICATES
    waves = (hm // 2, hm // 4, hm // 4)
    abc_points = points - REPLICATES * sum(waves) - CANDIDATES * CRN
    population = max(20, min(POPULATION_MAX, abc_points // 16))
    if waves[0] < 2 * (n_params + 1) or waves[2] < 1 or abc_points < 4 * population:
        return None
    return waves, abc_points, population


def plan_budget(budget: int, n_params: int, runs_per_point: int = 1) -> Plan:
    """Split ``budget`` runs between history matching, ABC-SMC and the best fit.

    History matching takes 40 % (three waves, at most ``HM_MAX`` point-seeds), ABC the
    rest but ``CANDIDATES * CRN`` points.

    Wave 1 (screening and first emulators) takes half of the history-matching share,
    waves 2 and 3 a quarter each; the best fit takes ``CANDIDATES * CRN`` points. A
    point costs ``runs_per_point`` runs (the point and its lever variants).

    Args:
        budget: Model runs.
        n_params: Candidate parameters (wave 1 has at least ``2 * (n_params + 1)``
            points).
        runs_per_point: Model runs per point and seed.

    Raises:
        ArgumentError: If the budget is too small to run every stage (names ``budget``
            and the smallest budget that is enough).
    """
    split = None if isinstance(budget, bool) else _split(budget // runs_per_point, n_params)
    if split is None:
        need = next(p for p in range(1, 10**7) if _split(p, n_params)) * runs_per_point
        raise ArgumentError("budget", f": expected at least {need} runs, got {budget}")
    waves, abc_points, population = split
    points = budget // runs_per_point
    return Plan(
        budget=budget,
        runs_per_point=runs_per_point,
        waves=waves,
        replicates=REPLICATES,
        population=population,
        max_generations=30,
        abc_points=abc_points,
        candidates=CANDIDATES,
        crn=CRN,
        validation_runs=20,
        predictive_runs=min(100, max(20, points // 60)),
    )


@dataclass
class Stage:
    """Runs and wall time of one stage of a calibration."""

    name: str
    runs: int
    seconds: float


@dataclass
class CalibrationResult:
    """Everything a calibration produced (also written to its output folder).

    Attributes:
        targets: The targets (calibrated parameters after screening).
        plan: The budget plan.
        best: Best fit.
        abc: ABC-SMC output.
        ident: Identifiability table.
        validation: Validation table of the best fit (fresh seeds).
        predictive: Posterior-predictive intervals per target.
        runs: Runs used by history matching, ABC and the best fit.
        history: Screening and history matching (``None`` without).
        stages: Runs and time of every stage.
        loo: The leave-one-pattern-out check (:func:`leave_one_out`), if run.
    """

    targets: Targets
    plan: Plan
    best: SearchResult
    abc: ABCResult
    ident: pd.DataFrame
    validation: pd.DataFrame
    predictive: pd.DataFrame
    runs: int
    history: HistoryResult | None = None
    stages: list[Stage] = field(default_factory=list)
    loo: pd.DataFrame | None = None


def history_stage(
    targets: Targets, evaluator: Evaluator, plan: Plan, *, seed: int, progress: bool = True
) -> HistoryResult:
    """Screening and history matching of :func:`calibrate` (resumed from ``work/history``).

    Args:
        targets: The targets.
        evaluator: Simulates moments; its folder holds the stored runs and waves.
        plan: The budget plan (waves, replicates, runs per point).
        seed: Master seed.
        progress: Whether to report progress on stderr.
    """

    def evaluate_for(step: str, thetas: np.ndarray, seeds: np.ndarray, tg: Targets) -> np.ndarray:
        return evaluator.for_targets(tg)(step, thetas, seeds)

    return history_match(
        targets, evaluate_for, seed=seed, points=plan.waves, replicates=plan.replicates,
        store=evaluator.work_dir / "history", progress=progress,
        runs_per_point=plan.runs_per_point,
    )  # fmt: skip


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
    command: str = "",
    allow_foreign: bool = False,
    max_work: int | None = None,
    loo_budget: int | None = None,
) -> CalibrationResult:
    """Run the whole calibration and write its outputs to ``out``.

    Stages: screening and history matching in waves (emulators over the prior box,
    then inside the NROY space), ABC-SMC on the real model with the NROY space as
    its prior's support, the best fit among posterior candidates on common seeds,
    its validation on seeds never used, and posterior-predictive runs. Writes
    ``best_fit.toml``, ``posterior.parquet`` (and ``.csv``), the tables of
    :func:`~sim.analysis.calibration.files.write_outputs` and (with ``report``)
    ``report.md`` with figures in ``figures/``. Intermediate batches and wave files
    live in ``out/work`` (resumable). The folder follows the output-folder policy
    (:class:`~sim.experiments.outfolder.OutputFolder`): an empty folder or a
    calibration's, never another command's, and no file of the user's replaced (the
    targets file may sit there); the budget is checked against ``max_work`` first.

    Args:
        targets: The targets.
        backend: Where runs execute.
        out: Output folder.
        budget: Runs (see :func:`plan_budget`).
        seed: Master seed.
        plan: Explicit plan (overrides ``budget``).
        progress: Whether to report progress on stderr.
        report: Whether to write the report and figures.
        command: The command line, quoted in the report.
        allow_foreign: Accept a non-empty folder that is not a calibration's (its files
            are left untouched).
        max_work: Most run-years the calibration may ask for (default
            :data:`~sim.experiments.batch.MAX_WORK`).
        loo_budget: Also refit without each fitted pattern in turn, this many runs per
            fit, calibrating the parameters the full fit calibrates
            (:func:`leave_one_out`; ``loo.csv`` in ``out`` and the fits in ``out/loo``).

    Raises:
        ArgumentError: If ``loo_budget`` cannot fit one parameter (checked before any
            run) or the parameters the full fit keeps (checked after it).
    """
    out = Path(out)
    plan = plan or plan_budget(budget, len(targets.parameters), targets.runs_per_point)
    runs = plan.budget + (plan.validation_runs + plan.predictive_runs) * targets.runs_per_point
    if loo_budget is not None:
        _loo_plan(loo_budget, 1, targets)  # screening keeps at least one parameter
        runs += loo_budget * len(targets.fitted)
    check_work(runs, targets.year - FIRST_YEAR + 1, max_work, what="runs (budget)")
    folder = OutputFolder(
        out, "calibrate", output_files(), folders=(WORK, LOO), legacy=BEST_FIT_FILE,
        allow_foreign=allow_foreign,
    )  # fmt: skip
    folder.claim()
    work = out / WORK
    evaluator = Evaluator(targets, backend, work, progress=progress)
    say(progress, f"calibrate: {plan}")
    stages: list[Stage] = []

    t0 = time.perf_counter()
    history = history_stage(targets, evaluator, plan, seed=seed, progress=progress)
    stages.append(Stage("screening and history matching", history.runs, time.perf_counter() - t0))
    fitted = history.targets
    ev = evaluator.for_targets(fitted)
    t0 = time.perf_counter()
    abc = abc_smc(
        fitted, ev, seed=seed, population=plan.population,
        max_generations=plan.max_generations, max_runs=plan.abc_points,
        store=work / "abc", progress=progress, support=history.nroy,
    )  # fmt: skip
    stages.append(Stage("ABC-SMC", abc.runs * plan.runs_per_point, time.perf_counter() - t0))
    t0 = time.perf_counter()
    pool = candidates(abc, plan.candidates, fitted.clear_of_edges)
    best = search(fitted, ev, pool, seed=seed, crn=plan.crn)
    best_runs = best.evaluations * plan.crn * plan.runs_per_point
    stages.append(Stage("best fit", best_runs, time.perf_counter() - t0))
    runs = history.runs + abc.runs * plan.runs_per_point + best_runs
    ident = identifiability(fitted, abc.particles, abc.weights)
    best_params = dict(zip(fitted.parameters, best.theta.tolist(), strict=True))
    t0 = time.perf_counter()
    vseeds = validation_seeds(seed, plan.validation_runs)
    vsims = simulate_targets(
        fitted,
        [best_params] * len(vseeds),
        vseeds,
        backend=backend,
        folder=work / "validation" / result_digest(best.theta)[:8],
    )
    validation = validation_table(fitted, vsims)
    n_variants = len(ev.variants(fitted.targets))
    stages.append(Stage("validation", len(vseeds) * n_variants, time.perf_counter() - t0))
    # Posterior predictive: one point per posterior draw.
    t0 = time.perf_counter()
    post = posterior_frame(fitted, abc)
    draws = _posterior_draws(post, plan.predictive_runs, branch_seed(seed, PREDICTIVE))
    psims = simulate_targets(
        fitted,
        draws,
        [branch_seed(seed, PREDICTIVE, k) for k in range(len(draws))],
        backend=backend,
        folder=work / "predictive" / result_digest(post.to_numpy())[:8],
        scenario="predictive",
    )
    predictive = validation_table(fitted, psims)
    stages.append(Stage("posterior predictive", len(draws) * n_variants, time.perf_counter() - t0))
    result = CalibrationResult(
        fitted, plan, best, abc, ident, validation, predictive, runs, history, stages
    )
    written = write_outputs(result, out, seed=seed, search_runs=best_runs)
    if loo_budget is not None:
        _loo_plan(loo_budget, len(fitted.parameters), targets)
        result.loo = leave_one_out(
            targets, backend=backend, out=out, budget=loo_budget, seed=seed,
            parameters=fitted.parameters, progress=progress,
        )  # fmt: skip
        written.append(out / LOO_FILE)
    if report:
        written += write_report(result, out, seed=seed, command=command)
    folder.finish(written)
    return result


def _loo_plan(budget: int, parameters: int, targets: Targets) -> Plan:
    """The plan of each leave-one-out fit; an error naming ``loo_budget`` if none fits."""
    try:
        return plan_budget(budget, parameters, targets.runs_per_point)
    except ArgumentError as exc:
        raise ArgumentError("loo_budget", exc.detail) from None


def leave_one_out(
    targets: Targets,
    *,
    backend: Backend,
    out: Path = DEFAULT_OUT,
    budget: int = 3000,
    seed: int = 20181231,
    plan: Plan | None = None,
    parameters: Sequence[str] | None = None,
    progress: bool = True,
) -> pd.DataFrame:
    """Calibrate without each fitted pattern in turn and predict the pattern left out.

    Each fit is the whole calibration (screening unless ``parameters`` are given,
    history matching, ABC-SMC, best fit) on the other patterns, in
    ``out/loo/<pattern>`` (resumable); the pattern left out is
    then predicted at that fit's best fit (mean and 5-95 % over its validation seeds)
    and by its posterior predictive (5-95 %). Validation patterns are never fitted, so
    they are predictions already and are not left out again. Writes ``loo.csv``.

    Args:
        targets: The targets as loaded (before screening).
        backend: Where runs execute.
        out: The calibration's output folder.
        budget: Runs of each fit (see :func:`plan_budget`).
        seed: Master seed.
        plan: Explicit plan of each fit (overrides ``budget``).
        parameters: Calibrate these (e.g. those the full fit's screening kept) instead
            of screening the candidates in each fit: much cheaper; the choice of which
            parameters are free then saw every pattern, their values do not.
        progress: Whether to report progress on stderr.

    Returns:
        One row per fitted pattern: ``pattern, value, tolerance, predicted, q05, q95,
        predictive_q05, predictive_q95, error`` (in tolerances, ``(predicted - value) /
        tolerance``, 0 on the right side of a one-sided pattern), ``within`` (the
        prediction within tolerance) and ``covered`` (the value inside the predictive
        5-95 %, or on its right side for a one-sided pattern).
    """
    rows = []
    base = targets if parameters is None else targets.with_parameters(parameters)
    for t in targets.fitted:
        say(progress, f"leave one out: {t.name}")
        fit = calibrate(
            base.without([t.name]), backend=backend, out=Path(out) / "loo" / t.name,
            budget=budget, seed=seed, plan=plan, progress=progress, report=False,
        )  # fmt: skip
        v = fit.validation.set_index("target").loc[t.name]
        pr = fit.predictive.set_index("target").loc[t.name]
        lo, hi = float(pr["q05"]), float(pr["q95"])
        covered = {
            "at_least": hi >= t.value,
            "at_most": lo <= t.value,
        }.get(t.bound or "", lo <= t.value <= hi)
        off = float(one_sided([t], np.array([float(v["simulated"]) - t.value]))[0])
        rows.append({
            "pattern": t.name, "value": t.value, "tolerance": t.abs_tolerance,
            "bound": t.bound or "", "predicted": float(v["simulated"]),
            "q05": float(v["q05"]), "q95": float(v["q95"]),
            "predictive_q05": lo, "predictive_q95": hi,
            "error": off / t.abs_tolerance, "within": t.passes(float(v["simulated"])),
            "covered": bool(covered), "calibrated": len(fit.targets.parameters),
            "distance": fit.best.distance,
        })  # fmt: skip
    table = pd.DataFrame(rows)
    Path(out).mkdir(parents=True, exist_ok=True)
    safetext.write_csv(Path(out) / LOO_FILE, table)
    return table
