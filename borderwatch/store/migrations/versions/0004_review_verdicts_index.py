"""An index for "rejected in review", which every event and aggregate query checks.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

Only adds an index. The store finds the facts whose newest whole-fact revision is a rejection
once per query (``filters._rejected_facts``); ``fact_kind, field, action`` makes that read only the
rejections instead of every revision, and ``doc_id, fact_id`` (with the row id) answers it from
the index alone.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the index."""
    op.create_index("ix_revisions_verdicts", "revisions", ["fact_kind", "field", "action", "doc_id", "fact_id"])


def downgrade() -> None:
    """Drop it again; the revisions stay."""
    op.drop_index("ix_revisions_verdicts", table_name="revisions")
