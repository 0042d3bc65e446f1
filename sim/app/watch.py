"""Watching one run: the model stepped in the page, its map and its reform timeline.

:class:`WatchedRun` is a :class:`~sim.core.model.ZoneReformModel` built as the run
boundary builds it (:func:`sim.core.run.simulate`: the same parameters and the generator
of the same seed), so the years it shows are those of the what-if's replicate; it adds a
Mesa :class:`~mesa.DataCollector` that records the annual outputs at each year end (for
Mesa's plot components) and stops (``running = False``) after its last year.

:func:`prefecture_values` sums or averages a zone-table column by prefecture (by the
output registry's kind), :func:`map_figure` draws it on the brief's prefecture map
(:func:`sim.analysis.brief.figures.prefecture_map`) with the zones as dots in their
mode's colour, and :func:`timeline` lists the dated reform events of a parameter mapping.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import mesa
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.analysis import plotting
from sim.analysis.brief.figures import prefecture_map
from sim.analysis.brief.formatting import mode_rule
from sim.analysis.brief.geography import SEATS, X_SCALE
from sim.app.text import text
from sim.core import outputs
from sim.core.model import ZoneReformModel
from sim.core.modes import MODE_NAMES
from sim.core.params import MODE_ASSIGNMENTS, REGISTRY
from sim.core.run import FIRST_YEAR

#: Annual outputs the page plots over time (the brief's headline metrics).
HEADLINE = plotting.KEY_METRICS
#: Zone-table columns a map may be coloured by: every number of the zone table.
MAP_COLUMNS = tuple(o.name for o in outputs.ZONES if o.kind != "attribute")
#: Map choices that colour by mode: the share of zones with status in each mode.
MODE_CHOICES = tuple(f"mode:{m}" for m in MODE_NAMES)
#: Kinds of output that add up over zones (the rest are averaged).
ADDITIVE = ("stock", "flow")


class WatchedRun(ZoneReformModel):
    """The model as the page steps it: annual outputs collected, stopped after ``end``.

    Args:
        params: Parameters (as for :func:`sim.core.run.simulate`).
        seed: The run's seed.
        end: Last year simulated.

    Attributes:
        settings: The parameters as given.
        seed: The seed.
        end: The last year.
        datacollector: The headline outputs at each year end (row ``i``: year 2016 + i).
    """

    def __init__(self, params: Mapping[str, Any] | None = None, seed: int = 0, end: int = 2035):
        """Build the 2016 state as :func:`sim.core.run.simulate` does."""
        super().__init__(params, rng=np.random.default_rng(seed))
        self.settings = dict(params or {})
        self.seed = seed
        self.end = end
        self.datacollector = mesa.DataCollector(
            model_reporters={"year": _latest("year")} | {m: _latest(m) for m in HEADLINE}
        )

    def step(self) -> None:
        """Advance one quarter; at a year end record the year; stop after ``end``."""
        super().step()
        if self.quarter % 4 == 0:
            self.datacollector.collect(self)
            if self.year > self.end:
                self.running = False

    @property
    def last_year(self) -> int | None:
        """The last finished year, or ``None`` before the first year end."""
        return int(self.annual[-1]["year"]) if self.annual else None

    def zones_of(self, year: int) -> pd.DataFrame:
        """The zone table of one finished year."""
        rows = [r for r in self.zone_rows if r["year"] == year]
        return pd.DataFrame(rows, columns=["year", *outputs.ZONE_NAMES])


def _latest(metric: str) -> Any:
    def report(model: WatchedRun) -> float:
        return float(model.annual[-1][metric])

    report.__name__ = f"latest_{metric}"
    return report


def prefecture_values(zones: pd.DataFrame, column: str) -> pd.Series:
    """A zone-table column by prefecture, over the zones with status.

    Stocks and flows are summed, rates, indices and shares averaged (the output
    registry's kind); ``mode:<mode>`` gives the share of the prefecture's zones with
    status in that mode.

    Returns:
        One value per city with zones (index: city identifiers).
    """
    active = zones[zones["status"] == "active"]
    by_city = active.groupby("city", sort=False)
    if column.startswith("mode:"):
        mode = column.split(":", 1)[1]
        return by_city["mode"].apply(lambda s: float((s == mode).mean()))
    kind = outputs.ZONES_BY_NAME[column].kind
    return by_city[column].sum() if kind in ADDITIVE else by_city[column].mean()


def choice_label(column: str, lang: str) -> str:
    """A map choice's label: the zone output's name, or the share of zones in a mode."""
    if column.startswith("mode:"):
        return text("mode_share", lang, mode=plotting.mode_label(column.split(":", 1)[1], lang))
    return plotting.zone_label(column, lang)


def _dots(n: int) -> np.ndarray:
    """Offsets of ``n`` dots around a point: a sunflower of radius 0.16 degrees."""
    k = np.arange(n)
    r = 0.16 * np.sqrt((k + 0.5) / max(n, 1))
    a = k * math.pi * (3 - math.sqrt(5))
    return np.column_stack([r * np.cos(a), r * np.sin(a)])


def map_figure(zones: pd.DataFrame, column: str, year: int, lang: str) -> Figure:
    """The brief's prefecture map coloured by a zone output, the zones as dots by mode.

    Args:
        zones: The zone table of ``year``.
        column: A zone output (:data:`MAP_COLUMNS`) or a mode (:data:`MODE_CHOICES`).
        year: The year shown.
        lang: Figure language.
    """
    title = text("map_title", lang, what=choice_label(column, lang), year=year)
    fig = prefecture_map(prefecture_values(zones, column), title, lang, text("map_zones", lang))
    ax = fig.axes[0]
    active = zones[zones["status"] == "active"]
    for city, rows in active.groupby("city", sort=False):
        if city not in SEATS:
            continue
        x, y = SEATS[city]
        off = _dots(len(rows))
        colours = [plotting.MODE_COLOURS.get(m, "#000000") for m in rows["mode"]]
        ax.scatter(x + off[:, 0] / X_SCALE, y + off[:, 1], s=9, c=colours, edgecolors="white",
                   linewidths=0.4, zorder=3)  # fmt: skip
    shown = [m for m in MODE_NAMES if m in set(active["mode"])]
    handles = [
        ax.scatter([], [], s=12, c=plotting.MODE_COLOURS[m], label=plotting.mode_label(m, lang))
        for m in shown
    ]
    if handles:
        ax.legend(handles=handles, loc="lower right", fontsize=7, frameon=False)
    return fig


@dataclass(frozen=True)
class Event:
    """A dated reform event.

    Attributes:
        date: Decimal year.
        what: The event in words (the parameter's meaning, or the mode rule).
        key: The parameter (or ``mode_assignments[i]``) it comes from.
        on: Whether it happens (a switched-off lever's date is listed, not marked).
    """

    date: float
    what: str
    key: str
    on: bool = True


def timeline(params: Mapping[str, Any], lang: str = "en", end: int = 2035) -> list[Event]:
    """The dated events of a parameter mapping within ``FIRST_YEAR..end``, by date.

    Every date parameter of the registry (kind ``year``) is an event, switched off when
    the registry's switch of the same name (``x_on`` for ``x_year``) is off; every mode
    assignment is an event in the brief's words.
    """
    out = []
    for p in REGISTRY.values():
        if p.kind != "year" or p.name not in params:
            continue
        date = float(params[p.name])
        switch = p.name.removesuffix("_year") + "_on"
        on = bool(params.get(switch, 1)) if switch in REGISTRY else True
        what = p.description_zh if lang == "zh" else p.description
        out.append(Event(date, what, p.name, on))
    for i, rule in enumerate(params.get(MODE_ASSIGNMENTS, [])):
        out.append(
            Event(float(rule["year"]), mode_rule(dict(rule), lang), f"{MODE_ASSIGNMENTS}[{i}]")
        )
    return sorted((e for e in out if FIRST_YEAR <= e.date < end + 1), key=lambda e: (e.date, e.key))


def by_date(events: list[Event]) -> list[tuple[float, list[Event]]]:
    """Events grouped by date, in date order (the page numbers the dates from 1)."""
    out: dict[float, list[Event]] = {}
    for e in events:
        out.setdefault(e.date, []).append(e)
    return sorted(out.items())


def mark_events(ax: Any, events: list[Event]) -> None:
    """Dotted lines at the events' dates on a chart whose x is the year index from 2016.

    One line per date with an event that happens (switched-off ones get none), numbered
    as :func:`by_date` numbers the dates. A point ``i`` of Mesa's plots is the end of
    year ``2016 + i``, so the date ``d`` sits at ``d - 2016``, between the ends of the
    years around it.
    """
    for i, (date, group) in enumerate(by_date(events), start=1):
        if not any(e.on for e in group):
            continue
        x = date - FIRST_YEAR
        ax.axvline(x, color="#999999", linewidth=0.7, linestyle=":", zorder=0)
        ax.annotate(str(i), (x, 1.0), xycoords=("data", "axes fraction"), fontsize=6,
                    color="#666666", ha="center", va="bottom")  # fmt: skip
