"""Statistic figures: the draft a statistic is read into, and the goods, arrests and cases it counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from borderwatch.extract import patterns
from borderwatch.extract.context import Layout, Sentence
from borderwatch.extract.items import is_goods
from borderwatch.extract.units import Quantity, find_quantities
from borderwatch.lang import Language
from borderwatch.model import Item, Span

_MANY_ARRESTS = 100
"""A year's arrests told in hundreds or more ("more than 15,000 suspects were arrested in 2022") are a tally."""


@dataclass
class StatDraft:
    """An aggregate while its sentences are being read."""

    sentences: list[Sentence]
    period_start: str | None = None
    period_end: str | None = None
    period_raw: str | None = None
    items: list[Item] = field(default_factory=list)
    arrests: int | None = None
    cases: int | None = None
    evidence: list[Span] = field(default_factory=list)
    country: str | None = None


def goods_in(text: str, decimal_comma: bool = False) -> list[Quantity]:
    """The quantities of seized goods a text states."""
    return [q for q in find_quantities(text, decimal_comma) if is_goods(q)]


def read_arrests(layout: Layout, text: str) -> tuple[int, int, int] | None:
    """(arrested, start, end) from "arrested 1,273 people", "8,927 suspects were arrested"; the pack's
    cue patterns are read too where the sentence has no parse."""
    language = layout.language
    unparsed = None if layout.parsed else language
    for q in find_quantities(text):
        if q.kind != "count" or q.unit != "people":
            continue
        if language.pattern("arrest_before").search(text[max(0, q.start - 30):q.start]) \
                or language.pattern("arrest_after").match(text[q.end:q.end + 40]) \
                or (unparsed is not None and unparsed.cue("arrest").search(text, max(0, q.start - 30), q.start)):
            return int(q.value), q.start, q.end  # the pack's arrest word just before the count
    counted = [found for found in patterns.arrests_in(unparsed, text) if found[0]] if unparsed else []
    if counted:
        return counted[0]
    m = language.pattern("arrests_noun").search(language.to_ascii_digits(text))
    if m:
        value = patterns.count_value(language, m.group("n"))
        if value is not None:
            return int(value), m.start(), m.end()
    return None


def many_arrests(layout: Layout, text: str) -> bool:
    """Are the arrests a sentence counts too many for one raid ("more than 15,000 suspects were arrested")?"""
    arrested = read_arrests(layout, text)
    return arrested is not None and arrested[0] >= _MANY_ARRESTS


def read_cases(language: Language, text: str) -> tuple[int, int, int] | None:
    """(cases, start, end); "26 percent, or 1,175 cases, more" is a change, not a count."""
    for q in find_quantities(text):
        if q.kind == "count" and q.unit == "cases":
            if language.pattern("change").search(text[max(0, q.start - 20):q.start]) or language.pattern("change_after").match(text[q.end:q.end + 12]):
                continue
            return int(q.value), q.start, q.end
    return None


def has_values(layout: Layout, sentence: Sentence) -> bool:
    """Does a sentence state goods, arrests or cases?"""
    text = sentence.text
    return bool(goods_in(text, layout.language.decimal_comma) or read_arrests(layout, text) is not None or read_cases(layout.language, text) is not None)
