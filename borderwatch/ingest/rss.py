"""RSS 0.9x/1.0/2.0 and Atom feeds -> one Document per entry, via feedparser.

An entry's full content (``content:encoded``, Atom ``content``) is read when the feed gives
it, else its summary; HTML goes through the same reader as a saved page (``parse_html``), so
furniture and comments are handled in one place. The feed is only parsed, never fetched:
feedparser gets the bytes as a stream (a bare string or bytes could be taken for a URL or a
path); it strips the DOCTYPE and all but plain-text entity declarations, and its expat parser
resolves no external entity, loads no external DTD and stops entity-expansion bombs
(tests/ingest/test_rss.py checks this on a hostile feed). Entry links are kept as data.
"""

from __future__ import annotations

import functools
import hashlib
import html
import io
import json
import re
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import feedparser
from lxml import etree

from borderwatch.config import Settings
from borderwatch.dates import parse_date
from borderwatch.errors import Rejected
from borderwatch.ingest.html import parse_html
from borderwatch.ingest.payload import read_file_bytes
from borderwatch.ingest.text import parse_text
from borderwatch.model import Document, Rejection

FEED_SUFFIXES = (".xml", ".rss", ".atom")

# The first element after the prolog (XML declaration, comments, DOCTYPE) names the format. Each
# prolog item matches one way only and the repetition never gives back, so hostile input stays linear.
_FEED_ROOT = re.compile(rb"^(?:\s|<\?(?:[^?]|\?(?!>))*\?>|<!--(?:[^-]|-(?!->))*-->"
                        rb"|<!DOCTYPE[^\[>]*(?:\[[^\]]*\])?\s*>)*+"
                        rb"<(?:[A-Za-z_][\w.-]*:)?(?:rss|feed|RDF)[\s>/]")
_SNIFF_BYTES = 64 * 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_MARKUP = re.compile(r"<[A-Za-z][^<>]*>")
_LANGUAGE = re.compile(r"^([a-z]{2,3})(?:[-_]|$)")
# Where entries live in each feed format (RSS 2.0 has no namespace).
_ENTRY_TAGS = {"item": ("", "http://purl.org/rss/1.0/", "http://my.netscape.com/rdf/simple/0.9/"),
               "entry": ("http://www.w3.org/2005/Atom", "http://purl.org/atom/ns#")}


def looks_like_feed(head: bytes) -> bool:
    """Do these first bytes of a file open an RSS, RDF or Atom document?"""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    return bool(_FEED_ROOT.match(head.removeprefix(b"\xef\xbb\xbf")[:_SNIFF_BYTES]))


def read_feed(path: Path, settings: Settings,
              part: tuple[int, int | None] | None = None) -> Iterator[Document | Rejection]:
    """A Document per entry of a feed file, a Rejection per entry without text.

    Raises Rejected when the file as a whole is not a feed that can be read. With ``part``
    (first, stop), only entries ``first`` <= n < ``stop`` (numbered from 1; stop None: to the end),
    with the ids they have in the whole feed: a slice of a large feed for one task.
    """
    first, stop = part or (1, None)
    source = str(path)
    data = read_file_bytes(path, settings.max_file_mb)
    if not data.strip():
        raise Rejected("empty", "ingest", source, f"{path.name} is empty")
    if not looks_like_feed(data[:_SNIFF_BYTES]):
        raise Rejected("not-a-feed", "ingest", source, f"{path.name} is not an RSS or Atom feed")
    parsed = _parse(data)
    if not parsed.entries:
        if parsed.bozo:
            raise Rejected("broken-feed", "ingest", source,
                           f"cannot parse {path.name} as a feed ({parsed.get('bozo_exception')})")
        raise Rejected("empty", "ingest", source, f"feed {path.name} has no entries")
    feed = parsed.feed
    outlet = _clean(feed.get("title"))
    feed_language = _language(feed.get("language"))
    seen: set[str] = set()
    for n, entry in enumerate(parsed.entries, start=1):
        title = _clean(entry.get("title"))
        body, kind, body_language = _body(entry)
        content_hash = hashlib.sha256(json.dumps([entry.get("id"), entry.get("link"), title, body],
                                                 ensure_ascii=False).encode("utf-8")).hexdigest()
        # Stable across fetches of the same feed: the entry's id, else its link, else its contents.
        key = str(entry.get("id") or entry.get("link") or content_hash)
        doc_id = f"{path.stem}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:8]}"
        if doc_id in seen:  # a feed that repeats an entry id: ids stay unique within the run
            doc_id = f"{doc_id}-{n}"
        seen.add(doc_id)
        if n < first or (stop is not None and n >= stop):
            continue
        entry_source = f"{source}#entry={n}"
        try:
            doc = _read_entry(body, kind, title, doc_id, entry_source)
        except Rejected as exc:
            named = title or _clean(entry.get("link")) or "untitled"
            yield Rejection(source=exc.source, stage=exc.stage, reason=exc.reason,
                            message=f"{exc.message} (entry {n} of {path.name}: {named})")
            continue
        published = _published(entry)
        language = _language(body_language) or _language(entry.get("language")) or feed_language
        yield replace(doc, content_hash=content_hash, title=title or doc.title, outlet=outlet or doc.outlet,
                      url=_clean(entry.get("link")) or doc.url, language=language or doc.language,
                      published=published[0] if published else doc.published,
                      published_precision="day" if published else doc.published_precision,
                      published_raw=published[1] if published else doc.published_raw)


def entry_count(path: Path, settings: Settings) -> int:
    """How many entries a feed file has (0 when it cannot be read as one)."""
    try:
        data = read_file_bytes(path, settings.max_file_mb)
    except Rejected:
        return 0
    return len(_parse(data).entries) if looks_like_feed(data[:_SNIFF_BYTES]) else 0


def entry_xml(path: Path, n: int) -> bytes | None:
    """The XML of the ``n``-th entry (1-based) of a feed file, to set aside on its own; None when
    the file cannot be parsed that far. Entities stay unresolved and nothing is fetched."""
    try:
        stat = path.stat()
    except OSError:
        return None
    entries = _entries_xml(str(path), stat.st_mtime_ns, stat.st_size)
    if entries is None or not 1 <= n <= len(entries):
        return None
    return entries[n - 1]


@functools.lru_cache(maxsize=1)
def _entries_xml(path: str, mtime_ns: int, size: int) -> tuple[bytes, ...] | None:
    """Every entry's XML, parsed once per version of the file: a feed of 10,000 entries without
    text sets each aside without parsing the feed 10,000 times."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True,
                             huge_tree=False)
    try:
        root = etree.fromstring(Path(path).read_bytes(), parser)
    except (OSError, etree.XMLSyntaxError):
        return None
    if root is None:
        return None
    return tuple(bytes(etree.tostring(el, encoding="utf-8", xml_declaration=True)) for el in root.iter()
                 if isinstance(el.tag, str) and _is_entry(etree.QName(el)))


def _parse(data: bytes) -> Any:
    """feedparser over the bytes as a stream: nothing is opened or fetched, links stay as written."""
    return feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)


def _read_entry(body: str, kind: str, title: str | None, doc_id: str, source: str) -> Document:
    """An entry's content as a Document: HTML through the page reader under its title, else text."""
    if not body.strip():
        raise Rejected("no-text", "ingest", source, f"no content or summary in {Path(source).name}")
    if kind in _HTML_TYPES or (kind != "text/plain" and _MARKUP.search(body)):
        heading = f"<h1>{html.escape(title)}</h1>" if title else ""
        page = (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{html.escape(title or '')}"
                f"</title></head><body>{heading}{body}</body></html>")
        return parse_html(page, doc_id, source)
    return parse_text(f"{title}\n\n{body}" if title else body, doc_id, source)


def _body(entry: Any) -> tuple[str, str, str | None]:
    """The entry's fullest text (content, else summary), its media type and its declared language."""
    contents = [c for c in entry.get("content") or [] if (c.get("value") or "").strip()]
    if contents:
        best = max(contents, key=lambda c: len(c.get("value") or ""))
        return str(best.get("value") or ""), str(best.get("type") or ""), best.get("language")
    detail = entry.get("summary_detail") or {}
    return str(entry.get("summary") or ""), str(detail.get("type") or ""), detail.get("language")


def _published(entry: Any) -> tuple[str, str] | None:
    """The entry's own date (ISO day) and its words; the date as written in the feed's time zone wins
    over feedparser's UTC reading, which can fall on the day before in the Mekong region."""
    for field in ("published", "updated", "created"):
        raw = _clean(entry.get(field))
        if not raw:
            continue
        parsed = parse_date(re.sub(r"^(\d{4}-\d\d-\d\d)T", r"\1 ", raw))
        if parsed and parsed.precision == "day":
            return parsed.iso, raw
        struct = entry.get(f"{field}_parsed")
        if isinstance(struct, time.struct_time):
            return time.strftime("%Y-%m-%d", struct), raw
    return None


def _language(value: object) -> str | None:
    """A declared language ("en-US", "vi") as its primary subtag; None when none is declared."""
    m = _LANGUAGE.match(str(value or "").strip().lower())
    return m.group(1) if m else None


def _clean(value: object) -> str | None:
    text = re.sub(r"\s+", " ", str(value or "")).strip()
    return text or None


def _is_entry(name: etree.QName) -> bool:
    return (name.namespace or "") in _ENTRY_TAGS.get(name.localname, ())
