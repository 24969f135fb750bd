"""Rendered event records: what the API reads must equal what the stored facts say, in every state."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import orjson
import sqlalchemy as sa

from borderwatch import review
from borderwatch.model import Facts, Span
from borderwatch.records import event_record
from borderwatch.serve.api import event_json
from borderwatch.store import Store
from borderwatch.store import tables as t
from borderwatch.store.rendered import RECORD_FORMAT, refresh, render, stale_count
from borderwatch.store.repo import EventFilter, EventRow

MakeFacts = Callable[..., Facts]


def _add_two(store: Store, make_facts: MakeFacts) -> None:
    store.add(make_facts())
    # Same id, other contents: stored under a suffixed id, so its record must name that id.
    other = make_facts().document.text.replace("HANOI", "HAN0I")
    store.add(make_facts(text=other, outlet="Bangkok Post"))


def _before_records(row: EventRow) -> dict[str, Any]:
    """The API's event JSON as it was built before records were stored (serve/api.py at 05f3a0a)."""
    out = event_record(row.event)
    out["document"] = {"id": row.event.doc_id, "outlet": row.outlet, "url": row.url,
                       "title": row.title, "published": row.published}
    out["sentence"] = row.sentence
    return out


def _live(store: Store, flt: EventFilter | None = None, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    """The page built from the stored facts, the old way; checked byte for byte, key order included."""
    rows = store.events(flt or EventFilter(), limit=limit, offset=offset)
    expected = [_before_records(row) for row in rows]
    assert orjson.dumps([event_json(row) for row in rows]) == orjson.dumps(expected)
    return expected


def _same(records: list[dict[str, Any]], expected: list[dict[str, Any]]) -> bool:
    return orjson.dumps(records) == orjson.dumps(expected)


def test_records_equal_the_events_rendered_from_their_facts(store: Store, make_facts: MakeFacts) -> None:
    _add_two(store, make_facts)
    records = store.event_records()
    assert len(records) == 4
    assert _same(records, _live(store))
    suffixed = [r for r in records if r["document"]["outlet"] == "Bangkok Post"]
    assert {r["doc_id"] for r in suffixed} == {r["document"]["id"] for r in suffixed}
    assert all(r["doc_id"].startswith("vn-quangtri-1-") for r in suffixed)
    assert all(span["text"] for r in records for span in r["evidence"])
    flt = EventFilter(country="VN", substance="heroin")
    assert _same(store.event_records(flt, limit=1, offset=1), _live(store, flt, limit=1, offset=1))


def test_incident_changes_show_although_the_record_is_older(store: Store, make_facts: MakeFacts) -> None:
    store.add(make_facts())
    assert store.set_incidents({("vn-quangtri-1", "vn-quangtri-1-e2"): "inc-rosewood"}) == 1
    by_id = {r["id"]: r for r in store.event_records()}
    assert by_id["vn-quangtri-1-e2"]["incident"] == "inc-rosewood"
    assert by_id["vn-quangtri-1-e1"]["incident"] == "vn-qt-2024-03-05"
    assert _same(list(by_id.values()), _live(store))


def test_stale_records_are_rendered_on_read_without_writing_then_refreshed(store: Store,
                                                                          make_facts: MakeFacts) -> None:
    _add_two(store, make_facts)
    expected = _live(store)
    with store.engine.begin() as conn:
        assert stale_count(conn) == 0
        # One row stored before the column existed, one rendered in an older format.
        pks = list(conn.execute(sa.select(t.events.c.pk).order_by(t.events.c.pk)).scalars())
        conn.execute(sa.update(t.events).where(t.events.c.pk == pks[0]).values(record=None, record_format=None))
        conn.execute(sa.update(t.events).where(t.events.c.pk == pks[1])
                     .values(record='{"stale": true}', record_format=RECORD_FORMAT - 1))
    assert _same(store.event_records(), expected)
    with store.engine.connect() as conn:
        assert stale_count(conn) == 2  # reading wrote nothing
    seen: list[int] = []
    assert refresh(store.engine, seen.append) == 2
    assert sum(seen) == 2
    with store.engine.connect() as conn:
        assert stale_count(conn) == 0
    assert _same(store.event_records(), expected)
    assert refresh(store.engine) == 0


def test_format_2_keys_are_pinned(make_facts: MakeFacts) -> None:
    """If this fails you changed the record: bump RECORD_FORMAT so stored records are re-rendered."""
    record = orjson.loads(render(make_facts().events[0]))
    assert RECORD_FORMAT == 2
    assert list(record) == [
        "type", "id", "doc_id", "date", "date_precision", "date_raw", "country", "admin1", "place",
        "location_precision", "geonames_id", "lat", "lon", "arrests", "arrests_raw", "suspect_nationalities",
        "origin_country", "destination_country", "agency", "concealment", "background", "confidence",
        "incident", "items", "evidence", "field_confidence", "sentence"]
    assert record["incident"] is None  # read live, spliced in
    assert list(record["items"][0]) == [
        "commodity", "substance", "form", "mass_kg", "mass_raw", "count", "count_unit", "count_raw",
        "volume_m3", "volume_raw", "qualifier", "evidence"]
    assert list(record["evidence"][0]) == ["field", "start", "end", "text"]


def test_splicing_is_not_fooled_by_values_that_look_like_the_keys(store: Store, make_facts: MakeFacts) -> None:
    """Values quoting the spliced keys, an incident needing escapes, no sentence: still the old JSON."""
    tricky = '"incident":null,"sentence":"x"'
    text = make_facts().document.text + " " + tricky
    facts = make_facts(text=text, outlet='The "Quoted" Times')
    start = text.index(tricky)
    odd = dataclasses.replace(
        facts.events[1], agency=tricky, concealment=',"sentence":null}', incident='inc-"1"\\ é',
        evidence=(Span(facts.document.id, start, start + len(tricky), tricky, "agency"),))
    bare = dataclasses.replace(facts.events[1], id="bare", evidence=(), items=())
    store.add(dataclasses.replace(facts, events=[facts.events[0], odd, bare]))
    expected = _live(store)
    assert [r["incident"] for r in expected] == ["vn-qt-2024-03-05", 'inc-"1"\\ é', None]
    assert expected[2]["sentence"] is None and expected[2]["evidence"] == []
    assert expected[1]["sentence"] == tricky and expected[1]["agency"] == tricky
    assert _same(store.event_records(), expected)
    assert store.set_incidents({(facts.document.id, odd.id): "inc-2"}) == 1
    assert store.event_records()[1]["incident"] == "inc-2"


def test_a_document_without_events_stores_no_records(store: Store, make_facts: MakeFacts) -> None:
    facts = make_facts()
    store.add(dataclasses.replace(facts, events=[]))
    assert store.event_records() == []
    assert store.counts()["events"] == 0


def test_rejected_events_stay_hidden_until_confirmed(store: Store, make_facts: MakeFacts) -> None:
    facts = make_facts()
    store.add(facts)
    editor = review.add_user(store, "ed", "editor", "correct horse battery")
    rejected = facts.events[0]
    review.review(store, editor, "seizure", rejected.id, "fact", "reject", note="duplicate report")
    for flt in (EventFilter(), EventFilter(country="VN"), EventFilter(substance="heroin")):
        records = store.event_records(flt)
        assert rejected.id not in {r["id"] for r in records}
        assert _same(records, _live(store, flt))
        assert store.count_events(flt) == len(records)
    review.review(store, editor, "seizure", rejected.id, "fact", "confirm")
    assert rejected.id in {r["id"] for r in store.event_records()}


def test_pages_keep_the_order_newest_first_undated_last(store: Store, make_facts: MakeFacts) -> None:
    """Several documents, an undated event, and pages taken at every offset."""
    for number in range(4):
        facts = make_facts(doc_id=f"doc-{number}", text=make_facts().document.text + f" ({number})")
        undated = dataclasses.replace(facts.events[1], date=None, date_precision=None, date_raw=None)
        store.add(dataclasses.replace(facts, events=[facts.events[0], undated]))
    everything = _live(store)
    assert len(everything) == 8 and [r["date"] for r in everything][-4:] == [None] * 4
    assert _same(store.event_records(), everything)
    for offset in range(9):
        assert _same(store.event_records(limit=3, offset=offset), everything[offset:offset + 3])
