"""Read-only analysis over stored facts: border asymmetry, official coverage, routes.

The unit of counting is the incident, never the report: a seizure covered by three outlets
counts once, with the median of the values they give. Aggregates are never added to
seizures; they are the yardstick that media-reported seizures are compared against.
Intervals are exact (conditional binomial, Clopper-Pearson) so they hold for small counts.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import networkx as nx
from scipy.stats import beta

from borderwatch.dates import month_end
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.model import Aggregate, Flow, SeizureEvent
from borderwatch.store.repo import EventFilter, Store

Granularity = Literal["month", "quarter", "year", "all"]
UNDATED = "undated"


@dataclass(frozen=True)
class Observation:
    """One reported seizure as analysis sees it: which incident, where, when, how much, who reported."""

    incident: str
    country: str | None
    admin1: str | None
    date: str | None
    mass_kg: float | None
    arrests: int | None
    doc_id: str
    outlet: str | None


@dataclass(frozen=True)
class Report:
    """A stored report and the places it covers (for reporting effort)."""

    doc_id: str
    outlet: str | None
    countries_admin1: frozenset[tuple[str, str | None]]
    family: str | None = None


@dataclass(frozen=True)
class RateRatio:
    """A ratio of two Poisson rates with its exact interval (None where undefined)."""

    ratio: float | None
    low: float | None
    high: float | None
    level: float = 0.95
    method: str = "exact conditional binomial (Clopper-Pearson)"


@dataclass(frozen=True)
class SideTotals:
    """One side of a border in one period."""

    country: str
    incidents: int
    mass_kg: float
    arrests: int
    reports: int
    outlets: int


@dataclass(frozen=True)
class AsymmetryRow:
    """Both sides in one period, with raw and effort-normalised rate ratios (side a over side b)."""

    period: str
    a: SideTotals
    b: SideTotals
    incidents_ratio: RateRatio
    per_report_ratio: RateRatio
    per_outlet_ratio: RateRatio


@dataclass
class Asymmetry:
    """The answer to "is enforcement on the two sides asymmetric, by how much, how sure?"."""

    a: str
    b: str
    zone: dict[str, set[str]]
    granularity: Granularity
    rows: list[AsymmetryRow] = field(default_factory=list)
    total: AsymmetryRow | None = None
    excluded: dict[str, int] = field(default_factory=dict)


def rate_ratio(n_a: int, n_b: int, exposure_a: float = 1.0, exposure_b: float = 1.0,
               level: float = 0.95) -> RateRatio:
    """Rate ratio (n_a/exposure_a)/(n_b/exposure_b) with an exact interval.

    Conditional on n = n_a + n_b, n_a is binomial with p = r / (1 + r) where r is the rate
    ratio times exposure_a/exposure_b; a Clopper-Pearson interval on p maps to r.
    """
    if exposure_a <= 0 or exposure_b <= 0 or n_a + n_b == 0:
        return RateRatio(None, None, None, level)
    alpha = 1 - level
    scale = exposure_b / exposure_a
    p_low = beta.ppf(alpha / 2, n_a, n_b + 1) if n_a > 0 else 0.0
    p_high = beta.ppf(1 - alpha / 2, n_a + 1, n_b) if n_b > 0 else 1.0
    ratio = (n_a / n_b) * scale if n_b else None
    low = float(p_low / (1 - p_low)) * scale
    high = float(p_high / (1 - p_high)) * scale if p_high < 1 else None
    return RateRatio(ratio, low, high, level)


def period_of(iso: str | None, granularity: Granularity) -> str:
    """The bucket a date falls in; coarser dates than the bucket go to 'undated'."""
    if granularity == "all":
        return "all"
    if not iso:
        return UNDATED
    if granularity == "year":
        return iso[:4]
    if len(iso) < 7:
        return UNDATED
    if granularity == "month":
        return iso[:7]
    return f"{iso[:4]}-Q{(int(iso[5:7]) - 1) // 3 + 1}"


def incidents(observations: Iterable[Observation]) -> dict[str, list[Observation]]:
    """Reports grouped by incident, so nothing is counted twice."""
    grouped: dict[str, list[Observation]] = defaultdict(list)
    for obs in observations:
        grouped[obs.incident].append(obs)
    return dict(grouped)


def _consensus(reports: list[Observation]) -> Observation:
    """One value per field across the reports of an incident: the median where they disagree."""
    masses = [r.mass_kg for r in reports if r.mass_kg is not None]
    arrests = [r.arrests for r in reports if r.arrests is not None]
    dated = sorted((r for r in reports if r.date), key=lambda r: -len(r.date or ""))
    first = dated[0] if dated else reports[0]
    return Observation(first.incident, first.country or next((r.country for r in reports if r.country), None),
                       next((r.admin1 for r in reports if r.admin1), None), first.date,
                       statistics.median(masses) if masses else None,
                       int(statistics.median(arrests)) if arrests else None, first.doc_id, first.outlet)


def _side(country: str | None, admin1: str | None, zone: dict[str, set[str]] | None, a: str, b: str) -> str | None:
    if country not in (a, b):
        return None
    if zone is None:
        return country
    return country if admin1 in zone.get(country, set()) else None


def border_asymmetry(observations: Iterable[Observation], reports: Iterable[Report], a: str, b: str,
                     zone: dict[str, set[str]] | None, granularity: Granularity = "year") -> Asymmetry:
    """Incidents, masses and arrests on each side of the a-b border, by period, with rate ratios.

    ``zone`` lists each side's border provinces; None compares the two whole countries.
    Effort is the number of stored reports (and outlets) covering each side's zone.
    """
    result = Asymmetry(a, b, zone or {}, granularity)
    buckets: dict[str, dict[str, list[Observation]]] = defaultdict(lambda: {a: [], b: []})
    carriers: dict[str, set[Report]] = {a: set(), b: set()}
    excluded: dict[str, int] = defaultdict(int)
    for group in incidents(observations).values():
        event = _consensus(group)
        side = _side(event.country, event.admin1, zone, a, b)
        if side is None:
            excluded["outside the border zone" if event.country in (a, b) else "other countries"] += 1
            continue
        for period in {period_of(event.date, granularity), "all"}:
            buckets[period][side].append(event)
        # Every report that carried the seizure covers its side, whatever else it mentions.
        carriers[side].update(Report(o.doc_id, o.outlet, frozenset()) for o in group)
    # A repost or wire copy is the same report as its original: effort counts families.
    report_list = list(reports)
    family = {r.doc_id: r.family or r.doc_id for r in report_list}
    covering: dict[str, set[tuple[str, str]]] = {
        s: {(family.get(r.doc_id, r.doc_id), r.outlet or r.doc_id) for r in carriers[s]} for s in (a, b)}
    for report in report_list:
        for country, admin1 in report.countries_admin1:
            side = _side(country, admin1, zone, a, b)
            if side:
                covering[side].add((family[report.doc_id], report.outlet or report.doc_id))
    result.excluded = dict(excluded)
    for period in sorted(p for p in buckets if p != "all"):
        result.rows.append(_row(period, buckets[period], covering, a, b))
    result.total = _row("all", buckets["all"], covering, a, b)
    return result


def _row(period: str, sides: dict[str, list[Observation]], covering: dict[str, set[tuple[str, str]]],
         a: str, b: str) -> AsymmetryRow:
    """Effort is measured over the whole range: reports are not dated by the event they cover."""
    totals = {}
    for country in (a, b):
        events = sides[country]
        totals[country] = SideTotals(
            country, len(events), round(sum(e.mass_kg or 0.0 for e in events), 3),
            sum(e.arrests or 0 for e in events), len({doc for doc, _ in covering[country]}),
            len({outlet for _, outlet in covering[country]}))
    ta, tb = totals[a], totals[b]
    return AsymmetryRow(period, ta, tb, rate_ratio(ta.incidents, tb.incidents),
                        rate_ratio(ta.incidents, tb.incidents, ta.reports, tb.reports),
                        rate_ratio(ta.incidents, tb.incidents, ta.outlets, tb.outlets))


@dataclass(frozen=True)
class CoverageRow:
    """An official total beside the media-reported seizures of the same country and period."""

    aggregate_id: str
    country: str | None
    agency: str | None
    period_start: str
    period_end: str
    official_mass_kg: float | None
    official_arrests: int | None
    media_incidents: int
    media_mass_kg: float
    media_arrests: int
    share_mass: float | None
    share_arrests: float | None
    assumption: str | None


def coverage(aggregates: Iterable[Aggregate], observations: Iterable[Observation]) -> list[CoverageRow]:
    """What share of each official total the news shows (seizures in its country and period)."""
    grouped = [_consensus(g) for g in incidents(observations).values()]
    rows = []
    for agg in aggregates:
        if not agg.period_end or not agg.country:
            continue
        start, assumption = agg.period_start, None
        if not start:
            start, assumption = agg.period_end[:4] + "-01-01", "period start not stated: taken as 1 January"
        end = _last_day(agg.period_end)
        inside = [e for e in grouped if e.country == agg.country and (agg.admin1 is None or e.admin1 == agg.admin1)
                  and e.date and len(e.date) == 10 and start <= e.date <= end]
        official_mass = sum(i.mass_kg for i in agg.items if i.mass_kg is not None) or None
        media_mass = round(sum(e.mass_kg or 0.0 for e in inside), 3)
        media_arrests = sum(e.arrests or 0 for e in inside)
        rows.append(CoverageRow(
            agg.id, agg.country, agg.agency, start, end, official_mass, agg.arrests, len(inside), media_mass,
            media_arrests, round(media_mass / official_mass, 4) if official_mass else None,
            round(media_arrests / agg.arrests, 4) if agg.arrests else None, assumption))
    return rows


def _last_day(iso: str) -> str:
    if len(iso) == 10:
        return iso
    if len(iso) == 7:
        return month_end(int(iso[:4]), int(iso[5:7])).isoformat()
    return date(int(iso[:4]), 12, 31).isoformat()


def route_graph(flows: Iterable[Flow], events: Iterable[SeizureEvent]) -> nx.DiGraph:
    """Countries linked by stated flows and by seizures' origins and destinations.

    Each edge has ``weight`` (pieces of evidence) and ``evidence`` (who asserted it, where).
    """
    graph = nx.DiGraph()

    def add(origin: str, destination: str, who: str | None, doc_id: str, kind: str, commodity: str | None) -> None:
        if origin == destination:
            return
        if not graph.has_edge(origin, destination):
            graph.add_edge(origin, destination, weight=0, evidence=[], commodities=set())
        edge = graph[origin][destination]
        edge["weight"] += 1
        edge["evidence"].append({"asserted_by": who, "doc_id": doc_id, "kind": kind})
        if commodity:
            edge["commodities"].add(commodity)

    for flow in flows:
        add(flow.origin, flow.destination, flow.asserted_by, flow.doc_id, "stated flow", flow.commodity)
    for event in events:
        commodity = event.items[0].commodity if event.items else None
        if event.origin_country and event.country:
            add(event.origin_country, event.country, event.agency, event.doc_id, "seizure origin", commodity)
        if event.destination_country and event.country:
            add(event.country, event.destination_country, event.agency, event.doc_id, "seizure destination",
                commodity)
    return graph


def load_observations(store: Store, flt: EventFilter | None = None, page: int = 1000) -> list[Observation]:
    """Every stored seizure as an observation (its incident, or itself when unresolved)."""
    out: list[Observation] = []
    offset = 0
    while True:
        rows = store.events(flt or EventFilter(), limit=page, offset=offset)
        for row in rows:
            event = row.event
            masses = [i.mass_kg for i in event.items if i.mass_kg is not None]
            out.append(Observation(event.incident or event.id, event.country, event.admin1, event.date,
                                   sum(masses) if masses else None, event.arrests, event.doc_id, row.outlet))
        if len(rows) < page:
            return out
        offset += page


def load_reports(store: Store, gazetteer: Gazetteer) -> list[Report]:
    """Every stored report with the provinces it mentions: the measure of reporting effort."""
    return [Report(doc.id, doc.outlet, frozenset((m.place.country, m.place.admin1) for m in gazetteer.find(doc.text)
                                                 if not doc.is_furniture(m.start, m.end)), doc.family)
            for doc in store.all_documents()]


def store_asymmetry(store: Store, a: str, b: str, granularity: Granularity = "year", whole_countries: bool = False,
                    flt: EventFilter | None = None) -> Asymmetry:
    """``border_asymmetry`` over everything stored: the border provinces from the gazetteer,
    or the two whole countries."""
    gazetteer = Gazetteer.load()
    return border_asymmetry(load_observations(store, flt), load_reports(store, gazetteer), a, b,
                            None if whole_countries else gazetteer.border_provinces(a, b), granularity)
