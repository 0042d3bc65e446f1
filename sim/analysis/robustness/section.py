"""The brief's "which mode, how sure" section, in English and Chinese.

:func:`robustness_section` turns an exploration folder into an HTML fragment and a
Markdown fragment: for each outcome and pair of policies, the one that wins in more
states first, how often it wins, loses and ties, with the Wilson interval over the
states, in words only where the whole interval lies in one band of the stated scale
(otherwise "cannot tell at this budget" and the states that would tell); how much of
each comparison's variance is seed noise; the conditions under which each
alternative wins (PRIM boxes in words); each policy's regret; and what would settle
the choice (the parameter with the largest value of information and its break-even
value). The section also says how wide the widest interval is against the ±10 points
a clear answer needs. Intervals that hold only seed noise never appear here: every
interval covers the sampling of parameter values and seeds.
Policies are named by a title the caller gives (the brief passes the scenario titles
in its language). The sentences are those of :mod:`.sentences`; the section is written
through :class:`~sim.analysis.document.Document`, which escapes every piece of text
that comes from files (titles, policy and parameter names).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sim.analysis.document import Document, separator
from sim.analysis.robustness.report import Exploration, read_exploration, seeds_text
from sim.analysis.robustness.sentences import (
    box_for,
    comparisons,
    decision_voi,
    outcome_title,
    pair_sentence,
    seed_noise_text,
    shown_outcomes,
    verdict,
    voi_sentence,
    width_sentence,
)
from sim.analysis.robustness.text import text
from sim.analysis.robustness.words import num, pct, scale_note, sig2
from sim.core.lang import check_lang

#: The section's anchor (and its entry in the brief's contents).
ANCHOR = "robustness"


@dataclass(frozen=True)
class Section:
    """A fragment of the brief in both formats.

    Attributes:
        html: HTML fragment (headings, paragraphs, tables).
        markdown: Markdown fragment.
    """

    html: str
    markdown: str


def robustness_section(
    source: str | Path | Exploration,
    lang: str = "en",
    *,
    outcomes: Sequence[str] | None = None,
    level: int = 2,
    title: Callable[[str], str] | None = None,
) -> Section:
    """Build the "which mode, how sure" section from an exploration, on its own.

    Args:
        source: An exploration folder (``zonesim explore --out``) or a loaded
            :class:`~sim.analysis.robustness.report.Exploration`.
        lang: ``"en"`` or ``"zh"``.
        outcomes: Outcome labels to show (default: the exploration's discovery outcomes).
        level: Heading level of the section's title.
        title: Turns a policy (scenario) name into the name the section shows, e.g.
            the scenario's title in ``lang`` (default: the name itself).

    Returns:
        The HTML and Markdown fragments.

    Raises:
        ValueError: If ``lang`` is unknown.
        FileNotFoundError: If the folder holds no exploration.
    """
    doc = Document()
    write_section(doc, source, lang, outcomes=outcomes, level=level, title=title)
    return Section(doc.fragment(), doc.markdown())


def write_section(
    doc: Document,
    source: str | Path | Exploration,
    lang: str = "en",
    *,
    outcomes: Sequence[str] | None = None,
    level: int = 2,
    title: Callable[[str], str] | None = None,
) -> None:
    """Write the "which mode, how sure" section into ``doc`` (a brief's, say).

    The arguments are those of :func:`robustness_section`; a second-level title is
    listed in the document's contents.

    Raises:
        ValueError: If ``lang`` is unknown.
        FileNotFoundError: If the folder holds no exploration.
    """
    check_lang(lang)
    exp = source if isinstance(source, Exploration) else read_exploration(source)
    name = title or str
    s = exp.settings
    shown = list(outcomes) if outcomes is not None else shown_outcomes(exp)
    doc.heading(level, text("title", lang), ANCHOR)
    n_post = len(s.get("posterior_parameters") or [])
    post = text("post", lang, m=n_post) if s.get("posterior") and n_post else ""
    doc.para(
        text(
            "intro",
            lang,
            n=s["states"],
            k=len(s.get("lhs_parameters") or []),
            post=post,
            seeds=seeds_text(s),
            k_seeds=int(s.get("seeds_per_state") or 1),
        )
    )
    doc.para(width_sentence(exp, shown, lang))
    doc.para(scale_note(lang), cls="note")
    for policy, names in (s.get("policy_overrides") or {}).items():
        if names:
            doc.para(text("overrides", lang, p=name(policy), names=", ".join(names)), cls="note")
    for label in shown:
        doc.heading(level + 1, outcome_title(label, lang))
        noise = seed_noise_text(exp, label, lang)
        if noise:
            doc.para(noise[:1].upper() + noise[1:] + separator("stop", lang), cls="note")
        cmps = comparisons(exp, label)
        doc.items([pair_sentence(c, lang, name) for c in cmps])
        doc.table(
            [
                text("pair", lang),
                text("p_win", lang),
                text("interval", lang),
                text("words", lang),
                text("ties", lang),
                text("seed_col", lang),
                text("when_first", lang),
                text("when_second", lang),
            ],
            [
                [
                    f"{name(c.first)} / {name(c.second)}",
                    pct(c.p_win),
                    f"{pct(c.p_win_low)}–{pct(c.p_win_high)}",
                    verdict(c, lang),
                    pct(c.ties / c.states),
                    pct(c.seed_share),
                    box_for(exp, label, c.first, c.second, lang, name),
                    box_for(exp, label, c.second, c.first, lang, name),
                ]
                for c in cmps
            ],
        )
        reg = exp.regret[exp.regret["outcome"] == label]
        if len(reg):
            doc.para(
                text("regret_head", lang)
                + separator("label", lang)
                + text("regret_intro", lang, unit=outcome_title(label, lang))
            )
            doc.table(
                [text(k, lang) for k in ("policy", "mean", "p90", "max", "best_in")],
                [
                    [name(str(r.policy)), sig2(r.mean), sig2(r.p90), sig2(r.max),
                     pct(r.best_share)]
                    for r in reg.itertuples()
                ],
                numeric=1,
            )  # fmt: skip
        voi_section(doc, exp, label, lang, name, level + 1)
    doc.para(text("assumptions", lang), cls="note")


#: Parameters in the section's value-of-information table.
VOI_ROWS = 3


def voi_section(
    doc: Document, exp: Exploration, label: str, lang: str, name: Callable[[str], str], level: int
) -> None:
    """The value of information of the choice on ``label``: a sentence and the top rows."""
    rows = decision_voi(exp, label)
    if rows.empty:
        return
    doc.para(
        text("voi_head", lang) + separator("label", lang) + voi_sentence(exp, label, lang, name)
    )
    doc.para(text("voi_intro", lang, floor=sig2(float(rows.iloc[0]["floor"]))), cls="note")
    doc.table(
        [text(k, lang) for k in ("param", "evppi", "break_even", "better_below", "better_above")],
        [
            [
                str(r.parameter),
                sig2(r.evppi),
                num(r.break_even),
                name(r.best_below) if isinstance(r.best_below, str) and r.best_below else "–",
                name(r.best_above) if isinstance(r.best_above, str) and r.best_above else "–",
            ]
            for r in rows.head(VOI_ROWS).itertuples()
        ],
    )
