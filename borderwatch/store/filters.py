"""Filters as SQL, in one place: what analysts narrow events and aggregates to, how dates
overlap at the precision they were stated, and which facts a reviewer rejected (left out of every
listing). The repository builds its queries from these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import sqlalchemy as sa

from borderwatch.store import tables as t


@dataclass(frozen=True)
class EventFilter:
    """What an analyst narrows events (and aggregates) to; ``None`` means no restriction."""

    country: str | None = None
    admin1: str | None = None
    substance: str | None = None
    commodity: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    outlet: str | None = None
    language: str | None = None
    q: str | None = None



def _same(column: sa.ColumnElement[Any], value: str) -> sa.ColumnElement[bool]:
    """Case-insensitive equality; the exact branch covers non-ASCII, which SQLite's lower() skips."""
    return sa.or_(column == value, sa.func.lower(column) == value.lower())


def _mentions(column: sa.ColumnElement[Any], text: str) -> sa.ColumnElement[bool]:
    """Case-insensitive substring match (exact-case for non-ASCII letters on SQLite)."""
    return sa.or_(column.contains(text, autoescape=True),
                  sa.func.lower(column).contains(text.lower(), autoescape=True))


def _prefixes(iso: str) -> list[str]:
    """The coarser dates that contain ``iso``: 2024-03-15 lies within 2024-03 and 2024."""
    parts = iso.split("-")
    return ["-".join(parts[:n]) for n in range(1, len(parts))]


def _overlaps(start: sa.ColumnElement[Any], end: sa.ColumnElement[Any],
              flt: EventFilter) -> list[sa.ColumnElement[bool]]:
    """Conditions for a period [start, end] (ISO dates of any precision) to overlap the filter's range."""
    conditions: list[sa.ColumnElement[bool]] = []
    if flt.date_from:
        # The start's year bounds every match from below, so the OR is checked on one index
        # range, which SQLite can walk newest first and stop after a page.
        coarsest = _prefixes(flt.date_from)[0] if "-" in flt.date_from else flt.date_from
        conditions.append(end >= coarsest)
        conditions.append(sa.or_(end >= flt.date_from, end.in_(_prefixes(flt.date_from))))
    if flt.date_to:
        # A coarser date sorts before its days ("2024-03" < "2024-03-01"), so <= keeps it.
        conditions.append(start <= flt.date_to)
    return conditions


def _has_item(kind: str, parent_pk: sa.ColumnElement[Any], flt: EventFilter) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    for column, value in ((t.items.c.substance, flt.substance), (t.items.c.commodity, flt.commodity)):
        if value:
            conditions.append(sa.exists().where(t.items.c.parent_kind == kind,
                                                t.items.c.parent_pk == parent_pk, _same(column, value)))
    return conditions


def _document_conditions(flt: EventFilter) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if flt.outlet:
        conditions.append(_same(t.documents.c.outlet, flt.outlet))
    if flt.language:
        conditions.append(_same(t.documents.c.language, flt.language))
    return conditions


def _text_search(kind: str, table: sa.Table, columns: Sequence[sa.ColumnElement[Any]],
                 q: str) -> sa.ColumnElement[bool]:
    """Does ``q`` occur in the fact's own columns, its document's title/outlet, items or evidence?"""
    return sa.or_(
        *(_mentions(column, q) for column in [*columns, t.documents.c.title, t.documents.c.outlet]),
        sa.exists().where(t.items.c.parent_kind == kind, t.items.c.parent_pk == table.c.pk,
                          sa.or_(_mentions(t.items.c.substance, q), _mentions(t.items.c.form, q))),
        sa.exists().where(t.spans.c.fact_kind == kind, t.spans.c.fact_pk == table.c.pk,
                          _mentions(t.spans.c.text, q)),
    )


WHOLE_FACT = "fact"
"""The review field that stands for a whole fact (confirm or reject it)."""
# What count_events' cache depends on: events are only ever added, and every review adds a revision.
_DATA_VERSION = sa.select(sa.select(sa.func.max(t.events.c.pk)).scalar_subquery(),
                          sa.select(sa.func.max(t.revisions.c.id)).scalar_subquery())


@cache
def _rejected_facts(kind: str) -> sa.Select[Any]:
    """SQL: (doc_id, fact_id) of the ``kind`` facts whose newest whole-fact revision is a rejection."""
    verdict = t.revisions.alias("verdicts")
    later = t.revisions.alias("later_verdicts")
    overruled = sa.exists().where(later.c.fact_kind == kind, later.c.doc_id == verdict.c.doc_id,
                                  later.c.fact_id == verdict.c.fact_id, later.c.field == WHOLE_FACT,
                                  later.c.id > verdict.c.id)
    return (sa.select(verdict.c.doc_id, verdict.c.fact_id)
            .where(verdict.c.fact_kind == kind, verdict.c.field == WHOLE_FACT, verdict.c.action == "reject",
                   sa.not_(overruled)))


def _not_rejected(kind: str, table: sa.Table) -> sa.ColumnElement[bool]:
    """SQL: the fact is not rejected by review.

    An uncorrelated NOT IN: the database builds the (usually tiny) set of rejected facts once
    per query, where the former correlated subqueries ran twice for every candidate row.
    """
    return sa.tuple_(table.c.doc_id, table.c.id).not_in(_rejected_facts(kind))


def _event_conditions(flt: EventFilter) -> list[sa.ColumnElement[bool]]:
    """SQL: the events ``flt`` selects that review has not rejected."""
    return [*_event_filter_conditions(flt), _not_rejected("seizure", t.events)]


def _count_query(flt: EventFilter) -> sa.Select[Any]:
    """SQL: how many events ``flt`` selects, less those of them rejected in review.

    A difference, so that the rejected set is checked once per rejected fact, not once per event.
    """
    source: sa.FromClause = t.events
    if flt.outlet or flt.language or flt.q:
        source = t.events.join(t.documents, t.documents.c.id == t.events.c.doc_id)
    # Without document conditions the join only costs: a foreign key ties every event to its document.
    conditions = _event_filter_conditions(flt)
    every = sa.select(sa.func.count()).select_from(source).where(*conditions)
    rejected = _rejected_facts("seizure").subquery("rejected")
    selected = sa.exists(sa.select(t.events.c.pk).select_from(source).where(
        t.events.c.doc_id == rejected.c.doc_id, t.events.c.id == rejected.c.fact_id, *conditions))
    rejected_count = sa.select(sa.func.count()).select_from(rejected).where(selected)
    return sa.select(every.scalar_subquery() - rejected_count.scalar_subquery())


def _event_filter_conditions(flt: EventFilter) -> list[sa.ColumnElement[bool]]:
    e = t.events.c
    conditions = [*_document_conditions(flt), *_has_item("seizure", e.pk, flt), *_overlaps(e.date, e.date, flt)]
    if flt.country:
        conditions.append(e.country == flt.country.upper())
    if flt.admin1:
        conditions.append(_same(e.admin1, flt.admin1))
    if flt.q:
        conditions.append(_text_search("seizure", t.events,
                                       [e.place, e.admin1, e.agency, e.concealment], flt.q))
    return conditions


def _aggregate_conditions(flt: EventFilter) -> list[sa.ColumnElement[bool]]:
    a = t.aggregates.c
    start = sa.func.coalesce(a.period_start, a.period_end)
    end = sa.func.coalesce(a.period_end, a.period_start)
    conditions = [*_document_conditions(flt), *_has_item("aggregate", a.pk, flt), *_overlaps(start, end, flt),
                  _not_rejected("aggregate", t.aggregates)]
    if flt.country:
        conditions.append(a.country == flt.country.upper())
    if flt.admin1:
        conditions.append(_same(a.admin1, flt.admin1))
    if flt.q:
        conditions.append(_text_search("aggregate", t.aggregates, [a.admin1, a.agency, a.period_raw], flt.q))
    return conditions
