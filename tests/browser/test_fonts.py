"""Khmer and Thai reports render with the Noto fonts the site ships, with the system's fonts hidden.

Chromium runs with ``FONTCONFIG_FILE`` pointing at a fontconfig file written here that lists one
directory holding a single Latin-only font (a copy of the system's default sans-serif), so no
installed Khmer or Thai font can be used. A config with no font at all (``<fontconfig></fontconfig>``)
cannot be used: Chromium 156 then aborts on its first page (``FATAL: SkFontMgr_FontConfigInterface:
Not implemented``) and marks every web font as failed. The Latin-only font is the last resort any
missing glyph would fall back to, which is what the checks below look for.

Every check here fails when ``borderwatch/serve/static/fonts/`` is absent: the faces are not loaded,
the text is drawn with the fallback font (not a web font), and its width equals the width of the
same text set in a family that does not exist.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest

from borderwatch.config import Settings
from borderwatch.pipeline import ingest
from borderwatch.store.repo import Store
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, FIXTURES, Site, browser_missing, launch_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

pytestmark = pytest.mark.browser

SHIPPED_FAMILIES = {"Noto Sans", "Noto Sans Khmer", "Noto Sans Lao", "Noto Sans Thai", "Noto Sans Myanmar",
                    "Noto Sans SC", "Noto Sans JP"}
MISSING_FAMILY = "borderwatch-no-such-font"
# (language, report, shipped family, its script's code point range)
REPORTS = {
    "khmer": ("km", "khmer-stungtreng-illustrative.txt", "Noto Sans Khmer", (0x1780, 0x17FF)),
    "thai": ("th", "thai-nongkhai-illustrative.txt", "Noto Sans Thai", (0x0E00, 0x0E7F)),
}
MIN_SCREENSHOT_BYTES = 10_000


@pytest.fixture(scope="module")
def fontless_ready() -> None:
    """Playwright and Chromium, and fontconfig's tools to write and check the hidden-fonts config."""
    reason = browser_missing(system_fonts=False)
    if reason is None and (shutil.which("fc-match") is None or shutil.which("fc-list") is None):
        reason = "fc-match/fc-list not found (apt-get install fontconfig)"
    if reason is not None:
        pytest.skip(reason)


@pytest.fixture(scope="module")
def hidden_fonts_config(fontless_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fontconfig file whose only font is a copy of one Latin-only font: no Khmer, Thai or CJK font."""
    root = tmp_path_factory.mktemp("hidden-fonts")
    fonts, cache = root / "fonts", root / "cache"
    fonts.mkdir()
    cache.mkdir()
    fallback = subprocess.run(["fc-match", "-f", "%{file}", "sans-serif:lang=en"], capture_output=True,
                              text=True, timeout=30, check=False).stdout.strip()
    if not fallback or not Path(fallback).is_file():
        pytest.skip("fc-match found no sans-serif font to give Chromium as its only font")
    shutil.copy(fallback, fonts)
    config = root / "fonts.conf"
    config.write_text(f"<fontconfig><dir>{fonts}</dir><cachedir>{cache}</cachedir></fontconfig>\n",
                      encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    for language, _, _, _ in REPORTS.values():
        listed = subprocess.run(["fc-list", f":lang={language}", "file"], capture_output=True, text=True,
                                timeout=30, check=False, env=env).stdout.strip()
        assert not listed, f"the hidden-fonts config still offers a '{language}' font: {listed}"
    return config


@pytest.fixture(scope="module")
def fontless_chromium(hidden_fonts_config: Path, playwright_driver: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless, seeing only the hidden-fonts config's one Latin font."""
    env = {**os.environ, "FONTCONFIG_FILE": str(hidden_fonts_config)}
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                                headless=True, env=env)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def script_site(fontless_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """``borderwatch serve`` over a SQLite store holding only the Khmer and the Thai report."""
    root = tmp_path_factory.mktemp("script-site")
    settings = Settings(db=str(root / "scripts.db"), quarantine_dir=str(root / "quarantine"))
    with Store.open(settings.db_url) as store:
        summary = ingest([FIXTURES / report for _, report, _, _ in REPORTS.values()], store, settings,
                         command="tests/browser/test_fonts")
    assert summary.stored == len(REPORTS), summary.as_dict()
    site = launch_server(root / "scripts.db", root)
    yield site
    site.stop()


@pytest.fixture
def fontless_page(fontless_chromium: Browser) -> Iterator[Page]:
    context = fontless_chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _platform_fonts(page: Page, selector: str) -> list[dict[str, Any]]:
    """The fonts Chromium really drew ``selector``'s text with (DevTools CSS.getPlatformFontsForNode)."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        fonts: list[dict[str, Any]] = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        return fonts
    finally:
        cdp.detach()


MEASURE = """([text, families]) => families.map((family) => {
  const probe = document.createElement("span");
  probe.style.cssText = "position:absolute;white-space:pre;font-size:32px;font-weight:400";
  probe.style.fontFamily = family;
  probe.textContent = text;
  document.body.appendChild(probe);
  const width = probe.getBoundingClientRect().width;
  probe.remove();
  return width;
})"""


@pytest.mark.parametrize("script", sorted(REPORTS))
def test_report_renders_with_shipped_fonts_without_system_fonts(
        script: str, script_site: Site, fontless_page: Page, screenshot: Callable[[Page, str], Path]) -> None:
    language, report, family, (low, high) = REPORTS[script]
    page = fontless_page
    font_requests: list[tuple[str, int]] = []
    page.on("response", lambda response: font_requests.append((response.url, response.status))
            if response.request.resource_type == "font" else None)
    with script_site.store() as store:
        docs = [doc for doc in store.documents(limit=10) if doc.source.endswith(report)]
    assert len(docs) == 1 and docs[0].language == language, [(d.source, d.language) for d in docs]

    page.goto(script_site.url("/documents/" + quote(docs[0].id)))
    page.evaluate("async () => { await document.fonts.ready; }")

    title = page.locator("article h1").inner_text()
    in_script = "".join(char for char in title if low <= ord(char) <= high)
    assert len(in_script) > 10, f"the headline of {report} carries little {script} text: {title!r}"
    assert page.locator("article").get_attribute("lang") == language

    # The site's CSS names the shipped family, and the browser loaded its faces from our static route.
    for selector in ("article h1", "article .text"):
        stack = page.locator(selector).evaluate("(node) => getComputedStyle(node).fontFamily")
        assert f'"{family}"' in stack, (selector, stack)
    loaded = page.evaluate("() => [...document.fonts].filter((face) => face.status === 'loaded')"
                           ".map((face) => [face.family.replace(/[\"']/g, ''), face.weight])")
    assert [family, "400"] in loaded and [family, "700"] in loaded, loaded
    # check() alone proves little: it is also true when no face of the family exists at all.
    assert page.evaluate("([font, text]) => document.fonts.check(font, text)", [f'16px "{family}"', in_script])
    assert font_requests, "the page requested no web font"
    for url, status in font_requests:
        assert url.startswith(script_site.url("/static/fonts/")) and status == 200, (url, status)
    assert any(f"/{family.lower().replace(' ', '-')}/" in url for url, _ in font_requests), font_requests

    # Every glyph of headline and body came from a shipped web font: none fell back to the one
    # system font left, which has no glyph for this script (it would draw missing-glyph boxes).
    for selector in ("article h1", "article .text"):
        fonts = _platform_fonts(page, selector)
        assert fonts, f"no font drew {selector}"
        assert all(font["isCustomFont"] and font["familyName"] in SHIPPED_FAMILIES for font in fonts), fonts
        assert any(font["familyName"] == family and font["glyphCount"] > 0 for font in fonts), fonts

    # The same text set in a family that does not exist falls back to that system font; the
    # shipped font must set it differently (equal widths would mean both drew the fallback's boxes).
    shipped_width, missing_width = page.evaluate(MEASURE, [in_script, [f'"{family}"', f'"{MISSING_FAMILY}"']])
    assert shipped_width > 0 and abs(shipped_width - missing_width) > 1, (shipped_width, missing_width)

    path = screenshot(page, script)
    assert path.stat().st_size > MIN_SCREENSHOT_BYTES and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
