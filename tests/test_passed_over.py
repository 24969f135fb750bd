"""Every input a run passes over is counted by kind in its summary: odd file-system entries,
WARC records that are not pages, and oversize members (rejected, counted by reason)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from borderwatch.config import Settings
from borderwatch.model import Facts
from borderwatch.pipeline import run_documents
from tests.ingest.conftest import gzip_members, http_response, warc_record

FIXTURES = Path(__file__).parent / "fixtures"
PAGE = (b"<html><head><title>Seizure</title></head><body><p>Border police seized 5 kg of heroin "
        b"at the Lao Bao checkpoint on Monday, officials said.</p></body></html>")


def test_run_summary_counts_what_it_passed_over(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "report.txt").write_bytes((FIXTURES / "utf16-report.txt").read_bytes())
    os.mkfifo(inputs / "pipe.txt")  # reading it would block the run forever
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(inputs / "control.sock"))
        (inputs / "gone.txt").symlink_to(inputs / "missing.txt")
        (inputs / ".hidden.txt").write_text("notes", encoding="utf-8")
        (inputs / "gold.json").write_text("{}", encoding="utf-8")
        huge = b"<html><body><p>" + b"Border police patrolled the river bank. " * 40_000 + b"</p></body></html>"
        (inputs / "crawl.warc.gz").write_bytes(gzip_members([
            warc_record("warcinfo", "", b"software: test\r\n"),
            warc_record("request", "https://news.example/a", b"GET /a HTTP/1.1\r\n\r\n"),
            warc_record("response", "https://news.example/a", http_response(PAGE)),
            warc_record("response", "https://news.example/big", http_response(huge)),
            warc_record("response", "https://news.example/old", http_response(PAGE, status="404 Not Found")),
            warc_record("metadata", "https://news.example/a", b"via: test\r\n"),
        ]))
        stored: list[Facts] = []
        summary = run_documents([inputs, inputs / "pipe.txt"], Settings(max_file_mb=1,
                                quarantine_dir=str(tmp_path / "q")), lambda f: stored.append(f) or True)
    assert summary.passed_over == {"FIFOs": 2, "sockets": 1, "broken links": 1, "hidden files": 1,
                                   "companion files": 1, "WARC warcinfo records": 1,
                                   "WARC request records": 1, "WARC metadata records": 1, "WARC HTTP 404": 1}
    assert summary.rejected == {"too-large": 1}  # the member that inflates past the limit
    assert summary.stored == len(stored) == 2
    assert summary.as_dict()["passed_over"] == dict(summary.passed_over)
