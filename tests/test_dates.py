"""Dates as the press writes them, resolved against the publication date."""

from datetime import date

import pytest

from borderwatch.dates import month_end, parse_date, parse_dates, to_date

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
