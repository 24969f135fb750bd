"""``q`` searches report text on documents and quotes; ``updated_since`` pulls only what is new."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

D01 = "d01-vueyeng-laotiantimes"
D04 = "d04-quangtri-vnexpress"


def test_documents_q_searches_the_full_text(client: TestClient) -> None:
    assert [d["id"] for d in client.get("/api/documents?q=Xe%20Pon").json()["documents"]] == [D04]
    assert [d["id"] for d in client.get("/api/documents?q=vientiane").json()["documents"]] == [D01]
    body = client.get("/api/documents?q=okapi%20zebra").json()
    assert body["total"] == 0 and body["documents"] == []
    assert client.get('/api/documents?q=%22%29%20OR%20*').status_code == 200  # never FTS syntax


def test_quotes_q_searches_their_report(client: TestClient) -> None:
    assert [q["doc_id"] for q in client.get("/api/quotes?q=Trapeang%20Kriel").json()["quotes"]] == [D01]
    assert client.get("/api/quotes?q=Xe%20Pon").json()["total"] == 0
    assert [row for row in client.get("/api/quotes.csv?q=grave%20criminal").text.splitlines()[1:]]


@pytest.mark.parametrize("path", ["/api/events", "/api/documents", "/api/quotes", "/api/flows", "/api/aggregates"])
def test_updated_since_pulls_documents_stored_since(client: TestClient, path: str) -> None:
    everything = client.get(path).json()["total"]
    assert everything > 0
    assert client.get(f"{path}?updated_since=2000-01-01").json()["total"] == everything
    assert client.get(f"{path}?updated_since=2999-01-01T00:00:00Z").json()["total"] == 0
    assert client.get(f"{path}?updated_since=2999-01-01T07:00:00%2B07:00").json()["total"] == 0


@pytest.mark.parametrize("bad", ["yesterday", "2026-13-01", "2026-12-01T25:00"])
def test_updated_since_must_be_an_iso_time(client: TestClient, bad: str) -> None:
    response = client.get(f"/api/events?updated_since={bad}")
    assert response.status_code == 400 and "updated_since" in response.json()["error"]


def test_events_q_searches_their_reports_text_in_every_view(client: TestClient) -> None:
    # "Vientiane" is in d01's text (a statistic's province) but in none of its seizures' own fields.
    d01 = sorted([f"{D01}:e1", f"{D01}:e2", f"{D01}:e3"])
    assert sorted(e["id"] for e in client.get("/api/events?q=vientiane").json()["events"]) == d01
    assert len(client.get("/api/events.csv?q=vientiane").text.splitlines()) == 1 + len(d01)
    assert len(client.get("/api/events.geojson?q=vientiane").json()["features"]) <= len(d01)
    assert client.get("/api/events/facets?q=vientiane").json()["total"] == len(d01)
    assert client.get("/api/events?q=vientiane%20okapi").json()["total"] == 0  # every word
    assert [a["doc_id"] for a in client.get("/api/aggregates?q=Trapeang").json()["aggregates"]] == [D01]
    assert client.get("/api/flows?q=okapi").json()["total"] == 0
