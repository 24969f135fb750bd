"""The Store: writes a document's facts in one transaction and reads them back losslessly.

One code path for SQLite and PostgreSQL (SQLAlchemy Core); ``Store.open`` brings the schema
to the newest Alembic revision, so a database is always at the shape this code expects.
"""

from __future__ import annotations

import dataclasses
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Self

import orjson
import sqlalchemy as sa
from alembic.util.exc import CommandError
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError

from borderwatch.errors import DatabaseNameError, Rejected, StoreError
from borderwatch.model import (
    Aggregate,
    Document,
    Facts,
    Flow,
    Quote,
    Rejection,
    SeizureEvent,
    Span,
)
from borderwatch.store import tables as t
from borderwatch.store.filters import (
    _DATA_VERSION,
    EventFilter,
    EventShape,
    _aggregate_conditions,
    count_query,
    date_values,
    document_conditions,
    event_query,
    event_terms,
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
from borderwatch.store.migrations import upgrade_schema
from borderwatch.store.rendered import page_records, refresh, stale_count, store_records

__all__ = ["EventFilter", "EventRow", "Store", "sentence_span"]

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
        try:
            sa_url = sa.make_url(url)
        except ArgumentError as exc:
            raise StoreError(f"invalid database URL '{url}': expected sqlite:///path or "
                             "postgresql+psycopg://user@host/db") from exc
        shown = sa_url.render_as_string(hide_password=True)
        if sa_url.get_backend_name() not in ("sqlite", "postgresql"):
            raise DatabaseNameError(f"unsupported database URL {shown} (expected: sqlite:///path, a file path, "
                             "or postgresql+psycopg://user@host/db)")
        if must_exist and sa_url.get_backend_name() == "sqlite" and sa_url.database not in (None, "", ":memory:") \
                and not Path(str(sa_url.database)).is_file():
            raise DatabaseNameError(f"no database at {sa_url.database}: create it with "
                             f"'borderwatch ingest REPORTS --db {sa_url.database}'")
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
        except (ArgumentError, NoSuchModuleError, ImportError) as exc:
            raise StoreError(f"unsupported database URL {shown}: {_first_line(exc)} "
                             "(expected: sqlite, postgresql+psycopg)") from exc
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _configure_sqlite)
        try:
            _migrate(engine, sa_url, connect_args)
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
                return self._insert_one(conn, facts, run_id)
        except IntegrityError as exc:
            # Another writer stored the same contents between our check and our insert.
            if self.has_hash(doc.content_hash):
                return False
            raise StoreError(f"cannot store document {doc.id}: {_first_line(exc.orig)}") from exc

    def add_many(self, batch: Sequence[Facts], run_id: int | None = None,
                 incidents: dict[tuple[str, str], str] | None = None) -> list[bool]:
        """Store a batch of documents with their facts, and ``incidents`` (stored events' new
        incident ids, as ``set_incidents``), in one transaction: a run killed mid-batch loses that
        batch only. For each document, False if its contents were already stored.

        Contracts are checked first (``Rejected`` names the document, nothing is written); if
        another writer races us to a document, the batch is stored one document at a time instead.
        """
        for facts in batch:
            _check_contract(facts)
        try:
            with self._engine.begin() as conn:
                result = [self._insert_one(conn, facts, run_id) for facts in batch]
                if incidents:
                    _update_incidents(conn, incidents)
        except IntegrityError:
            result = [self.add(facts, run_id) for facts in batch]
            if incidents:
                self.set_incidents(incidents)
        return result

    @staticmethod
    def _insert_one(conn: sa.Connection, facts: Facts, run_id: int | None) -> bool:
        doc = facts.document
        if _hash_exists(conn, doc.content_hash):
            return False
        doc_id = doc.id
        taken = conn.execute(sa.select(t.documents.c.id).where(t.documents.c.id == doc_id)).first()
        if taken is not None:
            doc_id = f"{doc.id}-{doc.content_hash[:8]}"
        _insert_document(conn, doc, doc_id, run_id)
        _insert_facts(conn, facts, doc_id, run_id)
        return True

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
                _insert_rejection(conn, rejection, run_id, quarantine_path)

    def start_run(self, command: str) -> int:
        """Open a run record so documents and rejections can name the run that made them.

        Runs of this host whose process is gone are marked ``interrupted`` first.
        """
        self.mark_interrupted()
        with self._engine.begin() as conn:
            return _insert(conn, t.runs, {"command": command, "started": _now(), "status": "running",
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
                                  .values(finished=_now(), summary=summary, status="finished"))
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


# ---- connection helpers ------------------------------------------------------------------

def _migrate(engine: sa.Engine, sa_url: sa.URL, connect_args: dict[str, Any]) -> None:
    """Upgrade the schema in one transaction, so a killed upgrade leaves the schema it found.

    PostgreSQL runs DDL inside the transaction ``begin`` opens. Python's sqlite3 driver does not:
    it starts transactions only before INSERT/UPDATE/DELETE, so each CREATE or ALTER committed on
    its own and a kill between two left half a schema. A file database is therefore migrated on a
    second engine whose connections leave transaction control to us (``isolation_level=None``)
    and begin with ``BEGIN IMMEDIATE``: SQLite's DDL is transactional, and the write lock taken at
    once also makes concurrent openers wait in turn, like the PostgreSQL advisory lock.
    """
    if engine.dialect.name != "sqlite" or sa_url.database in (None, "", ":memory:"):
        with engine.begin() as conn:
            upgrade_schema(conn)
        return
    migrator = sa.create_engine(sa_url, connect_args=connect_args, poolclass=sa.pool.NullPool)

    @sa.event.listens_for(migrator, "connect")
    def _own_transactions(dbapi_connection: Any, record: Any) -> None:
        _configure_sqlite(dbapi_connection, record)
        dbapi_connection.isolation_level = None

    @sa.event.listens_for(migrator, "begin")
    def _begin_immediate(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    try:
        with migrator.begin() as conn:
            upgrade_schema(conn)
    finally:
        migrator.dispose()


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """Enforce foreign keys; read through a memory map and a larger page cache (API pages: bench/)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA mmap_size={_SQLITE_MMAP_BYTES}")
    cursor.execute(f"PRAGMA cache_size=-{_SQLITE_CACHE_KIB}")
    cursor.close()


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


def _first_line(exc: BaseException | None) -> str:
    text = str(exc).strip() if exc is not None else ""
    return text.splitlines()[0] if text else type(exc).__name__


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _hash_exists(conn: sa.Connection, content_hash: str) -> bool:
    query = sa.select(t.documents.c.id).where(t.documents.c.content_hash == content_hash)
    return conn.execute(query).first() is not None


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
    key = conn.execute(sa.insert(table), values).inserted_primary_key
    assert key is not None
    return int(key[0])


def _insert_document(conn: sa.Connection, doc: Document, doc_id: str, run_id: int | None) -> None:
    conn.execute(sa.insert(t.documents), {
        "id": doc_id, "content_hash": doc.content_hash, "source": doc.source, "media_type": doc.media_type,
        "title": doc.title, "outlet": doc.outlet, "url": doc.url, "language": doc.language,
        "published": doc.published, "published_precision": doc.published_precision,
        "published_raw": doc.published_raw, "text": doc.text, "run_id": run_id, "family": doc.family,
        "stored": _now()})
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


def _insert_rejection(conn: sa.Connection, rejection: Rejection, run_id: int | None,
                      quarantine_path: str | None) -> None:
    """A rejection of a whole input, which no stored document holds."""
    rejection = _without_nul_rejection(rejection)
    pk = _insert(conn, t.rejections, _rejection_row(rejection, run_id, quarantine_path, None))
    _insert_children(conn, [("rejection", [pk], [rejection])], None, None)


def _without_nul(text: str) -> str:
    return text.replace("\x00", "\ufffd")


def _update_incidents(conn: sa.Connection, incidents: dict[tuple[str, str], str]) -> int:
    e = t.events.c
    changed = 0
    for (doc_id, event_id), incident in incidents.items():
        result = conn.execute(sa.update(t.events).where(e.doc_id == doc_id, e.id == event_id,
                                                        sa.or_(e.incident.is_(None), e.incident != incident)).values(incident=incident))
        changed += result.rowcount or 0
    return changed
