"""Aggregate statistics: cumulative totals a report attributes to someone ("as of August 17 ...
682 kilograms, 13,460 arrests", "over the first nine months of 2024 ... 739 cases"). They are
kept apart from seizures and never summed with them; one statistic may span two sentences
("... 4,510 cases." + "... 209 kilogrammes ... during the period").
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import replace
from functools import lru_cache

from spacy.tokens import Doc

from borderwatch.extract import patterns
from borderwatch.extract.context import Layout, Sentence, country_codes, places_in, province_of, read_layout
from borderwatch.extract.items import freeze, is_goods, read_items
from borderwatch.extract.routes import find_agency
from borderwatch.extract.stat_figures import StatDraft, goods_in, has_values, read_arrests, read_cases
from borderwatch.extract.stat_periods import read_period, shifted_period, year_before_compared
from borderwatch.extract.stat_sentences import (
    aggregate_sentences,
    continues_statistic,
    country_breakdown,
    cumulative_marker,
)
from borderwatch.extract.units import find_quantities, parse_number
from borderwatch.geo.countries import find_countries
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.lang import Language
from borderwatch.model import Aggregate, Document, Item, Span

_AGENCY_COUNTRY = {"NACD": "KH", "LCDC": "LA", "ONCB": "TH", "CCDAC": "MM", "SODC": "VN", "ADP": "KH"}


def extract_aggregates(doc: Document, parsed: Doc | None, gazetteer: Gazetteer) -> list[Aggregate]:
    """Every cumulative statistic the report gives, with its period, items, arrests and cases."""
    layout = read_layout(doc, parsed, gazetteer)
    drafts: list[StatDraft] = []
    comparisons: list[StatDraft] = []
    earlier: StatDraft | None = None
    statistics = aggregate_sentences(layout)
    for i, whole in enumerate(statistics):
        after_total = i > 0 and _position(layout, whole) == _position(layout, statistics[i - 1]) + 1
        split = country_breakdown(layout, whole) if after_total else []
        by_country = {clause.start: code for code, clause in split}
        for sentence in [clause for _, clause in split] or _clauses(layout, whole):
            masked, compared = _mask_comparisons(layout.language, sentence)
            marker = cumulative_marker(layout, masked)
            draft = _read(layout, masked)
            year_before_compared(layout, masked, draft, compared)
            draft.country = by_country.get(sentence.start)
            previous = drafts[-1] if drafts else None
            if previous and draft.period_start is None and draft.period_end is None and (
                    layout.language.pattern("share").search(masked.text) or draft.country):
                draft.period_start, draft.period_end = previous.period_start, previous.period_end
            position = _position(layout, whole)
            near = previous is not None and position - _position(layout, previous.sentences[-1]) <= 3
            undated = draft.period_start is None and draft.period_end is None
            told_before = previous.sentences[-1] if previous else None
            # "... 858 cases and 1,937 arrests so far this year." + "The police have seized a total of 65 kg of
            # drugs": the figures the statistic left out, told in a sentence of their own
            completes = undated and near and bool(draft.items) and not previous.items if previous else False
            if previous and (marker == "same-period" or (undated and near and continues_statistic(layout, whole, told_before))
                             or completes) and _fits(previous, draft):
                _join(previous, draft)
                draft = previous
            else:
                if undated and previous and near and (marker == "same-period" or continues_statistic(layout, whole, told_before)):
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
        # (or one going on with the period of a statistic just told)
        drafts = [d for d in drafts if d.period_raw or d.period_start or d.period_end
                  or patterns.is_statistic(layout.language, layout, d.sentences)]
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


def _period_before(layout: Layout, position: int, draft: StatDraft) -> None:
    """"... in the past three months." + "In Attapeu, timber seized in that time adds up to ...": the period
    of the sentence before (up to two back) that states one without figures."""
    for s in reversed(layout.sentences[max(0, position - 2):position]):
        if cumulative_marker(layout, s) == "period":
            told = StatDraft(sentences=[s])
            read_period(layout, s, told)
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
    # a comparison's year ("... every figure higher than in 2019") is no period of a clause's own
    with_period = [p for p in parts if cumulative_marker(layout, _mask_comparisons(layout.language, p)[0], tally=False) == "period"
                   and has_values(layout, p)]
    return parts if len(with_period) >= 2 else [sentence]


def _mask_comparisons(language: Language, sentence: Sentence) -> tuple[Sentence, list[re.Match[str]]]:
    """The sentence with earlier-period comparisons blanked (offsets kept), and those comparisons."""
    found = list(language.pattern("comparison").finditer(sentence.text))
    text = sentence.text
    for m in found:
        text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    return replace(sentence, text=text), found


def _compare(layout: Layout, sentence: Sentence, compared: list[re.Match[str]], current: StatDraft,
             earlier: StatDraft | None, drafts: list[StatDraft]) -> StatDraft | None:
    """Record "from 12,356 in the same period last year" as the earlier period's statistic."""
    for m in compared:
        if m.group("value") is None:
            continue  # "every figure higher than in 2019": no figure of that year to record
        start, end = shifted_period(layout, current, m.group("when"))
        if earlier is None or (earlier.period_start, earlier.period_end) != (start, end):
            earlier = StatDraft(sentences=[sentence], period_start=start, period_end=end, period_raw=m.group(0).strip(" ,"))
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


def _read(layout: Layout, sentence: Sentence) -> StatDraft:
    """Period, items, arrests and cases one sentence states."""
    draft = StatDraft(sentences=[sentence], evidence=[layout.span(sentence.start, sentence.end, "sentence")])
    read_period(layout, sentence, draft)
    for item in read_items(layout, sentence, goods_in(sentence.text, layout.language.decimal_comma)):
        item.commodity = item.commodity or "drugs"
        draft.items.append(freeze(item))
    arrests = read_arrests(layout, sentence.text)
    if arrests:
        draft.arrests = arrests[0]
        draft.evidence.append(layout.span(sentence.start + arrests[1], sentence.start + arrests[2], "arrests"))
    cases = read_cases(layout.language, sentence.text)
    if cases:
        draft.cases = cases[0]
        draft.evidence.append(layout.span(sentence.start + cases[1], sentence.start + cases[2], "cases"))
    return draft


def _fits(previous: StatDraft, new: StatDraft) -> bool:
    """Can a "during the period" sentence complete the statistic before it?"""
    told = {(i.substance, i.form) for i in previous.items}
    return not ((previous.items and any((i.substance, i.form) in told for i in new.items))
                or (previous.arrests is not None and new.arrests is not None)
                or (previous.cases is not None and new.cases is not None))


def _without_restatements(drafts: list[StatDraft]) -> list[StatDraft]:
    """A statistic told in the lead and again in the body (same period, same figures where both give
    one) is one statistic: the later telling only adds the figures the first left out."""
    out: list[StatDraft] = []
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


def _restates(first: StatDraft, later: StatDraft) -> bool:
    if first.period_start is None and first.period_end is None or first.country != later.country or (
            first.period_start, first.period_end) != (later.period_start, later.period_end):
        return False
    pairs = [(first.cases, later.cases), (first.arrests, later.arrests),
             (sorted(i.mass_kg for i in first.items if i.mass_kg) or None,
              sorted(i.mass_kg for i in later.items if i.mass_kg) or None)]
    shared = [(a, b) for a, b in pairs if a is not None and b is not None]
    if not shared:
        # "arrested 10,545 suspects in 4,384 cases over the first eight months" + "A total of 6.11 ton ... were
        # seized from January to August": the goods the first telling of the period left out
        return not first.items and bool(later.items) and later.arrests is None and later.cases is None
    return all(a == b for a, b in shared)


def _join(previous: StatDraft, new: StatDraft) -> None:
    previous.sentences.extend(new.sentences)
    previous.items.extend(new.items)
    previous.arrests = previous.arrests if previous.arrests is not None else new.arrests
    previous.cases = previous.cases if previous.cases is not None else new.cases
    previous.evidence.extend(new.evidence)


def _finish(layout: Layout, gazetteer: Gazetteer, draft: StatDraft, aggregate_id: str,
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


def _agency(layout: Layout, draft: StatDraft) -> str | None:
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


def _named_country(draft: StatDraft) -> str | None:
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
