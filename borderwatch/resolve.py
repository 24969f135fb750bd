"""Facts across outlets -> incident ids: one real-world seizure, however many reports.

Two seizure events from different documents are the same incident when nothing they
state contradicts it and enough agrees: the same country and province, dates within a day
at the precision each gives (outlets differ on "24 or 25 April"), a shared commodity and
substance, and quantities within tolerance, one report's total against the other's parts
included (or, lacking comparable quantities, the same or next day in the same province).
A month or a year within a week of the other's day still links when a shared substance's amount
agrees: one outlet dates an operation by the day it began, another by the month it was announced.
Linked events share an incident id; their own values stay as reported.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import chain, combinations, product

from datasketch import LeanMinHash, MinHash

from borderwatch.model import Commodity, Document, Facts, Item, SeizureEvent

QUANTITY_TOLERANCE = 0.1  # "about 94 kg" and "93.973 kilograms" are one haul
REPORTING_LAG_DAYS = 7  # an operation dated by its start in one report, by its announcement in another


@dataclass(frozen=True, slots=True)
class LinkedAmount:
    """What incident linking reads of an item: its commodity, substance and normalised amounts."""

    commodity: Commodity
    substance: str | None
    mass_kg: float | None
    count: float | None
    volume_m3: float | None


@dataclass(frozen=True, slots=True)
class LinkedSeizure:
    """What incident linking reads of a seizure event, and nothing else: no evidence, raw strings,
    place names or people. A run keeps one for every seizure it has linked, to join later reports
    to it, so this is what a seizure costs for the rest of the run (a few hundred bytes, not the
    event with its evidence). ``same_incident`` gives it the answer it gives the event."""

    id: str
    doc_id: str
    items: tuple[LinkedAmount, ...]
    date: str | None
    country: str | None
    admin1: str | None
    incident: str | None


Seizure = SeizureEvent | LinkedSeizure
Amount = Item | LinkedAmount


def linked_seizure(event: Seizure) -> LinkedSeizure:
    """The fields of ``event`` that linking reads; names repeated across events are shared (interned)."""
    if isinstance(event, LinkedSeizure):
        return event

    def shared(value: str | None) -> str | None:
        return None if value is None else sys.intern(value)

    items = tuple(LinkedAmount(i.commodity, shared(i.substance), i.mass_kg, i.count, i.volume_m3)
                  for i in event.items)
    return LinkedSeizure(event.id, event.doc_id, items, event.date, shared(event.country),
                         shared(event.admin1), event.incident)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return False
    return abs(a - b) <= QUANTITY_TOLERANCE * max(abs(a), abs(b))


def _same_amount(x: Amount, y: Amount) -> bool:
    """Two items state one amount, within tolerance, in a unit both give."""
    return _close(x.mass_kg, y.mass_kg) or _close(x.count, y.count) or _close(x.volume_m3, y.volume_m3)


def _quantities_agree(a: tuple[Amount, ...], b: tuple[Amount, ...]) -> bool:
    """An item of one agrees with an item of the other, or one's total with the other's parts."""
    if any(_same_amount(x, y) for x in a for y in b):
        return True
    for unit in ("mass_kg", "count", "volume_m3"):
        totals = [sum(getattr(i, unit) or 0.0 for i in items) for items in (a, b)]
        parts = [[getattr(i, unit) for i in items if getattr(i, unit)] for items in (a, b)]
        if len(parts[0]) + len(parts[1]) > 2 and any(
                _close(totals[k], getattr(i, unit)) for k in (0, 1) for i in (b, a)[k]):
            return True
    return False


def _interval(value: str) -> tuple[date, date] | None:
    """The days a date stands for at its precision: "2018-10" is the whole of October."""
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return day, day
        year = int(value[:4])
        if len(value) == 7:
            month = int(value[5:7])
            following = date(year + month // 12, month % 12 + 1, 1)
            return date(year, month, 1), date.fromordinal(following.toordinal() - 1)
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None


def _date_gap(a: str | None, b: str | None) -> int | None:
    """Days between the periods two dates stand for (0 when they overlap); None when either is unknown."""
    if not a or not b:
        return None
    ia, ib = _interval(a), _interval(b)
    if ia is None or ib is None:
        return None
    return max(0, (ib[0] - ia[1]).days, (ia[0] - ib[1]).days)


def _day_gap(a: str | None, b: str | None) -> int | None:
    """Days between two day-precision dates; None when either is coarser or unknown."""
    if not a or not b or len(a) != 10 or len(b) != 10:
        return None
    return _date_gap(a, b)


def _amount_agrees(a: tuple[Amount, ...], b: tuple[Amount, ...]) -> bool:
    """One substance's amount, stated by both, agrees: what lets dates a few days apart still link."""
    return any(x.substance and x.substance == y.substance and _same_amount(x, y) for x in a for y in b)


def same_incident(a: Seizure, b: Seizure) -> bool:
    """Do two reported seizures describe the same real-world event?"""
    if a.doc_id == b.doc_id:
        return False
    if a.country and b.country and a.country != b.country:
        return False
    gap = _date_gap(a.date, b.date)
    coarse = bool(a.date and b.date and min(len(a.date), len(b.date)) < 10)
    if gap is not None and gap > 1 and not (coarse and gap <= REPORTING_LAG_DAYS and _amount_agrees(a.items, b.items)):
        return False
    commodities_a = {i.commodity for i in a.items}
    commodities_b = {i.commodity for i in b.items}
    if not commodities_a & commodities_b:
        return False
    substances_a = {i.substance for i in a.items if i.substance}
    substances_b = {i.substance for i in b.items if i.substance}
    if substances_a and substances_b and not substances_a & substances_b:
        return False
    if a.admin1 and b.admin1 and a.admin1 != b.admin1:
        return False
    if _quantities_agree(a.items, b.items):
        return True
    if _comparable(a.items, b.items):
        return False  # both give the amount in one unit, and the amounts differ
    gap = _day_gap(a.date, b.date)
    return gap is not None and gap <= 1 and bool(a.admin1) and a.admin1 == b.admin1


def _comparable(a: tuple[Amount, ...], b: tuple[Amount, ...]) -> bool:
    """Do both events state an amount of one shared substance in one shared unit?"""
    return any(x.substance == y.substance and any(getattr(x, u) and getattr(y, u) for u in ("mass_kg", "count",
               "volume_m3")) for x in a for y in b)


def link_incidents(events: list[SeizureEvent],
                   previous: Sequence[Seizure] | None = None) -> dict[tuple[str, str], str]:
    """Incident id for every event and every ``previous`` one, keyed by (document id, event id).

    Events are compared only within a commodity (a pangolin haul is never a drug seizure);
    a group that already has incident ids keeps the smallest, so stored ids stay stable.
    ``previous`` events were linked before (a store's, an earlier batch's): those that share an
    incident id are one group already, so they are compared with ``events`` only, not with each
    other, and a batch costs its events times the run's, not the run's squared. A previous event
    without an incident id is compared with everything, as a new one.
    """
    settled = [e for e in previous or [] if e.incident]
    fresh: list[Seizure] = [*events, *(e for e in previous or [] if not e.incident)]
    key = {id(e): (e.doc_id, e.id) for e in fresh + settled}
    parent = {k: k for k in key.values()}

    def root(x: tuple[str, str]) -> tuple[str, str]:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(a: tuple[str, str], b: tuple[str, str]) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    first_of: dict[str, tuple[str, str]] = {}
    for event in settled:
        join(first_of.setdefault(str(event.incident), key[id(event)]), key[id(event)])

    def by_commodity(group: list[Seizure]) -> dict[str, list[Seizure]]:
        blocks: dict[str, list[Seizure]] = {}
        for event in group:
            for commodity in {i.commodity for i in event.items} or {"other"}:
                blocks.setdefault(commodity, []).append(event)
        return blocks

    settled_blocks = by_commodity(settled)
    for commodity, block in by_commodity(fresh).items():
        pairs = chain(combinations(block, 2), product(block, settled_blocks.get(commodity, [])))
        for a, b in pairs:
            if same_incident(a, b):
                join(key[id(a)], key[id(b)])
    existing: dict[tuple[str, str], str] = {}
    for event in fresh + settled:
        if event.incident:
            r = root(key[id(event)])
            existing[r] = min(existing.get(r, event.incident), event.incident)
    return {k: existing.get(root(k)) or _incident_id(root(k)) for k in key.values()}


def resolve_incidents(documents: list[Facts],
                      stored: Sequence[Seizure] | None = None) -> tuple[list[Facts], dict[tuple[str, str], str]]:
    """Give every new seizure an incident id shared with the same seizure in other reports.

    ``stored`` are seizures already linked (in the database, or earlier batches of a run), as
    events or as the ``LinkedSeizure`` a run keeps of them;
    returns the documents with their events' incidents set, and the stored events whose incident
    changed (two incidents a new report joins).
    """
    previous = stored or []
    incidents = link_incidents([e for facts in documents for e in facts.events], previous)
    for facts in documents:
        facts.events = [replace(e, incident=incidents[(e.doc_id, e.id)]) for e in facts.events]
    changed = {(e.doc_id, e.id): incidents[(e.doc_id, e.id)] for e in previous
               if incidents[(e.doc_id, e.id)] != e.incident}
    return documents, changed


def _incident_id(root: tuple[str, str]) -> str:
    return "inc-" + hashlib.sha1("#".join(root).encode("utf-8")).hexdigest()[:12]


SHINGLE_WORDS = 5
FAMILY_THRESHOLD = 0.6  # estimated Jaccard of 5-word shingles: reposts and wire copies share most of them
NUM_PERM = 128
BANDS, ROWS = 18, 7  # datasketch's MinHashLSH banding for FAMILY_THRESHOLD and NUM_PERM (a test checks it)


def _minhash(text: str) -> LeanMinHash:
    words = re.findall(r"\w+", text.lower())
    signature = MinHash(num_perm=NUM_PERM)
    for i in range(max(1, len(words) - SHINGLE_WORDS + 1)):
        signature.update(" ".join(words[i:i + SHINGLE_WORDS]).encode("utf-8"))
    # Kept for the whole run: the lean form holds the hash values only, not the 2 KB of
    # permutations every MinHash carries.
    return LeanMinHash(signature)


def _band_keys(signature: LeanMinHash) -> list[int]:
    """One key per LSH band: documents sharing a band's rows are candidates. A key is the band's
    hash, not its bytes (a collision only adds a candidate, which the Jaccard check refuses)."""
    values = signature.hashvalues
    return [hash(values[band * ROWS:(band + 1) * ROWS].tobytes()) for band in range(BANDS)]


class FamilyIndex:
    """Document families kept up to date as documents arrive, batch by batch.

    Holds a MinHash signature per document seen (not its text), so a long streamed run links
    each new batch against everything stored before it in bounded memory per document. The
    bands are plain dicts of int keys to document ids: datasketch's ``MinHashLSH`` keeps a byte
    key and a set per band and document, about 6 KB a document for the whole run.
    """

    def __init__(self) -> None:
        self._bands: list[dict[int, str | list[str]]] = [{} for _ in range(BANDS)]
        self._signatures: dict[str, LeanMinHash] = {}
        self._family: dict[str, str] = {}

    def _insert(self, doc_id: str, signature: LeanMinHash) -> None:
        for band, key in zip(self._bands, _band_keys(signature), strict=True):
            held = band.setdefault(key, doc_id)
            if isinstance(held, list):
                held.append(doc_id)
            elif held != doc_id:
                band[key] = [held, doc_id]
        self._signatures[doc_id] = signature

    def _candidates(self, signature: LeanMinHash) -> set[str]:
        found: set[str] = set()
        for band, key in zip(self._bands, _band_keys(signature), strict=True):
            held = band.get(key)
            if isinstance(held, list):
                found.update(held)
            elif held is not None:
                found.add(held)
        return found

    def add_stored(self, documents: Iterable[Document]) -> None:
        """Index documents already stored, which keep the family they have."""
        for doc in documents:
            if doc.id not in self._family:
                self._insert(doc.id, _minhash(doc.text))
                self._family[doc.id] = doc.family or doc.id

    def add(self, documents: Iterable[Document]) -> dict[str, str]:
        """Index ``documents`` and return each one's family: the earliest document it reposts.

        Documents already in a family (stored earlier) keep it and come first, so new copies join them.
        """
        found: dict[str, str] = {}
        for doc in sorted(documents, key=lambda d: (d.family is None, d.published or "9999", d.id)):
            if doc.id in self._family:
                found[doc.id] = self._family[doc.id]
                continue
            signature = _minhash(doc.text)
            matches = [c for c in self._candidates(signature)
                       if self._signatures[c].jaccard(signature) >= FAMILY_THRESHOLD]
            family = doc.family or min((self._family[c] for c in matches), default=doc.id)
            self._insert(doc.id, signature)
            self._family[doc.id] = found[doc.id] = family
        return found


def document_families(documents: list[Document]) -> dict[str, str]:
    """Map each document id to its family: the earliest document it reposts or syndicates.

    MinHash/LSH over word shingles finds candidates; a family is named by its first
    member (by publication date, then id). A repost's events are the same incidents as the
    original's, so it adds none of its own to any count.
    """
    return FamilyIndex().add(documents)
