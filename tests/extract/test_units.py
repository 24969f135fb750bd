"""Quantities in the formats real reports use, and the numbers that are not goods."""

from __future__ import annotations

from itertools import pairwise

import pytest

from borderwatch.extract.units import (
    GOODS_UNITS,
    Quantity,
    count_unit_form,
    find_quantities,
    parse_number,
)

# (sentence, raw, value, kind, unit, qualifier): each sentence holds one quantity.
QUANTITIES = [
    ("recovered 1,034,413 pills of", "1,034,413 pills", 1034413, "count", "tablets", None),
    ("a weight of 93.973 kilograms, with", "93.973 kilograms", 93.973, "mass", "kg", None),
    ("net weight 93.973 kilogrammes", "93.973 kilogrammes", 93.973, "mass", "kg", None),
    ("carrying 4,978 grams of crystal", "4,978 grams", 4.978, "mass", "kg", None),
    ("carrying 903 grams of crystal", "903 grams", 0.903, "mass", "kg", None),
    ("seized 100g of crushed stimulants", "100g", 0.1, "mass", "kg", None),
    ("seized 15,5 million narcotic pills", "15,5 million narcotic pills", 15_500_000, "count",
     "tablets", None),
    ("confiscated 6.5 mn stimulant tablets", "6.5 mn stimulant tablets", 6_500_000, "count",
     "tablets", None),
    ("the haul of 6.5 million was", "6.5 million", 6_500_000, "count", "number", None),
    ("found more than 1 million methamphetamine pills",
     "more than 1 million methamphetamine pills", 1_000_000, "count", "tablets", "more than"),
    ("more than one million illicit pills", "more than one million illicit pills", 1_000_000,
     "count", "tablets", "more than"),
    ("over 1m-plus meth pills seized", "over 1m-plus meth pills", 1_000_000, "count", "tablets",
     "more than"),
    ("half a tonne of heroin", "half a tonne", 500, "mass", "kg", None),
    ("1.2 tonnes of ivory", "1.2 tonnes", 1200, "mass", "kg", None),
    ("uncovered 5.3 tonnes of scales", "5.3 tonnes", 5300, "mass", "kg", None),
    ("upwards of five tonnes of scales", "upwards of five tonnes", 5000, "mass", "kg",
     "more than"),
    ("More than five metric tonnes of", "More than five metric tonnes", 5000, "mass", "kg",
     "more than"),
    ("where 8.3 tonnes of pangolin", "8.3 tonnes", 8300, "mass", "kg", None),
    ("carrying 10 tonnes of luxury timber", "10 tonnes", 10000, "mass", "kg", None),
    ("Ten tonnes of timber", "Ten tonnes", 10000, "mass", "kg", None),
    ("a tonne of ivory", "a tonne", 1000, "mass", "kg", None),
    ("caught carrying 10 kg of meth", "10 kg", 10, "mass", "kg", None),
    ("423.3kg of drugs", "423.3kg", 423.3, "mass", "kg", None),
    ("smuggle 20,000 synthetic drug pills", "20,000 synthetic drug pills", 20000, "count",
     "tablets", None),
    ("smuggle 100,000 ecstasy pills from", "100,000 ecstasy pills", 100000, "count", "tablets",
     None),
    ("more than 300 kilogrammes of ketamine", "more than 300 kilogrammes", 300, "mass", "kg",
     "more than"),
    ("around 682 kilograms of drugs", "around 682 kilograms", 682, "mass", "kg", "about"),
    ("approximately 1,034,413 pills", "approximately 1,034,413 pills", 1034413, "count",
     "tablets", "about"),
    ("nearly 5 kg of heroin", "nearly 5 kg", 5, "mass", "kg", "nearly"),
    ("at least 30 cubic metres of", "at least 30 cubic metres", 30, "volume", "m3", "at least"),
    ("up to 40 kilograms", "up to 40 kilograms", 40, "mass", "kg", "up to"),
    ("less than 2 grams of", "less than 2 grams", 0.002, "mass", "kg", "less than"),
    ("more than seven cubic metres of rosewood", "more than seven cubic metres", 7, "volume",
     "m3", "more than"),
    ("totalling 7 m3 of rosewood", "7 m3", 7, "volume", "m3", None),
    ("totalling 12 m³ of timber", "12 m³", 12, "volume", "m3", None),
    ("packed with 183 pieces of thnong", "183 pieces", 183, "count", "pieces", None),
    ("the 109 pieces were", "109 pieces", 109, "count", "pieces", None),
    ("brought 13 packages of meth pills", "13 packages", 13, "count", "packages", None),
    ("found 167 packages of drugs", "167 packages", 167, "count", "packages", None),
    ("uprooted 3,365 plants", "3,365 plants", 3365, "count", "plants", None),
    ("大麻3365本を刈り取って", "3365本", 3365, "count", "plants", None),
    ("覚醒剤3万錠以上を押収", "3万錠以上", 30000, "count", "tablets", "more than"),
    ("広さ1890㎡の大麻栽培地", "1890㎡", 1890, "area", "m2", None),
    ("valued at 2.6 billion kyats", "2.6 billion kyats", 2.6e9, "money", "MMK", None),
    ("valued at no less than $218,000, on", "no less than $218,000", 218000, "money", "USD",
     "at least"),
    ("Riel, US$53,469 and", "US$53,469", 53469, "money", "USD", None),
    ("upwards of 85 million Riel", "upwards of 85 million Riel", 85e6, "money", "KHR",
     "more than"),
    ("fined 20 million dong", "20 million dong", 20e6, "money", "VND", None),
    ("worth 1.5 lakh", "1.5 lakh", 150000, "count", "number", None),
    ("20 kg-packages of heroin", "20 kg-packages", 20, "count", "kg-packages", None),
    ("20 one-kilogram packages of", "20 one-kilogram packages", 20, "count", "kg-packages", None),
    ("one and a half million pills", "one and a half million pills", 1_500_000, "count",
     "tablets", None),
    ("10 kg or more of heroin", "10 kg or more", 10, "mass", "kg", "more than"),
    ("arrested 1,273 foreigners, in", "1,273 foreigners", 1273, "count", "people", None),
    ("in 739 drug-related cases", "739 drug-related cases", 739, "count", "cases", None),
    ("detained three Lao nationals", "three Lao nationals", 3, "count", "people", None),
    ("50 vehicles were", "50 vehicles", 50, "count", "vehicles", None),
    ("and 1,183 motorcycles", "1,183 motorcycles", 1183, "count", "vehicles", None),
    ("and 3,499 mobile phones", "3,499 mobile phones", 3499, "count", "phones", None),
    ("roughly 2 km inside Cambodia", "roughly 2 km", 2000, "length", "m", "about"),
    ("stopped 50 metres short of", "50 metres", 50, "length", "m", None),
    ("parked 50m away", "50m", 50, "length", "m", None),
    ("seizing 20 heroin cakes and", "20 heroin cakes", 20, "count", "cakes", None),
    ("carrying three heroin bars weighing", "three heroin bars", 3, "count", "bars", None),
    # a dot groups thousands in a count; counts are whole
    ("transporting 250.000 synthetic drug tablets on", "250.000 synthetic drug tablets", 250000, "count",
     "tablets", None),
    # a range is its lower bound, in the unit stated once
    ("found between 30 and 35 kilogrammes of ketamine", "between 30 and 35 kilogrammes", 30, "mass", "kg",
     "at least"),
    ("from 2 to 3 million pills a month", "from 2 to 3 million pills", 2_000_000, "count", "tablets", "at least"),
    # but a change from one figure to another gives the new figure
    ("seizures rose from 80 to 120 kg last year", "120 kg", 120, "mass", "kg", None),
    ("and 9 viss of raw opium", "9 viss", 14.69637, "mass", "kg", None),
    ("found 40 soapcases of heroin", "40 soapcases", 40, "count", "soapcases", None),
    # package and part words of the region's press, in each pack's script
    ("50 sachets of happy water", "50 sachets", 50, "count", "packages", None),
    ("120 boards of rosewood", "120 boards", 120, "count", "pieces", None),
    ("หนังเสือ 2 ผืน", "2 ผืน", 2, "count", "skins", None),
    ("ຢາໄອສ໌ 32 ເປົາ", "32 ເປົາ", 32, "count", "sacks", None),
    ("ma túy 3 bọc", "3 bọc", 3, "count", "packages", None),
    # a product name with a digit in it is a modifier of the count noun after it
    ("and 16,000 happy-5 tablets", "16,000 happy-5 tablets", 16_000, "count", "tablets", None),
    ("with 2,400 Erimin-5 pills", "2,400 Erimin-5 pills", 2_400, "count", "tablets", None),
    ("ម៉ាទឹកកក ២ វ៉ាលី", "២ វ៉ាលី", 2, "count", "bags", None),
    ("ຢາໄອສ໌ 500 ກຼາມ", "500 ກຼາມ", 0.5, "mass", "kg", None),
]


@pytest.mark.parametrize(("text", "raw", "value", "kind", "unit", "qualifier"), QUANTITIES)
def test_quantity(text: str, raw: str, value: float, kind: str, unit: str,
                  qualifier: str | None) -> None:
    found = find_quantities(text)
    assert len(found) == 1, found
    quantity = found[0]
    assert quantity.raw == raw
    assert text[quantity.start:quantity.end] == quantity.raw
    assert quantity.value == pytest.approx(value)
    assert (quantity.kind, quantity.unit, quantity.qualifier) == (kind, unit, qualifier)


NOT_GOODS = [
    "two men, aged 23 and 20, who were",
    "The suspect, 39-year-old Lao national Sieng",
    "a 31-year-old man",
    "Yeng, is 31 and travels on",
    "the boy is only 12 years old",
    "at about 9:30 a.m. local time, and at 7 p.m.",
    "Nearly 50% of addicts relapse; 15 percent never",
    "in 2019, police said",
    "In 2019 Thai officers seized",
    "a truck with licence plate 1115 as its driver",
    "passport number P1859439. Officers",
    "Border Protection Unit 701 and specialised forces",
    "on 30 March 2023, police",
    "Tuesday, November 12, over the illegal",
    "COVID-19 cases rose",
    "from the 2016-2017 fiscal year",
    "people aged from 20 to 35, and 30 to 40",
    "on the 4G network",
]


@pytest.mark.parametrize("text", NOT_GOODS)
def test_not_goods(text: str) -> None:
    found = find_quantities(text)
    assert [q for q in found if q.kind == "count" and q.unit in GOODS_UNITS] == []
    assert [q for q in found if q.kind in {"mass", "volume", "area", "money"}] == []


def test_people_and_cases_are_not_goods_units() -> None:
    found = find_quantities("arrested 27,817 suspects in 10,008 cases and seized 3 trucks")
    assert [(q.value, q.unit) for q in found] == [(27817, "people"), (10008, "cases"), (3, "vehicles")]
    assert not {q.unit for q in found} & GOODS_UNITS


def test_several_quantities_left_to_right_without_overlap() -> None:
    text = ("The drugs are valued at more than 2.6 billion kyats (over $1.2 million); police "
            "also found 6.5 million stimulant tablets and 100g of powder.")
    found = find_quantities(text)
    assert [(q.raw, q.unit) for q in found] == [
        ("more than 2.6 billion kyats", "MMK"), ("over $1.2 million", "USD"),
        ("6.5 million stimulant tablets", "tablets"), ("100g", "kg")]
    assert all(text[q.start:q.end] == q.raw for q in found)
    assert all(a.end <= b.start for a, b in pairwise(found))


@pytest.mark.parametrize(("words", "value"), [
    ("1,034,413", 1034413), ("4,978", 4978), ("15,5 million", 15.5e6), ("93.973", 93.973),
    ("1.034.413", 1034413), ("6.5 mn", 6.5e6), ("6.5 million", 6.5e6), ("1m", 1e6),
    ("Ten", 10), ("twenty-five", 25), ("a million", 1e6), ("one million", 1e6),
    ("half a", 0.5), ("half a million", 5e5), ("a dozen", 12), ("two dozen", 24),
    ("three hundred and fifty", 350), ("two thousand", 2000), ("1.5 lakh", 150000),
    ("2.6 billion", 2.6e9),
])
def test_parse_number(words: str, value: float) -> None:
    assert parse_number(words) == pytest.approx(value)


@pytest.mark.parametrize("words", ["dozens", "several", "hello", "", "half", "9:30"])
def test_parse_number_rejects_non_numbers(words: str) -> None:
    assert parse_number(words) is None


@pytest.mark.parametrize(("unit", "form"), [
    ("pills", "tablets"), ("tablets", "tablets"), ("logs", "logs"), ("plants", "plant"),
    ("tusks", "tusks"), ("pieces", None), ("packages", None), ("people", None),
])
def test_count_unit_form(unit: str, form: str | None) -> None:
    assert count_unit_form(unit) == form


def test_quantity_is_frozen() -> None:
    quantity = find_quantities("10 kg")[0]
    assert isinstance(quantity, Quantity)
    with pytest.raises(AttributeError):
        quantity.value = 1.0  # type: ignore[misc]


@pytest.mark.parametrize(("text", "value"), [("2.116 kg", 2116.0), ("1,5 kg", 1.5), ("295,5 kg", 295.5),
                                             ("240.000 viên", 240000.0), ("11,920.000 tablets", 11920000.0)])
def test_decimal_comma_languages_read_dots_as_thousands(text: str, value: float) -> None:
    """Vietnamese and Lao write "2.116 kg" for 2,116 kg; a number with both marks keeps its own reading."""
    from borderwatch.extract.units import find_quantities

    (quantity,) = find_quantities(text, decimal_comma=True)
    assert quantity.value == pytest.approx(value) and quantity.raw == text


def test_a_latin_counter_word_is_a_whole_word() -> None:
    # The Vietnamese counter "con" must not be read out of "contained".
    found = find_quantities("Eight contained 200,000 speed pills apiece.")
    assert [(q.value, q.unit) for q in found] == [(200000, "tablets")]


def test_slabs_are_packages() -> None:
    q, = find_quantities("138 slabs of marijuana")
    assert (q.value, q.unit) == (138, "packages")


@pytest.mark.parametrize(("text", "raw", "value", "kind", "unit"), [
    ("rangers took yaba tablets numbering 84,000 from the hut", "84,000", 84_000, "count", "tablets"),
    ("officers found capsules, a total of 9,500, in the hold", "9,500", 9_500, "count", "capsules"),
    ("the cargo, in all kg 37, lay under rice", "37", 37, "mass", "kg"),
])
def test_a_unit_told_before_its_number(text: str, raw: str, value: float, kind: str, unit: str) -> None:
    found = [q for q in find_quantities(text) if q.kind == kind]
    assert [(q.raw, q.value, q.unit) for q in found] == [(raw, value, unit)]


@pytest.mark.parametrize("text", ["seized 900 tablets 4 days ago", "they found 12 kg 200 metres from the bank"])
def test_a_number_after_a_counted_unit_takes_no_unit_from_it(text: str) -> None:
    assert len([q for q in find_quantities(text) if q.kind in ("mass", "count") and q.unit != "number"]) == 1


def test_a_four_digit_last_group_is_a_slip_of_the_comma() -> None:
    found, = find_quantities("rangers took in 20,5000 yaba tablets at the farm")
    assert (found.raw, found.value, found.unit) == ("20,5000 yaba tablets", 205_000, "tablets")


def test_a_text_asked_again_gives_the_same_quantities_and_a_list_of_its_own() -> None:
    text = "Officers weighed 14 kg of powder and counted 3,200 tablets at the depot."
    first = find_quantities(text)
    first.clear()
    again = find_quantities(text)
    assert [(q.raw, q.unit) for q in again] == [("14 kg", "kg"), ("3,200 tablets", "tablets")]
    assert again == find_quantities(text) and again is not find_quantities(text)


@pytest.mark.parametrize(("text", "raw", "value"), [
    ("ตำรวจยึดยาบ้า 3 ล้าน 2 แสนเม็ด จากรถตู้", "3 ล้าน 2 แสนเม็ด", 3_200_000),
    ("ພົບຢາບ້າ 1 ລ້ານ 5 ແສນເມັດ ໃນເຮືອ", "1 ລ້ານ 5 ແສນເມັດ", 1_500_000),
    ("ថ្នាំគ្រាប់យ៉ាម៉ា ២លាន ៦សែនគ្រាប់", "២លាន ៦សែនគ្រាប់", 2_600_000),
])
def test_a_smaller_scale_after_a_scale_adds_on(text: str, raw: str, value: float) -> None:
    """"3 ล้าน 2 แสน": three million and two hundred thousand, one number, not two."""
    [q] = find_quantities(text)
    assert (q.raw, q.unit, q.value) == (raw, "tablets", value)
