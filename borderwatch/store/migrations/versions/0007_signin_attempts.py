"""Sign-in attempts in the database, so every worker process applies the same limits.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

One row per sign-in attempt: the client address it came from, the name tried, whether it
succeeded and when (seconds since the epoch). ``borderwatch.signin`` derives from these rows the
per-address back-off, the per-address and global caps, and the notice an editor sees about
failures against their name. A frozen copy of the table, not an import of ``tables`` (see 0001).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create signin_attempts and its indexes."""
    op.create_table(
        "signin_attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("succeeded", sa.Boolean, nullable=False),
        sa.Column("at", sa.Float, nullable=False),
    )
    op.create_index("ix_signin_attempts_client_at", "signin_attempts", ["client", "at"])
    op.create_index("ix_signin_attempts_name_at", "signin_attempts", ["name", "at"])
    op.create_index("ix_signin_attempts_at", "signin_attempts", ["at"])


def downgrade() -> None:
    """Drop signin_attempts."""
    op.drop_table("signin_attempts")
