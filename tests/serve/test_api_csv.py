"""Every list downloads as CSV with the list's own filters, every cell neutralised."""

from __future__ import annotations

import csv
import io

import orjson
import pytest
from fastapi.testclient import TestClient

from borderwatch.serve import downloads

D01 = "d01-vueyeng-laotiantimes"
LISTS = {"aggregates": downloads.AGGREGATE_COLUMNS, "quotes": downloads.QUOTE_COLUMNS,
         "flows": downloads.FLOW_COLUMNS, "documents": downloads.DOCUMENT_COLUMNS}


def _rows(client: TestClient, path: str) -> list[dict[str, str]]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


@pytest.mark.parametrize(("name", "columns"), LISTS.items())
def test_each_list_as_csv_holds_the_same_records(client: TestClient, name: str, columns: list[str]) -> None:
    listed = client.get(f"/api/{name}").json()[name]
    response = client.get(f"/api/{name}.csv")
    assert next(csv.reader(io.StringIO(response.text))) == columns
    rows = _rows(client, f"/api/{name}.csv")
    assert [row["id"] for row in rows] == [record["id"] for record in listed]
    assert f'filename="{name}.csv"' in response.headers["content-disposition"]


def test_csv_follows_the_filters(client: TestClient) -> None:
    assert [row["doc_id"] for row in _rows(client, "/api/quotes.csv?country=KH")] == [D01]
    assert _rows(client, "/api/quotes.csv?country=VN") == []
    assert len(_rows(client, "/api/documents.csv?country=KH")) == 2
    assert _rows(client, "/api/flows.csv?country=KH") == []
    [aggregate] = _rows(client, "/api/aggregates.csv?country=LA")
    assert orjson.loads(aggregate["items"])[0]["count"] == 15_500_000
    assert client.get("/api/quotes.csv?contry=KH").status_code == 400


def test_csv_reads_every_page(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(downloads, "CSV_PAGE", 1)
    assert len(_rows(client, "/api/documents.csv")) == 3


def test_record_csv_neutralises_formula_cells() -> None:
    records = [{"id": "=HYPERLINK(\"http://x\")", "title": "+1", "outlet": "@SUM(A1)", "comments": -3}]
    text = "".join(downloads.record_csv(downloads.DOCUMENT_COLUMNS, lambda limit, offset: records[offset:]))
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["id"].startswith("'=") and row["title"] == "'+1" and row["outlet"] == "'@SUM(A1)"
    assert row["comments"] == "-3"
