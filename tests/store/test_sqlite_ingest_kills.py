"""`borderwatch ingest` on SQLite, SIGKILLed at random moments ten times, then rerun: every document
is stored once, no run is left "running", and the database still takes new reports (the same
rounds as the PostgreSQL test, on the embedded store)."""

from __future__ import annotations

import random
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from test_postgres_kills import BORDERWATCH, CORPUS, KILLS, _documents, _env, _run

from borderwatch.model import Facts
from borderwatch.store import Store

pytestmark = [pytest.mark.slow]


def test_sqlite_ingest_survives_random_kills(tmp_path: Path, make_facts: Callable[..., Facts]) -> None:
    env = _env(tmp_path)
    reference = f"sqlite:///{tmp_path / 'reference.db'}"
    code, whole_s = _run(["ingest", str(CORPUS), "--db", reference], env, None)
    assert code == 0
    expected = _documents(reference)
    assert expected and all(n == 1 for n in expected.values())
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    rng = random.Random(11)
    outcomes: Counter[str] = Counter()
    deadline = time.monotonic() + 300
    for _ in range(KILLS):
        assert time.monotonic() < deadline, "the kill rounds took too long"
        code, _ = _run(["ingest", str(CORPUS), "--db", url], env, rng.uniform(whole_s / 5, whole_s * 0.9))
        stored = _documents(url)
        assert all(n == 1 for n in stored.values()), "a killed run stored a document twice"
        outcomes["finished" if code == 0 else f"killed with {len(stored)} documents stored"] += 1
    rerun = subprocess.run([*BORDERWATCH, "ingest", str(CORPUS), "--db", url], check=False, env=env,
                           capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert "Traceback" not in rerun.stderr
    assert _documents(url) == expected
    with Store.open(url) as store:
        assert store.add(make_facts(doc_id="after-the-kills"))
        statuses = Counter(run["status"] for run in store.runs())
    assert statuses["running"] == 0
    print(f"ingest kills on SQLite: {dict(outcomes)}; runs {dict(statuses)}; a whole ingest takes {whole_s:.1f} s")
    assert sum(n for state, n in outcomes.items() if state.startswith("killed")) >= KILLS // 2
