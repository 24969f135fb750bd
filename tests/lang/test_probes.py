"""Probe reports in each spaceless or tonal language of the region (tests/fixtures/lang-probes.json):
short seizure reports written for these tests in the many ways each language's press phrases a haul,
statistics (running, campaign, fiscal-year, half-year, month-to-date and year totals) that must be read
as aggregates and never as seizures, and negatives that use the same words for other things. One
helper reads every language's probes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from borderwatch.config import Settings
from borderwatch.extract import Extractor
from borderwatch.model import Aggregate, Document, Item, SeizureEvent

PROBES = json.loads((Path(__file__).parents[1] / "fixtures" / "lang-probes.json").read_text("utf-8"))["probes"]
QUANTITIES = ("mass_kg", "count", "volume_m3")


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(Settings())


def _item_matches(expected: dict[str, Any], item: Item) -> bool:
    for key, value in expected.items():
        found = getattr(item, key)
        if key in QUANTITIES:
            if found is None or abs(found - value) > 0.02 * max(abs(value), 1e-9):
                return False
        elif found != value:
            return False
    return True


def _event_mismatches(expected: dict[str, Any], event: SeizureEvent) -> list[str]:
    wrong = [f"item {want} not in {[(i.substance, i.form, i.mass_kg, i.count, i.volume_m3) for i in event.items]}"
             for want in expected["items"] if not any(_item_matches(want, item) for item in event.items)]
    found = {"country": event.country, "admin1": event.admin1, "arrests": event.arrests, "date": event.date,
             "nationalities": list(event.suspect_nationalities)}
    wrong += [f"{key} {found[key]!r} != {value!r}" for key, value in expected.items()
              if key != "items" and found[key] != value]
    return wrong


def _aggregate_mismatches(expected: dict[str, Any], aggregate: Aggregate) -> list[str]:
    wrong = [f"item {want} not in {[(i.substance, i.form, i.mass_kg, i.count) for i in aggregate.items]}"
             for want in expected.get("items", []) if not any(_item_matches(want, item) for item in aggregate.items)]
    if expected.get("items") == [] and aggregate.items:
        wrong.append(f"items {[(i.substance, i.mass_kg, i.count) for i in aggregate.items]} != []")
    return wrong + [f"{key} {getattr(aggregate, key)!r} != {value!r}" for key, value in expected.items()
                    if key != "items" and getattr(aggregate, key) != value]


def probe_mismatches(extractor: Extractor, probe: dict[str, Any]) -> list[str]:
    """What the extractor gets wrong on one probe (an empty list when every stated field is right)."""
    doc = Document(id=probe["id"], text=probe["text"], content_hash=probe["id"], source="probe",
                   language=probe["lang"], published=probe["published"], published_precision="day")
    facts = extractor.extract(doc)
    for span in facts.spans():
        assert doc.text[span.start:span.end] == span.text
    expected = probe["events"]
    if len(facts.events) != len(expected):
        found = [[(i.substance, i.mass_kg, i.count) for i in e.items] for e in facts.events]
        return [f"{len(facts.events)} events, expected {len(expected)}: {found}"]
    pairs = sorted(facts.events, key=lambda event: event.evidence[0].start if event.evidence else 0)
    wrong = [wrong for want, event in zip(expected, pairs) for wrong in _event_mismatches(want, event)]
    if "aggregates" in probe:  # a probe that tells a statistic lists every aggregate a reader finds in it
        if len(facts.aggregates) != len(probe["aggregates"]):
            return [*wrong, f"{len(facts.aggregates)} aggregates, expected {len(probe['aggregates'])}"]
        wrong += [w for want, found in zip(probe["aggregates"], facts.aggregates) for w in _aggregate_mismatches(want, found)]
    return wrong


def _marked(probe: dict[str, Any]) -> Any:
    """A probe the extractor is known to miss carries its reason ("known_gap") and must still fail."""
    gap = probe.get("known_gap")
    return pytest.param(probe, marks=pytest.mark.xfail(reason=gap, strict=True)) if gap else probe


@pytest.mark.parametrize("probe", [_marked(probe) for probe in PROBES], ids=[probe["id"] for probe in PROBES])
def test_probe(extractor: Extractor, probe: dict[str, Any]) -> None:
    assert probe_mismatches(extractor, probe) == []
