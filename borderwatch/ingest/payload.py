"""One payload's bytes -> Document: the checks every report passes before it is trusted
(emptiness, binary content, then the text encoding), then the plain-text or the HTML reader.

A report file is one payload; so is each record of a web archive, whose HTTP header may
name the character set.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import charset_normalizer

from borderwatch.errors import Rejected
from borderwatch.ingest.html import parse_html
from borderwatch.ingest.text import parse_text
from borderwatch.model import Document

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
_MOJIBAKE_LEADS = "ÂÃâ"  # what every match of _MOJIBAKE starts with
_WESTERN_ALIASES = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii"}
_WIDE_ENCODINGS = ["utf_32_le", "utf_32_be", "utf_16_le", "utf_16_be"]
_WIDE_SAMPLE_BYTES = 65_536
_MIN_CONFIDENCE = 0.8  # 1 - charset-normalizer's "chaos": below this a guess is not trusted
_MAX_CONTROL_RATIO = 0.01
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # C0 but tab and line breaks, DEL, C1

@dataclass(frozen=True)
class Screen:
    """What a reader may leave unparsed: a payload whose content hash ``skip`` says is known
    (stored, or read before in this run), and an HTML page whose text nodes ``relevant`` says
    cannot be about goods or a seizure. Either comes back as a Document with no text."""

    skip: Callable[[str], bool] | None = None
    relevant: Callable[[Sequence[str]], bool] | None = None


def read_payload(data: bytes, doc_id: str, source: str, html: bool, charset: str | None = None,
                 screen: Screen | None = None) -> Document:
    """The Document in one payload (``html`` says it is known to be HTML), or Rejected with why."""
    name = _name(source)
    if not data.strip():
        raise Rejected("empty", "ingest", source, f"{name} is empty")
    kind = _binary_kind(data)
    if kind:
        raise Rejected("binary", "ingest", source, f"{name} is binary ({kind}), not text or HTML")
    text = decode_bytes(data, source, charset)
    if _looks_binary(text):
        raise Rejected("binary", "ingest", source, f"{name} is binary (control characters), not text")
    if not text.strip():
        raise Rejected("empty", "ingest", source, f"{name} has no text")
    content_hash = hashlib.sha256(data).hexdigest()
    is_html = html or bool(_HTML_SNIFF.match(text[:4096]))
    if screen is not None and screen.skip is not None and screen.skip(content_hash):
        return Document(id=doc_id, text="", content_hash=content_hash, source=source,
                        media_type="html" if is_html else "text", language="")
    if is_html:
        return parse_html(text, doc_id, source, screen.relevant if screen else None, content_hash)
    return replace(parse_text(text, doc_id, source), content_hash=content_hash)


def decode_bytes(data: bytes, source: str, charset: str | None = None) -> str:
    """Text from bytes: a BOM, UTF-8, the HTTP ``charset``, a declared charset, cp1252, then a guess."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).removeprefix("\ufeff")
            except UnicodeDecodeError as exc:
                raise Rejected("encoding", "ingest", source,
                               f"{_name(source)} starts with a {encoding} byte-order mark but is not "
                               f"valid {encoding} ({exc.reason} at byte {exc.start})") from exc
    wide = _bomless_wide_text(data)
    if wide is not None:
        return wide
    as_utf8 = _try_decode(data, "utf-8")
    if as_utf8 is not None:
        return _repair_mojibake(as_utf8)
    declared = _DECLARED_CHARSET.search(data[:4096])
    # A wrong declaration is common: when it does not decode, the guesses below decide.
    # The HTTP header outranks the page's own declaration, as in a browser.
    labels = [charset] if charset else []
    if declared:
        labels.append((declared.group(1) or declared.group(2)).decode("ascii"))
    candidates: list[str] = []
    for label in labels:
        if label.lower().replace("_", "-") in _WESTERN_ALIASES:
            candidates.append("cp1252")  # what browsers do with a Latin-1 or ASCII declaration
        # Web labels Python lacks ("windows-874") name the same tables as its "cpNNN" codecs.
        candidates.append(re.sub(r"^windows-(\d+)$", r"cp\1", label, flags=re.IGNORECASE))
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


def _bomless_wide_text(data: bytes) -> str | None:
    """UTF-16 or UTF-32 text saved without a byte-order mark, as charset-normalizer reads it.

    Only bytes with NULs are asked (UTF-8 and the 8-bit encodings have none in text), and only
    a strict decoding that reads as prose is believed, so binary data with NULs stays binary.
    """
    if b"\x00" not in data[:8192]:
        return None
    best = charset_normalizer.from_bytes(data[:_WIDE_SAMPLE_BYTES], cp_isolation=_WIDE_ENCODINGS).best()
    if best is None or 1 - best.chaos < _MIN_CONFIDENCE:
        return None
    text = _try_decode(data, best.encoding)
    if text is None or _looks_binary(text) or not _reads_as_prose(text):
        return None
    return text


def _try_decode(data: bytes, encoding: str) -> str | None:
    """``data`` decoded strictly as ``encoding``; None when it is not in that encoding."""
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None


def read_file_bytes(path: Path, max_file_mb: int) -> bytes:
    """A file's bytes, refused without reading it whole when it is over the size limit."""
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
    """What binary format the bytes are, if they are not text (UTF-16/32 with or without a BOM is text)."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return kind
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return None
    if b"\x00" in data[:8192] and _bomless_wide_text(data) is None:
        return "NUL bytes"
    return None


def _looks_binary(text: str) -> bool:
    """Too many control characters for any real text."""
    sample = text[:8192]
    return len(_CONTROL_CHARS.findall(sample)) > max(2, len(sample) * _MAX_CONTROL_RATIO)


def _repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as cp1252 and encoded again, when that is clearly what happened."""
    if not any(lead in text for lead in _MOJIBAKE_LEADS) or not _MOJIBAKE.search(text):
        return text  # three substring tests cost a fraction of the expression's scan of a page
    try:
        repaired = text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text
    return repaired if len(_MOJIBAKE.findall(repaired)) < len(_MOJIBAKE.findall(text)) else text


def _name(source: str) -> str:
    return Path(source).name
