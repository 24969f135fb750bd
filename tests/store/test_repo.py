"""The Store on SQLite and PostgreSQL: lossless round trip, idempotent ingest, filters, runs, errors."""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from borderwatch.errors import Rejected, StoreError
from borderwatch.model import Facts, Rejection, Span
from borderwatch.store import EventFilter, Store

MakeFacts = Callable[..., Facts]


def test_open_creates_the_sqlite_folder_and_an_empty_schema(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "bw.db"
    with Store.open(f"sqlite:///{path}") as store:
        assert store.counts() == {"documents": 0, "events": 0, "aggregates": 0, "quotes": 0,
                                  "flows": 0, "rejections": 0}
    assert path.is_file()


def test_round_trip_is_lossless(store: Store, make_facts: MakeFacts) -> None:
    facts = make_facts()
    assert store.add(facts) is True
    back = store.facts(facts.document.id)
    assert back == facts
    assert back is not None
    for span in back.spans():
        assert back.document.text[span.start:span.end] == span.text
    assert store.counts() == {"documents": 1, "events": 2, "aggregates": 1, "quotes": 1, "flows": 1,
                              "rejections": 1}


def test_adding_the_same_contents_again_writes_nothing(store: Store, make_facts: MakeFacts) -> None:
    facts = make_facts()
    assert store.add(facts)
    assert store.has_hash(facts.document.content_hash)
    assert store.add(make_facts(doc_id="another-id")) is False
    assert store.counts()["documents"] == 1
    assert store.counts()["events"] == 2
    assert store.document("another-id") is None


def test_a_colliding_doc_id_gets_a_hash_suffix(store: Store, make_facts: MakeFacts) -> None:
    first = make_facts()
    second = make_facts(text=first.document.text.replace("HANOI", "VINH "))
    assert store.add(first) and store.add(second)
    new_id = f"{first.document.id}-{second.document.content_hash[:8]}"
    stored = store.facts(new_id)
    assert stored is not None
    assert stored.document.id == new_id
    assert stored.document.text == second.document.text
    assert {e.doc_id for e in stored.events} == {new_id}
    assert {s.doc_id for s in stored.spans()} == {new_id}
    assert {s.doc_id for s in stored.document.furniture} == {new_id}
    assert stored.document.text.startswith("VINH ")
    assert store.facts(first.document.id) == first


def test_document_has_comments_and_furniture(store: Store, make_facts: MakeFacts) -> None:
    facts = make_facts()
    store.add(facts)
    document = store.document(facts.document.id)
    assert document == facts.document
    assert document is not None and document.comments[1].abuse_terms == ("idiots",)
    assert document.is_furniture(document.furniture[0].start, document.furniture[0].end)
    assert store.document("missing") is None
    assert store.facts("missing") is None


def test_add_is_one_transaction(store: Store, make_facts: MakeFacts) -> None:
    facts = make_facts()
    duplicate_event = dataclasses.replace(facts.events[1], id=facts.events[0].id)
    broken = dataclasses.replace(facts, events=[facts.events[0], duplicate_event])
    with pytest.raises(StoreError, match="cannot store document"):
        store.add(broken)
    assert store.counts() == {"documents": 0, "events": 0, "aggregates": 0, "quotes": 0, "flows": 0,
                              "rejections": 0}
    assert store.add(facts)


def test_facts_naming_another_document_are_rejected(store: Store, make_facts: MakeFacts) -> None:
    facts = make_facts()
    stray = dataclasses.replace(facts.quotes[0], doc_id="elsewhere")
    with pytest.raises(Rejected) as caught:
        store.add(dataclasses.replace(facts, quotes=[stray]))
    assert caught.value.reason == "fact-document-mismatch"
    assert caught.value.stage == "store"
    assert store.counts()["documents"] == 0


def test_evidence_that_is_not_the_text_is_rejected(store: Store, make_facts: MakeFacts) -> None:
    facts = make_facts()
    wrong = dataclasses.replace(facts.flows[0], evidence=(Span(facts.document.id, 0, 5, "Hanoi"),))
    with pytest.raises(Rejected) as caught:
        store.add(dataclasses.replace(facts, flows=[wrong]))
    assert caught.value.reason == "evidence-mismatch"
    assert store.counts()["documents"] == 0


def _add_three(store: Store, make_facts: MakeFacts) -> None:
    store.add(make_facts())
    store.add(make_facts(doc_id="th-1", text=make_facts().document.text.replace("HANOI", "HAN0I"),
                         outlet="Bangkok Post", language="th"))
    later = make_facts(doc_id="vn-2", text=make_facts().document.text.replace("HANOI", "HUẾ  "))
    later.events[0] = dataclasses.replace(later.events[0], date="2024-04-02", country="TH",
                                          admin1="Chiang Rai")
    store.add(later)


def test_event_filters(store: Store, make_facts: MakeFacts) -> None:
    _add_three(store, make_facts)

    def ids(**kwargs: str) -> list[str]:
        flt = EventFilter(**kwargs)
        rows = store.events(flt, limit=50)
        assert store.count_events(flt) == len(rows)
        return sorted(row.event.id for row in rows)

    assert len(ids()) == 6
    assert ids(country="th") == ["vn-2-e1"]
    assert ids(admin1="Quảng Trị") == ["th-1-e1", "vn-quangtri-1-e1"]
    assert ids(admin1="savannakhet") == ["th-1-e2", "vn-2-e2", "vn-quangtri-1-e2"]
    assert ids(substance="Heroin") == ["th-1-e1", "vn-2-e1", "vn-quangtri-1-e1"]
    assert ids(commodity="timber") == ["th-1-e2", "vn-2-e2", "vn-quangtri-1-e2"]
    assert ids(date_from="2024-04-01") == ["vn-2-e1"]
    assert ids(date_to="2023-12-31") == ["th-1-e2", "vn-2-e2", "vn-quangtri-1-e2"]
    # A month-precision date overlaps any range that touches that month.
    assert ids(date_from="2023-08-20", date_to="2023-08-21") == ["th-1-e2", "vn-2-e2", "vn-quangtri-1-e2"]
    assert ids(date_from="2023-09-01", date_to="2024-03-31") == ["th-1-e1", "vn-quangtri-1-e1"]
    assert ids(outlet="bangkok post") == ["th-1-e1", "th-1-e2"]
    assert ids(language="th", substance="rosewood") == ["th-1-e2"]
    # Full-text search of the report: every event of a report whose text has all the words.
    assert ids(q="HAN0I") == ["th-1-e1", "th-1-e2"]
    assert ids(q="hanoi colonel") == ["vn-quangtri-1-e1", "vn-quangtri-1-e2"]  # words no event field holds
    assert ids(q="huế", substance="heroin") == ["vn-2-e1"]
    assert ids(q="bảo CHECKPOINT", country="LA") == ["th-1-e2", "vn-2-e2", "vn-quangtri-1-e2"]
    assert ids(q="heroin okapi") == []  # every word, not any
    assert ids(q="100%") == []


def test_events_rows_carry_source_and_sentence_newest_first(store: Store, make_facts: MakeFacts) -> None:
    _add_three(store, make_facts)
    rows = store.events()
    assert [row.event.date for row in rows] == sorted((row.event.date for row in rows), reverse=True)
    assert rows[0].event.id == "vn-2-e1"
    first = next(row for row in rows if row.event.id == "vn-quangtri-1-e1")
    assert first.outlet == "Thanh Niên"
    assert first.url == "https://example.org/vn-quangtri-1"
    assert first.title == "Heroin and meth seized at Lao Bảo"
    assert first.published == "2024-03-05"
    assert first.sentence is not None and first.sentence.startswith("Border guards in Quảng Trị")
    background = next(row for row in rows if row.event.id == "vn-quangtri-1-e2")
    assert background.sentence == "police in Savannakhet found 2 cubic metres of rosewood in a truck"
    paged = store.events(limit=4) + store.events(limit=4, offset=4)
    assert [row.event.id for row in paged] == [row.event.id for row in rows]


def test_aggregates_quotes_flows(store: Store, make_facts: MakeFacts) -> None:
    _add_three(store, make_facts)
    assert len(store.aggregates()) == 3
    assert [a.doc_id for a in store.aggregates(EventFilter(outlet="Bangkok Post"))] == ["th-1"]
    assert store.aggregates(EventFilter(date_from="2024-03-06")) == []
    assert len(store.aggregates(EventFilter(date_from="2024-02", date_to="2024-02-10"))) == 3
    assert store.aggregates(EventFilter(country="LA")) == []
    assert len(store.aggregates(EventFilter(commodity="drugs", q="so far"))) == 3
    assert [q.speaker for q in store.quotes(speaker="Văn Hùng")] == ["Nguyễn Văn Hùng"] * 3
    assert store.quotes(speaker="nobody") == []
    assert [(f.origin, f.destination) for f in store.flows()] == [("LA", "CN")] * 3


def test_documents_newest_first(store: Store, make_facts: MakeFacts) -> None:
    store.add(make_facts())
    older = make_facts(doc_id="old", text=make_facts().document.text.replace("HANOI", "VINH "))
    store.add(Facts(document=dataclasses.replace(older.document, published="2020-01-01")))
    undated = make_facts(doc_id="undated", text=make_facts().document.text.replace("HANOI", "DALAT"))
    store.add(Facts(document=dataclasses.replace(undated.document, published=None)))
    assert [d.id for d in store.documents()] == ["vn-quangtri-1", "old", "undated"]
    assert [d.id for d in store.documents(limit=1, offset=1)] == ["old"]


def test_runs_and_rejections(store: Store, make_facts: MakeFacts) -> None:
    run = store.start_run("ingest corpus/")
    other = store.start_run("ingest more/")
    assert run != other
    store.add(make_facts(), run_id=run)
    input_rejection = Rejection(source="corpus/broken.gz", stage="ingest", reason="truncated-gzip",
                                message="gzip stream ends early",
                                evidence=(Span("broken", 0, 4, "\x1f\x8b\x08\x00", "bytes"),))
    store.add_rejection(input_rejection, run_id=other, quarantine_path="quarantine/broken.gz")
    store.finish_run(run, {"processed": 1, "stored": 1, "rejected": {}})
    assert [r.reason for r in store.rejections(run_id=run)] == ["no-quantity"]
    # NUL cannot be stored in PostgreSQL text; it comes back as U+FFFD, offsets unchanged.
    assert store.rejections(run_id=other) == [dataclasses.replace(
        input_rejection, evidence=(Span("broken", 0, 4, "\x1f\x8b\x08\ufffd", "bytes"),))]
    assert len(store.rejections()) == 2
    with pytest.raises(StoreError, match="no such run"):
        store.finish_run(9999, {})


def test_rejections_stored_together_keep_their_order(store: Store) -> None:
    run = store.start_run("ingest feed/")
    rejections = [Rejection(source=f"feed.atom#entry={n}", stage="ingest", reason="no-text",
                            message=f"entry {n} has no content") for n in range(1, 121)]
    store.add_rejections([(r, f"quarantine/feed.entry-{n}.xml") for n, r in enumerate(rejections, 1)], run)
    store.add_rejections([], run)
    assert [r.source for r in store.rejections(run_id=run)] == [r.source for r in rejections]


def test_document_text_with_nul_is_rejected(store: Store, make_facts: MakeFacts) -> None:
    document = make_facts().document
    with pytest.raises(Rejected) as caught:
        store.add(Facts(document=dataclasses.replace(document, text=document.text + "\x00")))
    assert caught.value.reason == "nul-in-text"


def test_bad_url_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="invalid database URL"):
        Store.open("not a url")
    with pytest.raises(StoreError, match="unsupported database URL"):
        Store.open("nosuchdb://x/y")


def test_unwritable_sqlite_folder_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot create the folder"):
        Store.open(f"sqlite:///{blocker}/sub/bw.db")


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreError, match=r"^cannot open database sqlite:///.*notes.db: file is not a database$"):
        Store.open(f"sqlite:///{path}")


def test_unreachable_postgres_is_a_one_line_store_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(StoreError) as caught:
        Store.open(f"postgresql+psycopg://someone:secret@127.0.0.1:{port}/nowhere?connect_timeout=3")
    message = str(caught.value)
    assert message.startswith(f"cannot open database postgresql+psycopg://someone:***@127.0.0.1:{port}")
    assert "\n" not in message and "secret" not in message


def test_province_match_folds_case_without_losing_non_ascii_capitals(store: Store, make_facts: MakeFacts) -> None:
    facts = make_facts()
    facts.events[0] = dataclasses.replace(facts.events[0], admin1="Đắk Lắk")
    store.add(facts)
    for asked in ("Đắk Lắk", "Đắk lắk", "Đắk LắK"):
        flt = EventFilter(admin1=asked)
        assert [row.event.id for row in store.events(flt)] == ["vn-quangtri-1-e1"], asked
        assert store.count_events(flt) == 1
        assert [r["id"] for r in store.event_records(flt)] == ["vn-quangtri-1-e1"]
    assert store.events(EventFilter(admin1="Dak Lak")) == []
