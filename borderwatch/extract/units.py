"""Quantities as reports write them -> normalised values, in one place.

``find_quantities`` reads "93.973 kilograms", "15,5 million narcotic pills", "half a tonne",
"more than seven cubic metres", "US$53,469" or "大麻3365本" and returns each with its value in
kg / m3 / m2 / units / currency units, the words it came from and the hedge before it
("more than", "about" ...). Counts of things that are not goods (people, cases, vehicles) are
returned too, with their own unit, so callers can read arrests and cases; ``GOODS_UNITS``
says which count units are goods. Distances come back as kind "length"; ages, times, years,
percentages and identifiers are not quantities and are not returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from borderwatch.lang import all_languages, digit_table

QuantityKind = Literal["mass", "count", "volume", "area", "money", "length"]
Qualifier = Literal["about", "more than", "at least", "nearly", "up to", "less than"]


@dataclass(frozen=True)
class Quantity:
    """One stated amount: normalised value and unit, the exact words, and any hedge."""

    value: float
    kind: QuantityKind
    unit: str
    raw: str
    start: int
    end: int
    qualifier: Qualifier | None


# Count units that measure seized goods; every other count unit (people, cases, vehicles,
# phones, weapons, containers, number) describes something else.
GOODS_UNITS: frozenset[str] = frozenset({
    "tablets", "capsules", "pieces", "logs", "packages", "kg-packages", "plants", "trees",
    "sacks", "blocks", "bricks", "bags", "bottles", "boxes", "heads", "tusks", "horns",
    "animals", "carcasses", "skins", "cakes", "bars", "soapcases",
})

_FORM_OF_UNIT = {
    "tablets": "tablets", "capsules": "tablets", "logs": "logs", "plants": "plant",
    "trees": "plant", "tusks": "tusks", "horns": "horn", "bottles": "liquid", "heads": "live",
    "animals": "live", "skins": "skins", "carcasses": "carcasses",
}

_COUNT_NOUNS: dict[str, str] = {
    "pill": "tablets", "pills": "tablets", "tablet": "tablets", "tablets": "tablets",
    "tabs": "tablets", "capsule": "capsules", "capsules": "capsules",
    "piece": "pieces", "pieces": "pieces", "pcs": "pieces",
    "log": "logs", "logs": "logs", "plank": "pieces", "planks": "pieces",
    "package": "packages", "packages": "packages", "pack": "packages", "packs": "packages",
    "bundle": "packages", "bundles": "packages",
    "packet": "packages", "packets": "packages", "parcel": "packages", "parcels": "packages",
    "plant": "plants", "plants": "plants", "tree": "trees", "trees": "trees",
    "sack": "sacks", "sacks": "sacks", "block": "blocks", "blocks": "blocks",
    "brick": "bricks", "bricks": "bricks", "bag": "bags", "bags": "bags",
    "slab": "packages", "slabs": "packages",
    "cake": "cakes", "cakes": "cakes", "bar": "bars", "bars": "bars",
    "soapcase": "soapcases", "soapcases": "soapcases",
    "bottle": "bottles", "bottles": "bottles", "box": "boxes", "boxes": "boxes",
    "carton": "boxes", "cartons": "boxes", "head": "heads", "heads": "heads",
    "tusk": "tusks", "tusks": "tusks", "horn": "horns", "horns": "horns",
    "skin": "skins", "skins": "skins", "carcass": "carcasses", "carcasses": "carcasses",
    "pangolins": "animals", "turtles": "animals", "tortoises": "animals", "birds": "animals",
    "snakes": "animals", "monkeys": "animals", "macaques": "animals", "animals": "animals",
    "lorises": "animals", "geckos": "animals", "bears": "animals", "tigers": "animals",
    "people": "people", "persons": "people", "person": "people", "suspects": "people",
    "suspect": "people", "men": "people", "man": "people", "women": "people",
    "woman": "people", "individuals": "people", "nationals": "people", "national": "people",
    "foreigners": "people", "offenders": "people", "traffickers": "people",
    "dealers": "people", "smugglers": "people", "users": "people", "addicts": "people",
    "defendants": "people", "children": "people", "youths": "people", "teenagers": "people",
    "couriers": "people", "citizens": "people", "residents": "people", "villagers": "people",
    "cases": "cases", "case": "cases", "vehicles": "vehicles", "vehicle": "vehicles",
    "cars": "vehicles", "car": "vehicles", "trucks": "vehicles", "truck": "vehicles",
    "lorries": "vehicles", "vans": "vehicles", "motorcycles": "vehicles",
    "motorbikes": "vehicles", "motorcycle": "vehicles", "boats": "vehicles",
    "phones": "phones", "handsets": "phones", "guns": "weapons", "firearms": "weapons",
    "weapons": "weapons", "rifles": "weapons", "pistols": "weapons",
    "containers": "containers", "container": "containers",
}

# Japanese counters written straight after the digits; 本 counts long things (plants, logs).
_COUNTERS: dict[str, str] = {
    "錠": "tablets", "粒": "tablets", "個": "pieces", "袋": "bags", "株": "plants",
    "頭": "heads", "人": "people", "件": "cases", "台": "vehicles", "包": "packages", "箱": "boxes",
    "枚": "pieces", "匹": "animals", "羽": "animals", "名": "people", "隻": "vehicles", "丁": "weapons",
}
_HON_CONTEXT = (("大麻", "plants"), ("ケシ", "plants"), ("草", "plants"), ("丸太", "logs"),
                ("木", "logs"), ("コンテナ", "containers"))

# Words that end the stretch of modifiers between a number and its noun.
_STOP_WORDS = frozenset(["a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "from", "with", "into", "onto", "over", "under", "than", "as", "is", "are", "was", "were", "be", "been", "being", "had", "has", "have", "which", "who", "whom", "that", "this", "these", "those", "it", "its", "their", "his", "her", "they", "he", "she", "we", "you", "i", "not", "no", "per", "each", "every", "while", "after", "before", "during", "since", "until", "when", "where"])

# (pattern, kind, unit, factor to the normalised unit); tried in order, longest forms first.
_MEASURES: list[tuple[str, QuantityKind, str, float]] = [
    (r"(?:metric\s+)?tonnes?|(?:metric\s+)?tons?|tấn|トン|吨|ตัน", "mass", "kg", 1000.0),
    (r"kilo(?:gram(?:me)?s?|s)?|kgs?|キログラム|キロ|公斤|千克|กิโลกรัม|กก\.", "mass", "kg", 1.0),
    (r"milligram(?:me)?s?|mg", "mass", "kg", 1e-6),
    (r"gram(?:me)?s?|(?-i:gr|g)|gam|グラム|克|กรัม", "mass", "kg", 0.001),
    (r"pounds?|lbs?", "mass", "kg", 0.45359237),
    (r"viss", "mass", "kg", 1.63293),  # Myanmar's weight for opium and produce
    (r"cubic\s+met(?:re|er)s?|m3|m³|cu\.?\s?m|cbm|立方メートル|立方米|khối", "volume", "m3", 1.0),
    (r"lit(?:re|er)s?|リットル", "volume", "m3", 0.001),
    (r"square\s+met(?:re|er)s?|sq\.?\s?m|m2|m²|㎡|平方メートル|平方米", "area", "m2", 1.0),
    (r"square\s+kilomet(?:re|er)s?|km2|km²", "area", "m2", 1e6),
    (r"hectares?|(?-i:ha)", "area", "m2", 10000.0),
    (r"acres?", "area", "m2", 4046.8564224),
    (r"kilomet(?:re|er)s?|km|キロメートル", "length", "m", 1000.0),
    (r"centimet(?:re|er)s?|cm", "length", "m", 0.01),
    (r"met(?:re|er)s?|(?-i:m)|メートル", "length", "m", 1.0),
    (r"miles?", "length", "m", 1609.344),
]
# A unit is not the start of a longer Latin word, accented ones included ("11 gói" is 11 packages, not 11 g).
_MEASURE_RES = [(re.compile(rf"[ \t]?-?[ \t]?(?:{pattern})(?![A-Za-z0-9²³\u00c0-\u024f\u1e00-\u1eff]|-[A-Za-z])",
                            re.IGNORECASE), kind, unit, factor) for pattern, kind, unit, factor in _MEASURES]

_CURRENCY_BEFORE = re.compile(
    r"(?:(?<![A-Za-z])(?P<code>US\$|USD|KHR|VND|THB|LAK|MMK|CNY|RMB|JPY|S\$)[ \t]?|"
    r"(?P<sym>[$฿₫¥]))$")
_CURRENCY_SYMBOLS = {"$": "USD", "US$": "USD", "฿": "THB", "₫": "VND", "¥": "JPY", "RMB": "CNY",
                     "S$": "SGD"}
_CURRENCY_AFTER = re.compile(
    r"[ \t]?(?P<word>(?:US\s+)?dollars?|USD|kyats?|MMK|riels?|KHR|(?-i:dong)|VND|đồng|baht|THB|(?-i:kip)|"
    r"LAK|yuan|renminbi|CNY|yen|JPY|円|人民元|元|米ドル|ドル|バーツ|リエル|キップ|ドン|チャット)"
    r"(?![A-Za-z\u30a1-\u30faー])", re.IGNORECASE)
_CURRENCY_WORDS = {"dollar": "USD", "dollars": "USD", "kyat": "MMK", "kyats": "MMK",
                   "riel": "KHR", "riels": "KHR", "dong": "VND", "đồng": "VND", "baht": "THB",
                   "kip": "LAK", "yuan": "CNY", "renminbi": "CNY", "yen": "JPY", "円": "JPY",
                   "元": "CNY", "人民元": "CNY", "米ドル": "USD", "ドル": "USD", "バーツ": "THB",
                   "リエル": "KHR", "キップ": "LAK", "ドン": "VND", "チャット": "MMK"}

_SMALL = {w: i for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"])}
_TENS = {w: 10 * (i + 2) for i, w in enumerate(
    ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"])}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "lakh": 1e5,
           "lakhs": 1e5, "crore": 1e7, "crores": 1e7, "mn": 1e6, "bn": 1e9, "m": 1e6, "b": 1e9,
           "k": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}
_WORD = "|".join(sorted([*_SMALL, *_TENS, "hundred", "thousand", "million", "billion",
                         "dozen", "half", "a", "an"], key=len, reverse=True))
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3}){2,}|\d+(?:\.\d+|,\d{1,2}(?!\d))?"
_SCALE_AFTER = (r"(?:[ \t]*(?:million|billion|trillion|thousand|lakhs?|crores?)"
                r"|[ \t]+(?:triệu|tỷ|tỉ)|[ \t]?(?:mn|bn)|[mbk])(?![A-Za-z])")
# Japanese and Chinese numerals: digits before 兆/億/万/千 and a remainder ("1億2000万", "103万4413",
# "1万8" = 10,008); 半 before a unit is a half ("約半トン").
_MYRIADS = {"兆": 1e12, "億": 1e8, "亿": 1e8, "万": 1e4, "萬": 1e4, "千": 1e3}
_MYRIAD_PART = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_MYRIAD = (rf"(?:{_MYRIAD_PART}[多余餘]?(?:[兆億亿万萬]|千(?![克米瓦])))+(?:\d{{1,3}}(?:,\d{{3}})+|\d+)?"
           r"|半(?=[ \t]*(?:トン|キロ|吨|公斤))")


@dataclass(frozen=True)
class _PackUnits:
    """What the language packs add to the quantity reader, merged over every pack."""

    scales: dict[str, float]
    measures: list[tuple[re.Pattern[str], QuantityKind, str, float]]
    counter_re: re.Pattern[str] | None
    counters: dict[str, str]
    digits: dict[int, str]
    qualifiers: dict[str, str]


@lru_cache(maxsize=1)
def _pack_units() -> _PackUnits:
    """Scale words, measure units, counter words, qualifiers and native digits of every pack."""
    scales: dict[str, float] = {}
    measures: list[tuple[re.Pattern[str], QuantityKind, str, float]] = []
    counters: dict[str, str] = {}
    qualifiers: dict[str, str] = {}
    digits = ""
    for language in all_languages():
        scales.update({k.lower(): v for k, v in language.scales.items()})
        measures.extend((re.compile(rf"[ \t]?(?:{p})", re.IGNORECASE), k, u, f)  # type: ignore[misc]
                        for p, k, u, f in language.measures)
        counters.update({k.lower(): v for k, v in language.counters.items()})
        qualifiers.update(language.qualifiers)
        digits += language.digits
    words = sorted(counters, key=len, reverse=True)
    # A counter written in Latin letters ("con") is a whole word: not the start of "contained".
    counter_re = re.compile(r"[ \t]?(?P<word>" + "|".join(re.escape(w) for w in words) + r")(?:(?<![A-Za-z])|(?![A-Za-z]))",
                            re.IGNORECASE) if words else None
    return _PackUnits(scales, measures, counter_re, counters, digit_table(digits), qualifiers)


@lru_cache(maxsize=1)
def _number_re() -> re.Pattern[str]:
    scales = _pack_units().scales
    pack_scales = "|".join(re.escape(w) for w in sorted(scales, key=len, reverse=True))
    scale_after = f"(?:{_SCALE_AFTER}|[ \t]?(?:{pack_scales}))" if pack_scales else _SCALE_AFTER
    return re.compile(
        rf"(?<![A-Za-z0-9_.,:/])(?<![A-Za-z]-)(?:(?P<myriad>{_MYRIAD})|"
        rf"(?P<digits>{_DIGITS})(?![:/]\d)(?P<scale>{scale_after})?)"
        rf"|(?<![^\W\d_])(?<!-)(?P<words>(?:{_WORD})(?:(?:[ \t]+|-)(?:and[ \t]+)?(?:{_WORD}))*)(?![^\W\d_])",
        re.IGNORECASE)


def ascii_digits(text: str) -> str:
    """``text`` with the region's native digits (Thai, Lao, Khmer, full-width) as ASCII ones."""
    return text.translate(_pack_units().digits)
# A hedge written between a number and its unit or myriad ("2000多箱", "20余吨", "240多万").
_MORE_INFIX = re.compile(r"[多余餘]")
_PLUS = re.compile(r"-?plus(?![A-Za-z])|\+", re.IGNORECASE)
_DOT_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})*\.\d{3}")  # "300.000", "11,920.000" tablets: counts are whole
_DOT_THOUSANDS_ZEROS = re.compile(r"[1-9]\d{0,2}\.\d\d0")  # "1.200 kg", "28.880 kg" (not "93.973 kg")
_CHANGED = re.compile(r"\b(?:rose|risen|rising|fell|fallen|increas\w*|decreas\w*|grew|grown|jump\w*|drop\w*|"
                      r"climb\w*|up|down|soared|surged|declined)\s*$", re.IGNORECASE)
_RANGE_LOW = re.compile(r"\b(?:between|from)\s+(?P<low>\d[\d,.]*|[a-z]+)\s*(?:and|to|-|–)\s*$", re.IGNORECASE)

_QUALIFIERS: list[tuple[str, Qualifier]] = [
    (r"more\s+than|over|upwards\s+of|in\s+excess\s+of|above", "more than"),
    (r"at\s+least|no\s+less\s+than|no\s+fewer\s+than|not\s+less\s+than|a\s+minimum\s+of|少なくとも",
     "at least"),
    (r"nearly|almost|close\s+to|just\s+under|just\s+short\s+of", "nearly"),
    ((r"about|around|approximately|approx\.|roughly|some|an\s+estimated|estimated"
      r"|an\s+approximate|約|およそ|ほぼ"), "about"),
    (r"up\s+to|as\s+many\s+as|as\s+much\s+as|a\s+maximum\s+of", "up to"),
    (r"less\s+than|fewer\s+than|under|below", "less than"),
]
_QUALIFIER_BEFORE = re.compile(
    "(?:" + "|".join(f"(?P<q{i}>(?<![A-Za-z])(?:{p}))" for i, (p, _) in enumerate(_QUALIFIERS))
    + r")[ \t]*$", re.IGNORECASE)
_QUALIFIER_AFTER = re.compile(r"[ \t]*(?:(?P<after>以上|余り|超|強|or\s+more)|(?P<near>近く|弱))", re.IGNORECASE)

_MODIFIER = re.compile(r"[ \t]+(?P<word>[A-Za-z][A-Za-z'’\-]*)")
_YEAR = re.compile(r"(?:19|20)\d\d")


def parse_number(words: str) -> float | None:
    """The value of a written number ("1,034,413", "15,5 million", "half a", "Ten"), else None."""
    match = _number_re().fullmatch(ascii_digits(words.strip()))
    if match is None:
        return _han_value(words.strip())
    return _number_value(match)


_HAN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6,
               "七": 7, "八": 8, "九": 9}
_HAN_UNITS = {"十": 10, "百": 100, "千": 1000}
_HAN_NUMBER = re.compile(r"[〇零一二两兩三四五六七八九十百千]+")


def _han_value(words: str) -> float | None:
    """A number written in Han numerals ("两", "十二", "三百零五"), as a count of people is; else None."""
    if not _HAN_NUMBER.fullmatch(words):
        return None
    total, digit = 0, None
    for char in words:
        if char in _HAN_DIGITS:
            digit = _HAN_DIGITS[char]
        else:
            total += (1 if digit is None else digit) * _HAN_UNITS[char]
            digit = None
    return float(total + (digit or 0))


def count_unit_form(unit: str) -> str | None:
    """The commodity form a count unit implies ("pills" -> "tablets", "logs" -> "logs")."""
    canonical = _COUNT_NOUNS.get(unit.lower(), unit.lower())
    return _FORM_OF_UNIT.get(canonical)


_MARKED_NUMBER = re.compile(r"\d+(?:[.,]\d+)+")


def _swap_marks(number: re.Match[str]) -> str:
    """"2.116" -> "2,116" and "1,5" -> "1.5"; a number written with both marks is left as written."""
    text = number.group(0)
    if "." in text and "," in text:
        return text
    return text.translate(str.maketrans(".,", ",."))


def find_quantities(text: str, decimal_comma: bool = False) -> list[Quantity]:
    """Every stated amount in ``text``, left to right, non-overlapping. ``decimal_comma`` is for
    languages that write "2.116 kg" for 2,116 kg and "1,5 kg" for 1.5 kg (the pack says so)."""
    found: list[Quantity] = []
    last_end = 0
    written, text = text, ascii_digits(text)
    if decimal_comma:  # one for one, so offsets stay true
        text = _MARKED_NUMBER.sub(_swap_marks, text)
    for match in _number_re().finditer(text):
        if match.start() < last_end:
            continue
        quantity = _read_quantity(text, match, last_end)
        if quantity is not None:
            found.append(_lower_bound(text, quantity, match))
            last_end = quantity.end
    return [replace(q, raw=written[q.start:q.end]) for q in found] if written != text else found


def _lower_bound(text: str, quantity: Quantity, match: re.Match[str]) -> Quantity:
    """"between 40 and 50 kilogrammes", "from 3 to 5 tonnes": a range is read as its lower bound, in the
    unit stated once after it."""
    low = _RANGE_LOW.search(text, max(0, quantity.start - 40), quantity.start)
    value = parse_number(low.group("low")) if low else None
    if low is None or value is None or _CHANGED.search(text, max(0, low.start() - 25), low.start()):
        return quantity  # "rose from 100 to 150 kg" is a change, and 150 the amount
    high = _digits_value(match.group("digits")) if match.group("digits") else _number_value(match)
    if not high or value >= high:
        return quantity
    return replace(quantity, value=quantity.value * value / high, raw=text[low.start():quantity.end],
                   start=low.start(), qualifier=quantity.qualifier or "at least")


def _number_value(match: re.Match[str]) -> float | None:
    if match.group("words"):
        return _words_value(match.group("words"))
    if match.group("myriad"):
        return _myriad_value(match.group("myriad"))
    value = _digits_value(match.group("digits"))
    scale = (match.group("scale") or "").strip().lower()
    return value * (_SCALES.get(scale) or _pack_units().scales[scale]) if scale else value


def _digits_value(digits: str) -> float:
    """Thousands separators have three digits after them; one or two after a comma is a decimal."""
    if re.fullmatch(r"\d+,\d{1,2}", digits):
        return float(digits.replace(",", "."))
    if digits.count(".") > 1:
        return float(digits.replace(".", ""))
    return float(digits.replace(",", ""))


def _myriad_value(number: str) -> float:
    """"1億2000万" -> 120,000,000: each group of digits times the unit after it, plus the remainder."""
    if number == "半":
        return 0.5
    total = 0.0
    for digits, unit in re.findall(r"([\d.,]+)[多余餘]?([兆億亿万萬千]?)", number):
        total += float(digits.replace(",", "")) * _MYRIADS.get(unit, 1.0)
    return total


def _words_value(words: str) -> float | None:
    tokens = [t for t in re.split(r"[\s-]+", words.lower()) if t and t != "and"]
    if tokens == ["half"]:
        return None
    total, current, factor = 0.0, 0.0, 1.0
    for position, token in enumerate(tokens):
        if token in _SMALL:
            current += _SMALL[token]
        elif token in _TENS:
            current += _TENS[token]
        elif token in {"a", "an"}:
            current += 0 if current else 1
        elif token == "half":
            if position == 0:
                factor = 0.5
            else:
                current += 0.5
        elif token == "dozen":
            current = (current or 1) * 12
        elif token == "hundred":
            current = (current or 1) * 100
        else:
            total += (current or 1) * _SCALES[token]
            current = 0.0
    return (total + current) * factor


def _read_quantity(text: str, match: re.Match[str], floor: int) -> Quantity | None:
    value = _number_value(match)
    if value is None:
        return None
    start, end = match.start(), match.end()
    scale = (match.group("scale") or "").strip().lower()
    currency = _CURRENCY_BEFORE.search(text, max(floor, start - 5), start)
    qualifier: Qualifier | None = None
    plus = _PLUS.match(text, end)
    if plus:
        end, qualifier = plus.end(), "more than"
    if currency:
        code = currency.group("code") or currency.group("sym")
        unit = _CURRENCY_SYMBOLS.get(code.upper(), code.upper())
        return _build(text, currency.start(), end, value, "money", unit, qualifier, floor)
    if _MORE_INFIX.search(match.group(0)):
        qualifier = "more than"  # "240多万粒": more than 2.4 million
    read = _read_unit(text, end, value, scale, match)
    infix = _MORE_INFIX.match(text, end) if read is None and not scale else None
    if infix:  # "2000多箱", "20余吨": the hedge sits between the digits and the unit
        read = _read_unit(text, infix.end(), value, scale, match)
        qualifier = qualifier or ("more than" if read else None)
    if read is None:
        return None
    value, kind, unit, end = read
    if kind == "count" and not scale and _DOT_THOUSANDS.fullmatch(match.group("digits") or ""):
        value *= 1000  # "300.000 tablets": a dot groups thousands, counts are whole
    elif kind in ("mass", "volume") and not scale and _DOT_THOUSANDS_ZEROS.fullmatch(match.group("digits") or ""):
        value *= 1000  # "1.200 kg": a decimal is not written with a trailing zero, so the dot groups thousands
    after = _QUALIFIER_AFTER.match(text, end) if qualifier is None else None
    if after:
        end, qualifier = after.end(), "nearly" if after.group("near") else "more than"
    return _build(text, start, end, value, kind, unit, qualifier, floor)


def _read_unit(text: str, pos: int, value: float, scale: str,
               match: re.Match[str]) -> tuple[float, QuantityKind, str, int] | None:
    """The unit after a number, or None when the number measures nothing we read."""
    number = match.group(0)
    bare_article = number.strip().lower() in {"a", "an"}
    if scale in {"m", "b", "k"}:
        counted = _read_count(text, pos, number)
        money = _CURRENCY_AFTER.match(text, pos)
        if money:
            return value, "money", _money_unit(money.group("word")), money.end()
        if counted:
            return value, "count", counted[0], counted[1]
        if scale != "m":
            return None
        # "50m" with no goods or currency after it is a distance, not fifty million.
        value, scale, pos = value / _SCALES[scale], "", match.start("scale")
    if not scale or scale in _pack_units().scales:
        for pattern, kind, unit, factor in [*_pack_units().measures, *_MEASURE_RES]:
            measure = pattern.match(text, pos)
            if measure:
                if kind == "length" and bare_article:
                    return None
                return value * factor, kind, unit, measure.end()
    money = _CURRENCY_AFTER.match(text, pos)
    if money:
        return value, "money", _money_unit(money.group("word")), money.end()
    if bare_article:
        return (value, "count", "number", pos) if scale else None
    counted = _read_count(text, pos, number)
    if counted:
        return value, "count", counted[0], counted[1]
    if scale or re.search(r"million|billion|thousand|[兆億亿万萬千]", number, re.IGNORECASE):
        return value, "count", "number", pos
    return None


def _money_unit(word: str) -> str:
    key = re.sub(r"^us\s+", "", word.lower())
    return _CURRENCY_WORDS.get(key, word.upper())


def _read_count(text: str, pos: int, number: str) -> tuple[str, int] | None:
    """A count noun after up to three modifiers ("1 million methamphetamine pills")."""
    pack_counter = _pack_units().counter_re
    spoken = pack_counter.match(text, pos) if pack_counter else None
    if spoken:
        return _pack_units().counters[spoken.group("word").lower()], spoken.end()
    counter = re.match(r"本|" + "|".join(_COUNTERS), text[pos:pos + 1])
    if counter:
        char = counter.group(0)
        if char != "本":
            return _COUNTERS[char], pos + 1
        before = text[max(0, pos - len(number) - 4):pos - len(number)]
        unit = next((u for hint, u in _HON_CONTEXT if hint in before), "pieces")
        return unit, pos + 1
    year_like = _YEAR.fullmatch(number) is not None
    kg_pack = False
    for modifiers in range(4):
        word_match = _MODIFIER.match(text, pos)
        if word_match is None:
            return None
        word = word_match.group("word").lower()
        noun = _COUNT_NOUNS.get(word)
        if noun is None and "-" in word:
            noun = _COUNT_NOUNS.get(word.rsplit("-", 1)[1])
            kg_pack = kg_pack or re.match(r"(?:kg|kilo(?:gram)?)-", word) is not None
        if noun is not None:
            if year_like and modifiers:
                return None
            if kg_pack and noun == "packages":
                noun = "kg-packages"
            return noun, word_match.end()
        if word in _STOP_WORDS or modifiers == 3:
            return None
        kg_pack = kg_pack or re.fullmatch(r"(?:one-)?(?:kg|kilo(?:gram)?)", word) is not None
        pos = word_match.end()
    return None


def _build(text: str, start: int, end: int, value: float, kind: QuantityKind, unit: str,
           qualifier: Qualifier | None, floor: int) -> Quantity:
    before = _QUALIFIER_BEFORE.search(text, max(floor, start - 30), start)
    if before and qualifier is None:
        index = next(int(name[1:]) for name, group in before.groupdict().items() if group)
        qualifier = _QUALIFIERS[index][1]
        start = before.start()
    elif before:
        start = before.start()
    elif qualifier is None:
        for word, hedge in _pack_units().qualifiers.items():  # the packs' hedges: "ประมาณ", "khoảng", "约"
            head_start = max(floor, start - len(word) - 1)
            head = text[head_start:start].rstrip(" \t")
            if head.endswith(word):
                qualifier, start = hedge, head_start + len(head) - len(word)  # type: ignore[assignment]
                break
    return Quantity(value=value, kind=kind, unit=unit, raw=text[start:end], start=start,
                    end=end, qualifier=qualifier)
