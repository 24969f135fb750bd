"""Full-text search over report text, and when each document was stored (for incremental pulls).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

``documents.stored`` is the UTC time a document was written (ISO 8601, seconds); documents stored
before this revision get their run's start time, or none when they had no run.

The search index is each database's own, kept in step by the database on every insert, update
and delete, so no writer can forget it:

* SQLite: the FTS5 table ``documents_fts`` (doc_id, title, text), filled by triggers on
  ``documents``. It holds its own copy of the text, keyed by document id rather than rowid, so a
  later migration that rebuilds ``documents`` (Alembic batch mode) keeps it right; such a
  migration must create the three triggers again, since SQLite drops them with the old table.
* PostgreSQL: the generated column ``documents.search`` (a ``simple`` tsvector of the title and
  the first 250,000 characters of the text: a tsvector is limited to 1 MB) with a GIN index.

Both split words at spaces and punctuation, so a language written without spaces (Thai, Lao,
Khmer, Chinese) is found by its space-separated runs only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SEARCH_CHARS = 250_000
SQLITE_TRIGGERS = {
    "documents_fts_insert": "AFTER INSERT ON documents BEGIN "
                            "INSERT INTO documents_fts (doc_id, title, text) VALUES (new.id, new.title, new.text); END",
    "documents_fts_delete": "AFTER DELETE ON documents BEGIN "
                            "DELETE FROM documents_fts WHERE doc_id = old.id; END",
    "documents_fts_update": "AFTER UPDATE OF id, title, text ON documents BEGIN "
                            "DELETE FROM documents_fts WHERE doc_id = old.id; "
                            "INSERT INTO documents_fts (doc_id, title, text) VALUES (new.id, new.title, new.text); END",
}


def upgrade() -> None:
    """Add ``stored`` (filled from the runs) and the dialect's search index (filled from the text)."""
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("stored", sa.Text))
    op.execute("UPDATE documents SET stored = (SELECT started FROM runs WHERE runs.id = documents.run_id)")
    op.create_index("ix_documents_stored", "documents", ["stored"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE documents_fts USING fts5("
                   "doc_id UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2')")
        op.execute("INSERT INTO documents_fts (doc_id, title, text) SELECT id, title, text FROM documents")
        for name, body in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
    else:
        op.execute("ALTER TABLE documents ADD COLUMN search tsvector GENERATED ALWAYS AS "
                   f"(to_tsvector('simple', coalesce(title, '') || ' ' || left(text, {SEARCH_CHARS}))) STORED")
        op.execute("CREATE INDEX ix_documents_search ON documents USING gin (search)")


def downgrade() -> None:
    """Drop the search index and ``stored``."""
    if op.get_bind().dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS documents_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_documents_search")
        op.execute("ALTER TABLE documents DROP COLUMN IF EXISTS search")
    op.drop_index("ix_documents_stored", "documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("stored")
