"""The brief's "which mode, how sure" section: words on a stated scale, both languages, escaped."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from sim.analysis import plotting, safetext
from sim.analysis.robustness.experiment import analyse
from sim.analysis.robustness.report import read_exploration, write_exploration
from sim.analysis.robustness.section import robustness_section
from sim.analysis.robustness.words import grade, likelihood, likelihood_key, scale_note, words
from sim.core.lang import LANGS

N = 300
POLICIES = ("corp<b>", "sanheyi", "quzheng")


@pytest.fixture(scope="module")
def exploration():
    """Synthetic states: corp wins when u0 > 0.5; sanheyi beats quzheng in 50 % of states."""
    return _exploration(POLICIES)


def _exploration(policies: tuple[str, str, str]):
    rng = np.random.default_rng(0)
    x = rng.random((N, 3))
    states = pd.DataFrame(x, columns=["u0", "u1", "u2"])
    states.insert(0, "state", np.arange(N))
    states.insert(1, "seed", np.arange(N))
    states.insert(2, "draw", -1)
    corp, sanheyi, quzheng = policies
    values = {
        corp: np.where(x[:, 0] > 0.5, 10.0, 0.0),
        sanheyi: np.where(x[:, 1] > 0.5, 6.0, 4.0),
        quzheng: np.full(N, 5.0),
    }
    outcomes = pd.concat(
        [
            pd.DataFrame({"policy": p, "state": np.arange(N), "firms@2030": v})
            for p, v in values.items()
        ],
        ignore_index=True,
    )
    settings = {
        "outcomes": ["firms@2030"],
        "discover": ["firms@2030"],
        "seed": 0,
        "states": N,
        "lhs_parameters": ["u0", "u1", "u2"],
        "posterior_parameters": [],
        "posterior": "none",
        "policy_overrides": {},
        "start": 2030,
        "end": 2030,
    }
    return analyse(states, outcomes, settings)


def test_probability_words_follow_the_stated_scale():
    assert [likelihood_key(p) for p in (0.0, 0.3299, 0.33, 0.5, 0.6599, 0.66, 1.0)] == [
        "unlikely", "unlikely", "even", "even", "even", "likely", "likely"
    ]  # fmt: skip
    # a word only where the whole interval lies in its band, the most specific band first
    assert [grade(lo, hi) for lo, hi in [(0.92, 0.99), (0.7, 0.95), (0.4, 0.6), (0.1, 0.3),
                                         (0.0, 0.08), (0.49, 0.94), (0.6, 0.7)]] == [
        "very_likely", "likely", "even", "unlikely", "very_unlikely", None, None
    ]  # fmt: skip
    assert likelihood(0.49, 0.94) == "cannot tell at this budget"  # the example of the issue
    assert likelihood(0.7, 0.9, "en") == "likely"


def test_chinese_words_follow_the_calibrated_scale():
    """可能 is "likely" and 很可能 "very likely", as in the IPCC's Chinese reports."""
    assert words("likely", "zh") == "可能" and words("very_likely", "zh") == "很可能"
    assert likelihood(0.7, 0.9, "zh") == "可能" and likelihood(0.95, 0.99, "zh") == "很可能"
    note = scale_note("zh")
    assert "≥ 90 % 为“很可能”" in note and "≥ 66 % 为“可能”" in note


def test_section_states_probabilities_conditions_and_regret(exploration):
    sec = robustness_section(exploration, "en")
    p = exploration.p_win("firms@2030", "corp<b>", "sanheyi")["p_win"]
    assert f"{100 * p:.0f} %" in sec.markdown
    assert "about as likely as not" in sec.markdown  # corp vs sanheyi is near 50 %
    assert "likely 66 % or more" in sec.markdown  # the scale is stated
    assert "whole 95 % interval lies in its band" in sec.markdown
    assert "u0 ≥ 0.5" in sec.markdown or "u0 ≥ 0.49" in sec.markdown  # PRIM box in words
    assert "Regret" in sec.markdown and "seed noise only" in sec.markdown
    assert "<h2" in sec.html and "<table>" in sec.html


def test_user_text_is_escaped(exploration):
    sec = robustness_section(exploration, "en")
    assert "corp&lt;b&gt;" in sec.html and "corp<b>" not in sec.html
    assert "corp\\<b>" in sec.markdown and "corp<b>" not in sec.markdown


def test_chinese_section(exploration):
    sec = robustness_section(exploration, "zh")
    assert "哪种模式更好" in sec.html and "可能性约为一半" in sec.markdown
    with pytest.raises(ValueError, match="lang"):
        robustness_section(exploration, "fr")


def test_policies_are_named_by_the_given_titles(exploration):
    titles = {"corp<b>": "All corporate <x>", "sanheyi": "All three-in-one", "quzheng": "Q"}
    exp = exploration
    settings = {**exp.settings, "policy_overrides": {"sanheyi": ["u2"]}}
    exp = analyse(exp.states, exp.outcomes, settings)
    sec = robustness_section(exp, "en", title=titles.__getitem__)
    for name, title in titles.items():
        if name != "quzheng":  # a one-letter title is in other words too
            assert sec.markdown.count(safetext.md_inline(title)) >= 4, title  # sentences, tables
        assert name not in sec.html and safetext.md_inline(name) not in sec.markdown
    assert "All corporate &lt;x&gt; / All three-in-one" in sec.html  # the pair, escaped
    assert "Policy All three-in-one sets u2" in sec.html
    assert "| Q |" in sec.markdown  # the regret table
    without = robustness_section(exp, "en")
    assert "corp&lt;b&gt; / sanheyi" in without.html  # by default, the names


def test_folder_round_trip(exploration, tmp_path):
    write_exploration(exploration, tmp_path)
    back = read_exploration(tmp_path)
    pd.testing.assert_frame_equal(back.pairwise, exploration.pairwise)
    pd.testing.assert_frame_equal(back.discovery.boxes, exploration.discovery.boxes)
    assert back.discovery.trees == exploration.discovery.trees
    assert robustness_section(tmp_path, "en") == robustness_section(exploration, "en")
    assert (tmp_path / "figures" / "win_probability.png").stat().st_size > 0
    with pytest.raises(FileNotFoundError, match="zonesim explore"):
        read_exploration(tmp_path / "nothing")


def test_section_titles_name_the_models_metrics(exploration):
    """Each outcome is titled with the metric's display name (the model's outputs registry)."""
    label = "stat_zone_gdp_same_zones@2035"
    outcomes = exploration.outcomes.rename(columns={"firms@2030": label})
    settings = {**exploration.settings, "outcomes": [label], "discover": [label]}
    v2 = analyse(exploration.states, outcomes, settings)
    for lang in LANGS:
        metric = plotting.metric_label("stat_zone_gdp_same_zones", lang)
        title = f"2035年{metric}" if lang == "zh" else f"{metric}, 2035"  # no half-width comma
        markdown = robustness_section(v2, lang).markdown
        assert title in markdown and label not in markdown.replace("\\_", "_")


def test_what_would_settle_the_choice(exploration):
    """corp wins where u0 > 0.5: learning u0 settles the choice, break-even near 0.5."""
    from sim.analysis.robustness.sentences import voi_sentence

    en = voi_sentence(exploration, "firms@2030", "en")
    m = re.search(
        r"Learning `u0` would change the choice most: .* break-even value is ([\d.]+)", en
    )
    assert m and abs(float(m.group(1)) - 0.5) < 0.05, en
    zh = voi_sentence(exploration, "firms@2030", "zh")
    assert zh.startswith("了解`u0`最能改变选择") and "临界值" in zh
    assert "What would settle it: Learning `u0`" in robustness_section(exploration).markdown


def test_value_of_information_within_chance_is_said_so(exploration):
    """Outcomes unrelated to every parameter: the best candidate is named, but as chance."""
    from sim.analysis.robustness.sentences import voi_sentence

    rng = np.random.default_rng(9)
    noisy = exploration.outcomes.assign(
        **{"firms@2030": rng.normal(0, 1, len(exploration.outcomes))}
    )
    exp = analyse(exploration.states, noisy, exploration.settings)
    top = exp.evppi[exp.evppi["comparison"].str.count(r"\|") == 2].iloc[0]
    assert not top["above_floor"]
    assert "does not stand out from chance" in voi_sentence(exp, "firms@2030", "en")
    assert "并未明显高于随机水平" in voi_sentence(exp, "firms@2030", "zh")


def test_parameters_are_named_in_plain_words_with_their_code_name():
    from sim.analysis.robustness.words import param_phrase

    assert (
        param_phrase("quzheng_services") == "service quality of a quzheng zone (`quzheng_services`)"
    )
    assert (
        param_phrase("quzheng_services", "zh") == "区政合一开发区的服务质量（`quzheng_services`）"
    )
    assert param_phrase("young_growth", "zh") == "年轻企业的额外增长（`young_growth`）"
    assert param_phrase("not_a_parameter") == "`not_a_parameter`"


def test_box_conditions_name_parameters_by_their_meaning_in_the_readers_language():
    from sim.analysis.robustness.words import box_conditions, condition

    row = {"parameter": "three_systems_rollout", "lower": 2.5, "upper": float("nan")}
    assert condition(row, "zh") == "2018 年后每年新增实行三项制度的开发区数 ≥ 2.5"
    assert condition(row, "en").startswith("further zones adopting the three systems")
    both = [row, {"parameter": "u0", "lower": 0.2, "upper": 0.5}]
    assert box_conditions(both, "zh") == (
        "2018 年后每年新增实行三项制度的开发区数 ≥ 2.5，且 0.2 ≤ u0 ≤ 0.5"
    )  # a name outside the registry stays as it is
    assert "three_systems_rollout" not in box_conditions(both, "zh")


def test_numbers_in_words_have_two_significant_figures():
    from sim.analysis.robustness.words import count, sig2

    assert [sig2(v) for v in (79.58, 313.8, 0.333, 99.6, -0.12345)] == [
        "80", "310", "0.33", "100", "-0.12"
    ]  # fmt: skip
    assert [count(n) for n in (5, 44, 156, 2156, 8494)] == ["5", "44", "160", "2,200", "8,500"]


def test_win_probability_figure_keeps_every_label_inside():
    """Long policy names (``all_corporate``) are not clipped at the figure's edge."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from sim.analysis.robustness.report import win_probability_figure

    exp = _exploration(("all_corporate_long_name", "all_sanheyi", "all_quzheng"))
    fig = win_probability_figure(exp)
    FigureCanvasAgg(fig).draw()
    box = fig.bbox
    labels = [t for ax in fig.axes for t in (*ax.get_xticklabels(), *ax.get_yticklabels())]
    assert any(t.get_text() == "all_corporate_long_name" for t in labels)
    for t in labels:
        if t.get_text():
            e = t.get_window_extent()
            assert e.x0 >= box.x0 and e.y0 >= box.y0 and e.x1 <= box.x1, t.get_text()
