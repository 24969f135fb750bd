"""Analysis endpoints over a real store: JSON, CSV, and the one error shape."""

import csv
import io

from fastapi.testclient import TestClient


def test_asymmetry_json_and_csv(client: TestClient) -> None:
    body = client.get("/api/analysis/asymmetry", params={"a": "KH", "b": "Laos", "by": "year"}).json()
    assert body["ok"] is True and body["a"] == "KH" and body["b"] == "LA"
    assert "Stung Treng" in body["zone"]["KH"]
    assert body["total"]["incidents_ratio"]["method"].startswith("exact")
    response = client.get("/api/analysis/asymmetry", params={"a": "KH", "b": "LA", "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows[-1]["period"] == "all" and "KH_incidents" in rows[-1]


def test_unknown_country_uses_the_error_shape(client: TestClient) -> None:
    response = client.get("/api/analysis/asymmetry", params={"a": "Atlantis", "b": "LA"})
    assert response.status_code == 400
    body = response.json()
    assert body == {"ok": False, "error": body["error"], "status": 400} and "Atlantis" in body["error"]


def test_coverage_and_routes(client: TestClient) -> None:
    assert client.get("/api/analysis/coverage").json()["ok"] is True
    edges = client.get("/api/analysis/routes").json()["edges"]
    assert all(e["weight"] >= 1 and e["evidence"] for e in edges)


def test_any_filtered_view_downloads_as_csv(client: TestClient) -> None:
    everything = list(csv.DictReader(io.StringIO(client.get("/api/events.csv").text)))
    only_vn = list(csv.DictReader(io.StringIO(client.get("/api/events.csv", params={"country": "VN"}).text)))
    assert everything and only_vn and len(only_vn) < len(everything)
    assert {row["country"] for row in only_vn} == {"VN"}
    assert {"event_id", "sentence", "lat", "lon", "geo_precision", "methamphetamine_kg", "outlet"} <= set(only_vn[0])
    bad = client.get("/api/events.csv", params={"date_from": "yesterday"})
    assert bad.status_code == 400 and bad.json()["ok"] is False
