"""API pages from index ranges: each event's record rendered when stored, its filter terms, date-descending indexes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25

Adds two nullable columns to ``events``. Events stored before have no record yet: the API renders
those on the fly, and ``borderwatch db upgrade`` (or ``serve`` at start) renders and stores them
with ``store.rendered.refresh``, which this revision does not call because a revision must not
depend on the code of the day.

Adds ``event_terms``: one row per event and value it is filtered on through its items or its
document (``substance:heroin``, ``commodity:drugs``, ``outlet:bangkok post``, ``language:en``,
values case-folded with ``str.lower``), with the event's country and date copied. It is filled
here from the stored items and documents, with the same rule as ``store.filters.event_terms``
(kept apart on purpose, see above; tests/store/test_migrations.py checks they agree). A filter on
a substance was a probe into ``items`` for every event of the country (about 50 ms to count
20,000), and one on an outlet a join to ``documents`` for every event; both are now one range of
an index.

Makes the date indexes descending: the listing order is (date DESC, pk), which is the order of
an index on ``date DESC`` (SQLite appends the rowid ascending and puts NULL last in DESC), so a
page is read from the index without sorting. Replaces the province indexes of 0003 by
``(lower(admin1), date DESC)``: the province filter is one case-folded comparison, so a province
page is read newest first from the index and stops after a page, where the two-branch OR sorted
every event of the province.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_BATCH = 5000
_events = sa.table("events", sa.column("pk", sa.Integer), sa.column("doc_id", sa.Text),
                   sa.column("country", sa.Text), sa.column("date", sa.Text))
_items = sa.table("items", sa.column("parent_kind", sa.Text), sa.column("parent_pk", sa.Integer),
                  sa.column("substance", sa.Text), sa.column("commodity", sa.Text))
_documents = sa.table("documents", sa.column("id", sa.Text), sa.column("outlet", sa.Text),
                      sa.column("language", sa.Text))


def upgrade() -> None:
    """Add the record columns and event_terms (filled), and make the date indexes descending."""
    op.add_column("events", sa.Column("record", sa.Text))
    op.add_column("events", sa.Column("record_format", sa.Integer))
    terms = op.create_table(
        "event_terms",
        sa.Column("event_pk", sa.Integer, sa.ForeignKey("events.pk", ondelete="CASCADE"), primary_key=True),
        sa.Column("term", sa.Text, primary_key=True),
        sa.Column("country", sa.Text),
        sa.Column("date", sa.Text),
    )
    assert terms is not None
    conn = op.get_bind()
    batch: list[dict[str, Any]] = []
    for row in _stored_terms(conn):
        batch.append(row)
        if len(batch) == _BATCH:
            conn.execute(sa.insert(terms), batch)
            batch = []
    if batch:
        conn.execute(sa.insert(terms), batch)
    # Indexes after the rows: building them once is faster than keeping them up to date.
    op.create_index("ix_event_terms_date", "event_terms", ["term", sa.text("date DESC"), "event_pk"])
    op.create_index("ix_event_terms_country_date", "event_terms",
                    ["term", "country", sa.text("date DESC"), "event_pk"])
    _replace_date_indexes(descending=True)
    op.create_index("ix_events_admin1_lower_date", "events", [sa.text("lower(admin1)"), sa.text("date DESC")])
    op.drop_index("ix_events_admin1_lower", table_name="events")
    op.drop_index("ix_events_admin1_name", table_name="events")


def downgrade() -> None:
    """Drop them again; the events stay.

    In place, not by batch copy: copying the table on SQLite would lose the expression index
    of 0003, which SQLite's reflection cannot see (ALTER TABLE DROP COLUMN needs SQLite 3.35).
    """
    op.create_index("ix_events_admin1_name", "events", ["admin1"])
    op.create_index("ix_events_admin1_lower", "events", [sa.text("lower(admin1)")])
    op.drop_index("ix_events_admin1_lower_date", table_name="events")
    _replace_date_indexes(descending=False)
    op.drop_table("event_terms")
    for column in ("record_format", "record"):
        if op.get_context().dialect.name == "sqlite":
            op.execute(f"ALTER TABLE events DROP COLUMN {column}")
        else:
            op.drop_column("events", column)


def _replace_date_indexes(descending: bool) -> None:
    date = sa.text("date DESC") if descending else "date"
    op.drop_index("ix_events_date", table_name="events")
    op.drop_index("ix_events_country_date", table_name="events")
    op.create_index("ix_events_date", "events", [date])
    op.create_index("ix_events_country_date", "events", ["country", date])


def _stored_terms(conn: sa.Connection) -> Iterator[dict[str, Any]]:
    """Each stored event's terms, read in pk order a batch at a time."""
    last = 0
    while True:
        events = conn.execute(
            sa.select(_events.c.pk, _events.c.country, _events.c.date, _documents.c.outlet, _documents.c.language)
            .join(_documents, _documents.c.id == _events.c.doc_id)
            .where(_events.c.pk > last).order_by(_events.c.pk).limit(_BATCH)).all()
        if not events:
            return
        first, last = events[0][0], events[-1][0]
        values: dict[int, set[tuple[str, str]]] = {
            pk: {("outlet", outlet), ("language", language)} if outlet is not None else {("language", language)}
            for pk, _, _, outlet, language in events}
        items = conn.execute(
            sa.select(_items.c.parent_pk, _items.c.substance, _items.c.commodity)
            .where(_items.c.parent_kind == "seizure", _items.c.parent_pk >= first, _items.c.parent_pk <= last))
        for pk, substance, commodity in items:
            found = values.get(pk)
            if found is None:  # an item of no stored event: nothing to find it by
                continue
            found.add(("commodity", commodity))
            if substance is not None:
                found.add(("substance", substance))
        for pk, country, date, _, _ in events:
            for term in sorted({f"{kind}:{value.lower()}" for kind, value in values[pk]}):
                yield {"event_pk": pk, "term": term, "country": country, "date": date}
