"""Store writes: a document's facts checked against its text and inserted, a few statements per table."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from borderwatch.errors import Rejected
from borderwatch.model import Aggregate, Document, Facts, Flow, Quote, Rejection, SeizureEvent, Span
from borderwatch.store import tables as t
from borderwatch.store.filters import event_terms
from borderwatch.store.rendered import store_records


def now_iso() -> str:
    """The current UTC time, to the second, as ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def hash_exists(conn: sa.Connection, content_hash: str) -> bool:
    """Is a document with these exact contents already stored?"""
    query = sa.select(t.documents.c.id).where(t.documents.c.content_hash == content_hash)
    return conn.execute(query).first() is not None


def check_contract(facts: Facts) -> None:
    """Refuse facts that point at another document or whose evidence is not the document's text."""
    doc = facts.document
    if "\x00" in doc.text:
        raise Rejected("nul-in-text", "store", doc.source,
                       "document text contains NUL characters, which PostgreSQL cannot store")
    every: list[SeizureEvent | Aggregate | Quote | Flow] = [*facts.events, *facts.aggregates, *facts.quotes,
                                                            *facts.flows]
    for fact in every:
        if fact.doc_id != doc.id:
            raise Rejected("fact-document-mismatch", "store", doc.source,
                           f"fact {fact.id} names document {fact.doc_id}, not {doc.id}")
    for span in [*facts.spans(), *doc.furniture]:
        if span.doc_id == doc.id and doc.text[span.start:span.end] != span.text:
            raise Rejected("evidence-mismatch", "store", doc.source,
                           f"span {span.start}:{span.end} ({span.field}) does not match the document text")


def insert_one(conn: sa.Connection, facts: Facts, run_id: int | None) -> bool:
    """Store one document and its facts on ``conn``; False if its contents are already stored."""
    doc = facts.document
    if hash_exists(conn, doc.content_hash):
        return False
    doc_id = doc.id
    taken = conn.execute(sa.select(t.documents.c.id).where(t.documents.c.id == doc_id)).first()
    if taken is not None:
        doc_id = f"{doc.id}-{doc.content_hash[:8]}"
    _insert_document(conn, doc, doc_id, run_id)
    _insert_facts(conn, facts, doc_id, run_id)
    return True


def insert_row(conn: sa.Connection, table: sa.Table, values: dict[str, Any]) -> int:
    """Insert one row into ``table``; its primary key."""
    key = conn.execute(sa.insert(table), values).inserted_primary_key
    assert key is not None
    return int(key[0])


def _insert_document(conn: sa.Connection, doc: Document, doc_id: str, run_id: int | None) -> None:
    conn.execute(sa.insert(t.documents), {
        "id": doc_id, "content_hash": doc.content_hash, "source": doc.source, "media_type": doc.media_type,
        "title": doc.title, "outlet": doc.outlet, "url": doc.url, "language": doc.language,
        "published": doc.published, "published_precision": doc.published_precision,
        "published_raw": doc.published_raw, "text": doc.text, "run_id": run_id, "family": doc.family,
        "stored": now_iso()})
    if doc.comments:
        conn.execute(sa.insert(t.comments), [
            {"doc_id": doc_id, "position": i, "text": c.text, "author": c.author, "posted": c.posted,
             "abusive": c.abusive, "abuse_terms": list(c.abuse_terms)}
            for i, c in enumerate(doc.comments)])
    if doc.furniture:
        conn.execute(sa.insert(t.furniture), [
            {"doc_id": doc_id, "position": i, "kind": f.field, "start": f.start, "end": f.end,
             "text": f.text}
            for i, f in enumerate(doc.furniture)])


def _insert_many(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` as one executemany; their primary keys, in the order of ``rows``.

    Values go in as bound parameters of one cached statement: ``insert().values(**row)`` per row
    made SQLAlchemy build and cache-key a new statement each time, most of a bulk load's cost.
    """
    if not rows:
        return []
    query = sa.insert(table).returning(table.c.pk, sort_by_parameter_order=True)
    return [int(pk) for pk in conn.execute(query, rows).scalars()]


_Fact = SeizureEvent | Aggregate | Quote | Flow | Rejection


def _insert_facts(conn: sa.Connection, facts: Facts, doc_id: str, run_id: int | None) -> None:
    """Every fact of ``facts`` with its items, nationalities and evidence: a few statements per table."""
    original_id = facts.document.id
    event_pks = _insert_many(conn, t.events, [_event_row(event, doc_id) for event in facts.events])
    nationalities = [{"event_pk": pk, "position": i, "country": code}
                     for pk, event in zip(event_pks, facts.events, strict=True)
                     for i, code in enumerate(event.suspect_nationalities)]
    if nationalities:
        conn.execute(sa.insert(t.suspect_nationalities), nationalities)
    kinds: list[tuple[str, list[int], Sequence[_Fact]]] = [("seizure", event_pks, facts.events)]
    kinds.append(("aggregate", _insert_many(conn, t.aggregates, [
        {"id": a.id, "doc_id": doc_id, "country": a.country, "admin1": a.admin1, "agency": a.agency,
         "period_start": a.period_start, "period_end": a.period_end, "period_raw": a.period_raw,
         "arrests": a.arrests, "cases": a.cases, "confidence": a.confidence}
        for a in facts.aggregates]), facts.aggregates))
    kinds.append(("quote", _insert_many(conn, t.quotes, [
        {"id": q.id, "doc_id": doc_id, "speaker": q.speaker, "kind": q.kind, "text": q.text, "role": q.role,
         "confidence": q.confidence} for q in facts.quotes]), facts.quotes))
    kinds.append(("flow", _insert_many(conn, t.flows, [
        {"id": f.id, "doc_id": doc_id, "origin": f.origin, "destination": f.destination,
         "commodity": f.commodity, "asserted_by": f.asserted_by, "confidence": f.confidence}
        for f in facts.flows]), facts.flows))
    rejections = [_without_nul_rejection(r) for r in facts.rejections]
    kinds.append(("rejection", _insert_many(conn, t.rejections, [
        _rejection_row(r, run_id, None, doc_id) for r in rejections]), rejections))
    _insert_children(conn, kinds, doc_id, original_id)
    terms = [{"event_pk": pk, "term": term, "country": event.country, "date": event.date}
             for pk, event in zip(event_pks, facts.events, strict=True)
             for term in event_terms(event, facts.document.outlet, facts.document.language)]
    if terms:
        conn.execute(sa.insert(t.event_terms), terms)
    store_records(conn, event_pks)


def _insert_children(conn: sa.Connection, kinds: Sequence[tuple[str, list[int], Sequence[_Fact]]],
                     doc_id: str | None, original_id: str | None) -> None:
    """The items and evidence spans of stored facts, one executemany per table."""
    items: list[dict[str, Any]] = []
    spans: list[dict[str, Any]] = []
    for kind, pks, facts in kinds:
        for pk, fact in zip(pks, facts, strict=True):
            spans += _span_rows(kind, pk, None, fact.evidence, doc_id, original_id)
            for i, item in enumerate(fact.items if isinstance(fact, SeizureEvent | Aggregate) else ()):
                items.append({
                    "parent_kind": kind, "parent_pk": pk, "position": i, "commodity": item.commodity,
                    "substance": item.substance, "form": item.form, "mass_kg": item.mass_kg,
                    "mass_raw": item.mass_raw, "count": item.count, "count_unit": item.count_unit,
                    "count_raw": item.count_raw, "volume_m3": item.volume_m3, "volume_raw": item.volume_raw,
                    "qualifier": item.qualifier})
                spans += _span_rows(kind, pk, i, item.evidence, doc_id, original_id)
    if items:
        conn.execute(sa.insert(t.items), items)
    if spans:
        conn.execute(sa.insert(t.spans), spans)


def _span_rows(kind: str, fact_pk: int, item_index: int | None, evidence: Iterable[Span],
               doc_id: str | None, original_id: str | None) -> list[dict[str, Any]]:
    """Spans as rows; those of the stored document name it by the id it was stored under."""
    return [{"fact_kind": kind, "fact_pk": fact_pk, "item_index": item_index, "position": i,
             "doc_id": doc_id if s.doc_id == original_id and doc_id is not None else s.doc_id,
             "field": s.field, "start": s.start, "end": s.end, "text": s.text}
            for i, s in enumerate(evidence)]


def _event_row(event: SeizureEvent, doc_id: str) -> dict[str, Any]:
    return {
        "id": event.id, "doc_id": doc_id, "date": event.date, "date_precision": event.date_precision,
        "date_raw": event.date_raw, "country": event.country, "admin1": event.admin1,
        "place": event.place, "location_precision": event.location_precision,
        "geonames_id": event.geonames_id, "lat": event.lat, "lon": event.lon, "arrests": event.arrests,
        "arrests_raw": event.arrests_raw, "origin_country": event.origin_country,
        "destination_country": event.destination_country, "agency": event.agency,
        "concealment": event.concealment, "background": event.background,
        "confidence": event.confidence, "incident": event.incident}


def _rejection_row(rejection: Rejection, run_id: int | None, quarantine_path: str | None,
                   doc_id: str | None) -> dict[str, Any]:
    return {"run_id": run_id, "doc_id": doc_id, "source": rejection.source, "stage": rejection.stage,
            "reason": rejection.reason, "message": rejection.message, "quarantine_path": quarantine_path}


def _without_nul_rejection(rejection: Rejection) -> Rejection:
    """Rejections are often of binary input, so NUL (which PostgreSQL cannot store) becomes U+FFFD."""
    return dataclasses.replace(
        rejection, source=_without_nul(rejection.source), message=_without_nul(rejection.message),
        evidence=tuple(dataclasses.replace(s, text=_without_nul(s.text)) for s in rejection.evidence))


def insert_rejection(conn: sa.Connection, rejection: Rejection, run_id: int | None,
                     quarantine_path: str | None) -> None:
    """A rejection of a whole input, which no stored document holds."""
    rejection = _without_nul_rejection(rejection)
    pk = insert_row(conn, t.rejections, _rejection_row(rejection, run_id, quarantine_path, None))
    _insert_children(conn, [("rejection", [pk], [rejection])], None, None)


def _without_nul(text: str) -> str:
    return text.replace("\x00", "\ufffd")


def update_incidents(conn: sa.Connection, incidents: dict[tuple[str, str], str]) -> int:
    """Set incident ids by (document id, event id) on ``conn``; returns how many rows changed."""
    e = t.events.c
    changed = 0
    for (doc_id, event_id), incident in incidents.items():
        result = conn.execute(sa.update(t.events).where(e.doc_id == doc_id, e.id == event_id,
                                                        sa.or_(e.incident.is_(None), e.incident != incident)).values(incident=incident))
        changed += result.rowcount or 0
    return changed
