"""Places of the Mekong region (KH, LA, TH, VN, MM, Yunnan) from a committed GeoNames/ISO extract.

The data file ``data/gazetteer.tsv`` is built by ``scripts/build_gazetteer.py``; at run time only
it, ``data/borders.tsv`` and pycountry (through ``countries``) are read.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from borderwatch.geo.countries import country_code, country_name, find_countries
from borderwatch.lang import NEVER, all_languages, every_words
from borderwatch.model import Place

DATA_DIR = Path(__file__).parent / "data"
GAZETTEER_FILE = DATA_DIR / "gazetteer.tsv"
BORDERS_FILE = DATA_DIR / "borders.tsv"
COLUMNS = ("key", "kind", "country", "admin1", "name", "lat", "lon", "geonames_id", "population", "names", "folded")
"""``folded`` holds ``fold_name`` of each of ``names`` (empty for other scripts), so loading folds nothing."""
NEEDS_NOUN = "~"
"""Prefix of a name that is matched only next to a place noun ("Chin" needs "Chin State")."""

_FOUND_MEMO = 4096  # texts whose places a Gazetteer keeps (then it starts again)
_KIND_RANK = {"admin1": 0, "checkpoint": 1, "place": 2, "district": 3, "country": 4}
_TOKEN = re.compile(r"[^\W_]+")
_JOIN = re.compile(r"[ \t\-'’‘]{1,3}")
_NEXT_NOUN = re.compile(r"[ \t]+([A-Za-z][A-Za-z-]*)")
_MAX_WORDS = 8
# Japanese: a place suffix after a katakana name, and katakana words joined to it by "・".
_KATAKANA_SUFFIX = re.compile(r"[州県省市郡区町村]|地区|国境|両|各")
_KATAKANA_BEFORE = re.compile(r"([\u30a1-\u30faー]+)・$")
_KATAKANA_AFTER = re.compile(r"・([\u30a1-\u30faー]+)")
# A small place in a country the text never names is more likely a homonym than the place meant.
_FOREIGN_VILLAGE = 10_000
_PREPOSED_VOWELS = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44\u0ec0\u0ec1\u0ec2\u0ec3\u0ec4")
"""Unicode's Logical_Order_Exception vowels of the Thai and Lao scripts: stored before the consonant they follow."""


@dataclass(frozen=True)
class _PlaceNouns:
    """Every pack's place-type nouns ("province", "srok", "amphoe"), lower-case: a gazetteer name is read
    in any document, so the nouns beside it are read in every language."""

    admin1: frozenset[str]
    district: frozenset[str]
    town: frozenset[str]
    checkpoint: frozenset[str]
    every: frozenset[str]
    filler: frozenset[str]
    """Words a name may carry that do not change which admin1 it means ("Shan State" = "Shan")."""
    apart: frozenset[str]
    """Nouns after a name that the mention does not take in ("the Mekong border")."""
    of_words: frozenset[str]
    before: re.Pattern[str]
    """A noun and "of" right before a name ("the province of Attapeu"): the kind of place it names."""


@lru_cache(maxsize=1)
def _place_nouns() -> _PlaceNouns:
    admin1, district, town, checkpoint = (every_words(f"place_{kind}_nouns")
                                          for kind in ("admin1", "district", "town", "checkpoint"))
    before = "|".join(map(re.escape, sorted(every_words("place_nouns_before"), key=len, reverse=True))) or NEVER
    of = "|".join(map(re.escape, sorted(every_words("place_of_words"), key=len, reverse=True))) or NEVER
    return _PlaceNouns(admin1=admin1, district=district, town=town, checkpoint=checkpoint,
                       every=admin1 | district | town | checkpoint, filler=admin1 | every_words("place_name_filler"),
                       apart=every_words("place_nouns_apart"), of_words=every_words("place_of_words"),
                       before=re.compile(rf"\b({before})\s+(?:{of})\s+$", re.IGNORECASE))


def place_nouns() -> frozenset[str]:
    """Lower-case words that complete a name marked ``NEEDS_NOUN`` ("Chin" + "State")."""
    return _place_nouns().every


@dataclass(frozen=True)
class PlaceMention:
    """A place named in text: characters ``start:end`` and the gazetteer entry they name."""

    start: int
    end: int
    text: str
    place: Place


@dataclass(frozen=True)
class EntitySurface:
    """One name as tokens for the entity matcher; ``needs_noun``: only when a place noun follows."""

    words: tuple[str, ...]
    label: str
    key: str
    needs_noun: bool


def fold_name(name: str) -> str:
    """Compare names without case, diacritics, spacing or punctuation: "Bà Rịa - Vũng Tàu" -> "bariavungtau"."""
    if name.isascii():
        return "".join(_TOKEN.findall(name.lower()))
    decomposed = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(_TOKEN.findall(plain.lower()))


def is_latin(name: str) -> bool:
    """Is the first letter of ``name`` Latin script (so case and word boundaries apply)?"""
    for char in name:
        if char.isalpha():
            return char.isascii() or unicodedata.name(char, "").startswith("LATIN")
    return False


def _strip_filler(name: str) -> str:
    words = name.strip().split()
    lowered = [w.lower().strip(",.") for w in words]
    nouns = _place_nouns()
    if len(words) > 2 and lowered[0] in nouns.filler and lowered[1] in nouns.of_words:
        words = words[2:]
    elif len(words) > 1 and lowered[-1] in nouns.filler:
        words = words[:-1]
    elif len(words) > 1 and lowered[0] in nouns.filler:
        words = words[1:]
    return " ".join(words)


class Gazetteer:
    """Find, look up and normalise places of the region; one shared instance per process."""

    def __init__(self, places: dict[str, Place], names: dict[str, list[tuple[str, bool]]],
                 folded: dict[str, list[tuple[str, bool]]],
                 borders: dict[tuple[str, str], dict[str, set[str]]], population: dict[str, int]) -> None:
        self._places = places
        self._population = population
        self._keys = {place: key for key, place in places.items()}
        self._names = names
        self._borders = borders
        self._admin1: dict[tuple[str, str], Place] = {
            (p.country, fold_name(p.name)): p for p in places.values() if p.kind == "admin1"}
        self._latin = folded
        self._found: dict[str, tuple[PlaceMention, ...]] = {}
        self._scripts: dict[str, list[tuple[str, str, bool]]] = {}
        for surface, entries in names.items():
            if not is_latin(surface):
                for key, needs_noun in entries:
                    self._scripts.setdefault(surface[0], []).append((surface, key, needs_noun))
        for candidates in self._scripts.values():
            candidates.sort(key=lambda c: -len(c[0]))

    @classmethod
    def load(cls) -> Gazetteer:
        """The gazetteer from the committed data files (read once, then cached)."""
        return _load(GAZETTEER_FILE, BORDERS_FILE)

    def find(self, text: str) -> list[PlaceMention]:
        """Every place named in ``text``, left to right, longest match first, none overlapping."""
        # The stages of one document ask again and again of the same sentences (provinces, routes,
        # statistics): each text is read once, while the memo lasts.
        found = self._found.get(text)
        if found is None:
            if len(self._found) >= _FOUND_MEMO:
                self._found.clear()
            found = self._found[text] = tuple(self._find(text))
        return list(found)

    def _find(self, text: str) -> list[PlaceMention]:
        countries = find_countries(text)
        context = Counter(c.code for c in countries)
        found = self._find_latin(text, context) + self._find_scripts(text)
        for country in countries:
            if not country.adjective:
                found.append(PlaceMention(country.start, country.end, country.text, self._country(country.code)))
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        out: list[PlaceMention] = []
        for mention in found:
            if not out or mention.start >= out[-1].end:
                out.append(mention)
        return out

    def lookup(self, name: str, country: str | None = None) -> list[Place]:
        """Places called ``name`` (any spelling we know), admin1 first, then by population."""
        keys = self._latin.get(fold_name(name)) or self._latin.get(fold_name(_strip_filler(name)), [])
        if not is_latin(name):
            keys = self._names.get(name.strip(), [])
        places = [self._places[key] for key, _ in dict.fromkeys(keys)]
        if country:
            places = [p for p in places if p.country == country.upper()]
        return sorted(places, key=lambda p: _KIND_RANK[p.kind])

    def province(self, country: str, admin1: str) -> Place | None:
        """The admin1 entry (with its centroid) for a canonical or variant name; None if not one."""
        canonical = self.canonical_admin1(country, admin1)
        return self._admin1.get((country.upper(), fold_name(canonical))) if canonical else None

    def canonical_admin1(self, country: str | None, name: str) -> str | None:
        """The canonical English admin1 name for any spelling: "Stoeng Treng" -> "Stung Treng"."""
        for candidate in (name, _strip_filler(name)):
            for place in self.lookup(candidate, country):
                if place.kind == "admin1":
                    return place.name
        return None

    def border_provinces(self, a: str, b: str) -> dict[str, set[str]]:
        """Admin1 provinces on the land border of countries ``a`` and ``b``, per country."""
        pair = tuple(sorted((a.upper(), b.upper())))
        sides = self._borders.get((pair[0], pair[1]), {})
        return {code: set(sides.get(code, set())) for code in (a.upper(), b.upper())}

    def entity_surfaces(self) -> list[EntitySurface]:
        """Every name as the words a token matcher compares: GPE for countries and admin1, LOC for other places."""
        surfaces: list[EntitySurface] = []
        for surface, entries in sorted(self._names.items()):
            words = tuple(re.findall(r"\w+|[^\w\s]", surface))
            for key, needs_noun in dict.fromkeys(entries):
                label = "GPE" if self._places[key].kind in ("country", "admin1") else "LOC"
                surfaces.append(EntitySurface(words, label, key, needs_noun))
        return surfaces

    def key(self, place: Place) -> str | None:
        """The stable key of a gazetteer entry ("gn:1822029", "adm1:KH-19"), for storage and patterns."""
        return self._keys.get(place)

    def _country(self, code: str) -> Place:
        return self._places.get(f"country:{code}") or Place(name=country_name(code), kind="country", country=code)

    def _find_latin(self, text: str, context: Counter[str]) -> list[PlaceMention]:
        tokens = list(_TOKEN.finditer(text))
        out: list[PlaceMention] = []
        i = 0
        while i < len(tokens):
            mention = self._match_at(text, tokens, i, context) if tokens[i].group()[0].isupper() else None
            if mention is None:
                i += 1
                continue
            out.append(mention)
            while i < len(tokens) and tokens[i].start() < mention.end:
                i += 1
        return out

    def _match_at(self, text: str, tokens: list[re.Match[str]], i: int, context: Counter[str]) -> PlaceMention | None:
        if not is_latin(tokens[i].group()):
            return None
        last = i
        while last + 1 < len(tokens) and last - i + 1 < _MAX_WORDS and (_JOIN.fullmatch(
                gap := text[tokens[last].end():tokens[last + 1].start()]) or _abbreviation_join(tokens[last].group(), gap)):
            last += 1
        for end_index in range(last, i - 1, -1):
            start, end = tokens[i].start(), tokens[end_index].end()
            entries = self._latin.get(fold_name(text[start:end]))
            if entries:
                mention = self._choose(text, start, end, entries, context)
                if mention:
                    return mention
        return None

    def _find_scripts(self, text: str) -> list[PlaceMention]:
        out: list[PlaceMention] = []
        position = 0
        while position < len(text):
            mention = None
            for surface, key, needs_noun in self._scripts.get(text[position], ()):
                if text.startswith(surface, position) and not needs_noun:
                    end = position + len(surface)
                    mention = PlaceMention(position, end, surface, self._places[key])
                    break
            if mention and not _inside_word(text, mention.start, mention.end) and not _inside_syllable(
                    text, mention.start, mention.end) and not self._in_katakana_name(text, mention.start, mention.end):
                out.append(mention)
                position = mention.end
            else:
                position += 1
        return out

    def _in_katakana_name(self, text: str, start: int, end: int) -> bool:
        """Is a katakana match part of a longer word ("トランク") or of a person's name written with
        "・" ("ウィチアン・チャイヤプーム")? A neighbour across "・" that is itself a place, or a place
        suffix after the match ("ミャンマー・シャン州"), keeps it a place."""
        if not is_katakana(text[start]):
            return False
        if (start and is_katakana(text[start - 1])) or (end < len(text) and is_katakana(text[end])):
            return True
        if _KATAKANA_SUFFIX.match(text, end):
            return False
        for neighbour in (_KATAKANA_BEFORE.search(text, 0, start), _KATAKANA_AFTER.match(text, end)):
            if neighbour and not (neighbour.group(1) in self._names or country_code(neighbour.group(1))):
                return True
        return False

    def _choose(self, text: str, start: int, end: int, entries: list[tuple[str, bool]],
                countries: Counter[str]) -> PlaceMention | None:
        """Pick the entry the context supports (place noun, then the countries the text names, then
        kind and population); ambiguous names need a place noun next to them."""
        nouns = _place_nouns()
        noun_match = _NEXT_NOUN.match(text, end)
        noun = noun_match.group(1).lower() if noun_match and noun_match.group(1).lower() in nouns.every else None
        preceded = nouns.before.search(text[max(0, start - 30):start])
        context = preceded.group(1).lower() if preceded else noun
        usable = [(key, needs) for key, needs in entries if (not needs or context) and not (
            countries and self._places[key].kind == "place" and self._places[key].country not in countries
            and self._population.get(key, 0) < _FOREIGN_VILLAGE)]
        if not usable:
            return None
        wanted = ("admin1" if context in nouns.admin1 else "checkpoint" if context in nouns.checkpoint
                  else "place" if context in nouns.town | nouns.district else None)
        place = self._places[min(usable, key=lambda e: (
            self._places[e[0]].kind != wanted, -countries[self._places[e[0]].country],
            _KIND_RANK[self._places[e[0]].kind], -self._population.get(e[0], 0)))[0]]
        if noun in nouns.district and place.kind == "place":
            place = replace(place, kind="district")
        if noun_match and noun and noun not in nouns.apart and not preceded:
            end = noun_match.end()
        return PlaceMention(start, end, text[start:end], place)


def _abbreviation_join(word: str, gap: str) -> bool:
    """"TP.HCM", "TP. Hồ Chí Minh": a full stop after a short capitalised abbreviation joins it to the name."""
    return gap.rstrip(" ") == "." and len(gap) <= 2 and len(word) <= 3 and word[0].isupper()


def is_katakana(char: str) -> bool:
    """Is ``char`` a katakana letter or the long-vowel mark (Japanese writes foreign names in katakana)?"""
    return "\u30a1" <= char <= "\u30fa" or char in "ーヽヾ"


def _inside_word(text: str, start: int, end: int) -> bool:
    """Does a Latin-script match sit inside a longer word (scripts without spaces never do)?"""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return (is_latin(before) and before.isalpha()) or (is_latin(after) and after.isalpha())


def _inside_syllable(text: str, start: int, end: int) -> bool:
    """Does a match cut a written syllable: right after a vowel written before its consonant (Thai
    and Lao "แ", "ແ": "ແປງ" holds no place "ປງ"), or right before a mark that sits on its last letter?"""
    return (start > 0 and text[start - 1] in _PREPOSED_VOWELS) or (
        end < len(text) and unicodedata.category(text[end]) in ("Mn", "Mc"))


def _parse_float(value: str) -> float | None:
    return float(value) if value else None


@lru_cache(maxsize=2)
def _load(gazetteer_file: Path, borders_file: Path) -> Gazetteer:
    places: dict[str, Place] = {}
    names: dict[str, list[tuple[str, bool]]] = {}
    population: dict[str, int] = {}
    folded: dict[str, list[tuple[str, bool]]] = {}
    with gazetteer_file.open(encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        if tuple(header) != COLUMNS:
            raise ValueError(f"unexpected columns in {gazetteer_file}: {header} (expected: {', '.join(COLUMNS)})")
        for line in handle:
            key, kind, country, admin1, name, lat, lon, geonames_id, people, surfaces, folds = line.rstrip(
                "\n").split("\t")
            if people:
                population[key] = int(people)
            places[key] = Place(name=name, kind=kind, country=country, admin1=admin1 or None,  # type: ignore[arg-type]
                                lat=_parse_float(lat), lon=_parse_float(lon),
                                geonames_id=int(geonames_id) if geonames_id else None)
            for surface, fold in zip(surfaces.split("|"), folds.split("|")):
                entry = (key, surface.startswith(NEEDS_NOUN))
                names.setdefault(surface.removeprefix(NEEDS_NOUN), []).append(entry)
                if fold:
                    folded.setdefault(fold, []).append(entry)
    for language in all_languages():  # place names in each pack's script -> the same entries
        for surface, key in language.places.items():
            if not key:  # a common word of the pack's language, not that place: never read in running text
                names[surface] = [(k, True) for k, _ in names.get(surface, [])]
                if is_latin(surface):  # Latin names are matched folded ("Thắng" -> "thang")
                    fold = fold_name(surface)
                    folded[fold] = [(k, True) for k, _ in folded.get(fold, [])]
                continue
            key = key if key in places else f"adm1:{key}"
            if key in places:
                names.setdefault(surface, []).append((key, False))
                if is_latin(surface):
                    folded.setdefault(fold_name(surface), []).append((key, False))
    return Gazetteer(places, names, folded, _load_borders(borders_file), population)


def _load_borders(path: Path) -> dict[tuple[str, str], dict[str, set[str]]]:
    borders: dict[tuple[str, str], dict[str, set[str]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        pair, country, provinces = line.split("\t")
        a, b = sorted(pair.split("-"))  # "LA-CN" and "CN-LA" are one border
        borders.setdefault((a, b), {})[country] = set(provinces.split("|"))
    return borders
