"""Thai: no parser; the pack's data (pack.json) is what the stages read. Two rules are Thai grammar:
goods are named before their amount and classifier ("ยาบ้า 4.4 ล้านเม็ด", "ไม้พะยูง 18 ท่อน"), so the
name before an amount wins over one after it; and a short passage in quotation marks with no speaker
is a nickname or a scare-quoted phrase ("บิ๊กต๊ะ", "กระสอบปริศนา"), not a quote."""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from borderwatch.model import Document, Quote

_SCARE_QUOTE = 20  # characters: a shorter passage needs a named speaker to count as a quote


def _language() -> Any:
    from borderwatch.lang import load_language

    return load_language("th")


def extract_quotes(doc: Document) -> list[Quote]:
    """The generic quotation-mark reading, less short passages no speaker is named for."""
    from borderwatch.extract.claims import read_quotes

    out: list[Quote] = []
    for quote in read_quotes(_language(), doc):
        body = re.sub(r"\s+", "", quote.text)
        if len(body) < _SCARE_QUOTE and quote.confidence < 0.8:
            continue
        out.append(dataclasses.replace(quote, id=f"{doc.id}#q{len(out) + 1}"))
    return out


RULES: dict[str, Any] = {
    "goods_before_amount": True,
    "extract_quotes": extract_quotes,
}
