"""Paths the ingest tests read (our small fixtures, the shared dev set) and a WARC record builder."""

from __future__ import annotations

import gzip
import io
import uuid
from pathlib import Path

import pytest
from fastwarc.warc import WarcRecord, WarcRecordType

from borderwatch.model import Document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DEV = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev"


def dev_file(name: str) -> Path:
    """A dev-set document, or a skip naming where it was looked for."""
    path = DEV / name
    if not path.exists():
        pytest.skip(f"shared dev set not found at {DEV} (a user's own clone has none)")
    return path


def assert_spans_quote(doc: Document) -> None:
    """Every furniture span quotes the text it points at."""
    for span in doc.furniture:
        assert span.doc_id == doc.id
        assert doc.text[span.start:span.end] == span.text


def warc_record(kind: str, uri: str, block: bytes, date: str = "2024-11-05T03:00:00Z",
                content_type: str = "application/http; msgtype=response") -> bytes:
    """One WARC/1.1 record written by fastwarc, with a record id that depends only on its kind and URI."""
    record = WarcRecord()
    record_id = f"uuid:{uuid.uuid5(uuid.NAMESPACE_URL, kind + ' ' + uri)}"
    record.init_headers(getattr(WarcRecordType, kind), record_id.encode("ascii"))
    record.headers["WARC-Date"] = date
    if uri:
        record.headers["WARC-Target-URI"] = uri
    record.headers["Content-Type"] = content_type
    record.set_bytes_content(block)
    out = io.BytesIO()
    record.write(out, checksum_data=True)
    return out.getvalue()


def http_response(body: bytes, content_type: str = "text/html; charset=utf-8", status: str = "200 OK") -> bytes:
    """An HTTP/1.1 response as a crawler stores it in a WARC response record."""
    return (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
            .encode("ascii") + body)


def gzip_members(records: list[bytes]) -> bytes:
    """Records compressed one gzip member each, as crawlers write .warc.gz files."""
    return b"".join(gzip.compress(record, mtime=0) for record in records)
