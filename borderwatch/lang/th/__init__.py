"""Thai: no parser; the pack's data (pack.json) is what the stages read. Two rules are Thai grammar:
goods are named before their amount and classifier ("ยาบ้า 4.4 ล้านเม็ด", "ไม้พะยูง 18 ท่อน"), so the
name before an amount wins over one after it; and a short passage in quotation marks with no speaker
is a nickname or a scare-quoted phrase ("บิ๊กต๊ะ", "กระสอบปริศนา"), not a quote."""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from borderwatch.extract.lexicon import SubstanceMention
    from borderwatch.extract.units import Quantity
    from borderwatch.model import Document, Quote

_NEAR_BEFORE = 40
_NEAR_AFTER = 25
_SCARE_QUOTE = 20  # characters: a shorter passage needs a named speaker to count as a quote


def _language() -> Any:
    from borderwatch.lang import load_language

    return load_language("th")


def substance_for(text: str, q: Quantity, substances: list[SubstanceMention],
                  goods: list[Quantity]) -> SubstanceMention | None:
    """The goods an amount measures: the nearest name before it in its clause, not past an earlier
    amount; a name after it only when none stands before ("จำนวน 3 ท่อน ไม้พะยูง")."""
    clause = _language().cue("clause")
    earlier = [g.end for g in goods if g.end <= q.start]
    later = [g.start for g in goods if g.start >= q.end]
    before = [s for s in substances if s.end <= q.start and q.start - s.end <= _NEAR_BEFORE
              and (not earlier or s.start >= earlier[-1]) and not clause.search(text, s.end, q.start)]
    after = [s for s in substances if s.start >= q.end and s.start - q.end <= _NEAR_AFTER
             and (not later or s.end <= later[0]) and not clause.search(text, q.end, s.start)]
    for group in ([s for s in before if s.substance is not None][-1:], before[-1:],
                  [s for s in after if s.substance is not None][:1], after[:1]):
        if group:
            return group[0]
    return None


def extract_quotes(doc: Document) -> list[Quote]:
    """The generic quotation-mark reading, less short passages no speaker is named for."""
    from borderwatch.extract.claims import extract_quotes as generic

    language = _language()
    plain = dataclasses.replace(language, rules={k: v for k, v in language.rules.items() if k != "extract_quotes"})
    out = []
    for quote in generic(plain, doc):
        body = re.sub(r"\s+", "", quote.text)
        if len(body) < _SCARE_QUOTE and quote.confidence < 0.8:
            continue
        out.append(dataclasses.replace(quote, id=f"{doc.id}#q{len(out) + 1}"))
    return out


RULES: dict[str, Any] = {
    "substance_for": substance_for,
    "extract_quotes": extract_quotes,
}
