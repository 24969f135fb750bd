"""Aggregate statistics: cumulative totals a report attributes to someone ("as of August 17 ...
682 kilograms, 13,460 arrests", "over the first nine months of 2024 ... 739 cases"). They are
kept apart from seizures and never summed with them; one statistic may span two sentences
("... 4,510 cases." + "... 209 kilogrammes ... during the period").
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from borderwatch.dates import month_end, months_before, parse_dates
from borderwatch.extract import patterns
from borderwatch.extract.context import (
    Layout,
    Sentence,
    country_codes,
    places_in,
    province_of,
    read_layout,
    sentence_dates,
    sentence_substances,
)
from borderwatch.extract.items import freeze, is_goods, read_items
from borderwatch.extract.nlp import subtree
from borderwatch.extract.routes import find_agency
from borderwatch.extract.units import Quantity, find_quantities, parse_number
from borderwatch.geo.countries import find_countries
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.lang import Language
from borderwatch.model import Aggregate, Document, Item, Span

_PLACE_ENTITIES = frozenset({"GPE", "LOC", "FAC"})
"""The parser's entity labels for places: a sentence naming one tells where, as a haul does."""
_MANY_ARRESTS = 100
"""A year's arrests told in hundreds or more ("more than 15,000 suspects were arrested in 2022") are a tally."""

_AGENCY_COUNTRY = {"NACD": "KH", "LCDC": "LA", "ONCB": "TH", "CCDAC": "MM", "SODC": "VN", "ADP": "KH"}


@dataclass
class _Draft:
    """An aggregate while its sentences are being read."""

    sentences: list[Sentence]
    period_start: str | None = None
    period_end: str | None = None
    period_raw: str | None = None
    items: list[Item] = field(default_factory=list)
    arrests: int | None = None
    cases: int | None = None
    evidence: list[Span] = field(default_factory=list)
    country: str | None = None


def aggregate_sentences(layout: Layout) -> list[Sentence]:
    """Body sentences that report a cumulative total rather than one haul, and the sentences just after
    one that break it down by country."""
    out: list[Sentence] = []
    last = -9
    for i, s in enumerate(layout.sentences):
        if is_destruction(layout.language, s.text):
            continue
        if layout.language.cue("running_total").search(s.text):
            # "Police seized 600,000 pills on Friday, bringing the total this year to 9 million": the haul
            # before the clause stays an event; the clause is a statistic when it states amounts.
            running = running_total(layout, s)
            if running is not None:
                out.append(running)
                last = i
            continue
        if (_marker(layout, s) is not None and _has_values(layout, s)) or (
                out and i and out[-1] is layout.sentences[i - 1] and _breakdown(layout, s)) or (
                i - last <= 3 and _continues(layout, s, out[-1] if out else None)):
            out.append(s)
            last = i
    return out


def running_total(layout: Layout, sentence: Sentence) -> Sentence | None:
    """", bringing the total seized this year to 15 million pills": the clause after a haul that sums it with
    earlier ones, when it states amounts of its own."""
    m = layout.language.cue("running_total").search(sentence.text)
    if m is None or not _has_values(layout, Sentence(0, 0, sentence.text[m.end():], sentence.paragraph, None)):
        return None
    start = sentence.start + m.start()
    return Sentence(start, sentence.end, layout.doc.text[start:sentence.end], sentence.paragraph, None)


def _continues(layout: Layout, sentence: Sentence, before: Sentence | None) -> bool:
    """A sentence just after a statistic (``before``) that goes on with its figures, undated: "The drugs
    confiscated weighed 245kg in total", "... with 1,680 cases resolved and 2,616 people arrested", "police had
    detained 3,950 people", or the statistic's speaker going on with the goods."""
    text = sentence.text
    if sentence.tokens is None or layout.language.pattern("one_haul").search(text) or sentence_dates(layout, sentence) or \
            layout.language.pattern("part_of").match(text):
        return False
    return _cases(layout.language, text) is not None or _many_arrests(layout, text) or bool(
        (layout.language.pattern("tally").search(text) or _told_by_the_report(layout.language, sentence)
         or _speaker_goes_on(layout, sentence, before)) and _goods(text))


def _told_by_the_report(language: Language, sentence: Sentence) -> bool:
    """"It added that 6 tonnes had been seized", "The report also listed 300 tons of chemicals": the report
    (or "it", a pronoun for no person) goes on giving figures, with no year, place or haul of their own."""
    span = sentence.tokens
    if span is None or language.pattern("has_year").search(sentence.text) or language.pattern("legal").search(sentence.text):
        return False
    subjects = [t for t in span.root.children if t.dep_ in ("nsubj", "nsubjpass")]
    return any(t.lemma_.lower() in language.words("document_nouns") or (
        t.pos_ == "PRON" and t.lower_ not in language.words("pronouns")) for t in subjects) and not any(
        t.ent_type_ in _PLACE_ENTITIES for t in span)


def _speaker_goes_on(layout: Layout, sentence: Sentence, before: Sentence | None) -> bool:
    """"General Sone said police had detained 3,950 people. General Sone also disclosed that 4 tonnes of ...
    were confiscated": the one who told a statistic, named again or as "he", telling more figures with no
    year or place of their own (a goods name the parser takes for a place is none)."""
    language, span, told = layout.language, sentence.tokens, before.tokens if before is not None else None
    if span is None or told is None or language.pattern("has_year").search(sentence.text):
        return False
    goods = [(sentence.start + m.start, sentence.start + m.end) for m in sentence_substances(layout, sentence)]
    if any(t.ent_type_ in _PLACE_ENTITIES and not any(a <= t.idx < b for a, b in goods) for t in span):
        return False
    earlier, now = _speaker(language, told), _speaker(language, span)
    if earlier is None or now is None:
        return False
    if len(now) == 1 and now[0].lower_ in language.words("one_person_pronouns"):
        return True
    names = {t.lower_ for t in earlier if t.pos_ == "PROPN"}
    return any(t.pos_ == "PROPN" and t.lower_ in names for t in now)


def _speaker(language: Language, span: SpacySpan) -> list[Token] | None:
    """The words naming who speaks a sentence whose main verb is one of telling."""
    root = span.root
    if root.lemma_.lower() not in language.words("speech_verbs"):
        return None
    subject = next((t for t in root.children if t.dep_ == "nsubj"), None)
    return subtree(subject) if subject is not None else None


def _breakdown(layout: Layout, sentence: Sentence) -> list[tuple[str, Sentence]]:
    """"Laos seized 120 million tablets, Myanmar 95 million and Cambodia 1.8 tonnes of ketamine" after a
    regional total: (country, clause) for each country opening a clause with its own figure. A sentence
    with its own date or one haul's wording tells a seizure instead."""
    text = sentence.text
    if sentence.tokens is None or layout.language.pattern("one_haul").search(text) or sentence_dates(layout, sentence):
        return []
    mentions = [c for c in find_countries(text) if not c.adjective and _clause_opening(layout.language).search(text[:c.start])]
    out: list[tuple[str, Sentence]] = []
    for k, c in enumerate(mentions):
        end = mentions[k + 1].start if k + 1 < len(mentions) else len(text)
        clause = Sentence(sentence.start + c.start, sentence.start + end, text[c.start:end], sentence.paragraph,
                          None)
        if _goods(clause.text) and not layout.language.pattern("arrest_before").search(clause.text):
            out.append((c.code, clause))
    return out


def is_destruction(language: Language, text: str) -> bool:
    """Burning or destroying stock seized earlier: neither a new seizure nor a total of seizures."""
    return bool(language.pattern("destruction").search(text))


def extract_aggregates(doc: Document, parsed: Doc | None, gazetteer: Gazetteer) -> list[Aggregate]:
    """Every cumulative statistic the report gives, with its period, items, arrests and cases."""
    layout = read_layout(doc, parsed, gazetteer)
    drafts: list[_Draft] = []
    comparisons: list[_Draft] = []
    earlier: _Draft | None = None
    statistics = aggregate_sentences(layout)
    for i, whole in enumerate(statistics):
        after_total = i > 0 and _position(layout, whole) == _position(layout, statistics[i - 1]) + 1
        split = _breakdown(layout, whole) if after_total else []
        by_country = {clause.start: code for code, clause in split}
        for sentence in [clause for _, clause in split] or _clauses(layout, whole):
            masked, compared = _mask_comparisons(layout.language, sentence)
            marker = _marker(layout, masked)
            draft = _read(layout, masked)
            draft.country = by_country.get(sentence.start)
            previous = drafts[-1] if drafts else None
            if previous and draft.period_start is None and draft.period_end is None and (
                    layout.language.pattern("share").search(masked.text) or draft.country):
                draft.period_start, draft.period_end = previous.period_start, previous.period_end
            position = _position(layout, whole)
            near = previous is not None and position - _position(layout, previous.sentences[-1]) <= 3
            undated = draft.period_start is None and draft.period_end is None
            told_before = previous.sentences[-1] if previous else None
            if previous and (marker == "same-period" or (undated and near and _continues(layout, whole, told_before))) \
                    and _fits(previous, draft):
                _join(previous, draft)
                draft = previous
            else:
                if undated and previous and near and (marker == "same-period" or _continues(layout, whole, told_before)):
                    draft.period_start, draft.period_end = previous.period_start, previous.period_end
                elif undated and marker == "same-period":
                    _period_before(layout, position, draft)
                drafts.append(draft)
            earlier = _compare(layout, sentence, compared, draft, earlier, comparisons)
    drafts = _without_restatements(drafts)
    main_country = _main_country(layout, gazetteer)
    out: list[Aggregate] = []
    if not layout.parsed:
        # a period told day to day ("from 1 October 2024 to 31 August 2025") is a statistic's own wording
        drafts = [d for d in drafts if d.period_raw or patterns.is_statistic(layout.language, layout, d.sentences)]
    ordered = [*drafts, *comparisons]
    for n, draft in enumerate(ordered, 1):
        before = out[-1] if out else None
        same_paragraph = n > 1 and draft.sentences[0].paragraph == ordered[n - 2].sentences[0].paragraph
        aggregate = _finish(layout, gazetteer, draft, f"{doc.id}#a{n}",
                            (before.country if before and same_paragraph else None) or main_country,
                            before.agency if before else None)
        out.append(aggregate)
    return out


def _position(layout: Layout, sentence: Sentence) -> int:
    """Index of the layout sentence holding ``sentence`` (a clause of it or itself)."""
    for i, s in enumerate(layout.sentences):
        if s.start <= sentence.start < max(s.end, s.start + 1):
            return i
    return -99


def _period_before(layout: Layout, position: int, draft: _Draft) -> None:
    """"... in the past three months." + "In Attapeu, timber seized in that time adds up to ...": the period
    of the sentence before (up to two back) that states one without figures."""
    for s in reversed(layout.sentences[max(0, position - 2):position]):
        if _marker(layout, s) == "period":
            told = _Draft(sentences=[s])
            _period(layout, s, told)
            if told.period_start or told.period_end:
                draft.period_start, draft.period_end, draft.period_raw = (told.period_start, told.period_end,
                                                                          told.period_raw)
                return


def _clauses(layout: Layout, sentence: Sentence) -> list[Sentence]:
    """A sentence giving two periods ("In 2024 ... 5,012 cases, and ... in the first five months of
    2025") is read clause by clause; any other sentence whole."""
    cuts = [0, *(m.end() for m in _clause_cuts(layout.language).finditer(sentence.text)), len(sentence.text)]
    parts = [Sentence(sentence.start + a, sentence.start + b, sentence.text[a:b], sentence.paragraph, None)
             for a, b in itertools.pairwise(cuts) if sentence.text[a:b].strip()]
    with_period = [p for p in parts if _marker(layout, p, tally=False) == "period" and _has_values(layout, p)]
    return parts if len(with_period) >= 2 else [sentence]


def _mask_comparisons(language: Language, sentence: Sentence) -> tuple[Sentence, list[re.Match[str]]]:
    """The sentence with earlier-period comparisons blanked (offsets kept), and those comparisons."""
    found = list(language.pattern("comparison").finditer(sentence.text))
    text = sentence.text
    for m in found:
        text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    return replace(sentence, text=text), found


def _compare(layout: Layout, sentence: Sentence, compared: list[re.Match[str]], current: _Draft,
             earlier: _Draft | None, drafts: list[_Draft]) -> _Draft | None:
    """Record "from 12,356 in the same period last year" as the earlier period's statistic."""
    for m in compared:
        start, end = _shifted_period(layout, current, m.group("when"))
        if earlier is None or (earlier.period_start, earlier.period_end) != (start, end):
            earlier = _Draft(sentences=[sentence], period_start=start, period_end=end, period_raw=m.group(0).strip(" ,"))
            drafts.append(earlier)
        span = layout.span(sentence.start + m.start("value"), sentence.start + m.end("value"), "comparison")
        earlier.evidence.append(span)
        goods = [q for q in find_quantities(m.group("value")) if is_goods(q)]
        number = parse_number(m.group("value").split()[0])
        if goods:
            q = goods[0]
            earlier.items.append(Item(commodity="drugs", mass_kg=q.value if q.kind == "mass" else None,
                                      mass_raw=q.raw if q.kind == "mass" else None,
                                      count=q.value if q.kind == "count" else None,
                                      count_unit=q.unit if q.kind == "count" else None,
                                      volume_m3=q.value if q.kind == "volume" else None, evidence=(span,)))
        elif number is not None and current.arrests is not None and earlier.arrests is None:
            earlier.arrests = int(number)
        elif number is not None and current.cases is not None and earlier.cases is None:
            earlier.cases = int(number)
    return earlier


def _shifted_period(layout: Layout, current: _Draft, when: str) -> tuple[str | None, str | None]:
    """The compared period: the current one moved to the stated or previous year."""
    year = int(when) if when.isdigit() else None
    out: list[str | None] = []
    for iso in (current.period_start, current.period_end):
        if iso is None:
            out.append(None)
            continue
        target = year or int(iso[:4]) - 1
        value = f"{target:04d}{iso[4:]}"
        if value.endswith("-02-29"):
            value = value[:-2] + "28"
        out.append(value)
    return out[0], out[1]


def _marker(layout: Layout, sentence: Sentence, tally: bool = True) -> str | None:
    """Which kind of cumulative wording a sentence uses, if any; ``tally`` also counts counts of cases
    with arrests and no period as one."""
    text = sentence.text
    unparsed = None if layout.parsed else patterns.statistic_marker(layout.language, layout, sentence)
    if unparsed:
        return unparsed
    if (layout.language.pattern("month_range").search(text) or layout.language.pattern("month_span").search(text) or _day_range(layout.language, text, layout.reference)
            or _since_day(layout.language, text, layout.reference)):
        return "period"
    if layout.language.pattern("same_period").search(text):
        return "same-period"
    if layout.language.cue("running_total").match(text):
        return "period"
    if (layout.language.pattern("first_months").search(text) or layout.language.pattern("whole_year").search(text) or layout.language.pattern("so_far").search(text)
            or layout.language.pattern("open_period").search(text) or layout.language.pattern("total").search(text)):
        return "period"
    as_of = layout.language.pattern("as_of").search(text)
    if as_of and parse_dates(text[as_of.end():][:30], layout.reference, layout.language):
        return "period"
    if layout.language.pattern("bare_year").search(text) and (_cases(layout.language, text) is not None or (
            _many_arrests(layout, text) and not layout.language.pattern("one_haul").search(text))):
        return "period"
    if tally and _cases(layout.language, text) is not None and _arrests(layout, text) \
            is not None and not layout.language.pattern("one_haul").search(text):
        return "period"  # "police handled 4,004 drug cases and made 7,945 arrests": a tally, not one haul
    if layout.language.pattern("year_span").search(text) and (layout.language.pattern("many").search(text) or layout.language.pattern("wide").search(text) or layout.language.pattern("region_scope").search(text)) and \
            not layout.language.pattern("one_haul").search(text):
        return "period"
    if layout.language.pattern("month_told").search(text) and layout.language.pattern("nationwide").search(text) and \
            not layout.language.pattern("one_haul").search(text):
        return "period"  # "in August a further 871 kg were seized across the country": a month's national total
    if _seized_this_year(layout.language, text):
        return "period"
    return None


def _seized_this_year(language: Language, text: str) -> bool:
    """"This year, authorities have seized over 10 million pills": a year told before a seizure in the
    present perfect is what was seized over that year so far, not one haul."""
    year, perfect = language.pattern("year_span").search(text), language.pattern("perfect_seizure").search(text)
    return bool(year and perfect and year.start() < perfect.start() and not language.pattern("one_haul").search(text))


def _has_values(layout: Layout, sentence: Sentence) -> bool:
    text = sentence.text
    return bool(_goods(text, layout.language.decimal_comma) or _arrests(layout, text) is not None or _cases(layout.language, text) is not None)


def _goods(text: str, decimal_comma: bool = False) -> list[Quantity]:
    return [q for q in find_quantities(text, decimal_comma) if is_goods(q)]


def _arrests(layout: Layout, text: str) -> tuple[int, int, int] | None:
    """(arrested, start, end) from "arrested 1,273 people", "8,927 suspects were arrested"; the pack's
    cue patterns are read too where the sentence has no parse."""
    language = layout.language
    unparsed = None if layout.parsed else language
    for q in find_quantities(text):
        if q.kind != "count" or q.unit != "people":
            continue
        if language.pattern("arrest_before").search(text[max(0, q.start - 30):q.start]) \
                or language.pattern("arrest_after").match(text[q.end:q.end + 40]) \
                or (unparsed is not None and unparsed.cue("arrest").search(text, max(0, q.start - 30), q.start)):
            return int(q.value), q.start, q.end  # the pack's arrest word just before the count
    counted = [found for found in patterns.arrests_in(unparsed, text) if found[0]] if unparsed else []
    if counted:
        return counted[0]
    m = language.pattern("arrests_noun").search(language.to_ascii_digits(text))
    if m:
        value = patterns.count_value(language, m.group("n"))
        if value is not None:
            return int(value), m.start(), m.end()
    return None


def _many_arrests(layout: Layout, text: str) -> bool:
    """Are the arrests a sentence counts too many for one raid ("more than 15,000 suspects were arrested")?"""
    arrested = _arrests(layout, text)
    return arrested is not None and arrested[0] >= _MANY_ARRESTS


def _cases(language: Language, text: str) -> tuple[int, int, int] | None:
    """(cases, start, end); "26 percent, or 1,175 cases, more" is a change, not a count."""
    for q in find_quantities(text):
        if q.kind == "count" and q.unit == "cases":
            if language.pattern("change").search(text[max(0, q.start - 20):q.start]) or language.pattern("change_after").match(text[q.end:q.end + 12]):
                continue
            return int(q.value), q.start, q.end
    return None


def _read(layout: Layout, sentence: Sentence) -> _Draft:
    """Period, items, arrests and cases one sentence states."""
    draft = _Draft(sentences=[sentence], evidence=[layout.span(sentence.start, sentence.end, "sentence")])
    _period(layout, sentence, draft)
    for item in read_items(layout, sentence, _goods(sentence.text, layout.language.decimal_comma)):
        item.commodity = item.commodity or "drugs"
        draft.items.append(freeze(item))
    arrests = _arrests(layout, sentence.text)
    if arrests:
        draft.arrests = arrests[0]
        draft.evidence.append(layout.span(sentence.start + arrests[1], sentence.start + arrests[2], "arrests"))
    cases = _cases(layout.language, sentence.text)
    if cases:
        draft.cases = cases[0]
        draft.evidence.append(layout.span(sentence.start + cases[1], sentence.start + cases[2], "cases"))
    return draft


def _period(layout: Layout, sentence: Sentence, draft: _Draft) -> None:
    """Fill the period fields from "first nine months of 2024", "as of August 17", "年初から10月末まで"."""
    text, ref = sentence.text, layout.reference
    stated = None if layout.parsed else patterns.statistic_period(layout.language, text, ref)
    spanned = _day_range(layout.language, text, ref) or _since_day(layout.language, text, ref)
    if stated and not (stated[0] is None and spanned):  # "the campaign from 1 May to 31 May": its days
        start, end, words = stated
        # a total told before its period is over ("fiscal 2568" told in September): as of the telling
        _set_period(layout, sentence, draft, words, start, _as_of_telling(layout, start, end))
        if patterns.is_month_precise(stated[2]):
            draft.period_start = draft.period_start and draft.period_start[:7]
            draft.period_end = draft.period_end and draft.period_end[:7]
        return
    m = layout.language.pattern("first_months").search(text)
    if m:
        year = int(m.group("year") or m.group("year2") or (ref.year if ref else 0))
        months = 6 if m.group("half") else 3 if m.group("quarter") else parse_number(m.group("n") or "")
        if ref and months and not (m.group("year") or m.group("year2")) and months > ref.month:
            year -= 1  # "the first nine months" told in March are last year's
        if year and months and 1 <= months <= 12:
            _set_period(layout, sentence, draft, m, date(year, 1, 1), month_end(year, int(months)))
            return
    if spanned:
        first_day, last_day, (a, b) = spanned
        if last_day is None and ref and layout.reference_precision == "day" and ref >= first_day:
            last_day = _told_on(layout.language, text, ref, (a, b), first_day) or ref  # a running total: as of its telling
        draft.period_start = first_day.isoformat()
        draft.period_end = last_day.isoformat() if last_day else None
        draft.period_raw = text[a:b]
        draft.evidence.append(layout.span(sentence.start + a, sentence.start + b, "period_start"))
        return
    m = layout.language.pattern("month_range").search(text) or layout.language.pattern("month_span").search(text)
    if m:
        year = int(m.group("year")) if m.group("year") else (ref.year - bool(m.group("last")) if ref else 0)
        month_of = layout.language.numbers("month_names")
        first, last = int(month_of[m.group("m1").lower()]), int(month_of[m.group("m2").lower()])
        if ref and not m.group("year") and not m.group("last") and year == ref.year and last > ref.month:
            year -= 1  # "from January to October" told in March: the months have passed, so last year
        if year and first <= last:
            _set_period(layout, sentence, draft, m, date(year, first, 1), month_end(year, last))
            return
    m = layout.language.pattern("month_told").search(text) if layout.language.pattern("nationwide").search(text) else None
    month = next((d for d in parse_dates(m.group(0), ref, layout.language) if d.precision == "month"), None) if m else None
    if m and month:  # "in August ... across the country": that month, up to the telling if it is not over
        year, number = (int(p) for p in month.iso.split("-"))
        start = date(year, number, 1)
        _set_period(layout, sentence, draft, m, start, _as_of_telling(layout, start, month_end(year, number)))
        return
    wide = _cases(layout.language, text) or _many_arrests(layout, text) or layout.language.pattern("many").search(text) or layout.language.pattern("wide").search(text) or layout.language.pattern("region_scope").search(text)
    m = layout.language.pattern("whole_year").search(text) or (layout.language.pattern("bare_year").search(text) if wide else None)
    if m:
        year = int(m.group("year"))
        _set_period(layout, sentence, draft, m, date(year, 1, 1), date(year, 12, 31))
        return
    m = layout.language.pattern("last_year").search(text) if wide else None
    if m and ref:
        _set_period(layout, sentence, draft, m, date(ref.year - 1, 1, 1), date(ref.year - 1, 12, 31))
        return
    if (layout.language.cue("running_total").match(text) or _seized_this_year(layout.language, text)) and ref \
            and layout.reference_precision == "day":
        # "bringing the total seized in the province this year to ...": the year so far, as of the telling.
        m = layout.language.pattern("year_span").search(text)
        digits = re.search(r"\d{4}", m.group()) if m else None
        year = int(digits.group()) if digits else ref.year
        if m and not layout.language.pattern("last_year").search(m.group()) and year == ref.year:
            _set_period(layout, sentence, draft, m, date(year, 1, 1), ref)
        else:
            draft.period_end = ref.isoformat()
        return
    m = layout.language.pattern("so_far").search(text)
    if m and ref:
        new_year = date(int(m.group("year") or ref.year), 1, 1)
        told = (_told_on(layout.language, text, ref, m.span(), new_year) or ref) if layout.reference_precision == "day" else None
        _set_period(layout, sentence, draft, m, new_year, told if told and told >= new_year else None)
        return
    m = layout.language.pattern("open_period").search(text)
    if m and ref and layout.reference_precision == "day":
        # "in the past three months" (told on the publication day): that span back from it.
        n = int(parse_number(m.group("n")) or 0) if m.group("n") else 1
        unit = "year" if m.group("years") else "month" if m.group("months") else "week"
        if 1 <= n <= 24 and unit != "year":  # "the past year" may mean the calendar year: left open
            told_on = _told_on(layout.language, text, ref, m.span(), None) or ref
            _set_period(layout, sentence, draft, m, _back(told_on, n, unit), told_on)
            return
    m = layout.language.pattern("as_of").search(text)
    if m:
        found = parse_dates(text[m.end():][:30], ref)
        if found and found[0].start == 0 and found[0].precision == "day":
            words_end = m.end() + found[0].end
            draft.period_end = found[0].iso
            draft.period_raw = text[m.start():words_end]
            draft.evidence.append(layout.span(sentence.start + m.start(), sentence.start + words_end, "period_end"))


def _told_on(language: Language, text: str, ref: date, span: tuple[int, int], first: date | None) -> date | None:
    """The day a running total was stated, "told the National Assembly ... on 10 June": a day outside
    the period's own words, introduced by "on", no later than the publication."""
    for d in parse_dates(text, ref):
        if d.precision != "day" or span[0] <= d.start < span[1] or not language.pattern("told_on").search(text[:d.start]):
            continue
        told = d.as_date()
        if told <= ref and (first is None or told >= first):
            return told
    return None


def _back(end: date, n: int, unit: str) -> date:
    """The day n weeks, months or years before ``end``."""
    if unit == "week":
        return end - timedelta(weeks=n)
    return months_before(end, n * 12 if unit == "year" else n)


def _day_range(language: Language, text: str, ref: date | None) -> tuple[date, date, tuple[int, int]] | None:
    """"From Jan 1 to 23", "between 1 January and 30 September 2023": a period given day to day; a bare
    second day keeps the first one's month, a year stated once holds for both."""
    found = parse_dates(text, ref, language)
    for i, first in enumerate(found):
        opening = language.pattern("range_from").search(text, max(0, first.start - 9), first.start)
        if first.precision != "day" or opening is None:
            continue
        joint = language.pattern("range_to").match(text, first.end)
        if joint is None:
            continue
        second = next((d for d in found[i + 1:] if d.start == joint.end() and d.precision == "day"), None)
        start = first.as_date()
        if second is not None:
            end, stop = second.as_date(), second.end
            if not language.pattern("has_year").search(first.raw) and language.pattern("has_year").search(second.raw):
                start = start.replace(year=end.year)
        else:
            day = language.pattern("bare_day").match(text[joint.end():])
            if day is None or not start.day < int(day.group(1)) <= month_end(start.year, start.month).day:
                continue
            end, stop = start.replace(day=int(day.group(1))), joint.end() + day.end()
        if start <= end:
            return start, end, (opening.start(), stop)
    return None


def _since_day(language: Language, text: str, ref: date | None) -> tuple[date, None, tuple[int, int]] | None:
    """"since the start of fiscal 2023 on Oct 1 last year": a period opened on a stated day and still
    running; with no as-of date its end is not stated."""
    for m in language.pattern("since").finditer(text):
        gap = len(text[m.end():]) - len(text[m.end():].lstrip())  # "since Oct 1 last year"
        found = [d for d in parse_dates(text[m.end():m.end() + 60], ref, language) if d.precision == "day"]
        if found and found[0].start == gap:
            return found[0].as_date(), None, (m.start(), m.end() + found[0].end)
    return None


def _as_of_telling(layout: Layout, start: date | None, end: date | None) -> date | None:
    """A period still running on the (known) day it was told ends on that day: the total is as of then."""
    ref = layout.reference
    if end and ref and layout.reference_precision == "day" and (start is None or start <= ref) and ref < end:
        return ref
    return end


def _set_period(layout: Layout, sentence: Sentence, draft: _Draft, m: re.Match[str], start: date | None,
                end: date | None) -> None:
    draft.period_start = start.isoformat() if start else None
    draft.period_end = end.isoformat() if end else None
    draft.period_raw = m.group(0)
    draft.evidence.append(layout.span(sentence.start + m.start(), sentence.start + m.end(), "period_start"))


def _fits(previous: _Draft, new: _Draft) -> bool:
    """Can a "during the period" sentence complete the statistic before it?"""
    told = {(i.substance, i.form) for i in previous.items}
    return not ((previous.items and any((i.substance, i.form) in told for i in new.items))
                or (previous.arrests is not None and new.arrests is not None)
                or (previous.cases is not None and new.cases is not None))


def _without_restatements(drafts: list[_Draft]) -> list[_Draft]:
    """A statistic told in the lead and again in the body (same period, same figures where both give
    one) is one statistic: the later telling only adds the figures the first left out."""
    out: list[_Draft] = []
    for draft in drafts:
        first = next((d for d in out if _restates(d, draft)), None)
        if first is None:
            out.append(draft)
            continue
        first.sentences.extend(draft.sentences)
        first.items = first.items or draft.items
        first.arrests = first.arrests if first.arrests is not None else draft.arrests
        first.cases = first.cases if first.cases is not None else draft.cases
        first.evidence.extend(draft.evidence)
    return out


def _restates(first: _Draft, later: _Draft) -> bool:
    if first.period_start is None and first.period_end is None or first.country != later.country or (
            first.period_start, first.period_end) != (later.period_start, later.period_end):
        return False
    pairs = [(first.cases, later.cases), (first.arrests, later.arrests),
             (sorted(i.mass_kg for i in first.items if i.mass_kg) or None,
              sorted(i.mass_kg for i in later.items if i.mass_kg) or None)]
    shared = [(a, b) for a, b in pairs if a is not None and b is not None]
    return bool(shared) and all(a == b for a, b in shared)


def _join(previous: _Draft, new: _Draft) -> None:
    previous.sentences.extend(new.sentences)
    previous.items.extend(new.items)
    previous.arrests = previous.arrests if previous.arrests is not None else new.arrests
    previous.cases = previous.cases if previous.cases is not None else new.cases
    previous.evidence.extend(new.evidence)


def _finish(layout: Layout, gazetteer: Gazetteer, draft: _Draft, aggregate_id: str,
            fallback_country: str | None, agency_before: str | None) -> Aggregate:
    """Place, agency and confidence for one statistic."""
    provinces: dict[str, tuple[str, Span]] = {}
    for sentence in draft.sentences:
        for m in places_in(layout.language, gazetteer, sentence):
            province = province_of(m.place)
            if province and m.place.kind != "country":
                provinces.setdefault(province, (m.place.country, layout.span(m.start, m.end, "admin1")))
    agency = _agency(layout, draft) or agency_before
    country = None
    admin1 = None
    regional = any(layout.language.pattern("region_scope").search(s.text) or (not layout.parsed and patterns.is_abroad(layout.language, s.text))
                   for s in draft.sentences)
    if len(provinces) == 1 and not regional:
        admin1, (country, span) = next(iter(provinces.items()))
        draft.evidence.append(span)
    elif provinces and not regional:
        country = Counter(c for c, _ in provinces.values()).most_common(1)[0][0]
    elif any(layout.language.pattern("the_province").search(s.text) or (not layout.parsed and patterns.is_provincial(layout.language, s.text)) for s in draft.sentences):
        country, admin1 = _main_province(layout, gazetteer)
    if not regional:
        country = draft.country or country or _agency_country(agency) or _named_country(draft) or fallback_country
    found = sum(x is not None for x in (draft.period_end or draft.period_start, draft.arrests, draft.cases))
    return Aggregate(
        id=aggregate_id, doc_id=layout.doc.id, items=tuple(draft.items), country=country, admin1=admin1,
        agency=agency, period_start=draft.period_start, period_end=draft.period_end,
        period_raw=draft.period_raw, arrests=draft.arrests, cases=draft.cases,
        confidence=round(min(0.9, 0.5 + 0.1 * (found + bool(draft.items))), 2),
        evidence=tuple(draft.evidence))


def _agency(layout: Layout, draft: _Draft) -> str | None:
    """Who the statistic is attributed to, the full name when the report expands an abbreviation."""
    expansions = _expansions(layout.language, layout.doc.text)
    for sentence in draft.sentences:
        m = _abbreviation(layout.language).search(sentence.text)
        if m:
            return m.group("long")
        for short, long in expansions.items():
            if re.search(rf"\b{short}\b", sentence.text):
                return long
        for short in _AGENCY_COUNTRY:
            if re.search(rf"(?<![A-Za-z]){short}(?![A-Za-z])", sentence.text):  # "ONCBによると" has no \b
                return short
    found = find_agency(layout, draft.sentences)
    return found.value if found else None


@lru_cache(maxsize=4)
def _expansions(language: Language, text: str) -> dict[str, str]:
    """Abbreviations the text spells out ("Office of the Narcotics Control Board (ONCB)"), read once
    per document rather than once per statistic."""
    return {m.group("short"): m.group("long") for m in _abbreviation(language).finditer(text)}


@lru_cache(maxsize=16)
def _clause_cuts(language: Language) -> re.Pattern[str]:
    """Where a sentence splits into clauses: a semicolon, or a comma and the pack's joining word."""
    return re.compile(rf",\s+(?:{language.pattern('clause_joiners').pattern})\s+|;\s+")


@lru_cache(maxsize=16)
def _clause_opening(language: Language) -> re.Pattern[str]:
    """A country opening a clause: at the start, or after a comma or the pack's joining word ("and")."""
    joiners = language.pattern("clause_joiners").pattern
    return re.compile(rf"(?:^|[,;]\s*(?:(?:{joiners})\s+)?|\s(?:{joiners})\s+)$")


@lru_cache(maxsize=16)
def _abbreviation(language: Language) -> re.Pattern[str]:
    """A name in capitals and its abbreviation in brackets, "Office of the Narcotics Control Board (ONCB)";
    the pack's small words may join the capitalised ones."""
    joiners = language.pattern("name_joiners").pattern
    return re.compile(rf"(?P<long>(?:[A-Z][\w'-]*\s+)(?:(?:{joiners})\s+|[A-Z][\w'-]*\s+)*"
                      r"[A-Z][\w'-]*)\s*[(（](?P<short>[A-Z]{2,8})[)）]")


def _agency_country(agency: str | None) -> str | None:
    if not agency:
        return None
    for short, code in _AGENCY_COUNTRY.items():
        if short in agency:
            return code
    mentions = find_countries(agency)
    if mentions:
        return mentions[0].code
    if "National Authority for Combating Drugs" in agency:
        return "KH"
    return None


def _named_country(draft: _Draft) -> str | None:
    for sentence in draft.sentences:
        codes = country_codes(sentence.text)
        if codes:
            return codes[0]
    return None


def _main_province(layout: Layout, gazetteer: Gazetteer) -> tuple[str | None, str | None]:
    """(country, province) the report's places name most often: what "the province" refers to."""
    counts: Counter[tuple[str, str]] = Counter()
    for sentence in layout.sentences:
        for m in places_in(layout.language, gazetteer, sentence):
            province = province_of(m.place)
            if province and m.place.kind != "country":
                counts[(m.place.country, province)] += 1
    if not counts:
        return None, None
    country, province = counts.most_common(1)[0][0]
    return country, province


def _main_country(layout: Layout, gazetteer: Gazetteer) -> str | None:
    """The country most of the report's places lie in."""
    counts: Counter[str] = Counter()
    for sentence in layout.sentences:
        for m in places_in(layout.language, gazetteer, sentence):
            if m.place.kind != "country":
                counts[m.place.country] += 1
    if counts:
        return counts.most_common(1)[0][0]
    if layout.dateline:
        return layout.dateline.place.country
    # "A report released by the NACD ...": with no place named, the national body the report cites.
    cited = [(m.start(), code) for short, code in _AGENCY_COUNTRY.items()
             for m in [re.search(rf"\b{short}\b", layout.doc.text)] if m]
    return min(cited)[1] if cited else None
