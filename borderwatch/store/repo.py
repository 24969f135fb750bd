"""The Store: writes a document's facts in one transaction and reads them back losslessly.

One code path for SQLite and PostgreSQL (SQLAlchemy Core); ``Store.open`` brings the schema
to the newest Alembic revision, so a database is always at the shape this code expects.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Self

import orjson
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from borderwatch.errors import StoreError
from borderwatch.model import Aggregate, Document, Facts, Flow, Quote, Rejection, SeizureEvent
from borderwatch.store import tables as t
from borderwatch.store.connect import first_line, open_engine
from borderwatch.store.filters import (
    _DATA_VERSION,
    EventFilter,
    EventShape,
    _aggregate_conditions,
    count_query,
    date_values,
    document_conditions,
    event_query,
    flow_conditions,
    page_keys,
    quote_conditions,
    selected_events,
    sort_keys,
)
from borderwatch.store.loaders import (
    EVENT_COLUMNS,
    load_aggregates,
    load_documents,
    load_events,
    load_flows,
    load_quotes,
    load_rejections,
    sentence_span,
    span_text,
)
from borderwatch.store.rendered import page_records, refresh, stale_count
from borderwatch.store.writes import (
    check_contract,
    hash_exists,
    insert_one,
    insert_rejection,
    insert_row,
    now_iso,
    update_incidents,
)

__all__ = ["EventFilter", "EventRow", "Store", "sentence_span"]

# A filtered count can read every matching event (50 ms for 20,000), and the API counts on every
# page, so counts are kept per filter while the newest event and revision stay the same. Events
# are never updated or deleted, so that is exact on SQLite, whose writers take turns; on PostgreSQL
# transactions may commit out of pk order, so a count is also trusted for only a few seconds.
_COUNT_SECONDS = 5.0
_COUNT_ENTRIES = 1024


@dataclass(frozen=True)
class EventRow:
    """An event with what an analyst needs to judge it: its source and evidence sentence."""

    event: SeizureEvent
    outlet: str | None
    url: str | None
    title: str | None
    published: str | None
    sentence: str | None
    language: str | None = None


class Store:
    """All reads and writes of borderwatch's database."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        # count_events results: filter -> (data version, when counted, total).
        self._counts: dict[EventFilter, tuple[tuple[Any, ...], float, int]] = {}
        self._counts_lock = threading.Lock()

    @classmethod
    def open(cls, url: str, must_exist: bool = False) -> Store:
        """Connect to ``url`` and migrate the schema to head; StoreError if that cannot be done.
        With ``must_exist`` a missing SQLite file is an error (a read command never creates one)."""
        return cls(open_engine(url, must_exist))

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
            return hash_exists(conn, content_hash)

    def add(self, facts: Facts, run_id: int | None = None) -> bool:
        """Store a document and all its facts in one transaction; False if its contents are stored."""
        doc = facts.document
        check_contract(facts)
        try:
            with self._engine.begin() as conn:
                return insert_one(conn, facts, run_id)
        except IntegrityError as exc:
            # Another writer stored the same contents between our check and our insert.
            if self.has_hash(doc.content_hash):
                return False
            raise StoreError(f"cannot store document {doc.id}: {first_line(exc.orig)}") from exc

    def add_many(self, batch: Sequence[Facts], run_id: int | None = None,
                 incidents: dict[tuple[str, str], str] | None = None) -> list[bool]:
        """Store a batch of documents with their facts, and ``incidents`` (stored events' new
        incident ids, as ``set_incidents``), in one transaction: a run killed mid-batch loses that
        batch only. For each document, False if its contents were already stored.

        Contracts are checked first (``Rejected`` names the document, nothing is written); if
        another writer races us to a document, the batch is stored one document at a time instead.
        """
        for facts in batch:
            check_contract(facts)
        try:
            with self._engine.begin() as conn:
                result = [insert_one(conn, facts, run_id) for facts in batch]
                if incidents:
                    update_incidents(conn, incidents)
        except IntegrityError:
            result = [self.add(facts, run_id) for facts in batch]
            if incidents:
                self.set_incidents(incidents)
        return result

    def fetch_state(self, url: str) -> dict[str, Any] | None:
        """What ``url`` last answered (etag, last_modified, status, checked, changed), or None."""
        with self._engine.connect() as conn:
            row = conn.execute(sa.select(t.fetch_state).where(t.fetch_state.c.url == url)).first()
        return dict(row._mapping) if row else None

    def set_fetch_state(self, url: str, **values: Any) -> None:
        """Record what ``url`` answered (validators kept unless given)."""
        with self._engine.begin() as conn:
            found = conn.execute(sa.select(t.fetch_state.c.url).where(t.fetch_state.c.url == url)).first()
            if found:
                conn.execute(sa.update(t.fetch_state).where(t.fetch_state.c.url == url).values(**values))
            else:
                conn.execute(sa.insert(t.fetch_state).values(url=url, **values))

    def add_rejection(self, rejection: Rejection, run_id: int | None = None,
                      quarantine_path: str | None = None) -> None:
        """Record an input (or candidate fact) set aside, with where its bytes were quarantined."""
        self.add_rejections([(rejection, quarantine_path)], run_id)

    def add_rejections(self, rejections: Sequence[tuple[Rejection, str | None]], run_id: int | None = None) -> None:
        """Record several set-aside inputs in one transaction: a feed of 10,000 empty entries costs
        one commit, not 10,000."""
        if not rejections:
            return
        with self._engine.begin() as conn:
            for rejection, quarantine_path in rejections:
                insert_rejection(conn, rejection, run_id, quarantine_path)

    def start_run(self, command: str) -> int:
        """Open a run record so documents and rejections can name the run that made them.

        Runs of this host whose process is gone are marked ``interrupted`` first.
        """
        self.mark_interrupted()
        with self._engine.begin() as conn:
            return insert_row(conn, t.runs, {"command": command, "started": now_iso(), "status": "running",
                                          "pid": os.getpid(), "host": socket.gethostname()})

    def mark_interrupted(self) -> int:
        """Mark ``interrupted`` the running runs of this host whose process has died; returns how many."""
        host = socket.gethostname()
        with self._engine.begin() as conn:
            running = conn.execute(sa.select(t.runs.c.id, t.runs.c.pid).where(
                t.runs.c.status == "running", t.runs.c.host == host)).all()
            dead = [run_id for run_id, pid in running if pid is None or not _process_alive(pid)]
            if dead:
                conn.execute(sa.update(t.runs).where(t.runs.c.id.in_(dead)).values(status="interrupted"))
        return len(dead)

    def runs(self, limit: int = 20) -> list[dict[str, Any]]:
        """The latest runs, newest first: id, command, started, finished, status, summary."""
        self.mark_interrupted()
        columns = [t.runs.c.id, t.runs.c.command, t.runs.c.started, t.runs.c.finished, t.runs.c.status,
                   t.runs.c.summary]
        with self._engine.connect() as conn:
            rows = conn.execute(sa.select(*columns).order_by(t.runs.c.id.desc()).limit(limit)).all()
        return [dict(row._mapping) for row in rows]

    def finish_run(self, run_id: int, summary: dict[str, Any]) -> None:
        """Close a run with its summary (processed, stored, rejected by reason)."""
        with self._engine.begin() as conn:
            result = conn.execute(sa.update(t.runs).where(t.runs.c.id == run_id)
                                  .values(finished=now_iso(), summary=summary, status="finished"))
            if result.rowcount == 0:
                raise StoreError(f"cannot finish run {run_id}: no such run")

    # ---- reads ----------------------------------------------------------------------

    def document(self, doc_id: str) -> Document | None:
        """One document with its comments and page furniture, or None if not stored."""
        with self._engine.connect() as conn:
            rows = conn.execute(sa.select(t.documents).where(t.documents.c.id == doc_id)).all()
            docs = load_documents(conn, rows)
        return docs[0] if docs else None

    def facts(self, doc_id: str) -> Facts | None:
        """A document and every fact stored from it, with evidence, as ``add`` received them."""
        with self._engine.connect() as conn:
            rows = conn.execute(sa.select(t.documents).where(t.documents.c.id == doc_id)).all()
            if not rows:
                return None
            document = load_documents(conn, rows)[0]
            def of_doc(table: sa.Table) -> Sequence[sa.Row[Any]]:
                query = sa.select(table).where(table.c.doc_id == doc_id).order_by(table.c.pk)
                return conn.execute(query).all()

            return Facts(
                document=document,
                events=load_events(conn, of_doc(t.events)),
                aggregates=load_aggregates(conn, of_doc(t.aggregates)),
                quotes=load_quotes(conn, of_doc(t.quotes)),
                flows=load_flows(conn, of_doc(t.flows)),
                rejections=load_rejections(conn, of_doc(t.rejections)),
            )

    def events(self, flt: EventFilter = EventFilter(), limit: int = 100, offset: int = 0,
               sort: str = "-date") -> list[EventRow]:
        """Events matching ``flt``, newest first (or in ``sort``'s order), each with its source and sentence."""
        shape, values = event_query(flt)
        with self._engine.connect() as conn:
            rows = conn.execute(_page_query(EVENT_COLUMNS, shape, sort), {**values, "limit": limit, "offset": offset}).all()
            loaded = load_events(conn, rows)
        out = []
        for row, event in zip(rows, loaded, strict=True):
            outlet, url, title, published, language = row[-5:]  # the document columns, last as selected
            out.append(EventRow(event, outlet, url, title, published, span_text(sentence_span(event.evidence)),
                                language))
        return out

    def event_texts(self, flt: EventFilter = EventFilter(), limit: int = 100, offset: int = 0,
                    sort: str = "-date") -> list[str]:
        """The same page as ``events``, each event as the API's JSON text, from its stored record."""
        shape, values = event_query(flt)
        with self._engine.connect() as conn:
            rows = conn.execute(_page_query(_RECORD_COLUMNS, shape, sort), {**values, "limit": limit, "offset": offset})
            return page_records(conn, rows.all())

    def event_records(self, flt: EventFilter = EventFilter(), limit: int = 100,
                      offset: int = 0, sort: str = "-date") -> list[dict[str, Any]]:
        """The same page as ``event_texts``, parsed."""
        return [orjson.loads(text) for text in self.event_texts(flt, limit, offset, sort)]

    def event_facets(self, flt: EventFilter = EventFilter(),
                     top: int = 50) -> dict[str, list[tuple[str | None, int]]]:
        """How many of the events ``flt`` selects fall under each country, province, substance, outlet
        and year: the ``top`` values of each, most events first (an event counts once per value)."""
        shape, values = event_query(flt)
        chosen = sa.select(selected_events(shape).subquery("chosen").c.pk)
        e, d, i = t.events.c, t.documents.c, t.items.c
        year = sa.func.substr(e.date, 1, 4)
        count = sa.func.count(sa.distinct(e.pk)).label("n")
        by_event = t.events.join(t.documents, d.id == e.doc_id)
        queries = {
            "country": (e.country, by_event, []),
            "admin1": (e.admin1, by_event, []),
            "substance": (i.substance, by_event.join(t.items, sa.and_(i.parent_kind == "seizure",
                                                                    i.parent_pk == e.pk)),
                          [i.substance.is_not(None)]),
            "outlet": (d.outlet, by_event, []),
            "year": (year, by_event, []),
        }
        out: dict[str, list[tuple[str | None, int]]] = {}
        with self._engine.connect() as conn:
            for name, (column, source, extra) in queries.items():
                value = column.label("value")
                query = (sa.select(value, count).select_from(source).where(e.pk.in_(chosen), *extra)
                         .group_by(column).order_by(sa.desc("n"), value.asc().nulls_last()).limit(top))
                out[name] = [(row.value, int(row.n)) for row in conn.execute(query, values)]
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
            shape, values = event_query(flt)
            total = int(conn.execute(count_query(shape), values).scalar_one())
        with self._counts_lock:
            if len(self._counts) >= _COUNT_ENTRIES:
                self._counts.clear()
            self._counts[flt] = (version, now, total)
        return total

    def aggregates(self, flt: EventFilter = EventFilter(), limit: int | None = None,
                   offset: int = 0) -> list[Aggregate]:
        """Cumulative statistics matching ``flt`` (their period overlapping the date range), oldest first."""
        query = _paged(sa.select(t.aggregates).join(t.documents, t.documents.c.id == t.aggregates.c.doc_id)
                       .where(*_aggregate_conditions(flt)).order_by(t.aggregates.c.pk), limit, offset)
        with self._engine.connect() as conn:
            return load_aggregates(conn, conn.execute(query, date_values(flt)).all())

    def count_aggregates(self, flt: EventFilter = EventFilter()) -> int:
        """How many statistics ``aggregates`` lists for ``flt``."""
        return self._count(t.aggregates, t.aggregates.c.doc_id, _aggregate_conditions(flt), flt)

    def quotes(self, speaker: str | None = None, flt: EventFilter = EventFilter(), limit: int | None = None,
               offset: int = 0) -> list[Quote]:
        """Quotes, optionally only those whose speaker's name contains ``speaker``, of documents matching ``flt``.

        A quote has no country of its own: ``flt.country`` keeps quotes of reports stating a seizure
        or statistic there; dates are the report's publication.
        """
        query = _paged(sa.select(t.quotes).join(t.documents, t.documents.c.id == t.quotes.c.doc_id)
                       .where(*quote_conditions(flt, speaker)).order_by(t.quotes.c.pk), limit, offset)
        with self._engine.connect() as conn:
            return load_quotes(conn, conn.execute(query, date_values(flt)).all())

    def count_quotes(self, speaker: str | None = None, flt: EventFilter = EventFilter()) -> int:
        """How many quotes ``quotes`` lists for ``speaker`` and ``flt``."""
        return self._count(t.quotes, t.quotes.c.doc_id, quote_conditions(flt, speaker), flt)

    def flows(self, flt: EventFilter = EventFilter(), limit: int | None = None, offset: int = 0) -> list[Flow]:
        """Stated trafficking flows with who asserted them; ``flt.country`` matches either end."""
        query = _paged(sa.select(t.flows).join(t.documents, t.documents.c.id == t.flows.c.doc_id)
                       .where(*flow_conditions(flt)).order_by(t.flows.c.pk), limit, offset)
        with self._engine.connect() as conn:
            return load_flows(conn, conn.execute(query, date_values(flt)).all())

    def count_flows(self, flt: EventFilter = EventFilter()) -> int:
        """How many flows ``flows`` lists for ``flt``."""
        return self._count(t.flows, t.flows.c.doc_id, flow_conditions(flt), flt)

    def documents(self, limit: int = 100, offset: int = 0, flt: EventFilter = EventFilter()) -> list[Document]:
        """Stored documents matching ``flt``, newest publication first."""
        query = (sa.select(t.documents).where(*document_conditions(flt))
                 .order_by(t.documents.c.published.desc().nulls_last(), t.documents.c.id)
                 .limit(limit).offset(offset))
        with self._engine.connect() as conn:
            return load_documents(conn, conn.execute(query, date_values(flt)).all())

    def count_documents(self, flt: EventFilter = EventFilter()) -> int:
        """How many documents ``documents`` lists for ``flt``."""
        query = sa.select(sa.func.count()).select_from(t.documents).where(*document_conditions(flt))
        with self._engine.connect() as conn:
            return int(conn.execute(query, date_values(flt)).scalar_one())

    def _count(self, table: sa.Table, doc_id: sa.ColumnElement[Any],
               conditions: list[sa.ColumnElement[bool]], flt: EventFilter) -> int:
        query = (sa.select(sa.func.count()).select_from(table.join(t.documents, t.documents.c.id == doc_id))
                 .where(*conditions))
        with self._engine.connect() as conn:
            return int(conn.execute(query, date_values(flt)).scalar_one())

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
            return load_rejections(conn, conn.execute(query).all())

    def seizure_events(self) -> list[SeizureEvent]:
        """Every stored seizure, reviewed or not: what incident linking compares."""
        with self._engine.connect() as conn:
            return load_events(conn, conn.execute(sa.select(*EVENT_COLUMNS).order_by(t.events.c.pk)).all())

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

    def stale_records(self) -> int:
        """Events whose rendered API record is missing or in an older format."""
        with self._engine.connect() as conn:
            return stale_count(conn)

    def refresh_records(self, progress: Callable[[int], None] | None = None) -> int:
        """Render the stale records (``store/rendered.py``); ``progress`` hears each batch's size."""
        return refresh(self._engine, progress)

    def counts(self) -> dict[str, int]:
        """Rows per kind of record, for summaries and health checks."""
        names = {"documents": t.documents, "events": t.events, "aggregates": t.aggregates,
                 "quotes": t.quotes, "flows": t.flows, "rejections": t.rejections}
        with self._engine.connect() as conn:
            return {name: int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
                    for name, table in names.items()}


_RECORD_COLUMNS = (t.events.c.pk, t.events.c.doc_id, t.events.c.incident, t.events.c.record,
                   t.events.c.record_format)


@lru_cache(maxsize=256)
def _page_query(columns: tuple[sa.Column[Any], ...], shape: EventShape, sort: str = "-date") -> sa.Select[Any]:
    """A page of events of ``shape`` (``filters.event_query``), newest first, with their document's columns last.

    The page's keys are chosen first and only its own rows are read in full: with OFFSET the
    skipped rows would otherwise each fetch their rendered record and their document.
    """
    e, d = t.events.c, t.documents.c
    return (sa.select(*columns, d.outlet.label("doc_outlet"), d.url.label("doc_url"), d.title.label("doc_title"),
                      d.published.label("doc_published"), d.language.label("doc_language"))
            .join(t.documents, d.id == e.doc_id)
            .where(e.pk.in_(page_keys(shape, sort).correlate(None).scalar_subquery()))
            .order_by(*sort_keys(sort, e.pk, e.date)))


def _paged(query: sa.Select[Any], limit: int | None, offset: int) -> sa.Select[Any]:
    """``query`` limited to one page; every row when ``limit`` is None."""
    return query if limit is None and not offset else query.limit(limit).offset(offset)


def _process_alive(pid: int) -> bool:
    """Is process ``pid`` still there on this host (a zombie counts as gone)?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # there, owned by someone else
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True
