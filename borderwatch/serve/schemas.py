"""The API's response shapes as pydantic models, for the OpenAPI document.

The endpoints keep rendering their own bytes (``api.py``: a page of events is spliced from stored
JSON, never validated on the way out); these models only describe what is sent, and the tests
check that real responses validate against them. Fields a client may rely on are typed; records
allow extra keys, so adding a field to a record never breaks a response.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Record(BaseModel):
    model_config = ConfigDict(extra="allow")


class SpanOut(_Record):
    """Where in the document's text the words supporting a field are."""

    field: str | None
    start: int
    end: int
    text: str


class ItemOut(_Record):
    """One commodity seized or counted, with its quantities as stated and normalised."""

    commodity: str
    substance: str | None = None
    form: str | None = None
    mass_kg: float | None = None
    mass_raw: str | None = None
    count: float | None = None
    count_unit: str | None = None
    count_raw: str | None = None
    volume_m3: float | None = None
    volume_raw: str | None = None
    qualifier: str | None = None
    evidence: list[SpanOut] = []


class SourceOut(_Record):
    """The document a fact was read from."""

    id: str
    outlet: str | None
    url: str | None
    title: str | None
    published: str | None


class EventOut(_Record):
    """A seizure event with its items, evidence spans, source document and sentence."""

    type: Literal["seizure"] = "seizure"
    id: str
    doc_id: str
    date: str | None = None
    date_precision: str | None = None
    country: str | None = None
    admin1: str | None = None
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    arrests: int | None = None
    suspect_nationalities: list[str] = []
    background: bool = False
    confidence: float
    incident: str | None = None
    items: list[ItemOut]
    evidence: list[SpanOut]
    field_confidence: dict[str, float] = {}
    document: SourceOut
    sentence: str | None = None


class AggregateOut(_Record):
    """A cumulative statistic (cases, arrests, quantities over a period), never summed with seizures."""

    type: Literal["aggregate"] = "aggregate"
    id: str
    doc_id: str
    country: str | None = None
    admin1: str | None = None
    agency: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    period_raw: str | None = None
    arrests: int | None = None
    cases: int | None = None
    confidence: float
    items: list[ItemOut]
    evidence: list[SpanOut]


class QuoteOut(_Record):
    """Words somebody said (directly or reported), with who said them."""

    id: str
    doc_id: str
    speaker: str | None = None
    kind: str
    text: str
    role: str | None = None
    confidence: float
    evidence: list[SpanOut]


class FlowOut(_Record):
    """A trafficking direction somebody asserted (``from`` -> ``to``)."""

    id: str
    doc_id: str
    from_: str = Field(alias="from")
    to: str
    commodity: str
    asserted_by: str | None = None
    confidence: float
    evidence: list[SpanOut]


class DocumentSummaryOut(_Record):
    """A stored document's metadata, without its text."""

    id: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    language: str
    published: str | None = None
    source: str
    media_type: str
    comments: int


class Page(BaseModel):
    """The envelope of every list: one page, how many match, and the link to the next page."""

    ok: Literal[True] = True
    total: int = Field(description="How many records match the filters, over every page")
    limit: int
    offset: int
    next: str | None = Field(description="The URL of the next page; null on the last page")


class EventPage(Page):
    events: list[EventOut]


class AggregatePage(Page):
    aggregates: list[AggregateOut]


class QuotePage(Page):
    quotes: list[QuoteOut]


class FlowPage(Page):
    flows: list[FlowOut]


class DocumentPage(Page):
    documents: list[DocumentSummaryOut]


class FeatureOut(BaseModel):
    """An event as a GeoJSON Feature (its record without evidence as properties)."""

    type: Literal["Feature"]
    id: str
    geometry: dict[str, Any] | None
    properties: dict[str, Any]


class FeatureCollectionOut(BaseModel):
    """Events as a GeoJSON FeatureCollection, with the page's envelope as foreign members."""

    type: Literal["FeatureCollection"]
    features: list[FeatureOut]
    total: int
    limit: int
    offset: int
    next: str | None


class DocumentOut(BaseModel):
    """One document with its text, comments kept apart, and every fact read from it."""

    model_config = ConfigDict(extra="allow")
    ok: Literal[True] = True
    document: dict[str, Any]
    comments: list[dict[str, Any]]
    events: list[dict[str, Any]]
    aggregates: list[AggregateOut]
    quotes: list[QuoteOut]
    flows: list[FlowOut]


class IncidentOut(BaseModel):
    """Every report of one incident, each field across them, and the fields that disagree."""

    model_config = ConfigDict(extra="allow")
    ok: Literal[True] = True
    incident: str
    reports: list[EventOut]
    fields: Any
    conflicts: Any


class FacetCount(BaseModel):
    """One value of a facet (null: not stated) and how many matching events have it."""

    value: str | None
    count: int


class Facets(BaseModel):
    """Counts of the matching events by each facet's values, most events first."""

    country: list[FacetCount]
    admin1: list[FacetCount]
    substance: list[FacetCount]
    outlet: list[FacetCount]
    year: list[FacetCount]


class FacetsOut(BaseModel):
    ok: Literal[True] = True
    total: int
    facets: Facets
