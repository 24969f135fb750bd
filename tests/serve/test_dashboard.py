"""The dashboard: map, timeline, filters across every view, side-by-side incidents, claims board, escaping."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from fastapi.testclient import TestClient

from borderwatch.config import Settings
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.model import Facts, Flow, Item, Quote, SeizureEvent
from borderwatch.serve import create_app
from borderwatch.serve.dashboard import compare_reports, reporting_effort
from borderwatch.serve.mapsvg import BOUNDARIES_DIR
from borderwatch.store.repo import EventRow, Store
from tests.serve.conftest import DEV, XSS, _document, find_span, hostile_facts, quangtri_facts, vueyeng_facts
from tests.shared_sets import needs_dev

INCIDENT = "inc-vueyeng"
D01, D02, D04, S00 = ("d01-vueyeng-laotiantimes", "d02-vueyeng-ppp", "d04-quangtri-vnexpress",
                      "s00-seed-laos-drugs")


def _d01() -> Facts:
    facts = vueyeng_facts()
    facts.events[0] = replace(facts.events[0], incident=INCIDENT)
    return facts


def _d02() -> Facts:
    """d02 (Phnom Penh Post): the same seizure as d01 (another agency named), and a ketamine seizure."""
    text = (DEV / f"{D02}.txt").read_text(encoding="utf-8")
    doc = _document(D02, text, title=text.splitlines()[0], outlet="The Phnom Penh Post", published="2024-11-13")
    item = Item("drugs", substance="methamphetamine", form="tablets", mass_kg=93.973,
                mass_raw="93.973 kilogrammes", count=1034413, count_unit="tablets", count_raw="1,034,413 pills",
                evidence=(find_span(doc, "93.973 kilogrammes", "mass_kg"),
                          find_span(doc, "1,034,413 pills", "count")))
    main = SeizureEvent(
        id=f"{D02}:e1", doc_id=D02, items=(item,), date="2024-11-09", date_precision="day", date_raw="November 9",
        country="KH", admin1="Stung Treng", place="Trapeang Kriel International Border Checkpoint", arrests=1,
        origin_country="LA", agency="police at the Trapeang Kriel checkpoint", incident=INCIDENT,
        evidence=(find_span(doc, "November 9", "date"), find_span(doc, "police at the checkpoint", "agency")))
    ketamine = SeizureEvent(
        id=f"{D02}:e2", doc_id=D02, date="2024-10-30", date_precision="day", country="KH", admin1="Stung Treng",
        place="O'Svay village", arrests=1,
        items=(Item("drugs", substance="ketamine", mass_kg=300.0, mass_raw="300 kilogrammes",
                    evidence=(find_span(doc, "300 kilogrammes of ketamine", "mass_kg"),)),),
        evidence=(find_span(doc, "October 30", "date"),))
    quote = Quote(id=f"{D02}:q1", doc_id=D02, speaker="Phay Raksmey", kind="direct",
                  role="deputy provincial police chief in charge of anti-drug crime",
                  text="The evidence seized comprises 167 packages of methamphetamine [meth/WY], net weight "
                       "93.973 kilogrammes, or roughly 1,034,413 pills,",
                  evidence=(find_span(doc, "The evidence seized comprises 167 packages", "text"),))
    return Facts(document=doc, events=[main, ketamine], quotes=[quote])


def _s00() -> Facts:
    """s00 (Khmer Circle): the Interior Minister's and UNODC's claims about Laos, and the flows they state."""
    text = (DEV / f"{S00}.txt").read_text(encoding="utf-8")
    doc = _document(S00, text, title="Sar Kheng: Laos Allowing Drugs to Enter Cambodia",
                    outlet="Khmer Circle", published="2020-08-19")
    minister = "Interior Minister"

    def quote(number: int, speaker: str, role: str, words: str, kind: str = "direct") -> Quote:
        return Quote(id=f"{S00}:q{number}", doc_id=S00, speaker=speaker, role=role, kind=kind,  # type: ignore[arg-type]
                     text=words, evidence=(find_span(doc, words, "text"),))

    quotes = [
        quote(1, "Sar Kheng", minister, "When I held an annual meeting with them, I raised the number of drugs "
                                        "we confiscated which was carried from Laos,"),
        quote(2, "Sar Kheng", minister, "They, in turn, responded that it was because they confiscated so much "
                                        "[drugs] in Laos that there was this limited quantity of drugs being "
                                        "smuggled into Cambodia"),
        quote(3, "Sar Kheng", minister, "They were surprised and appeared to express displeasure."),
        quote(4, "Jeremy Douglas", "regional representative of UNODC", "Laos has been a busy route for the "
              "“really accelerated” trafficking of synthetic drugs to northeast Thailand, Vietnam, and Cambodia",
              kind="reported")]
    flows = [Flow(id=f"{S00}:f1", doc_id=S00, origin="LA", destination="KH", commodity="drugs",
                  asserted_by="Sar Kheng", evidence=(find_span(doc, "smuggled from Laos into Cambodia", "evidence"),)),
             Flow(id=f"{S00}:f2", doc_id=S00, origin="LA", destination="TH", commodity="drugs",
                  asserted_by="Jeremy Douglas",
                  evidence=(find_span(doc, "Laos has been a busy route", "evidence"),))]
    return Facts(document=doc, quotes=quotes, flows=flows)


def _hostile() -> Facts:
    """The hostile report, with a quote, a flow and a place that carry HTML too."""
    facts = hostile_facts()
    doc = facts.document
    facts.events[0] = replace(facts.events[0], place=f"Koh {XSS}", agency=XSS, incident="inc-hostile")
    twin = replace(facts.events[0], id=f"{doc.id}:e2", place="Koh Kong town", agency="police")
    facts.events.append(twin)
    facts.quotes.append(Quote(id=f"{doc.id}:q1", doc_id=doc.id, speaker=f"Officer {XSS}", kind="reported",
                              role=XSS, text=f"said {XSS} was",
                              evidence=(find_span(doc, f"said {XSS} was", "text"),)))
    facts.flows.append(Flow(id=f"{doc.id}:f1", doc_id=doc.id, origin="TH", destination="KH", commodity="drugs",
                            asserted_by=XSS, evidence=(find_span(doc, "Koh Kong", "evidence"),)))
    return facts


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app over a store with two reports of one incident, claims, flows and a hostile report."""
    if not DEV.is_dir():
        pytest.skip(f"dev set not found at {DEV}")
    path = tmp_path_factory.mktemp("dashboard") / "dashboard.db"
    with Store.open(f"sqlite:///{path}") as store:
        for facts in (_d01(), _d02(), quangtri_facts(), _s00(), _hostile()):
            assert store.add(facts)
    with TestClient(create_app(Settings(db=str(path)))) as test_client:
        yield test_client


class _Svg(HTMLParser):
    """Collects SVG elements (tag, attributes, their <title>) and the links wrapping circles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str], list[str]]] = []
        self.stack: list[tuple[str, dict[str, str], list[str]]] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        entry = (tag, {k: v or "" for k, v in attrs}, [])
        if tag == "circle" and self.stack and self.stack[-1][0] == "a":
            entry[1]["link"] = self.stack[-1][1]["href"]
        self.elements.append(entry)
        self.stack.append(entry)
        self.in_title = tag == "title"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}, []))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break
        self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title and len(self.stack) >= 2:
            self.stack[-2][2].append(data)

    def of_class(self, tag: str, name: str) -> list[tuple[dict[str, str], str]]:
        return [(attrs, "".join(title)) for t, attrs, title in self.elements
                if t == tag and name in attrs.get("class", "").split()]


def _svg(page: str) -> _Svg:
    parser = _Svg()
    parser.feed(page)
    return parser


def _table_rows(page: str) -> list[str]:
    body = page.split('<table class="events">', 1)[1].split("</table>", 1)[0] if 'class="events"' in page else ""
    return re.findall(r"<tr[^>]*>(.*?)</tr>", body.split("<tbody>", 1)[-1], re.DOTALL)


def _map(client: TestClient, query: str = "") -> dict:
    answer = client.get(f"/api/map{'?' + query if query else ''}")
    assert answer.status_code == 200
    return answer.json()


def test_map_draws_located_incidents_as_linked_circles_with_tooltips(client: TestClient) -> None:
    by_link = {c["href"]: c for c in _map(client)["circles"]}
    quangtri = by_link[f"/incidents/{D04}:e1"]
    assert (quangtri["lon"], quangtri["lat"]) == (106.7, 16.6)
    assert "Xe Pon River" in quangtri["title"] and "10 kg" in quangtri["title"] and not quangtri["approximate"]
    # Two reports of one incident are one circle; an event with only a province sits at its centre.
    shared = by_link[f"/incidents/{INCIDENT}"]
    assert "2 reports" in shared["title"] and shared["approximate"]
    assert sum(1 for link in by_link if link.startswith(f"/incidents/{INCIDENT}")) == 1
    # Sizes carry their basis, so mass and counts are drawn on their own scales.
    ketamine = by_link[f"/incidents/{D02}:e2"]
    assert (ketamine["basis"], ketamine["size"]) == ("mass", 300.0)
    assert ketamine["size"] > shared["size"] > quangtri["size"] and shared["basis"] == "mass"
    assert quangtri["commodity"] == ketamine["commodity"] == "drugs"


def test_map_shades_incidents_per_province_and_draws_flow_arrows(client: TestClient) -> None:
    data = _map(client)
    assert set(data["colours"]) == {"drugs", "timber", "wildlife", "other"}
    provinces = {(p["country"], p["admin1"]): p["incidents"] for p in data["provinces"]}
    assert provinces[("KH", "Stung Treng")] == 3, "each incident once (two reports of one count once)"
    assert provinces[("VN", "Quang Tri")] == 1 and ("LA", "Champasak") not in provinces
    names = {(f["properties"]["country"], f["properties"]["admin1"])
             for f in json.loads((BOUNDARIES_DIR / "admin1.geojson").read_text(encoding="utf-8"))["features"]}
    assert ("KH", "Stung Treng") in names and ("VN", "Quang Tri") in names
    arrows = {(a["origin"], a["destination"]): a for a in data["arrows"]}
    assert "1 stated flow" in arrows[("LA", "KH")]["title"] and "2 seizure origin" in arrows[("LA", "KH")]["title"]
    assert "Sar Kheng" in arrows[("LA", "KH")]["title"]
    assert "Jeremy Douglas" in arrows[("LA", "TH")]["title"] and ("TH", "KH") in arrows
    lon, lat = data["centroids"]["LA"]
    assert arrows[("LA", "KH")]["from"] == pytest.approx([lat, lon], abs=1e-3)
    assert 102 < lon < 105 and 17 < lat < 20


def test_boundaries_are_served_as_static_geojson(client: TestClient) -> None:
    for name in ("countries.geojson", "admin1.geojson"):
        answer = client.get(f"/boundaries/{name}")
        assert answer.status_code == 200 and answer.json()["type"] == "FeatureCollection"


def _timeline_texts(page: str) -> list[str]:
    svg = page.split('<div class="timeline-figure">', 1)[1].split("</svg>", 1)[0]
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def test_timeline_is_a_vega_lite_chart_with_axes_legend_and_labelled_statistics(client: TestClient) -> None:
    page = client.get("/").text
    texts = _timeline_texts(page)
    assert "seizure incidents" in texts and "commodity" in texts and {"drugs", "timber"} <= set(texts)
    assert {"2020", "2021", "2022", "2023", "2024"} <= set(texts), "yearly ticks"
    assert "statistic 1" in texts and "official statistics (periods)" in texts
    assert "2024-01-01 to 2024-09-30" in page and "1,273 arrests" in page
    assert re.search(r"\d+ undated events? not shown", page)
    assert 'style="' not in page.split('<div class="timeline-figure">', 1)[1].split("</svg>", 1)[0]


@pytest.mark.parametrize("query", ["country=VN", "commodity=drugs&country=Vietnam", "q=Xe+Pon",
                                   "outlet=VnExpress+International", "date_from=2019-12&date_to=2019-12"])
def test_filters_in_the_url_narrow_every_view(client: TestClient, query: str) -> None:
    page = client.get(f"/?{query}").text
    data = _map(client, query)
    assert [c["href"].split("?")[0] for c in data["circles"]] == [f"/incidents/{D04}:e1"]
    texts = _timeline_texts(page)
    assert "Dec 2019" in texts and "statistic 1" not in texts, "the one month, quarterly ticks, no statistic"
    rows = _table_rows(page)
    assert len(rows) == 1 and "Quang Tri" in rows[0] and "Trapeang Kriel" not in page
    assert "Sar Kheng" not in page
    assert ("LA", "KH") not in {(a["origin"], a["destination"]) for a in data["arrows"]}
    assert re.search(r'data-count="seizure events"><strong>1</strong>', page), "the counts follow the filters"


def test_country_filter_narrows_claims_and_flows_to_what_names_it(client: TestClient) -> None:
    page = client.get("/?country=TH").text
    assert "Jeremy Douglas" in page and "Sar Kheng" not in page and "Phay Raksmey" not in page
    arrows = {(a["origin"], a["destination"]) for a in _map(client, "country=TH")["arrows"]}
    assert arrows == {("LA", "TH"), ("TH", "KH")}
    assert _table_rows(page) == []


def test_links_between_views_keep_the_query_string(client: TestClient) -> None:
    page = client.get("/?country=KH&substance=methamphetamine").text
    assert 'href="http://testserver/claims?country=KH&amp;substance=methamphetamine">Claims' in page
    assert f'href="/incidents/{INCIDENT}?country=KH&amp;substance=methamphetamine"' in page
    claims = client.get("/claims?country=KH&substance=methamphetamine").text
    assert 'href="http://testserver/?country=KH&amp;substance=methamphetamine">Dashboard' in claims
    incident = client.get(f"/incidents/{INCIDENT}?country=KH").text
    assert 'href="http://testserver/?country=KH">← dashboard' in incident


def test_event_table_pages_keep_the_filters(client: TestClient) -> None:
    first = client.get("/?country=KH&limit=2").text
    assert len(_table_rows(first)) == 2 and "showing 1–2" in first
    assert 'href="?country=KH&amp;limit=2&amp;offset=2">next' in first
    second = client.get("/?country=KH&limit=2&offset=2").text
    assert len(_table_rows(second)) == 2 and set(_table_rows(first)).isdisjoint(_table_rows(second))


class _Columns(HTMLParser):
    """For each report column, the text of every element with data-start/data-end, and all ids."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.columns: list[list[tuple[dict[str, str], list[str]]]] = []
        self.open: list[tuple[dict[str, str], list[str]]] = []
        self.ids: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "article" and attributes.get("class") == "report":
            self.columns.append([])
        if self.columns and "data-start" in attributes:
            entry = (attributes, [])
            self.columns[-1].append(entry)
            self.open.append(entry)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("mark", "span") and self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        for _, pieces in self.open:
            pieces.append(data)


def test_incident_page_puts_reports_side_by_side_and_marks_conflicts(client: TestClient) -> None:
    page = client.get(f"/incidents/{INCIDENT}").text
    parser = _Columns()
    parser.feed(page)
    assert len(parser.columns) == 2 and page.count('class="report"') == 2
    assert len(parser.ids) == len(set(parser.ids)), "anchors are unique across columns"
    texts = {D01: vueyeng_facts().document.text, D02: (DEV / f"{D02}.txt").read_text(encoding="utf-8")}
    for column, doc_id in zip(parser.columns, (D02, D01), strict=True):  # newest publication last
        marks = [(a, "".join(p)) for a, p in column if a.get("class", "").startswith("ev")]
        assert marks
        for attrs, wrapped in marks:
            assert texts[doc_id][int(attrs["data-start"]):int(attrs["data-end"])] == wrapped
    agency = re.search(r'<tr class="(\w+)" data-field="agency">(.*?)</tr>', page, re.DOTALL)
    mass = re.search(r'<tr class="(\w+)" data-field="mass_kg">(.*?)</tr>', page, re.DOTALL)
    assert agency and agency.group(1) == "conflict" and "conflict</span>" in agency.group(2)
    assert "Cambodian police" in agency.group(2) and "police at the Trapeang Kriel checkpoint" in agency.group(2)
    assert mass and mass.group(1) == "agree" and mass.group(2).count("93.973 kg") == 2
    assert "“93.973 kilogrammes”" in mass.group(2) and "“93.973 kilograms”" in mass.group(2)
    assert re.search(r'<script src="[^"]*/static/incident\.js" defer>', page)


def _review_targets(page: str) -> list[tuple[str, str]]:
    """(event id, doc_id) of every review link on a page."""
    targets = []
    for href in re.findall(r'<a class="review-link" href="([^"]+)"', page):
        url = urlsplit(html.unescape(href))
        assert url.path.startswith("/review/events/")
        targets.append((unquote(url.path.removeprefix("/review/events/")), parse_qs(url.query)["doc_id"][0]))
    return targets


def test_every_event_row_and_incident_report_links_to_its_review(client: TestClient) -> None:
    page = client.get("/?country=KH").text
    rows = _table_rows(page)
    targets = _review_targets(page)
    assert rows and len(targets) == len(rows)
    events = json.loads(client.get("/api/events?country=KH").text)["events"]
    assert targets == [(event["id"], event["doc_id"]) for event in events]

    incident = client.get(f"/incidents/{INCIDENT}").text
    assert _review_targets(incident) == [(f"{D02}:e1", D02), (f"{D01}:e1", D01)]  # column order
    assert '<form class="review"' not in incident, "anonymous readers get links, not forms"


def test_incident_json_lists_reports_fields_and_conflicts(client: TestClient) -> None:
    body = client.get(f"/api/incidents/{INCIDENT}").json()
    assert body["ok"] is True and body["incident"] == INCIDENT
    assert [r["id"] for r in body["reports"]] == [f"{D02}:e1", f"{D01}:e1"]
    assert body["reports"][1]["document"]["outlet"] == "Laotian Times"
    assert body["fields"]["agency"] == [
        {"value": "police at the Trapeang Kriel checkpoint", "raw": None, "doc_id": D02,
         "outlet": "The Phnom Penh Post"},
        {"value": "Cambodian police", "raw": None, "doc_id": D01, "outlet": "Laotian Times"}]
    assert "agency" in body["conflicts"] and "mass_kg" not in body["conflicts"] and "date" not in body["conflicts"]
    missing = client.get("/api/incidents/no-such-incident")
    assert missing.status_code == 404
    assert missing.json() == {"ok": False, "error": "no incident 'no-such-incident'", "status": 404}
    assert client.get("/incidents/no-such-incident").status_code == 404


@needs_dev
def test_compare_reports_marks_a_rounded_mass_and_a_different_count_but_not_case() -> None:
    main = _d01().events[0]
    item = main.items[0]
    other = replace(main, id="other", doc_id="other", admin1="stung treng", arrests=2,
                    items=(replace(item, mass_kg=94.0, mass_raw="about 94 kg"),))
    rows = [EventRow(main, "Laotian Times", None, None, None, None), EventRow(other, "Other", None, None, None, None)]
    fields, conflicts = compare_reports(rows)
    assert "mass_kg" in conflicts and "arrests" in conflicts and "admin1" not in conflicts
    assert [e["value"] for e in fields["mass_kg"]] == [93.973, 94.0]
    assert [e["raw"] for e in fields["mass_kg"]] == ["93.973 kilograms", "about 94 kg"]
    assert "volume_m3" not in fields, "a field no report states is left out"


def test_claims_board_groups_by_speaker_then_topic_and_links_to_evidence(client: TestClient) -> None:
    page = client.get("/claims").text
    sections = dict(re.findall(r'<section class="speaker" id="speaker-\d+">\s*<h2>([^<]+?)\s*<(.*?)</section>',
                               page, re.DOTALL))
    assert next(iter(sections)) == "Sar Kheng", "most quoted first"
    assert {"Jeremy Douglas", "Phay Raksmey", "Cambodian police"} <= set(sections)  # a named body, as the body
    unnamed = [name for name in sections if name.startswith(f"Officer {html.escape(XSS)} (")]
    assert len(unnamed) == 1 and "not named" in sections[unnamed[0]], "an unnamed speaker, with its report"
    minister = sections["Sar Kheng"]
    assert 'class="role">Interior Minister</span>' in minister
    topics = re.findall(r"<h3>([^<]+)</h3>", minister)
    assert topics == ["Laos", "Laos–Cambodia", "no country named"]
    assert re.findall(r"<h3>([^<]+)</h3>", sections["Jeremy Douglas"]) == ["Laos–Thailand–Vietnam–Cambodia"]
    links = re.findall(rf'href="(/documents/{S00}#fact-\d+)"', minister)
    assert len(links) == 3
    document = client.get(links[0].split("#")[0]).text
    anchor = links[0].split("#")[1]
    marked = re.search(rf'<mark id="{anchor}"[^>]*>([^<]*)', document)
    assert marked and marked.group(1).startswith("When I held an annual meeting")


def test_every_view_escapes_stored_text(client: TestClient) -> None:
    for path in ("/", "/claims", "/incidents/inc-hostile", "/?q=Koh"):
        page = client.get(path).text
        assert XSS not in page and "<img src=x" not in page, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, path


def test_dashboard_loads_only_its_own_scripts_and_no_cdn(client: TestClient) -> None:
    page = client.get("/").text
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all(re.search(r'src="[^"]*/static/', attrs) for attrs in scripts), "no inline script"
    assert "//cdn" not in page and "tile.openstreetmap" not in page and "style=\"" not in page
    for path in ("/static/vendor/leaflet/leaflet.js", "/static/vendor/leaflet/leaflet.css",
                 "/static/vendor/leaflet.markercluster/leaflet.markercluster.js", "/static/dashboard-map.js"):
        assert client.get(path).status_code == 200, path
    script = client.get("/static/dashboard-map.js").text
    assert "http" not in script.replace("http://www.w3.org/2000/svg", ""), "the map script reaches no other host"
    assert "innerHTML" not in script


def test_boundaries_are_small_clipped_and_named_as_the_gazetteer_names_them() -> None:
    files = [BOUNDARIES_DIR / "countries.geojson", BOUNDARIES_DIR / "admin1.geojson"]
    assert sum(p.stat().st_size for p in BOUNDARIES_DIR.iterdir()) < 1_500_000
    gazetteer = Gazetteer.load()
    countries, provinces = (json.loads(p.read_text(encoding="utf-8"))["features"] for p in files)
    assert {"KH", "LA", "TH", "VN", "MM", "CN"} <= {f["properties"]["country"] for f in countries}
    for feature in provinces:
        props = feature["properties"]
        if props["admin1"] is not None:
            assert gazetteer.canonical_admin1(props["country"], props["admin1"]) == props["admin1"], props
        for polygon in feature["geometry"]["coordinates"]:
            for lon, lat in (point for ring in polygon for point in ring):
                assert 89 <= lon <= 113 and 2 <= lat <= 32 and round(lon, 3) == lon
    named = {(f["properties"]["country"], f["properties"]["admin1"]) for f in provinces}
    assert sum(1 for f in provinces if f["properties"]["admin1"] is None) <= 3
    for a, b in (("KH", "LA"), ("KH", "TH"), ("KH", "VN"), ("LA", "TH"), ("MM", "TH")):
        for country, zone in gazetteer.border_provinces(a, b).items():
            assert {(country, name) for name in zone} <= named, (a, b)
    assert (BOUNDARIES_DIR / "SOURCES.md").is_file() and (BOUNDARIES_DIR / "LICENSE-amcharts5-geodata.md").is_file()



@needs_dev
def test_reporting_effort_is_read_again_when_a_document_is_added(tmp_path: Path) -> None:
    gazetteer = Gazetteer.load()
    with Store.open(f"sqlite:///{tmp_path / 'effort.db'}") as store:
        assert store.add(quangtri_facts())
        first = reporting_effort(store, gazetteer)
        assert reporting_effort(store, gazetteer) is first and [r.doc_id for r in first] == [D04]
        assert ("VN", "Quang Tri") in first[0].countries_admin1
        assert store.add(_d02())
        assert sorted(r.doc_id for r in reporting_effort(store, gazetteer)) == [D02, D04]


def test_export_endpoint_gives_the_filtered_rows_in_every_format(client: TestClient) -> None:
    import io

    import pyarrow.parquet as pq

    parquet = client.get("/api/export?format=parquet&country=VN")
    assert parquet.status_code == 200 and parquet.headers["content-type"] == "application/vnd.apache.parquet"
    table = pq.read_table(io.BytesIO(parquet.content)).to_pylist()
    assert [row["country"] for row in table] == ["VN"]
    geojson = client.get("/api/export?format=geojson&country=VN").json()
    assert [f["properties"]["country"] for f in geojson["features"]] == ["VN"]
    csv_text = client.get("/api/events.csv?country=VN").text
    assert len(csv_text.strip().splitlines()) == 2
    page = client.get("/?country=VN").text
    assert 'href="/api/events.csv?country=VN"' in page and 'href="/api/export?format=parquet&amp;country=VN"' in page
    assert client.get("/api/export?format=geojson&table=items").json()["status"] == 400


def test_errors_are_pages_for_browsers_and_json_for_the_api(client: TestClient) -> None:
    browser = {"Accept": "text/html,application/xhtml+xml"}
    page = client.get("/incidents/no-such-incident", headers=browser)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "<h1>Page not found</h1>" in page.text and "no incident" in page.text
    bad = client.get("/?date_from=yesterday", headers=browser)
    assert bad.status_code == 400 and "<h1>That request could not be read</h1>" in bad.text
    api = client.get("/api/incidents/no-such-incident", headers=browser)
    assert api.status_code == 404 and api.json() == {"ok": False, "error": api.json()["error"], "status": 404}
    assert client.get("/incidents/no-such-incident").json()["ok"] is False, "no Accept: text/html, JSON"


def test_head_answers_and_large_responses_are_gzipped(client: TestClient) -> None:
    assert client.head("/").status_code == 200
    assert client.get("/", headers={"Accept-Encoding": "gzip"}).headers.get("content-encoding") == "gzip"
    small = client.get("/api/nope", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers, "under 1 KB stays plain"
