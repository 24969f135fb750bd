"""Plain-text reports -> Document: headline, outlet and dateline from the first lines,
reader comments cut off, page furniture (captions, related links, share bars) listed.

The text keeps everything but the comments, so furniture offsets stay true; extraction
skips the furniture spans.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date as date_
from functools import cache

from borderwatch.dates import ParsedDate, clock_pattern, parse_date
from borderwatch.errors import Rejected
from borderwatch.ingest.comments import split_comments
from borderwatch.lang import every_pattern
from borderwatch.lang.identify import identify_document
from borderwatch.model import Document, Span

# "Outlet | Section | PLACE, date", "Radio Free Asia — Laos".
_SEPARATOR = re.compile(r"[ \t]+[|—–][ \t]+|[ \t]*\|[ \t]*")
_SENTENCE_END = re.compile(r"[.!?。！？][\"”’')\]]?$")
_MAX_HEADER_LINES = 12
# A site's masthead: a weather reading ("26.7 C") or a breadcrumb trail ("Home › Lead Story › ...") beside a
# date line says that date is the day the page was viewed, not the day the article went up.
_MASTHEAD = re.compile(r"^\s*-?\d{1,2}(?:[.,]\d)?\s*°?\s*[CF]\s*$|\S\s+[›»]\s+\S")

_LIST_ITEM = re.compile(r"^[-*•·▪►>][ \t]+\S")
# Share-bar buttons named after services, the same in every language.
_SHARE_SERVICES = r"facebook|twitter|x|whatsapp|telegram|linkedin|line|reddit"
# The colon after a label, in every script's form ("Photo:", "图片：", "រូបភាព៖").
_COLON = "[:：៖]"


@cache
def _line_furniture() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Furniture, line by line: (kind, pattern over one stripped line). The labels are every pack's, since
    a site's template may be in another language than its report; the brackets and colons are read here."""
    def label(name: str) -> str:
        return every_pattern(f"furniture_{name}")
    flags = re.IGNORECASE
    return (
        ("caption", re.compile(rf"^(?:{label('caption_label')})[ \t]*{_COLON}", flags)),
        ("caption", re.compile(rf"^[\[(（][ \t]*(?:{label('caption_bracketed')})[ \t]*{_COLON}.*[\])）]$", flags)),
        # "(圖說)泰國清邁警方...": the label alone in brackets opens the caption
        ("caption", re.compile(rf"^[\[(（〔][ \t]*(?:{label('caption_bracketed')})[ \t]*[\])）〕]", flags)),
        ("caption", re.compile(rf"^[<＜（(\[]?[ \t]*(?:{label('caption_mark')})[ \t]*{_COLON}.*$", flags)),
        ("caption", re.compile(rf"^(?:{label('caption_file')})[ \t]+[-–—][ \t]+")),
        ("caption", re.compile(r"\([^()\n]{0,60}/[^()\n]{1,60}\)$")),
        ("caption", re.compile(rf"(?:^|[.!?)][ \t]+)(?:{label('caption_credit')})"
                               rf"(?:[ \t]+(?:{label('caption_by')})|[ \t]*:)[ \t]+[^.!?\n]{{1,80}}\.?$", flags)),
        ("share", re.compile(rf"^(?:{label('share_button')})[ \t]*:?$", flags)),
        ("share", re.compile(rf"^(?:{label('share_label')})[ \t]*{_COLON}[ \t]*.{{0,80}}$", flags)),
        ("share", re.compile(rf"^(?:(?:{_SHARE_SERVICES}|{label('share_target')})[ \t]*[|·•,]?[ \t]*){{2,}}$", flags)),
        ("copyright", re.compile(rf"^[\[(]?[ \t]*(?:©|\(c\)|(?:{label('copyright')})\b)", flags)),
        ("copyright", re.compile(rf"\b(?:{label('rights_reserved')})\b\.?[\])]?$", flags)),
        ("notice", re.compile(r"^※")),
        ("byline", re.compile(rf"^(?:{label('byline')})[ \t]*:?[ \t]+[^.!?\n]{{1,60}}$", flags)),
        ("credit", re.compile(rf"^(?:{label('credit')})[ \t]*{_COLON}[ \t]*[^.!?\n]{{1,80}}\.?$", flags)),
        ("tags", re.compile(rf"^(?:{label('tags')})[ \t]*{_COLON}", flags)),
    )


@cache
def _related_head() -> re.Pattern[str]:
    """The header line of a related-links block (every pack's wording); the list of links follows it."""
    return re.compile(rf"^(?:{every_pattern('furniture_related')})[ \t]*:?", re.IGNORECASE)


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Header:
    title: str | None
    outlet: str | None
    date: ParsedDate | None
    furniture: tuple[tuple[str, _Line], ...]


def parse_text(data: str, doc_id: str, source: str) -> Document:
    """A plain-text report as a Document whose text ends before any reader comments."""
    text = normalize_text(data)
    article, comments = split_comments(text)
    if not article.strip():
        raise Rejected("empty", "ingest", source, f"no article text in {_name(source)}")
    header = _read_header(article)
    furniture = [Span(doc_id, line.start, line.end, line.text, field=kind) for kind, line in header.furniture]
    furniture.extend(find_furniture(article, doc_id))
    return Document(
        id=doc_id, text=article, content_hash=hashlib.sha256(data.encode("utf-8")).hexdigest(),
        source=source, media_type="text", title=header.title, outlet=header.outlet,
        language=detect_language(article),
        published=header.date.iso if header.date else None,
        published_precision=header.date.precision if header.date else None,
        published_raw=header.date.raw if header.date else None,
        comments=comments, furniture=merge_furniture(furniture))


def normalize_text(data: str) -> str:
    """One line-ending convention and composed characters, so offsets mean the same everywhere."""
    text = data.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def detect_language(text: str) -> str:
    """The document language (ISO 639-1): the language of most of its paragraphs (``lang.identify``)."""
    return identify_document(text)


def find_furniture(text: str, doc_id: str) -> list[Span]:
    """Captions, share bars, related-link blocks, copyright and credit lines in ``text``."""
    lines = _lines(text)
    spans: list[Span] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _related_head().match(line.text) and len(line.text) <= 120:
            last = i
            j = i + 1
            while j < len(lines) and _is_related_item(text, lines[last], lines[j]):
                last = j
                j += 1
            spans.append(Span(doc_id, line.start, lines[last].end, text[line.start:lines[last].end],
                              field="related"))
            i = last + 1
            continue
        kind = furniture_kind(line.text)
        if kind:
            spans.append(Span(doc_id, line.start, line.end, line.text, field=kind))
        i += 1
    return spans


def furniture_kind(line: str) -> str | None:
    """What kind of page furniture one line is (caption, share, ...), or None for article text."""
    stripped = line.strip()
    if not stripped:
        return None
    for kind, pattern in _line_furniture():
        if pattern.search(stripped):
            return kind
    return None


def merge_furniture(spans: list[Span]) -> tuple[Span, ...]:
    """Furniture spans sorted by position, one per stretch of text."""
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if out and span.start >= out[-1].start and span.end <= out[-1].end:
            continue
        out.append(span)
    return tuple(out)


def _is_related_item(text: str, previous: _Line, line: _Line) -> bool:
    """Does ``line`` continue a related-links list (a bullet, a short title right below, or a thumbnail's
    caption and the teaser right below it)?"""
    adjacent = "\n\n" not in text[previous.end:line.start]
    if _LIST_ITEM.match(line.text) or furniture_kind(line.text) == "caption":
        return True
    if adjacent and furniture_kind(previous.text) == "caption":
        return True
    return adjacent and len(line.text) <= 120 and not _SENTENCE_END.search(line.text)


def _lines(text: str) -> list[_Line]:
    """Non-empty lines with their offsets, surrounding spaces trimmed off the span."""
    out = []
    offset = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = offset + raw.index(stripped)
            out.append(_Line(start, start + len(stripped), stripped))
        offset += len(raw) + 1
    return out


def _read_header(text: str) -> _Header:
    """Headline, outlet and publication date from the lines before the first paragraph."""
    header: list[_Line] = []
    for line in _lines(text)[:_MAX_HEADER_LINES]:
        if not furniture_kind(line.text) and _is_body(line.text):
            break
        header.append(line)
    title = outlet = None
    date: ParsedDate | None = None
    furniture: list[tuple[str, _Line]] = []
    used: set[int] = set()
    line_dates: dict[int, ParsedDate] = {}
    for i, line in enumerate(header):
        if furniture_kind(line.text):
            continue
        parts = [p.strip() for p in _SEPARATOR.split(line.text) if p.strip()]
        dated = [(p, d) for p in parts if (d := _dateline(p))]
        if not dated:
            continue
        used.add(i)
        if any(_MASTHEAD.search(header[j].text) for j in (i - 2, i - 1, i + 1) if 0 <= j < len(header)):
            furniture.append(("masthead", line))
            continue
        line_dates[i] = dated[0][1]
        furniture.append(("dateline", line))
        if date is None or len(dated[0][1].iso) > len(date.iso):
            # "云南2021年缴获各类毒品28吨" above "2022-01-10 23:29:35 | 来源:...": a headline's year is no
            # dateline beside a full date below it
            date = dated[0][1]
        others = [p for p in parts if p != dated[0][0]]
        if others and outlet is None:
            outlet = others[0]
        elif not others and i > 0 and i - 1 not in used and _adjacent(text, header[i - 1], line):
            previous = header[i - 1]
            name = _SEPARATOR.split(previous.text)[0].strip()
            if outlet is None and _is_short_name(name) and not furniture_kind(previous.text):
                outlet = name
                used.add(i - 1)
                furniture.append(("dateline", previous))
    for i, line in enumerate(header):
        found = _URL_DATE.search(line.text)
        if found and (date is None or i not in used):
            # A page's address in a text dump ("https://.../2019/05/23/slug"): the day it was published.
            used.add(i)
            if date is None:
                date = _url_date(found)
    for i, line in enumerate(header):
        if i in used or furniture_kind(line.text) or not _is_headline(line.text):
            continue
        if title is None:
            title = line.text
            below = [d for j, d in sorted(line_dates.items()) if j > i and d.precision == "day"]
            if below and date is not None and date in [d for j, d in line_dates.items() if j < i]:
                # a site's masthead shows today's date above the headline; the article's own stamp is
                # the one below it ("July 15, 2020 16:01" ... headline ... "15:36 | 07/05/2018")
                date = below[0]
            nxt = i + 1
            if (outlet is None and nxt < len(header) and nxt not in used and _adjacent(text, line, header[nxt])
                    and _is_short_name(header[nxt].text) and not furniture_kind(header[nxt].text)):
                outlet = header[nxt].text
                used.add(nxt)
                furniture.append(("dateline", header[nxt]))
            break
    return _Header(title, outlet, date, tuple(furniture))


_URL_DATE = re.compile(r"\bhttps?://\S*?/(?P<year>(?:19|20)\d\d)[/-]?(?P<month>0[1-9]|1[0-2])[/-]?(?P<day>0[1-9]|[12]\d|3[01])"
                       r"(?=[/_.-]|\b)", re.IGNORECASE)


def _url_date(m: re.Match[str]) -> ParsedDate | None:
    try:
        day = date_(int(m.group("year")), int(m.group("month")), int(m.group("day")))
    except ValueError:
        return None
    return ParsedDate(day.isoformat(), "day", m.group(0), m.start(), m.end())


def _dateline(part: str) -> ParsedDate | None:
    """The date when ``part`` is a dateline: a date with at most a place and a clock time beside it."""
    parsed = parse_date(part)
    if parsed is None:
        return None
    rest = clock_pattern().sub(" ", part[:parsed.start] + " " + part[parsed.end:])
    words = re.findall(r"[^\W\d_]+", rest)
    return parsed if len(words) <= 3 else None


def _adjacent(text: str, first: _Line, second: _Line) -> bool:
    """Are two lines in the same block (no blank line between)?"""
    return "\n\n" not in text[first.end:second.start]


def _is_short_name(line: str) -> bool:
    """Could this line be an outlet's name (short, no sentence, no date)?"""
    return (len(line) <= 40 and len(line.split()) <= 5 and not _SENTENCE_END.search(line)
            and parse_date(line) is None)


def _is_headline(line: str) -> bool:
    """Is this header line worded like a headline (a few words, not a lone token)?"""
    return len(line.split()) >= 2 or len(line) >= 8


def _is_body(line: str) -> bool:
    """Is this line an article paragraph rather than a headline, dateline or byline?"""
    return len(line) >= 140 or (len(line) >= 60 and bool(_SENTENCE_END.search(line)))


def _name(source: str) -> str:
    return source.replace("\\", "/").rsplit("/", 1)[-1]
