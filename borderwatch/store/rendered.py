"""Each event's API record, rendered once when it is stored.

Building a page of 100 events from rows, items and spans, then turning them into records, took
about 15 ms of CPU, most of an API request (docs/performance.md). The record depends only on the
stored event, which never changes after it is written, so it is rendered as JSON text in the
transaction that stores it; a page is then one query and its records are spliced, never parsed.
The incident id is the one column that does change later (incident linking), so it is always read
from its own column and spliced in, with the event's document.

The record is derived data: ``RECORD_FORMAT`` names its shape. Rows rendered in another format,
or stored before the column existed, are rendered on the fly when read (correct but slower) and
stored again by ``refresh``, which ``borderwatch db upgrade`` and ``borderwatch serve`` run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import orjson
import sqlalchemy as sa

from borderwatch.model import SeizureEvent
from borderwatch.records import event_record
from borderwatch.store import tables as t
from borderwatch.store.loaders import EVENT_COLUMNS, chunks, load_events, sentence_span, span_text

# Bump whenever ``render`` (or ``records.event_record``) changes what it writes;
# tests/store/test_rendered.py pins the keys of the format to remind you. Format 1 stored the
# incident of the day; 2 stores it null, to be spliced in (``with_source``).
RECORD_FORMAT = 2
_BATCH = 500
# The stored record's top-level incident, and the start of its last member, the sentence. Each
# occurs once as written: inside a JSON string every quote is escaped, so neither can be text.
_INCIDENT = '"incident":null'
_SENTENCE = ',"sentence":'

_STORE = (sa.update(t.events).where(t.events.c.pk == sa.bindparam("b_pk"))
          .values(record=sa.bindparam("b_record"), record_format=RECORD_FORMAT))
_STALE = (sa.select(t.events.c.pk)
          .where(sa.or_(t.events.c.record_format.is_(None), t.events.c.record_format != RECORD_FORMAT))
          .order_by(t.events.c.pk))


def render(event: SeizureEvent) -> str:
    """The event as the API shows it, as stored: JSON without its document, its incident left null."""
    out = event_record(event)
    out["incident"] = None
    out["sentence"] = span_text(sentence_span(event.evidence))
    return orjson.dumps(out).decode()


def with_source(record: str, incident: str | None, doc_id: str, outlet: str | None, url: str | None,
                title: str | None, published: str | None) -> str:
    """A stored record's JSON with its current incident and the document it came from, spliced in.

    Text, not parsed and dumped again: that took most of an API page's time. The keys keep the
    order the API always had: ``document`` before ``sentence``, at the end.
    """
    end = record.rindex(_SENTENCE)
    head = record[:end].replace(_INCIDENT, '"incident":' + orjson.dumps(incident).decode(), 1)
    document = orjson.dumps({"id": doc_id, "outlet": outlet, "url": url, "title": title,
                             "published": published}).decode()
    return f'{head},"document":{document}{record[end:]}'


def _load(conn: sa.Connection, pks: Sequence[int]) -> dict[int, SeizureEvent]:
    found: dict[int, SeizureEvent] = {}
    for chunk in chunks(pks):
        rows = conn.execute(sa.select(*EVENT_COLUMNS).where(t.events.c.pk.in_(chunk))).all()
        found.update((row.pk, event) for row, event in zip(rows, load_events(conn, rows), strict=True))
    return found


def store_records(conn: sa.Connection, pks: Sequence[int]) -> None:
    """Render the stored events ``pks`` as they read back and keep their records."""
    events = _load(conn, pks)
    if events:
        conn.execute(_STORE, [{"b_pk": pk, "b_record": render(event)} for pk, event in events.items()])


def stale_count(conn: sa.Connection) -> int:
    """How many events have no record in the current format."""
    return int(conn.execute(sa.select(sa.func.count()).select_from(_STALE.subquery())).scalar_one())


def refresh(engine: sa.Engine, progress: Callable[[int], None] | None = None) -> int:
    """Render every event whose record is missing or in another format; returns how many."""
    with engine.connect() as conn:
        stale = list(conn.execute(_STALE).scalars())
    for start in range(0, len(stale), _BATCH):
        batch = stale[start:start + _BATCH]
        with engine.begin() as conn:
            store_records(conn, batch)
        if progress is not None:
            progress(len(batch))
    return len(stale)


def page_records(conn: sa.Connection, rows: Sequence[sa.Row[Any]]) -> list[str]:
    """JSON records for rows of (pk, doc_id, incident, record, record_format, outlet, url, title, published,
    language).

    Rows without a current record are rendered from the stored facts without writing: a GET
    never writes, and ``refresh`` catches up.
    """
    missing = [row[0] for row in rows if row[4] != RECORD_FORMAT or row[3] is None]
    fresh = {pk: render(event) for pk, event in _load(conn, missing).items()} if missing else {}
    return [with_source(fresh.get(pk) or record, incident, doc_id, outlet, url, title, published)
            for pk, doc_id, incident, record, _, outlet, url, title, published, _language in rows]
