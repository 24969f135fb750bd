"""Exports read back with the csv module, json and pyarrow: values, evidence, coordinates."""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from borderwatch.errors import InputError
from borderwatch.export import export_events
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.model import Facts
from borderwatch.store import EventFilter, Store

MakeFacts = Callable[..., Facts]


@pytest.fixture
def filled(tmp_path: Path, make_facts: MakeFacts) -> Iterator[tuple[Store, Facts]]:
    """A store with one report (two events: own coordinates, province only) and one event
    that cannot be placed at all."""
    store = Store.open(f"sqlite:///{tmp_path / 'bw.db'}")
    facts = make_facts()
    store.add(facts)
    unplaced = make_facts(doc_id="nowhere", text=facts.document.text.replace("HANOI", "DALAT"))
    store.add(dataclasses.replace(unplaced, events=[dataclasses.replace(
        unplaced.events[1], country=None, admin1=None, date="2022")]))
    yield store, facts
    store.close()


def _province_centroid(country: str, admin1: str) -> tuple[float | None, float | None]:
    place = Gazetteer.load().province(country, admin1)
    assert place is not None
    return place.lat, place.lon


def test_csv_has_one_row_per_item_with_evidence(filled: tuple[Store, Facts], tmp_path: Path) -> None:
    store, facts = filled
    path = tmp_path / "out" / "events.csv"
    assert export_events(store, "csv", path) == 4
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 4
    heroin, meth = (r for r in rows if r["event_id"] == "vn-quangtri-1-e1")
    assert (heroin["item_index"], heroin["substance"], heroin["mass_kg"]) == ("0", "heroin", "12.5")
    assert (meth["item_index"], meth["count"], meth["count_unit"]) == ("1", "30000.0", "tablets")
    assert heroin["place"] == "Lao Bảo checkpoint"
    assert heroin["admin1"] == "Quảng Trị"
    assert heroin["outlet"] == "Thanh Niên"
    assert heroin["url"] == facts.document.url
    assert heroin["suspect_nationalities"] == "LA;LA"
    start, end = int(heroin["sentence_start"]), int(heroin["sentence_end"])
    assert facts.document.text[start:end] == heroin["sentence"]
    assert (heroin["lat"], heroin["lon"], heroin["coordinates_source"]) == ("16.6167", "106.5833", "event")
    rosewood = next(r for r in rows if r["event_id"] == "vn-quangtri-1-e2")
    lat, lon = _province_centroid("LA", "Savannakhet")
    assert (float(rosewood["lat"]), float(rosewood["lon"])) == (lat, lon)
    assert rosewood["coordinates_source"] == "province"
    assert rosewood["background"] == "True"


def test_jsonl_has_one_event_per_line_with_nested_items(filled: tuple[Store, Facts], tmp_path: Path) -> None:
    store, facts = filled
    path = tmp_path / "events.jsonl"
    assert export_events(store, "jsonl", path) == 3
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "Quảng Trị" in lines[1] or "Quảng Trị" in lines[0]
    records = {r["event_id"]: r for r in map(json.loads, lines)}
    seizure = records["vn-quangtri-1-e1"]
    assert [i["substance"] for i in seizure["items"]] == ["heroin", "methamphetamine"]
    assert seizure["items"][0]["evidence"][0]["text"] == "12.5 kg of heroin"
    assert seizure["suspect_nationalities"] == ["LA", "LA"]
    for span in seizure["evidence"]:
        assert facts.document.text[span["start"]:span["end"]] == span["text"]
    assert records["nowhere-e2"]["lat"] is None


def test_geojson_leaves_out_and_counts_events_without_coordinates(
        filled: tuple[Store, Facts], tmp_path: Path) -> None:
    store, _ = filled
    path = tmp_path / "events.geojson"
    assert export_events(store, "geojson", path) == 2
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    assert collection["events_without_coordinates"] == 1
    features = {f["id"]: f for f in collection["features"]}
    assert set(features) == {"vn-quangtri-1-e1", "vn-quangtri-1-e2"}
    point = features["vn-quangtri-1-e1"]["geometry"]
    assert point == {"type": "Point", "coordinates": [106.5833, 16.6167]}
    assert features["vn-quangtri-1-e1"]["properties"]["place"] == "Lao Bảo checkpoint"
    lat, lon = _province_centroid("LA", "Savannakhet")
    assert features["vn-quangtri-1-e2"]["geometry"]["coordinates"] == [lon, lat]


def test_parquet_is_typed_and_flat(filled: tuple[Store, Facts], tmp_path: Path) -> None:
    store, facts = filled
    path = tmp_path / "events.parquet"
    assert export_events(store, "parquet", path) == 4
    table = pq.read_table(path)
    assert table.schema.field("mass_kg").type == pa.float64()
    assert table.schema.field("arrests").type == pa.int64()
    rows = table.to_pylist()
    heroin = next(r for r in rows if r["event_id"] == "vn-quangtri-1-e1" and r["item_index"] == 0)
    assert heroin["mass_kg"] == 12.5 and heroin["arrests"] == 2 and heroin["background"] is False
    assert heroin["place"] == "Lao Bảo checkpoint"
    assert heroin["title"] == facts.document.title
    assert heroin["published"] == "2024-03-05"


def test_filter_and_empty_exports(filled: tuple[Store, Facts], tmp_path: Path) -> None:
    store, _ = filled
    assert export_events(store, "csv", tmp_path / "la.csv", EventFilter(country="LA")) == 1
    with (tmp_path / "la.csv").open(encoding="utf-8", newline="") as f:
        assert [r["substance"] for r in csv.DictReader(f)] == ["rosewood"]
    none = EventFilter(country="MM")
    assert export_events(store, "parquet", tmp_path / "none.parquet", none) == 0
    empty = pq.read_table(tmp_path / "none.parquet")
    assert empty.num_rows == 0 and "sentence" in empty.schema.names
    assert export_events(store, "geojson", tmp_path / "none.geojson", none) == 0
    assert json.loads((tmp_path / "none.geojson").read_text())["features"] == []


def test_unknown_format_and_unwritable_path(filled: tuple[Store, Facts], tmp_path: Path) -> None:
    store, _ = filled
    with pytest.raises(InputError) as caught:
        export_events(store, "rdf", tmp_path / "x.rdf")
    assert str(caught.value) == "unknown format 'rdf' (expected: csv, jsonl, geojson, parquet)"
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError, match="cannot write"):
        export_events(store, "csv", blocker / "events.csv")
    assert not list(tmp_path.glob(".*.partial"))


FORMULAS = ("=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd")


def _hostile_store(tmp_path: Path, make_facts: MakeFacts) -> Store:
    facts = make_facts(outlet=FORMULAS[0])
    store = Store.open(f"sqlite:///{tmp_path / 'formula.db'}")
    store.add(dataclasses.replace(facts, document=dataclasses.replace(facts.document, title="=1+2")))
    return store


def test_every_formula_start_is_neutralised() -> None:
    from borderwatch.export import neutralise_cell, safe_csv_row

    assert [neutralise_cell(cell) for cell in FORMULAS] == ["'" + cell for cell in FORMULAS]
    assert safe_csv_row(["plain", -12.5, None, "a=b"]) == ["plain", -12.5, None, "a=b"]


def test_cli_csv_export_neutralises_formulas(tmp_path: Path, make_facts: MakeFacts) -> None:
    from click.testing import CliRunner

    from borderwatch.cli import cli

    _hostile_store(tmp_path, make_facts).close()
    out = tmp_path / "events.csv"
    result = CliRunner().invoke(cli, ["export", "--format", "csv", "-o", str(out),
                                      "--db", str(tmp_path / "formula.db")], catch_exceptions=False)
    assert result.exit_code == 0
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows and {r["outlet"] for r in rows} == {"'" + FORMULAS[0]}
    assert {r["title"] for r in rows} == {"'=1+2"}
    assert all(not value.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for value in r.values())


def test_api_csv_download_neutralises_formulas(tmp_path: Path, make_facts: MakeFacts) -> None:
    from fastapi.testclient import TestClient

    from borderwatch.config import Settings
    from borderwatch.serve import create_app

    _hostile_store(tmp_path, make_facts).close()
    with TestClient(create_app(Settings(db=str(tmp_path / "formula.db")))) as client:
        response = client.get("/api/events.csv")
    rows = list(csv.DictReader(response.text.splitlines()))
    assert rows and {r["outlet"] for r in rows} == {"'" + FORMULAS[0]} and {r["title"] for r in rows} == {"'=1+2"}
