"""Quotes with speakers: direct passages in quotation marks and reported speech.

Every quotation-marked passage of four or more words is a direct quote; its speaker comes from
the nearest speech verb outside quotation marks in the same sentence ("... ," he said /
X said: "..."), else from the last speaker (continuation). Speakers are resolved to the fullest
name the document gives them ("Mr. Hour" -> "Nou Hour"), pronouns to the last speaker, and
descriptions ("the customs news site") to an earlier speaker whose name or role shares a word.
"""

from __future__ import annotations

from spacy.tokens import Doc

from borderwatch.errors import Rejected
from borderwatch.extract import claims
from borderwatch.extract.quote_passages import (
    read_passages,
    reported_content,
    strip_span,
    window_after,
    window_before,
    words_of,
)
from borderwatch.extract.quote_speakers import (
    Attribution,
    Speaker,
    SpeakerResolver,
    collect_names,
    find_attributions,
)
from borderwatch.lang import language_for
from borderwatch.model import Document, Quote, QuoteKind, Span

MIN_QUOTE_WORDS = 4


def _pick(attributions: list[Attribution], window: tuple[int, int], after: bool) -> Attribution | None:
    inside = [a for a in attributions if window[0] <= a.verb.idx < window[1] and a.speaker is not None]
    if not inside:
        return None
    return inside[0] if after else inside[-1]


def extract_quotes(doc: Document, parsed: Doc | None) -> list[Quote]:
    """Direct and reported quotes with their speakers, each tied to the words it came from."""
    text = doc.text
    language = language_for(doc.language)
    if parsed is None:
        return claims.extract_quotes(language, doc)
    if parsed.text != text:
        raise Rejected("parse mismatch", "extract.quotes", doc.source,
                       "the parsed text is not the document text")
    passages = [p for p in read_passages(text) if not doc.is_furniture(p.outer_start, p.outer_end)]
    names = collect_names(language, parsed, doc, passages)
    resolver = SpeakerResolver(language, parsed, names, passages)
    attributions = find_attributions(language, parsed, doc, passages, resolver)
    found: list[tuple[int, QuoteKind, tuple[int, int], Speaker | None, float]] = []
    for index, passage in enumerate(passages):
        start, end = strip_span(text, passage.start, passage.end)
        if len(words_of(text[start:end])) < MIN_QUOTE_WORDS:
            continue
        following = passages[index + 1].outer_start if index + 1 < len(passages) else len(text)
        previous = passages[index - 1].outer_end if index > 0 else 0
        attribution = (_pick(attributions, window_after(language, text, passage, following), after=True)
                       or _pick(attributions, window_before(language, text, passage, previous), after=False))
        if attribution is not None:
            found.append((start, "direct", (start, end), attribution.speaker, 0.8))
        else:
            found.append((start, "direct", (start, end), resolver.last(passage.outer_start), 0.5))
    long_passages = [p for p in passages if len(words_of(text[p.start:p.end])) >= MIN_QUOTE_WORDS]
    for attribution in attributions:
        content = reported_content(language, attribution.verb, text)
        if content is None or attribution.speaker is None or any(
                c.dep_ == "neg" for c in attribution.verb.children):
            continue  # "did not say how the operation began": nothing is claimed
        if language.pattern("question_words").match(text, content[0]):
            continue  # "asked whether ...", "explained how ...": a question, not a claim
        c_start, c_end = content
        if any(p.outer_start < c_end and c_start < p.outer_end for p in long_passages):
            continue
        if len(words_of(text[c_start:c_end])) >= MIN_QUOTE_WORDS:
            found.append((c_start, "reported", (c_start, c_end), attribution.speaker, 0.6))
    found.sort(key=lambda f: f[0])
    return [_quote(doc, n, kind, span, speaker, confidence)
            for n, (_, kind, span, speaker, confidence) in enumerate(found, 1)]


def _quote(doc: Document, n: int, kind: QuoteKind, span: tuple[int, int], speaker: Speaker | None,
           confidence: float) -> Quote:
    start, end = span
    evidence = [Span(doc.id, start, end, doc.text[start:end], "text")]
    if speaker is not None:
        s, e = speaker.mention
        evidence.append(Span(doc.id, s, e, doc.text[s:e], "speaker"))
    return Quote(
        id=f"{doc.id}#q{n}", doc_id=doc.id, speaker=speaker.name if speaker else None, kind=kind,
        text=doc.text[start:end], role=speaker.role if speaker else None,
        confidence=confidence if speaker else 0.3, evidence=tuple(evidence),
    )
