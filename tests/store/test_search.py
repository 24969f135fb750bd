"""Full-text search over report text (SQLite FTS5, PostgreSQL tsvector) kept in step on insert,
and ``updated_since`` over when each document was stored, on both databases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import sqlalchemy as sa

from borderwatch.model import Facts
from borderwatch.store import Store
from borderwatch.store import tables as t
from borderwatch.store.filters import search_terms
from borderwatch.store.migrations import downgrade_schema, upgrade_schema
from borderwatch.store.repo import EventFilter


def _two(store: Store, make_facts: Callable[..., Facts]) -> None:
    assert store.add(make_facts("doc-a"))
    other = make_facts("doc-b", text=make_facts().document.text + " Pangolin scales were found too.")
    assert store.add(other)


def test_search_finds_words_anywhere_in_the_report(store: Store, make_facts: Callable[..., Facts]) -> None:
    _two(store, make_facts)
    assert store.count_documents(EventFilter(q="pangolin")) == 1
    assert [d.id for d in store.documents(flt=EventFilter(q="PANGOLIN scales"))] == ["doc-b"]
    assert store.count_documents(EventFilter(q="Savannakhet pangolin")) == 1  # every word, anywhere
    assert store.count_documents(EventFilter(q="Mekong")) == 2  # in the furniture's related link, still text
    assert store.count_documents(EventFilter(q="pangolin okapi")) == 0
    assert store.count_documents(EventFilter(q="zebra")) == 0
    assert store.count_documents(EventFilter(q='"); DROP TABLE documents; --')) == 0
    assert store.count_documents(EventFilter(q="*")) == 0  # no words: nothing, and never an FTS syntax error
    assert store.count_documents(EventFilter(q="Lao Bảo")) == 2  # title substring still matches


def test_quotes_search_their_report_and_own_words(store: Store, make_facts: Callable[..., Facts]) -> None:
    _two(store, make_facts)
    assert [q.doc_id for q in store.quotes(flt=EventFilter(q="pangolin"))] == ["doc-b"]
    assert store.count_quotes(flt=EventFilter(q="route reopen")) == 2
    assert store.count_quotes(flt=EventFilter(q="Colonel")) == 2


def test_events_and_other_facts_are_found_by_their_reports_text(store: Store,
                                                                 make_facts: Callable[..., Facts]) -> None:
    _two(store, make_facts)
    pangolin = EventFilter(q="pangolin scales")  # in doc-b's text only, in no fact's own fields
    assert sorted(row.event.id for row in store.events(pangolin)) == ["doc-b-e1", "doc-b-e2"]
    assert store.count_events(pangolin) == 2
    assert [row.event.id for row in store.events(replace(pangolin, substance="rosewood"))] == ["doc-b-e2"]
    assert [a.doc_id for a in store.aggregates(pangolin)] == ["doc-b"] and store.count_aggregates(pangolin) == 1
    assert [f.doc_id for f in store.flows(pangolin)] == ["doc-b"] and store.count_flows(pangolin) == 1
    assert dict(store.event_facets(pangolin)["outlet"]) == {"Thanh Niên": 2}
    assert store.count_events(EventFilter(q="Colonel Savannakhet")) == 4  # every word, anywhere in the text
    assert store.count_events(EventFilter(q="heroin okapi")) == 0
    assert store.count_events(EventFilter(q='"); DROP TABLE events; --')) == 0
    assert store.count_events(EventFilter(q="*")) == 0


def test_search_index_follows_updates_and_deletes(store: Store, make_facts: Callable[..., Facts]) -> None:
    _two(store, make_facts)
    with store.engine.begin() as conn:
        conn.execute(sa.update(t.documents).where(t.documents.c.id == "doc-a").values(title="Okapi found"))
    assert [d.id for d in store.documents(flt=EventFilter(q="okapi"))] == ["doc-a"]
    with store.engine.begin() as conn:
        conn.execute(sa.delete(t.documents).where(t.documents.c.id == "doc-b"))
    assert store.count_documents(EventFilter(q="pangolin")) == 0


def test_migration_indexes_documents_stored_before_it(store: Store, make_facts: Callable[..., Facts]) -> None:
    _two(store, make_facts)
    with store.engine.begin() as conn:
        downgrade_schema(conn, "0008")
    with store.engine.begin() as conn:
        upgrade_schema(conn)
    assert store.count_documents(EventFilter(q="pangolin")) == 1


def test_updated_since_keeps_later_documents_and_their_facts(store: Store, make_facts: Callable[..., Facts]) -> None:
    _two(store, make_facts)
    with store.engine.begin() as conn:
        conn.execute(sa.update(t.documents).where(t.documents.c.id == "doc-a")
                     .values(stored="2026-01-01T00:00:00+00:00"))
        conn.execute(sa.update(t.documents).where(t.documents.c.id == "doc-b")
                     .values(stored="2026-06-01T12:00:00+00:00"))
    since = EventFilter(updated_since="2026-03-01T00:00:00+00:00")
    assert [d.id for d in store.documents(flt=since)] == ["doc-b"]
    assert {row.event.doc_id for row in store.events(since)} == {"doc-b"}
    assert store.count_events(since) == 2 and store.count_events() == 4
    assert store.count_events(replace(since, substance="heroin")) == 1
    assert store.count_events(replace(since, country="VN", q="Lao")) == 1
    assert [a.doc_id for a in store.aggregates(since)] == ["doc-b"]
    assert store.count_quotes(flt=since) == 1 and store.count_flows(since) == 1
    assert store.count_documents(EventFilter(updated_since="2026-06-01T12:00:00+00:00")) == 1
    assert store.count_documents(EventFilter(updated_since="2026-06-01T12:00:01+00:00")) == 0


def test_new_documents_record_when_they_were_stored(store: Store, make_facts: Callable[..., Facts]) -> None:
    assert store.add(make_facts("doc-a"))
    with store.engine.connect() as conn:
        stored = conn.execute(sa.select(t.documents.c.stored)).scalar_one()
    assert stored is not None and stored.endswith("+00:00") and stored[10] == "T"


def test_search_terms_quote_every_word() -> None:
    assert search_terms('heroin AND "meth" OR -x*') == '"heroin" "AND" "meth" "OR" "x"'
    assert search_terms("Quảng Trị") == '"Quảng" "Trị"'
    assert search_terms("!!") == ""
