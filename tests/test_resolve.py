"""Incidents: the same seizure reported by several outlets is linked, nothing else is."""

import random
import tracemalloc
from dataclasses import replace

import pytest
from datasketch import MinHashLSH

from borderwatch import resolve
from borderwatch.model import Document, Facts, Item, SeizureEvent, Span
from borderwatch.resolve import (
    BANDS,
    FAMILY_THRESHOLD,
    NUM_PERM,
    ROWS,
    FamilyIndex,
    LinkedSeizure,
    _minhash,
    document_families,
    link_incidents,
    linked_seizure,
    resolve_incidents,
    same_incident,
)


def _facts(doc_id: str, *events: SeizureEvent) -> Facts:
    doc = Document(id=doc_id, text="", content_hash=doc_id, source=doc_id)
    return Facts(document=doc, events=list(events))


def _event(doc_id: str, n: int, **kw: object) -> SeizureEvent:
    base: dict[str, object] = {"id": f"{doc_id}#e{n}", "doc_id": doc_id, "country": "KH",
                               "admin1": "Stung Treng", "date": "2024-11-09",
                               "items": (Item("drugs", "methamphetamine", mass_kg=93.973),)}
    base.update(kw)
    return SeizureEvent(**base)  # type: ignore[arg-type]


def test_same_haul_in_two_outlets_is_one_incident() -> None:
    a = _event("ppp", 0)
    b = _event("lt", 0, items=(Item("drugs", "methamphetamine", mass_kg=94.0, qualifier="about"),))
    docs, changed = resolve_incidents([_facts("ppp", a), _facts("lt", b)])
    assert changed == {}
    assert docs[0].events[0].incident == docs[1].events[0].incident is not None
    # the reported values are kept as each outlet gave them
    assert docs[0].events[0].items[0].mass_kg == 93.973
    assert docs[1].events[0].items[0].mass_kg == 94.0


def test_contradictions_keep_events_apart() -> None:
    a = _event("x", 0)
    assert not same_incident(a, _event("y", 0, country="LA", admin1="Champasak"))
    assert not same_incident(a, _event("y", 0, date="2024-10-30"))
    assert not same_incident(a, _event("y", 0, items=(Item("drugs", "ketamine", mass_kg=300.0),)))
    assert not same_incident(a, _event("x", 1))  # two events of one report are never merged here


def test_undated_reports_counting_and_weighing_one_stop_link_on_province_goods_and_agency() -> None:
    # "83 pieces of rosewood" and "810 kilograms of Siamese rosewood": no unit in common, no date in either
    pieces = _event("cd", 0, date=None, admin1="Preah Vihear", agency="Provincial military police chief Sao Sokun",
                    items=(Item("timber", "rosewood", count=83.0, count_unit="pieces"),))
    weight = _event("pp", 0, date=None, admin1="Preah Vihear",
                    agency="Choam Ksan district military police commander Pich Sophy",
                    items=(Item("timber", "rosewood", mass_kg=810.0),))
    assert same_incident(pieces, weight)
    assert same_incident(linked_seizure(pieces), linked_seizure(weight))
    assert not same_incident(pieces, replace(weight, agency="Forestry Administration officials"))
    assert not same_incident(pieces, replace(weight, admin1="Oddar Meanchey"))
    assert not same_incident(pieces, replace(weight, date="2016-12-23"))  # a date on one side: the old rules
    # both weigh it, and the weights differ: two stops
    assert not same_incident(replace(pieces, items=(Item("timber", "rosewood", mass_kg=300.0),)), weight)


def test_dates_a_few_days_apart_link_only_when_an_amount_agrees() -> None:
    # one outlet dates the operation by its first day, another by the month the results were announced
    a = _event("x", 0, date="2018-09-29")
    assert same_incident(a, _event("y", 0, date="2018-10"))
    assert not same_incident(a, _event("y", 0, date="2018-10", admin1=None,
                                        items=(Item("drugs", "methamphetamine", mass_kg=40.0),)))
    assert not same_incident(a, _event("y", 0, date="2018-10-04"))  # two days: each precise, they differ
    assert not same_incident(_event("x", 1, date="2018-09-20"), _event("y", 0, date="2018-10"))  # past a week
    assert not same_incident(a, _event("y", 0, date="2018-11"))


def test_unknown_date_does_not_contradict_but_quantity_must_agree() -> None:
    a = _event("x", 0, date=None)
    assert same_incident(a, _event("y", 0))
    assert not same_incident(a, _event("y", 0, items=(Item("drugs", "methamphetamine", mass_kg=40.0),)))


def test_unrelated_events_get_their_own_incidents() -> None:
    a, b = _event("x", 0), _event("y", 0, items=(Item("timber", "rosewood", volume_m3=7.0),))
    docs, _ = resolve_incidents([_facts("x", a), _facts("y", b)])
    assert docs[0].events[0].incident != docs[1].events[0].incident


ARTICLE = ("Cambodian officers detained a Lao citizen at the Trapeang Kriel International Border Checkpoint on "
           "9 November after finding more than 1 million methamphetamine pills in the vehicle he was driving. "
           "Inside, officers recovered approximately 1,034,413 pills of methamphetamine with a weight of 93.973 "
           "kilograms, along with three mobile phones and a set of related documents, according to the deputy "
           "provincial police chief in charge of anti-drug crime.")


def _doc(doc_id: str, text: str, published: str | None = None) -> Document:
    return Document(id=doc_id, text=text, content_hash=doc_id, source=doc_id, published=published)


def test_reposts_and_wire_copies_form_one_family_named_by_the_first() -> None:
    original = _doc("news", "Lao man held at border\n" + ARTICLE, "2024-11-14")
    repost = _doc("blog", "Wednesday, 20 November 2024\nReposted from the news\n" + ARTICLE +
                  "\n1 comment:\nAnonymous said...\nGood work police.", "2024-11-20")
    other = _doc("timber", "Forestry officers in Kampong Chhnang intercepted a truck carrying 10 tonnes of luxury "
                 "timber in the small hours of yesterday morning, the provincial chief said on Monday.", "2016-12-13")
    families = document_families([repost, other, original])
    assert families == {"news": "news", "blog": "news", "timber": "timber"}


def test_a_different_report_of_the_same_seizure_is_not_a_repost() -> None:
    a = _doc("a", ARTICLE)
    b = _doc("b", "A Lao national aged 31 was brought before the Stung Treng Provincial Court on Tuesday over "
             "more than one million illicit pills seized at the Trapeang Kriel checkpoint, a court spokesman said.")
    assert document_families([a, b]) == {"a": "a", "b": "b"}


def test_a_new_report_joins_a_stored_incident_and_stored_ids_stay() -> None:
    stored = _event("old", 0, incident="inc-stored")
    new = _event("new", 0, items=(Item("drugs", "methamphetamine", mass_kg=94.0),))
    docs, changed = resolve_incidents([_facts("new", new)], [stored])
    assert docs[0].events[0].incident == "inc-stored"
    assert changed == {}


def test_a_new_report_that_bridges_two_stored_incidents_relinks_them() -> None:
    one = _event("a", 0, incident="inc-b", date=None, admin1=None)
    two = _event("b", 0, incident="inc-a", country=None, admin1=None, date="2024-11-09")
    bridge = _event("c", 0)
    docs, changed = resolve_incidents([_facts("c", bridge)], [one, two])
    assert docs[0].events[0].incident == "inc-a"
    assert changed == {("a", "a#e0"): "inc-a"}


def test_outlets_a_day_apart_on_the_date_are_one_incident() -> None:
    """"24 vs 25 April": the dateline's day and the raid's night differ between outlets."""
    a = _event("x", 0, date="2024-04-24")
    assert same_incident(a, _event("y", 0, date="2024-04-25"))
    assert not same_incident(a, _event("y", 0, date="2024-04-27"))
    # without a comparable quantity: the next day in the same province still links
    tablets = (Item("drugs", "methamphetamine", count=4_400_000, count_unit="tablets"),)
    assert same_incident(_event("x", 1, date="2024-04-24", items=tablets),
                         _event("y", 1, date="2024-04-25"))


def test_one_report_s_total_and_another_s_parts_are_one_incident() -> None:
    total = _event("x", 0, items=(Item("drugs", "methamphetamine", mass_kg=55.0),))
    parts = _event("y", 0, items=(Item("drugs", "heroin", mass_kg=10.0),
                                  Item("drugs", "methamphetamine", mass_kg=45.0)))
    assert same_incident(total, parts)
    assert not same_incident(total, _event("y", 1, items=(Item("drugs", "heroin", mass_kg=10.0),
                                                          Item("drugs", "methamphetamine", mass_kg=20.0))))


def test_the_family_index_bands_as_datasketch_and_finds_the_same_candidates() -> None:
    lsh = MinHashLSH(threshold=FAMILY_THRESHOLD, num_perm=NUM_PERM)
    assert (lsh.b, lsh.r) == (BANDS, ROWS)
    rng = random.Random(3)
    words = [f"w{i}" for i in range(300)]
    texts = {f"d{n}": " ".join(rng.choice(words) for _ in range(60)) for n in range(40)}
    texts.update({f"copy{n}": texts[f"d{n}"] + " reposted" for n in range(5)})
    index, families = FamilyIndex(), {}
    for doc_id, text in texts.items():
        signature = _minhash(text)
        assert index._candidates(signature) >= set(lsh.query(signature))
        families.update(index.add([_doc(doc_id, text)]))
        lsh.insert(doc_id, signature)
    assert [families[f"copy{n}"] for n in range(5)] == [f"d{n}" for n in range(5)]


def test_the_family_index_keeps_about_2_kb_a_document_for_the_whole_run() -> None:
    rng = random.Random(1)
    words = [f"w{i}" for i in range(5000)]
    docs = [_doc(f"d{n}", " ".join(rng.choice(words) for _ in range(400))) for n in range(300)]
    index = FamilyIndex()
    index.add(docs[:50])  # dicts and caches past their first growth
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        index.add(docs[50:])
        per_document = (tracemalloc.get_traced_memory()[0] - before) / 250
    finally:
        tracemalloc.stop()
    # A signature's 128 hash values (1 KB) and 18 band entries; datasketch's MinHash and
    # MinHashLSH kept 7.9 KB a document.
    assert per_document < 3000, per_document


def _partition(incidents: dict[tuple[str, str], str]) -> set[frozenset[tuple[str, str]]]:
    groups: dict[str, set[tuple[str, str]]] = {}
    for key, incident in incidents.items():
        groups.setdefault(incident, set()).add(key)
    return {frozenset(g) for g in groups.values()}


def test_linking_batch_by_batch_gives_the_groups_of_linking_all_at_once() -> None:
    rng = random.Random(5)
    events = [_event(f"d{n:03d}", 1, date=f"2024-11-{rng.randint(1, 12):02d}",
                     admin1=rng.choice(["Stung Treng", "Kratie", None]),
                     items=(Item("drugs", "methamphetamine", mass_kg=rng.choice([10.0, 20.0, 93.973])),))
              for n in range(120)]
    linked: dict[tuple[str, str], SeizureEvent] = {}
    for start in range(0, len(events), 7):  # the pipeline's loop: each batch against the ones before
        batch = [_facts(e.doc_id, e) for e in events[start:start + 7]]
        batch, relinked = resolve_incidents(batch, list(linked.values()))
        linked.update({(e.doc_id, e.id): e for f in batch for e in f.events})
        for key, incident in relinked.items():
            linked[key] = replace(linked[key], incident=incident)
    streamed = {key: str(e.incident) for key, e in linked.items()}
    assert _partition(streamed) == _partition(link_incidents(events))
    assert len(_partition(streamed)) < len(events)  # some reports were joined


def test_a_new_report_is_compared_with_the_linked_ones_not_them_with_each_other(
        monkeypatch: pytest.MonkeyPatch) -> None:
    stored = [_event(f"s{n:04d}", 1, incident=f"inc-{n:04d}", date=f"2024-{1 + n % 12:02d}-01") for n in range(3000)]
    compared = []
    original = resolve.same_incident
    monkeypatch.setattr(resolve, "same_incident", lambda a, b: compared.append((a, b)) or original(a, b))
    docs, _ = resolve_incidents([_facts("new", _event("new", 1))], stored)
    # One new event against 3,000 linked ones: 3,000 comparisons, not the 4.5 million of all pairs.
    assert len(compared) == 3000
    assert all("new" in (a.doc_id, b.doc_id) for a, b in compared)
    assert docs[0].events[0].incident


def test_amounts_agree_only_within_one_kind_of_goods() -> None:
    # 2,116 kg of pangolin scales is not 2 tonnes of ivory: a Quang Ninh haul and a Da Nang one
    a = _event("x", 0, date=None, country="VN", admin1=None,
               items=(Item("wildlife", "ivory", mass_kg=860.0), Item("wildlife", "pangolin", mass_kg=2116.0)))
    b = _event("y", 0, date="2018-10", country="VN", admin1=None,
               items=(Item("wildlife", "pangolin", mass_kg=6000.0), Item("wildlife", "ivory", mass_kg=2000.0)))
    assert not same_incident(a, b)


def test_a_loose_agreement_needs_two_corroborations() -> None:
    # "1.8 million pills" in an undated report against a dated 2 million: only the province agrees
    loose = (Item("drugs", "methamphetamine", count=1_800_000, count_unit="tablets"),)
    two_million = (Item("drugs", "methamphetamine", count=2_000_000, count_unit="tablets"),)
    assert not same_incident(_event("x", 0, date=None, items=loose), _event("y", 0, items=two_million))
    # "3.3 tonnes" on the 24th and "3,1 tonnes" on the 25th in one province: one haul
    assert same_incident(_event("x", 0, date="2025-04-24", items=(Item("drugs", "methamphetamine", mass_kg=3300.0),)),
                         _event("y", 0, date="2025-04-25", items=(Item("drugs", "methamphetamine", mass_kg=3100.0),)))
    # a year alone corroborates nothing
    assert not same_incident(_event("x", 0, date="2024", admin1=None, items=loose),
                             _event("y", 0, date=None, items=two_million))


def test_a_province_disagreement_yields_only_to_the_same_day_and_an_unround_figure() -> None:
    ketamine = (Item("drugs", "ketamine", mass_kg=124.0),)
    a = _event("x", 0, country="LA", admin1="Bokeo", date="2025-06-06", items=ketamine)
    assert same_incident(a, _event("y", 0, country="LA", admin1="Savannakhet", date="2025-06-06", items=ketamine))
    assert not same_incident(a, _event("y", 0, country="LA", admin1="Savannakhet", date="2025-06-07", items=ketamine))
    tonne = (Item("drugs", "ketamine", mass_kg=1000.0),)
    assert not same_incident(_event("x", 1, country="LA", admin1="Bokeo", date="2025-06-06", items=tonne),
                             _event("y", 1, country="LA", admin1="Savannakhet", date="2025-06-06", items=tonne))


def test_tablets_counted_and_tablets_weighed_agree_at_a_tenth_of_a_gram() -> None:
    counted = (Item("drugs", "methamphetamine", form="tablets", count=1_200_000, count_unit="tablets"),)
    weighed = (Item("drugs", "methamphetamine", form="tablets", mass_kg=120.0),)
    near = {"location_precision": "district", "lat": 17.576, "lon": 104.6}
    assert same_incident(_event("x", 0, date=None, items=counted, **near), _event("y", 0, items=weighed, **near))
    assert not same_incident(_event("x", 0, date=None, items=counted, **near),
                             _event("y", 0, items=(Item("drugs", "methamphetamine", form="tablets", mass_kg=400.0),),
                                    **near))


def test_two_events_of_one_report_never_share_an_incident_through_a_third() -> None:
    # a round-up reports two hauls of one day; another outlet runs them together as one event
    big = (Item("drugs", "methamphetamine", count=19_500_000, count_unit="tablets"),)
    small = (Item("drugs", "methamphetamine", count=173_000, count_unit="tablets"),)
    roundup = [_event("r", 1, date="2025-05-17", items=big), _event("r", 2, date="2025-05-17", items=small)]
    merged = _event("m", 1, date="2025-05-17", items=big + small)
    incidents = link_incidents([*roundup, merged])
    assert incidents[("r", "r#e1")] != incidents[("r", "r#e2")]
    assert incidents[("m", "m#e1")] in (incidents[("r", "r#e1")], incidents[("r", "r#e2")])


def _random_events(rng: random.Random, n: int) -> list[SeizureEvent]:
    """Reports of a few hauls, told with the spread outlets give: dates a day or a month apart,
    provinces named, spelt two ways or not, places near or far, tablets counted or weighed,
    round and unround figures, totals or parts, with evidence as the extractor gives it."""
    events = []
    for k in range(n):
        doc_id = f"doc-{k:03d}"
        substance = rng.choice(["methamphetamine", "heroin", "ketamine", None])
        form = rng.choice([None, None, "tablets", "crystal"])
        items = tuple(Item("drugs", substance, form=form,
                           mass_kg=rng.choice([10.0, 10.5, 20.0, 93.973, 94.0, 124.0, 55.0, None]),
                           count=rng.choice([None, None, 4_400_000.0, 1_000_000.0]), mass_raw="about ten kilograms",
                           evidence=(Span(doc_id, 0, 20, "x" * 20, "mass_kg"),))
                      for _ in range(rng.choice([1, 1, 2])))
        if rng.random() < 0.1:
            items += (Item("wildlife", "pangolin scales", mass_kg=rng.choice([5.0, 6.0])),)
        day = rng.randint(1, 12)
        place = rng.choice([{}, {"location_precision": "district", "lat": 15.2, "lon": 105.9},
                            {"location_precision": "point", "lat": 15.25, "lon": 105.95},
                            {"location_precision": "province", "lat": 14.0, "lon": 105.0}])
        events.append(_event(doc_id, 1, items=items, country=rng.choice(["LA", "LA", "KH", None]),
                             admin1=rng.choice(["Xayaburi", "Sainyabuli", "Bokeo", None]),
                             date=rng.choice([f"2024-11-{day:02d}", "2024-11", f"2024-10-{day + 18:02d}", "2024",
                                              None]),
                             place="a checkpoint near the border", agency="provincial police",
                             evidence=tuple(Span(doc_id, 0, 200, "y" * 200) for _ in range(3)), **place))
    return events


class _Reads:
    """An event that records the attributes read of it, and of its items in ``item_reads``."""

    def __init__(self, held: object, reads: set[str], item_reads: set[str] | None = None) -> None:
        self._held, self._reads, self._item_reads = held, reads, item_reads

    def __getattr__(self, name: str) -> object:
        self._reads.add(name)
        value = getattr(self._held, name)
        if name == "items" and self._item_reads is not None:
            return tuple(_Reads(i, self._item_reads) for i in value)
        return value


def test_a_linked_seizure_holds_every_field_same_incident_reads() -> None:
    events = _random_events(random.Random(10), 60)
    reads: set[str] = set()
    item_reads: set[str] = set()
    answers = [same_incident(_Reads(a, reads, item_reads), _Reads(b, reads, item_reads))  # type: ignore[arg-type]
               for a in events for b in events]
    assert any(answers)
    assert {"doc_id", "items", "admin1", "location_precision", "lat"} <= reads  # the test reaches every rule
    assert {"substance", "form", "count"} <= item_reads
    assert reads <= set(LinkedSeizure.__slots__), reads - set(LinkedSeizure.__slots__)
    assert item_reads <= set(resolve.LinkedAmount.__slots__), item_reads - set(resolve.LinkedAmount.__slots__)


def test_a_linked_seizure_gives_same_incident_the_answers_of_its_event() -> None:
    events = _random_events(random.Random(11), 80)
    linked = [linked_seizure(e) for e in events]
    answers = [same_incident(a, b) for a in events for b in events]
    assert [same_incident(a, b) for a in linked for b in linked] == answers
    assert [same_incident(a, b) for a in events for b in linked] == answers
    assert any(answers) and not all(answers)


def test_linking_against_linked_seizures_gives_the_incidents_of_linking_against_events() -> None:
    events = _random_events(random.Random(12), 150)
    runs = []
    for keep in (lambda e: e, linked_seizure):  # the whole events, as before, and what a run now keeps
        held: dict[tuple[str, str], SeizureEvent | LinkedSeizure] = {}
        for start in range(0, len(events), 9):
            batch, relinked = resolve_incidents([_facts(e.doc_id, e) for e in events[start:start + 9]],
                                                list(held.values()))
            held.update({(e.doc_id, e.id): keep(e) for f in batch for e in f.events})  # type: ignore[operator]
            for key, incident in relinked.items():
                held[key] = replace(held[key], incident=incident)
        runs.append({key: e.incident for key, e in held.items()})
    assert runs[0] == runs[1]
    assert len(set(runs[0].values())) < len(events)  # some reports were joined


def test_a_linked_seizure_keeps_a_few_hundred_bytes_not_the_event_with_its_evidence() -> None:
    events = _random_events(random.Random(13), 400)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        linked = [linked_seizure(e) for e in events]
        per_seizure = (tracemalloc.get_traced_memory()[0] - before) / len(linked)
    finally:
        tracemalloc.stop()
    # The strings it keeps (ids, date, names) are the event's own, shared; its own objects are
    # the record, the tuple of amounts and an amount per item.
    assert per_seizure < 400, per_seizure
