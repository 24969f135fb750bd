"""Where a haul came from and was going, who seized it and how it was hidden, as the report
states it ("shipped from Nigeria", "a Lao licence plate", "into Vietnam", "concealed in bamboo
baskets"). Regions ("the Golden Triangle", "an African country") are not countries.
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Token

from borderwatch.extract import patterns
from borderwatch.extract.context import Found, Layout, Sentence, places_in
from borderwatch.extract.items import is_goods
from borderwatch.extract.nlp import subtree
from borderwatch.extract.units import find_quantities
from borderwatch.geo.countries import country_code, find_countries
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.lang import Language


def find_origin(layout: Layout, gazetteer: Gazetteer, sentences: list[Sentence],
                country: str | None) -> Found[str] | None:
    """The country the goods came from, when the report says so."""
    for sentence in sentences:
        if sentence.tokens is None:
            stated = patterns.origin_in(layout.language, layout, gazetteer, sentence, country, _tells_haul(sentence))
            if stated:
                return stated
            continue
        if _is_general_route(layout.language, sentence.text) or is_general_statement(layout.language, sentence):
            continue
        for c in find_countries(sentence.text):
            before = sentence.text[max(0, c.start - 60):c.start]
            after = sentence.text[c.end:c.end + 25]
            bought = layout.language.pattern("bought_in").search(before)
            if c.code == country and not bought:
                continue
            came = layout.language.pattern("origin_from").search(before) and not (layout.language.pattern("person_from").search(before) or layout.language.pattern("facing").search(before)
                                                 or layout.language.pattern("geography").search(before))
            if (not c.adjective and (came or bought or layout.language.pattern("fled_back").search(before))) or (
                    c.adjective and (layout.language.pattern("origin_after").match(after) or (came and layout.language.pattern("side_after").match(after)))):
                return Found(c.code, c.text, (layout.span(sentence.start + c.start, sentence.start + c.end,
                                                          "origin_country"),))
        for m in places_in(layout.language, gazetteer, sentence):
            before = layout.doc.text[max(0, m.start - 40):m.start]
            came = layout.language.pattern("origin_from").search(before) and not (layout.language.pattern("person_from").search(before) or layout.language.pattern("facing").search(before)
                                                 or layout.language.pattern("geography").search(before))
            if m.place.kind != "country" and (m.place.country != country and came or layout.language.pattern("bought_in").search(before)):
                return Found(m.place.country, m.text, (layout.span(m.start, m.end, "origin_country"),))
    return _across_border(layout, sentences, country)


def _across_border(layout: Layout, sentences: list[Sentence], country: str | None) -> Found[str] | None:
    """"The drugs came over the border" near "the border with Myanmar's Shan State": the neighbour named
    as the border's other side, when the goods are said to have crossed it."""
    if country is None or not crossed_border(layout, sentences):
        return None
    for sentence in sentences:
        for c in find_countries(sentence.text):
            before = sentence.text[max(0, c.start - 20):c.start]
            after = sentence.text[c.end:c.end + 12]
            if c.code != country and (layout.language.pattern("border_with_before").search(before)
                                      or layout.language.pattern("border_after").match(after)):
                return Found(c.code, c.text, (layout.span(sentence.start + c.start, sentence.start + c.end,
                                                          "origin_country"),))
    return None


def crossed_border(layout: Layout, sentences: list[Sentence]) -> bool:
    """Do the sentences say this haul came over the border (not goods moved so as a pattern)?"""
    return any(layout.language.pattern("crossed_border").search(s.text) for s in sentences
               if not is_general_statement(layout.language, s))


def courier_home(layout: Layout, sentences: list[Sentence], country: str | None,
                 nationalities: Found[tuple[str, ...]] | None, destination: Found[str] | None) -> Found[str] | None:
    """"A Chinese man was arrested as he tried to bring 4 kg over the border", "a Lao man was arrested after
    he crossed into Cambodia with ice": goods a foreign courier brought over the border, or into the country
    where they were seized, came from his side of it, when the report names no other."""
    if nationalities is None or country is None:
        return None
    foreign = [code for code in nationalities.value if code != country]
    # brought "into Cambodia" by couriers all of one foreign country (not a mixed gang working inside it)
    into = destination is not None and destination.value == country and country_code(destination.raw) == country \
        and len(nationalities.value) == 1
    if len(foreign) != 1 or not (into or crossed_border(layout, sentences)):
        return None
    return Found(foreign[0], nationalities.raw, tuple(
        replace(s, field="origin_country") for s in nationalities.evidence if country_code(s.text) == foreign[0]))


def place_role(layout: Layout, start: int, end: int) -> str:
    """What the words around a place at ``start:end`` make of it for a haul: "from" (where goods came
    from), "to" (where they went), "home" (where people are from) or "at"; the pack's cues where there
    is no parse."""
    text = layout.doc.text
    if not layout.parsed:
        role = patterns.role_of(layout.language, text, start, end)
        if role != "at":
            return "from" if role == "via" else role
        return "home" if patterns.is_elsewhere(layout.language, text, start, end) else "at"
    before = text[max(0, start - 60):start]
    if is_home_of_people(layout.language, before):
        return "home"
    if layout.language.pattern("origin_from").search(before[-40:]):
        return "from"
    return "to" if layout.language.pattern("destination_into").search(before[-40:]) else "at"


def is_home_of_people(language: Language, before: str) -> bool:
    """Does the text before a place end in "<people> from" ("prosecutors from Laos and Cambodia")?"""
    return bool(language.pattern("person_from").search(before[-60:]))


def is_general_statement(language: Language, sentence: Sentence) -> bool:
    """"Drugs were mainly transported from Laos", "Siamese rosewood is smuggled out of Cambodia": goods moved
    as a pattern (a habit adverb, or goods named in general, with no determiner and no quantity), not the
    movement of one haul ("the shipment was brought from Myanmar", "heroin smuggled by the suspects")."""
    if sentence.tokens is None or any(is_goods(q) for q in find_quantities(sentence.text)):
        return False
    for verb in sentence.tokens:
        if verb.lemma_.lower() not in language.words("moves") or verb.pos_ != "VERB" or any(
                c.dep_ == "agent" for c in verb.children):
            continue
        if any(c.dep_ == "advmod" and c.lower_ in language.words("habitual") for c in verb.children):
            return True
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None or subject.pos_ in ("PRON", "PROPN") or not _ongoing(language, verb):
            continue
        if subject.lower_ in language.words("general_subjects") or not any(
                c.dep_ in ("det", "poss", "nummod", "acl", "relcl") for c in subject.children):
            return True
    return False


def _ongoing(language: Language, verb: Token) -> bool:
    """Is a verb in the present or progressive ("is smuggled", "come", "were being smuggled"), the tenses of a
    pattern rather than of one trip ("heroin was smuggled from Laos")?"""
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if verb.tag_ == "VB" and not auxiliaries:
        return True  # the parser's tag for a present plural in a relative clause ("where shipments enter")
    return verb.tag_ in ("VBZ", "VBP", "VBG") or any(
        a.tag_ in ("VBZ", "VBP") or a.lower_ in language.words("progressive_auxiliaries") for a in auxiliaries)


def _tells_haul(sentence: Sentence) -> bool:
    return any(is_goods(q) for q in find_quantities(sentence.text))


def _is_general_route(language: Language, text: str) -> bool:
    """"Laos is a key transit country for drugs made in Myanmar": a route in general, not this haul's."""
    return bool(language.pattern("general_route").search(text)) and not any(is_goods(q) for q in find_quantities(text))


def find_destination(layout: Layout, gazetteer: Gazetteer, sentences: list[Sentence]) -> Found[str] | None:
    """The country the goods were heading into, when the report says so."""
    for sentence in sentences:
        if sentence.tokens is None:
            stated = patterns.destination_in(layout.language, layout, gazetteer, sentence, _tells_haul(sentence))
            if stated:
                return stated
            continue
        for c in find_countries(sentence.text):
            before = sentence.text[max(0, c.start - 40):c.start]
            if not c.adjective and layout.language.pattern("destination_into").search(before):
                return Found(c.code, c.text, (layout.span(sentence.start + c.start, sentence.start + c.end,
                                                          "destination_country"),))
        for m in places_in(layout.language, gazetteer, sentence):
            before = layout.doc.text[max(0, m.start - 40):m.start]
            if m.place.kind != "country" and layout.language.pattern("destination_into").search(before):
                return Found(m.place.country, m.text, (layout.span(m.start, m.end, "destination_country"),))
    return None


def find_agency(layout: Layout, sentences: list[Sentence]) -> Found[str] | None:
    """Who made the seizure, as written: the subject of the seizure verb when it names a force."""
    for sentence in sentences:
        if sentence.tokens is None:
            named = layout.language.cue("agency").search(sentence.text)
            if named:  # no parse: the first force the pack's agency pattern names
                start, end = sentence.start + named.start(), sentence.start + named.end()
                return Found(named.group(0), named.group(0), (layout.span(start, end, "agency"),))
            continue
        not_agency = tuple(sorted(layout.language.words("not_agency_openings")))
        for token in sentence.tokens:
            if not token.dep_.startswith("nsubj") or token.dep_ == "nsubjpass":
                continue
            if token.head.pos_ not in ("VERB", "AUX"):
                continue
            words = subtree(token)
            start, end = words[0].idx, words[-1].idx + len(words[-1].text)
            text = layout.doc.text[start:end]
            if layout.language.pattern("agency_words").search(text) and len(words) <= 12 and not text.lower().startswith(not_agency):
                text = re.split(r",\s|\s\(", text)[0]
                return Found(text, text, (layout.span(start, start + len(text), "agency"),))
    return None


def find_concealment(layout: Layout, sentences: list[Sentence]) -> Found[str] | None:
    """How the goods were hidden ("concealed in bamboo baskets"), when stated."""
    for sentence in sentences:
        m = layout.language.pattern("concealed").search(sentence.text)
        if m:
            start, end = sentence.start + m.start(), sentence.start + m.end()
            return Found(m.group(0).strip(), m.group(0), (layout.span(start, end, "concealment"),))
    return None
