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
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from borderwatch.lang import (
    NEVER,
    all_languages,
    digit_table,
    every_numbers,
    every_pattern,
    every_units,
    every_words,
)

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

# "10,6000 pills": a last group of four digits is a slip of the comma; the digits are the number.
_DIGITS = r"\d{1,3}(?:,\d{3})*,\d{4}(?![\d,])|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3}){2,}|\d+(?:\.\d+|,\d{1,2}(?!\d))?"
# Digits before a myriad and a remainder ("1億2000万", "103万4413", "1万8" = 10,008).
_MYRIAD_PART = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# A unit written in Latin letters is not the start of a longer word, accented ones included.
_NOT_A_WORD_START = r"(?![A-Za-z0-9²³\u00c0-\u024f\u1e00-\u1eff]|-[A-Za-z])"
_CURRENCY_BEFORE = re.compile(
    r"(?:(?<![A-Za-z])(?P<code>US\$|USD|KHR|VND|THB|LAK|MMK|CNY|RMB|JPY|S\$)[ \t]?|"
    r"(?P<sym>[$฿₫¥]))$")
_CURRENCY_SYMBOLS = {"$": "USD", "US$": "USD", "฿": "THB", "₫": "VND", "¥": "JPY", "RMB": "CNY",
                     "S$": "SGD"}
_QUALIFIERS: tuple[Qualifier, ...] = ("more than", "at least", "nearly", "about", "up to", "less than")
"""The hedges in the order they are tried; each is the packs' cue "<hedge>_before" ("more_than_before")."""


@dataclass(frozen=True)
class _PackUnits:
    """What the language packs give the quantity reader, merged over every pack."""

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
    bounded: list[tuple[re.Pattern[str], QuantityKind, str, float]] = []
    counters: dict[str, str] = {}
    qualifiers: dict[str, str] = {}
    digits = ""
    for language in all_languages():
        scales.update({k.lower(): v for k, v in language.scales.items()})
        measures.extend((re.compile(rf"[ \t]?(?:{p})", re.IGNORECASE), k, u, f)  # type: ignore[misc]
                        for p, k, u, f in language.measures)
        bounded.extend((re.compile(rf"[ \t]?-?[ \t]?(?:{p}){_NOT_A_WORD_START}", re.IGNORECASE),
                        k, u, f) for p, k, u, f in language.bounded_measures)  # type: ignore[misc]
        counters.update({k.lower(): v for k, v in language.counters.items()})
        qualifiers.update(language.qualifiers)
        digits += language.digits
    words = sorted(counters, key=len, reverse=True)
    # A counter written in Latin letters ("con") is a whole word: not the start of "contained".
    counter_re = re.compile(r"[ \t]?(?P<word>" + "|".join(re.escape(w) for w in words) + r")(?:(?<![A-Za-z])|(?![A-Za-z]))",
                            re.IGNORECASE) if words else None
    return _PackUnits(scales, measures + bounded, counter_re, counters, digit_table(digits), qualifiers)


def _alternation(words: Iterable[str]) -> str:
    """Words as one alternation, the longest first so that none stops at a shorter one's end."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or NEVER


def _scale_values() -> dict[str, float]:
    """Scale words read after digits or in a number written in words ("million", "mn", "m", "triệu")."""
    return {**every_numbers("number_scales"), **every_numbers("letter_scales")}


@lru_cache(maxsize=1)
def _number_re() -> re.Pattern[str]:
    scale_after = rf"(?:{every_pattern('scale_after')})(?![A-Za-z])"
    tail = "(?!)"
    if _pack_units().scales:
        scale_after = rf"(?:{scale_after}|[ \t]?(?:{_alternation(_pack_units().scales)}))"
        # "9 ລ້ານ 4 ແສນ", "2 ล้าน 5 แสน": a smaller scale's digits after a scale's, added on
        tail = rf"[ \t]?\d+[ \t]?(?:{_alternation(_pack_units().scales)})"
    word = _alternation([*every_numbers("small_numbers"), *every_numbers("tens"),
                         *every_numbers("number_multipliers"), *every_words("word_number_scales"),
                         *every_words("half_words"), *every_words("number_articles")])
    joiner = _alternation(every_words("number_joiners"))
    # Myriads: each group of digits times the unit after it ("1億2000万"); a fraction before a unit ("約半トン").
    myriad = (rf"(?:{_MYRIAD_PART}(?:{every_pattern('more_infix')})?(?:{every_pattern('myriad_unit')}))+"
              rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+)?|{every_pattern('half_before_unit')}")
    return re.compile(
        rf"(?<![A-Za-z0-9_.,:/])(?<![A-Za-z]-)(?:(?P<myriad>{myriad})|"
        rf"(?P<digits>{_DIGITS})(?![:/]\d)(?:(?P<scale>{scale_after})(?P<tail>(?:{tail})+)?)?)"
        rf"|(?<![^\W\d_])(?<!-)(?P<words>(?:{word})(?:(?:[ \t]+|-)(?:(?:{joiner})[ \t]+)?(?:{word}))*)(?![^\W\d_])",
        re.IGNORECASE)


def ascii_digits(text: str) -> str:
    """``text`` with the region's native digits (Thai, Lao, Khmer, full-width) as ASCII ones."""
    return text.translate(_pack_units().digits)


_DOT_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})*\.\d{3}")  # "300.000", "11,920.000" tablets: counts are whole
_DOT_THOUSANDS_ZEROS = re.compile(r"[1-9]\d{0,2}\.\d\d0")  # "1.200 kg", "28.880 kg" (not "93.973 kg")
_MODIFIER = re.compile(r"[ \t]+(?P<word>[A-Za-z][A-Za-z0-9'’\-]*)")
_YEAR = re.compile(r"(?:19|20)\d\d")


@dataclass(frozen=True)
class _Words:
    """The quantity reader's patterns, built once from every pack's words (``parse_cues`` and co.)."""

    more_infix: re.Pattern[str]
    """A hedge between a number and its unit or myriad ("2000多箱", "20余吨", "240多万")."""
    plus: re.Pattern[str]
    changed: re.Pattern[str]
    range_low: re.Pattern[str]
    qualifier_before: re.Pattern[str]
    qualifier_after: re.Pattern[str]
    currency_after: re.Pattern[str]
    myriad_group: re.Pattern[str]
    numeral: re.Pattern[str]
    has_scale: re.Pattern[str]
    """A number written with a scale word or a myriad: a bare count ("two million", "5万")."""
    kg_pack_compound: re.Pattern[str]
    kg_pack_modifier: re.Pattern[str]
    unit_before: re.Pattern[str]
    """A unit told before its number ("pills totalling 1.2 million", "kg 20")."""


@lru_cache(maxsize=1)
def _words() -> _Words:
    infix, myriads = every_pattern("more_infix"), every_numbers("myriads")
    qualifiers = "|".join(f"(?P<q{i}>(?<![A-Za-z])(?:{every_pattern(q.replace(' ', '_') + '_before')}))"
                          for i, q in enumerate(_QUALIFIERS))
    return _Words(
        more_infix=re.compile(infix),
        plus=re.compile(rf"(?:{every_pattern('plus_after')})|\+", re.IGNORECASE),
        changed=re.compile(rf"(?:{every_pattern('changed_before')})\s*$", re.IGNORECASE),
        range_low=re.compile(rf"\b(?:{every_pattern('quantity_range_from')})\s+(?P<low>\d[\d,.]*|[a-z]+)\s*"
                             rf"(?:{every_pattern('quantity_range_to')}|-|–)\s*$", re.IGNORECASE),
        qualifier_before=re.compile(rf"(?:{qualifiers})[ \t]*$", re.IGNORECASE),
        qualifier_after=re.compile(rf"[ \t]*(?:(?P<after>{every_pattern('more_than_after')})"
                                   rf"|(?P<near>{every_pattern('nearly_after')}))", re.IGNORECASE),
        currency_after=re.compile(rf"[ \t]?(?P<word>{every_pattern('currency_after')})(?![A-Za-z\u30a1-\u30faー])",
                                  re.IGNORECASE),
        myriad_group=re.compile(rf"([\d.,]+)(?:{infix})?((?:{_alternation(myriads)})?)"),
        numeral=re.compile(rf"(?:{_alternation([*every_numbers('numerals'), *every_numbers('numeral_units')])})+"),
        has_scale=re.compile(_alternation([*every_words("word_number_scales"), *myriads]), re.IGNORECASE),
        kg_pack_compound=re.compile(every_pattern("kg_pack_compound")),
        kg_pack_modifier=re.compile(every_pattern("kg_pack_modifier")),
        unit_before=re.compile(rf"(?<![\d.,][ \t])(?<![\d.,])\b(?P<word>[^\W\d_]+)(?P<join>{every_pattern('unit_before_number')})$",
                               re.IGNORECASE),
    )


def parse_number(words: str) -> float | None:
    """The value of a written number ("1,034,413", "15,5 million", "half a", "Ten"), else None."""
    match = _number_re().fullmatch(ascii_digits(words.strip()))
    if match is None:
        return _numeral_value(words.strip())
    return _number_value(match)


def _numeral_value(words: str) -> float | None:
    """A number written in numeral characters ("两", "十二", "三百零五"), as a count of people is; else None."""
    if not _words().numeral.fullmatch(words):
        return None
    digits, units = every_numbers("numerals"), every_numbers("numeral_units")
    total: float = 0
    digit: float | None = None
    for char in words:
        if char in digits:
            digit = digits[char]
        else:
            total += (1 if digit is None else digit) * units[char]
            digit = None
    return float(total + (digit or 0))


def count_unit_form(unit: str) -> str | None:
    """The commodity form a count unit implies ("pills" -> "tablets", "logs" -> "logs")."""
    canonical = every_units("count_nouns").get(unit.lower(), unit.lower())
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
    return list(_quantities(text, decimal_comma))


@lru_cache(maxsize=2048)
def _quantities(text: str, decimal_comma: bool) -> tuple[Quantity, ...]:
    """``find_quantities``, read once per text: the stages of one document ask again and again of the
    same sentences (items, bare seizures, statistics, routes)."""
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
    return tuple(replace(q, raw=written[q.start:q.end]) for q in found) if written != text else tuple(found)


def _lower_bound(text: str, quantity: Quantity, match: re.Match[str]) -> Quantity:
    """"between 40 and 50 kilogrammes", "from 3 to 5 tonnes": a range is read as its lower bound, in the
    unit stated once after it."""
    low = _words().range_low.search(text, max(0, quantity.start - 40), quantity.start)
    value = parse_number(low.group("low")) if low else None
    if low is None or value is None or _words().changed.search(text, max(0, low.start() - 25), low.start()):
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
    if not scale:
        return value
    size = _scale_values().get(scale) or _pack_units().scales[scale]
    return value * size + _tail_value(match.group("tail") or "", size)


def _tail_value(tail: str, size: float) -> float:
    """The smaller scales written after a number's scale ("4 ແສນ" of "9 ລ້ານ 4 ແສນ"), summed; a part
    whose scale is not smaller than the one before it adds nothing."""
    total = 0.0
    for digits, word in re.findall(r"(\d+)[ \t]?(\S+)", tail):
        part = _pack_units().scales.get(word.lower(), 0.0)
        if part < size:
            total, size = total + float(digits) * part, part
    return total


def _digits_value(digits: str) -> float:
    """Thousands separators have three digits after them; one or two after a comma is a decimal."""
    if re.fullmatch(r"\d+,\d{1,2}", digits):
        return float(digits.replace(",", "."))
    if digits.count(".") > 1:
        return float(digits.replace(".", ""))
    return float(digits.replace(",", ""))


def _myriad_value(number: str) -> float:
    """"1億2000万" -> 120,000,000: each group of digits times the unit after it, plus the remainder."""
    if number in every_numbers("fractions"):
        return every_numbers("fractions")[number]
    total = 0.0
    for digits, unit in _words().myriad_group.findall(number):
        total += float(digits.replace(",", "")) * every_numbers("myriads").get(unit, 1.0)
    return total


def _words_value(words: str) -> float | None:
    halves, small, tens = every_words("half_words"), every_numbers("small_numbers"), every_numbers("tens")
    multipliers = every_numbers("number_multipliers")
    tokens = [t for t in re.split(r"[\s-]+", words.lower()) if t and t not in every_words("number_joiners")]
    if len(tokens) == 1 and tokens[0] in halves:
        return None
    total, current, factor = 0.0, 0.0, 1.0
    for position, token in enumerate(tokens):
        if token in small:
            current += small[token]
        elif token in tens:
            current += tens[token]
        elif token in every_words("number_articles"):
            current += 0 if current else 1
        elif token in halves:
            if position == 0:
                factor = 0.5
            else:
                current += 0.5
        elif token in multipliers:
            current = (current or 1) * multipliers[token]
        else:
            total += (current or 1) * _scale_values()[token]
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
    plus = _words().plus.match(text, end)
    if plus:
        end, qualifier = plus.end(), "more than"
    if currency:
        code = currency.group("code") or currency.group("sym")
        unit = _CURRENCY_SYMBOLS.get(code.upper(), code.upper())
        return _build(text, currency.start(), end, value, "money", unit, qualifier, floor)
    if _words().more_infix.search(match.group(0)):
        qualifier = "more than"  # "240多万粒": more than 2.4 million
    # "2000多箱", "20余吨", "2.4万余粒", "3 ລ້ານກວ່າເມັດ": a hedge between the number (or its scale) and the unit
    infix = _words().more_infix.match(text, end)
    read = _read_unit(text, infix.end(), value, scale, match) if infix else None
    if read is not None:
        qualifier = qualifier or "more than"
    else:
        read = _read_unit(text, end, value, scale, match)
    if (read is None or read[2] == "number") and not currency:
        read = _unit_before(text, start, floor, value, end) or read
    if read is None:
        return None
    value, kind, unit, end = read
    if kind == "count" and not scale and _DOT_THOUSANDS.fullmatch(match.group("digits") or ""):
        value *= 1000  # "300.000 tablets": a dot groups thousands, counts are whole
    elif kind in ("mass", "volume") and not scale and _DOT_THOUSANDS_ZEROS.fullmatch(match.group("digits") or ""):
        value *= 1000  # "1.200 kg": a decimal is not written with a trailing zero, so the dot groups thousands
    after = _words().qualifier_after.match(text, end) if qualifier is None else None
    if after:
        end, qualifier = after.end(), "nearly" if after.group("near") else "more than"
    return _build(text, start, end, value, kind, unit, qualifier, floor)


def _read_unit(text: str, pos: int, value: float, scale: str,
               match: re.Match[str]) -> tuple[float, QuantityKind, str, int] | None:
    """The unit after a number, or None when the number measures nothing we read."""
    number = match.group(0)
    bare_article = number.strip().lower() in every_words("number_articles")
    if scale in every_numbers("letter_scales"):
        counted = _read_count(text, pos, number)
        money = _words().currency_after.match(text, pos)
        if money:
            return value, "money", _money_unit(money.group("word")), money.end()
        if counted:
            return value, "count", counted[0], counted[1]
        if not any(pattern.fullmatch(scale) for pattern, _, _, _ in _pack_units().measures):
            return None
        # "50m" with no goods or currency after it is a distance, not fifty million: a letter a measure reads.
        value, scale, pos = value / every_numbers("letter_scales")[scale], "", match.start("scale")
    if not scale or scale in _pack_units().scales:
        for pattern, kind, unit, factor in _pack_units().measures:
            measure = pattern.match(text, pos)
            if measure:
                if kind == "length" and bare_article:
                    return None
                return value * factor, kind, unit, measure.end()
    money = _words().currency_after.match(text, pos)
    if money:
        return value, "money", _money_unit(money.group("word")), money.end()
    if bare_article:
        return (value, "count", "number", pos) if scale else None
    counted = _read_count(text, pos, number)
    if counted:
        return value, "count", counted[0], counted[1]
    if scale or _words().has_scale.search(number):
        return value, "count", "number", pos
    return None


def _unit_before(text: str, start: int, floor: int, value: float,
                 end: int) -> tuple[float, QuantityKind, str, int] | None:
    """"pills totalling 1.2 million", "a total of kg 20": a number with no unit after it takes the goods'
    count noun or the weight unit told just before it (a weight unit with only a space between), when
    no number of its own stands before that unit."""
    before = _words().unit_before.search(text, max(floor, start - 60), start)
    if before is None:
        return None
    word, spaced = before.group("word"), not before.group("join").strip()
    noun = every_units("count_nouns").get(word.lower())
    if noun in GOODS_UNITS and not spaced:
        return value, "count", noun, end
    for pattern, kind, unit, factor in _pack_units().measures:
        if kind == "mass" and pattern.fullmatch(word):
            return value * factor, kind, unit, end
    return None


def _money_unit(word: str) -> str:
    return every_units("currency_words").get(" ".join(word.lower().split()), word.upper())


def _read_count(text: str, pos: int, number: str) -> tuple[str, int] | None:
    """A count noun after up to three modifiers ("1 million methamphetamine pills")."""
    pack_counter = _pack_units().counter_re
    spoken = pack_counter.match(text, pos) if pack_counter else None
    if spoken:
        return _pack_units().counters[spoken.group("word").lower()], spoken.end()
    char = text[pos:pos + 1]
    if char in every_units("glued_counters"):
        unit = every_units("glued_counters")[char]
        if char in every_words("long_counters"):  # 本 counts long things: the goods named before say which
            before = text[max(0, pos - len(number) - 4):pos - len(number)]
            unit = next((u for hint, u in every_units("long_counter_hints").items() if hint in before), unit)
        return unit, pos + 1
    year_like = _YEAR.fullmatch(number) is not None
    kg_pack = False
    for modifiers in range(4):
        word_match = _MODIFIER.match(text, pos)
        if word_match is None:
            return None
        word = word_match.group("word").lower()
        noun = every_units("count_nouns").get(word)
        if noun is None and "-" in word:
            noun = every_units("count_nouns").get(word.rsplit("-", 1)[1])
            kg_pack = kg_pack or _words().kg_pack_compound.match(word) is not None
        if noun is not None:
            if year_like and modifiers:
                return None
            if kg_pack and noun == "packages":
                noun = "kg-packages"
            return noun, word_match.end()
        if word in every_words("count_stop_words") or modifiers == 3:
            return None
        kg_pack = kg_pack or _words().kg_pack_modifier.fullmatch(word) is not None
        pos = word_match.end()
    return None


def _build(text: str, start: int, end: int, value: float, kind: QuantityKind, unit: str,
           qualifier: Qualifier | None, floor: int) -> Quantity:
    before = _words().qualifier_before.search(text, max(floor, start - 30), start)
    if before and qualifier is None:
        index = next(int(name[1:]) for name, group in before.groupdict().items() if group)
        qualifier = _QUALIFIERS[index]
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
