"""The per-document budget: long documents are split at paragraphs, unsplittable or slow ones rejected."""

from __future__ import annotations

import time

import pytest

from borderwatch.errors import Rejected
from borderwatch.extract.budget import cpu_budget, split_document
from borderwatch.model import Document, Span


def _doc(text: str) -> Document:
    return Document(id="r1", text=text, content_hash="h", source="r1.txt",
                    furniture=(Span("r1", 0, 5, text[:5], "caption"), Span("r1", len(text) - 3, len(text),
                                                                             text[-3:], "byline")))


def test_a_document_within_the_budget_is_itself() -> None:
    doc = _doc("Short report.\n\nSecond paragraph.")
    assert split_document(doc, 1000) == [doc]
    assert split_document(doc, 0) == [doc]


def test_a_long_document_is_split_at_paragraph_boundaries() -> None:
    paragraphs = [f"Paragraph {i} says police seized {i} kg of heroin." for i in range(30)]
    doc = _doc("\n\n".join(paragraphs))
    parts = split_document(doc, 200)
    assert len(parts) > 1 and all(len(p.text) <= 200 for p in parts)
    assert "".join(p.text for p in parts) == doc.text
    assert all(p.text.startswith("Paragraph") for p in parts)
    assert [p.id for p in parts] == [f"r1.{n}" for n in range(1, len(parts) + 1)]
    assert parts[1].source == "r1.txt#part=2" and len({p.content_hash for p in parts}) == len(parts)
    assert [f.field for f in parts[0].furniture] == ["caption"] and [f.field for f in parts[-1].furniture] == ["byline"]
    for part in parts:
        assert all(part.text[f.start:f.end] == f.text and f.doc_id == part.id for f in part.furniture)


def test_a_paragraph_longer_than_the_budget_is_too_long() -> None:
    doc = _doc("Intro.\n\n" + "word " * 100)
    with pytest.raises(Rejected) as caught:
        split_document(doc, 200)
    assert caught.value.reason == "too-long" and "max_document_chars (200)" in caught.value.message


def test_extraction_over_the_cpu_budget_is_a_timeout() -> None:
    with pytest.raises(Rejected) as caught, cpu_budget(1, "slow.txt"):
        started = time.process_time()
        while time.process_time() - started < 5:
            pass
    assert caught.value.reason == "timeout" and caught.value.source == "slow.txt"


def test_work_within_the_cpu_budget_is_untouched() -> None:
    with cpu_budget(5, "quick.txt"):
        total = sum(range(1000))
    assert total == 499500
