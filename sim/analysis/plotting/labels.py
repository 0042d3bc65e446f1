"""Display names of metrics, zone-table columns and management modes, in every language.

Every name comes from a registry of the model (:mod:`sim.core.outputs`,
:mod:`sim.core.modes`), held as a :data:`~sim.core.lang.Translated` pair.
"""

from __future__ import annotations

from sim.core import modes as mode_registry
from sim.core import outputs
from sim.core.lang import Translated, translate

Lang = str  # one of sim.core.lang.LANGS

#: Metrics shown in fan charts and headline tables, in display order.
KEY_METRICS = (
    "firms",
    "stat_zone_gdp",
    "stat_zone_gdp_growth",
    "growth_gap_pp",
    "zones_active",
    "approval_days",
)

#: Display names of the annual metrics (``en``, ``zh``), with units, from the output
#: registry.
METRIC_LABELS: dict[str, Translated] = {o.name: (o.label_en, o.label_zh) for o in outputs.ANNUAL}

#: Display names of the zone-table columns (``en``, ``zh``), from the output registry.
ZONE_LABELS: dict[str, Translated] = {o.name: (o.label_en, o.label_zh) for o in outputs.ZONES}

#: Management modes in display order, with labels and colours, from the mode registry.
MODES = mode_registry.MODE_NAMES
MODE_LABELS: dict[str, Translated] = {
    m.name: (m.label_en, m.label_zh) for m in mode_registry.MODES.values()
}
MODE_COLOURS: dict[str, str] = {m.name: m.colour for m in mode_registry.MODES.values()}


def metric_label(metric: str, lang: Lang = "en") -> str:
    """Return the display name of an annual metric (the metric itself if unknown)."""
    return translate(METRIC_LABELS[metric], lang) if metric in METRIC_LABELS else metric


def zone_label(column: str, lang: Lang = "en") -> str:
    """Return the display name of a zone-table column (the column itself if unknown)."""
    return translate(ZONE_LABELS[column], lang) if column in ZONE_LABELS else column


def mode_label(mode: str, lang: Lang = "en") -> str:
    """Return the display name of a management mode (the mode itself if unknown)."""
    return translate(MODE_LABELS[mode], lang) if mode in MODE_LABELS else mode
