"""Store connections: a database URL opened, SQLite tuned, the schema migrated in one transaction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.util.exc import CommandError
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from borderwatch.errors import DatabaseNameError, StoreError
from borderwatch.store.migrations import upgrade_schema

# Per connection: the map shares the operating system's cache; the page cache is filled on demand.
_SQLITE_MMAP_BYTES = 256 * 1024 * 1024
_SQLITE_CACHE_KIB = 16 * 1024


def open_engine(url: str, must_exist: bool) -> sa.Engine:
    """An engine for ``url`` with the schema migrated to head; StoreError if that cannot be done.
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
        raise StoreError(f"unsupported database URL {shown}: {first_line(exc)} "
                         "(expected: sqlite, postgresql+psycopg)") from exc
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _configure_sqlite)
    try:
        _migrate(engine, sa_url, connect_args)
    except DBAPIError as exc:
        engine.dispose()
        raise StoreError(f"cannot open database {shown}: {first_line(exc.orig)}") from exc
    except CommandError as exc:
        engine.dispose()
        raise StoreError(f"database {shown} has a schema this borderwatch does not know: "
                         f"{first_line(exc)}") from exc
    return engine


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


def first_line(exc: BaseException | None) -> str:
    """An exception's first line of text, for a one-line error message."""
    text = str(exc).strip() if exc is not None else ""
    return text.splitlines()[0] if text else type(exc).__name__
