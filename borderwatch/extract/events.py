"""Seizure events: the hauls a report presents as fact, one event per real-world haul.

A report mentions a haul several times (headline, lead, body, a quote) with numbers of
varying precision; each mention is read as items, matched against the events found so far,
and either merged (the most precise number wins) or opened as a new event. Sentences about
a cumulative total belong to ``stats``; legal thresholds and plans are rejected, not events.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache

from spacy.tokens import Doc, Token

from borderwatch.extract import patterns
from borderwatch.extract.context import (
    Layout,
    Sentence,
    outside_named_province,
    places_in,
    province_of,
    read_layout,
    sentence_dates,
    sentence_substances,
)
from borderwatch.extract.event_dates import interval_dates, is_old, other_occasion, pick_date, same_day_dates
from borderwatch.extract.items import (
    ItemDraft,
    add_per_package,
    count_bare_pills,
    freeze,
    further_lots,
    generic_substance,
    is_goods,
    merge,
    name_identified_goods,
    named_only,
    read_items,
    relation,
    scale_by_counted_packages,
    without_broken_down_total,
)
from borderwatch.extract.people import count_arrests, find_nationalities
from borderwatch.extract.routes import (
    courier_home,
    find_agency,
    find_concealment,
    find_destination,
    find_origin,
)
from borderwatch.extract.stats import aggregate_sentences, is_destruction, running_total
from borderwatch.extract.units import Quantity, find_quantities
from borderwatch.geo.countries import find_countries
from borderwatch.geo.gazetteer import Gazetteer, PlaceMention
from borderwatch.lang import Language
from borderwatch.model import Document, Item, LocationPrecision, Precision, Rejection, SeizureEvent

_POINT_KINDS: dict[str, LocationPrecision] = {"checkpoint": "point", "place": "point", "district": "district", "admin1": "province",
                "country": "country"}
_DATELINE_MARK = re.compile(r"\s*[-–—:：]\s")
_RUN_PUNCTUATION = " \t\n,.;:，。；：、"


@dataclass
class _Event:
    """An event while its sentences are being gathered."""

    items: list[ItemDraft]
    mentions: list[Sentence]
    opener: Sentence
    context: list[Sentence] = field(default_factory=list)
    lead_in: list[Sentence] = field(default_factory=list)
    separated: bool = False


def extract_events(doc: Document, parsed: Doc | None, gazetteer: Gazetteer
                   ) -> tuple[list[SeizureEvent], list[Rejection]]:
    """Every seizure the report presents as fact, and the candidate mentions set aside, with why."""
    layout = read_layout(doc, parsed, gazetteer)
    statistic = {s.start for s in aggregate_sentences(layout)}
    rejections: list[Rejection] = []
    events: list[_Event] = []
    owner: dict[int, _Event] = {}
    bare: list[tuple[Sentence, list[ItemDraft]]] = []
    court: tuple[int, Sentence, Rejection] | None = None
    previous: Sentence | None = None
    for index, sentence in enumerate(s for whole in layout.sentences for s in _haul_clauses(layout, gazetteer, whole)):
        if events and sentence.tokens is not None and (add_per_package(layout, sentence, events[-1].items)
                                                       or name_identified_goods(layout, sentence, events[-1].items)):
            owner[sentence.start] = events[-1]
            events[-1].mentions.append(sentence)
            continue
        drafts, rejected = _read_mentions(layout, sentence, statistic)
        if sentence.tokens is not None:
            scale_by_counted_packages(layout, sentence, previous, drafts)
        previous = sentence
        rejections.extend(rejected)
        if any(r.reason == "court-case" for r in rejected):
            court = (index, sentence, next(r for r in rejected if r.reason == "court-case"))
        elif not drafts and court and index - court[0] <= 2 and _underlying_arrest(layout, sentence):
            # "... sentenced six men for trafficking 60 kg of heroin. They were arrested on 8 June 2022":
            # the court case is not an event, the arrest it judges is.
            told = court[1]
            drafts = read_items(layout, told, [q for q in find_quantities(told.text, layout.language.decimal_comma)
                                               if is_goods(q)])
            events.append(_Event(items=drafts, mentions=[told, sentence], opener=sentence))
            owner[told.start] = owner[sentence.start] = events[-1]
            rejections.remove(court[2])
            court = None
            continue
        if not drafts:
            named = _read_bare(layout, sentence, statistic)
            if named:
                bare.append((sentence, named))
            for lot in further_lots(layout, sentence):  # told as new hauls: never a repeat of one told before
                events.append(_Event(items=lot, mentions=[sentence], opener=sentence))
                owner[sentence.start] = events[-1]
            continue
        event, repeated = _place_mention(events, sentence, drafts, layout, gazetteer)
        owner[sentence.start] = event
        if repeated:
            spans = [e for d in drafts for e in d.evidence if e.field != "substance"]
            rejections.append(_reject(layout, spans[0].start, spans[-1].end, "duplicate-mention",
                                      f"repeats the haul of {event.opener.text[:60]!r}"))
    for sentence, drafts in bare:
        if not _already_told(events, sentence, drafts, layout):
            events.append(_Event(items=drafts, mentions=[sentence], opener=sentence,
                                 separated=bool(layout.language.pattern("separator").search(sentence.text))))
            owner[sentence.start] = events[-1]
    events.sort(key=lambda e: e.opener.start)
    _attach_context(layout, events, owner, statistic)
    for header in layout.header:
        for q in find_quantities(header.text, layout.language.decimal_comma):
            if is_goods(q):
                rejections.append(_reject(layout, header.start + q.start, header.start + q.end,
                                          "duplicate-mention", "headline repeats a haul told in the body"))
    out: list[SeizureEvent] = []
    for n, event in enumerate(events, 1):
        before = events[n - 2].mentions[-1].paragraph if n > 1 else None
        out.append(_build(layout, gazetteer, event, f"{doc.id}#e{n}", out[-1] if out else None, before))
    out = _fill_province(_fill_country(interval_dates(layout.language, same_day_dates(layout.language, out, events), events), layout), layout,
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
            rejection = _reject(layout, spans[0].start, spans[0].end, "duplicate-mention",
                                "the total of hauls the report then tells one by one")
            return [replace(e, id=f"{layout.doc.id}#e{n}") for n, e in enumerate(events[1:], 1)], [*rejections, rejection]
    return events, rejections


_TOTAL_BOUNDS = {"more than": (1.0, 1.25), "at least": (1.0, 1.25), "nearly": (0.9, 1.0), "about": (0.9, 1.1)}


def _haul_clauses(layout: Layout, gazetteer: Gazetteer, sentence: Sentence) -> list[Sentence]:
    """A sentence telling several hauls is read clause by clause, one haul to a clause: a clause begins at
    each haul's own day, at the pack's words for another case ("in another case", "อีกคดีหนึ่ง") and at its
    words for elsewhere ("meanwhile", "与此同时") followed by a place not named before them."""

    @cache
    def goods() -> list[int]:  # read once, and only for a sentence that has a date or a turn to cut at
        return [q.start for q in find_quantities(sentence.text, layout.language.decimal_comma) if is_goods(q)]

    cuts = sorted({0, *_dated_cuts(layout, sentence, goods), *_cue_cuts(layout, gazetteer, sentence, goods)})
    if len(cuts) < 2:
        return [sentence]
    out = []
    for a, b in zip(cuts, [*cuts[1:], len(sentence.text)]):
        start, end = sentence.start + a, sentence.start + b
        # Each clause keeps the whole sentence's parse: the verb that seizes ("included") may lie outside it.
        out.append(Sentence(start, end, layout.doc.text[start:end], sentence.paragraph, sentence.tokens))
    return out


def _dated_cuts(layout: Layout, sentence: Sentence, goods_at: Callable[[], list[int]]) -> list[int]:
    """Where a parsed sentence listing hauls each with its own day or month moves on to the next haul
    (``goods_at``: where the sentence's amounts of goods start)."""
    if sentence.tokens is None:
        return []
    dated = [d for d in sentence_dates(layout, sentence) if d.precision in ("day", "month")]
    if len({d.iso for d in dated}) < 2:
        return []
    goods = goods_at()
    cuts, last = [], 0
    # "In May police seized 40 kg, and in June a further 2 kg were found": a clause opens before its own date.
    for d in dated[1:]:
        begin = d.start - sentence.start
        joint = layout.language.pattern("dated_clause_before").search(sentence.text[:begin])
        if joint and any(last <= g < joint.start() for g in goods) and any(g >= begin for g in goods):
            cuts.append(joint.start())
            last = joint.start()
    if cuts:
        return cuts
    days = [d for d in dated if d.precision == "day"]
    if len({d.iso for d in days}) < 2:
        return []
    for d in days[:-1]:
        begin, stop = d.start - sentence.start, d.end - sentence.start  # the dates' offsets are the document's
        m = layout.language.pattern("next_haul").match(sentence.text, stop)
        if m is None or not m.group(0).strip(" ,") and "," not in m.group(0) or not any(
                last <= g < begin for g in goods) or not any(g >= m.end() for g in goods):
            continue
        cuts.append(m.end())
        last = m.end()
    return cuts


def _cue_cuts(layout: Layout, gazetteer: Gazetteer, sentence: Sentence,
              goods_at: Callable[[], list[int]]) -> list[int]:
    """Where a sentence turns to another case, with goods told both before and after the turn."""
    turns = [(m.start(), m.end(), False) for m in layout.language.pattern("separator").finditer(sentence.text)] + [
        (m.start(), m.end(), True) for m in layout.language.pattern("meanwhile").finditer(sentence.text)]
    if not turns:
        return []
    goods = goods_at()
    cuts, last = [], 0
    for begin, stop, elsewhere in sorted(turns):
        if begin == 0 or not any(last <= g < begin for g in goods) or not any(g >= stop for g in goods):
            continue
        if elsewhere and not _names_new_place(layout, gazetteer, sentence.text[:begin], sentence.text[begin:]):
            continue
        cuts.append(begin)
        last = begin
    return cuts


def _names_new_place(layout: Layout, gazetteer: Gazetteer, told: str, text: str) -> bool:
    """Does ``text`` name a place (beyond a country) that ``told`` does not?"""
    known = {m.place.name for m in gazetteer.find(told)}
    return any(m.place.kind != "country" and m.place.name not in known for m in gazetteer.find(text))


def _read_mentions(layout: Layout, sentence: Sentence, statistic: set[int]
                   ) -> tuple[list[ItemDraft], list[Rejection]]:
    """The items a body sentence states as seized, or why its quantities are not a seizure."""
    quantities = count_bare_pills(layout, sentence, find_quantities(sentence.text, layout.language.decimal_comma))
    running = running_total(layout, sentence)
    if running is not None:  # "..., bringing the total seized this year to 15 million pills": read by stats
        quantities = [q for q in quantities if sentence.start + q.start < running.start]
    sums = [q for q in quantities if is_goods(q) and patterns.is_day_total(layout.language, sentence.text, q)]
    goods = [q for q in quantities if is_goods(q) and q not in sums and (
        layout.parsed or not patterns.is_place_count(layout.language, sentence.text, q))]
    rejected = [_reject(layout, sentence.start + q.start, sentence.start + q.end, "not-goods",
                        f"{q.raw!r} is {q.kind} ({q.unit}), not seized goods")
                for q in quantities if q.kind in ("money", "area") or (
                    q.kind == "count" and q.unit in ("vehicles", "phones", "weapons"))]
    rejected += [_reject(layout, sentence.start + q.start, sentence.start + q.end, "duplicate-mention",
                         f"{q.raw!r} sums the day's hauls the report tells one by one") for q in sums]
    if not goods:
        return [], rejected
    first, last = sentence.start + goods[0].start, sentence.start + goods[-1].end
    if sentence.start in statistic:
        return [], [*rejected, _reject(layout, first, last, "aggregate", "a cumulative total, read by stats")]
    if layout.language.pattern("seizures_level").search(sentence.text):
        # "Ketamine seizures in the region rose to 27.4 tons": the level of all seizures, not one haul
        return [], [*rejected, _reject(layout, first, last, "aggregate", "the level of many seizures, not one")]
    if layout.language.pattern("summary").search(sentence.text) or (
            not layout.parsed and layout.language.cue("summary").search(sentence.text)):  # the pack's own wording
        return [], [*rejected, _reject(layout, first, last, "duplicate-mention",
                                       "a sum of hauls the report tells one by one")]
    if is_destruction(layout.language, sentence.text) or (not layout.parsed and patterns.is_destruction(layout.language, sentence.text)):
        return [], [*rejected, _reject(layout, first, last, "destruction",
                                       "goods seized earlier being destroyed, not a new seizure")]
    status = _status(layout.language, sentence, goods)
    if status != "fact":
        message = {"hypothetical": "a threshold, plan or possibility, not a seizure",
                   "court-case": "a court ruling on goods, not a report of their seizure",
                   "no-seizure": "no seizure verb governs this quantity"}[status]
        return [], [*rejected, _reject(layout, first, last, status, message)]
    return read_items(layout, sentence, goods), rejected


def _status(language: Language, sentence: Sentence, goods: list[Quantity]) -> str:
    """"fact", "hypothetical", "court-case" or "no-seizure": is there a real seizure of these quantities?"""
    if sentence.tokens is None:
        return patterns.seizure_status(language, sentence.text)
    span = sentence.tokens
    if span.root.lemma_.lower() in language.words("court_verbs"):
        # "sentenced ... for smuggling 2 million pills seized in May 2022": the seizure is still told as fact.
        seized = [t for t in span if t.dep_ == "acl" and t.lemma_.lower() in language.words("strong_verbs") and t.tag_ == "VBN"]
        return "fact" if seized and language.pattern("dated").search(sentence.text) else "court-case"
    offset = span.start_char - sentence.start
    planned = False
    for q in goods:
        token = next((t for t in span if t.idx - span.start_char + offset >= q.start), None)
        if token is None:
            continue
        for node in [token, *token.ancestors]:
            if _is_modal(language, node):
                return "hypothetical"
            lemma = node.lemma_.lower()
            if lemma in language.words("plan_verbs") and node.pos_ in ("VERB", "AUX"):
                planned = True
            if (lemma in language.words("strong_verbs") or _takes_in(language, node)) and node.tag_.startswith("VB"):
                return "hypothetical" if _aimed_at(language, node) else "fact"
    factual = [t for t in span if (t.lemma_.lower() in language.words("strong_verbs") or _takes_in(language, t)) and t.tag_.startswith("VB")
               and not _is_modal(language, t) and not _aimed_at(language, t)]
    if not factual and any(t.lemma_.lower() in language.words("strong_verbs") and t.tag_.startswith("VB")
                           for t in span):
        return "hypothetical"  # its only seizure verbs are a plan's or a modal's: "... to help officers seize more"
    told = span.text  # the whole sentence, also for one clause of it
    if factual or language.pattern("seize_words").search(told) or language.pattern("described").search(told):
        return "fact"
    if planned or language.pattern("legal").search(sentence.text):
        return "hypothetical"
    weak = [t for t in span if t.lemma_.lower() in language.words("weak_verbs") and not _is_modal(language, t)]
    return "fact" if weak else "no-seizure"


def _takes_in(language: Language, token: Token) -> bool:
    """"the authorities took in 106,000 pills", "soldiers took away 156,200 pills": a phrasal seizure verb."""
    return token.lemma_.lower() in language.words("take_in_verbs") and any(
        c.dep_ in ("prt", "advmod") and c.lower_ in language.words("take_in_particles") for c in token.children)


def _read_bare(layout: Layout, sentence: Sentence, statistic: set[int]) -> list[ItemDraft]:
    """Named goods an explicit seizure verb governs in a sentence that gives no quantity of goods."""
    if (sentence.tokens is None or sentence.start in statistic or any(is_goods(q) for q in find_quantities(
            sentence.text)) or layout.language.pattern("summary").search(sentence.text) or is_destruction(layout.language, sentence.text)
            or layout.language.pattern("legal").search(sentence.text) or sentence.tokens.root.lemma_.lower() in layout.language.words("court_verbs")):
        return []
    span = sentence.tokens
    drafts: list[ItemDraft] = []
    values = [q for q in find_quantities(sentence.text) if q.kind == "money"]
    for mention in sentence_substances(layout, sentence):
        before = sentence.text[max(0, mention.start - 25):mention.start]
        # "seized drugs worth $2 million": goods of no named kind told by their value are still the haul
        valued = any(layout.language.pattern("value_of").fullmatch(sentence.text[mention.end:q.start]) for q in values)
        if (mention.substance is None and not valued) or layout.language.pattern("bare_reference").search(before):
            continue
        start = sentence.start + mention.start
        token = next((t for t in span if t.idx >= start), None)
        if token is None or not _seizes(layout.language, token) or any(
                d.substance == mention.substance for d in drafts):
            continue
        drafts.append(ItemDraft(mention.commodity, mention.substance, mention.form,
                                evidence=[layout.span(start, sentence.start + mention.end, "substance")]))
    return drafts


def _seizes(language: Language, token: Token) -> bool:
    """Is a goods word the object of a stated, unhedged seizure ("seized heroin", "caught with heroin")?"""
    child, held_with = token, False
    for node in token.ancestors:
        lemma = node.lemma_.lower()
        if node.pos_ in ("VERB", "AUX") and (_is_modal(language, node) or lemma in language.words("plan_verbs") or any(
                c.dep_ == "neg" for c in node.children)):
            return False
        if node.tag_ in ("VBD", "VBN", "VBG") and node.dep_ not in ("acl", "amod"):
            if lemma in language.words("bare_object_verbs") and child.dep_ in ("dobj", "nsubjpass", "obj"):
                return lemma not in language.words("find_verbs") or any(
                    c.dep_ == "prep" and c.lower_ in language.words("found_in_prepositions")
                    for c in [*node.children, *child.children])
            if lemma in language.words("bare_with_verbs") and held_with:
                return True
        if node.pos_ in ("VERB", "AUX") and lemma not in language.words("holding_verbs"):
            return False
        held_with = held_with or (node.dep_ == "prep" and node.lower_ in language.words("held_with_prepositions"))
        child = node
    # "Police seized methamphetamine pills worth 5 million baht", parsed as one noun phrase: a past-tense
    # seizure verb hung before the goods noun as its modifier still governs it.
    return child.dep_ == "ROOT" and any(
        c.dep_ == "amod" and c.tag_ == "VBD" and c.i < token.i and c.lemma_.lower() in language.words("bare_object_verbs")
        for c in child.children)


def _already_told(events: list[_Event], sentence: Sentence, drafts: list[ItemDraft], layout: Layout) -> bool:
    """Do events found so far hold these goods: in this paragraph, or elsewhere on no other date?"""
    own = {d.iso for d in sentence_dates(layout, sentence)}
    separated = bool(layout.language.pattern("separator").search(sentence.text))
    for event in events:
        if not any(relation(old, new) != "different" for old in event.items for new in drafts):
            continue
        if any(s.paragraph == sentence.paragraph for s in event.mentions):
            return True
        known = {d.iso for s in event.mentions for d in sentence_dates(layout, s)}
        if not separated and not (own and known and not own & known):
            return True
    return False


def _underlying_arrest(layout: Layout, sentence: Sentence) -> bool:
    """Does a sentence after a court ruling tell, with its date, the arrest or seizure the court judged?"""
    return bool(layout.language.pattern("arrested_then").search(sentence.text)) and any(
        d.precision in ("day", "month") for d in sentence_dates(layout, sentence))


def _aimed_at(language: Language, verb: Token) -> bool:
    """"The operation aims to seize 50 tonnes", "a target to intercept 100 million pills": a seizure verb in the
    infinitive under a plan, aim or target is a goal, not a seizure."""
    if verb.tag_ != "VB":
        return False
    if not any(c.dep_ == "aux" and c.lower_ in language.words("infinitive_markers") for c in verb.children):
        # "expects the scanners to help officers seize more drugs": a bare infinitive under an aimed verb
        return verb.head.i != verb.i and verb.dep_ in ("ccomp", "xcomp") and _aimed_at(language, verb.head)
    head = verb.head
    while head.dep_ == "conj" and head.head.i != head.i and head.head.tag_ == "VB":
        head = head.head
    return head.lemma_.lower() in language.words("plan_verbs") | language.words("goal_words") or any(
        c.dep_ == "dobj" and c.lemma_.lower() in language.words("goal_words") for c in head.children)


def _is_modal(language: Language, token: Token) -> bool:
    """Does a verb carry a modal, a conditional or an "anyone" subject?"""
    for child in token.children:
        word = child.lower_
        if child.dep_ == "aux" and word in language.words("modals"):
            return True
        if child.dep_ == "mark" and word in ("if", "unless"):
            return True
        if child.dep_.startswith("nsubj") and word in ("anyone", "whoever", "those"):
            return True
    return False


def _place_mention(events: list[_Event], sentence: Sentence, drafts: list[ItemDraft],
                   layout: Layout, gazetteer: Gazetteer) -> tuple[_Event, bool]:
    """Merge a sentence's items into the event they repeat (True), or open a new event."""
    separated = bool(layout.language.pattern("separator").search(sentence.text)) or _moves_on(
        layout, gazetteer, events, sentence)
    apart = _opens_apart(layout, events, sentence)
    current = events[-1] if events else None
    if not separated:
        own = {d.iso for d in sentence_dates(layout, sentence)}
        for event in reversed(events):
            known = {d.iso for s in event.mentions for d in sentence_dates(layout, s)}
            if own and known and not own & known:
                continue
            if own and not known and layout.reference and all(i[:4] < str(layout.reference.year) for i in own):
                continue  # "in October 2018 ... found six tons of scales": a past haul, not a retelling of today's
            # "Earlier, ..." retells a haul already told only when it gives that haul's day again.
            if apart and not own & known:
                continue
            if any(relation(old, new) == "same" for old in event.items for new in drafts):
                _absorb(event, drafts, sentence)
                return event, True
        described = layout.language.pattern("described").search(sentence.text) or (
            not layout.parsed and patterns.is_described(layout.language, sentence.text))
        if current and not apart and (_joins(current, drafts, sentence, layout) or described):
            _absorb(current, drafts, sentence)
            return current, False
    event = _Event(items=list(drafts), mentions=[sentence], opener=sentence, separated=separated or apart)
    events.append(event)
    return event, False


def _moves_on(layout: Layout, gazetteer: Gazetteer, events: list[_Event], sentence: Sentence) -> bool:
    """Words read since the last haul that open on the pack's words for elsewhere ("Meanwhile, in ...",
    "Trong khi đó, tại ...", "与此同时") and name a place the current haul's sentences do not: another haul.
    The words may be a sentence of their own before the haul's ("นอกจากนี้ ที่ จ.นครพนม")."""
    told = [m for e in events for m in e.mentions if m.end <= sentence.start]
    if not told:
        return False
    last = max(told, key=lambda m: m.end)
    begin = last.end if last.paragraph == sentence.paragraph else min(
        s.start for s in layout.sentences if s.paragraph == sentence.paragraph)
    run = layout.doc.text[begin:sentence.end].lstrip(_RUN_PUNCTUATION)
    if not layout.language.pattern("meanwhile").match(run):
        return False
    return _names_new_place(layout, gazetteer, " ".join(m.text for m in events[-1].mentions), run)


def _opens_apart(layout: Layout, events: list[_Event], sentence: Sentence) -> bool:
    """No parse: the first haul of a paragraph that opens on the pack's ``separate`` cue ("Trước đó, ...",
    earlier) belongs to another case, not to the event before."""
    if layout.parsed:
        return False
    first = next((s for s in layout.sentences if s.paragraph == sentence.paragraph), sentence)
    return bool(layout.language.cue("separate").match(first.text)) and not any(
        m.paragraph == sentence.paragraph for e in events for m in e.mentions)


def _joins(event: _Event, drafts: list[ItemDraft], sentence: Sentence, layout: Layout) -> bool:
    """Does a mention add a measure to the current event rather than start another?"""
    relations = [relation(old, new) for new in drafts for old in event.items]
    if "complement" not in relations:
        return False
    if _new_scene(layout, event, sentence) and all(
            d.substance and (d.mass or d.count or d.volume) for d in drafts):
        return False
    own = {d.iso for d in sentence_dates(layout, sentence)}
    if not own:
        return True
    known = {d.iso for s in event.mentions for d in sentence_dates(layout, s)}
    if known:
        return bool(own & known)
    weak = all(d.mass is None and d.count is None and d.volume is None for d in drafts)
    return weak or sentence.paragraph == event.mentions[-1].paragraph


def _new_scene(layout: Layout, event: _Event, sentence: Sentence) -> bool:
    """A later paragraph that opens on its own day or place ("On Friday evening security forces raided a
    house in ... They confiscated 16 bags ...") tells another raid, as round-ups do paragraph by paragraph."""
    if sentence.paragraph in {m.paragraph for m in event.mentions}:
        return False
    opening = [s for s in layout.sentences if s.paragraph == sentence.paragraph and s.start <= sentence.start]
    known = {d.iso for s in event.mentions for d in sentence_dates(layout, s)}
    told = " ".join(s.text for s in event.mentions)
    for s in opening:
        if any(d.iso not in known for d in sentence_dates(layout, s)):
            return True
        if any(m.group(0) not in told for m in layout.language.pattern("place_phrase").finditer(s.text)):
            return True
    return False


def _absorb(event: _Event, drafts: list[ItemDraft], sentence: Sentence) -> None:
    for new in drafts:
        target = next((old for old in event.items if relation(old, new) == "same"), None) or next(
            (old for old in event.items if relation(old, new) == "complement"), None)
        if target is None:
            event.items.append(new)
        else:
            merge(target, new)
    if sentence not in event.mentions:
        event.mentions.append(sentence)


def _attach_context(layout: Layout, events: list[_Event], owner: dict[int, _Event],
                    statistic: set[int]) -> None:
    """Give each sentence without a haul to the event its paragraph (or the story so far) is about."""
    sentences = [s for s in layout.sentences if s.start not in statistic]
    for i, sentence in enumerate(sentences):
        if sentence.start in owner:
            continue
        following = next((owner[s.start] for s in sentences[i + 1:]
                          if s.paragraph == sentence.paragraph and s.start in owner), None)
        preceding = next((owner[s.start] for s in reversed(sentences[:i]) if s.start in owner), None)
        lead_in = next((owner[s.start] for s in sentences[i + 1:] if s.start in owner), None)
        target = following or preceding or lead_in
        if target is not None and target is lead_in and target is not following:
            target.lead_in.append(sentence)
        if target is not None:
            target.context.append(sentence)


def _reject(layout: Layout, start: int, end: int, reason: str, message: str) -> Rejection:
    return Rejection(source=layout.doc.id, stage="extract", reason=reason, message=message,
                     evidence=(layout.span(start, end, "quantity"),))


def _named_by_earlier(layout: Layout, opener: Sentence, items: tuple[Item, ...]) -> tuple[Item, ...]:
    """A round-up's "800,000 pills were found in a truck" after "a total of 1.5 million methamphetamine pills":
    goods told only by their form are of the substance the report last named in that form."""
    if not layout.parsed:
        return items
    out = []
    for item in items:
        if item.substance is None and item.form is not None:
            earlier = [(s, m) for s in layout.sentences if s.start < opener.start
                       for m in sentence_substances(layout, s)
                       if m.substance and m.form == item.form and m.commodity == item.commodity]
            if earlier:
                sentence, mention = earlier[-1]
                span = layout.span(sentence.start + mention.start, sentence.start + mention.end, "substance")
                item = replace(item, substance=mention.substance, evidence=(*item.evidence, span))
        elif item.substance is not None and item.substance == generic_substance(item.commodity) and item.evidence:
            # "stopped a car suspected of carrying rosewood and found 0.4 cubic meters of the wood": the
            # general word is the kind of wood its sentence named before it
            at = item.evidence[0].start
            told = next((s for s in layout.sentences if s.start <= at < s.end), None)
            named = [m for m in sentence_substances(layout, told)
                     if told.start + m.end <= at and m.commodity == item.commodity
                     and m.substance not in (None, item.substance)] if told else []
            if told and len({m.substance for m in named}) == 1:
                span = layout.span(told.start + named[-1].start, told.start + named[-1].end, "substance")
                item = replace(item, substance=named[-1].substance, evidence=(*item.evidence, span))
        out.append(item)
    return tuple(out)


def _build(layout: Layout, gazetteer: Gazetteer, event: _Event, event_id: str,
           previous: SeizureEvent | None, previous_paragraph: int | None) -> SeizureEvent:
    """Turn a gathered event into a SeizureEvent with every field and its evidence."""
    sentences = sorted({*event.mentions, *event.context}, key=lambda s: s.start)
    evidence = [layout.span(s.start, s.end, "sentence") for s in event.mentions]
    items = _named_by_earlier(layout, event.opener, without_broken_down_total(tuple(freeze(d) for d in (
        event.items if layout.parsed else named_only(event.items)))))
    date_value: str | None = None
    precision: Precision | None = None
    date_raw: str | None = None
    dated = pick_date(layout, event)
    if dated:
        date_value, precision, date_raw, span = dated
        evidence.append(span)
    place = _pick_place(layout, gazetteer, event, previous, previous_paragraph)
    admin1 = province_of(place.place) if place else None
    country = place.place.country if place else _locative_country(layout.language, sentences)
    if place:
        evidence.append(layout.span(place.start, place.end, "admin1" if place.place.kind == "admin1" else "place"))
    # A paragraph about another occasion ("On Tuesday, the court sentenced three Lao men") names other people.
    paragraphs = {m.paragraph for m in event.mentions}
    same_time = [s for s in sentences if s.paragraph in paragraphs or not other_occasion(layout, s, date_value)]
    arrests = count_arrests(layout, same_time)
    nationalities = find_nationalities(layout, same_time) or (
        None if layout.parsed else patterns.local_people(layout, same_time, country))
    origin = find_origin(layout, gazetteer, sentences, country) or courier_home(layout, same_time, country, nationalities)
    destination = find_destination(layout, gazetteer, sentences)
    agency = find_agency(layout, event.mentions + event.context)
    concealment = find_concealment(layout, sentences)
    for found in (arrests, nationalities, origin, destination, agency, concealment):
        if found and found.evidence:
            evidence.extend(found.evidence)
    fine = place and place.place.kind in ("checkpoint", "place", "district")
    written = next(((s, m) for s in [*event.mentions, *sorted(event.context, key=lambda c: c.start)]
                    for m in layout.language.pattern("place_phrase").finditer(s.text)
                    if not layout.language.pattern("from_place").search(s.text[max(0, m.start() - 25):m.start()])), None)
    location_precision = _POINT_KINDS.get(place.place.kind) if place else ("country" if country else None)
    if written:
        start = written[0].start + written[1].start()
        evidence.append(layout.span(start, start + len(written[1].group(0)), "place"))
        location_precision = "point" if layout.language.pattern("point_place_noun").search(
            written[1].group(0)) else "district"
    background = bool(event.separated and layout.language.pattern("background").search(event.opener.text)) or is_old(
        layout, date_value)
    explicit = layout.language.pattern("seize_words").search(" ".join(s.text for s in event.mentions)) or patterns.is_seizure_told(
        layout.language, event.opener.text)
    found_count = sum(x is not None for x in (date_value, admin1 or country, items[0].substance if items else None))
    confidence = round(min(0.95, 0.45 + (0.2 if explicit else 0) + 0.1 * found_count), 2)
    if not any(i.mass_kg or i.count or i.volume_m3 for i in items):
        confidence = round(min(0.6, confidence - 0.2), 2)  # told without a quantity: easier to misread
    return SeizureEvent(
        id=event_id, doc_id=layout.doc.id, items=items, date=date_value, date_precision=precision,
        date_raw=date_raw, country=country, admin1=admin1,
        place=written[1].group(0) if written else (place.place.name if fine and place else None),
        location_precision=location_precision,
        geonames_id=place.place.geonames_id if place else None,
        lat=place.place.lat if place else None, lon=place.place.lon if place else None,
        arrests=arrests.value if arrests else None, arrests_raw=arrests.raw if arrests else None,
        suspect_nationalities=nationalities.value if nationalities else (),
        origin_country=origin.value if origin else None,
        destination_country=destination.value if destination else None,
        agency=agency.value if agency else None, concealment=concealment.value if concealment else None,
        background=background, confidence=confidence, evidence=tuple(evidence))


def _pick_place(layout: Layout, gazetteer: Gazetteer, event: _Event, previous: SeizureEvent | None,
                previous_paragraph: int | None) -> PlaceMention | None:
    """Where it happened: the haul's own sentences, then its paragraph, then the dateline."""
    def usable(sentence: Sentence, provinces_only: bool) -> list[PlaceMention]:
        out = []
        named = places_in(layout.language, gazetteer, sentence)
        for m in named:
            before = layout.doc.text[max(0, m.start - 25):m.start].lower()
            if m.place.kind == "country" or layout.language.pattern("from_place").search(before) or layout.language.pattern("outside").search(before) or (
                    outside_named_province(layout.language, layout.doc.text, m, named)) or (
                    m.text.isupper() and not layout.doc.text[sentence.start:m.start].strip()) or (
                    not layout.parsed and patterns.is_elsewhere(layout.language, layout.doc.text, m.start, m.end)):
                continue
            if provinces_only and m.place.kind != "admin1":
                continue
            after = layout.doc.text[m.end:m.end + 8]
            # "down the Sekong river": a river named like a province; "on Bangkok's streets": something of
            # a place, not where the haul was (unlike "Chiang Mai's Chiang Dao district").
            if layout.language.pattern("river_after").match(after) or (
                    provinces_only and layout.language.pattern("possessive_after").match(after)):
                continue
            out.append(m)
        return out

    for sentence in event.mentions:
        found = usable(sentence, False)
        if not found and layout.language.pattern("same_province").search(sentence.text) and previous and previous.admin1:
            return _previous_place(gazetteer, previous, sentence)
        same = patterns.previous_province(layout.language, layout, gazetteer, sentence) if not found and (
            not layout.parsed) else None
        if same:
            return same
        if found:
            return min(found, key=lambda m: (
                not layout.parsed and patterns.in_agency_name(layout.language, sentence, m.start, m.end),
                _opens_as_dateline(layout.doc.text, sentence, m),
                not layout.language.pattern("locative").search(layout.doc.text[max(0, m.start - 40):m.start]),
                m.place.kind not in ("checkpoint", "place", "district"), m.start))
    for sentence in sorted(event.context, key=lambda s: s.start):
        found = usable(sentence, True)
        if found:
            return min(found, key=lambda m: (
                not layout.parsed and patterns.in_agency_name(layout.language, sentence, m.start, m.end), m.start))
    if previous and previous.admin1 and (layout.language.pattern("nearby").search(event.opener.text) or (
            not event.separated and previous_paragraph == event.opener.paragraph)):
        return _previous_place(gazetteer, previous, event.opener)
    dateline = layout.dateline
    if dateline is not None and province_of(dateline.place) not in (None, _main_provinces(layout, gazetteer)[1].get(
            dateline.place.country, province_of(dateline.place))):
        return None  # "MANDALAY — ... a record haul in northern Shan State": filed in one province, about another
    return dateline


def _opens_as_dateline(text: str, sentence: Sentence, mention: PlaceMention) -> bool:
    """"กรุงเทพฯ - ...", "Kon Tum: ...": a place that opens its sentence before a dash or colon is where
    the report was filed; a place the sentence names further on is likelier the haul's."""
    return not text[sentence.start:mention.start].strip() and bool(_DATELINE_MARK.match(text, mention.end))


def _previous_place(gazetteer: Gazetteer, previous: SeizureEvent, sentence: Sentence) -> PlaceMention | None:
    """The previous event's province, for a haul told as happening nearby or in the same place."""
    place = gazetteer.province(previous.country or "", previous.admin1 or "")
    return PlaceMention(sentence.start, sentence.end, sentence.text, place) if place else None


def _locative_country(language: Language, sentences: list[Sentence]) -> str | None:
    """A country the sentences place the seizure in ("in Vietnam", "on Cambodian soil", "タイ警察は")."""
    for sentence in sentences:
        if sentence.tokens is None:
            code = patterns.locative_country(language, sentence.text)
            if code:
                return code
            continue
        for c in find_countries(sentence.text):
            before = sentence.text[max(0, c.start - 12):c.start].lower()
            after = sentence.text[c.end:c.end + 14].lower()
            if (not c.adjective and language.pattern("in_before").search(before)) or (
                    c.adjective and language.pattern("soil_after").match(after)):
                return c.code
    return None


def _fill_province(events: list[SeizureEvent], layout: Layout, gazetteer: Gazetteer,
                   separated: list[bool], earlier: list[bool]) -> list[SeizureEvent]:
    """An event with no province of its own takes the one the report is about: the province its body
    names clearly most often ("Bokeo" in a Bokeo round-up), in the event's country. Places the goods came
    from or went to, and places outside another, do not count. An older haul told after the news
    ("Recently, police seized ...") takes it only when the body names it more than once: a province named
    once is the lead haul's own place, not the report's."""
    counts, main = _main_provinces(layout, gazetteer)
    out = []
    # A report whose places all lie in one country is about that country, for a haul with no place of its own.
    only = next(iter(counts)) if len(counts) == 1 else None
    for e, apart, told_earlier in zip(events, separated, earlier):
        home = e.country or (only if not apart and not e.background else None)
        province = main.get(home or "")
        if province and told_earlier and counts[home or ""][province] < 2:
            province = None
        # "In a separate case ...": told apart from the report's own story. A background haul with no place
        # of its own is the report's province only when the body keeps naming it ("Da Nang customs" again).
        if e.admin1 is None and province and not apart and (not e.background or counts[home or ""][province] >= 3):
            e = replace(e, country=home, admin1=province, location_precision=e.location_precision
                        if e.location_precision not in (None, "country") else "province")
        out.append(e)
    return out


def _main_provinces(layout: Layout, gazetteer: Gazetteer) -> tuple[dict[str, dict[str, int]], dict[str, str]]:
    """How often the body names each province, by country, and the province each country's mentions
    clearly favour: places the goods came from, places outside another and "X's" do not count."""
    counts: dict[str, dict[str, int]] = {}
    for sentence in layout.sentences:
        for m in places_in(layout.language, gazetteer, sentence):
            before = layout.doc.text[max(0, m.start - 25):m.start]
            province = province_of(m.place)
            if m.place.kind == "country" or not province or layout.language.pattern("from_place").search(before) or layout.language.pattern("outside").search(before) \
                    or re.match(r"['’]s\b", layout.doc.text[m.end:m.end + 3]):
                continue
            tally = counts.setdefault(m.place.country, {})
            tally[province] = tally.get(province, 0) + 1
    main: dict[str, str] = {}
    for country, tally in counts.items():
        ranked = sorted(tally.items(), key=lambda kv: -kv[1])
        if len(ranked) == 1 or (ranked[0][1] >= 2 and ranked[0][1] >= 2 * ranked[1][1]):
            main[country] = ranked[0][0]
    return counts, main


def _fill_country(events: list[SeizureEvent], layout: Layout) -> list[SeizureEvent]:
    """An event with no country of its own takes the report's main one."""
    known = [e.country for e in events if e.country]
    main = known[0] if known else (layout.dateline.place.country if layout.dateline else None)
    return [replace(e, country=main, location_precision=e.location_precision or "country")
            if e.country is None and main else e for e in events]
