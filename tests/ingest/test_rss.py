"""Feeds -> Documents: one per entry, full content first, the entry's own metadata, hostile XML inert."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from lxml import etree

from borderwatch.config import Settings
from borderwatch.ingest import find_inputs, find_part, read_documents
from borderwatch.ingest.rss import looks_like_feed
from borderwatch.model import Document, Rejection

from .conftest import FIXTURES, assert_spans_quote

SETTINGS = Settings()


def _read(path: Path) -> tuple[list[Document], list[Rejection]]:
    out = list(read_documents(path, SETTINGS))
    docs = [d for d in out if isinstance(d, Document)]
    rejections = [r for r in out if isinstance(r, Rejection)]
    assert len(docs) + len(rejections) == len(out)
    for doc in docs:
        assert_spans_quote(doc)
    return docs, rejections


def test_rss_entries_become_documents_from_their_full_content() -> None:
    path = FIXTURES / "mekong-wire.xml"
    docs, rejections = _read(path)
    assert [d.source for d in docs] == [f"{path}#entry=1", f"{path}#entry=2"]
    meth, logs = docs
    assert meth.title == "Police seize 30 kg of methamphetamine in Stung Treng"
    assert meth.text.startswith(meth.title + "\n\n")
    # content:encoded, not the one-line teaser in <description>; share bar left out by the page reader
    assert "hidden under sacks of cassava" in meth.text
    assert "\u2026" not in meth.text
    assert "Share this" not in meth.text and "Facebook" not in meth.text
    assert "\u201cWe will keep watching this road day and night,\u201d he said." in meth.text
    assert meth.media_type == "html"
    assert meth.outlet == "Mekong Wire"
    assert meth.url == "https://mekongwire.example/2024/11/04/stung-treng-meth/"
    assert meth.language == "en"
    # 01:30 on 4 November in UTC+7 is still 3 November in UTC: the feed's own day is kept
    assert (meth.published, meth.published_precision) == ("2024-11-04", "day")
    assert meth.published_raw == "Mon, 04 Nov 2024 01:30:00 +0700"
    assert "42 rosewood logs" in logs.text and logs.published == "2024-11-03"
    (empty,) = rejections
    assert (empty.source, empty.reason, empty.stage) == (f"{path}#entry=3", "no-text", "ingest")
    assert "mekong-wire.xml" in empty.message and "Photo gallery: border market" in empty.message


def test_feed_ids_and_hashes_are_stable_readable_and_unique() -> None:
    path = FIXTURES / "mekong-wire.xml"
    first, _ = _read(path)
    again, _ = _read(path)
    assert [(d.id, d.content_hash) for d in first] == [(d.id, d.content_hash) for d in again]
    assert all(d.id.startswith("mekong-wire-") and len(d.id) == len("mekong-wire-") + 8 for d in first)
    assert len({d.id for d in first}) == len({d.content_hash for d in first}) == 2


def test_an_entry_repeated_in_a_feed_keeps_ids_unique(tmp_path: Path) -> None:
    item = ("<item><title>Seizure at Poipet</title><guid>same-guid</guid>"
            "<description>Police at the Poipet checkpoint seized 4 kilograms of heroin on Thursday.</description>"
            "</item>")
    feed = tmp_path / "dupes.rss"
    feed.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{item}{item}'
                    f"</channel></rss>", encoding="utf-8")
    docs, _ = _read(feed)
    assert len(docs) == 2 and docs[0].id != docs[1].id
    assert docs[0].content_hash == docs[1].content_hash  # the store keeps one of them


def test_atom_entries_html_xhtml_and_text() -> None:
    path = FIXTURES / "border-desk.atom"
    docs, rejections = _read(path)
    assert rejections == []
    ivory, lao_bao, hours = docs
    assert ivory.outlet == "Border Desk" and ivory.url == "https://borderdesk.example/news/ivory-bavet"
    assert "120 kilograms of raw ivory" in ivory.text and "<p>" not in ivory.text
    assert ivory.published == "2024-11-06"  # <published>, not the later <updated>
    assert ivory.published_raw == "2024-11-06T06:15:00+07:00"
    assert lao_bao.language == "vi"  # the entry's xml:lang over the feed's "en"
    assert "bắt giữ 20 kg ma túy đá" in lao_bao.text
    assert lao_bao.published == "2024-11-05"  # only <updated>: used
    assert hours.media_type == "text" and hours.language == "en"
    assert hours.text == ("Border checkpoints to extend opening hours\n\nThree checkpoints on the "
                          "Cambodia-Thailand border will stay open until 10 pm from next month, officials in "
                          "Banteay Meanchey said.")


def test_rss_1_rdf_feed_is_read(tmp_path: Path) -> None:
    feed = tmp_path / "rdf.xml"
    feed.write_text(
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<channel rdf:about="https://rdf.example/"><title>RDF News</title><link>https://rdf.example/</link>'
        "<description>d</description></channel>"
        '<item rdf:about="https://rdf.example/1"><title>Gibbons rescued in Bokeo</title>'
        "<link>https://rdf.example/1</link><dc:date>2024-10-30</dc:date>"
        "<description>Police in Bokeo rescued six gibbons from a truck bound for the border on Tuesday.</description>"
        "</item></rdf:RDF>", encoding="utf-8")
    (doc,), _ = _read(feed)
    assert (doc.outlet, doc.url, doc.published) == ("RDF News", "https://rdf.example/1", "2024-10-30")
    assert "six gibbons" in doc.text


def test_xml_files_are_found_and_sniffed(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_bytes((FIXTURES / "mekong-wire.xml").read_bytes())
    (tmp_path / "sitemap.xml").write_text('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/'
                                          'schemas/sitemap/0.9"><url><loc>https://x.example/</loc></url></urlset>')
    files, rejected = find_inputs([tmp_path])
    assert files == [tmp_path / "feed.xml", tmp_path / "sitemap.xml"] and rejected == []
    docs, _ = _read(tmp_path / "feed.xml")
    assert len(docs) == 2
    (not_feed,) = list(read_documents(tmp_path / "sitemap.xml", SETTINGS))
    assert isinstance(not_feed, Rejection)
    assert (not_feed.source, not_feed.reason) == (str(tmp_path / "sitemap.xml"), "not-a-feed")
    assert not_feed.message == "sitemap.xml is not an RSS or Atom feed"


@pytest.mark.parametrize("content, reason", [
    (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Cut off in the', "broken-feed"),
    (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>', "empty"),
    (b"", "empty"),
    (b"<html><body><p>Feed moved</p></body></html>", "not-a-feed"),
])
def test_a_feed_that_cannot_be_read_is_one_rejection_for_the_file(tmp_path: Path, content: bytes,
                                                                   reason: str) -> None:
    path = tmp_path / "bad.rss"
    path.write_bytes(content)
    (rejection,) = list(read_documents(path, SETTINGS))
    assert isinstance(rejection, Rejection)
    assert (rejection.source, rejection.reason) == (str(path), reason)
    assert "bad.rss" in rejection.message


def test_hostile_feed_fetches_nothing_and_resolves_no_entity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # "feed-secret.txt", the relative external entity, would be read from here
    (tmp_path / "feed-secret.txt").write_text("SECRET-FROM-DISK", encoding="utf-8")
    connections: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        connections.append(args)
        raise OSError("network use in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    started = time.monotonic()
    out = list(read_documents(FIXTURES / "hostile-feed.xml", SETTINGS))
    assert time.monotonic() - started < 30
    assert connections == []
    (doc,) = out
    assert isinstance(doc, Document)
    passwd = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace").split("\n")[0]
    everything = " ".join(str(v) for v in vars(doc).values())
    assert "SECRET-FROM-DISK" not in everything and passwd not in everything
    assert "lollollol" not in everything  # no entity expansion (billion laughs)
    assert "12 kilograms of heroin" in doc.text
    assert doc.url == "http://127.0.0.1:9/article"  # links are data


def test_inline_doctype_with_external_entity_is_not_resolved(tmp_path: Path) -> None:
    # All on one line: feedparser's DOCTYPE stripping misses it, so expat itself must refuse.
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    path = tmp_path / "inline.rss"
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">{lol}'
                    f'<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>T</title>'
                    f"<item><title>A &l9;</title><description>Border police seized 9 kilograms of opium &xxe; "
                    f"near the river on Monday.</description></item></channel></rss>", encoding="utf-8")
    (doc,) = list(read_documents(path, SETTINGS))
    assert isinstance(doc, Document)
    assert "root:" not in doc.text and "lollol" not in doc.text and len(doc.text) < 200


def test_a_rejected_entry_is_set_aside_as_its_own_xml() -> None:
    path = FIXTURES / "mekong-wire.xml"
    part = find_part(f"{path}#entry=3", SETTINGS)
    assert part is not None and part.data is not None
    assert part.name == "mekong-wire.entry-3.xml"
    item = etree.fromstring(part.data)
    assert item.tag == "item" and item.findtext("title") == "Photo gallery: border market"
    assert find_part(str(path), SETTINGS) is None  # the whole file: the caller copies it


@pytest.mark.parametrize("head", [b"<?a?>" * 13_000, b" <!--" * 13_000, b"<!DOCTYPE x [" + b"]" * 60_000])
def test_sniffing_a_hostile_prolog_takes_no_time(head: bytes) -> None:
    started = time.monotonic()
    assert not looks_like_feed(head)
    assert time.monotonic() - started < 1
