"""What-ifs: a draft against the baseline, its effects in the brief's words.

:func:`specs` pairs a :class:`~sim.app.draft.Draft` with the shipped baseline under the
same run settings (replicate ``k`` of both runs with seed ``k`` of the master seed, and
posterior draw ``k`` where the draft draws from a posterior); :func:`outcome` runs them on
a :class:`~sim.app.runner.Runner` and turns the runs into the brief's headline table
(:func:`sim.analysis.brief.headline_effects`); :func:`effects_table` writes it with the
brief's verdict words.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sim.analysis import plotting
from sim.analysis.brief import BriefData, headline_effects
from sim.analysis.brief.formatting import fmt_interval, fmt_number, signed
from sim.analysis.brief.overview import verdict
from sim.analysis.brief.sections import VERDICT_COLOURS
from sim.analysis.brief.text import text as brief_text
from sim.app.draft import BASELINE, Draft
from sim.app.runner import Runner
from sim.app.text import text
from sim.core.outputs import better
from sim.experiments.batch import scenario_specs
from sim.experiments.runs import RunSpec
from sim.experiments.scenarios import (
    Scenario,
    ScenarioError,
    find_scenario,
    load_doc,
    load_scenario,
)


def baseline_doc(d: Draft) -> dict[str, Any]:
    """The shipped baseline under the draft's run settings (same horizon, seeds, posterior)."""
    base = load_scenario(find_scenario(BASELINE))
    run = {**d.doc()["run"]}
    return {
        "name": BASELINE,
        "title": base.title,
        "title_zh": base.title_zh,
        "description": base.description,
        "description_zh": base.description_zh,
        "run": run,
        "parameters": dict(base.overrides),
    }


def specs(d: Draft) -> tuple[Scenario, Scenario, list[RunSpec]]:
    """The baseline, the what-if and their paired runs (baseline's first).

    Raises:
        ScenarioError: If the draft is not a valid scenario.
    """
    if d.name == BASELINE:
        raise ScenarioError(
            "what-if", "name", f"expected a name other than {BASELINE!r} (the comparison)"
        )
    what = d.scenario()
    base = load_doc("baseline", baseline_doc(d))
    return base, what, scenario_specs([base, what], reps=d.seeds, seed=d.seed)


@dataclass(eq=False)
class Outcome:
    """A what-if's result.

    Attributes:
        data: The two scenarios' runs, as the brief reads batches.
        head: The headline table (:func:`sim.analysis.brief.headline_effects`).
        ran: Runs computed.
        reused: Runs reused.
        seconds: Time from the start of the runs to the table.
        draft: The draft that ran.
    """

    data: BriefData
    head: pd.DataFrame
    ran: int
    reused: int
    seconds: float
    draft: Draft = field(repr=False)

    @property
    def scenario(self) -> str:
        """The what-if's name."""
        return self.data.whatifs[0]


def outcome(
    d: Draft,
    runner: Runner,
    *,
    progress: Callable[[int, int], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> Outcome:
    """Run a draft against the baseline and build the headline table.

    Raises:
        ScenarioError: If the draft is invalid (nothing runs).
        Cancelled: If ``stop`` asked to stop.
    """
    t0 = time.perf_counter()
    base, what, runs = specs(d)
    annual, ran = runner.run(runs, progress=progress, stop=stop)
    info = {
        sc.name: {
            "title": sc.title,
            "title_zh": sc.title_zh,
            "description": sc.description,
            "description_zh": sc.description_zh,
            "params": None if sc.run.posterior else sc.params,
            "posterior": sc.run.posterior,
        }
        for sc in (base, what)
    }
    data = BriefData(
        paths=[],
        results=[],
        annual=annual,
        zones=None,
        scenarios=[base.name, what.name],
        baseline=base.name,
        info=info,
        batch_of={base.name: 0, what.name: 0},
    )
    head = headline_effects(data)
    return Outcome(data, head, ran, len(runs) - ran, time.perf_counter() - t0, d)


def effects_table(head: pd.DataFrame, lang: str) -> tuple[list[str], list[list[str]], list[str]]:
    """Headline effects as the brief writes them, with the brief's verdict word per row.

    Args:
        head: Rows of :func:`sim.analysis.brief.headline_effects` (one what-if).
        lang: ``"en"`` or ``"zh"``.

    Returns:
        The header, the rows (metric, year, baseline, scenario, effect, 95 % interval of
        the mean, 5-95 % of runs, runs, verdict) and each row's verdict colour.
    """
    t = functools.partial(brief_text, lang=lang)
    header = [t("metric"), t("year"), t("baseline_value"), t("scenario_value"), t("effect"),
              t("ci"), t("spread"), t("pairs"), text("verdict", lang)]  # fmt: skip
    rows, colours = [], []
    for r in head.itertuples():
        direction = better(r.metric)
        word = verdict(r.mean, r.ci_low, r.ci_high, direction) if direction else ""
        rows.append(
            [
                plotting.metric_label(r.metric, lang),
                str(r.year),
                fmt_number(r.baseline_mean),
                fmt_number(r.scenario_mean),
                signed(r.mean),
                fmt_interval(r.ci_low, r.ci_high, lang, sign=True),
                fmt_interval(r.low, r.high, lang, sign=True),
                str(r.n),
                t(word) if word else "–",
            ]
        )
        colours.append(VERDICT_COLOURS[word] if word else plotting.PALETTE[0])
    return header, rows, colours
