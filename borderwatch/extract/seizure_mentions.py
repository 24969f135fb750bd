"""Seizure mentions: the goods a sentence states as seized, or why its quantities are no seizure."""

from __future__ import annotations

from spacy.tokens import Token

from borderwatch.extract import patterns
from borderwatch.extract.context import Layout, Sentence, header_sentence, sentence_substances
from borderwatch.extract.items import ItemDraft, count_bare_pills, is_goods, read_items
from borderwatch.extract.stat_sentences import is_destruction, running_total
from borderwatch.extract.units import Quantity, find_quantities
from borderwatch.lang import Language
from borderwatch.model import Rejection


def read_mentions(layout: Layout, sentence: Sentence, statistic: set[int], found_elsewhere: bool = False
                  ) -> tuple[list[ItemDraft], list[Rejection]]:
    """The items a body sentence states as seized, or why its quantities are not a seizure. With
    ``found_elsewhere`` (a headline over a body that tells the find) goods need no seizure word of their own."""
    quantities = count_bare_pills(layout, sentence, find_quantities(sentence.text, layout.language.decimal_comma))
    running = running_total(layout, sentence)
    if running is not None:  # "..., bringing the total seized this year to 15 million pills": read by stats
        quantities = [q for q in quantities if sentence.start + q.start < running.start]
    sums = [q for q in quantities if is_goods(q) and patterns.is_day_total(layout.language, sentence.text, q)]
    goods = [q for q in quantities if is_goods(q) and q not in sums and (
        layout.parsed or not patterns.is_place_count(layout.language, sentence.text, q))]
    rejected = [reject(layout, sentence.start + q.start, sentence.start + q.end, "not-goods",
                       f"{q.raw!r} is {q.kind} ({q.unit}), not seized goods")
                for q in quantities if q.kind in ("money", "area") or (
                    q.kind == "count" and q.unit in ("vehicles", "phones", "weapons"))]
    rejected += [reject(layout, sentence.start + q.start, sentence.start + q.end, "duplicate-mention",
                        f"{q.raw!r} sums the day's hauls the report tells one by one") for q in sums]
    if not goods:
        return [], rejected
    first, last = sentence.start + goods[0].start, sentence.start + goods[-1].end
    if sentence.start in statistic:
        return [], [*rejected, reject(layout, first, last, "aggregate", "a cumulative total, read by stats")]
    if layout.language.pattern("seizures_level").search(sentence.text):
        # "Ketamine seizures in the region rose to 27.4 tons": the level of all seizures, not one haul
        return [], [*rejected, reject(layout, first, last, "aggregate", "the level of many seizures, not one")]
    if layout.language.pattern("summary").search(sentence.text) or (
            not layout.parsed and layout.language.cue("summary").search(sentence.text)  # the pack's own wording
            and _hauls_told_apart(layout, sentence)):
        return [], [*rejected, reject(layout, first, last, "duplicate-mention",
                                      "a sum of hauls the report tells one by one")]
    if is_destruction(layout.language, sentence.text) or (not layout.parsed and patterns.is_destruction(layout.language, sentence.text)):
        return [], [*rejected, reject(layout, first, last, "destruction",
                                      "goods seized earlier being destroyed, not a new seizure")]
    status = _status(layout.language, sentence, goods)
    if status != "fact" and not (found_elsewhere and status == "no-seizure"):
        message = {"hypothetical": "a threshold, plan or possibility, not a seizure",
                   "traded": "goods the suspects had moved before, not seized",
                   "court-case": "a court ruling on goods, not a report of their seizure",
                   "no-seizure": "no seizure verb governs this quantity"}[status]
        return [], [*rejected, reject(layout, first, last, status, message)]
    drafts = read_items(layout, sentence, goods)
    hiding = [d for d in drafts if _hides_goods(layout, sentence, d)]
    rejected += [reject(layout, span.start, span.end, "not-goods", f"{span.text!r} hid the goods, it is not goods")
                 for d in hiding for span in d.evidence if span.field in _AMOUNT_FIELDS]
    return [d for d in drafts if d not in hiding], rejected


_AMOUNT_FIELDS = ("mass_kg", "count", "volume_m3")


def _hides_goods(layout: Layout, sentence: Sentence, draft: ItemDraft) -> bool:
    """"three pieces of animal skin weighing 12 kilograms that had been used to hide the horns": what the goods
    were hidden in, told right after its amount, is no item of the haul."""
    ends = [span.end for span in draft.evidence if span.field in _AMOUNT_FIELDS]
    return bool(ends) and bool(layout.language.pattern("concealing_after").match(
        layout.doc.text[max(ends):min(sentence.end, max(ends) + 80)]))


def _hauls_told_apart(layout: Layout, sentence: Sentence) -> bool:
    """Does the report tell hauls with amounts of their own beside a sentence that sums them, in its headline
    or another paragraph (else the sum, "searching 5 places, police seized 446 bricks", is its one haul)?"""
    return any(s.paragraph != sentence.paragraph and any(
        is_goods(q) for q in find_quantities(s.text, layout.language.decimal_comma))
        for s in [*layout.sentences, *map(header_sentence, layout.header)])


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
            if _traded_before(language, node):
                return "traded"
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


def _traded_before(language: Language, verb: Token) -> bool:
    """"a ring, which had managed to move 48.8 kg of heroin from Laos": a trade verb in the active past
    perfect (itself or the verb it completes) tells goods moved before, which nobody seized."""
    if verb.lemma_.lower() not in language.words("trade_verbs") or not verb.tag_.startswith("VB"):
        return False
    clause = verb.head if verb.dep_ == "xcomp" else verb
    return clause.tag_ == "VBN" and not any(t.dep_ == "auxpass" for t in verb.children) and any(
        t.dep_ == "aux" and t.tag_ == "VBD" for t in clause.children)


def _takes_in(language: Language, token: Token) -> bool:
    """"the authorities took in 106,000 pills", "soldiers took away 156,200 pills": a phrasal seizure verb."""
    return token.lemma_.lower() in language.words("take_in_verbs") and any(
        c.dep_ in ("prt", "advmod") and c.lower_ in language.words("take_in_particles") for c in token.children)


def read_bare(layout: Layout, sentence: Sentence, statistic: set[int]) -> list[ItemDraft]:
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


def reject(layout: Layout, start: int, end: int, reason: str, message: str) -> Rejection:
    """A candidate quantity set aside by the extract stage, with the reason and its span as evidence."""
    return Rejection(source=layout.doc.id, stage="extract", reason=reason, message=message,
                     evidence=(layout.span(start, end, "quantity"),))
