"""WARC web archives (.warc, .warc.gz) -> one Document per HTML or text page, streamed.

Records are framed here, one gzip member or one header-plus-Content-Length block at a time, so
that a truncated or malformed record is found, named by its offset and passed over, and reading
resumes at the next record (fastwarc on its own reads on past a cut gzip member into garbage).
fastwarc then parses each record's WARC and HTTP headers and undoes chunked and gzip transfer
encodings. Memory holds one record at a time, never the archive; the size limit applies to each
record's payload. Target URIs are data: nothing is fetched.
"""

from __future__ import annotations

import io
import logging
import os
import re
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from borderwatch.config import Settings
from borderwatch.errors import Rejected
from borderwatch.ingest.payload import Screen, read_payload
from borderwatch.model import Document, Rejection

WARC_SUFFIXES = (".warc", ".warc.gz")

log = logging.getLogger(__name__)

_GZIP_MAGIC = b"\x1f\x8b\x08"
_CHUNK = 64 * 1024
_MAX_HEAD = 64 * 1024  # a WARC header block longer than this is not a header
_HEAD_ALLOWANCE = 64 * 1024  # WARC and HTTP headers on top of a payload at the size limit
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/plain",)
_CONTENT_LENGTH = re.compile(rb"^content-length:[ \t]*(\d+)[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class _Frame:
    """One record's bytes ``offset:end`` in the file: its WARC text, or why it cannot be read."""

    offset: int
    end: int
    record: bytes | None = None
    reason: str | None = None
    message: str | None = None


def looks_like_warc(head: bytes) -> bool:
    """Do these first bytes of a file open a WARC record, plain or gzip-compressed?"""
    if head.startswith(_GZIP_MAGIC):
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, 16)
        except zlib.error:
            return False
    return head.startswith(b"WARC/")


def read_warc(path: Path, settings: Settings, skipped: Counter[str] | None = None,
              part: tuple[int, int | None] | None = None,
              screen: Screen | None = None) -> Iterator[Document | Rejection]:
    """A Document per HTML or text page (HTTP 200 response) in a WARC file, a Rejection per bad record.

    Other records (requests, metadata, redirects, images, PDFs) are passed over and counted in
    ``skipped`` by kind. Raises Rejected when the file is not a WARC archive at all. With ``part``
    (start, stop), only the records that start at ``start`` (a record's offset, see
    ``record_offsets``) up to ``stop`` (None: the end): a slice of the archive for one task.
    ``screen`` as in ``read_payload``.
    """
    source = str(path)
    skipped = Counter() if skipped is None else skipped
    limit = settings.max_file_mb * 1024 * 1024
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise Rejected("unreadable", "ingest", source, f"cannot read {path.name}: {exc.strerror or exc}") from exc
    with handle:
        size = os.fstat(handle.fileno()).st_size
        head = handle.read(512)
        if not head.strip():
            raise Rejected("empty", "ingest", source, f"{path.name} is empty")
        if not looks_like_warc(head):
            raise Rejected("not-warc", "ingest", source,
                           f"{path.name} is not a WARC archive (it does not start with a WARC/1.x record)")
        compressed = head.startswith(_GZIP_MAGIC)
        start, stop = part or (0, None)
        for frame in _frames(handle, size, compressed, limit + _HEAD_ALLOWANCE, start):
            if stop is not None and frame.offset >= stop:
                break
            yield from _read_frame(frame, path, f"{warc_stem(path)}-{frame.offset}", limit, skipped, screen)
    if skipped:
        log.info("%s: passed over %s", path.name, ", ".join(f"{k} {v}" for k, v in sorted(skipped.items())))


def warc_stem(path: Path) -> str:
    """The archive's name without ".warc" or ".warc.gz": "crawl.warc.gz" -> "crawl"."""
    name = path.name
    for suffix in WARC_SUFFIXES[::-1]:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            return name[:-len(suffix)]
    return path.stem


def record_bytes(path: Path, offset: int, settings: Settings) -> bytes | None:
    """The record at ``offset`` as the file holds it (a gzip member stays compressed), to set aside
    on its own; None when it is over the size limit or the file has no record there."""
    limit = settings.max_file_mb * 1024 * 1024
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        compressed = handle.read(3) == _GZIP_MAGIC
        frame = _frame(handle, offset, size, compressed, limit + _HEAD_ALLOWANCE)
        if frame is None or frame.end - offset > limit:
            return None
        handle.seek(offset)
        return handle.read(frame.end - offset)


def _read_frame(frame: _Frame, path: Path, doc_id: str, limit: int, skipped: Counter[str],
                screen: Screen | None) -> Iterator[Document | Rejection]:
    """The documents in one framed record (a gzip member may, against custom, hold several)."""
    source = f"{path}#offset={frame.offset}"
    if frame.record is None:
        yield Rejection(source=source, stage="ingest", reason=frame.reason or "malformed-record",
                        message=f"{frame.message} in {path.name}")
        return
    if not frame.record:  # an empty gzip member, as some writers leave at the end
        skipped["empty gzip members"] += 1
        return
    count = 0
    try:
        for record in ArchiveIterator(io.BytesIO(frame.record), parse_http=True, auto_decode="all"):
            count += 1
            result = _read_record(record, doc_id if count == 1 else f"{doc_id}-{count}", source, limit, skipped,
                                  screen)
            if result is not None:
                yield result
    except (OSError, ValueError) as exc:
        yield _malformed(source, path, frame.offset, f"cannot be parsed ({exc})")
        return
    if count == 0:
        yield _malformed(source, path, frame.offset, "holds no WARC record")


def _read_record(record: WarcRecord, doc_id: str, source: str, limit: int, skipped: Counter[str],
                 screen: Screen | None) -> Document | Rejection | None:
    """One record as a Document; None when it is not a page (counted in ``skipped``)."""
    name = Path(source).name
    if record.record_type != WarcRecordType.response:
        skipped[f"{record.record_type} records"] += 1
        return None
    if not record.is_http:
        skipped["non-HTTP responses"] += 1
        return None
    status = record.http_headers.status_code
    if status is None:
        return Rejection(source=source, stage="ingest", reason="malformed-record",
                         message=f"the HTTP response in {name} has no status line")
    if status != 200:
        skipped[f"HTTP {status}"] += 1
        return None
    media_type = (record.http_content_type or "").lower()
    if media_type and media_type not in _HTML_TYPES + _TEXT_TYPES:
        skipped[media_type] += 1
        return None
    target = (record.headers.get("WARC-Target-URI") or "").strip().strip("<>") or None
    if target and urlsplit(target).path == "/robots.txt":  # a crawler's own fetch, not a report
        skipped["robots.txt"] += 1
        return None
    payload = record.reader.read(limit + 1)
    if len(payload) > limit:
        return Rejection(source=source, stage="ingest", reason="too-large",
                         message=f"the page in {name} is larger than the {limit // (1024 * 1024)} MB limit "
                                 f"(raise max_file_mb to read it)")
    try:
        doc = read_payload(payload, doc_id, source, html=media_type in _HTML_TYPES,
                           charset=record.http_charset, screen=screen)
    except Rejected as exc:
        return Rejection(source=exc.source, stage=exc.stage, reason=exc.reason, message=exc.message)
    doc = replace(doc, url=target or doc.url)
    # The page's own date wins: WARC-Date is when the crawler fetched the page, which can be
    # days or years after it was published. It stands in only when the page states no date,
    # as the latest the report can have been published.
    crawled = record.headers.get("WARC-Date")
    if doc.published is None and crawled:
        try:
            day = record.record_date.date().isoformat()
        except (ValueError, OverflowError):  # a WARC-Date that is not a date: no fallback
            return doc
        doc = replace(doc, published=day, published_precision="day", published_raw=crawled)
    return doc


def record_offsets(path: Path) -> list[int]:
    """Where each record of a WARC file starts, as fastwarc reads it (inflating, not parsing HTTP):
    the places a large archive can be cut into slices for ``read_warc(part=...)``. Stops quietly at
    a record fastwarc cannot read: the last slice then runs to the end of the file."""
    offsets: list[int] = []
    try:
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle, parse_http=False):
                offsets.append(int(record.stream_pos))
    except Exception as exc:  # noqa: BLE001 (a file it cannot read is read in one piece)
        log.info("%s: record offsets end at %d records (%s)", path.name, len(offsets), exc)
    return offsets


def _frames(handle: BinaryIO, size: int, compressed: bool, bound: int, offset: int = 0) -> Iterator[_Frame]:
    """Every record's frame in order, from ``offset`` (a record's start) to the end of the file."""
    while offset < size:
        frame = _frame(handle, offset, size, compressed, bound)
        if frame is None:
            return
        yield frame
        offset = frame.end


def _frame(handle: BinaryIO, offset: int, size: int, compressed: bool, bound: int) -> _Frame | None:
    """The record starting at (or, in a plain file, after blank lines from) ``offset``; None at the end."""
    if compressed:
        return _gzip_frame(handle, offset, size, bound)
    handle.seek(offset)
    head = handle.read(_MAX_HEAD)
    blank = len(head) - len(head.lstrip(b"\r\n"))  # the CRLF CRLF that ends the previous record
    if blank == len(head):
        return None
    return _plain_frame(handle, offset + blank, head[blank:], size, bound)


def _gzip_frame(handle: BinaryIO, offset: int, size: int, bound: int) -> _Frame:
    """One gzip member, inflated a chunk at a time and no further than ``bound`` bytes."""
    handle.seek(offset)
    inflater = zlib.decompressobj(wbits=31)
    kept = bytearray()
    produced = fed = 0
    try:
        while not inflater.eof:
            chunk = handle.read(_CHUNK)
            if not chunk:
                return _broken(handle, offset, size, True, "truncated-record",
                               f"gzip member at offset {offset} is cut off after {produced} bytes")
            fed += len(chunk)
            pending = chunk
            while not inflater.eof:
                piece = inflater.decompress(pending, _CHUNK)
                pending = inflater.unconsumed_tail
                produced += len(piece)
                if produced > bound:
                    # Inflating the rest only to find where it ends could take hours (a gzip bomb
                    # grows a thousandfold): look for the next record's member instead.
                    return _too_large(offset, _next_record(handle, offset + 1, size, True), bound)
                kept += piece
                if not piece and not pending:
                    break
    except zlib.error as exc:
        return _broken(handle, offset, size, True, "malformed-record",
                       f"gzip member at offset {offset} is corrupt or cut off ({exc})")
    return _Frame(offset, offset + fed - len(inflater.unused_data), bytes(kept))


def _plain_frame(handle: BinaryIO, offset: int, head: bytes, size: int, bound: int) -> _Frame:
    """One uncompressed record: a WARC header block, then Content-Length bytes."""
    cut, gap = head.find(b"\r\n\r\n"), 4
    if cut < 0:
        cut, gap = head.find(b"\n\n"), 2
    found = _CONTENT_LENGTH.search(head[:cut]) if cut >= 0 and head.startswith(b"WARC/") else None
    if found is None and cut < 0 and head.startswith(b"WARC/") and offset + len(head) >= size:
        return _Frame(offset, size, reason="truncated-record",
                      message=f"record at offset {offset} is cut off inside its header")
    if found is None:
        return _broken(handle, offset, size, False, "malformed-record",
                       f"record at offset {offset} has no WARC header with a Content-Length")
    start = offset + cut + gap
    end = start + int(found.group(1))
    if end > size:
        frame = _broken(handle, offset, size, False, "malformed-record",
                        f"record at offset {offset} claims {end - start} bytes that are not there")
        if frame.end == size:
            return replace(frame, reason="truncated-record",
                           message=f"record at offset {offset} is cut off after {size - start} of "
                                   f"{end - start} bytes")
        return frame
    if end - offset > bound:
        return _too_large(offset, end, bound)
    handle.seek(offset)
    return _Frame(offset, end, handle.read(end - offset))


def _too_large(offset: int, end: int, bound: int) -> _Frame:
    limit_mb = (bound - _HEAD_ALLOWANCE) // (1024 * 1024)
    return _Frame(offset, end, reason="too-large",
                  message=f"record at offset {offset} is larger than the {limit_mb} MB limit "
                          f"(raise max_file_mb to read it)")


def _broken(handle: BinaryIO, offset: int, size: int, compressed: bool, reason: str, message: str) -> _Frame:
    """A bad record, spanning up to the next place a record starts (or the end of the file)."""
    return _Frame(offset, _next_record(handle, offset + 1, size, compressed), reason=reason, message=message)


def _next_record(handle: BinaryIO, start: int, size: int, compressed: bool) -> int:
    """Where the next record after ``start`` begins: a gzip member that inflates to a WARC
    header, or a "WARC/1." line; ``size`` when there is none."""
    needle = _GZIP_MAGIC if compressed else b"\nWARC/1."
    position = start
    while position < size:
        handle.seek(position)
        block = handle.read(_CHUNK + len(needle))
        at = block.find(needle)
        while at >= 0:
            candidate = position + at + (0 if compressed else 1)
            handle.seek(candidate)
            if looks_like_warc(handle.read(512)):
                return candidate
            at = block.find(needle, at + 1)
        position += _CHUNK
    return size


def _malformed(source: str, path: Path, offset: int, what: str) -> Rejection:
    return Rejection(source=source, stage="ingest", reason="malformed-record",
                     message=f"record at offset {offset} of {path.name} {what}")
