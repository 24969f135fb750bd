"""Stated trafficking flows: a direction of trade between two countries that somebody asserts.

A flow is a route or pattern ("smuggled from Laos into Cambodia", "Laos has been a busy route
for trafficking to Thailand, Vietnam and Cambodia"), not one shipment's path: sentences that
state a quantity describe a seizure, and their routes belong on the event. Regions and
continents are not countries, so "from the Golden Triangle" or "from Africa" make no flow.
"""

from __future__ import annotations

import re
from collections import Counter

from spacy.tokens import Doc
from spacy.tokens import Span as SentenceSpan

from borderwatch.errors import Rejected
from borderwatch.geo.countries import CountryMention, find_countries
from borderwatch.model import Commodity, Document, Flow, Quote, Span

# Words that make a sentence about moving goods across borders.
_MOVEMENT = re.compile(
    r"\b(smuggl\w*|traffick\w*|brought|bring\w*|carr(?:y|ied|ies|ying)|ship(?:ped|ping|s)?|transport\w*|"
    r"mov(?:e|ed|es|ing)|sen[dt]|flow\w*|influx|enter\w*|cross\w*|import\w*|route|transit|"
    r"corridor|conduit|gateway|destined|heading|head(?:ed|s)?|taken|pass(?:es|ed|ing)?\s+through|"
    r"funnel\w*|channel(?:l?ed|l?ing|s))\b", re.IGNORECASE)
# A stated quantity marks one shipment ("903 grams ... from Laos"): its route is the event's.
_QUANTITY = re.compile(
    r"\b(\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|dozens|hundreds|thousands)\s+"
    r"(?:\w+\s+){0,2}(tonnes?|tons?|kilo\w*|kg|grams?|g|pills|tablets|packages|pieces|logs|cubic|m3|"
    r"sacks|bags|blocks|bottles|litres?|liters?|heads)\b", re.IGNORECASE)
_COMMODITIES: tuple[tuple[Commodity, re.Pattern[str]], ...] = (
    ("drugs", re.compile(r"\b(drugs?|narcotics?|meth\w*|heroin|opium|yaba|ice|ketamine|cannabis|"
                         r"marijuana|ecstasy|cocaine|amphetamines?|pills|precursors?)\b", re.IGNORECASE)),
    ("timber", re.compile(r"\b(wood|timber|rosewood|logs?|logging|lumber|sawn|planks?)\b", re.IGNORECASE)),
    ("wildlife", re.compile(r"\b(pangolins?|ivory|wildlife|rhino|tigers?|elephants?|turtles?|"
                            r"bears?|scales)\b", re.IGNORECASE)),
)
_GAP = r"[^.;:\n]{0,60}?"
_LIST_SEPARATOR = re.compile(r"^(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$")
_DESTINATION_WORD = r"(?:(?:in)?to|towards?|for|across\s+to)"
# "through Laos to Thailand", "via Laos into Vietnam": the transit country is where the leg starts.
_TRANSIT_BEFORE = re.compile(r"\b(?:through|via)\s+(?:neighbou?ring\s+)?$", re.IGNORECASE)
_MADE_IN = re.compile(r"\b(?:made|produced|manufactured|grown|originating|sourced)\s+in\s+(?:the\s+)?$|\bfrom\s+$",
                      re.IGNORECASE)


def extract_flows(doc: Document, parsed: Doc, quotes: list[Quote]) -> list[Flow]:
    """Trafficking directions asserted in the document, one per (origin, destination, commodity)."""
    if parsed.text != doc.text:
        raise Rejected("parse mismatch", "extract.flows", doc.source,
                       "the parsed text is not the document text")
    home = _home_countries(doc)
    flows: list[Flow] = []
    seen: set[tuple[str, str, str]] = set()
    for sentence in parsed.sents:
        if doc.is_furniture(sentence.start_char, sentence.end_char):
            continue
        for origin, destinations, span in _directions(doc, sentence, home):
            commodity = _commodity(sentence.text) or _commodity(_paragraph(doc.text, sentence.start_char))
            if commodity is None:
                continue
            for destination in destinations:
                key = (origin, destination, commodity)
                if origin == destination or key in seen:
                    continue
                seen.add(key)
                evidence = (Span(doc.id, span[0], span[1], doc.text[span[0]:span[1]], "route"),)
                flows.append(Flow(
                    id=f"{doc.id}#f{len(flows) + 1}", doc_id=doc.id, origin=origin,
                    destination=destination, commodity=commodity,
                    asserted_by=_asserted_by(quotes, span[0], span[1]), confidence=0.6,
                    evidence=evidence,
                ))
    return flows


def _directions(doc: Document, sentence: SentenceSpan,
                home: list[str]) -> list[tuple[str, list[str], tuple[int, int]]]:
    """(origin, destinations, evidence span) for each direction the sentence states."""
    text = sentence.text
    if not _MOVEMENT.search(text) or _QUANTITY.search(text):
        return []
    offset = sentence.start_char
    countries = [c for c in find_countries(text) if not _in_compound(text, c)]
    out: list[tuple[str, list[str], tuple[int, int]]] = []
    for index, mention in enumerate(countries):
        before = text[:mention.start]
        if re.search(r"\bfrom\s+(?:neighbou?ring\s+|northern\s+|southern\s+)?$", before, re.IGNORECASE):
            destinations = _destinations_after(text, countries, index)
            if not destinations:
                destinations = [code for code in home if code != mention.code][:1]
                if not destinations:
                    continue
            out.append((mention.code, destinations, _evidence(sentence, offset, mention.start)))
        elif not mention.adjective and _TRANSIT_BEFORE.search(before):
            destinations = _destinations_after(text, countries, index) or _entered_before(text, countries, index)
            if destinations:
                out.append((mention.code, destinations, _evidence(sentence, offset, mention.start)))
        elif not mention.adjective and _is_route_subject(text, countries, index):
            destinations = _destinations_after(text, countries, index)
            if destinations:
                out.append((mention.code, destinations, _evidence(sentence, offset, mention.start)))
            for source in _made_in_after(text, countries, index):
                out.append((source, [mention.code], _evidence(sentence, offset, mention.start)))
    return out


def _entered_before(text: str, countries: list[CountryMention], index: int) -> list[str]:
    """"enter Cambodia through Laos": the country entered, named just before the transit one."""
    if index == 0:
        return []
    entered = countries[index - 1]
    between = text[entered.end:countries[index].start]
    if entered.adjective or not re.match(r"^\s+(?:[\w'’-]+\s+){0,3}?(?:through|via)\s+", between, re.IGNORECASE):
        return []
    lead = text[:entered.start]
    return [entered.code] if re.search(r"\b(?:enter\w*|into|to|reach\w*)\s+(?:the\s+)?$", lead, re.IGNORECASE) else []


def _made_in_after(text: str, countries: list[CountryMention], index: int) -> list[str]:
    """"Laos is a transit country for drugs made in Myanmar": where the goods passing through come from."""
    return [c.code for c in countries[index + 1:]
            if _MADE_IN.search(text[max(countries[index].end, c.start - 30):c.start])]


def _in_compound(text: str, mention: CountryMention) -> bool:
    """"Cambodia-Vietnam border" names a border, not a direction."""
    return text[mention.end:mention.end + 1] == "-" or text[mention.start - 1:mention.start] == "-"


def _destinations_after(text: str, countries: list[CountryMention], index: int) -> list[str]:
    """Countries after ``countries[index]`` introduced by "to"/"into"/"for", with their list."""
    out: list[str] = []
    for j in range(index + 1, len(countries)):
        mention = countries[j]
        between = text[countries[j - 1].end:mention.start]
        if out:
            if _LIST_SEPARATOR.match(between):
                out.append(mention.code)
                continue
            break
        gap = text[countries[index].end:mention.start]
        if re.search(rf"\b{_DESTINATION_WORD}\s+(?:the\s+)?(?:\w+\s+)?$", gap, re.IGNORECASE) and \
                not re.search(r"[.;]", gap) and len(gap) < 120 and not mention.adjective:
            out.append(mention.code)
    return out


def _is_route_subject(text: str, countries: list[CountryMention], index: int) -> bool:
    """"Laos has been a busy route for ... to Thailand": the country is the route itself."""
    mention = countries[index]
    rest = text[mention.end:]
    following = re.match(rf"{_GAP}\b(?:route|transit|corridor|conduit|gateway)\b", rest, re.IGNORECASE)
    return following is not None and not any(c.start < mention.end + following.end()
                                             for c in countries[index + 1:])


def _evidence(sentence: SentenceSpan, offset: int, position: int) -> tuple[int, int]:
    """The line of the sentence that holds the origin: headlines and bylines stay out."""
    text = sentence.text
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    end = len(text) if end < 0 else end
    line = text[start:end]
    lead = len(line) - len(line.lstrip())
    return offset + start + lead, offset + start + len(line.rstrip())


def _commodity(text: str) -> Commodity | None:
    """The commodity the words name, most mentions first; None when none is named."""
    counts = Counter({name: len(pattern.findall(text)) for name, pattern in _COMMODITIES})
    name, hits = counts.most_common(1)[0]
    return name if hits else None


def _paragraph(text: str, position: int) -> str:
    start = text.rfind("\n\n", 0, position)
    end = text.find("\n\n", position)
    return text[max(start, 0):end if end >= 0 else len(text)]


def _home_countries(doc: Document) -> list[str]:
    """Countries the report is about, most mentioned first: where an unstated destination lies."""
    counts = Counter(m.code for m in find_countries(doc.text)
                     if not doc.is_furniture(m.start, m.end))
    return [code for code, _ in counts.most_common()]


def _asserted_by(quotes: list[Quote], start: int, end: int) -> str | None:
    """The speaker of the quote whose words hold the route; None when the reporter states it."""
    for quote in quotes:
        for span in quote.evidence:
            if span.field == "text" and span.start < end and start < span.end:
                return quote.speaker
    return None
