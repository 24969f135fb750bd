"""Who a quote's speaker is: a named person, a named organisation, an unnamed role, or nobody.

The one rule for grouping quotes by speaker (the claims board, the brief). A person or an
organisation with a name is the same speaker in every report that names them; "a provincial
police officer" or "Police" in one report says nothing about the one in another, so an unnamed
speaker is only ever the same within one report; "the report" or "two suspects" names no speaker.
The words that are titles, roles, bodies or no speaker are each pack's cues (``speaker_*``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from borderwatch.geo.countries import find_countries
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.lang import Language
from borderwatch.model import Quote

SpeakerKind = Literal["person", "organisation", "role", "none"]
MAX_NAME_WORDS = 8
"""Longer "speakers" are a clause the attribution swallowed, not a name."""
_JOINER_CHARS = 3  # "of", "the", "de", "bin", "văn": lower-case words a name or a body's name may hold
_WORD = re.compile(r"\w[\w'’.-]*")


@dataclass(frozen=True)
class Speaker:
    """A quote's speaker as grouping sees them: ``key`` is the same for quotes of the same speaker."""

    kind: SpeakerKind
    name: str
    key: str

    def label(self, outlet: str | None, published: str | None) -> str:
        """What a reader is shown: the name, and for an unnamed speaker the report it belongs to."""
        if self.kind in ("person", "organisation"):
            return self.name
        return f"{self.name} ({outlet or 'unknown outlet'}, {published or 'undated'})"


def identify_speaker(quote: Quote, language: Language, gazetteer: Gazetteer) -> Speaker:
    """``quote``'s speaker: named person or organisation (grouped across reports by the normalised
    name, titles left out), or an unnamed role or no speaker (grouped within the quote's report)."""
    text = " ".join((quote.speaker or "").split())
    if not text or language.cue("speaker_none").fullmatch(text) or len(text.split()) > MAX_NAME_WORDS:
        return Speaker("none", "unattributed", f"none|{quote.doc_id}")
    untitled = " ".join(_without(language, "speaker_title", text).split()) or text
    rest = _without(language, "speaker_role", _without(language, "speaker_body", untitled))
    words = _WORD.findall(rest)
    # In a script with letter case a name is capitalised: a longer lower-case word is a description.
    described = any(w[0].islower() and len(w) > _JOINER_CHARS for w in words)
    named = [w for w in words if not w[0].islower()]
    role = Speaker("role", text, f"role|{quote.doc_id}|{_normalised(text)}")
    if described or not named:
        return role
    if _bounded(language, "speaker_body").search(untitled):  # "Lao News Agency": a body with a name
        return Speaker("organisation", untitled, f"organisation|{_normalised(untitled)}")
    if _bounded(language, "speaker_body").search(text):  # a title inside a body's name ("អគ្គស្នងការដ្ឋាន")
        return Speaker("organisation", text, f"organisation|{_normalised(text)}")
    if _only_places(" ".join(named), gazetteer) or _described_without_case(language, text, untitled):
        return role
    return Speaker("person", untitled, f"person|{_normalised(untitled)}")


def _described_without_case(language: Language, text: str, untitled: str) -> bool:
    """In a script without letter case, a speaker that opens with a role word and carries no title
    ("ເຈົ້າໜ້າທີ່ ປກສ ນະຄອນຫຼວງວຽງຈັນ", "មន្ត្រីនគរបាលខេត្ត") is a description, not a name."""
    if any(c.isupper() or c.islower() for c in text) or untitled != text:
        return False
    return _bounded(language, "speaker_role").match(text) is not None


def _without(language: Language, cue: str, text: str) -> str:
    """``text`` with the words of the pack's ``cue`` blanked out (whole words where words are spaced)."""
    return _bounded(language, cue).sub(" ", text)


@lru_cache(maxsize=64)
def _bounded(language: Language, cue: str) -> re.Pattern[str]:
    pattern = language.cue(cue)
    if language.spaceless:
        return pattern
    return re.compile(rf"(?<!\w)(?:{pattern.pattern})(?![\w-])", pattern.flags)


def _only_places(text: str, gazetteer: Gazetteer) -> bool:
    """Is ``text`` nothing but place and country names ("Attapeu", "Lao")? A place says who only with a role."""
    covered = [False] * len(text)
    spans = [(m.start, m.end) for m in find_countries(text)] + [(m.start, m.end) for m in gazetteer.find(text)]
    for start, end in spans:
        covered[start:end] = [True] * (end - start)
    return all(done or not char.isalnum() for char, done in zip(text, covered, strict=True))


def _normalised(name: str) -> str:
    """One spelling per name: compatibility forms, case and punctuation folded."""
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", name).casefold())).replace(".", "")
