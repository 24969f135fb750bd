"""Every list endpoint pages the same way (total, limit, offset, next), takes only its own
parameters, honours its filters, and answers in the shape its OpenAPI schema documents."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from borderwatch.serve import schemas

D01 = "d01-vueyeng-laotiantimes"
D04 = "d04-quangtri-vnexpress"
LISTS = {"/api/events": "events", "/api/aggregates": "aggregates", "/api/quotes": "quotes",
         "/api/flows": "flows", "/api/documents": "documents"}
MODELS: dict[str, type[BaseModel]] = {
    "/api/events": schemas.EventPage, "/api/aggregates": schemas.AggregatePage,
    "/api/quotes": schemas.QuotePage, "/api/flows": schemas.FlowPage, "/api/documents": schemas.DocumentPage}


@pytest.mark.parametrize(("path", "key"), LISTS.items())
def test_every_list_has_the_page_envelope(client: TestClient, path: str, key: str) -> None:
    body = client.get(path).json()
    assert body["ok"] is True and body["limit"] == 100 and body["offset"] == 0
    assert body["total"] == len(body[key]) and body["next"] is None


@pytest.mark.parametrize(("path", "key"), LISTS.items())
def test_next_links_walk_every_record_once(client: TestClient, path: str, key: str) -> None:
    everything = [record["id"] for record in client.get(path).json()[key]]
    url: str | None = f"{path}?limit=1"
    seen: list[str] = []
    while url is not None:
        body = client.get(url).json()
        assert body["total"] == len(everything)
        seen += [record["id"] for record in body[key]]
        url = body["next"]
        if url is not None:
            assert parse_qs(urlsplit(url).query)["limit"] == ["1"]
    assert seen == everything


def test_next_link_keeps_the_filters(client: TestClient) -> None:
    body = client.get("/api/events?country=KH&limit=3").json()
    assert body["total"] == 4
    query = parse_qs(urlsplit(body["next"]).query)
    assert query == {"country": ["KH"], "limit": ["3"], "offset": ["3"]}
    last = client.get(body["next"]).json()
    assert len(last["events"]) == 1 and last["next"] is None


def test_geojson_carries_the_envelope_as_foreign_members(client: TestClient) -> None:
    body = client.get("/api/events.geojson?limit=2").json()
    assert body["type"] == "FeatureCollection" and body["total"] == 5 and len(body["features"]) == 2
    assert parse_qs(urlsplit(body["next"]).query)["offset"] == ["2"]
    schemas.FeatureCollectionOut.model_validate(body)


@pytest.mark.parametrize("path", [*LISTS, "/api/events.geojson"])
@pytest.mark.parametrize("bad", ["limit=0", "limit=1001", "offset=-1", "offset=1000000001", "limit=x"])
def test_limit_and_offset_are_bounded(client: TestClient, path: str, bad: str) -> None:
    response = client.get(f"{path}?{bad}")
    assert response.status_code == 400
    assert response.json()["ok"] is False and bad.split("=")[0] in response.json()["error"]


def test_quotes_honour_country(client: TestClient) -> None:
    assert [q["doc_id"] for q in client.get("/api/quotes?country=KH").json()["quotes"]] == [D01]
    assert [q["doc_id"] for q in client.get("/api/quotes?country=Cambodia").json()["quotes"]] == [D01]
    body = client.get("/api/quotes?country=VN").json()
    assert body["quotes"] == [] and body["total"] == 0
    assert client.get("/api/quotes?country=KH&speaker=nobody").json()["total"] == 0
    assert client.get("/api/quotes?outlet=Laotian%20Times").json()["total"] == 1
    assert client.get("/api/quotes?date_from=2025").json()["total"] == 0
    assert client.get("/api/quotes?country=Atlantis").status_code == 400


def test_flows_and_documents_honour_their_filters(client: TestClient) -> None:
    assert [f["id"] for f in client.get("/api/flows?country=LA").json()["flows"]] == [f"{D04}:f1"]
    assert [f["id"] for f in client.get("/api/flows?country=VN").json()["flows"]] == [f"{D04}:f1"]
    assert client.get("/api/flows?country=KH").json()["total"] == 0
    assert client.get("/api/flows?commodity=timber").json()["total"] == 0
    documents = client.get("/api/documents?country=KH").json()
    assert sorted(d["id"] for d in documents["documents"]) == sorted([D01, "hostile-report"])
    assert documents["total"] == 2
    assert [d["id"] for d in client.get("/api/documents?date_to=2019").json()["documents"]] == [D04]
    assert [d["id"] for d in client.get("/api/documents?outlet=VnExpress%20International").json()["documents"]] \
        == [D04]


@pytest.mark.parametrize("path", [*LISTS, "/api/events.geojson", "/api/events.csv", f"/api/documents/{D01}",
                                  "/api/analysis/routes"])
def test_unknown_parameters_are_named_with_the_valid_ones(client: TestClient, path: str) -> None:
    response = client.get(f"{path}?contry=KH&limit=5&zzz=1" if path in LISTS else f"{path}?contry=KH&zzz=1")
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False and body["status"] == 400
    assert "'contry', 'zzz'" in body["error"] and "valid:" in body["error"]
    if path in LISTS:
        assert "limit" in body["error"].split("valid:")[1] and "offset" in body["error"]


def test_valid_parameters_listed_are_the_endpoints_own(client: TestClient) -> None:
    error = client.get("/api/quotes?contry=KH").json()["error"]
    valid = {name.strip() for name in error.split("valid: ")[1].rstrip(")").split(",")}
    assert {"speaker", "country", "limit", "offset", "q"} <= valid
    assert "substance" not in valid  # a quote has no substance: offering it would be ignored
    flows = client.get("/api/flows?x=1").json()["error"]
    assert "commodity" in flows and "speaker" not in flows


@pytest.mark.parametrize("path", [*LISTS, "/api/events.geojson", "/api/documents/{doc_id}",
                                  "/api/incidents/{incident_id}"])
def test_openapi_documents_every_response_schema(client: TestClient, path: str) -> None:
    openapi = client.get("/openapi.json").json()
    ok = openapi["paths"][path]["get"]["responses"]["200"]
    content = ok["content"]
    schema = (content.get("application/geo+json") or content["application/json"])["schema"]
    assert schema and schema != {}, path
    name = schema["$ref"].rsplit("/", 1)[-1]
    assert openapi["components"]["schemas"][name]["properties"], name


@pytest.mark.parametrize("path", list(LISTS))
def test_list_responses_validate_against_their_schema(client: TestClient, path: str) -> None:
    for query in ("", "?limit=1", "?country=KH"):
        MODELS[path].model_validate(client.get(path + query).json())


def test_document_and_incident_responses_validate(client: TestClient) -> None:
    schemas.DocumentOut.model_validate(client.get(f"/api/documents/{D01}").json())
    incident = client.get("/api/events").json()["events"][0]["incident"]
    if incident:
        schemas.IncidentOut.model_validate(client.get(f"/api/incidents/{incident}").json())
