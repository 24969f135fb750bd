"""Rules for sentences that have no parse: they read the language pack's cue patterns instead
of a dependency tree. One implementation for every language without a parser; what differs
between Japanese, Thai or Vietnamese is the pack's data (which words mark a seizure, an arrest,
a source or a destination, and whether such a marker stands before the place, as Thai "จาก",
or after it, as Japanese "から"). A pack may replace one of these rules with its own through
``Language.rules`` where its grammar needs more than a pattern (Japanese statistics periods).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from borderwatch.dates import month_end, months_before, parse_dates
from borderwatch.extract.context import Found, Layout, Sentence, country_mentions, places_in, province_of
from borderwatch.extract.units import Quantity, find_quantities, parse_number
from borderwatch.geo.gazetteer import Gazetteer, PlaceMention
from borderwatch.lang import Language

if TYPE_CHECKING:
    from borderwatch.extract.lexicon import SubstanceMention

_BRACKETED = re.compile(r"（[^（）]*）|\([^()]*\)")
_NEAR_BEFORE = 40
_NEAR_AFTER = 25


def _rule(lang: Language, name: str) -> Any:
    return lang.rules.get(name)


def substance_for(lang: Language, text: str, q: Quantity, substances: list[SubstanceMention],
                  goods: list[Quantity]) -> SubstanceMention | None:
    """The goods an amount measures: the nearest name on either side within the clause, not past
    another amount ("ยาบ้า 4.4 ล้านเม็ด", "30 bánh heroin", "冰毒5公斤", "5公斤冰毒")."""
    own = _rule(lang, "substance_for")
    if own:
        return own(text, q, substances, goods)  # type: ignore[no-any-return]
    earlier = [g.end for g in goods if g.end <= q.start]
    later = [g.start for g in goods if g.start >= q.end]
    clause = lang.cue("clause")
    # an aside in brackets between the name and its amount ("冰毒片剂（俗称“麻古”）4.8万粒") does not end the clause
    bare = _without_asides(text, -1)
    before = [s for s in substances if s.end <= q.start and q.start - s.end <= _NEAR_BEFORE
              and (not earlier or s.start >= earlier[-1]) and not clause.search(bare, s.end, q.start)]
    # A name may begin inside the amount's unit words ("1.000 viên thuốc lắc": the counter "viên thuốc"
    # and the name "thuốc lắc" share a word): it is still named after the amount.
    after = [s for s in substances if s.start > q.start and s.end > q.end and s.start - q.end <= _NEAR_AFTER
             and (not later or s.end <= later[0]) and not clause.search(text, q.end, max(q.end, s.start))]
    named_before = [s for s in before if s.substance is not None]
    named_after = [s for s in after if s.substance is not None]
    if lang.rules.get("goods_before_amount") and before:  # "ยาบ้า 4.4 ล้านเม็ด": the name before wins
        return (named_before or before)[-1]
    if named_after and (not named_before or named_after[0].start - q.end < q.start - named_before[-1].end):
        return named_after[0]
    # "2 bánh heroin và 500 viên ma túy tổng hợp": goods of no named kind right after the amount are its own,
    # not the named goods of the amount before; so too in a list whose names follow their amounts
    # ("6.3公斤鸦片、126.8公斤不明粉末、1公斤大麻"), where the name before is the amount before's
    names_follow = bool(goods) and any(0 <= s.start - goods[-1].end <= 2 for s in substances)
    if after and named_before and after[0].start - q.end <= 2 and (q.start - named_before[-1].end > 2 or (
            names_follow and earlier and 0 <= named_before[-1].start - earlier[-1] <= 2)):
        return after[0]
    if named_before:
        return named_before[-1]
    near = (before[-1] if before else None) or (after[0] if after else None)
    # "gỗ trắc được chất kín ..., tổng cộng gần 1,3 tấn": the one amount of a sentence that names
    # one kind of goods (further off than the clause) measures those goods.
    named = {(s.commodity, s.substance) for s in substances if s.substance is not None}
    if len(goods) == 1 and len(named) == 1 and (near is None or (near.commodity, None) in {
            (c, None) for c, _ in named}):
        return next(s for s in substances if s.substance is not None)
    return near


def joins_item(lang: Language, between: str, named_between: bool) -> bool:
    """Do two amounts with ``between`` them measure one item ("24 sacks, about 4.4 million tablets"),
    not two ("54,000 tablets and 4,978 grams of crystal")?"""
    own = _rule(lang, "joins_item")
    if own:
        return own(between, named_between)  # type: ignore[no-any-return]
    # "30 gói ni lông chứa tinh thể màu trắng, tổng trọng lượng khoảng 30 kg": a weight word (the pack's
    # connect_same) before the second amount makes it the first one's weight, further off than 25 characters.
    near = len(between) <= 25 or (len(between) <= 90 and bool(lang.pattern("connect_same").search(between)))
    return not named_between and near and not lang.cue("joins_not").search(between)


def seizure_status(lang: Language, text: str) -> str:
    """"fact", "court-case", "hypothetical" or "no-seizure" for a sentence that names goods."""
    seized = lang.cue("seized").search(text) or is_described(lang, text)
    if lang.cue("court").search(text) and not seized:
        return "court-case"
    if lang.cue("hypothetical").search(text):
        return "hypothetical"
    return "fact" if seized else "no-seizure"


def is_described(lang: Language, text: str) -> bool:
    """Does the sentence tell goods already seized in more detail ("ឈើទាំងនោះមាន ...", those timbers
    were ...; "xác định đây là ma túy", found to be drugs)?"""
    return bool(lang.cue("described").search(text))


def is_place_count(lang: Language, text: str, q: Quantity) -> bool:
    """Is a count where the goods were found ("298個蜂箱中的63個裡", in 63 of 298 beehives), not goods?"""
    return q.kind == "count" and bool(lang.cue("place_after").match(text, q.end))


def is_day_total(lang: Language, text: str, q: Quantity) -> bool:
    """Is a quantity the sum of a day's hauls, told before the hauls themselves ("seized in a single day
    nearly 10 million pills ... 6 million in the first case")?"""
    return bool(lang.cue("day_total").search(text, max(0, q.start - 40), q.start))


def is_seizure_told(lang: Language, text: str) -> bool:
    """Does the text use one of the language's seizure words?"""
    return bool(lang.cue("seized").search(text))


def is_destruction(lang: Language, text: str) -> bool:
    """Goods seized earlier being burned or destroyed, not a new seizure."""
    return bool(lang.cue("destroyed").search(text))


def arrests_in(lang: Language, text: str) -> list[tuple[int, int, int]]:
    """(people, start, end) for each arrest the sentence states: the people counted in the clause
    of the arrest word, before or after it ("男2人を拘束", "bắt giữ 2 đối tượng", "จับกุมผู้ต้องหา 2 คน");
    bracketed subsets left out; "nobody was caught" is 0."""
    own = _rule(lang, "arrests_in")
    if own:
        return own(text)  # type: ignore[no-any-return]
    clause_re, people, person = lang.cue("clause"), lang.cue("people"), lang.cue("person")
    out: list[tuple[int, int, int]] = []
    nobody = [(m.start(), m.end()) for m in lang.cue("nobody").finditer(text)]
    for m in lang.cue("arrest").finditer(text):
        if any(start <= m.start() < end for start, end in nobody):
            continue  # "មិនអាចចាប់ខ្លួន ... បាន", could not arrest: the arrest word says nobody was caught
        # An aside in brackets ("... tới thị trấn Noọng Hét (Xiêng Khoảng, Lào) thì bị bắt") does not end the
        # clause the arrest word is in, unless the arrest word is inside it.
        masked = _without_asides(text, m.start())
        clause_start = max((c.end() for c in clause_re.finditer(masked, 0, m.start())), default=0)
        following = clause_re.search(masked, m.end())
        clause_end = following.start() if following else len(text)
        phrase = _BRACKETED.sub(lambda b: " " * len(b.group(0)), masked[clause_start:clause_end])
        counted = [(count_value(lang, p.group("n")), p) for p in people.finditer(phrase)]
        numbers = [(int(v), p.start(), p.end()) for v, p in counted if v is not None and v < 10_000]
        if numbers:
            after_verb = [n for n in numbers if clause_start + n[1] >= m.start()]
            chosen = after_verb if after_verb and lang.rules.get("count_after_verb", True) else numbers
            out.append((sum(v for v, _, _ in chosen), clause_start + min(s for _, s, _ in chosen),
                        max(m.end(), clause_start + max(e for _, _, e in chosen))))
            continue
        persons = list(person.finditer(phrase))
        # "คนขับหลบหนี ... ก็สามารถตามจับตัวคนขับได้": the driver who fled is the one then caught
        after_verb_persons = [p for p in persons if clause_start + p.start() >= m.end()]
        if after_verb_persons and lang.rules.get("count_after_verb", True):
            persons = after_verb_persons
        if persons:
            out.append((len(persons), clause_start + persons[0].start(), max(m.end(), clause_start + persons[-1].end())))
    out.extend((0, start, end) for start, end in nobody)
    return out


def _without_asides(text: str, keep: int) -> str:
    """``text`` with its bracketed asides blanked, but for the one holding offset ``keep``."""
    return _BRACKETED.sub(lambda b: b.group(0) if b.start() <= keep < b.end() else " " * len(b.group(0)), text)


def count_value(lang: Language, words: str) -> float | None:
    """A counted number of people: digits, or a number word the pack lists as ``months["num:WORD"]``
    ("hai" -> 2)."""
    digits = lang.to_ascii_digits(words.strip())
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", digits):
        return float(digits.replace(".", ""))  # "1.200 đối tượng": people are whole, the dot groups thousands
    value = parse_number(digits)
    return value if value is not None else lang.months.get("num:" + words.strip().lower())


def role_of(lang: Language, text: str, start: int, end: int) -> str:
    """What the words around a place at ``start:end`` make of it: "via", "from", "to" or "at"."""
    for role in ("via", "from", "to"):
        if lang.cue(f"{role}_after").match(text, end) or _ends_before(lang.cue(f"{role}_before"), text, start):
            return role
    return "at"


def _ends_before(pattern: re.Pattern[str], text: str, start: int) -> bool:
    """Does ``pattern`` match a stretch of the 30 characters that ends right at ``start``?"""
    window = text[max(0, start - 30):start]
    return any(m.end() == len(window) for m in pattern.finditer(window))


def is_elsewhere(lang: Language, text: str, start: int, end: int) -> bool:
    """Is the place at ``start:end`` where goods came from or went, or a nationality, not where seized?"""
    return bool(lang.cue("not_here_after").match(text, end)) or _ends_before(
        lang.cue("not_here_before"), text, start)


def locative_country(lang: Language, text: str) -> str | None:
    """The first country a sentence names that is not a source, destination or nationality."""
    for c in country_mentions(text):
        if not is_elsewhere(lang, text, c.start, c.end):
            return c.code
    return None


def previous_province(lang: Language, layout: Layout, gazetteer: Gazetteer,
                      sentence: Sentence) -> PlaceMention | None:
    """What "the same province" ("同県", "tỉnh này") points back to: the last province named before it."""
    mark = lang.cue("same_province").search(sentence.text)
    if mark is None:
        return None
    text = layout.doc.text
    before = [m for s in layout.sentences if s.start <= sentence.start for m in places_in(layout.language, gazetteer, s)
              if m.start < sentence.start + mark.start() and m.place.kind != "country" and province_of(m.place)
              and not is_elsewhere(lang, text, m.start, m.end)]
    suffix = mark.group(0)[1:]
    same = [m for m in before if suffix and text.startswith(suffix, m.end)] or before
    if not same:
        return None
    place = gazetteer.province(same[-1].place.country, province_of(same[-1].place) or "")
    start = sentence.start + mark.start()
    return PlaceMention(start, start + len(mark.group(0)), mark.group(0), place) if place else None


def origin_in(lang: Language, layout: Layout, gazetteer: Gazetteer, sentence: Sentence, country: str | None,
              tells_haul: bool) -> Found[str] | None:
    """The country goods came from ("จากประเทศลาว", "từ Lào", "ラオス側から", "从老挝")."""
    return _place_in(lang, layout, gazetteer, sentence, "from", country, tells_haul)


def destination_in(lang: Language, layout: Layout, gazetteer: Gazetteer, sentence: Sentence,
                   tells_haul: bool) -> Found[str] | None:
    """The country goods were heading for ("sang Trung Quốc", "運往泰国", "タイ側へ")."""
    return _place_in(lang, layout, gazetteer, sentence, "to", None, tells_haul)


def _place_in(lang: Language, layout: Layout, gazetteer: Gazetteer, sentence: Sentence, role: str,
              other_than: str | None, tells_haul: bool) -> Found[str] | None:
    """The first country (or province, standing for its country) the sentence gives ``role``."""
    text = sentence.text
    if lang.cue("general").search(text) and not tells_haul:
        return None
    mentions = [(c.start, c.end, c.code) for c in country_mentions(text)]
    mentions += [(m.start - sentence.start, m.end - sentence.start, m.place.country)
                 for m in places_in(layout.language, gazetteer, sentence) if m.place.kind != "country"]
    for start, end, code in sorted(mentions):
        if code != other_than and role_of(lang, text, start, end) == role:
            field = "origin_country" if role == "from" else "destination_country"
            return Found(code, text[start:end], (layout.span(sentence.start + start, sentence.start + end, field),))
    return None


def is_told_date(lang: Language, sentence: Sentence, start: int) -> bool:
    """Is a date opening its sentence the day something was told, "Ngày 6.1, the station said
    (that) ...": the pack's ``told`` verb follows it, before any seizure verb."""
    offset = start - sentence.start
    # a dateline and its byline may open the sentence ("中新网西双版纳12月4日电(常宗波)记者4日从 ... 了解到",
    # "ลำปาง/แพร่ - วันนี้ (5 ก.พ.) ...")
    head = re.compile(rf"(?:{lang.pattern('wire_place').pattern})\s*(?:[(（][^)）]{{0,30}}[)）])?|\S{{1,30}}\s[-–]\s"
                      ).match(sentence.text)
    lead = head.end() if head and head.end() <= offset else 0
    comma = re.compile(r"[,，](?!\d)").search(sentence.text, offset)  # not a thousands separator
    # a script without spaces seldom writes the comma: what follows the date is the rest of the sentence
    if offset - lead > 20 or (comma is None and not lang.spaceless):
        return False
    # without spaces the verb of telling may come before the comma ("记者4日从警方了解到,")
    rest = sentence.text[offset if lang.spaceless or comma is None else comma.start():]
    told, seized = lang.cue("told").search(rest), lang.cue("seized").search(rest)
    return bool(told and (seized is None or told.start() < seized.start()))


def local_people(layout: Layout, sentences: list[Sentence], country: str | None) -> Found[tuple[str, ...]] | None:
    """A suspect called a local ("បុរសក្នុងស្រុក", a local man) by the pack's ``local`` cue: a national
    of the country the goods were seized in."""
    for sentence in sentences:
        m = layout.language.cue("local").search(sentence.text)
        if m and country:
            return Found((country,), m.group(0), (layout.span(sentence.start + m.start(), sentence.start + m.end(),
                                                              "nationalities"),))
    return None


def in_agency_name(lang: Language, sentence: Sentence, start: int, end: int) -> bool:
    """Is a place named as part of who seized ("Bộ đội Biên phòng Quảng Trị ... bắt ... tại Đà Nẵng"),
    so that it says whose force it was rather than where the goods were?"""
    return any(m.start() <= start - sentence.start and end - sentence.start <= m.end()
               for m in lang.cue("agency").finditer(sentence.text))


def statistic_marker(lang: Language, layout: Layout, sentence: Sentence) -> str | None:
    """"period" for cumulative wording ("since the start of the year", "6 เดือนที่ผ่านมา"),
    "same-period" for a sentence that goes on with the statistic before it in its paragraph (or, opening
    on the pack's ``figure_back`` words, "these figures", the one right before it)."""
    period, scope, years = lang.cue("period"), lang.cue("scope"), lang.cue("years")
    if period.search(sentence.text) or (scope.search(sentence.text) and years.search(sentence.text)):
        return "period"
    back = lang.cue("figure_back").match(sentence.text)
    if back or lang.cue("continues").match(sentence.text):
        # "These figures ..." points back at the statistic just told, across a paragraph break.
        previous = [s for s in layout.sentences if (back or s.paragraph == sentence.paragraph)
                    and s.start < sentence.start]
        if previous and period.search(previous[-1].text):
            return "same-period"
    # "ด้านการสกัดกั้น... จับกุมได้ 995 คดี ... ยึดยาบ้า 797,000,000 เม็ด" right after a statistic: many cases and
    # their goods, with no period of their own, go on with the period just told (as English "with 1,680 cases")
    before = [s for s in layout.sentences if s.start < sentence.start][-1:]
    if before and period.search(before[0].text) and _many_cases(sentence.text) and any(
            q.kind in ("mass", "volume") or (q.kind == "count" and q.unit not in ("cases", "people"))
            for q in find_quantities(sentence.text, lang.decimal_comma)):
        return "same-period"
    return None


def _many_cases(text: str) -> bool:
    """Does a sentence count cases in the tens or more, more than one raid ever makes?"""
    return any(q.kind == "count" and q.unit == "cases" and q.value >= 10 for q in find_quantities(text))


def is_statistic(lang: Language, layout: Layout, sentences: list[Sentence]) -> bool:
    """Is a total stated as a statistic (period wording, or someone who compiled it, in its sentences
    or the one before them), not a total attributed to nobody?"""
    first = sentences[0]
    before = [s for s in layout.sentences if s.paragraph == first.paragraph and s.start < first.start][-1:]
    return any(lang.cue("period").search(s.text) or lang.cue("source").search(s.text)
               or (lang.cue("scope").search(s.text) and lang.cue("years").search(s.text))
               for s in [*before, *sentences])


def is_abroad(lang: Language, text: str) -> bool:
    """Were a statistic's hauls made outside the reporting country ("在境外抓获 ... 372人"), in
    neighbours it does not name, so that it has no country?"""
    return bool(lang.cue("abroad").search(text))


def is_provincial(lang: Language, text: str) -> bool:
    """Is a statistic for the province the report is about, not national?"""
    return bool(lang.cue("province_wide").search(text)) and not lang.cue("scope").search(text)


def statistic_period(lang: Language, text: str,
                     reference: date | None) -> tuple[date | None, date | None, re.Match[str]] | None:
    """(start, end, words) of a statistic's period, read off the named groups of the pack's period
    pattern: ``m1``/``m2`` a month range, ``h1``/``h2`` a half year, ``quarter`` a quarter, ``quarters``
    the year's first N quarters, ``first_n`` the year's first N months, ``fiscal_year`` a fiscal year
    (from the pack's ``fiscal_year`` start month), ``months_back`` N months up to publication,
    ``month_so_far`` since the start of month ``m0`` (else this month), ``so_far`` since 1 January (both
    to a day the pack's ``range_to`` joins, else to publication), ``campaign`` since an operation began on
    a day not stated (to publication), ``year`` (with ``era``) a year; None when it states none."""
    own = _rule(lang, "statistic_period")
    if own:
        return own(text, reference)  # type: ignore[no-any-return]
    return read_statistic_period(lang, text, reference)


def read_statistic_period(lang: Language, text: str,
                          reference: date | None) -> tuple[date | None, date | None, re.Match[str]] | None:
    """``statistic_period`` from the pack's period pattern alone (what a pack's own rule falls back on)."""
    for m in lang.cue("period").finditer(lang.to_ascii_digits(text)):
        # a group may match empty: a lookahead that marks a whole year ("2021年云南共缴获") is still one
        groups = {k: v for k, v in m.groupdict().items() if v is not None}
        year = _year_in(lang, groups, reference)
        if "m1" in groups and "m2" in groups:
            first, last = _month(lang, groups["m1"]), _month(lang, groups["m2"])
            # ``y1``: the first month's own year, for a range across a year's end ("Oct 2019 - Jun 2020")
            start_year = _year_in(lang, {**groups, "year": groups["y1"]}, reference) if "y1" in groups else year
            if first and last and year and start_year and (first <= last or start_year < year):
                return date(start_year, first, 1), month_end(year, last), m
        if ("h1" in groups or "h2" in groups) and year:
            return (date(year, 1, 1), date(year, 6, 30), m) if "h1" in groups else (
                date(year, 7, 1), date(year, 12, 31), m)
        if ("quarter" in groups or "quarters" in groups) and year:
            quarter = _small_number(lang, groups.get("quarter") or groups["quarters"])
            if quarter and 1 <= quarter <= 4:  # "quý II/2025" that quarter; "前三季度" the first three
                first = 1 if "quarters" in groups else 3 * quarter - 2
                return date(year, first, 1), month_end(year, 3 * quarter), m
        if "first_n" in groups and year:
            months = _small_number(lang, groups["first_n"]) or 0  # "6 เดือนแรก", "ប្រាំបួនខែដើមឆ្នាំ"
            if reference and "year" not in groups and months > reference.month:
                year -= 1  # "the first nine months" told in March are last year's
            if 1 <= months <= 12:
                return date(year, 1, 1), month_end(year, months), m
        if "fiscal_year" in groups and year:
            first = int(lang.numbers("fiscal_year").get("start_month", 1))
            start = date(year - (first > 1), first, 1)
            return start, date(start.year + 1, first, 1) - timedelta(days=1), m
        if "months_back" in groups and reference:
            back = _small_number(lang, groups["months_back"]) or 0
            if 0 < back <= 24:  # "the past six months": that span back from publication, as in English
                return months_before(reference, back), reference, m
        if "month_so_far" in groups and reference:
            month = _month(lang, groups["m0"]) if "m0" in groups else reference.month
            if month:
                start = date(reference.year - (month > reference.month), month, 1)
                return start, _until(lang, text, m.end(), reference, start) or reference, m
        if "so_far" in groups and reference:
            start = date(year or reference.year, 1, 1)
            return start, _until(lang, text, m.end(), reference, start) or reference, m
        if "campaign" in groups and reference:
            return None, reference, m
        if "whole_year" in groups and year:
            return date(year, 1, 1), date(year, 12, 31), m
    return None


def _until(lang: Language, text: str, at: int, reference: date, start: date) -> date | None:
    """The day a running total runs to when the words right after its opening name one ("từ đầu năm
    đến ngày 15/11", since the start of the year to 15 November), no later than the publication."""
    joint = lang.pattern("range_to").match(text, at)
    if joint is None:
        return None
    found = next((d for d in parse_dates(text[joint.end():joint.end() + 40], reference, lang) if d.start == 0), None)
    if found is None or found.precision != "day":
        return None
    day = found.as_date()
    return day if start <= day <= reference else None


def is_month_precise(words: re.Match[str]) -> bool:
    """Does a period's range name part of a month ("10月中旬到12月初", mid-October to early December), so
    that its bounds are months, not days?"""
    return any(words.groupdict().get(g) for g in ("part1", "part2"))


_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def _small_number(lang: Language, word: str) -> int | None:
    """A quarter's or a count of months' number: digits, a Roman numeral ("quý III"), or the pack's number
    word or numeral."""
    if word.isdigit():
        return int(word)
    value = _ROMAN.get(word) or lang.months.get("num:" + word.lower()) or lang.numbers("numerals").get(word)
    return int(value) if value else None


def _month(lang: Language, word: str) -> int | None:
    if word.isdigit():
        value = int(word)
        return value if 1 <= value <= 12 else None
    return lang.months.get(word.lower()) or lang.months.get(word)


def _year_in(lang: Language, groups: dict[str, str], reference: date | None) -> int | None:
    """The year a period's words name: written (in the pack's era), else the reference's."""
    if "year" in groups:
        year = int(groups["year"])
        era = groups.get("era")
        offset = lang.era_offsets.get(era, 0) if era else 0
        if not era and year > 2400:
            offset = min(lang.era_offsets.values(), default=0)
        return year + offset
    if "last_year" in groups and reference:
        return reference.year - 1
    return reference.year if reference else None
