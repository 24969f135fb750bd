"""Alembic, driven from code: no alembic.ini; the scripts ship inside the package."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext

_HERE = Path(__file__).resolve().parent
# Any constant works; it only has to be the same for every borderwatch process.
_PG_LOCK_KEY = 0x626F7264


def alembic_config(connection: sa.Connection) -> Config:
    """An Alembic Config pointing at the packaged scripts and running on ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(_HERE))
    config.attributes["connection"] = connection
    return config


def upgrade_schema(connection: sa.Connection, revision: str = "head") -> None:
    """Bring the schema up to ``revision``; concurrent openers of one PostgreSQL wait in turn."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    command.upgrade(alembic_config(connection), revision)


def downgrade_schema(connection: sa.Connection, revision: str = "base") -> None:
    """Take the schema back down to ``revision`` (``base`` drops every table)."""
    command.downgrade(alembic_config(connection), revision)


def current_revision(connection: sa.Connection) -> str | None:
    """The revision the database is at, or None for an empty database."""
    return MigrationContext.configure(connection).get_current_revision()
