"""Robustness analysis and scenario discovery: which policy wins, where, and how surely.

An *exploration* runs every policy (a scenario file: mode assignments, lever timing,
parameter overrides) in the same states of the world: a Latin hypercube over the
uncertain parameters' registry bounds, plus a calibration-posterior draw and several
seeds per state, the same for every policy (:mod:`.design`). It runs on the batch layer,
resumes, and stores a batch folder beside its design table (:mod:`.experiment`). From
the outcomes (each state's mean over its seeds) it measures how robust each policy is
(:mod:`.measures`: probability that one policy beats another, graded in words only where
its whole interval lies in one band of the scale of :mod:`.words`; the share of each
comparison's variance that is seed noise; regret; satisficing), finds the regions of the
uncertainty space where each policy wins (:mod:`.discovery`: PRIM from EMA Workbench, a
classification tree, feature scores, break-even values), values the information each
parameter would bring to the choice (:mod:`.voi`: EVPPI by regression, break-even values),
writes tables, figures and a report (:mod:`.report`), and builds the "which mode, how
sure" section of the brief (:mod:`.section`), sentence by sentence (:mod:`.sentences`),
from the words of :mod:`.text`.
"""

from __future__ import annotations

from sim.analysis.robustness.design import (
    ExploreError,
    parse_outcomes,
    select_uncertainties,
    state_table,
)
from sim.analysis.robustness.experiment import run_exploration
from sim.analysis.robustness.report import Exploration, read_exploration

__all__ = [
    "Exploration",
    "ExploreError",
    "parse_outcomes",
    "read_exploration",
    "run_exploration",
    "select_uncertainties",
    "state_table",
]
