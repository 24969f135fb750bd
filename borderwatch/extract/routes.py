"""Where a haul came from and was going, who seized it and how it was hidden, as the report
states it ("shipped from Nigeria", "a Lao licence plate", "into Vietnam", "concealed in bamboo
baskets"). Regions ("the Golden Triangle", "an African country") are not countries.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from borderwatch.extract import patterns
from borderwatch.extract.context import Found, Layout, Sentence, places_in
from borderwatch.extract.items import is_goods
from borderwatch.extract.units import find_quantities
from borderwatch.geo.countries import find_countries
from borderwatch.geo.gazetteer import Gazetteer

_FROM = re.compile(r"\b(?:from|out of|across from|over from|bought (?:\w+ ){0,3}in|sourced in|"
                   r"originat\w+ in|produced in)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}$", re.IGNORECASE)
_BOUGHT = re.compile(r"\b(?:bought|purchased|sourced|obtained|produced|made|grown|cut|felled|logged)\s+"
                     r"(?:\w+\s+){0,3}?(?:in|at|inside)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}$", re.IGNORECASE)
_ORIGIN_AFTER = re.compile(r"^[\s-]*(?:-?plated|licen[cs]e plates?|number plates?|registration|registered|"
                           r"shipment|consignment|cargo|container|origin|-made|made)\b", re.IGNORECASE)
# "coming down the river from the Lao side": a country named by its side of the border.
_SIDE_AFTER = re.compile(r"^\s+(?:side|bank|shore|territory)\b", re.IGNORECASE)
# "where the river crosses from Laos into Cambodia": the lie of the land, not the goods' journey.
_GEOGRAPHY = re.compile(r"\b(?:river|road|highway|border|stream|trail|railway|Mekong|range)\s+(?:\w+\s+){0,2}?"
                        r"(?:cross(?:es)?|runs?|flows?|winds?|stretch(?:es)?|pass(?:es)?|enters?|leads?)\s+"
                        r"(?:\w+\s+)?from\s+(?:the\s+)?$", re.IGNORECASE)
_INTO = re.compile(r"\b(?:into|bound for|destined for|heading (?:to|for|towards)|headed (?:to|for|towards)|"
                   r"en route to|for export to|for sale in|to be sold in|smuggled to|shipped to|"
                   r"transported to)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}$", re.IGNORECASE)
_GENERAL_ROUTE = re.compile(r"\b(?:is|are|was|were|has been|have been|remain(?:s|ed)?|bec(?:o|a)me|becoming|serves?|"
                            r"served)\s+(?:[\w-]+\s+){0,4}?(?:(?<!\bin\s)transit|route|corridor|conduit|gateway|hub|"
                            r"source)\b",
                            re.IGNORECASE)
# Verbs that move goods, and the adverbs that make such a movement a habit rather than one trip.
_MOVES = frozenset(["smuggle", "traffic", "transport", "ship", "move", "bring", "carry", "send", "route", "funnel",
                    "channel", "come", "flow", "enter", "cross", "take", "export", "import", "supply", "pass",
                    "truck", "ferry", "fly", "float", "sneak", "haul"])
_HABITUAL = frozenset(["mainly", "mostly", "usually", "often", "increasingly", "typically", "generally", "commonly",
                       "regularly", "largely", "frequently", "routinely", "normally", "traditionally"])
# People's home towns ("two Thai men from Sakon Nakhon", "both from China's Yunnan province") are not where
# goods came from; a traveller's departure ("a passenger arriving from Mozambique") is.
_PERSON_FROM = re.compile(r"\b(?:m[ae]n|wom[ae]n|suspects?|citizens?|nationals?|drivers?|residents?|people|persons?|"
                          r"couple|farmers?|villagers?|traders?|workers?|officials?|officers?|prosecutors?|delegates?|"
                          r"delegations?|representatives?|ministers?|experts?|judges?|couriers?|smugglers?|"
                          r"traffickers?|dealers?|labou?rers?|students?|tourists?|businessm[ae]n|rangers?|soldiers?|"
                          r"police|policemen|guards?|troops|forces|agents?|investigators?|teams?|units?)\b[,\s]{1,3}(?:(?:both|all|each)\s+|"
                          r"who\s+(?:are|were|is|was)\s+)?from\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}$", re.IGNORECASE)
# "the smugglers fled back across the river to Laos": where they, and the goods, had come from.
_FLED_BACK = re.compile(r"\b(?:fled|escaped|ran|swam|retreated|returned|went|headed)\s+back\s+(?:across\s+(?:the\s+)?"
                        r"(?:[\w'’-]+\s+){0,2})?(?:to|into|towards?)\s+(?:the\s+)?$", re.IGNORECASE)
# ", across the Mekong from Chiang Saen": where a place lies, not where goods came from.
_FACING = re.compile(r",\s*(?:just\s+|directly\s+|right\s+)?(?:across|opposite)\b[^,;]{0,30}\bfrom\s+$", re.IGNORECASE)
_CROSSED_BORDER = re.compile(r"\b(?:came|come|comes|brought|carried|smuggled|moved|taken|walked)\b[^.;]{0,20}?"
                             r"\b(?:over|across)\s+the\s+border\b|\bcrossed\s+the\s+border\b", re.IGNORECASE)
_AGENCY_WORDS = re.compile(
    r"\b(?:police|guards?|officers?|officials?|authorities|customs|forces?|military|army|soldiers|rangers|"
    r"department|unit|administration|committee|agency|bureau|inspectorate|gendarmerie|troops|"
    r"anti-drug|anti-narcotics?|task force)\b", re.IGNORECASE)
_CONCEALED = re.compile(
    r"\b(?:concealed|hidden|hid|tucked|stuffed|packed|stashed|disguised|camouflaged|buried|mixed)\s+"
    r"(?P<how>(?:in|inside|into|under|beneath|among|amongst|within|behind|as)\s+"
    r"(?:(?!\s(?:and|while|before|after|when|but|which|that)\s)[^,.;:\"“”])+)", re.IGNORECASE)


def find_origin(layout: Layout, gazetteer: Gazetteer, sentences: list[Sentence],
                country: str | None) -> Found[str] | None:
    """The country the goods came from, when the report says so."""
    for sentence in sentences:
        if sentence.tokens is None:
            stated = patterns.origin_in(layout.language, layout, gazetteer, sentence, country, _tells_haul(sentence))
            if stated:
                return stated
            continue
        if _is_general_route(sentence.text) or is_general_statement(sentence):
            continue
        for c in find_countries(sentence.text):
            before = sentence.text[max(0, c.start - 40):c.start]
            after = sentence.text[c.end:c.end + 25]
            bought = _BOUGHT.search(before)
            if c.code == country and not bought:
                continue
            came = _FROM.search(before) and not (_PERSON_FROM.search(before) or _FACING.search(before)
                                                 or _GEOGRAPHY.search(before))
            if (not c.adjective and (came or bought or _FLED_BACK.search(before))) or (
                    c.adjective and (_ORIGIN_AFTER.match(after) or (came and _SIDE_AFTER.match(after)))):
                return Found(c.code, c.text, (layout.span(sentence.start + c.start, sentence.start + c.end,
                                                          "origin_country"),))
        for m in places_in(gazetteer, sentence):
            before = layout.doc.text[max(0, m.start - 40):m.start]
            came = _FROM.search(before) and not (_PERSON_FROM.search(before) or _FACING.search(before)
                                                 or _GEOGRAPHY.search(before))
            if m.place.kind != "country" and (m.place.country != country and came or _BOUGHT.search(before)):
                return Found(m.place.country, m.text, (layout.span(m.start, m.end, "origin_country"),))
    return _across_border(layout, sentences, country)


def _across_border(layout: Layout, sentences: list[Sentence], country: str | None) -> Found[str] | None:
    """"The drugs came over the border" near "the border with Myanmar's Shan State": the neighbour named
    as the border's other side, when the goods are said to have crossed it."""
    if country is None or not any(_CROSSED_BORDER.search(s.text) for s in sentences if not is_general_statement(s)):
        return None
    for sentence in sentences:
        for c in find_countries(sentence.text):
            before = sentence.text[max(0, c.start - 20):c.start]
            after = sentence.text[c.end:c.end + 12]
            if c.code != country and (re.search(r"\bborder\s+with\s+(?:the\s+)?$", before, re.IGNORECASE)
                                      or re.match(r"\s+border\b", after, re.IGNORECASE)):
                return Found(c.code, c.text, (layout.span(sentence.start + c.start, sentence.start + c.end,
                                                          "origin_country"),))
    return None


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
    if is_home_of_people(before):
        return "home"
    if _FROM.search(before[-40:]):
        return "from"
    return "to" if _INTO.search(before[-40:]) else "at"


def is_home_of_people(before: str) -> bool:
    """Does the text before a place end in "<people> from" ("prosecutors from Laos and Cambodia")?"""
    return bool(_PERSON_FROM.search(before[-60:]))


def is_general_statement(sentence: Sentence) -> bool:
    """"Drugs were mainly transported from Laos", "Siamese rosewood is smuggled out of Cambodia": goods moved
    as a pattern (a habit adverb, or goods named in general, with no determiner and no quantity), not the
    movement of one haul ("the shipment was brought from Myanmar", "heroin smuggled by the suspects")."""
    if sentence.tokens is None or any(is_goods(q) for q in find_quantities(sentence.text)):
        return False
    for verb in sentence.tokens:
        if verb.lemma_.lower() not in _MOVES or verb.pos_ != "VERB" or any(
                c.dep_ == "agent" for c in verb.children):
            continue
        if any(c.dep_ == "advmod" and c.lower_ in _HABITUAL for c in verb.children):
            return True
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None or subject.pos_ in ("PRON", "PROPN") or not _ongoing(verb):
            continue
        if subject.lower_ in ("most", "much", "some", "part", "all") or not any(
                c.dep_ in ("det", "poss", "nummod", "acl", "relcl") for c in subject.children):
            return True
    return False


def _ongoing(verb: Token) -> bool:
    """Is a verb in the present or progressive ("is smuggled", "come", "were being smuggled"), the tenses of a
    pattern rather than of one trip ("heroin was smuggled from Laos")?"""
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if verb.tag_ == "VB" and not auxiliaries:
        return True  # the parser's tag for a present plural in a relative clause ("where shipments enter")
    return verb.tag_ in ("VBZ", "VBP", "VBG") or any(
        a.tag_ in ("VBZ", "VBP") or a.lower_ == "being" for a in auxiliaries)


def _tells_haul(sentence: Sentence) -> bool:
    return any(is_goods(q) for q in find_quantities(sentence.text))


def _is_general_route(text: str) -> bool:
    """"Laos is a key transit country for drugs made in Myanmar": a route in general, not this haul's."""
    return bool(_GENERAL_ROUTE.search(text)) and not any(is_goods(q) for q in find_quantities(text))


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
            if not c.adjective and _INTO.search(before):
                return Found(c.code, c.text, (layout.span(sentence.start + c.start, sentence.start + c.end,
                                                          "destination_country"),))
        for m in places_in(gazetteer, sentence):
            before = layout.doc.text[max(0, m.start - 40):m.start]
            if m.place.kind != "country" and _INTO.search(before):
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
        for token in sentence.tokens:
            if not token.dep_.startswith("nsubj") or token.dep_ == "nsubjpass":
                continue
            if token.head.pos_ not in ("VERB", "AUX"):
                continue
            words = list(token.subtree)
            start, end = words[0].idx, words[-1].idx + len(words[-1].text)
            text = layout.doc.text[start:end]
            if _AGENCY_WORDS.search(text) and len(words) <= 12 and not text.lower().startswith(("the suspect", "he ", "she ")):
                text = re.split(r",\s|\s\(", text)[0]
                return Found(text, text, (layout.span(start, start + len(text), "agency"),))
    return None


def find_concealment(layout: Layout, sentences: list[Sentence]) -> Found[str] | None:
    """How the goods were hidden ("concealed in bamboo baskets"), when stated."""
    for sentence in sentences:
        m = _CONCEALED.search(sentence.text)
        if m:
            start, end = sentence.start + m.start(), sentence.start + m.end()
            return Found(m.group(0).strip(), m.group(0), (layout.span(start, end, "concealment"),))
    return None
