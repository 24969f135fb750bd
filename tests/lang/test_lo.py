"""Lao reports: decimal commas and dot thousands ("14,8 ລ້ານ", "5.960 ມັດ", "11,920.000 ເມັດ"), ລ້ານ/ແສນ
scales, 'ວັນທີ 17 ມີນາ 2022' dates, provinces of Laos, Thailand and Vietnam, arrests with a breakdown by
nationality, suspects who fled, “ ” quotes and flows from two countries. Every text here is written for
the test."""

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

LO = load_language("lo")


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(Settings())


def _facts(extractor: Extractor, text: str, published: str = "2024-01-07") -> Facts:
    doc = Document(id="lo", text=text, content_hash="h", source="test", language="lo", published=published,
                   published_precision="day")
    facts = extractor.extract(doc)
    for span in facts.spans():
        assert doc.text[span.start:span.end] == span.text
    return facts


@pytest.mark.parametrize(("text", "raw", "value", "unit", "qualifier"), [
    ("ກວດຍຶດຢາບ້າ ຈຳນວນ 14,8 ລ້ານເມັດ ຢູ່", "14,8 ລ້ານເມັດ", 14_800_000, "tablets", None),
    ("ເທົ່າກັບ 11,920.000 ເມັດ,", "11,920.000 ເມັດ", 11_920_000, "tablets", None),
    ("ລວມເປັນ 5.960 ມັດ ", "5.960 ມັດ", 5960, "packages", None),
    ("ຢາໄອສ໌ ປະມານ 50 ກິໂລກຣາມ", "ປະມານ 50 ກິໂລກຣາມ", 50, "kg", "about"),
    ("ເຮໂຣອີນ 3 ແສນ ກຣາມ", "3 ແສນ ກຣາມ", 300, "kg", None),
    ("ໄມ້ປະດູ່ 20 ແມັດກ້ອນ", "20 ແມັດກ້ອນ", 20, "m3", None),
    ("ຈັບກຸມຜູ້ຕ້ອງຫາ 3.200 ຄົນ", "3.200 ຄົນ", 3200, "people", None),
])
def test_lao_numbers(text: str, raw: str, value: float, unit: str, qualifier: str | None) -> None:
    [q] = find_quantities(text)
    assert (q.raw, q.unit, q.qualifier) == (raw, unit, qualifier)
    assert q.value == pytest.approx(value)


def test_lao_dates() -> None:
    ref = date(2024, 1, 10)
    found = {d.raw: d.iso for d in parse_dates(
        "ໃນວັນທີ 17 ມີນາ 2022, ວັນທີ ໒໘ ພະຈິກ ແລະ ມື້ວານນີ້ ຫຼື ວັນຈັນ", ref, LO)}
    assert found["ວັນທີ 17 ມີນາ 2022"] == "2022-03-17"
    assert found["ວັນທີ ໒໘ ພະຈິກ"] == "2023-11-28"
    assert found["ມື້ວານນີ້"] == "2024-01-09"
    assert found["ວັນຈັນ"] == "2024-01-08"


def test_lao_provinces_of_the_region() -> None:
    gazetteer = Gazetteer.load()
    names = {m.place.name for m in gazetteer.find(
        "ເມືອງຫ້ວຍຊາຍ ແຂວງບໍ່ແກ້ວ, ນະຄອນຫຼວງວຽງຈັນ, ແຂວງຈໍາປາສັກ, ຈັງຫວັດນະຄອນພະນົມ ແລະ ແຂວງເງະອານ")}
    assert {"Bokeo", "Vientiane Capital", "Champasak", "Nakhon Phanom", "Nghe An"} <= names


REPORT = """ຫຼວງນ້ຳທາ: ກວດຍຶດຢາບ້າ 2 ລ້ານເມັດ
ວັນທີ 7 ມັງກອນ 2024

ໃນວັນທີ 5 ມັງກອນ 2024, ເຈົ້າໜ້າທີ່ກອງບັນຊາການ ປກສ ແຂວງຫຼວງນ້ຳທາ ໄດ້ກວດຍຶດຢາບ້າ ຈຳນວນ 2 ລ້ານເມັດ ແລະ ຢາໄອສ໌ 50 ກິໂລກຣາມ ພ້ອມທັງຈັບກຸມຜູ້ຕ້ອງຫາ 3 ຄົນ ຄື ຄົນຈີນ 2 ຄົນ ແລະ ຄົນລາວ 1 ຄົນ ຢູ່ບ້ານນ້ຳແກ້ວ ເມືອງລອງ.

ທ່ານ ສົມພອນ ແກ້ວມະນີ ຫົວໜ້າກົມຕຳຫຼວດສະກັດກັ້ນຢາເສບຕິດ ກ່າວວ່າ: “ເຂດຊາຍແດນແມ່ນເສັ້ນທາງທີ່ຖືກໃຊ້ລັກລອບນຳຢາເສບຕິດຈາກມຽນມາ ແລະ ລາວ ເຂົ້າໄປໄທ”.

ມື້ວານນີ້ ເຈົ້າໜ້າທີ່ແຂວງສະຫວັນນະເຂດ ພົບເຫັນໄມ້ປະດູ່ 20 ແມັດກ້ອນ ແຕ່ຜູ້ກະທຳຜິດໄດ້ຫຼົບໜີໄປ.

ອີງຕາມສະຖິຕິຂອງຄະນະກຳມະການກວດກາຢາເສບຕິດແຫ່ງຊາດ, ໃນໄລຍະ 6 ເດືອນຕົ້ນປີ 2023 ທົ່ວປະເທດ ໄດ້ກວດຍຶດຢາບ້າ 45 ລ້ານເມັດ ແລະ ຈັບກຸມຜູ້ຕ້ອງຫາ 3.200 ຄົນ.
"""


def test_a_lao_report(extractor: Extractor) -> None:
    facts = _facts(extractor, REPORT)
    first, second = facts.events
    assert (first.date, first.country, first.admin1, first.arrests) == ("2024-01-05", "LA", "Luang Namtha", 3)
    assert set(first.suspect_nationalities) == {"CN", "LA"}
    assert [(i.substance, i.form, i.count, i.mass_kg) for i in first.items] == [
        ("methamphetamine", "tablets", 2_000_000, None), ("methamphetamine", "crystal", None, 50)]
    assert (second.date, second.admin1, second.arrests, second.items[0].volume_m3) == (
        "2024-01-06", "Savannakhet", 0, 20)
    [total] = facts.aggregates
    assert (total.country, total.period_start, total.period_end, total.arrests) == (
        "LA", "2023-01-01", "2023-06-30", 3200)
    assert total.items[0].count == 45_000_000
    assert {(f.origin, f.destination) for f in facts.flows} == {("MM", "TH"), ("LA", "TH")}
    [quote] = facts.quotes
    assert quote.kind == "direct" and "ສົມພອນ ແກ້ວມະນີ" in (quote.speaker or "")


def test_exhibits_listed_after_the_seizure_are_its_haul_and_the_driver_is_one_arrest(extractor: Extractor) -> None:
    """"ຂອງກາງປະກອບມີ ..." (the exhibits comprise ...) lists what was seized in the sentence before;
    "ຄົນຂັບລົດຖືກຄວບຄຸມຕົວ" (the driver was detained) is one arrest."""
    text = ("ໃນວັນທີ 12 ມີນາ 2025, ເຈົ້າໜ້າທີ່ແຂວງຫຼວງນ້ຳທາ ໄດ້ສະກັດລົດກະບະຄັນໜຶ່ງ. ຂອງກາງປະກອບມີ ຢາບ້າ 300.000 ເມັດ "
            "ແລະ ຢາໄອສ໌ 12 ກິໂລກຣາມ. ຄົນຂັບລົດຖືກຄວບຄຸມຕົວໄວ້.")
    [event] = _facts(extractor, text).events
    assert sorted((i.count or i.mass_kg) for i in event.items) == [12, 300_000]
    assert (event.admin1, event.arrests) == ("Luang Namtha", 1)


def test_a_second_find_the_same_day_after_a_semicolon_is_its_own_haul(extractor: Extractor) -> None:
    """"...; ໃນມື້ດຽວກັນນັ້ນ, ຍັງພົບ ..." (on that same day also found): another haul, on the same day;
    "ຊາຍລາວ" (a Lao man) gives the suspect's nationality."""
    text = ("ວັນທີ 8 ມິຖຸນາ 2025, ຕຳຫຼວດແຂວງອຸດົມໄຊ ກວດພົບຢາບ້າ 2 ລ້ານເມັດ ໃນລົດບັນທຸກ; ໃນມື້ດຽວກັນນັ້ນ, "
            "ຍັງພົບຢາບ້າ 45.000 ເມັດ ຢູ່ເຮືອນຫຼັງໜຶ່ງ ແລະ ໄດ້ຈັບກຸມຊາຍລາວ 1 ຄົນ.")
    first, second = _facts(extractor, text).events
    assert (first.date, first.items[0].count) == ("2025-06-08", 2_000_000)
    assert (second.date, second.items[0].count, second.suspect_nationalities) == ("2025-06-08", 45_000, ("LA",))
