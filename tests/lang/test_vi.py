"""Vietnamese reports: dot thousands and decimal commas, counters (viên, bánh), day-first dates,
provinces of Vietnam and Laos, counted arrests in words, fled suspects, “…” quotes with speakers.
Every text here is written for the test."""

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

VI = load_language("vi")


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(Settings())


def _facts(extractor: Extractor, text: str, published: str = "2024-11-10") -> Facts:
    doc = Document(id="vi", text=text, content_hash="h", source="test", language="vi", published=published,
                   published_precision="day")
    facts = extractor.extract(doc)
    for span in facts.spans():
        assert doc.text[span.start:span.end] == span.text
    return facts


@pytest.mark.parametrize(("text", "value", "unit", "qualifier"), [
    ("thu giữ 240.000 viên hồng phiến", 240_000, "tablets", None),
    ("phát hiện 1,5 kg ma túy đá", 1.5, "kg", None),
    ("tổng cộng 295,5 kg ma túy", 295.5, "kg", None),
    ("thu được 2,2 tấn ngà voi", 2200, "kg", None),
    ("gần 700kg ngà voi", 700, "kg", "nearly"),
    ("khoảng 860 kg ngà voi", 860, "kg", "about"),
    ("hơn 2 tấn ngà voi", 2000, "kg", "more than"),
    ("30 bánh heroin", 30, "cakes", None),
    ("63 bao ngà voi", 63, "sacks", None),
    ("12 khối gỗ trắc", 12, "m3", None),
    ("bắt 4 đối tượng", 4, "people", None),
])
def test_vietnamese_quantities(text: str, value: float, unit: str, qualifier: str | None) -> None:
    q = find_quantities(text)[0]
    assert (q.value, q.unit, q.qualifier) == (pytest.approx(value), unit, qualifier)


def test_bullets_and_vietnamese_words_are_not_goods() -> None:
    assert [q.unit for q in find_quantities("cùng 50 viên đạn và 2 khẩu súng")] == ["rounds", "weapons"]
    assert find_quantities("một lô hàng chứa gần 700kg")[0].value == 700  # "chứa gần" holds no "a g"


def test_day_first_dates() -> None:
    ref = date(2019, 12, 23)
    found = {d.raw: d.iso for d in parse_dates("hơn 3h sáng nay (23/12), lúc 16h ngày 5/10 và ngày 6.1.2018", ref, VI)}
    assert found["(23/12"] == "2019-12-23"
    assert found["ngày 5/10"] == "2019-10-05"
    assert found["6.1.2018"] == "2018-01-06"
    assert parse_dates("giữa tháng 8", date(2025, 10, 5), VI)[0].iso == "2025-08"
    assert parse_dates("tính đến tháng 12/2014", None, VI)[0].iso == "2014-12"
    assert [d.iso for d in parse_dates("sinh năm 1990", ref, VI)] == []


def test_provinces_in_vietnamese() -> None:
    gazetteer = Gazetteer.load()
    found = {m.text: (m.place.country, m.place.admin1 or m.place.name) for m in
             gazetteer.find("Hai người sống ở tỉnh Bôlykhămxay bị bắt tại Hà Tĩnh và Thừa Thiên - Huế")}
    assert found["Bôlykhămxay"][0] == "LA"
    assert found["Hà Tĩnh"][0] == "VN"
    assert found["Thừa Thiên - Huế"][0] == "VN"


REPORT = """Bắt giữ 2 đối tượng vận chuyển 240.000 viên hồng phiến
Báo Tuổi Trẻ | 10/11/2024

Sáng 9/11, Bộ đội Biên phòng tỉnh Sơn La bắt quả tang hai đối tượng người Lào đang vận chuyển 240.000 viên hồng phiến và 1,5 kg ma túy đá từ Lào vào Việt Nam tại huyện Sông Mã.

Đại tá Nguyễn Văn Nam, Chỉ huy trưởng Bộ Chỉ huy Bộ đội Biên phòng tỉnh Sơn La, cho biết: “Đây là chuyên án lớn nhất từ đầu năm đến nay mà đơn vị phá được.”

Trước đó, ngày 2/11, lực lượng chức năng phát hiện 12 bánh heroin giấu trong bao tải nhưng các đối tượng đã bỏ trốn.
"""


def test_report_events_arrests_and_quote(extractor: Extractor) -> None:
    facts = _facts(extractor, REPORT)
    first, second = facts.events
    assert (first.date, first.admin1, first.arrests, first.suspect_nationalities) == ("2024-11-09", "Son La", 2, ("LA",))
    assert (first.origin_country, first.destination_country) == ("LA", "VN")
    items = {(i.substance, i.form): (i.mass_kg, i.count) for i in first.items}
    assert items == {("methamphetamine", "tablets"): (None, 240_000), ("methamphetamine", "crystal"): (1.5, None)}
    assert (second.date, second.arrests) == ("2024-11-02", 0)
    assert [(i.substance, i.count, i.count_unit) for i in second.items] == [("heroin", 12, "cakes")]
    (quote,) = facts.quotes
    assert quote.speaker == "Nguyễn Văn Nam" and quote.text.startswith("Đây là chuyên án")


def test_dot_thousands_in_masses_and_people() -> None:
    assert find_quantities("thu giữ 1.200 kg vảy tê tê")[0].value == 1200
    assert find_quantities("thu giữ 28.880 kg hàng")[0].value == 28_880


def test_count_then_name_then_weight_is_one_item(extractor: Extractor) -> None:
    text = ("Ngày 4/1, Hạt Kiểm lâm huyện Hướng Hóa (Quảng Trị) phát hiện, tạm giữ xe tải chở 15 m3 gỗ trắc "
            "và 3 cá thể tê tê sống nặng 12 kg.")
    (event,) = _facts(extractor, "Tin tức\n\n" + text, "2022-01-05").events
    items = {i.substance: (i.mass_kg, i.count, i.volume_m3) for i in event.items}
    assert items == {"rosewood": (None, None, 15), "pangolin": (12, 3, None)}
    assert (event.date, event.admin1) == ("2022-01-04", "Quang Tri")


def test_fled_crew_is_no_arrest_and_year_total_is_a_statistic(extractor: Extractor) -> None:
    text = ("Thanh Niên | 20/7/2024\n\n"
            "Rạng sáng qua, Bộ đội Biên phòng tỉnh Bà Rịa - Vũng Tàu bắt giữ tàu cá chở hơn 1,2 tấn ma túy đá. "
            "Các đối tượng trên tàu đã nhảy xuống biển bỏ trốn.\n\n"
            "Năm 2023, lực lượng chức năng tỉnh Sơn La đã thu giữ 300 kg heroin và bắt giữ 1.200 đối tượng.\n")
    facts = _facts(extractor, text, "2024-07-20")
    (event,) = facts.events
    assert (event.date, event.admin1, event.arrests) == ("2024-07-19", "Ba Ria-Vung Tau", 0)
    assert [(i.substance, i.form, i.mass_kg) for i in event.items] == [("methamphetamine", "crystal", 1200)]
    (total,) = facts.aggregates
    assert (total.period_start, total.period_end, total.arrests) == (date(2023, 1, 1), date(2023, 12, 31), 1200) or (
        str(total.period_start), str(total.period_end), total.arrests) == ("2023-01-01", "2023-12-31", 1200)


def test_day_told_on_yields_to_the_haul_s_own_day(extractor: Extractor) -> None:
    text = ("Tin tức\n\n"
            "Ngày 12.3.2021, Trạm CSGT Cam Lộ cho biết đã chuyển giao tang vật của vụ vận chuyển gỗ trắc. "
            "Trước đó, ngày 10.3, tổ tuần tra chặn xe tải tại huyện Cam Lộ, tỉnh Quảng Trị và phát hiện "
            "2 tấn gỗ trắc.\n")
    (event,) = _facts(extractor, text, "2021-03-12").events
    assert event.date == "2021-03-10"


def test_without_publication_the_text_s_full_date_gives_bare_days_their_year(extractor: Extractor) -> None:
    text = ("Báo Hải quan\n\n"
            "Con tàu đưa container tới cảng Đà Nẵng hôm 29/9/2018. "
            "Chiều 4/10, Hải quan cảng Đà Nẵng khám xét container và thu giữ hơn 2 tấn ngà voi.\n\n"
            "Hôm qua, cơ quan chức năng tiếp tục điều tra.\n")
    (event,) = _facts(extractor, text, None).events
    assert event.date == "2018-10-04"


def test_past_months_reach_back_to_the_same_day(extractor: Extractor) -> None:
    text = ("Tin tức\n\n"
            "Trong 6 tháng qua, Bộ đội Biên phòng tỉnh Quảng Trị đã thu giữ 300 kg ma túy và bắt giữ "
            "120 đối tượng.\n")
    (total,) = _facts(extractor, text, "2025-08-08").aggregates
    assert (str(total.period_start), str(total.period_end)) == ("2025-02-08", "2025-08-08")


def test_a_province_in_the_seizing_force_s_name_is_not_where_it_seized(extractor: Extractor) -> None:
    text = ("Tin tức\n\n"
            "Giữa tháng 8, Bộ đội Biên phòng Quảng Trị đã bắt hai người chở ma túy tại Đà Nẵng. "
            "Hai nghi phạm khi ấy chất kín ôtô bằng những bao tải ma túy, tổng cộng 295,5 kg.\n")
    (event,) = _facts(extractor, text, "2025-09-20").events
    assert event.admin1 == "Da Nang"


def test_a_paragraph_opening_on_an_earlier_case_is_another_event(extractor: Extractor) -> None:
    text = ("Tin tức\n\n"
            "Sáng 11-6, hai người quốc tịch Lào vừa đưa heroin tới thị trấn Noọng Hét (Xiêng Khoảng, Lào) thì bị bắt. "
            "Tang vật thu giữ gồm 12 bánh heroin (tương đương gần 4 kg), 3.000 viên ma túy tổng hợp.\n\n"
            "Trước đó, biên phòng đã cắt đứt một đường dây ma túy khác. "
            "Ba người bị bắt; lực lượng chức năng thu 20 bánh heroin, 1.500 viên ma túy tổng hợp.\n")
    first, second = _facts(extractor, text, None).events
    assert first.arrests == 2 and second.arrests == 3
    assert [(i.substance, i.mass_kg, i.count) for i in first.items] == [("heroin", 4, 12), (None, None, 3000)]
    assert [(i.substance, i.count) for i in second.items] == [("heroin", 20), (None, 1500)]


def test_drugs_fished_out_of_the_sea_and_identified_are_a_haul(extractor: Extractor) -> None:
    text = ("Tin tức\n\n"
            "Ngày 22/12, người dân xã An Sơn đã vớt được nhiều gói lạ trôi trên biển. "
            "Cơ quan chức năng xác định đây là ma túy, với số lượng 9kg.\n")
    (event,) = _facts(extractor, text, "2020-12-25").events
    assert [(i.commodity, i.mass_kg) for i in event.items] == [("drugs", 9)]


def test_a_province_stands_for_its_country_in_a_stated_route(extractor: Extractor) -> None:
    text = ("Tin tức\n\n"
            "Biên phòng tỉnh Nghệ An đã cắt đứt hai đường dây đưa ma túy từ Lào vào Nghệ An trong năm qua.\n")
    assert {(f.origin, f.destination) for f in _facts(extractor, text, "2024-05-01").flows} == {("LA", "VN")}


def test_cases_listed_between_semicolons_are_each_their_own_haul(extractor: Extractor) -> None:
    """"...; Chuyên án X ..." : each case of a list separated by semicolons is its own seizure."""
    text = ("Nổi bật là chuyên án do Công an tỉnh Sơn La thực hiện, bắt 2 đối tượng, thu giữ 8.000 viên ma túy "
            "tổng hợp; chuyên án do Công an tỉnh Lạng Sơn chủ trì, bắt 3 đối tượng, thu giữ 15 kg ma túy đá; "
            "vụ án tại tỉnh Cao Bằng, bắt 1 đối tượng, thu giữ 4 bánh heroin.")
    events = _facts(extractor, text).events
    assert [(e.admin1, e.arrests) for e in events] == [("Son La", 2), ("Lang Son", 3), ("Cao Bang", 1)]
    assert [e.items[0].count or e.items[0].mass_kg for e in events] == [8000, 15, 4]


def test_a_lead_summing_searches_at_many_places_yields_to_the_hauls_told_after_it() -> None:
    text = ("Triệt phá đường dây ma túy\n\n"
            "Ban chuyên án tiến hành khám xét 11 địa điểm, thu giữ 19 bánh heroin cùng 120 kg ma túy các loại.\n\n"
            "Tại Biên Hòa, Đồng Nai, lực lượng chức năng thu giữ 19 bánh heroin, 8 kg ma túy đá.\n")
    doc = Document(id="vi", text=text, content_hash="h", source="test", language="vi", published="2020-07-25",
                   published_precision="day")
    events = Extractor(Settings()).extract(doc).events
    assert [[(i.count, i.mass_kg) for i in e.items] for e in events] == [[(19.0, None), (None, 8.0)]]
