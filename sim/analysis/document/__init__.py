"""Documents in HTML and Markdown, built side by side from the same calls.

:class:`Document` is the one document builder of the project: the brief
(:mod:`sim.analysis.brief`) and its "which mode, how sure" section
(:mod:`sim.analysis.robustness.section`) write through it. Every text it is given is
escaped for each output by :mod:`sim.analysis.safetext` (:mod:`.builder`); the HTML
page around a document is built from package files, a skeleton and a style sheet
(:mod:`.page`); the marks that join the parts of a text, by language, are in
:mod:`.punctuation`.
"""

from __future__ import annotations

from sim.analysis.document.builder import SHORT_CELL, Document, Figure
from sim.analysis.document.page import render_page
from sim.analysis.document.punctuation import SEPARATORS, bracket, separator

__all__ = [
    "SEPARATORS",
    "SHORT_CELL",
    "Document",
    "Figure",
    "bracket",
    "render_page",
    "separator",
]
