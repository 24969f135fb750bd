"""A bilateral brief: the asymmetry table with intervals, charts, a map of the two sides,
quantities per substance (never summed across substances), coverage of official totals, the
claims each side's officials made, and what the data cannot show. Every figure and quote cites
a numbered source (outlet, date, title, URL), so the brief can be handed on.

Charts and the map are Vega-Lite specs (Altair) rendered to inline SVG offline (vl-convert)
from the boundaries shipped with the package, so the HTML needs no CDN or tile server; the
PDF is the same page printed by headless Chromium.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import altair as alt
import vl_convert
from jinja2 import Environment, PackageLoader, select_autoescape

from borderwatch.analyze import (
    Asymmetry,
    CoverageRow,
    Granularity,
    border_asymmetry,
    coverage,
    load_observations,
    load_reports,
    route_graph,
)
from borderwatch.errors import InputError
from borderwatch.extract.lexicon import find_substances
from borderwatch.geo.countries import country_code, country_name, find_countries
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.lang import language_for
from borderwatch.model import Quote, SeizureEvent, is_illustrative
from borderwatch.store.repo import EventFilter, EventRow, Store

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "chromium", "google-chrome")
FORMATS = (".html", ".htm", ".pdf")
BOUNDARIES = Path(__file__).parent / "geo" / "data" / "boundaries"


@dataclass(frozen=True)
class Source:
    """A report the brief cites, by its number in the source list."""

    number: int
    doc_id: str
    outlet: str | None
    published: str | None
    title: str | None
    url: str | None
    illustrative: bool = False
    counted: bool = True
    """False for an illustrative report left out of every figure (listed so the reader knows)."""


@dataclass
class SubstanceTotal:
    """One side's seizures of one substance: each incident counted once, at its largest report."""

    country: str
    commodity: str
    substance: str
    incidents: int = 0
    mass_kg: float | None = None
    count: float | None = None
    count_unit: str | None = None
    volume_m3: float | None = None
    sources: list[int] = field(default_factory=list)


@dataclass
class Claim:
    """A quote about the border, with the side its speaker speaks for when the text says so."""

    quote: Quote
    outlet: str | None
    url: str | None
    side: str | None
    source: int | None = None


@dataclass
class Brief:
    """Everything the brief shows, computed before anything is drawn."""

    a: str
    b: str
    date_from: str | None
    date_to: str | None
    commodity: str | None
    asymmetry: Asymmetry
    country_asymmetry: Asymmetry
    coverage: list[CoverageRow]
    claims: list[Claim]
    routes: list[dict[str, Any]]
    substances: list[SubstanceTotal] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    first_date: str | None = None
    last_date: str | None = None
    map_svg: str = ""
    include_illustrative: bool = False
    """Were illustrative reports counted (``--include-illustrative``)? By default they are left out."""

    @property
    def left_out(self) -> list[Source]:
        """The illustrative reports of the selection that no figure or quote counts."""
        return [s for s in self.sources if not s.counted]


def build_brief(store: Store, a: str, b: str, date_from: str | None = None, date_to: str | None = None,
                granularity: Granularity = "quarter", commodity: str | None = None,
                include_illustrative: bool = False) -> Brief:
    """Compute the brief's contents from the store; illustrative reports (``model.is_illustrative``)
    are left out of every figure and quote, and listed flagged, unless ``include_illustrative``."""
    a, b = country_code_of(a), country_code_of(b)
    gazetteer = Gazetteer.load()
    zone = gazetteer.border_provinces(a, b)
    flt = EventFilter(date_from=date_from, date_to=date_to, commodity=commodity)
    reports = load_reports(store, gazetteer)
    left_out = set() if include_illustrative else {r.doc_id for r in reports if is_illustrative(r.outlet)}
    reports = [r for r in reports if r.doc_id not in left_out]
    observations = [o for o in load_observations(store, flt) if o.doc_id not in left_out]
    asymmetry = border_asymmetry(observations, reports, a, b, zone, granularity)
    whole = border_asymmetry(observations, reports, a, b, None, granularity)
    official_all = [agg for agg in store.aggregates(flt) if agg.country in (a, b)]
    rows_all = _event_rows(store, flt, (a, b))
    official = [agg for agg in official_all if agg.doc_id not in left_out]
    rows = [row for row in rows_all if row.event.doc_id not in left_out]
    skipped = ({row.event.doc_id for row in rows_all} | {agg.doc_id for agg in official_all}) & left_out
    if not rows and not official:
        hint = (f"; {len(skipped)} illustrative report(s) left out: --include-illustrative counts them"
                if skipped else "")
        raise InputError(f"no seizures or official totals for {a} or {b} in the selection "
                         f"({_describe(date_from, date_to, commodity)}{hint}): nothing to brief")
    claims_all = _claims(store, a, b, commodity, {row.event.doc_id for row in rows_all})
    claims = [c for c in claims_all if c.quote.doc_id not in left_out]
    skipped |= {c.quote.doc_id for c in claims_all} & left_out
    graph = route_graph([f for f in store.flows() if f.doc_id not in left_out],
                        [row.event for row in store.events(flt, limit=100_000) if row.event.doc_id not in left_out])
    routes = [{"from": u, "to": v, "weight": d["weight"], "commodities": sorted(d["commodities"]),
               "asserted_by": sorted({e["asserted_by"] or "unnamed" for e in d["evidence"]})}
              for u, v, d in graph.edges(data=True) if {u, v} & {a, b}]
    routes.sort(key=lambda r: -r["weight"])
    brief = Brief(a, b, date_from, date_to, commodity, asymmetry, whole, coverage(official, observations), claims,
                  routes, include_illustrative=include_illustrative)
    _cite(store, brief, rows, official, skipped)
    dates = sorted(row.event.date for row in rows if row.event.date)
    brief.first_date, brief.last_date = (dates[0], dates[-1]) if dates else (None, None)
    brief.map_svg = _map(brief, rows, gazetteer)
    return brief


def _describe(date_from: str | None, date_to: str | None, commodity: str | None) -> str:
    return (f"dates {date_from or 'any'} to {date_to or 'any'}, "
            f"{'commodity ' + commodity if commodity else 'all commodities'}")


def _event_rows(store: Store, flt: EventFilter, countries: tuple[str, str]) -> list[EventRow]:
    """The stored seizures of either country in the selection."""
    out: list[EventRow] = []
    offset = 0
    while page := store.events(flt, limit=1000, offset=offset):
        out.extend(row for row in page if row.event.country in countries)
        offset += len(page)
    return out


def _cite(store: Store, brief: Brief, rows: list[EventRow], official: list[Any], left_out: set[str]) -> None:
    """Number the sources (by publication date), the reports left out among them, and total each side's
    seizures per substance."""
    doc_ids = {row.event.doc_id for row in rows} | {c.quote.doc_id for c in brief.claims} | {
        agg.doc_id for agg in official} | left_out
    documents = {doc_id: store.document(doc_id) for doc_id in doc_ids}
    ordered = sorted(doc_ids, key=lambda d: (getattr(documents[d], "published", None) or "9999", d))
    for n, doc_id in enumerate(ordered, 1):
        doc = documents[doc_id]
        brief.sources.append(Source(n, doc_id, doc.outlet if doc else None, doc.published if doc else None,
                                    doc.title if doc else None, doc.url if doc else None,
                                    illustrative=bool(doc and doc.illustrative), counted=doc_id not in left_out))
    number = {s.doc_id: s.number for s in brief.sources}
    for claim in brief.claims:
        claim.source = number.get(claim.quote.doc_id)
    brief.substances = _substance_totals(rows, number)


def _substance_totals(rows: list[EventRow], number: dict[str, int]) -> list[SubstanceTotal]:
    """Per side and substance: the incidents, and the largest amount each incident was reported with."""
    by_incident: dict[tuple[str, str, str, str], list[tuple[SeizureEvent, int]]] = {}
    for row in rows:
        event = row.event
        for item in event.items:
            key = (event.country or "", item.commodity, item.substance or "unnamed " + item.commodity,
                   event.incident or event.id)
            by_incident.setdefault(key, []).append((event, number.get(event.doc_id, 0)))
    totals: dict[tuple[str, str, str], SubstanceTotal] = {}
    for (country, commodity, substance, _), reports in sorted(by_incident.items()):
        total = totals.setdefault((country, commodity, substance), SubstanceTotal(country, commodity, substance))
        total.incidents += 1
        items = [i for e, _ in reports for i in e.items
                 if (i.substance or "unnamed " + i.commodity) == substance and i.commodity == commodity]
        for unit in ("mass_kg", "count", "volume_m3"):
            values = [getattr(i, unit) for i in items if getattr(i, unit) is not None]
            if values:
                setattr(total, unit, (getattr(total, unit) or 0.0) + max(values))
        units = [i.count_unit for i in items if i.count is not None and i.count_unit]
        total.count_unit = total.count_unit or (units[0] if units else None)
        total.sources = sorted({*total.sources, *(n for _, n in reports if n)})
    return sorted(totals.values(), key=lambda t: (t.country, -t.incidents, t.substance))


def _map(brief: Brief, rows: list[EventRow], gazetteer: Gazetteer) -> str:
    """The two countries' provinces shaded by seizure incidents, drawn from the shipped boundaries."""
    import json

    incidents: dict[str, set[str]] = {}
    for row in rows:
        event = row.event
        if event.country and event.admin1:
            province = gazetteer.province(event.country, event.admin1)
            if province is not None:
                incidents.setdefault(f"{event.country}|{province.name}", set()).add(event.incident or event.id)
    features = [f for f in json.loads((BOUNDARIES / "admin1.geojson").read_text(encoding="utf-8"))["features"]
                if f["properties"]["country"] in (brief.a, brief.b)]
    for feature in features:
        props = feature["properties"]
        props["incidents"] = len(incidents.get(f"{props['country']}|{props['admin1']}", ()))
        props["label"] = f"{props['admin1']} ({props['country']}): {props['incidents']}"
    if not features:
        return ""
    chart = alt.Chart(alt.Data(values=features)).mark_geoshape(  # type: ignore[no-untyped-call]
        stroke="#ffffff", strokeWidth=0.5).encode(
        color=alt.Color("properties.incidents:Q", title="seizure incidents",
                        scale=alt.Scale(scheme="blues", domainMin=0)),
        tooltip=[alt.Tooltip("properties.label:N", title="province")],
    ).properties(width=520, height=360, title=f"Seizure incidents by province: {country_name(brief.a)} and "
                                              f"{country_name(brief.b)}").project("mercator")
    return str(vl_convert.vegalite_to_svg(chart.to_dict()))


def country_code_of(country: str) -> str:
    """ISO2 for a code or a name given on the command line."""
    code = country.upper() if len(country) == 2 else country_code(country)
    if not code:
        raise InputError(f"unknown country '{country}' (expected an ISO alpha-2 code such as KH, LA, TH, VN)")
    return code


def _claims(store: Store, a: str, b: str, commodity: str | None, seizure_docs: set[str]) -> list[Claim]:
    """Quotes that speak of either country (and, with a commodity, of that commodity: in their own
    words or in a report of its seizures), with the speaker's side when the role names it."""
    out = []
    documents: dict[str, Any] = {}
    for quote in store.quotes():
        mentioned = {m.code for m in find_countries(quote.text)}
        if not mentioned & {a, b}:
            continue
        if quote.doc_id not in documents:
            documents[quote.doc_id] = store.document(quote.doc_id)
        doc = documents[quote.doc_id]
        named = {s.commodity for s in find_substances(quote.text, language_for(doc.language if doc else None))}
        if commodity and commodity not in named and (named or quote.doc_id not in seizure_docs):
            continue  # about other goods, or about none in a report of no such seizure
        role_countries = {m.code for m in find_countries(quote.role or "")}
        side = next(iter(role_countries & {a, b}), None)
        out.append(Claim(quote, doc.outlet if doc else None, doc.url if doc else None, side))
    return out


def _chart(asymmetry: Asymmetry) -> str:
    """Incidents per period on each side, as inline SVG."""
    values = [{"period": row.period, "side": country_name(side.country), "incidents": side.incidents}
              for row in asymmetry.rows for side in (row.a, row.b)]
    if not values:
        return ""
    chart = alt.Chart(alt.Data(values=values)).mark_bar().encode(  # type: ignore[no-untyped-call]
        x=alt.X("period:N", title=None), xOffset="side:N", y=alt.Y("incidents:Q", title="incidents"),
        color=alt.Color("side:N", title="side of the border"),
    ).properties(width=520, height=220, title="Seizure incidents in the border zone, by period")
    return str(vl_convert.vegalite_to_svg(chart.to_dict()))


def render_brief(brief: Brief) -> str:
    """The brief as a self-contained HTML page."""
    env = Environment(loader=PackageLoader("borderwatch", "templates"), autoescape=select_autoescape(["html"]))
    env.filters["ratio"] = lambda r: "n/a" if r.ratio is None else f"{r.ratio:.2f}"
    env.filters["interval"] = lambda r: (
        "n/a" if r.low is None else f"{r.low:.2f} – {'∞' if r.high is None else f'{r.high:.2f}'}")
    env.globals["country_name"] = country_name
    env.filters["amount"] = _amount
    env.filters["cites"] = lambda numbers: ", ".join(f"[{n}]" for n in numbers) if numbers else ""
    return env.get_template("brief.html").render(b=brief, chart=_chart(brief.asymmetry),
                                                 generated=date.today().isoformat())


def _amount(total: SubstanceTotal) -> str:
    """"1,234.5 kg; 4,400,000 tablets", or "unknown" when no report gave an amount."""
    parts = []
    if total.mass_kg is not None:
        parts.append(f"{total.mass_kg:,.1f} kg")
    if total.count is not None:
        parts.append(f"{total.count:,.0f} {total.count_unit or 'units'}")
    if total.volume_m3 is not None:
        parts.append(f"{total.volume_m3:,.1f} m³")
    return "; ".join(parts) or "unknown"


def write_brief(brief: Brief, path: Path) -> Path:
    """Write HTML, or PDF when the path ends in .pdf (printed by headless Chromium)."""
    if path.suffix.lower() not in FORMATS:
        raise InputError(f"unknown brief format '{path.suffix or path.name}' for {path} "
                         f"(expected: {', '.join(FORMATS)})")
    html = render_brief(brief)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() != ".pdf":
        path.write_text(html, encoding="utf-8")
        return path
    chromium = next((c for c in CHROMIUM_CANDIDATES if shutil.which(c)), None)
    if chromium is None:
        raise InputError(f"cannot write {path}: PDF needs Chromium (apt-get install chromium); "
                         "write .html instead")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "brief.html"
        page.write_text(html, encoding="utf-8")
        subprocess.run([shutil.which(chromium) or chromium, "--headless", "--no-sandbox", "--disable-gpu",
                        "--no-first-run", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer",
                        f"--print-to-pdf={path.resolve()}", page.as_uri()],
                       check=True, capture_output=True, timeout=120)
    return path
