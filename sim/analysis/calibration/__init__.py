"""Calibration of the model to the end-2018 figures, with honest uncertainty.

The package's modules are the pipeline's parts (see ``docs/calibration.md``):

1. :mod:`~sim.analysis.calibration.targets`: the patterns (:class:`Targets`);
   :func:`load_targets` (:mod:`~sim.analysis.calibration.target_file`) reads a targets
   file (``calibration/targets_2018.toml``): every figure with its source, the model
   output it is compared with, its tolerance and weight, and the calibrated parameters.
2. :mod:`~sim.analysis.calibration.evaluation`: the moment function: patterns of
   candidate parameter sets from paired runs with and without each lever on common
   seeds (:class:`Evaluator`, through the shared
   :class:`sim.experiments.evaluate.PointEvaluator`), and their :func:`distance`.
3. :mod:`~sim.analysis.calibration.emulator`: Gaussian-process emulators of the
   patterns (:class:`Emulator`) and their main-effect indices.
4. :mod:`~sim.analysis.calibration.history`: screening of the candidate parameters and
   history matching in waves (:func:`history_match`), giving the not-ruled-out-yet
   space (:class:`NROY`).
5. :mod:`~sim.analysis.calibration.posterior`: ABC-SMC (:func:`abc_smc`) on the real
   model inside the NROY space gives a posterior over the calibrated parameters;
   :func:`identifiability` says which of them the patterns pin down.
6. :mod:`~sim.analysis.calibration.search`: the best fit among posterior candidates
   on common random numbers (:func:`search`); it feeds ``sim/core/data/calibrated.toml``.
7. :mod:`~sim.analysis.calibration.validation`: :func:`simulate_targets` and
   :func:`validation_table` check a parameter set on seeds the calibration never used.
8. :mod:`~sim.analysis.calibration.files`: the files a calibration writes and their
   readers (:func:`read_best_fit`, :func:`read_posterior`, :func:`read_validation`,
   :func:`read_identifiability`, :func:`posterior_draws`).
9. :mod:`~sim.analysis.calibration.report`: ``report.md`` and its figures.
10. :mod:`~sim.analysis.calibration.pipeline`: :func:`calibrate` runs it all within a
   run budget (:func:`plan_budget`); :func:`leave_one_out` refits without each fitted
   pattern and predicts it.

Every simulation goes through the batch layer (:func:`sim.experiments.batch.execute`,
local processes or Dask), one batch folder per evaluation step under ``<out>/work``.
Proposals and seeds are drawn from branches of the master seed
(:mod:`sim.experiments.seeds`) before a batch runs, so results are bit-identical
whatever the number of workers, and an interrupted calibration resumes: finished runs
are skipped, finished steps and generations are read back from their files.
"""

from __future__ import annotations

from sim.analysis.calibration.emulator import Emulator
from sim.analysis.calibration.evaluation import (
    SCENARIO,
    Evaluator,
    distance,
    pattern_value,
    scaled_errors,
)
from sim.analysis.calibration.files import (
    BEST_FIT_FILE,
    DEFAULT_POSTERIOR,
    LOO_FILE,
    POSTERIOR_FILE,
    SCREENING_FILE,
    SENSITIVITY_FILE,
    STAGES_FILE,
    VALIDATION_FILE,
    WAVES_FILE,
    BestFit,
    format_defaults,
    posterior_draws,
    read_best_fit,
    read_identifiability,
    read_posterior,
    read_table,
    read_validation,
    write_defaults,
    write_outputs,
)
from sim.analysis.calibration.history import (
    NROY,
    HistoryResult,
    Wave,
    history_match,
    implausibility,
    screen,
)
from sim.analysis.calibration.pipeline import (
    DEFAULT_OUT,
    CalibrationResult,
    Plan,
    Stage,
    calibrate,
    history_stage,
    leave_one_out,
    plan_budget,
)
from sim.analysis.calibration.posterior import (
    IDENTIFIED_RATIO,
    MIN_ACCEPTANCE,
    WEAK_RATIO,
    ABCResult,
    abc_smc,
    identifiability,
    posterior_frame,
    weighted_quantile,
)
from sim.analysis.calibration.report import write_report
from sim.analysis.calibration.search import SearchResult, candidates, search
from sim.analysis.calibration.target_file import DEFAULT_TARGETS, ZONE_COLUMNS, load_targets
from sim.analysis.calibration.targets import (
    Target,
    Targets,
    TargetsError,
    candidate_parameters,
    prior_params,
    prior_value,
)
from sim.analysis.calibration.validation import format_table, simulate_targets, validation_table
from sim.experiments.seeds import crn_seeds, validation_seeds

__all__ = [
    "BEST_FIT_FILE",
    "DEFAULT_OUT",
    "DEFAULT_POSTERIOR",
    "DEFAULT_TARGETS",
    "IDENTIFIED_RATIO",
    "LOO_FILE",
    "MIN_ACCEPTANCE",
    "NROY",
    "POSTERIOR_FILE",
    "SCENARIO",
    "SCREENING_FILE",
    "SENSITIVITY_FILE",
    "STAGES_FILE",
    "VALIDATION_FILE",
    "WAVES_FILE",
    "WEAK_RATIO",
    "ZONE_COLUMNS",
    "ABCResult",
    "BestFit",
    "CalibrationResult",
    "Emulator",
    "Evaluator",
    "HistoryResult",
    "Plan",
    "SearchResult",
    "Stage",
    "Target",
    "Targets",
    "TargetsError",
    "Wave",
    "abc_smc",
    "calibrate",
    "candidate_parameters",
    "candidates",
    "crn_seeds",
    "distance",
    "format_defaults",
    "format_table",
    "history_match",
    "history_stage",
    "identifiability",
    "implausibility",
    "leave_one_out",
    "load_targets",
    "pattern_value",
    "plan_budget",
    "posterior_draws",
    "posterior_frame",
    "prior_params",
    "prior_value",
    "read_best_fit",
    "read_identifiability",
    "read_posterior",
    "read_table",
    "read_validation",
    "scaled_errors",
    "screen",
    "search",
    "simulate_targets",
    "validation_seeds",
    "validation_table",
    "weighted_quantile",
    "write_defaults",
    "write_outputs",
    "write_report",
]
