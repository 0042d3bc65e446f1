"""Writing a brief: the HTML page, its Markdown twin and the Markdown's figure files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sim.analysis import safetext
from sim.analysis.brief.build import Brief
from sim.experiments.fileio import atomic_write_bytes, atomic_write_text
from sim.experiments.outfolder import (
    OutputFolderError,
    check_brief_targets,
    record_brief,
    remove_stale,
)

#: File suffixes ``out`` may have (HTML or Markdown).
SUFFIXES = (".html", ".htm", ".md", ".markdown")


def output_paths(out: str | Path) -> tuple[Path, Path, Path]:
    """HTML, Markdown and figure-folder paths for ``out`` (an ``.html`` or ``.md`` file).

    Raises:
        OutputFolderError: If ``out`` names neither.
    """
    out = Path(out)
    if out.suffix.lower() not in SUFFIXES:
        raise OutputFolderError(
            f"expected a file name ending {', '.join(SUFFIXES)} for the brief", file=out
        )
    if out.suffix.lower() in (".md", ".markdown"):
        md, page = out, out.with_suffix(".html")
    else:
        page, md = out, out.with_suffix(".md")
    return page, md, md.with_name(md.stem + "_files")


def write_brief(
    brief: Brief, out: str | Path, *, overwrite: bool = False, also: Sequence[Path] = ()
) -> list[Path]:
    """Write a brief's HTML, Markdown and the Markdown's figure files.

    Every file is written through :mod:`sim.experiments.fileio` (a temporary name,
    fsync, rename), so an interrupted write leaves no half-written file. The files are
    recorded in the figure folder: a later brief replaces them and removes its earlier
    figures it does not draw again, but replaces no other file
    (:func:`sim.experiments.outfolder.check_brief_targets`).

    Args:
        brief: The brief (:func:`build_brief`).
        out: The HTML path (``.md`` for the Markdown path; the other gets the other
            suffix). Figures go to ``<stem>_files/`` beside the Markdown.
        overwrite: Replace files of these names that a brief did not write (never a
            batch's entry or another command's file).
        also: Files the caller writes beside the page afterwards (a PDF), checked and
            recorded with the brief's.

    Returns:
        The paths written.

    Raises:
        OutputFolderError: If a target may not be written (see above).
    """
    page, md, fig_dir = output_paths(out)
    stale = check_brief_targets(page, md, fig_dir, also=also, overwrite=overwrite)
    markdown = brief.markdown.replace(
        f"]({safetext.md_url(brief.figure_dir)}/", f"]({safetext.md_url(fig_dir.name)}/"
    )
    page.parent.mkdir(parents=True, exist_ok=True)
    fig_dir.mkdir(parents=True, exist_ok=True)
    names = [fig.name for fig in brief.figures]
    record_brief([page, md, *also], fig_dir, [*stale, *names])  # a crash leaves them ours
    written = []
    for fig in brief.figures:
        written.append(atomic_write_bytes(fig_dir / fig.name, fig.png))
    written.append(atomic_write_text(md, markdown))
    written.append(atomic_write_text(page, brief.html))
    remove_stale(fig_dir, set(stale) - set(names))
    record_brief([page, md, *also], fig_dir, names)
    return written
