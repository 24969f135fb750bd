"""ingest -> extract -> resolve -> store, with every rejection caught, kept and counted.

A problem with one input never stops the run: the stage raises ``Rejected``, the runner
records why, copies the original bytes to the quarantine folder and goes on. The runner
also checks the stage contract (every evidence span quotes the document text exactly).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from borderwatch.config import Settings
from borderwatch.errors import Rejected
from borderwatch.evaluate import Report, load_gold, score
from borderwatch.extract import Extractor
from borderwatch.extract.budget import cpu_budget, split_document
from borderwatch.ingest import Screen, find_inputs, find_part, read_documents
from borderwatch.lang import has_pack
from borderwatch.model import Document, Facts, Rejection, SeizureEvent
from borderwatch.resolve import FamilyIndex, LinkedSeizure, linked_seizure, resolve_incidents
from borderwatch.store.repo import Store


@dataclass(frozen=True)
class PassedOver:
    """What one input file held that is not a document (WARC requests, redirects...), by kind."""

    counts: dict[str, int]


@dataclass(frozen=True)
class Duplicate:
    """A payload read before in this run (the same content hash), left unparsed."""

    document: Document


Outcome = Facts | Rejection | Document | Duplicate | PassedOver
"""What became of one document read: its facts, why it was set aside, (a bare Document) that
the store already has it, or that it repeats an earlier one; after a file's documents, what it
passed over (``PassedOver``)."""

class ContentHashes:
    """The content hashes a run has read, to tell a repeat before it is parsed, in about 16 to
    32 bytes a document for the whole run.

    A hash is kept as a 64-bit key (the first 8 bytes of its BLAKE2b digest) in an open-addressing
    table, an ``array`` of unsigned 64-bit ints kept at most half full: a set of the 64-character
    hex strings took ~115 bytes a string plus its slot, and a run held two such sets. 64 bits are
    enough: two different payloads among n share a key with probability about n^2 / 2^65, 1e-8 for
    the ~645,000 pages of a 4 GiB crawl and 3e-6 for ten million (a month of CC-NEWS); the page
    that lost would be counted as a repeat. A store's own check (``known``) compares whole hashes.
    """

    def __init__(self, slots: int = 64) -> None:
        self._slots = array("Q", bytes(8 * slots))  # a power of two; 0 marks an empty slot
        self._size = 0

    def _find(self, key: int) -> int:
        slots, mask = self._slots, len(self._slots) - 1
        i = key & mask
        while slots[i] and slots[i] != key:
            i = (i + 1) & mask
        return i

    @staticmethod
    def _key(content_hash: str) -> int:
        digest = hashlib.blake2b(content_hash.encode("utf-8"), digest_size=8).digest()
        return int.from_bytes(digest, "little") or 1

    def __contains__(self, content_hash: str) -> bool:
        key = self._key(content_hash)
        return self._slots[self._find(key)] == key

    def __len__(self) -> int:
        return self._size

    def add(self, content_hash: str) -> bool:
        """Add one hash; False when it was read before."""
        key = self._key(content_hash)
        i = self._find(key)
        if self._slots[i] == key:
            return False
        self._slots[i] = key
        self._size += 1
        if 2 * self._size > len(self._slots):
            old, self._slots = self._slots, array("Q", bytes(16 * len(self._slots)))
            for held in old:
                if held:
                    self._slots[self._find(held)] = held
        return True


ExtractFiles = Callable[[list[Path], Callable[[str], bool] | None], Iterable[tuple[Path, Outcome]]]
"""Reads and extracts input files, in this process or on a cluster (``borderwatch.batch``): every
document's outcome, with the file it came from, in input order; ``known`` as in ``run_documents``."""


@dataclass
class RunSummary:
    """What a run read, stored and set aside, for the closing report."""

    read: int = 0
    stored: int = 0
    already_stored: int = 0
    duplicates: int = 0
    events: int = 0
    aggregates: int = 0
    quotes: int = 0
    flows: int = 0
    comments: int = 0
    gated_out: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    rejections: list[Rejection] = field(default_factory=list)
    quarantined: dict[str, str] = field(default_factory=dict)
    candidates_rejected: Counter[str] = field(default_factory=Counter)
    reposts: int = 0
    relinked: dict[tuple[str, str], str] = field(default_factory=dict)
    languages: Counter[str] = field(default_factory=Counter)
    without_pack: Counter[str] = field(default_factory=Counter)
    passed_over: Counter[str] = field(default_factory=Counter)

    def add_facts(self, facts: Facts) -> None:
        """Count one document's facts."""
        self.gated_out += int(facts.gated)
        self.events += len(facts.events)
        self.aggregates += len(facts.aggregates)
        self.quotes += len(facts.quotes)
        self.flows += len(facts.flows)
        self.comments += len(facts.document.comments)
        self.candidates_rejected.update(r.reason for r in facts.rejections)
        language = facts.document.language
        if language:  # a page screened out unread has none
            self.languages[language] += 1
            if not has_pack(language):
                self.without_pack[language] += 1

    def as_dict(self) -> dict[str, object]:
        """JSON-ready counts, as stored with the run."""
        return {"read": self.read, "stored": self.stored, "already_stored": self.already_stored,
                "duplicates": self.duplicates,
                "events": self.events, "aggregates": self.aggregates, "quotes": self.quotes,
                "flows": self.flows, "comments": self.comments, "gated_out": self.gated_out,
                "rejected": dict(self.rejected),
                "reposts": self.reposts, "languages": dict(self.languages),
                "languages_without_pack": dict(self.without_pack),
                "candidates_rejected": dict(self.candidates_rejected),
                "passed_over": dict(self.passed_over)}


def check_contract(facts: Facts) -> None:
    """Every evidence span must quote the document text exactly and lie outside furniture."""
    doc = facts.document
    for span in facts.spans():
        if span.doc_id != doc.id or doc.text[span.start:span.end] != span.text:
            raise Rejected("contract", "extract", doc.source,
                           f"extract produced a span ({span.field} {span.start}:{span.end}) "
                           f"that does not quote the text")


def _quarantine(path: Path, rejection: Rejection, settings: Settings, summary: RunSummary) -> str | None:
    """Copy the original bytes aside so nothing is lost (for a record inside a feed or an archive,
    that record's bytes only); returns where they went."""
    part = find_part(rejection.source, settings)
    if part is None and not path.is_file():
        return None
    target_dir = Path(settings.quarantine_dir)
    target_dir.mkdir(parents=True, exist_ok=True)
    name = Path(part.name) if part else path
    target = target_dir / name.name
    n = 1
    while target.exists() and n < 10_000:
        target = target_dir / f"{name.stem}.{n}{name.suffix}"
        n += 1
    if part is not None and part.data is not None:
        target.write_bytes(part.data)
    elif part is None and path.stat().st_size <= settings.max_file_mb * 1024 * 1024:
        shutil.copyfile(path, target)
    else:  # too large to copy: leave a pointer instead of duplicating gigabytes
        where = f"{part.container.resolve()}#{rejection.source.rpartition('#')[2]}" if part else path.resolve()
        target = target.with_name(target.name + ".path")
        target.write_text(f"{where}\n", encoding="utf-8")
    summary.quarantined[rejection.source] = str(target)
    return str(target)


def extract_document(extractor: Extractor, doc: Document, cpu_seconds: int = 0) -> Facts:
    """Extract within ``cpu_seconds`` (0: no limit) and check the contract; a bug on one document
    rejects that document only."""
    try:
        with cpu_budget(cpu_seconds, doc.source):
            facts = extractor.extract(doc)
    except Rejected:
        raise
    except Exception as exc:
        raise Rejected("internal-error", "extract", doc.source,
                       f"extraction failed ({type(exc).__name__}: {exc}); please report it") from exc
    check_contract(facts)
    return facts


def extract_file(path: Path, settings: Settings, extractor: Extractor,
                 known: Callable[[str], bool] | None = None,
                 part: tuple[int, int | None] | None = None,
                 seen: ContentHashes | None = None) -> Iterator[Outcome]:
    """Read one input file (or ``part`` of a container, as ``read_documents``) and extract each
    of its documents; ``known`` ones come back unextracted, and so do payloads whose content hash
    is in ``seen`` (the hashes read so far, which this adds to) as ``Duplicate``.

    Both are told from the payload's hash before it is parsed; with ``relevance_gate = "page"``
    an HTML page that cannot pass the gate (``RelevanceGate.may_pass``) is not parsed either and
    comes back gated. A document over the character budget is extracted part by part
    (``split_document``). The records passed over come last, as one ``PassedOver``, so that a
    cluster counts them too.
    """
    passed_over: Counter[str] = Counter()
    yield from _extract_documents(path, settings, extractor, known, passed_over, part,
                                  ContentHashes() if seen is None else seen)
    if passed_over:
        yield PassedOver(dict(passed_over))


def _extract_documents(path: Path, settings: Settings, extractor: Extractor,
                       known: Callable[[str], bool] | None, passed_over: Counter[str],
                       section: tuple[int, int | None] | None, seen: ContentHashes) -> Iterator[Outcome]:
    skipped = ContentHashes()

    def skip(content_hash: str) -> bool:
        if content_hash in seen or (known is not None and known(content_hash)):
            skipped.add(content_hash)
            return True
        seen.add(content_hash)
        return False

    relevant = extractor.gate.may_pass if extractor.gate and settings.relevance_gate == "page" else None
    for doc in read_documents(path, settings, passed_over, section, Screen(skip, relevant)):
        if isinstance(doc, Rejection):
            yield doc
            continue
        if doc.content_hash in skipped or (doc.content_hash not in seen and skip(doc.content_hash)):
            yield doc if known is not None and known(doc.content_hash) else Duplicate(doc)
            continue
        try:
            parts = split_document(doc, settings.max_document_chars)
        except Rejected as exc:
            yield _reject(exc)
            continue
        for part in parts:
            try:
                yield extract_document(extractor, part, settings.max_document_cpu_seconds)
            except Rejected as exc:
                yield _reject(exc)


def _extract_here(files: list[Path], known: Callable[[str], bool] | None, settings: Settings,
                  console: Console | None, seen: ContentHashes) -> Iterator[tuple[Path, Outcome]]:
    """The single-process ``ExtractFiles``: one Extractor, the files in order, a progress bar;
    payloads whose hash is in ``seen`` (which this adds to) come back as ``Duplicate``."""
    extractor = Extractor(settings)
    shown = console or Console(stderr=True)
    started, every = time.monotonic(), max(1, min(PLAIN_PROGRESS_EVERY, len(files) // 10 or 1))
    with _progress(shown) as progress:
        task = progress.add_task("extracting", total=len(files))
        for done, path in enumerate(files, 1):
            for outcome in extract_file(path, settings, extractor, known, seen=seen):
                yield path, outcome
            progress.advance(task)
            if not shown.is_terminal and (done % every == 0 or done == len(files)):
                rate = done / max(time.monotonic() - started, 1e-9)
                shown.print(f"extracting: {done}/{len(files)} files, {rate:.1f} files/s", highlight=False)


PLAIN_PROGRESS_EVERY = 50
"""Without a terminal (piped, in a log) the bar cannot redraw: a plain line every this many files."""


def _reject(exc: Rejected) -> Rejection:
    return Rejection(source=exc.source, stage=exc.stage, reason=exc.reason, message=exc.message)


BatchSink = Callable[[list[Facts], dict[tuple[str, str], str]], list[bool | Rejected]]
"""Stores a batch of documents' facts and stored events' new incident ids (together, in one
transaction where it can); for each document, whether it was new, or why the store refused it."""


def run_documents(paths: Iterable[Path], settings: Settings, sink: Callable[[Facts], bool],
                  on_rejection: Callable[[Rejection, str | None], None] | None = None,
                  console: Console | None = None,
                  known: Callable[[str], bool] | None = None,
                  stored_documents: Iterable[Document] = (),
                  stored_events: Iterable[SeizureEvent] = (),
                  extract_files: ExtractFiles | None = None,
                  batch_sink: BatchSink | None = None,
                  batch_documents: int = 0, batch_seconds: float = 0) -> RunSummary:
    """Read, extract and hand each document's facts to ``sink``; returns the run's counts.

    ``known(content_hash)`` lets a store skip documents it already has before extraction;
    ``sink`` returns False when it already had the document (nothing new stored).
    ``stored_documents`` and ``stored_events`` are what a store already holds, so that reposts
    join their family and new reports of a stored seizure join its incident.
    ``extract_files`` reads and extracts elsewhere (a Spark cluster); by default, here.

    Streaming: with ``batch_documents`` (and/or ``batch_seconds``) the facts are linked and handed
    on as they come, a batch at a time (``batch_sink`` if given, else ``sink`` per document), each
    batch linked against everything before it; with neither, as one batch at the end.
    """
    summary = RunSummary()

    def set_aside(rejection: Rejection, original: Path) -> None:
        summary.rejected[rejection.reason] += 1
        summary.rejections.append(rejection)
        where = _quarantine(original, rejection, settings, summary)
        if on_rejection:
            on_rejection(rejection, where)

    def per_document(batch: list[Facts], _incidents: dict[tuple[str, str], str]) -> list[bool | Rejected]:
        results: list[bool | Rejected] = []
        for facts in batch:
            try:
                results.append(sink(facts))
            except Rejected as exc:
                results.append(exc)
        return results

    families = FamilyIndex()
    families.add_stored(stored_documents)
    # The run keeps of each linked seizure only what linking reads, to join later reports to it.
    events: dict[tuple[str, str], LinkedSeizure] = {(e.doc_id, e.id): linked_seizure(e) for e in stored_events}
    store_batch = batch_sink or per_document

    def flush(batch: list[Facts]) -> None:
        if not batch:
            return
        # A gated document reports no seizure to count twice, and a page screened out unread has
        # no text to compare: neither joins a family.
        found = families.add(f.document for f in batch if not f.gated)
        for facts in batch:
            facts.document = replace(facts.document, family=found.get(facts.document.id, facts.document.id))
        summary.reposts += sum(1 for f in batch if f.document.family != f.document.id)
        batch, relinked = resolve_incidents(batch, list(events.values()))
        summary.relinked.update(relinked)
        for facts, result in zip(batch, store_batch(batch, relinked), strict=True):
            if isinstance(result, Rejected):  # the store refused this document: quarantine it, keep going
                set_aside(_reject(result), Path(facts.document.source))
                continue
            summary.add_facts(facts)
            if result:
                summary.stored += 1
            else:
                summary.already_stored += 1
            for event in facts.events:
                events[(event.doc_id, event.id)] = linked_seizure(event)
        for key, incident in relinked.items():
            if key in events:
                events[key] = replace(events[key], incident=incident)

    files, early = find_inputs(list(paths), summary.passed_over)
    for rejection in early:
        set_aside(rejection, Path(rejection.source))
    pending: list[Facts] = []
    # One set of content hashes tells repeats, in input order. Here the reader adds each payload's
    # as it screens it, before parsing; a cluster's slices each skip only the repeats they see
    # themselves, so their documents are told again here, to give the same run as one process.
    hashes = ContentHashes()
    started = time.monotonic()
    outcomes = (extract_files(files, known) if extract_files
                else _extract_here(files, known, settings, console, hashes))
    for path, outcome in outcomes:
        if isinstance(outcome, PassedOver):
            summary.passed_over.update(outcome.counts)
            continue
        summary.read += 1
        if isinstance(outcome, Rejection):
            set_aside(outcome, path)
        elif isinstance(outcome, Document):
            summary.already_stored += 1
        elif isinstance(outcome, Duplicate) or (extract_files is not None
                                                and not hashes.add(outcome.document.content_hash)):
            summary.duplicates += 1
        else:
            if not pending:
                started = time.monotonic()
            pending.append(outcome)
        if pending and ((batch_documents and len(pending) >= batch_documents)
                        or (batch_seconds and time.monotonic() - started >= batch_seconds)):
            flush(pending)
            pending = []
    flush(pending)
    return summary


def ingest(paths: Iterable[Path], store: Store, settings: Settings, command: str,
           console: Console | None = None,
           on_rejection: Callable[[Rejection, str | None], None] | None = None,
           extract_files: ExtractFiles | None = None,
           on_facts: Callable[[Facts], object] | None = None) -> RunSummary:
    """Store documents and their facts as they are extracted; running it twice adds nothing.

    Documents are stored in batches (``settings.store_batch_documents`` or
    ``store_batch_seconds``, whichever comes first), each in one transaction with the incident
    ids it changes: a run killed at any point keeps every batch it finished, and a rerun skips
    their documents before extracting them (their content hash is stored). Each batch joins the
    families and incidents of everything stored before it.

    ``extract_files`` as in ``run_documents``; ``on_facts`` sees each document the store took.
    """
    run_id = store.start_run(command)

    def add(facts: Facts) -> bool:
        stored = store.add(facts, run_id)
        if on_facts:
            on_facts(facts)
        return stored

    def add_batch(batch: list[Facts], incidents: dict[tuple[str, str], str]) -> list[bool | Rejected]:
        results: list[bool | Rejected]
        try:
            results = list(store.add_many(batch, run_id, incidents))
        except Rejected:  # one document breaks the contract: store the others one by one
            results = []
            for facts in batch:
                try:
                    results.append(store.add(facts, run_id))
                except Rejected as exc:
                    results.append(exc)
            store.set_incidents(incidents)
        if on_facts:
            for facts, result in zip(batch, results, strict=True):
                if not isinstance(result, Rejected):
                    on_facts(facts)
        return results

    rejected: list[tuple[Rejection, str | None]] = []

    def store_rejections() -> None:
        store.add_rejections(rejected, run_id)
        rejected.clear()

    def keep(rejection: Rejection, where: str | None) -> None:
        rejected.append((rejection, where))  # stored with the next batch: one commit for many
        if len(rejected) >= max(1, settings.store_batch_documents):
            store_rejections()
        if on_rejection:
            on_rejection(rejection, where)

    def add_batch_and_rejections(batch: list[Facts],
                                 incidents: dict[tuple[str, str], str]) -> list[bool | Rejected]:
        store_rejections()
        return add_batch(batch, incidents)

    try:
        summary = run_documents(paths, settings, add, keep, console,
                                known=store.has_hash, stored_documents=store.all_documents(),
                                stored_events=store.seizure_events(), extract_files=extract_files,
                                batch_sink=add_batch_and_rejections,
                                batch_documents=max(1, settings.store_batch_documents),
                                batch_seconds=settings.store_batch_seconds)
    finally:
        store_rejections()
    store.finish_run(run_id, summary.as_dict())
    return summary


def write_predictions(paths: Iterable[Path], settings: Settings, output: Path | None,
                      on_rejection: Callable[[Rejection, str | None], None] | None = None) -> RunSummary:
    """Extract ``paths`` and write one prediction line per document to ``output`` (None: standard
    output), in input order.

    Documents are linked and written a batch at a time, as ``ingest`` stores them, so a run holds
    one batch, not every document's facts. The lines go to a temporary file first: a later batch
    that joins two incidents changes the id of events already written, and the copy to ``output``
    at the end gives each event its final incident id. ``output`` is opened only then, so a run
    that fails leaves it as it was.
    """
    from borderwatch.records import prediction_record

    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        spooled: list[str] = []  # the document id of each spooled line, so the copy parses only relinked ones

        def write(facts: Facts) -> bool:
            spool.write(json.dumps(prediction_record(facts), ensure_ascii=False) + "\n")
            spooled.append(facts.document.id)
            return True

        summary = run_documents(paths, settings, write, on_rejection,
                                batch_documents=max(1, settings.store_batch_documents),
                                batch_seconds=settings.store_batch_seconds)
        spool.seek(0)
        if output:
            output.parent.mkdir(parents=True, exist_ok=True)
        with output.open("w", encoding="utf-8") if output else nullcontext(sys.stdout) as handle:
            _copy_predictions(spool, handle, spooled, summary.relinked)
    return summary


def _copy_predictions(spool: IO[str], output: IO[str], spooled: list[str],
                      relinked: dict[tuple[str, str], str]) -> None:
    """Copy the spooled lines, rewriting the incident ids of only the documents a later batch relinked."""
    relinked_documents = {doc_id for doc_id, _ in relinked}
    for doc_id, line in zip(spooled, spool, strict=True):
        if doc_id in relinked_documents:
            record = json.loads(line)
            for event in record["events"]:
                if event["type"] == "seizure":
                    event["incident"] = relinked.get((event["doc_id"], event["id"]), event["incident"])
            line = json.dumps(record, ensure_ascii=False) + "\n"
        output.write(line)


def render_records(store: Store, console: Console | None = None) -> int:
    """Bring the API's rendered event records up to date, with a progress bar; returns how many."""
    stale = store.stale_records()
    if stale:
        with _progress(console) as progress:
            task = progress.add_task("rendering event records", total=stale)
            store.refresh_records(lambda done: progress.advance(task, done))
    return stale


def _progress(console: Console | None) -> Progress:
    return Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                    MofNCompleteColumn(), TimeElapsedColumn(), console=console or Console(stderr=True),
                    transient=True)


def evaluate(gold_dir: Path, settings: Settings) -> tuple[Report, list[dict[str, Any]]]:
    """Extract every report in a gold folder and score it; returns the report and predictions."""
    from borderwatch.records import prediction_record

    reports = sorted(p for p in gold_dir.iterdir() if p.suffix.lower() in (".txt", ".html", ".htm"))
    predictions: list[dict[str, Any]] = []

    def keep(facts: Facts) -> bool:
        predictions.append(prediction_record(facts))
        return True

    run_documents(reports, settings, keep)
    return score(load_gold(gold_dir), {str(p["id"]): p for p in predictions}), predictions
