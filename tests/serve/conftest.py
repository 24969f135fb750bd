"""A temporary SQLite store holding facts built by hand from real dev reports, and an app over it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from borderwatch.config import Settings
from borderwatch.model import Aggregate, Comment, Document, Facts, Flow, Item, Quote, SeizureEvent, Span
from borderwatch.serve import create_app
from borderwatch.store.repo import Store
from tests.shared_sets import DEV

XSS = "<script>alert(1)</script>"


def find_span(doc: Document, needle: str, field: str, after: str = "") -> Span:
    """The span of ``needle`` (first occurrence after ``after``), offsets computed by str.find."""
    start = doc.text.find(needle, doc.text.find(after) if after else 0)
    assert start >= 0, f"{needle!r} not in {doc.id}"
    return Span(doc.id, start, start + len(needle), needle, field)


def _document(stem: str, text: str, **fields: Any) -> Document:
    return Document(id=stem, text=text, content_hash=hashlib.sha256(text.encode()).hexdigest(),
                    source=f"{stem}.txt", **fields)


def vueyeng_facts() -> Facts:
    """d01 (Laotian Times, KH): a seizure, two background seizures, a statistic, a reported quote."""
    stem = "d01-vueyeng-laotiantimes"
    text = (DEV / f"{stem}.txt").read_text(encoding="utf-8")
    doc = _document(stem, text, title=text.splitlines()[0], outlet="Laotian Times",
                    url="https://laotiantimes.com/2024/11/14/example/", published="2024-11-14")
    byline = find_span(doc, "Laotian Times | 14 November 2024", "byline")
    doc = replace(doc, furniture=(byline,), comments=(
        Comment("Good work by the police.", author="reader1"),
        Comment("You idiots know nothing", author="troll", abusive=True, abuse_terms=("idiots",))))
    sentence = "Inside, officers recovered approximately 1,034,413 pills"
    main_item = Item("drugs", substance="methamphetamine", form="tablets", mass_kg=93.973,
                     mass_raw="93.973 kilograms", count=1034413, count_unit="tablets",
                     count_raw="1,034,413 pills", evidence=(
                         find_span(doc, "1,034,413 pills", "count"),
                         # crosses the count span: must be split at its boundary
                         find_span(doc, "pills of methamphetamine", "substance", after=sentence),
                         find_span(doc, "93.973 kilograms", "mass_kg")))
    inside = doc.text.find(sentence)
    sentence_end = doc.text.find("anti-drug crime.", inside) + len("anti-drug crime.")
    main = SeizureEvent(
        id=f"{stem}:e1", doc_id=stem, items=(main_item,), date="2024-11-09", date_precision="day",
        date_raw="9 November", country="KH", admin1="Stung Treng",
        place="Trapeang Kriel International Border Checkpoint", arrests=1,
        suspect_nationalities=("LA",), origin_country="LA", agency="Cambodian police", evidence=(
            Span(stem, inside, sentence_end, doc.text[inside:sentence_end], "sentence"),
            find_span(doc, "Trapeang Kriel International Border Checkpoint", "place"),
            find_span(doc, "9 November", "date"),
            find_span(doc, "Stung Treng", "admin1")))
    packages = SeizureEvent(
        id=f"{stem}:e2", doc_id=stem, date="2023", date_precision="year", country="KH",
        admin1="Stung Treng", arrests=2, background=True,
        items=(Item("drugs", substance="methamphetamine", count=13, count_unit="packages",
                    evidence=(find_span(doc, "13 packages of meth pills", "count"),)),),
        evidence=(find_span(doc, "2023", "date", after="A comparable case"),
                  find_span(doc, "Stung Treng province", "admin1")))
    prey_sar = SeizureEvent(
        id=f"{stem}:e3", doc_id=stem, date="2023-03-30", date_precision="day", country="KH", arrests=2,
        background=True,
        items=(Item("drugs", substance="methamphetamine", mass_kg=40.0, mass_raw="40 kilograms", evidence=(
            find_span(doc, "40 kilograms of methamphetamine", "evidence"),
            find_span(doc, "40 kilograms", "mass_kg"),
            find_span(doc, "methamphetamine", "substance", after="40 kilograms"))),),
        evidence=(find_span(doc, "30 March 2023", "date"),))
    statistic = Aggregate(
        id=f"{stem}:a1", doc_id=stem, country="LA", admin1="Vientiane Capital",
        period_start="2024-01-01", period_end="2024-09-30", arrests=1273, cases=739,
        items=(Item("drugs", form="tablets", count=15_500_000, count_unit="tablets",
                    evidence=(find_span(doc, "15,5 million narcotic pills", "count"),)),),
        evidence=(find_span(doc, "Vientiane Capital", "admin1"), find_span(doc, "1,273 people", "arrests")))
    quote = Quote(id=f"{stem}:q1", doc_id=stem, speaker="Cambodian police", kind="reported",
                  text="the pair faced grave criminal charges",
                  evidence=(find_span(doc, "the pair faced grave criminal charges", "text"),))
    return Facts(document=doc, events=[main, packages, prey_sar], aggregates=[statistic], quotes=[quote])


def quangtri_facts() -> Facts:
    """d04 (VnExpress, VN): a seizure in Quang Tri and a stated flow."""
    stem = "d04-quangtri-vnexpress"
    text = (DEV / f"{stem}.txt").read_text(encoding="utf-8")
    doc = _document(stem, text, title=text.splitlines()[0], outlet="VnExpress International",
                    url="https://e.vnexpress.net/example", published="2019-12-30")
    event = SeizureEvent(
        id=f"{stem}:e1", doc_id=stem, date="2019-12-30", date_precision="day", country="VN",
        admin1="Quang Tri", place="Xe Pon River", arrests=1, lat=16.6, lon=106.7,
        items=(Item("drugs", substance="methamphetamine", mass_kg=10.0, mass_raw="10 kg",
                    evidence=(find_span(doc, "10 kg of methamphetamine", "mass_kg", after="Border guards"),)),),
        evidence=(find_span(doc, "Quang Tri Province", "admin1"), find_span(doc, "Xe Pon River", "place")))
    flow = Flow(id=f"{stem}:f1", doc_id=stem, origin="LA", destination="VN", commodity="drugs",
                evidence=(find_span(doc, "from Laos into Vietnam", "evidence"),))
    return Facts(document=doc, events=[event], flows=[flow])


def hostile_facts() -> Facts:
    """A report whose text, title, URL and comments carry HTML that must show as text."""
    stem = "hostile-report"
    text = (f"Police in Koh Kong said {XSS} was found beside 5 kg of heroin on 2 March 2021.\n"
            "ព័ត៌មាន <b>bold</b> & more.")
    doc = _document(stem, text, title=f"Seized {XSS}", outlet="Test <i>Outlet</i>",
                    url="javascript:alert(1)", published="2021-03-03",
                    comments=(Comment(f"nice {XSS}", author="<img src=x onerror=alert(1)>"),))
    event = SeizureEvent(
        id=f"{stem}:e1", doc_id=stem, date="2021-03-02", date_precision="day", country="KH",
        admin1="Koh Kong",
        items=(Item("drugs", substance="heroin", mass_kg=5.0, mass_raw="5 kg",
                    evidence=(find_span(doc, "5 kg", "mass_kg"),)),),
        evidence=(find_span(doc, f"said {XSS} was", "sentence"), find_span(doc, "2 March 2021", "date")))
    return Facts(document=doc, events=[event])


@pytest.fixture
def vueyeng() -> Facts:
    """The d01 facts, as stored in ``db_path``."""
    return vueyeng_facts()


@pytest.fixture
def hostile() -> Facts:
    """The hostile report's facts, as stored in ``db_path``."""
    return hostile_facts()


@pytest.fixture(scope="session")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the three reports."""
    if not DEV.is_dir():
        pytest.skip(f"dev set not found at {DEV}")
    path = tmp_path_factory.mktemp("serve") / "serve.db"
    store = Store.open(f"sqlite:///{path}")
    try:
        for facts in (vueyeng_facts(), quangtri_facts(), hostile_facts()):
            assert store.add(facts)
    finally:
        store.close()
    return path


@pytest.fixture(scope="session")
def client(db_path: Path) -> Iterator[TestClient]:
    """The app over ``db_path``, started and stopped through its lifespan."""
    with TestClient(create_app(Settings(db=str(db_path)))) as test_client:
        yield test_client
