"""Zone selectors: which zones a mode assignment applies to.

A selector is one of

- ``"all"``: every zone;
- ``"level:<level>"``, ``"type:<type>"``, ``"city:<city>"``: zones whose current level,
  type or city is the value (a city in pinyin, Chinese or an alias, in any letter case:
  ``city:大同``, ``city:datong``);
- ``"mode:<mode>"``: zones whose *registered* (2018) mode is the value;
- several values of one field, separated by commas: ``"city:Datong,Linfen"`` picks the zones
  of either city (``city:大同,临汾`` and ``city:大同，临汾`` alike). The stored form
  (:func:`normalise`) spells every value canonically, once, sorted, so one selection has
  one spelling and one run id;
- a list of ids: zones (``Z01``) or 2016 units (``U001``) of the zone registry.

:func:`parse` checks the grammar, :func:`check` that a selector names something in a
zone registry, and :func:`select` picks the matching zones. Scenario validation
(:mod:`sim.experiments.scenarios`), parameter validation (:mod:`sim.core.params`) and
the model all use these functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from sim.core.cities import canonical_city
from sim.core.suggest import did_you_mean
from sim.errors import ZonesimError

if TYPE_CHECKING:
    from sim.core.zonedata import ZoneData

#: Selector fields: name -> column of the zone registry's zone table.
FIELDS: dict[str, str] = {"level": "level", "type": "type", "city": "city", "mode": "mode"}
#: The grammar, in words (for error messages).
GRAMMAR = (
    "'all', 'level:..', 'type:..', 'city:..', 'mode:..' (several values separated by commas: "
    "'city:Datong,Linfen') or a list of zone ids"
)


class SelectorError(ZonesimError, ValueError):
    """A selector is malformed or names nothing in the zone registry.

    Attributes:
        expected: What was expected, in words.
        got: The offending value.
    """

    def __init__(self, expected: str, got: Any, hint: str = "") -> None:
        self.expected = expected
        self.got = got
        self.hint = hint
        super().__init__(f"expected {expected}, got {got!r}{hint}")


@dataclass(frozen=True)
class Selector:
    """A parsed selector.

    Attributes:
        field: ``"all"``, ``"ids"`` or one of :data:`FIELDS`.
        values: The ids (for ``"ids"``) or the values (for a field; a zone matches if
            its field equals any of them); empty for ``"all"``.
    """

    field: str
    values: tuple[str, ...] = ()


class ZoneLike(Protocol):
    """What :func:`select` reads of a zone."""

    zone_id: str
    unit: str
    level: str
    type: str
    city: str
    registered: dict[str, Any]


def parse(spec: Any) -> Selector:
    """Parse a selector string or id list.

    Raises:
        SelectorError: If ``spec`` is neither a string of the grammar nor a list of
            strings.
    """
    if isinstance(spec, str):
        if spec == "all":
            return Selector("all")
        field, sep, text = spec.partition(":")
        values = [v.strip() for v in text.replace("，", ",").split(",")]
        if sep and field in FIELDS and all(values):
            if field == "city":  # pinyin, Chinese or an alias, in any letter case
                values = [canonical_city(v) or v for v in values]
            return Selector(field, tuple(dict.fromkeys(values)))
        hint = did_you_mean(field, FIELDS) if sep and field not in FIELDS else ""
        raise SelectorError(GRAMMAR, spec, hint)
    if isinstance(spec, list | tuple) and all(isinstance(z, str) for z in spec):
        if not spec:
            raise SelectorError("'all', a selector or at least one zone id", [])
        return Selector("ids", tuple(spec))
    raise SelectorError("a selector string or a list of zone ids", spec)


def vocabulary(data: ZoneData) -> dict[str, frozenset[str]]:
    """Values each selector field may name in a zone registry, and its ids."""
    zones = data.zones
    out = {field: frozenset(zones[col].astype(str)) for field, col in FIELDS.items()}
    out["ids"] = frozenset(zones["zone_id"]) | frozenset(data.units["unit_id"])
    return out


def check(spec: Any, data: ZoneData) -> Selector:
    """Parse a selector and check that it names zones of ``data``.

    Raises:
        SelectorError: If it is malformed, or names an id, level, type, city or mode
            absent from the zone registry.
    """
    sel = parse(spec)
    if sel.field == "all":
        return sel
    vocab = vocabulary(data)
    if sel.field == "ids":
        unknown = [z for z in sel.values if z not in vocab["ids"]]
        if unknown:
            raise SelectorError("zone ids of the zone registry (e.g. Z01, U001)", unknown[0])
        return sel
    for value in sel.values:
        if value not in vocab[sel.field]:
            known = ", ".join(sorted(vocab[sel.field]))
            hint = did_you_mean(value, vocab[sel.field])
            raise SelectorError(
                f"{sel.field}:<a {sel.field} present in the zone registry: {known}>",
                f"{sel.field}:{value}",
                hint,
            )
    return sel


def matches(sel: Selector, zone: ZoneLike) -> bool:
    """Whether a zone matches a parsed selector."""
    if sel.field == "all":
        return True
    if sel.field == "ids":
        return zone.zone_id in sel.values or zone.unit in sel.values
    if sel.field == "mode":
        return zone.registered["mode"] in sel.values
    return getattr(zone, sel.field) in sel.values


def select[Z: ZoneLike](spec: Any, zones: Iterable[Z]) -> list[Z]:
    """Return the zones, in their order, that a selector (string, list or parsed) picks."""
    sel = spec if isinstance(spec, Selector) else parse(spec)
    return [z for z in zones if matches(sel, z)]


def normalise(spec: str | Sequence[str]) -> str | list[str]:
    """Return a selector in its stored form: the string, or the ids as a list."""
    sel = parse(spec)
    if sel.field in FIELDS:  # canonical spelling, once, sorted: one run id per selection
        return f"{sel.field}:{','.join(sorted(sel.values))}"
    return spec if isinstance(spec, str) else list(sel.values)
