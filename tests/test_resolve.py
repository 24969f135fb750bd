"""Incidents: the same seizure reported by several outlets is linked, nothing else is."""

from borderwatch.model import Document, Facts, Item, SeizureEvent
from borderwatch.resolve import resolve_incidents, same_incident


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
    docs = resolve_incidents([_facts("ppp", a), _facts("lt", b)])
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


def test_unknown_date_does_not_contradict_but_quantity_must_agree() -> None:
    a = _event("x", 0, date=None)
    assert same_incident(a, _event("y", 0))
    assert not same_incident(a, _event("y", 0, items=(Item("drugs", "methamphetamine", mass_kg=40.0),)))


def test_unrelated_events_get_their_own_incidents() -> None:
    a, b = _event("x", 0), _event("y", 0, items=(Item("timber", "rosewood", volume_m3=7.0),))
    docs = resolve_incidents([_facts("x", a), _facts("y", b)])
    assert docs[0].events[0].incident != docs[1].events[0].incident
