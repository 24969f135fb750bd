"""Event fields: a gathered haul's place, people, route and confidence, and the report-wide fills."""

from __future__ import annotations

import re
from dataclasses import replace

from borderwatch.extract import patterns
from borderwatch.extract.context import (
    Layout,
    Sentence,
    country_mentions,
    header_sentence,
    outside_named_province,
    places_in,
    province_of,
    sentence_substances,
)
from borderwatch.extract.event_dates import is_old, other_occasion, pick_date
from borderwatch.extract.hauls import Haul
from borderwatch.extract.items import freeze, generic_substance, named_only, without_broken_down_total
from borderwatch.extract.people import count_arrests, find_nationalities
from borderwatch.extract.routes import (
    courier_home,
    find_agency,
    find_concealment,
    find_destination,
    find_origin,
)
from borderwatch.geo.countries import find_countries
from borderwatch.geo.gazetteer import Gazetteer, PlaceMention
from borderwatch.lang import Language
from borderwatch.model import Item, LocationPrecision, Precision, SeizureEvent

_POINT_KINDS: dict[str, LocationPrecision] = {"checkpoint": "point", "place": "point", "district": "district", "admin1": "province",
                "country": "country"}
_DATELINE_MARK = re.compile(r"\s*[-–—:：]\s")


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


def build_event(layout: Layout, gazetteer: Gazetteer, event: Haul, event_id: str,
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
    arrests = count_arrests(layout, same_time, event.mentions)
    nationalities = find_nationalities(layout, same_time) or (
        None if layout.parsed else patterns.local_people(layout, same_time, country))
    destination = find_destination(layout, gazetteer, sentences)
    origin = find_origin(layout, gazetteer, sentences, country) or courier_home(
        layout, same_time, country, nationalities, destination)
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


def _pick_place(layout: Layout, gazetteer: Gazetteer, event: Haul, previous: SeizureEvent | None,
                previous_paragraph: int | None) -> PlaceMention | None:
    """Where it happened: the haul's own sentences, then its paragraph, then the dateline."""
    def usable(sentence: Sentence, provinces_only: bool) -> list[PlaceMention]:
        out = []
        named = places_in(layout.language, gazetteer, sentence)
        elsewhere: list[PlaceMention] = []
        for m in named:
            before = layout.doc.text[max(0, m.start - 25):m.start].lower()
            if layout.language.pattern("from_place").search(before) or layout.language.pattern("outside").search(before) or (
                    not layout.parsed and patterns.is_elsewhere(layout.language, layout.doc.text, m.start, m.end)) or (
                    _joined_to(layout, elsewhere, m)):
                elsewhere.append(m)  # "from the provinces of Bokeo and Xieng Khouang": both are where they came from
                continue
            if m.place.kind == "country" or outside_named_province(layout.language, layout.doc.text, m, named) or (
                    m.text.isupper() and not layout.doc.text[sentence.start:m.start].strip()):
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
        # "Son La police ... in Na Ot commune, Mai Son district": a finer name that is also a place of another
        # country ("Son district", Thailand) yields to the province the sentence names
        named_in = {m.place.country for m in found if m.place.kind == "admin1"}
        found = [m for m in found if not named_in or m.place.country in named_in]
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
    # "Lao police arrested three people as they crossed": a haul its own sentences place in one country takes
    # no province of another from the sentences around it
    own_country = _force_country(layout.language, event.mentions)
    for sentence in sorted(event.context, key=lambda s: s.start):
        found = [m for m in usable(sentence, True) if own_country in (None, m.place.country)]
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


def _joined_to(layout: Layout, elsewhere: list[PlaceMention], mention: PlaceMention) -> bool:
    """Is a place joined by "and" to the place just before it, one a cue put elsewhere ("from A and B")?"""
    if not elsewhere:
        return False
    gap = layout.doc.text[elsewhere[-1].end:mention.start]
    return len(gap) <= 12 and bool(layout.language.pattern("and_word").fullmatch(gap.strip(" ,")))


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


def _force_country(language: Language, sentences: list[Sentence]) -> str | None:
    """The country of a force the sentences name by it ("នគរបាលឡាវ", Lao police; "Thai soldiers")."""
    for sentence in sentences:
        text = sentence.text
        for c in country_mentions(text):
            if sentence.tokens is None:
                if any(m.end() == c.start - (text[m.end():c.start] == " ") for m in language.cue("agency").finditer(text)):
                    return c.code
            elif c.adjective and language.pattern("agency_words").match(text, c.end + 1) and text[c.end:c.end + 1] == " ":
                return c.code
    return None


def fill_province(events: list[SeizureEvent], layout: Layout, gazetteer: Gazetteer,
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


def fill_nationalities(events: list[SeizureEvent], layout: Layout, apart: list[bool]) -> list[SeizureEvent]:
    """"Four Thai Women Get Life for Drug Smuggling", "抓获3名中国台湾毒贩": the suspects' nationality a headline
    states is that of a report's one haul whose own sentences name none (nobody caught: no suspects)."""
    named = find_nationalities(layout, [header_sentence(line) for line in layout.header])
    if named is None:
        return events
    return [replace(e, suspect_nationalities=named.value, evidence=(*e.evidence, *named.evidence))
            if not e.suspect_nationalities and e.arrests != 0 and not other else e for e, other in zip(events, apart)]


def fill_country(events: list[SeizureEvent], layout: Layout) -> list[SeizureEvent]:
    """An event with no country of its own takes the report's main one."""
    known = [e.country for e in events if e.country]
    main = known[0] if known else (layout.dateline.place.country if layout.dateline else None)
    return [replace(e, country=main, location_precision=e.location_precision or "country")
            if e.country is None and main else e for e in events]
