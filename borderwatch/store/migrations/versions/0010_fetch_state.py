"""What live sources last answered: validators for conditional GET and when each was polled.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

One row per URL that ``borderwatch ingest URL``, ``--feed URL`` or ``borderwatch watch`` fetched:
its ``ETag`` and ``Last-Modified`` (sent back as ``If-None-Match`` / ``If-Modified-Since`` so an
unchanged source answers 304 with no body), the last HTTP status and when it was last checked, so
a restarted ``watch`` knows what is due.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create fetch_state."""
    op.create_table(
        "fetch_state",
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("status", sa.Integer),
        sa.Column("checked", sa.Float),
        sa.Column("changed", sa.Float),
    )


def downgrade() -> None:
    """Drop fetch_state."""
    op.drop_table("fetch_state")
