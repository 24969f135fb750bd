"""When each haul happened: its own date, or one it takes from the haul told before it ("the same
evening", "a day after"), and which sentences speak of another occasion. Used by ``events``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Protocol

from borderwatch.dates import ParsedDate, to_date
from borderwatch.extract import patterns
from borderwatch.extract.context import Layout, Sentence, is_dateline_date, same_day_reference, sentence_dates
from borderwatch.extract.units import parse_number
from borderwatch.lang import Language
from borderwatch.model import Precision, SeizureEvent, Span


class Gathered(Protocol):
    """The sentences gathered for one haul: those stating it, the one opening it, and its context."""

    opener: Sentence
    mentions: list[Sentence]
    context: list[Sentence]
    lead_in: list[Sentence]


def other_occasion(layout: Layout, sentence: Sentence, iso: str | None) -> bool:
    """Does a sentence date itself to another time than the event's date?"""
    dates = sentence_dates(layout, sentence)
    if not iso or not dates:
        return False
    return not any(d.iso.startswith(iso) or iso.startswith(d.iso) for d in dates)


def pick_date(layout: Layout, event: Gathered) -> tuple[str, Precision, str, Span] | None:
    """The event's own date: the most precise one its paragraphs give, else one its other sentences give."""
    paragraphs = {s.paragraph for s in event.mentions}
    near = sorted((s for s in event.context if s.paragraph in paragraphs or s in event.lead_in),
                  key=lambda s: s.start)
    far = sorted((s for s in event.context if s not in near), key=lambda s: s.start)
    rank = {"day": 0, "month": 1, "year": 2}
    fallback = None
    for group in ([*event.mentions, *near], far):
        told = [(d, patterns.is_told_date(layout.language, sentence, d.start) or is_dateline_date(sentence, d.start, d.end))
                for sentence in group for d in sentence_dates(layout, sentence)
                if (group is not far or not layout.language.pattern("loose_month").fullmatch(d.raw))
                # a year alone, told in another paragraph ("banned the logging of the species in 2013"), dates
                # a law or a trend, not the haul
                and (d.precision != "year" or sentence.paragraph in paragraphs)]
        if group is far and fallback is not None:
            # the haul's sentences give only the day it was told: the day its story tells further on wins
            told = [t for t in told if not t[1]] or [(fallback, True)]
        elif told and all(was_told for _, was_told in told):
            fallback = min((d for d, _ in told), key=lambda x: rank[x.precision])
            continue
        dates = [d for d, _ in told]
        if dates:
            # a day the report was told on ("Ngày 6.1, the station said ...") yields to the haul's own; a day
            # told of a seizure or arrest beats one of another step ("took the truck there on July 23 ...
            # he was arrested on July 26")
            seizing = layout.language.pattern("seize_words")
            d = min(dates, key=lambda x: (told[dates.index(x)][1], rank[x.precision],
                                          not any(s.start <= x.start < s.end and seizing.search(s.text)
                                                  for s in group), _farther_from_seizing(layout, group, dates, x),
                                          dates.index(x)))
            following = to_date(d.iso) if d.precision == "day" else None
            later = _interval_after(layout, d, event)
            if later is not None:
                # "tipped off on April 7. A day later, officers stopped a truck ... 12 million pills"
                return later[0], later[1], d.raw, layout.span(d.start, d.end, "date")
            last = max((s.start for s in event.mentions), default=d.start)
            if following and not any(s.start <= d.start < s.end for s in event.mentions) and any(
                    layout.language.pattern("next_day").search(s.text)
                    for s in [*event.mentions, *event.context] if d.end <= s.start <= last):
                # "arrived at 17:00 on 21 December ... from 1 am the next day, 68.6 kg were found"; "tipped off
                # on 1 November. The next day police saw a boat ... 4 million pills"
                return (following + timedelta(days=1)).isoformat(), "day", d.raw, layout.span(d.start, d.end, "date")
            return d.iso, d.precision, d.raw, layout.span(d.start, d.end, "date")
    return None


def _farther_from_seizing(layout: Layout, group: list[Sentence], dates: list[ParsedDate], d: ParsedDate) -> bool:
    """"On Wednesday the minister flew in for the press conference, after officials on Tuesday had seized
    50 million pills": of two days in one sentence the one told nearer its seizure verb is the haul's."""
    sentence = next((s for s in group if s.start <= d.start < s.end), None)
    if sentence is None:
        return False
    verbs = [sentence.start + m.start() for m in layout.language.pattern("seize_words").finditer(sentence.text)]
    if not verbs:
        return False

    def gap(x: ParsedDate) -> int:
        return min(abs(v - x.start) for v in verbs)
    return any(o is not d and o.precision == d.precision and sentence.start <= o.start < sentence.end
               and gap(o) < gap(d) for o in dates)


def _interval_after(layout: Layout, d: ParsedDate, event: Gathered) -> tuple[str, Precision] | None:
    """A date told before the haul, then "N days later" (or "earlier") between it and the haul: the haul's day
    is the date moved by that interval. Only a free-standing interval counts ("a day later", not "a day
    after the raid", which names its own anchor)."""
    first = min(event.mentions, key=lambda s: s.start, default=None)
    if first is None or d.start >= first.start or first.start - d.end > 400:
        return None
    found = [m for m in layout.language.pattern("interval").finditer(layout.doc.text, d.end, first.end)
             if m.groupdict().get("alone")]
    return _shift(d.iso, found[-1], True) if found else None


def same_day_dates(language: Language, events: list[SeizureEvent], gathered: Sequence[Gathered]
                   ) -> list[SeizureEvent]:
    """An undated event told "the same evening" takes the date of the event told just before."""
    out = list(events)
    for i, (event, raw) in enumerate(zip(events, gathered)):
        same_day = [s for s in [*raw.mentions, *raw.context] if same_day_reference(language, s)]
        if event.date or not same_day:
            continue
        earlier = [e for e in events if e.date and e.evidence and e.evidence[0].start < same_day[0].start]
        if earlier:
            last = max(earlier, key=lambda e: e.evidence[0].start)
            out[i] = replace(event, date=last.date, date_precision=last.date_precision, date_raw=last.date_raw)
    return out


def interval_dates(language: Language, events: list[SeizureEvent], gathered: Sequence[Gathered]
                   ) -> list[SeizureEvent]:
    """A haul told as "a day after" or "a month before" another takes its date from the event told before it,
    unless its own sentences date it."""
    out = list(events)
    for i, (event, raw) in enumerate(zip(events, gathered)):
        opener = raw.opener
        m = language.pattern("interval").search(opener.text)
        told = [s.start for item in event.items for s in item.evidence if opener.start <= s.start < opener.end]
        own = [s for s in event.evidence if s.field == "date" and any(
            x.start <= s.start < x.end for x in raw.mentions)]
        anchor = next((e for e in reversed(out[:i]) if e.date), None)
        if m is None or own or not told or opener.start + m.end() > min(told) or anchor is None:
            continue
        # "came a day after police seized 3 kg": this haul is in the after-clause, the day before the anchor;
        # "A day after the raid, police found 3 kg": it is in the main clause, the day after.
        # "Three days earlier police had found": a free-standing interval counts from the anchor.
        main_clause = bool(m.groupdict().get("alone")) or "," in opener.text[m.end():min(told) - opener.start]
        shifted = _shift(anchor.date, m, main_clause)
        if shifted:
            raw_text = m.group(0)
            out[i] = replace(event, date=shifted[0], date_precision=shifted[1], date_raw=raw_text,
                             evidence=(*[s for s in event.evidence if s.field != "date"],
                                       Span(event.doc_id, opener.start + m.start(), opener.start + m.end(),
                                            raw_text, "date")))
    return out


def _shift(anchor: str | None, m: re.Match[str], main_clause: bool) -> tuple[str, Precision] | None:
    """The anchor date moved by the stated interval, back or on as "after"/"before" and the clause say."""
    n = parse_number(m.group("n")) or 1
    sign = (-1 if m.group("after") else 1) * (-1 if main_clause else 1)
    unit = "month" if m.group("months") else "week" if m.group("weeks") else "day"
    if unit == "month" and anchor and len(anchor) >= 7:
        months = int(anchor[:4]) * 12 + int(anchor[5:7]) - 1 + sign * int(n)
        return f"{months // 12:04d}-{months % 12 + 1:02d}", "month"
    day = to_date(anchor)
    if day is None or unit == "month":
        return None
    return (day + timedelta(days=sign * int(n) * (7 if unit == "week" else 1))).isoformat(), "day"


def is_old(layout: Layout, iso: str | None) -> bool:
    """Is a date well before publication (background, not news)?"""
    if iso is None or layout.reference is None:
        return False
    year = int(iso[:4])
    month = int(iso[5:7]) if len(iso) >= 7 else 12
    return (layout.reference.year - year) * 12 + layout.reference.month - month > 3
