"""The figures' look: the shipped font for Chinese, registry colours for modes."""

from __future__ import annotations

import warnings

from matplotlib.text import Text

from sim.analysis import plotting
from sim.analysis.plotting.theme import signed_tick, tick

from .helpers import HAN, synthetic_annual, synthetic_zones, texts


def test_chinese_figures_draw_every_glyph_from_the_shipped_font() -> None:
    from matplotlib import font_manager

    from sim.analysis import cjkfont

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is a UserWarning: fail on it
        figs = [
            plotting.fan_grid(synthetic_annual(("基准", "what_if")), ["firms"], lang="zh"),
            plotting.mode_counts_chart(synthetic_annual(), lang="zh"),
            plotting.mode_outcomes_chart(synthetic_zones(), lang="zh"),
        ]
        for fig in figs:
            plotting.to_png(fig)
            plotting.to_svg(fig)
    for fig in figs:
        assert any(HAN.search(t) for t in texts(fig)), texts(fig)
        for text in fig.findobj(Text):
            if HAN.search(text.get_text()):
                found = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
                assert found == str(cjkfont.FONT_FILE), (text.get_text(), found)
    assert figs[0].axes[0].get_title() == "入区企业数"
    assert "基准" in texts(figs[0])  # a Chinese scenario name stays Chinese


def test_english_figures_draw_chinese_names_and_drop_undrawable_characters() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = plotting.fan_chart(synthetic_annual(("基准", "what_if\ue000")), "firms")
        plotting.to_png(fig)
    labels = [ln.get_label() for ln in fig.axes[0].get_lines()]
    assert labels == ["基准", "what_if"]  # a private-use character is in no figure font
    assert fig.axes[0].get_title() == plotting.metric_label("firms", "en")


def test_charts_draw_each_mode_in_its_registry_colour() -> None:
    from matplotlib.colors import to_hex

    from sim.core.modes import MODES

    counts = plotting.mode_counts_chart(synthetic_annual(), year=2020)
    outcomes = plotting.mode_outcomes_chart(synthetic_zones(), columns=("firms",))
    for fig in (counts, outcomes):
        for handle, text in zip(
            fig.legends[0].legend_handles, fig.legends[0].get_texts(), strict=True
        ):
            mode = next(m for m in MODES.values() if m.label_en == text.get_text())
            assert to_hex(handle.get_facecolor()) == mode.colour
    assert not {m.colour for m in MODES.values()} & set(plotting.PALETTE)
    assert len({m.colour for m in MODES.values()}) == len(MODES)


def test_axis_ticks_have_separators_and_signs() -> None:
    assert [tick(v) for v in (43000.0, 2.5, -0.0, 72.0)] == ["43,000", "2.5", "0", "72"]
    assert [signed_tick(v) for v in (1500.0, -2.5, 0.0)] == ["+1,500", "-2.5", "0"]
