"""The Store's list reads page and count alike on SQLite and PostgreSQL: aggregates, quotes,
flows and documents, with the filters the API passes through."""

from __future__ import annotations

from collections.abc import Callable

from borderwatch.model import Facts
from borderwatch.store import Store
from borderwatch.store.repo import EventFilter


def _fill(store: Store, make_facts: Callable[..., Facts]) -> None:
    assert store.add(make_facts("doc-a"))
    assert store.add(make_facts("doc-b", text=make_facts().document.text + " ", outlet="VnExpress"))


def test_pages_and_counts_agree(store: Store, make_facts: Callable[..., Facts]) -> None:
    _fill(store, make_facts)
    flt = EventFilter()
    for rows, count in ((store.aggregates, store.count_aggregates), (store.flows, store.count_flows)):
        every = rows(flt)
        assert count(flt) == len(every) == 2
        assert rows(flt, limit=1, offset=0) + rows(flt, limit=1, offset=1) == every
        assert rows(flt, limit=1, offset=2) == []
    every_quote = store.quotes()
    assert store.count_quotes() == len(every_quote) == 2
    assert store.quotes(limit=1, offset=1) == every_quote[1:]
    assert store.count_documents() == 2 and len(store.documents(limit=1, offset=1)) == 1
    assert store.quotes() == store.quotes(None, EventFilter())  # callers of the old signature


def test_quotes_follow_their_reports_country_outlet_and_dates(store: Store, make_facts: Callable[..., Facts]) -> None:
    _fill(store, make_facts)
    assert store.count_quotes(flt=EventFilter(country="VN")) == 2  # the reports state a seizure in VN
    assert store.count_quotes(flt=EventFilter(country="LA")) == 2
    assert store.count_quotes(flt=EventFilter(country="KH")) == 0
    assert [q.doc_id for q in store.quotes(flt=EventFilter(outlet="vnexpress"))] == ["doc-b"]
    assert store.count_quotes("Hùng", EventFilter(country="VN", date_from="2024-03-01")) == 2
    assert store.count_quotes(flt=EventFilter(date_from="2024-04-01")) == 0
    assert store.count_quotes(flt=EventFilter(q="route reopen")) == 2


def test_flows_and_documents_filter(store: Store, make_facts: Callable[..., Facts]) -> None:
    _fill(store, make_facts)
    assert store.count_flows(EventFilter(country="CN")) == 2
    assert store.count_flows(EventFilter(country="VN")) == 0
    assert store.count_flows(EventFilter(commodity="DRUGS", outlet="vnexpress")) == 1
    assert store.count_documents(EventFilter(country="LA")) == 2
    assert store.count_documents(EventFilter(country="KH")) == 0
    assert store.count_documents(EventFilter(admin1="savannakhet")) == 2
    assert [d.id for d in store.documents(flt=EventFilter(outlet="VnExpress"))] == ["doc-b"]
    assert store.count_documents(EventFilter(date_to="2024-03-31")) == 2
    assert store.count_documents(EventFilter(date_to="2024-02-29")) == 0
    assert store.count_aggregates(EventFilter(country="VN", outlet="vnexpress")) == 1


def test_event_facets_and_sorts(store: Store, make_facts: Callable[..., Facts]) -> None:
    _fill(store, make_facts)
    facets = store.event_facets()
    assert dict(facets["country"]) == {"VN": 2, "LA": 2}
    assert dict(facets["substance"]) == {"heroin": 2, "methamphetamine": 2, "rosewood": 2}
    assert dict(facets["year"]) == {"2024": 2, "2023": 2}
    assert dict(facets["outlet"]) == {"Thanh Niên": 2, "VnExpress": 2}
    only = store.event_facets(EventFilter(outlet="vnexpress", substance="heroin"), top=1)
    assert only["country"] == [("VN", 1)] and only["outlet"] == [("VnExpress", 1)]
    by_mass = [row.event.id for row in store.events(sort="-mass")]
    assert by_mass[:2] == ["doc-a-e1", "doc-b-e1"] and set(by_mass[2:]) == {"doc-a-e2", "doc-b-e2"}
    assert [row.event.id for row in store.events(sort="date")] == ["doc-a-e2", "doc-b-e2", "doc-a-e1", "doc-b-e1"]
    assert [r["id"] for r in store.event_records(sort="-arrests", limit=1, offset=1)] == ["doc-b-e1"]
    assert [row.event.id for row in store.events(EventFilter(country="LA"), sort="-confidence")] == \
        ["doc-a-e2", "doc-b-e2"]
