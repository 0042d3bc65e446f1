"""The whole calibration: budget plan, search, ABC-SMC, validation, outputs.

:func:`calibrate` splits a run budget (:func:`plan_budget`), runs the global search
and ABC-SMC on one :class:`~sim.analysis.calibration.evaluation.Evaluator`, validates
the best fit on fresh seeds, draws posterior-predictive runs and writes the outputs
(:func:`~sim.analysis.calibration.files.write_outputs`) and, optionally, the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.analysis.calibration.evaluation import Evaluator, say
from sim.analysis.calibration.files import write_outputs
from sim.analysis.calibration.posterior import ABCResult, abc_smc, identifiability, posterior_frame
from sim.analysis.calibration.report import write_report
from sim.analysis.calibration.search import SearchResult, search
from sim.analysis.calibration.targets import Targets, prior_params
from sim.analysis.calibration.validation import simulate_targets, validation_table
from sim.experiments.backends import Backend
from sim.experiments.errors import ArgumentError
from sim.experiments.posterior import posterior_draws as _posterior_draws
from sim.experiments.seeds import PREDICTIVE, branch_seed, validation_seeds

#: Default output folder (relative to the working directory).
DEFAULT_OUT = Path("calibration")


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
        ArgumentError: If the budget is too small to run both stages (names ``budget``).
    """
    if isinstance(budget, bool) or budget < 100:
        raise ArgumentError("budget", f": expected at least 100 runs, got {budget}")
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
    say(progress, f"calibrate: {plan}")
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
    draws = _posterior_draws(post, plan.predictive_runs, branch_seed(seed, PREDICTIVE))
    base = prior_params()
    psims = simulate_targets(
        targets,
        [{**base, **dr} for dr in draws],
        [branch_seed(seed, PREDICTIVE, k) for k in range(len(draws))],
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
