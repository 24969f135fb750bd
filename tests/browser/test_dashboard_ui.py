"""The dashboard in Chromium: the Leaflet map (labels, zoom, fit to filters), the Vega-Lite timeline,
the download links and the phone layout. Screenshots go to test-output/screenshots/."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from tests.browser.conftest import Site

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

BOUNDS = ("() => { const b = window.borderwatchMap.getBounds();"
          " return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; }")


def _open_dashboard(page: Page, site: Site, query: str = "") -> list[str]:
    """Load the dashboard, wait for the map; return console errors (CSP violations among them)."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource") else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    # The browser asks for /favicon.ico on its own; every other request the page makes must succeed.
    page.on("response", lambda response: errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico") else None)
    page.goto(site.url("/" + (f"?{query}" if query else "")))
    page.wait_for_selector("#map[data-ready='1']")
    return errors


def _scale(page: Page) -> str:
    return page.locator(".leaflet-control-scale-line").first.inner_text()


def test_map_shows_labels_zooms_and_changes_its_scale(site: Site, page: Page,
                                                      screenshot: Callable[..., Path]) -> None:
    errors = _open_dashboard(page, site)
    assert not errors, errors
    labels = page.locator(".country-label")
    assert labels.count() >= 5
    visible = {text.strip().casefold() for text in labels.all_inner_texts()}
    assert {"cambodia", "laos", "thailand", "vietnam"} <= {v for v in visible if v}, visible
    assert page.locator(".map-legend").is_visible()
    legend = page.locator(".map-legend").inner_text()
    assert "1,000 kg" in legend and "Count (tablets, pieces)" in legend and "Incidents per province" in legend
    assert page.locator(".leaflet-tile").count() == 0, "no tile layer"
    screenshot(page, "map")
    before, zoom = _scale(page), page.evaluate("() => window.borderwatchMap.getZoom()")
    page.locator(".leaflet-control-zoom-in").click()
    page.wait_for_function(f"() => window.borderwatchMap.getZoom() > {zoom}")
    page.wait_for_timeout(400)
    after = _scale(page)
    assert after != before, f"the scale bar stays at {before!r} after zooming in"
    # Zoomed in far enough, province names appear too.
    page.evaluate("() => window.borderwatchMap.setZoom(7, {animate: false})")
    page.wait_for_selector(".province-label", state="attached")
    assert page.locator(".province-label").count() > 10
    # Pan by dragging the map.
    centre = page.evaluate("() => window.borderwatchMap.getCenter().lng")
    box = page.locator("#map").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 - 150, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    assert page.evaluate("() => window.borderwatchMap.getCenter().lng") > centre, "dragging left pans east"
    screenshot(page, "map-zoomed")


def test_a_filter_fits_the_map_to_its_events(site: Site, page: Page, screenshot: Callable[..., Path]) -> None:
    _open_dashboard(page, site)
    whole = page.evaluate(BOUNDS)
    data = httpx.get(site.url("/api/map?country=KH"), timeout=30).json()
    assert data["circles"], "the corpus has located Cambodian incidents"
    page.locator("form.filters input[name=country]").fill("KH")
    page.locator("form.filters").evaluate("form => form.requestSubmit()")
    page.wait_for_url("**country=KH**")
    page.wait_for_selector("#map[data-ready='1']")
    south, west, north, east = page.evaluate(BOUNDS)
    assert (north - south) < (whole[2] - whole[0]), "the filtered view is zoomed in"
    for circle in data["circles"]:
        assert south <= circle["lat"] <= north and west <= circle["lon"] <= east, circle
    assert int(page.locator("#map").get_attribute("data-incidents") or 0) == len(data["circles"])
    total = httpx.get(site.url("/api/events?country=KH&limit=1"), timeout=30).json()["total"]
    counted = page.locator('[data-count="seizure events"] strong').inner_text()
    assert int(counted.replace(",", "")) == total, "the counts follow the filters"
    screenshot(page, "filtered")


def test_timeline_has_axes_legend_and_undated_count(site: Site, page: Page,
                                                    screenshot: Callable[..., Path]) -> None:
    _open_dashboard(page, site)
    chart = page.locator(".timeline-figure svg")
    assert chart.is_visible()
    texts = [t.strip() for t in chart.locator("text").all_text_contents()]
    assert "seizure incidents" in texts, texts
    assert any(t.isdigit() and len(t) == 4 for t in texts) or any(" 20" in t for t in texts), texts
    assert "commodity" in texts and "drugs" in texts
    assert chart.locator(".role-axis").count() >= 2, "an x and a y axis"
    assert page.locator("#undated-note").is_visible()
    assert "undated event" in page.locator("#undated-note").inner_text()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 100
    chart.screenshot(path=str(screenshot(page, "timeline").with_name("timeline-only.png")))


def test_download_link_returns_the_filtered_rows(site: Site, page: Page) -> None:
    _open_dashboard(page, site, "country=KH")
    link = page.locator("a.download[data-format=CSV]")
    href = link.get_attribute("href")
    assert href is not None and "country=KH" in href
    with page.expect_download() as download_info:
        link.click()
    path = download_info.value.path()
    rows = list(csv.DictReader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))
    total = httpx.get(site.url("/api/events?country=KH&limit=1"), timeout=30).json()["total"]
    assert rows and all(row["country"] == "KH" for row in rows), rows[:2]
    assert len(rows) <= total
    for fmt in ("GeoJSON", "Parquet"):
        other = page.locator(f"a.download[data-format={fmt}]").get_attribute("href")
        answer = httpx.get(site.url(other or ""), timeout=60)
        assert answer.status_code == 200 and "country=KH" in (other or ""), fmt
    geojson: dict[str, Any] = httpx.get(site.url("/api/export?format=geojson&country=KH"), timeout=60).json()
    assert all(f["properties"]["country"] == "KH" for f in geojson["features"])


def test_phone_layout_has_no_horizontal_scroll(site: Site, chromium: Browser,
                                               screenshot: Callable[..., Path]) -> None:
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True)
    try:
        phone = context.new_page()
        _open_dashboard(phone, site)
        widths = phone.evaluate("() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
        screenshot(phone, "phone")
        assert widths[0] <= widths[1], f"scrollWidth {widths[0]} > clientWidth {widths[1]} at 390 px"
    finally:
        context.close()


def test_browsers_get_html_error_pages_and_the_api_keeps_json(site: Site, page: Page) -> None:
    answer = page.goto(site.url("/no-such-page"))
    assert answer is not None and answer.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    api = httpx.get(site.url("/api/documents/no-such-document"), headers={"Accept": "text/html"}, timeout=10)
    assert api.status_code == 404 and api.json()["ok"] is False
    head = httpx.head(site.url("/"), timeout=30)
    assert head.status_code == 200
    zipped = httpx.get(site.url("/"), headers={"Accept-Encoding": "gzip"}, timeout=30)
    assert zipped.headers.get("content-encoding") == "gzip"
