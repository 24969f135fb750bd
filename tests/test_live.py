"""Live sources against servers these tests start on 127.0.0.1: safe fetching, conditional GET, watch."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from borderwatch.cli import cli
from borderwatch.config import Settings
from borderwatch.errors import FetchRefused
from borderwatch.live import USER_AGENT, Fetcher, Policy, ingest_url, load_feeds, watch
from borderwatch.store import Store

CORPUS = Path(__file__).parent.parent / "examples" / "corpus"
REPORT = (CORPUS / "2018-05-03_hcmc-pangolin-vietnamplus.txt").read_text(encoding="utf-8")
ETAG = '"v1"'
MODIFIED = formatdate(1_700_000_000, usegmt=True)


def _feed(base: str) -> bytes:
    items = "".join(
        f"<item><title>Police seize {10 + i} kg of methamphetamine in Stung Treng</title>"
        f"<link>{base}/news/{i}</link><pubDate>Mon, 0{i + 1} Apr 2024 08:00:00 GMT</pubDate>"
        f"<description>Police in Stung Treng province seized {10 + i} kilograms of methamphetamine "
        f"from a truck near the border on {i + 1} April 2024, provincial police chief Sok Dara said. "
        f"Item {i}.</description></item>" for i in range(3))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Border Desk</title>'
            f"<link>{base}/</link>{items}</channel></rss>").encode()


class Handler(BaseHTTPRequestHandler):
    log: list[dict[str, Any]]
    routes: dict[str, tuple[int, dict[str, str], bytes]]

    def do_GET(self) -> None:
        self.log.append({"path": self.path, "headers": dict(self.headers)})
        status, headers, body = self.routes.get(self.path, (404, {}, b"not here"))
        if status == 200 and self.headers.get("If-None-Match") == headers.get("ETag") is not None:
            status, body = 304, b""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[tuple[str, list[dict[str, Any]], dict[str, Any]]]:
    log: list[dict[str, Any]] = []
    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
    handler = type("H", (Handler,), {"log": log, "routes": routes})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    routes["/report.txt"] = (200, {"Content-Type": "text/plain; charset=utf-8", "ETag": ETAG,
                                   "Last-Modified": MODIFIED}, REPORT.encode())
    routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml", "ETag": ETAG}, _feed(base))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield base, log, routes
    finally:
        httpd.shutdown()
        httpd.server_close()


def _settings(tmp_path: Path, allow: str = "127.0.0.1", **extra: Any) -> Settings:
    return Settings(db=str(tmp_path / "live.db"), quarantine_dir=str(tmp_path / "q"), fetch_allow=allow,
                    **{"fetch_host_interval_ms": 0, **extra})


@pytest.fixture()
def connections(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every address any socket in this process tries to connect to."""
    seen: list[Any] = []
    original = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        seen.append(address)
        return original(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return seen


def test_loopback_is_refused_unless_allowed(tmp_path: Path, server: Any, connections: list[Any]) -> None:
    base, log, _ = server
    with Fetcher(Policy.of(_settings(tmp_path, allow=""))) as fetcher, pytest.raises(FetchRefused, match="public"):
        fetcher.get(f"{base}/report.txt")
    assert log == [] and connections == []
    with Fetcher(Policy.of(_settings(tmp_path))) as fetcher:
        fetched = fetcher.get(f"{base}/report.txt")
    assert fetched.status == 200 and fetched.body == REPORT.encode()
    assert [entry["path"] for entry in log] == ["/robots.txt", "/report.txt"]
    assert all(entry["headers"]["User-Agent"] == USER_AGENT for entry in log)
    assert USER_AGENT.startswith("borderwatch/0.")


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/",
                                    "http://[::1]:9/", "http://[::ffff:10.0.0.1]/", "http://0.0.0.0/"])
def test_a_redirect_to_an_internal_address_is_refused_without_connecting(
        tmp_path: Path, server: Any, connections: list[Any], target: str) -> None:
    base, log, routes = server
    routes["/go"] = (302, {"Location": target}, b"")
    with Fetcher(Policy.of(_settings(tmp_path))) as fetcher, pytest.raises(FetchRefused, match="public"):
        fetcher.get(f"{base}/go")
    assert {address[0] for address in connections} == {"127.0.0.1"}
    assert [entry["path"] for entry in log] == ["/robots.txt", "/go"]


def test_a_name_resolving_to_a_private_address_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          connections: list[Any]) -> None:
    def resolve(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with Fetcher(Policy.of(_settings(tmp_path, allow=""))) as fetcher, pytest.raises(FetchRefused, match="10.1.2.3"):
        fetcher.get("http://intranet.example/")
    assert connections == []


def test_redirects_are_capped_at_five(tmp_path: Path, server: Any) -> None:
    base, _log, routes = server
    for n in range(7):
        routes[f"/r{n}"] = (302, {"Location": f"/r{n + 1}"}, b"")
    routes["/r5"] = (200, {"Content-Type": "text/plain"}, REPORT.encode())
    with Fetcher(Policy.of(_settings(tmp_path))) as fetcher:
        assert fetcher.get(f"{base}/r0").final_url == f"{base}/r5"  # five redirects: followed
    routes["/r5"] = (302, {"Location": "/r6"}, b"")
    with Fetcher(Policy.of(_settings(tmp_path))) as fetcher, pytest.raises(FetchRefused, match="more than 5"):
        fetcher.get(f"{base}/r0")


def test_robots_size_cap_and_host_rate(tmp_path: Path, server: Any) -> None:
    base, log, routes = server
    routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n")
    routes["/private/a.txt"] = (200, {"Content-Type": "text/plain"}, REPORT.encode())
    routes["/big.txt"] = (200, {"Content-Type": "text/plain"}, b"x" * (1024 * 1024 + 1))
    waits: list[float] = []
    with Fetcher(Policy.of(_settings(tmp_path, max_file_mb=1)),
                 sleep=waits.append) as fetcher:
        with pytest.raises(FetchRefused, match="robots.txt"):
            fetcher.get(f"{base}/private/a.txt")
        assert "/private/a.txt" not in [entry["path"] for entry in log]
        with pytest.raises(FetchRefused, match="limit"):
            fetcher.get(f"{base}/big.txt")
    slow = Policy.of(_settings(tmp_path, fetch_host_interval_ms=5000))
    with Fetcher(slow, sleep=waits.append) as fetcher:
        fetcher.get(f"{base}/report.txt")
        fetcher.get(f"{base}/report.txt")
    assert waits and all(4.0 < w <= 5.0 for w in waits)  # robots, page, page: spaced by the host's rate


def test_ingest_url_stores_the_page_and_a_second_fetch_is_a_304(tmp_path: Path, server: Any) -> None:
    base, log, _ = server
    settings = _settings(tmp_path)
    with Store.open(settings.db_url) as store, Fetcher(Policy.of(settings)) as fetcher:
        first = ingest_url(f"{base}/report.txt", store, settings, fetcher)
        assert first.status == 200 and first.summary.stored == 1
        (doc,) = store.documents()
        assert doc.url == f"{base}/report.txt"
        assert store.fetch_state(f"{base}/report.txt")["etag"] == ETAG
        second = ingest_url(f"{base}/report.txt", store, settings, fetcher)
        assert second.status == 304 and second.summary is None
        assert log[-1]["headers"]["If-None-Match"] == ETAG
        assert log[-1]["headers"]["If-Modified-Since"] == MODIFIED
        assert store.counts()["documents"] == 1


def test_cli_ingest_url_and_feed(tmp_path: Path, server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    base, _log, _ = server
    db = tmp_path / "cli.db"
    monkeypatch.setenv("BORDERWATCH_QUARANTINE_DIR", str(tmp_path / "q"))
    monkeypatch.setenv("BORDERWATCH_FETCH_HOST_INTERVAL_MS", "0")
    refused = CliRunner().invoke(cli, ["ingest", f"{base}/report.txt", "--db", str(db)])
    assert refused.exit_code == 1 and "not a public address" in refused.output
    monkeypatch.setenv("BORDERWATCH_FETCH_ALLOW", "127.0.0.1")
    result = CliRunner().invoke(cli, ["ingest", f"{base}/report.txt", "--feed", f"{base}/feed.xml",
                                      "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with Store.open(f"sqlite:///{db}") as store:
        urls = sorted(d.url or "" for d in store.documents())
    assert urls == sorted([f"{base}/report.txt", *(f"{base}/news/{i}" for i in range(3))])


def test_watch_ingests_only_what_is_new_and_survives_a_restart(tmp_path: Path, server: Any) -> None:
    base, log, routes = server
    feeds_file = tmp_path / "feeds.toml"
    feeds_file.write_text(f'every_minutes = 60\n[[feed]]\nurl = "{base}/feed.xml"\n', encoding="utf-8")
    settings = _settings(tmp_path)
    feeds = load_feeds(feeds_file)
    lines: list[str] = []
    with Store.open(settings.db_url) as store, Fetcher(Policy.of(settings)) as fetcher:
        assert watch(feeds, store, settings, fetcher, once=True, report=lines.append) == 3
        assert watch(feeds, store, settings, fetcher, once=True, report=lines.append) == 0  # not due yet
    polls = [e for e in log if e["path"] == "/feed.xml"]
    assert len(polls) == 1
    # A restart an hour later: due again, and the stored ETag makes the poll a 304.
    with Store.open(settings.db_url) as store:
        store.set_fetch_state(f"{base}/feed.xml", checked=0.0)
    with Store.open(settings.db_url) as store, Fetcher(Policy.of(settings)) as fetcher:
        assert watch(feeds, store, settings, fetcher, once=True, report=lines.append) == 0
        assert lines[-1].endswith("not modified")
        # The feed changes: one new entry, and only it is stored.
        new = _feed(base).replace(b"</channel>", b"<item><title>Customs seize 200 kg of heroin in Koh Kong</title>"
                                  b"<link>" + base.encode() + b"/news/9</link><description>Customs officers in "
                                  b"Koh Kong seized 200 kilograms of heroin at the port on 9 April 2024."
                                  b"</description></item></channel>")
        routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml", "ETag": '"v2"'}, new)
        store.set_fetch_state(f"{base}/feed.xml", checked=0.0)
        assert watch(feeds, store, settings, fetcher, once=True, report=lines.append) == 1
        assert store.counts()["documents"] == 4
    result = CliRunner().invoke(cli, ["watch", str(feeds_file), "--once", "--db", settings.db])
    assert result.exit_code == 0 and "stored 0 new documents" in result.output


@pytest.mark.parametrize(("address", "allowed"), [
    ("100.64.1.1", False), ("169.254.169.254", False), ("fd00:ec2::254", False), ("::ffff:127.0.0.1", False),
    ("224.0.0.1", False), ("0.0.0.0", False), ("192.168.1.1", False), ("fe80::1", False), ("127.0.0.1", False),
    ("8.8.8.8", True), ("2606:4700::1", True)])
def test_only_public_addresses_by_default(address: str, allowed: bool) -> None:
    import ipaddress

    assert Policy().allows("host.example", ipaddress.ip_address(address)) is allowed
    opened = Policy.of(Settings(fetch_allow=f"{address}, feeds.internal"))
    assert opened.allows("host.example", ipaddress.ip_address(address))
    assert opened.allows("feeds.internal", ipaddress.ip_address("10.0.0.1"))
