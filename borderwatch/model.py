"""The one domain model every stage speaks: documents in, evidence-linked facts out.

Every fact carries ``evidence``: spans into ``Document.text``, each labelled with the
field it supports, so a reader can always check a value against the words it came from.
Normalised values keep their raw string beside them (``mass_raw`` next to ``mass_kg``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Commodity = Literal["drugs", "timber", "wildlife", "other"]
FactKind = Literal["seizure", "aggregate", "quote", "flow"]
Precision = Literal["day", "month", "year"]
LocationPrecision = Literal["point", "district", "province", "country"]
QuoteKind = Literal["direct", "reported"]


Role = Literal["viewer", "editor"]
ROLES: tuple[Role, ...] = ("viewer", "editor")
"""Who may sign in to the review pages: viewers read, editors confirm, correct and reject facts."""
MIN_PASSWORD_LENGTH = 10

@dataclass(frozen=True)
class Span:
    """Characters ``start:end`` of a document's text, and which field they support."""

    doc_id: str
    start: int
    end: int
    text: str
    field: str | None = None


@dataclass(frozen=True)
class Comment:
    """A reader comment: kept with its document, never used as evidence."""

    text: str
    author: str | None = None
    posted: str | None = None
    abusive: bool = False
    abuse_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """One report: the article text facts point into, and its comments kept apart."""

    id: str
    text: str
    content_hash: str
    source: str
    media_type: Literal["text", "html"] = "text"
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    language: str = "en"
    published: str | None = None
    published_precision: Precision | None = None
    published_raw: str | None = None
    comments: tuple[Comment, ...] = ()
    furniture: tuple[Span, ...] = ()
    """Page furniture inside ``text`` (captions, related links, share bars, bylines): kept so
    offsets stay true, never used as evidence. ``Span.field`` names the kind."""

    family: str | None = None
    """The first document this one reposts or syndicates (its own id when it is the original)."""

    def is_furniture(self, start: int, end: int) -> bool:
        """Does ``start:end`` fall inside page furniture?"""
        return any(f.start <= start and end <= f.end for f in self.furniture)

    @property
    def illustrative(self) -> bool:
        """Is this a sample or composite report rather than real news (see ``is_illustrative``)?"""
        return is_illustrative(self.outlet)


def is_illustrative(outlet: str | None) -> bool:
    """Sample, composite and training reports are labelled "(illustrative)" in their outlet: never
    real news, so no figure an analyst hands on counts them unless asked."""
    return bool(outlet and "illustrative" in outlet.lower())


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: a named place with its country, province and coordinates."""

    name: str
    kind: Literal["country", "admin1", "district", "place", "checkpoint"]
    country: str
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None


@dataclass(frozen=True)
class Item:
    """One commodity in a seizure or statistic, with quantities as stated and normalised."""

    commodity: Commodity
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
    evidence: tuple[Span, ...] = ()


@dataclass(frozen=True)
class SeizureEvent:
    """A seizure the report presents as fact: where, when, what, who."""

    id: str
    doc_id: str
    items: tuple[Item, ...]
    date: str | None = None
    date_precision: Precision | None = None
    date_raw: str | None = None
    country: str | None = None
    admin1: str | None = None
    place: str | None = None
    location_precision: LocationPrecision | None = None
    geonames_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    arrests: int | None = None
    arrests_raw: str | None = None
    suspect_nationalities: tuple[str, ...] = ()
    origin_country: str | None = None
    destination_country: str | None = None
    agency: str | None = None
    concealment: str | None = None
    background: bool = False
    confidence: float = 0.5
    incident: str | None = None
    evidence: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Aggregate:
    """A cumulative statistic ("so far this year ... 682 kg"): never summed with seizures."""

    id: str
    doc_id: str
    items: tuple[Item, ...]
    country: str | None = None
    admin1: str | None = None
    agency: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    period_raw: str | None = None
    arrests: int | None = None
    cases: int | None = None
    confidence: float = 0.5
    evidence: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Quote:
    """Words attributed to a speaker, direct (in quotation marks) or reported."""

    id: str
    doc_id: str
    speaker: str | None
    kind: QuoteKind
    text: str
    role: str | None = None
    confidence: float = 0.5
    evidence: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Flow:
    """A trafficking direction somebody in the report asserts."""

    id: str
    doc_id: str
    origin: str
    destination: str
    commodity: Commodity
    asserted_by: str | None = None
    confidence: float = 0.5
    evidence: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Rejection:
    """Why an input or a candidate fact was set aside; kept for review, counted in the summary."""

    source: str
    stage: str
    reason: str
    message: str
    evidence: tuple[Span, ...] = ()


@dataclass
class Facts:
    """Everything extracted from one document, plus the candidates it rejected."""

    document: Document
    events: list[SeizureEvent] = field(default_factory=list)
    aggregates: list[Aggregate] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    gated: bool = False
    """Set aside by the relevance gate: no seizure word, so not extracted (and no facts)."""

    def spans(self) -> list[Span]:
        """All evidence spans of all facts, for highlighting and for contract checks."""
        counted: list[SeizureEvent | Aggregate] = [*self.events, *self.aggregates]
        said: list[Quote | Flow] = [*self.quotes, *self.flows]
        out: list[Span] = []
        for fact in counted:
            out.extend(fact.evidence)
            for item in fact.items:
                out.extend(item.evidence)
        for other in said:
            out.extend(other.evidence)
        return out
