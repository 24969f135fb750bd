"""Smoke test in a real browser: event list, evidence highlights, folded comments, Khmer rendering."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import httpx
import pytest

from borderwatch.model import Document
from borderwatch.serve.web import PAGE_SIZE
from tests.browser.conftest import Site

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

KHMER_CAMBODIA = "កម្ពុជា"
# A full-page PNG of a rendered report is tens of kilobytes; a blank or failed capture is far smaller.
MIN_SCREENSHOT_BYTES = 10_000


def _stored_documents(site: Site) -> list[Document]:
    with site.store() as store:
        return store.documents(limit=1000)


def _document_url(site: Site, doc: Document) -> str:
    return site.url("/documents/" + quote(doc.id))


def test_event_list_shows_stored_events(site: Site, page: Page) -> None:
    with site.store() as store:
        stored = store.count_events()
    assert stored > 0, "the pipeline extracted no events from examples/corpus"

    page.goto(site.url("/"))

    assert page.title() == "Dashboard · borderwatch"
    rows = page.locator("table.events tbody tr")
    assert rows.count() == min(stored, PAGE_SIZE)
    assert page.locator("table.events thead th").first.inner_text() == "Date"


def test_document_page_highlights_evidence_exactly(site: Site, page: Page) -> None:
    page.goto(site.url("/"))
    page.locator("table.events tbody tr").first.get_by_role("link", name="document").click()
    page.wait_for_load_state()
    doc_id = page.url.split("/documents/", 1)[1]
    text = httpx.get(site.url(f"/api/documents/{doc_id}"), timeout=10).json()["document"]["text"]

    marks = page.locator("article .text mark")
    assert marks.count() > 0, f"no highlighted evidence on {page.url}"
    for mark in marks.all():
        start = int(mark.get_attribute("data-start") or -1)
        end = int(mark.get_attribute("data-end") or -1)
        assert mark.text_content() == text[start:end]
        assert mark.is_visible()
    first_fact = page.locator("aside.facts li a").first
    target = (first_fact.get_attribute("href") or "").lstrip("#")
    assert page.locator(f"mark[id='{target}']").count() == 1


def test_reader_comments_are_folded_away(site: Site, page: Page) -> None:
    commented = [doc for doc in _stored_documents(site) if doc.comments]
    assert commented, "no document of examples/corpus kept its reader comments"
    doc = commented[0]

    page.goto(_document_url(site, doc))

    details = page.locator("details.comments")
    assert details.count() == 1
    assert details.get_attribute("open") is None
    first_comment = details.locator("li.comment .comment-text").first
    assert first_comment.text_content() == doc.comments[0].text
    assert not first_comment.is_visible()
    assert page.locator("article .text mark").filter(has_text=doc.comments[0].text).count() == 0

    details.locator("summary").click()

    assert first_comment.is_visible()


def test_khmer_text_renders_with_a_khmer_font(site: Site, page: Page,
                                              screenshot: Callable[[Page, str], Path]) -> None:
    khmer = [doc for doc in _stored_documents(site) if KHMER_CAMBODIA in doc.text]
    assert khmer, "the Khmer fixture report was not stored"

    page.goto(_document_url(site, khmer[0]))

    assert KHMER_CAMBODIA in page.locator("article h1").inner_text()
    assert KHMER_CAMBODIA in page.locator("article .text").inner_text()
    fonts = _platform_fonts(page, "article h1")
    assert any("khmer" in font["familyName"].lower() and font["glyphCount"] > 0 for font in fonts), fonts
    path = screenshot(page, "khmer")
    assert path.is_file()
    assert path.stat().st_size > MIN_SCREENSHOT_BYTES
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _platform_fonts(page: Page, selector: str) -> list[dict[str, object]]:
    """The fonts Chromium really drew ``selector``'s text with (DevTools CSS.getPlatformFontsForNode)."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        fonts: list[dict[str, object]] = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        return fonts
    finally:
        cdp.detach()


def test_pages_run_under_the_content_security_policy(site: Site, page: Page) -> None:
    """No CSP violation on the pages, and Swagger UI starts from its static script on /docs."""
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    with site.store() as store:
        incident = next(row.event.incident for row in store.events(limit=1000) if row.event.incident)
    for path in ("/", "/claims", f"/incidents/{quote(incident)}", "/signin"):
        page.goto(site.url(path))
        page.wait_for_load_state("networkidle")
    page.goto(site.url("/docs"))
    page.locator(".opblock").first.wait_for(timeout=20_000)
    assert page.locator(".opblock").count() > 10
    reports = page.goto(site.url(f"/incidents/{quote(incident)}"))
    assert reports is not None and "frame-ancestors 'none'" in reports.headers["content-security-policy"]
    assert violations == []
