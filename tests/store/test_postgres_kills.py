"""`borderwatch db upgrade` and `borderwatch ingest` on PostgreSQL, SIGKILLed at random moments.

Upgrade: each round copies a template database at revision 0001 (CREATE DATABASE ... TEMPLATE),
starts a real upgrade, kills it, and checks that the kill left 0001 or head and that a rerun
finishes. Ingest: ten kills of a real ingest into one database, then a full rerun; every document
is stored once and the database still takes new reports.
"""

from __future__ import annotations

import math
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import PgServer
from test_migration_kills import START, _head

from borderwatch.model import Facts
from borderwatch.store import EventFilter, Store
from borderwatch.store.migrations import downgrade_schema

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "examples" / "corpus"
KILLS = 10
REPORTS = 60
BORDERWATCH = [sys.executable, "-c", "from borderwatch.cli import main; main()"]


def _env(tmp_path: Path) -> dict[str, str]:
    # Batches of two reports: a kill lands between commits, not only before the one commit of a small corpus.
    return {**os.environ, "PYTHONPATH": str(REPO), "BORDERWATCH_QUARANTINE_DIR": str(tmp_path / "q"),
            "BORDERWATCH_STORE_BATCH_DOCUMENTS": "2"}


def _run(args: list[str], env: dict[str, str], kill_after_s: float | None) -> tuple[int, float]:
    """Run a borderwatch command; SIGKILL it ``kill_after_s`` after it starts. Exit code and seconds."""
    started = time.monotonic()
    process = subprocess.Popen([*BORDERWATCH, *args], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        code = process.wait(timeout=kill_after_s if kill_after_s is not None else 300)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        code = process.wait(timeout=60)
    return code, time.monotonic() - started


def _revision(url: str) -> str | None:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def _log_uniform(rng: random.Random, low_s: float, high_s: float) -> float:
    return math.exp(rng.uniform(math.log(low_s), math.log(high_s)))


def test_postgres_upgrade_survives_random_kills(pg_server: PgServer, tmp_path: Path,
                                                make_facts: Callable[..., Facts]) -> None:
    name = f"kill_template_{os.getpid()}"
    template = pg_server.create_database(name)
    with Store.open(template) as store:
        base = make_facts()
        for number in range(REPORTS):
            store.add(make_facts(doc_id=f"report-{number}", text=base.document.text + " " * number))
    engine = sa.create_engine(template)
    with engine.begin() as conn:
        downgrade_schema(conn, START)
    engine.dispose()
    env, head = _env(tmp_path), _head()
    admin = sa.create_engine(pg_server.url("postgres"), isolation_level="AUTOCOMMIT")

    def copy(copy_name: str) -> str:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{copy_name}" TEMPLATE "{name}"'))
        return pg_server.url(copy_name)

    baseline = copy(f"{name}_baseline")
    code, whole_s = _run(["db", "upgrade", "--db", baseline], env, None)
    assert code == 0 and _revision(baseline) == head

    rng = random.Random(13)
    left: Counter[str] = Counter()
    deadline = time.monotonic() + 300
    try:
        for round_number in range(KILLS):
            assert time.monotonic() < deadline, "the kill rounds took too long"
            url = copy(f"{name}_killed_{round_number}")
            code, _ = _run(["db", "upgrade", "--db", url], env, _log_uniform(rng, whole_s / 4, whole_s))
            found = _revision(url)
            left["finished before the kill" if code == 0 else f"killed at {found}"] += 1
            assert found in (START, head), f"round {round_number}: a kill left revision {found}"
            again = subprocess.run([*BORDERWATCH, "db", "upgrade", "--db", url], check=False, env=env,
                                   capture_output=True, text=True, timeout=120)
            assert again.returncode == 0, again.stderr
            assert _revision(url) == head
            with Store.open(url) as store:
                assert store.count_events(EventFilter()) == 2 * REPORTS
                assert store.add(make_facts(doc_id="after-the-kill", text=base.document.text + "!"))
                assert store.count_events(EventFilter(country="VN")) == REPORTS + 1
    finally:
        admin.dispose()
    print(f"upgrade kills on PostgreSQL: {dict(left)}; an upgrade takes {whole_s:.2f} s")
    assert sum(n for state, n in left.items() if state.startswith("killed")) >= KILLS // 2


def _documents(url: str) -> Counter[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table("documents"):  # killed before the schema was made
                return Counter()
            return Counter(row[0] for row in conn.execute(sa.text("SELECT content_hash FROM documents")))
    finally:
        engine.dispose()


def kill_rounds_then_rerun(fresh: Callable[[], str], expected: Counter[str], whole_s: float, env: dict[str, str],
                           make_facts: Callable[..., Facts], seed: int,
                           window: tuple[float, float]) -> tuple[Counter[str], Counter[str]]:
    """KILLS SIGKILLed ingests of the corpus at random moments within ``window`` (shares of a whole run)
    into a database from ``fresh``, then a full rerun: asserts no document is ever stored twice, the rerun
    stores exactly ``expected``, the database takes a new report and no run is left running. A run that
    finished before its kill leaves nothing to do, so the next round starts on a new empty database:
    stored reports are skipped before they are read, and a rerun of a full store ends within a second."""
    rng = random.Random(seed)
    outcomes: Counter[str] = Counter()
    deadline = time.monotonic() + 300
    url = fresh()
    for _ in range(KILLS):
        assert time.monotonic() < deadline, "the kill rounds took too long"
        # Within the later part of a run: the first second or so only loads the language model.
        code, _ = _run(["ingest", str(CORPUS), "--db", url], env, rng.uniform(whole_s * window[0], whole_s * window[1]))
        stored = _documents(url)
        assert all(n == 1 for n in stored.values()), "a killed run stored a document twice"
        outcomes["finished" if code == 0 else f"killed with {len(stored)} documents stored"] += 1
        if code == 0:
            url = fresh()
    rerun = subprocess.run([*BORDERWATCH, "ingest", str(CORPUS), "--db", url], check=False, env=env,
                           capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert "Traceback" not in rerun.stderr
    assert _documents(url) == expected
    with Store.open(url) as store:
        assert store.add(make_facts(doc_id="after-the-kills"))
        statuses = Counter(run["status"] for run in store.runs())
    assert statuses["running"] == 0
    return outcomes, statuses


def test_postgres_ingest_survives_random_kills(pg_server: PgServer, tmp_path: Path,
                                               make_facts: Callable[..., Facts]) -> None:
    env = _env(tmp_path)
    reference = pg_server.create_database(f"ingest_reference_{os.getpid()}")
    code, whole_s = _run(["ingest", str(CORPUS), "--db", reference], env, None)
    assert code == 0
    expected = _documents(reference)
    assert expected and all(n == 1 for n in expected.values())

    names = iter(range(KILLS + 1))
    outcomes, statuses = kill_rounds_then_rerun(
        lambda: pg_server.create_database(f"ingest_killed_{os.getpid()}_{next(names)}"), expected, whole_s, env,
        make_facts, seed=7, window=(0.25, 0.8))
    print(f"ingest kills on PostgreSQL: {dict(outcomes)}; runs {dict(statuses)}; "
          f"a whole ingest takes {whole_s:.1f} s")
    assert sum(n for state, n in outcomes.items() if state.startswith("killed")) >= KILLS // 2
