"""Statistic periods: the days a cumulative total covers, from its wording and the day it was told."""

from __future__ import annotations

import re
from datetime import date, timedelta

from borderwatch.dates import month_end, months_before, parse_dates
from borderwatch.extract import patterns
from borderwatch.extract.context import Layout, Sentence
from borderwatch.extract.stat_figures import StatDraft, many_arrests, read_cases
from borderwatch.extract.units import parse_number
from borderwatch.lang import Language


def read_period(layout: Layout, sentence: Sentence, draft: StatDraft) -> None:
    """Fill the period fields from "first nine months of 2024", "as of August 17", "年初から10月末まで"."""
    text, ref = sentence.text, layout.reference
    stated = None if layout.parsed else patterns.statistic_period(layout.language, text, ref)
    spanned = day_range(layout.language, text, ref) or since_day(layout.language, text, ref)
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
        start_year = year - 1 if m.groupdict().get("last1") else year  # "between October last year and August"
        if ref and not m.group("year") and not m.group("last") and start_year == year == ref.year and last > ref.month:
            year = start_year = year - 1  # "from January to October" told in March: the months have passed, so last year
        if year and (first <= last or start_year < year):
            _set_period(layout, sentence, draft, m, date(start_year, first, 1), month_end(year, last))
            return
    m = layout.language.pattern("month_told").search(text) if layout.language.pattern("nationwide").search(text) else None
    month = next((d for d in parse_dates(m.group(0), ref, layout.language) if d.precision == "month"), None) if m else None
    if m and month:  # "in August ... across the country": that month, up to the telling if it is not over
        year, number = (int(p) for p in month.iso.split("-"))
        start = date(year, number, 1)
        _set_period(layout, sentence, draft, m, start, _as_of_telling(layout, start, month_end(year, number)))
        return
    wide = read_cases(layout.language, text) or many_arrests(layout, text) or layout.language.pattern("many").search(text) or layout.language.pattern("wide").search(text) or layout.language.pattern("region_scope").search(text)
    m = layout.language.pattern("whole_year").search(text) or (layout.language.pattern("bare_year").search(text) if wide else None)
    if m:
        year = int(m.group("year"))
        _set_period(layout, sentence, draft, m, date(year, 1, 1), date(year, 12, 31))
        return
    m = layout.language.pattern("last_year").search(text) if wide else None
    if m and ref:
        _set_period(layout, sentence, draft, m, date(ref.year - 1, 1, 1), date(ref.year - 1, 12, 31))
        return
    if (layout.language.cue("running_total").match(text) or seized_this_year(layout.language, text)) and ref \
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
            if layout.language.pattern("this_month").search(text):
                # "As of 19 August, ... seized 15 million pills in total for the month": since that month began
                draft.period_start = found[0].iso[:8] + "01"


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


def day_range(language: Language, text: str, ref: date | None) -> tuple[date, date, tuple[int, int]] | None:
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


def since_day(language: Language, text: str, ref: date | None) -> tuple[date, None, tuple[int, int]] | None:
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


def _set_period(layout: Layout, sentence: Sentence, draft: StatDraft, m: re.Match[str], start: date | None,
                end: date | None) -> None:
    draft.period_start = start.isoformat() if start else None
    draft.period_end = end.isoformat() if end else None
    draft.period_raw = m.group(0)
    draft.evidence.append(layout.span(sentence.start + m.start(), sentence.start + m.end(), "period_start"))


def shifted_period(layout: Layout, current: StatDraft, when: str) -> tuple[str | None, str | None]:
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


def year_before_compared(layout: Layout, sentence: Sentence, draft: StatDraft, compared: list[re.Match[str]]) -> None:
    """"... seized last year, 19 percent more than in 2019" on an undated page: a year compared with
    "last year" is the one before it, so last year is 2020."""
    if layout.reference is not None or draft.period_start or draft.period_end:
        return
    m = layout.language.pattern("last_year").search(sentence.text)
    years = [int(c.group("when")) for c in compared if c.group("when").isdigit()]
    if m and years:
        _set_period(layout, sentence, draft, m, date(years[0] + 1, 1, 1), date(years[0] + 1, 12, 31))


def seized_this_year(language: Language, text: str) -> bool:
    """"This year, authorities have seized over 10 million pills": a year told before a seizure in the
    present perfect is what was seized over that year so far, not one haul."""
    year, perfect = language.pattern("year_span").search(text), language.pattern("perfect_seizure").search(text)
    return bool(year and perfect and year.start() < perfect.start() and not language.pattern("one_haul").search(text))
