"""Thai: no parser; the pack's data (pack.json) is what the stages read. Two rules are Thai grammar:
goods are named before their amount and classifier ("ยาบ้า 4.4 ล้านเม็ด", "ไม้พะยูง 18 ท่อน"), so the
name before an amount wins over one after it; and a short passage in quotation marks with no speaker
is a nickname or a scare-quoted phrase ("บิ๊กต๊ะ", "กระสอบปริศนา"), not a quote."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
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


# Thailand's fiscal year N (B.E.) runs from 1 October of N-1 to 30 September of N: "ปีงบประมาณ 2567".
_FISCAL_YEAR = re.compile(r"(?P<so_far>ตั้งแต่ต้น|นับตั้งแต่ต้น|ต้น)?ปีงบ(?:ประมาณ)?\s*(?:พ\.ศ\.\s*)?(?P<year>(?:25|20)\d\d)(?!\d)")


def statistic_period(text: str, reference: date | None) -> tuple[date, date | None, re.Match[str]] | None:
    """A fiscal year ("ปีงบประมาณ 2567"; "since the start of fiscal 2567" runs to publication), else the
    generic reading of the pack's period pattern."""
    from borderwatch.extract.patterns import read_statistic_period

    language = _language()
    m = _FISCAL_YEAR.search(language.to_ascii_digits(text))
    if m:
        year = int(m.group("year"))
        year = year - 543 if year > 2400 else year
        start, end = date(year - 1, 10, 1), date(year, 9, 30)
        if m.group("so_far") and reference and start <= reference < end:
            end = reference
        return start, end, m
    return read_statistic_period(language, text, reference)


RULES: dict[str, Any] = {
    "goods_before_amount": True,
    "statistic_period": statistic_period,
    "extract_quotes": extract_quotes,
}
