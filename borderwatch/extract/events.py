"""Seizure events: the hauls a report presents as fact, one event per real-world haul.

A report mentions a haul several times (headline, lead, body, a quote) with numbers of
varying precision; each mention is read as items, matched against the events found so far,
and either merged (the most precise number wins) or opened as a new event. Sentences about
a cumulative total belong to ``stats``; legal thresholds and plans are rejected, not events.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from borderwatch.extract.context import Layout, Sentence, header_sentence, read_layout, sentence_dates
from borderwatch.extract.event_dates import interval_dates, same_day_dates
from borderwatch.extract.event_fields import build_event, fill_country, fill_nationalities, fill_province
from borderwatch.extract.hauls import Haul, already_told, attach_context, haul_clauses, place_mention
from borderwatch.extract.items import (
    ItemDraft,
    add_per_package,
    further_lots,
    is_goods,
    name_identified_goods,
    read_items,
    scale_by_counted_packages,
)
from borderwatch.extract.seizure_mentions import read_bare, read_mentions, reject
from borderwatch.extract.stat_sentences import aggregate_sentences
from borderwatch.extract.units import find_quantities
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.model import Document, Rejection, SeizureEvent


def extract_events(doc: Document, parsed: Doc | None, gazetteer: Gazetteer
                   ) -> tuple[list[SeizureEvent], list[Rejection]]:
    """Every seizure the report presents as fact, and the candidate mentions set aside, with why."""
    layout = read_layout(doc, parsed, gazetteer)
    statistic = {s.start for s in aggregate_sentences(layout)}
    rejections: list[Rejection] = []
    events: list[Haul] = []
    owner: dict[int, Haul] = {}
    bare: list[tuple[Sentence, list[ItemDraft]]] = []
    court: tuple[int, Sentence, Rejection] | None = None
    previous: Sentence | None = None
    for index, sentence in enumerate(s for whole in layout.sentences for s in haul_clauses(layout, gazetteer, whole)):
        if events and sentence.tokens is not None and (add_per_package(layout, sentence, events[-1].items)
                                                       or name_identified_goods(layout, sentence, events[-1].items)):
            owner[sentence.start] = events[-1]
            events[-1].mentions.append(sentence)
            continue
        drafts, rejected = read_mentions(layout, sentence, statistic)
        if sentence.tokens is not None:
            scale_by_counted_packages(layout, sentence, previous, drafts)
        previous = sentence
        rejections.extend(rejected)
        if any(r.reason == "court-case" for r in rejected):
            court = (index, sentence, next(r for r in rejected if r.reason == "court-case"))
        elif not drafts and court and index - court[0] <= 2 and _underlying_arrest(layout, sentence, court[1]):
            # "... sentenced six men for trafficking 60 kg of heroin. They were arrested on 8 June 2022":
            # the court case is not an event, the arrest it judges is.
            told = court[1]
            drafts = read_items(layout, told, [q for q in find_quantities(told.text, layout.language.decimal_comma)
                                               if is_goods(q)])
            # the arrest's own sentence first: where it tells the group was caught is the haul's place
            events.append(Haul(items=drafts, mentions=[sentence, told], opener=sentence))
            owner[told.start] = owner[sentence.start] = events[-1]
            rejections.remove(court[2])
            court = None
            continue
        if not drafts:
            named = read_bare(layout, sentence, statistic)
            if named:
                bare.append((sentence, named))
            for lot in further_lots(layout, sentence):  # told as new hauls: never a repeat of one told before
                events.append(Haul(items=lot, mentions=[sentence], opener=sentence))
                owner[sentence.start] = events[-1]
            continue
        event, repeated = place_mention(events, sentence, drafts, layout, gazetteer)
        owner[sentence.start] = event
        if repeated:
            spans = [e for d in drafts for e in d.evidence if e.field != "substance"]
            rejections.append(reject(layout, spans[0].start, spans[-1].end, "duplicate-mention",
                                     f"repeats the haul of {event.opener.text[:60]!r}"))
    for sentence, drafts in bare:
        if not already_told(events, sentence, drafts, layout):
            events.append(Haul(items=drafts, mentions=[sentence], opener=sentence,
                               separated=bool(layout.language.pattern("separator").search(sentence.text))))
            owner[sentence.start] = events[-1]
    told_in_headline = _headline_hauls(layout, gazetteer, events, statistic)
    for sentence, drafts in told_in_headline:
        events.append(Haul(items=drafts, mentions=[sentence], opener=sentence))
        owner[sentence.start] = events[-1]
    events.sort(key=lambda e: e.opener.start)
    attach_context(layout, gazetteer, events, owner, statistic)
    if len(events) == 1 and told_in_headline:  # the body, telling no amount, is all about the headline's haul
        events[0].context.extend(s for s in layout.sentences if s.start not in statistic and s not in events[0].context)
    for header in layout.header:
        if any(header.start <= s.start < header.end for s, _ in told_in_headline):
            continue
        for q in find_quantities(header.text, layout.language.decimal_comma):
            if is_goods(q):
                rejections.append(reject(layout, header.start + q.start, header.start + q.end,
                                         "duplicate-mention", "headline repeats a haul told in the body"))
    # a haul told apart from the report's first ("In a separate case", "Earlier, ...") is not the headline's
    apart = [e.separated or (k > 0 and bool(layout.language.pattern("told_earlier").search(e.opener.text)))
             for k, e in enumerate(events)]
    out: list[SeizureEvent] = []
    for n, event in enumerate(events, 1):
        before = events[n - 2].mentions[-1].paragraph if n > 1 else None
        out.append(build_event(layout, gazetteer, event, f"{doc.id}#e{n}", out[-1] if out else None, before))
    out = fill_province(fill_nationalities(fill_country(interval_dates(layout.language, same_day_dates(layout.language, out, events), events), layout), layout, apart), layout,
                        gazetteer, [e.separated for e in events],
                        [k > 0 and bool(layout.language.pattern("told_earlier").search(e.opener.text))
                          for k, e in enumerate(events)])
    return _without_told_total(layout, out, rejections)


def _without_told_total(layout: Layout, events: list[SeizureEvent], rejections: list[Rejection]
                        ) -> tuple[list[SeizureEvent], list[Rejection]]:
    """"Police seized more than two tons of ketamine ... found about 1.5 tons in a car ... a further 700 kg
    at the factory": a haul told first whose one amount is the sum of two or more hauls told after it, of
    the same goods, is their total, not a haul of its own."""
    if not events or len(events[0].items) != 1 or events[0].background:
        return events, rejections
    total, item = events[0], events[0].items[0]
    for measure in ("mass_kg", "count"):
        amount = getattr(item, measure)
        parts = [getattr(i, measure) for e in events[1:] if not e.background for i in e.items
                 if i.commodity == item.commodity and getattr(i, measure)
                 and (item.substance is None or i.substance in (None, item.substance))]
        # "more than two tons" is at most a quarter short of the parts; "nearly" and "about" a tenth off
        low, high = _TOTAL_BOUNDS.get(item.qualifier or "", (0.98, 1.02))
        if amount and len(parts) >= 2 and low * amount <= sum(parts) <= high * amount:
            spans = [s for s in item.evidence if s.field == measure] or list(total.evidence[:1])
            rejection = reject(layout, spans[0].start, spans[0].end, "duplicate-mention",
                               "the total of hauls the report then tells one by one")
            return [replace(e, id=f"{layout.doc.id}#e{n}") for n, e in enumerate(events[1:], 1)], [*rejections, rejection]
    return events, rejections


_TOTAL_BOUNDS = {"more than": (1.0, 1.25), "at least": (1.0, 1.25), "nearly": (0.9, 1.0), "about": (0.9, 1.1)}


def _headline_hauls(layout: Layout, gazetteer: Gazetteer, events: list[Haul], statistic: set[int]
                    ) -> list[tuple[Sentence, list[ItemDraft]]]:
    """The hauls a headline tells when the body states no amount of any ("จับไอซ์ล็อตใหญ่ 700 โล", the
    stored page breaking off before the figures) and tells no statistic: the headline's own are then the
    report's only ones.
    Read where the pack has no parser (a parse covers the body's sentences only)."""
    if layout.parsed or statistic or any(d.mass or d.count or d.volume or d.packages for e in events for d in e.items):
        return []
    out: list[tuple[Sentence, list[ItemDraft]]] = []
    # "ยาบ้า 5.4 ล้านเม็ด หล่นเกลื่อนถนน" (pills spilled over the road): a headline telling goods without a
    # seizure word still tells the haul when the body tells the find
    found = any(layout.language.cue("seized").search(s.text) for s in layout.sentences)
    for header in layout.header:
        whole = header_sentence(header)
        for clause in haul_clauses(layout, gazetteer, whole):
            drafts, _ = read_mentions(layout, clause, statistic, found)
            if drafts and (found or layout.language.cue("seized").search(clause.text)):
                out.append((clause, drafts))
    return out


def _underlying_arrest(layout: Layout, sentence: Sentence, told: Sentence) -> bool:
    """Does a sentence after a court ruling tell the arrest or seizure the court judged, dated by itself
    or by the ruling's sentence ("The indictment says that from 27 to 30 March 2024 the group carried
    100 kg ... At Km73 the group was caught")?"""
    return bool(layout.language.pattern("arrested_then").search(sentence.text)) and any(
        d.precision in ("day", "month") for d in [*sentence_dates(layout, sentence), *sentence_dates(layout, told)])
