"""The states of the world and the runs of an exploration.

Uncertainties are chosen from the parameter registry, never by hard-coded names: a
token of ``--uncertain`` is ``assumptions`` (every parameter whose source mentions an
assumption), a registry group (``modes``, ``entry``, ...) or a parameter name. Boolean
switches and parameters with equal bounds are not varied.

A state of the world ``i`` is

* a point of a Latin hypercube over the uncertain parameters' registry bounds
  (:class:`scipy.stats.qmc.LatinHypercube`, seeded from ``SeedSequence(seed)``;
  integer parameters rounded),
* a draw from the calibration posterior (by weight) for the calibrated parameters,
  which are then taken from the posterior rather than the hypercube, and
* a seed (:func:`sim.experiments.seeds.replicate_seed` ``(seed, i)``).

Every policy runs in every state with the state's parameter values and seed (common
random numbers for both); a parameter that a policy file sets itself wins over the
state's value, and :func:`policy_overrides` reports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import qmc

from sim.analysis.sensitivity import to_overrides
from sim.core.outputs import better
from sim.core.params import MODE_ASSIGNMENTS, REGISTRY, groups, resolve, salib_problem
from sim.experiments.errors import ArgumentError
from sim.experiments.evaluate import MetricAt, parse_metric_at, parse_metric_list
from sim.experiments.posterior import parameter_names
from sim.experiments.runs import RunSpec
from sim.experiments.scenarios import Scenario
from sim.experiments.seeds import EXPLORE_DRAW, EXPLORE_STATES, branch_rng, replicate_seed

#: Token of ``--uncertain`` selecting every assumption-sourced parameter.
ASSUMPTIONS = "assumptions"
#: Outcomes measured when none are named.
DEFAULT_OUTCOMES = (
    "stat_zone_gdp@2025",
    "stat_zone_gdp@2035",
    "firms@2035",
    "zones_delisted@2035",
    "growth_gap_pp@2025",
)
#: Columns of the state table that are not parameter values.
STATE_COLUMNS = ("state", "seed", "draw")


class ExploreError(ArgumentError):
    """An invalid exploration request, naming the argument at fault (reported on one line).

    The message starts with the argument's name as the library spells it
    (``outcomes 'x': expected metric@year``); a front end puts its own name for the
    argument in its place with :meth:`~sim.experiments.errors.ArgumentError.renamed`.
    """


@dataclass(frozen=True)
class Outcome(MetricAt):
    """One scalar outcome: a metric in one year, and which direction is better.

    Attributes:
        metric: Metric of :data:`sim.core.run.METRICS`.
        year: Calendar year.
    """

    @property
    def sense(self) -> int:
        """``+1`` if larger is better, ``-1`` if smaller is better (``Output.better``)."""
        return better(self.metric)


def parse_outcome(text: str) -> Outcome:
    """Parse ``metric@year``.

    Raises:
        ExploreError: If the text is malformed, the metric unknown or the year outside
            the model's range.
    """
    try:
        return parse_metric_at(text, argument="outcomes", cls=Outcome, example="stat_zone_gdp@2035")
    except ArgumentError as exc:
        raise ExploreError(exc.argument, exc.detail) from None


def parse_outcomes(texts: str | Sequence[str] | None) -> tuple[Outcome, ...]:
    """Parse comma-separated or listed outcomes (default :data:`DEFAULT_OUTCOMES`).

    Raises:
        ExploreError: On a malformed or repeated outcome, an outcome without a better
            direction, or an empty list.
    """
    try:
        parsed = parse_metric_list(
            DEFAULT_OUTCOMES if texts is None else texts,
            argument="outcomes",
            cls=Outcome,
            example="stat_zone_gdp@2035",
        )
    except ArgumentError as exc:
        raise ExploreError(exc.argument, exc.detail) from None
    for o in parsed:  # policies are compared on them: "beats" needs a better direction
        if o.sense == 0:
            raise ExploreError(
                "outcomes",
                f" {o.label!r}: expected a metric with a better direction (more or less; "
                f"sim.core.outputs), got {o.metric}, for which neither counts as better",
            )
    return parsed


def is_assumption(name: str) -> bool:
    """Whether a registry parameter's source names it an assumption (anywhere in the text)."""
    return "assumption" in REGISTRY[name].source.lower()


def _variable(name: str) -> bool:
    p = REGISTRY[name]
    return p.kind != "bool" and p.lower < p.upper


def select_uncertainties(spec: str | Sequence[str] | None = None) -> list[str]:
    """Choose the uncertain parameters from the registry.

    Args:
        spec: Comma-separated tokens (or a list): ``assumptions`` for every parameter
            whose registry source mentions an assumption, a registry group name, or a
            parameter name. Default ``assumptions``.

    Returns:
        Parameter names in registry order, without booleans or fixed parameters.

    Raises:
        ExploreError: On an unknown token, a named boolean or fixed parameter, or an
            empty selection.
    """
    tokens = [ASSUMPTIONS] if spec is None else spec
    if isinstance(tokens, str):
        tokens = [t.strip() for t in tokens.split(",") if t.strip()]
    by_group = groups()
    chosen: set[str] = set()
    for token in tokens:
        if token == ASSUMPTIONS:
            chosen.update(n for n in REGISTRY if is_assumption(n) and _variable(n))
        elif token in by_group:
            chosen.update(n for n in by_group[token] if _variable(n))
        elif token in REGISTRY:
            if not _variable(token):
                raise ExploreError(
                    "uncertain",
                    f" {token}: expected a parameter with a range (not a switch or a fixed value)",
                )
            chosen.add(token)
        else:
            raise ExploreError(
                "uncertain",
                f" {token!r}: expected '{ASSUMPTIONS}', a parameter group "
                f"({', '.join(by_group)}) or a parameter name (see `zonesim params`)",
            )
    names = [n for n in REGISTRY if n in chosen]
    if not names:
        raise ExploreError("uncertain", ": expected at least one parameter to vary")
    return names


def state_table(
    names: Sequence[str],
    n: int,
    seed: int,
    posterior: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Sample the states of the world.

    Args:
        names: Uncertain parameters (:func:`select_uncertainties`). Those that are
            columns of ``posterior`` are taken from the posterior draw instead.
        n: Number of states.
        seed: Master seed (hypercube, posterior draws and run seeds derive from it).
        posterior: Calibration posterior (:func:`sim.experiments.posterior.load_posterior`),
            or ``None`` to keep the calibrated parameters at their defaults.

    Returns:
        One row per state: ``state``, ``seed``, ``draw`` (posterior row, -1 without
        one), the hypercube parameters (values as run), then the posterior's
        parameters.

    Raises:
        ExploreError: If ``n`` is below 2 or nothing is left to vary.
    """
    if n < 2:
        raise ExploreError("states", f": expected at least 2 states, got {n}")
    from_post = parameter_names(posterior) if posterior is not None else []
    lhs_names = [x for x in names if x not in from_post]
    if not lhs_names and not from_post:
        raise ExploreError("uncertain", ": expected at least one parameter to vary")
    table = pd.DataFrame(
        {
            "state": np.arange(n, dtype=np.int64),
            "seed": np.array([replicate_seed(seed, i) for i in range(n)], dtype=np.int64),
            "draw": np.full(n, -1, dtype=np.int64),
        }
    )
    if lhs_names:
        problem = salib_problem(lhs_names)
        rng = branch_rng(seed, EXPLORE_STATES)
        unit = qmc.LatinHypercube(d=len(lhs_names), seed=rng).random(n)
        lo, hi = np.asarray(problem["bounds"], dtype=float).T
        values = pd.DataFrame(to_overrides(problem, qmc.scale(unit, lo, hi)), columns=lhs_names)
        table = pd.concat([table, values], axis=1)
    if posterior is not None:
        weights = posterior["weight"].to_numpy(dtype=float)
        cdf = np.cumsum(weights)
        draws = []
        for i in range(n):
            u = branch_rng(seed, EXPLORE_DRAW, i)
            j = np.searchsorted(cdf, u.random() * cdf[-1], side="right")
            draws.append(int(min(j, len(weights) - 1)))
        table["draw"] = np.asarray(draws, dtype=np.int64)
        post = posterior.iloc[draws][from_post].reset_index(drop=True)
        table = pd.concat([table, post.astype(float)], axis=1)
    return table


def state_values(states: pd.DataFrame) -> list[dict[str, float]]:
    """The parameter values of each state (every column but :data:`STATE_COLUMNS`)."""
    cols = [c for c in states.columns if c not in STATE_COLUMNS]
    return [dict(zip(cols, map(float, row), strict=True)) for row in states[cols].to_numpy()]


def policy_overrides(policies: Sequence[Scenario], states: pd.DataFrame) -> dict[str, list[str]]:
    """Uncertain parameters that each policy sets itself (its value wins over the state's)."""
    varied = {c for c in states.columns if c not in STATE_COLUMNS}
    return {
        p.name: [k for k in p.overrides if k != MODE_ASSIGNMENTS and k in varied] for p in policies
    }


def run_specs(
    policies: Sequence[Scenario], states: pd.DataFrame, *, start: int, end: int
) -> list[RunSpec]:
    """One run per (policy, state): the state's values and seed under the policy's overrides.

    Args:
        policies: The policies (scenario files; their ``[run]`` tables are not used).
        states: The state table (:func:`state_table`).
        start: First year stored.
        end: Last year simulated.

    Returns:
        Specifications labelled ``scenario = policy name``, ``replicate = state``, in
        policy-major order.
    """
    values = state_values(states)
    seeds = states["seed"].to_numpy()
    specs = []
    for policy in policies:
        for i, state in enumerate(values):
            params = resolve({**state, **policy.overrides})
            specs.append(RunSpec(policy.name, i, int(seeds[i]), params, start, end))
    return specs


def horizon(outcomes: Sequence[Outcome]) -> tuple[int, int]:
    """First and last year the runs must store to measure ``outcomes``."""
    years = [o.year for o in outcomes]
    return min(years), max(years)


def check_policies(policies: Sequence[Scenario]) -> None:
    """Require at least two policies with distinct names.

    Raises:
        ExploreError: Otherwise.
    """
    if len(policies) < 2:
        raise ExploreError("policies", ": expected at least two policy files to compare")
    seen: dict[str, str] = {}
    for p in policies:
        if p.name in seen:
            raise ExploreError(
                "policies",
                f": {p.path}: name: expected a name not used by another policy "
                f"({seen[p.name]}), got {p.name!r}",
            )
        seen[p.name] = p.path
