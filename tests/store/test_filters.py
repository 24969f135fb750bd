"""Event filters on SQLite and PostgreSQL against a plain-Python reading of the same rules.

Random reports (fixed seed) with several items per event, coarse and missing dates, documents
with and without an outlet, some events rejected in review; every filter combination's pages and
count must equal what filtering the stored facts in Python gives.
"""

from __future__ import annotations

import hashlib
import itertools
import random

from borderwatch import review
from borderwatch.model import Document, Facts, Item, SeizureEvent
from borderwatch.store import EventFilter, Store
from borderwatch.store.filters import event_terms

COUNTRIES = ("KH", "LA", "TH")
PROVINCES = ("Stung Treng", "Champasak", "Ubon Ratchathani")
SUBSTANCES = (("drugs", "methamphetamine"), ("drugs", "Methamphetamine"), ("drugs", "heroin"),
              ("drugs", None), ("timber", "rosewood"))
DATES = ("2023", "2023-03", "2023-03-14", "2023-12-31", "2024-01-02", "2024-06", None)
OUTLETS = ("Khmer Times", "Bangkok Post", None)


def _reports(count: int, rng: random.Random) -> list[Facts]:
    reports = []
    for number in range(count):
        doc_id = f"doc-{number}"
        text = f"Report {number}."
        events = []
        for index in range(rng.randrange(1, 6)):
            items = tuple(Item(commodity, substance=substance)
                          for commodity, substance in rng.sample(SUBSTANCES, rng.randrange(1, 3)))
            events.append(SeizureEvent(id=f"{doc_id}-e{index}", doc_id=doc_id, items=items,
                                       date=rng.choice(DATES), country=rng.choice(COUNTRIES),
                                       admin1=rng.choice(PROVINCES)))
        document = Document(id=doc_id, text=text, content_hash=hashlib.sha256(text.encode()).hexdigest(),
                            source=f"corpus/{doc_id}.txt", outlet=rng.choice(OUTLETS),
                            language=rng.choice(("en", "th")))
        reports.append(Facts(document=document, events=events))
    return reports


def _overlaps(date: str | None, flt: EventFilter) -> bool:
    if date is None:
        return not (flt.date_from or flt.date_to)
    if flt.date_from:
        parts = flt.date_from.split("-")
        coarser = {"-".join(parts[:n]) for n in range(1, len(parts))}
        if date < flt.date_from and date not in coarser:
            return False
    return not (flt.date_to and date > flt.date_to)


def _selects(flt: EventFilter, event: SeizureEvent, document: Document) -> bool:
    """The documented filter rules, read directly off the facts."""
    def same(value: str | None, asked: str | None) -> bool:
        return asked is None or (value is not None and value.lower() == asked.lower())

    return (same(event.country, flt.country) and same(event.admin1, flt.admin1)
            and same(document.outlet, flt.outlet) and same(document.language, flt.language)
            and (flt.substance is None or any(same(i.substance, flt.substance) for i in event.items))
            and (flt.commodity is None or any(same(i.commodity, flt.commodity) for i in event.items))
            and _overlaps(event.date, flt))


FILTERS = [EventFilter(country=country, admin1=admin1, substance=substance, commodity=commodity,
                       date_from=date_from, date_to=date_to, outlet=outlet, language=language)
           for country, admin1, substance, commodity, (date_from, date_to), outlet, language in itertools.product(
               (None, "KH", "th"), (None, "stung treng"), (None, "methamphetamine", "HEROIN"),
               (None, "timber"), ((None, None), ("2023-03-14", None), ("2023-03-01", "2023-12-31"),
                                  (None, "2023-12-31")),
               (None, "bangkok post"), (None, "th"))]


def test_pages_and_counts_equal_the_rules_read_in_python(store: Store) -> None:
    reports = _reports(40, random.Random(7))
    listed: list[tuple[SeizureEvent, Document]] = []
    for facts in reports:
        assert store.add(facts)
        listed += [(event, facts.document) for event in facts.events]
    editor = review.add_user(store, "ed", "editor", "correct horse battery")
    rejected = {event.id for event, _ in listed[::7]}
    for event_id in sorted(rejected):
        review.review(store, editor, "seizure", event_id, "fact", "reject")
    # Listing order: newest first, undated last, then in the order stored.
    ranked = [(event, document) for event, document in sorted(listed, key=lambda pair: pair[0].date or "",
                                                               reverse=True)  # stable: stored order kept
              if event.id not in rejected]
    checked_nonempty = 0
    for flt in FILTERS[::3]:
        expected = [event.id for event, document in ranked if _selects(flt, event, document)]
        assert store.count_events(flt) == len(expected), flt
        assert [r["id"] for r in store.event_records(flt, limit=1000)] == expected, flt
        if len(expected) > 4:
            checked_nonempty += 1
            assert [r.event.id for r in store.events(flt, limit=3, offset=2)] == expected[2:5], flt
    assert checked_nonempty >= 20  # the data exercises the filters, not only empty answers


def test_terms_are_the_folded_substances_commodities_outlet_and_language() -> None:
    event = SeizureEvent(id="e", doc_id="d", items=(Item("drugs", substance="Yaba"), Item("drugs"),
                                                    Item("wildlife", substance="ÝA BA")))
    assert event_terms(event, "Bangkok Post", "EN") == [
        "commodity:drugs", "commodity:wildlife", "language:en", "outlet:bangkok post", "substance:yaba",
        "substance:ýa ba"]
    assert event_terms(SeizureEvent(id="e", doc_id="d", items=()), None, "th") == ["language:th"]
