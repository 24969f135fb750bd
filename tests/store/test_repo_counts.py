"""Store paging on SQLite and PostgreSQL: date ranges over coarse dates, and counts that follow every write."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from borderwatch import review
from borderwatch.model import Facts
from borderwatch.store import EventFilter, Store

MakeFacts = Callable[..., Facts]
DATES = ("2022", "2023", "2023-02", "2023-03", "2023-03-14", "2023-03-15", "2023-04", "2024", None)


def _dated(make_facts: MakeFacts) -> Facts:
    """One report whose events carry every kind of date: years, months, days and none."""
    built = make_facts()
    template = built.events[0]
    events = [dataclasses.replace(template, id=f"{template.doc_id}-d{i}", date=date)
              for i, date in enumerate(DATES)]
    return dataclasses.replace(built, events=events)


def _dates(store: Store, flt: EventFilter) -> list[str | None]:
    rows = store.events(flt, limit=50)
    assert store.count_events(flt) == len(rows)
    return [row.event.date for row in rows]


def test_a_range_keeps_the_coarse_dates_that_contain_its_start(store: Store, make_facts: MakeFacts) -> None:
    assert store.add(_dated(make_facts))
    assert _dates(store, EventFilter(date_from="2023-03-15")) == ["2024", "2023-04", "2023-03-15", "2023-03",
                                                                  "2023"]
    assert _dates(store, EventFilter(date_from="2023-03-15", date_to="2023-03-31")) == ["2023-03-15", "2023-03",
                                                                                       "2023"]
    assert _dates(store, EventFilter(date_from="2023-01-01", date_to="2023-12-31")) == [
        "2023-04", "2023-03-15", "2023-03-14", "2023-03", "2023-02", "2023"]
    assert _dates(store, EventFilter(date_from="2023")) == ["2024", "2023-04", "2023-03-15", "2023-03-14",
                                                            "2023-03", "2023-02", "2023"]
    assert _dates(store, EventFilter(date_to="2022-12-31")) == ["2022"]
    assert _dates(store, EventFilter())[-1] is None  # undated events come last


def test_counts_follow_new_documents_and_reviews(store: Store, make_facts: MakeFacts) -> None:
    first = make_facts()
    assert store.add(first)
    laos = EventFilter(country="LA")
    assert (store.count_events(), store.count_events(laos)) == (2, 1)
    editor = review.add_user(store, "ed", "editor", "correct horse battery")
    rosewood = first.events[1]
    review.review(store, editor, "seizure", rosewood.id, "fact", "reject")
    assert (store.count_events(), store.count_events(laos)) == (1, 0)
    assert [row.event.id for row in store.events()] == [first.events[0].id]
    review.review(store, editor, "seizure", rosewood.id, "fact", "confirm")
    assert (store.count_events(), store.count_events(laos)) == (2, 1)
    review.review(store, editor, "seizure", rosewood.id, "fact", "reject")
    review.review(store, editor, "seizure", rosewood.id, "agency", "correct", "customs")
    assert store.count_events(laos) == 0  # a later field revision does not undo the rejection
    second = make_facts(doc_id="la-2", text=first.document.text + " ", outlet="Vientiane Times")
    assert store.add(second)
    assert (store.count_events(), store.count_events(laos)) == (3, 1)
    assert store.count_events(EventFilter(outlet="vientiane times")) == 2
    assert store.count_events(EventFilter(country="LA", outlet="Thanh Niên")) == 0
