"""The JSON API over a real SQLite store: filters, paging, GeoJSON, documents and the one error shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from borderwatch.config import Settings
from borderwatch.serve import create_app
from borderwatch.serve.api import error_body

D01 = "d01-vueyeng-laotiantimes"
D04 = "d04-quangtri-vnexpress"


def _ids(client: TestClient, query: str) -> list[str]:
    body = client.get(f"/api/events?{query}").json()
    assert body["ok"] is True and body["total"] == len(body["events"])
    return sorted(event["id"] for event in body["events"])


def test_events_carry_items_evidence_document_and_sentence(client: TestClient) -> None:
    body = client.get("/api/events").json()
    assert body["ok"] is True and body["total"] == 5 and body["limit"] == 100 and body["offset"] == 0
    main = next(e for e in body["events"] if e["id"] == f"{D01}:e1")
    assert main["country"] == "KH" and main["admin1"] == "Stung Treng" and main["arrests"] == 1
    assert main["items"][0]["mass_kg"] == 93.973 and main["items"][0]["count"] == 1034413
    assert main["document"] == {"id": D01, "outlet": "Laotian Times", "title": main["document"]["title"],
                                "url": "https://laotiantimes.com/2024/11/14/example/",
                                "published": "2024-11-14"}
    assert main["sentence"].startswith("Inside, officers recovered")
    text = client.get(f"/api/documents/{D01}").json()["document"]["text"]
    spans = main["evidence"] + main["items"][0]["evidence"]
    assert {s["field"] for s in spans} >= {"date", "place", "count", "mass_kg", "substance"}
    for span in spans:
        assert text[span["start"]:span["end"]] == span["text"]


@pytest.mark.parametrize(("query", "expected"), [
    ("country=KH", [f"{D01}:e1", f"{D01}:e2", f"{D01}:e3", "hostile-report:e1"]),
    ("country=vn", [f"{D04}:e1"]),
    ("country=Vietnam", [f"{D04}:e1"]),
    ("country=", [f"{D01}:e1", f"{D01}:e2", f"{D01}:e3", f"{D04}:e1", "hostile-report:e1"]),
    ("admin1=stung%20treng", [f"{D01}:e1", f"{D01}:e2"]),
    ("substance=heroin", ["hostile-report:e1"]),
    ("commodity=timber", []),
    ("date_from=2023-01-01&date_to=2023-12-31", [f"{D01}:e2", f"{D01}:e3"]),
    ("date_from=2024", [f"{D01}:e1"]),
    ("date_to=2019-12", [f"{D04}:e1"]),
    ("outlet=VnExpress%20International", [f"{D04}:e1"]),
    # a year-precision date ("2023") overlaps a range starting in March 2023
    ("country=KH&substance=methamphetamine&date_from=2023-03", [f"{D01}:e1", f"{D01}:e2", f"{D01}:e3"]),
    ("country=KH&substance=methamphetamine&date_from=2023-04", [f"{D01}:e1", f"{D01}:e2"]),
    # q searches the report's text: every event of the report that has all the words
    ("q=Trapeang", [f"{D01}:e1", f"{D01}:e2", f"{D01}:e3"]),
    ("q=Xe%20Pon", [f"{D04}:e1"]),
])
def test_event_filters(client: TestClient, query: str, expected: list[str]) -> None:
    assert _ids(client, query) == sorted(expected)


def test_paging_walks_every_event_once(client: TestClient) -> None:
    everything = [e["id"] for e in client.get("/api/events").json()["events"]]
    paged: list[str] = []
    for offset in range(0, 6, 2):
        body = client.get(f"/api/events?limit=2&offset={offset}").json()
        assert body["total"] == 5 and body["limit"] == 2 and body["offset"] == offset
        assert len(body["events"]) == min(2, 5 - offset)
        paged += [e["id"] for e in body["events"]]
    assert paged == everything and len(set(paged)) == 5
    assert client.get("/api/events?offset=50").json()["events"] == []


def test_geojson_places_located_events_and_keeps_unlocated_ones(client: TestClient) -> None:
    response = client.get("/api/events.geojson?country=VN")
    assert response.headers["content-type"].startswith("application/geo+json")
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [106.7, 16.6]}
    assert feature["properties"]["admin1"] == "Quang Tri" and feature["properties"]["document"]["id"] == D04
    unlocated = client.get("/api/events.geojson?admin1=Stung%20Treng").json()["features"]
    assert len(unlocated) == 2 and all(f["geometry"] is None for f in unlocated)


def test_aggregates_are_listed_apart_and_filtered(client: TestClient) -> None:
    [statistic] = client.get("/api/aggregates").json()["aggregates"]
    assert statistic["type"] == "aggregate" and statistic["country"] == "LA"
    assert statistic["arrests"] == 1273 and statistic["items"][0]["count"] == 15_500_000
    assert client.get("/api/aggregates?country=KH").json() == {"ok": True, "total": 0, "limit": 100, "offset": 0,
                                                               "next": None, "aggregates": []}
    assert len(client.get("/api/aggregates?date_from=2024-06-01").json()["aggregates"]) == 1


def test_quotes_by_speaker_and_flows(client: TestClient) -> None:
    [quote] = client.get("/api/quotes?speaker=police").json()["quotes"]
    assert quote["speaker"] == "Cambodian police" and quote["kind"] == "reported"
    assert client.get("/api/quotes?speaker=Nobody%20Known").json()["quotes"] == []
    [flow] = client.get("/api/flows").json()["flows"]
    assert (flow["from"], flow["to"], flow["commodity"]) == ("LA", "VN", "drugs")


def test_documents_list_without_text_and_pages(client: TestClient) -> None:
    body = client.get("/api/documents").json()
    assert sorted(d["id"] for d in body["documents"]) == sorted([D01, D04, "hostile-report"])
    assert all("text" not in d for d in body["documents"])
    first, second = (client.get(f"/api/documents?limit=1&offset={n}").json()["documents"] for n in (0, 1))
    assert len(first) == len(second) == 1 and first[0]["id"] != second[0]["id"]


def test_document_has_text_comments_apart_furniture_and_all_facts(client: TestClient) -> None:
    body = client.get(f"/api/documents/{D01}").json()
    text = body["document"]["text"]
    assert body["ok"] is True and text.startswith("Lao man held")
    assert [c["abusive"] for c in body["comments"]] == [False, True]
    assert body["document"]["comments"] == 2 and "idiots" not in text
    [byline] = body["document"]["furniture"]
    assert byline["field"] == "byline" and text[byline["start"]:byline["end"]] == byline["text"]
    assert (len(body["events"]), len(body["aggregates"]), len(body["quotes"]), len(body["flows"])) == (3, 1, 1, 0)
    facts: list[dict[str, Any]] = body["events"] + body["aggregates"] + body["quotes"]
    spans = [s for f in facts for s in f["evidence"] + [s for i in f.get("items", []) for s in i["evidence"]]]
    assert len(spans) > 10
    for span in spans:
        assert text[span["start"]:span["end"]] == span["text"]


def _assert_error_shape(response: Any, status: int) -> None:
    body = response.json()
    assert response.status_code == status
    assert set(body) == {"ok", "error", "status"}
    assert body["ok"] is False and body["status"] == status
    assert isinstance(body["error"], str) and body["error"]
    assert "Traceback" not in response.text


@pytest.mark.parametrize(("method", "path", "status", "says"), [
    ("GET", "/api/documents/no-such-document", 404, "no-such-document"),
    ("GET", "/documents/no-such-document", 404, "no-such-document"),
    ("GET", "/api/no-such-endpoint", 404, "Not Found"),
    ("POST", "/api/events", 405, "Method Not Allowed"),
    ("GET", "/api/events?limit=0", 400, "limit"),
    ("GET", "/api/events?limit=1001", 400, "limit"),
    ("GET", "/api/documents?offset=-1", 400, "offset"),
    ("GET", "/api/events.geojson?limit=abc", 400, "limit"),
    ("GET", f"/api/events?offset={2**63}", 400, "offset"),
    ("GET", f"/api/documents?offset={2**64}", 400, "offset"),
    ("GET", f"/api/events.geojson?offset={2**63 - 1}", 400, "offset"),
    ("GET", f"/?offset={2**63}", 400, "offset"),
    ("GET", "/api/events?date_from=0000", 400, "years run from 0001"),
    ("GET", "/api/events?date_to=0000-01", 400, "years run from 0001"),
    ("GET", "/api/events?date_from=0000-02-29", 400, "years run from 0001"),
    ("GET", "/api/events.csv?date_to=0000", 400, "years run from 0001"),
    ("GET", "/api/analysis/asymmetry?a=KH&b=LA&date_from=0000", 400, "years run from 0001"),
    ("GET", "/api/analysis/asymmetry?a=KH&b=LA&date_to=yesterday", 400, "date_to"),
    ("GET", "/api/analysis/asymmetry?a=KH&b=LA&format=xml", 400, "format"),
    ("GET", "/api/events?q=" + "x" * 201, 400, "q is 201 characters long (at most 200)"),
    ("GET", "/api/events?outlet=" + "x" * 5000, 400, "outlet is 5000 characters"),
    ("GET", "/api/quotes?speaker=" + "x" * 300, 400, "speaker is 300 characters"),
    ("GET", "/api/events?limit=99999999999999999999999", 400, "limit"),
    ("GET", "/api/events?date_from=2024-13-01", 400, "expected: YYYY, YYYY-MM or YYYY-MM-DD"),
    ("GET", "/api/aggregates?country=Atlantis", 400, "unknown country 'Atlantis'"),
    ("GET", "/?date_to=yesterday", 400, "date_to"),
])
def test_one_error_shape_across_endpoints(client: TestClient, method: str, path: str, status: int,
                                          says: str) -> None:
    response = client.request(method, path)
    _assert_error_shape(response, status)
    assert says in response.json()["error"]


def test_unexpected_error_is_500_in_the_same_shape_without_traceback(db_path: Path) -> None:
    app = create_app(Settings(db=str(db_path)))

    def broken() -> None:
        raise RuntimeError("secret internal detail")

    app.add_api_route("/api/broken", broken)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        response = test_client.get("/api/broken")
    _assert_error_shape(response, 500)
    assert "secret internal detail" not in response.text


def test_error_body_is_the_documented_shape() -> None:
    assert error_body("no document 'x'", 404) == {"ok": False, "error": "no document 'x'", "status": 404}


def test_far_dates_at_either_end_are_accepted(client: TestClient) -> None:
    for query in ("date_from=0001", "date_to=9999", "date_to=9999-12", "date_from=0001-01-01&date_to=9999-12-31"):
        response = client.get(f"/api/events?{query}")
        assert response.status_code == 200, (query, response.text)


def test_openapi_lists_the_error_statuses(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    checked = 0
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            responses = operation["responses"]
            assert "422" not in responses, path
            if path.startswith("/api/"):
                assert {"400", "500"} <= set(responses), path
                checked += 1
    assert checked > 10
    assert set(schema["components"]["schemas"]["ErrorBody"]["properties"]) == {"ok", "error", "status"}
    assert "HTTPValidationError" not in schema["components"]["schemas"]


def test_openapi_schema_is_served_offline(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "/api/events" in schema["paths"] and "/api/documents/{doc_id}" in schema["paths"]
    assert "/" not in schema["paths"]
