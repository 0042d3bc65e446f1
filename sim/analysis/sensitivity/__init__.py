"""Global sensitivity analysis of the model with SALib.

The pipeline has one shape for every method, and the package's modules are its parts:

1. :mod:`~sim.analysis.sensitivity.problem`: :func:`build_problem` builds the SALib
   problem from the parameter registry's bounds (:func:`sim.core.params.salib_problem`,
   the single source of truth), optionally with the registry's groups;
   :func:`parse_outputs` reads ``metric@year`` outputs.
2. :mod:`~sim.analysis.sensitivity.methods`: the table of methods. Each method family
   is one module of one shape (:mod:`~sim.analysis.sensitivity.morris`,
   :mod:`~sim.analysis.sensitivity.sobol`, :mod:`~sim.analysis.sensitivity.pawn`,
   :mod:`~sim.analysis.sensitivity.dgsm`): ``sample(problem, n, *, seed, ...)`` and
   ``analyze(problem, X, y, *, seed, conf_level, resamples, ...)``, as in SALib.
3. :mod:`~sim.analysis.sensitivity.analysis`: :func:`make_design` samples the design,
   :func:`analyze_design` computes the indices on the whole design and on its first
   half (the convergence check, :func:`convergence_table`).
4. :mod:`~sim.analysis.sensitivity.evaluation`: an *evaluator* turns design rows into
   outputs, ``evaluate(X, samples, replicates) -> Y`` of shape ``(rows, replicates,
   outputs)``. :class:`ModelEvaluator` runs the model through the shared evaluator
   (:class:`sim.experiments.evaluate.PointEvaluator`: local processes or Dask,
   resumable); :func:`function_evaluator` wraps a plain function such as SALib's
   Ishigami for known-answer tests.
5. :mod:`~sim.analysis.sensitivity.noise`: seed-to-seed noise beside the indices.
6. :mod:`~sim.analysis.sensitivity.figures`, :mod:`~sim.analysis.sensitivity.report`
   and :mod:`~sim.analysis.sensitivity.files`: figures, ``report.md``, the tables and
   their readers (:func:`read_indices`, :func:`read_convergence`, :func:`read_summary`).
7. :mod:`~sim.analysis.sensitivity.pipeline`: :func:`run_analysis` behind any
   evaluator, :func:`run_sensitivity` on the model end to end.

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

from sim.analysis.sensitivity.analysis import (
    CONVERGENCE_TOLERANCE,
    MIN_BASE,
    RELATIVE_THRESHOLD,
    Design,
    analyze_design,
    convergence_table,
    make_design,
    method_module,
)
from sim.analysis.sensitivity.evaluation import Evaluator, ModelEvaluator, function_evaluator
from sim.analysis.sensitivity.figures import write_figures
from sim.analysis.sensitivity.files import (
    design_table,
    read_convergence,
    read_indices,
    read_summary,
    write_outputs,
)
from sim.analysis.sensitivity.methods import INDEX_COLUMNS, METHODS, PRIMARY
from sim.analysis.sensitivity.noise import adjust_for_noise, noise_table, probe_rows
from sim.analysis.sensitivity.pipeline import (
    SensitivityResult,
    check_out_dir,
    run_analysis,
    run_sensitivity,
)
from sim.analysis.sensitivity.problem import (
    DEFAULT_OUTPUTS,
    OutputSpec,
    SensitivityArgumentError,
    SensitivityError,
    build_problem,
    factor_names,
    parse_output,
    parse_outputs,
    to_overrides,
)
from sim.analysis.sensitivity.report import render_report

__all__ = [
    "CONVERGENCE_TOLERANCE",
    "DEFAULT_OUTPUTS",
    "INDEX_COLUMNS",
    "METHODS",
    "MIN_BASE",
    "PRIMARY",
    "RELATIVE_THRESHOLD",
    "Design",
    "Evaluator",
    "ModelEvaluator",
    "OutputSpec",
    "SensitivityArgumentError",
    "SensitivityError",
    "SensitivityResult",
    "adjust_for_noise",
    "analyze_design",
    "build_problem",
    "check_out_dir",
    "convergence_table",
    "design_table",
    "factor_names",
    "function_evaluator",
    "make_design",
    "method_module",
    "noise_table",
    "parse_output",
    "parse_outputs",
    "probe_rows",
    "read_convergence",
    "read_indices",
    "read_summary",
    "render_report",
    "run_analysis",
    "run_sensitivity",
    "to_overrides",
    "write_figures",
    "write_outputs",
]
