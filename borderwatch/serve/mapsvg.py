"""Map and timeline building blocks: the layers' data classes, the outlines and country centroids.

Outlines come from the committed files in ``borderwatch/geo/data/boundaries`` (see their
SOURCES.md), which the site also serves as static GeoJSON for the Leaflet map
(static/dashboard-map.js); the timeline is drawn by ``timeline`` (Vega-Lite). ``project`` is the
equirectangular frame (longitudes shrunk by cos(17 deg)) the outlines' paths are measured in.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from borderwatch.geo.gazetteer import DATA_DIR

BOUNDARIES_DIR = DATA_DIR / "boundaries"
FRAME = (92.0, 5.0, 110.0, 29.0)
"""West, south, east, north of the map in degrees: mainland Southeast Asia and Yunnan."""
PIXELS_PER_DEGREE = 34.0
_X_SHRINK = math.cos(math.radians(17.0))
COMMODITY_COLOURS = {"drugs": "#c2410c", "timber": "#4d7c0f", "wildlife": "#7e22ce", "other": "#475569"}
SizeBasis = Literal["mass", "count", "volume", "none"]
SIZE_NOTES = {"mass": "sized by mass (kg)", "count": "no mass stated: sized by count / 10,000",
              "volume": "no mass stated: sized by volume (m³)", "none": "no quantity stated"}
_MAX_RADIUS = 30.0


@dataclass(frozen=True)
class MapCircle:
    """A seizure incident on the map; ``size`` is in the unit ``basis`` names."""

    lon: float
    lat: float
    commodity: str
    basis: SizeBasis
    size: float
    title: str
    href: str
    approximate: bool = False


@dataclass(frozen=True)
class MapShade:
    """A border province shaded by its side's share of the incidents on that border (0..1)."""

    country: str
    admin1: str
    share: float
    title: str


@dataclass(frozen=True)
class MapArrow:
    """A stated or implied trafficking direction between two countries."""

    origin: str
    destination: str
    weight: int
    title: str


@dataclass(frozen=True)
class MapLayers:
    """Everything drawn over the outlines."""

    circles: Sequence[MapCircle] = ()
    shades: Sequence[MapShade] = ()
    arrows: Sequence[MapArrow] = ()


@dataclass(frozen=True)
class TimelineSpan:
    """An aggregate statistic's period, drawn as a band under the monthly bars."""

    start_month: str
    end_month: str
    title: str
    href: str


@dataclass(frozen=True)
class Timeline:
    """Seizure incidents per month and commodity, and the periods aggregates cover."""

    months: Sequence[str]
    seizures: dict[str, dict[str, int]] = field(default_factory=dict)
    spans: Sequence[TimelineSpan] = ()


@dataclass(frozen=True)
class _Outline:
    country: str
    name: str
    path: str


def project(lon: float, lat: float) -> tuple[float, float]:
    """Pixel position of a point in the map's frame (y grows southwards)."""
    west, _, _, north = FRAME
    return ((lon - west) * PIXELS_PER_DEGREE * _X_SHRINK, (north - lat) * PIXELS_PER_DEGREE)


def map_size() -> tuple[float, float]:
    """Width and height of the map in pixels."""
    _, south, east, _ = FRAME
    return project(east, south)


def circle_radius(basis: SizeBasis, size: float) -> float:
    """Radius grows with the square root of the quantity, so area is proportional to it."""
    scaled = {"mass": size, "count": size / 10_000, "volume": size, "none": 0.0}[basis]
    return round(min(_MAX_RADIUS, 3.0 + 1.8 * math.sqrt(max(scaled, 0.0))), 1)


def _ring_path(ring: Sequence[Sequence[float]]) -> str:
    points = [project(lon, lat) for lon, lat in ring]
    return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z"


def _load(name: str, key: str) -> list[tuple[str, str, str, list[list[list[list[float]]]]]]:
    collection = json.loads((BOUNDARIES_DIR / name).read_text(encoding="utf-8"))
    return [(f["properties"]["country"], f["properties"][key] or f["properties"]["source_name"],
             "".join(_ring_path(ring) for polygon in f["geometry"]["coordinates"] for ring in polygon),
             f["geometry"]["coordinates"]) for f in collection["features"]]


@lru_cache(maxsize=1)
def _outlines() -> tuple[list[_Outline], list[_Outline], dict[str, tuple[float, float]]]:
    """Country and province paths, and a centroid per country (Yunnan's for CN), read once."""
    countries = _load("countries.geojson", "name")
    provinces = _load("admin1.geojson", "admin1")
    centroids = {code: _centroid(polygons) for code, _, _, polygons in countries}
    centroids.update({code: _centroid(polygons) for code, _, _, polygons in provinces if code == "CN"})
    return ([_Outline(c, n, p) for c, n, p, _ in countries], [_Outline(c, n, p) for c, n, p, _ in provinces],
            centroids)


def _centroid(polygons: list[list[list[list[float]]]]) -> tuple[float, float]:
    """Area centroid of the largest outer ring (the mainland, not an island)."""
    best: tuple[float, float, float] = (0.0, 0.0, 0.0)
    for polygon in polygons:
        ring = polygon[0]
        area = cx = cy = 0.0
        for (x1, y1), (x2, y2) in itertools.pairwise(ring):
            cross = x1 * y2 - x2 * y1
            area += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
        if abs(area) > abs(best[0]):
            best = (area, cx / (3 * area), cy / (3 * area))
    return best[1], best[2]


def country_centroid(code: str) -> tuple[float, float] | None:
    """Longitude and latitude where a country's arrows start and end; None if it is off the map."""
    return _outlines()[2].get(code.upper())


def province_names() -> set[tuple[str, str]]:
    """(country, admin1) of every province outline that carries a gazetteer name."""
    return {(p.country, p.name) for p in _outlines()[1]}


def month_range(first: str, last: str) -> list[str]:
    """Every "YYYY-MM" from ``first`` to ``last`` inclusive."""
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
