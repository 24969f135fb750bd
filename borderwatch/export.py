"""Analysis-ready tables out of the Store: events, items and incidents, as CSV, JSONL, GeoJSON or
Parquet, in the conventions analysts know from ACLED and kepler.gl.

- ``events``: one row per real-world seizure (its best-documented report; ``reports`` says how
  many reports tell it), so summing any column never counts one seizure twice. With
  ``all_reports`` every report's event is a row, and ``representative`` marks the one counted.
  Dates are typed (the first day the value can mean) beside ``date_precision`` and ``year``;
  places carry ISO2, ISO3, country name, admin1, admin2 and an honest ``geo_precision`` that
  says when the coordinates are a province's centre; quantities are flattened per substance
  (``methamphetamine_kg``, ``methamphetamine_count`` ...), never summed across substances.
- ``items``: one row per item of those events, for per-substance work.
- ``incidents``: one row per seizure with the values most of its reports give.

Parquet has real types (dates, integers, lists) and a GeoParquet point column; GeoJSON has flat
properties. CSV cells that a spreadsheet would run as a formula are neutralised (OWASP).
"""

from __future__ import annotations

import csv
import io
import json
import os
import struct
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pycountry

from borderwatch.errors import InputError
from borderwatch.extract.lexicon import LEXICON
from borderwatch.geo.countries import country_name
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.model import Item, SeizureEvent, is_illustrative
from borderwatch.store.repo import EventFilter, EventRow, Store, sentence_span

FORMATS = ("csv", "jsonl", "geojson", "parquet")
TABLES = ("events", "items", "incidents")
_PAGE = 500
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_STRING, _FLOAT, _INT, _BOOL, _DATE = pa.string(), pa.float64(), pa.int64(), pa.bool_(), pa.date32()
_LIST = pa.list_(pa.string())
# geo_precision: 1 the place's own point, 2 a district, 3 a province's centre, 4 the country only.
_GEO_CODES = {"place": 1, "district": 2, "admin1-centroid": 3, "country": 4}


@lru_cache(maxsize=1)
def _substances() -> tuple[str, ...]:
    """The canonical substances of the lexicon, each one set of quantity columns."""
    return tuple(sorted({e.substance for e in LEXICON if e.substance}))


def _column(substance: str) -> str:
    return substance.replace(" ", "_").replace("-", "_")


def _quantity_columns() -> list[tuple[str, pa.DataType]]:
    out: list[tuple[str, pa.DataType]] = []
    for substance in (*_substances(), "unnamed"):
        name = _column(substance)
        out += [(f"{name}_kg", _FLOAT), (f"{name}_count", _FLOAT), (f"{name}_m3", _FLOAT)]
    return out


PLACE_COLUMNS: list[tuple[str, pa.DataType]] = [
    ("date", _DATE), ("date_precision", _STRING), ("date_raw", _STRING), ("year", _INT),
    ("country", _STRING), ("iso3", _STRING), ("country_name", _STRING), ("admin1", _STRING),
    ("admin2", _STRING), ("place", _STRING), ("lat", _FLOAT), ("lon", _FLOAT), ("geo_precision", _INT),
    ("geo_precision_label", _STRING), ("geonames_id", _INT),
]
EVENT_COLUMNS: list[tuple[str, pa.DataType]] = [
    ("event_id", _STRING), ("doc_id", _STRING), ("incident", _STRING), ("reports", _INT),
    ("representative", _BOOL), *PLACE_COLUMNS,
    ("commodities", _LIST), ("substances", _LIST), *_quantity_columns(),
    ("arrests", _INT), ("arrests_raw", _STRING), ("suspect_nationalities", _LIST),
    ("origin_country", _STRING), ("destination_country", _STRING), ("agency", _STRING),
    ("concealment", _STRING), ("background", _BOOL), ("illustrative", _BOOL), ("confidence", _FLOAT),
    ("outlet", _STRING), ("url", _STRING), ("title", _STRING), ("published", _STRING), ("language", _STRING),
    ("sentence", _STRING), ("sentence_start", _INT), ("sentence_end", _INT),
]
ITEM_COLUMNS: list[tuple[str, pa.DataType]] = [
    ("event_id", _STRING), ("incident", _STRING), ("item_index", _INT), ("date", _DATE),
    ("date_precision", _STRING), ("year", _INT), ("country", _STRING), ("admin1", _STRING),
    ("commodity", _STRING), ("substance", _STRING), ("form", _STRING), ("mass_kg", _FLOAT),
    ("mass_raw", _STRING), ("count", _FLOAT), ("count_unit", _STRING), ("count_raw", _STRING),
    ("volume_m3", _FLOAT), ("volume_raw", _STRING), ("qualifier", _STRING), ("outlet", _STRING), ("url", _STRING),
]
INCIDENT_COLUMNS: list[tuple[str, pa.DataType]] = [
    ("incident", _STRING), ("reports", _INT), ("event_ids", _LIST), ("outlets", _LIST), ("urls", _LIST),
    *PLACE_COLUMNS, ("commodities", _LIST), ("substances", _LIST), *_quantity_columns(),
    ("arrests", _INT), ("suspect_nationalities", _LIST), ("origin_country", _STRING),
    ("destination_country", _STRING), ("illustrative", _BOOL),
]
SCHEMAS = {name: pa.schema(columns) for name, columns in
           (("events", EVENT_COLUMNS), ("items", ITEM_COLUMNS), ("incidents", INCIDENT_COLUMNS))}


def export_events(store: Store, fmt: str, path: Path,
                  flt: EventFilter = EventFilter(),  # noqa: B008 (frozen, safe to share)
                  table: str = "events", all_reports: bool = False) -> int:
    """Write ``table`` for the events matching ``flt`` to ``path``; returns the rows (or features)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format '{fmt}' (expected: {', '.join(FORMATS)})")
    if table not in TABLES:
        raise InputError(f"unknown table '{table}' (expected: {', '.join(TABLES)})")
    if fmt == "geojson" and table == "items":
        raise InputError("the items table has no GeoJSON form (expected: csv, jsonl, parquet)")
    rows = table_rows(store, flt, table, all_reports)
    partial = path.with_name(f".{path.name}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            written = _WRITERS[fmt](rows, SCHEMAS[table], partial)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return written


def table_rows(store: Store, flt: EventFilter, table: str = "events",
               all_reports: bool = False) -> Iterator[dict[str, Any]]:
    """The rows of one table, as typed Python values (dates as ``date``, lists as lists)."""
    groups = _incident_groups(store, flt)
    gazetteer = Gazetteer.load()
    for reports in groups:
        best = _representative(reports)
        if table == "incidents":
            yield _incident_row(reports, best, gazetteer)
            continue
        for row in (reports if all_reports else [best]):
            event_row = _event_row(row, len(reports), row is best, gazetteer)
            if table == "events":
                yield event_row
            else:
                yield from _item_rows(row.event, event_row)


def _incident_groups(store: Store, flt: EventFilter) -> list[list[EventRow]]:
    """The filtered events, grouped by incident (an unresolved event is its own), newest first."""
    groups: dict[str, list[EventRow]] = {}
    offset = 0
    while page := store.events(flt, limit=_PAGE, offset=offset):
        for row in page:
            groups.setdefault(row.event.incident or f"{row.event.doc_id}#{row.event.id}", []).append(row)
        offset += len(page)
    return list(groups.values())


def _representative(reports: list[EventRow]) -> EventRow:
    """The report that documents the seizure best: most fields stated, then confidence, then not
    a background mention, then the earliest published."""
    def filled(row: EventRow) -> int:
        e = row.event
        return sum(x is not None for x in (e.date, e.admin1, e.arrests, e.place, e.origin_country)) + sum(
            1 for i in e.items if i.mass_kg or i.count or i.volume_m3) + (e.date_precision == "day")
    return min(reports, key=lambda r: (-filled(r), -r.event.confidence, r.event.background,
                                       r.published or "9999", r.event.doc_id, r.event.id))


def _first_day(value: str | None) -> date | None:
    if not value:
        return None
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        return date(parts[0], parts[1], parts[2])
    except ValueError:
        return None


@lru_cache(maxsize=64)
def _iso3(code: str) -> str | None:
    country = pycountry.countries.get(alpha_2=code)
    return country.alpha_3 if country else None


def _place_columns(event: SeizureEvent, gazetteer: Gazetteer) -> dict[str, Any]:
    lat, lon, label = _coordinates(event, gazetteer)
    when = _first_day(event.date)
    return {
        "date": when, "date_precision": event.date_precision, "date_raw": event.date_raw,
        "year": when.year if when else None, "country": event.country,
        "iso3": _iso3(event.country) if event.country else None,
        "country_name": country_name(event.country) if event.country else None, "admin1": event.admin1,
        "admin2": event.place if event.location_precision == "district" else None, "place": event.place,
        "lat": lat, "lon": lon, "geo_precision": _GEO_CODES.get(label) if label else None,
        "geo_precision_label": label, "geonames_id": event.geonames_id,
    }


def _coordinates(event: SeizureEvent, gazetteer: Gazetteer) -> tuple[float | None, float | None, str | None]:
    """The event's own point, else its province's centre, with an honest label for which it is."""
    province = gazetteer.province(event.country, event.admin1) if event.country and event.admin1 else None
    centre = (province.lat, province.lon) if province is not None and province.lat is not None else None
    if event.lat is not None and event.lon is not None:
        if centre and abs(event.lat - centre[0]) < 1e-6 and abs(event.lon - (centre[1] or 0)) < 1e-6:
            return event.lat, event.lon, "admin1-centroid"
        return event.lat, event.lon, "district" if event.location_precision == "district" else "place"
    if centre:
        return centre[0], centre[1], "admin1-centroid"
    return None, None, "country" if event.country else None


def _quantities(items: tuple[Item, ...]) -> dict[str, Any]:
    """Per substance: its mass, count and volume (the substance's own items added up, never two
    substances together)."""
    out: dict[str, Any] = {name: None for name, _ in _quantity_columns()}
    known = set(_substances())
    for item in items:
        name = _column(item.substance if item.substance in known else "unnamed")
        for unit, suffix in (("mass_kg", "kg"), ("count", "count"), ("volume_m3", "m3")):
            value = getattr(item, unit)
            if value is not None:
                out[f"{name}_{suffix}"] = (out[f"{name}_{suffix}"] or 0.0) + value
    return out


def _event_row(row: EventRow, reports: int, representative: bool, gazetteer: Gazetteer) -> dict[str, Any]:
    event = row.event
    sentence = sentence_span(event.evidence)
    return {
        "event_id": event.id, "doc_id": event.doc_id, "incident": event.incident, "reports": reports,
        "representative": representative, **_place_columns(event, gazetteer),
        "commodities": sorted({i.commodity for i in event.items}),
        "substances": sorted({i.substance for i in event.items if i.substance}), **_quantities(event.items),
        "arrests": event.arrests, "arrests_raw": event.arrests_raw,
        "suspect_nationalities": sorted(set(event.suspect_nationalities)),
        "origin_country": event.origin_country, "destination_country": event.destination_country,
        "agency": event.agency, "concealment": event.concealment, "background": event.background,
        "illustrative": is_illustrative(row.outlet), "confidence": event.confidence, "outlet": row.outlet,
        "url": row.url, "title": row.title, "published": row.published, "language": row.language,
        "sentence": row.sentence, "sentence_start": sentence.start if sentence else None,
        "sentence_end": sentence.end if sentence else None,
    }


def _item_rows(event: SeizureEvent, event_row: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for index, item in enumerate(event.items):
        yield {"event_id": event.id, "incident": event.incident, "item_index": index,
               **{k: event_row[k] for k in ("date", "date_precision", "year", "country", "admin1", "outlet", "url")},
               **{name: getattr(item, name) for name, _ in ITEM_COLUMNS[8:19]}}


def _consensus(values: list[Any], fallback: Any) -> Any:
    """The value most reports give; a tie (or no value) keeps the representative report's."""
    counted = Counter(v for v in values if v is not None)
    if not counted:
        return fallback
    best = max(counted.values())
    return fallback if counted.get(fallback) == best else next(v for v, n in counted.most_common() if n == best)


def _incident_row(reports: list[EventRow], best: EventRow, gazetteer: Gazetteer) -> dict[str, Any]:
    events = [r.event for r in reports]
    chosen = best.event
    place = _place_columns(chosen, gazetteer)
    day = _consensus([e.date for e in events], chosen.date)
    place.update(date=_first_day(day), date_precision=next((e.date_precision for e in events if e.date == day),
                                                           chosen.date_precision))
    place["year"] = place["date"].year if place["date"] else None
    quantities = {name: None for name, _ in _quantity_columns()}
    for event in events:  # each substance at the largest amount a report gives it
        for name, value in _quantities(event.items).items():
            if value is not None:
                quantities[name] = max(value, quantities[name] or 0.0)
    return {
        "incident": chosen.incident or chosen.id, "reports": len(reports),
        "event_ids": [e.id for e in events], "outlets": sorted({r.outlet for r in reports if r.outlet}),
        "urls": sorted({r.url for r in reports if r.url}), **place,
        "commodities": sorted({i.commodity for e in events for i in e.items}),
        "substances": sorted({i.substance for e in events for i in e.items if i.substance}), **quantities,
        "arrests": _consensus([e.arrests for e in events], chosen.arrests),
        "suspect_nationalities": sorted({n for e in events for n in e.suspect_nationalities}),
        "origin_country": _consensus([e.origin_country for e in events], chosen.origin_country),
        "destination_country": _consensus([e.destination_country for e in events], chosen.destination_country),
        "illustrative": all(is_illustrative(r.outlet) for r in reports),
    }


def neutralise_cell(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, prefixed with a single quote; others as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_csv_row(row: Iterable[Any]) -> list[Any]:
    """A row of cells for ``csv.writer``, each passed through ``neutralise_cell``."""
    return [neutralise_cell(value) for value in row]


def _cell(value: Any) -> Any:
    """A CSV cell: lists joined with "|", dates as ISO text, formula starts neutralised."""
    if isinstance(value, list):
        value = "|".join(str(v) for v in value)
    elif isinstance(value, date):
        value = value.isoformat()
    return neutralise_cell(value)


def csv_lines(store: Store, flt: EventFilter = EventFilter(), table: str = "events",  # noqa: B008
              all_reports: bool = False) -> Iterator[str]:
    """A table as CSV lines, header first: streamed by the API, written by ``export``."""
    yield from _csv_lines(table_rows(store, flt, table, all_reports), SCHEMAS[table])


def _csv_lines(rows: Iterator[dict[str, Any]], schema: pa.Schema) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=schema.names)
    writer.writeheader()
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow({k: _cell(v) for k, v in row.items()})
        yield buffer.getvalue()


def _write_csv(rows: Iterator[dict[str, Any]], schema: pa.Schema, path: Path) -> int:
    written = -1  # the header is not a row
    with path.open("w", encoding="utf-8", newline="") as out:
        for line in _csv_lines(rows, schema):
            out.write(line)
            written += 1
    return written


def _point_wkb(lon: float | None, lat: float | None) -> bytes | None:
    """A point as little-endian WKB, the GeoParquet encoding."""
    return None if lon is None or lat is None else struct.pack("<BIdd", 1, 1, lon, lat)


def _write_parquet(rows: Iterator[dict[str, Any]], schema: pa.Schema, path: Path) -> int:
    spatial = "lat" in schema.names
    if spatial:
        geo = {"version": "1.1.0", "primary_column": "geometry",
               "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Point"]}}}
        schema = schema.append(pa.field("geometry", pa.binary())).with_metadata({"geo": json.dumps(geo)})
    written = 0
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            if spatial:
                row = {**row, "geometry": _point_wkb(row["lon"], row["lat"])}
            batch.append(row)
            if len(batch) == _PAGE:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                written, batch = written + len(batch), []
        # Always write, so an empty export still carries the schema.
        writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    return written + len(batch)


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _write_jsonl(rows: Iterator[dict[str, Any]], schema: pa.Schema, path: Path) -> int:
    written = 0
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps({k: _json_value(v) for k, v in row.items()}, ensure_ascii=False) + "\n")
            written += 1
    return written


def _write_geojson(rows: Iterator[dict[str, Any]], schema: pa.Schema, path: Path) -> int:
    """Points with flat properties (lists joined with "|"); rows without coordinates are left out
    and counted in the collection."""
    features: list[dict[str, Any]] = []
    skipped = 0
    for row in rows:
        if row["lat"] is None:
            skipped += 1
            continue
        properties = {k: "|".join(map(str, v)) if isinstance(v, list) else _json_value(v) for k, v in row.items()}
        features.append({"type": "Feature", "id": row.get("event_id") or row.get("incident"),
                         "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
                         "properties": properties})
    collection = {"type": "FeatureCollection", "features": features, "rows_without_coordinates": skipped}
    with path.open("w", encoding="utf-8") as out:
        json.dump(collection, out, ensure_ascii=False, indent=1)
    return len(features)


_WRITERS = {"csv": _write_csv, "jsonl": _write_jsonl, "geojson": _write_geojson, "parquet": _write_parquet}
