"""The tab "Results folder": an existing batch's results, as the brief shows them."""

from __future__ import annotations

from typing import Any

import solara

from sim.analysis.brief.figures import fans_figure
from sim.analysis.brief.text import text as brief_text
from sim.app import results, whatif
from sim.app.page.parts import CAPTION, Heading, MemoFigure, html_table, t
from sim.app.page.state import folder, lang, open_message, opened
from sim.app.text import error_line


@solara.component
def ResultsView() -> None:
    """An existing batch's effects, fan charts and map, as the brief shows them."""
    solara.Text(t("results_intro"), style=CAPTION)

    def open_() -> None:
        try:
            data = results.open_batch(folder.value)
        except Exception as exc:  # one line; the page keeps working
            opened.set(None)
            open_message.set(t("open_failed", line=error_line(exc)))
        else:
            opened.set(data)
            open_message.set(None)

    with solara.Row(style={"align-items": "center"}):
        solara.InputText(t("folder"), value=folder, continuous_update=False)
        solara.Button(t("open"), color="primary", on_click=open_)
    if open_message.value:
        solara.Error(open_message.value)
    if opened.value is not None:
        BatchView(opened.value)


@solara.component
def BatchView(data: Any) -> None:
    """A batch's what-ifs: effects and fan charts, and the baseline's prefecture map."""
    lg = lang.value
    reps = "/".join(str(r) for r in sorted({data.replicates(s) for s in data.scenarios}))
    solara.Text(
        t(
            "opened",
            path=data.paths[0],
            n=len(data.scenarios),
            reps=reps,
            start=data.years[0],
            end=data.years[1],
            baseline=data.baseline,
        )
    )
    effects = solara.use_memo(lambda: results.effects_of(data), [id(data)])
    for scen, head in effects.items():
        title = (data.info.get(scen, {}).get("title_zh" if lg == "zh" else "title")) or scen
        Heading(f"{brief_text('whatif', lg, name=title)}")
        header, rows, colours = whatif.effects_table(head, lg)
        solara.HTML(tag="div", unsafe_innerHTML=html_table(header, rows, colours))
        MemoFigure(lambda s=scen: fans_figure(data, s, lg), [id(data), scen, lg])  # type: ignore[misc]
    MemoFigure(lambda: results.baseline_map(data, lg), [id(data), lg])
