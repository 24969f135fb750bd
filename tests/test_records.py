"""JSON records: the prediction format, and field confidence from where the evidence lies."""

from borderwatch.model import Document, Facts, Item, SeizureEvent, Span
from borderwatch.records import field_confidence, prediction_record

TEXT = ("STUNG TRENG, 12 November\n\nPolice seized 40 kilograms of methamphetamine on Sunday and arrested "
        "two men.\n\n" + "Background words. " * 40 + "The agency was the provincial police.")


def _span(text: str, field: str) -> Span:
    start = TEXT.index(text)
    return Span("d", start, start + len(text), text, field)


def test_values_in_the_fact_sentence_are_most_confident() -> None:
    sentence = _span("Police seized 40 kilograms of methamphetamine on Sunday and arrested two men.", "sentence")
    evidence = (sentence, _span("40 kilograms", "mass_kg"), _span("STUNG TRENG", "admin1"),
                _span("the provincial police", "agency"))
    confidence = field_confidence(evidence)
    assert confidence["mass_kg"] == 0.9
    assert confidence["admin1"] == 0.7           # the dateline, just above
    assert confidence["agency"] == 0.55          # far away in the report
    assert "sentence" not in confidence


def test_prediction_record_has_the_scorer_keys_and_evidence() -> None:
    doc = Document(id="d", text=TEXT, content_hash="h", source="d.txt")
    item = Item("drugs", "methamphetamine", mass_kg=40.0, mass_raw="40 kilograms",
                evidence=(_span("40 kilograms", "mass_kg"),))
    event = SeizureEvent("d#e0", "d", (item,), date="2023-11-12", country="KH", admin1="Stung Treng", arrests=2,
                         evidence=(_span("Police seized", "sentence"),))
    record = prediction_record(Facts(document=doc, events=[event]))
    (out,) = record["events"]
    assert out["type"] == "seizure" and out["items"][0]["mass_kg"] == 40.0
    assert out["items"][0]["mass_raw"] == "40 kilograms"
    assert out["evidence"][0] == {"field": "sentence", "start": TEXT.index("Police seized"),
                                  "end": TEXT.index("Police seized") + 13, "text": "Police seized"}
    assert set(out["field_confidence"]) == {"mass_kg"}
