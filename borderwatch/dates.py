"""Date parsing, in one place: absolute dates, datelines and relative dates resolved
against a reference (the publication date). Used by ingest (datelines) and extract
(event dates, periods), so every stage reads dates the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from borderwatch.model import Precision

if TYPE_CHECKING:
    from borderwatch.lang import Language

MONTHS = {name: i + 1 for i, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"])}
MONTHS.update({name[:3]: num for name, num in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

_MONTH = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?:(?P<weekday>Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)"

# Absolute forms, most specific first. Each yields year/month/day groups (year optional).
_ABSOLUTE = [
    re.compile(rf"\b{_YEAR}-(?P<month_num>[01]\d)-(?P<day>[0-3]\d)\b"),
    # "2016/12/30": year first with slashes, as East Asian pages stamp their datelines.
    re.compile(rf"(?<![\d/]){_YEAR}/(?P<month_num>1[0-2]|0?[1-9])/(?P<day>3[01]|[12]\d|0?[1-9])(?![\d/])"),
    re.compile(r"(?P<year>(?:19|20)\d\d)\s*年\s*(?P<month_num>1[0-2]|0?[1-9])\s*月(?:\s*(?P<day>[0-3]?\d)\s*日)?"),
    # "Nov 28-30", "28-30 November": an operation over days is dated to its month.
    re.compile(rf"\b{_MONTH}\s+{_DAY}\s*[-–]\s*(?P<day_to>[0-3]?\d)\b(?:,?\s+{_YEAR})?", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s*[-–]\s*(?P<day_to>[0-3]?\d)\s+{_MONTH},?(?:\s+{_YEAR})?\b", re.IGNORECASE),
    re.compile(rf"\b(?:{_WEEKDAY},?\s+)?{_DAY}(?:\s+of)?\s+{_MONTH},?(?:\s+{_YEAR})?\b", re.IGNORECASE),
    re.compile(rf"\b(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR})?", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(r"(?<![\d年])(?P<month_num>1[0-2]|[1-9])\s*月\s*(?P<day>[0-3]?\d)\s*日"),
    # "14/03/2024", "14.03.2024": the region's outlets write day first; a first number over 12 is a day anyway.
    re.compile(rf"(?<![\d/.])(?P<day>[0-3]?\d)[/.](?P<month_num>[0-3]?\d)[/.]{_YEAR}(?![\d/]|\.\d)"),
]
# "Oct 1 last year": a day and month whose year is given relative to the publication.
_YEAR_WORDS = re.compile(r"\s+(?P<which>last|this|next) year\b", re.IGNORECASE)
# "in late 2023", "mid-2019", "the end of 2022": a year at year precision.
_PART_OF_YEAR = re.compile(r"\b(?:early|late|mid-?|the (?:end|beginning|start|middle) of)\s*(?P<year>(?:19|20)\d\d)\b",
                           re.IGNORECASE)
_RELATIVE_DAY = re.compile(r"(?<![年月\d])(?P<day>[0-3]?\d)\s*日")
# Japanese: an era year (令和7年 = 2025), a year alone (2024年), dates relative to the publication month
# or year (先月28日, 今月上旬, 昨年12月) and a bare month, the latest one by the publication date (9月にも).
_JA_ERAS = {"令和": 2018, "平成": 1988}
_ASCII_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")  # one for one: offsets stay true
_JA_ERA = re.compile(r"(?P<era>令和|平成)\s*(?P<year>\d{1,2}|元)\s*年(?:\s*(?P<month>1[0-2]|0?[1-9])\s*月"
                     r"(?:\s*(?P<day>[0-3]?\d)\s*日)?)?")
_JA_YEAR = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)\s*年(?!\s*\d{1,2}\s*月)")
_JA_RELATIVE = re.compile(r"(?P<rel>先月|今月|昨年|去年|今年)(?:\s*(?P<month>1[0-2]|[1-9])\s*月)?"
                          r"(?:\s*(?P<day>[0-3]?\d)\s*日)?")
_JA_MONTH = re.compile(r"(?<![\d年月～~〜・\-])(?P<month>1[0-2]|[1-9])\s*月(?!\s*\d{1,2}\s*日|\s*[～~〜\-])")


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
    written, text = text, text.translate(_ASCII_DIGITS)
    if language is not None:
        text = language.to_ascii_digits(text)
    found: list[ParsedDate] = []
    taken: list[tuple[int, int]] = []
    for pattern in _ABSOLUTE:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            parsed = _from_match(m, reference)
            if parsed:
                found.append(parsed)
            # An impossible "31 February 2020" is not a date, nor is its "February 2020".
            taken.append((m.start(), max(m.end(), parsed.end if parsed else 0)))
    for m in _PART_OF_YEAR.finditer(text):
        if not any(s < m.end() and m.start() < e for s, e in taken):
            found.append(ParsedDate(m.group("year"), "year", m.group(0), m.start(), m.end()))
            taken.append((m.start(), m.end()))
    pack_found = _pack_dates(text, reference, language) if language is not None else []
    for parsed in [*pack_found, *_japanese(text, reference), *_relative(text, reference)]:
        if not any(s < parsed.end and parsed.start < e for s, e in taken):
            found.append(parsed)
            taken.append((parsed.start, parsed.end))
    return sorted((replace(p, raw=written[p.start:p.end]) for p in found), key=lambda p: p.start)


def _pack_dates(text: str, reference: date | None, language: Language) -> list[ParsedDate]:
    """Dates read by a pack's patterns, from their named groups: ``day``, ``month`` (digits) or
    ``month_name`` (the pack's month words), ``year`` with an optional ``era`` (Buddhist era:
    2568 -> 2025; a two-digit year takes the pack's ``__two_digit__`` base), ``rel`` a word for a day
    counted back from the publication day (the pack's ``months`` maps "rel:WORD" to days back), ``weekday``
    a day of the week ("wd:WORD" -> 0 for Monday ... 6)."""
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
    month = int(groups["month_num"]) if groups.get("month_num") else MONTHS.get(
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
        stated = _YEAR_WORDS.match(m.string, end)
        if stated:
            year += {"last": -1, "this": 0, "next": 1}[stated.group("which").lower()]
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


_RELATIVE = re.compile(
    r"\b(?P<word>yesterday|today|this morning|last night|tonight"
    r"|(?:earlier|early|late|later|mid-?) ?this (?:month|year)|(?:(?:early|late|mid-?) ?)?last (?:month|year)|this year"
    r"|(?:on |last |this |late |early |on the (?:morning|afternoon|evening|night) of )?"
    r"(?P<weekday>mon|tues|wednes|thurs|fri|satur|sun)day(?: (?:morning|afternoon|evening|night))?)\b",
    re.IGNORECASE)


def _relative(text: str, reference: date | None) -> list[ParsedDate]:
    if reference is None:
        return []
    out: list[ParsedDate] = []
    for m in _RELATIVE.finditer(text):
        word = m.group("word").lower()
        iso: str | None
        precision: Precision = "day"
        if m.group("weekday"):
            target = WEEKDAYS.index(m.group("weekday").lower() + "day")
            back = (reference.weekday() - target) % 7
            if word.startswith("last ") and back == 0:
                back = 7
            iso = (reference - timedelta(days=back)).isoformat()
        elif word in ("yesterday", "last night"):
            iso = (reference - timedelta(days=1)).isoformat()
        elif word in ("today", "this morning", "tonight"):
            iso = reference.isoformat()
        elif word.endswith("this month"):
            iso, precision = f"{reference.year:04d}-{reference.month:02d}", "month"
        elif word.endswith("last month"):
            prev = reference.replace(day=1) - timedelta(days=1)
            iso, precision = f"{prev.year:04d}-{prev.month:02d}", "month"
        elif word.endswith("this year"):
            iso, precision = f"{reference.year:04d}", "year"
        else:  # last year
            iso, precision = f"{reference.year - 1:04d}", "year"
        out.append(ParsedDate(iso, precision, m.group(0), m.start(), m.end()))
    for m in _RELATIVE_DAY.finditer(text):
        # A bare "2日" in Japanese news is a day of the publication month (or the one before).
        value = _day_of_recent_month(int(m.group("day")), reference)
        if value is not None:
            out.append(ParsedDate(value.isoformat(), "day", m.group(0), m.start(), m.end()))
    return [*_month_or_week(text, reference), *out]


# "in July", "In October last year", "since early March": a month named without a day or year.
_MONTH_ALONE = re.compile(
    r"\b(?:[Ii]n|[Dd]uring|[Ss]ince|[Ll]ast|[Tt]his|(?:[Ii]n\s+)?(?:[Ee]arly|[Ll]ate|[Mm]id-?))\s*"
    r"(?:(?:early|late|mid-?)\s*)?(?P<name>January|February|March|April|May|June|July|August|September|"
    r"October|November|December|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)(?!\s*\d|\w)"
    r"(?:\s+(?P<which>last|this) year\b)?")
# "on the 14th": a day of the publication month (or of the month before, when still to come).
_ORDINAL_DAY = re.compile(r"\b(?:on|since|by|of) the (?P<day>[0-3]?\d)(?:st|nd|rd|th)\b"
                          r"(?!\s+(?:of\s+)?[A-Z][a-z]+|\s+(?:century|anniversary|floor|time))")
# "last week", "earlier this week", "last weekend": a span of days, told at the month it falls in.
_WEEK = re.compile(r"\b(?P<which>last|(?:earlier )?this) (?P<unit>weekend|week)\b", re.IGNORECASE)


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
    for m in _MONTH_ALONE.finditer(text):
        month = MONTHS[m.group("name").lower().rstrip(".")]
        which = (m.group("which") or "").lower()
        if which:
            year = reference.year - (which == "last")
        else:
            # The latest such month up to the publication ("last October" in October is a year ago).
            year = reference.year - (month > reference.month or (
                month == reference.month and m.group(0).lower().startswith("last")))
        out.append(ParsedDate(f"{year:04d}-{month:02d}", "month", m.group(0), m.start(), m.end()))
    for m in _ORDINAL_DAY.finditer(text):
        value = _day_of_recent_month(int(m.group("day")), reference)
        if value is None:
            continue
        start = m.start() + m.group(0).index("the")
        out.append(ParsedDate(value.isoformat(), "day", text[start:m.end()], start, m.end()))
    for m in _WEEK.finditer(text):
        monday = reference - timedelta(days=reference.weekday())
        if m.group("which").lower() == "last":
            monday -= timedelta(days=7)
        # The week's Thursday (ISO rule) says which month most of its days lie in.
        middle = monday + timedelta(days=5 if m.group("unit").lower() == "weekend" else 3)
        out.append(ParsedDate(f"{middle.year:04d}-{middle.month:02d}", "month", m.group(0), m.start(), m.end()))
    return out


def _japanese(text: str, reference: date | None) -> list[ParsedDate]:
    """Japanese era, year-only and relative dates, most specific first (see ``_JA_ERA``)."""
    out: list[ParsedDate] = []
    for m in _JA_ERA.finditer(text):
        year = _JA_ERAS[m.group("era")] + (1 if m.group("year") == "元" else int(m.group("year")))
        out.extend(_ja_date(m, year, m.group("month"), m.group("day")))
    if reference is not None:
        for m in _JA_RELATIVE.finditer(text):
            rel = m.group("rel")
            if rel in ("先月", "今月"):
                first = reference.replace(day=1)
                named = first - timedelta(days=1) if rel == "先月" else first
                out.extend(_ja_date(m, named.year, str(named.month), m.group("day")))
            else:
                year = reference.year - (rel in ("昨年", "去年"))
                out.extend(_ja_date(m, year, m.group("month"), m.group("day") if m.group("month") else None))
        for m in _JA_MONTH.finditer(text):
            month = int(m.group("month"))
            out.extend(_ja_date(m, reference.year - (month > reference.month), str(month), None))
    for m in _JA_YEAR.finditer(text):
        out.extend(_ja_date(m, int(m.group("year")), None, None))
    return out


def _ja_date(m: re.Match[str], year: int, month: str | None, day: str | None) -> list[ParsedDate]:
    """The date a Japanese match names at the precision it gives; none when impossible."""
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
