"""The Spark batch beside the single-process pipeline: same records, same rejections, same store."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from pyspark.sql import SparkSession

from borderwatch.batch import BatchSummary, run_batch
from borderwatch.config import Settings
from borderwatch.errors import BorderwatchError
from borderwatch.ingest import SUFFIXES
from borderwatch.model import Facts
from borderwatch.pipeline import RunSummary, ingest, run_documents
from borderwatch.records import prediction_record
from borderwatch.store.repo import Store

pytestmark = pytest.mark.spark

DEV = Path(__file__).parents[2].parent / "shared" / "eval" / "dev"
SCORE = DEV.parent / "score.py"
FIXTURES = Path(__file__).parents[1] / "fixtures"
CORPUS = Path(__file__).parents[2] / "examples" / "corpus"
BAD = ("empty.txt", "photo-saved-as.txt", "nul-bytes.txt", "report.pdf")
# Files holding many documents, one of them cut off: outcomes must come back in order, each on its own.
CONTAINERS = (FIXTURES / "crawl.warc.gz", FIXTURES / "mekong-wire.xml", FIXTURES / "truncated.warc.gz")
# Two outlets' reports of one haul: one incident.
HAUL = (CORPUS / "2024-11-14_stungtreng-meth-laotiantimes.txt", CORPUS / "2024-11-16_stungtreng-meth-ann.txt")


@dataclass
class Runs:
    """The same inputs through the pipeline and through the batch."""

    pipeline: RunSummary
    pipeline_records: list[dict[str, Any]]
    batch: BatchSummary
    out: Path


def _bad_inputs(folder: Path) -> Path:
    """Bad files among good ones, and a one-paragraph report over the character budget."""
    folder.mkdir()
    for name in BAD:
        shutil.copyfile(FIXTURES / name, folder / name)
    sentence = "Police in Champasak seized 12 kilograms of methamphetamine at the border on Monday. "
    length = Settings().max_document_chars + len(sentence)
    (folder / "long-report.txt").write_text(sentence * (length // len(sentence) + 1), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def runs(spark: SparkSession, tmp_path_factory: pytest.TempPathFactory) -> Runs:
    if not DEV.exists():
        pytest.skip(f"dev set not found at {DEV} (a user's own clone has no ../shared; CI has it)")
    root = tmp_path_factory.mktemp("batch")
    bad = _bad_inputs(root / "bad")
    records: list[dict[str, Any]] = []

    def keep(facts: Facts) -> bool:
        records.append(prediction_record(facts))
        return True

    inputs = [DEV, bad, *CONTAINERS]
    pipeline = run_documents(inputs, Settings(quarantine_dir=str(root / "q-pipeline")), keep)
    batch = run_batch(inputs, Settings(quarantine_dir=str(root / "q-batch")), root / "out", spark=spark)
    return Runs(pipeline=pipeline, pipeline_records=records, batch=batch, out=root / "out")


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_session_stays_on_loopback_without_a_web_ui(spark: SparkSession) -> None:
    conf = spark.sparkContext.getConf()
    assert spark.sparkContext.master == "local[2]"
    assert conf.get("spark.driver.host") == conf.get("spark.driver.bindAddress") == "127.0.0.1"
    assert conf.get("spark.ui.enabled") == "false"


def test_the_batch_writes_exactly_the_pipeline_records(runs: Runs) -> None:
    batch_records = _jsonl(runs.out / "predictions.jsonl")
    assert batch_records == json.loads(json.dumps(runs.pipeline_records))
    reports = [p.stem for p in sorted(DEV.iterdir()) if p.suffix.lower() in SUFFIXES]
    assert [r["id"] for r in batch_records[:len(reports)]] == reports   # every report once, in input order
    assert len(batch_records) - len(reports) > len(CONTAINERS)          # several documents per container
    seizures = [e for r in batch_records for e in r["events"] if e["type"] == "seizure"]
    assert seizures and all(e["incident"] for e in seizures)     # incidents linked on the driver
    assert runs.batch.partitions >= 2 and runs.batch.master == "local[2]"
    assert runs.batch.run.as_dict() == runs.pipeline.as_dict()


def test_the_parquet_rows_hold_the_same_records(runs: Runs) -> None:
    rows = pq.read_table(runs.out / "predictions.parquet").to_pylist()
    lines = (runs.out / "predictions.jsonl").read_text(encoding="utf-8").splitlines()
    assert [row["record"] for row in rows] == lines
    for row in rows:
        record = json.loads(row["record"])
        assert row["id"] == record["id"] and Path(row["source"].partition("#")[0]).is_file()
        assert row["events"] + row["aggregates"] == len(record["events"])
        assert (row["quotes"], row["flows"]) == (len(record["quotes"]), len(record["flows"]))


def test_the_jsonl_scores_as_the_pipeline_output_does(runs: Runs, tmp_path: Path) -> None:
    reference = tmp_path / "pipeline.jsonl"
    reference.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in runs.pipeline_records),
                         encoding="utf-8")

    def scores(predictions: Path) -> Any:
        done = subprocess.run([sys.executable, str(SCORE), str(DEV), str(predictions), "--json"],
                              capture_output=True, text=True, check=True, timeout=120)
        return json.loads(done.stdout)

    assert scores(runs.out / "predictions.jsonl") == scores(reference)


def test_bad_files_are_rejection_rows_quarantined_and_the_job_goes_on(runs: Runs) -> None:
    rows = pq.read_table(runs.out / "rejections.parquet").to_pylist()
    assert rows == _jsonl(runs.out / "rejections.jsonl")
    reasons = {Path(row["source"]).name: row["reason"] for row in rows}
    assert {name: reasons.get(name) for name in [*BAD, "long-report.txt"]} == {
        "empty.txt": "empty", "photo-saved-as.txt": "binary", "nul-bytes.txt": "binary",
        "report.pdf": "unsupported-type", "long-report.txt": "too-long"}
    for row in rows:   # the original bytes, kept by the driver: a whole file, or one record of a container
        if Path(row["source"]).is_file():
            assert Path(row["quarantined"]).read_bytes() == Path(row["source"]).read_bytes()
        kept_by_pipeline = runs.pipeline.quarantined[row["source"]]
        assert Path(row["quarantined"]).read_bytes() == Path(kept_by_pipeline).read_bytes()
    assert [(r.source, r.reason) for r in runs.pipeline.rejections] == [(r["source"], r["reason"]) for r in rows]
    assert runs.batch.run.rejected == runs.pipeline.rejected


def test_a_report_over_the_budget_is_a_rejection_row_not_a_failed_task(runs: Runs) -> None:
    rows = {Path(r["source"]).name: r for r in _jsonl(runs.out / "rejections.jsonl")}
    failed = rows["long-report.txt"]
    assert (failed["stage"], failed["reason"]) == ("extract", "too-long")
    assert "max_document_chars" in failed["message"]
    assert "long-report" not in {r["id"] for r in _jsonl(runs.out / "predictions.jsonl")}


def _store(path: Path) -> Store:
    return Store.open(f"sqlite:///{path}")


def test_db_stores_what_ingest_stores(spark: SparkSession, tmp_path: Path) -> None:
    repost = tmp_path / "blog-repost.txt"   # a blog copy of the first report: one family
    repost.write_text("Saturday, 16 November 2024\n\nReposted from the Laotian Times\n\n"
                      + HAUL[0].read_text(encoding="utf-8"), encoding="utf-8")
    files = [*HAUL, repost, FIXTURES / "empty.txt"]
    with _store(tmp_path / "ingest.db") as reference, _store(tmp_path / "batch.db") as stored:
        ingest(files, reference, Settings(quarantine_dir=str(tmp_path / "q1")), "ingest")
        first = run_batch(files, Settings(quarantine_dir=str(tmp_path / "q2")), tmp_path / "out",
                          spark=spark, store=stored)
        assert first.run.stored == 3 and first.run.rejected == {"empty": 1}
        assert stored.counts() == reference.counts()
        assert sorted(stored.all_documents(), key=lambda d: d.id) == sorted(reference.all_documents(),
                                                                               key=lambda d: d.id)
        events = sorted(stored.seizure_events(), key=lambda e: (e.doc_id, e.id))
        assert events == sorted(reference.seizure_events(), key=lambda e: (e.doc_id, e.id))
        incidents = {e.doc_id: e.incident for e in events if e.doc_id in {p.stem for p in HAUL}}
        assert len(incidents) == 2 and len(set(incidents.values())) == 1    # linked across documents
        copy = stored.document("blog-repost")
        assert copy is not None and copy.family == HAUL[0].stem and first.run.reposts == 1
        assert [(r.source, r.reason) for r in stored.rejections()] == [
            (r.source, r.reason) for r in reference.rejections()]
        assert [r["id"] for r in _jsonl(tmp_path / "out" / "predictions.jsonl")] == [p.stem for p in files[:3]]

        again = run_batch(files, Settings(quarantine_dir=str(tmp_path / "q2")), tmp_path / "out2",
                          spark=spark, store=stored)
        assert (again.run.stored, again.run.already_stored) == (0, 3)
        assert stored.counts()["documents"] == reference.counts()["documents"]


def test_a_fatal_error_on_the_executors_is_one_clear_error(spark: SparkSession, tmp_path: Path) -> None:
    settings = Settings(spacy_model="no-such-model", quarantine_dir=str(tmp_path / "q"))
    with pytest.raises(BorderwatchError) as failure:
        run_batch([HAUL[0]], settings, tmp_path / "out", spark=spark)
    message = str(failure.value)
    assert message.startswith("the Spark job failed: ") and "cannot load spaCy model 'no-such-model'" in message
    assert "\n" not in message
