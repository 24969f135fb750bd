"""The dashboard's timeline as a Vega-Lite chart (Altair), rendered to SVG on the server (vl-convert).

The page embeds the SVG, so the timeline needs no script. Bars count seizure incidents per month,
coloured by commodity; below them each official statistic's period is a labelled band (statistics
are never added to seizure counts). Events not dated to a month are counted, not drawn.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import altair as alt
import vl_convert as vlc
from markupsafe import Markup

from borderwatch.serve.mapsvg import COMMODITY_COLOURS, Timeline

WIDTH = 520
BAR_HEIGHT = 160
BAND_ROW = 22


def _month_start(month: str) -> str:
    return f"{month}-01"


def _month_end(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    following = date(year + (number == 12), number % 12 + 1, 1)
    return following.isoformat()


def timeline_spec(timeline: Timeline) -> Any:
    """The Vega-Lite chart: monthly stacked bars over labelled statistics' bands, one shared x axis."""
    months = list(timeline.months)
    years = int(months[-1][:4]) - int(months[0][:4]) + 1
    if years > 2:
        ticks = {"interval": "year", "step": 1}
    else:  # quarterly ticks over one or two years; monthly over a few months
        ticks = {"interval": "month", "step": 3 if len(months) > 12 else 1}
    axis = alt.Axis(title=None, format="%Y" if years > 2 else "%b %Y", tickCount=ticks, labelAngle=0,
                    grid=False, labelOverlap=True)
    domain = [_month_start(months[0]), _month_end(months[-1])]
    x_scale = alt.Scale(domain=domain)
    bars = [{"start": _month_start(m), "end": _month_end(m), "month": m, "commodity": commodity,
             "incidents": n} for m, counts in sorted(timeline.seizures.items()) for commodity, n in counts.items()]
    tallest = max([sum(counts.values()) for counts in timeline.seizures.values()] + [1])
    colours = alt.Scale(domain=list(COMMODITY_COLOURS), range=list(COMMODITY_COLOURS.values()))
    top = alt.Chart(alt.Data(values=bars or [{"start": domain[0], "end": domain[0], "incidents": 0,  # type: ignore[no-untyped-call]
                                              "commodity": "drugs", "month": months[0]}]))
    top = top.mark_bar(stroke="white", strokeWidth=0.5).encode(
        x=alt.X("start:T", scale=x_scale, axis=axis), x2="end:T",
        y=alt.Y("sum(incidents):Q", title="seizure incidents",
                axis=alt.Axis(tickMinStep=1, format="d", tickCount=max(1, min(tallest, 5)))),
        color=alt.Color("commodity:N", scale=colours, legend=alt.Legend(title="commodity", orient="top")),
    ).properties(width=WIDTH, height=BAR_HEIGHT)
    if not timeline.spans:
        return top.configure_view(stroke=None)
    bands = [{"start": _month_start(s.start_month), "end": _month_end(s.end_month),
              "label": f"statistic {i}", "title": s.title} for i, s in enumerate(timeline.spans, start=1)]
    band_chart = alt.Chart(alt.Data(values=bands)).mark_bar(color="#94a3b8", opacity=0.7).encode(  # type: ignore[no-untyped-call]
        x=alt.X("start:T", scale=x_scale, axis=axis), x2="end:T",
        y=alt.Y("label:N", title="official statistics (periods)", sort=None,
                axis=alt.Axis(titleAngle=0, titleAlign="left", titleY=-6, titleX=0)),
    ).properties(width=WIDTH, height=BAND_ROW * len(bands))
    return alt.vconcat(top, band_chart, spacing=18).resolve_scale(x="shared").configure_view(stroke=None)


def render_timeline_svg(timeline: Timeline, caption: str) -> Markup:
    """The chart as inline SVG (scaled to its container), or a note when nothing is dated."""
    if not timeline.months:
        return Markup('<p class="empty">No dated seizures or statistics match these filters.</p>')
    svg = vlc.vegalite_to_svg(timeline_spec(timeline).to_json())
    svg = re.sub(r'^<svg ([^>]*?)width="[\d.]+" height="[\d.]+"', r"<svg \1", svg, count=1)
    svg = svg.replace("<svg ", '<svg role="img" aria-label="' + str(Markup.escape(caption))
                      + '" preserveAspectRatio="xMinYMin meet" ', 1)
    svg = svg.replace('class="marks"', 'class="marks timeline-chart"', 1)
    return Markup(svg)
