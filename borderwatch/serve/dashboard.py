"""View models for the analyst's dashboard: map layers, timeline, incident comparison, claims board.

Everything here reads a Store through the same ``EventFilter`` the URL carries, so one query
string narrows every view. Nothing here builds HTML; the pages (web.py), the map's JSON
(/api/map) and the API (api.py) build on these functions.
"""

from __future__ import annotations

import statistics
import weakref
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote as url_quote

from borderwatch.analyze import Report, border_asymmetry, load_observations, load_reports, route_graph
from borderwatch.geo.countries import country_name, find_countries
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.lang import language_for
from borderwatch.model import Aggregate, Facts, Flow, Item, Quote, SeizureEvent
from borderwatch.serve.mapsvg import (
    MapArrow,
    MapCircle,
    MapShade,
    SizeBasis,
    Timeline,
    TimelineSpan,
    month_range,
)
from borderwatch.speakers import SpeakerKind, identify_speaker
from borderwatch.store.repo import EventFilter, EventRow, Store

MAX_MAPPED_EVENTS = 5000
"""The map and timeline draw at most this many matching events (the table pages through all)."""
MAX_TIMELINE_MONTHS = 240
BORDER_PAIRS = (("KH", "LA"), ("KH", "TH"), ("KH", "VN"), ("LA", "TH"), ("LA", "VN"), ("LA", "MM"),
                ("MM", "TH"), ("CN", "MM"), ("CN", "LA"), ("CN", "VN"))
COMPARED_FIELDS = ("date", "country", "admin1", "place", "substance", "mass_kg", "count", "volume_m3",
                   "arrests", "suspect_nationalities", "origin_country", "destination_country", "agency",
                   "concealment")
_RAW_FIELDS = {"date": "date_raw", "arrests": "arrests_raw", "mass_kg": "mass_raw", "count": "count_raw",
               "volume_m3": "volume_raw"}


def format_number(value: float) -> str:
    """1034413 -> "1,034,413"; 93.973 -> "93.973": no float noise, thousands separated."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def format_quantities(items: Sequence[Item]) -> str:
    """Items as "93.973 kg, 1,034,413 tablets", for tables and labels."""
    parts = []
    for item in items:
        amounts = []
        if item.mass_kg is not None:
            amounts.append(f"{format_number(item.mass_kg)} kg")
        if item.count is not None:
            amounts.append(f"{format_number(item.count)} {item.count_unit or 'units'}")
        if item.volume_m3 is not None:
            amounts.append(f"{format_number(item.volume_m3)} m³")
        parts.append(", ".join(amounts) or item.qualifier or "quantity not stated")
    return "; ".join(parts)


def format_substances(items: Sequence[Item]) -> str:
    """The substances (or commodities) of items, once each."""
    names = [item.substance or item.commodity for item in items]
    return ", ".join(dict.fromkeys(names))


def incident_id(event: SeizureEvent) -> str:
    """The incident an event belongs to; an unresolved event is its own incident."""
    return event.incident or event.id


def incident_href(incident: str, query: str = "") -> str:
    """Link to the side-by-side evidence view, keeping the page's filters."""
    return f"/incidents/{url_quote(incident, safe=':')}" + (f"?{query}" if query else "")


def document_href(doc_id: str, anchor: str | None = None) -> str:
    """Link to a document page, at one fact's first highlight when ``anchor`` is given."""
    return f"/documents/{url_quote(doc_id, safe='/:')}" + (f"#{anchor}" if anchor else "")


def numbered_facts(facts: Facts) -> list[tuple[int, str, SeizureEvent | Aggregate | Quote | Flow]]:
    """Facts in the document page's order, numbered from 1: the numbers its anchors use."""
    kinds: list[tuple[str, Sequence[SeizureEvent | Aggregate | Quote | Flow]]] = [
        ("seizure", facts.events), ("statistic", facts.aggregates), ("quote", facts.quotes), ("flow", facts.flows)]
    ordered = [(kind, fact) for kind, group in kinds for fact in group]
    return [(number, kind, fact) for number, (kind, fact) in enumerate(ordered, start=1)]


def fact_anchor(number: int, fact: SeizureEvent | Aggregate | Quote | Flow) -> str | None:
    """The id of a fact's first highlight on its document page; None when it has no evidence."""
    has_evidence = bool(fact.evidence) or any(item.evidence for item in getattr(fact, "items", ()))
    return f"fact-{number}" if has_evidence else None


def matching_events(store: Store, flt: EventFilter) -> list[EventRow]:
    """The events the map and timeline draw (newest first, at most ``MAX_MAPPED_EVENTS``)."""
    return store.events(flt, limit=MAX_MAPPED_EVENTS)


def _by_incident(rows: Iterable[EventRow]) -> dict[str, list[EventRow]]:
    grouped: dict[str, list[EventRow]] = defaultdict(list)
    for row in rows:
        grouped[incident_id(row.event)].append(row)
    return dict(grouped)


def _size(items: Sequence[Item]) -> tuple[SizeBasis, float]:
    for basis, values in (("mass", [i.mass_kg for i in items]), ("count", [i.count for i in items]),
                          ("volume", [i.volume_m3 for i in items])):
        known = [v for v in values if v is not None]
        if known:
            return basis, sum(known)  # type: ignore[return-value]
    return "none", 0.0


def _commodity(items: Sequence[Item]) -> str:
    kinds = {item.commodity for item in items}
    return kinds.pop() if len(kinds) == 1 else "other"


def seizure_circles(rows: Iterable[EventRow], gazetteer: Gazetteer, query: str = "") -> list[MapCircle]:
    """One circle per incident: at its coordinates, else at its province's centre (marked approximate)."""
    circles = []
    for incident, reports in _by_incident(rows).items():
        located = [r for r in reports if r.event.lat is not None and r.event.lon is not None]
        row = located[0] if located else reports[0]
        event = row.event
        lat, lon, approximate = event.lat, event.lon, False
        if lat is None or lon is None:
            province = gazetteer.province(event.country, event.admin1) if event.country and event.admin1 else None
            if province is None or province.lat is None or province.lon is None:
                continue
            lat, lon, approximate = province.lat, province.lon, True
        basis, size = _size(event.items)
        where = ", ".join(p for p in (event.place, event.admin1, event.country) if p) or "place not stated"
        outlets = ", ".join(dict.fromkeys(r.outlet or r.event.doc_id for r in reports))
        title = (f"{event.date or 'undated'}, {where}: {format_substances(event.items)} "
                 f"{format_quantities(event.items)}; {len(reports)} report{'s' if len(reports) > 1 else ''} "
                 f"({outlets})" + (" [placed at province centre]" if approximate else ""))
        circles.append(MapCircle(lon, lat, _commodity(event.items), basis, size, title,
                                 incident_href(incident, query), approximate))
    return circles


def _interval(low: float | None, high: float | None) -> str:
    def show(value: float | None) -> str:
        return "∞" if value is None else f"{value:.2g}"
    return f"95% CI {show(low)}–{show(high)}"


_EFFORT: weakref.WeakKeyDictionary[Store, tuple[int, list[Report]]] = weakref.WeakKeyDictionary()


def reporting_effort(store: Store, gazetteer: Gazetteer) -> list[Report]:
    """``load_reports``, recomputed only when the number of stored documents changes.

    Reading every report for place names takes about 20 ms a document, too slow to repeat on
    every page view; documents are only ever added, so their count tells when to read again.
    """
    documents = store.counts()["documents"]
    cached = _EFFORT.get(store)
    if cached is None or cached[0] != documents:
        cached = (documents, load_reports(store, gazetteer))
        _EFFORT[store] = cached
    return cached[1]


def border_shades(store: Store, flt: EventFilter, gazetteer: Gazetteer) -> list[MapShade]:
    """Border provinces of each pair, shaded by their side's share of that border's incidents.

    A province on two borders keeps the darker of its shades; its title lists every border.
    Borders with no matching incident on either side are left unshaded.
    """
    observations = load_observations(store, flt)
    reports = reporting_effort(store, gazetteer)
    titles: dict[tuple[str, str], list[str]] = defaultdict(list)
    shares: dict[tuple[str, str], float] = defaultdict(float)
    for a, b in BORDER_PAIRS:
        zone = gazetteer.border_provinces(a, b)
        if not any(zone.values()):
            continue
        total = border_asymmetry(observations, reports, a, b, zone, "all").total
        assert total is not None  # border_asymmetry always fills the "all" row
        both = total.a.incidents + total.b.incidents
        if both == 0:
            continue  # no incidents on either side: nothing to compare, nothing to shade
        ratio = total.incidents_ratio
        shown = "undefined" if ratio.ratio is None else f"{ratio.ratio:.2g}"
        line = (f"{a}–{b} border: {a} {total.a.incidents} vs {b} {total.b.incidents} incidents; "
                f"rate ratio {a}/{b} {shown} ({_interval(ratio.low, ratio.high)}); "
                f"reports covering {total.a.reports} vs {total.b.reports}")
        for side in (total.a, total.b):
            share = side.incidents / both
            for province in zone.get(side.country, ()):
                titles[(side.country, province)].append(line)
                shares[(side.country, province)] = max(shares[(side.country, province)], share)
    return [MapShade(country, province, shares[(country, province)],
                     f"{province} ({country})\n" + "\n".join(lines))
            for (country, province), lines in sorted(titles.items())]


def flow_arrows(flows: Iterable[Flow], rows: Iterable[EventRow]) -> list[MapArrow]:
    """Arrows for stated flows and seizures' origins and destinations, from ``route_graph``."""
    graph = route_graph(flows, [row.event for row in rows])
    arrows = []
    for origin, destination, data in sorted(graph.edges(data=True)):
        kinds = Counter(e["kind"] for e in data["evidence"])
        who = sorted({e["asserted_by"] for e in data["evidence"] if e["asserted_by"]})
        title = (f"{country_name(origin)} → {country_name(destination)}: "
                 + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
                 + (f"; commodities {', '.join(sorted(data['commodities']))}" if data["commodities"] else "")
                 + (f"; asserted by {', '.join(who)}" if who else ""))
        arrows.append(MapArrow(origin, destination, int(data["weight"]), title))
    return arrows


def _month(iso: str | None) -> str | None:
    return iso[:7] if iso and len(iso) >= 7 else None


def timeline(rows: Iterable[EventRow], aggregates: Iterable[Aggregate], query: str = "") -> Timeline:
    """Incidents per month (dated to the month or day) and the months each statistic covers."""
    seizures: dict[str, Counter[str]] = defaultdict(Counter)
    for reports in _by_incident(rows).values():
        dated = sorted((r.event for r in reports if _month(r.event.date)), key=lambda e: -len(e.date or ""))
        if dated:
            seizures[_month(dated[0].date) or ""][_commodity(dated[0].items)] += 1
    spans = []
    for agg in aggregates:
        end = _month(agg.period_end) or (f"{agg.period_end}-12" if agg.period_end else None)
        start = _month(agg.period_start) or (f"{agg.period_start}-01" if agg.period_start else end)
        if start and end:
            title = (f"statistic {agg.period_start or '?'} to {agg.period_end}, {agg.country or 'country not stated'}: "
                     f"{format_quantities(agg.items)}"
                     + (f", {agg.arrests:,} arrests" if agg.arrests is not None else "")
                     + (f", {agg.cases:,} cases" if agg.cases is not None else ""))
            spans.append(TimelineSpan(start, end, title, document_href(agg.doc_id)))
    months = sorted([*seizures, *(s.start_month for s in spans), *(s.end_month for s in spans)])
    covered = month_range(months[0], months[-1])[-MAX_TIMELINE_MONTHS:] if months else []
    return Timeline(covered, {m: dict(c) for m, c in seizures.items() if m in set(covered)}, spans)


def incident_rows(store: Store, incident: str, page: int = 1000) -> list[EventRow]:
    """Every stored report of one incident, oldest document first."""
    found: list[EventRow] = []
    offset = 0
    while True:
        rows = store.events(limit=page, offset=offset)
        found += [row for row in rows if incident_id(row.event) == incident]
        if len(rows) < page:
            return sorted(found, key=lambda r: (r.published or "", r.event.doc_id))
        offset += page


def field_value(event: SeizureEvent, name: str) -> tuple[Any, str | None]:
    """The normalised value of one compared field of a report, and the words it was read from."""
    items = event.items
    if name in ("mass_kg", "count", "volume_m3"):
        values = [getattr(i, name) for i in items if getattr(i, name) is not None]
        raws = [getattr(i, _RAW_FIELDS[name]) for i in items if getattr(i, _RAW_FIELDS[name])]
        return (round(sum(values), 6) if values else None), ("; ".join(raws) or None)
    if name == "substance":
        found = [i.substance for i in items if i.substance]
        return (", ".join(dict.fromkeys(found)) or None), None
    value = getattr(event, name)
    if isinstance(value, tuple):
        value = ", ".join(value) or None
    raw = getattr(event, _RAW_FIELDS[name]) if name in _RAW_FIELDS else None
    return value, raw


def _same_value(value: Any) -> Any:
    return value.casefold().strip() if isinstance(value, str) else value


def compare_reports(rows: Sequence[EventRow]) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    """Each field across the reports (nothing merged) and the fields whose stated values differ."""
    fields: dict[str, list[dict[str, Any]]] = {}
    conflicts = []
    for name in COMPARED_FIELDS:
        entries = []
        for row in rows:
            value, raw = field_value(row.event, name)
            entries.append({"value": value, "raw": raw, "doc_id": row.event.doc_id, "outlet": row.outlet})
        if all(e["value"] is None for e in entries):
            continue
        fields[name] = entries
        if len({_same_value(e["value"]) for e in entries if e["value"] is not None}) > 1:
            conflicts.append(name)
    return fields, conflicts


def display_value(name: str, value: Any) -> str:
    """A compared value as a reader sees it ("93.973 kg", "2", "not stated")."""
    if value is None:
        return "not stated"
    if isinstance(value, int | float) and not isinstance(value, bool):
        unit = {"mass_kg": " kg", "volume_m3": " m³"}.get(name, "")
        return f"{format_number(value)}{unit}"
    return str(value)


def consensus_mass_kg(rows: Sequence[EventRow]) -> float | None:
    """The median stated mass across reports: what analysis counts, shown beside the originals."""
    masses = [v for v, _ in (field_value(r.event, "mass_kg") for r in rows) if v is not None]
    return statistics.median(masses) if masses else None


@dataclass
class ClaimEntry:
    """One quote on the claims board, linking to its highlighted evidence."""

    quote: Quote
    outlet: str | None
    title: str | None
    published: str | None
    href: str


@dataclass
class ClaimTopic:
    """The quotes of one speaker that mention the same countries."""

    label: str
    countries: tuple[str, ...]
    entries: list[ClaimEntry] = field(default_factory=list)


@dataclass
class SpeakerClaims:
    """One speaker (with the role most often given) and their quotes by topic."""

    speaker: str
    role: str | None
    kind: SpeakerKind = "person"
    topics: list[ClaimTopic] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many quotes the speaker has on the board."""
        return sum(len(t.entries) for t in self.topics)


def quote_countries(quote: Quote) -> tuple[str, ...]:
    """The countries a quote names, in order of first mention."""
    return tuple(dict.fromkeys(m.code for m in find_countries(quote.text)))


def topic_label(countries: Sequence[str], text: str) -> str:
    """"Cambodia–Laos border", "Thailand", or "no country named"."""
    if not countries:
        return "no country named"
    names = "–".join(country_name(code) for code in countries)
    return names + (" border" if len(countries) >= 2 and "border" in text.casefold() else "")


class _Documents:
    """Facts of each document, read once per request."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._facts: dict[str, Facts | None] = {}

    def facts(self, doc_id: str) -> Facts | None:
        if doc_id not in self._facts:
            self._facts[doc_id] = self._store.facts(doc_id)
        return self._facts[doc_id]


def _contains(haystack: str | None, needle: str) -> bool:
    return bool(haystack) and needle.casefold() in (haystack or "").casefold()


def said_matches(facts: Facts, text: str, countries: Iterable[str], flt: EventFilter,
                 gazetteer: Gazetteer) -> bool:
    """Does a quote or flow (its words, the countries it names, its document) pass the filters?

    Document filters (outlet, language, dates by publication) apply as to events; country and
    province are those the words name; substance and commodity match the words or the facts
    counted in the same report. The words searched (``flt.q``) are the store's full-text
    search, applied by the callers when they read the candidates.
    """
    doc = facts.document
    if flt.outlet and (doc.outlet or "").casefold() != flt.outlet.casefold():
        return False
    if flt.language and doc.language.casefold() != flt.language.casefold():
        return False
    published = doc.published or ""
    if (flt.date_from or flt.date_to) and not published:
        return False
    if flt.date_from and published < flt.date_from[:len(published)]:
        return False
    if flt.date_to and published[:len(flt.date_to)] > flt.date_to:
        return False
    if flt.country and flt.country.upper() not in set(countries):
        return False
    if flt.admin1:
        wanted = gazetteer.canonical_admin1(flt.country, flt.admin1) or flt.admin1
        named = {(m.place.admin1 or m.place.name).casefold() for m in gazetteer.find(text)
                 if m.place.kind != "country"}
        if wanted.casefold() not in named:
            return False
    counted: list[SeizureEvent | Aggregate] = [*facts.events, *facts.aggregates]
    items = [i for fact in counted for i in fact.items]
    if flt.substance and not (_contains(text, flt.substance)
                              or any(_contains(i.substance, flt.substance) for i in items)):
        return False
    return not flt.commodity or any(i.commodity == flt.commodity for i in items)


def claims_board(store: Store, flt: EventFilter, gazetteer: Gazetteer) -> list[SpeakerClaims]:
    """Quotes passing the filters, grouped by speaker (``speakers.identify_speaker``: a named one across
    reports, an unnamed one within its report), most quoted first, then by topic."""
    documents = _Documents(store)
    speakers: dict[str, SpeakerClaims] = {}
    roles: dict[str, Counter[str]] = defaultdict(Counter)
    for quote in store.quotes(flt=EventFilter(q=flt.q)):
        facts = documents.facts(quote.doc_id)
        countries = quote_countries(quote)
        searched = " ".join(filter(None, [quote.text, quote.speaker, quote.role]))
        if facts is None or not said_matches(facts, searched, countries, flt, gazetteer):
            continue
        doc = facts.document
        who = identify_speaker(quote, language_for(doc.language), gazetteer)
        key = who.key
        board = speakers.setdefault(key, SpeakerClaims(who.label(doc.outlet, doc.published), None, who.kind))
        if quote.role:
            roles[key][quote.role] += 1
        label = topic_label(countries, quote.text)
        topic = next((t for t in board.topics if t.label == label), None)
        if topic is None:
            topic = ClaimTopic(label, countries)
            board.topics.append(topic)
        anchor = next((fact_anchor(n, f) for n, _, f in numbered_facts(facts) if f.id == quote.id), None)
        topic.entries.append(ClaimEntry(quote, doc.outlet, doc.title, doc.published,
                                        document_href(quote.doc_id, anchor)))
    for key, board in speakers.items():
        board.role = roles[key].most_common(1)[0][0] if roles[key] else None
        board.topics.sort(key=lambda t: (-len(t.entries), t.label))
    return sorted(speakers.values(), key=lambda s: (-s.count, s.speaker.casefold()))


def matching_flows(store: Store, flt: EventFilter, gazetteer: Gazetteer) -> list[Flow]:
    """Stated flows passing the filters (their evidence, countries, commodity and document)."""
    documents = _Documents(store)
    out = []
    for flow in store.flows(EventFilter(q=flt.q)):
        facts = documents.facts(flow.doc_id)
        if flt.commodity and flow.commodity != flt.commodity:
            continue
        text = " ".join([*(s.text for s in flow.evidence), flow.asserted_by or ""])
        # A flow states its own commodity, checked above; the report's items do not decide it.
        if facts is not None and said_matches(facts, text, (flow.origin, flow.destination),
                                              replace(flt, commodity=None), gazetteer):
            out.append(flow)
    return out


def province_incidents(rows: Iterable[EventRow], gazetteer: Gazetteer) -> dict[tuple[str, str], int]:
    """Incidents per (country, province): each incident once, in the province its first report names."""
    counts: Counter[tuple[str, str]] = Counter()
    for reports in _by_incident(rows).values():
        event = next((r.event for r in reports if r.event.country and r.event.admin1), None)
        if event is None or event.country is None or event.admin1 is None:
            continue
        name = gazetteer.canonical_admin1(event.country, event.admin1) or event.admin1
        counts[(event.country, name)] += 1
    return dict(counts)


def map_data(store: Store, flt: EventFilter, rows: Sequence[EventRow], gazetteer: Gazetteer,
             query: str = "") -> dict[str, Any]:
    """What the Leaflet map draws, as JSON: incident circles, incidents per province, flow arrows.

    Circles carry their size basis (mass in kg, count in tablets/pieces, volume in m³) so the page
    sizes each basis on its own scale and shows a legend for each. Arrows run from the origin
    country's centroid to the destination's (Yunnan's for China).
    """
    from borderwatch.serve.mapsvg import COMMODITY_COLOURS, country_centroid

    circles = [{"lat": c.lat, "lon": c.lon, "commodity": c.commodity, "basis": c.basis, "size": c.size,
                "title": c.title, "href": c.href, "approximate": c.approximate}
               for c in seizure_circles(rows, gazetteer, query)]
    provinces = [{"country": country, "admin1": admin1, "incidents": n}
                 for (country, admin1), n in sorted(province_incidents(rows, gazetteer).items())]
    arrows = []
    for arrow in flow_arrows(matching_flows(store, flt, gazetteer), rows):
        start, end = country_centroid(arrow.origin), country_centroid(arrow.destination)
        if start is None or end is None:
            continue
        arrows.append({"origin": arrow.origin, "destination": arrow.destination, "weight": arrow.weight,
                       "title": arrow.title, "from": [start[1], start[0]], "to": [end[1], end[0]]})
    from borderwatch.serve.mapsvg import _outlines

    centroids = {code: [round(lon, 4), round(lat, 4)] for code, (lon, lat) in _outlines()[2].items()}
    return {"circles": circles, "provinces": provinces, "arrows": arrows, "colours": COMMODITY_COLOURS,
            "centroids": centroids,
            "mapped": len(rows), "limit": MAX_MAPPED_EVENTS}


def incident_count(rows: Iterable[EventRow]) -> int:
    """How many incidents the rows are reports of."""
    return len(_by_incident(rows))


def undated_incidents(rows: Iterable[EventRow]) -> int:
    """Incidents no report dates to a month or day: the timeline cannot place them."""
    return sum(1 for reports in _by_incident(rows).values() if not any(_month(r.event.date) for r in reports))
