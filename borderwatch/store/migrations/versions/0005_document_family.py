"""Document families: reposts and syndicated copies point at the first document of their family.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the column (empty for documents stored before) and its index."""
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("family", sa.Text))
        batch.create_index("ix_documents_family", ["family"])


def downgrade() -> None:
    """Drop them again; the documents stay."""
    with op.batch_alter_table("documents") as batch:
        batch.drop_index("ix_documents_family")
        batch.drop_column("family")
