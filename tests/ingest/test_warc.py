"""WARC archives -> Documents: one per HTML or text page, bad records named by offset, the rest read."""

from __future__ import annotations

import gzip
import hashlib
from collections import Counter
from pathlib import Path

import pytest

from borderwatch.config import Settings
from borderwatch.ingest import decode_bytes, find_inputs, find_part, read_documents
from borderwatch.ingest.warc import read_warc
from borderwatch.model import Document, Rejection

from .conftest import FIXTURES, assert_spans_quote, gzip_members, http_response, warc_record

SETTINGS = Settings()
ARTICLE = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
           "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><h1>{title}</h1><p>{text}</p></body></html>")


def _page(title: str, text: str) -> bytes:
    return ARTICLE.format(title=title, text=text).encode("utf-8")


PAGES = [_page("Meth seized in Stung Treng", "Police in Stung Treng seized 30 kilograms of methamphetamine "
                                             "on Sunday and arrested two Lao nationals, officials said."),
         _page("Logs seized in Kratie", "Forestry officials in Kratie seized 42 rosewood logs from a boat on the "
                                        "Mekong on Saturday night, the environment department said."),
         _page("Heroin found at Poipet", "Anti-drug police at the Poipet checkpoint found 4 kilograms of heroin "
                                         "in the luggage hold of a bus on Thursday, police said.")]
URIS = [f"https://news.example/{n}" for n in range(1, 4)]


def _responses() -> list[bytes]:
    return [warc_record("response", uri, http_response(page)) for uri, page in zip(URIS, PAGES, strict=True)]


def _read(path: Path, settings: Settings = SETTINGS) -> tuple[list[Document], list[Rejection]]:
    out = list(read_documents(path, settings))
    docs = [d for d in out if isinstance(d, Document)]
    for doc in docs:
        assert_spans_quote(doc)
    return docs, [r for r in out if isinstance(r, Rejection)]


def _offsets(records: list[bytes]) -> list[int]:
    """Where each record starts once the records are written one after another."""
    starts, at = [], 0
    for record in records:
        starts.append(at)
        at += len(record)
    return starts


def test_crawl_pages_become_documents_and_the_rest_is_counted() -> None:
    path = FIXTURES / "crawl.warc.gz"
    skipped: Counter[str] = Counter()
    out = list(read_warc(path, SETTINGS, skipped))
    assert all(isinstance(d, Document) for d in out)
    meth, timber = out
    assert isinstance(meth, Document) and isinstance(timber, Document)
    assert skipped == {"warcinfo records": 1, "request records": 1, "metadata records": 1, "image/png": 1,
                       "HTTP 301": 1, "HTTP 404": 1}
    for doc in (meth, timber):
        offset = int(doc.source.rpartition("#offset=")[2])
        assert doc.source == f"{path}#offset={offset}" and doc.id == f"crawl-{offset}"
        assert doc.media_type == "html" and doc.outlet == "Mekong Wire"
        assert gzip.decompress(path.read_bytes()[offset:]).startswith(b"WARC/1.1\r\nWARC-Type: response")
    assert meth.url == "https://mekongwire.example/2024/11/04/stung-treng-meth/"
    assert meth.text.startswith("Police seize 30 kg of methamphetamine in Stung Treng\n\nPolice in Stung Treng")
    assert "Home" not in meth.text and "Contact" not in meth.text
    # The page states its date (4 November); the crawl a day later does not replace it.
    assert (meth.published, meth.published_raw) == ("2024-11-04", "2024-11-04T08:30:00+07:00")
    # No date on the page: the WARC-Date stands in.
    assert (timber.published, timber.published_precision, timber.published_raw) == (
        "2024-11-05", "day", "2024-11-05T03:12:44Z")
    # windows-1252 named only in the HTTP header
    assert "The department\u2019s director said the logs were worth about \u20ac15,000" in timber.text


def test_ids_hashes_and_documents_do_not_depend_on_compression(tmp_path: Path) -> None:
    records = _responses()
    plain, packed = tmp_path / "news.warc", tmp_path / "news.warc.gz"
    plain.write_bytes(b"".join(records))
    packed.write_bytes(gzip_members(records))
    plain_docs, plain_rejected = _read(plain)
    packed_docs, packed_rejected = _read(packed)
    assert plain_rejected == packed_rejected == []
    assert [d.id for d in plain_docs] == [f"news-{o}" for o in _offsets(records)]
    assert [d.content_hash for d in plain_docs] == [hashlib.sha256(p).hexdigest() for p in PAGES]
    assert [(d.text, d.url, d.content_hash) for d in plain_docs] == [
        (d.text, d.url, d.content_hash) for d in packed_docs]
    assert [d.url for d in packed_docs] == URIS
    assert [(d.id, d.content_hash) for d in _read(packed)[0]] == [(d.id, d.content_hash) for d in packed_docs]


def test_truncated_last_member_is_one_rejection_and_the_rest_is_read() -> None:
    path = FIXTURES / "truncated.warc.gz"
    docs, (rejection,) = _read(path)
    assert len(docs) == 2
    offset = int(rejection.source.rpartition("#offset=")[2])
    assert rejection.source == f"{path}#offset={offset}" and rejection.reason == "truncated-record"
    assert f"offset {offset}" in rejection.message and "truncated.warc.gz" in rejection.message
    assert offset > max(int(d.source.rpartition("=")[2]) for d in docs)
    part = find_part(rejection.source, SETTINGS)
    assert part is not None and part.name == f"truncated.{offset}.warc.gz"
    assert part.data == path.read_bytes()[offset:]  # the cut member alone, as the file holds it


def test_a_corrupt_member_in_the_middle_costs_only_itself(tmp_path: Path) -> None:
    members = [gzip_members([r]) for r in _responses()]
    path = tmp_path / "middle.warc.gz"
    path.write_bytes(members[0] + members[1][: len(members[1]) // 2] + members[2])
    docs, (rejection,) = _read(path)
    assert [d.url for d in docs] == [URIS[0], URIS[2]]
    assert rejection.source == f"{path}#offset={len(members[0])}"
    assert rejection.reason in {"malformed-record", "truncated-record"}
    part = find_part(rejection.source, SETTINGS)
    assert part is not None and part.data == members[1][: len(members[1]) // 2]


def test_a_bad_header_in_a_plain_archive_costs_only_its_record(tmp_path: Path) -> None:
    good = _responses()
    bad = b"WARC/1.1\r\nWARC-Type: response\r\nContent-Length: many\r\n\r\nnot a record\r\n\r\n"
    path = tmp_path / "badheader.warc"
    path.write_bytes(good[0] + bad + good[2])
    docs, (rejection,) = _read(path)
    assert [d.url for d in docs] == [URIS[0], URIS[2]]
    assert rejection.source == f"{path}#offset={len(good[0])}" and rejection.reason == "malformed-record"
    assert "Content-Length" in rejection.message


def test_a_plain_archive_cut_off_inside_a_record(tmp_path: Path) -> None:
    records = _responses()
    path = tmp_path / "cut.warc"
    path.write_bytes(records[0] + records[1] + records[2][:500])
    docs, (rejection,) = _read(path)
    assert [d.url for d in docs] == URIS[:2]
    assert rejection.source == f"{path}#offset={len(records[0]) + len(records[1])}"
    assert rejection.reason == "truncated-record" and "cut off after" in rejection.message
    path.write_bytes(records[0] + records[1] + records[2][:100])
    docs, (rejection,) = _read(path)
    assert len(docs) == 2 and rejection.reason == "truncated-record" and "inside its header" in rejection.message


@pytest.mark.parametrize("name, content, reason", [
    ("not-a-warc.warc", None, "not-warc"),
    ("empty.warc", b"", "empty"),
    ("page.warc.gz", gzip.compress(b"<html><body>hello</body></html>"), "not-warc"),
])
def test_a_file_that_is_not_an_archive_is_one_rejection(tmp_path: Path, name: str, content: bytes | None,
                                                        reason: str) -> None:
    path = FIXTURES / name if content is None else tmp_path / name
    if content is not None:
        path.write_bytes(content)
    (rejection,) = list(read_documents(path, SETTINGS))
    assert isinstance(rejection, Rejection)
    assert (rejection.source, rejection.reason, rejection.stage) == (str(path), reason, "ingest")
    assert name in rejection.message


def test_the_size_limit_applies_to_each_payload_not_to_the_archive(tmp_path: Path) -> None:
    settings = Settings(max_file_mb=1)
    filler = "Border police patrolled the river bank again on Monday. " * 9_000  # ~0.5 MB of text
    big = _page("A long report", filler)
    huge = _page("A page over the limit", filler * 3)
    records = [warc_record("response", URIS[0], http_response(big)),
               warc_record("response", URIS[1], http_response(huge)),
               warc_record("response", URIS[2], http_response(big))]
    for path in (tmp_path / "limit.warc", tmp_path / "limit.warc.gz"):
        path.write_bytes(b"".join(records) if path.suffix == ".warc" else gzip_members(records))
        docs, (rejection,) = _read(path, settings)
        assert [d.url for d in docs] == [URIS[0], URIS[2]]  # together well over 1 MB: fine
        assert rejection.reason == "too-large" and "1 MB limit" in rejection.message
        part = find_part(rejection.source, settings)
        assert part is not None
        if path.suffix == ".warc":
            assert part.data is None  # over the limit as stored: set aside as a pointer, not copied
        else:  # compressed it is small: the member is kept
            assert part.data is not None and gzip.decompress(part.data) == records[1]


def test_a_huge_record_is_passed_over_without_being_read(tmp_path: Path) -> None:
    # A sparse file: 3 GB declared and present on disk, costing nothing; reading it would take minutes.
    first, last = _responses()[0], _responses()[2]
    header = b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example/video\r\n" \
             b"Content-Type: application/http; msgtype=response\r\nContent-Length: 3000000000\r\n\r\n"
    path = tmp_path / "sparse.warc"
    with path.open("wb") as handle:
        handle.write(first + header)
        handle.seek(len(first) + len(header) + 3_000_000_000)
        handle.write(b"\r\n\r\n" + last)
    docs, (rejection,) = _read(path)
    assert [d.url for d in docs] == [URIS[0], URIS[2]]
    assert rejection.reason == "too-large" and rejection.source == f"{path}#offset={len(first)}"


def test_http_charset_chunked_and_gzip_encodings(tmp_path: Path) -> None:
    thai = ("<html><head><title>Sa Kaeo seizure</title></head><body><h1>Sa Kaeo seizure</h1><p>Police in Sa Kaeo "
            "(\u0e2a\u0e23\u0e30\u0e41\u0e01\u0e49\u0e27) seized 200,000 methamphetamine pills at the border "
            "checkpoint on Friday, the provincial police chief said.</p></body></html>").encode("cp874")
    # Mostly ASCII: without the header the bytes would pass for cp1252 and the Thai would be lost.
    assert "\u0e2a\u0e23\u0e30" not in decode_bytes(thai, "x")
    body = gzip.compress(PAGES[1], mtime=0)
    chunked = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
               b"Transfer-Encoding: chunked\r\n\r\n" + f"{len(body):x}".encode() + b"\r\n" + body + b"\r\n0\r\n\r\n")
    path = tmp_path / "encodings.warc.gz"
    path.write_bytes(gzip_members([
        warc_record("response", URIS[0], http_response(thai, "text/html; charset=windows-874")),
        warc_record("response", URIS[1], chunked)]))
    (sa_kaeo, kratie), rejected = _read(path)
    assert rejected == []
    assert "Police in Sa Kaeo (\u0e2a\u0e23\u0e30\u0e41\u0e01\u0e49\u0e27) seized" in sa_kaeo.text
    assert "42 rosewood logs" in kratie.text
    assert kratie.content_hash == hashlib.sha256(PAGES[1]).hexdigest()  # the page, not its transfer form


def test_robots_revisits_and_plain_text_pages(tmp_path: Path) -> None:
    text = b"Border guards in Tay Ninh seized 3 kilograms of heroin on Tuesday, the provincial command said.\n"
    path = tmp_path / "mixed.warc"
    path.write_bytes(b"".join([
        warc_record("response", "https://news.example/robots.txt", http_response(b"User-agent: *\n", "text/plain")),
        warc_record("revisit", URIS[0], b"HTTP/1.1 200 OK\r\n\r\n"),
        warc_record("response", "https://news.example/brief.txt", http_response(text, "text/plain; charset=utf-8")),
    ]))
    skipped: Counter[str] = Counter()
    (doc,) = list(read_warc(path, SETTINGS, skipped))
    assert isinstance(doc, Document)
    assert doc.media_type == "text" and doc.url == "https://news.example/brief.txt" and "Tay Ninh" in doc.text
    assert skipped == {"robots.txt": 1, "revisit records": 1}


def test_several_records_in_one_member_and_an_empty_member(tmp_path: Path) -> None:
    records = _responses()
    path = tmp_path / "together.warc.gz"
    path.write_bytes(gzip.compress(b"".join(records[:2]), mtime=0) + gzip_members([records[2], b""]))
    skipped: Counter[str] = Counter()
    docs = [d for d in read_warc(path, SETTINGS, skipped) if isinstance(d, Document)]
    assert [d.url for d in docs] == URIS
    second_member = len(gzip.compress(b"".join(records[:2]), mtime=0))
    assert [d.id for d in docs] == ["together-0", "together-0-2", f"together-{second_member}"]
    assert skipped == {"empty gzip members": 1}


def test_warc_files_are_found_by_suffix(tmp_path: Path) -> None:
    for name in ("a.warc", "b.WARC.GZ", "c.gz"):
        (tmp_path / name).write_bytes(b"x")
    files, rejected = find_inputs([tmp_path])
    assert files == [tmp_path / "a.warc", tmp_path / "b.WARC.GZ"]
    assert [Path(r.source).name for r in rejected] == ["c.gz"]
