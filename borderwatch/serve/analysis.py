"""Analysis over HTTP: border asymmetry, official coverage and routes as JSON, CSV for the table.

The same functions as ``borderwatch analyze``; errors leave through the API's one error shape.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from borderwatch.analyze import coverage, load_observations, route_graph, store_asymmetry
from borderwatch.brief import country_code_of
from borderwatch.export import safe_csv_row
from borderwatch.serve.api import ERROR_RESPONSES, KnownParams, StoreDep, check_date, check_text
from borderwatch.store.repo import EventFilter

router = APIRouter(prefix="/api/analysis", tags=["analysis"], responses=ERROR_RESPONSES,
                   dependencies=KnownParams)


@router.get("/asymmetry")
def asymmetry(store: StoreDep, a: Annotated[str, Query(description="ISO2 or name, e.g. KH")],
              b: Annotated[str, Query(description="ISO2 or name, e.g. LA")],
              by: Literal["month", "quarter", "year", "all"] = "year",
              zone: Literal["border", "country"] = "border",
              date_from: str | None = None, date_to: str | None = None,
              format: Literal["json", "csv"] = "json") -> Response:
    """Seizure incidents on each side of the a-b border, with exact 95% rate-ratio intervals."""
    code_a, code_b = country_code_of(check_text("a", a) or ""), country_code_of(check_text("b", b) or "")
    result = store_asymmetry(store, code_a, code_b, by, zone == "country", EventFilter(
        date_from=check_date("date_from", date_from, last_day=False),
        date_to=check_date("date_to", date_to, last_day=True)))
    rows = [*result.rows, *([result.total] if result.total else [])]
    if format == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(safe_csv_row([
            "period", f"{code_a}_incidents", f"{code_b}_incidents", f"{code_a}_mass_kg", f"{code_b}_mass_kg",
            f"{code_a}_arrests", f"{code_b}_arrests", "ratio", "low", "high",
            "per_report_ratio", "per_report_low", "per_report_high"]))
        for row in rows:
            writer.writerow(safe_csv_row([
                row.period, row.a.incidents, row.b.incidents, row.a.mass_kg, row.b.mass_kg,
                row.a.arrests, row.b.arrests, row.incidents_ratio.ratio, row.incidents_ratio.low,
                row.incidents_ratio.high, row.per_report_ratio.ratio, row.per_report_ratio.low,
                row.per_report_ratio.high]))
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="asymmetry-{code_a}-{code_b}.csv"'})
    body: dict[str, Any] = asdict(result)
    body["zone"] = {k: sorted(v) for k, v in result.zone.items()}
    return JSONResponse({"ok": True, **body})


@router.get("/coverage")
def official_coverage(store: StoreDep) -> dict[str, Any]:
    """Official totals beside the media-reported seizures of the same country and period."""
    return {"ok": True, "rows": [asdict(r) for r in coverage(store.aggregates(), load_observations(store))]}


@router.get("/routes")
def routes(store: StoreDep) -> dict[str, Any]:
    """Country-to-country routes from stated flows and seizures, weighted by evidence."""
    graph = route_graph(store.flows(), [row.event for row in store.events(limit=100_000)])
    edges = [{"from": u, "to": v, "weight": d["weight"], "commodities": sorted(d["commodities"]),
              "evidence": d["evidence"]} for u, v, d in graph.edges(data=True)]
    return {"ok": True, "edges": sorted(edges, key=lambda e: -e["weight"])}
