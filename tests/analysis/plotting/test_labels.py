"""Display names of metrics, zone columns and modes, in both languages."""

from __future__ import annotations

from sim.analysis import plotting
from sim.core.run import METRICS

from .helpers import HAN


def test_every_metric_and_mode_has_both_labels() -> None:
    assert set(METRICS) <= set(plotting.METRIC_LABELS)
    for table in (plotting.METRIC_LABELS, plotting.MODE_LABELS, plotting.ZONE_LABELS):
        for en, zh in table.values():
            assert en and not HAN.search(en)
            assert HAN.search(zh)
