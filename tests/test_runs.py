"""Runs killed mid-way are marked interrupted at the next start and listed by `borderwatch runs`."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from borderwatch.cli import cli
from borderwatch.store import Store

HERE = Path(__file__).parent
CORPUS = HERE.parent / "examples" / "corpus"
BORDERWATCH = [sys.executable, "-c", "from borderwatch.cli import main; main()"]


def _running_run(db: Path) -> bool:
    try:
        with sqlite3.connect(db, timeout=0.1) as conn:
            return conn.execute("SELECT count(*) FROM runs WHERE status = 'running'").fetchone()[0] > 0
    except sqlite3.OperationalError:  # no table yet, or locked by the run's writes
        return False


def test_a_killed_ingest_is_marked_interrupted_and_listed(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    env = {**os.environ, "PYTHONPATH": str(HERE.parent), "BORDERWATCH_QUARANTINE_DIR": str(tmp_path / "q")}
    process = subprocess.Popen([*BORDERWATCH, "ingest", str(CORPUS), "--db", str(db)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not _running_run(db):
        assert process.poll() is None, "the ingest ended before it could be killed"
        assert time.monotonic() < deadline, "the ingest never started its run"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    with Store.open(f"sqlite:///{db}") as store:
        (killed,) = store.runs()
        assert killed["status"] == "interrupted" and killed["finished"] is None
        run_id = store.start_run("test")
        store.finish_run(run_id, {"read": 0, "stored": 0, "rejected": {}})
        assert [run["status"] for run in store.runs()] == ["finished", "interrupted"]

    result = CliRunner().invoke(cli, ["runs", "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0
    lines = [line for line in result.stdout.splitlines() if line.startswith("│")]
    assert len(lines) == 2 and "interrupted" in lines[1] and "ingest" in lines[1]


def test_a_run_still_going_is_not_marked(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'live.db'}") as store:
        run_id = store.start_run("live")
        assert store.mark_interrupted() == 0  # this very process is alive
        assert store.runs()[0]["status"] == "running"
        store.finish_run(run_id, {})
        assert store.runs()[0]["status"] == "finished"
