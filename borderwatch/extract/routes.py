"""Where a haul came from and was going, who seized it and how it was hidden, as the report
states it ("shipped from Nigeria", "a Lao licence plate", "into Vietnam", "concealed in bamboo
baskets"). Regions ("the Golden Triangle", "an African country") are not countries.
"""

from __future__ import annotations

import re

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
_INTO = re.compile(r"\b(?:into|bound for|destined for|heading (?:to|for|towards)|headed (?:to|for|towards)|"
                   r"en route to|for export to|for sale in|to be sold in|smuggled to|shipped to|"
                   r"transported to)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}$", re.IGNORECASE)
_GENERAL_ROUTE = re.compile(r"\b(?:is|are|was|were|has been|have been|remains?|bec(?:o|a)me|becoming)\s+(?:[\w-]+\s+){0,3}?"
                            r"(?:transit|route|corridor|conduit|gateway|hub)\b", re.IGNORECASE)
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
        if _is_general_route(sentence.text):
            continue
        for c in find_countries(sentence.text):
            before = sentence.text[max(0, c.start - 40):c.start]
            after = sentence.text[c.end:c.end + 25]
            bought = _BOUGHT.search(before)
            if c.code == country and not bought:
                continue
            if (not c.adjective and (_FROM.search(before) or bought)) or (c.adjective and _ORIGIN_AFTER.match(after)):
                return Found(c.code, c.text, (layout.span(sentence.start + c.start, sentence.start + c.end,
                                                          "origin_country"),))
        for m in places_in(gazetteer, sentence):
            before = layout.doc.text[max(0, m.start - 40):m.start]
            if m.place.kind != "country" and (m.place.country != country and _FROM.search(before)
                                              or _BOUGHT.search(before)):
                return Found(m.place.country, m.text, (layout.span(m.start, m.end, "origin_country"),))
    return None


def _is_general_route(text: str) -> bool:
    """"Laos is a key transit country for drugs made in Myanmar": a route in general, not this haul's."""
    return bool(_GENERAL_ROUTE.search(text)) and not any(is_goods(q) for q in find_quantities(text))


def find_destination(layout: Layout, gazetteer: Gazetteer, sentences: list[Sentence]) -> Found[str] | None:
    """The country the goods were heading into, when the report says so."""
    for sentence in sentences:
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
