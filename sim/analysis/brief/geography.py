"""Shanxi's outline and the 11 prefecture seats, for the brief's map.

The outline is Natural Earth's (public domain), bundled in ``maps/shanxi_outline.json``
with its source, licence and processing (``scripts/extract_shanxi_outline.py``). No
openly licensed prefecture boundaries could be bundled, so the map divides the outline
into the areas nearest each prefecture seat (:func:`prefecture_cells`): a Voronoi
partition clipped to the outline, which is not the administrative division.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

import shapely
from shapely import affinity
from shapely.geometry import MultiPoint, Point, Polygon

OUTLINE_JSON = Path(__file__).parent / "maps" / "shanxi_outline.json"

#: Seat of each prefecture's government (longitude, latitude in degrees, to about 0.01):
#: public gazetteer positions of the city centres (Jinzhong's seat is Yuci district,
#: Lüliang's is Lishi district).
SEATS: dict[str, tuple[float, float]] = {
    "Taiyuan": (112.55, 37.87),
    "Datong": (113.30, 40.08),
    "Yangquan": (113.58, 37.86),
    "Changzhi": (113.12, 36.20),
    "Jincheng": (112.85, 35.49),
    "Shuozhou": (112.43, 39.33),
    "Jinzhong": (112.75, 37.69),
    "Yuncheng": (111.01, 35.03),
    "Xinzhou": (112.73, 38.42),
    "Linfen": (111.52, 36.09),
    "Lvliang": (111.14, 37.52),
}

#: Latitude (degrees) whose scale the map keeps true in both directions: near the middle
#: of the province, so distances on the map and in :func:`prefecture_cells` are close to
#: distances on the ground (plate carree, longitudes scaled by its cosine).
MID_LATITUDE = 37.7
#: Horizontal scale of the map: length of a degree of longitude / a degree of latitude.
X_SCALE = math.cos(math.radians(MID_LATITUDE))


@cache
def outline() -> Polygon:
    """Return Shanxi's outline as a polygon in longitude, latitude (degrees)."""
    record = json.loads(OUTLINE_JSON.read_text(encoding="utf-8"))
    return Polygon(record["coordinates"])


@cache
def prefecture_cells() -> dict[str, Polygon]:
    """Return, for each prefecture, the part of the outline nearer its seat than any other.

    Distances are measured on the map's projection (:data:`X_SCALE`), so the cells are
    those of the ground, to within the projection's error. The cells are not the
    administrative boundaries.

    Returns:
        City identifier to its cell (longitude, latitude), in :data:`SEATS` order.
    """
    shape = affinity.scale(outline(), xfact=X_SCALE, yfact=1.0, origin=(0, 0))
    seats = {c: Point(lon * X_SCALE, lat) for c, (lon, lat) in SEATS.items()}
    regions = shapely.voronoi_polygons(MultiPoint(list(seats.values())), extend_to=shape)
    cells = {}
    for city, seat in seats.items():
        (region,) = [r for r in regions.geoms if r.contains(seat)]
        cell = region.intersection(shape)
        cells[city] = affinity.scale(cell, xfact=1 / X_SCALE, yfact=1.0, origin=(0, 0))
    return cells
