"""Planning a batch: run specifications with common random numbers, work limits, chunks."""

from __future__ import annotations

import math
from collections.abc import Sequence

from sim.experiments.errors import ArgumentError
from sim.experiments.posterior import load_posterior, replicate_params
from sim.experiments.runs import RunSpec
from sim.experiments.scenarios.scenario import Scenario, ScenarioError
from sim.experiments.seeds import replicate_seed

#: Largest number of runs in one task (one part file per task).
MAX_CHUNK = 10
#: Tasks per worker aimed at, so the progress bar moves and the load balances.
TASKS_PER_WORKER = 4
#: Most run-years (runs times years simulated) a command asks for unless told otherwise:
#: about a core-week at the model's speed of a few hundredths of a second per year.
MAX_WORK = 10_000_000


def scenario_specs(
    scenarios: Sequence[Scenario], *, reps: int | None = None, seed: int | None = None
) -> list[RunSpec]:
    """Run specifications for a batch of scenarios, with common random numbers.

    Replicate ``k`` of every scenario uses the same seed, derived from the master
    seed (:func:`sim.experiments.seeds.replicate_seed`). A scenario with
    ``run.posterior`` runs replicate ``k`` with posterior draw ``k`` under its own
    overrides (:func:`sim.experiments.posterior.replicate_params`), so scenarios that
    share the posterior and master seed are paired on parameters as well as seeds.

    Args:
        scenarios: The scenarios (names must differ).
        reps: Replicates per scenario (default: each scenario's ``run.replications``).
        seed: Master seed (default: the scenarios' ``run.seed``, which must agree).

    Returns:
        Specifications in batch order: scenario by scenario, replicate by replicate.

    Raises:
        ScenarioError: If two scenarios share a name, or their master seeds differ and
            no ``seed`` is given.
    """
    _check_names(scenarios)
    if seed is None:
        _check_master_seeds(scenarios)
    specs = []
    for sc in scenarios:
        master = sc.run.seed if seed is None else seed
        posterior = load_posterior(sc.run.posterior) if sc.run.posterior else None
        for k in range(reps if reps is not None else sc.run.replications):
            params = (
                sc.params
                if posterior is None
                else replicate_params(posterior, master, k, sc.overrides)
            )
            specs.append(
                RunSpec(
                    scenario=sc.name,
                    replicate=k,
                    seed=replicate_seed(master, k),
                    params=params,
                    start=sc.run.start,
                    end=sc.run.end,
                )
            )
    return specs


def _check_names(scenarios: Sequence[Scenario]) -> None:
    """Refuse two scenarios of one name in a batch."""
    names: dict[str, Scenario] = {}
    for sc in scenarios:
        if sc.name in names:
            raise ScenarioError(
                sc.path,
                "name",
                "expected a name not used by another scenario of the batch "
                f"({names[sc.name].path}), got {sc.name!r}",
            )
        names[sc.name] = sc


def _check_master_seeds(scenarios: Sequence[Scenario]) -> None:
    """Refuse scenarios whose files give different master seeds (their runs would not pair)."""
    if not scenarios:
        return
    first = scenarios[0]
    for sc in scenarios[1:]:
        if sc.run.seed != first.run.seed:
            raise ScenarioError(
                sc.path,
                "run.seed",
                f"expected the master seed of {first.path} ({first.run.seed}) so that "
                f"runs are paired, got {sc.run.seed} (or give the batch one master seed)",
            )


def check_work(runs: int, years: int, limit: int | None = None, *, what: str = "runs") -> int:
    """Refuse a request for more work than ``limit`` run-years, before any work is done.

    Args:
        runs: Runs asked for.
        years: Years each run simulates (the longest horizon).
        limit: Most run-years allowed (default :data:`MAX_WORK`); at least 1.
        what: What to ask fewer of, in the message (``"replicates"``, ``"states"``).

    Returns:
        The run-years asked for.

    Raises:
        ArgumentError: Naming ``max_work``, the work asked for and the limit.
    """
    limit = MAX_WORK if limit is None else limit
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ArgumentError("max_work", f": expected a whole number of at least 1, got {limit!r}")
    work = int(runs) * max(int(years), 1)
    if work > limit:
        raise ArgumentError(
            "max_work",
            f": expected at most {limit:,} run-years of work, got {_count(runs)} runs of "
            f"{years} year(s) = {_count(work)}; ask for fewer {what}, or raise the limit",
        )
    return work


def _count(n: int) -> str:
    """A whole number with thousands separators, or its order of magnitude if enormous."""
    return f"{n:,}" if n < 10**18 else f"about 10^{len(str(n)) - 1}"


def default_chunk_size(n_runs: int, workers: int) -> int:
    """Runs per task: about four tasks per worker, at most :data:`MAX_CHUNK`."""
    return max(1, min(MAX_CHUNK, math.ceil(n_runs / (max(workers, 1) * TASKS_PER_WORKER))))


def chunks(specs: Sequence[RunSpec], size: int) -> list[list[RunSpec]]:
    """``specs`` in tasks of ``size`` runs (the last may be shorter), in order."""
    return [list(specs[i : i + size]) for i in range(0, len(specs), size)]
