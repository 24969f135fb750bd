"""`borderwatch ingest` over a hostile corpus (scripts/make_hostile_corpus.py) next to valid reports.

Every valid report is stored once; every other entry is stored (a wide or legacy encoding read
correctly), quarantined with its reason, or counted as passed over; the run exits 0, prints no
traceback and ends in bounded time.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]
BORDERWATCH = [sys.executable, "-c", "from borderwatch.cli import main; main()"]
LIMIT_MB = 1
BOUND_S = 300


def _corpus_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_hostile_corpus", REPO / "scripts" / "make_hostile_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_corpus_has_at_least_70_cases(tmp_path: Path) -> None:
    expected = _corpus_module().make_corpus(tmp_path / "in", LIMIT_MB)
    assert len(expected) >= 70
    assert Counter(kind for kind in expected.values())["valid"] == 5
    assert {path.name for path in (tmp_path / "in").iterdir()} == set(expected)


@pytest.mark.slow
def test_ingest_survives_the_hostile_corpus(tmp_path: Path) -> None:
    folder, db = tmp_path / "in", tmp_path / "hostile.db"
    expected = _corpus_module().make_corpus(folder, LIMIT_MB)
    env = {**os.environ, "PYTHONPATH": str(REPO), "BORDERWATCH_QUARANTINE_DIR": str(tmp_path / "q"),
           "BORDERWATCH_MAX_FILE_MB": str(LIMIT_MB)}
    started = time.monotonic()
    result = subprocess.run([*BORDERWATCH, "ingest", str(folder), "--db", str(db)], env=env, capture_output=True,
                            text=True, timeout=BOUND_S, check=False)
    took_s = time.monotonic() - started
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "internal-error" not in result.stderr
    assert took_s < BOUND_S

    with sqlite3.connect(db) as conn:
        stored = Counter(Path(row[0]).name for row in conn.execute("SELECT source FROM documents"))
        rejected: dict[str, set[str]] = {}
        # Rows with a doc_id are candidates set aside inside a stored document, not inputs.
        rows = list(conn.execute("SELECT source, reason, message FROM rejections WHERE doc_id IS NULL"))
        for source, reason, message in rows:
            assert reason and message, source
            rejected.setdefault(Path(source.partition("#")[0]).name, set()).add(reason)
        (summary_json,) = conn.execute("SELECT summary FROM runs").fetchone()
    summary = json.loads(summary_json)

    assert all(n == 1 for n in stored.values()), stored
    passed_over = Counter(kind.partition(":")[2] for kind in expected.values() if kind.startswith("passed-over:"))
    for kind, n in passed_over.items():
        assert summary["passed_over"].get(kind, 0) >= n, (kind, summary["passed_over"])
    unaccounted = []
    for name, kind in expected.items():
        if kind == "valid":
            assert stored[name] == 1, name
            assert name not in rejected, (name, rejected.get(name))
        elif kind == "hostile" and name not in stored and name not in rejected:
            unaccounted.append(name)
    assert not unaccounted
    assert summary["stored"] == len(stored)
    assert sum(summary["rejected"].values()) == len(rows)
    reasons = Counter(reason for reasons in rejected.values() for reason in reasons)
    print(f"{len(expected)} entries in {took_s:.0f} s: stored {len(stored)}, quarantined by reason "
          f"{dict(reasons)}, passed over {summary['passed_over']}")

