"""Dates as the press writes them, resolved against the publication date."""

from datetime import date

import pytest

from borderwatch.dates import month_end, parse_date, parse_dates, to_date
from borderwatch.lang import language_for

PUBLISHED = date(2020, 8, 19)  # a Wednesday


@pytest.mark.parametrize(("text", "iso", "precision"), [
    ("Wednesday, 19 August 2020", "2020-08-19", "day"),
    ("Friday, May 24, 2019, 16:54 GMT+7", "2019-05-24", "day"),
    ("Radio Free Asia\n2016-05-17", "2016-05-17", "day"),
    ("2025年2月4日", "2025-02-04", "day"),
    ("STUNG TRENG, November 2024", "2024-11", "month"),
    ("on 30 March 2023, police acting on a tip-off", "2023-03-30", "day"),
    ("the 3rd of June, 2021", "2021-06-03", "day"),
    ("VietnamPlus | 14/03/2024", "2024-03-14", "day"),
    ("dated 05.04.2024 in Vientiane", "2024-04-05", "day"),
    ("a US-style 03/14/2024 stamp", "2024-03-14", "day"),
    ("a record seizure in late 2023, when", "2023", "year"),
    ("by mid-2019 the route", "2019", "year"),
])
def test_absolute_dates(text: str, iso: str, precision: str) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert (parsed.iso, parsed.precision) == (iso, precision)
    assert text[parsed.start:parsed.end] == parsed.raw


@pytest.mark.parametrize(("text", "iso"), [
    ("police on Saturday revealed", "2020-08-15"),
    ("on Wednesday night", "2020-08-19"),
    ("in the small hours of yesterday morning", "2020-08-18"),
    ("as of August 17, authorities", "2020-08-17"),
    ("On May 23, border guards", "2020-05-23"),
    ("earlier this month", "2020-08"),
    ("last month", "2020-07"),
    ("seized early this month", "2020-08"),
    ("in late last month", "2020-07"),
    ("Early this year, police", "2020"),
    ("当局は2日、", "2020-08-02"),
])
def test_relative_dates_resolve_against_publication(text: str, iso: str) -> None:
    parsed = parse_date(text, PUBLISHED)
    assert parsed is not None and parsed.iso == iso


def test_day_month_without_year_in_a_january_report_is_last_year() -> None:
    parsed = parse_date("on 23 December", date(2021, 1, 5))
    assert parsed is not None and parsed.iso == "2020-12-23"


def test_relative_dates_need_a_reference() -> None:
    assert parse_date("on Tuesday the suspect was detained") is None
    assert parse_date("on 9 November") is None


def test_several_dates_left_to_right_without_overlap() -> None:
    found = parse_dates("On the morning of November 9 ... in an unrelated case on October 30", date(2024, 11, 20))
    assert [d.iso for d in found] == ["2024-11-09", "2024-10-30"]


def test_impossible_dates_are_not_dates() -> None:
    assert parse_date("31 February 2020") is None


def test_helpers() -> None:
    assert month_end(2024, 2) == date(2024, 2, 29)
    assert month_end(2024, 12) == date(2024, 12, 31)
    assert to_date("2024-11-09") == date(2024, 11, 9)
    assert to_date("2024-11") is None


@pytest.mark.parametrize(("text", "iso", "precision", "raw"), [
    ("同州では先月30日にも", "2024-10-30", "day", "先月30日"),
    ("今月3日、警察は", "2024-11-03", "day", "今月3日"),
    ("今月上旬には", "2024-11", "month", "今月"),
    ("昨年12月、", "2023-12", "month", "昨年12月"),
    ("同県では昨年にも", "2023", "year", "昨年"),
    ("同州では9月にも", "2024-09", "month", "9月"),
    ("12月にも", "2023-12", "month", "12月"),  # the latest December by the publication date
    ("2022年に押収", "2022", "year", "2022年"),
    ("令和7年6月30日", "2025-06-30", "day", "令和7年6月30日"),
    ("２０２４年１１月９日", "2024-11-09", "day", "２０２４年１１月９日"),  # full-width digits
])
def test_japanese_dates(text: str, iso: str, precision: str, raw: str) -> None:
    parsed = parse_date(text, date(2024, 11, 14))
    assert parsed is not None
    assert (parsed.iso, parsed.precision, parsed.raw) == (iso, precision, raw)
    assert text[parsed.start:parsed.end] == parsed.raw


def test_japanese_month_ranges_are_not_single_months() -> None:
    assert [d.raw for d in parse_dates("今年1～2月に全国で", date(2025, 3, 14))] == ["今年"]



@pytest.mark.parametrize(("text", "iso", "precision", "raw"), [
    ("In June, rangers found", "2020-06", "month", "In June"),
    ("In November last year, customs officers", "2019-11", "month", "In November last year"),
    ("last October the unit", "2019-10", "month", "last October"),
    ("since early March police have", "2020-03", "month", "since early March"),
    ("Last week, two couriers were held", "2020-08", "month", "Last week"),
    ("the boat was stopped on the 12th, when", "2020-08-12", "day", "the 12th"),
    ("the truck left on the 25th and", "2020-07-25", "day", "the 25th"),
    ("since the budget year began on Oct 1 last year, officers", "2019-10-01", "day", "Oct 1 last year"),
])
def test_months_weeks_and_ordinal_days_resolve_against_publication(text: str, iso: str, precision: str,
                                                                  raw: str) -> None:
    parsed = parse_date(text, PUBLISHED)
    assert parsed is not None
    assert (parsed.iso, parsed.precision, parsed.raw) == (iso, precision, raw)
    assert text[parsed.start:parsed.end] == parsed.raw


def test_a_week_across_two_months_is_told_at_the_month_of_most_of_its_days() -> None:
    parsed = parse_date("Last week, two couriers were held", date(2024, 3, 6))  # 26 Feb - 3 Mar
    assert parsed is not None and (parsed.iso, parsed.precision) == ("2024-02", "month")


def test_numeric_date_at_the_end_of_a_sentence() -> None:
    parsed = parse_date("They were caught late on 4/2/2021.")
    assert parsed is not None and (parsed.iso, parsed.raw) == ("2021-02-04", "4/2/2021")


def test_a_bare_month_in_a_may_report_is_not_a_modal() -> None:
    assert parse_date("police may seize the boat", PUBLISHED) is None
    assert parse_date("the 21st century trade", PUBLISHED) is None


@pytest.mark.parametrize("text", ["seized in an operation on Nov 28-30, arresting five", "raids on 28–30 November",
                                  "arrested on November 7 and 8, after"])
def test_a_day_range_is_dated_to_its_month(text: str) -> None:
    found, = parse_dates(text, date(2023, 12, 2))
    assert (found.iso, found.precision) == ("2023-11", "month")


def test_two_days_joined_by_and_need_a_day_after_the_and() -> None:
    found, = parse_dates("on March 5 and 6 people were held", date(2023, 12, 2))
    assert (found.iso, found.raw) == ("2023-03-05", "March 5")
    found, = parse_dates("on August 7 and 8, 2012, after", None)
    assert (found.iso, found.precision, found.raw) == ("2012-08", "month", "August 7 and 8, 2012")


@pytest.mark.parametrize(("text", "iso"), [("Earlier, on 27/4, customs officers", "2020-04-27"),
                                          ("On 9/2, the agency arrested", "2020-02-09")])
def test_an_english_page_writes_day_and_month_day_first(text: str, iso: str) -> None:
    found, = parse_dates(text, PUBLISHED, language_for("en"))
    assert (found.iso, found.precision) == (iso, "day")
    assert parse_dates("it rose 3/4 of the way", PUBLISHED, language_for("en")) == []


@pytest.mark.parametrize(("text", "iso"), [
    ("rangers stopped the van on Tuesday last week", "2020-08-11"),  # PUBLISHED is a Wednesday
    ("the raid on the Wednesday of last week", "2020-08-12"),
    ("a search last Friday turned up", "2020-08-14"),
])
def test_a_weekday_of_last_week_is_in_the_calendar_week_before(text: str, iso: str) -> None:
    parsed = parse_date(text, PUBLISHED)
    assert parsed is not None and (parsed.iso, parsed.precision) == (iso, "day")


def test_a_text_asked_twice_gives_the_same_dates_in_a_list_of_its_own() -> None:
    text = "The shipment left Vientiane on 4 March 2025 and was stopped on Friday."
    first = parse_dates(text, date(2025, 3, 10))
    first.append(first[0])
    again = parse_dates(text, date(2025, 3, 10))
    assert [d.iso for d in again] == ["2025-03-04", "2025-03-07"]
    assert [d.iso for d in parse_dates(text, date(2025, 3, 20))][1] == "2025-03-14"


@pytest.mark.parametrize(("code", "text", "iso"), [
    ("lo", "ເມື່ອອາທິດແລ້ວນີ້ ເຈົ້າໜ້າທີ່ແຂວງບໍ່ແກ້ວ ໄດ້ຢຶດຢາບ້າ", "2020-08"),
    ("lo", "ເດືອນແລ້ວນີ້, ຕຳຫຼວດເມືອງຕົ້ນເຜິ້ງ", "2020-07"),
    ("th", "เมื่อสัปดาห์ที่แล้ว ตำรวจยึดยาบ้า", "2020-08"),
    ("km", "កាលពីខែមុន នគរបាល", "2020-07"),
    ("vi", "tuần trước, công an tỉnh", "2020-08"),
    ("zh", "上周警方查获", "2020-08"),
    ("ja", "先週、警察は", "2020-08"),
])
def test_last_week_and_last_month_are_told_at_their_month_in_every_pack(code: str, text: str, iso: str) -> None:
    found = parse_dates(text, PUBLISHED, language_for(code))
    assert [(d.iso, d.precision) for d in found] == [(iso, "month")]


@pytest.mark.parametrize(("code", "text"), [
    ("lo", "ວັນອາທິດແລ້ວນີ້"),  # last Sunday, a day
    ("th", "2 สัปดาห์ก่อน"),  # two weeks ago
    ("vi", "2 tháng trước"),
])
def test_a_weekday_or_a_count_of_weeks_is_no_last_week(code: str, text: str) -> None:
    assert all(d.precision != "month" for d in parse_dates(text, PUBLISHED, language_for(code)))
