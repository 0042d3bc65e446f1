"""The "which mode, how sure" findings of an exploration, sentence by sentence.

Each function puts one finding in words, in English or Chinese (:mod:`.text`): a
comparison of two policies (:func:`pair_sentence`) with its verdict on the stated scale
(:func:`verdict`), the conditions under which a policy wins (:func:`box_sentence`), how
wide the widest interval is (:func:`width_sentence`), how much of the variance is seed
noise (:func:`seed_noise_text`) and what would settle the choice
(:func:`voi_sentence`). The section (:mod:`.section`) and the brief's key findings
use them; policies are named by a ``title`` function the caller gives.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from sim.analysis import plotting
from sim.analysis.robustness.design import parse_outcome
from sim.analysis.robustness.measures import Comparison
from sim.analysis.robustness.report import Exploration
from sim.analysis.robustness.text import text
from sim.analysis.robustness.voi import SEP
from sim.analysis.robustness.words import (
    box_conditions,
    count,
    num,
    param_phrase,
    pct,
    sig2,
    states_for_half_width,
    words,
)

#: Half-width of the headline intervals that a clear answer needs (percentage points / 100).
TARGET_HALF_WIDTH = 0.10


def box_sentence(
    exp: Exploration,
    row: Mapping[str, Any],
    lang: str = "en",
    title: Callable[[str], str] = str,
) -> str:
    """One row of the boxes table (a winner against a loser) in words.

    ``title`` turns a policy name into the name shown (default: the name itself).
    """
    w = title(str(row["winner"]))
    status = row.get("status")
    if status == "always":
        return text("always", lang, w=w)
    if status == "never":
        return text("never", lang, w=w)
    lim = exp.discovery.limits
    lim = lim[
        (lim["outcome"] == row["outcome"])
        & (lim["winner"] == row["winner"])
        & (lim["loser"] == row["loser"])
    ] if len(lim) else lim  # fmt: skip
    if lim.empty:
        return text("box_all", lang, w=w, base=pct(row["base_rate"]))
    return text(
        "box",
        lang,
        w=w,
        density=pct(row["density"]),
        cond=box_conditions(lim.to_dict("records"), lang),
        mass=pct(row["mass"]),
        coverage=pct(row["coverage"]),
        base=pct(row["base_rate"]),
    )


def box_for(
    exp: Exploration, outcome: str, win: str, lose: str, lang: str, title: Callable[[str], str]
) -> str:
    """Where ``win`` beats ``lose`` on ``outcome`` (:func:`box_sentence`; "not analysed")."""
    b = exp.discovery.boxes
    rows = b[(b["outcome"] == outcome) & (b["winner"] == win) & (b["loser"] == lose)]
    if rows.empty:
        return text("no_box", lang)
    return box_sentence(exp, rows.iloc[0], lang, title)


def outcome_title(label: str, lang: str) -> str:
    """An outcome as a title: ``"Firms, 2035"``, ``"2035年企业数"``."""
    o = parse_outcome(label)
    return text("outcome_title", lang, metric=plotting.metric_label(o.metric, lang), year=o.year)


def verdict(cmp: Comparison, lang: str = "en") -> str:
    """The grade of a comparison in words, or "cannot tell" with the states that would."""
    if cmp.grade:
        return words(cmp.grade, lang)
    if cmp.states_needed is None or cmp.states_needed < 0:
        return text("cannot_tell_edge", lang)
    return text("cannot_tell", lang, m=count(cmp.states_needed), p=pct(cmp.p_win))


def pair_sentence(cmp: Comparison, lang: str = "en", title: Callable[[str], str] = str) -> str:
    """A comparison in one sentence: the more frequent winner first, ties, the verdict."""
    n = cmp.states
    if cmp.tied:
        ties = text("ties_part_tie", lang, t=pct(cmp.ties / n)) if cmp.ties else ""
        return text(
            "sentence_tie", lang, a=title(cmp.first), b=title(cmp.second), p=pct(cmp.p_win),
            n=n, ties=ties,
        )  # fmt: skip
    ties = text("ties_part", lang, t=pct(cmp.ties / n)) if cmp.ties else ""
    return text(
        "sentence",
        lang,
        a=title(cmp.first),
        b=title(cmp.second),
        n=n,
        p=pct(cmp.p_win),
        lo=pct(cmp.p_win_low),
        hi=pct(cmp.p_win_high),
        q=pct(cmp.losses / n),
        ties=ties,
        verdict=verdict(cmp, lang),
    )


def comparisons(exp: Exploration, label: str) -> list[Comparison]:
    """Every pair of the exploration's policies on ``label``, the more frequent winner first."""
    out = []
    for a, b in itertools.combinations(exp.policies, 2):
        try:
            out.append(exp.compare(label, a, b))
        except KeyError:
            continue
    return out


def shown_outcomes(exp: Exploration) -> list[str]:
    """The outcomes the brief reports: the exploration's discovery outcomes."""
    s = exp.settings
    return list(s.get("discover") or s["outcomes"])


def width_sentence(exp: Exploration, labels: Sequence[str], lang: str = "en") -> str:
    """The widest 95 % interval of the comparisons on ``labels``, and whether it is enough.

    A clear answer needs every interval within ±:data:`TARGET_HALF_WIDTH`; where one is
    wider, the sentence says how many states would bring the widest one there.
    """
    cmps = [c for label in labels for c in comparisons(exp, label)]
    if not cmps:
        return ""
    widest = max(cmps, key=lambda c: c.p_win_high - c.p_win_low)
    n = widest.states
    w = (widest.p_win_high - widest.p_win_low) / 2
    if w <= TARGET_HALF_WIDTH + 1e-9:
        return text("width", lang, n=n, w=f"{100 * w:.0f}")
    m = states_for_half_width(widest.p_win, TARGET_HALF_WIDTH)
    return text(
        "width_short", lang, n=n, w=f"{100 * w:.0f}", target=f"{100 * TARGET_HALF_WIDTH:.0f}",
        m=count(m),
    )  # fmt: skip


def seed_noise_range(exp: Exploration, label: str) -> tuple[float, float] | None:
    """Smallest and largest seed-noise share of the comparisons on ``label`` (None if unknown)."""
    shares = [c.seed_share for c in comparisons(exp, label) if c.seed_share == c.seed_share]
    return (min(shares), max(shares)) if shares else None


def seed_noise_text(exp: Exploration, label: str, lang: str = "en") -> str:
    """``"seed noise 7–27 % of the variance"`` for ``label``'s comparisons ("" if unknown)."""
    shares = seed_noise_range(exp, label)
    if shares is None:
        return ""
    lo, hi = (pct(v) for v in shares)
    return text("seed_noise_short", lang, share=lo if lo == hi else f"{lo}–{hi}")


def decision_voi(exp: Exploration, label: str) -> pd.DataFrame:
    """The value-of-information rows of the choice among all policies on ``label``."""
    ev = exp.evppi
    if ev is None or ev.empty:
        return pd.DataFrame()
    rows = ev[(ev["outcome"] == label) & (ev["comparison"] == SEP.join(exp.policies))]
    return rows.sort_values("rank")


def voi_sentence(
    exp: Exploration, label: str, lang: str = "en", title: Callable[[str], str] = str
) -> str:
    """What would settle the choice on ``label``: the parameter with the largest EVPPI.

    Its break-even value, and whether its EVPPI stands out from chance (is above the
    comparison's noise floor); "nothing to learn" where no parameter would change the
    choice; empty without a value-of-information table.
    """
    rows = decision_voi(exp, label)
    if rows.empty:
        return ""
    top = rows.iloc[0]
    switches = int(top["switches"])
    if switches == 0:
        return text("voi_none", lang)
    more = ""
    if switches > 1:
        k = switches - 1
        en = "once more" if k == 1 else f"{k} more times"
        more = text("voi_more", lang, k=en if lang == "en" else k)
    return text(
        "voi" if bool(top["above_floor"]) else "voi_weak",
        lang,
        param=param_phrase(str(top["parameter"]), lang),
        v=sig2(float(top["evppi"])),
        floor=sig2(float(top["floor"])),
        unit=outcome_title(label, lang),
        t=num(float(top["break_even"])),
        below=title(str(top["best_below"])),
        above=title(str(top["best_above"])),
        more=more,
    )
