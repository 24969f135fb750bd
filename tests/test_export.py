"""Exports read back as analysts read them (csv, json, pyarrow, pandas, geopandas, DuckDB): one row per
seizure, typed columns, quantities per substance, honest coordinates."""

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


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_events_csv_has_one_row_per_event_with_evidence(filled: tuple[Store, Facts], tmp_path: Path) -> None:
    store, facts = filled
    path = tmp_path / "out" / "events.csv"
    assert export_events(store, "csv", path) == 3
    rows = {r["event_id"]: r for r in _read_csv(path)}
    seizure = rows["vn-quangtri-1-e1"]
    assert (seizure["heroin_kg"], seizure["methamphetamine_count"]) == ("12.5", "30000.0")
    assert seizure["substances"] == "heroin|methamphetamine"
    assert seizure["place"] == "Lao Bảo checkpoint" and seizure["admin1"] == "Quảng Trị"
    assert (seizure["country"], seizure["iso3"], seizure["country_name"]) == ("VN", "VNM", "Vietnam")
    assert seizure["date"] == "2024-03-05" and seizure["year"] == "2024" and seizure["date_precision"] == "day"
    assert seizure["outlet"] == "Thanh Niên" and seizure["url"] == facts.document.url
    assert seizure["suspect_nationalities"] == "LA"
    assert seizure["arrests"] == "2"                                   # an integer, not "2.0"
    start, end = int(seizure["sentence_start"]), int(seizure["sentence_end"])
    assert facts.document.text[start:end] == seizure["sentence"]
    assert (seizure["lat"], seizure["lon"], seizure["geo_precision_label"]) == ("16.6167", "106.5833", "place")
    rosewood = rows["vn-quangtri-1-e2"]
    lat, lon = _province_centroid("LA", "Savannakhet")
    assert (float(rosewood["lat"]), float(rosewood["lon"])) == (lat, lon)
    assert (rosewood["geo_precision"], rosewood["geo_precision_label"]) == ("3", "admin1-centroid")
    assert rosewood["background"] == "True"


def test_items_table_has_one_row_per_substance(filled: tuple[Store, Facts], tmp_path: Path) -> None:
    store, _ = filled
    assert export_events(store, "csv", tmp_path / "items.csv", table="items") == 4
    rows = [r for r in _read_csv(tmp_path / "items.csv") if r["event_id"] == "vn-quangtri-1-e1"]
    assert [(r["item_index"], r["substance"], r["mass_kg"] or r["count"]) for r in rows] == [
        ("0", "heroin", "12.5"), ("1", "methamphetamine", "30000.0")]
    with pytest.raises(InputError, match="the items table has no GeoJSON form"):
        export_events(store, "geojson", tmp_path / "items.geojson", table="items")


def test_one_seizure_in_two_reports_is_one_events_row(tmp_path: Path, make_facts: MakeFacts) -> None:
    """Summing arrests over the events table counts each real-world seizure once."""
    store = Store.open(f"sqlite:///{tmp_path / 'twice.db'}")
    first = make_facts()
    second = make_facts(doc_id="repost", text=first.document.text + "\n")
    incident = "inc-same"
    store.add(dataclasses.replace(first, events=[dataclasses.replace(e, incident=incident if n == 0 else e.incident)
                                                 for n, e in enumerate(first.events)]))
    store.add(dataclasses.replace(second, events=[dataclasses.replace(second.events[0], incident=incident)]))
    export_events(store, "parquet", tmp_path / "events.parquet")
    export_events(store, "parquet", tmp_path / "incidents.parquet", table="incidents")
    export_events(store, "parquet", tmp_path / "all.parquet", all_reports=True)
    events = pq.read_table(tmp_path / "events.parquet").to_pylist()
    incidents = pq.read_table(tmp_path / "incidents.parquet").to_pylist()
    every = pq.read_table(tmp_path / "all.parquet").to_pylist()
    assert len(every) == len(events) + 1
    assert sum(r["representative"] for r in every) == len(events)
    assert len({r["incident"] for r in events}) == len(events)
    assert sum(r["arrests"] or 0 for r in events) == sum(r["arrests"] or 0 for r in incidents)
    same = next(r for r in incidents if r["incident"] == incident)
    assert same["reports"] == 2 and len(same["event_ids"]) == 2
    store.close()


def test_parquet_is_typed_for_pandas_geopandas_and_duckdb(filled: tuple[Store, Facts], tmp_path: Path) -> None:
    import datetime

    import duckdb
    import geopandas
    import pandas

    store, facts = filled
    path = tmp_path / "events.parquet"
    assert export_events(store, "parquet", path) == 3
    table = pq.read_table(path)
    assert table.schema.field("date").type == pa.date32()
    assert table.schema.field("arrests").type == pa.int64()
    assert table.schema.field("heroin_kg").type == pa.float64()
    assert table.schema.field("suspect_nationalities").type == pa.list_(pa.string())
    frame = pandas.read_parquet(path, dtype_backend="pyarrow")
    seizure = frame[frame["event_id"] == "vn-quangtri-1-e1"].iloc[0]
    assert seizure["date"] == datetime.date(2024, 3, 5) and seizure["arrests"] == 2
    assert list(seizure["suspect_nationalities"]) == ["LA"]
    assert seizure["title"] == facts.document.title and seizure["published"] == "2024-03-05"
    points = geopandas.read_parquet(path)
    assert str(points.crs) == "OGC:CRS84"
    placed = points[points["event_id"] == "vn-quangtri-1-e1"].geometry.iloc[0]
    assert (placed.x, placed.y) == (106.5833, 16.6167)
    total, = duckdb.sql(f"select sum(heroin_kg) from '{path}' where country = 'VN'").fetchone()
    assert total == 12.5
    assert duckdb.sql(f"select typeof(date) from '{path}' limit 1").fetchone() == ("DATE",)


def test_geojson_has_flat_properties_and_counts_the_unplaced(filled: tuple[Store, Facts], tmp_path: Path) -> None:
    store, _ = filled
    path = tmp_path / "events.geojson"
    assert export_events(store, "geojson", path) == 2
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection" and collection["rows_without_coordinates"] == 1
    features = {f["id"]: f for f in collection["features"]}
    assert features["vn-quangtri-1-e1"]["geometry"] == {"type": "Point", "coordinates": [106.5833, 16.6167]}
    properties = features["vn-quangtri-1-e1"]["properties"]
    assert all(not isinstance(v, (list, dict)) for v in properties.values())
    assert properties["substances"] == "heroin|methamphetamine" and properties["heroin_kg"] == 12.5


def test_filters_and_empty_exports(filled: tuple[Store, Facts], tmp_path: Path) -> None:
    store, _ = filled
    assert export_events(store, "csv", tmp_path / "la.csv", EventFilter(country="LA")) == 1
    assert [r["substances"] for r in _read_csv(tmp_path / "la.csv")] == ["rosewood"]
    assert export_events(store, "csv", tmp_path / "t.csv", EventFilter(commodity="timber")) == 2
    none = EventFilter(country="MM")
    assert export_events(store, "parquet", tmp_path / "none.parquet", none) == 0
    empty = pq.read_table(tmp_path / "none.parquet")
    assert empty.num_rows == 0 and "sentence" in empty.schema.names
    assert export_events(store, "geojson", tmp_path / "none.geojson", none) == 0
    assert json.loads((tmp_path / "none.geojson").read_text())["features"] == []


def test_csv_cells_cannot_run_as_formulas(tmp_path: Path, make_facts: MakeFacts) -> None:
    facts = make_facts()
    hostile = dataclasses.replace(facts, document=dataclasses.replace(
        facts.document, outlet="=HYPERLINK(\"http://x\")", title="+1-2"))
    store = Store.open(f"sqlite:///{tmp_path / 'h.db'}")
    store.add(hostile)
    export_events(store, "csv", tmp_path / "h.csv")
    row = _read_csv(tmp_path / "h.csv")[0]
    assert row["outlet"] == "'=HYPERLINK(\"http://x\")" and row["title"] == "'+1-2"
    store.close()


def test_unknown_format_table_and_unwritable_path(filled: tuple[Store, Facts], tmp_path: Path) -> None:
    store, _ = filled
    with pytest.raises(InputError) as caught:
        export_events(store, "rdf", tmp_path / "x.rdf")
    assert str(caught.value) == "unknown format 'rdf' (expected: csv, jsonl, geojson, parquet)"
    with pytest.raises(InputError, match=r"unknown table 'rows' \(expected: events, items, incidents\)"):
        export_events(store, "csv", tmp_path / "x.csv", table="rows")
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


def test_cli_export_text_searches_the_reports(filled: tuple[Store, Facts], tmp_path: Path) -> None:
    from click.testing import CliRunner

    from borderwatch.cli import cli

    def exported(*words: str) -> list[str]:
        out = tmp_path / "q.csv"
        result = CliRunner().invoke(cli, ["export", "--format", "csv", "-o", str(out), "--db",
                                          str(tmp_path / "bw.db"), "--text", " ".join(words)],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return sorted(r["event_id"] for r in _read_csv(out))

    # "DALAT" and "Colonel" are words of the reports' text, in no event's own fields.
    assert exported("Dalat") == ["nowhere-e2"]
    assert exported("hanoi", "colonel") == ["vn-quangtri-1-e1", "vn-quangtri-1-e2"]
    assert exported("hanoi", "dalat") == []


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
