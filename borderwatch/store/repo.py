"""The Store: writes a document's facts in one transaction and reads them back losslessly.

One code path for SQLite and PostgreSQL (SQLAlchemy Core); ``Store.open`` brings the schema
to the newest Alembic revision, so a database is always at the shape this code expects.
"""

from __future__ import annotations

import dataclasses
import operator
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

import sqlalchemy as sa
from alembic.util.exc import CommandError
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError

from borderwatch.errors import Rejected, StoreError
from borderwatch.model import (
    Aggregate,
    Comment,
    Document,
    Facts,
    Flow,
    Item,
    Quote,
    Rejection,
    SeizureEvent,
    Span,
)
from borderwatch.store import tables as t
from borderwatch.store.filters import (
    _DATA_VERSION,
    EventFilter,
    _aggregate_conditions,
    _count_query,
    _event_conditions,
    _mentions,
)
from borderwatch.store.migrations import upgrade_schema

__all__ = ["EventFilter", "EventRow", "Store", "sentence_span"]

# Keeps ``IN (...)`` lists well below SQLite's and PostgreSQL's bound-parameter limits.
_CHUNK = 500
# A filtered count can read every matching event (50 ms for 20,000), and the API counts on every
# page, so counts are kept per filter while the newest event and revision stay the same. Events
# are never updated or deleted, so that is exact on SQLite, whose writers take turns; on PostgreSQL
# transactions may commit out of pk order, so a count is also trusted for only a few seconds.
_COUNT_SECONDS = 5.0
_COUNT_ENTRIES = 1024
# Per connection: the map shares the operating system's cache; the page cache is filled on demand.
_SQLITE_MMAP_BYTES = 256 * 1024 * 1024
_SQLITE_CACHE_KIB = 16 * 1024


@dataclass(frozen=True)
class EventRow:
    """An event with what an analyst needs to judge it: its source and evidence sentence."""

    event: SeizureEvent
    outlet: str | None
    url: str | None
    title: str | None
    published: str | None
    sentence: str | None


class Store:
    """All reads and writes of borderwatch's database."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        # count_events results: filter -> (data version, when counted, total).
        self._counts: dict[EventFilter, tuple[tuple[Any, ...], float, int]] = {}
        self._counts_lock = threading.Lock()

    @classmethod
    def open(cls, url: str) -> Store:
        """Connect to ``url`` and migrate the schema to head; StoreError if that cannot be done."""
        try:
            sa_url = sa.make_url(url)
        except ArgumentError as exc:
            raise StoreError(f"invalid database URL '{url}': expected sqlite:///path or "
                             "postgresql+psycopg://user@host/db") from exc
        shown = sa_url.render_as_string(hide_password=True)
        if sa_url.get_backend_name() == "sqlite" and sa_url.database not in (None, "", ":memory:"):
            try:
                Path(str(sa_url.database)).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the folder for {shown}: {exc.strerror}") from exc
        # A black-holed host should fail in seconds, not hang a command.
        connect_args = ({"connect_timeout": 10} if sa_url.get_backend_name() == "postgresql"
                        and "connect_timeout" not in sa_url.query else {})
        try:
            engine = sa.create_engine(sa_url, connect_args=connect_args)
        except (ArgumentError, NoSuchModuleError) as exc:
            raise StoreError(f"unsupported database URL {shown}: {_first_line(exc)} "
                             "(expected: sqlite, postgresql+psycopg)") from exc
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _configure_sqlite)
        try:
            with engine.begin() as conn:
                upgrade_schema(conn)
        except DBAPIError as exc:
            engine.dispose()
            raise StoreError(f"cannot open database {shown}: {_first_line(exc.orig)}") from exc
        except CommandError as exc:
            engine.dispose()
            raise StoreError(f"database {shown} has a schema this borderwatch does not know: "
                             f"{_first_line(exc)}") from exc
        return cls(engine)

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine, for modules that keep their own tables (review)."""
        return self._engine

    def close(self) -> None:
        """Release every pooled connection."""
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- writes ---------------------------------------------------------------------

    def has_hash(self, content_hash: str) -> bool:
        """Is a document with these exact contents already stored?"""
        with self._engine.connect() as conn:
            return _hash_exists(conn, content_hash)

    def add(self, facts: Facts, run_id: int | None = None) -> bool:
        """Store a document and all its facts in one transaction; False if its contents are stored."""
        doc = facts.document
        _check_contract(facts)
        try:
            with self._engine.begin() as conn:
                if _hash_exists(conn, doc.content_hash):
                    return False
                doc_id = doc.id
                taken = conn.execute(sa.select(t.documents.c.id).where(t.documents.c.id == doc_id)).first()
                if taken is not None:
                    doc_id = f"{doc.id}-{doc.content_hash[:8]}"
                _insert_document(conn, doc, doc_id, run_id)
                for event in facts.events:
                    _insert_event(conn, event, doc_id, doc.id)
                for aggregate in facts.aggregates:
                    _insert_aggregate(conn, aggregate, doc_id, doc.id)
                for quote in facts.quotes:
                    pk = _insert(conn, t.quotes, {
                        "id": quote.id, "doc_id": doc_id, "speaker": quote.speaker, "kind": quote.kind,
                        "text": quote.text, "role": quote.role, "confidence": quote.confidence})
                    _insert_spans(conn, "quote", pk, None, quote.evidence, doc_id, doc.id)
                for flow in facts.flows:
                    pk = _insert(conn, t.flows, {
                        "id": flow.id, "doc_id": doc_id, "origin": flow.origin,
                        "destination": flow.destination, "commodity": flow.commodity,
                        "asserted_by": flow.asserted_by, "confidence": flow.confidence})
                    _insert_spans(conn, "flow", pk, None, flow.evidence, doc_id, doc.id)
                for rejection in facts.rejections:
                    _insert_rejection(conn, rejection, run_id, None, doc_id, doc.id)
        except IntegrityError as exc:
            # Another writer stored the same contents between our check and our insert.
            if self.has_hash(doc.content_hash):
                return False
            raise StoreError(f"cannot store document {doc.id}: {_first_line(exc.orig)}") from exc
        return True

    def add_rejection(self, rejection: Rejection, run_id: int | None = None,
                      quarantine_path: str | None = None) -> None:
        """Record an input (or candidate fact) set aside, with where its bytes were quarantined."""
        with self._engine.begin() as conn:
            _insert_rejection(conn, rejection, run_id, quarantine_path, None, None)

    def start_run(self, command: str) -> int:
        """Open a run record so documents and rejections can name the run that made them."""
        with self._engine.begin() as conn:
            return _insert(conn, t.runs, {"command": command, "started": _now()})

    def finish_run(self, run_id: int, summary: dict[str, Any]) -> None:
        """Close a run with its summary (processed, stored, rejected by reason)."""
        with self._engine.begin() as conn:
            result = conn.execute(sa.update(t.runs).where(t.runs.c.id == run_id)
                                  .values(finished=_now(), summary=summary))
            if result.rowcount == 0:
                raise StoreError(f"cannot finish run {run_id}: no such run")

    # ---- reads ----------------------------------------------------------------------

    def document(self, doc_id: str) -> Document | None:
        """One document with its comments and page furniture, or None if not stored."""
        with self._engine.connect() as conn:
            rows = conn.execute(sa.select(t.documents).where(t.documents.c.id == doc_id)).all()
            docs = _load_documents(conn, rows)
        return docs[0] if docs else None

    def facts(self, doc_id: str) -> Facts | None:
        """A document and every fact stored from it, with evidence, as ``add`` received them."""
        with self._engine.connect() as conn:
            rows = conn.execute(sa.select(t.documents).where(t.documents.c.id == doc_id)).all()
            if not rows:
                return None
            document = _load_documents(conn, rows)[0]
            def of_doc(table: sa.Table) -> Sequence[sa.Row[Any]]:
                query = sa.select(table).where(table.c.doc_id == doc_id).order_by(table.c.pk)
                return conn.execute(query).all()

            return Facts(
                document=document,
                events=_load_events(conn, of_doc(t.events)),
                aggregates=_load_aggregates(conn, of_doc(t.aggregates)),
                quotes=_load_quotes(conn, of_doc(t.quotes)),
                flows=_load_flows(conn, of_doc(t.flows)),
                rejections=_load_rejections(conn, of_doc(t.rejections)),
            )

    def events(self, flt: EventFilter = EventFilter(), limit: int = 100, offset: int = 0) -> list[EventRow]:
        """Events matching ``flt``, newest first, each with its source and evidence sentence."""
        query = (sa.select(t.events, t.documents.c.outlet.label("doc_outlet"),
                           t.documents.c.url.label("doc_url"), t.documents.c.title.label("doc_title"),
                           t.documents.c.published.label("doc_published"))
                 .join(t.documents, t.documents.c.id == t.events.c.doc_id)
                 .where(*_event_conditions(flt))
                 .order_by(t.events.c.date.desc().nulls_last(), t.events.c.pk)
                 .limit(limit).offset(offset))
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
            loaded = _load_events(conn, rows)
        out = []
        for row, event in zip(rows, loaded, strict=True):
            outlet, url, title, published = row[-4:]  # the document columns, last as selected
            out.append(EventRow(event, outlet, url, title, published, _text(sentence_span(event.evidence))))
        return out

    def count_events(self, flt: EventFilter = EventFilter()) -> int:
        """How many events match ``flt`` (for paging); exact, and remembered until events or reviews change."""
        with self._engine.connect() as conn:
            version = tuple(conn.execute(_DATA_VERSION).one())
            now = time.monotonic()
            with self._counts_lock:
                cached = self._counts.get(flt)
            if cached is not None and cached[0] == version and now - cached[1] < _COUNT_SECONDS:
                return cached[2]
            total = int(conn.execute(_count_query(flt)).scalar_one())
        with self._counts_lock:
            if len(self._counts) >= _COUNT_ENTRIES:
                self._counts.clear()
            self._counts[flt] = (version, now, total)
        return total

    def aggregates(self, flt: EventFilter = EventFilter()) -> list[Aggregate]:
        """Cumulative statistics matching ``flt`` (their period overlapping the date range)."""
        query = (sa.select(t.aggregates).join(t.documents, t.documents.c.id == t.aggregates.c.doc_id)
                 .where(*_aggregate_conditions(flt)).order_by(t.aggregates.c.pk))
        with self._engine.connect() as conn:
            return _load_aggregates(conn, conn.execute(query).all())

    def quotes(self, speaker: str | None = None) -> list[Quote]:
        """Quotes, optionally only those whose speaker's name contains ``speaker``."""
        query = sa.select(t.quotes).order_by(t.quotes.c.pk)
        if speaker:
            query = query.where(_mentions(t.quotes.c.speaker, speaker))
        with self._engine.connect() as conn:
            return _load_quotes(conn, conn.execute(query).all())

    def flows(self) -> list[Flow]:
        """Every stated trafficking flow, with who asserted it."""
        with self._engine.connect() as conn:
            return _load_flows(conn, conn.execute(sa.select(t.flows).order_by(t.flows.c.pk)).all())

    def documents(self, limit: int = 100, offset: int = 0) -> list[Document]:
        """Stored documents, newest publication first."""
        query = (sa.select(t.documents)
                 .order_by(t.documents.c.published.desc().nulls_last(), t.documents.c.id)
                 .limit(limit).offset(offset))
        with self._engine.connect() as conn:
            return _load_documents(conn, conn.execute(query).all())

    def all_documents(self, page: int = 500) -> Iterator[Document]:
        """Every stored document, read a page at a time."""
        offset = 0
        while True:
            batch = self.documents(limit=page, offset=offset)
            yield from batch
            if len(batch) < page:
                return
            offset += page

    def rejections(self, run_id: int | None = None) -> list[Rejection]:
        """Rejections, of one run or of all runs, in the order they happened."""
        query = sa.select(t.rejections).order_by(t.rejections.c.pk)
        if run_id is not None:
            query = query.where(t.rejections.c.run_id == run_id)
        with self._engine.connect() as conn:
            return _load_rejections(conn, conn.execute(query).all())

    def seizure_events(self) -> list[SeizureEvent]:
        """Every stored seizure, reviewed or not: what incident linking compares."""
        with self._engine.connect() as conn:
            return _load_events(conn, conn.execute(sa.select(t.events).order_by(t.events.c.pk)).all())

    def set_incidents(self, incidents: dict[tuple[str, str], str]) -> int:
        """Store incident ids by (document id, event id); returns how many changed."""
        e = t.events.c
        changed = 0
        with self._engine.begin() as conn:
            current = {(row.doc_id, row.id): row.incident
                       for row in conn.execute(sa.select(e.doc_id, e.id, e.incident))}
            for (doc_id, event_id), incident in incidents.items():
                if current.get((doc_id, event_id), incident) != incident:
                    conn.execute(sa.update(t.events).where(e.doc_id == doc_id, e.id == event_id)
                                 .values(incident=incident))
                    changed += 1
        return changed

    def counts(self) -> dict[str, int]:
        """Rows per kind of record, for summaries and health checks."""
        names = {"documents": t.documents, "events": t.events, "aggregates": t.aggregates,
                 "quotes": t.quotes, "flows": t.flows, "rejections": t.rejections}
        with self._engine.connect() as conn:
            return {name: int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
                    for name, table in names.items()}


# ---- connection helpers ------------------------------------------------------------------

def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """Enforce foreign keys; read through a memory map and a larger page cache (API pages: bench/)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA mmap_size={_SQLITE_MMAP_BYTES}")
    cursor.execute(f"PRAGMA cache_size=-{_SQLITE_CACHE_KIB}")
    cursor.close()


def _first_line(exc: BaseException | None) -> str:
    text = str(exc).strip() if exc is not None else ""
    return text.splitlines()[0] if text else type(exc).__name__


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _hash_exists(conn: sa.Connection, content_hash: str) -> bool:
    query = sa.select(t.documents.c.id).where(t.documents.c.content_hash == content_hash)
    return conn.execute(query).first() is not None


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i:i + _CHUNK]


# ---- writing -----------------------------------------------------------------------------

def _check_contract(facts: Facts) -> None:
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


def _insert(conn: sa.Connection, table: sa.Table, values: dict[str, Any]) -> int:
    key = conn.execute(sa.insert(table).values(**values)).inserted_primary_key
    assert key is not None
    return int(key[0])


def _insert_document(conn: sa.Connection, doc: Document, doc_id: str, run_id: int | None) -> None:
    conn.execute(sa.insert(t.documents).values(
        id=doc_id, content_hash=doc.content_hash, source=doc.source, media_type=doc.media_type,
        title=doc.title, outlet=doc.outlet, url=doc.url, language=doc.language, published=doc.published,
        published_precision=doc.published_precision, published_raw=doc.published_raw, text=doc.text,
        run_id=run_id, family=doc.family))
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


def _insert_spans(conn: sa.Connection, kind: str, fact_pk: int, item_index: int | None,
                  evidence: Iterable[Span], doc_id: str | None, original_id: str | None) -> None:
    rows = [{"fact_kind": kind, "fact_pk": fact_pk, "item_index": item_index, "position": i,
             "doc_id": doc_id if s.doc_id == original_id and doc_id is not None else s.doc_id,
             "field": s.field, "start": s.start, "end": s.end, "text": s.text}
            for i, s in enumerate(evidence)]
    if rows:
        conn.execute(sa.insert(t.spans), rows)


def _insert_items(conn: sa.Connection, kind: str, parent_pk: int, items: Sequence[Item],
                  doc_id: str, original_id: str) -> None:
    for i, item in enumerate(items):
        _insert(conn, t.items, {
            "parent_kind": kind, "parent_pk": parent_pk, "position": i, "commodity": item.commodity,
            "substance": item.substance, "form": item.form, "mass_kg": item.mass_kg,
            "mass_raw": item.mass_raw, "count": item.count, "count_unit": item.count_unit,
            "count_raw": item.count_raw, "volume_m3": item.volume_m3, "volume_raw": item.volume_raw,
            "qualifier": item.qualifier})
        _insert_spans(conn, kind, parent_pk, i, item.evidence, doc_id, original_id)


def _insert_event(conn: sa.Connection, event: SeizureEvent, doc_id: str, original_id: str) -> None:
    pk = _insert(conn, t.events, {
        "id": event.id, "doc_id": doc_id, "date": event.date, "date_precision": event.date_precision,
        "date_raw": event.date_raw, "country": event.country, "admin1": event.admin1,
        "place": event.place, "location_precision": event.location_precision,
        "geonames_id": event.geonames_id, "lat": event.lat, "lon": event.lon, "arrests": event.arrests,
        "arrests_raw": event.arrests_raw, "origin_country": event.origin_country,
        "destination_country": event.destination_country, "agency": event.agency,
        "concealment": event.concealment, "background": event.background,
        "confidence": event.confidence, "incident": event.incident})
    if event.suspect_nationalities:
        conn.execute(sa.insert(t.suspect_nationalities), [
            {"event_pk": pk, "position": i, "country": code}
            for i, code in enumerate(event.suspect_nationalities)])
    _insert_items(conn, "seizure", pk, event.items, doc_id, original_id)
    _insert_spans(conn, "seizure", pk, None, event.evidence, doc_id, original_id)


def _insert_aggregate(conn: sa.Connection, aggregate: Aggregate, doc_id: str, original_id: str) -> None:
    pk = _insert(conn, t.aggregates, {
        "id": aggregate.id, "doc_id": doc_id, "country": aggregate.country, "admin1": aggregate.admin1,
        "agency": aggregate.agency, "period_start": aggregate.period_start,
        "period_end": aggregate.period_end, "period_raw": aggregate.period_raw,
        "arrests": aggregate.arrests, "cases": aggregate.cases, "confidence": aggregate.confidence})
    _insert_items(conn, "aggregate", pk, aggregate.items, doc_id, original_id)
    _insert_spans(conn, "aggregate", pk, None, aggregate.evidence, doc_id, original_id)


def _insert_rejection(conn: sa.Connection, rejection: Rejection, run_id: int | None,
                      quarantine_path: str | None, doc_id: str | None, original_id: str | None) -> None:
    """Rejections are often of binary input, so NUL (which PostgreSQL cannot store) becomes U+FFFD."""
    rejection = dataclasses.replace(
        rejection, source=_without_nul(rejection.source), message=_without_nul(rejection.message),
        evidence=tuple(dataclasses.replace(s, text=_without_nul(s.text)) for s in rejection.evidence))
    pk = _insert(conn, t.rejections, {
        "run_id": run_id, "doc_id": doc_id, "source": rejection.source, "stage": rejection.stage,
        "reason": rejection.reason, "message": rejection.message, "quarantine_path": quarantine_path})
    _insert_spans(conn, "rejection", pk, None, rejection.evidence, doc_id, original_id)


def _without_nul(text: str) -> str:
    return text.replace("\x00", "\ufffd")


# ---- reading -----------------------------------------------------------------------------

_SpanKey = tuple[int, int | None]

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


def _load_spans(conn: sa.Connection, kind: str, pks: Sequence[int]) -> dict[_SpanKey, tuple[Span, ...]]:
    """Evidence of the ``kind`` facts ``pks``, keyed by (fact pk, item index or None)."""
    found: dict[_SpanKey, list[Span]] = defaultdict(list)
    for chunk in _chunks(pks):
        rows = conn.execute(_SPANS_OF, {"kind": kind, "pks": list(chunk)}).all()
        for fact_pk, item_index, doc_id, start, end, text, field in rows:
            found[(fact_pk, item_index)].append(Span(doc_id, start, end, text, field))
    return {key: tuple(spans) for key, spans in found.items()}


def _load_items(conn: sa.Connection, kind: str, pks: Sequence[int],
                spans: dict[_SpanKey, tuple[Span, ...]]) -> dict[int, tuple[Item, ...]]:
    found: dict[int, list[Item]] = defaultdict(list)
    for chunk in _chunks(pks):
        rows = conn.execute(_ITEMS_OF, {"kind": kind, "pks": list(chunk)}).all()
        for (parent_pk, position, commodity, substance, form, mass_kg, mass_raw, count, count_unit, count_raw,
             volume_m3, volume_raw, qualifier) in rows:
            found[parent_pk].append(Item(
                commodity=commodity, substance=substance, form=form, mass_kg=mass_kg, mass_raw=mass_raw,
                count=count, count_unit=count_unit, count_raw=count_raw, volume_m3=volume_m3,
                volume_raw=volume_raw, qualifier=qualifier, evidence=spans.get((parent_pk, position), ())))
    return {pk: tuple(values) for pk, values in found.items()}


def _load_documents(conn: sa.Connection, rows: Sequence[sa.Row[Any]]) -> list[Document]:
    ids = [row.id for row in rows]
    comments: dict[str, list[Comment]] = defaultdict(list)
    furniture: dict[str, list[Span]] = defaultdict(list)
    for chunk in _chunks(ids):
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


def _load_events(conn: sa.Connection, rows: Sequence[sa.Row[Any]]) -> list[SeizureEvent]:
    if not rows:
        return []
    position = {name: i for i, name in enumerate(rows[0]._fields)}
    pk_at = position["pk"]
    columns = operator.itemgetter(*(position[name] for name in _EVENT_FIELDS))
    pks = [row[pk_at] for row in rows]
    spans = _load_spans(conn, "seizure", pks)
    items = _load_items(conn, "seizure", pks, spans)
    nationalities: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(pks):
        for event_pk, country in conn.execute(_NATIONALITIES_OF, {"pks": list(chunk)}).all():
            nationalities[event_pk].append(country)
    events = []
    for pk, row in zip(pks, rows, strict=True):
        values = dict(zip(_EVENT_FIELDS, columns(row), strict=True))
        events.append(SeizureEvent(items=items.get(pk, ()), suspect_nationalities=tuple(nationalities.get(pk, ())),
                                   evidence=spans.get((pk, None), ()), **values))
    return events


def _load_aggregates(conn: sa.Connection, rows: Sequence[sa.Row[Any]]) -> list[Aggregate]:
    pks = [row.pk for row in rows]
    spans = _load_spans(conn, "aggregate", pks)
    items = _load_items(conn, "aggregate", pks, spans)
    return [Aggregate(
        id=row.id, doc_id=row.doc_id, items=items.get(row.pk, ()), country=row.country,
        admin1=row.admin1, agency=row.agency, period_start=row.period_start, period_end=row.period_end,
        period_raw=row.period_raw, arrests=row.arrests, cases=row.cases, confidence=row.confidence,
        evidence=spans.get((row.pk, None), ())) for row in rows]


def _load_quotes(conn: sa.Connection, rows: Sequence[sa.Row[Any]]) -> list[Quote]:
    spans = _load_spans(conn, "quote", [row.pk for row in rows])
    return [Quote(id=row.id, doc_id=row.doc_id, speaker=row.speaker, kind=row.kind, text=row.text,
                  role=row.role, confidence=row.confidence, evidence=spans.get((row.pk, None), ()))
            for row in rows]


def _load_flows(conn: sa.Connection, rows: Sequence[sa.Row[Any]]) -> list[Flow]:
    spans = _load_spans(conn, "flow", [row.pk for row in rows])
    return [Flow(id=row.id, doc_id=row.doc_id, origin=row.origin, destination=row.destination,
                 commodity=row.commodity, asserted_by=row.asserted_by, confidence=row.confidence,
                 evidence=spans.get((row.pk, None), ())) for row in rows]


def _load_rejections(conn: sa.Connection, rows: Sequence[sa.Row[Any]]) -> list[Rejection]:
    spans = _load_spans(conn, "rejection", [row.pk for row in rows])
    return [Rejection(source=row.source, stage=row.stage, reason=row.reason, message=row.message,
                      evidence=spans.get((row.pk, None), ())) for row in rows]


def sentence_span(evidence: tuple[Span, ...]) -> Span | None:
    """The evidence an analyst reads first: the span labelled "sentence", else the first span."""
    for span in evidence:
        if span.field == "sentence":
            return span
    return evidence[0] if evidence else None


def _text(span: Span | None) -> str | None:
    return span.text if span is not None else None


# ---- filtering ---------------------------------------------------------------------------
