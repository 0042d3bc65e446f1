"""The tab "What-if": the draft against the baseline, its effects, "save as scenario".

The runs go in the background (a Solara task; the runs to the shared process pool) with
a progress bar; the effects are shown in the brief's words and precision.
"""

from __future__ import annotations

import solara
import solara.lab

from sim.analysis import safetext
from sim.analysis.brief.figures import effects_figure, fans_figure
from sim.analysis.brief.text import text as brief_text
from sim.app import scenario_file, whatif
from sim.app.draft import Draft
from sim.app.page.parts import CAPTION, Heading, MemoFigure, html_table, t
from sim.app.page.state import counts, current, lang, overwrite, runner, save_message, save_path
from sim.app.text import error_line


@solara.lab.task(prefer_threaded=True)
def run_whatif(d: Draft) -> whatif.Outcome:
    """Run a draft against the baseline (in a thread; the runs in the runner's pool)."""

    def progress(done: int, total: int) -> None:
        counts.set((done, total))
        run_whatif.progress = 100.0 * done / max(total, 1)

    out = whatif.outcome(d, runner(), progress=progress, stop=lambda: not run_whatif.is_current())
    return out


@solara.component
def OutcomeView(out: whatif.Outcome) -> None:
    """A what-if's effects, as the brief writes them, and its charts."""
    lg = lang.value
    d = out.draft
    solara.Text(
        t(
            "ran",
            name=d.name,
            n=d.seeds,
            seed=d.seed,
            ran=out.ran,
            reused=out.reused,
            seconds=out.seconds,
        ),
        style=CAPTION,
    )
    solara.HTML(
        tag="blockquote",
        unsafe_innerHTML=safetext.html_text(d.description(lg)),
        classes=["zs-quote"],
    )
    header, rows, colours = whatif.effects_table(out.head, lg)
    solara.HTML(tag="div", unsafe_innerHTML=html_table(header, rows, colours))
    post = brief_text("posterior_note", lg) if d.posterior else ""
    solara.Text(brief_text("effects_note", lg, posterior=post), style=CAPTION)
    last = out.data.years[1]
    at_end = out.head[out.head["year"] == last].copy()
    at_end["colour"] = [c for c, y in zip(colours, out.head["year"], strict=True) if y == last]
    with solara.Columns([2, 3]):
        if len(at_end):
            MemoFigure(lambda: effects_figure(at_end, lg), [id(out), lg])
        MemoFigure(lambda: fans_figure(out.data, out.scenario, lg), [id(out), lg])


@solara.component
def SaveBox() -> None:
    """Save the draft as a scenario file that ``zonesim validate`` and ``zonesim run`` accept."""
    d = current.value
    Heading(t("save_head"))
    path = save_path.value or f"{d.name}.toml"

    def save() -> None:
        try:
            saved = scenario_file.save(current.value, path, overwrite=overwrite.value)
        except FileExistsError:
            save_message.set((False, t("exists", path=path)))
        except Exception as exc:  # any failure is one line; the page keeps working
            save_message.set((False, t("save_failed", line=error_line(exc))))
        else:
            command = scenario_file.reproduce_command(current.value, saved)
            save_message.set((True, t("saved", path=saved, command=command)))

    with solara.Row(style={"align-items": "center"}):
        solara.InputText(
            t("save_path"), value=path, on_value=save_path.set, continuous_update=False
        )
        solara.Checkbox(label=t("overwrite"), value=overwrite)
        solara.Button(t("save"), color="primary", on_click=save)
    if save_message.value:
        ok, message = save_message.value
        (solara.Success if ok else solara.Error)(message)


@solara.component
def WhatIfView() -> None:
    """Run the draft against the baseline in the background; show the effects; save it."""
    d = current.value
    solara.Text(t("whatif_intro", n=d.seeds, start=d.origin.run.start, end=d.end))
    pending = run_whatif.pending
    with solara.Row(style={"align-items": "center"}):
        solara.Button(
            t("run"), color="primary", disabled=pending, on_click=lambda: run_whatif(current.value)
        )
        if pending:
            solara.Button(t("cancel"), on_click=run_whatif.cancel)
    if pending:
        done, total = counts.value
        solara.ProgressLinear(run_whatif.progress or True)
        solara.Text(t("progress", done=done, total=total))
    elif run_whatif.error:
        solara.Error(t("error", line=error_line(run_whatif.exception or Exception())))
    elif run_whatif.cancelled:
        solara.Warning(t("cancelled"), dense=True)
    out = run_whatif.latest  # the last result, shown while the next one runs
    if out is not None:
        if out.draft != d:
            solara.Warning(t("stale"), dense=True)
        OutcomeView(out)
    SaveBox()
