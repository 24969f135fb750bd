"""Event facets for the current filters, and event pages in a chosen, validated order."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from borderwatch.serve import schemas

D01 = "d01-vueyeng-laotiantimes"
D04 = "d04-quangtri-vnexpress"
E1, E2, E3, VN, HOSTILE = f"{D01}:e1", f"{D01}:e2", f"{D01}:e3", f"{D04}:e1", "hostile-report:e1"


def _counts(facet: list[dict[str, object]]) -> dict[object, object]:
    return {entry["value"]: entry["count"] for entry in facet}


def test_facets_count_every_matching_event(client: TestClient) -> None:
    body = client.get("/api/events/facets").json()
    schemas.FacetsOut.model_validate(body)
    assert body["ok"] is True and body["total"] == 5
    facets = body["facets"]
    assert facets["country"] == [{"value": "KH", "count": 4}, {"value": "VN", "count": 1}]
    assert _counts(facets["substance"]) == {"methamphetamine": 4, "heroin": 1}
    assert _counts(facets["year"]) == {"2023": 2, "2024": 1, "2021": 1, "2019": 1}
    assert _counts(facets["outlet"])["Laotian Times"] == 3
    assert _counts(facets["admin1"]) == {"Stung Treng": 2, None: 1, "Koh Kong": 1, "Quang Tri": 1}
    assert [entry["count"] for entry in facets["admin1"]] == [2, 1, 1, 1]


def test_facets_follow_the_filters(client: TestClient) -> None:
    facets = client.get("/api/events/facets?country=KH&substance=methamphetamine").json()["facets"]
    assert facets["country"] == [{"value": "KH", "count": 3}]
    assert _counts(facets["year"]) == {"2023": 2, "2024": 1}
    assert client.get("/api/events/facets?q=Xe%20Pon").json()["total"] == 1  # the one report with the words
    top = client.get("/api/events/facets?top=1").json()["facets"]
    assert all(len(values) == 1 for values in top.values())
    assert top["year"] == [{"value": "2023", "count": 2}]


@pytest.mark.parametrize("bad", ["top=0", "top=1001", "sort=-date", "countryy=KH"])
def test_facets_parameters_are_checked(client: TestClient, bad: str) -> None:
    response = client.get(f"/api/events/facets?{bad}")
    assert response.status_code == 400 and response.json()["ok"] is False


@pytest.mark.parametrize(("sort", "expected"), [
    ("-date", [E1, E3, E2, HOSTILE, VN]),
    ("date", [VN, HOSTILE, E2, E3, E1]),
    ("-mass", [E1, E3, VN, HOSTILE, E2]),
    ("mass", [HOSTILE, VN, E3, E1, E2]),
    ("arrests", [E1, VN, E2, E3, HOSTILE]),
    ("-arrests", [E2, E3, E1, VN, HOSTILE]),
])
def test_events_sort(client: TestClient, sort: str, expected: list[str]) -> None:
    assert [e["id"] for e in client.get(f"/api/events?sort={sort}").json()["events"]] == expected
    paged = [e["id"] for offset in (0, 2, 4)
             for e in client.get(f"/api/events?sort={sort}&limit=2&offset={offset}").json()["events"]]
    assert paged == expected
    features = client.get(f"/api/events.geojson?sort={sort}").json()["features"]
    assert [f["id"] for f in features] == expected


def test_default_order_is_newest_first(client: TestClient) -> None:
    assert client.get("/api/events").json()["events"] == client.get("/api/events?sort=-date").json()["events"]


@pytest.mark.parametrize("bad", ["weight", "", "-", "--date", "DATE"])
def test_unknown_sort_is_400_listing_the_valid_ones(client: TestClient, bad: str) -> None:
    response = client.get(f"/api/events?sort={bad}")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error.startswith("sort:") and "'-mass'" in error


def test_next_link_keeps_the_sort(client: TestClient) -> None:
    body = client.get("/api/events?sort=mass&limit=2").json()
    assert "sort=mass" in body["next"]
    assert [e["id"] for e in client.get(body["next"]).json()["events"]] == [E3, E1]


def test_openapi_documents_sort_and_facets(client: TestClient) -> None:
    openapi = client.get("/openapi.json").json()
    params = {p["name"]: p for p in openapi["paths"]["/api/events"]["get"]["parameters"]}
    assert "-mass" in str(params["sort"]["schema"])
    assert "/api/events/facets" in openapi["paths"]
