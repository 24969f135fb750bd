"""Country names, adjectives and nationalities -> ISO 3166-1 alpha-2, in one place.

Names come from ISO 3166 (pycountry); the adjectives, demonyms, short forms and the
names used in the region's languages that ISO does not carry are listed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from borderwatch.lang import all_languages

# Common names, adjectives and demonyms that ISO 3166 does not list, per country.
_ALIASES: dict[str, tuple[str, ...]] = {
    "KH": ("Cambodia", "Cambodian", "Cambodians", "Khmer", "Kampuchea", "カンボジア", "Campuchia",
           "กัมพูชา", "កម្ពុជា", "柬埔寨"),
    "LA": ("Laos", "Lao", "Laotian", "Laotians", "Lao PDR", "Lao People's Democratic Republic",
           "ラオス", "Lào", "ลาว", "ឡាវ", "老挝"),
    "TH": ("Thailand", "Thai", "Thais", "タイ", "Thái Lan", "ไทย", "ประเทศไทย", "ថៃ", "泰国"),
    "VN": ("Vietnam", "Viet Nam", "Vietnamese", "ベトナム", "Việt Nam", "เวียดนาม", "វៀតណាម", "越南"),
    "MM": ("Myanmar", "Burma", "Burmese", "Myanmar national", "ミャンマー", "พม่า", "เมียนมา",
           "មីយ៉ាន់ម៉ា", "缅甸"),
    "CN": ("China", "Chinese", "中国", "Trung Quốc", "จีน", "ចិន"),
    "MY": ("Malaysia", "Malaysian", "Malaysians", "マレーシア"),
    "SG": ("Singapore", "Singaporean", "シンガポール"),
    "ID": ("Indonesia", "Indonesian", "インドネシア"),
    "PH": ("Philippines", "Filipino", "Philippine", "フィリピン"),
    "TW": ("Taiwan", "Taiwanese", "台湾"),
    "HK": ("Hong Kong", "香港"),
    "KR": ("South Korea", "Korea", "Korean", "South Korean", "韓国"),
    "JP": ("Japan", "Japanese", "日本"),
    "IN": ("India", "Indian", "インド"),
    "BD": ("Bangladesh", "Bangladeshi", "バングラデシュ"),
    "PK": ("Pakistan", "Pakistani", "パキスタン"),
    "AF": ("Afghanistan", "Afghan", "アフガニスタン"),
    "IR": ("Iran", "Iranian", "イラン"),
    "NG": ("Nigeria", "Nigerian", "Nigerians", "ナイジェリア"),
    "CD": ("Democratic Republic of Congo", "DR Congo", "DRC", "Congolese", "コンゴ民主共和国"),
    "CG": ("Republic of Congo",),
    "CM": ("Cameroon", "Cameroonian", "カメルーン"),
    "GH": ("Ghana", "Ghanaian", "ガーナ"),
    "KE": ("Kenya", "Kenyan", "ケニア"),
    "TZ": ("Tanzania", "Tanzanian", "タンザニア"),
    "UG": ("Uganda", "Ugandan", "ウガンダ"),
    "MZ": ("Mozambique", "Mozambican", "モザンビーク"),
    "AO": ("Angola", "Angolan", "アンゴラ"),
    "ZA": ("South Africa", "South African", "南アフリカ"),
    "CI": ("Ivory Coast", "Côte d'Ivoire", "Ivorian", "コートジボワール"),
    "GN": ("Guinea", "Guinean"),
    "US": ("United States", "USA", "US", "U.S.", "American", "Americans", "米国", "アメリカ"),
    "GB": ("United Kingdom", "UK", "Britain", "British", "英国", "イギリス"),
    "AU": ("Australia", "Australian", "オーストラリア"),
    "CA": ("Canada", "Canadian", "カナダ"),
    "FR": ("France", "French", "フランス"),
    "DE": ("Germany", "German", "ドイツ"),
    "NL": ("Netherlands", "Dutch", "オランダ"),
    "RU": ("Russia", "Russian", "ロシア"),
    "BR": ("Brazil", "Brazilian", "ブラジル"),
    "MX": ("Mexico", "Mexican", "メキシコ"),
    "AE": ("United Arab Emirates", "UAE", "Dubai", "アラブ首長国連邦", "ドバイ"),
    "QA": ("Qatar", "Qatari", "カタール"),
}
_ADJECTIVES = {"Lao", "Thai", "Thais", "Khmer", "Dutch", "French", "Filipino", "Philippine", "British",
               "Afghan", "Burmese", "Myanmar national"}
_DEMONYM_ENDING = re.compile(r"[a-z](?:ese|ian|ians|an|ans|ean|i|ish)$")
_ACRONYMS = {"US", "UK", "USA", "UAE", "DRC"}
# Words that name a country in some contexts but are ordinary words far more often.
_AMBIGUOUS = {"Guinea", "Chad", "Jersey", "Georgia", "Jordan", "US", "Korea", "Niger", "Turkey"}


@dataclass(frozen=True)
class CountryMention:
    """A country named in text: where, which, and whether as a name or as an adjective."""

    start: int
    end: int
    text: str
    code: str
    adjective: bool


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, tuple[str, bool]]:
    """Lower-cased surface form -> (ISO2, is_adjective)."""
    table: dict[str, tuple[str, bool]] = {}
    for country in pycountry.countries:
        for name in {country.name, getattr(country, "common_name", country.name)}:
            if name not in _AMBIGUOUS:
                table[name.lower()] = (country.alpha_2, False)
    for code, names in _ALIASES.items():
        for name in names:
            table[name.lower()] = (code, name in _ADJECTIVES or bool(_DEMONYM_ENDING.search(name)))
    for name, code in _pack_names().items():
        table.setdefault(name.lower(), (code, False))
    return table


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    names = sorted(_lexicon(), key=len, reverse=True)
    alternatives = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w])", re.IGNORECASE)


@lru_cache(maxsize=1)
def _pack_names() -> dict[str, str]:
    """Country names in the packs' scripts ("ลาว", "Lào", "老挝") -> ISO2."""
    return {name: code for language in all_languages() for name, code in language.countries.items()}


@lru_cache(maxsize=1)
def _script_pattern() -> re.Pattern[str] | None:
    """Pack names in scripts written without spaces: matched anywhere, as words are not delimited."""
    names = sorted((n for n in _pack_names() if not n[0].isascii() and not _LATIN_LETTER.match(n)),
                   key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names)) if names else None


_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


def find_countries(text: str) -> list[CountryMention]:
    """Every country name or adjective in ``text``, left to right."""
    return list(_countries(text))


@lru_cache(maxsize=2048)
def _countries(text: str) -> tuple[CountryMention, ...]:
    """``find_countries``, read once per text: the stages of one document ask of the same sentences
    again and again (events, routes, flows, people, statistics: ~4 calls a distinct text)."""
    out: list[CountryMention] = []
    scripts = _script_pattern()
    if scripts is not None:
        out.extend(CountryMention(m.start(), m.end(), m.group(0), _pack_names()[m.group(0)], False)
                   for m in scripts.finditer(text))
    for m in _pattern().finditer(text):
        surface = m.group(0)
        if surface.isupper() and len(surface) <= 3 and surface not in _ACRONYMS:
            continue  # "LAO" in a shouted headline or "ICE" is not reliably a country
        if surface[0].islower() and surface.isascii():
            continue  # "lao" inside a sentence is not a proper noun
        code, adjective = _lexicon()[surface.lower()]
        if not any(c.start < m.end() and m.start() < c.end for c in out):
            out.append(CountryMention(m.start(), m.end(), surface, code, adjective))
    return tuple(sorted(out, key=lambda c: c.start))


def country_code(name: str) -> str | None:
    """ISO2 for a country name, adjective or demonym; None when unknown."""
    hit = _lexicon().get(name.strip().lower())
    return hit[0] if hit else None


def country_name(code: str) -> str:
    """The English short name for an ISO2 code."""
    aliases = _ALIASES.get(code.upper())
    if aliases:
        return aliases[0]
    country = pycountry.countries.get(alpha_2=code.upper())
    return country.name if country else code
