"""Downloads of any filtered view: the events a dashboard shows, as CSV, JSON lines, GeoJSON or Parquet,
and the data its map draws."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse

from borderwatch.export import csv_lines, export_events
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.serve import dashboard
from borderwatch.serve.api import ERROR_RESPONSES, FastJSONResponse, FilterDep, StoreDep

router = APIRouter(prefix="/api", tags=["exports"], responses=ERROR_RESPONSES)
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson",
               "geojson": "application/geo+json", "parquet": "application/vnd.apache.parquet"}
ExportFormat = Literal["csv", "jsonl", "geojson", "parquet"]
ExportTable = Literal["events", "items", "incidents"]


@router.get("/events.csv")
def events_csv(store: StoreDep, flt: FilterDep) -> StreamingResponse:
    """The events table for the filters (one row per seizure, quantities per substance), as CSV."""
    return StreamingResponse(csv_lines(store, flt), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="events.csv"'})


@router.get("/export")
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
