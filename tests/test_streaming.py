"""Streaming ingest: documents stored a batch at a time, a killed run keeps its batches, a rerun resumes."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from borderwatch.config import Settings
from borderwatch.pipeline import ingest
from borderwatch.store import Store

HERE = Path(__file__).parent
CORPUS = HERE.parent / "examples" / "corpus"
BORDERWATCH = [sys.executable, "-c", "from borderwatch.cli import main; main()"]
PLACES = ["Stung Treng", "Ratanakiri", "Mondulkiri", "Kratie", "Preah Vihear", "Koh Kong"]
OUTLETS = ["Mekong Daily", "Border Desk", "River Times"]


def _reports(folder: Path, n: int = 60) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        place, outlet = PLACES[i % len(PLACES)], OUTLETS[i % len(OUTLETS)]
        day = 1 + i % 27
        text = (f"Police seize {10 + i} kg of methamphetamine in {place}\n"
                f"{outlet} | {day} March 2024\n\n"
                f"Police in {place} province seized {10 + i} kilograms of methamphetamine and "
                f"{100 + 7 * i} yaba pills from a truck near the border on {day} March 2024, "
                f"provincial police chief Sok Dara said. Two suspects, report number {i}, were arrested.\n")
        path = folder / f"report-{i:03d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=0.1) as conn:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:  # no table yet, or locked by the run's writes
        return 0


def test_a_killed_ingest_keeps_its_batches_and_a_rerun_stores_each_report_once(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    _reports(reports)
    db = tmp_path / "stream.db"
    env = {**os.environ, "PYTHONPATH": str(HERE.parent), "BORDERWATCH_QUARANTINE_DIR": str(tmp_path / "q"),
           "BORDERWATCH_STORE_BATCH_DOCUMENTS": "5"}
    command = [*BORDERWATCH, "ingest", str(reports), "--db", str(db)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _stored(db) == 0:
        assert process.poll() is None, "the ingest ended before it stored a batch"
        assert time.monotonic() < deadline, "the ingest never stored a batch"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    kept = _stored(db)
    assert 0 < kept < 60, kept
    assert kept % 5 == 0  # whole batches only: a batch is one transaction

    finished = subprocess.run(command, check=False, env=env, capture_output=True, timeout=300)
    assert finished.returncode == 0, finished.stderr.decode()
    with sqlite3.connect(db) as conn:
        hashes = [row[0] for row in conn.execute("SELECT content_hash FROM documents")]
        sources = sorted(row[0] for row in conn.execute("SELECT source FROM documents"))
        (summary,) = conn.execute("SELECT summary FROM runs WHERE status = 'finished'").fetchone()
    assert len(hashes) == len(set(hashes)) == 60
    assert [Path(s).name for s in sources] == [f"report-{i:03d}.txt" for i in range(60)]
    summary = json.loads(summary)
    # The rerun extracted only what the killed run had not stored.
    assert summary["read"] == 60 and summary["already_stored"] >= kept
    assert summary["stored"] == 60 - summary["already_stored"]


def _groups(store: Store) -> tuple[set[frozenset[str]], set[frozenset[str]]]:
    incidents: dict[str, set[str]] = defaultdict(set)
    for event in store.seizure_events():
        incidents[event.incident or ""].add(f"{event.doc_id}#{event.id}")
    families: dict[str, set[str]] = defaultdict(set)
    for doc in store.all_documents():
        families[doc.family or doc.id].add(doc.id)
    return ({frozenset(g) for g in incidents.values()}, {frozenset(g) for g in families.values()})


def test_batches_link_against_what_is_stored_as_one_run_does(tmp_path: Path) -> None:
    """Incidents and families come out the same whether the corpus is stored in one batch, one
    document at a time, or over two runs (the second linking against the first's)."""
    original = CORPUS / "2018-05-03_hcmc-pangolin-vietnamplus.txt"
    repost = tmp_path / "zz-repost.txt"  # after its original in input order, so in a later batch
    repost.write_text(original.read_text(encoding="utf-8") + "\nShared from VietnamPlus.\n", encoding="utf-8")
    files = [*sorted(CORPUS.iterdir()), repost]
    whole = Settings(quarantine_dir=str(tmp_path / "q"), store_batch_documents=10_000, store_batch_seconds=0)
    single = Settings(quarantine_dir=str(tmp_path / "q"), store_batch_documents=1, store_batch_seconds=0)
    with Store.open(f"sqlite:///{tmp_path / 'whole.db'}") as store:
        ingest(files, store, whole, "whole")
        expected = _groups(store)
    with Store.open(f"sqlite:///{tmp_path / 'single.db'}") as store:
        summary = ingest(files, store, single, "single")
        assert summary.stored == store.counts()["documents"]
        assert _groups(store) == expected
    with Store.open(f"sqlite:///{tmp_path / 'two.db'}") as store:
        ingest(files[::2], store, single, "first half")
        ingest(files, store, single, "the rest")
        assert _groups(store) == expected
    assert any(len(g) > 1 for g in expected[0]), "the corpus should link some reports into one incident"
    assert any(len(g) > 1 for g in expected[1]), "the corpus should have a repost family"
