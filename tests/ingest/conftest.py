"""Paths the ingest tests read: our small fixtures and the shared dev set."""

from __future__ import annotations

from pathlib import Path

import pytest

from borderwatch.model import Document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DEV = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev"


def dev_file(name: str) -> Path:
    """A dev-set document, or a skip naming where it was looked for."""
    path = DEV / name
    if not path.exists():
        pytest.skip(f"shared dev set not found at {DEV} (a user's own clone has none)")
    return path


def assert_spans_quote(doc: Document) -> None:
    """Every furniture span quotes the text it points at."""
    for span in doc.furniture:
        assert span.doc_id == doc.id
        assert doc.text[span.start:span.end] == span.text
