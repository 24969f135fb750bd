"""`borderwatch ingest` on SQLite, SIGKILLed at random moments ten times, then rerun: every document
is stored once, no run is left "running", and the database still takes new reports (the same
rounds as the PostgreSQL test, on the embedded store)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from test_postgres_kills import CORPUS, KILLS, _documents, _env, _run, kill_rounds_then_rerun

from borderwatch.model import Facts

pytestmark = [pytest.mark.slow]


def test_sqlite_ingest_survives_random_kills(tmp_path: Path, make_facts: Callable[..., Facts]) -> None:
    env = _env(tmp_path)
    reference = f"sqlite:///{tmp_path / 'reference.db'}"
    code, whole_s = _run(["ingest", str(CORPUS), "--db", reference], env, None)
    assert code == 0
    expected = _documents(reference)
    assert expected and all(n == 1 for n in expected.values())
    names = iter(range(KILLS + 1))
    outcomes, statuses = kill_rounds_then_rerun(lambda: f"sqlite:///{tmp_path / f'killed-{next(names)}.db'}",
                                                 expected, whole_s, env, make_facts, seed=11, window=(0.2, 0.9))
    print(f"ingest kills on SQLite: {dict(outcomes)}; runs {dict(statuses)}; a whole ingest takes {whole_s:.1f} s")
    assert sum(n for state, n in outcomes.items() if state.startswith("killed")) >= KILLS // 2
