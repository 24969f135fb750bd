"""Japanese reports: 万/億 numbers, provinces (同県), 「」 quotes with speakers, stated flows, statistics,
and burned stockpiles that are not seizures. Every text here is written for the test."""

from __future__ import annotations

import pytest

from borderwatch.config import Settings
from borderwatch.extract import Extractor
from borderwatch.extract.units import find_quantities, parse_number
from borderwatch.model import Document, Facts


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(Settings())


def _facts(extractor: Extractor, text: str, published: str = "2025-06-10") -> Facts:
    doc = Document(id="ja", text=text, content_hash="h", source="test", language="ja", published=published,
                   published_precision="day")
    facts = extractor.extract(doc)
    spans = facts.spans()
    assert spans
    for span in spans:
        assert doc.text[span.start:span.end] == span.text
    return facts


@pytest.mark.parametrize(("text", "raw", "value", "unit", "qualifier"), [
    ("錠剤にしておよそ103万4413錠に相当", "およそ103万4413錠", 1_034_413, "tablets", "about"),
    ("薬物関連事件1万8件を摘発", "1万8件", 10_008, "cases", None),
    ("ヤーバーは約1億2000万錠に上った", "約1億2000万錠", 120_000_000, "tablets", "about"),
    ("覚醒剤錠剤約9,400万錠、", "約9,400万錠", 94_000_000, "tablets", "about"),
    ("容疑者2万7817人を逮捕", "2万7817人", 27_817, "people", None),
    ("大麻約半トンが押収", "約半トン", 500, "kg", "about"),
    ("結晶状覚醒剤4,978グラム", "4,978グラム", 4.978, "kg", None),
    ("ケタミン500kg余りを押収", "500kg余り", 500, "kg", "more than"),
    ("ヤーバー３万錠", "３万錠", 30_000, "tablets", None),
    ("薬物167包", "167包", 167, "packages", None),
    ("コンテナ2本の中", "2本", 2, "containers", None),
    ("丸太127本", "127本", 127, "logs", None),
    ("約5万ドル相当", "約5万ドル", 50_000, "USD", "about"),
    ("6トン近く", "6トン近く", 6000, "kg", "nearly"),
])
def test_japanese_numbers(text: str, raw: str, value: float, unit: str, qualifier: str | None) -> None:
    [q] = find_quantities(text)
    assert (q.raw, q.unit, q.qualifier) == (raw, unit, qualifier)
    assert q.value == pytest.approx(value)
    assert text[q.start:q.end] == q.raw


def test_japanese_numbers_parse_in_the_one_parser() -> None:
    assert parse_number("2万7817") == 27_817
    assert parse_number("1億2000万") == 120_000_000
    assert parse_number("3千") == 3000
    assert parse_number("15,5 million") == 15_500_000


THAI = """タイ・ニュース
2025年6月10日

タイ北部チェンマイ県の警察は8日、同県ファーン郡の検問所でトラックを調べ、錠剤型覚醒剤（ヤーバー）80万錠と結晶状の覚醒剤（アイス）約20キロを押収し、ミャンマー国籍の男2人とタイ国籍の男1人を逮捕した。

警察によると、薬物はミャンマー側から山道を通って運び込まれたとみられる。

同県では先月20日にも、メーアーイ郡で乾燥大麻約300キロが見つかり、運転していた男（41）が拘束されている。

一方、ウドンタニ県では9日、これまでに押収した薬物約3トンを焼却処分する式典が開かれた。

タイの法律では、ヤーバー20錠以上を所持していた場合、密売目的とみなされる。
"""


def test_seizures_provinces_arrests_and_what_is_not_a_seizure(extractor: Extractor) -> None:
    facts = _facts(extractor, THAI)
    first, second = facts.events
    assert (first.date, first.country, first.admin1, first.arrests) == ("2025-06-08", "TH", "Chiang Mai", 3)
    assert set(first.suspect_nationalities) == {"MM", "TH"}
    assert first.origin_country == "MM"
    assert [(i.substance, i.form, i.count, i.mass_kg) for i in first.items] == [
        ("methamphetamine", "tablets", 800_000, None), ("methamphetamine", "crystal", None, 20)]
    assert (second.date, second.admin1, second.arrests) == ("2025-05-20", "Chiang Mai", 1)
    assert [(i.substance, i.mass_kg) for i in second.items] == [("cannabis", 300)]
    reasons = {r.reason: r.evidence[0].text for r in facts.rejections}
    assert reasons["destruction"] == "約3トン"
    assert reasons["hypothetical"] == "20錠以上"


def test_same_province_takes_the_province_named_with_that_suffix(extractor: Extractor) -> None:
    text = ("ミャンマー・ニュース\n2025年3月14日\n\n"
            "タイ北部チェンライ県メーサイ郡で12日、警察がヤーバー50万錠を押収し、男1人を逮捕した。\n\n"
            "捜査当局は「シャン州の拠点から流れてくる薬物は今も多い」と話している。\n\n"
            "同県チェンセーン郡でも13日、乗用車のトランクからヘロイン約5キロが見つかった。\n")
    later = _facts(extractor, text, "2025-03-14").events[-1]
    assert (later.date, later.admin1, later.country) == ("2025-03-13", "Chiang Rai", "TH")


QUOTES = """ラオス・ダイジェスト
2024年11月6日

ラオス公安省麻薬取締局のソムチット・ポンサワン局長は5日の記者会見で「国境での取り締まりを強めているが、密輸の手口は巧妙になっている」と述べた。

「近隣諸国との連携が欠かせない」とも強調した。

同局長は、押収された薬物の多くは「黄金の三角地帯」で製造されたものだと説明した。

逮捕された男は、自分はいわゆる「運び屋」にすぎないと供述しているという。
"""


def test_quotes_in_brackets_with_speaker_role_and_continuation(extractor: Extractor) -> None:
    quotes = _facts(extractor, QUOTES, "2024-11-06").quotes
    direct = [q for q in quotes if q.kind == "direct"]
    assert [q.text for q in direct] == ["国境での取り締まりを強めているが、密輸の手口は巧妙になっている",
                                        "近隣諸国との連携が欠かせない"]
    assert {q.speaker for q in direct} == {"ソムチット・ポンサワン"}
    assert direct[0].role == "ラオス公安省麻薬取締局局長"
    speaker = next(s for s in direct[0].evidence if s.field == "speaker")
    assert speaker.text == "ソムチット・ポンサワン"
    reported = [q for q in quotes if q.kind == "reported"]
    assert reported[0].speaker == "ソムチット・ポンサワン"
    assert reported[0].text.startswith("押収された薬物の多くは「黄金の三角地帯」")
    assert not any(q.text in ("運び屋", "黄金の三角地帯") for q in quotes)


FLOWS = """メコン通信
2025年2月10日

ラオス北部ボケオ県で8日、警察が覚醒剤錠剤約300万錠を押収した。

警察は、覚醒剤はミャンマー側から船で持ち込まれたとみている。

ラオス政府の麻薬対策委員会によると、ミャンマーで製造された覚醒剤の多くは、ラオスを経由してタイやベトナムへ運ばれている。
"""


def test_flows_are_general_routes_not_one_shipment(extractor: Extractor) -> None:
    facts = _facts(extractor, FLOWS, "2025-02-10")
    assert {(f.origin, f.destination, f.commodity) for f in facts.flows} == {
        ("MM", "LA", "drugs"), ("LA", "TH", "drugs"), ("LA", "VN", "drugs")}
    assert {f.asserted_by for f in facts.flows} == {"麻薬対策委員会"}
    assert facts.events[0].origin_country == "MM"


STATISTIC = """ラオス・ダイジェスト
2024年10月15日

ラオス公安省によると、年初から9月末までに全国で麻薬事件2,345件を摘発し、容疑者3,456人（うち外国人120人）を逮捕した。押収した薬物は、覚醒剤錠剤約5,600万錠、ヘロイン約300キロなど。

ONCBによると、今年1～3月に全国で押収されたヤーバーは約1億錠に上った。
"""


def test_statistics_with_periods_are_not_seizures(extractor: Extractor) -> None:
    facts = _facts(extractor, STATISTIC, "2024-10-15")
    assert facts.events == []
    laos, thailand = facts.aggregates
    assert (laos.country, laos.period_start, laos.period_end, laos.cases, laos.arrests) == (
        "LA", "2024-01-01", "2024-09-30", 2345, 3456)
    assert [(i.substance, i.count, i.mass_kg) for i in laos.items] == [
        ("methamphetamine", 56_000_000, None), ("heroin", None, 300)]
    assert (thailand.country, thailand.period_start, thailand.period_end) == ("TH", "2024-01-01", "2024-03-31")
    assert thailand.items[0].count == 100_000_000
