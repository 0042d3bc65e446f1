"""An existing batch folder, shown as the brief shows it.

The folder is read by :func:`sim.analysis.brief.load_batches` (through
:func:`sim.experiments.store.load_results`), so the page accepts exactly the folders
``zonesim brief`` accepts and gives the same numbers: the headline table
(:func:`sim.analysis.brief.headline_effects`), the fan charts and the baseline's zone
output on the prefecture map.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from sim.analysis.brief import BriefData, headline_effects, load_batches
from sim.analysis.brief.figures import prefecture_map
from sim.analysis.brief.places import prefecture_table
from sim.analysis.brief.text import text as brief_text
from sim.app.text import text


def open_batch(path: str | Path) -> BriefData:
    """Read a batch folder (a baseline and at least one what-if).

    Raises:
        FileNotFoundError: If the folder is not a batch folder.
        ValueError: If it cannot be compared (see :func:`~sim.analysis.brief.load_batches`).
    """
    text_path = str(path).strip()
    if not text_path:
        raise FileNotFoundError("expected the path of a batch folder, got nothing")
    return load_batches([Path(text_path).expanduser()])


def effects_of(data: BriefData) -> dict[str, pd.DataFrame]:
    """The headline table's rows of each what-if, in batch order."""
    head = headline_effects(data)
    return {s: head[head["scenario"] == s] for s in data.whatifs}


def baseline_map(data: BriefData, lang: str) -> Figure | None:
    """The baseline's zone output by prefecture in the last year (``None`` without zones)."""
    if data.zones is None:
        return None
    last = data.years[1]
    return prefecture_map(
        prefecture_table(data)["baseline"],
        text("map_results", lang, year=last),
        lang,
        note=brief_text("map_note", lang),
    )
