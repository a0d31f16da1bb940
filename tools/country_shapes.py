"""Build the map's country shapes from Natural Earth, as redistributed by npm's world-atlas.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/country_shapes.py package/ src/thirdcountry/report/charts/countries-110m.json

Reads countries-110m.json (TopoJSON: quantized, delta-encoded arcs) and writes one small JSON
file: per ISO 3166-1 alpha-3 code, the country's rings in degrees (longitude, latitude, two
decimals). Countries too small for the 1:110m file (Nauru, Malta, ...) get a point instead, the
mean of their 1:50m outline. Antarctica is left out. Run once; the output is committed, so
nothing is downloaded when a report is made.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pycountry

SOURCE = (
    "Natural Earth 1:110m Admin 0 countries (points: 1:50m), version 4.1.0, "
    "via the npm package world-atlas 2.0.2"
)
LICENCE = (
    "Natural Earth data is in the public domain (naturalearthdata.com/about/terms-of-use); "
    "world-atlas is ISC-licensed, Copyright 2013-2019 Michael Bostock"
)
LEFT_OUT = {"010"}  # Antarctica
# Land with no ISO 3166 numeric code that the fact base names by a user-assigned code.
NO_ISO_CODE = {"Kosovo": "XKX"}


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indices: list[int], arcs: list) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def polygons(geometry: dict, arcs: list) -> list[list[list[tuple[float, float]]]]:
    if geometry["type"] == "Polygon":
        shapes = [geometry["arcs"]]
    elif geometry["type"] == "MultiPolygon":
        shapes = geometry["arcs"]
    else:
        return []
    return [[ring(r, arcs) for r in shape] for shape in shapes]


def iso3(numeric: str | None) -> str | None:
    if not numeric:
        return None
    country = pycountry.countries.get(numeric=numeric)
    return country.alpha_3 if country else None


def countries(path: Path) -> dict[str, tuple[str, list]]:
    """Shapes by ISO alpha-3 code; land without one (Kosovo, N. Cyprus) by its name."""
    topology = json.loads(path.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    found = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") in LEFT_OUT:
            continue
        name = geometry["properties"]["name"]
        code = iso3(geometry.get("id")) or NO_ISO_CODE.get(name) or name
        found[code] = (name, polygons(geometry, arcs))
    return found


def rounded(points) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in points:
        point = [round(x, 2), round(y, 2)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def main(package_dir: str, out_path: str) -> None:
    folder = Path(package_dir)
    shapes = countries(folder / "countries-110m.json")
    finer = countries(folder / "countries-50m.json")
    result = {
        "source": SOURCE,
        "licence": LICENCE,
        "countries": {},
        "other_land": {},
        "points": {},
    }
    for code, (name, shape) in sorted(shapes.items()):
        # Outer rings only: holes (lakes, enclaves) are not visible at this scale.
        rings = [ring for ring in (rounded(polygon[0]) for polygon in shape) if len(ring) >= 4]
        if pycountry.countries.get(alpha_3=code) or code in NO_ISO_CODE.values():
            result["countries"][code] = {"name": name, "rings": rings}
        else:
            result["other_land"][name] = rings
    for code, (name, shape) in sorted(finer.items()):
        if code in shapes or not pycountry.countries.get(alpha_3=code):
            continue
        outline = [p for polygon in shape for p in polygon[0]]
        lon = sum(p[0] for p in outline) / len(outline)
        lat = sum(p[1] for p in outline) / len(outline)
        result["points"][code] = {"name": name, "at": [round(lon, 2), round(lat, 2)]}
    text = json.dumps(result, separators=(",", ":"), ensure_ascii=False)
    Path(out_path).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:3])
