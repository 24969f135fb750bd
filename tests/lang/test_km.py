"""Khmer reports: Khmer digits, ជិត/ប្រមាណ/ជាង hedges, ម៉ឺន/លាន scales, 'ថ្ងៃទី២២ ខែធ្នូ ឆ្នាំ២០១៧'
dates and weekdays, provinces of Cambodia, Laos and Thailand, arrests counted in digits and words,
suspects who fled, « » quotes and national statistics. Every text here is written for the test."""

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

KM = load_language("km")


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(Settings())


def _facts(extractor: Extractor, text: str, published: str = "2024-01-17") -> Facts:
    doc = Document(id="km", text=text, content_hash="h", source="test", language="km", published=published,
                   published_precision="day")
    facts = extractor.extract(doc)
    for span in facts.spans():
        assert doc.text[span.start:span.end] == span.text
    return facts


@pytest.mark.parametrize(("text", "raw", "value", "unit", "qualifier"), [
    ("នូវម៉ាទឹកកកប្រមាណ ៨ គីឡូក្រាម", "ប្រមាណ ៨ គីឡូក្រាម", 8, "kg", "about"),
    ("មានទម្ងន់សរុប ២,៩៩០.២ ក្រាម។", "២,៩៩០.២ ក្រាម", 2.9902, "kg", None),
    ("រឹបអូសគ្រឿងញៀនជាង ៣ តោន។", "ជាង ៣ តោន", 3000, "kg", "more than"),
    ("ឈើគ្រញូងប្រមាណជិត២០០ដុំ", "ប្រមាណជិត២០០ដុំ", 200, "pieces", "nearly"),
    ("ថ្នាំគ្រាប់យ៉ាម៉ាចំនួន ១២,៥០០ គ្រាប់", "១២,៥០០ គ្រាប់", 12_500, "tablets", None),
    ("យ៉ាម៉ាជាង ១ម៉ឺនគ្រាប់", "ជាង ១ម៉ឺនគ្រាប់", 10_000, "tablets", "more than"),
    ("ឈើប្រណីតចំនួន ៣ ម៉ែត្រគូប", "៣ ម៉ែត្រគូប", 3, "m3", None),
    ("ជនសង្ស័យជាង ២០,០០០ នាក់", "ជាង ២០,០០០ នាក់", 20_000, "people", "more than"),
])
def test_khmer_numbers(text: str, raw: str, value: float, unit: str, qualifier: str | None) -> None:
    [q] = find_quantities(text)
    assert (q.raw, q.unit, q.qualifier) == (raw, unit, qualifier)
    assert q.value == pytest.approx(value)


def test_khmer_dates_months_and_weekdays() -> None:
    ref = date(2023, 3, 28)
    found = {d.raw: d.iso for d in parse_dates(
        "ថ្ងៃទី ២២ ខែធ្នូ ឆ្នាំ២០១៧ ហើយកាលពីថ្ងៃទី៩ ខែកុម្ភៈ និងកាលពីថ្ងៃច័ន្ទ ព្រមទាំងម្សិលមិញ", ref, KM)}
    assert found["ថ្ងៃទី ២២ ខែធ្នូ ឆ្នាំ២០១៧"] == "2017-12-22"
    assert found["ថ្ងៃទី៩ ខែកុម្ភៈ"] == "2023-02-09"
    assert found["ថ្ងៃច័ន្ទ"] == "2023-03-27"
    assert found["ម្សិលមិញ"] == "2023-03-27"


def test_khmer_provinces_of_the_region() -> None:
    gazetteer = Gazetteer.load()
    names = {m.place.name for m in gazetteer.find(
        "នៅភូមិហាត់សាយឃុន ខេត្តចំប៉ាសាក់ ប្រទេសឡាវ ជាប់ខេត្តស្ទឹងត្រែង និងខេត្តស្រះកែវ ប្រទេសថៃ")}
    assert {"Champasak", "Stung Treng", "Sa Kaeo"} <= names


REPORT = """បាត់ដំបង៖ ឃាត់ខ្លួនជនសង្ស័យជនជាតិថៃ ២នាក់ ជាមួយថ្នាំគ្រាប់យ៉ាម៉ា
ថ្ងៃទី១៧ ខែមករា ឆ្នាំ២០២៤

ខេត្តបាត់ដំបង៖ កាលពីថ្ងៃទី១៥ ខែមករា ឆ្នាំ២០២៤ កម្លាំងការិយាល័យប្រឆាំងគ្រឿងញៀន នៃស្នងការដ្ឋាននគរបាលខេត្តបាត់ដំបង បានឃាត់ខ្លួនជនសង្ស័យ ២នាក់ ជាជនជាតិថៃ ព្រមទាំងរឹបអូសបានថ្នាំគ្រាប់យ៉ាម៉ាចំនួន ១២,៥០០ គ្រាប់ និងម៉ាទឹកកកប្រមាណ ៥០០ ក្រាម នៅភូមិអូរ ឃុំអូរដា ស្រុកកំរៀង។

លោកវរសេនីយ៍ឯក សុខ ជា ស្នងការរងនគរបាលខេត្ត បានឲ្យដឹងថា គ្រឿងញៀនទាំងនេះត្រូវបានជនសង្ស័យដឹកពីប្រទេសថៃចូលមកកម្ពុជា។

លោក សុខ ជា បានមានប្រសាសន៍ថា៖ «យើងនឹងបន្តបង្ក្រាបបទល្មើសគ្រឿងញៀនឲ្យខ្លាំងក្លាថែមទៀត»។

កាលពីម្សិលមិញ នៅស្រុកសំឡូត ជនល្មើសបានរត់គេចខ្លួន ដោយបោះបង់ចោលឈើប្រណីតចំនួន ៣ ម៉ែត្រគូប។

បើតាមស្ថិតិរបស់អាជ្ញាធរជាតិប្រយុទ្ធប្រឆាំងគ្រឿងញៀន ចាប់ពីខែមករា ដល់ខែមិថុនា ឆ្នាំ២០២៣ កម្ពុជាបានចាប់ខ្លួនជនសង្ស័យ ៨,០០០ នាក់ ក្នុងនោះមានជនបរទេស ៩០ នាក់ និងរឹបអូសគ្រឿងញៀនបានជាង ២ តោន។
"""


def test_a_khmer_report(extractor: Extractor) -> None:
    facts = _facts(extractor, REPORT)
    first, second = facts.events
    assert (first.date, first.country, first.admin1, first.arrests) == ("2024-01-15", "KH", "Battambang", 2)
    assert first.suspect_nationalities == ("TH",)
    assert (first.origin_country, first.destination_country) == ("TH", "KH")
    assert [(i.substance, i.form, i.count, i.mass_kg) for i in first.items] == [
        ("methamphetamine", "tablets", 12_500, None), ("methamphetamine", "crystal", None, 0.5)]
    assert (second.date, second.arrests, second.items[0].commodity, second.items[0].volume_m3) == (
        "2024-01-16", 0, "timber", 3)
    [total] = facts.aggregates
    assert (total.country, total.period_start, total.period_end, total.arrests) == (
        "KH", "2023-01-01", "2023-06-30", 8000)
    assert total.items[0].mass_kg == 2000
    [quote] = facts.quotes
    assert (quote.speaker, quote.kind) == ("សុខ ជា", "direct")
    assert quote.text.startswith("យើងនឹងបន្ត")


def test_local_man_is_a_national_and_a_total_yields_to_its_breakdown(extractor: Extractor) -> None:
    text = ("គ្រឿងញៀនត្រូវបានរឹបអូស\n\n"
            "កាលពីថ្ងៃទី២៥ ខែមីនា ឆ្នាំ២០២៣ នគរបាលបានចាប់ខ្លួនបុរសក្នុងស្រុកម្នាក់ នៅរាជធានីភ្នំពេញ "
            "ព្រមទាំងរឹបអូសគ្រឿងញៀនខុសច្បាប់ ១៣.៣ គីឡូក្រាម គឺម៉ាទឹកកកប្រមាណ ៨ គីឡូក្រាម ម៉ាទឹក ១.១៣ គីឡូក្រាម "
            "ថ្នាំអ៊ិចស្តាស៊ី ៤.១៨ គីឡូក្រាម និងកេតាមីន ៥៤ ក្រាម។\n")
    (event,) = _facts(extractor, text, "2023-03-28").events
    assert event.suspect_nationalities == ("KH",)
    assert sorted((i.substance, i.mass_kg) for i in event.items) == [
        ("ketamine", 0.054), ("mdma", 4.18), ("methamphetamine", 1.13), ("methamphetamine", 8.0)]


def test_goods_told_in_detail_after_the_raid_are_its_haul(extractor: Extractor) -> None:
    text = ("ព័ត៌មាន\n\n"
            "កម្លាំងរដ្ឋបាលព្រៃឈើបានចុះបង្ក្រាបបទល្មើសព្រៃឈើមួយករណី ដោយរកឃើញឈើដែលឈ្មួញលាក់ទុក។ "
            "ឈើទាំងនោះមានឈើប្រណិតចំនួន១៥ដុំ និងឈើជ្រលង់ប្រមាណ៣០ដុំ។\n")
    (event,) = _facts(extractor, text).events
    assert sorted((i.substance, i.count, i.count_unit) for i in event.items) == [
        ("timber", 15, "pieces"), ("timber", 30, "pieces")]


def test_a_wire_dateline_names_where_the_report_was_filed_not_the_haul(extractor: Extractor) -> None:
    """"ភ្នំពេញ៖ ..." opens a capital-desk report; the province the body names is where the goods were."""
    text = ("ភ្នំពេញ៖ កងរាជអាវុធហត្ថខេត្តកំពត បានរឹបអូសម៉ាទឹកកកចំនួន ៤ គីឡូក្រាម "
            "ពីរថយន្តមួយគ្រឿងនៅលើផ្លូវជាតិលេខ៣ កាលពីថ្ងៃទី១២ ខែមករា ឆ្នាំ២០២៤។")
    [event] = _facts(extractor, text).events
    assert (event.country, event.admin1) == ("KH", "Kampot")


def test_a_recent_haul_told_after_the_news_is_its_own_event(extractor: Extractor) -> None:
    """"កាលពីពេលថ្មីៗនេះ ..." (recently) opens another case, even when its weight is close to the news's;
    the nationality told there is that case's own."""
    text = ("នគរបាលខេត្តព្រះវិហារ បានរឹបអូសគ្រឿងញៀនចំនួន ៥០ គីឡូក្រាម នៅលើរថយន្តដឹកទំនិញមួយគ្រឿង។\n\n"
            "កាលពីពេលថ្មីៗនេះ អាជ្ញាធរបានរឹបអូសគ្រឿងញៀន ៤៩ គីឡូក្រាម ពីបុរសជនជាតិថៃម្នាក់ នៅខេត្តកោះកុង។")
    lead, earlier = _facts(extractor, text).events
    assert (lead.admin1, lead.items[0].mass_kg, lead.suspect_nationalities) == ("Preah Vihear", 50, ())
    assert (earlier.admin1, earlier.items[0].mass_kg, earlier.suspect_nationalities) == ("Koh Kong", 49, ("TH",))


def test_could_not_arrest_is_nobody_and_another_place_is_another_case(extractor: Extractor) -> None:
    text = ("ខេត្តរតនគិរី៖ ប៉ូលិសបានរឹបអូសម៉ាទឹកកក ២ គីឡូក្រាម នៅស្រុកអូរយ៉ាដាវ កាលពីថ្ងៃទី១៥ ខែមករា ឆ្នាំ២០២៤។\n\n"
            "ទោះបីមានមន្ត្រី ១០ នាក់ សហការគ្នាក្នុងការរឹបអូសនេះក៏ដោយ ក៏ពួកគេមិនអាចចាប់ខ្លួនអ្នកបើកឡានបានដែរ។\n\n"
            "នៅកន្លែងផ្សេងទៀត មនុស្ស ៣ នាក់ ត្រូវបានចាប់ខ្លួនជាមួយឈើប្រណីត ៨០ ដុំ នៅស្រុកកែវសីមា ខេត្តមណ្ឌលគិរី។\n")
    first, second = _facts(extractor, text).events
    assert first.arrests == 0
    assert (second.admin1, second.arrests, second.items[0].count) == ("Mondulkiri", 3, 80)


def test_first_months_in_words_and_a_month_named_alone() -> None:
    from borderwatch.extract.patterns import statistic_period
    start, end, _ = statistic_period(KM, "ក្នុងរយៈពេលប្រាំបួនខែដើមឆ្នាំ២០១៥", date(2015, 10, 27)) or (None, None, None)
    assert (start, end) == (date(2015, 1, 1), date(2015, 9, 30))
    assert [(d.iso, d.precision) for d in parse_dates("មុននោះបន្តិចក្នុងខែឧសភាដដែល", date(2015, 6, 2), KM)] == [
        ("2015-05", "month")]
