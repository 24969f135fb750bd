"""The database schema as SQLAlchemy Core tables: one definition for SQLite and PostgreSQL.

Analysts filter on plain columns (country, admin1, date, substance), so facts are spread
over child tables instead of JSON blobs; only a run's free-form summary is JSON.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

runs = sa.Table(
    "runs", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("command", sa.Text, nullable=False),
    sa.Column("started", sa.Text, nullable=False),
    sa.Column("finished", sa.Text),
    sa.Column("summary", sa.JSON),
    sa.Column("status", sa.Text, nullable=False, server_default="running"),
    sa.Column("pid", sa.Integer),
    sa.Column("host", sa.Text),
)

documents = sa.Table(
    "documents", metadata,
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
    sa.Column("family", sa.Text),
    sa.Column("stored", sa.Text),  # UTC ISO time written (migration 0009, with the search index)
    sa.Index("ix_documents_outlet", "outlet"),
    sa.Index("ix_documents_family", "family"),
    sa.Index("ix_documents_published", "published"),
    sa.Index("ix_documents_stored", "stored"),
)

# The full-text search index over documents is each database's own (migration 0009): SQLite's
# FTS5 table ``documents_fts`` and PostgreSQL's generated ``documents.search``; neither is in
# this metadata, and ``filters.report_matches`` queries them.
SEARCH_OBJECTS = frozenset({"documents_fts", "documents_fts_data", "documents_fts_idx", "documents_fts_docsize",
                            "documents_fts_config", "documents_fts_content", "search", "ix_documents_search"})

comments = sa.Table(
    "comments", metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("doc_id", sa.Text, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("author", sa.Text),
    sa.Column("posted", sa.Text),
    sa.Column("abusive", sa.Boolean, nullable=False),
    sa.Column("abuse_terms", sa.JSON, nullable=False),
    sa.Index("ix_comments_doc_id", "doc_id"),
)

furniture = sa.Table(
    "furniture", metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("doc_id", sa.Text, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("kind", sa.Text),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Index("ix_furniture_doc_id", "doc_id"),
)

events = sa.Table(
    "events", metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id", sa.Text, nullable=False),
    sa.Column("doc_id", sa.Text, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
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
    # The API's JSON for the event, rendered when stored (store/rendered.py); derived, never edited.
    sa.Column("record", sa.Text),
    sa.Column("record_format", sa.Integer),
    sa.UniqueConstraint("doc_id", "id", name="uq_events_doc_id_id"),
    sa.Index("ix_events_country", "country"),
    sa.Index("ix_events_admin1", "country", "admin1"),
    sa.Index("ix_events_incident", "incident"),
    # Date descending, so that the index order (date DESC, then pk) is the listing order and a
    # page is read from an index range without sorting (0006; on SQLite, where DESC puts NULL last).
    sa.Index("ix_events_date", sa.column("date").desc()),
    sa.Index("ix_events_country_date", "country", sa.column("date").desc()),
    sa.Index("ix_events_admin1_lower_date", sa.func.lower(sa.column("admin1")), sa.column("date").desc()),
)

suspect_nationalities = sa.Table(
    "suspect_nationalities", metadata,
    sa.Column("event_pk", sa.Integer, sa.ForeignKey("events.pk", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("country", sa.Text, nullable=False),
    sa.Index("ix_suspect_nationalities_country", "country"),
)

aggregates = sa.Table(
    "aggregates", metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id", sa.Text, nullable=False),
    sa.Column("doc_id", sa.Text, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
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
    sa.Index("ix_aggregates_country", "country"),
    sa.Index("ix_aggregates_admin1", "country", "admin1"),
    sa.Index("ix_aggregates_period", "period_start", "period_end"),
)

items = sa.Table(
    "items", metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
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
    sa.Index("ix_items_parent", "parent_kind", "parent_pk"),
    sa.Index("ix_items_substance", "substance"),
    sa.Index("ix_items_commodity", "commodity"),
    sa.Index("ix_items_parent_substance", "parent_kind", "parent_pk", "substance"),
)

# What events are filtered on through their items or their document (substance, commodity,
# outlet, language), one row per event and term ("substance:heroin", case-folded by
# ``filters.event_terms``), with the event's country and date copied: a filtered page or count is
# one index range here instead of a probe into items or documents for every event (0006).
event_terms = sa.Table(
    "event_terms", metadata,
    sa.Column("event_pk", sa.Integer, sa.ForeignKey("events.pk", ondelete="CASCADE"), primary_key=True),
    sa.Column("term", sa.Text, primary_key=True),
    sa.Column("country", sa.Text),
    sa.Column("date", sa.Text),
    sa.Index("ix_event_terms_date", "term", sa.column("date").desc(), "event_pk"),
    sa.Index("ix_event_terms_country_date", "term", "country", sa.column("date").desc(), "event_pk"),
)

quotes = sa.Table(
    "quotes", metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id", sa.Text, nullable=False),
    sa.Column("doc_id", sa.Text, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    sa.Column("speaker", sa.Text),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("role", sa.Text),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.UniqueConstraint("doc_id", "id", name="uq_quotes_doc_id_id"),
    sa.Index("ix_quotes_speaker", "speaker"),
)

flows = sa.Table(
    "flows", metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id", sa.Text, nullable=False),
    sa.Column("doc_id", sa.Text, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    sa.Column("origin", sa.Text, nullable=False),
    sa.Column("destination", sa.Text, nullable=False),
    sa.Column("commodity", sa.Text, nullable=False),
    sa.Column("asserted_by", sa.Text),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.UniqueConstraint("doc_id", "id", name="uq_flows_doc_id_id"),
    sa.Index("ix_flows_route", "origin", "destination"),
)

rejections = sa.Table(
    "rejections", metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id")),
    sa.Column("doc_id", sa.Text, sa.ForeignKey("documents.id", ondelete="CASCADE")),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("stage", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("quarantine_path", sa.Text),
    sa.Index("ix_rejections_run_id", "run_id"),
    sa.Index("ix_rejections_reason", "reason"),
)

# Evidence of every fact (and of rejections): ``fact_kind`` names the parent table
# (seizure, aggregate, quote, flow, rejection), ``item_index`` the item inside it, if any.
spans = sa.Table(
    "spans", metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("fact_kind", sa.Text, nullable=False),
    sa.Column("fact_pk", sa.Integer, nullable=False),
    sa.Column("item_index", sa.Integer),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("doc_id", sa.Text, nullable=False),
    sa.Column("field", sa.Text),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Index("ix_spans_fact", "fact_kind", "fact_pk"),
)

# Editorial review (revision 0002). Extracted rows are never updated: every confirm, correct or
# reject is a new ``revisions`` row naming its fact by (fact_kind, doc_id, fact_id), as ids are
# unique only within a document. ``field`` is a fact column, ``items.N.column`` or ``fact``.
users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.Text, nullable=False, unique=True),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("created", sa.Text, nullable=False),
    sa.CheckConstraint("role IN ('viewer', 'editor')", name="ck_users_role"),
)

sessions = sa.Table(
    "sessions", metadata,
    sa.Column("token_hash", sa.Text, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("csrf_token", sa.Text, nullable=False),
    sa.Column("created", sa.Text, nullable=False),
    sa.Column("expires", sa.Text, nullable=False),
    sa.Index("ix_sessions_user_id", "user_id"),
)

signin_attempts = sa.Table(
    "signin_attempts", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("succeeded", sa.Boolean, nullable=False),
    sa.Column("at", sa.Float, nullable=False),
    sa.Index("ix_signin_attempts_client_at", "client", "at"),
    sa.Index("ix_signin_attempts_name_at", "name", "at"),
    sa.Index("ix_signin_attempts_at", "at"),
)

revisions = sa.Table(
    "revisions", metadata,
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
    sa.Index("ix_revisions_fact", "fact_kind", "doc_id", "fact_id"),
    sa.Index("ix_revisions_verdicts", "fact_kind", "field", "action", "doc_id", "fact_id"),
)

fetch_state = sa.Table(
    "fetch_state", metadata,
    sa.Column("url", sa.Text, primary_key=True),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("status", sa.Integer),
    sa.Column("checked", sa.Float),
    sa.Column("changed", sa.Float),
)
