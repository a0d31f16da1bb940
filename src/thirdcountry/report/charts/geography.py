"""Country shapes shipped with the package, an equal-area projection, and where to anchor lines.

The shapes are Natural Earth's 1:110m Admin 0 countries (public domain), converted once by
`tools/country_shapes.py` from the npm package world-atlas into `countries-110m.json` beside this
module, with its source and licence inside; countries too small for that scale (Nauru, Malta)
are points taken from the 1:50m file. Nothing is fetched at run time. All pure: numpy and json.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

SHAPES_FILE = Path(__file__).with_name("countries-110m.json")


@dataclass(frozen=True)
class Shapes:
    source: str
    licence: str
    countries: dict[str, list[np.ndarray]]  # ISO alpha-3 -> rings of (lon, lat), degrees
    names: dict[str, str]  # ISO alpha-3 -> Natural Earth's short name
    other_land: list[np.ndarray]  # land with no ISO code (Kosovo, N. Cyprus): background only
    points: dict[str, tuple[float, float]]  # ISO alpha-3 -> (lon, lat) of a small country


@lru_cache(maxsize=1)
def shapes() -> Shapes:
    data = json.loads(SHAPES_FILE.read_text(encoding="utf-8"))
    return Shapes(
        source=data["source"],
        licence=data["licence"],
        countries={
            code: [_unwrapped(ring) for ring in entry["rings"]]
            for code, entry in data["countries"].items()
        },
        names={code: entry["name"] for code, entry in data["countries"].items()},
        other_land=[
            np.asarray(r, dtype=float) for rings in data["other_land"].values() for r in rings
        ],
        points={code: tuple(entry["at"]) for code, entry in data["points"].items()},
    )


def _unwrapped(ring) -> np.ndarray:
    """A ring as an array, its longitudes made continuous where it crosses the antimeridian
    (Chukotka, Fiji): drawn past the map's edge instead of as a band across the world."""
    points = np.asarray(ring, dtype=float)
    points[:, 0] = np.unwrap(points[:, 0], period=360.0)
    return points


# Equal Earth (Šavrič, Patterson and Jenny, 2018): equal-area, straight parallels, a pleasant
# world shape; a few lines of arithmetic, so no projection library is needed.
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def project(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Equal Earth x, y (unit sphere) of longitudes and latitudes in degrees."""
    lam = np.radians(np.asarray(lon, dtype=float))
    theta = np.arcsin(_M * np.sin(np.radians(np.asarray(lat, dtype=float))))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * np.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


def _ring_area_centroid(ring: np.ndarray) -> tuple[float, float, float]:
    """Area and centroid of a closed ring in projected coordinates (shoelace formula)."""
    x, y = project(ring[:, 0], ring[:, 1])
    cross = x * np.roll(y, -1) - np.roll(x, -1) * y
    area = cross.sum() / 2
    if abs(area) < 1e-12:
        return 0.0, float(x.mean()), float(y.mean())
    cx = ((x + np.roll(x, -1)) * cross).sum() / (6 * area)
    cy = ((y + np.roll(y, -1)) * cross).sum() / (6 * area)
    return abs(float(area)), float(cx), float(cy)


@lru_cache(maxsize=512)
def anchor(code: str) -> tuple[float, float] | None:
    """Where a country's lines start and end, projected: the centre of its largest piece of
    land (the mainland, not Alaska or French Guiana), or its point; None if it has no shape."""
    code = code.upper()
    data = shapes()
    if code in data.countries:
        best = max((_ring_area_centroid(r) for r in data.countries[code]), key=lambda a: a[0])
        return best[1], best[2]
    if code in data.points:
        x, y = project(*data.points[code])
        return float(x), float(y)
    return None


def bounds(code: str) -> tuple[float, float, float, float] | None:
    """Projected x0, y0, x1, y1 of a country's largest piece of land, or around its point."""
    code = code.upper()
    data = shapes()
    if code in data.countries:
        ring = max(data.countries[code], key=lambda r: _ring_area_centroid(r)[0])
        x, y = project(ring[:, 0], ring[:, 1])
        return float(x.min()), float(y.min()), float(x.max()), float(y.max())
    point = anchor(code)
    if point is None:
        return None
    pad = 0.02
    return point[0] - pad, point[1] - pad, point[0] + pad, point[1] + pad


def has_shape(code: str) -> bool:
    return anchor(code) is not None
