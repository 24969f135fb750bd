"""Live sources: fetch a page or a feed over HTTP(S) safely, ingest it, and poll feeds on a schedule.

Safe to point at any URL a user types, on a server:

- only http and https; every host name is resolved first and **every** address it resolves to
  must be public (not private, loopback, link-local, the cloud metadata address, multicast,
  reserved, shared or unspecified) unless the ``fetch_allow`` setting names it; the request then
  goes to the address checked (the host name stays in the Host header and TLS SNI), so a second
  DNS answer cannot swap in an internal address;
- redirects are followed by hand, at most ``MAX_REDIRECTS``, each target checked the same way
  before anything connects to it;
- robots.txt of every host is honoured (``urllib.robotparser``; a robots.txt that cannot be read
  for a server error forbids the host, a missing one allows it), requests to one host are spaced
  by ``fetch_host_interval_ms``, and every request names borderwatch and its version;
- timeouts on connect and read, and the body is capped at ``max_file_mb`` while it streams;
- the ETag and Last-Modified a source sends are stored (``fetch_state``) and sent back, so polling
  an unchanged source costs a 304 and no extraction.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import tempfile
import time
import tomllib
import urllib.robotparser
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Self
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from borderwatch.config import Settings
from borderwatch.errors import ConfigError, FetchRefused
from borderwatch.model import Facts
from borderwatch.store.repo import Store

MAX_REDIRECTS = 5


def _version() -> str:
    try:
        return version("borderwatch")
    except PackageNotFoundError:
        return "0.1.0"


USER_AGENT = f"borderwatch/{_version()} (seizure-report monitor; +https://github.com/borderwatch/borderwatch)"

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Policy:
    """What a fetch may do; from ``Settings`` by ``Policy.of``."""

    timeout: float = 20.0
    max_bytes: int = 64 * 1024 * 1024
    host_interval: float = 1.0
    allow_networks: tuple[Network, ...] = ()
    allow_hosts: frozenset[str] = frozenset()

    @classmethod
    def of(cls, settings: Settings) -> Policy:
        networks: list[Network] = []
        hosts: set[str] = set()
        for entry in (e.strip() for e in settings.fetch_allow.split(",")):
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.add(entry.lower().rstrip("."))
        return cls(timeout=float(settings.fetch_timeout_seconds), max_bytes=settings.max_file_mb * 1024 * 1024,
                   host_interval=settings.fetch_host_interval_ms / 1000, allow_networks=tuple(networks),
                   allow_hosts=frozenset(hosts))

    def allows(self, host: str, address: Address) -> bool:
        """May ``address`` (one that ``host`` resolved to) be connected to?"""
        forms = [address]
        if address.version == 6 and address.ipv4_mapped:
            address = address.ipv4_mapped
            forms.append(address)
        if host.lower().rstrip(".") in self.allow_hosts or any(
                form in n for form in forms for n in self.allow_networks if form.version == n.version):
            return True
        return address.is_global and not address.is_multicast


@dataclass(frozen=True)
class Fetched:
    """One answer: the URL asked, where it ended after redirects, and its body (None on 304)."""

    url: str
    final_url: str
    status: int
    body: bytes | None
    content_type: str
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def resolve_checked(host: str, port: int, policy: Policy) -> Address:
    """The address to connect to for ``host``; FetchRefused if any address it has is not allowed."""
    try:
        literal: Address | None = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [literal]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchRefused(f"cannot resolve {host}: {exc}") from exc
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
        if not addresses:
            raise FetchRefused(f"cannot resolve {host}")
    for address in addresses:
        if not policy.allows(host, address):
            raise FetchRefused(f"refusing {host} ({address}): not a public address "
                               f"(allow it explicitly with the fetch_allow setting)")
    return addresses[0]


class Fetcher:
    """Safe GETs with robots.txt, a per-host rate and conditional requests."""

    def __init__(self, policy: Policy, client: httpx.Client | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.policy = policy
        self._client = client or httpx.Client(
            follow_redirects=False, trust_env=False,
            timeout=httpx.Timeout(policy.timeout), headers={"User-Agent": USER_AGENT})
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._last: dict[str, float] = {}
        self._sleep = sleep

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET ``url`` (conditionally, given validators); FetchRefused when it may not be fetched."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            self._check_robots(current)
            response, body = self._hop(current, headers, self.policy.max_bytes)
            if response.status_code in (301, 302, 303, 307, 308) and "location" in response.headers:
                current = urljoin(current, response.headers["location"])
                continue
            if response.status_code == 304:
                return Fetched(url, current, 304, None, "", etag, last_modified)
            if response.status_code != 200:
                raise FetchRefused(f"{current} answered HTTP {response.status_code}")
            return Fetched(url, current, 200, body, response.headers.get("content-type", ""),
                           response.headers.get("etag"), response.headers.get("last-modified"))
        raise FetchRefused(f"{url}: more than {MAX_REDIRECTS} redirects")

    def _hop(self, url: str, headers: dict[str, str], limit: int) -> tuple[httpx.Response, bytes]:
        """One request, to the address checked for the URL's host; no redirect followed."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchRefused(f"refusing {url}: only http and https URLs are fetched")
        if parts.username or parts.password:
            raise FetchRefused(f"refusing {url}: credentials in URLs are not sent")
        host = parts.hostname
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = resolve_checked(host, port, self.policy)
        self._wait_turn(host)
        pinned = f"[{address}]" if address.version == 6 else str(address)
        target = urlunsplit((parts.scheme, f"{pinned}:{port}", parts.path or "/", parts.query, ""))
        host_header = host if parts.port is None else f"{host}:{parts.port}"
        request = self._client.build_request("GET", target, headers={**headers, "Host": host_header},
                                             extensions={"sni_hostname": host})
        try:
            response = self._client.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise FetchRefused(f"cannot fetch {url}: {type(exc).__name__}: {exc}") from exc
        try:
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise FetchRefused(f"{url} is {int(declared)} bytes, over the {limit}-byte limit")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise FetchRefused(f"{url} is over the {limit}-byte limit")
                chunks.append(chunk)
        except httpx.HTTPError as exc:
            raise FetchRefused(f"cannot read {url}: {type(exc).__name__}: {exc}") from exc
        finally:
            response.close()
        return response, b"".join(chunks)

    def _wait_turn(self, host: str) -> None:
        key = host.lower()
        last = self._last.get(key)
        if last is not None:
            wait = self.policy.host_interval - (time.monotonic() - last)
            if wait > 0:
                self._sleep(wait)
        self._last[key] = time.monotonic()

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        parser = self._robots.get(origin)
        if parser is None:
            parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
            robots = origin + "/robots.txt"
            try:
                for _ in range(MAX_REDIRECTS + 1):
                    response, body = self._hop(robots, {}, 512 * 1024)
                    if response.status_code in (301, 302, 303, 307, 308) and "location" in response.headers:
                        robots = urljoin(robots, response.headers["location"])
                        continue
                    break
                status = response.status_code
            except FetchRefused as exc:
                if "not a public address" in str(exc) or "only http" in str(exc):
                    raise
                status = 503
            if status == 200:
                parser.parse(body.decode("utf-8", "replace").splitlines())
            elif status in (401, 403) or status >= 500:
                # unreadable: stay off the host, as crawlers do
                parser.disallow_all = True  # type: ignore[attr-defined]
            else:
                parser.allow_all = True  # type: ignore[attr-defined]
            self._robots[origin] = parser
        if not parser.can_fetch(USER_AGENT, url):
            raise FetchRefused(f"robots.txt of {origin} does not allow borderwatch to fetch {url}")


# ---- ingesting what was fetched -------------------------------------------------------------

FEED_TYPES = ("rss", "atom", "xml")


def _file_name(url: str, feed: bool, content_type: str) -> str:
    parts = urlsplit(url)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{parts.hostname}{parts.path}").strip("._")[:120] or "page"
    kind = content_type.split(";")[0].strip().lower()
    if feed or any(k in kind for k in FEED_TYPES):
        suffix = ".xml"
    elif kind.startswith("text/plain"):
        suffix = ".txt"
    else:
        suffix = ".html"
    return re.sub(r"\.(html?|txt|xml|rss|atom)$", "", stem) + suffix


@dataclass
class LiveResult:
    url: str
    status: int
    summary: Any = None
    """The ingest's RunSummary; None when the source had not changed (304)."""


def ingest_url(url: str, store: Store, settings: Settings, fetcher: Fetcher, feed: bool = False,
               on_facts: Callable[[Facts], object] | None = None, **ingest_options: Any) -> LiveResult:
    """Fetch ``url`` (a page, or with ``feed`` an RSS/Atom feed) and ingest it; unchanged since the
    last fetch (304), nothing is read. Validators are stored only once the ingest finished, so a
    killed run fetches the source in full again."""
    from borderwatch.pipeline import extract_file, ingest

    state = store.fetch_state(url) or {}
    fetched = fetcher.get(url, state.get("etag"), state.get("last_modified"))
    now = time.time()
    if fetched.not_modified:
        store.set_fetch_state(url, status=304, checked=now)
        return LiveResult(url, 304)
    assert fetched.body is not None
    with tempfile.TemporaryDirectory(prefix="borderwatch-fetch-") as tmp:
        path = Path(tmp) / _file_name(fetched.final_url, feed, fetched.content_type)
        path.write_bytes(fetched.body)

        def here(files: list[Path], known: Callable[[str], bool] | None) -> Iterator[tuple[Path, Any]]:
            from borderwatch.extract import Extractor

            extractor = _extractor(settings, Extractor)
            for file in files:
                for outcome in extract_file(file, settings, extractor, known):
                    if isinstance(outcome, Facts) and not outcome.document.url:
                        outcome.document = replace(outcome.document, url=fetched.final_url)
                    yield file, outcome

        summary = ingest([path], store, settings, f"ingest {'--feed ' if feed else ''}{url}",
                         extract_files=here, on_facts=on_facts, **ingest_options)
    store.set_fetch_state(url, etag=fetched.etag, last_modified=fetched.last_modified, status=200,
                          checked=now, changed=now)
    return LiveResult(url, 200, summary)


_EXTRACTORS: dict[int, Any] = {}


def _extractor(settings: Settings, factory: Any) -> Any:
    """One Extractor per settings for the process: a watcher polls for days, models load once."""
    key = hash(settings)
    if key not in _EXTRACTORS:
        _EXTRACTORS[key] = factory(settings)
    return _EXTRACTORS[key]


# ---- watching feeds -------------------------------------------------------------------------

@dataclass(frozen=True)
class Feed:
    url: str
    every_seconds: float


def load_feeds(path: Path) -> list[Feed]:
    """FEEDS.toml: ``every_minutes`` (default 30) and ``[[feed]]`` tables with ``url`` and an
    optional ``every_minutes`` of their own."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    default = data.get("every_minutes", 30)
    feeds = []
    for n, entry in enumerate(data.get("feed", []), 1):
        url = entry.get("url") if isinstance(entry, dict) else None
        minutes = entry.get("every_minutes", default) if isinstance(entry, dict) else default
        if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
            raise ConfigError(f"{path}: feed {n} needs an http(s) url")
        if not isinstance(minutes, int | float) or minutes <= 0:
            raise ConfigError(f"{path}: feed {n}: every_minutes must be a positive number")
        feeds.append(Feed(url, float(minutes) * 60))
    if not feeds:
        raise ConfigError(f"{path} lists no [[feed]]")
    return feeds


def due_feeds(feeds: list[Feed], store: Store, now: float) -> list[Feed]:
    """Feeds whose last check (as the database records it, across restarts) is a period old."""
    due = []
    for feed in feeds:
        state = store.fetch_state(feed.url)
        if not state or state.get("checked") is None or now - float(state["checked"]) >= feed.every_seconds:
            due.append(feed)
    return due


def watch(feeds: list[Feed], store: Store, settings: Settings, fetcher: Fetcher, once: bool = False,
          report: Callable[[str], None] = print, sleep: Callable[[float], None] = time.sleep) -> int:
    """Poll the feeds when due, ingest what is new; forever, or one round with ``once``.
    A feed that cannot be fetched is reported and tried again at its next period. Returns the
    documents stored."""
    stored = 0
    while True:
        now = time.time()
        for feed in due_feeds(feeds, store, now):
            try:
                result = ingest_url(feed.url, store, settings, fetcher, feed=True)
            except FetchRefused as exc:
                store.set_fetch_state(feed.url, checked=now)
                report(f"{feed.url}: {exc}")
                continue
            if result.summary is None:
                report(f"{feed.url}: not modified")
            else:
                stored += result.summary.stored
                report(f"{feed.url}: {result.summary.read} entries read, {result.summary.stored} new stored")
        if once:
            return stored
        waits = []
        for feed in feeds:
            state = store.fetch_state(feed.url) or {}
            waits.append(float(state.get("checked") or 0) + feed.every_seconds - time.time())
        sleep(max(1.0, min(waits)))
