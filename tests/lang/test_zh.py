"""Chinese reports (simplified and traditional): 万/亿 numbers with 多/余, 公斤/吨/噸 and counters,
年月日 and year-first slash dates, provinces of the region in Chinese, “” quotes with speakers,
seizures with origins, arrests or fled drivers, and statistics periods. Every text here is
written for the test."""

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


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(Settings())


def _facts(extractor: Extractor, text: str, published: str = "2024-03-20") -> Facts:
    doc = Document(id="zh", text=text, content_hash="h", source="test", language="zh", published=published,
                   published_precision="day")
    facts = extractor.extract(doc)
    for span in facts.spans():
        assert doc.text[span.start:span.end] == span.text
    return facts


@pytest.mark.parametrize(("text", "raw", "value", "unit", "qualifier"), [
    ("起获240多万粒摇头丸", "240多万粒", 2_400_000, "tablets", "more than"),
    ("查获冰毒片剂1.5万颗", "1.5万颗", 15_000, "tablets", None),
    ("缴获海洛因68.6公斤", "68.6公斤", 68.6, "kg", None),
    ("查獲超過6噸的走私象牙", "超過6噸", 6000, "kg", "more than"),
    ("总重逾50公斤", "逾50公斤", 50, "kg", "more than"),
    ("收缴木材20余吨", "20余吨", 20_000, "kg", "more than"),
    ("查获约3000克冰毒", "约3000克", 3, "kg", "about"),
    ("破获毒品案件3944起", "3944起", 3944, "cases", None),
])
def test_amounts(text: str, raw: str, value: float, unit: str, qualifier: str | None) -> None:
    quantities = [q for q in find_quantities(text) if q.raw == raw]
    assert quantities, find_quantities(text)
    assert quantities[0].value == pytest.approx(value)
    assert (quantities[0].unit, quantities[0].qualifier) == (unit, qualifier)


def test_dates() -> None:
    zh = load_language("zh")
    assert [d.iso for d in parse_dates("2022年12月21日约17时", None, zh)] == ["2022-12-21"]
    assert [d.iso for d in parse_dates("2016/12/30 14:38")] == ["2016-12-30"]
    assert [d.iso for d in parse_dates("海关人员昨天在机场查获", date(2016, 12, 30), zh)] == ["2016-12-29"]
    assert [d.iso for d in parse_dates("5月26日那天", date(2021, 6, 7), zh)] == ["2021-05-26"]


def test_places() -> None:
    gazetteer = Gazetteer.load()
    found = {m.text: m.place.admin1 for m in gazetteer.find("泰国清莱府与老挝琅勃拉邦省、缅甸掸邦和越南河內")}
    assert found["清莱府"] == "Chiang Rai"
    assert found["琅勃拉邦省"] == "Luang Prabang"
    assert found["掸邦"] == "Shan"
    assert found["河內"] == "Hanoi"


def test_seizure_with_origin_and_fled_driver(extractor: Extractor) -> None:
    facts = _facts(extractor, (
        "清莱边检站截获大批毒品\n\n"
        "3月18日晚,一辆皮卡车从老挝开往泰国清莱府,值勤官兵示意停车检查,司机弃车逃跑。"
        "官兵随后从车上搜出120万粒麻古和5公斤海洛因。\n"))
    assert len(facts.events) == 1
    event = facts.events[0]
    assert (event.country, event.admin1, event.arrests, event.origin_country) == ("TH", "Chiang Rai", 0, "LA")
    substances = {(i.substance, i.form, i.count, i.mass_kg) for i in event.items}
    assert ("methamphetamine", "tablets", 1_200_000, None) in substances
    assert ("heroin", None, None, 5) in substances


def test_arrests_and_quote(extractor: Extractor) -> None:
    facts = _facts(extractor, (
        "勐腊警方破获一起运输毒品案\n\n"
        "3月15日,云南省西双版纳州勐腊县公安局在磨憨口岸查获冰毒2.5公斤,抓获犯罪嫌疑人2名。\n\n"
        "“这批毒品藏在货车的夹层里,手法十分隐蔽。”办案民警介绍说。\n"))
    event = facts.events[0]
    assert (event.country, event.admin1, event.arrests, event.date) == ("CN", "Yunnan", 2, "2024-03-15")
    assert event.items[0].substance == "methamphetamine" and event.items[0].mass_kg == pytest.approx(2.5)
    assert facts.quotes and facts.quotes[0].text.startswith("这批毒品藏在")
    assert facts.quotes[0].speaker and "民警" in facts.quotes[0].speaker


def test_statistic_so_far(extractor: Extractor) -> None:
    facts = _facts(extractor, (
        "云南今年以来缴获毒品5吨\n\n"
        "记者从云南省公安厅了解到,今年以来,全省共破获毒品案件1200起,缴获毒品5.2吨。\n"))
    assert facts.events == []
    stat = facts.aggregates[0]
    assert (stat.period_start, stat.period_end, stat.cases) == ("2024-01-01", "2024-03-20", 1200)
    assert stat.items[0].mass_kg == pytest.approx(5200)


def test_next_day_cargo_and_nationality(extractor: Extractor) -> None:
    facts = _facts(extractor, (
        "边检站截获海洛因\n\n"
        "2024年3月1日约17时，一辆满载水果的半挂车驶入边境检查站。从次日1时许起，民警把车上约30吨重的2000多箱水果"
        "搬下查验，最后查出海洛因68.6公斤、K粉3公斤，抓获缅籍司机1名。\n"))
    event = facts.events[0]
    assert event.date == "2024-03-02"
    assert sorted((i.substance, i.mass_kg) for i in event.items) == [("heroin", 68.6), ("ketamine", 3)]
    assert (event.arrests, tuple(event.suspect_nationalities)) == (1, ("MM",))


def test_stated_route_of_timber(extractor: Extractor) -> None:
    facts = _facts(extractor, (
        "边防部队谈木材走私\n\n"
        "河静省边防部队指挥长表示，不法分子经常利用山间小路将木材从老挝偷运入越南。\n"))
    assert [(f.origin, f.destination, f.commodity) for f in facts.flows] == [("LA", "VN", "timber")]


def test_part_of_a_month_keeps_the_period_at_month_precision(extractor: Extractor) -> None:
    text = "越南查获大批象牙\n\n越南当局从10月中旬到12月初,接连破获7起象牙走私案,合计查获超过6吨的走私象牙。\n"
    (total,) = _facts(extractor, text, "2016-12-30").aggregates
    assert (total.period_start, total.period_end, total.cases) == ("2016-10", "2016-12", 7)


def test_a_statistic_made_abroad_has_no_country(extractor: Extractor) -> None:
    text = ("云南禁毒成果\n\n"
            "2019年,云南与周边国家开展边境联合扫毒27次,在境外抓获贩毒人员372人,缴获毒品1.7吨。\n")
    (total,) = _facts(extractor, text, "2020-06-27").aggregates
    assert (total.country, total.admin1, total.arrests) == (None, None, 372)


def test_the_day_a_case_was_announced_yields_to_its_own_day(extractor: Extractor) -> None:
    text = "粽子礼盒里藏冰毒\n\n7日,云南普洱边境管理支队对外通报,5月26日民警在快递点查获了1.1公斤冰毒。\n"
    (event,) = _facts(extractor, text, "2024-06-07").events
    assert event.date == "2024-05-26"


def test_where_the_goods_were_hidden_is_not_goods_and_a_ranking_is_no_statistic(extractor: Extractor) -> None:
    text = ("新闻\n\n"
            "云南警方日前侦破一宗特大贩毒案,缴获海洛因120.5千克,是今年以来单次缴获海洛因数量最多的案件。"
            "民警在车上200个纸箱中的40个里搜出毒品,共查获海洛因350块,重计120.5千克。"
            "此前,有毒贩准备把一批在缅甸购买的毒品偷运进入境内。\n")
    facts = _facts(extractor, text)
    assert facts.aggregates == []
    (event,) = facts.events
    assert [(i.substance, i.mass_kg, i.count, i.count_unit) for i in event.items] == [
        ("heroin", 120.5, 350, "blocks")]
    assert event.origin_country == "MM"


def test_a_birth_year_after_a_name_is_not_the_haul_s_date(extractor: Extractor) -> None:
    text = ("胡志明市警方查获海洛因\n\n"
            "胡志明市公安机关在第12郡对一辆卡车进行检查,发现并缴获895块海洛因,同时逮捕中国台湾籍犯罪嫌疑人Chen(1986年出生)。\n")
    [event] = _facts(extractor, text).events
    assert event.date is None


def test_a_bracketed_caption_label_makes_the_line_a_caption() -> None:
    from borderwatch.ingest.text import furniture_kind
    assert furniture_kind("(圖說)泰國清邁警方18日巡邏時,在一輛車上搜出28個麻袋。") == "caption"
    assert furniture_kind("泰國清邁警方18日巡邏時,在一輛車上搜出28個麻袋。") is None


def test_unnamed_goods_right_after_an_amount_are_its_own() -> None:
    from borderwatch.extract.lexicon import find_substances
    from borderwatch.extract.patterns import substance_for
    text = "此次行动共缴获6.3公斤鸦片、126.8公斤不明粉末、1公斤大麻。"
    goods = find_quantities(text)
    powder = next(q for q in goods if q.raw == "126.8公斤")
    mention = substance_for(load_language("zh"), text, powder, find_substances(text, load_language("zh")), goods)
    assert mention is not None and (mention.text, mention.substance, mention.form) == ("不明粉末", None, "powder")
