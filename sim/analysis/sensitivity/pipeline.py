"""The whole sensitivity analysis: sample, evaluate, analyse, write.

:func:`run_analysis` runs the pipeline behind any evaluator; :func:`run_sensitivity`
runs it on the model end to end (the ``zonesim sensitivity`` command): everything is
validated before anything is written or run, runs go to ``<out>/runs`` through the
batch layer (resumable), and tables, figures and report go to ``<out>``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.sensitivity.analysis import (
    Design,
    analyze_design,
    convergence_table,
    make_design,
    method_module,
)
from sim.analysis.sensitivity.evaluation import Evaluator, ModelEvaluator
from sim.analysis.sensitivity.files import SETTINGS_FILE, write_outputs
from sim.analysis.sensitivity.noise import adjust_for_noise, noise_table, probe_rows
from sim.analysis.sensitivity.problem import (
    SensitivityArgumentError,
    SensitivityError,
    build_problem,
    parse_outputs,
)
from sim.core.params import resolve
from sim.core.run import FIRST_YEAR
from sim.experiments.fileio import atomic_write_text


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
        method: A key of :data:`~sim.analysis.sensitivity.methods.METHODS`.
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
        raise SensitivityArgumentError("replicates", f": expected at least 1, got {replicates}")
    for name, value in (("noise_points", noise_points), ("noise_replicates", noise_replicates)):
        if value < 0:
            raise SensitivityArgumentError(name, f": expected 0 or more, got {value}")
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

    kwargs: dict[str, Any] = {"seed": seed, "conf_level": conf_level, "resamples": resamples}
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
        raise SensitivityArgumentError("out", f" {out_dir}: expected a folder, got a file")
    path = out_dir / SETTINGS_FILE
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
                "expected the same settings to resume, or choose another output folder"
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
        method: A key of :data:`~sim.analysis.sensitivity.methods.METHODS`.
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
        SensitivityError: On invalid settings (one line naming the argument or file;
            :class:`SensitivityArgumentError` names the argument).
        ValueError: From the scenario loader or the backend, likewise one line.
    """
    from sim.experiments.backends import make_backend
    from sim.experiments.runs import params_json

    method_module(method)
    if scheduler is not None and workers is not None:
        raise SensitivityArgumentError("workers", ": expected no workers with a scheduler")
    if workers is not None and workers < 1:
        raise SensitivityArgumentError("workers", f": expected at least 1, got {workers}")
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
        raise SensitivityArgumentError("seed", f": expected a whole number >= 0, got {seed}")
    first = min(s.year for s in specs)
    if first < start:
        raise SensitivityArgumentError(
            "outputs", f" {first}: expected years from the scenario's start ({start}) on"
        )
    make_design(method, problem, n, seed=seed, num_levels=num_levels, delta=delta)  # validates
    out_dir = Path(out) if out is not None else Path("results") / f"sensitivity-{method}"
    options = {
        k: v
        for k, v in {"num_levels": num_levels, "delta": delta}.items()
        if k in method_module(method).OPTIONS
    }
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
        atomic_write_text(out_dir / SETTINGS_FILE, json.dumps(settings, indent=1) + "\n")
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
