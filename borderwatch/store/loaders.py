"""Reading stored facts back into the domain model, a page of facts at a time.

The loaders take rows of a fact table and fetch what hangs off them (items, evidence spans,
nationalities) with one query per kind, so a page of 100 events costs a handful of queries.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from borderwatch.model import Aggregate, Comment, Document, Flow, Item, Quote, Rejection, SeizureEvent, Span
from borderwatch.store import tables as t

# Keeps ``IN (...)`` lists well below SQLite's and PostgreSQL's bound-parameter limits.
_CHUNK = 500


def chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    """``values`` in slices small enough for one ``IN (...)`` list."""
    for i in range(0, len(values), _CHUNK):
        yield values[i:i + _CHUNK]


_SpanKey = tuple[int, int | None]

# The events columns a SeizureEvent is built from: not the rendered record (store/rendered.py).
EVENT_COLUMNS = tuple(column for column in t.events.c if column.name not in ("record", "record_format"))

# The loaders select named columns and unpack each row as a tuple: attribute access on a
# SQLAlchemy Row costs about 1.5 us, which made building a page's spans cost more than its SQL.
_SPAN_COLUMNS = (t.spans.c.fact_pk, t.spans.c.item_index, t.spans.c.doc_id, t.spans.c.start, t.spans.c.end,
                 t.spans.c.text, t.spans.c.field)
_ITEM_COLUMNS = (t.items.c.parent_pk, t.items.c.position, t.items.c.commodity, t.items.c.substance,
                 t.items.c.form, t.items.c.mass_kg, t.items.c.mass_raw, t.items.c["count"],
                 t.items.c.count_unit, t.items.c.count_raw, t.items.c.volume_m3, t.items.c.volume_raw,
                 t.items.c.qualifier)
# Built once: SQLAlchemy then reuses their compiled form and only expands the pk list.
_SPANS_OF = (sa.select(*_SPAN_COLUMNS)
             .where(t.spans.c.fact_kind == sa.bindparam("kind"),
                    t.spans.c.fact_pk.in_(sa.bindparam("pks", expanding=True)))
             .order_by(t.spans.c.fact_pk, t.spans.c.item_index, t.spans.c.position))
_ITEMS_OF = (sa.select(*_ITEM_COLUMNS)
             .where(t.items.c.parent_kind == sa.bindparam("kind"),
                    t.items.c.parent_pk.in_(sa.bindparam("pks", expanding=True)))
             .order_by(t.items.c.parent_pk, t.items.c.position))
_NATIONALITIES_OF = (sa.select(t.suspect_nationalities.c.event_pk, t.suspect_nationalities.c.country)
                     .where(t.suspect_nationalities.c.event_pk.in_(sa.bindparam("pks", expanding=True)))
                     .order_by(t.suspect_nationalities.c.event_pk, t.suspect_nationalities.c.position))
# SeizureEvent's keyword for each events column it is built from, in the order they are read.
_EVENT_FIELDS = ("id", "doc_id", "date", "date_precision", "date_raw", "country", "admin1", "place",
                 "location_precision", "geonames_id", "lat", "lon", "arrests", "arrests_raw",
                 "origin_country", "destination_country", "agency", "concealment", "background",
                 "confidence", "incident")


def load_spans(conn: sa.Connection, kind: str, pks: Sequence[int]) -> dict[_SpanKey, tuple[Span, ...]]:
    """Evidence of the ``kind`` facts ``pks``, keyed by (fact pk, item index or None)."""
    found: dict[_SpanKey, list[Span]] = defaultdict(list)
    for chunk in chunks(pks):
        rows = conn.execute(_SPANS_OF, {"kind": kind, "pks": list(chunk)}).all()
        for fact_pk, item_index, doc_id, start, end, text, field in rows:
            found[(fact_pk, item_index)].append(Span(doc_id, start, end, text, field))
    return {key: tuple(spans) for key, spans in found.items()}


def load_items(conn: sa.Connection, kind: str, pks: Sequence[int],
                spans: dict[_SpanKey, tuple[Span, ...]]) -> dict[int, tuple[Item, ...]]:
    found: dict[int, list[Item]] = defaultdict(list)
    for chunk in chunks(pks):
        rows = conn.execute(_ITEMS_OF, {"kind": kind, "pks": list(chunk)}).all()
        for (parent_pk, position, commodity, substance, form, mass_kg, mass_raw, count, count_unit, count_raw,
             volume_m3, volume_raw, qualifier) in rows:
            found[parent_pk].append(Item(
                commodity=commodity, substance=substance, form=form, mass_kg=mass_kg, mass_raw=mass_raw,
                count=count, count_unit=count_unit, count_raw=count_raw, volume_m3=volume_m3,
                volume_raw=volume_raw, qualifier=qualifier, evidence=spans.get((parent_pk, position), ())))
    return {pk: tuple(values) for pk, values in found.items()}


def load_documents(conn: sa.Connection, rows: Sequence[sa.Row[Any]]) -> list[Document]:
    ids = [row.id for row in rows]
    comments: dict[str, list[Comment]] = defaultdict(list)
    furniture: dict[str, list[Span]] = defaultdict(list)
    for chunk in chunks(ids):
        query = (sa.select(t.comments).where(t.comments.c.doc_id.in_(chunk))
                 .order_by(t.comments.c.doc_id, t.comments.c.position))
        for row in conn.execute(query):
            comments[row.doc_id].append(Comment(text=row.text, author=row.author, posted=row.posted,
                                                abusive=row.abusive, abuse_terms=tuple(row.abuse_terms)))
        query = (sa.select(t.furniture).where(t.furniture.c.doc_id.in_(chunk))
                 .order_by(t.furniture.c.doc_id, t.furniture.c.position))
        for row in conn.execute(query):
            furniture[row.doc_id].append(Span(doc_id=row.doc_id, start=row.start, end=row.end,
                                              text=row.text, field=row.kind))
    return [Document(
        id=row.id, text=row.text, content_hash=row.content_hash, source=row.source,
        media_type=row.media_type, title=row.title, outlet=row.outlet, url=row.url,
        language=row.language, published=row.published, published_precision=row.published_precision,
        published_raw=row.published_raw, comments=tuple(comments[row.id]),
        furniture=tuple(furniture[row.id]), family=row.family) for row in rows]


def load_events(conn: sa.Connection, rows: Sequence[sa.Row[Any]]) -> list[SeizureEvent]:
    if not rows:
        return []
    position = {name: i for i, name in enumerate(rows[0]._fields)}
    pk_at = position["pk"]
    columns = operator.itemgetter(*(position[name] for name in _EVENT_FIELDS))
    pks = [row[pk_at] for row in rows]
    spans = load_spans(conn, "seizure", pks)
    items = load_items(conn, "seizure", pks, spans)
    nationalities: dict[int, list[str]] = defaultdict(list)
    for chunk in chunks(pks):
        for event_pk, country in conn.execute(_NATIONALITIES_OF, {"pks": list(chunk)}).all():
            nationalities[event_pk].append(country)
    events = []
    for pk, row in zip(pks, rows, strict=True):
        values = dict(zip(_EVENT_FIELDS, columns(row), strict=True))
        events.append(SeizureEvent(items=items.get(pk, ()), suspect_nationalities=tuple(nationalities.get(pk, ())),
                                   evidence=spans.get((pk, None), ()), **values))
    return events


def load_aggregates(conn: sa.Connection, rows: Sequence[sa.Row[Any]]) -> list[Aggregate]:
    pks = [row.pk for row in rows]
    spans = load_spans(conn, "aggregate", pks)
    items = load_items(conn, "aggregate", pks, spans)
    return [Aggregate(
        id=row.id, doc_id=row.doc_id, items=items.get(row.pk, ()), country=row.country,
        admin1=row.admin1, agency=row.agency, period_start=row.period_start, period_end=row.period_end,
        period_raw=row.period_raw, arrests=row.arrests, cases=row.cases, confidence=row.confidence,
        evidence=spans.get((row.pk, None), ())) for row in rows]


def load_quotes(conn: sa.Connection, rows: Sequence[sa.Row[Any]]) -> list[Quote]:
    spans = load_spans(conn, "quote", [row.pk for row in rows])
    return [Quote(id=row.id, doc_id=row.doc_id, speaker=row.speaker, kind=row.kind, text=row.text,
                  role=row.role, confidence=row.confidence, evidence=spans.get((row.pk, None), ()))
            for row in rows]


def load_flows(conn: sa.Connection, rows: Sequence[sa.Row[Any]]) -> list[Flow]:
    spans = load_spans(conn, "flow", [row.pk for row in rows])
    return [Flow(id=row.id, doc_id=row.doc_id, origin=row.origin, destination=row.destination,
                 commodity=row.commodity, asserted_by=row.asserted_by, confidence=row.confidence,
                 evidence=spans.get((row.pk, None), ())) for row in rows]


def load_rejections(conn: sa.Connection, rows: Sequence[sa.Row[Any]]) -> list[Rejection]:
    spans = load_spans(conn, "rejection", [row.pk for row in rows])
    return [Rejection(source=row.source, stage=row.stage, reason=row.reason, message=row.message,
                      evidence=spans.get((row.pk, None), ())) for row in rows]


def sentence_span(evidence: tuple[Span, ...]) -> Span | None:
    """The evidence an analyst reads first: the span labelled "sentence", else the first span."""
    for span in evidence:
        if span.field == "sentence":
            return span
    return evidence[0] if evidence else None


def span_text(span: Span | None) -> str | None:
    return span.text if span is not None else None
