"""HTML pages: clean main text with the headline first, metadata read, comments kept apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from lxml.html import HtmlElement

from borderwatch.errors import Rejected
from borderwatch.ingest.html import _has_body_text, _load, _load_for_screen, _text, page_pieces, parse_html
from borderwatch.model import Document

from .conftest import FIXTURES, assert_spans_quote, dev_file

# Words that only page chrome (navigation, share bars, related links, forms, footers) carries.
_CHROME = ("Home", "Subscribe", "Share on Facebook", "Tweet", "Related", "Leave a", "Add a comment",
           "Post Comment", "All rights reserved", "Privacy", "Tags:")


def _parse(path: Path) -> Document:
    return parse_html(path.read_text(encoding="utf-8"), path.stem, str(path))


def _paragraphs(path: Path, cls: str) -> list[str]:
    """The page's own article paragraphs, read with lxml as a reference."""
    from lxml import html as lxml_html

    tree = lxml_html.parse(str(path))
    return [" ".join(p.text_content().split()) for p in tree.xpath(f"//div[@class='{cls}']/p")]


@pytest.mark.parametrize("name, body_class, title, outlet, published", [
    ("d05-nacd-h1-2020-cng.html", "entry-content",
     "Anti-Illicit Drug Combat Achievements in First Half of 2020", "Cambodia News Gazette", "2020-07-03"),
    ("t05-ppp-malai-rosewood.html", "story-body", "Rosewood haul snared near border", "Phnom Penh Post",
     "2013-03-28"),
])
def test_dev_pages_give_clean_complete_text(name: str, body_class: str, title: str, outlet: str,
                                            published: str) -> None:
    path = dev_file(name)
    doc = _parse(path)
    assert doc.media_type == "html"
    assert doc.text.split("\n")[0] == title == doc.title
    assert (doc.outlet, doc.published, doc.published_precision) == (outlet, published, "day")
    paragraphs = _paragraphs(path, body_class)
    assert len(paragraphs) >= 5
    for paragraph in paragraphs:
        assert paragraph in doc.text
    assert doc.text.endswith(paragraphs[-1])
    for chrome in _CHROME:
        assert chrome not in doc.text, chrome
    assert_spans_quote(doc)


@pytest.mark.parametrize("name", ["d05-nacd-h1-2020-cng.html", "t05-ppp-malai-rosewood.html"])
def test_dev_page_comments_are_apart(name: str) -> None:
    doc = _parse(dev_file(name))
    assert len(doc.comments) == 2
    for comment in doc.comments:
        assert comment.author and comment.posted and comment.text
        assert comment.text not in doc.text
        assert comment.author not in doc.text
        assert not comment.abusive
    assert all(len(c.posted or "") == 10 for c in doc.comments)


def test_caption_is_not_article_text() -> None:
    path = dev_file("t05-ppp-malai-rosewood.html")
    doc = _parse(path)
    caption = "Police officers and workers unload confiscated rosewood logs"
    assert caption not in doc.text or any(caption in s.text for s in doc.furniture if s.field == "caption")


def test_wordpress_page_metadata_and_nested_comments() -> None:
    doc = _parse(FIXTURES / "wordpress-article.html")
    assert doc.title == "Border police stop truck with 2,300 kg of dried marijuana"
    assert doc.outlet == "Mekong Ledger"
    assert doc.url == "https://mekong-ledger.example/2021/03/09/border-police-stop-truck/"
    assert (doc.published, doc.published_raw) == ("2021-03-09", "2021-03-09T14:20:11+00:00")
    assert doc.text.startswith(doc.title + "\n\n")
    assert doc.text.endswith("the provincial police commander said.")
    for chrome in ("Share this", "Meth pills seized", "Leave a Reply", "3 Comments", "powered by"):
        assert chrome not in doc.text
    assert [(c.author, c.posted, c.abusive) for c in doc.comments] == [
        ("Somchai K.", "2021-03-09", False), ("riverwatcher", "2021-03-10", True), ("Noi", "2021-03-11", False)]
    assert doc.comments[1].abuse_terms == ("animals", "hang them")
    assert all("Reply" not in c.text and "says" not in c.text for c in doc.comments)


def test_caption_inside_article_body_is_furniture_or_absent() -> None:
    doc = _parse(FIXTURES / "wordpress-article.html")
    caption = "The truck and its load at the district police station on Tuesday."
    assert caption not in doc.text or any(caption in s.text for s in doc.furniture)


def test_outlet_from_title_tag_when_page_names_no_site() -> None:
    page = ("<html><head><title>Logs seized on the Mekong - Vientiane Daily</title></head><body><article>"
            "<h1>Logs seized on the Mekong</h1><p>Customs officers seized 60 logs of rosewood at a river port "
            "in Bolikhamxay province on Friday, the provincial office said.</p></article></body></html>")
    doc = parse_html(page, "p", "p.html")
    assert (doc.title, doc.outlet) == ("Logs seized on the Mekong", "Vientiane Daily")


def test_page_without_markup_is_broken_html() -> None:
    with pytest.raises(Rejected) as info:
        parse_html("{\"error\": \"not found\"}", "e", "dl/e.html")
    assert (info.value.reason, info.value.stage, info.value.source) == ("broken-html", "ingest", "dl/e.html")
    assert "e.html" in info.value.message


def test_page_with_only_navigation_has_no_text() -> None:
    page = ("<html><head><title>Site</title></head><body><nav><ul><li><a href='/'>Home</a></li>"
            "<li><a href='/news'>News</a></li></ul></nav></body></html>")
    with pytest.raises(Rejected) as info:
        parse_html(page, "n", "n.html")
    assert info.value.reason == "no-text"


_FOOTER_ONLY = ("<html><head><title>Police seize rosewood</title></head><body><article><h1>Police seize rosewood</h1>"
                "<p>Police in Ratanakiri seized 20 cubic metres of rosewood on Sunday, officials said. The logs "
                "were bound for Vietnam, according to the provincial forestry office.</p>{dated}</article>"
                "<footer>Copyright 2024 Example News</footer></body></html>")


def test_a_copyright_year_is_not_a_publication_day() -> None:
    doc = parse_html(_FOOTER_ONLY.format(dated=""), "footer-only", "footer-only.html")
    assert doc.published is None


def test_a_stated_first_of_january_is_kept() -> None:
    page = _FOOTER_ONLY.format(dated='<p class="date">Published 1 January 2019</p>')
    doc = parse_html(page, "new-year", "new-year.html")
    assert (doc.published, doc.published_precision) == ("2019-01-01", "day")


def test_the_screen_reads_the_same_tree_as_extraction_in_plain_elements() -> None:
    """``_load_for_screen`` parses a whole page as ``_load`` does, without lxml.html's classes, and
    leaves anything else (a fragment, an XML declaration, no "html" at the top) to ``_load``."""
    pages = [('<!DOCTYPE html>\n<html><head><title>Rain  in\nthe north</title></head><body><nav>Menu</nav>'
              '<p>Rain is expected all week.</p><!-- ad --><p>Roads may <b>flood</b>.</p></body></html>'),
             '  <html lang="th"><body><article><h1>ฝนตก</h1><p>ฝนจะตกทั้งสัปดาห์</p></article></body></html>',
             '<?xml version="1.0" encoding="utf-8"?><html><body><p>Rain is expected.</p></body></html>',
             '<div><p>Rain is expected all week.</p><p>Roads may flood.</p></div>',
             '<head><title>Rain</title></head><body><p>Rain is expected all week.</p></body>']
    for page in pages:
        extracted, screened = _load(page, "p.html"), _load_for_screen(page, "p.html")
        assert page_pieces(screened) == page_pieces(extracted), page
        assert _has_body_text(screened) == _has_body_text(extracted)
        assert _text(screened.find(".//title")) == _text(extracted.find(".//title"))
    assert type(_load_for_screen(pages[0], "p.html")) is etree._Element
    assert isinstance(_load_for_screen(pages[3], "p.html"), HtmlElement)  # a fragment: extraction's own parse
