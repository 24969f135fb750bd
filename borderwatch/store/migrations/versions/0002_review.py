"""Editorial review: users with roles, sign-in sessions, and revisions (the audit trail).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

A frozen copy of these three tables, not an import of ``tables`` (see 0001). Revisions keep
``who`` as the user's name, not a foreign key, so the trail outlives any change to users.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create users, sessions and revisions."""
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created", sa.Text, nullable=False),
        sa.CheckConstraint("role IN ('viewer', 'editor')", name="ck_users_role"),
    )
    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.Text, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("csrf_token", sa.Text, nullable=False),
        sa.Column("created", sa.Text, nullable=False),
        sa.Column("expires", sa.Text, nullable=False),
    )
    op.create_index("ix_sessions_user_id", "sessions", ["user_id"])
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("fact_kind", sa.Text, nullable=False),
        sa.Column("fact_id", sa.Text, nullable=False),
        sa.Column("doc_id", sa.Text, nullable=False),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("before", sa.JSON),
        sa.Column("after", sa.JSON),
        sa.Column("who", sa.Text, nullable=False),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("note", sa.Text),
        sa.CheckConstraint("action IN ('confirm', 'correct', 'reject')", name="ck_revisions_action"),
    )
    op.create_index("ix_revisions_fact", "revisions", ["fact_kind", "doc_id", "fact_id"])


def downgrade() -> None:
    """Drop the review tables (their indexes go with them), children before parents."""
    for table in ("revisions", "sessions", "users"):
        op.drop_table(table)
