"""The HTML pages (event list, evidence document page), the app factory and the server.

Document text is escaped piece by piece here and only then marked safe; templates
autoescape everything else.
"""

from __future__ import annotations

import dataclasses
import heapq
import os
import re
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
import pycountry
import uvicorn
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from borderwatch.config import Settings, load_settings
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.lang import has_pack, language_for
from borderwatch.model import Aggregate, Facts, Flow, Quote, SeizureEvent, Span
from borderwatch.review import field_names, overlay_events, visible_events
from borderwatch.serve import dashboard
from borderwatch.serve.analysis import router as analysis_router
from borderwatch.serve.api import FilterDep, Limit, Offset, StoreDep, install_error_handlers, install_openapi
from borderwatch.serve.api import router as api_router
from borderwatch.serve.dashboard import (
    fact_anchor,
    format_number,
    format_quantities,
    format_substances,
    incident_href,
    numbered_facts,
)
from borderwatch.serve.downloads import router as downloads_router
from borderwatch.serve.guard import BodyLimitMiddleware, SecurityHeadersMiddleware, exposure_warning
from borderwatch.serve.mapsvg import BOUNDARIES_DIR
from borderwatch.serve.review import review_context
from borderwatch.serve.review import router as review_router
from borderwatch.serve.timeline import render_timeline_svg
from borderwatch.signin import SigninLimits
from borderwatch.store.repo import Store

HERE = Path(__file__).parent
PAGE_SIZE = 50

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(env=jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True, undefined=jinja2.StrictUndefined))
FILTER_NAMES = ("commodity", "substance", "country", "admin1", "date_from", "date_to", "outlet", "language", "q")


@dataclass(frozen=True)
class Highlight:
    """Characters ``start:end`` to wrap in ``<tag attrs>``; ``anchor`` goes on the first piece only."""

    start: int
    end: int
    tag: str
    attrs: tuple[tuple[str, str], ...]
    anchor: str | None = None


@dataclass(frozen=True)
class FactEntry:
    """One fact in the document page's side list, linking to its first highlight."""

    kind: str
    label: str
    anchor: str | None


def link_target(url: str | None) -> str:
    """``url`` if it is http(s), else "": a stored javascript: URL must never become a link."""
    return url if url and re.match(r"https?://", url, re.IGNORECASE) else ""


templates.env.filters["quantities"] = format_quantities
templates.env.filters["substances"] = format_substances
templates.env.filters["link_target"] = link_target
templates.env.filters["incident_href"] = incident_href
templates.env.filters["display_value"] = dashboard.display_value
templates.env.globals["review_fields"] = field_names


def render_highlights(text: str, highlights: Sequence[Highlight]) -> Markup:
    """``text`` as HTML with each highlight wrapped in its tag; crossing ones split at boundaries.

    Nested highlights stay whole; one that crosses another is cut where the other ends, so
    the tags always nest. Each element carries ``data-start``/``data-end`` of its piece.
    """
    valid = [h for h in highlights if 0 <= h.start < h.end <= len(text)]
    out: list[str] = []
    pos = 0
    open_stack: list[tuple[int, str]] = []
    for piece, start, end in _nested_pieces(valid):
        while open_stack and open_stack[-1][0] <= start:
            close_at, tag = open_stack.pop()
            out.append(str(escape(text[pos:close_at])) + f"</{tag}>")
            pos = close_at
        out.append(str(escape(text[pos:start])))
        pos = start
        attrs = list(piece.attrs) + [("data-start", str(start)), ("data-end", str(end))]
        if piece.anchor and start == piece.start:
            attrs.insert(0, ("id", piece.anchor))
        out.append(f"<{piece.tag}" + "".join(f' {name}="{escape(value)}"' for name, value in attrs) + ">")
        open_stack.append((end, piece.tag))
    while open_stack:
        close_at, tag = open_stack.pop()
        out.append(str(escape(text[pos:close_at])) + f"</{tag}>")
        pos = close_at
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def _nested_pieces(highlights: Sequence[Highlight]) -> list[tuple[Highlight, int, int]]:
    # Visit by (start, longest first); a highlight running past the innermost open one is
    # cut there and its remainder queued, so every emitted piece nests inside the open ones.
    queue = [(h.start, -h.end, i) for i, h in enumerate(highlights)]
    heapq.heapify(queue)
    open_ends: list[int] = []
    pieces = []
    while queue:
        start, negative_end, index = heapq.heappop(queue)
        end = -negative_end
        while open_ends and open_ends[-1] <= start:
            open_ends.pop()
        if open_ends and end > open_ends[-1]:
            heapq.heappush(queue, (open_ends[-1], -end, index))
            end = open_ends[-1]
        pieces.append((highlights[index], start, end))
        open_ends.append(end)
    return pieces


def _css_name(field: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", field.lower()).strip("-") or "evidence"


def _field_value(fact: Any, span: Span) -> str:
    # The normalised value the span supports, if the field names one; else the words themselves.
    names = {f.name for f in fields(fact)} if is_dataclass(fact) else set()
    value = getattr(fact, span.field) if span.field in names else None
    if value is None or value == () or is_dataclass(value):
        return span.text
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value)
    return str(value)


def _mark(span: Span, owner: Any, fact_number: int, anchor: str | None) -> Highlight:
    field = span.field or "evidence"
    attrs = (("class", f"ev ev-{_css_name(field)}"), ("data-field", field),
             ("data-fact", str(fact_number)), ("title", f"{field}: {_field_value(owner, span)}"))
    return Highlight(span.start, span.end, "mark", attrs, anchor)


def document_highlights(facts: Facts) -> tuple[list[Highlight], list[FactEntry]]:
    """Highlights for every evidence span and furniture, and the side list linking to them."""
    highlights = [Highlight(f.start, f.end, "span", (("class", "furniture"),
                                                     ("title", f"page furniture: {f.field or 'other'}")))
                  for f in facts.document.furniture]
    entries = []
    for number, kind, fact in numbered_facts(facts):
        owned: list[tuple[Span, Any]] = [(span, fact) for span in fact.evidence]
        owned += [(span, item) for item in getattr(fact, "items", ()) for span in item.evidence]
        owned.sort(key=lambda pair: (pair[0].start, -pair[0].end))
        anchor = fact_anchor(number, fact)
        highlights += [_mark(span, owner, number, anchor if i == 0 else None)
                       for i, (span, owner) in enumerate(owned)]
        entries.append(FactEntry(kind, _fact_label(fact), anchor))
    return highlights, entries


def _fact_label(fact: SeizureEvent | Aggregate | Quote | Flow) -> str:
    if isinstance(fact, SeizureEvent):
        return _event_label(fact)
    if isinstance(fact, Aggregate):
        return _aggregate_label(fact)
    if isinstance(fact, Quote):
        return f"{fact.speaker or 'unknown speaker'} ({fact.kind}): {fact.text}"
    return (f"{fact.origin} → {fact.destination}, {fact.commodity}"
            + (f", asserted by {fact.asserted_by}" if fact.asserted_by else ""))


def _event_label(event: SeizureEvent) -> str:
    where = ", ".join(p for p in (event.place, event.admin1, event.country) if p)
    what = f"{format_substances(event.items)} {format_quantities(event.items)}".strip()
    background = " (background)" if event.background else ""
    return f"{event.date or 'undated'}, {where or 'place not stated'}: {what}{background}"


def _aggregate_label(aggregate: Aggregate) -> str:
    period = f"{aggregate.period_start or '?'} to {aggregate.period_end or '?'}"
    counts = [f"{value:,} {name}" for name, value in (("arrests", aggregate.arrests),
                                                      ("cases", aggregate.cases)) if value is not None]
    return ", ".join([period, aggregate.country or "country not stated",
                      format_quantities(aggregate.items), *counts])


def _page_links(request: Request, offset: int, limit: int, total: int) -> dict[str, str | None]:
    params = {k: v for k, v in request.query_params.items() if k != "offset" and v}
    previous = "?" + urlencode({**params, "offset": max(offset - limit, 0)})
    following = "?" + urlencode({**params, "offset": offset + limit})
    return {"previous": previous if offset > 0 else None,
            "next": following if offset + limit < total else None}


def filter_query(request: Request) -> str:
    """The page's non-empty filters as a query string, for links that keep them."""
    return urlencode([(name, value) for name, value in request.query_params.items()
                      if name in FILTER_NAMES and value.strip()])


def _filter_context(request: Request, store: Store) -> dict[str, Any]:
    return {"filters": {name: request.query_params.get(name, "") for name in FILTER_NAMES},
            "query": filter_query(request), "counts": store.counts(), **review_context(request)}


@router.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
def index_page(request: Request, flt: FilterDep, store: StoreDep, limit: Limit = PAGE_SIZE,
               offset: Offset = 0) -> HTMLResponse:
    """The dashboard: map, timeline, event table and claims, all narrowed by the same filters."""
    context = _filter_context(request, store)
    gazetteer = Gazetteer.load()
    mapped = dashboard.matching_events(store, flt)
    aggregates = store.aggregates(flt)
    timeline = dashboard.timeline(mapped, aggregates, context["query"])
    total = store.count_events(flt)
    speakers = dashboard.claims_board(store, flt, gazetteer)
    flows = dashboard.matching_flows(store, flt, gazetteer)
    incidents = dashboard.incident_count(mapped)
    query = context["query"]
    suffix = f"&{query}" if query else ""
    context.update({
        # Reviewed values: an editor's correction shows in the table, the extraction stays stored.
        "rows": [reviewed.row for reviewed in visible_events(store, flt, limit, offset)],
        "total": total, "offset": offset,
        "pages": _page_links(request, offset, limit, total), "mapped": len(mapped),
        "view_counts": {"seizure events": total, "incidents": incidents, "official statistics": len(aggregates),
                        "quotes": sum(s.count for s in speakers), "stated flows": len(flows)},
        "undated": dashboard.undated_incidents(mapped),
        "timeline": render_timeline_svg(timeline, "Seizure incidents per month by commodity; official "
                                                  "statistics' periods as labelled bands below"),
        "statistics": timeline.spans,
        "downloads": [("CSV", f"/api/events.csv{'?' + query if query else ''}"),
                      ("GeoJSON", f"/api/export?format=geojson{suffix}"),
                      ("Parquet", f"/api/export?format=parquet{suffix}"),
                      ("JSON lines", f"/api/export?format=jsonl{suffix}")],
        "map_source": f"/api/map{'?' + query if query else ''}",
        "speakers": speakers[:8], "speaker_total": len(speakers)})
    return templates.TemplateResponse(request, "dashboard.html", context)


def html_error(request: Request, message: str, status: int, headers: dict[str, str] | None = None) -> HTMLResponse:
    """The error page browsers get (the API keeps its JSON shape)."""
    titles = {400: "That request could not be read", 401: "Please sign in", 403: "Not allowed",
              404: "Page not found", 405: "Not allowed here", 413: "Too much data sent",
              429: "Too many attempts", 500: "Something went wrong"}
    context = {"status": status, "message": message, "heading": titles.get(status, "Something went wrong")}
    return templates.TemplateResponse(request, "error.html", context, status_code=status, headers=headers)


@router.get("/claims", response_class=HTMLResponse)
def claims_page(request: Request, flt: FilterDep, store: StoreDep) -> HTMLResponse:
    """Every quote matching the filters, by speaker and topic, each linking to its evidence."""
    context = _filter_context(request, store)
    context["speakers"] = dashboard.claims_board(store, flt, Gazetteer.load())
    return templates.TemplateResponse(request, "claims.html", context)


@dataclass(frozen=True)
class ReportColumn:
    """One report of an incident, shown beside the others with this event's evidence highlighted."""

    number: int
    event: SeizureEvent
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None
    language: str
    body: Markup
    anchor: str | None


def _report_column(number: int, facts: Facts, event: SeizureEvent) -> ReportColumn:
    # Only this event's spans: the other facts of the report would distract from the comparison.
    highlights, entries = document_highlights(Facts(document=facts.document, events=[event]))
    prefix = f"r{number}-"
    highlights = [replace(h, anchor=prefix + h.anchor) if h.anchor else h for h in highlights]
    anchor = prefix + entries[0].anchor if entries and entries[0].anchor else None
    doc = facts.document
    return ReportColumn(number, event, doc.title, doc.outlet, doc.published, doc.url, doc.language,
                        render_highlights(doc.text, highlights), anchor)


@router.get("/incidents/{incident_id:path}", response_class=HTMLResponse)
def incident_page(request: Request, incident_id: str, store: StoreDep) -> HTMLResponse:
    """Every report of one incident side by side, and each field compared with conflicts marked."""
    rows = dashboard.incident_rows(store, incident_id)
    if not rows:
        raise StarletteHTTPException(404, f"no incident '{incident_id}'")
    columns = []
    for number, row in enumerate(rows, start=1):
        facts = store.facts(row.event.doc_id)
        if facts is None:
            raise StarletteHTTPException(404, f"no document '{row.event.doc_id}'")
        columns.append(_report_column(number, facts, row.event))
    fields, conflicts = dashboard.compare_reports(rows)
    context = {**_filter_context(request, store), "incident": incident_id, "columns": columns,
               "fields": fields, "conflicts": conflicts, "median_mass_kg": dashboard.consensus_mass_kg(rows),
               "reviews": overlay_events(store, [row.event for row in rows])}
    return templates.TemplateResponse(request, "incident.html", context)


@dataclass(frozen=True)
class Reading:
    """The language a document is in and the language pack it was read with."""

    code: str
    """The document's language code ("km"), or "unknown" when none was identified."""
    name: str
    """Its English name ("Khmer"), or the code itself when ISO 639 does not know it."""
    has_pack: bool
    """Is there a language pack for ``code`` (a folder with a pack.json under borderwatch/lang/)?"""
    pack_code: str
    """The pack the extractor read it with: ``code`` when there is one, English's otherwise."""
    pack_name: str


def language_name(code: str) -> str:
    """The English name of an ISO 639 language code ("my" -> "Burmese"); the code when unknown."""
    found = pycountry.languages.get(alpha_2=code) if len(code) == 2 else pycountry.languages.get(alpha_3=code)
    return str(found.name) if found is not None else code


def document_reading(language: str | None) -> Reading:
    """How the extractor read a document in ``language``, as ``pipeline`` and ``extract`` choose it."""
    code = (language or "").strip() or "unknown"
    pack = language_for(language or None)
    return Reading(code=code, name=language_name(code),
                   has_pack=has_pack(code), pack_code=pack.code, pack_name=pack.name)


@router.get("/documents/{doc_id:path}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str, store: StoreDep) -> HTMLResponse:
    """A report with every extracted value highlighted where it came from."""
    facts = store.facts(doc_id)
    if facts is None:
        raise StarletteHTTPException(404, f"no document '{doc_id}'")
    highlights, entries = document_highlights(facts)
    # Seizures come first in ``entries`` (numbered_facts' order), so reviews[i] belongs to entries[i].
    context = {"doc": facts.document, "body": render_highlights(facts.document.text, highlights),
               "entries": entries, "reviews": overlay_events(store, facts.events),
               "reading": document_reading(facts.document.language), **review_context(request)}
    return templates.TemplateResponse(request, "document.html", context)


def create_app(settings: Settings) -> FastAPI:
    """The whole site (JSON API, pages, static files) over one Store opened here."""
    store = Store.open(settings.db_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(title="borderwatch", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Evidence-linked seizure events, statistics, quotes and trafficking flows. "
                              "The schema is at /openapi.json; /docs renders it with Swagger UI served "
                              "from this server (no CDN).")

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        # Swagger UI started from a static script: the CSP allows no inline <script>.
        return templates.TemplateResponse(request, "docs.html", {})

    app.state.store = store
    app.state.signin_limits = SigninLimits(client_limit=settings.signin_client_limit,
                                           global_limit=settings.signin_global_limit)
    install_error_handlers(app)
    install_openapi(app)
    app.include_router(api_router)
    app.include_router(router)
    app.include_router(review_router)
    app.include_router(analysis_router)
    app.include_router(downloads_router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    # The outlines the map draws, as the committed GeoJSON files (no tile server).
    app.mount("/boundaries", StaticFiles(directory=BOUNDARIES_DIR), name="boundaries")
    app.state.html_error = html_error
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(BodyLimitMiddleware, limit_bytes=settings.max_body_kb * 1024)
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    return app


def create_app_from_environment() -> FastAPI:
    """The app for each worker process: settings come from BORDERWATCH_* set by ``serve``."""
    return create_app(load_settings())


def serve(settings: Settings) -> None:
    """Run the site with uvicorn until Ctrl-C; several worker processes when asked."""
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    warning = exposure_warning(settings.host)
    if warning:
        print(f"borderwatch: {warning}", file=sys.stderr, flush=True)
    if settings.workers > 1:
        Store.open(settings.db_url).close()  # fail here, once, if the database is unusable
        for name, value in dataclasses.asdict(settings).items():
            os.environ[f"BORDERWATCH_{name.upper()}"] = str(value)
        print(f"borderwatch: serving http://{host}:{settings.port} with {settings.workers} workers "
              "(Ctrl-C to stop)", flush=True)
        uvicorn.run("borderwatch.serve.web:create_app_from_environment", factory=True, host=settings.host,
                    port=settings.port, workers=settings.workers, log_level="warning")
        return
    app = create_app(settings)
    print(f"borderwatch: serving http://{host}:{settings.port} (Ctrl-C to stop)", flush=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
