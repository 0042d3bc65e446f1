"""The output registry: every metric of the annual and the zone tables.

Each :class:`Output` names one column of a run's tables (:mod:`sim.core.run`) with
its unit, kind, English and Chinese labels and meaning, read from
``sim/core/data/outputs.toml``. The annual table's columns
and their order, the plots' labels and the output tables of ``docs/ODD.md`` all come
from here; ``tests/core/test_outputs.py`` fails if the model records a column that is
not registered or misses a registered one.

Adding a metric means one entry in ``outputs.toml`` and the line of :meth:`Recorder.record
<sim.core.recording.Recorder.record>` that computes it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sim.core.modes import MODES

Kind = Literal["stock", "flow", "rate", "share", "index", "attribute"]

#: What each kind of output measures.
KINDS: dict[str, str] = {
    "stock": "an amount or count at year end",
    "flow": "an amount over the year",
    "rate": "a change per year, or a time per task",
    "share": "a part of a whole, between 0 and 1",
    "index": "a dimensionless score",
    "attribute": "an identifier, category or flag",
}


@dataclass(frozen=True)
class Output:
    """One column of a run's annual or zone table.

    Attributes:
        name: Column name.
        unit: Unit (``"-"`` for a pure number or a category).
        kind: One of :data:`KINDS`.
        label_en: English display name (with the unit where it has one).
        label_zh: Chinese display name.
        meaning: Definition, in one sentence.
        better: The direction a reader counts as better: ``+1`` more, ``-1`` less, ``0``
            neither (an input, a count the reform changes by design, a share or a
            structure). It is a reading of the reform's aims (more output and firms, faster
            approval, fewer delisted zones and, for lean administration, fewer staff posts),
            not a finding; every table, figure and comparison that marks a better direction
            reads it here.
    """

    name: str
    unit: str
    kind: Kind
    label_en: str
    label_zh: str
    meaning: str
    better: Literal[-1, 0, 1] = 0

    def label(self, lang: str = "en") -> str:
        """Return the display name in ``"en"`` or ``"zh"``."""
        return self.label_zh if lang == "zh" else self.label_en


#: The registry's file: one TOML table per column of each table.
OUTPUTS_FILE = Path(__file__).parent / "data" / "outputs.toml"


def _load(path: Path = OUTPUTS_FILE) -> tuple[tuple[Output, ...], tuple[Output, ...]]:
    """The annual and zone outputs of ``path``; each mode's zone count ends the annual ones."""
    with path.open("rb") as f:
        doc = tomllib.load(f)
    annual = tuple(Output(**o) for o in doc["annual"])
    modes = tuple(
        Output(
            name=f"zones_{m.name}",
            unit="zones",
            kind="stock",
            label_en=f"Zones: {m.label_en}",
            label_zh=f"{m.label_zh}开发区数",
            meaning=f"Counted zones in the {m.name} mode ({m.label_zh}).",
        )
        for m in MODES.values()
    )
    return annual + modes, tuple(Output(**o) for o in doc["zones"])


#: Columns of the annual table after ``year``, in order; columns of the zone table after
#: ``year``, in order (one row per located zone).
ANNUAL, ZONES = _load()

#: As-reported outputs (the zones in the statistics or with status, whose coverage and
#: boundaries change with integration, delisting and new zones) and their fixed-territory
#: versions (every unit that is part of a zone, whatever its status). ``zones_active`` is a
#: count of zones, not of a territory, and has none.
FIXED_TERRITORY: dict[str, str] = {
    "stat_zone_gdp": "zone_gdp",
    "stat_zone_gdp_growth": "zone_gdp_growth",
    "growth_gap_pp": "zone_growth_gap_pp",
    "firms_in_active_zones": "firms",
    "approval_days": "approval_days_territory",
}
#: Each zone output growth series (as reported: ratio of this year's total to last
#: year's) and its same-coverage growth (only the zones covered in both years).
SAME_COVERAGE: dict[str, str] = {
    "stat_zone_gdp_growth": "stat_zone_gdp_same_coverage_growth",
    "zone_gdp_growth": "zone_gdp_same_coverage_growth",
    "stat_zone_gdp_same_zones_growth": "stat_zone_gdp_same_zones_growth",
}

#: Annual metric names, in column order after ``year``.
ANNUAL_NAMES: tuple[str, ...] = tuple(o.name for o in ANNUAL)
#: Zone-table column names, in order after ``year``.
ZONE_NAMES: tuple[str, ...] = tuple(o.name for o in ZONES)
#: Outputs by name.
ANNUAL_BY_NAME: dict[str, Output] = {o.name: o for o in ANNUAL}
ZONES_BY_NAME: dict[str, Output] = {o.name: o for o in ZONES}


def better(metric: str) -> int:
    """The better direction of an annual metric (:attr:`Output.better`).

    Raises:
        KeyError: If ``metric`` is not an annual metric.
    """
    return ANNUAL_BY_NAME[metric].better
