"""Runs say whether they finished: a status, and the process that ran them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

``status`` is ``running`` while a run goes on, ``finished`` when it closed with its summary and
``interrupted`` when its process died first (killed, power cut): the next run started on the
same host finds its ``pid`` gone and marks it so. Runs stored before this revision get
``finished`` when they have a finish time and ``interrupted`` when they never did.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add status, pid and host to runs; fill status for the runs already there."""
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("status", sa.Text, nullable=False, server_default="running"))
        batch.add_column(sa.Column("pid", sa.Integer))
        batch.add_column(sa.Column("host", sa.Text))
    op.execute("UPDATE runs SET status = CASE WHEN finished IS NULL THEN 'interrupted' ELSE 'finished' END")


def downgrade() -> None:
    """Drop the three columns."""
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("host")
        batch.drop_column("pid")
        batch.drop_column("status")
