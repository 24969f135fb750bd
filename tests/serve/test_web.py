"""The HTML pages: event list, evidence highlighting with exact offsets, escaping, review links and
forms on the evidence pages; and a real server."""

from __future__ import annotations

import hashlib
import html
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from borderwatch.config import Settings
from borderwatch.model import Document, Facts, Item
from borderwatch.review import add_user, field_names
from borderwatch.review import review as review_value
from borderwatch.serve import create_app
from borderwatch.serve.web import Highlight, format_quantities, link_target, render_highlights
from borderwatch.store.repo import Store
from tests.serve.conftest import vueyeng_facts
from tests.shared_sets import needs_dev

D01 = "d01-vueyeng-laotiantimes"
XSS = "<script>alert(1)</script>"
REPO = Path(__file__).resolve().parents[2]


class _Elements(HTMLParser):
    """Collects, for every element with data-start/data-end inside the article text, the text it wraps."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text_depth = 0
        self.article_text: list[str] = []
        self.open: list[tuple[str, dict[str, str | None], list[str]]] = []
        self.closed: list[tuple[str, dict[str, str | None], str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if self.text_depth:
            self.text_depth += 1
            self.open.append((tag, attributes, []))
        elif tag == "div" and attributes.get("class") == "text":
            self.text_depth = 1

    def handle_endtag(self, tag: str) -> None:
        if not self.text_depth:
            return
        self.text_depth -= 1
        if self.text_depth:
            open_tag, attributes, pieces = self.open.pop()
            assert open_tag == tag, f"</{tag}> closes <{open_tag}>"
            self.closed.append((tag, attributes, "".join(pieces)))

    def handle_data(self, data: str) -> None:
        if self.text_depth:
            self.article_text.append(data)
            for _, _, pieces in self.open:
                pieces.append(data)


def _elements(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    parser.close()
    return parser


def test_index_lists_events_with_counts_and_document_links(client: TestClient) -> None:
    page = client.get("/").text
    assert "5</strong> seizure events" in page and "In the whole collection" in page
    assert "rejections" not in page.casefold() and "aggregates" not in page.casefold()
    assert "Trapeang Kriel International Border Checkpoint" in page and "93.973 kg, 1,034,413 tablets" in page
    assert f'href="http://testserver/documents/{D01}"' in page
    assert 'href="https://laotiantimes.com/2024/11/14/example/"' in page


def test_index_filters_and_pages(client: TestClient) -> None:
    page = client.get("/?country=VN&admin1=&substance=&date_from=&date_to=").text
    assert "Quang Tri" in page and "Trapeang Kriel" not in page and 'value="VN"' in page
    first = client.get("/?limit=2").text
    assert "showing 1–2" in first and 'href="?limit=2&amp;offset=2">next' in first
    last = client.get("/?limit=2&offset=4").text
    assert "showing 5–5" in last and "next →" not in last and "offset=2\">← previous" in last


def test_every_highlight_wraps_exactly_its_offsets(client: TestClient, vueyeng: Facts) -> None:
    facts = vueyeng
    text = facts.document.text
    parsed = _elements(client.get(f"/documents/{D01}").text)
    assert "".join(parsed.article_text) == text
    assert parsed.closed
    for _, attributes, wrapped in parsed.closed:
        start, end = int(attributes["data-start"] or -1), int(attributes["data-end"] or -1)
        assert wrapped == text[start:end]
    marks = [(a, w) for tag, a, w in parsed.closed if tag == "mark"]
    for span in facts.spans():
        covering = [a for a, _ in marks if a["data-field"] == span.field
                    and span.start <= int(a["data-start"] or -1) and int(a["data-end"] or -1) <= span.end]
        assert covering, f"no highlight for {span}"
        covered = sorted((int(a["data-start"] or -1), int(a["data-end"] or -1)) for a in covering)
        assert covered[0][0] == span.start and covered[-1][1] == span.end


def test_crossing_spans_are_split_and_nested_ones_stay_whole(client: TestClient, vueyeng: Facts) -> None:
    parsed = _elements(client.get(f"/documents/{D01}").text)
    substance = next(s for s in vueyeng.events[0].items[0].evidence if s.field == "substance")
    pieces = [w for tag, a, w in parsed.closed if tag == "mark" and a["data-field"] == "substance"
              and substance.start <= int(a["data-start"] or -1) < substance.end]
    assert pieces == ["pills", " of methamphetamine"]
    whole_mass = [w for tag, a, w in parsed.closed if tag == "mark" and a["data-field"] == "mass_kg"]
    assert "93.973 kilograms" in whole_mass and "40 kilograms" in whole_mass


def test_marks_show_field_and_value_and_side_list_links_to_them(client: TestClient) -> None:
    page = client.get(f"/documents/{D01}").text
    assert 'class="ev ev-mass_kg" data-field="mass_kg"' in page
    assert 'title="mass_kg: 93.973"' in page and 'title="date: 2024-11-09"' in page
    assert 'title="admin1: Stung Treng"' in page and 'title="count: 1,034,413"' in page
    parsed = _elements(page)
    anchors = {a["id"] for _, a, _ in parsed.closed if a.get("id")}
    for number in range(1, 6):  # 3 seizures, 1 statistic, 1 quote
        assert f'href="#fact-{number}"' in page and f"fact-{number}" in anchors
    assert "statistic" in page and "Cambodian police (reported)" in page


def test_furniture_is_greyed_and_comments_are_apart_and_flagged(client: TestClient) -> None:
    page = client.get(f"/documents/{D01}").text
    parsed = _elements(page)
    [furniture] = [w for tag, a, w in parsed.closed if a.get("class") == "furniture"]
    assert furniture == "Laotian Times | 14 November 2024"
    assert "idiots" not in "".join(parsed.article_text)
    details = page[page.index('<details class="comments">'):page.index("</details>")]
    assert "<details " in page and "<details open" not in page
    assert "You idiots know nothing" in details and "Good work by the police." in details
    assert details.count(">abusive</span>") == 1
    assert page.index("</details>") > page.index('<div class="text">')


@pytest.mark.parametrize("path", ["/documents/hostile-report", "/?q=Koh", "/?q=%3Cscript%3E"])
def test_html_in_a_report_shows_as_text(client: TestClient, path: str) -> None:
    page = client.get(path).text
    # The only scripts are the site's own files (the dashboard's map); nothing from a report runs.
    scripts = re.findall(r"<script[^>]*>", page, re.IGNORECASE)
    assert all(re.fullmatch(r'<script src="http://testserver/static/[\w./-]+\.js">', tag) for tag in scripts), scripts
    assert "<img" not in page and "<b>" not in page
    assert "javascript:" not in page


def test_document_page_escapes_text_title_and_comments(client: TestClient, hostile: Facts) -> None:
    page = client.get("/documents/hostile-report").text
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3  # title, text, comment
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "Test &lt;i&gt;Outlet&lt;/i&gt;" in page
    parsed = _elements(page)
    assert "".join(parsed.article_text) == hostile.document.text
    sentence = next(w for tag, a, w in parsed.closed if a.get("data-field") == "sentence")
    assert XSS in sentence and "ព័ត៌មាន" in page


def test_render_highlights_splits_crossing_nests_and_escapes() -> None:
    text = "a<b>cdefghij"
    marks = [Highlight(1, 6, "mark", (("data-field", "x"),), anchor="first"),
             Highlight(4, 9, "mark", (("data-field", "y"),)),
             Highlight(2, 3, "mark", (("data-field", "z"),)),
             Highlight(4, 9, "mark", (("data-field", "same"),)),
             Highlight(5, 50, "mark", (("data-field", "out-of-range"),)),
             Highlight(3, 3, "mark", (("data-field", "empty"),))]
    rendered = str(render_highlights(text, marks))
    parsed = _elements(f'<div class="text">{rendered}</div>')
    assert "".join(parsed.article_text) == text
    wrapped = sorted((a["data-field"] or "", int(a["data-start"] or -1), w) for _, a, w in parsed.closed)
    assert wrapped == [("same", 4, "cd"), ("same", 6, "efg"), ("x", 1, "<b>cd"), ("y", 4, "cd"),
                       ("y", 6, "efg"), ("z", 2, "b")]
    assert rendered.count('id="first"') == 1 and "out-of-range" not in rendered and "empty" not in rendered
    assert rendered.startswith('a<mark id="first" data-field="x" data-start="1" data-end="6">&lt;')
    assert html.unescape(rendered.replace("</mark>", "")).count("<mark") == 6


def test_format_quantities_and_link_target() -> None:
    items = [Item("drugs", mass_kg=0.5, count=1_034_413, count_unit="tablets"),
             Item("timber", volume_m3=12.75), Item("wildlife", qualifier="several")]
    assert format_quantities(items) == "0.5 kg, 1,034,413 tablets; 12.75 m³; several"
    assert link_target("https://example.org/a") == "https://example.org/a"
    assert link_target("JavaScript:alert(1)") == "" and link_target(None) == ""


def test_static_css_is_local_and_handles_khmer_and_thai(client: TestClient) -> None:
    css = client.get("/static/borderwatch.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    for font in ('"Khmer OS"', '"Noto Sans Khmer"', '"Thai"', '"Loma"', "sans-serif"):
        assert font in css.text
    page = client.get("/").text
    assert "//cdn" not in page and all("/static/" in tag for tag in re.findall(r"<script[^>]*>", page))


FONTS = Path(__file__).resolve().parents[2] / "borderwatch" / "serve" / "static" / "fonts"
# The families scripts/fetch_fonts.py ships, and a character each must cover.
SHIPPED_FAMILIES = {"Noto Sans": "a", "Noto Sans Khmer": "ក", "Noto Sans Lao": "ກ", "Noto Sans Thai": "ก",
                    "Noto Sans Myanmar": "က", "Noto Sans SC": "缉", "Noto Sans JP": "あ"}
FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}")


def _covers(unicode_range: str, char: str) -> bool:
    for part in unicode_range.replace("U+", "").split(","):
        low, _, high = part.strip().partition("-")
        if int(low, 16) <= ord(char) <= int(high or low, 16):
            return True
    return False


def test_site_css_loads_the_shipped_fonts_from_our_own_static_route(client: TestClient) -> None:
    css = client.get("/static/borderwatch.css").text
    assert '@import url("fonts/fonts.css");' in css
    fonts_css = client.get("/static/fonts/fonts.css")
    assert fonts_css.status_code == 200 and fonts_css.headers["content-type"].startswith("text/css")
    faces = FONT_FACE.findall(fonts_css.text)
    assert faces and not re.search(r"url\(\"?(https?:)?//", fonts_css.text)
    covered: dict[str, bool] = dict.fromkeys(SHIPPED_FAMILIES, False)
    for face in faces:
        family = re.search(r'font-family: "([^"]+)"', face)
        source = re.search(r'src: url\("([^"]+\.woff2)"\) format\("woff2"\)', face)
        unicode_range = re.search(r"unicode-range: ([^;]+);", face)
        assert family and source and unicode_range, face
        assert family.group(1) in SHIPPED_FAMILIES, family.group(1)
        assert (FONTS / source.group(1)).is_file(), source.group(1)
        assert f'"{family.group(1)}"' in css, f"the site's font stacks do not name {family.group(1)}"
        covered[family.group(1)] |= _covers(unicode_range.group(1), SHIPPED_FAMILIES[family.group(1)])
    assert all(covered.values()), covered
    first = re.search(r'src: url\("([^"]+)"\)', fonts_css.text)
    assert first
    woff2 = client.get(f"/static/fonts/{first.group(1)}")
    assert woff2.status_code == 200 and woff2.content[:4] == b"wOF2"
    total = sum(path.stat().st_size for path in FONTS.rglob("*.woff2"))
    assert total < 15_000_000, f"the shipped fonts weigh {total:,} bytes"
    for directory in {path.parent for path in FONTS.rglob("*.woff2")}:
        assert "SIL Open Font License" in (directory / "LICENSE").read_text(encoding="utf-8")
    assert "@fontsource/noto-sans-khmer" in (FONTS / "SOURCES.md").read_text(encoding="utf-8")


def _facts_in(language: str, text: str) -> Facts:
    doc_id = f"no-facts-{language}"
    return Facts(document=Document(id=doc_id, text=text, content_hash=hashlib.sha256(text.encode()).hexdigest(),
                                   source=f"{doc_id}.txt", title=text.splitlines()[0], language=language))


@pytest.mark.parametrize(("language", "text", "read_as", "no_pack"), [
    ("km", "ព័ត៌មាន\nអាកាសធាតុនៅខេត្តស្ទឹងត្រែងល្អ។", "read as Khmer (km)", None),
    ("my", "သတင်း\nမိုးလေဝသ ကောင်းသည်။", "read as English (en); its language is Burmese (my)",
     "There is no language pack for Burmese (my)"),
])
def test_document_page_says_which_language_it_was_read_as(tmp_path: Path, language: str, text: str,
                                                          read_as: str, no_pack: str | None) -> None:
    path = tmp_path / "languages.db"
    facts = _facts_in(language, text)
    with Store.open(f"sqlite:///{path}") as store:
        assert store.add(facts)
    with TestClient(create_app(Settings(db=str(path)))) as client:
        page = " ".join(client.get(f"/documents/{facts.document.id}").text.split())
    assert "No facts were extracted from this report, " + read_as + "." in page
    if no_pack is None:
        assert 'class="no-pack"' not in page
    else:
        assert no_pack in page and "read with the English pack (en)" in page


@needs_dev
def test_document_with_facts_but_no_language_pack_says_so(tmp_path: Path) -> None:
    path = tmp_path / "burmese.db"
    facts = vueyeng_facts()
    facts = replace(facts, document=replace(facts.document, language="my"))
    with Store.open(f"sqlite:///{path}") as store:
        assert store.add(facts)
    with TestClient(create_app(Settings(db=str(path)))) as client:
        page = " ".join(client.get(f"/documents/{D01}").text.split())
    assert 'class="no-pack" data-language="my"' in page and "no language pack for Burmese (my)" in page
    assert "No facts were extracted" not in page


def test_document_page_of_a_language_with_a_pack_has_no_pack_warning(client: TestClient) -> None:
    page = client.get(f"/documents/{D01}").text
    assert 'class="no-pack"' not in page and "No facts were extracted" not in page


EDITOR_PASSWORD = "correct horse battery"


@pytest.fixture
def review_client(tmp_path: Path) -> Iterator[TestClient]:
    """The app over a fresh store holding d01 and an editor ``ed``, so reviews change nothing shared."""
    path = tmp_path / "review.db"
    with Store.open(f"sqlite:///{path}") as store:
        assert store.add(vueyeng_facts())
        add_user(store, "ed", "editor", EDITOR_PASSWORD)
    with TestClient(create_app(Settings(db=str(path))), follow_redirects=False) as test_client:
        yield test_client


def _review_hrefs(page: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'<a class="review-link" href="([^"]+)"', page)]


def _sign_in(client: TestClient) -> str:
    """Sign in as ``ed`` through the HTML form; the session's CSRF token."""
    form = client.get("/signin").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token
    signed_in = client.post("/signin", data={"name": "ed", "password": EDITOR_PASSWORD, "next": "/",
                                             "csrf_token": token.group(1)})
    assert signed_in.status_code == 303, signed_in.text
    # Signed in, /signin shows the sign-out form, which carries the session's token.
    session_token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signin").text)
    assert session_token and session_token.group(1) != token.group(1)
    return session_token.group(1)


@needs_dev
def test_document_page_links_every_event_to_its_review_for_readers(review_client: TestClient) -> None:
    events = vueyeng_facts().events
    page = review_client.get(f"/documents/{D01}").text

    hrefs = _review_hrefs(page)
    assert len(hrefs) == len(events)
    for href, event in zip(hrefs, events, strict=True):
        target = urlsplit(href)
        assert unquote(target.path) == f"/review/events/{event.id}"
        assert parse_qs(target.query) == {"doc_id": [event.doc_id]}
        review = review_client.get(href)
        assert review.status_code == 200 and f"Review of event {html.escape(event.id)}" in review.text
    assert '<form class="review"' not in page and "Signed in as" not in page
    assert f'href="/signin?next=/documents/{D01}"' in page


@needs_dev
def test_editor_gets_a_form_per_field_and_sees_a_correction_marked(review_client: TestClient) -> None:
    events = vueyeng_facts().events
    csrf = _sign_in(review_client)
    page = review_client.get(f"/documents/{D01}").text
    assert "Signed in as <strong>ed</strong> (editor)" in page
    forms = re.findall(r'<form class="review".*?</form>', page, re.DOTALL)
    assert len(forms) == sum(len(field_names("seizure", len(event.items))) for event in events)
    assert all(f'name="csrf_token" value="{csrf}"' in form for form in forms)
    main = events[0]
    admin1 = [form for form in forms if 'name="field" value="admin1"' in form
              and f'name="doc_id" value="{main.doc_id}"' in form]
    assert f'name="value" value="{main.admin1}"' in admin1[0]

    corrected = review_client.post(f"/api/events/{quote(main.id)}/review", data={
        "csrf_token": csrf, "doc_id": main.doc_id, "field": "admin1", "action": "correct",
        "value": "Ratanakiri", "next": f"/documents/{D01}"})
    assert corrected.status_code == 303 and corrected.headers["location"] == f"/documents/{D01}"

    page = review_client.get(f"/documents/{D01}").text
    marked = re.findall(r'<li class="corrected corrected-correct" data-review-field="admin1">(.*?)</li>',
                        page, re.DOTALL)
    assert len(marked) == 1
    words = " ".join(re.sub(r"<[^>]+>", "", marked[0]).split())
    assert words == f"admin1: Ratanakiri (corrected by ed; was {main.admin1})"
    assert 'name="value" value="Ratanakiri"' in page, "the form offers the current value"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.slow
def test_real_server_serves_the_api(db_path: Path) -> None:
    port = _free_port()
    code = ("from borderwatch.config import Settings; from borderwatch.serve import serve; "
            f"serve(Settings(db={str(db_path)!r}, host='127.0.0.1', port={port}))")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    server = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=env)
    try:
        assert server.stdout is not None
        banner = server.stdout.readline()
        assert banner == f"borderwatch: serving http://127.0.0.1:{port} (Ctrl-C to stop)\n"
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/events?country=VN", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
        body = response.json()
        assert response.status_code == 200 and body["ok"] is True and body["total"] == 1
        assert body["events"][0]["admin1"] == "Quang Tri"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_api_docs_page_is_served_without_a_cdn(client: TestClient) -> None:
    page = client.get("/docs").text
    assert "/openapi.json" in page and "/static/swagger/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "https://" not in page
    script = client.get("/static/swagger/swagger-ui-bundle.js")
    assert script.status_code == 200 and len(script.content) > 100_000
    assert client.get("/openapi.json").json()["info"]["title"] == "borderwatch"


@needs_dev
def test_dashboard_table_shows_an_editors_correction(tmp_path: Path) -> None:
    path = tmp_path / "reviewed.db"
    store = Store.open(f"sqlite:///{path}")
    try:
        store.add(vueyeng_facts())
        event = store.events(limit=1)[0].event
        editor = add_user(store, "table-editor", "editor", "a long enough password 1")
        review_value(store, editor, "seizure", event.id, "place", "correct", "Corrected Place Name",
                     doc_id=event.doc_id)
    finally:
        store.close()
    with TestClient(create_app(Settings(db=str(path)))) as fresh:
        page = fresh.get("/").text
    assert "Corrected Place Name" in page
