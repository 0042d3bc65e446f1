"""The explorer's page: a Solara app built from Mesa's visualization components.

The sidebar edits one scenario (a :class:`~sim.app.whatif.Draft`): the shipped scenario
it starts from, its name, last year, seeds and master seed, every registry parameter
(one bounded widget each, drawn by Mesa's ``UserInputs`` from :mod:`sim.app.levers`) and
its mode assignments. Three tabs use it:

* **Watch one run**: Mesa's ``ModelController`` (Step = one year, play, reset) drives a
  :class:`~sim.app.watch.WatchedRun` of one replicate; the prefecture map and Mesa's plot
  components (``make_plot_component``) update as it steps, with the reform timeline's
  events marked.
* **What-if**: the draft against the baseline with several paired seeds, run in the
  background (a Solara task; the runs go to a process pool) with a progress bar; the
  effects in the brief's words and precision; "save as scenario".
* **Results folder**: an existing batch's results, as the brief shows them.

Mesa's ``SolaraViz`` itself is not used as the page: it fixes the page's bar, an English
sidebar and numbered tabs of draggable cards, where this page has three views and
switches language; its parts (``ModelController``, ``UserInputs``, the plot
components) are what the page uses. Their own button labels (Reset, Step) stay as Mesa
writes them.

Every state is per browser tab (Solara's reactive variables are per kernel); the
process pool of the runs is shared by the tabs and closed with the server
(:func:`close_runner`).
"""

from __future__ import annotations

import functools
import html
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import solara
import solara.lab
from matplotlib.ticker import FuncFormatter
from mesa.visualization import make_plot_component
from mesa.visualization.solara_viz import ModelController, UserInputs
from mesa.visualization.utils import update_counter

from sim.analysis import plotting
from sim.analysis.brief.figures import effects_figure, fans_figure
from sim.analysis.brief.text import text as brief_text
from sim.app import levers, results, watch, whatif
from sim.app.text import text
from sim.core.params import REGISTRY
from sim.core.run import FIRST_YEAR
from sim.experiments.scenarios import shipped_names, shipped_scenarios

# ---------------------------------------------------------------- state (per browser tab)

lang = solara.reactive("en")
current = solara.reactive(whatif.draft())
open_group = solara.reactive("")
replicate = solara.reactive(0)
watched: solara.Reactive[watch.WatchedRun | None] = solara.reactive(None)
watch_args: solara.Reactive[dict[str, Any]] = solara.reactive({})
map_choice = solara.reactive("gdp")
counts = solara.reactive((0, 0))
save_path = solara.reactive("")
overwrite = solara.reactive(False)
save_message: solara.Reactive[tuple[bool, str] | None] = solara.reactive(None)
seed_message: solara.Reactive[str | None] = solara.reactive(None)
folder = solara.reactive("")
opened: solara.Reactive[Any] = solara.reactive(None)
open_message: solara.Reactive[str | None] = solara.reactive(None)

# ---------------------------------------------------------------- the shared runner

_runner: whatif.Runner | None = None
_runner_lock = threading.Lock()
#: Local worker processes of the runs (``None``: every core), set by the server.
WORKERS: int | None = None


def runner() -> whatif.Runner:
    """The page's runner (one for every browser tab), started on first use."""
    global _runner
    with _runner_lock:
        if _runner is None:
            _runner = whatif.Runner(WORKERS)
        return _runner


def close_runner() -> None:
    """Stop the runner's worker processes (when the server stops)."""
    global _runner
    with _runner_lock:
        r, _runner = _runner, None
    if r is not None:
        r.close()


# ---------------------------------------------------------------- small pieces

CAPTION = {"font-size": "0.78em", "color": "#666", "line-height": "1.25", "margin": "0 0 8px 0"}


def _t(key: str, **fmt: Any) -> str:
    return text(key, lang.value, **fmt)


@solara.component
def LabelledSelect(
    label: str, value: Any, choices: Sequence[tuple[Any, str]], on_value: Callable[[Any], None]
) -> None:
    """A select whose options show labels (in the page's language) for values."""
    items = [{"text": lab, "value": val} for val, lab in choices]
    solara.v.Select(
        label=label,
        v_model=value,
        items=items,
        on_v_model=on_value,
        dense=True,
        hide_details=True,
    )


def _table(header: list[str], rows: list[list[str]], colours: list[str] | None = None) -> str:
    """An HTML table of text cells (escaped); the last cell of a row in its colour."""
    th = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = []
    for i, row in enumerate(rows):
        cells = [html.escape(c) for c in row]
        if colours:
            cells[-1] = f'<span style="color:{colours[i]};font-weight:600">{cells[-1]}</span>'
        tds = "".join(f"<td>{c}</td>" for c in cells)
        body.append(f"<tr>{tds}</tr>")
    return (
        '<table class="zs-table"><thead><tr>'
        + th
        + "</tr></thead><tbody>"
        + "".join(body)
        + "</tbody></table>"
    )


STYLE = """
.zs-table { border-collapse: collapse; font-size: 0.85em; margin: 6px 0 10px 0; }
.zs-table th, .zs-table td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: right; }
.zs-table th:first-child, .zs-table td:first-child { text-align: left; }
.zs-h { margin: 14px 0 4px 0; font-weight: 500; }
.zs-quote { border-left: 3px solid #ccc; padding: 2px 10px; color: #444; margin: 6px 0; }
"""


def Heading(title: str) -> None:
    """A section heading (plain HTML: the page loads no Markdown renderer)."""
    solara.HTML(tag="h4", unsafe_innerHTML=html.escape(title), classes=["zs-h"])


@solara.component
def MemoFigure(make: Callable[[], Any], dependencies: list[Any]) -> None:
    """A Matplotlib figure drawn again only when ``dependencies`` change (as PNG)."""
    fig = solara.use_memo(make, dependencies)
    if fig is not None:
        solara.FigureMatplotlib(fig, format="png", dependencies=dependencies)


# ---------------------------------------------------------------- sidebar: the scenario


def _set_draft(d: whatif.Draft) -> None:
    current.set(d)
    save_message.set(None)


@solara.component
def ScenarioEditor() -> None:
    """The scenario being edited: start, name, run settings, modes and every parameter."""
    d = current.value
    lg = lang.value
    Heading(_t("scenario"))
    LabelledSelect(
        _t("start_from"),
        d.origin.name,
        [(n, _titles()[n][lg == "zh"]) for n in shipped_names()],
        lambda name: _set_draft(whatif.draft(name, seeds=current.value.seeds)),
    )
    solara.InputText(
        _t("name"),
        value=d.name,
        continuous_update=False,
        on_value=lambda v: _set_draft(replace(current.value, name=v.strip())),
    )
    solara.SliderInt(
        f"{_t('end')}: {d.end}",
        value=d.end,
        min=whatif.MIN_END,
        max=whatif.MAX_END,
        on_value=lambda v: _set_draft(_with_end(current.value, v)),
    )
    solara.SliderInt(
        f"{_t('seeds')}: {d.seeds}",
        value=d.seeds,
        min=whatif.MIN_SEEDS,
        max=whatif.MAX_SEEDS,
        on_value=lambda v: _set_draft(replace(current.value, seeds=int(v))),
    )

    def set_seed(v: int | None) -> None:
        if v is None or not 0 <= v < 2**63:
            seed_message.set(_t("seed_bad", seed=current.value.seed))
            return
        seed_message.set(None)
        _set_draft(replace(current.value, seed=int(v)))

    solara.InputInt(_t("master_seed"), value=d.seed, on_value=set_seed)
    if seed_message.value:
        solara.Error(seed_message.value, dense=True)
    if d.posterior:
        solara.Text(_t("posterior_note"), style=CAPTION)
    solara.Button(
        _t("reset_edits"),
        text=True,
        small=True,
        on_click=lambda: _set_draft(whatif.draft(d.origin.name, seeds=d.seeds)),
    )
    ModesEditor()
    LeversEditor()


def _with_end(d: whatif.Draft, end: int) -> whatif.Draft:
    """The draft with another last year (mode dates beyond it move to its last quarter)."""
    _, latest = levers.rule_year_bounds(end)
    modes = tuple({**m, "year": min(float(m["year"]), latest)} for m in d.modes)
    return replace(d, end=int(end), modes=modes)


@functools.cache
def _titles() -> dict[str, tuple[str, str]]:
    """Shipped scenarios' titles (English, Chinese), by name."""
    return {sc.name: (sc.title or sc.name, sc.title_zh or sc.name) for sc in shipped_scenarios()}


@solara.component
def ModesEditor() -> None:
    """Mode assignments, as [[modes]] of a scenario file: date, mode, zones (a selector)."""
    d = current.value
    lg = lang.value
    Heading(_t("modes"))
    solara.Text(_t("modes_note"), style=CAPTION)
    lo, hi = levers.rule_year_bounds(d.end)

    def update(i: int, **change: Any) -> None:
        modes = list(current.value.modes)
        modes[i] = {**modes[i], **change}
        _set_draft(replace(current.value, modes=tuple(modes)))

    def remove(i: int) -> None:
        modes = list(current.value.modes)
        del modes[i]
        _set_draft(replace(current.value, modes=tuple(modes)))

    for i, rule in enumerate(d.modes):
        field, values = levers.parse_selector(rule["zones"])
        with solara.Card(style={"padding": "4px 8px", "margin": "4px 0"}):
            solara.SliderFloat(
                f"{_t('rule_year')}: {float(rule['year']):g}",
                value=float(rule["year"]),
                min=lo,
                max=hi,
                step=levers.YEAR_STEP,
                on_value=lambda v, i=i: update(i, year=float(v)),  # type: ignore[misc]
            )
            LabelledSelect(
                _t("rule_mode"),
                rule["mode"],
                levers.mode_choices(lg),
                lambda v, i=i: update(i, mode=v),  # type: ignore[misc]
            )
            fields = [(f, _t(f"field_{f}")) for f in levers.SELECTOR_FIELDS]
            if field == "ids":
                fields.append(("ids", _t("field_ids")))

            def set_field(f: str, i: int = i) -> None:
                if f == "all":
                    update(i, zones="all")
                elif f != "ids":  # a field starts with its first value, so the rule is valid
                    update(i, zones=levers.selector(f, [levers.selector_choices(f)[0][0]]))

            LabelledSelect(_t("rule_field"), field, fields, set_field)
            if field == "ids":
                solara.Text(", ".join(values), style=CAPTION)
            elif field != "all":
                choices = levers.selector_choices(field, lg)
                items = [{"text": lab, "value": val} for val, lab in choices]

                def set_values(vs: list[str], i: int = i, f: str = field) -> None:
                    if vs:
                        update(i, zones=levers.selector(f, vs))

                solara.v.Select(
                    label=_t("rule_values"),
                    v_model=values,
                    items=items,
                    multiple=True,
                    chips=True,
                    dense=True,
                    on_v_model=set_values,
                )
            solara.Button(_t("rule_remove"), text=True, small=True, on_click=lambda i=i: remove(i))

    def add() -> None:
        c = current.value
        _set_draft(replace(c, modes=(*c.modes, levers.new_rule(c.end))))

    solara.Button(_t("rule_add"), text=True, small=True, on_click=add)


@solara.component
def LeversEditor() -> None:
    """Every registry parameter, by group: one bounded widget and what it means."""
    d = current.value
    lg = lang.value
    Heading(_t("levers"))
    solara.Text(_t("levers_note"), style=CAPTION)
    changed = set(d.changes())

    def on_change(name: str, value: Any) -> None:
        now = current.value
        if levers.moved(REGISTRY[name], now.values[name], value):
            _set_draft(now.with_value(name, value))

    for group, names in levers.groups().items():
        n = len(changed & set(names))
        mark = f" · {n} {_t('changed')}" if n else ""
        is_open = open_group.value == group
        arrow = "▾" if is_open else "▸"
        solara.Button(
            f"{arrow} {levers.group_label(group, lg)} ({len(names)}){mark}",
            text=True,
            small=True,
            style={"text-transform": "none", "justify-content": "flex-start"},
            on_click=lambda g=group, o=is_open: open_group.set("" if o else g),
        )
        if not is_open:
            continue
        for name in names:
            UserInputs({name: levers.user_param(name, d.values[name], lg)}, on_change=on_change)
            desc = levers.describe(name, lg)
            value = f"= {d.values[name]:g}" + (f" ({_t('changed')})" if name in changed else "")
            solara.Text(f"{value}. {desc.meaning} [{desc.bounds}; {desc.basis}]", style=CAPTION)


# ---------------------------------------------------------------- tab: watch one run


def _watch_args(d: whatif.Draft, k: int) -> dict[str, Any] | str:
    """The arguments of the watched run of replicate ``k``, or the draft's error line."""
    try:
        spec = d.run_spec(k)
    except ValueError as exc:
        return whatif.error_line(exc)
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
    LabelledSelect(_t("colour_by"), map_choice.value, choices, map_choice.set)
    if year is None:
        solara.Info(_t("not_started"), dense=True)
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
        solara.Text(_t("not_started"))
    elif not model.running:
        solara.Success(_t("finished", end=model.end), dense=True)
    else:
        solara.Text(_t("year_now", year=year))
    if (model.settings, model.seed, model.end) != (args["params"], args["seed"], args["end"]):
        solara.Warning(_t("stale"), dense=True)


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
            f"{_t('replicate')}: {k}",
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
    solara.Text(_t("watch_intro", k=k, seed=args["seed"]), style=CAPTION)
    WatchStatus(model, args)
    with solara.Columns([2, 3]):
        with solara.Column():
            WatchMap(model)
        with solara.Column():
            Heading(_t("headline"))
            with solara.GridFixed(columns=2):
                for metric in watch.HEADLINE:
                    make, _ = make_plot_component(
                        metric, post_process=_post_process(metric, events, model.end)
                    )
                    make(model)
    Heading(_t("timeline"))
    if not events:
        solara.Text(_t("events_none"))
    for i, (date, group) in enumerate(watch.by_date(events), start=1):
        items = "; ".join(e.what + ("" if e.on else f" ({_t('timeline_off')})") for e in group)
        solara.Text(f"{i}. {date:g}: {items}", style=CAPTION)


# ---------------------------------------------------------------- tab: what-if


@solara.lab.task(prefer_threaded=True)
def run_whatif(d: whatif.Draft) -> whatif.Outcome:
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
        _t(
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
        tag="blockquote", unsafe_innerHTML=html.escape(d.description(lg)), classes=["zs-quote"]
    )
    header, rows, colours = whatif.effects_table(out.head, lg)
    solara.HTML(tag="div", unsafe_innerHTML=_table(header, rows, colours))
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
    Heading(_t("save_head"))
    path = save_path.value or f"{d.name}.toml"

    def save() -> None:
        try:
            saved = whatif.save(current.value, path, overwrite=overwrite.value)
        except FileExistsError:
            save_message.set((False, _t("exists", path=path)))
        except Exception as exc:  # any failure is one line; the page keeps working
            save_message.set((False, _t("save_failed", line=whatif.error_line(exc))))
        else:
            command = whatif.reproduce_command(current.value, saved)
            save_message.set((True, _t("saved", path=saved, command=command)))

    with solara.Row(style={"align-items": "center"}):
        solara.InputText(
            _t("save_path"), value=path, on_value=save_path.set, continuous_update=False
        )
        solara.Checkbox(label=_t("overwrite"), value=overwrite)
        solara.Button(_t("save"), color="primary", on_click=save)
    if save_message.value:
        ok, message = save_message.value
        (solara.Success if ok else solara.Error)(message)


@solara.component
def WhatIfView() -> None:
    """Run the draft against the baseline in the background; show the effects; save it."""
    d = current.value
    solara.Text(_t("whatif_intro", n=d.seeds, start=d.origin.run.start, end=d.end))
    pending = run_whatif.pending
    with solara.Row(style={"align-items": "center"}):
        solara.Button(
            _t("run"), color="primary", disabled=pending, on_click=lambda: run_whatif(current.value)
        )
        if pending:
            solara.Button(_t("cancel"), on_click=run_whatif.cancel)
    if pending:
        done, total = counts.value
        solara.ProgressLinear(run_whatif.progress or True)
        solara.Text(_t("progress", done=done, total=total))
    elif run_whatif.error:
        solara.Error(_t("error", line=whatif.error_line(run_whatif.exception or Exception())))
    elif run_whatif.cancelled:
        solara.Warning(_t("cancelled"), dense=True)
    out = run_whatif.latest  # the last result, shown while the next one runs
    if out is not None:
        if out.draft != d:
            solara.Warning(_t("stale"), dense=True)
        OutcomeView(out)
    SaveBox()


# ---------------------------------------------------------------- tab: results folder


@solara.component
def ResultsView() -> None:
    """An existing batch's effects, fan charts and map, as the brief shows them."""
    solara.Text(_t("results_intro"), style=CAPTION)

    def open_() -> None:
        try:
            data = results.open_batch(folder.value)
        except Exception as exc:  # one line; the page keeps working
            opened.set(None)
            open_message.set(_t("open_failed", line=whatif.error_line(exc)))
        else:
            opened.set(data)
            open_message.set(None)

    with solara.Row(style={"align-items": "center"}):
        solara.InputText(_t("folder"), value=folder, continuous_update=False)
        solara.Button(_t("open"), color="primary", on_click=open_)
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
        _t(
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
        solara.HTML(tag="div", unsafe_innerHTML=_table(header, rows, colours))
        MemoFigure(lambda s=scen: fans_figure(data, s, lg), [id(data), scen, lg])  # type: ignore[misc]
    MemoFigure(lambda: results.baseline_map(data, lg), [id(data), lg])


# ---------------------------------------------------------------- the page


@solara.component
def Page() -> None:
    """The explorer: language switch, the scenario in the sidebar, three tabs."""
    lg = lang.value
    solara.Style(STYLE)
    solara.Title(_t("title"))
    with solara.AppBar():
        solara.AppBarTitle(_t("title"))
        for code, name in (("en", "English"), ("zh", "中文")):
            solara.Button(
                name,
                text=code != lg,
                outlined=code == lg,
                small=True,
                on_click=lambda c=code: lang.set(c),
                classes=[f"zs-lang-{code}"],
            )
    with solara.Sidebar():
        ScenarioEditor()
    with solara.lab.Tabs(lazy=True):
        with solara.lab.Tab(_t("tab_watch")):
            WatchView()
        with solara.lab.Tab(_t("tab_whatif")):
            WhatIfView()
        with solara.lab.Tab(_t("tab_results")):
            ResultsView()
