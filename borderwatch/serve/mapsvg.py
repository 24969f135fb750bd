"""Server-side SVG for the dashboard: the region map and the monthly timeline, no scripts, no tiles.

Outlines come from the committed files in ``borderwatch/geo/data/boundaries`` (see their
SOURCES.md). The projection is equirectangular with longitudes shrunk by cos(17 deg), the
region's middle latitude, so shapes keep their proportions. Every text that reaches the SVG
is escaped here.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from markupsafe import Markup, escape

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


def _attr(value: object) -> str:
    return str(escape(str(value)))


def _shade_layer(shades: Iterable[MapShade]) -> list[str]:
    by_province = {(s.country, s.admin1.casefold()): s for s in shades}
    out = ['<g class="shades">']
    for outline in _outlines()[1]:
        shade = by_province.get((outline.country, outline.name.casefold()))
        if shade is None:
            continue
        opacity = round(0.1 + 0.5 * shade.share, 2)
        out.append(f'<path class="border-province" data-country="{_attr(shade.country)}" '
                   f'data-admin1="{_attr(shade.admin1)}" fill-opacity="{opacity}" d="{outline.path}">'
                   f"<title>{_attr(shade.title)}</title></path>")
    out.append("</g>")
    return out


def _arrow_layer(arrows: Iterable[MapArrow]) -> list[str]:
    out = ['<g class="flows">']
    for arrow in arrows:
        start, end = country_centroid(arrow.origin), country_centroid(arrow.destination)
        if start is None or end is None:
            continue
        (x1, y1), (x2, y2) = project(*start), project(*end)
        # Bend to the right of travel so A->B and B->A stay apart.
        mx, my = (x1 + x2) / 2 + (y2 - y1) * 0.18, (y1 + y2) / 2 - (x2 - x1) * 0.18
        width = round(1.5 + math.log2(arrow.weight + 1), 1)
        out.append(f'<path class="flow" data-origin="{_attr(arrow.origin)}" '
                   f'data-destination="{_attr(arrow.destination)}" stroke-width="{width}" '
                   f'marker-end="url(#arrowhead)" d="M{x1:.1f},{y1:.1f}Q{mx:.1f},{my:.1f} {x2:.1f},{y2:.1f}">'
                   f"<title>{_attr(arrow.title)}</title></path>")
    out.append("</g>")
    return out


def _circle_layer(circles: Iterable[MapCircle]) -> list[str]:
    out = ['<g class="seizures">']
    # Big circles first so small ones stay clickable on top.
    for circle in sorted(circles, key=lambda c: -circle_radius(c.basis, c.size)):
        x, y = project(circle.lon, circle.lat)
        colour = COMMODITY_COLOURS.get(circle.commodity, COMMODITY_COLOURS["other"])
        classes = f"seizure commodity-{circle.commodity} basis-{circle.basis}"
        if circle.approximate:
            classes += " approximate"
        out.append(f'<a href="{_attr(circle.href)}"><circle class="{_attr(classes)}" cx="{x:.1f}" cy="{y:.1f}" '
                   f'r="{circle_radius(circle.basis, circle.size)}" fill="{colour}">'
                   f"<title>{_attr(circle.title)}</title></circle></a>")
    out.append("</g>")
    return out


def _legend(height: float) -> list[str]:
    out = [f'<g class="legend" transform="translate(10,{height - 175:.0f})">',
           '<rect class="legend-box" x="0" y="0" width="200" height="168" rx="4"/>']
    for i, (commodity, colour) in enumerate(COMMODITY_COLOURS.items()):
        out.append(f'<circle cx="14" cy="{16 + i * 18}" r="6" fill="{colour}"/>'
                   f'<text x="26" y="{20 + i * 18}">{commodity}</text>')
    for i, kg in enumerate((10, 100, 1000)):
        r = circle_radius("mass", kg)
        out.append(f'<circle class="size-key" cx="{120 + i * 0:.0f}" cy="{60 - r:.1f}" r="{r}"/>')
    out.append('<text x="105" y="74">10 / 100 / 1,000 kg</text>')
    out += ['<rect class="border-province" x="8" y="92" width="14" height="10" fill-opacity="0.6"/>',
            '<text x="26" y="101">border side with more incidents</text>',
            '<rect class="border-province" x="8" y="110" width="14" height="10" fill-opacity="0.1"/>',
            '<text x="26" y="119">border side with fewer</text>',
            '<path class="flow" d="M8,137L30,137" marker-end="url(#arrowhead)"/>',
            '<text x="38" y="141">stated flow / route</text>',
            ('<circle class="key-approximate" cx="14" cy="156" r="5" fill="#94a3b8" fill-opacity="0.4" '
            'stroke="#1f2937" stroke-dasharray="1 2"/>'),
            '<text x="26" y="160">placed at province centre</text>', "</g>"]
    return out


def render_map(layers: MapLayers, caption: str) -> Markup:
    """The map as inline SVG: outlines, shaded border provinces, flows, seizures, legend."""
    countries, provinces, _ = _outlines()
    width, height = map_size()
    out = [(f'<svg class="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
           f'role="img" aria-labelledby="map-title"><title id="map-title">{_attr(caption)}</title>'),
           ('<defs><marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" '
           'markerHeight="6" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" class="arrowhead"/>'
           "</marker></defs>"),
           f'<rect class="sea" x="0" y="0" width="{width:.0f}" height="{height:.0f}"/>', '<g class="countries">']
    out += [f'<path class="country" data-country="{_attr(c.country)}" d="{c.path}"><title>{_attr(c.name)}'
            "</title></path>" for c in countries]
    out.append('</g><g class="provinces">')
    out += [f'<path class="province" data-country="{_attr(p.country)}" d="{p.path}"><title>{_attr(p.name)}'
            "</title></path>" for p in provinces]
    out.append("</g>")
    out += _shade_layer(layers.shades) + _arrow_layer(layers.arrows) + _circle_layer(layers.circles)
    out += _legend(height)
    out.append(f'<text class="credit" x="{width - 6:.0f}" y="{height - 6:.0f}" text-anchor="end">'
               "Outlines: Natural Earth (world-atlas); provinces: amCharts</text></svg>")
    return Markup("".join(out))


def month_range(first: str, last: str) -> list[str]:
    """Every "YYYY-MM" from ``first`` to ``last`` inclusive."""
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def render_timeline(timeline: Timeline, caption: str) -> Markup:
    """Stacked monthly bars of seizure incidents by commodity, aggregate periods as bands below."""
    months = list(timeline.months)
    if not months:
        return Markup('<p class="empty">No dated seizures or statistics match these filters.</p>')
    width, bar_area, lane = 960.0, 150.0, 14.0
    step = width / len(months)
    tallest = max([sum(counts.values()) for counts in timeline.seizures.values()] + [1])
    height = bar_area + 24 + lane * len(timeline.spans) + 8
    out = [(f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
           f'role="img" aria-labelledby="timeline-title"><title id="timeline-title">{_attr(caption)}</title>')]
    index = {month: i for i, month in enumerate(months)}
    for month, counts in sorted(timeline.seizures.items()):
        bottom = bar_area
        for commodity, count in sorted(counts.items()):
            bar = bar_area * count / tallest
            colour = COMMODITY_COLOURS.get(commodity, COMMODITY_COLOURS["other"])
            out.append(f'<rect class="bar seizure-bar" data-month="{_attr(month)}" x="{index[month] * step + 1:.1f}" '
                       f'y="{bottom - bar:.1f}" width="{max(step - 2, 1):.1f}" height="{bar:.1f}" fill="{colour}">'
                       f"<title>{_attr(month)}: {count} {_attr(commodity)} seizure"
                       f"{'' if count == 1 else 's'}</title></rect>")
            bottom -= bar
    out.append(f'<line class="axis" x1="0" y1="{bar_area}" x2="{width:.0f}" y2="{bar_area}"/>')
    label_every = max(1, math.ceil(len(months) / 12))
    for i, month in enumerate(months):
        if i % label_every == 0:
            out.append(f'<text class="tick" x="{i * step + 1:.1f}" y="{bar_area + 14}">{month}</text>')
    for row, span in enumerate(timeline.spans):
        start = index.get(span.start_month, 0)
        end = index.get(span.end_month, len(months) - 1)
        y = bar_area + 24 + row * lane
        out.append(f'<a href="{_attr(span.href)}"><rect class="bar aggregate-bar" x="{start * step + 1:.1f}" '
                   f'y="{y:.1f}" width="{max((end - start + 1) * step - 2, 2):.1f}" height="{lane - 4:.0f}">'
                   f"<title>{_attr(span.title)}</title></rect></a>")
    out.append("</svg>")
    return Markup("".join(out))
