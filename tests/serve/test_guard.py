"""Body limits before parsing, security headers on every response, and the exposure warning."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderwatch.config import Settings
from borderwatch.serve import create_app
from borderwatch.serve.guard import exposure_warning

TEMPLATES = Path(__file__).resolve().parents[2] / "borderwatch" / "serve" / "templates"
LIMIT_KB = 4


@pytest.fixture
def small(tmp_path: Path) -> Iterator[TestClient]:
    """An app over an empty database that accepts request bodies of at most 4 KiB."""
    with TestClient(create_app(Settings(db=str(tmp_path / "guard.db"), max_body_kb=LIMIT_KB)),
                    follow_redirects=False) as client:
        yield client


def _assert_413(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 413, response.text
    assert response.json() == {"ok": False, "status": 413, "error": response.json()["error"]}
    assert f"{LIMIT_KB * 1024} bytes" in response.json()["error"]


@pytest.mark.parametrize("path", ["/signin", "/signout", "/api/events/e1/review", "/api/aggregates/a1/review"])
def test_a_declared_oversize_body_is_refused_before_parsing(small: TestClient, path: str) -> None:
    # No CSRF token: a 403 would mean the body was read and checked first.
    _assert_413(small.post(path, content=b"x" * (LIMIT_KB * 1024 + 1),
                           headers={"content-type": "application/x-www-form-urlencoded"}))


def test_a_streamed_body_without_content_length_is_capped(small: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(64):
            yield b"name=" + b"a" * 1024

    response = small.post("/signin", content=chunks(),
                          headers={"content-type": "application/x-www-form-urlencoded"})
    assert "content-length" not in response.request.headers
    _assert_413(response)


def test_a_body_under_the_limit_still_reaches_the_route(small: TestClient) -> None:
    response = small.post("/signin", data={"name": "ed", "password": "x"})
    assert response.status_code == 403  # the CSRF check ran: the body was accepted


@pytest.mark.parametrize("path", ["/", "/api/events", "/api/events.csv", "/docs", "/openapi.json",
                                  "/static/borderwatch.css", "/no-such-page", "/signin"])
def test_every_response_carries_the_security_headers(small: TestClient, path: str) -> None:
    headers = small.get(path).headers
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert "strict-transport-security" not in headers


def test_hsts_only_when_the_request_came_over_https(tmp_path: Path) -> None:
    app = create_app(Settings(db=str(tmp_path / "hsts.db")))
    with TestClient(app, base_url="https://testserver") as direct:
        assert "max-age=" in direct.get("/api/events").headers["strict-transport-security"]
    with TestClient(app) as proxied:
        assert "strict-transport-security" in proxied.get(
            "/", headers={"X-Forwarded-Proto": "https"}).headers
        assert "strict-transport-security" not in proxied.get("/").headers


def test_templates_hold_no_inline_script_or_handler() -> None:
    for template in TEMPLATES.glob("*.html"):
        html = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), template.name
        assert not re.search(r"\son[a-z]+\s*=", html), template.name
        assert not re.search(r"\sstyle\s*=", html), template.name


@pytest.mark.parametrize(("host", "warns"), [
    ("127.0.0.1", False), ("::1", False), ("localhost", False), ("127.0.0.2", False),
    ("0.0.0.0", True), ("::", True), ("203.0.113.7", True), ("192.168.1.10", True), ("example.org", True)])
def test_exposure_warning(host: str, warns: bool) -> None:
    assert (exposure_warning(host) is not None) == warns


def test_serve_on_every_interface_warns_on_stderr(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(TEMPLATES.parents[2])}
    code = "from borderwatch.cli import main; main()"
    subprocess.run([sys.executable, "-c", code, "db", "upgrade", "--db", str(tmp_path / "s.db")], env=env,
                   check=True, capture_output=True)  # serve reads an existing database, never creates one
    server = subprocess.Popen([sys.executable, "-c", code, "serve", "--host", "0.0.0.0", "--port",
                               str(port), "--db", str(tmp_path / "s.db")],
                              stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    try:
        deadline = time.monotonic() + 60
        line = ""
        while "warning" not in line and time.monotonic() < deadline:
            line = server.stderr.readline() if server.stderr else ""
            assert line or server.poll() is None, "server exited without a warning"
        assert line.startswith("borderwatch: warning: serving on 0.0.0.0")
    finally:
        server.terminate()
        server.wait(timeout=10)
