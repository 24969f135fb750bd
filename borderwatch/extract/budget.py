"""The per-document budget: a document longer than ``max_document_chars`` is split at paragraph
boundaries into parts read one by one; one that cannot be split (a single paragraph over the
limit) is rejected as ``too-long``, and one whose extraction takes more than
``max_document_cpu_seconds`` of CPU time as ``timeout``. Both land in quarantine like any other
rejection. spaCy's ``max_length`` is set to the same character limit, so the two never disagree.
"""

from __future__ import annotations

import hashlib
import re
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from types import FrameType

from borderwatch.errors import Rejected
from borderwatch.model import Document

_PARAGRAPH_END = re.compile(r"\n\s*")


def split_document(doc: Document, max_chars: int) -> list[Document]:
    """``doc`` itself when it fits ``max_chars``, else its parts, each ending at a paragraph boundary.

    Part ``n`` is its own Document (id ``<id>.<n>``, source ``<source>#part=<n>``); the furniture
    inside it comes along with offsets into the part, the reader comments with the first part.
    """
    if max_chars <= 0 or len(doc.text) <= max_chars:
        return [doc]
    bounds = [m.end() for m in _PARAGRAPH_END.finditer(doc.text)] + [len(doc.text)]
    parts: list[tuple[int, int]] = []
    start = last = 0
    for end in bounds:
        if end - start > max_chars:
            if last > start:
                parts.append((start, last))
                start = last
            if end - start > max_chars:
                raise Rejected("too-long", "extract", doc.source,
                               f"a paragraph of {end - start:,} characters at offset {start:,} is longer than "
                               f"max_document_chars ({max_chars:,}): raise the setting or split the text")
        last = end
    parts.append((start, last))
    return [_part(doc, n, start, end) for n, (start, end) in enumerate(parts, 1)]


def _part(doc: Document, n: int, start: int, end: int) -> Document:
    part_id = f"{doc.id}.{n}"
    furniture = tuple(replace(f, doc_id=part_id, start=f.start - start, end=f.end - start)
                      for f in doc.furniture if start <= f.start and f.end <= end)
    return replace(doc, id=part_id, text=doc.text[start:end], source=f"{doc.source}#part={n}",
                   content_hash=hashlib.sha256(f"{doc.content_hash}#part={n}".encode()).hexdigest(),
                   furniture=furniture, comments=doc.comments if n == 1 else ())


class _OverBudget(BaseException):
    """Raised by the CPU timer inside the extraction it interrupts; a BaseException so that no
    ``except Exception`` on the way swallows it."""


@contextmanager
def cpu_budget(seconds: int, source: str) -> Iterator[None]:
    """Reject the block as ``timeout`` once it has used ``seconds`` of CPU time (0: no limit).

    In the main thread a profiling timer (SIGPROF) interrupts the block at the limit; elsewhere
    (signals reach only the main thread) the block runs to its end and is judged by its thread's
    CPU time.
    """
    if seconds <= 0:
        yield
        return
    message = (f"extraction used more than {seconds} CPU seconds (max_document_cpu_seconds): "
               f"raise the setting or lower max_document_chars")
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        started = time.thread_time()
        yield
        if time.thread_time() - started > seconds:
            raise Rejected("timeout", "extract", source, message)
        return
    armed = True

    def expire(signum: int, frame: FrameType | None) -> None:
        if armed:
            raise _OverBudget

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    except _OverBudget:
        raise Rejected("timeout", "extract", source, message) from None
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
