"""Ingest: files on disk -> Documents, or a Rejection naming why a file (or a record in it) cannot be read.

Files are checked before they are trusted (see ``payload``). A report file (.txt, .html) holds
one document, a feed (.xml, .rss, .atom) one per entry, a web archive (.warc, .warc.gz) one per
page. The suffix chooses the reader and the content must agree: the feed reader checks that the
file opens an RSS or Atom document (a feed saved as .xml is found that way), the archive reader
that it opens a WARC record.
"""

from __future__ import annotations

import stat
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from borderwatch.config import Settings
from borderwatch.errors import InputError, Rejected
from borderwatch.ingest.html import parse_html
from borderwatch.ingest.payload import Screen, decode_bytes, read_file_bytes, read_payload
from borderwatch.ingest.rss import FEED_SUFFIXES, entry_xml, read_feed
from borderwatch.ingest.text import parse_text
from borderwatch.ingest.warc import WARC_SUFFIXES, read_warc, record_bytes, warc_stem
from borderwatch.model import Document, Rejection

__all__ = ["SUFFIXES", "Part", "Screen", "decode_bytes", "find_inputs", "find_part", "parse_html", "parse_text",
           "read_document", "read_documents"]

TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm")
REPORT_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES
SUFFIXES = REPORT_SUFFIXES + FEED_SUFFIXES + WARC_SUFFIXES
# Companion files that live beside reports in a folder (gold annotations, notes, tables): a folder
# walk passes over them; named explicitly, they are rejected like any other unsupported type.
COMPANION_SUFFIXES = (".json", ".md", ".csv", ".tsv", ".yaml", ".yml")


@dataclass(frozen=True)
class Part:
    """One record inside a container file, as a rejection's ``source`` names it."""

    container: Path
    name: str
    """A file name for the record on its own: "crawl.48213.warc.gz", "news.entry-3.xml"."""
    data: bytes | None
    """The record's bytes as the container holds them; None when they are over the size limit."""


def find_inputs(paths: list[Path],
                passed_over: Counter[str] | None = None) -> tuple[list[Path], list[Rejection]]:
    """The readable inputs among ``paths`` (folders walked, sorted) and rejections for the rest.

    Entries that are not inputs at all (hidden files, companion files, FIFOs, sockets, devices,
    broken links) are not rejected but counted by kind in ``passed_over``.
    """
    passed_over = Counter() if passed_over is None else passed_over
    files: list[Path] = []
    rejections: list[Rejection] = []
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise InputError(f"no such file or directory: {path}")
        if path.is_dir():
            found = _walk(path, passed_over)
        elif _special_kind(path):
            passed_over[_special_kind(path) or ""] += 1
            continue
        else:
            found = [path]
        for candidate in found:
            if _suffix(candidate) in SUFFIXES:
                files.append(candidate)
            else:
                rejections.append(Rejection(source=str(candidate), stage="ingest", reason="unsupported-type",
                                            message=_unsupported_message(candidate)))
    return files, rejections


def read_document(path: Path, settings: Settings, screen: Screen | None = None) -> Document:
    """The Document in one report file (.txt, .html), or Rejected with the reason it cannot be read."""
    if _suffix(path) not in REPORT_SUFFIXES:
        raise Rejected("unsupported-type", "ingest", str(path), _unsupported_message(path))
    data = read_file_bytes(path, settings.max_file_mb)
    return read_payload(data, path.stem, str(path), html=_suffix(path) in HTML_SUFFIXES, screen=screen)


def read_documents(path: Path, settings: Settings, passed_over: Counter[str] | None = None,
                   part: tuple[int, int | None] | None = None,
                   screen: Screen | None = None) -> Iterator[Document | Rejection]:
    """Every Document in one input file, and a Rejection for each part that cannot be read.

    A report file holds one document; a container (a feed, a web archive) holds many, and one
    bad record in it must not cost the good ones, so problems are yielded, not raised. A
    Rejection whose ``source`` is the file itself means nothing more could be read from it;
    one whose source names a record ("crawl.warc.gz#offset=48213", "news.rss#entry=3")
    concerns that record only (``find_part`` reads its bytes again). Records that are not
    pages (requests, metadata, redirects, images) are counted by kind in ``passed_over``.
    ``part`` reads one slice of a container: record offsets of an archive, entry numbers of a feed.
    ``screen`` (``payload.Screen``) leaves known payloads and pages that cannot be relevant unparsed
    (report files and archive pages; feed entries are read whole).
    """
    suffix = _suffix(path)
    try:
        if suffix in FEED_SUFFIXES:
            yield from read_feed(path, settings, part)
        elif suffix in WARC_SUFFIXES:
            skipped: Counter[str] = Counter()
            try:
                yield from read_warc(path, settings, skipped, part, screen)
            finally:
                if passed_over is not None:
                    passed_over.update({f"WARC {kind}": n for kind, n in skipped.items()})
        else:
            yield read_document(path, settings, screen)
    except Rejected as exc:
        yield Rejection(source=exc.source, stage=exc.stage, reason=exc.reason, message=exc.message)


def find_part(source: str, settings: Settings) -> Part | None:
    """The record that a container-record ``source`` names, read again from its file so that it
    can be set aside on its own; None when ``source`` is a whole file."""
    container, _, where = source.rpartition("#")
    kind, _, number = where.partition("=")
    path = Path(container)
    if not container or not number.isdigit() or not path.is_file():
        return None
    if kind == "offset" and _suffix(path) in WARC_SUFFIXES:
        suffix = ".warc.gz" if _suffix(path) == ".warc.gz" else ".warc"
        try:
            data = record_bytes(path, int(number), settings)
        except OSError:
            data = None
        return Part(path, f"{warc_stem(path)}.{number}{suffix}", data)
    if kind == "entry" and _suffix(path) in FEED_SUFFIXES:
        entry = entry_xml(path, int(number))
        if entry is not None:
            return Part(path, f"{path.stem}.entry-{number}.xml", entry)
        try:  # the entry cannot be told apart from the rest of the feed: keep the feed
            return Part(path, path.name, read_file_bytes(path, settings.max_file_mb))
        except Rejected:
            return Part(path, path.name, None)
    return None


def _suffix(path: Path) -> str:
    """The suffix that chooses the reader, lower-cased; ".warc.gz" counts as one."""
    name = path.name.lower()
    return ".warc.gz" if name.endswith(".warc.gz") else path.suffix.lower()


def _walk(folder: Path, passed_over: Counter[str]) -> list[Path]:
    """Report-candidate files under ``folder``, sorted; the other entries counted in ``passed_over``.

    Hidden files and folders (.git, .DS_Store) and companion files are not inputs; neither are
    FIFOs, sockets and devices (reading one could block or never end) nor broken links.
    """
    files = []
    for entry in sorted(folder.rglob("*")):
        if any(part.startswith(".") for part in entry.relative_to(folder).parts):
            if not entry.is_dir():
                passed_over["hidden files"] += 1
        elif entry.is_dir():
            continue
        elif kind := _special_kind(entry):
            passed_over[kind] += 1
        elif entry.suffix.lower() in COMPANION_SUFFIXES:
            passed_over["companion files"] += 1
        else:
            files.append(entry)
    return files


def _special_kind(path: Path) -> str | None:
    """What a non-regular file-system entry is (FIFO, socket, device, broken link); None for a file."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return "broken links" if path.is_symlink() else "unreadable entries"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "FIFOs"
    if stat.S_ISSOCK(mode):
        return "sockets"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "devices"
    return "special files"


def _unsupported_message(path: Path) -> str:
    suffix = path.suffix or "(no suffix)"
    return f"unsupported file type '{suffix}' for {path.name} (expected: {', '.join(SUFFIXES)})"
