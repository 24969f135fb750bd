"""`borderwatch db upgrade` killed with SIGKILL at random moments leaves a database a rerun finishes.

A template database holds stored reports and is taken down to revision 0001; each round copies it,
starts a real upgrade in a subprocess, kills it somewhere between its first write and its end,
and checks what the kill left: the revision it started from or head, never a half-made schema.
"""

from __future__ import annotations

import math
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from borderwatch.model import Facts
from borderwatch.store import EventFilter, Store
from borderwatch.store.migrations import alembic_config, downgrade_schema

REPO = Path(__file__).resolve().parents[2]
KILLS = 10
START = "0001"
REPORTS = 60
UPGRADE = [sys.executable, "-c", "from borderwatch.cli import main; main()", "db", "upgrade", "--db"]


def _head() -> str:
    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn:
        head = ScriptDirectory.from_config(alembic_config(conn)).get_current_head()
    assert head is not None
    return head


def _revision(path: Path) -> str | None:
    """The revision recorded in ``path`` (opening it rolls back a killed transaction's journal)."""
    with sqlite3.connect(path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "alembic_version" not in tables:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def _run_upgrade(path: Path, kill_after_s: float | None, env: dict[str, str]) -> tuple[int, float]:
    """Run ``db upgrade`` on ``path``; SIGKILL it ``kill_after_s`` after it first writes to it.

    It first writes when the rollback journal appears or the file changes; returns the exit code
    and the seconds from that first write to the end.
    """
    journal = path.with_name(path.name + "-journal")
    mtime = path.stat().st_mtime_ns
    process = subprocess.Popen([*UPGRADE, str(path)], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    writing = None
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        now = time.monotonic()
        if writing is None and (journal.exists() or path.stat().st_mtime_ns != mtime):
            writing = now
        if kill_after_s is not None and writing is not None and now - writing >= kill_after_s:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.0005)
    code = process.wait(timeout=120)
    return code, time.monotonic() - (writing or time.monotonic())


@pytest.mark.slow
def test_upgrade_survives_random_kills(tmp_path: Path, make_facts: Callable[..., Facts]) -> None:
    template = tmp_path / "template.db"
    with Store.open(f"sqlite:///{template}") as store:
        base = make_facts()
        for number in range(REPORTS):
            store.add(make_facts(doc_id=f"report-{number}", text=base.document.text + " " * number))
    engine = sa.create_engine(f"sqlite:///{template}")
    with engine.begin() as conn:
        downgrade_schema(conn, START)
    engine.dispose()
    env = {**os.environ, "PYTHONPATH": str(REPO), "BORDERWATCH_QUARANTINE_DIR": str(tmp_path / "q")}
    head = _head()

    baseline = tmp_path / "baseline.db"
    shutil.copy(template, baseline)
    code, busy_s = _run_upgrade(baseline, None, env)
    assert code == 0 and _revision(baseline) == head and busy_s > 0.001

    rng = random.Random(13)
    left: Counter[str] = Counter()
    deadline = time.monotonic() + 300
    for round_number in range(KILLS):
        assert time.monotonic() < deadline, "the kill rounds took too long"
        path = tmp_path / f"killed-{round_number}.db"
        shutil.copy(template, path)
        # Log-uniform from 1 ms to the whole run: as many kills in the first tenth of a second
        # (the schema changes) as in the rest (rendering records), whichever way the migration runs.
        code, _ = _run_upgrade(path, math.exp(rng.uniform(math.log(0.001), math.log(busy_s))), env)
        found = _revision(path)
        left["finished before the kill" if code == 0 else f"killed at {found}"] += 1
        assert found in (START, head), f"round {round_number}: a kill left revision {found}"
        again = subprocess.run([*UPGRADE, str(path)], check=False, env=env, capture_output=True, text=True,
                               timeout=120)
        assert again.returncode == 0, again.stderr
        assert _revision(path) == head
        with Store.open(f"sqlite:///{path}") as store:
            assert store.count_events(EventFilter()) == 2 * REPORTS
            assert store.add(make_facts(doc_id="after-the-kill", text=base.document.text + "!"))
            assert store.count_events(EventFilter(country="VN")) == REPORTS + 1
    print(f"kills: {dict(left)}; an upgrade writes for {busy_s:.3f} s")
    assert sum(n for state, n in left.items() if state.startswith("killed")) >= KILLS // 2
