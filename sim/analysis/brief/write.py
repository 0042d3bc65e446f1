"""Writing a brief: the HTML page, its Markdown twin and the Markdown's figure files."""

from __future__ import annotations

from pathlib import Path

from sim.analysis.brief.document import Brief
from sim.experiments.fileio import atomic_write_bytes, atomic_write_text


def output_paths(out: str | Path) -> tuple[Path, Path, Path]:
    """HTML, Markdown and figure-folder paths for ``--out`` (an ``.html`` or ``.md`` file)."""
    out = Path(out)
    if out.suffix.lower() in (".md", ".markdown"):
        md, page = out, out.with_suffix(".html")
    else:
        page, md = out, out.with_suffix(".md")
    return page, md, md.with_name(md.stem + "_files")


def write_brief(brief: Brief, out: str | Path) -> list[Path]:
    """Write a brief's HTML, Markdown and the Markdown's figure files.

    Every file is written through :mod:`sim.experiments.fileio` (a temporary name,
    fsync, rename), so an interrupted write leaves no half-written file.

    Args:
        brief: The brief (:func:`build_brief`).
        out: The HTML path (``.md`` for the Markdown path; the other gets the other
            suffix). Figures go to ``<stem>_files/`` beside the Markdown.

    Returns:
        The paths written.
    """
    page, md, fig_dir = output_paths(out)
    markdown = brief.markdown.replace(f"]({brief.figure_dir}/", f"]({fig_dir.name}/")
    page.parent.mkdir(parents=True, exist_ok=True)
    fig_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fig in brief.figures:
        written.append(atomic_write_bytes(fig_dir / fig.name, fig.png))
    written.append(atomic_write_text(md, markdown))
    written.append(atomic_write_text(page, brief.html))
    return written
