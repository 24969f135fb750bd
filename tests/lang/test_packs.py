"""Every language pack has the same keys and loads; stage code never names a language."""

import importlib
import io
import json
import re
import tokenize
import unicodedata
from pathlib import Path

import pytest

from borderwatch.errors import ConfigError
from borderwatch.lang import (
    CUE_KEYS,
    OPTIONAL_CUES,
    OPTIONAL_KEYS,
    PACK_DIR,
    PACK_KEYS,
    has_pack,
    language_for,
    load_language,
    pack_codes,
)

ROOT = Path(__file__).resolve().parents[2]
STAGE_MODULES = [*sorted((ROOT / "borderwatch" / "extract").glob("*.py")),
                 *sorted((ROOT / "borderwatch" / "ingest").glob("*.py")), ROOT / "borderwatch" / "resolve.py"]


def test_the_region_s_languages_have_packs() -> None:
    assert {"en", "ja", "vi", "th", "zh", "km", "lo"} <= set(pack_codes())


@pytest.mark.parametrize("code", pack_codes())
def test_each_pack_has_every_key_and_loads(code: str) -> None:
    data = json.loads((PACK_DIR / code / "pack.json").read_text(encoding="utf-8"))
    assert PACK_KEYS <= set(data) - {"_comment"} <= PACK_KEYS | OPTIONAL_KEYS
    assert CUE_KEYS <= set(data["cues"]) <= CUE_KEYS | OPTIONAL_CUES
    language = load_language(code)
    assert language.code == code
    assert all(hasattr(p, "search") for p in language.cues.values())
    assert len(language.digits) in (0, 10)


@pytest.mark.parametrize("code", pack_codes())
def test_pack_place_names_point_at_gazetteer_entries(code: str) -> None:
    """A native-script place name must resolve to an entry, not be dropped silently."""
    from borderwatch.geo.gazetteer import Gazetteer

    gazetteer = Gazetteer.load()
    for surface in load_language(code).places:
        assert gazetteer.find(surface) or gazetteer.lookup(surface), f"{code}: {surface!r} finds no place"


def test_native_digits_are_read_one_for_one() -> None:
    thai = load_language("th")
    assert thai.to_ascii_digits("๑.๔ ล้าน") == "1.4 ล้าน"
    assert len(load_language("km").to_ascii_digits("២០២១")) == 4


def test_a_language_without_a_pack_is_read_with_english_and_said_so() -> None:
    assert not has_pack("fr")
    assert language_for("fr").code == "en"
    assert language_for(None).code == "en"


def test_an_unknown_pack_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="no language pack 'xx'"):
        load_language("xx")


_LANGUAGE_WORDS = re.compile(r"japanese|english|thai|khmer|vietnamese|chinese|burmese|cjk", re.IGNORECASE)


def _code_tokens(path: Path) -> list[tokenize.TokenInfo]:
    """Names and string literals of a module, docstrings and comments left out."""
    tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline))
    out, previous = [], tokenize.NEWLINE
    for token in tokens:
        if token.type == tokenize.STRING and previous in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                                                           tokenize.NL):
            previous = token.type
            continue  # a docstring (a string standing as its own statement)
        if token.type in (tokenize.NAME, tokenize.STRING):
            out.append(token)
        if token.type not in (tokenize.COMMENT, tokenize.NL):
            previous = token.type
    return out


@pytest.mark.parametrize("path", STAGE_MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_stage_module_names_a_language(path: Path) -> None:
    codes = set(pack_codes())
    for token in _code_tokens(path):
        where = f"{path.name}:{token.start[0]}"
        if token.type == tokenize.NAME:
            assert not _LANGUAGE_WORDS.search(token.string), f"{where} names a language: {token.string}"
            assert token.string not in codes, f"{where} names a pack as a variable: {token.string}"
        else:
            literal = token.string.strip("rbfuRBFU").strip("\"'")
            assert literal not in codes, f"{where} compares with a language code: {token.string}"
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"borderwatch\.lang\.(?!identify\b)\w+", source), f"{path.name} imports a pack"
    assert "doc.language ==" not in source


# Regex syntax that spells letters without being a word of any language: group names, escapes
# (\d, \u30ff, \N{...}), inline flags ("(?i)", "(?-i:").
_REGEX_SYNTAX = re.compile(r"\(\?P<\w+>|\(\?P=\w+\)|\\N\{[^}]*\}|\\[uU][0-9a-fA-F]{4,8}|\\x[0-9a-fA-F]{2}|\\[A-Za-z]"
                           r"|\(\?[aiLmsux-]+[:)]")
_VOCABULARY_MODULES = sorted((ROOT / "borderwatch" / "extract").glob("*.py")) + [ROOT / "borderwatch" / "dates.py"]


def _module_patterns(value: object) -> list[re.Pattern[str]]:
    """The compiled patterns a module-level value is or holds (tuples and lists of them too)."""
    if isinstance(value, re.Pattern):
        return [value]
    if isinstance(value, (tuple, list)):
        return [p for item in value for p in _module_patterns(item)]
    return []


def _words_in(pattern: str) -> list[str]:
    """Runs of 4+ ASCII letters, and letters of other scripts, left in a pattern once its syntax is cut."""
    bare = _REGEX_SYNTAX.sub(" ", pattern)
    return re.findall(r"[A-Za-z]{4,}", bare) + [c for c in bare if ord(c) > 127 and unicodedata.category(c)
                                                 in ("Lu", "Ll", "Lo")]


@pytest.mark.parametrize("path", _VOCABULARY_MODULES, ids=lambda p: p.name)
def test_no_stage_module_compiles_a_language_s_words(path: Path) -> None:
    """A language's words live in its pack (``parse_cues``), so stage code compiles no word of one.

    Every compiled pattern a stage module holds at module level is stripped of regex syntax
    (group names, escapes, inline flags); a run of four or more ASCII letters left over is a word
    ("seized", "January"), and so is any letter of another script ("一方", "ล้าน"; modifier letters
    such as the kana length mark "ー" in a script range are not words). Digits, punctuation,
    whitespace and ISO patterns pass. Words of three letters or fewer ("in", "the") are not caught:
    they cannot be told from syntax such as ``[A-Z]`` reliably, so the check stays honest by
    being narrow rather than guessing.
    """
    module = importlib.import_module(f"borderwatch.{path.parent.name}.{path.stem}"
                                     if path.parent.name == "extract" else f"borderwatch.{path.stem}")
    found = {name: words for name, value in vars(module).items()
             for words in [[w for p in _module_patterns(value) for w in _words_in(p.pattern)]] if words}
    assert not found, f"{path.name} compiles words of a language: {found}"


def test_every_pack_names_the_same_parse_cues() -> None:
    """A stage asks any pack for any parse cue by name: each pack must hold every name."""
    names = {code: (frozenset(load_language(code).parse_cues), frozenset(load_language(code).parse_words),
                    frozenset(load_language(code).parse_numbers), frozenset(load_language(code).parse_units))
             for code in pack_codes()}
    assert len(set(names.values())) == 1, names
