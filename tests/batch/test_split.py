"""Large WARC and feed files cut into slices, one task each, with the outcomes of the whole file."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from borderwatch.batch.spark import _units, run_batch
from borderwatch.config import Settings
from borderwatch.extract import Extractor
from borderwatch.model import Facts
from borderwatch.pipeline import Duplicate, extract_file, run_documents
from borderwatch.records import prediction_record

ROOT = Path(__file__).parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT / "bench"))

from warc_throughput import build_warc


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("split") / "crawl.warc.gz"
    build_warc(path, 60, 0.3, 0.05, seed=3)
    return path


def _in_run(outcomes: Any) -> list[Any]:
    """The outcomes as a run counts them: a document whose payload came before is a duplicate,
    whether its slice skipped it (``Duplicate``) or, not having seen the first, extracted it."""
    seen: set[str] = set()
    out: list[Any] = []
    for outcome in outcomes:
        document = outcome.document if isinstance(outcome, Facts | Duplicate) else None
        if document is None:
            out.append(outcome)
        elif document.content_hash in seen or isinstance(outcome, Duplicate):
            out.append(("duplicate", document.id))
        else:
            seen.add(document.content_hash)
            out.append(prediction_record(outcome))
    return out


def test_slices_read_together_are_the_whole_file(crawl: Path) -> None:
    settings = Settings()
    extractor = Extractor(settings)
    for path, split in [(crawl, 20_000), (FIXTURES / "crawl.warc.gz", 600),
                        (FIXTURES / "truncated.warc.gz", 500), (FIXTURES / "mekong-wire.xml", 800)]:
        units = _units([path], split, settings)
        assert len(units) >= 2, path.name
        assert units[0][3] is not None and units[0][3][0] in (0, 1) and units[-1][3][1] is None
        whole = _in_run(extract_file(path, settings, extractor))
        sliced = _in_run(o for u in units for o in extract_file(path, settings, extractor, part=u[3]))
        passed = [o for o in sliced if not isinstance(o, dict) and type(o).__name__ == "PassedOver"]
        kept = [o for o in sliced if type(o).__name__ != "PassedOver"]
        assert kept == [o for o in whole if type(o).__name__ != "PassedOver"], path.name
        total: dict[str, int] = {}
        for p in passed:
            for kind, n in p.counts.items():
                total[kind] = total.get(kind, 0) + n
        assert total == next((o.counts for o in whole if type(o).__name__ == "PassedOver"), {})
    assert len(_units([crawl], 0, settings)) == 1 and len(_units([crawl], 10**9, settings)) == 1


@pytest.mark.spark
def test_a_split_batch_on_local_2_writes_the_pipeline_records(spark: Any, crawl: Path, tmp_path: Path) -> None:
    inputs = [crawl, FIXTURES / "mekong-wire.xml", FIXTURES / "truncated.warc.gz"]
    records: list[dict[str, Any]] = []

    def keep(facts: Facts) -> bool:
        records.append(prediction_record(facts))
        return True

    pipeline = run_documents(inputs, Settings(quarantine_dir=str(tmp_path / "q1")), keep)
    batch = run_batch(inputs, Settings(quarantine_dir=str(tmp_path / "q2")), tmp_path / "out", spark=spark,
                      split_bytes=20_000)
    lines = (tmp_path / "out" / "predictions.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == json.loads(json.dumps(records))
    assert batch.run.as_dict() == pipeline.as_dict()
    assert batch.partitions >= 2 and batch.slices > len(inputs) + 2  # the crawl in several tasks
