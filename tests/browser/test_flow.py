"""The whole editor flow in a real browser: filter, read the evidence, sign in, correct, audit, sign out.

Also a hostile report in Chromium: its script and onerror handler must not run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

import httpx
import pytest

from borderwatch.config import Settings
from borderwatch.pipeline import ingest
from borderwatch.review import add_user
from borderwatch.store.repo import EventFilter, Store
from tests.browser.conftest import Site

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = pytest.mark.browser

EDITOR = "flow-editor"
PASSWORD = "a long enough passphrase"
COUNTRY = "KH"
SUBSTANCE = "methamphetamine"
SCRIPT = "<script>window.__pwned=1</script>"
IMAGE = '<img src="x" onerror="window.__pwned=2">'

Shoot = Callable[["Page", str], Path]


def _add_editor(store: Store, settings: Settings) -> None:
    add_user(store, EDITOR, "editor", PASSWORD)


def _table_column(page: Page, header: str) -> list[str]:
    headers = [text.strip() for text in page.locator("table.events thead th").all_inner_texts()]
    index = headers.index(header)
    return [row.locator("td").nth(index).inner_text().strip()
            for row in page.locator("table.events tbody tr").all()]


def _review_row(page: Page, field: str) -> Locator:
    """The review page's table row of one field (first cell is the field name)."""
    return page.locator("section.review table tbody tr").filter(
        has=page.locator("td:first-child", has_text=re.compile(rf"^{re.escape(field)}$")))


def _history(site: Site, event_id: str, doc_id: str) -> dict[str, Any]:
    """An event's current values and audit trail, as the JSON API reports them."""
    answer = httpx.get(site.url(f"/api/events/{quote(event_id)}/history"), params={"doc_id": doc_id}, timeout=10)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _filter_dashboard(site: Site, page: Page, screenshot: Shoot) -> None:
    page.goto(site.url("/"))
    screenshot(page, "1-dashboard")
    form = page.locator("form.filters")
    form.get_by_label("Country").fill(COUNTRY)
    form.get_by_label("Substance").fill(SUBSTANCE)
    form.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()

    query = parse_qs(urlsplit(page.url).query)
    assert query["country"] == [COUNTRY] and query["substance"] == [SUBSTANCE], page.url
    with site.store() as store:
        expected = store.count_events(EventFilter(country=COUNTRY, substance=SUBSTANCE))
        total = store.count_events()
    assert 0 < expected < total, "the filter must narrow the sample corpus to some events"
    assert page.locator("table.events tbody tr").count() == expected
    assert set(_table_column(page, "Country")) == {COUNTRY}
    assert all(SUBSTANCE in cell for cell in _table_column(page, "Substance"))
    screenshot(page, "2-filtered")


def _open_evidence(page: Page, screenshot: Shoot) -> tuple[str, str]:
    """Open the first filtered event's document; return its document id and its review page URL."""
    row = page.locator("table.events tbody tr").first
    review_href = row.get_by_role("link", name="review").get_attribute("href") or ""
    row.get_by_role("link", name="document").click()
    page.wait_for_load_state()
    doc_id = unquote(urlsplit(page.url).path.split("/documents/", 1)[1])
    marks = page.locator("article .text mark")
    assert marks.count() > 0 and marks.first.is_visible(), f"no highlighted evidence on {page.url}"
    review_links = page.locator("aside.facts a.review-link")
    assert review_href in [link.get_attribute("href") for link in review_links.all()]
    assert page.locator("form.review").count() == 0, "anonymous readers must not see review forms"
    screenshot(page, "3-evidence")
    return doc_id, review_href


def _sign_in(site: Site, page: Page, review_url: str, screenshot: Shoot) -> None:
    page.goto(site.url(review_url))
    assert page.locator("form.review").count() == 0
    page.locator("header.site").get_by_role("link", name="Sign in").click()
    page.wait_for_load_state()
    page.get_by_label("Name").fill(EDITOR)
    page.get_by_label("Password").fill(PASSWORD)
    screenshot(page, "4-signin")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.url == site.url(review_url), "sign-in returns to the review page"
    assert EDITOR in page.locator("header.site").inner_text()


def test_editor_filters_reads_evidence_signs_in_corrects_and_signs_out(
        start_site: Callable[..., Site], page: Page, screenshot: Shoot) -> None:
    site = start_site(prepare=_add_editor)
    _filter_dashboard(site, page, screenshot)
    doc_id, review_url = _open_evidence(page, screenshot)
    event_id = unquote(urlsplit(review_url).path.split("/review/events/", 1)[1])
    before = _history(site, event_id, doc_id)["event"]["arrests"]
    corrected = (before or 0) + 1

    _sign_in(site, page, review_url, screenshot)
    row = _review_row(page, "arrests")
    row.locator("input[name=value]").fill(str(corrected))
    row.locator("input[name=note]").fill("count the driver too")
    row.get_by_role("button", name="Correct").click()
    page.wait_for_load_state()
    screenshot(page, "5-corrected")

    row = _review_row(page, "arrests")
    assert "reviewed-correct" in (row.get_attribute("class") or "")
    assert row.locator("td").nth(1).inner_text().startswith(f"{corrected} (correct by {EDITOR})")
    trail = page.locator("ol.trail li").all_inner_texts()
    assert len(trail) == 1
    assert f"· {EDITOR} · correct arrests: {before} → {corrected}" in trail[0]
    assert "count the driver too" in trail[0]
    history = _history(site, event_id, doc_id)
    assert history["event"]["arrests"] == corrected
    assert history["event"]["review"]["corrected"]["arrests"]["who"] == EDITOR

    page.goto(site.url(f"/documents/{quote(doc_id)}"))
    correction = page.locator("aside.facts li.corrected[data-review-field=arrests]")
    assert correction.count() == 1
    assert correction.inner_text().startswith(f"arrests: {corrected}")
    assert f"corrected by {EDITOR}" in correction.inner_text()
    assert page.locator("aside.facts details.review-forms").count() > 0, "editors get the review forms"
    screenshot(page, "6-document-corrected")

    page.get_by_role("link", name="sign out").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    page.goto(site.url(review_url))
    assert page.locator("form.review").count() == 0
    assert page.get_by_role("link", name="sign in to review").is_visible()
    screenshot(page, "7-signed-out")

    refused = page.request.post(site.url(f"/api/events/{quote(event_id)}/review"),
                                form={"doc_id": doc_id, "field": "arrests", "action": "correct", "value": "99"})
    assert refused.status == 401
    body = refused.json()
    assert body["ok"] is False and body["status"] == 401 and body["error"]
    assert set(body) == {"ok", "error", "status"}
    after = _history(site, event_id, doc_id)
    assert after["event"]["arrests"] == corrected and len(after["revisions"]) == 1


def test_script_in_a_report_stays_text_in_the_browser(start_site: Callable[..., Site], page: Page,
                                                      screenshot: Shoot, tmp_path: Path) -> None:
    report = tmp_path / "hostile-report.txt"
    report.write_text(
        f"Police seize drugs {SCRIPT} at the border\n\n"
        f"Police in Stung Treng province seized 12 kilograms of methamphetamine {IMAGE} near the Lao border "
        f"on 3 March 2025, officials said. A note left in the truck read {SCRIPT}.\n", encoding="utf-8")

    def add_report(store: Store, settings: Settings) -> None:
        summary = ingest([report], store, settings, command="tests/browser")
        assert summary.stored == 1, summary.as_dict()

    site = start_site(prepare=add_report)
    with site.store() as store:
        hostile = [doc for doc in store.documents(limit=1000) if SCRIPT in doc.text]
    assert len(hostile) == 1, "the hostile report was not stored with its text intact"

    page.goto(site.url("/documents/" + quote(hostile[0].id)))

    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert SCRIPT in page.locator("article h1").inner_text()
    text = page.locator("article .text").inner_text()
    assert SCRIPT in text and IMAGE in text
    assert page.locator("article script, article img").count() == 0
    screenshot(page, "hostile")
