"""The scenario the explorer edits: a :class:`Draft`, and a draft of a shipped scenario.

A :class:`Draft` is a shipped scenario to start from, every registry parameter's value,
the mode assignments and the run settings (last year, seeds, master seed).
:meth:`Draft.doc` writes it as the mapping a scenario file holds, which
:func:`sim.experiments.scenarios.load_doc` checks exactly as it checks a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sim.analysis.brief.formatting import fmt_param, mode_rule
from sim.app.levers import snap, values_of
from sim.app.text import text
from sim.core.params import MODE_ASSIGNMENTS, REGISTRY
from sim.experiments.batch import scenario_specs
from sim.experiments.runs import RunSpec
from sim.experiments.scenarios import Scenario, find_scenario, load_doc, load_scenario

#: The scenario every what-if is compared with.
BASELINE = "baseline"
#: Seeds (paired replicates) a what-if may run: at least two for an interval.
MIN_SEEDS, MAX_SEEDS, DEFAULT_SEEDS = 2, 50, 4
#: Last years a what-if may run to.
MIN_END, MAX_END = 2017, 2035


@dataclass(frozen=True)
class Draft:
    """The scenario being edited.

    Attributes:
        origin: The shipped scenario it started from (loaded, validated).
        name: Its name (a scenario file's ``name``).
        values: Every registry parameter's value.
        modes: Mode assignments (``year``, ``mode``, ``zones``), in order.
        seeds: Paired replicates of a what-if.
        seed: Master seed.
        end: Last year simulated.
    """

    origin: Scenario = field(repr=False)
    name: str
    values: Mapping[str, float] = field(repr=False)
    modes: tuple[Mapping[str, Any], ...]
    seeds: int
    seed: int
    end: int

    @property
    def posterior(self) -> str | None:
        """The calibration posterior the replicates draw from (the origin's), or ``None``."""
        return self.origin.run.posterior

    def overrides(self) -> dict[str, float]:
        """Parameters whose value differs from the registry's default, in registry order."""
        return {k: v for k, v in self.values.items() if v != float(REGISTRY[k].default)}

    def changes(self) -> list[str]:
        """Parameters whose value differs from the origin's, in registry order."""
        base = values_of(self.origin.params)
        return [k for k, v in self.values.items() if v != base[k]]

    @property
    def modes_changed(self) -> bool:
        """Whether the mode assignments differ from the origin's."""
        return list(self.modes) != list(self.origin.params[MODE_ASSIGNMENTS])

    def with_value(self, name: str, value: Any) -> Draft:
        """The draft with one parameter set (clipped to its bounds, on its slider's grid)."""
        return replace(self, values={**self.values, name: snap(REGISTRY[name], value)})

    def description(self, lang: str) -> str:
        """The question: the origin's, or the origin's title with what the page changed."""
        zh = lang == "zh"
        question = (self.origin.description_zh if zh else "") or self.origin.description
        parts = [f"{k} = {fmt_param(self.values[k], lang)}" for k in self.changes()]
        if self.modes_changed:
            parts += [mode_rule(dict(m), lang) for m in self.modes]
        if not parts:
            return question
        start = (self.origin.title_zh if zh else self.origin.title) or self.origin.name
        sep = "；" if zh else "; "
        return text("draft_description", lang, start=start, changes=sep.join(parts))

    def doc(self) -> dict[str, Any]:
        """The draft as a scenario file's mapping (keys of :data:`~.scenarios.TOP_KEYS`)."""
        run: dict[str, Any] = {
            "start": int(self.origin.run.start),
            "end": int(self.end),
            "replications": int(self.seeds),
            "seed": int(self.seed),
        }
        if self.posterior:
            run["posterior"] = self.posterior
        out: dict[str, Any] = {"name": self.name}
        if not self.changes() and not self.modes_changed:  # the origin's titles still fit
            for key in ("title", "title_zh"):
                if getattr(self.origin, key):
                    out[key] = getattr(self.origin, key)
        out["description"] = self.description("en")
        out["description_zh"] = self.description("zh")
        out["run"] = run
        out["parameters"] = {k: _typed(k, v) for k, v in self.overrides().items()}
        if self.modes:
            out["modes"] = [
                {"year": float(m["year"]), "mode": str(m["mode"]), "zones": m["zones"]}
                for m in self.modes
            ]
        return out

    def scenario(self) -> Scenario:
        """The draft loaded and validated as a scenario.

        Raises:
            ScenarioError: Naming the key that is wrong (e.g. ``name``).
        """
        return load_doc("what-if", self.doc())

    def run_spec(self, replicate: int) -> RunSpec:
        """The run of one replicate (its seed, and posterior draw where there is one).

        Raises:
            ScenarioError: If the draft is not a valid scenario.
        """
        (spec,) = scenario_specs([self.scenario()], reps=replicate + 1, seed=self.seed)[-1:]
        return spec


def _typed(name: str, value: float) -> bool | int | float:
    kind = REGISTRY[name].kind
    if kind == "bool":
        return bool(value)
    return int(value) if kind == "int" else float(value)


def draft(start: str = BASELINE, *, seeds: int = DEFAULT_SEEDS) -> Draft:
    """A draft of a shipped scenario (or a scenario file), unchanged.

    Its name is the scenario's, or ``whatif`` for the baseline (a what-if needs a name of
    its own); its last year and master seed are the scenario's, its seeds ``seeds``.

    Raises:
        ScenarioError: If ``start`` names no scenario, or the file is invalid.
    """
    sc = load_scenario(find_scenario(start))
    return Draft(
        origin=sc,
        name="whatif" if sc.name == BASELINE else sc.name,
        values=values_of(sc.params),
        modes=tuple(sc.params[MODE_ASSIGNMENTS]),
        seeds=seeds,
        seed=sc.run.seed,
        end=min(max(sc.run.end, MIN_END), MAX_END),
    )
