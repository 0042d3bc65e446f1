"""The output and mode registries: the model records exactly what is registered."""

from __future__ import annotations

import re

import numpy as np
import pytest

from sim.core import modes, outputs
from sim.core.model import ZoneReformModel
from sim.core.recording import Recorder
from sim.core.run import METRICS, simulate

HAN = re.compile(r"[\u3400-\u9fff]")


def _model_after_one_year() -> ZoneReformModel:
    model = ZoneReformModel(rng=np.random.default_rng(1))
    for _ in range(4):
        model.step()
    return model


def test_model_records_exactly_the_registered_annual_metrics() -> None:
    row = _model_after_one_year().annual[0]
    assert list(row) == ["year", *outputs.ANNUAL_NAMES]


def test_model_records_exactly_the_registered_zone_columns() -> None:
    rows = _model_after_one_year().zone_rows
    assert rows
    for row in rows:
        assert list(row) == ["year", *outputs.ZONE_NAMES]


def test_annual_table_columns_come_from_the_registry() -> None:
    result = simulate(seed=1, end=2017)
    assert list(result.annual.columns) == ["year", *outputs.ANNUAL_NAMES]
    assert list(result.zones.columns) == ["year", *outputs.ZONE_NAMES]
    assert METRICS == outputs.ANNUAL_NAMES


def test_an_unregistered_or_missing_metric_stops_the_run(monkeypatch) -> None:
    monkeypatch.setattr(outputs, "ZONE_NAMES", (*outputs.ZONE_NAMES, "new_column"))
    with pytest.raises(RuntimeError, match=r"zone table.*missing \['new_column'\]"):
        simulate(seed=1, end=2016)
    monkeypatch.undo()
    original = Recorder.record

    def record_extra(self, *args, **kwargs) -> None:
        original(self, *args, **kwargs)
        self.annual[-1]["unregistered_metric"] = 1.0

    monkeypatch.setattr(Recorder, "record", record_extra)
    with pytest.raises(RuntimeError, match=r"annual table.*unregistered \['unregistered_metric'\]"):
        simulate(seed=1, end=2016)


@pytest.mark.parametrize("table", [outputs.ANNUAL, outputs.ZONES])
def test_every_output_is_fully_described(table: tuple[outputs.Output, ...]) -> None:
    names = [o.name for o in table]
    assert len(names) == len(set(names))
    for o in table:
        assert o.kind in outputs.KINDS
        assert o.unit and o.meaning.strip() and o.label_en.strip()
        assert not HAN.search(o.label_en), o.name
        assert HAN.search(o.label_zh), o.name
        assert o.label("zh") == o.label_zh and o.label("en") == o.label_en


def test_every_mode_has_a_count_metric_and_labels() -> None:
    for m in modes.MODES.values():
        assert f"zones_{m.name}" in outputs.ANNUAL_NAMES
        assert HAN.search(m.label_zh) and m.label_en and not HAN.search(m.label_en)
        assert re.fullmatch(r"#[0-9a-f]{6}", m.colour)
        lo, hi = m.departments
        assert 0 < lo <= hi
    assert modes.MODE_NAMES[0] == modes.REFERENCE
    assert tuple(m for m in modes.MODE_NAMES if m != modes.REFERENCE) == modes.REGISTRABLE_MODES


def test_mode_effects_cover_every_mode() -> None:
    from sim.core.params import defaults

    eff = modes.effects(defaults())
    assert list(eff) == list(modes.MODE_NAMES)
    assert eff[modes.REFERENCE].approval == 1.0


def test_zone_counts_by_mode_add_up_to_the_counted_zones() -> None:
    annual = simulate(seed=1, end=2019).annual
    by_mode = annual[[f"zones_{m}" for m in modes.MODE_NAMES]].sum(axis=1)
    assert (by_mode == annual["zones_active"]).all()


def test_better_direction_is_one_of_three_and_set_for_the_headline_metrics() -> None:
    assert {o.better for o in (*outputs.ANNUAL, *outputs.ZONES)} <= {-1, 0, 1}
    assert outputs.better("stat_zone_gdp") == outputs.better("firms") == 1
    assert outputs.better("approval_days") == outputs.better("zones_delisted") == -1
    assert outputs.better("staff") == -1  # lean administration: one of the reform's aims
    assert outputs.better("zones_active") == outputs.better("province_gdp_growth") == 0
