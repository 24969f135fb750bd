"""API latency benchmark: a synthetic database of N events, a real ``borderwatch serve``, concurrent clients.

Run from the repository root:

    .venv/bin/python bench/api_latency.py                 # 100,000 events (the documented run)
    .venv/bin/python bench/api_latency.py --events 5000   # a quick look

This process builds the database through ``Store.add``, starts the server as a subprocess on a
free 127.0.0.1 port and is itself the load generator (a second process): ``--concurrency``
threads, each with a keep-alive httpx client, send up to ``--requests`` requests per query or
stop at ``--seconds``. Every query is reported against a BASELINE measured in the same run
(a static file: the server's floor), so the ratios compare across machines.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from borderwatch.geo.countries import country_name
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.model import Commodity, Document, Facts, Item, SeizureEvent, Span
from borderwatch.store.repo import Store

COUNTRIES = ("KH", "LA", "TH", "VN", "MM")
NEIGHBOURS = {"KH": ("LA", "TH", "VN"), "LA": ("KH", "TH", "VN", "MM", "CN"), "TH": ("KH", "LA", "MM"),
              "VN": ("KH", "LA", "CN"), "MM": ("TH", "LA", "CN")}
SUBSTANCES: tuple[tuple[Commodity, str], ...] = (
    ("drugs", "methamphetamine"), ("drugs", "methamphetamine"), ("drugs", "methamphetamine"),
    ("drugs", "heroin"), ("drugs", "ketamine"), ("drugs", "cannabis"), ("drugs", "crystal methamphetamine"),
    ("timber", "rosewood"), ("wildlife", "pangolin scales"), ("wildlife", "ivory"))
OUTLETS = ("Khmer Times", "Laotian Times", "Bangkok Post", "VnExpress International", "The Irrawaddy",
           "Phnom Penh Post", "Vientiane Times", "VietnamPlus")
FIRST_DAY = date(2020, 1, 1)
DAYS = 5 * 365
EVENTS_PER_DOCUMENT = 10
BASELINE = "/static/borderwatch.css"
WARMUP_REQUESTS = 16


def border_provinces(gazetteer: Gazetteer) -> dict[str, list[tuple[str, float | None, float | None]]]:
    """Each country's provinces on a land border of the region, with their centroids."""
    out: dict[str, list[tuple[str, float | None, float | None]]] = {}
    for country in COUNTRIES:
        names: set[str] = set()
        for neighbour in NEIGHBOURS[country]:
            names |= gazetteer.border_provinces(country, neighbour).get(country, set())
        provinces = []
        for name in sorted(names):
            place = gazetteer.province(country, name)
            provinces.append((name, place.lat if place else None, place.lon if place else None))
        if not provinces:
            raise SystemExit(f"error: the gazetteer lists no border province of {country}: rebuild it")
        out[country] = provinces
    return out


def synthetic_facts(number: int, rng: random.Random,
                    provinces: dict[str, list[tuple[str, float | None, float | None]]]) -> Facts:
    """Document ``number`` with EVENTS_PER_DOCUMENT seizures whose evidence spans quote its text."""
    doc_id = f"synthetic-{number:06d}"
    sentences: list[str] = []
    planned = []
    for _ in range(EVENTS_PER_DOCUMENT):
        country = rng.choice(COUNTRIES)
        admin1, lat, lon = rng.choice(provinces[country])
        commodity, substance = rng.choice(SUBSTANCES)
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        mass = round(rng.lognormvariate(1.5, 1.5), 3)
        planned.append((country, admin1, lat, lon, commodity, substance, day, mass))
    heading = f"Synthetic report {number}\n"
    events = []
    offset = len(heading)
    for index, (country, admin1, lat, lon, commodity, substance, day, mass) in enumerate(planned, start=1):
        date_raw, mass_raw = day.strftime("%d %B %Y"), f"{mass} kg"
        sentence = (f"On {date_raw}, police in {admin1} province, {country_name(country)}, "
                    f"seized {mass_raw} of {substance} and arrested {index % 4} people. ")
        sentences.append(sentence)

        def span(needle: str, field: str, base: int = offset, within: str = sentence) -> Span:
            start = base + within.index(needle)
            return Span(doc_id, start, start + len(needle), needle, field)

        item = Item(commodity, substance=substance, mass_kg=mass, mass_raw=mass_raw,
                    evidence=(span(mass_raw, "mass_kg"), span(substance, "substance")))
        events.append(SeizureEvent(
            id=f"{doc_id}:e{index}", doc_id=doc_id, items=(item,), date=day.isoformat(), date_precision="day",
            date_raw=date_raw, country=country, admin1=admin1, location_precision="province", lat=lat, lon=lon,
            arrests=index % 4, confidence=0.8,
            evidence=(Span(doc_id, offset, offset + len(sentence) - 1, sentence[:-1], "sentence"),
                      span(date_raw, "date"), span(admin1, "admin1"))))
        offset += len(sentence)
    text = heading + "".join(sentences)
    published = max(event.date for event in events if event.date)
    document = Document(id=doc_id, text=text, content_hash=f"synthetic-{number}", source=f"bench/{doc_id}.txt",
                        title=f"Synthetic report {number}", outlet=rng.choice(OUTLETS),
                        url=f"https://example.org/{doc_id}", published=published, published_precision="day")
    return Facts(document=document, events=events)


def build_database(path: Path, events: int, seed: int) -> float:
    """Store ``events`` synthetic events (EVENTS_PER_DOCUMENT per document); returns seconds taken."""
    rng = random.Random(seed)
    provinces = border_provinces(Gazetteer.load())
    documents = max(1, events // EVENTS_PER_DOCUMENT)
    started = time.perf_counter()
    # A throwaway file need not survive a power cut: skipping the fsync of each of the
    # Store.add transactions makes the build about a quarter faster.
    sa.event.listen(sa.Engine, "connect", _skip_fsync)
    try:
        with Store.open(f"sqlite:///{path}") as store:
            for number in range(documents):
                store.add(synthetic_facts(number, rng, provinces))
                if number and number % 1000 == 0:
                    print(f"  stored {number * EVENTS_PER_DOCUMENT:,} events "
                          f"({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    finally:
        sa.event.remove(sa.Engine, "connect", _skip_fsync)
    return time.perf_counter() - started


def _skip_fsync(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()


def some_document_ids(path: Path, count: int, seed: int) -> list[str]:
    """``count`` stored document ids, spread over the table, for GET /api/documents/{id}."""
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            ids = [row[0] for row in conn.execute(sa.text("SELECT id FROM documents"))]
    finally:
        engine.dispose()
    return random.Random(seed).sample(ids, min(count, len(ids)))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(db_path: Path, log_path: Path, workers: int = 1) -> Iterator[str]:
    """``borderwatch serve`` over ``db_path`` in a subprocess; yields its base URL, stops it after."""
    port = _free_port()
    command = [str(Path(sys.executable).parent / "borderwatch"), "serve", "--db", str(db_path),
               "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("BORDERWATCH_")}
    base = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=db_path.parent)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit(f"error: borderwatch serve exited with {process.returncode}: see {log_path}")
            try:
                if httpx.get(base + BASELINE, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"error: borderwatch serve did not answer in 60 s: see {log_path}") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Result:
    """Latencies (seconds) of one query's successful requests, and what went wrong."""

    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    wall_seconds: float = 0.0
    capped: bool = False

    def percentile(self, p: float) -> float:
        """The ``p``-th percentile latency in milliseconds (inclusive method)."""
        if len(self.latencies) < 2:
            return 1000 * (self.latencies[0] if self.latencies else float("nan"))
        return 1000 * statistics.quantiles(self.latencies, n=100, method="inclusive")[round(p) - 1]

    @property
    def throughput(self) -> float:
        """Completed requests per second over the whole measured interval."""
        return len(self.latencies) / self.wall_seconds if self.wall_seconds else 0.0


def measure(base: str, name: str, paths: Sequence[str], requests: int, concurrency: int,
            seconds: float) -> Result:
    """Send ``requests`` GETs cycling over ``paths`` from ``concurrency`` threads, at most ``seconds`` long."""
    result = Result(name)
    lock = threading.Lock()
    issued = 0
    with httpx.Client(base_url=base, timeout=60) as warm:
        # From the end of the list: the measured requests start at its beginning, so a list of
        # distinct filters longer than the request budget is measured with nothing warmed.
        for i in range(WARMUP_REQUESTS):
            warm.get(paths[-1 - i % len(paths)]).raise_for_status()
    started = time.perf_counter()
    deadline = started + seconds

    def next_path() -> str | None:
        nonlocal issued
        with lock:
            if issued >= requests or time.perf_counter() > deadline:
                result.capped = result.capped or issued < requests
                return None
            issued += 1
            return paths[issued % len(paths)]

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            while (path := next_path()) is not None:
                sent = time.perf_counter()
                try:
                    response = client.get(path)
                    response.read()
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                elapsed = time.perf_counter() - sent
                with lock:
                    if ok:
                        result.latencies.append(elapsed)
                    else:
                        result.errors += 1

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for future in [pool.submit(worker) for _ in range(concurrency)]:
            future.result()
    result.wall_seconds = time.perf_counter() - started
    return result


def queries(document_ids: Sequence[str]) -> list[tuple[str, list[str]]]:
    """The measured queries: (label, paths to cycle over)."""
    return [
        ("events, unfiltered, limit=100", ["/api/events?limit=100"]),
        ("events, KH + methamphetamine, limit=100", ["/api/events?country=KH&substance=methamphetamine&limit=100"]),
        ("events, date 2023, limit=100", ["/api/events?date_from=2023-01-01&date_to=2023-12-31&limit=100"]),
        ("events, admin1=Stung Treng (limit 100)", ["/api/events?admin1=Stung%20Treng"]),
        # Paging deeper and switching filters: other pages, and counts not yet cached.
        ("events, KH + methamphetamine, pages 1-20",
         [f"/api/events?country=KH&substance=methamphetamine&limit=100&offset={100 * page}" for page in range(20)]),
        ("events, 100 filters (country x substance x year)",
         [f"/api/events?country={country}&substance={substance}&date_from={year}-01-01&date_to={year}-12-31"
          for country in COUNTRIES for substance in ("methamphetamine", "heroin", "ketamine", "rosewood")
          for year in range(2020, 2025)]),
        # Every request a filter no worker has seen: no count is cached (Store.count_events).
        ("events, 2,400 distinct filters (no count cached)", distinct_filters(2400)),
        ("events.geojson, country=LA (limit 1000)", ["/api/events.geojson?country=LA"]),
        ("documents/{id}", [f"/api/documents/{doc_id}" for doc_id in document_ids]),
    ]


def distinct_filters(count: int) -> list[str]:
    """``count`` different filtered pages: country x substance x a one-year range starting on a different day."""
    substances = ("methamphetamine", "heroin", "ketamine", "rosewood")
    paths = []
    for number in range(count):
        country, substance = COUNTRIES[number % 5], substances[number // 5 % 4]
        start = FIRST_DAY + timedelta(days=number // 20)
        end = start + timedelta(days=364)
        paths.append(f"/api/events?country={country}&substance={substance}&date_from={start.isoformat()}"
                     f"&date_to={end.isoformat()}&limit=100")
    return paths


def report(baseline: Result, results: Sequence[Result], write: Callable[[str], None]) -> None:
    """A Markdown table: percentiles, throughput and ratios to the baseline's p50 and p95."""
    write("| query | ok | errors | p50 ms | p95 ms | p99 ms | req/s | p50 / baseline | p95 / baseline |")
    write("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    base50, base95 = baseline.percentile(50), baseline.percentile(95)
    for result in [baseline, *results]:
        capped = " (time cap)" if result.capped else ""
        write(f"| {result.name}{capped} | {len(result.latencies)} | {result.errors} | "
              f"{result.percentile(50):.1f} | {result.percentile(95):.1f} | {result.percentile(99):.1f} | "
              f"{result.throughput:.1f} | {result.percentile(50) / base50:.1f}x | "
              f"{result.percentile(95) / base95:.1f}x |")


def main(argv: Sequence[str] | None = None) -> int:
    """Build (or reuse) the database, serve it, measure every query; prints a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000, help="synthetic events to store (default 100000)")
    parser.add_argument("--requests", type=int, default=2000, help="requests per query (default 2000)")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--seconds", type=float, default=40.0, help="time cap per query (default 40)")
    parser.add_argument("--seed", type=int, default=20250101, help="random seed of the synthetic data")
    parser.add_argument("--db", type=Path, help="keep the database here and reuse it if it exists")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes (default 1)")
    args = parser.parse_args(argv)
    if args.events < 1 or args.requests < 1 or args.concurrency < 1 or args.seconds <= 0:
        parser.error("--events, --requests, --concurrency and --seconds must be positive")

    with tempfile.TemporaryDirectory(prefix="borderwatch-bench-") as tmp:
        db_path = args.db.resolve() if args.db else Path(tmp) / "bench.db"
        if db_path.exists():
            print(f"reusing {db_path}", file=sys.stderr)
        else:
            print(f"building {db_path} with {args.events:,} events", file=sys.stderr, flush=True)
            took = build_database(db_path, args.events, args.seed)
            print(f"built in {took:.0f} s ({args.events / took:,.0f} events/s through Store.add)",
                  file=sys.stderr)
        document_ids = some_document_ids(db_path, 200, args.seed)
        with running_server(db_path, Path(tmp) / "serve.log", args.workers) as base:
            def run(name: str, paths: Sequence[str]) -> Result:
                print(f"measuring {name}", file=sys.stderr, flush=True)
                return measure(base, name, paths, args.requests, args.concurrency, args.seconds)

            baseline = run(f"BASELINE GET {BASELINE}", [BASELINE])
            results = [run(name, paths) for name, paths in queries(document_ids)]
    print(f"\n{args.events:,} events, {args.concurrency} concurrent clients, up to {args.requests} requests "
          f"or {args.seconds:.0f} s per query, nproc={os.cpu_count()}\n")
    report(baseline, results, print)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
