"""Large archives as a Spark batch job: the pipeline's own stage functions, mapped over partitions.

The executors run what is per file, ``pipeline.extract_file`` (read, extract, check the contract),
with ONE Extractor per partition (spaCy loads once per worker process). Each document's outcome
comes back pickled: linking documents into families and incidents, and the store, need whole
``Facts`` with the document text, which the JSON prediction record leaves out, so rebuilding Facts
from records would take a second serialiser of the model. Everything across documents runs on the
driver inside ``pipeline.run_documents`` (or ``pipeline.ingest``, given a store) itself: quarantine
(the driver listed the inputs and copies rejected ones aside), families, incidents, storing. A batch
therefore writes the records ``borderwatch extract`` writes and stores what ``borderwatch ingest`` does.
"""

from __future__ import annotations

import json
import math
import os
import pickle
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from borderwatch.config import Settings
from borderwatch.errors import BorderwatchError
from borderwatch.extract import Extractor
from borderwatch.model import Facts, Rejection
from borderwatch.pipeline import Outcome, RunSummary, extract_file, ingest, run_documents
from borderwatch.records import prediction_record
from borderwatch.store.repo import Store

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

PYSPARK_PIN = "pyspark==4.3.0"
FILES_PER_PARTITION = 50  # small enough to retry and to show progress, large enough to amortise spaCy
SPLIT_BYTES = 16 * 1024 * 1024
"""A WARC or feed file larger than this is cut into slices of about this size, one task each:
an archive at record offsets (``record_offsets``), a feed by entry number."""
PREDICTIONS_SCHEMA = pa.schema([("id", pa.string()), ("source", pa.string()), ("events", pa.int32()),
                                ("aggregates", pa.int32()), ("quotes", pa.int32()), ("flows", pa.int32()),
                                ("record", pa.string())])
REJECTIONS_SCHEMA = pa.schema([("source", pa.string()), ("stage", pa.string()), ("reason", pa.string()),
                               ("message", pa.string()), ("quarantined", pa.string())])
_LOCAL_CONF = {"spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1",
               "spark.ui.enabled": "false"}


@dataclass
class BatchSummary:
    """A batch run: the pipeline's own counts, where the outputs went, how Spark ran it."""

    run: RunSummary
    outputs: dict[str, Path]
    master: str
    partitions: int
    seconds: float
    slices: int = 0
    """Units of work: files, and slices of the large ones."""


def start_session(master: str | None = None, progress: bool = False,
                  conf: Mapping[str, str] | None = None) -> SparkSession:
    """A Spark session; a local one binds to 127.0.0.1, has no web UI and runs this Python.

    ``master`` None means spark-submit's when it launched us, else ``local[*]``.
    """
    try:
        from pyspark.errors import PySparkException
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise BorderwatchError(f"pyspark is not installed: install it with "
                               f"pip install 'borderwatch[spark]' ({PYSPARK_PIN})") from exc
    from py4j.protocol import Py4JError

    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # spark-submit started the JVM: its settings rule
    if not submitted and _java() is None:
        raise BorderwatchError("Java not found (no java on PATH, JAVA_HOME unset): install Java 17 or newer, "
                               "e.g. apt-get install openjdk-17-jre-headless")
    builder = SparkSession.builder.appName("borderwatch batch")
    if master or not submitted:
        master = master or "local[*]"
        builder = builder.master(master)
    if master and master.startswith("local"):
        # Read when the JVM and the Python workers start: loopback only, and this Python (with borderwatch).
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        for key, value in _LOCAL_CONF.items():
            builder = builder.config(key, value)
    builder = builder.config("spark.ui.showConsoleProgress", "true" if progress else "false")
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    try:
        return builder.getOrCreate()
    except (PySparkException, Py4JError) as exc:
        raise BorderwatchError(f"cannot start Spark (master {master or 'from spark-submit'}): "
                               f"{_cause(exc)} (Spark 4 needs Java 17 or newer)") from exc


def run_batch(paths: Sequence[Path], settings: Settings, output_dir: Path,
              spark: SparkSession | None = None, master: str | None = None, partitions: int | None = None,
              store: Store | None = None,
              on_rejection: Callable[[Rejection, str | None], None] | None = None,
              split_bytes: int = SPLIT_BYTES) -> BatchSummary:
    """Extract ``paths`` on Spark; link, store (given ``store``) and write the outputs on the driver.

    Writes ``predictions.jsonl`` (as ``borderwatch extract``), ``predictions.parquet`` (one row per
    document, its record as JSON), ``rejections.jsonl`` and ``rejections.parquet`` in ``output_dir``.
    Without ``spark`` a session is started for ``master`` (see ``start_session``) and stopped after.
    WARC and feed files over ``split_bytes`` are read and extracted as several tasks (``_units``).
    """
    started = time.monotonic()
    predictions: list[dict[str, Any]] = []
    rejections: list[dict[str, Any]] = []

    def keep(facts: Facts) -> bool:
        predictions.append(_prediction_row(facts))
        return True

    def set_aside(rejection: Rejection, where: str | None) -> None:
        rejections.append({"source": rejection.source, "stage": rejection.stage, "reason": rejection.reason,
                           "message": rejection.message, "quarantined": where})
        if on_rejection:
            on_rejection(rejection, where)

    with _session(spark, master) as session:
        extraction = _SparkExtraction(session, settings, partitions, split_bytes)
        if store is None:
            summary = run_documents(paths, settings, keep, set_aside, extract_files=extraction)
        else:
            summary = ingest(paths, store, settings, " ".join(["batch", *map(str, paths)]),
                             on_rejection=set_aside, extract_files=extraction, on_facts=keep)
        used = str(session.sparkContext.master)
    outputs = _write_outputs(output_dir, predictions, rejections)
    return BatchSummary(run=summary, outputs=outputs, master=used, partitions=extraction.partitions,
                        seconds=time.monotonic() - started, slices=extraction.units)


Part = tuple[int, int | None] | None
Unit = tuple[int, int, str, Part, int]
"""One task's share of one file: file index, slice index, path, the slice (None: all of it), bytes."""


class _SparkExtraction:
    """``pipeline.ExtractFiles`` on Spark: files (and slices of large ones) spread over partitions by
    size, outcomes in input order."""

    def __init__(self, spark: SparkSession, settings: Settings, partitions: int | None,
                 split_bytes: int = SPLIT_BYTES) -> None:
        self.spark = spark
        self.shipped = replace(settings, db="")  # executors need no database, nor any password in its URL
        self.requested = partitions
        self.split_bytes = split_bytes
        self.partitions = 0
        self.units = 0

    def __call__(self, files: list[Path], known: Callable[[str], bool] | None) -> Iterator[tuple[Path, Outcome]]:
        """Every document's outcome; ``known`` is asked here, as executors cannot reach the store."""
        if not files:
            return
        from py4j.protocol import Py4JError
        from pyspark.errors import PySparkException

        context = self.spark.sparkContext
        units = _units(files, self.split_bytes, self.shipped)
        self.units = len(units)
        buckets = _spread(units, self.requested or _default_partitions(len(units), context.defaultParallelism))
        self.partitions = len(buckets)
        context.setJobDescription(f"borderwatch: read and extract {len(files)} files ({len(units)} slices)")
        try:
            rows = (context.parallelize(buckets, len(buckets))
                    .mapPartitions(partial(_extract_partition, self.shipped)).collect())
        except (PySparkException, Py4JError) as exc:
            raise BorderwatchError(f"the Spark job failed: {_cause(exc)}") from exc
        rows.sort(key=lambda row: (row[0], row[1], row[2]), reverse=True)
        while rows:  # popped one by one, so each pickle is freed once its Facts exist
            index, _, _, blob = rows.pop()
            outcome: Outcome = pickle.loads(blob)
            if known is not None and isinstance(outcome, Facts) and known(outcome.document.content_hash):
                outcome = outcome.document
            yield files[index], outcome


def _units(files: list[Path], split_bytes: int, settings: Settings) -> list[Unit]:
    """Each file as one unit, except WARC and feed files over ``split_bytes``: an archive cut at
    the first record offsets past every ``split_bytes``, a feed into runs of entries of about
    that size. Slices keep the record ids and entry ids of the whole file, so the outcomes, put
    back in order, are those of reading the file in one piece."""
    from borderwatch.ingest import _suffix
    from borderwatch.ingest.rss import FEED_SUFFIXES, entry_count
    from borderwatch.ingest.warc import WARC_SUFFIXES, record_offsets

    units: list[Unit] = []
    for index, path in enumerate(files):
        size = _size(path)
        pieces = math.ceil(size / split_bytes) if split_bytes > 0 else 1
        suffix = _suffix(path)
        slices: list[tuple[Part, int]] = []
        if pieces >= 2 and suffix in WARC_SUFFIXES:
            offsets = record_offsets(path)
            cuts = sorted({next((o for o in offsets if o >= k * size / pieces), 0) for k in range(1, pieces)} - {0})
            starts, stops = [0, *cuts], [*cuts, None]
            slices = [((a, b), (b or size) - a) for a, b in zip(starts, stops, strict=True)]
        elif pieces >= 2 and suffix in FEED_SUFFIXES:
            entries = entry_count(path, settings)
            per = math.ceil(entries / pieces) if entries else 0
            if per and entries > per:
                slices = [((first, first + per if first + per <= entries else None), size // pieces)
                          for first in range(1, entries + 1, per)]
        if len(slices) < 2:
            slices = [(None, size)]
        units.extend((index, n, str(path), part, weight) for n, (part, weight) in enumerate(slices))
    return units


def _extract_partition(settings: Settings, buckets: Iterable[list[Unit]]) -> Iterator[tuple[int, int, int, bytes]]:
    """One partition, on an executor: ONE Extractor, then every file (or slice) through ``extract_file``.

    Each outcome comes back pickled with its place (file index, slice, position in the slice). A
    Python error escaping one file becomes that file's Rejection: it must not fail the task, and the job.
    """
    extractor = Extractor(settings)
    for bucket in buckets:
        for index, piece, name, part, _ in bucket:
            position = 0
            try:
                for outcome in extract_file(Path(name), settings, extractor, part=part):
                    yield index, piece, position, pickle.dumps(outcome)
                    position += 1
            except Exception as exc:  # noqa: BLE001 (kept as a Rejection, with its message)
                failure = Rejection(source=name, stage="ingest", reason="internal-error",
                                    message=f"reading {Path(name).name} failed ({type(exc).__name__}: {exc}); "
                                            f"please report it")
                yield index, piece, position, pickle.dumps(failure)


def _default_partitions(files: int, parallelism: int) -> int:
    """Two tasks per core at least, and about FILES_PER_PARTITION files per task on big archives."""
    return max(2 * parallelism, math.ceil(files / FILES_PER_PARTITION))


def _spread(units: list[Unit], partitions: int) -> list[list[Unit]]:
    """The units dealt over partitions, largest first to the lightest, so cores finish together."""
    count = max(1, min(partitions, len(units)))
    buckets: list[list[Unit]] = [[] for _ in range(count)]
    loads = [0] * count
    for unit in sorted(units, key=lambda u: -u[4]):
        lightest = loads.index(min(loads))
        buckets[lightest].append(unit)
        loads[lightest] += unit[4]
    return buckets


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # unreadable: the executor's read rejects it with the reason
        return 0


def _prediction_row(facts: Facts) -> dict[str, Any]:
    """One document's row: its prediction record as ``borderwatch extract`` writes it, and counts."""
    record = prediction_record(facts)
    return {"id": record["id"], "source": facts.document.source, "events": len(facts.events),
            "aggregates": len(facts.aggregates), "quotes": len(facts.quotes), "flows": len(facts.flows),
            "record": json.dumps(record, ensure_ascii=False)}


def _write_outputs(output_dir: Path, predictions: list[dict[str, Any]],
                   rejections: list[dict[str, Any]]) -> dict[str, Path]:
    """Predictions and rejections as JSONL and Parquet files; returns them by name."""
    output_dir.mkdir(parents=True, exist_ok=True)
    outputs = {name: output_dir / name for name in ("predictions.jsonl", "predictions.parquet",
                                                    "rejections.jsonl", "rejections.parquet")}
    outputs["predictions.jsonl"].write_text("".join(row["record"] + "\n" for row in predictions),
                                            encoding="utf-8")
    pq.write_table(pa.Table.from_pylist(predictions, schema=PREDICTIONS_SCHEMA), outputs["predictions.parquet"])
    outputs["rejections.jsonl"].write_text(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rejections), encoding="utf-8")
    pq.write_table(pa.Table.from_pylist(rejections, schema=REJECTIONS_SCHEMA), outputs["rejections.parquet"])
    return outputs


@contextmanager
def _session(spark: SparkSession | None, master: str | None) -> Iterator[SparkSession]:
    """The given session, or one started for this batch (with Spark's progress bar) and stopped after."""
    if spark is not None:
        yield spark
        return
    existing = _active_session()
    session = start_session(master, progress=True)
    try:
        yield session
    finally:
        if existing is None:  # a session somebody else started (a notebook, a test) stays theirs
            session.stop()


def _active_session() -> SparkSession | None:
    try:
        from pyspark.sql import SparkSession
    except ImportError:  # start_session says what to install
        return None
    return SparkSession.getActiveSession()


def _java() -> str | None:
    """The java that Spark's launcher will run: JAVA_HOME's, else the one on PATH."""
    home = os.environ.get("JAVA_HOME")
    if home:
        java = Path(home, "bin", "java")
        return str(java) if java.is_file() else None
    return shutil.which("java")


def _cause(exc: BaseException) -> str:
    """The line that says what went wrong: a Python worker's own error, not the Java stack around it."""
    text = str(exc)
    marker = "Traceback (most recent call last):"
    if marker in text:
        after = text[text.rindex(marker) + len(marker):].splitlines()
        reason = next((line for line in after if line.strip() and not line[0].isspace()), None)
        if reason:
            return reason.strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # py4j puts the Java exception on a line of its own: ": org.apache.spark.SparkException: ..."
    java = next((line[1:].strip() for line in lines if line.startswith(": ")), None)
    return java or (lines[0] if lines else type(exc).__name__)
