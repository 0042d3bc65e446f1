"""The tab "Watch one run": Mesa's controller, the prefecture map and the headline outputs.

Mesa's ``ModelController`` (Step = one year, play, reset) drives a
:class:`~sim.app.watch.WatchedRun` of one replicate; the prefecture map and Mesa's plot
components (``make_plot_component``) update as it steps, with the reform timeline's
events marked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import solara
from matplotlib.ticker import FuncFormatter
from mesa.visualization import make_plot_component
from mesa.visualization.solara_viz import ModelController
from mesa.visualization.utils import update_counter

from sim.analysis import plotting
from sim.app import watch
from sim.app.draft import Draft
from sim.app.page.parts import CAPTION, Heading, LabelledSelect, MemoFigure, t
from sim.app.page.state import current, lang, map_choice, replicate, watch_args, watched
from sim.app.text import error_line, text
from sim.core.run import FIRST_YEAR


def _watch_args(d: Draft, k: int) -> dict[str, Any] | str:
    """The arguments of the watched run of replicate ``k``, or the draft's error line."""
    try:
        spec = d.run_spec(k)
    except ValueError as exc:
        return error_line(exc)
    return {"params": dict(spec.params), "seed": int(spec.seed), "end": int(spec.end)}


def _post_process(metric: str, events: list[watch.Event], end: int) -> Callable[[Any], None]:
    """Mesa plot post-processing: the registry's label, years on the x axis, events marked."""
    family = [plotting.cjk_font(), "DejaVu Sans"] if lang.value == "zh" else ["DejaVu Sans"]

    def post(ax: Any) -> None:
        ax.figure.set_size_inches(4.4, 2.7)
        for line in ax.get_lines():
            line.set_color(plotting.PALETTE[0])
            line.set_marker("o")
            line.set_markersize(2.5)
        ax.set_title(plotting.metric_label(metric, lang.value), fontsize=10, family=family)
        ax.set_ylabel("")
        ax.xaxis.label.set_visible(False)  # Mesa labels it "Step"; the ticks are years
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{FIRST_YEAR + round(x)}"))
        ax.set_xlim(-0.5, end - FIRST_YEAR + 0.5)
        ax.grid(alpha=0.3, linewidth=0.5)
        ax.tick_params(labelsize=8)
        watch.mark_events(ax, events)

    return post


@solara.component
def WatchMap(model: watch.WatchedRun) -> None:
    """The prefecture map of the last finished year, coloured by the chosen output."""
    update_counter.get()
    lg = lang.value
    year = model.last_year
    choices = [(c, watch.choice_label(c, lg)) for c in (*watch.MAP_COLUMNS, *watch.MODE_CHOICES)]
    LabelledSelect(t("colour_by"), map_choice.value, choices, map_choice.set)
    if year is None:
        solara.Info(t("not_started"), dense=True)
        return
    choice = map_choice.value
    MemoFigure(
        lambda: watch.map_figure(model.zones_of(year), choice, year, lg),
        [id(model), year, choice, lg],
    )


@solara.component
def WatchStatus(model: watch.WatchedRun, args: dict[str, Any]) -> None:
    """Year reached, and whether the sidebar's settings differ from the run's."""
    update_counter.get()
    year = model.last_year
    if year is None:
        solara.Text(t("not_started"))
    elif not model.running:
        solara.Success(t("finished", end=model.end), dense=True)
    else:
        solara.Text(t("year_now", year=year))
    if (model.settings, model.seed, model.end) != (args["params"], args["seed"], args["end"]):
        solara.Warning(t("stale"), dense=True)


@solara.component
def WatchView() -> None:
    """Mesa's controller, the map and the headline outputs of one replicate."""
    d, lg = current.value, lang.value
    k = min(replicate.value, d.seeds - 1)
    args = _watch_args(d, k)

    def sync() -> None:
        if isinstance(args, str):
            return
        watch_args.set(args)
        if watched.value is None:
            watched.set(watch.WatchedRun(**args))

    solara.use_effect(sync, [d, k])
    # Mesa's controller reads these as reactive values; Step and each frame of play
    # advance one year (four quarters).
    play_ms = solara.use_reactive(150)
    steps_per_click = solara.use_reactive(4)
    threads = solara.use_reactive(False)
    if isinstance(args, str):
        solara.Error(text("error", lg, line=args))
        return
    model = watched.value
    if model is None:
        solara.SpinnerSolara()
        return
    events = watch.timeline(model.settings, lg, model.end)
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.SliderInt(
            f"{t('replicate')}: {k}",
            value=k,
            min=0,
            max=max(d.seeds - 1, 0),
            on_value=replicate.set,
        )
        ModelController(
            watched,
            model_parameters=watch_args,
            play_interval=play_ms,
            render_interval=steps_per_click,
            use_threads=threads,
        )
    solara.Text(t("watch_intro", k=k, seed=args["seed"]), style=CAPTION)
    WatchStatus(model, args)
    with solara.Columns([2, 3]):
        with solara.Column():
            WatchMap(model)
        with solara.Column():
            Heading(t("headline"))
            with solara.GridFixed(columns=2):
                for metric in watch.HEADLINE:
                    make, _ = make_plot_component(
                        metric, post_process=_post_process(metric, events, model.end)
                    )
                    make(model)
    Heading(t("timeline"))
    if not events:
        solara.Text(t("events_none"))
    for i, (date, group) in enumerate(watch.by_date(events), start=1):
        items = "; ".join(e.what + ("" if e.on else f" ({t('timeline_off')})") for e in group)
        solara.Text(f"{i}. {date:g}: {items}", style=CAPTION)
