"""Shared fixtures: a throwaway PostgreSQL 15 cluster for the storage tests, and a fresh
database URL per test on either backend."""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from borderwatch.model import (
    Aggregate,
    Comment,
    Document,
    Facts,
    Flow,
    Item,
    Quote,
    Rejection,
    SeizureEvent,
    Span,
)
from borderwatch.store import Store

PG_BIN_DIRS = [Path("/usr/lib/postgresql/15/bin")]
PG_TOOLS = ["initdb", "pg_ctl"]
_database_numbers = itertools.count(1)


@dataclass(frozen=True)
class PgServer:
    """A running throwaway cluster: superuser ``postgres``, trust auth, loopback only."""

    host: str
    port: int

    def url(self, database: str) -> str:
        """A SQLAlchemy URL for ``database`` on this server."""
        return f"postgresql+psycopg://postgres@{self.host}:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create ``name`` and return its URL."""
        engine = sa.create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        finally:
            engine.dispose()
        return self.url(name)


def _pg_bin_dir() -> Path | None:
    extra = os.environ.get("BORDERWATCH_PG_BIN")
    for candidate in [*([Path(extra)] if extra else []), *PG_BIN_DIRS]:
        if all((candidate / tool).is_file() for tool in PG_TOOLS):
            return candidate
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_as_owner(args: list[str]) -> subprocess.CompletedProcess[str]:
    """PostgreSQL refuses to run as root, so root runs its tools as the ``postgres`` user."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """initdb a cluster in a temp dir, start it on a free loopback port, stop it at the end."""
    bin_dir = _pg_bin_dir()
    if bin_dir is None:
        searched = ", ".join(str(d) for d in PG_BIN_DIRS)
        pytest.skip(f"PostgreSQL 15 binaries not found: no initdb/pg_ctl in {searched} "
                    "(run scripts/test-setup.sh as root, or set BORDERWATCH_PG_BIN)")
    root = Path(tempfile.mkdtemp(prefix="borderwatch-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, user="postgres", group="postgres")
    data, log = root / "data", root / "server.log"
    initdb = _run_as_owner([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                            "-E", "UTF8", "--locale=C.UTF-8"])
    if initdb.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"initdb failed: {initdb.stderr.strip()}")
    port = _free_port()
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off -c full_page_writes=off"
    start = _run_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options,
                           "-w", "-t", "60", "start"])
    if start.returncode != 0:
        detail = log.read_text(errors="replace") if log.exists() else start.stderr
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"PostgreSQL did not start: {detail.strip()[-2000:]}")
    try:
        yield PgServer(host="127.0.0.1", port=port)
    finally:
        _run_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_url(pg_server: PgServer) -> str:
    """A ``postgresql+psycopg://`` URL of a database on the throwaway cluster."""
    return pg_server.create_database("borderwatch")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend, one per test."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'borderwatch.db'}"
    server: PgServer = request.getfixturevalue("pg_server")
    return server.create_database(f"test_{os.getpid()}_{next(_database_numbers)}")


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """An opened, migrated Store on each backend."""
    opened = Store.open(db_url)
    yield opened
    opened.close()


REPORT = (
    "HANOI, March 5, 2024 - Border guards in Quảng Trị province seized 12.5 kg of heroin and "
    "30,000 methamphetamine tablets at the Lao Bảo checkpoint on Tuesday, arresting two Lao men. "
    "\"We will not let this route reopen,\" said Colonel Nguyễn Văn Hùng. "
    "Last August, police in Savannakhet found 2 cubic metres of rosewood in a truck. "
    "So far this year, provincial police have seized 682 kg of drugs in 41 cases. "
    "Officials said the drugs came from Laos and were bound for China. "
    "Related: Timber smuggling rises on the Mekong"
)


def _span(doc_id: str, text: str, needle: str, field: str | None = None) -> Span:
    start = text.index(needle)
    return Span(doc_id=doc_id, start=start, end=start + len(needle), text=needle, field=field)


def build_facts(doc_id: str = "vn-quangtri-1", text: str = REPORT, content_hash: str | None = None,
                outlet: str = "Thanh Niên", language: str = "en") -> Facts:
    """Facts of every kind about ``text``, with evidence spans that really point into it."""
    content_hash = content_hash or hashlib.sha256(text.encode()).hexdigest()

    def span(needle: str, field: str | None = None) -> Span:
        return _span(doc_id, text, needle, field)

    sentence = text[text.index("Border guards"):text.index("men.") + 4]
    document = Document(
        id=doc_id, text=text, content_hash=content_hash, source=f"corpus/{doc_id}.html",
        media_type="html", title="Heroin and meth seized at Lao Bảo", outlet=outlet,
        url=f"https://example.org/{doc_id}", language=language, published="2024-03-05",
        published_precision="day", published_raw="March 5, 2024",
        comments=(Comment(text="Good work!", author="reader1", posted="2024-03-05T10:00:00"),
                  Comment(text="idiots", abusive=True, abuse_terms=("idiots",))),
        furniture=(span("Related: Timber smuggling rises on the Mekong", "related"),))
    heroin = Item(commodity="drugs", substance="heroin", mass_kg=12.5, mass_raw="12.5 kg",
                  evidence=(span("12.5 kg of heroin", "mass_kg"),))
    meth = Item(commodity="drugs", substance="methamphetamine", form="tablets", count=30000.0,
                count_unit="tablets", count_raw="30,000", evidence=(span("30,000 methamphetamine tablets"),))
    seizure = SeizureEvent(
        id=f"{doc_id}-e1", doc_id=doc_id, items=(heroin, meth), date="2024-03-05", date_precision="day",
        date_raw="Tuesday", country="VN", admin1="Quảng Trị", place="Lao Bảo checkpoint",
        location_precision="point", geonames_id=1568574, lat=16.6167, lon=106.5833, arrests=2,
        arrests_raw="two", suspect_nationalities=("LA", "LA"), origin_country="LA",
        destination_country="CN", agency="Border guards", confidence=0.9, incident="vn-qt-2024-03-05",
        evidence=(span(sentence, "sentence"), span("Quảng Trị", "admin1"), span("Tuesday", "date")))
    rosewood = SeizureEvent(
        id=f"{doc_id}-e2", doc_id=doc_id, date="2023-08", date_precision="month", date_raw="Last August",
        items=(Item(commodity="timber", substance="rosewood", volume_m3=2.0, volume_raw="2 cubic metres",
                    qualifier="about", evidence=(span("2 cubic metres of rosewood"),)),),
        country="LA", admin1="Savannakhet", location_precision="province", concealment="truck",
        agency="police", background=True, confidence=0.4,
        evidence=(span("police in Savannakhet found 2 cubic metres of rosewood in a truck"),))
    aggregate = Aggregate(
        id=f"{doc_id}-a1", doc_id=doc_id, country="VN", admin1="Quảng Trị", agency="provincial police",
        period_start="2024-01-01", period_end="2024-03-05", period_raw="So far this year", cases=41,
        items=(Item(commodity="drugs", mass_kg=682.0, mass_raw="682 kg", evidence=(span("682 kg"),)),),
        evidence=(span("So far this year, provincial police have seized 682 kg of drugs in 41 cases.",
                       "sentence"),))
    quote = Quote(id=f"{doc_id}-q1", doc_id=doc_id, speaker="Nguyễn Văn Hùng", kind="direct",
                  text="We will not let this route reopen,", role="Colonel", confidence=0.8,
                  evidence=(span("We will not let this route reopen,", "text"),
                            span("Colonel Nguyễn Văn Hùng", "speaker")))
    flow = Flow(id=f"{doc_id}-f1", doc_id=doc_id, origin="LA", destination="CN", commodity="drugs",
                asserted_by="Officials", confidence=0.6,
                evidence=(span("the drugs came from Laos and were bound for China"),))
    rejection = Rejection(source=document.source, stage="extract", reason="no-quantity",
                          message="seizure without a quantity", evidence=(span("Border guards"),))
    return Facts(document=document, events=[seizure, rosewood], aggregates=[aggregate], quotes=[quote],
                 flows=[flow], rejections=[rejection])


@pytest.fixture
def make_facts() -> Callable[..., Facts]:
    """``build_facts`` as a fixture, so test modules need not import conftest."""
    return build_facts
