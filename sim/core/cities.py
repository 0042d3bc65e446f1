"""Shanxi's prefecture cities: names in pinyin, Chinese and English, and their aliases.

The table is ``data/cities.csv``: ``city`` is the identifier the zone registry uses
(pinyin without tone marks, e.g. ``Lvliang``), ``name_zh`` and ``name_en`` are the
display names (``吕梁``, ``Lüliang``), ``counties`` the number of county-level
divisions (2018) and ``aliases`` other spellings a user may type, separated by ``|``
(``吕梁市``, ``Luliang``, ...). :func:`canonical_city` maps any of them, in any letter
case, to the identifier; :func:`city_label` gives the display name in a language.
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path
from types import MappingProxyType

from sim.core.lang import check_lang

CITIES_CSV = Path(__file__).parent / "data" / "cities.csv"


def _key(name: str) -> str:
    """Normalise a name for matching: Unicode NFKC, case-folded, outer spaces removed."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


def _read() -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    with CITIES_CSV.open(encoding="utf-8", newline="") as f:
        rows = {r["city"]: r for r in csv.DictReader(f)}
    lookup: dict[str, str] = {}
    for city, r in rows.items():
        for name in (city, r["name_zh"], r["name_en"], *r["aliases"].split("|")):
            if name:
                lookup.setdefault(_key(name), city)
    return rows, lookup


_ROWS, _LOOKUP = _read()
#: City identifiers, in the table's order.
CITIES: tuple[str, ...] = tuple(_ROWS)
#: County-level divisions per city (public administrative divisions, 2018).
COUNTIES = MappingProxyType({c: int(r["counties"]) for c, r in _ROWS.items()})


def canonical_city(name: str) -> str | None:
    """Return the city identifier a name refers to, or ``None`` if it names no city.

    Accepts the identifier, the Chinese or English name or any alias of
    ``data/cities.csv``, ignoring letter case and surrounding spaces:
    ``canonical_city("吕梁")``, ``canonical_city("lüliang")`` and
    ``canonical_city("LVLIANG")`` all return ``"Lvliang"``.

    Args:
        name: A city name.

    Returns:
        The identifier used in the zone registry's ``city`` column, or ``None``.
    """
    if not isinstance(name, str):
        return None
    return _LOOKUP.get(_key(name))


def city_label(city: str, lang: str = "en") -> str:
    """Return a city's display name in ``lang`` (``"en"`` or ``"zh"``).

    Args:
        city: Any name :func:`canonical_city` accepts.
        lang: ``"en"`` (e.g. ``Lüliang``) or ``"zh"`` (``吕梁``).

    Returns:
        The display name, or ``city`` itself if it names no known city.

    Raises:
        ValueError: If ``lang`` is neither ``"en"`` nor ``"zh"``.
    """
    check_lang(lang)
    canon = canonical_city(city)
    if canon is None:
        return city
    return _ROWS[canon]["name_zh" if lang == "zh" else "name_en"]
