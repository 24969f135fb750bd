"""Japanese grammar beyond the pack's patterns: which goods an amount measures (の after it,
"120万錠のヤーバー"), arrests counted before the verb ("男2人と女1人を拘束"), the role a
postposition gives a place (``role_after``: から, へ, 経由, は; also read by ``claims``) and
statistics periods (年初から, 上半期, 1～9月).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from borderwatch.dates import month_end
from borderwatch.extract.units import Quantity, parse_number

if TYPE_CHECKING:
    from borderwatch.extract.lexicon import SubstanceMention


_SUFFIX = r"(?:州|県|省|市|郡|区|地区)?"
_FROM = re.compile(rf"{_SUFFIX}(?:側)?(?:から|より)(?!の)")
_ORIGIN_NOUN = re.compile(rf"{_SUFFIX}(?:ナンバー|産|製|発)")
_TOWARDS = re.compile(rf"{_SUFFIX}(?:側)?(?:へ|に向け|向け|への|方面)|{_SUFFIX}(?:側)?に(?:運|密輸|輸送|送|持ち|流入|流れ込|入っ)")
_NOT_HERE = re.compile(rf"{_SUFFIX}(?:側)?(?:から|より|へ|向け|への|産|ナンバー|国籍|人の|人ら|との(?:国境|境)|国境|】)")

# Arrests: "ラオス国籍の男2人とタイ国籍の女1人を拘束" = 3, "男（34）が逮捕された" = 1.
_ARREST = re.compile(r"(?:を|が|は)?(?:現行犯)?(?:逮捕|拘束|検挙|身柄を(?:拘束|確保))(?!状|者)")
_PEOPLE = re.compile(r"(?P<n>\d[\d,.万]*)\s*[人名]")
_PERSON = re.compile(r"(?:男|女|容疑者|運転手|少年|少女|被告)(?:（\d+）)?(?![らたち])")
_ARRESTED_AFTER = re.compile(r"^され(?:た|ている|ていた)(?P<who>[^、。]{0,20}?)(?:は|が|を|の|も)")
_NOBODY = re.compile(r"逮捕者は(?:出て)?(?:い|お)ない|逮捕者はなし")
_CLAUSE = re.compile(r"[、。「」]")
_BRACKETED = re.compile(r"（[^（）]*）")

# A nationwide scope and a year ("昨年は全国で…", "2024年度に国内で押収された…") make a statistic.
_SCOPE = re.compile(r"全国で|全国の|国内で|国内の|各地で")
_SCOPED_YEAR = re.compile(r"(?:(?P<year>(?:19|20)\d\d)\s*年(?!\s*\d{1,2}\s*月|度)|(?P<last>昨年|去年))")
_YEAR_OR_THIS = r"(?:(?P<year>(?:19|20)\d\d)\s*年(?:の)?|(?P<this>今年|本年)(?:の)?|(?P<last>昨年|去年)(?:の)?)"
_MONTHS_RANGE = re.compile(_YEAR_OR_THIS + r"?\s*(?P<m1>1[0-2]|[1-9])\s*(?:[～~〜\-]|月から)\s*(?P<m2>1[0-2]|[1-9])\s*月")
_SINCE_NEW_YEAR = re.compile(
    r"(?:年初|年明け|今年初め|(?:今年)?1月1日|今年1月)から\s*(?:(?P<month>1[0-2]|[1-9])\s*月\s*(?:(?P<day>[0-3]?\d)\s*日|末)?"
    r"|(?P<this_month>今月)\s*(?P<this_day>[0-3]?\d)\s*日)\s*(?:まで|現在|時点)")
_WHOLE_YEAR = re.compile(_YEAR_OR_THIS + r"\s*(?:1年間|一年間|年間|通年|1年)")
_HALF = re.compile(_YEAR_OR_THIS + r"?\s*(?P<half>上半期|下半期)")
_SO_FAR = re.compile(r"今年に入って(?:から)?|年初来")
_ONE_MONTH = re.compile(r"(?P<month>1[0-2]|[1-9])\s*月の\s*1\s*(?:カ|か|ヶ|ヵ)月間")
# Where the goods are sold or used is where they go: "タイ側で高値で取引される", "タイ国内で消費される".
_MARKET = re.compile(rf"{_SUFFIX}(?:側|国内)?で[^、。]{{0,6}}?(?:取引|売買|販売|売ら|消費|需要)")
_MADE = re.compile(rf"{_SUFFIX}(?:で|において)(?:製造|生産|栽培|精製)|{_SUFFIX}の[^、。をがはにで]{{0,8}}から")


def substance_for(text: str, q: Quantity, substances: list[SubstanceMention],
                  goods: list[Quantity]) -> SubstanceMention | None:
    """The goods a Japanese amount measures: the nearest name before it ("ヘロイン約7キロ"), else one
    tied to it by の after it ("120万錠のヤーバー")."""
    earlier = [g.end for g in goods if g.end <= q.start]
    before = [s for s in substances if s.end <= q.start and q.start - s.end <= 40
              and (s.substance is not None or not earlier or s.start >= earlier[-1])]
    if not before:
        return next((s for s in substances if s.start >= q.end and re.fullmatch(r"\s*の", text[q.end:s.start])),
                    None)
    nearest = before[-1]
    named = [s for s in before[:-1] if s.commodity == nearest.commodity and s.substance not in (None, nearest.commodity)
             and re.fullmatch(r"(?:（[^）]*）)?の", text[s.end:nearest.start])]
    if nearest.substance in (None, nearest.commodity) and named:  # "紫檀（ローズウッド）の丸太": rosewood logs
        return replace(named[-1], end=nearest.end, text=text[named[-1].start:nearest.end],
                       form=nearest.form or named[-1].form)
    return nearest


def arrests_in(text: str) -> list[tuple[int, int, int]]:
    """(people, start, end) for each arrest a Japanese sentence states; the people are counted in the
    words before the verb ("男2人と女1人を拘束"), parenthesised subsets ("（うち外国人312人）") left out."""
    out: list[tuple[int, int, int]] = []
    for m in _ARREST.finditer(text):
        clause_start = max((c.end() for c in _CLAUSE.finditer(text, 0, m.start())), default=0)
        phrase = text[clause_start:m.start()]
        unbracketed = _BRACKETED.sub(lambda b: "（" + "　" * (len(b.group(0)) - 2) + "）", phrase)
        counted = [(parse_number(p.group("n")), p) for p in _PEOPLE.finditer(unbracketed)]
        numbers = [(int(v), p.start()) for v, p in counted if v is not None]
        if numbers:
            out.append((sum(v for v, _ in numbers), clause_start + numbers[0][1], m.end()))
            continue
        persons = [p for p in _PERSON.finditer(phrase) if phrase[p.end():p.end() + 1] in ("", "を", "が", "は", "も")]
        if persons:  # "男（31）が逮捕された", "男はその場で拘束された"
            out.append((len(persons), clause_start + persons[0].start(), m.end()))
            continue
        after = _ARRESTED_AFTER.match(text, m.end())
        if after:
            who = _BRACKETED.sub("", after.group("who"))
            value = next((parse_number(p.group("n")) for p in _PEOPLE.finditer(who)), None)
            if value is None and _PERSON.search(who):
                value = 1
            if value is not None:
                out.append((int(value), m.start(), after.end("who")))
    out.extend((0, m.start(), m.end()) for m in _NOBODY.finditer(text))
    return out


def role_after(text: str, end: int) -> str:
    """What the words after a place make of it: "via" (を経由), "from" (から, 産, で製造), "to" (へ, 向け,
    に運ばれ, で取引される), "topic" (は), "at" (で, に) or "other"."""
    if re.match(rf"{_SUFFIX}(?:を)?経由", text[end:end + 12]):
        return "via"
    if _FROM.match(text, end) or _ORIGIN_NOUN.match(text, end) or _MADE.match(text, end):
        return "from"
    if _TOWARDS.match(text, end) or _MARKET.match(text, end):
        return "to"
    if re.match(rf"{_SUFFIX}は", text[end:end + 5]):
        return "topic"
    return "at" if re.match(rf"{_SUFFIX}(?:国内|内)?(?:で|に(?!向))", text[end:end + 8]) else "other"


def is_elsewhere(text: str, end: int) -> bool:
    """Is the place ending at ``end`` where goods came from or went ("カムアン州から"), not where seized?"""
    return bool(_NOT_HERE.match(text, end))


def statistic_period(text: str, reference: date | None) -> tuple[date, date | None, re.Match[str]] | None:
    """(start, end, words) of a Japanese statistic's period; None when it states none ("この1年間")."""
    year_now = reference.year if reference else None
    m = _SINCE_NEW_YEAR.search(text)
    if m and reference:
        if m.group("this_month"):
            end = _safe_date(reference.year, reference.month, int(m.group("this_day")))
        else:
            month = int(m.group("month"))
            year = reference.year - (month > reference.month)
            end = _safe_date(year, month, int(m.group("day"))) if m.group("day") else month_end(year, month)
        if end:
            return date(end.year, 1, 1), end, m
    m = _ONE_MONTH.search(text)
    if m and reference:
        month = int(m.group("month"))
        year = reference.year - (month > reference.month)
        return date(year, month, 1), month_end(year, month), m
    m = _MONTHS_RANGE.search(text)
    if m:
        first, last = int(m.group("m1")), int(m.group("m2"))
        in_year = _year_of(m, year_now, last, reference)
        if in_year and first <= last:
            return date(in_year, first, 1), month_end(in_year, last), m
    m = _HALF.search(text)
    if m:
        in_year = _year_of(m, year_now, 6 if m.group("half") == "上半期" else 12, reference)
        if in_year:
            return (date(in_year, 1, 1), date(in_year, 6, 30), m) if m.group("half") == "上半期" else (
                date(in_year, 7, 1), date(in_year, 12, 31), m)
    m = _WHOLE_YEAR.search(text)
    if m and (m.group("year") or m.group("last")):
        in_year = _year_of(m, year_now, 12, None)
        if in_year:
            return date(in_year, 1, 1), date(in_year, 12, 31), m
    m = _SO_FAR.search(text)
    if m and reference:
        return date(reference.year, 1, 1), reference, m
    m = _SCOPED_YEAR.search(text) if _SCOPE.search(text) else None
    if m and (m.group("year") or year_now):
        year = int(m.group("year")) if m.group("year") else (year_now or 0) - 1
        return date(year, 1, 1), date(year, 12, 31), m
    return None


def _year_of(m: re.Match[str], year_now: int | None, last_month: int, reference: date | None) -> int | None:
    """The year a period names: written, this year, last year, or the latest one that has ended."""
    if m.group("year"):
        return int(m.group("year"))
    if year_now is None:
        return None
    if m.group("last"):
        return year_now - 1
    if m.group("this") or reference is None:
        return year_now
    return year_now - (last_month > reference.month)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
