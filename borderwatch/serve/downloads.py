"""Downloads of any filtered view: the events a dashboard shows, as CSV."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from borderwatch.export import csv_lines
from borderwatch.serve.api import ERROR_RESPONSES, FilterDep, StoreDep

router = APIRouter(prefix="/api", tags=["exports"], responses=ERROR_RESPONSES)


class CSVResponse(StreamingResponse):
    """A streamed CSV body, typed as such in the response and in the OpenAPI schema."""

    media_type = "text/csv"


@router.get("/events.csv",
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}})
def events_csv(store: StoreDep, flt: FilterDep) -> CSVResponse:
    """The events matching the filters, one row per item, with evidence and coordinates."""
    return CSVResponse(csv_lines(store, flt), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="events.csv"'})
