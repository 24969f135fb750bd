"""Japanese news prose: the rules the extractors apply where a report is Japanese.

Sentences of Japanese reports have no parse (``Sentence.tokens is None``), so the stage
functions (events, items, people, routes, stats) call in here where they branch on it;
quotes and flows call ``ja_claims``. Japanese puts the goods before the amount
("ヤーバー120万錠"), marks the source with から ("ラオス側から") and the destination with へ/に
("タイへ運ばれる"); "同県/同州/同省" point back to the province just named. Numbers (万/億) are read by ``units``, dates (先月28日, 今月上旬) by ``dates``, province
names by the gazetteer (``geo/data/admin1_ja.tsv``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from borderwatch.dates import month_end
from borderwatch.extract.context import Found, Layout, Sentence, country_mentions, places_in, province_of
from borderwatch.extract.units import Quantity, parse_number
from borderwatch.geo.gazetteer import Gazetteer, PlaceMention

if TYPE_CHECKING:
    from borderwatch.extract.lexicon import SubstanceMention

# Names of goods in Japanese, merged into the lexicon: (commodity, canonical substance) -> name -> form.
SUBSTANCE_NAMES: dict[tuple[str, str | None], dict[str, str | None]] = {
    ("drugs", "methamphetamine"): {
        "錠剤型覚醒剤": "tablets", "錠剤型の覚醒剤": "tablets", "覚醒剤錠剤": "tablets", "覚醒剤の錠剤": "tablets",
        "メタンフェタミン錠剤": "tablets", "ヤーバ": "tablets", "アイス": "crystal", "結晶状覚醒剤": "crystal",
        "結晶状の覚醒剤": "crystal", "結晶覚醒剤": "crystal", "クリスタル・メタンフェタミン": "crystal",
        "クリスタルメタンフェタミン": "crystal", "クリスタル・メス": "crystal", "シャブ": None},
    ("drugs", "cannabis"): {"大麻草": "plant", "乾燥大麻": "dried"},
    ("drugs", "precursor"): {"前駆体": None, "覚醒剤の原料": None, "薬物の原料": None, "化学原料": None,
                             "エフェドリン": None, "プソイドエフェドリン": None, "サフロール": None},
    ("drugs", "opium"): {"あへん": None},
    ("drugs", None): {"合成麻薬": None, "違法薬物": None, "麻薬類": None, "錠剤": "tablets"},
    ("timber", "rosewood"): {"シタン": None},
    ("timber", "timber"): {"角材": "sawn", "製材": "sawn", "材木": None, "原木": "logs", "チーク": None,
                           "沈香": None, "白檀": None},
    ("wildlife", "pangolin"): {"センザンコウのうろこ": "scales", "センザンコウの鱗": "scales",
                               "センザンコウのウロコ": "scales"},
    ("wildlife", "rhino horn"): {"サイの角": "horn", "サイ角": "horn"},
    ("wildlife", "ivory"): {"象牙製品": None},
}
# "アイス" is crystal meth only with a drug word close by, as "ice" in English.
ICE = "アイス"
_DRUG_NEAR = re.compile(r"覚醒剤|覚せい剤|薬物|麻薬|ヤーバー|メタンフェタミン|ヘロイン|ケタミン")

SEIZED = re.compile(r"押収|摘発|逮捕|発見|見つか|見つけ|刈り取|焼き払|没収|拘束|検挙|差し押さえ|取り押さえ")
_COURT = re.compile(r"判決|求刑|懲役刑?を|言い渡")
_HYPOTHETICAL = re.compile(r"可能性|場合|れば|予定|計画|禁錮|終身刑|死刑|なら(?:ば|、)")
_DESTROYED = re.compile(r"焼却(?:処分|処理|式|し|され)|廃棄(?:処分|し|され)|処分(?:し|され)")
SAME_PROVINCE = re.compile(r"同(?:県|州|省|市)")
_PROVINCE_WIDE = re.compile(r"同(?:県|州|省)|(?:県|州|省)(?:内|全体|全域)")
_SUFFIX = r"(?:州|県|省|市|郡|区|地区)?"
_FROM = re.compile(rf"{_SUFFIX}(?:側)?(?:から|より)(?!の)")
_ORIGIN_NOUN = re.compile(rf"{_SUFFIX}(?:ナンバー|産|製|発)")
_TOWARDS = re.compile(rf"{_SUFFIX}(?:側)?(?:へ|に向け|向け|への|方面)|{_SUFFIX}(?:側)?に(?:運|密輸|輸送|送|持ち|流入|流れ込|入っ)")
_NOT_HERE = re.compile(rf"{_SUFFIX}(?:側)?(?:から|より|へ|向け|への|産|ナンバー|国籍|人の|人ら|との(?:国境|境)|国境|】)")
# Words of a general pattern, not of one haul: "大半はアフリカ産で、中国向け", "一部は…マレーシアへ".
_GENERAL = re.compile(r"大半|多くは|多くが|一部は|ほとんど|年々|傾向|中継地|ルート|経路|ケースが|ことが多い|増えて|増加|"
                      r"急増|相次い|後を絶たない")

# Arrests: "ラオス国籍の男2人とタイ国籍の女1人を拘束" = 3, "男（34）が逮捕された" = 1.
_ARREST = re.compile(r"(?:を|が|は)?(?:現行犯)?(?:逮捕|拘束|検挙|身柄を(?:拘束|確保))(?!状|者)")
_PEOPLE = re.compile(r"(?P<n>\d[\d,.万]*)\s*[人名]")
_PERSON = re.compile(r"(?:男|女|容疑者|運転手|少年|少女|被告)(?:（\d+）)?(?![らたち])")
_ARRESTED_AFTER = re.compile(r"^され(?:た|ている|ていた)(?P<who>[^、。]{0,20}?)(?:は|が|を|の|も)")
_NOBODY = re.compile(r"逮捕者は(?:出て)?(?:い|お)ない|逮捕者はなし")
_CLAUSE = re.compile(r"[、。「」]")
_BRACKETED = re.compile(r"（[^（）]*）")

# Statistics: the period words and the sentence that carries on the one before ("押収した薬物は…").
_PERIOD = re.compile(
    r"年初から|年明けから|今年に入って|(?:\d+|この|過去\d*)\s*(?:年間|カ月間|か月間|ヶ月間|ヵ月間)|年間|通年|累計|"
    r"上半期|下半期|四半期|\d+\s*[～~〜\-]\s*\d+\s*月|\d+\s*月から\s*\d+\s*月|全国で押収")
# A nationwide scope and a year ("昨年は全国で…", "2024年度に国内で押収された…") make a statistic.
_SCOPE = re.compile(r"全国で|全国の|国内で|国内の|各地で")
_YEARS = re.compile(r"昨年|去年|今年|本年|(?:19|20)\d\d\s*年(?!\s*\d{1,2}\s*月)")
_SCOPED_YEAR = re.compile(r"(?:(?P<year>(?:19|20)\d\d)\s*年(?!\s*\d{1,2}\s*月|度)|(?P<last>昨年|去年))")
_SOURCE = re.compile(r"によると|によれば|発表|まとめ|統計|報告|当局|省|庁|委員会|警察|税関|公安|政府|[A-Z]{2,}")
_CONTINUES = re.compile(r"^(?:また、)?(?:押収(?:した|された)(?:薬物|もの|品)は|押収量は|押収物は|内訳は|このうち)")
_YEAR_OR_THIS = r"(?:(?P<year>(?:19|20)\d\d)\s*年(?:の)?|(?P<this>今年|本年)(?:の)?|(?P<last>昨年|去年)(?:の)?)"
_MONTHS_RANGE = re.compile(_YEAR_OR_THIS + r"?\s*(?P<m1>1[0-2]|[1-9])\s*(?:[～~〜\-]|月から)\s*(?P<m2>1[0-2]|[1-9])\s*月")
_SINCE_NEW_YEAR = re.compile(
    r"(?:年初|年明け|今年初め|(?:今年)?1月1日|今年1月)から\s*(?:(?P<month>1[0-2]|[1-9])\s*月\s*(?:(?P<day>[0-3]?\d)\s*日|末)?"
    r"|(?P<this_month>今月)\s*(?P<this_day>[0-3]?\d)\s*日)\s*(?:まで|現在|時点)")
_WHOLE_YEAR = re.compile(_YEAR_OR_THIS + r"\s*(?:1年間|一年間|年間|通年|1年)")
_HALF = re.compile(_YEAR_OR_THIS + r"?\s*(?P<half>上半期|下半期)")
_SO_FAR = re.compile(r"今年に入って(?:から)?|年初来")
_ONE_MONTH = re.compile(r"(?P<month>1[0-2]|[1-9])\s*月の\s*1\s*(?:カ|か|ヶ|ヵ)月間")
# Where the goods are sold or used is where they go: "タイ側で高値で取引される", "タイ国内で消費される".
_MARKET = re.compile(rf"{_SUFFIX}(?:側|国内)?で[^、。]{{0,6}}?(?:取引|売買|販売|売ら|消費|需要)")
_MADE = re.compile(rf"{_SUFFIX}(?:で|において)(?:製造|生産|栽培|精製)|{_SUFFIX}の[^、。をがはにで]{{0,8}}から")


def is_meant_ice(text: str, start: int, end: int) -> bool:
    """Is "アイス" here crystal meth (a drug word within 40 characters), not ice cream?"""
    return bool(_DRUG_NEAR.search(text, max(0, start - 40), min(len(text), end + 40)))


def substance_for(text: str, q: Quantity, substances: list[SubstanceMention],
                  goods: list[Quantity]) -> SubstanceMention | None:
    """The goods a Japanese amount measures: the nearest name before it ("ヘロイン約7キロ"), else one
    tied to it by の after it ("120万錠のヤーバー")."""
    earlier = [g.end for g in goods if g.end <= q.start]
    before = [s for s in substances if s.end <= q.start and q.start - s.end <= 40
              and (s.substance is not None or not earlier or s.start >= earlier[-1])]
    if not before:
        return next((s for s in substances if s.start >= q.end and re.fullmatch(r"\s*の", text[q.end:s.start])),
                    None)
    nearest = before[-1]
    named = [s for s in before[:-1] if s.commodity == nearest.commodity and s.substance not in (None, nearest.commodity)
             and re.fullmatch(r"(?:（[^）]*）)?の", text[s.end:nearest.start])]
    if nearest.substance in (None, nearest.commodity) and named:  # "紫檀（ローズウッド）の丸太": rosewood logs
        return replace(named[-1], end=nearest.end, text=text[named[-1].start:nearest.end],
                       form=nearest.form or named[-1].form)
    return nearest


def joins_item(between: str, named_between: bool) -> bool:
    """Do two amounts with ``between`` them measure one item ("167包で、正味重量は93.973キロ",
    "42個（約15キロ）"), not two ("5万4000錠と結晶状覚醒剤4,978グラム")?"""
    return not named_between and len(between) <= 25 and not re.search(r"と|や|および|及び|のほか|加え|。", between)


def seizure_status(text: str) -> str:
    """"fact", "court-case", "hypothetical" or "no-seizure" for a Japanese sentence with goods."""
    if _COURT.search(text) and not re.search(r"押収|摘発|見つか|発見", text):
        return "court-case"
    if _HYPOTHETICAL.search(text):
        return "hypothetical"
    return "fact" if SEIZED.search(text) else "no-seizure"


def is_destruction(text: str) -> bool:
    """Goods seized earlier being burned or destroyed (焼却処分, 焼却式), not a new seizure; cutting and
    burning a field (刈り取って焼き払った) is eradication and stays a seizure."""
    return bool(_DESTROYED.search(text))


def arrests_in(text: str) -> list[tuple[int, int, int]]:
    """(people, start, end) for each arrest a Japanese sentence states; the people are counted in the
    words before the verb ("男2人と女1人を拘束"), parenthesised subsets ("（うち外国人312人）") left out."""
    out: list[tuple[int, int, int]] = []
    for m in _ARREST.finditer(text):
        clause_start = max((c.end() for c in _CLAUSE.finditer(text, 0, m.start())), default=0)
        phrase = text[clause_start:m.start()]
        unbracketed = _BRACKETED.sub(lambda b: "（" + "　" * (len(b.group(0)) - 2) + "）", phrase)
        counted = [(parse_number(p.group("n")), p) for p in _PEOPLE.finditer(unbracketed)]
        numbers = [(int(v), p.start()) for v, p in counted if v is not None]
        if numbers:
            out.append((sum(v for v, _ in numbers), clause_start + numbers[0][1], m.end()))
            continue
        persons = [p for p in _PERSON.finditer(phrase) if phrase[p.end():p.end() + 1] in ("", "を", "が", "は", "も")]
        if persons:  # "男（31）が逮捕された", "男はその場で拘束された"
            out.append((len(persons), clause_start + persons[0].start(), m.end()))
            continue
        after = _ARRESTED_AFTER.match(text, m.end())
        if after:
            who = _BRACKETED.sub("", after.group("who"))
            value = next((parse_number(p.group("n")) for p in _PEOPLE.finditer(who)), None)
            if value is None and _PERSON.search(who):
                value = 1
            if value is not None:
                out.append((int(value), m.start(), after.end("who")))
    out.extend((0, m.start(), m.end()) for m in _NOBODY.finditer(text))
    return out


def locative_country(text: str) -> str | None:
    """The first country a sentence names that is not a source, destination or nationality."""
    for c in country_mentions(text):
        if not _NOT_HERE.match(text, c.end):
            return c.code
    return None


def role_after(text: str, end: int) -> str:
    """What the words after a place make of it: "via" (を経由), "from" (から, 産, で製造), "to" (へ, 向け,
    に運ばれ, で取引される), "topic" (は), "at" (で, に) or "other"."""
    if re.match(rf"{_SUFFIX}(?:を)?経由", text[end:end + 12]):
        return "via"
    if _FROM.match(text, end) or _ORIGIN_NOUN.match(text, end) or _MADE.match(text, end):
        return "from"
    if _TOWARDS.match(text, end) or _MARKET.match(text, end):
        return "to"
    if re.match(rf"{_SUFFIX}は", text[end:end + 5]):
        return "topic"
    return "at" if re.match(rf"{_SUFFIX}(?:国内|内)?(?:で|に(?!向))", text[end:end + 8]) else "other"


def is_elsewhere(text: str, end: int) -> bool:
    """Is the place ending at ``end`` where goods came from or went ("カムアン州から"), not where seized?"""
    return bool(_NOT_HERE.match(text, end))


def previous_province(layout: Layout, gazetteer: Gazetteer, sentence: Sentence) -> PlaceMention | None:
    """What "同県/同州/同省" points back to: the last province named before it with the same suffix
    ("チェンライ県 … 同県"), else the last province named before it."""
    mark = SAME_PROVINCE.search(sentence.text)
    if mark is None:
        return None
    text = layout.doc.text
    before = [m for s in layout.sentences if s.start <= sentence.start for m in places_in(gazetteer, s)
              if m.start < sentence.start + mark.start() and m.place.kind != "country" and province_of(m.place)
              and not is_elsewhere(text, m.end)]
    suffix = mark.group(0)[1:]
    same = [m for m in before if text.startswith(suffix, m.end)] or before
    if not same:
        return None
    place = gazetteer.province(same[-1].place.country, province_of(same[-1].place) or "")
    start = sentence.start + mark.start()
    return PlaceMention(start, start + len(mark.group(0)), mark.group(0), place) if place else None


def origin_in(layout: Layout, gazetteer: Gazetteer, sentence: Sentence, country: str | None,
              tells_haul: bool) -> Found[str] | None:
    """The country goods came from: "ラオス側から", "ナイジェリアから輸入", "カムアン州から"; a sentence
    that does not give the haul's amount and speaks of a trend ("大半は", "増えている") is not about it."""
    return _place_in(layout, gazetteer, sentence, "from", country, tells_haul)


def destination_in(layout: Layout, gazetteer: Gazetteer, sentence: Sentence,
                   tells_haul: bool) -> Found[str] | None:
    """The country goods were heading for: "タイ側へ運び出そうと", "中国向け", "バンコクに運ばれる"."""
    return _place_in(layout, gazetteer, sentence, "to", None, tells_haul)


def _place_in(layout: Layout, gazetteer: Gazetteer, sentence: Sentence, role: str, other_than: str | None,
              tells_haul: bool) -> Found[str] | None:
    """The first country (or province, standing for its country) the sentence gives ``role``."""
    text = sentence.text
    if _GENERAL.search(text) and not tells_haul:
        return None
    mentions = [(c.start, c.end, c.code) for c in country_mentions(text)]
    mentions += [(m.start - sentence.start, m.end - sentence.start, m.place.country)
                 for m in places_in(gazetteer, sentence) if m.place.kind != "country"]
    for start, end, code in sorted(mentions):
        if code != other_than and role_after(text, end) == role:
            field = "origin_country" if role == "from" else "destination_country"
            return Found(code, text[start:end], (layout.span(sentence.start + start, sentence.start + end, field),))
    return None


def statistic_marker(layout: Layout, sentence: Sentence) -> str | None:
    """"period" for cumulative wording ("年初から10月末までに", "昨年は全国で"), "same-period" for a
    sentence that goes on with the statistic before it in its paragraph ("押収した薬物は…")."""
    if _PERIOD.search(sentence.text) or (_SCOPE.search(sentence.text) and _YEARS.search(sentence.text)):
        return "period"
    if _CONTINUES.match(sentence.text):
        previous = [s for s in layout.sentences if s.paragraph == sentence.paragraph and s.start < sentence.start]
        if previous and _PERIOD.search(previous[-1].text):
            return "same-period"
    return None


def is_statistic(layout: Layout, sentences: list[Sentence]) -> bool:
    """Is a total stated as a statistic: with period wording ("2月の1カ月間"), or with a nationwide scope
    and a year and someone who compiled it, in its sentences or the one before them? "昨年は全国で…が押収
    されたという" is a total attributed to nobody."""
    first = sentences[0]
    before = [s for s in layout.sentences if s.paragraph == first.paragraph and s.start < first.start][-1:]
    return any(_PERIOD.search(s.text) or _SOURCE.search(s.text) for s in [*before, *sentences])


def is_provincial(text: str) -> bool:
    """Is a statistic for the province the report is about ("同省公安によると", "省内で"), not national
    ("同省によると、全国で…": 省 is also a ministry)?"""
    return bool(_PROVINCE_WIDE.search(text)) and not re.search(r"全国|国内", text)


def statistic_period(text: str, reference: date | None) -> tuple[date, date | None, re.Match[str]] | None:
    """(start, end, words) of a Japanese statistic's period; None when it states none ("この1年間")."""
    year_now = reference.year if reference else None
    m = _SINCE_NEW_YEAR.search(text)
    if m and reference:
        if m.group("this_month"):
            end = _safe_date(reference.year, reference.month, int(m.group("this_day")))
        else:
            month = int(m.group("month"))
            year = reference.year - (month > reference.month)
            end = _safe_date(year, month, int(m.group("day"))) if m.group("day") else month_end(year, month)
        if end:
            return date(end.year, 1, 1), end, m
    m = _ONE_MONTH.search(text)
    if m and reference:
        month = int(m.group("month"))
        year = reference.year - (month > reference.month)
        return date(year, month, 1), month_end(year, month), m
    m = _MONTHS_RANGE.search(text)
    if m:
        first, last = int(m.group("m1")), int(m.group("m2"))
        in_year = _year_of(m, year_now, last, reference)
        if in_year and first <= last:
            return date(in_year, first, 1), month_end(in_year, last), m
    m = _HALF.search(text)
    if m:
        in_year = _year_of(m, year_now, 6 if m.group("half") == "上半期" else 12, reference)
        if in_year:
            return (date(in_year, 1, 1), date(in_year, 6, 30), m) if m.group("half") == "上半期" else (
                date(in_year, 7, 1), date(in_year, 12, 31), m)
    m = _WHOLE_YEAR.search(text)
    if m and (m.group("year") or m.group("last")):
        in_year = _year_of(m, year_now, 12, None)
        if in_year:
            return date(in_year, 1, 1), date(in_year, 12, 31), m
    m = _SO_FAR.search(text)
    if m and reference:
        return date(reference.year, 1, 1), reference, m
    m = _SCOPED_YEAR.search(text) if _SCOPE.search(text) else None
    if m and (m.group("year") or year_now):
        year = int(m.group("year")) if m.group("year") else (year_now or 0) - 1
        return date(year, 1, 1), date(year, 12, 31), m
    return None


def _year_of(m: re.Match[str], year_now: int | None, last_month: int, reference: date | None) -> int | None:
    """The year a period names: written, this year, last year, or the latest one that has ended."""
    if m.group("year"):
        return int(m.group("year"))
    if year_now is None:
        return None
    if m.group("last"):
        return year_now - 1
    if m.group("this") or reference is None:
        return year_now
    return year_now - (last_month > reference.month)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
