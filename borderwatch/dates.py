"""Date parsing, in one place: absolute dates, datelines and relative dates resolved
against a reference (the publication date). Used by ingest (datelines) and extract
(event dates, periods), so every stage reads dates the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from borderwatch.model import Precision

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
    re.compile(r"(?P<year>(?:19|20)\d\d)\s*年\s*(?P<month_num>1[0-2]|0?[1-9])\s*月(?:\s*(?P<day>[0-3]?\d)\s*日)?"),
    re.compile(rf"\b(?:{_WEEKDAY},?\s+)?{_DAY}(?:\s+of)?\s+{_MONTH},?(?:\s+{_YEAR})?\b", re.IGNORECASE),
    re.compile(rf"\b(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR})?", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(r"(?<![\d年])(?P<month_num>1[0-2]|[1-9])\s*月\s*(?P<day>[0-3]?\d)\s*日"),
    # "14/03/2024", "14.03.2024": the region's outlets write day first; a first number over 12 is a day anyway.
    re.compile(rf"(?<![\d/.])(?P<day>[0-3]?\d)[/.](?P<month_num>[0-3]?\d)[/.]{_YEAR}(?![\d/.])"),
]
# "in late 2023", "mid-2019", "the end of 2022": a year at year precision.
_PART_OF_YEAR = re.compile(r"\b(?:early|late|mid-?|the (?:end|beginning|start|middle) of)\s*(?P<year>(?:19|20)\d\d)\b",
                           re.IGNORECASE)
_RELATIVE_DAY = re.compile(r"(?<![年月\d])(?P<day>[0-3]?\d)\s*日")


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


def parse_dates(text: str, reference: date | None = None) -> list[ParsedDate]:
    """Every absolute or weekday/relative date in ``text``, resolved against ``reference``."""
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
            taken.append((m.start(), m.end()))
    for m in _PART_OF_YEAR.finditer(text):
        if not any(s < m.end() and m.start() < e for s, e in taken):
            found.append(ParsedDate(m.group("year"), "year", m.group(0), m.start(), m.end()))
            taken.append((m.start(), m.end()))
    for parsed in _relative(text, reference):
        if not any(s < parsed.end and parsed.start < e for s, e in taken):
            found.append(parsed)
            taken.append((parsed.start, parsed.end))
    return sorted(found, key=lambda p: p.start)


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
    if year is None:
        if reference is None or day is None:
            return None
        year = reference.year
        # "on 23 December" in a January report means last year.
        if date(year, month, min(day, 28)) > reference + timedelta(days=31):
            year -= 1
    try:
        value = date(year, month, day or 1)
    except ValueError:
        return None
    if day is None:
        return ParsedDate(f"{year:04d}-{month:02d}", "month", m.group(0), m.start(), m.end())
    return ParsedDate(value.isoformat(), "day", m.group(0), m.start(), m.end())


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
        day = int(m.group("day"))
        # A bare "2日" in Japanese news is a day of the publication month (or the one before).
        month_ref = reference if day <= reference.day else reference.replace(day=1) - timedelta(days=1)
        try:
            value = month_ref.replace(day=day)
        except ValueError:
            continue
        out.append(ParsedDate(value.isoformat(), "day", m.group(0), m.start(), m.end()))
    return out
