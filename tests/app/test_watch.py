"""Watching one run: the stepped model, its map and the reform timeline."""

from __future__ import annotations

from dataclasses import replace

import pytest
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch

from sim.app import watch
from sim.app.draft import draft
from sim.core import outputs
from sim.core.lang import LANGS
from sim.core.params import resolve
from sim.core.run import simulate


@pytest.fixture(scope="module")
def stepped() -> watch.WatchedRun:
    d = replace(draft("all_corporate"), end=2018)
    spec = d.run_spec(1)
    m = watch.WatchedRun(spec.params, seed=spec.seed, end=spec.end)
    while m.running:
        m.step()
    return m


def test_the_watched_run_is_the_run_boundary_s_run(stepped: watch.WatchedRun) -> None:
    assert stepped.last_year == 2018 and not stepped.running
    shown = stepped.datacollector.get_model_vars_dataframe()
    ref = simulate(stepped.settings, seed=stepped.seed, end=2018).annual
    assert shown["year"].tolist() == [2016, 2017, 2018]
    for metric in watch.HEADLINE:
        assert shown[metric].tolist() == ref[metric].tolist()


def test_a_new_run_has_nothing_to_show() -> None:
    m = watch.WatchedRun(resolve(), seed=3, end=2017)
    assert m.last_year is None and m.running
    assert m.datacollector.get_model_vars_dataframe().empty


def test_prefecture_values_follow_the_output_kinds(stepped: watch.WatchedRun) -> None:
    zones = stepped.zones_of(2018)
    active = zones[zones["status"] == "active"]
    gdp = watch.prefecture_values(zones, "gdp")
    assert gdp.sum() == pytest.approx(active["gdp"].sum())  # a flow: summed
    assert outputs.ZONES_BY_NAME["environment"].kind == "index"
    env = watch.prefecture_values(zones, "environment")
    assert env.to_dict() == pytest.approx(active.groupby("city")["environment"].mean().to_dict())
    corporate = watch.prefecture_values(zones, "mode:corporate")
    assert (corporate == 1.0).all()  # every zone corporate from 2018


def test_map_figure_draws_every_prefecture_and_zone(stepped: watch.WatchedRun) -> None:
    zones = stepped.zones_of(2018)
    for lang in LANGS:
        fig = watch.map_figure(zones, "firms", 2018, lang)
        assert isinstance(fig, Figure)
        ax = fig.axes[0]
        cells = [p for p in ax.patches if isinstance(p, PathPatch) and p.get_gid()]
        assert len(cells) == 11
        dots = sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))
        assert dots == (zones["status"] == "active").sum()
    assert watch.choice_label("mode:corporate", "en") == "Share of zones: Corporate"
    assert watch.choice_label("gdp", "zh") == "每区GDP（亿元）"


def test_timeline_lists_dated_events_and_switched_off_ones() -> None:
    rule = {"year": 2020, "mode": "corporate", "zones": "all"}
    params = resolve({"integration_on": False, "mode_assignments": [rule]})
    events = watch.timeline(params, "en", end=2035)
    keys = {e.key: e for e in events}
    assert not keys["integration_year"].on and keys["delegation_year"].on
    assert keys["mode_assignments[0]"].what == "from 2020: Corporate for all zones"
    assert [e.date for e in events] == sorted(e.date for e in events)
    assert all(2016 <= e.date < 2036 for e in events)
    assert not [e for e in watch.timeline(params, "en", end=2017) if e.date >= 2018]
    groups = watch.by_date(events)
    assert [d for d, _ in groups] == sorted({e.date for e in events})
    zh = watch.timeline(params, "zh")
    assert any("企业化管理" in e.what for e in zh)


def test_events_are_marked_at_their_dates() -> None:
    events = [watch.Event(2017.0, "a", "a"), watch.Event(2018.5, "b", "b", on=False),
              watch.Event(2019.25, "c", "c")]  # fmt: skip
    fig = Figure()
    ax = fig.subplots()
    watch.mark_events(ax, events)
    xs = [line.get_xdata()[0] for line in ax.get_lines()]
    assert xs == [1.0, 3.25]  # point i is the end of 2016 + i; the switched-off one unmarked
    assert [t.get_text() for t in ax.texts] == ["1", "3"]


def test_map_columns_are_the_zone_table_numbers() -> None:
    assert set(watch.MAP_COLUMNS) <= set(outputs.ZONE_NAMES)
    assert "mode" not in watch.MAP_COLUMNS and "gdp" in watch.MAP_COLUMNS
