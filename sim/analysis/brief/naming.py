"""How the brief names scenarios: titles, questions, and the values set over their files.

A scenario is named by its title in the brief's language (a sweep's variant with its
swept values); the parameters a batch set over the scenario files (``zonesim run
--set``) are named wherever they change what a title or a finding means.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sim.analysis.brief.data import BriefData
from sim.analysis.brief.formatting import fmt_param
from sim.analysis.brief.text import text
from sim.analysis.document import bracket, separator
from sim.analysis.robustness.words import param_meaning
from sim.core.params import REGISTRY
from sim.experiments.scenarios import shipped_scenarios


def scenario_title(data: BriefData, name: str, lang: str, *, sets: bool = True) -> str:
    """A scenario's display title: its ``title``/``title_zh`` where given, else its name.

    A sweep's variant adds its swept values (:func:`design_label`), so the variants of
    one file are told apart wherever the brief names them. Parameters set over the file
    (``--set``, :func:`overrides`) are named in the baseline's title (then "Baseline",
    not the file's title) and in a what-if's where they differ from the baseline's
    (``sets=False`` leaves the values out, for figures: the brief's note lists them). A
    scenario outside the batches (a policy of an exploration) takes the title of the
    shipped scenario of that name, if there is one.
    """
    key = "title_zh" if lang == "zh" else "title"
    info = data.info.get(name)
    if info is None:
        return _shipped_titles().get(name, {}).get(key) or name
    design = info.get("design") or {}
    base = info.get(key) or (info.get("base") if design else None) or name
    labels = [design_label(design, lang)] if design else []
    fixed = overrides(data, name)
    # The baseline file's title describes the file's values, not the values set over them;
    # a what-if's title names what it changes, and values set unlike the baseline's.
    if fixed and name == data.baseline:
        base = text("baseline_set_title", lang)
    if sets and fixed and (name == data.baseline or fixed != overrides(data, data.baseline)):
        labels.append(text("set_label", lang, params=design_label(fixed, lang)))
    return base + (bracket(("，" if lang == "zh" else "; ").join(labels), lang) if labels else "")


def overrides(data: BriefData, name: str) -> dict[str, Any]:
    """Parameters the batch set over the scenario's file (``zonesim run --set``), if any."""
    versions = (data.info.get(name) or {}).get("versions") or {}
    sets = [v.get("set") or {} for v in versions.values() if isinstance(v, dict)]
    return dict(sets[-1]) if sets else {}


def assumptions(data: BriefData, lang: str) -> str:
    """What the findings are conditional on: the default assumptions, and any values set.

    ``"the default assumptions"``, or with ``--set``: ``"the default assumptions except
    exit_rule_on = 0 (set for this batch)"``, so no text calls overridden values defaults.
    """
    fixed: dict[str, Any] = {}
    for name in data.scenarios:
        fixed.update(overrides(data, name))
    if not fixed:
        return text("assumptions_default", lang)
    return text("assumptions_set", lang, params=design_label(fixed, lang))


def overrides_note(data: BriefData, lang: str) -> str | None:
    """The title's note on parameters set over the scenario files, with registry defaults.

    ``None`` when the batch set none. Scenarios that share the same values are named together.
    """
    groups: dict[str, list[str]] = {}
    for name in data.scenarios:
        fixed = overrides(data, name)
        if fixed:
            items = separator("list", lang).join(
                text(
                    "set_item",
                    lang,
                    param=param_name(k, lang),
                    value=fmt_param(v, lang),
                    default=fmt_param(REGISTRY[k].default, lang) if k in REGISTRY else "–",
                )
                for k, v in fixed.items()
            )
            groups.setdefault(items, []).append(name)
    if not groups:
        return None
    sep = separator("clause", lang)
    every = len(groups) == 1 and len(next(iter(groups.values()))) == len(data.scenarios)
    parts = [
        items if every else text("set_in", lang, items=items, names=", ".join(names))
        for items, names in groups.items()
    ]
    return text("set_note", lang, items=sep.join(parts))


def design_label(design: dict[str, Any], lang: str) -> str:
    """A variant's swept values: ``delegation_years = 1`` (its meaning in Chinese)."""
    sep = separator("list", lang)
    return sep.join(f"{param_name(k, lang)} = {fmt_param(v, lang)}" for k, v in design.items())


def param_name(name: str, lang: str) -> str:
    """A parameter as a reader sees it: its name, or in Chinese its meaning (``meaning_zh``)."""
    return (param_meaning(name, lang) if lang == "zh" else None) or name


@cache
def _shipped_titles() -> dict[str, dict[str, str]]:
    return {sc.name: {"title": sc.title, "title_zh": sc.title_zh} for sc in shipped_scenarios()}


def scenario_question(data: BriefData, name: str, lang: str) -> str:
    """A scenario's question in ``lang`` (the English one where no Chinese is given)."""
    info = data.info.get(name, {})
    if lang == "zh" and info.get("description_zh"):
        return str(info["description_zh"])
    return str(info.get("description") or "")
