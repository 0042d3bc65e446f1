"""The map's outline and the prefectures' nearest-seat cells."""

from __future__ import annotations

import json
import math

from shapely.geometry import Point

from sim.analysis.brief.geography import OUTLINE_JSON, SEATS, outline, prefecture_cells
from sim.core.cities import CITIES


def test_outline_file_states_its_source_and_licence() -> None:
    record = json.loads(OUTLINE_JSON.read_text(encoding="utf-8"))
    assert "Natural Earth" in record["source"]
    assert "public domain" in record["licence"]
    assert 100 <= len(record["coordinates"]) <= 300


def test_outline_is_shanxi() -> None:
    shape = outline()
    assert shape.is_valid
    west, south, east, north = shape.bounds
    assert 110.0 < west < 110.5 and 114.3 < east < 114.8  # Yellow River to Taihang
    assert 34.4 < south < 34.8 and 40.5 < north < 40.9
    assert all(shape.contains(Point(xy)) for xy in SEATS.values())


def test_every_prefecture_has_a_seat() -> None:
    assert sorted(SEATS) == sorted(CITIES)


def test_cells_partition_the_outline() -> None:
    shape, cells = outline(), prefecture_cells()
    assert sorted(cells) == sorted(CITIES)
    for city, cell in cells.items():
        assert cell.difference(shape).area < 1e-9, city  # inside the outline
        for other, rest in cells.items():
            if other != city:
                assert cell.intersection(rest).area < 1e-9, (city, other)
    assert abs(sum(c.area for c in cells.values()) - shape.area) < 1e-6


def test_each_seat_lies_in_its_own_cell() -> None:
    cells = prefecture_cells()
    for city, seat in SEATS.items():
        inside = [c for c, cell in cells.items() if cell.contains(Point(seat))]
        assert inside == [city]


def test_cells_hold_the_points_nearest_their_seat_on_the_ground() -> None:
    def km(a: tuple[float, float], b: tuple[float, float]) -> float:  # great-circle
        (lon1, lat1), (lon2, lat2) = (map(math.radians, p) for p in (a, b))
        h = (math.sin((lat2 - lat1) / 2) ** 2
             + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)  # fmt: skip
        return 12742 * math.asin(math.sqrt(h))

    for city, cell in prefecture_cells().items():
        for part in getattr(cell, "geoms", [cell]):
            for p in [part.representative_point().coords[0], *part.exterior.coords[::7]]:
                nearest = min(km(p, seat) for seat in SEATS.values())
                assert km(p, SEATS[city]) - nearest < 3.0, (city, p)  # projection's error
