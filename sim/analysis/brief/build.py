"""Building a brief: the batches in, the sections in order, HTML and Markdown out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.analysis.brief import method_sections, sections, whatif_sections
from sim.analysis.brief.data import headline_effects, load_batches
from sim.analysis.brief.methods import Calibration, Sensitivity, find_method_outputs
from sim.analysis.brief.overview import load_exploration
from sim.analysis.document import Document, Figure
from sim.core.lang import check_lang


@dataclass
class Brief:
    """A built brief.

    Attributes:
        lang: ``"en"`` or ``"zh"``.
        html: The self-contained HTML page.
        markdown: The Markdown version (figures referenced as files).
        figures: The figures, in order of appearance.
        headline: The headline table (:func:`headline_effects`).
        figure_dir: Folder name of the Markdown's figures, relative to it.
    """

    lang: str
    html: str
    markdown: str
    figures: list[Figure]
    headline: pd.DataFrame
    figure_dir: str


def build_brief(
    paths: Sequence[str | Path],
    *,
    baseline: str | None = None,
    lang: str = "en",
    years: Sequence[int] | None = None,
    calibration: Calibration | None = None,
    sensitivity: Sequence[Sensitivity] | None = None,
    discover: bool = False,
    figure_dir: str = "brief_files",
    robustness: str | Path | None = None,
    allow_missing: bool = False,
    progress: Callable[[str], object] | None = None,
) -> Brief:
    """Build a brief from batch folders.

    Args:
        paths: Batch folders (``zonesim run ... --out DIR``).
        baseline: Baseline scenario (default: ``"baseline"`` or the first scenario).
        lang: ``"en"`` or ``"zh"``.
        years: Years of the headline table (default:
            :func:`~sim.analysis.brief.headline_years`).
        calibration: Calibration fit to report (default: none, unless ``discover``).
        sensitivity: Sensitivity analyses to report (default: none, unless ``discover``).
        discover: Whether to look for calibration and sensitivity outputs beside the
            batches (:func:`~sim.analysis.brief.methods.find_method_outputs`); off by
            default, so a brief reads only the folders it is given.
        figure_dir: Folder name for the Markdown's figure files.
        robustness: An exploration folder (``zonesim explore --out``): its verdict and
            graded findings open the brief and its "which mode, how sure" section
            follows the key findings directly. Without one, the key findings say they
            are conditional on the default assumptions.
        allow_missing: Build from the stored runs of a batch that lists runs it does
            not store (unfinished, or their parts were corrupt); the brief warns of them.
            Without it such a batch is an error naming the runs and the command that
            recomputes them.
        progress: Called with a short phrase as each phase starts (once the batches
            are read and checked: each section), e.g. to print progress; the default
            says nothing.

    Returns:
        The brief, in memory (see :func:`~sim.analysis.brief.write_brief`).

    Raises:
        ValueError: If ``lang`` is unknown or the batches cannot be compared (see
            :func:`~sim.analysis.brief.load_batches`).
        MissingRunsError: If a batch lists runs it does not store (unless
            ``allow_missing``).
        FileNotFoundError: If a folder is not a batch folder.
    """
    check_lang(lang)
    say = progress or (lambda _: None)
    data = load_batches(paths, baseline, allow_missing=allow_missing)  # checks come first
    say(f"read {len(data.paths)} batch folder{'s' * (len(data.paths) > 1)}")
    if discover and (calibration is None or sensitivity is None):
        found_cal, found_sens = find_method_outputs(data.paths)
        calibration = found_cal if calibration is None else calibration
        sensitivity = found_sens if sensitivity is None else sensitivity
    say("headline effects")
    head = headline_effects(data, years=years)
    if robustness is not None:
        say(f"reading the exploration {robustness}")
    c = sections.Context(
        data=data,
        lang=lang,
        head=head,
        doc=Document(figure_dir),
        calibration=calibration,
        sensitivity=list(sensitivity or []),
        exploration=load_exploration(robustness),
    )
    say("key findings")
    sections.title_section(c)
    sections.findings_section(c)
    if c.exploration is not None:
        say("which mode, how sure")
        sections.robustness_section(c, c.exploration)
    say("trade-offs and the prefecture map")
    sections.tradeoff_section(c)
    sections.prefectures_section(c)
    for i, scen in enumerate(data.whatifs, 1):
        say(f"what-if {i} of {len(data.whatifs)}: {scen}")
        whatif_sections.whatif_section(c, scen)
    say("management modes, methods and provenance")
    sections.modes_section(c)
    method_sections.methods_section(c)
    sections.provenance_section(c)
    c.doc.insert_toc()
    page = c.doc.page(lang, c.t("title"))
    return Brief(lang, page, c.doc.markdown(), c.doc.figures, c.head, figure_dir)
