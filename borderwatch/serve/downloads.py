"""Downloads of any filtered view: the events a dashboard shows, as CSV."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from borderwatch.export import csv_lines
from borderwatch.serve.api import ERROR_RESPONSES, FilterDep, KnownParams, StoreDep

router = APIRouter(prefix="/api", tags=["exports"], responses=ERROR_RESPONSES, dependencies=KnownParams)


@router.get("/events.csv")
def events_csv(store: StoreDep, flt: FilterDep) -> StreamingResponse:
    """The events table for the filters (one row per seizure, quantities per substance), as CSV."""
    return StreamingResponse(csv_lines(store, flt), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="events.csv"'})
