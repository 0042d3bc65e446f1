"""The explorer's widgets, generated from the parameter, mode and zone registries.

Every registry parameter becomes one bounded widget (:func:`user_param`): a switch for a
``bool``, an integer slider for an ``int``, a slider in quarters for a ``year`` and a
slider with a round step for a ``real``, each from the parameter's lower to its upper
bound, so a value outside the bounds cannot be entered. The widget specification is
Mesa's user-parameter format (``{"type": "SliderFloat", "value", "min", "max", "step",
"label"}``), drawn by :func:`mesa.visualization.solara_viz.UserInputs`; the parameter's
meaning, unit and source come with it (:func:`describe`).

Mode assignments use the scenario files' selectors (:mod:`sim.core.selectors`): a field
(``all``, ``city``, ``level``, ``type``, ``mode``) and the values of the zone registry
(:func:`selector_choices`), in the explorer's language.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sim.analysis import plotting
from sim.analysis.brief.text import text as brief_text
from sim.analysis.brief.text import unit_label, vocab
from sim.app.text import TEXT, text
from sim.core import selectors, zonedata
from sim.core.cities import CITIES, city_label
from sim.core.modes import MODE_NAMES, OPERATOR_MODE
from sim.core.params import REGISTRY, Parameter
from sim.core.run import FIRST_YEAR

#: Slider step of a date parameter: one quarter (the model's step).
YEAR_STEP = 0.25
#: Slider positions aimed at between a real parameter's bounds (the step is rounded).
SLIDER_POSITIONS = 100

#: Selector fields offered for mode assignments, in display order (``all`` first).
SELECTOR_FIELDS = ("all", "city", "level", "type", "mode")


def step(p: Parameter) -> float:
    """The slider step of a parameter.

    1 for integers and switches, a quarter for dates, else the power of ten nearest
    below a hundredth of the parameter's range.
    """
    if p.kind in ("int", "bool"):
        return 1.0
    if p.kind == "year":
        return YEAR_STEP
    span = p.upper - p.lower
    if span <= 0:
        return 1.0
    return 10.0 ** math.floor(math.log10(span / SLIDER_POSITIONS))


def _decimals(s: float) -> int:
    return max(0, -math.floor(math.log10(s))) if s < 1 else 0


def snap(p: Parameter, value: Any) -> float:
    """A widget's value as the parameter takes it.

    Clipped to the bounds and rounded beyond the step's decimals (sliders add float
    noise such as ``0.35000000000000003``).

    Raises:
        sim.core.params.ParameterError: If the value is not a number (or a switch).
    """
    if p.kind == "bool":
        return p.check(bool(value))
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return p.check(value)  # raises, naming the parameter
    v = min(max(float(value), p.lower), p.upper)
    v = round(v) if p.kind == "int" else round(v, _decimals(step(p)) + 2)
    return p.check(v)


def moved(p: Parameter, old: float, new: Any) -> bool:
    """Whether a widget's new value is a move of the user's, not the slider's snapping.

    A slider puts a value that lies between its steps (a calibrated default, say) on
    the nearest step as soon as it is drawn; that shift is under half a step, a move
    of the user's at least one step.
    """
    if p.kind in ("bool", "int") or not isinstance(new, int | float):
        return bool(new != old)
    return abs(float(new) - old) >= step(p) / 2


def user_param(name: str, value: float, lang: str = "en") -> dict[str, Any]:
    """Mesa user-parameter specification of one registry parameter.

    Args:
        name: A registry parameter.
        value: The value the widget shows.
        lang: Language of the label (``"en"`` or ``"zh"``).

    Returns:
        ``{"type", "label", "value", "min", "max", "step"}`` for
        :func:`mesa.visualization.solara_viz.UserInputs` (a switch has no bounds).
    """
    p = REGISTRY[name]
    unit = unit_label(p.unit, lang)
    label = f"{name} ({unit})" if unit and p.kind != "bool" else name
    if p.kind == "bool":
        return {"type": "Checkbox", "label": label, "value": bool(value)}
    kind = "SliderInt" if p.kind == "int" else "SliderFloat"
    cast = int if p.kind == "int" else float
    return {
        "type": kind,
        "label": label,
        "value": cast(value),
        "min": cast(p.lower),
        "max": cast(p.upper),
        "step": cast(step(p)),
    }


@dataclass(frozen=True)
class Description:
    """What a widget says about its parameter.

    Attributes:
        meaning: What the parameter means.
        basis: ``assumption`` or the data or literature it rests on.
        bounds: The admissible range with its unit.
        assumption: Whether the value is an assumption.
    """

    meaning: str
    basis: str
    bounds: str
    assumption: bool


def describe(name: str, lang: str = "en") -> Description:
    """The meaning, basis and bounds of a registry parameter, in ``lang``."""
    p = REGISTRY[name]
    zh = lang == "zh"
    if p.is_assumption:
        basis = brief_text("assumed", lang)
    else:
        basis = brief_text("measured_source", lang, source=p.source_zh if zh else p.source)
    unit = unit_label(p.unit, lang)
    bounds = (
        brief_text("yes", lang) + " / " + brief_text("no", lang)
        if p.kind == "bool"
        else f"{p.lower:g} {brief_text('to', lang)} {p.upper:g} {unit}".strip()
    )
    return Description(
        meaning=p.description_zh if zh else p.description,
        basis=basis,
        bounds=bounds,
        assumption=p.is_assumption,
    )


def group_label(group: str, lang: str = "en") -> str:
    """A registry group's display name (the group itself where the page has no name)."""
    key = f"group_{group}"
    return text(key, lang) if key in TEXT else group


def groups() -> dict[str, list[str]]:
    """Registry parameters by group, in registry order (the widgets' sections)."""
    out: dict[str, list[str]] = {}
    for p in REGISTRY.values():
        out.setdefault(p.group, []).append(p.name)
    return out


# ---------------------------------------------------------------- mode assignments


@cache
def _vocabulary() -> dict[str, frozenset[str]]:
    return selectors.vocabulary(zonedata.default())


def selector_choices(field: str, lang: str = "en") -> list[tuple[str, str]]:
    """Values a selector field may take in the shipped zone registry, with display labels.

    Args:
        field: One of :data:`SELECTOR_FIELDS` other than ``all``.
        lang: Language of the labels.

    Returns:
        ``(value, label)`` pairs: cities in the city table's order, modes in the mode
        registry's order, levels and types as the brief names them.
    """
    vocab_ = _vocabulary()[field]
    if field == "city":
        return [(c, city_label(c, lang)) for c in CITIES if c in vocab_]
    if field == "mode":
        return [(m, plotting.mode_label(m, lang)) for m in MODE_NAMES if m in vocab_]
    key = {"level": "levels", "type": "types"}[field]
    return [(v, vocab(key, v, lang)) for v in sorted(vocab_)]


def selector(field: str, values: Sequence[str]) -> str | None:
    """The stored selector for a field and its chosen values (``None`` if none chosen).

    ``selector("city", ["Linfen", "Datong"])`` is ``"city:Datong,Linfen"``, the form a
    scenario file keeps (:func:`sim.core.selectors.normalise`).
    """
    if field == "all":
        return "all"
    if not values:
        return None
    return str(selectors.normalise(f"{field}:{','.join(values)}"))


def parse_selector(spec: str | Sequence[str]) -> tuple[str, list[str]]:
    """A stored selector as ``(field, values)``: ``("ids", [...])`` for a list of ids."""
    sel = selectors.parse(spec)
    return sel.field, list(sel.values)


def mode_choices(lang: str = "en") -> list[tuple[str, str]]:
    """Modes a mode assignment may give, with their labels (the mode registry's order)."""
    return [(m, plotting.mode_label(m, lang)) for m in MODE_NAMES]


#: The mode a new mode assignment starts with: the mode registry's mode in which an
#: operating company runs the zone (the what-if an analyst asks first).
NEW_RULE_MODE = OPERATOR_MODE
#: The date a new mode assignment starts with (or the run's last year, if earlier).
NEW_RULE_YEAR = 2020


def new_rule(end: int) -> dict[str, Any]:
    """A mode assignment to start editing from: every zone in :data:`NEW_RULE_MODE`."""
    return {"year": float(min(NEW_RULE_YEAR, end)), "mode": NEW_RULE_MODE, "zones": "all"}


def rule_year_bounds(end: int) -> tuple[float, float]:
    """Dates a mode assignment may take within a run that ends with ``end``."""
    return float(FIRST_YEAR), float(end) + 1 - YEAR_STEP


def values_of(params: Mapping[str, Any]) -> dict[str, float]:
    """The registry parameters of a resolved parameter mapping (no mode assignments)."""
    return {k: float(params[k]) for k in REGISTRY}
