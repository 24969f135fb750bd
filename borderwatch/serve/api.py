"""The JSON API: events, statistics, quotes, flows and documents, each with its evidence spans.

Every error, whatever raised it, leaves through ``error_response`` in one shape:
``{"ok": false, "error": "...", "status": 404}``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from borderwatch.dates import month_end
from borderwatch.errors import BorderwatchError, ConfigError, InputError, Rejected, StoreError
from borderwatch.geo.countries import country_code
from borderwatch.model import Document, Facts
from borderwatch.records import aggregate_record, event_record, flow_record, quote_record
from borderwatch.serve import schemas
from borderwatch.serve.dashboard import compare_reports, incident_rows
from borderwatch.store.rendered import render, with_source
from borderwatch.store.repo import EventFilter, EventRow, Store

log = logging.getLogger(__name__)

MAX_OFFSET = 1_000_000_000  # far past any page; 2**63 and beyond overflowed the database's integers
MAX_TEXT = 200  # characters in a text parameter (q, outlet, admin1, ...)


class ErrorBody(BaseModel):
    """The one JSON error shape, as the OpenAPI schema shows it."""

    ok: Literal[False] = False
    error: str
    status: int


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A parameter is invalid: out of range, malformed or too long"},
    413: {"model": ErrorBody, "description": "The request body is over the size limit"},
    500: {"model": ErrorBody, "description": "An unexpected error (details in the server log only)"},
    503: {"model": ErrorBody, "description": "The database cannot be reached"},
}



def _query_names(route: Any) -> frozenset[str]:
    """The query parameters ``route`` declares (its own and its dependencies')."""
    names: set[str] = set()
    pending = [getattr(route, "dependant", None)]
    while pending:
        dependant = pending.pop()
        if dependant is not None:
            names.update(param.alias for param in dependant.query_params)
            pending.extend(dependant.dependencies)
    return frozenset(names)


_KNOWN_PARAMS: dict[int, frozenset[str]] = {}


def reject_unknown_params(request: Request) -> None:
    """InputError naming the query parameters the endpoint does not take, and listing those it does.

    A misspelt filter (``contry=KH``) would otherwise be ignored silently and answer every row.
    """
    route = request.scope.get("route")
    known = _KNOWN_PARAMS.get(id(route))
    if known is None:
        known = _KNOWN_PARAMS[id(route)] = _query_names(route)
    unknown = sorted({name for name in request.query_params if name not in known})
    if unknown:
        valid = ", ".join(sorted(known)) or "none"
        raise InputError(f"unknown query parameter{'s' if len(unknown) > 1 else ''} "
                         f"{', '.join(repr(name) for name in unknown)} (valid: {valid})")


KnownParams = [Depends(reject_unknown_params)]
router = APIRouter(prefix="/api", tags=["api"], responses=ERROR_RESPONSES, dependencies=KnownParams)

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No record has this id"},
}
REVIEW_RESPONSES: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    303: {"description": "A form post is sent back to the page it came from"},
    401: {"model": ErrorBody, "description": "Not signed in"},
    403: {"model": ErrorBody, "description": "A viewer, a missing CSRF token or a fact that cannot be reviewed"},
    409: {"model": ErrorBody, "description": "The fact changed since it was read"},
    415: {"model": ErrorBody, "description": "The body is neither JSON nor a form"},
    422: {"model": ErrorBody, "description": "The review itself is refused"},
}

_ISO_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
_STATUS_BY_ERROR: list[tuple[type[BorderwatchError], int]] = [
    (InputError, 400), (Rejected, 422), (StoreError, 503), (ConfigError, 500)]


class FastJSONResponse(JSONResponse):
    """JSON rendered by orjson: a page of 100 events takes 0.7 ms instead of 7 ms with json.dumps."""

    def render(self, content: Any) -> bytes:
        """The body bytes (UTF-8, compact, like JSONResponse's)."""
        return orjson.dumps(content)


class GeoJSONResponse(FastJSONResponse):
    """A GeoJSON body, typed as such in the response and in the OpenAPI schema."""

    media_type = "application/geo+json"


def error_body(message: str, status: int) -> dict[str, Any]:
    """The one JSON error shape, so clients handle every failure the same way."""
    return {"ok": False, "error": message, "status": status}


def error_response(message: str, status: int, headers: dict[str, str] | None = None) -> JSONResponse:
    """A response carrying ``error_body``; every exception handler ends here."""
    return JSONResponse(error_body(message, status), status_code=status, headers=headers)


def wants_html(request: Request) -> bool:
    """A browser asking for a page (Accept: text/html) outside /api: it gets an HTML error page."""
    return (not request.url.path.startswith("/api") and request.url.path != "/openapi.json"
            and "text/html" in request.headers.get("accept", ""))


def _answer(request: Request, message: str, status: int, headers: dict[str, str] | None = None) -> Response:
    # The pages install an HTML renderer (web.py); the API and everything else keep the JSON shape.
    render = getattr(request.app.state, "html_error", None)
    if render is not None and wants_html(request):
        return render(request, message, status, headers)  # type: ignore[no-any-return]
    return error_response(message, status, headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    return _answer(request, str(exc.detail), exc.status_code, getattr(exc, "headers", None))


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for problem in exc.errors():
        where = ".".join(str(part) for part in problem.get("loc", ())[1:]) or "request"
        problems.append(f"{where}: {problem.get('msg', 'invalid')}")
    return _answer(request, "; ".join(problems) or "invalid request", 400)


async def _borderwatch_error(request: Request, exc: Exception) -> Response:
    status = next((code for kind, code in _STATUS_BY_ERROR if isinstance(exc, kind)), 400)
    return _answer(request, str(exc), status)


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    # The server logs the traceback itself; the client gets the shape and no internals.
    log.error("unexpected %s serving %s", type(exc).__name__, request.url.path)
    return _answer(request, "internal server error: see the server log", 500)


def install_error_handlers(app: FastAPI) -> None:
    """Route every exception through ``error_response`` (HTTP, validation, ours, unexpected)."""
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(BorderwatchError, _borderwatch_error)
    app.add_exception_handler(Exception, _unexpected_error)


def install_openapi(app: FastAPI) -> None:
    """Serve an OpenAPI schema whose error responses are the ones sent: 400 in the one shape, never
    FastAPI's default 422 validation body (``_validation_error`` answers 400)."""

    def schema() -> dict[str, Any]:
        if app.openapi_schema is None:
            built = get_openapi(title=app.title, version=app.version, description=app.description,
                                routes=app.routes)
            for operations in built["paths"].values():
                for operation in operations.values():
                    operation.get("responses", {}).pop("422", None)
            for name in ("HTTPValidationError", "ValidationError"):
                built.get("components", {}).get("schemas", {}).pop(name, None)
            app.openapi_schema = built
        return app.openapi_schema

    app.openapi = schema  # type: ignore[method-assign]


def get_store(request: Request) -> Store:
    """The one Store the app opened at start-up."""
    store: Store = request.app.state.store
    return store


def check_text(name: str, value: str | None) -> str | None:
    """A text parameter stripped, None when blank, InputError when over ``MAX_TEXT`` characters."""
    # HTML filter forms submit every field, empty ones as "".
    if value is None or not value.strip():
        return None
    if len(value) > MAX_TEXT:
        raise InputError(f"{name} is {len(value)} characters long (at most {MAX_TEXT})")
    return value.strip()


def check_date(name: str, value: str | None, last_day: bool) -> str | None:
    """An ISO date bound (YYYY, YYYY-MM, YYYY-MM-DD) as a day, None when blank, else InputError."""
    # A coarse bound means its whole period: date_to=2019-12 keeps 2019-12-30.
    value = check_text(name, value)
    if value is None:
        return None
    if not _ISO_DATE.fullmatch(value):
        raise InputError(f"invalid {name} '{value}' (expected: YYYY, YYYY-MM or YYYY-MM-DD)")
    parts = [int(part) for part in value.split("-")]
    if parts[0] < 1:
        raise InputError(f"invalid {name} '{value}': years run from 0001 to 9999")
    try:
        if len(parts) == 3:
            return date(*parts).isoformat()
    except ValueError as exc:
        raise InputError(f"invalid {name} '{value}': no such day") from exc
    year = parts[0]
    month = parts[1] if len(parts) == 2 else (12 if last_day else 1)
    if last_day and (year, month) == (9999, 12):
        return "9999-12-31"  # month_end would step into year 10000
    return (month_end(year, month) if last_day else date(year, month, 1)).isoformat()


def check_since(name: str, value: str | None) -> str | None:
    """An ISO date or time (``2026-12-01``, ``2026-12-01T04:00:00Z``, any offset) as UTC ISO seconds,
    the form ``documents.stored`` is written in; None when blank, else InputError."""
    value = check_text(name, value)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"invalid {name} '{value}' (expected: an ISO date or time such as "
                         "2026-12-01 or 2026-12-01T04:00:00Z)") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _check_country(value: str | None) -> str | None:
    value = check_text("country", value)
    if value is None:
        return None
    if re.fullmatch(r"[A-Za-z]{2}", value):
        return value.upper()
    code = country_code(value)
    if code is None:
        raise InputError(f"unknown country '{value}' (expected: an ISO 3166 alpha-2 code such as KH, "
                         "LA, TH, VN, MM, CN, or a country name)")
    return code


def event_filter(country: str | None = None, admin1: str | None = None, substance: str | None = None,
                 commodity: str | None = None, date_from: str | None = None, date_to: str | None = None,
                 outlet: str | None = None, language: str | None = None,
                 q: str | None = None, updated_since: str | None = None) -> EventFilter:
    """The event filters from GET parameters, checked; blanks mean no filter.

    ``q`` keeps the events whose report contains every one of its words (full-text search of the
    report's title and text); ``updated_since`` keeps the facts of documents stored at or after that time, for incremental pulls.
    """
    return EventFilter(
        country=_check_country(country), admin1=check_text("admin1", admin1),
        substance=check_text("substance", substance), commodity=check_text("commodity", commodity),
        date_from=check_date("date_from", date_from, last_day=False),
        date_to=check_date("date_to", date_to, last_day=True),
        outlet=check_text("outlet", outlet), language=check_text("language", language), q=check_text("q", q),
        updated_since=check_since("updated_since", updated_since))


StoreDep = Annotated[Store, Depends(get_store)]
FilterDep = Annotated[EventFilter, Depends(event_filter)]
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
SortName = Literal["-date", "date", "-mass", "mass", "-arrests", "arrests", "-confidence", "confidence"]
Sort = Annotated[SortName, Query(description="The order: a field, largest or newest first with a leading '-' "
                                             "(mass: the event's seized kilograms); missing values last")]
Top = Annotated[int, Query(ge=1, le=1000, description="How many values of each facet, most events first")]


def event_json(row: EventRow) -> dict[str, Any]:
    """An event with its items, evidence spans, source document and sentence (the API's record)."""
    event = row.event
    record: dict[str, Any] = orjson.loads(with_source(render(event), event.incident, event.doc_id, row.outlet,
                                                      row.url, row.title, row.published))
    return record


def event_feature(record: dict[str, Any]) -> dict[str, Any]:
    """An event record as a GeoJSON Feature; unlocated events get ``geometry: null`` (RFC 7946 3.2)."""
    geometry = None
    if record["lat"] is not None and record["lon"] is not None:
        geometry = {"type": "Point", "coordinates": [record["lon"], record["lat"]]}
    record.pop("evidence")
    return {"type": "Feature", "id": record["id"], "geometry": geometry, "properties": record}


def document_summary(doc: Document) -> dict[str, Any]:
    """A document's metadata without its text, for listings."""
    return {"id": doc.id, "title": doc.title, "outlet": doc.outlet, "url": doc.url,
            "language": doc.language, "published": doc.published, "source": doc.source,
            "media_type": doc.media_type, "comments": len(doc.comments)}


def document_json(facts: Facts) -> dict[str, Any]:
    """A document with its text, furniture, comments kept apart, and every fact with evidence."""
    doc = facts.document
    body = document_summary(doc)
    body.update({"text": doc.text, "content_hash": doc.content_hash,
                 "published_precision": doc.published_precision, "published_raw": doc.published_raw,
                 "furniture": [asdict(span) for span in doc.furniture]})
    return {
        "ok": True,
        "document": body,
        "comments": [asdict(comment) for comment in doc.comments],
        "events": [event_record(e) for e in facts.events],
        "aggregates": [aggregate_record(a) for a in facts.aggregates],
        "quotes": [quote_record(q) for q in facts.quotes],
        "flows": [flow_record(f) for f in facts.flows],
    }


def next_link(request: Request, total: int, limit: int, offset: int) -> str | None:
    """The URL of the page after this one (same filters, ``offset`` moved on), None on the last page."""
    if offset + limit >= total:
        return None
    return str(request.url.include_query_params(offset=offset + limit))


def page_head(request: Request, total: int, limit: int, offset: int) -> dict[str, Any]:
    """The envelope every list shares: ok, total, limit, offset and next."""
    return {"ok": True, "total": total, "limit": limit, "offset": offset,
            "next": next_link(request, total, limit, offset)}


def _ok(model: type[BaseModel], description: str = "One page of records") -> dict[int | str, dict[str, Any]]:
    return {200: {"model": model, "description": description}}


def quote_filter(country: str | None = None, admin1: str | None = None, date_from: str | None = None,
                 date_to: str | None = None, outlet: str | None = None, language: str | None = None,
                 q: str | None = None, updated_since: str | None = None) -> EventFilter:
    """The filters quotes and documents take: of their report (country or province stated, publication dates);
    ``q`` searches the report's full text (and a quote's own words)."""
    return event_filter(country=country, admin1=admin1, date_from=date_from, date_to=date_to, outlet=outlet,
                        language=language, q=q, updated_since=updated_since)


def flow_filter(country: str | None = None, commodity: str | None = None, date_from: str | None = None,
                date_to: str | None = None, outlet: str | None = None, language: str | None = None,
                q: str | None = None, updated_since: str | None = None) -> EventFilter:
    """The filters flows take: a country at either end, the commodity, the report's outlet and dates."""
    return event_filter(country=country, commodity=commodity, date_from=date_from, date_to=date_to,
                        outlet=outlet, language=language, q=q, updated_since=updated_since)


QuoteFilterDep = Annotated[EventFilter, Depends(quote_filter)]
FlowFilterDep = Annotated[EventFilter, Depends(flow_filter)]


# The bulky endpoints render their own bytes: returning a dict would make FastAPI walk it again
# with jsonable_encoder, which cost more than the page's SQL (docs/performance.md). /api/events
# goes further and splices the events' stored JSON records into the page without parsing them.
@router.get("/events", responses=_ok(schemas.EventPage))
def list_events(request: Request, flt: FilterDep, store: StoreDep, limit: Limit = 100,
                offset: Offset = 0, sort: Sort = "-date") -> Response:
    """Seizure events matching the filters, newest first (or in ``sort``'s order), one page at a time."""
    events = store.event_texts(flt, limit=limit, offset=offset, sort=sort)
    head = orjson.dumps(page_head(request, store.count_events(flt), limit, offset))
    return Response(b"".join((head[:-1], b',"events":[', ",".join(events).encode(), b"]}")),
                    media_type="application/json")


@router.get("/events.geojson", responses={200: {
    "model": schemas.FeatureCollectionOut, "description": "One page of events as GeoJSON",
    "content": {"application/geo+json": {"schema": {"$ref": "#/components/schemas/FeatureCollectionOut"}}}}})
def events_geojson(request: Request, flt: FilterDep, store: StoreDep, limit: Limit = 1000,
                   offset: Offset = 0, sort: Sort = "-date") -> GeoJSONResponse:
    """The same events as a FeatureCollection, for map layers (the page's envelope as foreign members)."""
    records = store.event_records(flt, limit=limit, offset=offset, sort=sort)
    head = page_head(request, store.count_events(flt), limit, offset)
    collection = {"type": "FeatureCollection", "features": [event_feature(record) for record in records],
                  **{key: head[key] for key in ("total", "limit", "offset", "next")}}
    return GeoJSONResponse(collection)


@router.get("/events/facets", responses=_ok(schemas.FacetsOut, "Event counts by facet"))
def event_facets(flt: FilterDep, store: StoreDep, top: Top = 50) -> FastJSONResponse:
    """How many of the matching events fall under each country, province, substance, outlet and year."""
    facets = store.event_facets(flt, top=top)
    return FastJSONResponse({"ok": True, "total": store.count_events(flt), "facets": {
        name: [{"value": value, "count": count} for value, count in counts] for name, counts in facets.items()}})


@router.get("/aggregates", responses=_ok(schemas.AggregatePage))
def list_aggregates(request: Request, flt: FilterDep, store: StoreDep, limit: Limit = 100,
                    offset: Offset = 0) -> FastJSONResponse:
    """Cumulative statistics, kept apart from seizures so nobody sums them together."""
    rows = [aggregate_record(a) for a in store.aggregates(flt, limit=limit, offset=offset)]
    return FastJSONResponse({**page_head(request, store.count_aggregates(flt), limit, offset), "aggregates": rows})


@router.get("/quotes", responses=_ok(schemas.QuotePage))
def list_quotes(request: Request, flt: QuoteFilterDep, store: StoreDep, speaker: str | None = None,
                limit: Limit = 100, offset: Offset = 0) -> FastJSONResponse:
    """Quotes, optionally of one speaker; ``country`` keeps those of reports stating a seizure or statistic there."""
    who = check_text("speaker", speaker)
    rows = [quote_record(q) for q in store.quotes(speaker=who, flt=flt, limit=limit, offset=offset)]
    return FastJSONResponse({**page_head(request, store.count_quotes(who, flt), limit, offset), "quotes": rows})


@router.get("/flows", responses=_ok(schemas.FlowPage))
def list_flows(request: Request, flt: FlowFilterDep, store: StoreDep, limit: Limit = 100,
               offset: Offset = 0) -> FastJSONResponse:
    """Trafficking directions somebody asserted, with who asserted them; ``country`` matches either end."""
    rows = [flow_record(f) for f in store.flows(flt, limit=limit, offset=offset)]
    return FastJSONResponse({**page_head(request, store.count_flows(flt), limit, offset), "flows": rows})


@router.get("/documents", responses=_ok(schemas.DocumentPage))
def list_documents(request: Request, flt: QuoteFilterDep, store: StoreDep, limit: Limit = 100,
                   offset: Offset = 0) -> FastJSONResponse:
    """Stored documents without their text, newest first, one page at a time."""
    docs = store.documents(limit, offset, flt)
    return FastJSONResponse({**page_head(request, store.count_documents(flt), limit, offset),
                             "documents": [document_summary(doc) for doc in docs]})


@router.get("/documents/{doc_id:path}", responses={**_ok(schemas.DocumentOut, "The document and its facts"),
                                                   **NOT_FOUND})
def get_document(doc_id: str, store: StoreDep) -> FastJSONResponse:
    """One document's text, furniture, comments and all its facts with evidence."""
    facts = store.facts(doc_id)
    if facts is None:
        raise StarletteHTTPException(404, f"no document '{doc_id}'")
    return FastJSONResponse(document_json(facts))


@router.get("/incidents/{incident_id:path}", responses={**_ok(schemas.IncidentOut, "The incident's reports"),
                                                          **NOT_FOUND})
def get_incident(incident_id: str, store: StoreDep) -> FastJSONResponse:
    """Every report of one incident and each field across them, with the fields that disagree."""
    rows = incident_rows(store, incident_id)
    if not rows:
        raise StarletteHTTPException(404, f"no incident '{incident_id}'")
    fields, conflicts = compare_reports(rows)
    return FastJSONResponse({"ok": True, "incident": incident_id, "reports": [event_json(row) for row in rows],
                             "fields": fields, "conflicts": conflicts})
