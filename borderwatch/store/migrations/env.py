"""Alembic environment: runs on the connection borderwatch hands over (see ``alembic_config``)."""

from __future__ import annotations

from alembic import context

from borderwatch.errors import StoreError
from borderwatch.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise StoreError("borderwatch migrations run on a live connection: use Store.open or "
                     "`borderwatch db upgrade`, not the alembic command")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
