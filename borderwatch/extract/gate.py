"""The relevance gate: a cheap look for any word of goods or of seizing before the expensive NLP.

One Aho-Corasick automaton (pyahocorasick) over the lower-cased text holds every name of goods
(the lexicon's and each pack's ``substances``) and each pack's ``relevance_words``; each pack's
``cues.seized`` pattern, one compiled alternation, covers its seizure verbs. A name in a script
that separates words (Latin) counts only as a whole word ("ice", not "police"); a relevance word
is a stem and counts at the start of a word ("seiz" in "seized"). Scripts without spaces (Thai,
Japanese, Chinese, Khmer, Lao) match anywhere.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import ahocorasick

from borderwatch.extract.lexicon import substance_names
from borderwatch.lang import NEVER, all_languages


def _is_word_char(char: str) -> bool:
    return char.isalnum() and (char.isascii() or unicodedata.name(char, "").startswith("LATIN"))


class RelevanceGate:
    """Does a text name goods or a seizure in any language a pack knows?"""

    def __init__(self, names: list[str], stems: list[str], cues: list[str]) -> None:
        self._automaton = ahocorasick.Automaton()
        for name in names:
            key = " ".join(name.lower().split())
            if key:
                self._automaton.add_word(key, (len(key), _is_word_char(key[0]), _is_word_char(key[-1])))
        for stem in stems:
            self._automaton.add_word(stem, (len(stem), _is_word_char(stem[0]), False))
        self._automaton.make_automaton()
        self._cues = re.compile("|".join(f"(?:{c})" for c in cues), re.IGNORECASE)

    def passes(self, text: str) -> bool:
        """Is there a name of goods or a seizure word in ``text``?"""
        folded = " ".join(text.lower().split())
        for end, (length, word_start, word_end) in self._automaton.iter(folded):
            start = end - length + 1
            if word_start and start > 0 and _is_word_char(folded[start - 1]):
                continue
            if word_end and end + 1 < len(folded) and _is_word_char(folded[end + 1]):
                continue
            return True
        return self._cues.search(text) is not None


@lru_cache(maxsize=1)
def load_gate() -> RelevanceGate:
    """The gate built from the lexicon and every installed pack, once per process."""
    languages = all_languages()
    stems = [word for language in languages for word in language.relevance_words]
    cues = [language.cue("seized").pattern for language in languages]
    return RelevanceGate(substance_names(), stems, [c for c in cues if c != NEVER])
