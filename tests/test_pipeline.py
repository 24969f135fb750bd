"""The pipeline over a real store: reposts form families, reports in later runs join incidents."""

import gc
import hashlib
import json
import random
import shutil
import tracemalloc
from pathlib import Path

import pytest

from borderwatch.config import Settings
from borderwatch.model import Facts
from borderwatch.pipeline import ContentHashes, ingest, run_documents, write_predictions
from borderwatch.records import prediction_record
from borderwatch.store.repo import Store
from tests.ingest.conftest import gzip_members, http_response, warc_record

CORPUS = Path(__file__).parent.parent / "examples" / "corpus"
FIRST = CORPUS / "2024-11-14_stungtreng-meth-laotiantimes.txt"
SECOND = CORPUS / "2024-11-16_stungtreng-meth-ann.txt"
FIXTURES = Path(__file__).parent / "fixtures"


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


def test_ordinary_news_is_gated_out_and_a_long_report_is_read_in_parts(setup: tuple[Store, Settings],
                                                                        tmp_path: Path) -> None:
    store, settings = setup
    weather = tmp_path / "weather.txt"
    weather.write_text("Heavy rain is expected in Vientiane this week.\n\nFerries across the Mekong "
                       "will run to a reduced timetable until Friday.\n", encoding="utf-8")
    summary = ingest([weather, FIRST], store, settings, "gate")
    assert summary.gated_out == 1 and summary.events > 0 and summary.as_dict()["gated_out"] == 1
    paragraphs = FIRST.read_text(encoding="utf-8").split("\n")
    long = tmp_path / "long.txt"
    long.write_text("\n".join(paragraphs * 3), encoding="utf-8")
    parts = ingest([long], store, Settings(db=settings.db, quarantine_dir=settings.quarantine_dir,
                                           max_document_chars=len(FIRST.read_text(encoding="utf-8")) + 10),
                   "parts")
    assert parts.read >= 3 and not parts.rejected


def test_a_crawl_gives_the_same_facts_with_and_without_the_page_gate(tmp_path: Path) -> None:
    """Screening raw pages before HTML extraction loses nothing: every document that is not gated
    out has the same prediction record as when only the article text is gated; an exact repeat
    of a page is counted as a duplicate, not read again."""
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    fixtures = Path(__file__).parent / "fixtures"
    pages = sorted([*CORPUS.glob("*.html"), *(fixtures / "challenge").glob("*.html"), *(fixtures / "blind").glob("*.html")])[:3]
    for n, page in enumerate(pages):
        (crawl / f"{n}-{page.name}").write_bytes(page.read_bytes())
    (crawl / "9-repeat.html").write_bytes(pages[0].read_bytes())
    for n, words in enumerate(["Heavy rain is expected in the north-east all week.",
                               "The national team meets Vietnam in the final on Saturday.",
                               "A new course in renewable energy opens at the university."]):
        (crawl / f"5-ordinary-{n}.html").write_text(
            f"<html><head><title>News {n}</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<article><h1>News {n}</h1><p>{words} Officials said more details would follow "
            f"next week.</p></article></body></html>", encoding="utf-8")
    runs = {}
    for gate in ("page", "text"):
        records: dict[str, dict[str, object]] = {}

        def keep(facts: Facts) -> bool:
            if not facts.gated:
                records[facts.document.id] = prediction_record(facts)  # noqa: B023 (used in this loop)
            return True

        summary = run_documents([crawl], Settings(quarantine_dir=str(tmp_path / "q"), relevance_gate=gate), keep)
        runs[gate] = (records, summary)
    (paged, by_page), (texted, by_text) = runs["page"], runs["text"]
    assert paged == texted and len(paged) == len(pages)
    assert by_page.duplicates == by_text.duplicates == 1 and by_page.read == by_text.read == 7
    assert by_page.events == by_text.events > 0 and by_page.gated_out == by_text.gated_out == 3


def _report(folder: Path, name: str, day: int) -> Path:
    path = folder / f"{name}.txt"
    path.write_text(f"Police seize 10 kg of methamphetamine in Stung Treng\nMekong Daily | {day} March 2024\n\n"
                    f"Police in Stung Treng province seized 10 kilograms of methamphetamine from a truck near "
                    f"the border on {day} March 2024, provincial police chief Sok Dara said.\n", encoding="utf-8")
    return path


def test_extract_writes_final_incident_ids_when_a_later_batch_joins_two_incidents(tmp_path: Path) -> None:
    # 1 and 3 March are two days apart (two incidents) until the 2 March report, in a later
    # batch, links both: the lines already written for them must carry the joined id.
    folder = tmp_path / "reports"
    folder.mkdir()
    paths = [_report(folder, "a-first", 1), _report(folder, "b-third", 3), _report(folder, "c-second", 2)]
    out = tmp_path / "facts.jsonl"
    settings = Settings(quarantine_dir=str(tmp_path / "q"), store_batch_documents=1)
    summary = write_predictions(paths, settings, out)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a-first", "b-third", "c-second"]
    incidents = {r["id"]: [e["incident"] for e in r["events"] if e["type"] == "seizure"] for r in records}
    assert all(len(ids) == 1 for ids in incidents.values()), incidents
    assert len({ids[0] for ids in incidents.values()}) == 1, incidents
    assert summary.relinked  # the join happened after an earlier line was written


def test_extract_holds_one_batch_of_facts_not_the_whole_run(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for n in range(12):
        _report(folder, f"r{n:02d}", 1 + n)
    shutil.copy(FIXTURES / "truncated.warc.gz", folder / "zz-truncated.warc.gz")  # read last, rejected
    alive: list[int] = []

    def count_facts(_rejection: object, _where: str | None) -> None:
        gc.collect()
        alive.append(sum(1 for o in gc.get_objects() if isinstance(o, Facts)))

    settings = Settings(quarantine_dir=str(tmp_path / "q"), store_batch_documents=3)
    summary = write_predictions([folder], settings, tmp_path / "facts.jsonl", count_facts)
    assert summary.rejected and summary.stored >= 12
    assert alive and max(alive) <= 3, alive  # after twelve documents and more, one batch of facts at most
    assert len((tmp_path / "facts.jsonl").read_text(encoding="utf-8").splitlines()) == summary.stored


def test_content_hashes_tell_repeats_in_at_most_32_bytes_a_hash() -> None:
    hashes = [hashlib.sha256(str(n).encode()).hexdigest() for n in range(20_000)]
    seen = ContentHashes()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        assert all(seen.add(h) for h in hashes)
        per_hash = (tracemalloc.get_traced_memory()[0] - before) / len(hashes)
    finally:
        tracemalloc.stop()
    assert per_hash <= 32, per_hash  # a set of the hex strings: ~170 bytes a hash
    assert not any(seen.add(h) for h in hashes[::7]) and len(seen) == len(hashes)
    assert all(h in seen for h in hashes[::3])
    assert not any(hashlib.sha256(f"other {n}".encode()).hexdigest() in seen for n in range(5000))


def test_a_run_keeps_little_per_ordinary_document_read(tmp_path: Path) -> None:
    """What a run holds for the rest of it, per page of a crawl read and gated out (most of a
    crawl): its content hash, compact, and counts; not its text, facts or a 64-character hash twice."""
    rng = random.Random(4)
    topics = ["rain", "football", "the university", "rice prices", "a new bridge", "the festival"]
    pages = [(f"<html><head><title>Notes on {rng.choice(topics)}, number {n}</title></head><body><p>Residents "
              f"said {rng.choice(topics)} and {rng.choice(topics)} were discussed at meeting {n} on Tuesday; "
              f"officials promised more details about {rng.choice(topics)} next week.</p></body></html>")
             for n in range(800)]
    crawl = tmp_path / "crawl.warc.gz"
    crawl.write_bytes(gzip_members([warc_record("response", f"https://news.example/{n}.html",
                                                http_response(page.encode("utf-8")))
                                    for n, page in enumerate(pages)]))
    traced: dict[int, int] = {}
    read = [0]

    def count(facts: Facts) -> bool:
        read[0] += 1
        if read[0] in (201, 751):  # each the first document of a batch: one batch held at both
            gc.collect()
            traced[read[0]] = tracemalloc.get_traced_memory()[0]
        return True

    tracemalloc.start()
    try:
        summary = run_documents([crawl], Settings(quarantine_dir=str(tmp_path / "q")), count, batch_documents=50)
    finally:
        tracemalloc.stop()
    assert summary.gated_out == summary.read == len(pages)
    per_document = (traced[751] - traced[201]) / 550
    assert per_document < 64, per_document  # the hash set's slot (16 to 32 bytes) and little else
