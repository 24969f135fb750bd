"""Migrations on SQLite and PostgreSQL: 0001 builds exactly ``tables``, and is reversible."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from borderwatch.errors import StoreError
from borderwatch.model import Facts
from borderwatch.serve.api import event_json
from borderwatch.store import EventFilter, Store
from borderwatch.store.migrations import alembic_config, current_revision, downgrade_schema, upgrade_schema
from borderwatch.store.tables import SEARCH_OBJECTS, metadata

MakeFacts = Callable[..., Facts]
FILTER_INDEXES = {"ix_events_country", "ix_events_admin1", "ix_events_date", "ix_items_substance"}


def _tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names()) - {"alembic_version"} - SEARCH_OBJECTS


def _indexes(engine: sa.Engine) -> set[str]:
    inspector = sa.inspect(engine)
    return {ix["name"] for table in inspector.get_table_names() for ix in inspector.get_indexes(table)
            if ix["name"]}


def test_upgrade_downgrade_upgrade(db_url: str) -> None:
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as conn:
            upgrade_schema(conn)
            head = ScriptDirectory.from_config(alembic_config(conn)).get_current_head()
            assert head is not None and current_revision(conn) == head
        assert _tables(engine) == set(metadata.tables)
        assert FILTER_INDEXES <= _indexes(engine)
        with engine.begin() as conn:
            downgrade_schema(conn)
            assert current_revision(conn) is None
        assert _tables(engine) == set()
        assert not FILTER_INDEXES & _indexes(engine)
        with engine.begin() as conn:
            upgrade_schema(conn)
        assert _tables(engine) == set(metadata.tables)
    finally:
        engine.dispose()


def test_migrated_schema_matches_the_tables_module(db_url: str) -> None:
    Store.open(db_url).close()
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={
                "include_object": lambda obj, name, kind, reflected, other: name not in SEARCH_OBJECTS})
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()


def test_opening_twice_keeps_the_data(db_url: str) -> None:
    with Store.open(db_url) as store:
        run = store.start_run("first")
    with Store.open(db_url) as store:
        assert store.start_run("second") == run + 1


def test_a_database_from_a_newer_borderwatch_is_refused(db_url: str) -> None:
    Store.open(db_url).close()
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    finally:
        engine.dispose()
    with pytest.raises(StoreError, match="has a schema this borderwatch does not know"):
        Store.open(db_url)


def _index_names(engine: sa.Engine) -> set[str]:
    """Every index by name, expression indexes included (SQLite's reflection skips those)."""
    query = ("SELECT name FROM sqlite_master WHERE type = 'index'" if engine.dialect.name == "sqlite"
             else "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
    with engine.connect() as conn:
        return set(conn.execute(sa.text(query)).scalars())


def _event_columns(engine: sa.Engine) -> set[str]:
    return {column["name"] for column in sa.inspect(engine).get_columns("events")}


def test_0006_keeps_the_events_down_and_up_and_records_catch_up(db_url: str, make_facts: MakeFacts) -> None:
    with Store.open(db_url) as store:
        store.add(make_facts())
        store.add(make_facts(doc_id="th-1", text=make_facts().document.text + " ", outlet="Bangkok Post",
                             language="th"))
        before = [event_json(row) for row in store.events()]
    engine = sa.create_engine(db_url)
    terms_query = sa.text("SELECT event_pk, term, country, date FROM event_terms ORDER BY event_pk, term")
    try:
        with engine.connect() as conn:
            terms = conn.execute(terms_query).all()
        assert len(terms) > 2 * len(before)
        with engine.begin() as conn:
            downgrade_schema(conn, "0005")
        assert not {"record", "record_format"} & _event_columns(engine)
        indexes = _index_names(engine)
        assert {"ix_events_admin1_name", "ix_events_admin1_lower"} <= indexes
        assert "ix_events_admin1_lower_date" not in indexes
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM events")).scalar_one() == len(before)
        with engine.begin() as conn:
            upgrade_schema(conn)
        assert {"record", "record_format"} <= _event_columns(engine)
        indexes = _index_names(engine)
        assert "ix_events_admin1_lower_date" in indexes
        assert not {"ix_events_admin1_name", "ix_events_admin1_lower"} & indexes
        with engine.connect() as conn:
            assert conn.execute(terms_query).all() == terms  # 0006 fills them as Store.add writes them
    finally:
        engine.dispose()
    with Store.open(db_url) as store:
        assert store.stale_records() == len(before)
        assert store.event_records() == before  # rendered on the fly meanwhile
        assert store.refresh_records() == len(before)
        assert store.stale_records() == 0
        assert store.event_records() == before
        savannakhet = [r["id"] for r in before if r["admin1"] == "Savannakhet"]
        assert [r["id"] for r in store.event_records(EventFilter(admin1="savannakhet"))] == savannakhet
        assert len(store.event_records(EventFilter(outlet="BANGKOK POST", substance="heroin"))) == 1
