"""Scenario files: one what-if question, its run settings and its policy levers.

A scenario is a TOML file::

    name = "slow_delegation"
    description = "What if powers had been delegated over six years instead of 18 months?"

    [run]                 # all optional; defaults below
    start = 2016          # first year reported
    end = 2035            # last year simulated
    replications = 20     # replicates (common random numbers across scenarios)
    seed = 20170401       # master seed

    [parameters]          # registry overrides (see `zonesim params`)
    delegation_years = 6.0

    [[modes]]             # mode assignments (any number), in force from `year`
    year = 2018
    mode = "corporate"    # legacy, sanheyi, quzheng or corporate
    zones = "all"         # all | level:<level> | type:<type> | city:<city> |
                          # mode:<registered mode> | ["Z01", "Z07", ...]
                          # (city: pinyin or Chinese, any case: city:Datong, city:大同;
                          # several: city:Datong,Linfen)

    [sweep]               # optional: a design over registry parameters
    delegation_years = [1.5, 3.0, 4.5, 6.0]     # full factorial over the lists given

    # or a Latin hypercube of n points within [lower, upper] per parameter:
    # method = "lhs"
    # n = 8
    # delegation_years = [1.5, 6.0]

A file with a ``[sweep]`` runs as one scenario *variant* per design point
(:func:`expand`): ``slow_delegation[delegation_years=4.5]`` for a full factorial (the
values in the order given, parameters joined by commas), ``slow_delegation#3`` for point 3
(from 0) of a Latin hypercube. A variant's swept values are its :attr:`Scenario.design`;
batches record them, and :func:`sim.load_results` shows them as columns. The hypercube is
drawn from the file's master seed (``run.seed``) through ``numpy.random.SeedSequence``
(:func:`sim.experiments.seeds.sweep_rng`), so a file always gives the same design.

Everything is checked on loading; an error names the file and the key and says
what was expected (:class:`ScenarioError`, a ``ValueError``). :func:`check_file`
returns every error of a file instead of the first.

Modules:
    scenario: :class:`Scenario`, its :class:`RunSettings` and :class:`Sweep`, and
        :class:`ScenarioError`.
    loading: reading a file (or a mapping) and loading it (:func:`load_scenario`,
        :func:`load_doc`, :func:`check_file`).
    checks: the checks of each table against the parameter registry, the zones and the
        horizon, and of the values set for a whole batch (:func:`check_settings`).
    sweeps: the ``[sweep]`` table, its design points and variants (:func:`expand`).
    shipped: the shipped scenarios and scenario references (:func:`find_scenario`).
"""

from __future__ import annotations

from sim.experiments.scenarios.checks import check_settings
from sim.experiments.scenarios.loading import check_file, load_doc, load_scenario
from sim.experiments.scenarios.scenario import (
    MAX_REPLICATIONS,
    RUN_DEFAULTS,
    RunSettings,
    Scenario,
    ScenarioError,
    Sweep,
)
from sim.experiments.scenarios.shipped import (
    find_scenario,
    shipped_dir,
    shipped_names,
    shipped_scenarios,
)
from sim.experiments.scenarios.sweeps import design_points, expand

__all__ = [
    "MAX_REPLICATIONS",
    "RUN_DEFAULTS",
    "RunSettings",
    "Scenario",
    "ScenarioError",
    "Sweep",
    "check_file",
    "check_settings",
    "design_points",
    "expand",
    "find_scenario",
    "load_doc",
    "load_scenario",
    "shipped_dir",
    "shipped_names",
    "shipped_scenarios",
]
