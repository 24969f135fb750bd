"""The relevance gate: a cheap look for any word of goods or of seizing before the expensive NLP.

One Aho-Corasick automaton (pyahocorasick) over the lower-cased text holds every name of goods
(the lexicon's and each pack's ``substances``) and each pack's ``relevance_words``; each pack's
``cues.seized`` pattern, one compiled alternation, covers its seizure verbs. A name in a script
that separates words (Latin) counts only as a whole word ("ice", not "police"); a relevance word
is a stem and counts at the start of a word ("seiz" in "seized"). Scripts without spaces (Thai,
Japanese, Chinese, Khmer, Lao) match anywhere.

``may_pass`` is the same test on a raw page's text nodes, before HTML extraction (see there).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import ahocorasick

from borderwatch.extract.lexicon import substance_names
from borderwatch.lang import NEVER, all_languages

_WHITESPACE = re.compile(r"\s+")


def _is_word_char(char: str) -> bool:
    return char.isalnum() and (char.isascii() or unicodedata.name(char, "").startswith("LATIN"))


class RelevanceGate:
    """Does a text name goods or a seizure in any language a pack knows?"""

    def __init__(self, names: list[str], stems: list[str], cues: list[str]) -> None:
        keys = {" ".join(name.lower().split()): True for name in names}
        keys.update((stem, False) for stem in stems)
        self._automaton = ahocorasick.Automaton()
        loose: dict[str, tuple[bool, bool]] = {}  # the same keys without their spaces, for ``may_pass``
        for key, whole in keys.items():
            if not key:
                continue
            bounds = (_is_word_char(key[0]), whole and _is_word_char(key[-1]))
            self._automaton.add_word(key, (len(key), *bounds))
            joined = key.replace(" ", "")
            was = loose.get(joined, bounds)  # two keys alike but for spaces: the looser bounds
            loose[joined] = (bounds[0] and was[0], bounds[1] and was[1])
        self._automaton.make_automaton()
        self._loose = ahocorasick.Automaton()
        for joined, (word_start, word_end) in loose.items():
            self._loose.add_word(joined, (len(joined), word_start, word_end))
        self._loose.make_automaton()
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

    def may_pass(self, pieces: Iterable[str]) -> bool:
        """Could an article text made of these pieces pass? False only if no text cut from them can.

        ``pieces`` are a raw page's text nodes in document order (and its metadata strings), as
        ``ingest.html.page_pieces`` lists them; the article text that HTML extraction makes of a
        page is cut from the same nodes, in the same order, with whitespace collapsed and line
        breaks put between blocks, the headline (one of the pieces) on top. Why a page refused
        here would be refused by ``passes`` on any such text:

        - Names and stems are looked up without spaces (the automaton's keys with their spaces
          taken out) in the pieces' text without whitespace, so a key found in the article text is
          found whether a space in it came from the page or from a block boundary ("crystal<br>meth"),
          and whether its letters sat in one node or several ("<b>ic</b>e").
        - A key's word-boundary condition is waived wherever a whitespace or a node boundary was
          taken out, since the article text may hold a separator there; elsewhere its neighbours
          are the ones the article text has.
        - Seizure cues (regular expressions) are searched in the pieces joined by a space and
          joined by nothing: a cue inside one node is in both, one across inline markup in the second.
        - Case folding, Unicode composition (NFC) and whitespace are as in ``passes`` and in the
          article text.

        What this cannot see: a key cut in two by an element that HTML extraction drops
        (``ic<button>x</button>e``), and a cue that needs a node boundary both glued and spaced.
        The tests check that every gold document, rendered as a page, passes.
        """
        nodes = [unicodedata.normalize("NFC", p) for p in pieces if p]
        words = [word for node in nodes for word in node.split()]
        starts = set()
        position = 0
        for word in words:
            starts.add(position)
            position += len(word)
        folded = "".join(words).lower()
        for end, (length, word_start, word_end) in self._loose.iter(folded):
            start = end - length + 1
            if word_start and start not in starts and _is_word_char(folded[start - 1]):
                continue
            if word_end and end + 1 not in starts and end + 1 < len(folded) and _is_word_char(folded[end + 1]):
                continue
            return True
        return (self._cues.search(" ".join(words)) is not None
                or self._cues.search(_WHITESPACE.sub(" ", "".join(nodes))) is not None)


@lru_cache(maxsize=1)
def load_gate() -> RelevanceGate:
    """The gate built from the lexicon and every installed pack, once per process."""
    languages = all_languages()
    stems = [word for language in languages for word in language.relevance_words]
    cues = [language.cue("seized").pattern for language in languages]
    return RelevanceGate(substance_names(), stems, [c for c in cues if c != NEVER])
