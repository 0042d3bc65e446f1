"""Running an exploration: every policy in every state of the world, on the batch layer.

:func:`run_exploration` validates everything first, samples the states and their
seeds (:mod:`.design`), runs ``policies x states x seeds`` through
:func:`sim.experiments.batch.execute` into ``<out>/runs`` (local processes or Dask;
running the same command again skips finished runs), collects the outcomes of every
run and their means per state, measures, discovers and values information
(:func:`analyse`) and writes the folder (:mod:`.report`).
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.robustness.design import (
    SEEDS_PER_STATE,
    STATE_COLUMNS,
    ExploreError,
    Outcome,
    check_policies,
    horizon,
    parse_outcomes,
    policy_overrides,
    run_specs,
    select_uncertainties,
    state_seeds,
    state_table,
)
from sim.analysis.robustness.discovery import DENSITY_TARGET, discover
from sim.analysis.robustness.measures import Threshold, measure_all, parse_thresholds
from sim.analysis.robustness.report import (
    RUNS,
    SETTINGS,
    Exploration,
    output_files,
    write_design,
    write_exploration,
)
from sim.analysis.robustness.voi import value_of_information
from sim.experiments.outfolder import OutputFolder
from sim.experiments.runs import RunSpec, params_json

#: File name of the calibration posterior shipped with the scenarios (package data, a
#: copy of ``calibration/posterior.parquet`` that a test keeps equal to it).
SHIPPED_POSTERIOR = "calibration_posterior.parquet"
#: What the settings record as the posterior when none is used.
NO_POSTERIOR = "none"
#: Settings that identify an exploration in its folder; resuming requires the same.
IDENTITY = (
    "policies",
    "uncertain",
    "states",
    "seeds_per_state",
    "seed",
    "posterior_sha256",
    "start",
    "end",
)


def collect_outcomes(
    annual: pd.DataFrame, runs: Sequence[RunSpec], specs: Sequence[Outcome]
) -> pd.DataFrame:
    """The outcome of every run of an exploration, from a batch's annual table.

    Only the rows of ``runs`` count (matched by policy, state, seed index and run id, so
    by their parameters and seed): a batch folder that also holds runs of another design
    (another seed, other uncertainties) never lends them to this one.

    Args:
        annual: Annual metrics (``scenario, replicate, sample, seed, year``, metrics,
            ``run_id``; ``sample`` is the state, ``replicate`` the seed's index in it).
        runs: The exploration's runs (:func:`~sim.analysis.robustness.design.run_specs`).
        specs: The outcomes.

    Returns:
        One row per run, in the order of ``runs`` (policy-major): ``policy, state,
        replicate, seed``, one column per outcome label.

    Raises:
        ExploreError: If a run or a year is missing.
    """
    names = ["policy", "state", "replicate", "run_id"]
    keys = pd.MultiIndex.from_tuples(
        [(r.scenario, r.sample, r.replicate, r.run_id) for r in runs], names=names
    )
    table = annual.rename(columns={"scenario": "policy", "sample": "state"})
    table = table.drop_duplicates([*names, "year"]).set_index([*names, "year"])
    out = pd.DataFrame(index=keys)
    out["seed"] = np.array([r.seed for r in runs], dtype=np.int64)
    for o in specs:
        try:
            values = table[o.metric].xs(o.year, level="year")
        except KeyError:
            raise ExploreError("annual", f": expected year {o.year} in the runs' outputs") from None
        out[o.label] = values.reindex(keys).to_numpy(dtype=float)
        if out[o.label].isna().any():
            policy, state, k, _ = out.index[out[o.label].isna().to_numpy()][0]
            raise ExploreError(
                "annual",
                f": policy {policy}, state {state}, seed {k} has no {o.label}; "
                "expected a finished run",
            )
    return out.reset_index().drop(columns="run_id")


def state_means(runs: pd.DataFrame, labels: Sequence[str]) -> pd.DataFrame:
    """Each state's outcomes: the mean over its seeds.

    Returns:
        One row per (policy, state) in the runs' order: ``policy, state``, one column
        per outcome label.
    """
    grouped = runs.groupby(["policy", "state"], sort=False)[list(labels)].mean()
    return grouped.reset_index()


def analyse(
    states: pd.DataFrame,
    outcomes: pd.DataFrame,
    settings: dict[str, Any],
    *,
    runs: pd.DataFrame | None = None,
    thresholds: Sequence[Threshold] = (),
    discover_outcomes: Sequence[Outcome] | None = None,
    density_target: float = DENSITY_TARGET,
) -> Exploration:
    """Measures, scenario discovery and value of information of finished runs.

    No model runs here.

    Args:
        states: State table (:func:`~sim.analysis.robustness.design.state_table`).
        outcomes: State means (:func:`state_means`): ``policy, state``, outcomes.
        settings: The exploration's settings (``outcomes``, ``seed``, ...).
        runs: Every run's outcomes (:func:`collect_outcomes`), for the seed-noise
            share of each comparison (default: not known).
        thresholds: Satisficing criteria.
        discover_outcomes: Outcomes to run discovery and value of information on
            (default: every outcome).
        density_target: Density the chosen PRIM box should reach.

    Returns:
        The exploration, in memory.
    """
    specs = parse_outcomes(settings["outcomes"])
    measures = measure_all(outcomes, specs, thresholds, runs=runs)
    features = [c for c in states.columns if c not in STATE_COLUMNS]
    shown = specs if discover_outcomes is None else discover_outcomes
    seed = int(settings["seed"])
    found = discover(states, outcomes, shown, features, seed=seed, density_target=density_target)
    return Exploration(
        path=None,
        settings=settings,
        states=states,
        outcomes=outcomes,
        pairwise=measures["pairwise"],
        regret=measures["regret"],
        satisficing=measures["satisficing"],
        discovery=found,
        runs=runs if runs is not None else pd.DataFrame(columns=["policy", "state"]),
        evppi=value_of_information(states, outcomes, shown, features, seed=seed),
    )


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def check_out_dir(out_dir: Path, settings: dict[str, Any]) -> None:
    """Refuse a folder that holds a different exploration (resuming needs the same one).

    Raises:
        ExploreError: If ``out_dir`` is a file, or its settings file records
            different identifying settings.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise ExploreError("out", f" {out_dir}: expected a folder, got a file")
    path = out_dir / SETTINGS
    if not path.is_file():
        return
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        raise ExploreError(
            "out", f" {out_dir}: {SETTINGS}: expected the JSON settings of an exploration"
        ) from None
    new = json.loads(json.dumps({k: settings[k] for k in IDENTITY}))
    for key in IDENTITY:
        if old.get(key) != new[key]:
            raise ExploreError(
                "out",
                f" {out_dir}: holds another exploration ({key} differs in {SETTINGS}); "
                "expected the same settings to resume, or another folder",
            )


def default_posterior() -> Path:
    """The calibration posterior an exploration uses when none is named.

    It is the copy shipped with the scenarios, so the default does not depend on the
    working folder.
    """
    from sim.experiments.scenarios import shipped_dir

    return shipped_dir() / SHIPPED_POSTERIOR


def choose_posterior(posterior: str | Path | None, use_posterior: bool) -> Path | None:
    """The posterior file to use: the one named, the shipped default, or none.

    Args:
        posterior: A posterior file, or ``None`` for :func:`default_posterior`.
        use_posterior: ``False`` for no posterior.

    Returns:
        The file, or ``None`` when ``use_posterior`` is ``False``.

    Raises:
        ExploreError: If a posterior is named with ``use_posterior=False``.
    """
    if not use_posterior:
        if posterior is not None:
            raise ExploreError("posterior", ": expected None when use_posterior is False")
        return None
    return Path(posterior) if posterior is not None else default_posterior()


def run_exploration(
    policies: Sequence[str | Path],
    *,
    uncertain: str | Sequence[str] | None = None,
    states: int = 100,
    seeds_per_state: int = SEEDS_PER_STATE,
    outcomes: str | Sequence[str] | None = None,
    thresholds: str | Sequence[str] | None = None,
    discover_outcomes: str | Sequence[str] | None = None,
    posterior: str | Path | None = None,
    use_posterior: bool = True,
    seed: int = 0,
    workers: int | None = None,
    scheduler: str | None = None,
    out: str | Path | None = None,
    progress: bool = True,
    command: str | None = None,
    allow_foreign: bool = False,
    max_work: int | None = None,
) -> tuple[Exploration, Path]:
    """Explore policies over the states of the world, end to end (``zonesim explore``).

    Everything is validated before anything is run or written. A policy file with a
    ``[sweep]`` gives one policy per design point
    (:func:`~sim.experiments.scenarios.expand`). The folder follows the output-folder
    policy (:class:`~sim.experiments.outfolder.OutputFolder`): an empty folder or an
    exploration's, never another command's, and no file of the user's replaced. The
    results are those of this call's runs (matched by run id), whatever else the
    folder's batch holds.

    Args:
        policies: Scenario files (or shipped scenario names), at least two.
        uncertain: Uncertainties (:func:`~sim.analysis.robustness.design.select_uncertainties`).
        states: Number of states of the world.
        seeds_per_state: Seeds each policy runs with in each state (at least 2: a
            state's outcome is their mean, and their spread gives each comparison's
            seed noise).
        outcomes: ``metric@year`` outcomes (default
            :data:`~sim.analysis.robustness.design.DEFAULT_OUTCOMES`).
        thresholds: Satisficing criteria ``metric@year>=value`` (or ``<=``); each
            outcome must be among ``outcomes``.
        discover_outcomes: Outcomes for scenario discovery (default: all).
        posterior: Calibration posterior (default :func:`default_posterior`, the
            shipped copy of ``calibration/posterior.parquet``, whatever the working
            folder). The settings record the file used (``"none"`` without one).
        use_posterior: ``False`` keeps the calibrated parameters at their defaults
            (or in the hypercube when named as uncertain).
        seed: Master seed.
        workers: Local worker processes.
        scheduler: Dask scheduler address.
        out: Exploration folder (default ``results/explore``).
        progress: Show a progress bar.
        command: The command line, recorded in the settings and manifest.
        allow_foreign: Accept a non-empty folder that is not an exploration's (its
            files are left untouched).
        max_work: Most run-years the exploration may ask for (default
            :data:`~sim.experiments.batch.MAX_WORK`).

    Returns:
        The exploration and its folder.

    Raises:
        ExploreError: On an invalid argument (one line naming the argument).
        FileNotFoundError: If the posterior file does not exist.
        ValueError: From the scenario loader, posterior or backend, likewise.
    """
    from sim.experiments.backends import make_backend
    from sim.experiments.batch import check_work, execute
    from sim.experiments.posterior import load_posterior, parameter_names
    from sim.experiments.scenarios import expand, find_scenario, load_scenario
    from sim.experiments.store import load_results

    if scheduler is not None and workers is not None:
        raise ExploreError("workers", ": expected None when scheduler is given")
    if seed < 0:
        raise ExploreError("seed", f": expected a whole number >= 0, got {seed}")
    if seeds_per_state < 2:
        raise ExploreError(
            "seeds_per_state", f": expected at least 2 seeds per state, got {seeds_per_state}"
        )
    specs = parse_outcomes(outcomes)
    labels = [o.label for o in specs]
    crit = parse_thresholds(thresholds)
    for t in crit:
        if t.outcome.label not in labels:
            raise ExploreError(
                "thresholds", f" {t.label}: expected one of the outcomes ({', '.join(labels)})"
            )
    disc = None if discover_outcomes is None else parse_outcomes(discover_outcomes)
    for o in disc or ():
        if o.label not in labels:
            raise ExploreError(
                "discover_outcomes",
                f" {o.label}: expected one of the outcomes ({', '.join(labels)})",
            )
    names = select_uncertainties(uncertain)
    loaded = [v for ref in policies for v in expand(load_scenario(find_scenario(str(ref))))]
    check_policies(loaded)
    start, end = horizon(specs)
    check_work(
        len(loaded) * states * seeds_per_state,
        end - start + 1,
        max_work,
        what="states or seeds per state",
    )
    out_dir = Path(out) if out is not None else Path("results") / "explore"
    folder = OutputFolder(
        out_dir, "explore", output_files(), folders=(RUNS,), legacy=SETTINGS,
        allow_foreign=allow_foreign,
    )  # fmt: skip
    post_path = choose_posterior(posterior, use_posterior)
    post = load_posterior(post_path) if post_path is not None else None
    table = state_table(names, states, seed, post)
    from_post = parameter_names(post) if post is not None else []
    overrides = policy_overrides(loaded, table)
    settings: dict[str, Any] = {
        "policies": {
            p.name: hashlib.sha256(params_json(p.overrides).encode()).hexdigest()[:16]
            for p in loaded
        },
        "uncertain": names,
        "states": int(states),
        "seeds_per_state": int(seeds_per_state),
        "seed": int(seed),
        "posterior": NO_POSTERIOR if post_path is None else str(post_path),
        "posterior_default": post_path is not None and posterior is None,
        "posterior_sha256": None if post_path is None else _file_hash(post_path),
        "start": start,
        "end": end,
        "outcomes": labels,
        "thresholds": [t.label for t in crit],
        "discover": labels if disc is None else [o.label for o in disc],
        "lhs_parameters": [n for n in names if n not in from_post],
        "posterior_parameters": from_post,
        "policy_files": {p.name: p.path for p in loaded},
        "descriptions": {p.name: p.description for p in loaded},
        "policy_overrides": overrides,
        "density_target": DENSITY_TARGET,
        "command": command,
    }
    check_out_dir(out_dir, settings)
    runs = run_specs(
        loaded, table, start=start, end=end, seeds=state_seeds(table, seed, seeds_per_state)
    )
    with make_backend(workers, scheduler) as backend:
        t0 = time.perf_counter()

        def start_runs() -> None:  # once the runs' folder has accepted the batch
            folder.claim()
            write_design(table, settings, out_dir)

        execute(
            runs,
            out_dir / RUNS,
            backend=backend,
            manifest_extra={
                "owner": "explore",
                "explore": {k: settings[k] for k in IDENTITY},
                **({"command": command} if command else {}),
                "scenarios": {p.name: {"file": p.path, "source": p.source} for p in loaded},
                "master_seed": seed,
            },
            progress=progress,
            zones=False,
            before_runs=start_runs,
        )
        settings["backend"] = backend.name
    settings["run_seconds"] = round(time.perf_counter() - t0, 1)
    if progress:  # the analysis takes a while too: say what is going on
        print(
            f"{out_dir.name}: analysing {states} states (win probabilities, regret, scenario "
            "discovery, value of information)",
            file=sys.stderr,
        )
    annual = load_results(out_dir / RUNS).annual
    per_run = collect_outcomes(annual, runs, specs)
    result = analyse(
        table,
        state_means(per_run, labels),
        settings,
        runs=per_run,
        thresholds=crit,
        discover_outcomes=disc,
    )
    folder.finish(write_exploration(result, out_dir))
    result.path = out_dir
    return result, out_dir
