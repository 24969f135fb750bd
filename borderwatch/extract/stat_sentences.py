"""Statistic sentences: which sentences tell a cumulative total rather than one haul."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from borderwatch.dates import parse_dates
from borderwatch.extract import patterns
from borderwatch.extract.context import Layout, Sentence, sentence_dates, sentence_substances
from borderwatch.extract.nlp import subtree
from borderwatch.extract.stat_figures import goods_in, has_values, many_arrests, read_arrests, read_cases
from borderwatch.extract.stat_periods import day_range, seized_this_year, since_day
from borderwatch.geo.countries import find_countries
from borderwatch.lang import Language

_PLACE_ENTITIES = frozenset({"GPE", "LOC", "FAC"})
"""The parser's entity labels for places: a sentence naming one tells where, as a haul does."""


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
        if (cumulative_marker(layout, s) is not None and has_values(layout, s)) or (
                out and i and out[-1] is layout.sentences[i - 1] and country_breakdown(layout, s)) or (
                i - last <= 3 and continues_statistic(layout, s, out[-1] if out else None)):
            out.append(s)
            last = i
    return out


def running_total(layout: Layout, sentence: Sentence) -> Sentence | None:
    """", bringing the total seized this year to 15 million pills": the clause after a haul that sums it with
    earlier ones, when it states amounts of its own."""
    m = layout.language.cue("running_total").search(sentence.text)
    if m is None or not has_values(layout, Sentence(0, 0, sentence.text[m.end():], sentence.paragraph, None)):
        return None
    start = sentence.start + m.start()
    return Sentence(start, sentence.end, layout.doc.text[start:sentence.end], sentence.paragraph, None)


def continues_statistic(layout: Layout, sentence: Sentence, before: Sentence | None) -> bool:
    """A sentence just after a statistic (``before``) that goes on with its figures, undated: "The drugs
    confiscated weighed 245kg in total", "... with 1,680 cases resolved and 2,616 people arrested", "police had
    detained 3,950 people", or the statistic's speaker going on with the goods."""
    text = sentence.text
    if sentence.tokens is None or layout.language.pattern("one_haul").search(text) or sentence_dates(layout, sentence) or \
            layout.language.pattern("part_of").match(text):
        return False
    return read_cases(layout.language, text) is not None or many_arrests(layout, text) or bool(
        (layout.language.pattern("tally").search(text) or _told_by_the_report(layout.language, sentence)
         or _speaker_goes_on(layout, sentence, before) or _seizers_go_on(layout, sentence)) and goods_in(text))


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


def _seizers_go_on(layout: Layout, sentence: Sentence) -> bool:
    """"... police handled 2,241 cases and arrested 3,452 people. They seized nearly 46 million pills ...": those
    the statistic counts, as a pronoun, seizing more, with no year or place of their own."""
    language, span = layout.language, sentence.tokens
    if span is None or language.pattern("has_year").search(sentence.text):
        return False
    root = span.root
    return root.lemma_.lower() in language.words("strong_verbs") and any(
        t.dep_ == "nsubj" and t.lower_ in language.words("group_pronouns") for t in root.children) and not \
        _names_place(layout, sentence)


def _names_place(layout: Layout, sentence: Sentence) -> bool:
    """Does the parse find a place in the sentence (a goods name it takes for one, "meth", is none)?"""
    span = sentence.tokens
    goods = [(sentence.start + m.start, sentence.start + m.end) for m in sentence_substances(layout, sentence)]
    return span is not None and any(t.ent_type_ in _PLACE_ENTITIES and not t.is_punct and not any(a <= t.idx < b for a, b in goods)
                                    for t in span)


def _speaker_goes_on(layout: Layout, sentence: Sentence, before: Sentence | None) -> bool:
    """"General Sone said police had detained 3,950 people. General Sone also disclosed that 4 tonnes of ...
    were confiscated": the one who told a statistic, named again or as "he", telling more figures with no
    year or place of their own (a goods name the parser takes for a place is none)."""
    language, span, told = layout.language, sentence.tokens, before.tokens if before is not None else None
    if span is None or told is None or language.pattern("has_year").search(sentence.text):
        return False
    if _names_place(layout, sentence):
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


def country_breakdown(layout: Layout, sentence: Sentence) -> list[tuple[str, Sentence]]:
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
        if goods_in(clause.text) and not layout.language.pattern("arrest_before").search(clause.text):
            out.append((c.code, clause))
    return out


def is_destruction(language: Language, text: str) -> bool:
    """Burning or destroying stock seized earlier: neither a new seizure nor a total of seizures."""
    return bool(language.pattern("destruction").search(text))


def cumulative_marker(layout: Layout, sentence: Sentence, tally: bool = True) -> str | None:
    """Which kind of cumulative wording a sentence uses, if any; ``tally`` also counts counts of cases
    with arrests and no period as one."""
    text = sentence.text
    unparsed = None if layout.parsed else patterns.statistic_marker(layout.language, layout, sentence)
    if unparsed:
        # "2015年, ... 一次逮捕了155名中国籍伐木工人": a year told with one sweep's arrests is that operation
        return None if layout.language.pattern("one_haul").search(text) else unparsed
    if (layout.language.pattern("month_range").search(text) or layout.language.pattern("month_span").search(text) or day_range(layout.language, text, layout.reference)
            or since_day(layout.language, text, layout.reference)):
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
    if layout.language.pattern("bare_year").search(text) and (read_cases(layout.language, text) is not None or (
            many_arrests(layout, text) and not layout.language.pattern("one_haul").search(text))):
        return "period"
    if tally and read_cases(layout.language, text) is not None and read_arrests(layout, text) \
            is not None and not layout.language.pattern("one_haul").search(text):
        return "period"  # "police handled 4,004 drug cases and made 7,945 arrests": a tally, not one haul
    if layout.language.pattern("year_span").search(text) and (layout.language.pattern("many").search(text) or layout.language.pattern("wide").search(text) or layout.language.pattern("region_scope").search(text)) and \
            not layout.language.pattern("one_haul").search(text):
        return "period"
    if layout.language.pattern("month_told").search(text) and layout.language.pattern("nationwide").search(text) and \
            not layout.language.pattern("one_haul").search(text):
        return "period"  # "in August a further 871 kg were seized across the country": a month's national total
    if seized_this_year(layout.language, text):
        return "period"
    return None


@lru_cache(maxsize=16)
def _clause_opening(language: Language) -> re.Pattern[str]:
    """A country opening a clause: at the start, or after a comma or the pack's joining word ("and")."""
    joiners = language.pattern("clause_joiners").pattern
    return re.compile(rf"(?:^|[,;]\s*(?:(?:{joiners})\s+)?|\s(?:{joiners})\s+)$")
