"""Browser fixtures: a real ``borderwatch serve`` over the ingested sample corpus, driven by Debian's Chromium.

The database is built once per session by the real pipeline (``pipeline.ingest`` into a ``Store``)
from ``examples/corpus`` plus one Khmer report. Read-only tests share ``site``; a test that
changes data (sign-in, corrections) calls ``start_site()`` for a server over its own copy, and
``start_site(prepare=...)`` to add users or reports to that copy before the server starts.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from borderwatch.config import Settings
from borderwatch.pipeline import ingest
from borderwatch.store.repo import Store

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "examples" / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SCREENSHOTS = REPO / "test-output" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
SERVER_START_SECONDS = 60.0
SETUP_HINT = "run scripts/test-setup.sh as root"


@dataclass
class Site:
    """A running ``borderwatch serve`` process and the database it serves."""

    base_url: str
    db_path: Path
    process: subprocess.Popen[bytes]
    log_path: Path

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` on this server."""
        return self.base_url + path

    def store(self) -> Store:
        """A second Store on the served database, to check pages against what is stored."""
        return Store.open(f"sqlite:///{self.db_path}")

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 10 s)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def browser_missing(system_fonts: bool = True) -> str | None:
    """Why browser tests cannot run here, naming what is missing; None when they can.

    ``system_fonts=False`` is for tests that hide the system's fonts from Chromium anyway.
    """
    problems = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("Python package playwright (pip install playwright==1.65.2)")
    if not os.access(CHROMIUM, os.X_OK):
        problems.append(f"{CHROMIUM} (apt-get install chromium)")
    if system_fonts and not _has_font_for("km"):
        problems.append("a Khmer font (apt-get install fonts-khmeros)")
    if not problems:
        return None
    return f"browser tests need {'; '.join(problems)}: {SETUP_HINT}"


def _has_font_for(language: str) -> bool:
    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(["fc-list", f":lang={language}", "family"], capture_output=True, text=True,
                            timeout=30, check=False)
    return bool(listed.stdout.strip())


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def borderwatch_command() -> list[str]:
    """The installed ``borderwatch`` console script of this interpreter's environment."""
    script = Path(sys.executable).parent / "borderwatch"
    if not script.is_file():
        pytest.fail(f"no borderwatch command at {script}: run 'make setup' (pip install -e .)")
    return [str(script)]


def launch_server(db_path: Path, workdir: Path, env: dict[str, str] | None = None) -> Site:
    """Start ``borderwatch serve`` on a free loopback port and wait until it answers."""
    port = free_port()
    log_path = workdir / f"serve-{port}.log"
    # Settings the developer's shell may carry must not leak into the server under test.
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BORDERWATCH_")}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*borderwatch_command(), "serve", "--db", str(db_path), "--host", "127.0.0.1", "--port", str(port)],
            cwd=workdir, stdout=log, stderr=subprocess.STDOUT, env={**clean, **(env or {})})
    site = Site(base_url=f"http://127.0.0.1:{port}", db_path=db_path, process=process, log_path=log_path)
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"borderwatch serve exited with {process.returncode}: "
                        f"{log_path.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(site.url("/openapi.json"), timeout=2).status_code == 200:
                return site
        except httpx.TransportError:
            time.sleep(0.2)
    site.stop()
    pytest.fail(f"borderwatch serve did not answer within {SERVER_START_SECONDS:.0f} s: "
                f"{log_path.read_text(errors='replace')[-2000:]}")


@pytest.fixture(scope="session")
def browser_ready() -> None:
    """Skip, naming what is missing, unless Playwright, Chromium and the fonts are installed."""
    reason = browser_missing()
    if reason is not None:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def corpus_db(browser_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file ingested by the real pipeline from examples/corpus and the Khmer fixture."""
    root = tmp_path_factory.mktemp("browser-db")
    path = root / "corpus.db"
    settings = Settings(db=str(path), quarantine_dir=str(root / "quarantine"))
    with Store.open(settings.db_url) as store:
        summary = ingest([CORPUS, FIXTURES / "khmer-stungtreng-illustrative.txt"], store, settings,
                         command="tests/browser")
    assert summary.stored > 0, f"the pipeline stored nothing: {summary.as_dict()}"
    return path


@pytest.fixture(scope="session")
def start_site(corpus_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Site]]:
    """A factory: ``start_site(env=..., prepare=...)`` serves a fresh copy of ``corpus_db``; all stop at session end.

    ``prepare(store, settings)`` runs on the copy before the server starts (users, extra reports).
    """
    started: list[Site] = []

    def start(env: dict[str, str] | None = None, prepare: Callable[[Store, Settings], None] | None = None) -> Site:
        workdir = tmp_path_factory.mktemp("site")
        db_copy = workdir / "borderwatch.db"
        shutil.copyfile(corpus_db, db_copy)
        if prepare is not None:
            settings = Settings(db=str(db_copy), quarantine_dir=str(workdir / "quarantine"))
            with Store.open(settings.db_url) as store:
                prepare(store, settings)
        site = launch_server(db_copy, workdir, env)
        started.append(site)
        return site

    yield start
    for site in started:
        site.stop()


@pytest.fixture(scope="session")
def site(start_site: Callable[..., Site]) -> Site:
    """One shared server for tests that only read."""
    return start_site()


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    """The one Playwright driver of the session (its sync API allows only one per thread)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def chromium(browser_ready: None, playwright_driver: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless, launched once per session through Playwright."""
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    """A fresh browser context and page per test (no cookies shared between tests)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[..., Path]:
    """``screenshot(page, name)`` saves a full-page PNG under test-output/screenshots/ and returns its path."""

    def take(target: Page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{request.node.name}-{name}.png"
        target.screenshot(path=str(path), full_page=True)
        return path

    return take

