"""Build the committed boundary files for the dashboard map from two npm packages.

Country outlines: ``world-atlas`` (Natural Earth 1:50m, TopoJSON). Province (admin1) outlines:
``@amcharts/amcharts5-geodata`` (GeoJSON, one file per country). Both are fetched with
``npm pack`` into a temporary directory (or read from ``--from DIR`` holding the unpacked
``world-atlas`` and ``amcharts5-geodata`` packages), clipped to mainland Southeast Asia,
simplified, rounded to 3 decimals and written to ``borderwatch/geo/data/boundaries/``.
Province names are mapped to the gazetteer's canonical admin1 names.

    .venv/bin/python scripts/build_boundaries.py [--from DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pycountry

from borderwatch.geo.gazetteer import DATA_DIR, Gazetteer

WORLD_ATLAS = "world-atlas@2.0.2"
GEODATA = "@amcharts/amcharts5-geodata@5.1.6"
OUT_DIR = DATA_DIR / "boundaries"
# Clip a little beyond the map's frame (lon 92..110, lat 5..29) so cut edges stay out of view.
CLIP = (89.0, 2.0, 113.0, 32.0)
TOLERANCE_DEG = 0.006
PROVINCE_FILES = {"KH": "cambodiaLow", "LA": "laosLow", "TH": "thailandLow", "VN": "vietnamLow",
                  "MM": "myanmarLow", "CN": "chinaLow"}
# Of China only Yunnan belongs to the region the project covers.
PROVINCE_ONLY = {"CN": {"CN-YN"}}

Point = tuple[float, float]
Ring = list[Point]


def _npm_pack(workdir: Path) -> tuple[Path, Path]:
    """Download and unpack both packages into ``workdir``."""
    subprocess.run(["npm", "pack", WORLD_ATLAS, GEODATA], cwd=workdir, check=True, capture_output=True)
    unpacked = []
    for pattern, name in (("world-atlas-*.tgz", "world-atlas"), ("amcharts-amcharts5-geodata-*.tgz", "geodata")):
        archive = next(workdir.glob(pattern))
        target = workdir / name
        with tarfile.open(archive) as tar:
            tar.extractall(target, filter="data")
        unpacked.append(target / "package")
    return unpacked[0], unpacked[1]


def simplify(points: Sequence[Point], tolerance: float) -> Ring:
    """Douglas-Peucker: drop points closer than ``tolerance`` to the line kept around them."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        farthest, distance = -1, tolerance
        for i in range(first + 1, last):
            x, y = points[i]
            d = abs(dy * (x - x1) - dx * (y - y1)) / norm if norm else ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if d > distance:
                farthest, distance = i, d
        if farthest >= 0:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [p for p, kept in zip(points, keep) if kept]


def clip_ring(ring: Ring, box: tuple[float, float, float, float]) -> Ring:
    """Sutherland-Hodgman clipping of one ring to an axis-aligned box."""
    west, south, east, north = box
    edges = [(0, west, True), (0, east, False), (1, south, True), (1, north, False)]
    out = ring
    for axis, bound, keep_above in edges:
        if not out:
            break
        source, out = out, []
        for i, current in enumerate(source):
            previous = source[i - 1]
            if _inside(current, axis, bound, keep_above):
                if not _inside(previous, axis, bound, keep_above):
                    out.append(_cross(previous, current, axis, bound))
                out.append(current)
            elif _inside(previous, axis, bound, keep_above):
                out.append(_cross(previous, current, axis, bound))
    return out


def _inside(point: Point, axis: int, bound: float, keep_above: bool) -> bool:
    return point[axis] >= bound if keep_above else point[axis] <= bound


def _cross(a: Point, b: Point, axis: int, bound: float) -> Point:
    t = (bound - a[axis]) / (b[axis] - a[axis])
    x, y = a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
    return (bound, y) if axis == 0 else (x, bound)


def _finish(ring: Ring) -> Ring:
    """Round to 3 decimals, drop repeated points, close; [] when too small to draw."""
    rounded: Ring = []
    for x, y in ring:
        point = (round(x, 3), round(y, 3))
        if not rounded or point != rounded[-1]:
            rounded.append(point)
    if len(rounded) > 1 and rounded[0] == rounded[-1]:
        rounded.pop()
    return [*rounded, rounded[0]] if len(rounded) >= 3 else []


def _polygons(geometry: dict[str, Any]) -> list[list[Ring]]:
    coordinates = geometry["coordinates"]
    polygons = coordinates if geometry["type"] == "MultiPolygon" else [coordinates]
    return [[[(float(x), float(y)) for x, y, *_ in ring] for ring in polygon] for polygon in polygons]


def _geometry(polygons: list[list[Ring]], simplified: bool) -> dict[str, Any] | None:
    """Clipped, simplified MultiPolygon; None when nothing is left inside the box."""
    out = []
    for polygon in polygons:
        rings = []
        for ring in polygon:
            kept = ring if simplified else simplify(ring, TOLERANCE_DEG)
            finished = _finish(clip_ring(kept, CLIP))
            if finished:
                rings.append([[x, y] for x, y in finished])
        if rings:
            out.append(rings)
    return {"type": "MultiPolygon", "coordinates": out} if out else None


def country_features(world_atlas: Path) -> list[dict[str, Any]]:
    """Countries touching the box, arcs simplified once so shared borders stay shared."""
    topology = json.loads((world_atlas / "countries-50m.json").read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs: list[Ring] = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(simplify(points, TOLERANCE_DEG))

    def ring_of(indexes: list[int]) -> Ring:
        ring: Ring = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            ring.extend(arc[1:] if ring else arc)
        return ring

    features = []
    for item in topology["objects"]["countries"]["geometries"]:
        if item.get("type") not in ("Polygon", "MultiPolygon") or "id" not in item:
            continue
        polygons = item["arcs"] if item["type"] == "MultiPolygon" else [item["arcs"]]
        country = pycountry.countries.get(numeric=item["id"])
        geometry = _geometry([[ring_of(ring) for ring in polygon] for polygon in polygons], simplified=True)
        if geometry is None or country is None:
            continue
        features.append({"type": "Feature", "properties": {"country": country.alpha_2,
                                                           "name": item["properties"]["name"]},
                         "geometry": geometry})
    return features


def _iso_names() -> dict[str, str]:
    """ISO 3166-2 code -> canonical admin1 name, from the curated admin1 list."""
    names = {}
    for line in (DATA_DIR / "admin1_names.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            iso, canonical, *_ = line.split("\t")
            names[iso] = canonical
    return names


def province_features(geodata: Path, unmatched: list[str]) -> list[dict[str, Any]]:
    """Provinces of the region, named as the gazetteer names them (``admin1`` null if it has none)."""
    gazetteer = Gazetteer.load()
    by_iso = _iso_names()
    features = []
    for country, stem in PROVINCE_FILES.items():
        collection = json.loads((geodata / "json" / f"{stem}.json").read_text(encoding="utf-8"))
        for feature in collection["features"]:
            props = feature["properties"]
            iso = props["id"]
            if country in PROVINCE_ONLY and iso not in PROVINCE_ONLY[country]:
                continue
            # The ISO code decides; names are the fallback for codes the curated list lacks.
            candidates = [props["name"], props.get("NAME_ENG") or ""]
            canonical = by_iso.get(iso) or next(
                (c for c in (gazetteer.canonical_admin1(country, n) for n in candidates if n) if c), None)
            if canonical is None:
                unmatched.append(f"{iso} {props['name']}")
            geometry = _geometry(_polygons(feature["geometry"]), simplified=False)
            if geometry is None:
                continue
            features.append({"type": "Feature", "properties": {
                "country": country, "iso": iso, "admin1": canonical, "source_name": props["name"]},
                "geometry": geometry})
    return features


def write(path: Path, features: list[dict[str, Any]]) -> int:
    """Write a compact FeatureCollection; return its size in bytes."""
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                      separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    return len(text.encode("utf-8")) + 1


def main(argv: Sequence[str] | None = None) -> int:
    """Fetch (or read), convert and write both files; list provinces without a gazetteer name."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path,
                        help="directory with unpacked world-atlas/ and geodata/ packages (default: npm pack)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temp:
        if args.source:
            world_atlas, geodata = args.source / "world-atlas", args.source / "geodata"
        else:
            world_atlas, geodata = _npm_pack(Path(temp))
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        unmatched: list[str] = []
        sizes = {"countries.geojson": write(OUT_DIR / "countries.geojson", country_features(world_atlas)),
                 "admin1.geojson": write(OUT_DIR / "admin1.geojson", province_features(geodata, unmatched))}
        shutil.copyfile(geodata / "LICENSE", OUT_DIR / "LICENSE-amcharts5-geodata.md")
        shutil.copyfile(world_atlas / "LICENSE", OUT_DIR / "LICENSE-world-atlas.txt")
    for name, size in sizes.items():
        print(f"{name}: {size:,} bytes")
    for entry in unmatched:
        print(f"no gazetteer admin1 for {entry}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
