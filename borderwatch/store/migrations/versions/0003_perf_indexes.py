"""Indexes for the API's filtered event pages, found by EXPLAIN over 100,000 events (bench/api_latency.py).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

Only adds indexes. ``country, date`` lets a country filter read events newest first and stop
after one page; ``parent_kind, parent_pk, substance`` answers the substance EXISTS from the
index alone; ``admin1`` and ``lower(admin1)`` serve the two halves of the case-insensitive
province match (``admin1 = x OR lower(admin1) = lower(x)``), which otherwise scans every event.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the four indexes."""
    op.create_index("ix_events_country_date", "events", ["country", "date"])
    op.create_index("ix_events_admin1_name", "events", ["admin1"])
    op.create_index("ix_events_admin1_lower", "events", [sa.text("lower(admin1)")])
    op.create_index("ix_items_parent_substance", "items", ["parent_kind", "parent_pk", "substance"])


def downgrade() -> None:
    """Drop them again; the tables and their data stay."""
    for name, table in (("ix_items_parent_substance", "items"), ("ix_events_admin1_lower", "events"),
                        ("ix_events_admin1_name", "events"), ("ix_events_country_date", "events")):
        op.drop_index(name, table_name=table)
