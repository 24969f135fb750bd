"""Which language a text is in: by script where a script belongs to one language of the region
(Thai, Lao, Khmer, Burmese, kana), else by py3langid's model (it ships inside its wheel, so no
download at run time; lingua does not know Khmer or Lao) restricted to the languages we read.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Scripts that name their language outright; each range is one script.
_SCRIPTS: tuple[tuple[str, str], ...] = (
    ("th", "\u0e00-\u0e7f"), ("lo", "\u0e80-\u0eff"), ("km", "\u1780-\u17ff\u19e0-\u19ff"),
    ("my", "\u1000-\u109f"), ("ja", "\u3040-\u30ff"),
)
_SCRIPT_RES = tuple((code, re.compile(f"[{chars}]")) for code, chars in _SCRIPTS)
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LETTER = re.compile(r"[^\W\d_]")
# Languages the model may answer with: the region's, and the ones its outlets also publish in.
_MODEL_LANGUAGES = ("en", "vi", "zh", "ja", "fr", "id", "ms", "de", "es", "ru", "ko", "th", "lo", "km", "my")
_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE)
    known = set(identifier.nb_classes)
    identifier.set_languages([code for code in _MODEL_LANGUAGES if code in known])
    return identifier


def identify_language(text: str) -> str:
    """The ISO 639-1 code of the language most of ``text`` is written in ("en" for no letters)."""
    letters = len(_LETTER.findall(text))
    if letters == 0:
        return "en"
    counts = {code: len(pattern.findall(text)) for code, pattern in _SCRIPT_RES}
    han = len(_HAN.findall(text))
    if counts["ja"] and counts["ja"] + han > 0.2 * letters:
        return "ja"  # kana with Han is Japanese; Chinese has no kana
    best = max(counts, key=lambda c: counts[c])
    if counts[best] > 0.2 * letters:
        return best
    if han > 0.2 * letters:
        return "zh"
    code, _ = _identifier().classify(text[:5000])
    return str(code)


def identify_document(text: str) -> str:
    """The language of most of a page's prose, paragraph by paragraph: a Thai report quoting an
    English statement, or an English page with a Khmer caption, is read in its main language."""
    weights: dict[str, int] = {}
    for start, end, code in identify_paragraphs(text):
        weights[code] = weights.get(code, 0) + len(_LETTER.findall(text[start:end]))
    return max(weights, key=lambda c: weights[c]) if weights else identify_language(text)


def identify_paragraphs(text: str) -> list[tuple[int, int, str]]:
    """(start, end, language) for each paragraph of ``text``, for pages that mix languages."""
    return [(m.start(), m.end(), identify_language(m.group(0))) for m in _PARAGRAPH.finditer(text)
            if m.group(0).strip()]
