"""Facts as plain JSON records, in one place: the SCHEMA.md prediction format that
``borderwatch extract`` writes is also the shape the API and the JSONL export return,
with the extra analyst fields (raw strings, precision, confidence, evidence) beside it.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from borderwatch.model import Aggregate, Facts, Flow, Item, Quote, SeizureEvent, Span

# Records are built field by field: ``dataclasses.asdict`` deep-copies every nested item and
# span only for them to be replaced, which cost more than the SQL of an API page. These are
# each fact class's fields in declaration order, without its nested items and evidence.
_SCALAR_FIELDS: dict[type, tuple[str, ...]] = {
    kind: tuple(f.name for f in fields(kind) if f.name not in ("items", "evidence"))
    for kind in (Item, SeizureEvent, Aggregate, Quote)}


def _scalars(fact: Item | SeizureEvent | Aggregate | Quote) -> dict[str, Any]:
    return {name: getattr(fact, name) for name in _SCALAR_FIELDS[type(fact)]}


NEAR_CHARS = 400  # a value found within this distance of the seizure sentence is probably its own


def field_confidence(evidence: tuple[Span, ...]) -> dict[str, float]:
    """How far each field's evidence lies from the fact's own sentence, as a 0..1 confidence.

    A value read in the sentence that states the fact is most likely its own (0.9); one from a
    nearby sentence (0.7) or elsewhere in the report, such as the dateline (0.55), less so.
    Fields with no evidence span were inferred (e.g. the country of a province) and are not listed.
    """
    sentence = next((s for s in evidence if s.field == "sentence"), None)
    out: dict[str, float] = {}
    for span in evidence:
        if span.field in (None, "sentence"):
            continue
        if sentence is None:
            score = 0.7
        elif sentence.start <= span.start and span.end <= sentence.end:
            score = 0.9
        elif min(abs(span.start - sentence.end), abs(sentence.start - span.end)) <= NEAR_CHARS:
            score = 0.7
        else:
            score = 0.55
        out[span.field] = max(out.get(span.field, 0.0), score)
    return out


def span_record(span: Span) -> dict[str, Any]:
    """A span as JSON: where the words are and which field they support."""
    return {"field": span.field, "start": span.start, "end": span.end, "text": span.text}


def item_record(item: Item) -> dict[str, Any]:
    """An item with the SCHEMA keys first and its raw strings and evidence after."""
    out = _scalars(item)
    out["evidence"] = [span_record(s) for s in item.evidence]
    return out


def event_record(event: SeizureEvent) -> dict[str, Any]:
    """A seizure event in the prediction format, plus analyst fields."""
    out: dict[str, Any] = {"type": "seizure"}
    out.update(_scalars(event))
    out["suspect_nationalities"] = list(event.suspect_nationalities)
    out["items"] = [item_record(i) for i in event.items]
    out["evidence"] = [span_record(s) for s in event.evidence]
    out["field_confidence"] = field_confidence(event.evidence + tuple(s for i in event.items for s in i.evidence))
    return out


def aggregate_record(aggregate: Aggregate) -> dict[str, Any]:
    """An aggregate statistic in the prediction format, plus analyst fields."""
    out: dict[str, Any] = {"type": "aggregate"}
    out.update(_scalars(aggregate))
    out["items"] = [item_record(i) for i in aggregate.items]
    out["evidence"] = [span_record(s) for s in aggregate.evidence]
    out["field_confidence"] = field_confidence(
        aggregate.evidence + tuple(s for i in aggregate.items for s in i.evidence))
    return out


def quote_record(quote: Quote) -> dict[str, Any]:
    """A quote: speaker, kind and the quoted words, with evidence."""
    out = _scalars(quote)
    out["evidence"] = [span_record(s) for s in quote.evidence]
    return out


def flow_record(flow: Flow) -> dict[str, Any]:
    """A stated flow with the scorer's keys (``from``/``to``)."""
    return {"id": flow.id, "doc_id": flow.doc_id, "from": flow.origin, "to": flow.destination,
            "commodity": flow.commodity, "asserted_by": flow.asserted_by,
            "confidence": flow.confidence, "evidence": [span_record(s) for s in flow.evidence]}


def prediction_record(facts: Facts) -> dict[str, Any]:
    """One document's facts as the JSONL object ``score.py`` reads (SCHEMA.md)."""
    doc = facts.document
    return {
        "id": doc.id,
        "outlet": doc.outlet,
        "title": doc.title,
        "language": doc.language,
        "published": doc.published,
        "events": [event_record(e) for e in facts.events]
        + [aggregate_record(a) for a in facts.aggregates],
        "quotes": [quote_record(q) for q in facts.quotes],
        "flows": [flow_record(f) for f in facts.flows],
        "comments": len(doc.comments),
        "rejected": [{"stage": r.stage, "reason": r.reason, "message": r.message,
                      "evidence": [span_record(s) for s in r.evidence]} for r in facts.rejections],
    }
