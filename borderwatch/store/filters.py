"""Filters as SQL, in one place: what analysts narrow events and aggregates to, how dates
overlap at the precision they were stated, and which facts a reviewer rejected (left out of every
listing). The repository builds its queries from these.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

from borderwatch.model import SeizureEvent
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
    """Words the fact's report must contain, all of them, anywhere in its title or text (full-text
    index, ``report_matches``); quotes also match their own words and speaker."""
    updated_since: str | None = None
    """Only facts of documents stored at or after this UTC ISO time (``documents.stored``)."""


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _folds(value: str) -> list[str]:
    """``value`` case-folded both ways, for a match on ``lower(column)``, which an index can serve.

    SQLite's lower() folds ASCII letters only, PostgreSQL's every letter, so the value is folded
    both ways: "Đắk Lắk" is stored lower()ed as "Đắk lắk" by SQLite and "đắk lắk" by PostgreSQL.
    """
    return sorted({value.lower(), value.translate(_ASCII_LOWER)})


def _same(column: sa.ColumnElement[Any], value: str) -> sa.ColumnElement[bool]:
    """Case-insensitive equality (see ``_folds``)."""
    return sa.func.lower(column).in_(_folds(value))


def _mentions(column: sa.ColumnElement[Any], text: str) -> sa.ColumnElement[bool]:
    """Case-insensitive substring match (exact-case for non-ASCII letters on SQLite)."""
    return sa.or_(column.contains(text, autoescape=True),
                  sa.func.lower(column).contains(text.lower(), autoescape=True))


def _prefixes(iso: str) -> list[str]:
    """The coarser dates that contain ``iso``: 2024-03-15 lies within 2024-03 and 2024."""
    parts = iso.split("-")
    return ["-".join(parts[:n]) for n in range(1, len(parts))]


def date_values(flt: EventFilter) -> dict[str, Any]:
    """The bound values of ``_overlaps``' conditions for ``flt``'s date range, by name."""
    values: dict[str, Any] = {}
    if flt.date_from:
        # The start's year bounds every match from below, so the OR is checked on one index
        # range, which SQLite can walk newest first and stop after a page.
        values["date_floor"] = _prefixes(flt.date_from)[0] if "-" in flt.date_from else flt.date_from
        values["date_from"] = flt.date_from
        values["date_coarser"] = _prefixes(flt.date_from)
    if flt.date_to:
        values["date_to"] = flt.date_to
    return values


def _overlaps(start: sa.ColumnElement[Any], end: sa.ColumnElement[Any],
              names: Collection[str]) -> list[sa.ColumnElement[bool]]:
    """Conditions for a period [start, end] (ISO dates of any precision) to overlap a date range.

    Bound by name: the query is run with ``date_values`` of the filter.
    """
    conditions: list[sa.ColumnElement[bool]] = []
    if "date_from" in names:
        conditions.append(end >= sa.bindparam("date_floor"))
        conditions.append(sa.or_(end >= sa.bindparam("date_from"),
                                 end.in_(sa.bindparam("date_coarser", expanding=True))))
    if "date_to" in names:
        # A coarser date sorts before its days ("2024-03" < "2024-03-01"), so <= keeps it.
        conditions.append(start <= sa.bindparam("date_to"))
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


def event_terms(event: SeizureEvent, outlet: str | None, language: str) -> list[str]:
    """What ``event`` is found by through its items and its document: its ``event_terms`` rows.

    Migration 0006 fills the table for events stored before it with the same rule.
    """
    values = {("language", language)}
    if outlet is not None:
        values.add(("outlet", outlet))
    for item in event.items:
        values.add(("commodity", item.commodity))
        if item.substance is not None:
            values.add(("substance", item.substance))
    return sorted({_term(kind, value) for kind, value in values})


def _term(kind: str, value: str) -> str:
    # Folded in Python on both sides, so SQLite (whose lower() folds ASCII only) and PostgreSQL agree.
    return f"{kind}:{value.lower()}"


def _filter_terms(flt: EventFilter) -> list[str]:
    """The terms ``flt`` asks for, the likely most selective first (it drives the query)."""
    asked = (("substance", flt.substance), ("outlet", flt.outlet), ("commodity", flt.commodity),
             ("language", flt.language))
    return [_term(kind, value) for kind, value in asked if value]


_MATCHED = t.event_terms.alias("matched")
# Which conditions a filter has, and its text search: queries of one shape differ only in bound
# values, so each shape's statement is built once and SQLAlchemy's cache key is computed once
# (building and keying a statement per request cost more than SQLite running it).
EventShape = tuple[tuple[str, ...], str | None]


def event_query(flt: EventFilter) -> tuple[EventShape, dict[str, Any]]:
    """``flt`` as a query shape and the values bound to it (with ``page_keys`` and ``count_query``)."""
    values = date_values(flt)
    values.update((f"term_{i}", term) for i, term in enumerate(_filter_terms(flt)))
    if flt.country:
        values["country"] = flt.country.upper()
    if flt.admin1:
        values["admin1"] = _folds(flt.admin1)
    if flt.updated_since:
        values["updated_since"] = flt.updated_since
    return (tuple(sorted(values)), flt.q), values


@dataclass(frozen=True)
class _Selection:
    """Where the events of one shape are read from: rows, their event pk and date, conditions."""

    source: sa.FromClause
    pk: sa.ColumnElement[Any]
    date: sa.ColumnElement[Any]
    conditions: list[sa.ColumnElement[bool]]


def _selection(shape: EventShape) -> _Selection:
    """The events a filter selects, before review: from ``event_terms`` if it names a term, else ``events``.

    From a term, country and dates are read from the term's own copies, so the page or count is
    one range of ``ix_event_terms_country_date`` (or ``_date``); ``events`` is joined only for a
    province or a text search.
    """
    names, q = shape
    e = t.events.c
    terms = sorted(name for name in names if name.startswith("term_"))
    if terms:
        source: sa.FromClause = _MATCHED
        pk, date, country = _MATCHED.c.event_pk, _MATCHED.c.date, _MATCHED.c.country
        conditions = [_MATCHED.c.term == sa.bindparam(terms[0])]
        conditions += [sa.exists().where(t.event_terms.c.event_pk == pk, t.event_terms.c.term == sa.bindparam(other))
                       for other in terms[1:]]
        if "admin1" in names or q or "updated_since" in names:
            source = source.join(t.events, e.pk == pk)
    else:
        source, pk, date, country = t.events, e.pk, e.date, e.country
        conditions = []
    if "updated_since" in names:
        source = source.join(t.documents, t.documents.c.id == e.doc_id)
        conditions.append(t.documents.c.stored >= sa.bindparam("updated_since"))
    if q:
        conditions.append(report_matches(e.doc_id, q))
    conditions += _overlaps(date, date, names)
    if "country" in names:
        conditions.append(country == sa.bindparam("country"))
    if "admin1" in names:
        conditions.append(sa.func.lower(e.admin1).in_(sa.bindparam("admin1", expanding=True)))
    return _Selection(source, pk, date, conditions)


@cache
def _rejected_events() -> sa.Select[Any]:
    """SQL: the pks of the events rejected in review (usually a handful), computed once per query.

    By pk, so that the check needs no column of ``events`` and a page can be read from an index alone.
    """
    rejected = _rejected_facts("seizure").subquery("rejected")
    stored = t.events.alias("rejected_events")
    return sa.select(stored.c.pk).join(rejected, sa.and_(stored.c.doc_id == rejected.c.doc_id,
                                                         stored.c.id == rejected.c.fact_id))


SORTS = ("-date", "date", "-mass", "mass", "-arrests", "arrests", "-confidence", "confidence")
"""The orders a page of events can be in: a field, newest/largest first with a leading ``-``."""

_SORTED = t.events.alias("sorted_events")


def sort_keys(sort: str, pk: sa.ColumnElement[Any], date: sa.ColumnElement[Any]) -> list[sa.ColumnElement[Any]]:
    """ORDER BY for ``sort`` (one of ``SORTS``) over events keyed ``pk``; unknown values are a ValueError.

    Mass is the event's seized kilograms over its items; events without the value come last either
    way, and ties keep the order of their pks.
    """
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    field = sort.lstrip("-")
    key: sa.ColumnElement[Any]
    if field == "date":
        key = date
    elif field == "mass":
        key = (sa.select(sa.func.sum(t.items.c.mass_kg))
               .where(t.items.c.parent_kind == "seizure", t.items.c.parent_pk == pk).scalar_subquery())
    else:
        key = sa.select(_SORTED.c[field]).where(_SORTED.c.pk == pk).scalar_subquery()
    ordered = key.desc() if sort.startswith("-") else key.asc()
    return [ordered.nulls_last(), pk]


@lru_cache(maxsize=256)
def page_keys(shape: EventShape, sort: str = "-date") -> sa.Select[Any]:
    """SQL: the pks of one page (bound ``limit``, ``offset``) of the events selected and not rejected, in order."""
    chosen = _selection(shape)
    return (sa.select(chosen.pk).select_from(chosen.source)
            .where(*chosen.conditions, chosen.pk.not_in(_rejected_events()))
            .order_by(*sort_keys(sort, chosen.pk, chosen.date))
            .limit(sa.bindparam("limit")).offset(sa.bindparam("offset")))


@lru_cache(maxsize=256)
def selected_events(shape: EventShape) -> sa.Select[Any]:
    """SQL: the pks of every event a filter selects, less those rejected in review (for facets)."""
    chosen = _selection(shape)
    return (sa.select(chosen.pk.label("pk")).select_from(chosen.source)
            .where(*chosen.conditions, chosen.pk.not_in(_rejected_events())))


@lru_cache(maxsize=256)
def count_query(shape: EventShape) -> sa.Select[Any]:
    """SQL: how many events a filter selects, less those of them rejected in review.

    A difference, so that the rejected set is checked once per rejected event, not once per event.
    """
    chosen = _selection(shape)
    every = sa.select(sa.func.count()).select_from(chosen.source).where(*chosen.conditions)
    rejected = _rejected_events().subquery("rejected_pks")
    selected = sa.exists(sa.select(chosen.pk).select_from(chosen.source)
                         .where(chosen.pk == rejected.c.pk, *chosen.conditions))
    rejected_count = sa.select(sa.func.count()).select_from(rejected).where(selected)
    return sa.select(every.scalar_subquery() - rejected_count.scalar_subquery())


def _aggregate_conditions(flt: EventFilter) -> list[sa.ColumnElement[bool]]:
    a = t.aggregates.c
    start = sa.func.coalesce(a.period_start, a.period_end)
    end = sa.func.coalesce(a.period_end, a.period_start)
    conditions = [*_document_conditions(flt), *updated_since(t.documents.c.stored, flt),
                  *_has_item("aggregate", a.pk, flt),
                  *_overlaps(start, end, date_values(flt)),
                  _not_rejected("aggregate", t.aggregates)]
    if flt.country:
        conditions.append(a.country == flt.country.upper())
    if flt.admin1:
        conditions.append(_same(a.admin1, flt.admin1))
    if flt.q:
        conditions.append(report_matches(a.doc_id, flt.q))
    return conditions


def _country_in_document(doc_id: sa.ColumnElement[Any], country: str) -> sa.ColumnElement[bool]:
    """SQL: the document states a seizure or a statistic in ``country`` (quotes and documents have none)."""
    return sa.or_(sa.exists().where(t.events.c.doc_id == doc_id, t.events.c.country == country.upper()),
                  sa.exists().where(t.aggregates.c.doc_id == doc_id, t.aggregates.c.country == country.upper()))


def document_conditions(flt: EventFilter) -> list[sa.ColumnElement[bool]]:
    """Conditions on ``documents``: outlet, language, publication within the dates, country stated, text."""
    d = t.documents.c
    conditions = _document_conditions(flt)
    conditions += _overlaps(d.published, d.published, date_values(flt))
    if flt.country:
        conditions.append(_country_in_document(d.id, flt.country))
    if flt.admin1:
        conditions.append(sa.or_(
            sa.exists().where(t.events.c.doc_id == d.id, _same(t.events.c.admin1, flt.admin1)),
            sa.exists().where(t.aggregates.c.doc_id == d.id, _same(t.aggregates.c.admin1, flt.admin1))))
    if flt.q:
        conditions.append(sa.or_(report_matches(d.id, flt.q), _mentions(d.title, flt.q)))
    conditions += updated_since(d.stored, flt)
    return conditions


def quote_conditions(flt: EventFilter, speaker: str | None = None) -> list[sa.ColumnElement[bool]]:
    """Conditions on ``quotes`` joined to ``documents``: speaker, the document's filters, words said."""
    qt = t.quotes.c
    conditions = document_conditions(EventFilter(country=flt.country, admin1=flt.admin1, date_from=flt.date_from,
                                                 date_to=flt.date_to, outlet=flt.outlet, language=flt.language,
                                                 updated_since=flt.updated_since))
    if speaker:
        conditions.append(_mentions(qt.speaker, speaker))
    if flt.q:
        conditions.append(sa.or_(_mentions(qt.text, flt.q), _mentions(qt.speaker, flt.q),
                                 _mentions(qt.role, flt.q), report_matches(qt.doc_id, flt.q)))
    return conditions


def flow_conditions(flt: EventFilter) -> list[sa.ColumnElement[bool]]:
    """Conditions on ``flows`` joined to ``documents``: a country at either end, commodity, document, report text."""
    f = t.flows.c
    conditions = document_conditions(EventFilter(date_from=flt.date_from, date_to=flt.date_to,
                                                 outlet=flt.outlet, language=flt.language,
                                                 updated_since=flt.updated_since))
    if flt.country:
        conditions.append(sa.or_(f.origin == flt.country.upper(), f.destination == flt.country.upper()))
    if flt.commodity:
        conditions.append(_same(f.commodity, flt.commodity))
    if flt.q:
        conditions.append(report_matches(f.doc_id, flt.q))
    return conditions


class _report_match(sa.sql.functions.GenericFunction[bool]):
    """SQL: the document ``doc_id`` has every word of the search terms in its title or text.

    Compiled per database to its own index (migration 0009): SQLite's FTS5 table, PostgreSQL's
    tsvector column, so the query code is one for both.
    """

    type = sa.Boolean()
    name = "report_match"
    inherit_cache = True


@compiles(_report_match, "sqlite")
def _report_match_sqlite(element: _report_match, compiler: SQLCompiler, **kw: Any) -> str:
    doc_id, terms = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"{doc_id} IN (SELECT doc_id FROM documents_fts WHERE documents_fts MATCH {terms})"


@compiles(_report_match, "postgresql")
def _report_match_postgresql(element: _report_match, compiler: SQLCompiler, **kw: Any) -> str:
    doc_id, terms = (compiler.process(clause, **kw) for clause in element.clauses)
    return (f"{doc_id} IN (SELECT search_documents.id FROM documents AS search_documents "
            f"WHERE search_documents.search @@ plainto_tsquery('simple', {terms}))")


def search_terms(q: str) -> str:
    """``q``'s words as an FTS5 query of quoted words, all required (PostgreSQL's plainto_tsquery reads
    the same text as the same words): operators and punctuation in ``q`` are never syntax."""
    return " ".join(f'"{word}"' for word in re.findall(r"\w+", q))


def report_matches(doc_id: sa.ColumnElement[Any], q: str) -> sa.ColumnElement[bool]:
    """SQL: the report ``doc_id`` contains every word of ``q`` (full-text index; false for no words)."""
    terms = search_terms(q)
    if not terms:
        return sa.false()
    return _report_match(doc_id, sa.literal(terms, sa.Text))


def updated_since(doc_stored: sa.ColumnElement[Any], flt: EventFilter) -> list[sa.ColumnElement[bool]]:
    """SQL: the document was stored at or after ``flt.updated_since`` (nothing when unset)."""
    return [doc_stored >= flt.updated_since] if flt.updated_since else []
