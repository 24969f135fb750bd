"""Initial schema: runs, documents with comments and furniture, facts, items, evidence spans, rejections.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

A frozen copy of the schema, not an import of ``tables``: later revisions change
``tables`` and add a revision, and this one must keep meaning what it meant.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_TABLES = ["spans", "rejections", "flows", "quotes", "items", "aggregates", "suspect_nationalities",
           "events", "furniture", "comments", "documents", "runs"]


def _doc_id(nullable: bool = False) -> sa.Column[str]:
    return sa.Column("doc_id", sa.Text, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=nullable)


def _pk() -> sa.Column[int]:
    return sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True)


def upgrade() -> None:
    """Create every table and the indexes analysts filter on."""
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("command", sa.Text, nullable=False),
        sa.Column("started", sa.Text, nullable=False),
        sa.Column("finished", sa.Text),
        sa.Column("summary", sa.JSON),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("content_hash", sa.Text, nullable=False, unique=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("media_type", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("language", sa.Text, nullable=False),
        sa.Column("published", sa.Text),
        sa.Column("published_precision", sa.Text),
        sa.Column("published_raw", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id")),
    )
    op.create_index("ix_documents_outlet", "documents", ["outlet"])
    op.create_index("ix_documents_published", "documents", ["published"])
    op.create_table(
        "comments",
        _pk(),
        _doc_id(),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("author", sa.Text),
        sa.Column("posted", sa.Text),
        sa.Column("abusive", sa.Boolean, nullable=False),
        sa.Column("abuse_terms", sa.JSON, nullable=False),
    )
    op.create_index("ix_comments_doc_id", "comments", ["doc_id"])
    op.create_table(
        "furniture",
        _pk(),
        _doc_id(),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.Text),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_furniture_doc_id", "furniture", ["doc_id"])
    op.create_table(
        "events",
        _pk(),
        sa.Column("id", sa.Text, nullable=False),
        _doc_id(),
        sa.Column("date", sa.Text),
        sa.Column("date_precision", sa.Text),
        sa.Column("date_raw", sa.Text),
        sa.Column("country", sa.Text),
        sa.Column("admin1", sa.Text),
        sa.Column("place", sa.Text),
        sa.Column("location_precision", sa.Text),
        sa.Column("geonames_id", sa.Integer),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("arrests", sa.Integer),
        sa.Column("arrests_raw", sa.Text),
        sa.Column("origin_country", sa.Text),
        sa.Column("destination_country", sa.Text),
        sa.Column("agency", sa.Text),
        sa.Column("concealment", sa.Text),
        sa.Column("background", sa.Boolean, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("incident", sa.Text),
        sa.UniqueConstraint("doc_id", "id", name="uq_events_doc_id_id"),
    )
    op.create_index("ix_events_country", "events", ["country"])
    op.create_index("ix_events_admin1", "events", ["country", "admin1"])
    op.create_index("ix_events_date", "events", ["date"])
    op.create_index("ix_events_incident", "events", ["incident"])
    op.create_table(
        "suspect_nationalities",
        sa.Column("event_pk", sa.Integer, sa.ForeignKey("events.pk", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("country", sa.Text, nullable=False),
    )
    op.create_index("ix_suspect_nationalities_country", "suspect_nationalities", ["country"])
    op.create_table(
        "aggregates",
        _pk(),
        sa.Column("id", sa.Text, nullable=False),
        _doc_id(),
        sa.Column("country", sa.Text),
        sa.Column("admin1", sa.Text),
        sa.Column("agency", sa.Text),
        sa.Column("period_start", sa.Text),
        sa.Column("period_end", sa.Text),
        sa.Column("period_raw", sa.Text),
        sa.Column("arrests", sa.Integer),
        sa.Column("cases", sa.Integer),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.UniqueConstraint("doc_id", "id", name="uq_aggregates_doc_id_id"),
    )
    op.create_index("ix_aggregates_country", "aggregates", ["country"])
    op.create_index("ix_aggregates_admin1", "aggregates", ["country", "admin1"])
    op.create_index("ix_aggregates_period", "aggregates", ["period_start", "period_end"])
    op.create_table(
        "items",
        _pk(),
        sa.Column("parent_kind", sa.Text, nullable=False),
        sa.Column("parent_pk", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("commodity", sa.Text, nullable=False),
        sa.Column("substance", sa.Text),
        sa.Column("form", sa.Text),
        sa.Column("mass_kg", sa.Float),
        sa.Column("mass_raw", sa.Text),
        sa.Column("count", sa.Float),
        sa.Column("count_unit", sa.Text),
        sa.Column("count_raw", sa.Text),
        sa.Column("volume_m3", sa.Float),
        sa.Column("volume_raw", sa.Text),
        sa.Column("qualifier", sa.Text),
    )
    op.create_index("ix_items_parent", "items", ["parent_kind", "parent_pk"])
    op.create_index("ix_items_substance", "items", ["substance"])
    op.create_index("ix_items_commodity", "items", ["commodity"])
    op.create_table(
        "quotes",
        _pk(),
        sa.Column("id", sa.Text, nullable=False),
        _doc_id(),
        sa.Column("speaker", sa.Text),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("role", sa.Text),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.UniqueConstraint("doc_id", "id", name="uq_quotes_doc_id_id"),
    )
    op.create_index("ix_quotes_speaker", "quotes", ["speaker"])
    op.create_table(
        "flows",
        _pk(),
        sa.Column("id", sa.Text, nullable=False),
        _doc_id(),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("destination", sa.Text, nullable=False),
        sa.Column("commodity", sa.Text, nullable=False),
        sa.Column("asserted_by", sa.Text),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.UniqueConstraint("doc_id", "id", name="uq_flows_doc_id_id"),
    )
    op.create_index("ix_flows_route", "flows", ["origin", "destination"])
    op.create_table(
        "rejections",
        _pk(),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id")),
        _doc_id(nullable=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("stage", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("quarantine_path", sa.Text),
    )
    op.create_index("ix_rejections_run_id", "rejections", ["run_id"])
    op.create_index("ix_rejections_reason", "rejections", ["reason"])
    op.create_table(
        "spans",
        _pk(),
        sa.Column("fact_kind", sa.Text, nullable=False),
        sa.Column("fact_pk", sa.Integer, nullable=False),
        sa.Column("item_index", sa.Integer),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("doc_id", sa.Text, nullable=False),
        sa.Column("field", sa.Text),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_spans_fact", "spans", ["fact_kind", "fact_pk"])


def downgrade() -> None:
    """Drop every table (their indexes go with them), children before parents."""
    for table in _TABLES:
        op.drop_table(table)
