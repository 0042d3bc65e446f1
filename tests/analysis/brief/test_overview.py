"""Key findings of ``sim.analysis.brief.overview``: like-for-like effects lead."""

from __future__ import annotations

import math
import re
from pathlib import Path

from sim.analysis import brief, plotting
from sim.analysis.brief.overview import LIKE_FOR_LIKE, identical_to_baseline
from sim.analysis.territory import relabelling

from .helpers import md_section, title


def _finding(b: brief.Brief, scenario: str, lang: str) -> str:
    """The default-assumptions finding of ``scenario`` (its bullet in the key findings)."""
    first = md_section(b.markdown, brief.heading("findings", lang))
    name = f"**{title(scenario, lang)}**"
    return next(line for line in first.splitlines() if line.startswith(f"- {name}"))


def test_no_reform_finding_leads_with_real_change_and_states_the_relabelling_share(
    batch: Path, briefs: dict[str, brief.Brief]
) -> None:
    data = brief.load_batches([batch])
    split = relabelling(
        data.annual, "no_reform", data.baseline, metrics=[LIKE_FOR_LIKE], years=[data.years[1]]
    ).iloc[0]
    assert abs(split.relabelling) > 0  # no reform changes which zones are counted
    for lang, b in briefs.items():
        line = _finding(b, "no_reform", lang)
        body = line.split("**", 2)[2].lstrip(":： ")
        fixed = brief.text("finding_like_for_like", lang, metric="", real="", total="")
        assert body.startswith(fixed[:6]), (lang, body)  # the real change comes first
        real_pct = 100 * math.expm1(split.real / 100)
        numbers = [float(x) for x in re.findall(r"[-+]?\d+(?:\.\d+)?(?= ?%)", body)]
        # the first percentage is the fixed-territory effect, the second the as-reported one
        assert abs(numbers[0] - real_pct) <= max(0.051 * abs(real_pct), 0.5), (lang, numbers)
        assert abs(numbers[1] - split.total_pct) <= max(0.051 * abs(split.total_pct), 0.5)
        if 0 <= split.relabelling_share <= 1:
            assert abs(numbers[2] - 100 * split.relabelling_share) <= 0.5, (lang, numbers)
        # the as-reported criterion is not repeated as a criterion of its own
        assert plotting.metric_label(LIKE_FOR_LIKE, lang) not in body


def test_a_whatif_identical_to_the_baseline_says_so_instead_of_zero_effects(
    batch: Path, briefs: dict[str, brief.Brief], plain_brief: brief.Brief
) -> None:
    data = brief.load_batches([batch])
    # at the defaults the modes' assumed effects are equal: the all-corporate runs are the
    # baseline's, run for run (common random numbers)
    assert identical_to_baseline(data, "all_corporate")
    assert not identical_to_baseline(data, "no_reform")
    for lang, b in briefs.items():
        line = _finding(b, "all_corporate", lang)
        assert brief.text("finding_identical", lang) in line, (lang, line)
        assert brief.text("finding_identical_explored", lang) in line  # explored policy
        assert brief.text("finding_identical", lang) not in _finding(b, "no_reform", lang)
    # without an exploration there is nothing to point to
    line = _finding(plain_brief, "all_corporate", "en")
    assert brief.text("finding_identical", "en") in line
    assert brief.text("finding_identical_explored", "en") not in line


def test_one_changed_value_makes_a_whatif_differ_from_the_baseline(batch: Path) -> None:
    data = brief.load_batches([batch])
    rows = data.annual.index[data.annual["scenario"] == "all_corporate"]
    data.annual.loc[rows[-1], "firms"] += 1
    assert not identical_to_baseline(data, "all_corporate")
