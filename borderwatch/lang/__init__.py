"""Language packs: one subpackage per language, as spaCy's ``spacy/lang/<code>/``.

A pack is mostly data (``pack.json``: goods names, units and number words, digits, months,
cue words, speech verbs, quote marks, place and country names in its script), read by one
loader into a ``Language``. The stage modules speak only to a ``Language``: they never name
one. A pack with a parser (English's spaCy model) lets the stages read dependency trees; the
others are read by the stages' pattern rules over the pack's cue patterns. Adding a language
is adding a folder here with a ``pack.json`` holding every key of ``PACK_KEYS``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from borderwatch.errors import ConfigError

PACK_DIR = Path(__file__).parent
NEVER = "(?!x)x"
"""The pattern that matches nothing: what a pack writes for a cue its language does not have."""

# Every pack.json has exactly these keys (a test checks it), so no stage asks a pack for what it lacks.
PACK_KEYS = frozenset({
    "code", "name", "parser", "spaceless", "sentence_end", "body_line_min", "digits", "substances",
    "ambiguous_names", "measures", "bounded_measures", "counters", "scales", "qualifiers", "countries", "places",
    "months", "era_offsets", "date_patterns", "cues", "quote_marks", "speech", "relevance_words",
    "weak_words",
    "parse_cues", "parse_words", "parse_numbers", "parse_units",
})
# Keys a pack may leave out: "decimal_comma" (true where "2.116 kg" is 2,116 kg and "1,5 kg" is 1.5 kg).
OPTIONAL_KEYS = frozenset({"decimal_comma"})
# Cues a pack may leave out (read as NEVER): added after the first packs were written.
OPTIONAL_CUES = frozenset({"agency", "summary", "told", "abroad", "local", "described", "separate", "place_after",
                           "possessive_time", "abbreviation", "running_total", "day_total", "further_lots",
                           "part_of_total", "figure_back"})
# The cue patterns every pack defines (NEVER where the language has no such cue).
CUE_KEYS = frozenset({
    "seized", "court", "hypothetical", "destroyed", "same_province", "province_wide",
    "from_after", "from_before", "to_after", "to_before", "via_after", "via_before",
    "not_here_after", "not_here_before", "general", "arrest", "people", "person", "nobody",
    "clause", "joins_not", "period", "scope", "years", "source", "continues", "drug_near",
    "movement", "one_shipment", "transit", "nationality",
    "speaker_title", "speaker_role", "speaker_body", "speaker_none",
})


@dataclass(frozen=True)
class Language:
    """One language's pack: its data, its compiled cue patterns, and whether a parser reads it."""

    code: str
    name: str
    parser: str | None
    spaceless: bool
    sentence_end: str
    body_line_min: int
    digits: str
    substances: dict[str, dict[str, str | None]]
    ambiguous_names: dict[str, str]
    measures: tuple[tuple[str, str, str, float], ...]
    bounded_measures: tuple[tuple[str, str, str, float], ...]
    """Measures read only as a whole word, after an optional hyphen ("5-kg"; not the "g" of "11 gói"),
    tried after ``measures``."""
    counters: dict[str, str]
    scales: dict[str, float]
    qualifiers: dict[str, str]
    countries: dict[str, str]
    places: dict[str, str]
    months: dict[str, int]
    era_offsets: dict[str, int]
    date_patterns: tuple[re.Pattern[str], ...]
    cues: dict[str, re.Pattern[str]]
    quote_marks: tuple[tuple[str, str], ...]
    speech: dict[str, re.Pattern[str]]
    relevance_words: tuple[str, ...]
    """Lower-case words (stems, in a script with spaces) that make a text worth reading for seizures,
    beside the pack's names of goods and its ``seized`` cue: the relevance gate's own vocabulary."""
    weak_words: tuple[str, ...]
    """Relevance words, names or ``seized`` cue matches that ordinary news uses for other things
    (Thai พบ "find", also "meet"): the gate counts one only beside a quantity of goods."""
    parse_cues: dict[str, re.Pattern[str]] = field(default_factory=dict)
    """The stages' named patterns for the words of a language (its seizure verbs, period wording, ...),
    each compiled with the flags it writes inline ("(?i)"); ``NEVER`` where the language has none."""
    parse_words: dict[str, frozenset[str]] = field(default_factory=dict)
    """The stages' named word lists (lemmas a parse is read by: seizure verbs, modals, ...)."""
    parse_numbers: dict[str, dict[str, float]] = field(default_factory=dict)
    """The stages' named tables of number words -> value ("pair": 2, "million": 1e6)."""
    parse_units: dict[str, dict[str, str]] = field(default_factory=dict)
    """The stages' named tables of words -> the unit or currency they name ("pills": "tablets")."""
    decimal_comma: bool = False
    rules: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def cue(self, name: str) -> re.Pattern[str]:
        """The compiled cue pattern ``name`` (one of ``CUE_KEYS``)."""
        return self.cues[name]

    def pattern(self, name: str) -> re.Pattern[str]:
        """The stages' compiled pattern ``name`` (a key of the pack's ``parse_cues``)."""
        return self.parse_cues[name]

    def words(self, name: str) -> frozenset[str]:
        """The stages' word list ``name`` (a key of the pack's ``parse_words``)."""
        return self.parse_words[name]

    def numbers(self, name: str) -> dict[str, float]:
        """The stages' number-word table ``name`` (a key of the pack's ``parse_numbers``)."""
        return self.parse_numbers[name]

    def units(self, name: str) -> dict[str, str]:
        """The stages' word -> unit table ``name`` (a key of the pack's ``parse_units``)."""
        return self.parse_units[name]

    def to_ascii_digits(self, text: str) -> str:
        """``text`` with the script's own digits as ASCII ones, one for one, so offsets stay true."""
        return text.translate(digit_table(self.digits)) if self.digits else text

    def __hash__(self) -> int:
        return hash(self.code)


@lru_cache(maxsize=16)
def digit_table(digits: str) -> dict[int, str]:
    """A ``str.translate`` table from digits written 0-9 in order (repeated per script) to ASCII."""
    return {ord(char): str(i % 10) for i, char in enumerate(digits)}


@cache
def pack_codes() -> tuple[str, ...]:
    """The codes of every installed pack, sorted; read once per process, as the packs are
    (``load_language``)."""
    return tuple(sorted(p.name for p in PACK_DIR.iterdir() if (p / "pack.json").is_file()))


def read_pack_data(code: str) -> dict[str, Any]:
    """The raw ``pack.json`` of pack ``code``, its keys checked against ``PACK_KEYS``."""
    path = PACK_DIR / code / "pack.json"
    if not path.is_file():
        raise ConfigError(f"no language pack '{code}' (expected: {', '.join(pack_codes())})")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    missing, extra = PACK_KEYS - data.keys(), data.keys() - PACK_KEYS - OPTIONAL_KEYS - {"_comment"}
    if missing or extra:
        raise ConfigError(f"language pack {path}: missing keys {sorted(missing)}, unknown keys {sorted(extra)}")
    cues_missing = CUE_KEYS - data["cues"].keys()
    if cues_missing:
        raise ConfigError(f"language pack {path}: cues missing {sorted(cues_missing)}")
    return data


@cache
def load_language(code: str) -> Language:
    """The pack for ``code`` (e.g. "en", "th"), loaded once per process."""
    data = read_pack_data(code)
    flags = re.IGNORECASE
    return Language(
        code=data["code"], name=data["name"], parser=data["parser"], spaceless=bool(data["spaceless"]),
        sentence_end=data["sentence_end"], body_line_min=int(data["body_line_min"]), digits=data["digits"],
        substances=data["substances"], ambiguous_names=data["ambiguous_names"],
        measures=tuple((p, k, u, float(f)) for p, k, u, f in data["measures"]),
        bounded_measures=tuple((p, k, u, float(f)) for p, k, u, f in data["bounded_measures"]),
        counters=data["counters"], scales={k: float(v) for k, v in data["scales"].items()},
        qualifiers=data["qualifiers"], countries=data["countries"], places=data["places"],
        months={k: int(v) for k, v in data["months"].items()}, era_offsets=data["era_offsets"],
        date_patterns=tuple(re.compile(p, flags) for p in data["date_patterns"]),
        cues={**{k: re.compile(NEVER) for k in OPTIONAL_CUES},
              **{k: re.compile(v, flags) for k, v in data["cues"].items()}},
        quote_marks=tuple((o, c) for o, c in data["quote_marks"]),
        speech={k: re.compile(v, flags) for k, v in data["speech"].items()},
        relevance_words=tuple(data["relevance_words"]), weak_words=tuple(data["weak_words"]),
        parse_cues={k: re.compile(v) for k, v in data["parse_cues"].items()},
        parse_words={k: frozenset(v) for k, v in data["parse_words"].items()},
        parse_numbers=data["parse_numbers"], parse_units=data["parse_units"],
        decimal_comma=bool(data.get("decimal_comma", False)),
        rules=_pack_rules(code))


def _pack_rules(code: str) -> dict[str, Any]:
    """The few rules that are a language's own: the callables its ``RULES`` dict names, if any."""
    import importlib

    module = importlib.import_module(f"borderwatch.lang.{code}")
    rules: dict[str, Any] = getattr(module, "RULES", {})
    return rules


def language_for(code: str | None) -> Language:
    """The pack a document in ``code`` is read with; a language with no pack is read with English's
    (the run summary says so through ``has_pack``)."""
    return load_language(code if code and has_pack(code) else "en")


def has_pack(code: str) -> bool:
    """Is there a pack for language ``code``?"""
    return code in pack_codes()


def all_languages() -> tuple[Language, ...]:
    """Every installed pack, loaded."""
    return tuple(load_language(code) for code in pack_codes())


# The quantity and date readers match every language in every document (a report quotes amounts
# and dates in other scripts): they read each name from all packs at once, in pack order.

@cache
def every_pattern(name: str) -> str:
    """Every pack's parse cue ``name`` as one alternation (``NEVER`` where no pack has one); the
    cues read this way carry no flags or named groups, which the reader adds."""
    parts = [p.pattern for p in (language.pattern(name) for language in all_languages()) if p.pattern != NEVER]
    return "|".join(parts) or NEVER


@cache
def every_words(name: str) -> frozenset[str]:
    """Every pack's word list ``name``, as one set."""
    return frozenset(word for language in all_languages() for word in language.words(name))


@cache
def every_numbers(name: str) -> dict[str, float]:
    """Every pack's number-word table ``name``, as one table."""
    return {word: value for language in all_languages() for word, value in language.numbers(name).items()}


@cache
def every_units(name: str) -> dict[str, str]:
    """Every pack's word -> unit table ``name``, as one table."""
    return {word: unit for language in all_languages() for word, unit in language.units(name).items()}
