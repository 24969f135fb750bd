"""Facts across outlets -> incident ids: one real-world seizure, however many reports.

Two seizure events from different documents are the same incident when nothing they
state contradicts it and enough agrees: the same country and province, dates within a day
at the precision each gives (outlets differ on "24 or 25 April"), a shared commodity and
substance, and quantities within tolerance, one report's total against the other's parts
included (or, lacking comparable quantities, the same or next day in the same province; or, neither report
dated and one counting what the other weighs, the same province, substance and seizing agency).
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
from functools import lru_cache
from itertools import chain, combinations, product
from math import cos, radians, sqrt

from datasketch import LeanMinHash, MinHash

from borderwatch.geo.gazetteer import Gazetteer, fold_name
from borderwatch.model import Commodity, Document, Facts, Item, LocationPrecision, SeizureEvent

QUANTITY_TOLERANCE = 0.1  # "3.3 t" and "3,1 t", "about 94 kg" and "93.973 kilograms" are one haul
CLOSE_TOLERANCE = 0.03  # "nearly 13 million" and "12,742,000": the same figure, rounded
REPORTING_LAG_DAYS = 7  # an operation dated by its start in one report, by its announcement in another
NEARBY_KM = 15.0  # two places this close (at district precision or finer) are one place told two ways
UNITS = ("mass_kg", "count", "volume_m3")
TABLET_KG = (0.08e-3, 0.12e-3)  # a pressed drug tablet weighs about a tenth of a gram: 1,034,413 pills, 93.973 kg

TIGHT, LOOSE, NONE, DIFFER = 3, 2, 1, 0  # how the amounts of two reports agree


@dataclass(frozen=True, slots=True)
class LinkedAmount:
    """What incident linking reads of an item: its goods (commodity, substance, form) and normalised amounts."""

    commodity: Commodity
    substance: str | None
    form: str | None
    mass_kg: float | None
    count: float | None
    volume_m3: float | None


@dataclass(frozen=True, slots=True)
class LinkedSeizure:
    """What incident linking reads of a seizure event, and nothing else: no evidence, raw strings,
    place names or people, only the seizing agency's name. A run keeps one for every seizure it has
    linked, to join later reports to it, so this is what a seizure costs for the rest of the run (a few
    hundred bytes, not the event with its evidence). ``same_incident`` gives it the answer it gives the event."""

    id: str
    doc_id: str
    items: tuple[LinkedAmount, ...]
    date: str | None
    country: str | None
    admin1: str | None
    location_precision: LocationPrecision | None
    lat: float | None
    lon: float | None
    incident: str | None
    agency: str | None = None


Seizure = SeizureEvent | LinkedSeizure
Amount = Item | LinkedAmount


def linked_seizure(event: Seizure) -> LinkedSeizure:
    """The fields of ``event`` that linking reads; names repeated across events are shared (interned)."""
    if isinstance(event, LinkedSeizure):
        return event

    def shared(value: str | None) -> str | None:
        return None if value is None else sys.intern(value)

    items = tuple(LinkedAmount(i.commodity, shared(i.substance), shared(i.form), i.mass_kg, i.count, i.volume_m3)
                  for i in event.items)
    return LinkedSeizure(event.id, event.doc_id, items, event.date, shared(event.country), shared(event.admin1),
                         event.location_precision, event.lat, event.lon, event.incident, shared(event.agency))


def _agency_words(agency: str | None) -> frozenset[str]:
    """The longer words of who seized ("military police", "customs"), folded, to compare two reports' agencies."""
    return frozenset(re.findall(r"[^\W\d_]{4,}", agency.casefold())) if agency else frozenset()


def _measured_apart(a: tuple[Amount, ...], b: tuple[Amount, ...]) -> bool:
    """Both reports give the one named substance's amount, each in a unit the other does not ("83 pieces of
    rosewood", "810 kilograms of rosewood"): the amounts cannot be compared, not differ."""
    named = [(x, y) for x in a for y in b if x.substance and x.substance == y.substance]
    return bool(named) and all(
        any(getattr(x, u) for u in UNITS) and any(getattr(y, u) for u in UNITS)
        and not any(getattr(x, u) and getattr(y, u) for u in UNITS) for x, y in named)


def _close(a: float | None, b: float | None, tolerance: float = QUANTITY_TOLERANCE) -> bool:
    if a is None or b is None:
        return False
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


def _same_goods(x: Amount, y: Amount) -> bool:
    """Can two items name one thing? The same substance, or one of them unnamed ("tablets")."""
    return x.commodity == y.commodity and (not x.substance or not y.substance or x.substance == y.substance)


def _same_amount(x: Amount, y: Amount, tolerance: float = QUANTITY_TOLERANCE) -> bool:
    """Two items state one amount, within tolerance, in a unit both give."""
    return any(_close(getattr(x, u), getattr(y, u), tolerance) for u in UNITS)


def _tablets_weigh(x: Amount, y: Amount) -> bool:
    """One report counts the tablets ("200,000 pills"), the other weighs them ("about 20 kg of pills")."""
    if x.form != "tablets" or not x.count or x.mass_kg or not y.mass_kg or y.count:
        return False
    low, high = TABLET_KG
    return x.count * low * (1 - QUANTITY_TOLERANCE) <= y.mass_kg <= x.count * high * (1 + QUANTITY_TOLERANCE)


def _total_matches_parts(a: tuple[Amount, ...], b: tuple[Amount, ...]) -> bool:
    """One report's total ("55 kg of drugs") is the sum of the other's parts (10 kg heroin, 45 kg meth).

    The total names no substance, or one of the parts' substances."""
    for total_side, parts_side in ((a, b), (b, a)):
        for unit in UNITS:
            parts = [i for i in parts_side if getattr(i, unit)]
            if len(parts) < 2:
                continue
            names = {i.substance for i in parts}
            whole = sum(getattr(i, unit) for i in parts)
            if any(_close(whole, getattr(t, unit)) and (not t.substance or t.substance in names)
                   for t in total_side):
                return True
    return False


def _amounts(a: tuple[Amount, ...], b: tuple[Amount, ...]) -> int:
    """How the two reports' amounts agree: TIGHT (one substance's figure, as rounded), LOOSE (within
    tolerance, an unnamed side, or a total against parts), NONE (no unit in common), DIFFER."""
    named = [(x, y) for x in a for y in b if x.substance and x.substance == y.substance]
    if any(_same_amount(x, y, CLOSE_TOLERANCE) for x, y in named):
        return TIGHT
    if any(_same_amount(x, y) or _tablets_weigh(x, y) or _tablets_weigh(y, x)
           for x in a for y in b if _same_goods(x, y)) or _total_matches_parts(a, b):
        return LOOSE
    if any(getattr(x, u) and getattr(y, u) for x, y in named for u in UNITS):
        return DIFFER  # both give one substance's amount in one unit, and the amounts differ
    return NONE


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


@lru_cache(maxsize=4096)
def _province_key(country: str | None, admin1: str) -> str:
    """One key for a province however it is spelt: "Xayaburi", "Sainyabuli" and "Xayabouly" alike."""
    canonical = Gazetteer.load().canonical_admin1(country, admin1)
    return fold_name(canonical or admin1)


def _same_province(a: Seizure, b: Seizure) -> bool | None:
    """Same province (True), different (False), or unknown on either side (None)."""
    if not a.admin1 or not b.admin1:
        return None
    country = a.country or b.country
    return _province_key(country, a.admin1) == _province_key(country, b.admin1)


def _nearby(a: Seizure, b: Seizure) -> bool:
    """Both events are placed finer than a province, and within NEARBY_KM of each other."""
    fine = ("point", "district")
    if a.location_precision not in fine or b.location_precision not in fine:
        return False
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return False
    dlat = radians(b.lat - a.lat)
    dlon = radians(b.lon - a.lon) * cos(radians((a.lat + b.lat) / 2))
    return 6371.0 * sqrt(dlat * dlat + dlon * dlon) <= NEARBY_KM


def _specific(items: tuple[Amount, ...], other: tuple[Amount, ...]) -> bool:
    """A shared substance's figure that agrees to three significant digits or more (124 kg, 19.5 million,
    93.973 kg; not "1 tonne" or "2.5 million"): round figures recur, such figures do not."""
    for x in items:
        for y in other:
            if x.substance and x.substance == y.substance:
                for unit in UNITS:
                    va, vb = getattr(x, unit), getattr(y, unit)
                    if _close(va, vb, CLOSE_TOLERANCE) and len(f"{va:.6g}".replace(".", "").strip("0")) >= 3:
                        return True
    return False


def _unshared_goods(a: tuple[Amount, ...], b: tuple[Amount, ...]) -> bool:
    """Each report names goods the other does not (a form counts when both give it): two hauls."""
    def kinds(items: tuple[Amount, ...]) -> set[tuple[str, str | None]]:
        return {(i.substance, i.form) for i in items if i.substance}

    def covered(kind: tuple[str, str | None], other: set[tuple[str, str | None]]) -> bool:
        return any(kind[0] == s and (kind[1] is None or f is None or kind[1] == f) for s, f in other)

    ka, kb = kinds(a), kinds(b)
    return any(not covered(k, kb) for k in ka) and any(not covered(k, ka) for k in kb)


def same_incident(a: Seizure, b: Seizure) -> bool:
    """Do two reported seizures describe the same real-world event?

    Vetoes first (another country, dates apart, other goods, amounts that differ); then the amounts'
    agreement is weighed with what corroborates it: the date, the province, the place."""
    if a.doc_id == b.doc_id:
        return False
    if a.country and b.country and a.country != b.country:
        return False
    commodities_a = {i.commodity for i in a.items}
    commodities_b = {i.commodity for i in b.items}
    if not commodities_a & commodities_b:
        return False
    substances_a = {i.substance for i in a.items if i.substance}
    substances_b = {i.substance for i in b.items if i.substance}
    if substances_a and substances_b and not substances_a & substances_b:
        return False
    amounts = _amounts(a.items, b.items)
    if amounts == DIFFER:
        return False
    gap = _date_gap(a.date, b.date)
    coarse = bool(a.date and b.date and min(len(a.date), len(b.date)) < 10)
    lagged = coarse and gap is not None and gap <= REPORTING_LAG_DAYS and amounts == TIGHT
    if gap is not None and gap > 1 and not lagged:
        return False
    province = _same_province(a, b)
    day_gap = _day_gap(a.date, b.date)
    if province is False:
        # one report has the province wrong (or gives where the goods went): only the same day and a
        # shared substance's exact, unround figure outweigh it
        return day_gap == 0 and amounts == TIGHT and _specific(a.items, b.items)
    # a year alone corroborates nothing; a month, or a day within one, does
    dated = day_gap is not None and day_gap <= 1 or (
        coarse and gap is not None and min(len(a.date or ""), len(b.date or "")) >= 7 and (gap == 0 or lagged))
    corroborated = (int(dated) + int(province is True) + int(_nearby(a, b)) + int(_specific(a.items, b.items))
                    - int(_unshared_goods(a.items, b.items)))
    if amounts == TIGHT:
        return corroborated >= 1
    if amounts == LOOSE:
        return corroborated >= 2
    # no amount to compare: the same or next day in the same province
    if day_gap is not None and day_gap <= 1 and province is True:
        return True
    # amounts in units that cannot be compared, neither report dated: the same province, one named substance
    # and the same seizing agency (two words of its name in common) make one stop told by two outlets
    return (province is True and not a.date and not b.date and _measured_apart(a.items, b.items)
            and len(_agency_words(a.agency) & _agency_words(b.agency)) >= 2)


def link_incidents(events: list[SeizureEvent],
                   previous: Sequence[Seizure] | None = None) -> dict[tuple[str, str], str]:
    """Incident id for every event and every ``previous`` one, keyed by (document id, event id).

    Events are compared only within a commodity (a pangolin haul is never a drug seizure);
    a group that already has incident ids keeps the smallest, so stored ids stay stable.
    ``previous`` events were linked before (a store's, an earlier batch's): those that share an
    incident id are one group already, so they are compared with ``events`` only, not with each
    other, and a batch costs its events times the run's, not the run's squared. A previous event
    without an incident id is compared with everything, as a new one. Two events of one report
    never share an incident, not even through a third report that matches both.
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

    # the documents each group's events come from: one report's events are distinct seizures, so a
    # link that would put two of them in one incident (through a third report) is refused
    documents = {k: {k[0]} for k in parent}

    def join(a: tuple[str, str], b: tuple[str, str], stored: bool = False) -> None:
        ra, rb = root(a), root(b)
        if ra == rb or (not stored and documents[ra] & documents[rb]):
            return
        keep, gone = min(ra, rb), max(ra, rb)
        parent[gone] = keep
        documents[keep] |= documents.pop(gone)

    first_of: dict[str, tuple[str, str]] = {}
    for event in settled:
        join(first_of.setdefault(str(event.incident), key[id(event)]), key[id(event)], stored=True)

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
