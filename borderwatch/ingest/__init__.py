"""Ingest: files on disk -> Documents, or a Rejected naming why a file cannot be read.

Files are checked before they are trusted: size (without reading a huge file whole),
emptiness, binary content, then the text encoding; the content then goes to the plain-text
or the HTML reader by suffix and by what it looks like.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import replace
from pathlib import Path

import charset_normalizer

from borderwatch.config import Settings
from borderwatch.errors import InputError, Rejected
from borderwatch.ingest.html import parse_html
from borderwatch.ingest.text import parse_text
from borderwatch.model import Document, Rejection

__all__ = ["SUFFIXES", "decode_bytes", "find_inputs", "parse_html", "parse_text", "read_document"]

TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES
# Companion files that live beside reports in a folder (gold annotations, notes, tables): a folder
# walk passes over them; named explicitly, they are rejected like any other unsupported type.
COMPANION_SUFFIXES = (".json", ".md", ".csv", ".tsv", ".yaml", ".yml")

# Magic numbers of formats people put in news folders by mistake.
_MAGIC = {b"\x89PNG": "PNG image", b"\xff\xd8\xff": "JPEG image", b"GIF8": "GIF image",
          b"%PDF": "PDF document", b"PK\x03\x04": "ZIP archive", b"\x1f\x8b": "gzip archive",
          b"\x7fELF": "executable", b"RIFF": "RIFF media file", b"\x00\x00\x01\x00": "icon"}
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
                               rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTML_SNIFF = re.compile(r"^\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])",
                         re.IGNORECASE | re.DOTALL)
# UTF-8 read as cp1252 and saved again as UTF-8: "itâ€™s", "cafÃ©".
_MOJIBAKE = re.compile("[ÂÃâ][\u0080-\u00bf\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
                       "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc]")
_WESTERN_ALIASES = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii"}
_MIN_CONFIDENCE = 0.8  # 1 - charset-normalizer's "chaos": below this a guess is not trusted
_MAX_CONTROL_RATIO = 0.01


def find_inputs(paths: list[Path]) -> tuple[list[Path], list[Rejection]]:
    """The readable inputs among ``paths`` (folders walked, sorted) and rejections for the rest."""
    files: list[Path] = []
    rejections: list[Rejection] = []
    for path in paths:
        if not path.exists():
            raise InputError(f"no such file or directory: {path}")
        found = [path] if path.is_file() else [p for p in _walk(path)
                                               if p.suffix.lower() not in COMPANION_SUFFIXES]
        for candidate in found:
            if candidate.suffix.lower() in SUFFIXES:
                files.append(candidate)
            else:
                rejections.append(Rejection(source=str(candidate), stage="ingest", reason="unsupported-type",
                                            message=_unsupported_message(candidate)))
    return files, rejections


def read_document(path: Path, settings: Settings) -> Document:
    """The Document in one file, or Rejected with the reason it cannot be read."""
    source = str(path)
    if path.suffix.lower() not in SUFFIXES:
        raise Rejected("unsupported-type", "ingest", source, _unsupported_message(path))
    data = _read_bytes(path, settings.max_file_mb)
    if not data.strip():
        raise Rejected("empty", "ingest", source, f"{path.name} is empty")
    kind = _binary_kind(data)
    if kind:
        raise Rejected("binary", "ingest", source, f"{path.name} is binary ({kind}), not text or HTML")
    text = decode_bytes(data, source)
    if _looks_binary(text):
        raise Rejected("binary", "ingest", source, f"{path.name} is binary (control characters), not text")
    if not text.strip():
        raise Rejected("empty", "ingest", source, f"{path.name} has no text")
    is_html = path.suffix.lower() in HTML_SUFFIXES or bool(_HTML_SNIFF.match(text[:4096]))
    parse = parse_html if is_html else parse_text
    doc = parse(text, path.stem, source)
    return replace(doc, content_hash=hashlib.sha256(data).hexdigest())


def decode_bytes(data: bytes, source: str) -> str:
    """Text from bytes: UTF-8, a BOM, a declared charset, cp1252, then a confident guess."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).removeprefix("\ufeff")
            except UnicodeDecodeError as exc:
                raise Rejected("encoding", "ingest", source,
                               f"{_name(source)} starts with a {encoding} byte-order mark but is not "
                               f"valid {encoding} ({exc.reason} at byte {exc.start})") from exc
    as_utf8 = _try_decode(data, "utf-8")
    if as_utf8 is not None:
        return _repair_mojibake(as_utf8)
    declared = _DECLARED_CHARSET.search(data[:4096])
    # A wrong declaration is common: when it does not decode, the guesses below decide.
    label = (declared.group(1) or declared.group(2)).decode("ascii") if declared else None
    # Web labels Python lacks ("windows-874") name the same tables as its "cpNNN" codecs.
    candidates = [re.sub(r"^windows-(\d+)$", r"cp\1", label, flags=re.IGNORECASE)] if label else []
    if candidates and candidates[0].lower().replace("_", "-") in _WESTERN_ALIASES:
        candidates.insert(0, "cp1252")  # what browsers do with a Latin-1 or ASCII declaration
    # Mostly-ASCII text with a few accents and curly quotes: Windows' Western encoding.
    if sum(1 for byte in data if byte >= 0x80) <= len(data) // 10:
        candidates.append("cp1252")
    for encoding in candidates:
        decoded = _try_decode(data, encoding)
        if decoded is not None:
            return decoded
    best = charset_normalizer.from_bytes(data).best()
    if best is None or 1 - best.chaos < _MIN_CONFIDENCE or not _reads_as_prose(str(best)):
        raise Rejected("encoding", "ingest", source,
                       f"cannot decode {_name(source)}: not UTF-8 or UTF-16, and no character set fits "
                       f"(re-save it as UTF-8)")
    return str(best)


def _reads_as_prose(text: str) -> bool:
    """A guessed decoding is believed only if it looks like writing: words between spaces, or a
    script written without spaces (Thai, Khmer, Lao, Burmese, Chinese, Japanese)."""
    sample = text[:4000]
    letters = sum(c.isalpha() for c in sample)
    spaces = sum(c.isspace() for c in sample)
    unspaced = sum(1 for c in sample if "\u0e00" <= c <= "\u109f" or "\u1780" <= c <= "\u17ff"
                   or "\u3040" <= c <= "\u9fff")
    return letters > 0 and (spaces * 30 >= len(sample) or unspaced * 2 >= letters)


def _try_decode(data: bytes, encoding: str) -> str | None:
    """``data`` decoded strictly as ``encoding``; None when it is not in that encoding."""
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None


def _read_bytes(path: Path, max_file_mb: int) -> bytes:
    """The file's bytes, refusing without reading it whole when it is over the size limit."""
    limit = max_file_mb * 1024 * 1024
    too_large = Rejected("too-large", "ingest", str(path),
                         f"{path.name} is larger than the {max_file_mb} MB limit (raise max_file_mb to read it)")
    try:
        if path.stat().st_size > limit:
            raise too_large
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise Rejected("unreadable", "ingest", str(path),
                       f"cannot read {path.name}: {exc.strerror or exc}") from exc
    if len(data) > limit:  # a file that grew, or a device with no size
        raise too_large
    return data


def _binary_kind(data: bytes) -> str | None:
    """What binary format the bytes are, if they are not text (UTF-16/32 text carries a BOM)."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return kind
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return None
    if b"\x00" in data[:8192]:
        return "NUL bytes"
    return None


def _looks_binary(text: str) -> bool:
    """Too many control characters for any real text."""
    sample = text[:8192]
    controls = sum(1 for char in sample if (ord(char) < 32 and char not in "\n\r\t\f\v")
                   or 0x7F <= ord(char) < 0xA0)
    return controls > max(2, len(sample) * _MAX_CONTROL_RATIO)


def _repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as cp1252 and encoded again, when that is clearly what happened."""
    if not _MOJIBAKE.search(text):
        return text
    try:
        repaired = text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text
    return repaired if len(_MOJIBAKE.findall(repaired)) < len(_MOJIBAKE.findall(text)) else text


def _walk(folder: Path) -> list[Path]:
    """Files under ``folder``, sorted; hidden files and folders (.git, .DS_Store) are not inputs."""
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def _unsupported_message(path: Path) -> str:
    suffix = path.suffix or "(no suffix)"
    return f"unsupported file type '{suffix}' for {path.name} (expected: {', '.join(SUFFIXES)})"


def _name(source: str) -> str:
    return Path(source).name
