"""A bilateral brief: the asymmetry table with intervals, charts, coverage of official totals,
the claims each side's officials made with their evidence, and what the data cannot show.

Charts are Vega-Lite specs (Altair) rendered to inline SVG offline (vl-convert), so the
HTML needs no CDN; the PDF is the same page printed by headless Chromium.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
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
from borderwatch.geo.countries import country_code, country_name, find_countries
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.model import Quote
from borderwatch.store.repo import EventFilter, Store

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "chromium", "google-chrome")


@dataclass
class Claim:
    """A quote about the border, with the side its speaker speaks for when the text says so."""

    quote: Quote
    outlet: str | None
    url: str | None
    side: str | None


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


def build_brief(store: Store, a: str, b: str, date_from: str | None = None, date_to: str | None = None,
                granularity: Granularity = "quarter", commodity: str | None = None) -> Brief:
    """Compute the brief's contents from the store."""
    a, b = country_code_of(a), country_code_of(b)
    gazetteer = Gazetteer.load()
    zone = gazetteer.border_provinces(a, b)
    flt = EventFilter(date_from=date_from, date_to=date_to, commodity=commodity)
    observations = load_observations(store, flt)
    reports = load_reports(store, gazetteer)
    asymmetry = border_asymmetry(observations, reports, a, b, zone, granularity)
    whole = border_asymmetry(observations, reports, a, b, None, granularity)
    official = [agg for agg in store.aggregates(flt) if agg.country in (a, b)]
    claims = _claims(store, a, b)
    graph = route_graph(store.flows(), [row.event for row in store.events(flt, limit=100_000)])
    routes = [{"from": u, "to": v, "weight": d["weight"], "commodities": sorted(d["commodities"]),
               "asserted_by": sorted({e["asserted_by"] or "unnamed" for e in d["evidence"]})}
              for u, v, d in graph.edges(data=True) if {u, v} & {a, b}]
    routes.sort(key=lambda r: -r["weight"])
    return Brief(a, b, date_from, date_to, commodity, asymmetry, whole, coverage(official, observations), claims,
                 routes)


def country_code_of(country: str) -> str:
    """ISO2 for a code or a name given on the command line."""
    code = country.upper() if len(country) == 2 else country_code(country)
    if not code:
        raise InputError(f"unknown country '{country}' (expected an ISO alpha-2 code such as KH, LA, TH, VN)")
    return code


def _claims(store: Store, a: str, b: str) -> list[Claim]:
    """Quotes that speak of either country, with the speaker's side when the role names it."""
    out = []
    documents: dict[str, Any] = {}
    for quote in store.quotes():
        mentioned = {m.code for m in find_countries(quote.text)}
        if not mentioned & {a, b}:
            continue
        if quote.doc_id not in documents:
            documents[quote.doc_id] = store.document(quote.doc_id)
        doc = documents[quote.doc_id]
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
    return env.get_template("brief.html").render(b=brief, chart=_chart(brief.asymmetry),
                                                 generated=date.today().isoformat())


def write_brief(brief: Brief, path: Path) -> Path:
    """Write HTML, or PDF when the path ends in .pdf (printed by headless Chromium)."""
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
