"""Quote spans: the words between quotation marks, and what a speech verb reports, as character spans."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Token

from borderwatch.extract.nlp import subtree
from borderwatch.lang import Language

_PAIRS = {"“": "”", '"': '"', "«": "»", "‘": "’"}
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n\s*\n")


@dataclass(frozen=True)
class Passage:
    """Words between a pair of quotation marks: inner span and the span with the marks."""

    start: int
    end: int
    outer_start: int
    outer_end: int


def find_passages(text: str) -> list[tuple[int, int]]:
    """Character spans of the words inside each pair of quotation marks, within one paragraph."""
    return [(p.start, p.end) for p in read_passages(text)]


def read_passages(text: str) -> list[Passage]:
    """Every pair of quotation marks in ``text`` and the words between them, in order."""
    out: list[Passage] = []
    i = 0
    while i < len(text):
        char = text[i]
        close = _PAIRS.get(char)
        if close is None or (char == "‘" and i > 0 and text[i - 1].isalnum()):
            i += 1
            continue
        end = _closing(text, i + 1, close)
        if end is None:
            end = _runs_on(text, i)
        if end is None:
            i += 1
            continue
        out.append(Passage(i + 1, end, i, end + 1))
        i = end + 1
    return out


def _closing(text: str, start: int, close: str) -> int | None:
    """Index of the mark closing a passage opened before ``start``, in the same paragraph."""
    j = start
    while j < len(text):
        if text.startswith("\n\n", j) or text.startswith("\n \n", j):
            return None
        if text[j] == close:
            # ’ is also an apostrophe ("Kheng’s"): it closes only when no letter follows.
            if close == "’" and j + 1 < len(text) and text[j + 1].isalpha():
                j += 1
                continue
            return j
        j += 1
    return None


def _runs_on(text: str, start: int) -> int | None:
    """A quotation that opens a paragraph and runs on into the next one, which opens with the same mark and
    no closing one in between (the convention for a quote over several paragraphs): it ends with its paragraph."""
    if not _opens_paragraph(text, start):
        return None
    brk = text.find("\n\n", start)
    if brk < 0 or not text[brk:].lstrip().startswith(text[start]):
        return None
    end = brk
    while end > start + 1 and text[end - 1].isspace():
        end -= 1
    return end if end > start + 1 else None


def _opens_paragraph(text: str, position: int) -> bool:
    """Is ``position`` the first character of a paragraph (after a blank line or at the start)?"""
    line_start = text.rfind("\n", 0, position) + 1
    if text[line_start:position].strip():
        return False
    return line_start == 0 or not text[:line_start - 1].rstrip(" \t") or text[:line_start - 1].rstrip(" \t").endswith("\n")


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim spaces and trailing commas/stops inside a passage so the span holds only words."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


def words_of(text: str) -> list[str]:
    """The words of ``text``, apostrophes and hyphens kept inside them."""
    return re.findall(r"[\w'’-]+", text)


def inside_passage(position: int, passages: list[Passage]) -> bool:
    """Does ``position`` fall inside a passage, its quotation marks included?"""
    return any(p.outer_start <= position < p.outer_end for p in passages)


def _sentence_ends(language: Language, text: str, start: int, end: int) -> list[re.Match[str]]:
    """Where sentences end between ``start`` and ``end``: not at the full stop of a rank ("Lt. Col. Vong")."""
    abbreviation = language.cue("abbreviation")
    return [m for m in _SENTENCE_END.finditer(text, start, end)
            if not (m.group() == "." and abbreviation.fullmatch(_word_before(text, m.end())))]


def _word_before(text: str, end: int) -> str:
    """The word that ends at ``end``, with its full stop and without an opening mark or bracket."""
    return re.split(r"[\s\"“‘(]", text[max(0, end - 16):end])[-1]


def window_after(language: Language, text: str, passage: Passage, following: int) -> tuple[int, int]:
    """From a passage's closing mark to the end of that sentence or the next passage."""
    ends = _sentence_ends(language, text, passage.outer_end, len(text))
    end = ends[0].start() if ends else len(text)
    return passage.outer_end, min(end, following)


def window_before(language: Language, text: str, passage: Passage, previous: int) -> tuple[int, int]:
    """From the start of the sentence holding a passage's opening mark to that mark."""
    start = previous
    for match in _sentence_ends(language, text, previous, passage.outer_start):
        start = match.end()
    return start, passage.outer_start


def reported_content(language: Language, verb: Token, text: str) -> tuple[int, int] | None:
    """Character span of what a speech verb reports: its clause, or the clause "according to" tags.
    ``text`` is the document's (``Doc.text`` joins every token again at each call)."""
    if verb.lower_ in language.words("according_words"):
        clause = verb.head
        skip = {t.i for t in subtree(verb)}
        tokens = [t for t in subtree(clause) if t.i not in skip]
    else:
        content = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if content is None:
            return None
        tokens = subtree(content)
    line_start = text.rfind("\n", 0, verb.idx) + 1
    line_end = text.find("\n", verb.idx)
    line_end = len(text) if line_end < 0 else line_end
    tokens = [t for t in tokens if line_start <= t.idx < line_end]
    while tokens and (tokens[0].dep_ == "mark" or tokens[0].is_punct):
        tokens.pop(0)
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    if not tokens:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
