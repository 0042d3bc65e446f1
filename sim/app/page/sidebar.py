"""The sidebar: the scenario being edited (start, name, run settings, modes, levers).

It edits one :class:`~sim.app.draft.Draft`: the shipped scenario it starts from, its
name, last year, seeds and master seed, every registry parameter (one bounded widget
each, drawn by Mesa's ``UserInputs`` from :mod:`sim.app.levers`) and its mode
assignments.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import Any

import solara
from mesa.visualization.solara_viz import UserInputs

from sim.app import levers
from sim.app.draft import MAX_END, MAX_SEEDS, MIN_END, MIN_SEEDS, Draft, draft
from sim.app.page.parts import CAPTION, Heading, LabelledSelect, t
from sim.app.page.state import current, lang, open_group, save_message, seed_message
from sim.core.params import REGISTRY
from sim.experiments.scenarios import shipped_names, shipped_scenarios


def _set_draft(d: Draft) -> None:
    current.set(d)
    save_message.set(None)


@solara.component
def ScenarioEditor() -> None:
    """The scenario being edited: start, name, run settings, modes and every parameter."""
    d = current.value
    lg = lang.value
    Heading(t("scenario"))
    LabelledSelect(
        t("start_from"),
        d.origin.name,
        [(n, _titles()[n][lg == "zh"]) for n in shipped_names()],
        lambda name: _set_draft(draft(name, seeds=current.value.seeds)),
    )
    solara.InputText(
        t("name"),
        value=d.name,
        continuous_update=False,
        on_value=lambda v: _set_draft(replace(current.value, name=v.strip())),
    )
    solara.SliderInt(
        f"{t('end')}: {d.end}",
        value=d.end,
        min=MIN_END,
        max=MAX_END,
        on_value=lambda v: _set_draft(_with_end(current.value, v)),
    )
    solara.SliderInt(
        f"{t('seeds')}: {d.seeds}",
        value=d.seeds,
        min=MIN_SEEDS,
        max=MAX_SEEDS,
        on_value=lambda v: _set_draft(replace(current.value, seeds=int(v))),
    )

    def set_seed(v: int | None) -> None:
        if v is None or not 0 <= v < 2**63:
            seed_message.set(t("seed_bad", seed=current.value.seed))
            return
        seed_message.set(None)
        _set_draft(replace(current.value, seed=int(v)))

    solara.InputInt(t("master_seed"), value=d.seed, on_value=set_seed)
    if seed_message.value:
        solara.Error(seed_message.value, dense=True)
    if d.posterior:
        solara.Text(t("posterior_note"), style=CAPTION)
    solara.Button(
        t("reset_edits"),
        text=True,
        small=True,
        on_click=lambda: _set_draft(draft(d.origin.name, seeds=d.seeds)),
    )
    ModesEditor()
    LeversEditor()


def _with_end(d: Draft, end: int) -> Draft:
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
    Heading(t("modes"))
    solara.Text(t("modes_note"), style=CAPTION)
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
                f"{t('rule_year')}: {float(rule['year']):g}",
                value=float(rule["year"]),
                min=lo,
                max=hi,
                step=levers.YEAR_STEP,
                on_value=lambda v, i=i: update(i, year=float(v)),  # type: ignore[misc]
            )
            LabelledSelect(
                t("rule_mode"),
                rule["mode"],
                levers.mode_choices(lg),
                lambda v, i=i: update(i, mode=v),  # type: ignore[misc]
            )
            fields = [(f, t(f"field_{f}")) for f in levers.SELECTOR_FIELDS]
            if field == "ids":
                fields.append(("ids", t("field_ids")))

            def set_field(f: str, i: int = i) -> None:
                if f == "all":
                    update(i, zones="all")
                elif f != "ids":  # a field starts with its first value, so the rule is valid
                    update(i, zones=levers.selector(f, [levers.selector_choices(f)[0][0]]))

            LabelledSelect(t("rule_field"), field, fields, set_field)
            if field == "ids":
                solara.Text(", ".join(values), style=CAPTION)
            elif field != "all":
                choices = levers.selector_choices(field, lg)
                items = [{"text": lab, "value": val} for val, lab in choices]

                def set_values(vs: list[str], i: int = i, f: str = field) -> None:
                    if vs:
                        update(i, zones=levers.selector(f, vs))

                solara.v.Select(
                    label=t("rule_values"),
                    v_model=values,
                    items=items,
                    multiple=True,
                    chips=True,
                    dense=True,
                    on_v_model=set_values,
                )
            solara.Button(t("rule_remove"), text=True, small=True, on_click=lambda i=i: remove(i))

    def add() -> None:
        c = current.value
        _set_draft(replace(c, modes=(*c.modes, levers.new_rule(c.end))))

    solara.Button(t("rule_add"), text=True, small=True, on_click=add)


@solara.component
def LeversEditor() -> None:
    """Every registry parameter, by group: one bounded widget and what it means."""
    d = current.value
    lg = lang.value
    Heading(t("levers"))
    solara.Text(t("levers_note"), style=CAPTION)
    changed = set(d.changes())

    def on_change(name: str, value: Any) -> None:
        now = current.value
        if levers.moved(REGISTRY[name], now.values[name], value):
            _set_draft(now.with_value(name, value))

    for group, names in levers.groups().items():
        n = len(changed & set(names))
        mark = f" · {n} {t('changed')}" if n else ""
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
            value = f"= {d.values[name]:g}" + (f" ({t('changed')})" if name in changed else "")
            solara.Text(f"{value}. {desc.meaning} [{desc.bounds}; {desc.basis}]", style=CAPTION)
