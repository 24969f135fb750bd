"""Stated trafficking flows: a direction of trade between two countries that somebody asserts.

A flow is a route or pattern ("smuggled from Laos into Cambodia", "Laos has been a busy route
for trafficking to Thailand, Vietnam and Cambodia"), not one shipment's path: sentences that
state a quantity describe a seizure, and their routes belong on the event. Regions and
continents are not countries, so "from the Golden Triangle" or "from Africa" make no flow.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SentenceSpan

from borderwatch.errors import Rejected
from borderwatch.extract import claims
from borderwatch.extract.routes import is_home_of_people
from borderwatch.geo.countries import CountryMention, find_countries
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.lang import Language, language_for
from borderwatch.model import Commodity, Document, Flow, Quote, Span


def extract_flows(doc: Document, parsed: Doc | None, quotes: list[Quote]) -> list[Flow]:
    """Trafficking directions asserted in the document, one per (origin, destination, commodity)."""
    if parsed is not None and parsed.text != doc.text:
        raise Rejected("parse mismatch", "extract.flows", doc.source,
                       "the parsed text is not the document text")
    spoken = [(s.start, s.end) for q in quotes for s in q.evidence if s.field == "text"]
    stated = claims.flow_directions(language_for(doc.language), doc, Gazetteer.load()) if parsed is None else _stated(
        doc, parsed, spoken)
    flows: list[Flow] = []
    seen: set[tuple[str, str, str]] = set()
    for origin, destinations, span, commodity in stated:
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


def _stated(doc: Document, parsed: Doc, spoken: list[tuple[int, int]]) -> list[tuple[str, list[str], tuple[int, int], Commodity]]:
    """(origin, destinations, evidence span, commodity) for each direction an English sentence states;
    ``spoken`` holds the spans of quoted and reported words."""
    language = language_for(doc.language)
    home = _home_countries(doc)
    reporting = _reporting_country(doc)
    out: list[tuple[str, list[str], tuple[int, int], Commodity]] = []
    for sentence in parsed.sents:
        if doc.is_furniture(sentence.start_char, sentence.end_char):
            continue
        earlier = out[-1][1][-1] if out and claims.paragraph_at(doc.text, out[-1][2][0]) == claims.paragraph_at(
            doc.text, sentence.start_char) else None
        told = any(start < sentence.end_char and sentence.start_char < end for start, end in spoken) or any(
            t.lemma_.lower() in language.words("speech_verbs") and t.pos_ == "VERB" for t in sentence)
        for origin, destinations, span in _directions(language, doc, sentence, home, reporting, earlier, told):
            commodity = _commodity(language, sentence.text) or _commodity(language, claims.paragraph_at(doc.text, sentence.start_char))
            if commodity is not None:
                out.append((origin, destinations, span, commodity))
    return out


def _directions(language: Language, doc: Document, sentence: SentenceSpan, home: list[str], reporting: str | None,
                earlier: str | None, told: bool) -> list[tuple[str, list[str], tuple[int, int]]]:
    """(origin, destinations, evidence span) for each direction the sentence states; ``earlier`` is the
    destination of the direction told just before ("... smuggled on to China" continues from there).
    A haul's journey that somebody recounts (``told``: a speech verb, quoted or reported words) stays
    on its event; the outlet's own "the drugs were smuggled from Myanmar through Laos" states the route."""
    text = sentence.text
    offset = sentence.start_char
    countries = _mentions(text)
    traded = _traded(language, sentence, countries, offset)
    if traded:
        return traded
    if not language.pattern("movement_words").search(text) or language.pattern("shipment_quantity").search(text) or (
            told and _one_shipment(language, sentence)) or _one_journey(language, sentence):
        return []
    sources = {j for index in range(len(countries)) if _is_route_subject(language, text, countries, index)
               for j in _made_in_after(language, text, countries, index)}
    out: list[tuple[str, list[str], tuple[int, int]]] = []
    origins: list[int] = []
    transits: list[int] = []
    for index, mention in enumerate(countries):
        before = text[:mention.start]
        evidence = _evidence(sentence, offset, mention.start)
        in_list = index > 0 and bool(language.pattern("list_separator").match(text[countries[index - 1].end:mention.start]))
        listed = in_list and bool(origins) and origins[-1] == index - 1
        last = out[-1][1][-1] if out else earlier
        if index in sources:
            continue
        if (language.pattern("origin_before").search(before) and not is_home_of_people(language, before)) or language.pattern("source_after").match(
                text, mention.end) or language.pattern("relay_after").match(text, mention.end) or listed:
            origins.append(index)
            # "most of the meth seized in the province arrives from Laos": the unstated destination is the
            # country the report is about, named or else where its provinces lie.
            destinations = (_origin_destinations(language, text, countries, index)
                            or _destination_before(language, text, countries, index)
                            or [code for code in [*home, reporting] if code and code != mention.code][:1])
            if destinations:
                out.append((mention.code, destinations, evidence))
            # "transporting the timber to Vietnam, from where much of it continues on into China": the relay
            # country is first where the goods go from the country the report is set in.
            here = next((code for code in [reporting, *home] if code and code != mention.code), None)
            if here and language.pattern("relay_after").match(text, mention.end) and language.pattern(
                    "destination_word_near").search(before[-40:]):
                out.append((here, [mention.code], evidence))
        elif not mention.adjective and (language.pattern("transit_before").search(before) or (
                in_list and bool(transits) and transits[-1] == index - 1)):
            transits.append(index)
            destinations = (_destinations_after(language, text, countries, index) or _entered_before(language, text, countries, index)
                            or _destination_before(language, text, countries, index))
            if destinations:
                out.append((mention.code, destinations, evidence))
        elif not mention.adjective and _is_route_subject(language, text, countries, index):
            destinations = _destinations_after(language, text, countries, index)
            if not destinations and reporting and language.pattern("home_region").search(text, mention.end):
                destinations = [reporting]
            if destinations:
                out.append((mention.code, destinations, evidence))
            for j in _made_in_after(language, text, countries, index):
                out.append((countries[j].code, [mention.code], evidence))
        elif not mention.adjective and language.pattern("onward_before").search(before) and (last or reporting) and not any(
                mention.code in d for _, d, _ in out):
            out.append((last or reporting or "", [mention.code], evidence))
        elif not mention.adjective and last and index > 0 and not any(mention.code in d for _, d, _ in out) and \
                language.pattern("next_leg").search(text[countries[index - 1].end:mention.start]):
            out.append((last, [mention.code], evidence))  # "..., then trucked to Vietnam and shipped to China"
        elif not mention.adjective and language.pattern("trade_towards").search(before) and reporting and not any(
                language.pattern("origin_before").search(text[:c.start]) for c in countries):
            listed_after = [c.code for i, c in enumerate(countries[index + 1:], index + 1)
                            if all(language.pattern("list_separator").match(text[countries[k - 1].end:countries[k].start])
                                   for k in range(index + 1, i + 1))]
            out.append((reporting, [mention.code, *listed_after], evidence))
    if not out:
        out.extend(_narrated(language, sentence, countries, offset))
    if not out and not told:
        # "The pills were believed to have been destined for Vietnam": the outlet names where the goods were
        # going; they leave the country the report is set in.
        bound = next((c for c in countries if not c.adjective and language.pattern("bound_for").search(text[:c.start])), None)
        here = next((code for code in [reporting, *home] if code and bound is not None and code != bound.code), None)
        if bound is not None and here is not None:
            out.append((here, [bound.code], _evidence(sentence, offset, bound.start)))
    return out


def _traded(language: Language, sentence: SentenceSpan, countries: list[CountryMention],
            offset: int) -> list[tuple[str, list[str], tuple[int, int]]]:
    """Trade that customs figures or the outlet record: "Cambodia exported 3,000 cubic metres of timber to
    Vietnam", "Vietnam imported logs from Cambodia", "customs in Vietnam logged rosewood exports from
    Cambodia". Totals of trade are no shipment, so a quantity does not stop them; a seizure does."""
    text = sentence.text
    if language.pattern("seize_words").search(text):
        return []
    out: list[tuple[str, list[str], tuple[int, int]]] = []
    trades = [(m, exporting) for name, exporting in (("trade_export", True), ("trade_import", False))
              for m in language.pattern(name).finditer(text)]
    for match, exporting in trades:
        before = [c for c in countries if c.end <= match.start() and not re.search(r"[.;]", text[c.end:match.start()])]
        after = [c for c in countries if c.start >= match.end() and not re.search(r"[.;]", text[match.end():c.start])]
        source = next((c for c in after if language.pattern("trade_from").search(text[:c.start])), None)
        target = next((c for c in after if not c.adjective and c is not source
                       and language.pattern("destination_word_near").search(text[match.end():c.start])), None)
        recorder = next((c for c in countries if language.pattern("customs_in").search(text[:c.start]) or (
            c.adjective and language.pattern("customs_after").match(text[c.end:]))), None)
        trader = before[-1] if before and before[-1] is not recorder else None
        if exporting:
            source, target = source or trader, target or recorder
        else:
            target = target or recorder or trader
        if source is not None and target is not None and source.code != target.code:
            out.append((source.code, [target.code], _evidence(sentence, offset, source.start)))
    return out


def _narrated(language: Language, sentence: SentenceSpan, countries: list[CountryMention],
              offset: int) -> list[tuple[str, list[str], tuple[int, int]]]:
    """Routes the outlet itself tells without "from": goods moved into a country across "the border with"
    another (or from the place the sentence is in)."""
    text = sentence.text
    into = [c for c in countries if not c.adjective and language.pattern("flow_into").search(text[:c.start])]
    if not into:
        return []
    target = into[0]
    across = [c for c in countries if not c.adjective and c.code != target.code and language.pattern("border_with").search(
        text[:c.start])]
    # "crackdowns in eastern Shan State, on the border with Thailand, ... smuggled into Thailand": from the
    # place told as lying on the border with the destination.
    bordering = any(c.code == target.code and language.pattern("border_with").search(text[:c.start]) for c in countries)
    here = [c for c in countries if bordering and c.code != target.code and c.start < target.start
            and language.pattern("located_in").search(text[:c.start])]
    found = across or here
    if not found:
        return []
    source = found[0]
    return [(source.code, [target.code], _evidence(sentence, offset, source.start))]


def _one_journey(language: Language, sentence: SentenceSpan) -> bool:
    """"a truck that had arrived from Laos", "a shipment from Nigeria", "he had carried drugs from Stung Treng":
    one vehicle's, person's or consignment's trip, whoever tells it, is that haul's route (SCHEMA.md: one
    shipment's journey stays on its event), not a stated flow."""
    for word in sentence:
        if word.lower_ not in language.words("journey_prepositions") or word.dep_ != "prep":
            continue
        head = word.head
        if head.dep_ == "prep" and head.pos_ == "ADP" and head.head.pos_ in ("VERB", "AUX"):
            head = head.head  # "a boat slip across from Laos": the trip of the verb "across" goes with
        vehicle = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c.tag_ == "NN"
                        and c.lemma_.lower() in language.words("journey_carriers")
                        and any(d.dep_ in ("det", "poss") for d in c.children)), None) if head.pos_ in ("VERB", "AUX") else None
        if head.pos_ in ("NOUN", "PROPN"):
            carrier: Token | None = head
        elif vehicle is not None:
            carrier = vehicle  # "officers saw a longtail boat slip across from Laos": one vehicle's trip, in any tense
        elif head.pos_ in ("VERB", "AUX") and _one_trip_tense(head):
            carrier = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if head.dep_ in ("relcl", "acl") and (carrier is None or carrier.tag_ in ("WDT", "WP")):
                carrier = head.head  # "a truck that had arrived from Laos": the noun the clause tells of
        else:
            continue
        if carrier is None:
            continue
        carriers = language.words("journey_carriers") | language.words("people_nouns")
        if carrier.lower_ in language.words("one_person_subjects") or (
                carrier.tag_ == "NN" and carrier.lemma_.lower() in carriers
                and any(c.dep_ in ("det", "poss") for c in carrier.children)):
            return True
    return False


def _one_trip_tense(verb: Token) -> bool:
    """A verb told as one trip: in the past ("crossed", "had arrived", "was travelling"), expected ("would be
    smuggled"), or a participle after its noun ("a boat coming from Laos"); never the present of a pattern."""
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    return verb.tag_ == "VBD" or any(a.tag_ in ("VBD", "MD") for a in auxiliaries) or (
        verb.tag_ in ("VBN", "VBG") and verb.dep_ in ("relcl", "acl") and not auxiliaries)


def _one_shipment(language: Language, sentence: SentenceSpan) -> bool:
    """"We believe the shipment was brought across the Mekong from Myanmar", "he had moved them through the
    forest": one haul's journey told in the past (the event's origin), not a stated route."""
    for shipping in sentence:
        if shipping.lemma_.lower() not in language.words("shipment_verbs"):
            continue
        verb = shipping
        # "the meth pills were believed to have been delivered from Myanmar to Laos": the goods are the
        # subject of the verb the journey hangs on.
        while verb.dep_ in ("xcomp", "conj") and verb.head.i != verb.i and verb.tag_.startswith("VB"):
            verb = verb.head
        if not (verb.tag_ == "VBD" or verb.tag_ == "VBN" and any(
                c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD" for c in verb.children)):
            continue
        for goods in verb.children:
            if goods.dep_ not in ("nsubj", "nsubjpass", "dobj"):
                continue
            if goods.lower_ in language.words("shipment_pronouns") or (goods.lemma_.lower() in language.words("shipment_nouns") and any(
                    c.dep_ in ("det", "poss") and c.lower_ not in language.words("indefinite_determiners") for c in goods.children)):
                return True
    return False


def _mentions(text: str) -> list[CountryMention]:
    """Countries the sentence names, and provinces standing for theirs ("production in Shan State")."""
    countries = [c for c in find_countries(text) if not _in_compound(text, c)]
    provinces = [CountryMention(m.start, m.end, m.text, m.place.country, False)
                 for m in Gazetteer.load().find(text) if m.place.kind == "admin1"
                 and not any(c.start < m.end and m.start < c.end for c in countries)]
    return sorted([*countries, *provinces], key=lambda c: c.start)


def _origin_destinations(language: Language, text: str, countries: list[CountryMention], index: int) -> list[str]:
    """Where goods from ``countries[index]`` go: "from Myanmar through Laos into Thailand" gives the
    transit country (its own leg goes on); "into Thailand directly or routed through Laos" gives both."""
    destinations = _destinations_after(language, text, countries, index)
    first = next((c for c in countries[index + 1:] if destinations and c.code == destinations[0]
                  and not c.adjective and language.pattern("destination_word_near").search(
                                                    text[:c.start])), None)
    transits: list[CountryMention] = []
    for j in range(index + 1, len(countries)):
        c = countries[j]
        if c.adjective or re.search(r"[.;]", text[countries[index].end:c.start]):
            continue
        if language.pattern("transit_before").search(text[:c.start]) or (transits and transits[-1] is countries[j - 1] and
                                                      language.pattern("list_separator").match(text[countries[j - 1].end:c.start])):
            transits.append(c)  # "through Laos and Thailand": both are transit countries
    if transits and (first is None or transits[0].start < first.start):
        return list(dict.fromkeys(c.code for c in transits if first is None or c.start < first.start))
    return list(dict.fromkeys([*destinations, *(c.code for c in transits)]))


def _destination_before(language: Language, text: str, countries: list[CountryMention], index: int) -> list[str]:
    """"smuggled into Cambodia from Vietnam": the destination named before the origin, in the same clause."""
    for mention in reversed(countries[:index]):
        gap = text[mention.end:countries[index].start]
        if re.search(r"[.;]", gap) or len(gap) > 120:
            break
        if not mention.adjective and language.pattern("destination_word_before").search(
                                               text[:mention.start]):
            return [mention.code]
    return []


def _entered_before(language: Language, text: str, countries: list[CountryMention], index: int) -> list[str]:
    """"enter Cambodia through Laos": the country entered, named just before the transit one."""
    if index == 0:
        return []
    entered = countries[index - 1]
    between = text[entered.end:countries[index].start]
    if entered.adjective or not language.pattern("through_after").match(between):
        return []
    lead = text[:entered.start]
    return [entered.code] if language.pattern("entered_before").search(lead) else []


def _made_in_after(language: Language, text: str, countries: list[CountryMention], index: int) -> list[int]:
    """"Laos is a transit country for drugs made in Myanmar": where the goods passing through come from."""
    return [j for j in range(index + 1, len(countries))
            if language.pattern("made_in").search(text[max(countries[index].end, countries[j].start - 30):countries[j].start])]


def _in_compound(text: str, mention: CountryMention) -> bool:
    """"Cambodia-Vietnam border" names a border, not a direction."""
    return text[mention.end:mention.end + 1] == "-" or text[mention.start - 1:mention.start] == "-"


def _destinations_after(language: Language, text: str, countries: list[CountryMention], index: int) -> list[str]:
    """Countries after ``countries[index]`` introduced by "to"/"into"/"for", with their list."""
    out: list[str] = []
    for j in range(index + 1, len(countries)):
        mention = countries[j]
        between = text[countries[j - 1].end:mention.start]
        if out:
            if language.pattern("list_separator").match(between):
                out.append(mention.code)
                continue
            break
        gap = text[countries[index].end:mention.start]
        if language.pattern("destination_word_near").search(gap) and \
                not re.search(r"[.;]", gap) and len(gap) < 120 and not mention.adjective:
            out.append(mention.code)
    return out


def _is_route_subject(language: Language, text: str, countries: list[CountryMention], index: int) -> bool:
    """"Laos has been a busy route for ... to Thailand": the country is the route itself."""
    mention = countries[index]
    rest = text[mention.end:]
    following = language.pattern("route_noun_after").match(rest)
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


def _commodity(language: Language, text: str) -> Commodity | None:
    """The commodity the words name, most mentions first; None when none is named."""
    counts = Counter({name: len(pattern.findall(text)) for name, pattern in _commodities(language)})
    name, hits = counts.most_common(1)[0]
    return name if hits else None


@lru_cache(maxsize=16)
def _commodities(language: Language) -> tuple[tuple[Commodity, re.Pattern[str]], ...]:
    """The pack's words for each commodity, in the order a tie between them is broken."""
    return tuple((name, language.pattern(f"commodity_{name}")) for name in claims.COMMODITIES)


def _home_countries(doc: Document) -> list[str]:
    """Countries the report is about, most mentioned first: where an unstated destination lies."""
    counts = Counter(m.code for m in find_countries(doc.text)
                     if not doc.is_furniture(m.start, m.end))
    return [code for code, _ in counts.most_common()]


def _reporting_country(doc: Document) -> str | None:
    """The country most of the report's provinces and districts lie in: "the Northeast" is its region."""
    counts = Counter(m.place.country for m in Gazetteer.load().find(doc.text)
                     if m.place.kind in ("admin1", "district") and not doc.is_furniture(m.start, m.end))
    return counts.most_common(1)[0][0] if counts else None


def _asserted_by(quotes: list[Quote], start: int, end: int) -> str | None:
    """The speaker of the quote whose words hold the route; None when the reporter states it."""
    for quote in quotes:
        for span in quote.evidence:
            if span.field == "text" and span.start < end and start < span.end:
                return quote.speaker
    return None
