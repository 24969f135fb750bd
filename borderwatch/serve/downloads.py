"""Downloads of any filtered view as CSV: the events a dashboard shows, and every other list.

Each list's CSV takes the list's own filters and holds every matching row (read a page at a
time), one record a row: nested items and evidence as JSON text in their cell. Every cell goes
through ``safe_csv_row``, so a spreadsheet never runs a cell as a formula.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse

from borderwatch.export import csv_lines, export_events, safe_csv_row
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.records import aggregate_record, flow_record, quote_record
from borderwatch.serve import dashboard
from borderwatch.serve.api import (
    ERROR_RESPONSES,
    FastJSONResponse,
    FilterDep,
    FlowFilterDep,
    KnownParams,
    QuoteFilterDep,
    StoreDep,
    check_text,
    document_summary,
)

router = APIRouter(prefix="/api", tags=["exports"], responses=ERROR_RESPONSES, dependencies=KnownParams)

CSV_PAGE = 1000
_CSV: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}}, "description": "Every matching record, one a row"}}
AGGREGATE_COLUMNS = ["id", "doc_id", "country", "admin1", "agency", "period_start", "period_end", "period_raw",
                     "arrests", "cases", "confidence", "items", "evidence"]
QUOTE_COLUMNS = ["id", "doc_id", "speaker", "kind", "text", "role", "confidence", "evidence"]
FLOW_COLUMNS = ["id", "doc_id", "from", "to", "commodity", "asserted_by", "confidence", "evidence"]
DOCUMENT_COLUMNS = ["id", "title", "outlet", "url", "language", "published", "source", "media_type", "comments"]


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return orjson.dumps(value).decode()
    return value


def record_csv(columns: list[str], pages: Callable[[int, int], list[dict[str, Any]]]) -> Iterator[str]:
    """CSV lines, header first, of the records ``pages(limit, offset)`` returns until a short page."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(safe_csv_row(columns))
    yield buffer.getvalue()
    offset = 0
    while True:
        page = pages(CSV_PAGE, offset)
        buffer.seek(0)
        buffer.truncate()
        for record in page:
            writer.writerow(safe_csv_row(_cell(record.get(column)) for column in columns))
        yield buffer.getvalue()
        if len(page) < CSV_PAGE:
            return
        offset += CSV_PAGE


def _download(lines: Iterator[str], name: str) -> StreamingResponse:
    return StreamingResponse(lines, media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


@router.get("/events.csv", responses=_CSV)
def events_csv(store: StoreDep, flt: FilterDep) -> StreamingResponse:
    """The events table for the filters (one row per seizure, quantities per substance), as CSV."""
    return _download(csv_lines(store, flt), "events")


@router.get("/aggregates.csv", responses=_CSV)
def aggregates_csv(store: StoreDep, flt: FilterDep) -> StreamingResponse:
    """The statistics ``/api/aggregates`` lists for the filters, as CSV."""
    return _download(record_csv(AGGREGATE_COLUMNS, lambda limit, offset: [
        aggregate_record(a) for a in store.aggregates(flt, limit=limit, offset=offset)]), "aggregates")


@router.get("/quotes.csv", responses=_CSV)
def quotes_csv(store: StoreDep, flt: QuoteFilterDep, speaker: str | None = None) -> StreamingResponse:
    """The quotes ``/api/quotes`` lists for the filters, as CSV."""
    who = check_text("speaker", speaker)
    return _download(record_csv(QUOTE_COLUMNS, lambda limit, offset: [
        quote_record(q) for q in store.quotes(who, flt, limit=limit, offset=offset)]), "quotes")


@router.get("/flows.csv", responses=_CSV)
def flows_csv(store: StoreDep, flt: FlowFilterDep) -> StreamingResponse:
    """The flows ``/api/flows`` lists for the filters, as CSV."""
    return _download(record_csv(FLOW_COLUMNS, lambda limit, offset: [
        flow_record(f) for f in store.flows(flt, limit=limit, offset=offset)]), "flows")


@router.get("/documents.csv", responses=_CSV)
def documents_csv(store: StoreDep, flt: QuoteFilterDep) -> StreamingResponse:
    """The documents ``/api/documents`` lists for the filters (metadata, no text), as CSV."""
    return _download(record_csv(DOCUMENT_COLUMNS, lambda limit, offset: [
        document_summary(d) for d in store.documents(limit, offset, flt)]), "documents")


MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson",
               "geojson": "application/geo+json", "parquet": "application/vnd.apache.parquet"}
ExportFormat = Literal["csv", "jsonl", "geojson", "parquet"]
ExportTable = Literal["events", "items", "incidents"]
_EXPORT: dict[int | str, dict[str, Any]] = {200: {
    "content": {media.split(";")[0]: {} for media in MEDIA_TYPES.values()},
    "description": "The table in the format asked for, as a download"}}


@router.get("/export", responses=_EXPORT)
def export(store: StoreDep, flt: FilterDep, format: Annotated[ExportFormat, Query()] = "csv",
           table: Annotated[ExportTable, Query()] = "events") -> Response:
    """One table (``events``, ``items`` or ``incidents``) for the filters, written by ``borderwatch export``'s
    code: the same rows and columns as the command line gives."""
    with tempfile.TemporaryDirectory(prefix="borderwatch-export-") as workdir:
        path = Path(workdir) / f"{table}.{format}"
        export_events(store, format, path, flt, table)
        body = path.read_bytes()
    return Response(body, media_type=MEDIA_TYPES[format],
                    headers={"Content-Disposition": f'attachment; filename="{table}.{format}"'})


@router.get("/map")
def map_layers(request: Request, store: StoreDep, flt: FilterDep) -> FastJSONResponse:
    """What the dashboard map draws for the filters: incident circles (with their size basis),
    incidents per province and flow arrows between country centroids."""
    from borderwatch.serve.web import filter_query

    rows = dashboard.matching_events(store, flt)
    return FastJSONResponse(dashboard.map_data(store, flt, rows, Gazetteer.load(), filter_query(request)))
