"""Charts: DataFrames in, Figures out, in English and Chinese."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from sim.analysis import plotting

from .helpers import synthetic_annual, synthetic_zones


def test_quantile_bands_known_answer() -> None:
    df = synthetic_annual(reps=5)
    bands = plotting.quantile_bands(df, "firms", (0.0, 0.5, 1.0))
    row = bands[(bands["scenario"] == "what_if") & (bands["year"] == 2018)].iloc[0]
    # replicates 0..4 give 100 + k + 2
    assert (row[0.0], row[0.5], row[1.0]) == (102.0, 104.0, 106.0)
    assert list(bands.columns) == ["scenario", "year", 0.0, 0.5, 1.0]


def test_quantile_bands_unknown_metric() -> None:
    with pytest.raises(ValueError, match="metric"):
        plotting.quantile_bands(synthetic_annual(), "nope")


def test_fan_chart_draws_median_of_each_scenario() -> None:
    df = synthetic_annual()
    fig = plotting.fan_chart(df, "firms", lang="en")
    assert isinstance(fig, Figure)
    lines = fig.axes[0].get_lines()
    assert [ln.get_label() for ln in lines] == ["baseline", "what_if"]
    np.testing.assert_allclose(lines[1].get_ydata(), [102, 103, 104, 105, 106])
    assert len(fig.axes[0].collections) == 4  # two bands per scenario
    assert fig.axes[0].get_title() == plotting.metric_label("firms", "en")


def test_fan_chart_scenario_selection_and_errors() -> None:
    df = synthetic_annual(("a", "b", "c"))
    fig = plotting.fan_chart(df, "firms", scenarios=["c", "a"])
    assert [ln.get_label() for ln in fig.axes[0].get_lines()] == ["c", "a"]
    with pytest.raises(ValueError, match="scenarios"):
        plotting.fan_chart(df, "firms", scenarios=["zzz"])
    with pytest.raises(ValueError, match="lang"):
        plotting.fan_chart(df, "firms", lang="fr")


def test_fan_grid_one_panel_per_metric() -> None:
    fig = plotting.fan_grid(synthetic_annual(), ["firms", "staff", "bodies"], ncols=2)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 3
    assert len(fig.legends) == 1


def test_effects_chart_rows_and_interval() -> None:
    eff = pd.DataFrame(
        {"label": ["A", "B"], "mean": [-1.0, 2.0], "low": [-2.0, 1.0], "high": [0.5, 3.0]}
    )
    fig = plotting.effects_chart(eff)
    assert len(fig.axes) == 2
    interval = fig.axes[0].get_lines()[1]  # after the zero line
    np.testing.assert_allclose(interval.get_xdata(), [-2.0, 0.5])
    with pytest.raises(ValueError, match="effects"):
        plotting.effects_chart(eff.iloc[:0])


def test_mode_counts_chart_stacks_means() -> None:
    fig = plotting.mode_counts_chart(synthetic_annual(), year=2020)
    ax = fig.axes[0]
    widths = [p.get_width() for p in ax.patches]
    # legacy, sanheyi, quzheng, corporate for baseline then what_if (bar order by mode)
    assert widths == [10.0, 0.0, 20.0, 21.0, 5.0, 5.0, 0.0, 2.0]
    with pytest.raises(ValueError, match="year"):
        plotting.mode_counts_chart(synthetic_annual(), year=1999)


def test_mode_outcomes_chart_means_by_mode() -> None:
    fig = plotting.mode_outcomes_chart(synthetic_zones(), columns=("firms",))
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["baseline", "what_if"]
    modes = ("sanheyi", "quzheng", "corporate")
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == [plotting.mode_label(m, "en") for m in modes]
    heights = [p.get_width() for p in ax.patches]
    # bars by mode, then scenario: baseline sanheyi zones 0 and 2 (100, 300) -> 200,
    # quzheng zones 1 and 3 -> 300; what_if corporate zones 0 and 1 (100, 200) -> 150;
    # modes a scenario lacks get no bar
    np.testing.assert_array_equal(heights, [200.0, np.nan, 300.0, np.nan, np.nan, 150.0])


def _drawn_tick_labels(ax) -> list[Text]:
    """The tick labels an axes draws (ticks outside its limits are not drawn)."""
    (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
    xs = [t for t in ax.get_xticklabels() if t.get_text() and x0 <= t.get_position()[0] <= x1]
    ys = [t for t in ax.get_yticklabels() if t.get_text() and y0 <= t.get_position()[1] <= y1]
    return xs + ys


def test_mode_outcomes_scenario_names_do_not_overlap() -> None:
    """Long Chinese scenario titles are named once, down the side, apart from each other."""
    zones = synthetic_zones()
    more = [zones.assign(scenario=f"s{i}") for i in range(4)]
    zones = pd.concat([zones, *more], ignore_index=True)
    names = {s: f"全部开发区实行三合一管委会{s}" for s in zones["scenario"].unique()}
    fig = plotting.mode_outcomes_chart(zones, labels=names, lang="zh")
    boxes = [t.get_window_extent() for ax in fig.axes for t in _drawn_tick_labels(ax)]
    assert len(boxes) > len(names)
    for i, a in enumerate(boxes):
        assert fig.bbox.x0 <= a.x0 and a.x1 <= fig.bbox.x1
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)


def test_fan_chart_legend_does_not_cover_the_lines() -> None:
    fig = plotting.fan_chart(
        synthetic_annual(), "firms", labels={"baseline": "基准情景"}, lang="zh"
    )
    ax = fig.axes[0]
    legend = ax.get_legend().get_window_extent()
    assert not legend.overlaps(ax.get_window_extent())  # beside the axes, not over them
    assert fig.bbox.x1 >= legend.x1  # and inside the figure
    assert "基准情景" in [t.get_text() for t in ax.get_legend().get_texts()]
