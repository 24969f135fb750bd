"""The relevance gate: a cheap look for any word of goods or of seizing before the expensive NLP.

One Aho-Corasick automaton (pyahocorasick) over the lower-cased text holds every name of goods
(the lexicon's and each pack's ``substances``) and each pack's ``relevance_words``; each pack's
``cues.seized`` pattern, one compiled alternation, covers its seizure verbs. A name in a script
that separates words (Latin) counts only as a whole word ("ice", not "police"); a relevance word
is a stem and counts at the start of a word ("seiz" in "seized"). Scripts without spaces (Thai,
Japanese, Chinese, Khmer, Lao) match anywhere.

Some of those words are everyday words too: Thai พบ is "find" and also "meet" (a team meets
another), Vietnamese "phát hiện" is any discovery, Chinese 发现 the same. Each pack lists such
words in ``weak_words``; one of them counts only with a quantity of goods (``find_quantities``: a
mass, a volume or a count of goods, "2 ล้านเม็ด", "300公斤") within ``WEAK_WINDOW`` characters.
A name of goods needs no such company: it passes on its own.

``may_pass`` is the same test on a raw page's text nodes, before HTML extraction (see there).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate

import ahocorasick

from borderwatch.extract.lexicon import substance_names
from borderwatch.extract.units import GOODS_UNITS, find_quantities
from borderwatch.lang import NEVER, all_languages

_WHITESPACE = re.compile(r"\s+")
WEAK_WINDOW = 100
"""Characters either side of a weak word within which a quantity of goods makes it count."""


def _is_word_char(char: str) -> bool:
    return char.isalnum() and (char.isascii() or unicodedata.name(char, "").startswith("LATIN"))


class RelevanceGate:
    """Does a text name goods or a seizure in any language a pack knows?"""

    def __init__(self, names: list[str], stems: list[str], cues: list[str], weak: Iterable[str] = ()) -> None:
        self._weak = {" ".join(word.lower().split()) for word in weak}
        keys = {" ".join(name.lower().split()): True for name in names}
        keys.update((stem, False) for stem in stems)
        self._automaton = ahocorasick.Automaton()
        # the same keys without their spaces, for ``may_pass``: (word start, word end, weak)
        loose: dict[str, tuple[bool, bool, bool]] = {}
        for key, whole in keys.items():
            if not key:
                continue
            bounds = (_is_word_char(key[0]), whole and _is_word_char(key[-1]))
            self._automaton.add_word(key, (len(key), *bounds, key in self._weak))
            joined = key.replace(" ", "")
            # two keys alike but for spaces: the looser bounds, weak only if both are
            was = loose.get(joined, (*bounds, key in self._weak))
            loose[joined] = (bounds[0] and was[0], bounds[1] and was[1], key in self._weak and was[2])
        self._automaton.make_automaton()
        self._cues = re.compile("|".join(f"(?:{c})" for c in cues), re.IGNORECASE)
        # Where a cue match can start: the literal each alternative of each cue begins with. The
        # alternation is tried only there, not at every character of a 30 KB page.
        prefixes = [_literal_prefix(alternative) for cue in cues for alternative in _alternatives(cue)]
        self._cue_starts: ahocorasick.Automaton | None = None
        # The same prefixes without their whitespace, for ``may_pass``: whether one occurs in the
        # page's folded text says whether a cue can match in either of the texts it searches. They
        # share the loose keys' automaton, so the page is read once for both.
        loose_prefixes: set[str] = set()
        if prefixes and all(prefixes):
            self._cue_starts = ahocorasick.Automaton()
            for prefix in prefixes:
                self._cue_starts.add_word(prefix.lower(), len(prefix))
            self._cue_starts.make_automaton()
            loose_prefixes = {"".join(prefix.lower().split()) for prefix in prefixes}
        self._knows_cue_starts = bool(loose_prefixes) and all(loose_prefixes)
        # (key length, word start, word end, weak, a key, a cue prefix)
        self._loose = ahocorasick.Automaton()
        for joined in loose.keys() | (loose_prefixes if self._knows_cue_starts else set()):
            flags = loose.get(joined)
            self._loose.add_word(joined, (len(joined), *(flags or (False, False, False)), flags is not None,
                                          joined in loose_prefixes))
        self._loose.make_automaton()

    def _is_weak(self, found: str) -> bool:
        return " ".join(found.lower().split()) in self._weak

    def _cue_hits(self, text: str) -> Iterable[re.Match[str]]:
        """Every cue match, one per start: a weak word does not hide a cue that overlaps it."""
        lowered = text.lower()
        if self._cue_starts is not None and len(lowered) == len(text):
            tried = set()
            for end, length in self._cue_starts.iter(lowered):
                start = end - length + 1
                if start not in tried:
                    tried.add(start)
                    match = self._cues.match(text, start)
                    if match is not None:
                        yield match
            return
        position = 0
        while (match := self._cues.search(text, position)) is not None:
            yield match
            position = match.start() + 1

    def passes(self, text: str) -> bool:
        """Is there a name of goods or a seizure word in ``text`` (a weak word only beside goods)?"""
        folded = " ".join(text.lower().split())
        weak: list[tuple[str, int, int]] = []
        for end, (length, word_start, word_end, is_weak) in self._automaton.iter(folded):
            start = end - length + 1
            if word_start and start > 0 and _is_word_char(folded[start - 1]):
                continue
            if word_end and end + 1 < len(folded) and _is_word_char(folded[end + 1]):
                continue
            if not is_weak:
                return True
            weak.append((folded, start, end + 1))
        for match in self._cue_hits(text):
            if not self._is_weak(match.group(0)):
                return True
            weak.append((text, match.start(), match.end()))
        return any(_goods_quantity(within[max(0, start - WEAK_WINDOW):end + WEAK_WINDOW])
                   for within, start, end in weak)

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
        - A weak word counts if a quantity of goods is anywhere in the pieces (joined by a space):
          nodes HTML extraction drops may stand between the two, so no window is assumed.

        What this cannot see: a key cut in two by an element that HTML extraction drops
        (``ic<button>x</button>e``), and a cue that needs a node boundary both glued and spaced.
        The tests check that every gold document, rendered as a page, passes.
        """
        nodes = [unicodedata.normalize("NFC", p) for p in pieces if p]
        words = [word for node in nodes for word in node.split()]
        starts = {0, *accumulate(map(len, words))}  # where each word begins in the joined text
        unspaced = "".join(words)
        folded = unspaced.lower()
        weak = cue_start = False
        for end, (length, word_start, word_end, is_weak, is_key, is_cue_start) in self._loose.iter(folded):
            cue_start = cue_start or is_cue_start
            if not is_key:
                continue
            start = end - length + 1
            if word_start and start not in starts and _is_word_char(folded[start - 1]):
                continue
            if word_end and end + 1 not in starts and end + 1 < len(folded) and _is_word_char(folded[end + 1]):
                continue
            if not is_weak:
                return True
            weak = True
        spaced = " ".join(words)
        if self._may_hold_cue(unspaced, folded, cue_start):
            for joined in (spaced, _WHITESPACE.sub(" ", "".join(nodes))):
                for match in self._cue_hits(joined):
                    if not self._is_weak(match.group(0)):
                        return True
                    weak = True
        return weak and _goods_quantity(spaced)

    def _may_hold_cue(self, unspaced: str, folded: str, cue_start: bool) -> bool:
        """Can ``_cue_hits`` find anything in a text of these words with whitespace put between them?

        ``folded`` is ``unspaced`` (the words glued) lower-cased. ``_cue_hits`` tries the cues only
        where a prefix occurs in the lower-cased text; taking the whitespace out of both, such a
        prefix is in ``folded``. That holds where lower-casing maps each character on its own and
        keeps the length (no "İ", no Greek capital sigma, whose lower case depends on what follows);
        elsewhere the answer is yes. ``cue_start``: a prefix, whitespace taken out, occurs in ``folded``.
        """
        if not self._knows_cue_starts or len(folded) != len(unspaced) or "\u03a3" in unspaced:
            return True
        return cue_start


_LOOKAROUND = re.compile(r"\(\?<?[=!](?:[^()\\]|\\.)*\)")
_REGEX_SYNTAX = frozenset("\\()[].^$|?*+{")


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression (``a|b(?:c|d)`` -> ``a``, ``b(?:c|d)``)."""
    found, current, depth, in_class, at = [], "", 0, False, 0
    while at < len(pattern):
        char = pattern[at]
        if char == "\\":
            current += pattern[at:at + 2]
            at += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            found.append(current)
            current, at = "", at + 1
            continue
        current += char
        at += 1
    return [*found, current]


def _literal_prefix(alternative: str) -> str:
    """The plain characters every match of ``alternative`` starts with, after any lookaround
    ("(?<!\\w)bắt(?!\\w)" -> "bắt"; "ยึด(?:ได้)?" -> "ยึด"); empty when it starts otherwise."""
    while (lookaround := _LOOKAROUND.match(alternative)) is not None:
        alternative = alternative[lookaround.end():]
    prefix = ""
    for char in alternative:
        if char in _REGEX_SYNTAX:
            return prefix[:-1] if char in "?*{" else prefix
        prefix += char
    return prefix


def _goods_quantity(text: str) -> bool:
    """Does ``text`` state a mass, a volume or a count of goods?"""
    return any(q.kind in ("mass", "volume") or q.kind == "count" and q.unit in GOODS_UNITS
               for q in find_quantities(text))


@lru_cache(maxsize=1)
def load_gate() -> RelevanceGate:
    """The gate built from the lexicon and every installed pack, once per process."""
    languages = all_languages()
    stems = [word for language in languages for word in language.relevance_words]
    cues = [language.cue("seized").pattern for language in languages]
    weak = [word for language in languages for word in language.weak_words]
    return RelevanceGate(substance_names(), stems, [c for c in cues if c != NEVER], weak)
