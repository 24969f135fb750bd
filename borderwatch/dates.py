"""Date parsing, in one place: absolute dates, datelines and relative dates resolved
against a reference (the publication date). Used by ingest (datelines) and extract
(event dates, periods), so every stage reads dates the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from borderwatch.lang import NEVER, all_languages, every_numbers, every_pattern
from borderwatch.model import Precision

if TYPE_CHECKING:
    from borderwatch.lang import Language

_YEAR = r"(?P<year>(?:19|20)\d\d)"
_ASCII_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")  # one for one: offsets stay true


@dataclass(frozen=True)
class _Readers:
    """The date reader's patterns, built once from every pack's words: every document is read with all
    of them (an English report quotes a date written "2024年3月5日")."""

    absolute: tuple[re.Pattern[str], ...]
    """Absolute forms, most specific first; each yields year/month/day groups (year optional)."""
    year_words: re.Pattern[str]
    """"Oct 1 last year": a day and month whose year is told relative to the publication."""
    part_of_year: re.Pattern[str]
    """"in late 2023", "mid-2019", "the end of 2022": a year at year precision."""
    relative: re.Pattern[str]
    """"yesterday", "last Monday", "earlier this month": a day, month or year counted from the publication."""
    marked_day: re.Pattern[str]
    """A bare "2日": a day of the publication month (or the one before)."""
    era: re.Pattern[str]
    """An era year ("令和7年" = 2025), with its month and day when told."""
    marked_year: re.Pattern[str]
    """A year alone ("2024年")."""
    marked_relative: re.Pattern[str]
    """A month or year relative to the publication ("先月28日", "今月上旬", "昨年12月")."""
    marked_month: re.Pattern[str]
    """A bare month, the latest one by the publication date ("9月にも")."""
    month_alone: re.Pattern[str]
    """"in July", "In October last year", "since early March": a month named without a day or year."""
    ordinal_day: re.Pattern[str]
    """"on the 14th": a day of the publication month (or of the month before, when still to come)."""
    week: re.Pattern[str]
    """"last week", "earlier this week", "last weekend": a span of days, told at the month it falls in."""


def _keys(table: dict[str, float]) -> str:
    """A table's words as one alternation, the longest first."""
    return "|".join(re.escape(w) for w in sorted(table, key=len, reverse=True)) or NEVER


@lru_cache(maxsize=1)
def _readers() -> _Readers:
    month = rf"(?P<month>{every_pattern('month_name')})\.?"
    suffix = every_pattern("ordinal_suffix")
    day = rf"(?P<day>[0-3]?\d)(?:{suffix})?"
    weekday = rf"(?P<weekday>{every_pattern('weekday')})"
    of = every_pattern("day_of")
    # "Nov 28-30", "August 7 and 8": two days of one operation
    # ("August 7 and 8, 2012", never "March 5 and 6 people").
    to = rf"(?:\s*[-–]\s*|\s+(?:{every_pattern('day_and')})\s+(?=[0-3]?\d\b(?!\s+[^\W\d_])))"
    y, m, d = (f"(?:{every_pattern(mark)})" for mark in ("year_mark", "month_mark", "day_mark"))
    # Right after a month, a day may carry a mark that alone would name no day ("12月5号", not "5号公路").
    md = f"(?:{every_pattern('day_mark')}|{every_pattern('day_mark_after_month')})"
    after_year = f"(?<!\\d)(?<!{y})"
    absolute = (
        re.compile(rf"\b{_YEAR}-(?P<month_num>[01]\d)-(?P<day>[0-3]\d)\b"),
        # "2016/12/30": year first with slashes, as East Asian pages stamp their datelines.
        re.compile(rf"(?<![\d/]){_YEAR}/(?P<month_num>1[0-2]|0?[1-9])/(?P<day>3[01]|[12]\d|0?[1-9])(?![\d/])"),
        re.compile(rf"{_YEAR}\s*{y}\s*(?P<month_num>1[0-2]|0?[1-9])\s*{m}(?:\s*(?P<day>[0-3]?\d)\s*{md})?"),
        # "Nov 28-30", "28-30 November": an operation over days is dated to its month.
        re.compile(rf"\b{month}\s+{day}{to}(?P<day_to>[0-3]?\d)\b(?:,?\s+{_YEAR})?", re.IGNORECASE),
        re.compile(rf"\b{day}{to}(?P<day_to>[0-3]?\d)\s+{month},?(?:\s+{_YEAR})?\b", re.IGNORECASE),
        re.compile(rf"\b(?:{weekday},?\s+)?{day}(?:\s+(?:{of}))?\s+{month},?(?:\s+{_YEAR})?\b", re.IGNORECASE),
        re.compile(rf"\b(?:{weekday},?\s+)?{month}\s+{day}\b(?:,?\s+{_YEAR})?", re.IGNORECASE),
        re.compile(rf"\b{month}\s+{_YEAR}\b", re.IGNORECASE),
        re.compile(rf"{after_year}(?P<month_num>1[0-2]|[1-9])\s*{m}\s*(?P<day>[0-3]?\d)\s*{md}"),
        # "14/03/2024", "14.03.2024": the region's outlets write day first; a first number over 12 is a day anyway.
        re.compile(rf"(?<![\d/.])(?P<day>[0-3]?\d)[/.](?P<month_num>[0-3]?\d)[/.]{_YEAR}(?![\d/]|\.\d)"),
    )
    relative = (rf"\b(?P<word>(?P<days>{_keys(every_numbers('relative_days'))})"
                + "".join(f"|(?P<{kind}>{every_pattern('relative_' + kind)})"
                          for kind in ("this_month", "last_month", "this_year", "last_year"))
                + rf"|(?:(?P<last_week>{every_pattern('last_weekday_before')})|{every_pattern('weekday_before')})?"
                + rf"{weekday}(?:{every_pattern('weekday_after')})?(?P<week_before>{every_pattern('weekday_last_week')})?)\b")
    months_back, years_back = every_numbers("months_back"), every_numbers("years_back")
    return _Readers(
        absolute=absolute,
        year_words=re.compile(rf"\s+(?P<which>{_keys(every_numbers('year_offsets'))})\b", re.IGNORECASE),
        part_of_year=re.compile(rf"\b(?:{every_pattern('part_of_year')})\s*{_YEAR}\b", re.IGNORECASE),
        relative=re.compile(relative, re.IGNORECASE),
        marked_day=re.compile(rf"(?<!{m}){after_year}(?P<day>[0-3]?\d)\s*{d}"),
        era=re.compile(rf"(?P<era>{every_pattern('era')})\s*(?P<year>\d{{1,2}}|{every_pattern('first_year')})\s*{y}"
                       rf"(?:\s*(?P<month>1[0-2]|0?[1-9])\s*{m}(?:\s*(?P<day>[0-3]?\d)\s*{md})?)?"),
        marked_year=re.compile(rf"(?<!\d){_YEAR}\s*{y}(?!\s*\d{{1,2}}\s*{m})"),
        marked_relative=re.compile(rf"(?P<rel>{_keys({**months_back, **years_back})})(?:\s*(?P<month>1[0-2]|[1-9])\s*{m})?"
                                   rf"(?:\s*(?P<day>[0-3]?\d)\s*{md})?"),
        marked_month=re.compile(rf"(?<![\d～~〜・\-])(?<!{y})(?<!{m})(?P<month>1[0-2]|[1-9])\s*{m}"
                                rf"(?!\s*\d{{1,2}}\s*{md}|\s*[～~〜\-])"),
        month_alone=re.compile(
            rf"\b(?:(?P<last>{every_pattern('month_alone_last')})|{every_pattern('month_alone_before')})\s*"
            rf"(?:(?:{every_pattern('month_alone_part')})\s*)?(?P<name>{every_pattern('month_alone_name')})(?!\s*\d|\w)"
            rf"(?:\s+(?P<which>{every_pattern('month_alone_year')})\b)?"),
        ordinal_day=re.compile(
            rf"\b(?:{every_pattern('ordinal_day_before')})(?P<told>(?:{every_pattern('ordinal_day_the')})"
            rf"(?P<day>[0-3]?\d)(?:{suffix}))\b(?!{every_pattern('ordinal_day_not_after')})"),
        week=re.compile(rf"\b(?P<which>{_keys(every_numbers('weeks_back'))}) (?P<unit>{_keys(every_numbers('week_middle'))})\b",
                        re.IGNORECASE),
    )


def month_numbers() -> dict[str, int]:
    """Every pack's month names ("january", "jan", "sept") -> 1-12, as the date reader reads them."""
    return {name: int(number) for name, number in every_numbers("month_names").items()}


@lru_cache(maxsize=1)
def clock_pattern() -> re.Pattern[str]:
    """A clock time beside a date ("at 9:14 AM", "10.30 GMT+7"): what a dateline or a comment's timestamp
    may carry besides its date; the words before and after the time are every pack's."""
    return re.compile(rf"\b(?:(?:{every_pattern('clock_before')})[ \t]+)?\d{{1,2}}[:.]\d\d"
                      rf"(?:[ \t]*(?:{every_pattern('clock_after')}))?"
                      r"(?:[ \t]*(?:GMT|UTC|ICT)(?:[ \t]*[+-][ \t]*\d{1,2}(?::?\d\d)?)?)?", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedDate:
    """A date as ISO text at the precision the source gives, with the words it came from."""

    iso: str
    precision: Precision
    raw: str
    start: int
    end: int

    def as_date(self) -> date:
        """The first day the value can mean (for ordering and arithmetic)."""
        parts = [int(p) for p in self.iso.split("-")] + [1, 1]
        return date(parts[0], parts[1], parts[2])


def parse_dates(text: str, reference: date | None = None, language: Language | None = None) -> list[ParsedDate]:
    """Every absolute or weekday/relative date in ``text``, resolved against ``reference``; with a
    ``language``, also the dates its pack's patterns read ("ngày 9/11/2024", "17 ต.ค. 2568")."""
    return list(_dates(text, reference, language))


@lru_cache(maxsize=2048)
def _dates(text: str, reference: date | None, language: Language | None) -> tuple[ParsedDate, ...]:
    """``parse_dates``, read once per text, reference and language: a document's stages ask again and
    again of the same sentences (~3 calls a distinct text)."""
    written, text = text, text.translate(_ASCII_DIGITS)
    if language is not None:
        text = language.to_ascii_digits(text)
    found: list[ParsedDate] = []
    taken: list[tuple[int, int]] = []
    for pattern in _readers().absolute:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            parsed = _from_match(m, reference)
            if parsed:
                found.append(parsed)
            # An impossible "31 February 2020" is not a date, nor is its "February 2020".
            taken.append((m.start(), max(m.end(), parsed.end if parsed else 0)))
    for m in _readers().part_of_year.finditer(text):
        if not any(s < m.end() and m.start() < e for s, e in taken):
            found.append(ParsedDate(m.group("year"), "year", m.group(0), m.start(), m.end()))
            taken.append((m.start(), m.end()))
    pack_found = _pack_dates(text, reference, language) if language is not None else []
    for parsed in [*pack_found, *_marked(text, reference), *_relative(text, reference)]:
        if not any(s < parsed.end and parsed.start < e for s, e in taken):
            found.append(parsed)
            taken.append((parsed.start, parsed.end))
    return tuple(sorted((replace(p, raw=written[p.start:p.end]) for p in found), key=lambda p: p.start))


def _pack_dates(text: str, reference: date | None, language: Language) -> list[ParsedDate]:
    """Dates read by a pack's patterns, from their named groups: ``day``, ``month`` (digits) or
    ``month_name`` (the pack's month words), ``year`` with an optional ``era`` (Buddhist era:
    2568 -> 2025; a two-digit year takes the pack's ``__two_digit__`` base), ``rel`` a word for a day
    counted back from the publication day (the pack's ``months`` maps "rel:WORD" to days back), ``weekday``
    a day of the week ("wd:WORD" -> 0 for Monday ... 6), ``last_week`` or ``last_month`` the week or month
    before the publication's, told at its month."""
    out: list[ParsedDate] = []
    for pattern in language.date_patterns:
        for m in pattern.finditer(text):
            groups = {k: v for k, v in m.groupdict().items() if v}
            if "weekday" in groups:  # the pack's "wd:WORD" -> 0 (Monday) .. 6: the last such day up to publication
                target = language.months.get("wd:" + groups["weekday"].lower())
                if reference is not None and target is not None:
                    day = reference - timedelta(days=(reference.weekday() - target) % 7)
                    out.append(ParsedDate(day.isoformat(), "day", m.group(0), m.start(), m.end()))
                continue
            if "last_week" in groups or "last_month" in groups:
                if reference is not None:
                    # as "last week" / "last month" in English: a span of days, told at the month it falls
                    # in (a week's by its Thursday)
                    day = reference - timedelta(days=reference.weekday() + 4) if "last_week" in groups \
                        else reference.replace(day=1) - timedelta(days=1)
                    out.append(ParsedDate(f"{day.year:04d}-{day.month:02d}", "month", m.group(0), m.start(), m.end()))
                continue
            if "rel" in groups:
                back = language.months.get("rel:" + groups["rel"].lower())
                if reference is not None and back is not None:
                    day = reference - timedelta(days=back)
                    out.append(ParsedDate(day.isoformat(), "day", m.group(0), m.start(), m.end()))
                continue
            month = int(groups["month"]) if "month" in groups else language.months.get(
                groups.get("month_name", "").lower().strip(". "))
            year = _pack_year(groups, language)
            day_of = int(groups["day"]) if "day" in groups else None
            if year is None and month and reference is not None:
                year = reference.year - (month > reference.month)
            if year is None or not 1900 <= year <= 2100:
                continue
            try:
                value = date(year, month or 1, day_of or 1)
            except ValueError:
                continue
            if month is None:
                out.append(ParsedDate(f"{year:04d}", "year", m.group(0), m.start(), m.end()))
            elif day_of is None:
                out.append(ParsedDate(value.isoformat()[:7], "month", m.group(0), m.start(), m.end()))
            else:
                out.append(ParsedDate(value.isoformat(), "day", m.group(0), m.start(), m.end()))
    return out


def _pack_year(groups: dict[str, str], language: Language) -> int | None:
    if "year" not in groups:
        return None
    year = int(groups["year"])
    if year < 100:
        return year + language.era_offsets.get("__two_digit__", 2000)
    era = groups.get("era")
    if era:
        return year + language.era_offsets.get(era.strip(), 0)
    if year > 2400:  # a Buddhist-era year written without its era word
        return year + language.era_offsets.get("__bare__", 0)
    return year


def parse_date(text: str, reference: date | None = None) -> ParsedDate | None:
    """The first date in ``text``, or None when it states none."""
    dates = parse_dates(text, reference)
    return dates[0] if dates else None


def to_date(iso: str | None) -> date | None:
    """An ISO day string as a date; None for missing or coarser values."""
    if iso and re.fullmatch(r"\d{4}-\d\d-\d\d", iso):
        return date.fromisoformat(iso)
    return None


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def months_before(end: date, months: int) -> date:
    """The same day ``months`` calendar months before ``end`` (the month's last day where it is shorter)."""
    year, month = divmod(end.year * 12 + end.month - 1 - months, 12)
    return date(year, month + 1, min(end.day, month_end(year, month + 1).day))


def _from_match(m: re.Match[str], reference: date | None) -> ParsedDate | None:
    groups = m.groupdict()
    month = int(groups["month_num"]) if groups.get("month_num") else month_numbers().get(
        (groups.get("month") or "").lower().rstrip("."))
    if month and month > 12 and groups.get("day") and int(groups["day"]) <= 12:
        month, groups["day"] = int(groups["day"]), groups["month_num"]  # "03/14/2024" is month first
    if not month:
        return None
    year = int(groups["year"]) if groups.get("year") else None
    day = int(groups["day"]) if groups.get("day") else None
    if day is not None and not 1 <= day <= 31:
        return None
    end = m.end()
    if year is None:
        if reference is None or day is None:
            return None
        year = reference.year
        stated = _readers().year_words.match(m.string, end)
        if stated:
            year += int(every_numbers("year_offsets")[stated.group("which").lower()])
            end = stated.end()
        # "on 23 December" in a January report means last year.
        elif date(year, month, min(day, 28)) > reference + timedelta(days=31):
            year -= 1
    try:
        value = date(year, month, day or 1)
    except ValueError:
        return None
    if day is None or groups.get("day_to"):
        return ParsedDate(f"{year:04d}-{month:02d}", "month", m.group(0), m.start(), m.end())
    return ParsedDate(value.isoformat(), "day", m.string[m.start():end], m.start(), end)


def _relative(text: str, reference: date | None) -> list[ParsedDate]:
    if reference is None:
        return []
    out: list[ParsedDate] = []
    of_last_week: list[ParsedDate] = []
    for m in _readers().relative.finditer(text):
        iso: str | None
        precision: Precision = "day"
        if m.group("weekday"):
            target = int(every_numbers("weekdays")[m.group("weekday").lower()])
            if m.group("week_before"):  # "Thursday last week": that day of the calendar week before
                monday = reference - timedelta(days=reference.weekday() + 7)
                of_last_week.append(ParsedDate((monday + timedelta(days=target)).isoformat(), "day", m.group(0),
                                               m.start(), m.end()))
                continue
            back = (reference.weekday() - target) % 7
            if m.group("last_week") and back == 0:
                back = 7
            iso = (reference - timedelta(days=back)).isoformat()
        elif m.group("days"):
            iso = (reference - timedelta(days=every_numbers("relative_days")[m.group("days").lower()])).isoformat()
        elif m.group("this_month"):
            iso, precision = f"{reference.year:04d}-{reference.month:02d}", "month"
        elif m.group("last_month"):
            prev = reference.replace(day=1) - timedelta(days=1)
            iso, precision = f"{prev.year:04d}-{prev.month:02d}", "month"
        elif m.group("this_year"):
            iso, precision = f"{reference.year:04d}", "year"
        else:  # last year
            iso, precision = f"{reference.year - 1:04d}", "year"
        out.append(ParsedDate(iso, precision, m.group(0), m.start(), m.end()))
    for m in _readers().marked_day.finditer(text):
        value = _day_of_recent_month(int(m.group("day")), reference)
        if value is not None:
            out.append(ParsedDate(value.isoformat(), "day", m.group(0), m.start(), m.end()))
    # A weekday of last week is read before the week alone, which its words contain.
    return [*of_last_week, *_month_or_week(text, reference), *out]


def _day_of_recent_month(day: int, reference: date) -> date | None:
    """Day ``day`` of the publication month, or of the month before when it is still to come."""
    month_ref = reference if day <= reference.day else reference.replace(day=1) - timedelta(days=1)
    try:
        return month_ref.replace(day=day)
    except ValueError:
        return None


def _month_or_week(text: str, reference: date) -> list[ParsedDate]:
    """Months named without a year, ordinal days and weeks, resolved against ``reference``."""
    out: list[ParsedDate] = []
    for m in _readers().month_alone.finditer(text):
        month = month_numbers()[m.group("name").lower().rstrip(".")]
        if m.group("which"):
            year = reference.year + int(every_numbers("year_offsets")[m.group("which").lower()])
        else:
            # The latest such month up to the publication ("last October" in October is a year ago).
            year = reference.year - (month > reference.month or (month == reference.month and bool(m.group("last"))))
        out.append(ParsedDate(f"{year:04d}-{month:02d}", "month", m.group(0), m.start(), m.end()))
    for m in _readers().ordinal_day.finditer(text):
        value = _day_of_recent_month(int(m.group("day")), reference)
        if value is None:
            continue
        out.append(ParsedDate(value.isoformat(), "day", m.group("told"), m.start("told"), m.end()))
    for m in _readers().week.finditer(text):
        monday = reference - timedelta(days=reference.weekday() + 7 * int(every_numbers("weeks_back")[m.group("which").lower()]))
        # The week's Thursday (ISO rule) says which month most of its days lie in (a weekend's: its Saturday).
        middle = monday + timedelta(days=every_numbers("week_middle")[m.group("unit").lower()])
        out.append(ParsedDate(f"{middle.year:04d}-{middle.month:02d}", "month", m.group(0), m.start(), m.end()))
    return out


def _marked(text: str, reference: date | None) -> list[ParsedDate]:
    """Dates written with year, month and day marks (年月日): era years, relative months and years, bare
    months and years alone, most specific first."""
    out: list[ParsedDate] = []
    eras = {word: offset for language in all_languages() for word, offset in language.era_offsets.items()}
    for m in _readers().era.finditer(text):
        year = eras[m.group("era")] + (int(m.group("year")) if m.group("year").isdigit() else 1)  # 元年: the first
        out.extend(_marked_date(m, year, m.group("month"), m.group("day")))
    if reference is not None:
        months_back, years_back = every_numbers("months_back"), every_numbers("years_back")
        for m in _readers().marked_relative.finditer(text):
            rel = m.group("rel")
            if rel in months_back:
                named = months_before(reference.replace(day=1), int(months_back[rel]))
                out.extend(_marked_date(m, named.year, str(named.month), m.group("day")))
            else:
                year = reference.year - int(years_back[rel])
                out.extend(_marked_date(m, year, m.group("month"), m.group("day") if m.group("month") else None))
        for m in _readers().marked_month.finditer(text):
            month = int(m.group("month"))
            out.extend(_marked_date(m, reference.year - (month > reference.month), str(month), None))
    for m in _readers().marked_year.finditer(text):
        out.extend(_marked_date(m, int(m.group("year")), None, None))
    return out


def _marked_date(m: re.Match[str], year: int, month: str | None, day: str | None) -> list[ParsedDate]:
    """The date a marked match names at the precision it gives; none when impossible."""
    try:
        value = date(year, int(month or 1), int(day or 1))
    except ValueError:
        return []
    raw = m.group(0).rstrip()
    end = m.start() + len(raw)
    if month is None:
        return [ParsedDate(f"{year:04d}", "year", raw, m.start(), end)]
    if day is None:
        return [ParsedDate(value.isoformat()[:7], "month", raw, m.start(), end)]
    return [ParsedDate(value.isoformat(), "day", raw, m.start(), end)]
