"""Prefectures and zones: output by prefecture with paired effects, the zones ranked."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.analysis import brief
from sim.analysis.brief.places import (
    prefecture_intervals,
    prefecture_table,
    ranking_rows,
    zone_ranking,
)
from sim.core.cities import CITIES


def test_prefecture_output_sums_the_zones_with_status_and_effects_are_paired(batch: Path) -> None:
    data = brief.load_batches([batch])
    table = prefecture_table(data)
    assert sorted(table.index) == sorted(CITIES) and list(table.columns[1:]) == data.whatifs
    z = data.zones
    last = z[(z["year"] == data.years[1]) & (z["status"] == "active")]
    base = last[last["scenario"] == data.baseline]
    total = base.groupby("seed")["gdp"].sum().mean()
    assert np.isclose(table["baseline"].sum(), total)
    for scen, ci in prefecture_intervals(data).items():
        inside = (ci["ci_low"] <= table[scen] + 1e-9) & (table[scen] <= ci["ci_high"] + 1e-9)
        assert inside.all(), scen  # each mean effect lies in its interval


def test_the_ranking_lists_the_largest_zones_in_order(batch: Path) -> None:
    data = brief.load_batches([batch])
    ranking = zone_ranking(data, n=5)
    assert len(ranking) == 5 and ranking["gdp"].is_monotonic_decreasing
    rows = ranking_rows(ranking, "zh")
    assert [r[0] for r in rows] == ["1", "2", "3", "4", "5"]
    assert all(r[5] in (brief.text("seeded_registry", "zh"), brief.text("seeded_synthetic", "zh"))
               for r in rows)  # fmt: skip
