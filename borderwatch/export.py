"""Events out of the Store as CSV, JSONL, GeoJSON or Parquet, each with its evidence and coordinates.

CSV and Parquet are flat: one row per item of an event (an event without items still gets
one row), so quantities stay in typed columns. JSONL and GeoJSON keep one record per event
with its items nested. Coordinates are the event's own, else its province's centroid;
``coordinates_source`` says which.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from borderwatch.errors import InputError
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.model import Item, SeizureEvent
from borderwatch.store.repo import EventFilter, EventRow, Store, sentence_span

FORMATS = ("csv", "jsonl", "geojson", "parquet")
_PAGE = 500
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_STRING, _FLOAT, _INT, _BOOL = pa.string(), pa.float64(), pa.int64(), pa.bool_()
EVENT_COLUMNS: list[tuple[str, pa.DataType]] = [
    ("event_id", _STRING), ("doc_id", _STRING), ("incident", _STRING),
    ("date", _STRING), ("date_precision", _STRING), ("date_raw", _STRING),
    ("country", _STRING), ("admin1", _STRING), ("place", _STRING), ("location_precision", _STRING),
    ("geonames_id", _INT), ("lat", _FLOAT), ("lon", _FLOAT), ("coordinates_source", _STRING),
    ("arrests", _INT), ("arrests_raw", _STRING), ("suspect_nationalities", _STRING),
    ("origin_country", _STRING), ("destination_country", _STRING), ("agency", _STRING),
    ("concealment", _STRING), ("background", _BOOL), ("confidence", _FLOAT),
    ("outlet", _STRING), ("url", _STRING), ("title", _STRING), ("published", _STRING),
    ("sentence", _STRING), ("sentence_start", _INT), ("sentence_end", _INT),
]
ITEM_COLUMNS: list[tuple[str, pa.DataType]] = [
    ("item_index", _INT), ("commodity", _STRING), ("substance", _STRING), ("form", _STRING),
    ("mass_kg", _FLOAT), ("mass_raw", _STRING), ("count", _FLOAT), ("count_unit", _STRING),
    ("count_raw", _STRING), ("volume_m3", _FLOAT), ("volume_raw", _STRING), ("qualifier", _STRING),
]
FLAT_SCHEMA = pa.schema(EVENT_COLUMNS + ITEM_COLUMNS)


def export_events(store: Store, fmt: str, path: Path,
                  flt: EventFilter = EventFilter()) -> int:  # noqa: B008 (frozen, safe to share)
    """Write the events matching ``flt`` to ``path``; returns the rows (or features) written."""
    writers = {"jsonl": _write_jsonl, "geojson": _write_geojson, "parquet": _write_parquet}
    if fmt not in FORMATS:
        raise InputError(f"unknown format '{fmt}' (expected: {', '.join(FORMATS)})")
    partial = path.with_name(f".{path.name}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            written = (_write_csv(store, flt, partial) if fmt == "csv"
                       else writers[fmt](_records(store, flt), partial))
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return written


def _rows(store: Store, flt: EventFilter) -> Iterator[EventRow]:
    offset = 0
    while page := store.events(flt, limit=_PAGE, offset=offset):
        yield from page
        offset += len(page)


def _records(store: Store, flt: EventFilter) -> Iterator[tuple[dict[str, Any], SeizureEvent]]:
    """Each event's flat columns (without items), with the event itself for nested formats."""
    gazetteer = Gazetteer.load()
    for row in _rows(store, flt):
        event = row.event
        lat, lon, source = _coordinates(event, gazetteer)
        sentence = sentence_span(event.evidence)
        yield {
            "event_id": event.id, "doc_id": event.doc_id, "incident": event.incident,
            "date": event.date, "date_precision": event.date_precision, "date_raw": event.date_raw,
            "country": event.country, "admin1": event.admin1, "place": event.place,
            "location_precision": event.location_precision, "geonames_id": event.geonames_id,
            "lat": lat, "lon": lon, "coordinates_source": source,
            "arrests": event.arrests, "arrests_raw": event.arrests_raw,
            "suspect_nationalities": ";".join(event.suspect_nationalities),
            "origin_country": event.origin_country, "destination_country": event.destination_country,
            "agency": event.agency, "concealment": event.concealment, "background": event.background,
            "confidence": event.confidence, "outlet": row.outlet, "url": row.url, "title": row.title,
            "published": row.published, "sentence": row.sentence,
            "sentence_start": sentence.start if sentence else None,
            "sentence_end": sentence.end if sentence else None,
        }, event


def _coordinates(event: SeizureEvent, gazetteer: Gazetteer) -> tuple[float | None, float | None, str | None]:
    """The event's own point, else its province's centroid, with which one it is."""
    if event.lat is not None and event.lon is not None:
        return event.lat, event.lon, "event"
    if event.country and event.admin1:
        province = gazetteer.province(event.country, event.admin1)
        if province is not None and province.lat is not None and province.lon is not None:
            return province.lat, province.lon, "province"
    return None, None, None


def _item_columns(index: int | None, item: Item | None) -> dict[str, Any]:
    values = dataclasses.asdict(item) if item else {}
    return {"item_index": index, **{name: values.get(name) for name, _ in ITEM_COLUMNS[1:]}}


def _flat(records: Iterator[tuple[dict[str, Any], SeizureEvent]]) -> Iterator[dict[str, Any]]:
    """One row per item; an event without items keeps one row with empty item columns."""
    for columns, event in records:
        if not event.items:
            yield {**columns, **_item_columns(None, None)}
        for index, item in enumerate(event.items):
            yield {**columns, **_item_columns(index, item)}


def _nested(columns: dict[str, Any], event: SeizureEvent) -> dict[str, Any]:
    return {**columns, "suspect_nationalities": list(event.suspect_nationalities),
            "items": [dataclasses.asdict(item) for item in event.items],
            "evidence": [dataclasses.asdict(span) for span in event.evidence]}


def neutralise_cell(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, prefixed with a single quote; others as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def safe_csv_row(row: Iterable[Any]) -> list[Any]:
    """A row of cells for ``csv.writer``, each passed through ``neutralise_cell``."""
    return [neutralise_cell(value) for value in row]


def csv_lines(store: Store, flt: EventFilter = EventFilter()) -> Iterator[str]:  # noqa: B008
    """The CSV export as lines of text, header first: streamed by the API, written by ``export``."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FLAT_SCHEMA.names)
    writer.writeheader()
    for row in itertools.chain([None], _flat(_records(store, flt))):
        if row is not None:
            writer.writerow({name: neutralise_cell(value) for name, value in row.items()})
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _write_csv(store: Store, flt: EventFilter, path: Path) -> int:
    written = -1  # the header is not a row
    with path.open("w", encoding="utf-8", newline="") as out:
        for line in csv_lines(store, flt):
            out.write(line)
            written += 1
    return written


def _write_parquet(records: Iterator[tuple[dict[str, Any], SeizureEvent]], path: Path) -> int:
    written = 0
    with pq.ParquetWriter(path, FLAT_SCHEMA) as writer:
        batch: list[dict[str, Any]] = []
        for row in _flat(records):
            batch.append(row)
            if len(batch) == _PAGE:
                writer.write_table(pa.Table.from_pylist(batch, schema=FLAT_SCHEMA))
                written, batch = written + len(batch), []
        # Always write, so an empty export still carries the schema.
        writer.write_table(pa.Table.from_pylist(batch, schema=FLAT_SCHEMA))
    return written + len(batch)


def _write_jsonl(records: Iterator[tuple[dict[str, Any], SeizureEvent]], path: Path) -> int:
    written = 0
    with path.open("w", encoding="utf-8") as out:
        for columns, event in records:
            out.write(json.dumps(_nested(columns, event), ensure_ascii=False) + "\n")
            written += 1
    return written


def _write_geojson(records: Iterator[tuple[dict[str, Any], SeizureEvent]], path: Path) -> int:
    """Points only: events without coordinates are left out and counted in the collection."""
    features: list[dict[str, Any]] = []
    skipped = 0
    for columns, event in records:
        if columns["lat"] is None:
            skipped += 1
            continue
        properties = _nested(columns, event)
        features.append({"type": "Feature", "id": event.id,
                         "geometry": {"type": "Point", "coordinates": [columns["lon"], columns["lat"]]},
                         "properties": properties})
    collection = {"type": "FeatureCollection", "features": features,
                  "events_without_coordinates": skipped}
    with path.open("w", encoding="utf-8") as out:
        json.dump(collection, out, ensure_ascii=False, indent=1)
    return len(features)
