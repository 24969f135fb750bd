"""The pipeline over a real store: reposts form families, reports in later runs join incidents."""

from pathlib import Path

import pytest

from borderwatch.config import Settings
from borderwatch.pipeline import ingest
from borderwatch.store.repo import Store

CORPUS = Path(__file__).parent.parent / "examples" / "corpus"
FIRST = CORPUS / "2024-11-14_stungtreng-meth-laotiantimes.txt"
SECOND = CORPUS / "2024-11-16_stungtreng-meth-ann.txt"


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Store, Settings]:
    settings = Settings(db=str(tmp_path / "bw.db"), quarantine_dir=str(tmp_path / "q"))
    return Store.open(settings.db_url), settings


def _incidents_of_the_haul(store: Store) -> dict[str, str | None]:
    return {e.doc_id: e.incident for e in store.seizure_events() if any(i.count == 1034413 for i in e.items)}


def test_a_report_ingested_later_joins_the_stored_incident(setup: tuple[Store, Settings]) -> None:
    store, settings = setup
    ingest([FIRST], store, settings, "first")
    before = _incidents_of_the_haul(store)
    summary = ingest([SECOND], store, settings, "second")
    after = _incidents_of_the_haul(store)
    assert summary.stored == 1
    assert set(after) == {FIRST.stem, SECOND.stem}
    assert after[FIRST.stem] == before[FIRST.stem] == after[SECOND.stem]   # the stored id is kept


def test_a_blog_repost_joins_its_original_family_and_incident(setup: tuple[Store, Settings],
                                                               tmp_path: Path) -> None:
    store, settings = setup
    ingest([FIRST], store, settings, "original")
    repost = tmp_path / "blog-repost.txt"
    repost.write_text("Saturday, 16 November 2024\n\nReposted from the Laotian Times\n\n"
                      + FIRST.read_text(encoding="utf-8")
                      + "\n\n1 comment:\n\nAnonymous said...\n\nWell done police.\n", encoding="utf-8")
    summary = ingest([repost], store, settings, "repost")
    assert summary.reposts == 1
    stored = store.document("blog-repost")
    assert stored is not None and stored.family == FIRST.stem and len(stored.comments) == 1
    incidents = _incidents_of_the_haul(store)
    assert incidents["blog-repost"] == incidents[FIRST.stem]
