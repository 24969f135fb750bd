"""Thai reports: Thai digits and ล้าน/แสน scales, Buddhist-era dates (two-digit years, "วันนี้ (18 ต.ค.)"),
provinces and districts, goods named before their amount, arrests (also in number words), escapes,
quotes with speakers, stated flows and fiscal-year statistics. Every text here is written for the test."""

from __future__ import annotations

from datetime import date

import pytest

from borderwatch.config import Settings
from borderwatch.dates import parse_dates
from borderwatch.extract import Extractor
from borderwatch.extract.units import find_quantities
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.lang import load_language
from borderwatch.model import Document, Facts

THAI = load_language("th")


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(Settings())


def _facts(extractor: Extractor, text: str, published: str | None = "2025-10-18") -> Facts:
    doc = Document(id="th", text=text, content_hash="h", source="test", language="th", published=published,
                   published_precision="day" if published else None)
    facts = extractor.extract(doc)
    for span in facts.spans():
        assert doc.text[span.start:span.end] == span.text
    return facts


@pytest.mark.parametrize(("text", "value", "unit", "qualifier"), [
    ("ยึดยาบ้าได้รวม 22.19 ล้านเม็ด", 22_190_000, "tablets", None),
    ("คิดเป็นยาบ้าประมาณ 4.4 ล้านเม็ด", 4_400_000, "tablets", "about"),
    ("ยาบ้า ๓๘๔,๐๐๐ เม็ด", 384_000, "tablets", None),
    ("ไอซ์อีกเกิน 8,000 กิโลฯ", 8000, "kg", "more than"),
    ("ไอซ์อีก 50 กก.", 50, "kg", None),
    ("ไม้พะยูง 3 ท่อน", 3, "logs", None),
    ("ปริมาตรรวมประมาณ 0.49 ลูกบาศก์เมตร", 0.49, "m3", "about"),
    ("เฮโรอีน 250 กรัม", 0.25, "kg", None),
    ("ยาบ้ากว่า 2 แสนเม็ด", 200_000, "tablets", "more than"),
])
def test_thai_quantities(text: str, value: float, unit: str, qualifier: str | None) -> None:
    q = find_quantities(THAI.to_ascii_digits(text))[-1]
    assert q.value == pytest.approx(value)
    assert q.unit == unit
    assert q.qualifier == qualifier
    assert text[q.start:q.end] == q.raw or THAI.to_ascii_digits(text)[q.start:q.end] == q.raw


@pytest.mark.parametrize(("text", "iso"), [
    ("ผู้จัดการออนไลน์ | ภูมิภาค | 18 ต.ค. 2568", "2025-10-18"),
    ("เมื่อเวลาตีสี่ของวันนี้ (27 ก.พ.69)", "2026-02-27"),
    ("เมื่อวันที่ ๑๖ มกราคม ๕๗ หน่วยเฉพาะกิจ", "2014-01-16"),
    ("ราว 15.30 น. ของวันที่ 25 พ.ย.2564 ว่า", "2021-11-25"),
    ("การตรวจยึดมีขึ้นในวันที่ 28 ม.ค. 58 ที่สระน้ำ", "2015-01-28"),
    ("ในวันที่ 26 พฤศจิกายน พ.ศ. 2564", "2021-11-26"),
])
def test_buddhist_era_dates(text: str, iso: str) -> None:
    found = parse_dates(THAI.to_ascii_digits(text), None, THAI)
    assert found and found[0].iso == iso


def test_relative_days_and_a_day_range() -> None:
    reference = date(2025, 10, 18)
    found = parse_dates("จนเมื่อวานนี้ (17 ต.ค.) จึงเห็นกระบะ", reference, THAI)
    assert {d.iso for d in found} == {"2025-10-17"}
    ranged = parse_dates(THAI.to_ascii_digits("ตลอดช่วงวันที่ ๑ – ๒๘ มกราคม ๒๕๕๗"), None, THAI)
    assert [d.iso for d in ranged] == ["2014-01"]


def test_provinces_districts_and_common_words() -> None:
    gazetteer = Gazetteer.load()
    found = {m.place.admin1 for m in gazetteer.find("พื้นที่ อ.เชียงดาว จ.เชียงใหม่ และแขวงบ่อแก้ว ลาว")}
    assert {"Chiang Mai", "Bokeo"} <= found
    assert {m.place.admin1 for m in gazetteer.find("ชุดปฏิบัติการที่ จ.ตาก ร่วมกับรัฐฉาน")} >= {"Tak", "Shan"}
    # "สอง" (two), "แปร" (in แปรรูป, sawn), "ละแวก" (vicinity) are words, not the places so named.
    words = gazetteer.find("ชายสองคนขนไม้แปรรูปในละแวกนั้น")
    assert [m.text for m in words if m.place.kind != "country"] == []


def test_seizure_with_arrests_nationality_and_origin(extractor: Extractor) -> None:
    text = ("ตำรวจรวบหนุ่มลาวขนยาบ้า 2 ล้านเม็ด\n"
            "ข่าวสด | อาชญากรรม | 12 มี.ค. 2567\n\n"
            "เชียงราย - เมื่อวันที่ 11 มี.ค. 2567 เจ้าหน้าที่ตำรวจ สภ.แม่สาย ร่วมกันจับกุมนายคำ อายุ 25 ปี ชาวลาว "
            "และนายบุญมี อายุ 30 ปี ได้พร้อมของกลางยาบ้าจำนวน 2,000,000 เม็ด และเฮโรอีน 10 แท่ง น้ำหนักรวม "
            "3.5 กิโลกรัม บริเวณริมแม่น้ำสาย ต.เวียงพางคำ อ.แม่สาย จ.เชียงราย\n\n"
            "ผู้ต้องหาให้การว่า รับจ้างขนยาเสพติดจากฝั่งเมียนมา เพื่อนำไปส่งให้ลูกค้าใน จ.สมุทรปราการ\n")
    facts = _facts(extractor, text, None)
    [event] = facts.events
    assert event.date == "2024-03-11"
    assert (event.country, event.admin1) == ("TH", "Chiang Rai")
    assert event.arrests == 2
    assert event.suspect_nationalities == ("LA",) or list(event.suspect_nationalities) == ["LA"]
    assert event.origin_country == "MM"
    items = {(i.substance, i.form, i.count, i.mass_kg) for i in event.items}
    assert ("methamphetamine", "tablets", 2_000_000, None) in items
    assert any(i.substance == "heroin" and i.mass_kg == pytest.approx(3.5) for i in event.items)


def test_number_words_escapes_and_rosewood(extractor: Extractor) -> None:
    caught = _facts(extractor, "สุรินทร์ - เจ้าหน้าที่รวบตัวชายสองคนได้ในพื้นที่ อ.บัวเชด จ.สุรินทร์ "
                               "พร้อมของกลางไม้พะยูง ซึ่งเป็นไม้หวงห้าม 12 ท่อน\n")
    [event] = caught.events
    assert event.arrests == 2
    assert [(i.substance, i.form, i.count) for i in event.items] == [("rosewood", "logs", 12)]
    fled = _facts(extractor, "เชียงใหม่ - เจ้าหน้าที่ตรวจพบยาบ้า 300,000 เม็ด ที่ชายแดน อ.เชียงดาว "
                             "แต่กลุ่มผู้ต้องสงสัยหลบหนีไปได้ในความมืด\n")
    assert fled.events[0].arrests == 0


def test_quotes_speakers_and_scare_quotes(extractor: Extractor) -> None:
    text = ("ชาวบ้านพบ \"กระสอบปริศนา\" ริมคลองส่งน้ำ อ.แม่พริก จ.ลำปาง เมื่อเปิดดูพบยาบ้า 1.4 ล้านเม็ด\n\n"
            "พ.ต.อ.สมศักดิ์ ใจกล้า ผกก.สภ.แม่พริก กล่าวว่า “ขบวนการค้ายาเสพติดยังคงใช้เส้นทางนี้อย่างต่อเนื่อง”\n\n"
            "“เราจะเพิ่มจุดตรวจตามแนวคลองให้มากขึ้นในช่วงนี้” นายวิชัย ไชยมงคล นายอำเภอแม่พริก กล่าว\n")
    quotes = _facts(extractor, text).quotes
    assert [(q.speaker, q.text[:5]) for q in quotes] == [("สมศักดิ์ ใจกล้า", "ขบวนกา"[:5]), ("วิชัย ไชยมงคล", "เราจะเ"[:5])]


def test_stated_route_is_a_flow_and_fiscal_year_statistic(extractor: Extractor) -> None:
    text = ("นายนิยม เติมศรีสุข เลขาธิการ ป.ป.ส. เปิดเผยว่า ขบวนการค้ายาเสพติดหันกลับมาใช้ช่องทางชายแดน "
            "เพื่อลักลอบนำยาเสพติดจาก สปป.ลาว ข้ามเข้ามายังฝั่งไทย โดยในปีงบประมาณ 2567 ทั่วประเทศ "
            "เจ้าหน้าที่ยึดยาบ้าได้รวม 950 ล้านเม็ด และไอซ์ 25 ตัน\n")
    facts = _facts(extractor, text)
    assert {(f.origin, f.destination) for f in facts.flows} == {("LA", "TH")}
    assert facts.events == []
    [stat] = facts.aggregates
    assert (stat.period_start, stat.period_end) == ("2023-10-01", "2024-09-30")
    assert {(i.substance, i.form, i.count, i.mass_kg) for i in stat.items} == {
        ("methamphetamine", "tablets", 950_000_000, None), ("methamphetamine", "crystal", None, 25_000)}


def test_a_route_told_beside_a_haul_in_one_run_on_sentence_is_a_flow(extractor: Extractor) -> None:
    text = ("ข่าว\n\n"
            "ที่ผ่านมา ยาเสพติดจาก สปป.ลาว ถูกลำเลียงเข้าสู่ประเทศไทยไม่ขาดสาย เจ้าหน้าที่จึงแลกเปลี่ยนข้อมูลกันมาโดยตลอด "
            "จนจับกุมรายสำคัญได้หลายครั้ง และล่าสุดคือการยึดยาบ้าล็อตนี้\n")
    assert {(f.origin, f.destination) for f in _facts(extractor, text).flows} == {("LA", "TH")}


def test_a_headline_haul_the_body_never_tells_is_an_event(extractor: Extractor) -> None:
    text = ("จับยาไอซ์ 700 โล ที่เชียงใหม่ ส่งจากพม่าไปไต้หวัน\n\n"
            "เมื่อวันที่ 18 สิงหาคม ตำรวจตระเวนชายแดนได้ตั้งด่านสกัดบริเวณ อ.เชียงดาว จ.เชียงใหม่ และจับกุมผู้ต้องหาได้ 1 คน "
            "พร้อมยึดยานพาหนะไว้เป็นของกลาง ก่อนจะขยายผลต่อไป\n")
    [event] = _facts(extractor, text).events
    assert (event.admin1, event.items[0].mass_kg, event.items[0].substance) == ("Chiang Mai", 700, "methamphetamine")


def test_many_cases_right_after_a_statistic_go_on_with_its_period(extractor: Extractor) -> None:
    text = ("ตำรวจแถลงผลปราบยาเสพติด 6 เดือน\n\n"
            "พล.ต.ท.สมชาย เปิดเผยว่า ในช่วง 6 เดือนที่ผ่านมา ตำรวจทั่วประเทศจับกุมผู้ค้ารายย่อยได้ 8,000 คดี\n\n"
            "ด้านการสกัดกั้นเครือข่ายลำเลียงยาเสพติด จับกุมได้ 995 คดี ยึดของกลางเป็นยาบ้า 797,000,000 เม็ด "
            "และเฮโรอีน 1,270 กิโลกรัม\n")
    facts = _facts(extractor, text)
    assert facts.events == []
    second = next(a for a in facts.aggregates if a.cases == 995)
    assert second.period_end == "2025-10-18" and second.items[0].count == 797_000_000
