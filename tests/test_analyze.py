"""Asymmetry, coverage and routes on synthetic event sets whose truth is known."""

import numpy as np
import pytest

from borderwatch.analyze import (
    Observation,
    Report,
    border_asymmetry,
    coverage,
    period_of,
    rate_ratio,
    route_graph,
)
from borderwatch.model import Aggregate, Flow, Item, SeizureEvent

ZONE = {"KH": {"Stung Treng", "Preah Vihear"}, "LA": {"Champasak", "Attapeu"}}


def _obs(n: int, country: str, admin1: str, *, date: str = "2024-03-05", doc: str | None = None,
         outlet: str = "outlet-1", incident: str | None = None, mass: float | None = 1.0) -> Observation:
    return Observation(incident or f"{country}-{n}", country, admin1, date, mass, 1, doc or f"{country}-doc-{n}",
                       outlet)


def test_rate_ratio_point_and_exact_interval() -> None:
    rr = rate_ratio(30, 10)
    assert rr.ratio == pytest.approx(3.0)
    assert rr.low is not None and rr.high is not None
    assert 1.0 < rr.low < 3.0 < rr.high
    # Exposure scales the ratio: 30 seizures over 3x the reports is the same rate as 10.
    assert rate_ratio(30, 10, 3.0, 1.0).ratio == pytest.approx(1.0)
    # Zero on one side still gives a one-sided interval; nothing at all gives none.
    assert rate_ratio(0, 5).ratio == 0.0 and rate_ratio(0, 5).low == 0.0
    assert rate_ratio(5, 0).ratio is None and rate_ratio(5, 0).high is None
    assert rate_ratio(0, 0).ratio is None


@pytest.mark.parametrize(("rate_a", "rate_b"), [(60.0, 20.0), (6.0, 2.0)])
def test_simulated_three_to_one_asymmetry_is_covered_at_the_nominal_level(rate_a: float, rate_b: float) -> None:
    rng = np.random.default_rng(20240317)
    trials, covered, recovered = 2000, 0, 0
    for _ in range(trials):
        n_a, n_b = int(rng.poisson(rate_a)), int(rng.poisson(rate_b))
        rr = rate_ratio(n_a, n_b)
        if rr.low is not None and rr.low <= 3.0 and (rr.high is None or 3.0 <= rr.high):
            covered += 1
        if rr.ratio is not None and rr.low is not None and rr.low > 1.0:
            recovered += 1
    assert covered / trials >= 0.94           # exact intervals are conservative: at least ~95 %
    if rate_a >= 60:
        assert recovered / trials > 0.95      # with enough seizures the asymmetry is detected


def test_a_three_to_one_asymmetry_is_recovered_from_events() -> None:
    rng = np.random.default_rng(7)
    events = [_obs(i, "KH", "Stung Treng") for i in range(int(rng.poisson(45)))]
    events += [_obs(i, "LA", "Champasak") for i in range(int(rng.poisson(15)))]
    result = border_asymmetry(events, [], "KH", "LA", ZONE, "year")
    total = result.total
    assert total is not None
    assert total.incidents_ratio.low is not None and total.incidents_ratio.high is not None
    assert total.incidents_ratio.low <= 3.0 <= total.incidents_ratio.high
    assert total.incidents_ratio.low > 1.0
    assert [row.period for row in result.rows] == ["2024"]


def test_effort_normalisation_removes_an_asymmetry_made_only_by_reporting_volume() -> None:
    rng = np.random.default_rng(11)
    events, reports = [], []
    for country, admin1, n_reports in (("KH", "Stung Treng", 600), ("LA", "Champasak", 200)):
        for r in range(n_reports):
            doc = f"{country}-report-{r}"
            reports.append(Report(doc, f"{country}-outlet-{r % 5}", frozenset({(country, admin1)})))
            if rng.random() < 0.2:  # the same chance of a seizure story per report on both sides
                events.append(_obs(r, country, admin1, doc=doc))
    total = border_asymmetry(events, reports, "KH", "LA", ZONE, "all").total
    assert total is not None
    raw, per_report = total.incidents_ratio, total.per_report_ratio
    assert raw.low is not None and raw.low > 1.5                     # the raw counts say "asymmetric"
    assert per_report.low is not None and per_report.high is not None
    assert per_report.low <= 1.0 <= per_report.high                 # per report, it is not
    assert total.a.reports == 600 and total.b.reports == 200


def test_duplicates_across_outlets_never_inflate_counts() -> None:
    same = [_obs(0, "KH", "Stung Treng", doc=f"d{k}", outlet=f"o{k}", incident="inc-1", mass=m)
            for k, m in enumerate([93.973, 94.0, 90.0])]
    other = [_obs(1, "LA", "Attapeu", incident="inc-2")]
    total = border_asymmetry(same + other, [], "KH", "LA", ZONE, "year").total
    assert total is not None
    assert total.a.incidents == 1
    assert total.a.mass_kg == pytest.approx(93.973)   # the median of the three reports
    assert total.a.reports == 3 and total.a.outlets == 3


def test_events_outside_the_border_zone_are_excluded_and_counted() -> None:
    events = [_obs(0, "KH", "Phnom Penh"), _obs(1, "TH", "Chiang Rai"), _obs(2, "KH", "Stung Treng")]
    result = border_asymmetry(events, [], "KH", "LA", ZONE, "year")
    assert result.total is not None and result.total.a.incidents == 1
    assert result.excluded == {"outside the border zone": 1, "other countries": 1}
    whole = border_asymmetry(events, [], "KH", "LA", None, "year")
    assert whole.total is not None and whole.total.a.incidents == 2


def test_periods() -> None:
    assert period_of("2024-11-09", "month") == "2024-11"
    assert period_of("2024-11-09", "quarter") == "2024-Q4"
    assert period_of("2024-02", "quarter") == "2024-Q1"
    assert period_of("2024", "month") == "undated"
    assert period_of(None, "year") == "undated"


def test_coverage_compares_official_totals_with_media_seizures() -> None:
    official = Aggregate("a#a0", "a", (Item("drugs", mass_kg=682.0),), country="KH",
                         agency="National Authority for Combating Drugs", period_end="2020-08-17", arrests=13460)
    media = [_obs(0, "KH", "Stung Treng", date="2020-03-01", mass=40.0),
             _obs(1, "KH", "Kratie", date="2020-08-01", mass=28.2),
             _obs(2, "KH", "Kratie", date="2020-09-01", mass=500.0),      # after the period
             _obs(3, "LA", "Champasak", date="2020-03-01", mass=100.0)]   # another country
    (row,) = coverage([official], media)
    assert row.media_incidents == 2
    assert row.media_mass_kg == pytest.approx(68.2)
    assert row.share_mass == pytest.approx(0.1)
    assert row.period_start == "2020-01-01" and row.assumption is not None


def test_route_graph_weights_edges_by_evidence_and_keeps_who_said_it() -> None:
    flows = [Flow("s#f0", "s", "LA", "KH", "drugs", "Sar Kheng"), Flow("s#f1", "s", "LA", "TH", "drugs", "Jeremy Douglas"),
             Flow("t#f0", "t", "LA", "KH", "drugs", "Meas Vyrith")]
    events = [SeizureEvent("d#e0", "d", (Item("drugs", "methamphetamine", count=1034413),), country="KH",
                           origin_country="LA", agency="Cambodian police")]
    graph = route_graph(flows, events)
    assert graph["LA"]["KH"]["weight"] == 3
    assert {e["asserted_by"] for e in graph["LA"]["KH"]["evidence"]} == {"Sar Kheng", "Meas Vyrith", "Cambodian police"}
    assert graph["LA"]["TH"]["weight"] == 1
    assert not graph.has_edge("KH", "LA")


def test_a_repost_is_not_more_reporting() -> None:
    reports = [Report("news", "Outlet", frozenset({("KH", "Stung Treng")}), "news"),
               Report("blog", "Blog", frozenset({("KH", "Stung Treng")}), "news"),
               Report("la-news", "Lao outlet", frozenset({("LA", "Champasak")}), "la-news")]
    total = border_asymmetry([], reports, "KH", "LA", ZONE, "all").total
    assert total is not None
    assert total.a.reports == 1 and total.b.reports == 1
