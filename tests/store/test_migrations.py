"""Migrations on SQLite and PostgreSQL: 0001 builds exactly ``tables``, and is reversible."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from borderwatch.errors import StoreError
from borderwatch.store import Store
from borderwatch.store.migrations import alembic_config, current_revision, downgrade_schema, upgrade_schema
from borderwatch.store.tables import metadata

FILTER_INDEXES = {"ix_events_country", "ix_events_admin1", "ix_events_date", "ix_items_substance"}


def _tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}


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
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
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
