"""How a report is laid out, shared by the event and statistics extractors: which lines are
header (headline, dateline, byline), which sentences are body, which paragraph each sits in,
the reference date relative dates resolve against, and which places and dates a sentence names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Generic, TypeVar

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from borderwatch.dates import ParsedDate, clock_pattern, month_end, parse_dates, to_date
from borderwatch.extract.lexicon import SubstanceMention, find_substances
from borderwatch.geo.countries import CountryMention, country_code, find_countries
from borderwatch.geo.gazetteer import Gazetteer, PlaceMention, is_katakana
from borderwatch.lang import Language, all_languages, language_for
from borderwatch.model import Document, Place, Precision, Span

T = TypeVar("T")
_SPACELESS_RUN = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]+")
# Furniture kinds that still tell where and when (datelines, bylines).
_HEADER_FURNITURE = {"dateline", "byline", "title", "headline"}
_BODY_END = re.compile(r"[.!?\"”’。」)]\s*$")
_DATELINE = re.compile(r"^\s*(?P<place>[A-Z][A-Z'’ .\-]{2,40}?)\s*(?:,|—|--|–|\s-\s)")
_DATELINE_END = re.compile(r"\s*(?:[:：—–]|--|\s-\s)")
# A wire dateline may write its place in title case when a colon closes it ("Yangon, Dec 28: ...").
_TITLE_DATELINE = re.compile(r"^\s*(?P<place>[A-Z][a-z]+(?:[ \-][A-Z][a-z]+){0,2}),\s*")
_TITLE_DATELINE_END = re.compile(r"\s*[:：]")


@dataclass(frozen=True)
class Sentence:
    """One body sentence: its characters, its paragraph and the parsed tokens (None for non-English)."""

    start: int
    end: int
    text: str
    paragraph: int
    tokens: SpacySpan | None


def header_sentence(line: Span) -> Sentence:
    """A header line read as a sentence of no paragraph (-1) and no parse: a headline that tells a haul."""
    return Sentence(line.start, line.end, line.text, -1, None)


@dataclass(frozen=True)
class Layout:
    """A document read for extraction: body sentences, header text, reference date, dateline place."""

    doc: Document
    sentences: tuple[Sentence, ...]
    header: tuple[Span, ...]
    reference: date | None
    reference_precision: Precision | None
    dateline: PlaceMention | None
    language: Language
    dates: dict[tuple[int, int], list[ParsedDate]] = field(default_factory=dict, compare=False, repr=False)
    """``sentence_dates`` of each sentence read so far, by its bounds: the stages ask again and again."""
    substances: dict[tuple[int, int], list[SubstanceMention]] = field(default_factory=dict, compare=False, repr=False)
    """``sentence_substances`` of each sentence read so far, by its bounds, for the same reason."""

    @property
    def parsed(self) -> bool:
        """Do the sentences carry a dependency parse (the pack has a parser)?"""
        return self.language.parser is not None

    def span(self, start: int, end: int, field: str) -> Span:
        """Evidence for ``field``: characters ``start:end`` of the document."""
        return Span(self.doc.id, start, end, self.doc.text[start:end], field)


def read_layout(doc: Document, parsed: Doc | None, gazetteer: Gazetteer) -> Layout:
    """Split a report into header and body sentences and find what dates resolve against."""
    text = doc.text
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    lines = [(s, e) for s, e in lines if text[s:e].strip() and not _furniture_line().match(text[s:e])
             and not any(f.start <= s and e <= f.end and f.field not in _HEADER_FURNITURE
                         for f in doc.furniture)]
    language = language_for(doc.language)
    body_from = next((i for i, (s, e) in enumerate(lines) if not doc.is_furniture(s, e)
                      and _is_body_line(text[s:e], language)), 0)  # no line reads as prose: all body
    header = tuple(Span(doc.id, s, e, text[s:e], "header") for s, e in lines[:body_from])
    body = [(s, e) for s, e in lines[body_from:] if not doc.is_furniture(s, e)]
    sentences: list[Sentence] = []
    for number, (s, e) in enumerate(body):
        sentences.extend(_sentences(parsed if language.parser else None, text, s, e, number, language))
    reference, precision = _reference(doc, header, text[body[0][0]:body[0][1]] if body else "", language)
    return Layout(doc, tuple(sentences), header, reference, precision,
                  _dateline(text, header, body, gazetteer), language)


def _is_body_line(line: str, language: Language) -> bool:
    if language.parser is None:
        ends = re.search(rf"(?:{language.sentence_end})\s*$", line)
        return len(line) >= language.body_line_min and (bool(ends) or len(line) >= 3 * language.body_line_min)
    return len(line.split()) >= 10 and bool(_BODY_END.search(line))


def _sentences(parsed: Doc | None, text: str, start: int, end: int, paragraph: int,
               language: Language) -> list[Sentence]:
    if parsed is None:
        out = []
        for m in re.finditer(rf"(?:(?!{language.sentence_end}).)+(?:{language.sentence_end})?", text[start:end],
                             re.DOTALL):
            s, e = start + m.start(), start + m.end()
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                out.append(Sentence(s, e, text[s:e], paragraph, None))
        return out
    span = parsed.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    out = []
    for sent in span.sents:  # type: ignore[attr-defined]
        s, e = max(sent.start_char, start), min(sent.end_char, end)
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append(Sentence(s, e, text[s:e], paragraph, parsed.char_span(s, e, alignment_mode="expand")))
    return out


def _reference(doc: Document, header: tuple[Span, ...], opening: str,
               language: Language) -> tuple[date | None, Precision | None]:
    """The publication day (or month) relative dates resolve against; the header's date if unknown,
    else the day of a dateline opening the body ("VIENTIANE, 12 March 2024: ...")."""
    if doc.published:
        day = to_date(doc.published)
        if day:
            return day, "day"
        parts = [int(p) for p in doc.published.split("-")]
        if len(parts) == 2:
            return month_end(parts[0], parts[1]), "month"
        return date(parts[0], 12, 31), "year"
    for line in header:
        for parsed in parse_dates(line.text, None, language):
            if parsed.precision == "day":
                return parsed.as_date(), "day"
            if parsed.precision == "month":
                year, month = (int(p) for p in parsed.iso.split("-"))
                return month_end(year, month), "month"
    for parsed in parse_dates(opening[:80], None, language):
        if parsed.precision == "day" and _opens_dateline(opening, parsed.start, parsed.end):
            return parsed.as_date(), "day"
    # No publication date: a day (or run of days) the text writes out in full ("29/9/2018", "August 7
    # and 8, 2012") gives the year its bare days and months ("4/10", "in October") are in, as a
    # dateline's year would; relative dates stay unresolved. A month and year alone ("2013年4月")
    # more often dates background; a masthead's date is the day the page was viewed.
    stated = [d for d in parse_dates(doc.text, None, language)
              if (d.precision == "day" or len(re.findall(r"\d+", d.raw)) >= 3) and not any(
                  f.field == "masthead" and f.start <= d.start and d.end <= f.end for f in doc.furniture)]
    if stated:
        return date(max(d.as_date() for d in stated).year, 12, 31), "year"
    return None, None


def _dateline(text: str, header: tuple[Span, ...], body: list[tuple[int, int]],
              gazetteer: Gazetteer) -> PlaceMention | None:
    """A place in capitals opening the body or a header segment ("STUNG TRENG, November 2024")."""
    candidates = [(s, text[s:e]) for s, e in body[:1]]
    for line in header:
        at = line.start
        for part in line.text.split("|"):
            candidates.append((at + len(part) - len(part.lstrip()), part.strip()))
            at += len(part) + 1
    for offset, candidate in candidates:
        m = _DATELINE.match(candidate)
        if not m or not m.group("place").isupper():
            continue
        for mention in gazetteer.find(m.group("place").title()):
            if mention.place.kind != "country":
                start = offset + m.start("place") + mention.start  # the evidence is the capitals as written
                return PlaceMention(start, start + len(mention.text), text[start:start + len(mention.text)], mention.place)
    return None


def is_dateline_date(sentence: Sentence, start: int, end: int) -> bool:
    """Is the date at document offsets ``start:end`` the filing day of a dateline opening its sentence
    ("VIENTIANE, 12 March 2024: Police seized ... on 4 March"), not the day of what the sentence tells?"""
    return _opens_dateline(sentence.text, start - sentence.start, end - sentence.start)


def _opens_dateline(text: str, start: int, end: int) -> bool:
    """Does ``text[start:end]`` stand between a place in capitals opening ``text`` and a dateline mark?"""
    head = _DATELINE.match(text)
    if head and head.group("place").isupper() and not text[head.end():start].strip() and _DATELINE_END.match(text, end):
        return True
    title = _TITLE_DATELINE.match(text)
    return bool(title and title.end() == start and _TITLE_DATELINE_END.match(text, end))


def _is_relative(language: Language, parsed: ParsedDate) -> bool:
    """Does a date depend on the publication day (a weekday, "yesterday", a bare Japanese day)?"""
    if language.pattern("month_word").search(parsed.raw):
        return False  # "in July" needs only the year
    return not re.search(r"\d", parsed.raw) or bool(language.pattern("bare_day_date").fullmatch(parsed.raw))


def sentence_substances(layout: Layout, sentence: Sentence) -> list[SubstanceMention]:
    """The goods a sentence names (``find_substances``), read once: items, events and their
    round-up and identification rules all ask."""
    key = (sentence.start, sentence.end)
    if key not in layout.substances:
        layout.substances[key] = find_substances(sentence.text, layout.language)
    return list(layout.substances[key])


def sentence_dates(layout: Layout, sentence: Sentence) -> list[ParsedDate]:
    """Dates a sentence gives for something happening, not for an announcement or a court date."""
    key = (sentence.start, sentence.end)
    if key not in layout.dates:
        layout.dates[key] = _sentence_dates(layout, sentence)
    return list(layout.dates[key])


def _sentence_dates(layout: Layout, sentence: Sentence) -> list[ParsedDate]:
    language = layout.language
    possessive = tuple(sorted(language.words("possessive_suffixes")))
    found = parse_dates(sentence.text, layout.reference, layout.language)
    if layout.reference_precision != "day":
        found = [d for d in found if not _is_relative(layout.language, d)]
    out = []
    for parsed in found:
        before = sentence.text[max(0, parsed.start - 60):parsed.start]
        after = sentence.text[parsed.end:parsed.end + 3]
        clause = re.split(r"[,;]", before)[-1]
        # "Thursday's briefing" dates something else; "Wednesday's early hours", "Sunday's raid" the haul.
        other_thing = after.startswith(possessive) and not language.cue("possessive_time").match(sentence.text, parsed.end)
        born = language.pattern("born")  # "born in 1986", "1986年出生"
        if language.pattern("announced").search(before) or born.search(before) or born.match(sentence.text, parsed.end) \
                or other_thing or language.pattern("wire_dateline").match(after):
            continue
        if language.pattern("court_words").search(clause):
            continue
        if _stamps_page(sentence.text, parsed):
            continue
        if layout.language.parser is None and _pack_court_date(layout.language, clause, sentence.text[parsed.end:]):
            continue
        out.append(ParsedDate(parsed.iso, parsed.precision, parsed.raw,
                              sentence.start + parsed.start, sentence.start + parsed.end))
    for m in language.pattern("year_only").finditer(sentence.text):
        if not any(d.start <= sentence.start + m.start() < d.end for d in out) and not any(
                p.start <= m.start() < p.end for p in found) and not language.pattern("born").search(sentence.text[:m.start()]) \
                and not language.pattern("compared_year").search(sentence.text[:m.start()]):  # "in the whole of 2011"
            out.append(ParsedDate(m.group("year"), "year", m.group("year"),
                                  sentence.start + m.start(), sentence.start + m.end()))
    return sorted(out, key=lambda d: d.start)


def _stamps_page(text: str, parsed: ParsedDate) -> bool:
    """Is a date a whole part of a page's stamp line, "Outlet | Section | 5 ก.พ. 2569": the day the page
    went up, not what it tells?"""
    if "|" not in text:
        return False
    left, right = text.rfind("|", 0, parsed.start) + 1, text.find("|", parsed.end)
    around = text[left:parsed.start] + text[parsed.end:right if right >= 0 else len(text)]
    return bool(_clock_or_blank().fullmatch(around))


@lru_cache(maxsize=1)
def _clock_or_blank() -> re.Pattern[str]:
    """What may stand beside a stamp's date in its part: nothing, or a clock time."""
    return re.compile(rf"\s*(?:{clock_pattern().pattern})?\s*", re.IGNORECASE)


def _pack_court_date(language: Language, before: str, after: str) -> bool:
    """Is a date that of a court hearing or an announcement by the pack's court cue, in its clause
    before it or just after it ("the press conference was held on ...", "today (18 Oct) police announced")?"""
    court = language.cue("court")
    return bool(court.search(before) or court.search(re.split(r"[,;]", after[:40])[0]))


def same_day_reference(language: Language, sentence: Sentence) -> bool:
    """Does the sentence date itself by an earlier one ("the same evening")?"""
    return bool(language.pattern("same_day").search(sentence.text))


def places_in(language: Language, gazetteer: Gazetteer, sentence: Sentence) -> list[PlaceMention]:
    """Gazetteer places a sentence names, with offsets into the document."""
    wire = language.pattern("wire_place")
    return [PlaceMention(sentence.start + m.start, sentence.start + m.end, m.text, m.place)
            for m in gazetteer.find(sentence.text) if not wire.match(sentence.text, m.end)]


@lru_cache(maxsize=1)
def _furniture_line() -> re.Pattern[str]:
    """A line that is page furniture though ingest did not mark it (captions, related links): any pack's
    labels, since a site's template may be in another language than its report."""
    labels = "|".join(language.pattern("furniture_line").pattern for language in all_languages())
    return re.compile(rf"^\s*(?:{labels}|\[©|※)", re.IGNORECASE)


def country_codes(text: str) -> list[str]:
    """ISO2 codes of countries a text names, also where Japanese or Chinese glue particles to the name."""
    return [c.code for c in country_mentions(text)]


def country_mentions(text: str) -> list[CountryMention]:
    """Countries a text names, left to right, also inside runs of Japanese or Chinese; a katakana name
    inside a longer katakana word ("タイヤ", "インドシナ") is not a country."""
    found = find_countries(text)
    for run in _SPACELESS_RUN.finditer(text):
        word, i = run.group(0), 0
        while i < len(word):
            for size in range(min(8, len(word) - i), 1, -1):
                start, end = run.start() + i, run.start() + i + size
                code = country_code(word[i:i + size])
                if code and not _katakana_inside(text, start, end) and not any(
                        c.start < end and start < c.end for c in found):
                    found.append(CountryMention(start, end, word[i:i + size], code, False))
                    i += size - 1
                    break
            i += 1
    return sorted(found, key=lambda c: c.start)


def _katakana_inside(text: str, start: int, end: int) -> bool:
    return is_katakana(text[start]) and ((start > 0 and is_katakana(text[start - 1])) or (
        end < len(text) and is_katakana(text[end])))


def province_of(place: Place) -> str | None:
    """The province a place lies in (the place itself when it is a province)."""
    return place.admin1 or (place.name if place.kind == "admin1" else None)


@dataclass(frozen=True)
class Found(Generic[T]):
    """A value read from the text, with the words it rests on and the evidence spans."""

    value: T
    raw: str
    evidence: tuple[Span, ...]


def outside_named_province(language: Language, text: str, mention: PlaceMention, named: list[PlaceMention]) -> bool:
    """"Luang Namtha province's Long district": a district or village written against a province it does
    not lie in is a homonym from elsewhere (the gazetteer's Long is in Thailand)."""
    if mention.place.kind in ("admin1", "country"):
        return False
    for other in named:
        if other.place.kind != "admin1" or province_of(mention.place) == other.place.name:
            continue
        gap = text[other.end:mention.start] if other.end <= mention.start else text[mention.end:other.start]
        # An address runs from the village to its province ("บ้านโคกกลาง อ.น้ำยืน จ.อุบลราชธานี"): a
        # province a little after the place, with only place words between, is the one it lies in.
        reach = 40 if mention.end <= other.start and not re.search(r"\d", gap) else 12
        # a full stop ends a sentence; one inside an abbreviation ("อ.", "จ.") does not
        if len(gap) <= reach and not (re.search(r"[;:]|\.(?=\s)", gap) or language.pattern("and_word").search(gap)):
            return True
    return False
