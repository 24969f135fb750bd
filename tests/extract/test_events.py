"""Seizure events: one event per haul, with its own date, place, arrests and origin."""

from __future__ import annotations

import pytest

from borderwatch.config import Settings
from borderwatch.extract.events import extract_events
from borderwatch.extract.nlp import load_nlp
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.ingest import read_document
from borderwatch.lang.identify import identify_language
from borderwatch.model import Document, Rejection, SeizureEvent
from tests.shared_sets import (
    DEV,
    needs_dev,
)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def _doc(text: str, published: str | None = "2024-03-15", doc_id: str = "t") -> Document:
    return Document(id=doc_id, text=text, content_hash="h", source="test", language=identify_language(text), published=published,
                    published_precision="day" if published else None)


def _run(doc: Document, gazetteer: Gazetteer) -> tuple[list[SeizureEvent], list[Rejection]]:
    events, rejections = extract_events(doc, load_nlp()(doc.text), gazetteer)
    for fact in events:
        for span in [*fact.evidence, *(s for item in fact.items for s in item.evidence)]:
            assert doc.text[span.start:span.end] == span.text
            assert span.field
    return events, rejections


def _dev(stem: str, gazetteer: Gazetteer) -> tuple[list[SeizureEvent], list[Rejection]]:
    path = next(DEV.glob(f"{stem}*.*[tl]"))
    return _run(read_document(path, Settings()), gazetteer)


HEADLINE = "Border police seize heroin haul\nMekong Daily | 15 March 2024\n\n"


def test_one_seizure_with_date_place_arrests_and_nationality(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Police in Kampong Cham province arrested two Vietnamese men on 3 March after "
                       "finding 12 kilograms of heroin hidden in a rice truck.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert len(events) == 1
    event = events[0]
    assert (event.date, event.date_precision, event.country, event.admin1) == ("2024-03-03", "day", "KH", "Kampong Cham")
    assert (event.arrests, event.suspect_nationalities) == (2, ("VN",))
    assert [(i.substance, i.mass_kg) for i in event.items] == [("heroin", 12.0)]
    assert event.concealment == "hidden in a rice truck"
    assert event.id == "t#e1"


def test_repeated_haul_is_one_event_with_the_most_precise_numbers(gazetteer: Gazetteer) -> None:
    text = HEADLINE + (
        "Customs officers in Quang Ninh province confiscated nearly half a million methamphetamine "
        "tablets on Monday.\n\n"
        "The haul comprised 482,150 tablets with a total weight of 48.2 kilograms, officers said.\n\n"
        "\"We found 482,150 tablets in the spare tyre,\" the deputy chief said.\n")
    events, rejections = _run(_doc(text), gazetteer)
    assert len(events) == 1
    item, = events[0].items
    assert (item.count, item.count_unit, item.mass_kg, item.substance) == (482150, "tablets", 48.2, "methamphetamine")
    assert events[0].date == "2024-03-11"
    assert any(r.reason == "duplicate-mention" for r in rejections)


def test_two_items_in_one_sentence_stay_two_items(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Soldiers in Shan state seized 25 kg of heroin and 300,000 yaba tablets from a "
                       "pickup truck on Tuesday.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert len(events) == 1
    assert sorted((i.substance or "", i.mass_kg or 0, i.count or 0) for i in events[0].items) == [
        ("heroin", 25.0, 0), ("methamphetamine", 0, 300000)]


def test_separate_case_opens_its_own_event_with_its_own_fields(gazetteer: Gazetteer) -> None:
    text = HEADLINE + (
        "Police in Svay Rieng province detained a Vietnamese woman on 2 March after finding 4 kg of "
        "crystal methamphetamine in her bag.\n\n"
        "In a separate case, military police in Koh Kong province seized 2.5 tonnes of rosewood on "
        "6 March, but the driver fled.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [(e.admin1, e.date, e.arrests) for e in events] == [
        ("Svay Rieng", "2024-03-02", 1), ("Koh Kong", "2024-03-06", 0)]
    assert events[1].items[0].commodity == "timber"
    assert events[1].suspect_nationalities == ()


def test_another_case_inside_one_sentence_is_its_own_event(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Police in Bokeo province seized 200,000 methamphetamine pills and arrested two men, while "
                       "in another case soldiers in Luang Namtha province seized 12 kg of crystal methamphetamine.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [(e.admin1, e.arrests, e.items[0].count, e.items[0].mass_kg) for e in events] == [
        ("Bokeo", 2, 200000, None), ("Luang Namtha", None, None, 12)]


def test_meanwhile_elsewhere_opens_another_haul_of_the_same_goods(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Police in Bokeo province seized 200,000 methamphetamine pills and arrested two men. "
                       "Meanwhile in Luang Namtha province, soldiers seized 20 kg of methamphetamine pills hidden in rice sacks.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [(e.admin1, e.items[0].count, e.items[0].mass_kg) for e in events] == [
        ("Bokeo", 200000, None), ("Luang Namtha", None, 20)]


def test_legal_threshold_is_rejected_as_hypothetical(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Under the law, anyone caught trafficking more than 500 grams of heroin can be "
                       "sentenced to life in prison.\n")
    events, rejections = _run(_doc(text), gazetteer)
    assert events == []
    assert [r.reason for r in rejections] == ["hypothetical"]
    assert rejections[0].stage == "extract" and rejections[0].source == "t"


def test_planned_operation_is_not_a_seizure(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Officials said they would destroy 300 kilograms of confiscated opium if the court "
                       "approves the request next month.\n")
    events, rejections = _run(_doc(text), gazetteer)
    assert events == []
    assert {r.reason for r in rejections} == {"hypothetical"}


def test_money_and_vehicles_are_not_goods(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Police in Takeo province seized 3 kg of ketamine, two cars and US$12,000 in cash "
                       "from a house on Sunday.\n")
    events, rejections = _run(_doc(text), gazetteer)
    assert [[(i.substance, i.mass_kg) for i in e.items] for e in events] == [[("ketamine", 3.0)]]
    assert {r.reason for r in rejections} == {"not-goods"}


def test_cumulative_totals_are_left_to_stats(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("So far this year, police in Laos have seized 2.1 tonnes of methamphetamine and "
                       "arrested 1,402 suspects in 988 cases.\n")
    events, rejections = _run(_doc(text), gazetteer)
    assert events == []
    assert [r.reason for r in rejections] == ["aggregate"]


def test_origin_destination_and_background(gazetteer: Gazetteer) -> None:
    text = HEADLINE + (
        "Thai soldiers intercepted 80 kg of crystal meth smuggled from Myanmar into Thailand in Chiang Rai "
        "province on Wednesday.\n\n"
        "In a similar case in 2021, troops seized 1.2 million yaba pills at the same crossing.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [(e.origin_country, e.destination_country, e.country) for e in events[:1]] == [("MM", "TH", "TH")]
    assert events[0].background is False
    assert (events[1].date, events[1].date_precision, events[1].background) == ("2021", "year", True)


def test_announcement_date_is_not_the_seizure_date(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Police in Nghe An province found 40 kilograms of heroin in a truck on Tuesday, "
                       "the ministry announced on Thursday.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert events[0].date == "2024-03-12"


def test_unknown_publication_date_leaves_weekdays_unresolved(gazetteer: Gazetteer) -> None:
    text = "Police in Stung Treng province seized 2 kilograms of heroin on Tuesday and arrested a Lao man.\n"
    events, _ = _run(_doc(text, published=None), gazetteer)
    assert events[0].date is None
    assert events[0].arrests == 1 and events[0].suspect_nationalities == ("LA",)


def test_treatment_report_has_no_events(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("The rehabilitation centre treated more than 800 people addicted to heroin and "
                       "methamphetamine last year, its director said.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert events == []


def test_japanese_report(gazetteer: Gazetteer) -> None:
    text = ("ニュース\n2025年3月10日\n\n"
            "警察は8日、タケオ州でメタンフェタミン5kgを押収し、男2人を逮捕した。\n")
    events, _ = _run(_doc(text, published="2025-03-10"), gazetteer)
    assert [(e.date, e.admin1, e.arrests, e.items[0].mass_kg) for e in events] == [
        ("2025-03-08", "Takeo", 2, 5.0)]


@needs_dev
def test_dev_d01_main_event_and_background_cases(gazetteer: Gazetteer) -> None:
    events, _ = _dev("d01", gazetteer)
    main = events[0]
    assert (main.date, main.admin1, main.country, main.arrests, main.suspect_nationalities) == (
        "2024-11-09", "Stung Treng", "KH", 1, ("LA",))
    assert (main.items[0].count, main.items[0].mass_kg, main.origin_country) == (1034413, 93.973, "LA")
    assert [(e.date, e.arrests, e.background) for e in events[1:]] == [("2023", 2, True), ("2023-03-30", 2, True)]
    assert events[1].items[0].count_unit == "packages"


@needs_dev
def test_dev_t04_driver_fled_means_zero_arrests(gazetteer: Gazetteer) -> None:
    events, _ = _dev("t04", gazetteer)
    assert [(e.admin1, e.date, e.arrests) for e in events] == [
        ("Kampong Chhnang", "2016-12-12", 0), ("Stung Treng", "2016-12-10", None)]


@needs_dev
def test_dev_negative_documents_have_no_events(gazetteer: Gazetteer) -> None:
    for stem in ("d06", "t06", "s00", "d05"):
        assert _dev(stem, gazetteer)[0] == [], stem


def test_court_ruling_on_old_goods_is_not_a_seizure(gazetteer: Gazetteer) -> None:
    text = HEADLINE + "A court in Hanoi sentenced four men to death for trafficking 60 kg of heroin.\n"
    events, rejections = _run(_doc(text), gazetteer)
    assert events == []
    assert [r.reason for r in rejections] == ["court-case"]


def test_later_that_day_nearby_takes_the_earlier_date_and_province(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Soldiers in Chiang Mai province seized 800,000 methamphetamine pills from smugglers on "
                       "Wednesday. Later that day, troops found another 250,000 pills in a nearby village.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [(e.date, e.admin1, e.items[0].count) for e in events] == [
        ("2024-03-13", "Chiang Mai", 800000), ("2024-03-13", "Chiang Mai", 250000)]


def test_possessive_object_counts_one_arrest(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Police in Kandal province found 3.5 kg of heroin in a car on Monday and arrested its "
                       "driver, a 40-year-old man from Laos.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert (events[0].arrests, events[0].suspect_nationalities) == (1, ("LA",))


def test_summary_sentence_then_each_case_told_separately(gazetteer: Gazetteer) -> None:
    text = HEADLINE + (
        "Police in Ratanakiri province seized 6 kilograms of heroin and 2,000 methamphetamine tablets in "
        "two separate operations this week.\n\n"
        "In the first case, on 11 March, smugglers abandoned 6 kilograms of heroin on a forest path and "
        "fled.\n\n"
        "In the second case, on 13 March, officers arrested a Lao man carrying 2,000 methamphetamine "
        "tablets.\n")
    events, rejections = _run(_doc(text), gazetteer)
    assert [(e.date, e.arrests, e.items[0].mass_kg, e.items[0].count) for e in events] == [
        ("2024-03-11", 0, 6.0, None), ("2024-03-13", 1, None, 2000)]
    assert "duplicate-mention" in {r.reason for r in rejections}


def test_similar_amount_on_another_day_is_another_haul(gazetteer: Gazetteer) -> None:
    text = HEADLINE + (
        "Customs officers at Hai Phong port seized 2.1 tonnes of pangolin scales on 12 March.\n\n"
        "On 4 March, officers at the same port had seized nearly 2.4 tonnes of pangolin scales.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [(e.date, e.items[0].mass_kg) for e in events] == [("2024-03-12", 2100.0), ("2024-03-04", 2400.0)]


def test_taken_into_custody_with_date_in_the_next_paragraph(gazetteer: Gazetteer) -> None:
    text = HEADLINE + (
        "Police in Bokeo province have taken a Thai national into custody and seized 40,000 methamphetamine "
        "pills.\n\n"
        "Officers stopped his car on 9 March near the Mekong crossing, a police officer said.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [(e.date, e.arrests, e.suspect_nationalities, e.admin1) for e in events] == [
        ("2024-03-09", 1, ("TH",), "Bokeo")]


def test_burning_seized_drugs_is_not_a_new_seizure(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Officials in Vientiane burned 4 tonnes of confiscated drugs at a ceremony on Tuesday to "
                       "mark the anti-drug day.\n")
    events, rejections = _run(_doc(text), gazetteer)
    assert events == []
    assert [r.reason for r in rejections] == ["destruction"]


def test_record_haul_in_a_single_raid_is_a_seizure(gazetteer: Gazetteer) -> None:
    text = HEADLINE + "In 2021, police in Shan state seized a record 17 tonnes of methamphetamine in a single raid.\n"
    events, _ = _run(_doc(text), gazetteer)
    assert [(e.date, e.admin1, e.background, e.items[0].mass_kg) for e in events] == [("2021", "Shan", True, 17000.0)]


def test_japanese_nationality_and_country_glued_to_particles(gazetteer: Gazetteer) -> None:
    text = "ニュース\n2024年3月6日\n\nタイ警察は5日、メタンフェタミン錠剤約200万錠を押収し、ミャンマー国籍の男3人を逮捕した。\n"
    events, _ = _run(_doc(text, published="2024-03-06"), gazetteer)
    assert [(e.date, e.country, e.arrests, e.suspect_nationalities, e.items[0].count) for e in events] == [
        ("2024-03-05", "TH", 3, ("MM",), 2_000_000)]


def test_a_tally_of_destroyed_drugs_is_not_a_seizure(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Narcotics seized between 2022 and 2024 were destroyed by fire in Taunggyi on 14 March.\n\n"
                       "The destroyed drugs included 1,250 kilograms of opium and 340 kilograms of heroin, "
                       "officials said.\n")
    events, rejections = _run(_doc(text), gazetteer)
    assert events == []
    assert "destruction" in {r.reason for r in rejections}


def test_a_later_sentence_describing_the_goods_adds_an_item(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Customs officers at Suvarnabhumi airport detained two Vietnamese men on 12 March after "
                       "finding seven rhino horns weighing 12 kg and ivory tusks in their luggage.\n\n"
                       "The customs chief said the ivory comprised 14 tusks with a total weight of 32.5kg.\n")
    event, = _run(_doc(text), gazetteer)[0]
    assert [(i.substance, i.mass_kg, i.count) for i in event.items] == [
        ("rhino horn", 12.0, 7), ("ivory", 32.5, 14)]


def test_a_dated_seizure_told_in_a_court_report_is_an_event(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("The Ubon Ratchathani Provincial Court on Friday sentenced three men to life imprisonment for "
                       "smuggling 2 million methamphetamine pills seized in Khemarat district in May 2022.\n")
    event, = _run(_doc(text), gazetteer)[0]
    assert (event.date, event.admin1, event.items[0].count) == ("2022-05", "Ubon Ratchathani", 2_000_000)


def test_an_arrest_told_after_a_dated_indictment_is_the_event(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("The court sentenced five men to life in prison. The indictment said that on 27 March 2023 "
                       "the men carried 100 kg of heroin in a van from Laos.\n\n"
                       "The men were arrested at a checkpoint in Quang Tri province.\n")
    event, = _run(_doc(text), gazetteer)[0]
    assert (event.admin1, event.items[0].mass_kg) == ("Quang Tri", 100)


def test_a_court_ruling_on_goods_without_a_seizure_is_not_an_event(gazetteer: Gazetteer) -> None:
    text = HEADLINE + "The court on Friday sentenced three men to life imprisonment for trafficking 20 kg of heroin.\n"
    events, rejections = _run(_doc(text), gazetteer)
    assert events == [] and "court-case" in {r.reason for r in rejections}


def test_seizure_told_without_a_quantity_is_an_event_with_bare_items(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Police seized opium and heroin and arrested three Thai women in Luang Namtha "
                       "province on 9 March, the provincial security office said.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert len(events) == 1
    event = events[0]
    assert [(i.substance, i.mass_kg, i.count, i.volume_m3) for i in event.items] == [
        ("opium", None, None, None), ("heroin", None, None, None)]
    assert (event.date, event.admin1, event.arrests, event.suspect_nationalities) == (
        "2024-03-09", "Luang Namtha", 3, ("TH",))
    assert event.confidence <= 0.6


def test_caught_with_goods_and_no_quantity_is_a_seizure(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Rangers caught two poachers with pangolin scales near the border in Mondulkiri "
                       "province on Tuesday, officials said.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [(e.admin1, [i.commodity for i in e.items]) for e in events] == [("Mondulkiri", ["wildlife"])]


@pytest.mark.parametrize("sentence", [
    "Heroin seized in the province is usually sent to the capital for testing, the governor said.",
    "Seizures of methamphetamine rose sharply across the region last year, the annual report says.",
    "Police plan to seize heroin moving through Bokeo province before the new year, an official said.",
    "Police did not find any heroin in the truck they stopped in Bokeo province on Sunday, officials said.",
])
def test_generic_planned_or_negated_mentions_without_quantity_are_not_events(
        gazetteer: Gazetteer, sentence: str) -> None:
    events, _ = _run(_doc(HEADLINE + sentence + "\n"), gazetteer)
    assert events == []


def test_bare_mention_of_a_haul_measured_in_the_same_paragraph_is_the_same_event(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Police seized heroin and arrested two Lao men in Bokeo province on Sunday. "
                       "Officers found 12 kilograms of heroin hidden in a rice truck.\n\n"
                       "Customs officers later intercepted cannabis at a river port in Chiang Rai "
                       "province on 11 March, officials said.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [[(i.substance, i.mass_kg) for i in e.items] for e in events] == [
        [("heroin", 12.0)], [("cannabis", None)]]
    assert [e.admin1 for e in events] == ["Bokeo", "Chiang Rai"]


def _evidence_quotes_text(doc: Document, events: list[SeizureEvent]) -> None:
    for event in events:
        for span in event.evidence:
            assert doc.text[span.start:span.end] == span.text


def test_a_district_written_against_a_province_it_is_not_in_is_a_homonym(gazetteer: Gazetteer) -> None:
    # The gazetteer's only Long district lies in Thailand's Phrae: here it must not move the haul there.
    text = HEADLINE + ("On 2 March, officers in Bokeo province's Long district seized 40,000 methamphetamine "
                       "pills from a parked motorbike.\n")
    doc = _doc(text)
    events, _ = _run(doc, gazetteer)
    assert [(e.country, e.admin1, e.date) for e in events] == [("LA", "Bokeo", "2024-03-02")]
    _evidence_quotes_text(doc, events)


def test_a_haul_told_a_day_after_another_takes_its_date_from_it(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Police in Kampot province seized 8 kilograms of heroin from a fishing boat on Tuesday.\n\n"
                       "The haul came two days after customs officers in Takeo province found 12,000 "
                       "methamphetamine tablets in a bus.\n\n"
                       "It also came a month after rangers in Koh Kong province seized 300 kilograms of "
                       "ketamine near the coast.\n")
    doc = _doc(text, published="2024-03-14")
    events, _ = _run(doc, gazetteer)
    assert [(e.admin1, e.date, e.date_precision) for e in events] == [
        ("Kampot", "2024-03-12", "day"), ("Takeo", "2024-03-10", "day"), ("Koh Kong", "2024-02", "month")]
    assert events[1].date_raw == "two days after"
    _evidence_quotes_text(doc, events)


def test_containers_times_what_each_holds(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Soldiers found 15 rice sacks stuffed with methamphetamine pills on a river island "
                       "on Sunday.\n\n"
                       "Each sack held 10 bundles of 2,000 pills, an officer said.\n\n"
                       "In a separate case, police arrested a driver carrying 30 packs each holding 500 "
                       "tablets of yaba.\n")
    doc = _doc(text)
    events, _ = _run(doc, gazetteer)
    assert [[(i.substance, i.form, i.count) for i in e.items] for e in events] == [
        [("methamphetamine", "tablets", 300000)], [("methamphetamine", "tablets", 15000)]]
    _evidence_quotes_text(doc, events)


def test_burning_drugs_seized_earlier_is_not_a_seizure(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("The provincial authority on Friday burned more than 1.5 tonnes of narcotics seized "
                       "over the past two years at a ceremony.\n\n"
                       "The drugs destroyed included 900 kilograms of crystal methamphetamine and 80,000 "
                       "pills.\n")
    events, rejections = _run(_doc(text), gazetteer)
    assert events == []
    assert {r.reason for r in rejections} == {"destruction"}


def test_a_later_sentence_giving_the_weight_of_a_named_substance_adds_to_the_haul(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Border guards in Quang Tri province arrested two men carrying 40 bricks of heroin on "
                       "Monday.\n\n"
                       "The heroin weighed 14 kilograms in total, the guards said.\n")
    events, _ = _run(_doc(text), gazetteer)
    event, = events
    assert [(i.substance, i.mass_kg, i.count, i.count_unit) for i in event.items] == [
        ("heroin", 14.0, 40, "bricks")]


def test_the_same_zone_or_airport_is_where_the_haul_before_was(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Customs officers in Hanoi seized 4 kilograms of ivory from a passenger on Sunday.\n\n"
                       "In January, officers at the same airport found 12 kilograms of pangolin scales.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [(e.admin1, e.date) for e in events] == [("Hanoi", "2024-03-10"), ("Hanoi", "2024-01")]


def test_a_place_the_haul_was_outside_of_is_not_its_province(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Police said on Thursday they had seized 900 kilograms of ketamine in a warehouse "
                       "outside Bangkok.\n\n"
                       "The raid took place in Pathum Thani province late on Tuesday.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [(e.country, e.admin1, e.date) for e in events] == [("TH", "Pathum Thani", "2024-03-12")]


def test_a_seizure_aimed_at_is_a_plan_not_a_haul(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("The joint campaign aims to seize at least 20 tonnes of drugs along the river this year, "
                       "the minister said.\n\n"
                       "Police chiefs also set a target to intercept 50 million pills by December.\n")
    events, rejections = _run(_doc(text), gazetteer)
    assert events == []
    assert [r.reason for r in rejections] == ["hypothetical", "hypothetical"]


def test_people_of_another_occasion_are_not_the_haul_suspects(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("On 2 March, police in Savannakhet province arrested two Vietnamese men with 6 kg of "
                       "heroin.\n"
                       "On Monday, a court in the province jailed four Thai men for smuggling heroin in 2022.\n")
    events, _ = _run(_doc(text), gazetteer)
    event, = events
    assert (event.arrests, event.suspect_nationalities) == (2, ("VN",))


def test_a_court_ruling_is_not_an_event_but_the_dated_arrest_it_judges_is(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("The People's Court of Lai Chau province on Thursday sentenced four men to life in prison "
                       "for trafficking 24 kg of heroin.\n\n"
                       "The four were arrested on 17 May 2022 at a rest stop on National Highway 12.\n\n"
                       "A second court on Friday jailed a woman for selling 300 methamphetamine pills.\n")
    doc = _doc(text)
    events, rejections = _run(doc, gazetteer)
    assert [(e.date, e.admin1, e.arrests, [(i.substance, i.mass_kg) for i in e.items]) for e in events] == [
        ("2022-05-17", "Lai Chau", 4, [("heroin", 24.0)])]
    assert [r.reason for r in rejections] == ["court-case"]
    _evidence_quotes_text(doc, events)


def test_a_month_named_in_another_paragraph_does_not_date_an_undated_haul(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Police in Khammouane province have seized 600 kg of dried cannabis from a truck and "
                       "arrested the driver.\n\n"
                       "The province started a campaign against drug crime in June with help from the capital.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [(e.admin1, e.date, e.arrests) for e in events] == [("Khammouane", None, 1)]


def test_a_haul_in_the_main_clause_after_an_interval_is_later(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Police in Kandal province seized 6 kilograms of heroin from a house on Monday.\n\n"
                       "Two days after the raid, officers in Takeo province found 3,000 methamphetamine pills in "
                       "a bus.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [(e.admin1, e.date) for e in events] == [("Kandal", "2024-03-11"), ("Takeo", "2024-03-13")]


# --- Round-ups, provinces and phrasal seizure verbs (held-out pages) ---

def test_hauls_with_their_own_days_in_one_sentence_are_two_events(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Other seizures made earlier in Bokeo included 124 kg of ketamine on 6 March and 200 kg of "
                       "ketamine with 1 kg of crystal meth on 4 March.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [(e.date, [i.mass_kg for i in e.items]) for e in events] == [
        ("2024-03-06", [124]), ("2024-03-04", [200, 1])]


def test_event_without_province_takes_the_one_the_report_is_about(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("In a major drug bust on 12 March, Bokeo authorities seized more than 4 million "
                       "methamphetamine pills.\n\nOn 7 March, police detained the driver of a trafficking vehicle "
                       "and confiscated 1,920 kg of ketamine from it.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [e.admin1 for e in events] == ["Bokeo", "Bokeo"]


def test_a_separate_case_does_not_take_the_report_province(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("On 12 March, Bokeo authorities seized more than 4 million methamphetamine pills.\n\n"
                       "In a separate case on 7 March, police detained a driver and confiscated 1,920 kg of "
                       "ketamine.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [e.admin1 for e in events] == ["Bokeo", None]


def test_a_paragraph_opening_on_its_own_day_is_another_raid(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Soldiers moved into the village of Par Khar in Tachileik township and seized 5,000 "
                       "kilogrammes of heroin.\n\nOn Friday evening security forces raided a house near Ye Pu Sann "
                       "village. They confiscated 16 bags containing 5.3 kg of heroin.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [[i.mass_kg for i in e.items] for e in events] == [[5000], [5.3]]


def test_took_in_and_took_away_are_seizures(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("In Mae Kyoute village of Mong Twam township, the soldiers took away a total of 156,200 "
                       "meth pills and 250 grammes of heroin.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [(i.substance, i.count or i.mass_kg) for e in events for i in e.items] == [
        ("methamphetamine", 156200), ("heroin", 0.25)]


def test_a_river_named_like_a_province_is_not_the_province(gazetteer: Gazetteer) -> None:
    text = ("Police seize meth\nMekong Daily | STUNG TRENG, 15 March 2024\n\n"
            "Police in Stung Treng province seized 12 kilograms of crystal methamphetamine in two separate "
            "operations, officials said.\n\nIn the first case, on 6 March, a river patrol spotted a boat "
            "coming down the Sekong river. The crew escaped, leaving behind 12 packages of crystal "
            "methamphetamine that weighed nearly 12 kilograms in total.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert all(e.admin1 != "Sekong" for e in events)


@pytest.mark.parametrize("escape", [
    "The men disappeared into the forest, using the last of the daylight, and all of them escaped.",
    "The driver tossed the sack onto the bank and the boat sped off.",
])
def test_everyone_escaping_means_zero_arrests(gazetteer: Gazetteer, escape: str) -> None:
    text = HEADLINE + ("Rangers in Chiang Mai province seized 300,000 methamphetamine pills on 3 March. "
                       f"{escape}\n")
    event, = _run(_doc(text), gazetteer)[0]
    assert event.arrests == 0


def test_containers_counted_before_times_what_each_held(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Rangers in Mukdahan province seized a sack of methamphetamine on 3 March. "
                       "In the sack were 21 green packets labelled as tea. "
                       "Police said each packet held 1 kilogram of methamphetamine.\n")
    event, = _run(_doc(text), gazetteer)[0]
    assert [(i.substance, i.mass_kg) for i in event.items] == [("methamphetamine", 21.0)]


def test_goods_measured_by_a_joining_verb_and_a_past_haul_stays_apart(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Customs officers in Da Nang seized pangolin scales weighing about 6.2 metric tons.\n\n"
                       "In October 2018 officers opened a container and found pangolin scales amounting to some "
                       "six metric tons and tusks weighing around two metric tons.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert len(events) == 2
    assert [(i.substance, i.mass_kg) for i in events[1].items] == [("pangolin", 6000.0), ("ivory", 2000.0)]
    assert events[1].date == "2018-10"


def test_dateline_before_the_subject_is_not_an_arrested_person(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("CHIANG RAI – Two men have been detained by Border Patrol Police in Chiang Rai after officers "
                       "found 4.4 million meth pills in their pickup.\n")
    event, = _run(_doc(text), gazetteer)[0]
    assert event.arrests == 2


def test_a_free_standing_interval_counts_from_the_date_told_before_it(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Police in Kampong Cham province began following a courier on 5 March. "
                       "Two days later they stopped his motorbike and found 8 kilograms of heroin in its seat.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [(e.date, e.date_precision) for e in events] == [("2024-03-07", "day")]


def test_an_earlier_haul_told_days_before_another_takes_its_shifted_date(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Border guards in Tay Ninh province seized 40 kilograms of heroin on 10 March. "
                       "Four days earlier, customs officers in Long An province had found 6 kilograms of ketamine "
                       "in a fishing boat.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert sorted((e.items[0].substance, e.date) for e in events) == [("heroin", "2024-03-10"),
                                                                       ("ketamine", "2024-03-06")]


def test_a_possessive_weekday_naming_the_time_of_the_haul_dates_it(gazetteer: Gazetteer) -> None:
    text = HEADLINE + "Soldiers in Bokeo province seized 90 kilograms of heroin in Tuesday's small hours.\n"
    events, _ = _run(_doc(text), gazetteer)
    assert [e.date for e in events] == ["2024-03-12"]


def test_a_possessive_weekday_naming_an_announcement_does_not_date_the_haul(gazetteer: Gazetteer) -> None:
    text = HEADLINE + "Officials described the 90-kilogram heroin haul in Bokeo province at Thursday's briefing.\n"
    events, _ = _run(_doc(text), gazetteer)
    assert [e.date for e in events] in ([], [None])


@pytest.mark.parametrize("wording", ["32 bags, each holding 5,000 yaba pills,",
                                     "32 bags each filled with 5,000 yaba pills",
                                     "32 bags containing a total of 160,000 yaba pills"])
def test_packages_times_their_contents_are_one_item_of_the_goods(gazetteer: Gazetteer, wording: str) -> None:
    text = HEADLINE + f"Rangers in Ubon Ratchathani province found {wording} under a bridge on 9 March.\n"
    events, _ = _run(_doc(text), gazetteer)
    assert [[(i.substance, i.count, i.count_unit) for i in e.items] for e in events] == [
        [("methamphetamine", 160000.0, "tablets")]]


@pytest.mark.parametrize(("place", "country", "province"), [("Mong Hsat township", "MM", "Shan"),
                                                            ("Tonpheung district", "LA", "Bokeo"),
                                                            ("Si Songkhram district", "TH", "Nakhon Phanom")])
def test_a_border_district_the_gazetteer_lacks_gives_its_province(gazetteer: Gazetteer, place: str, country: str,
                                                                  province: str) -> None:
    text = HEADLINE + f"Police in {place} stopped a car carrying 30 kilograms of heroin on 2 March.\n"
    events, _ = _run(_doc(text), gazetteer)
    assert [(e.country, e.admin1) for e in events] == [(country, province)]


def test_the_haul_before_a_running_total_keeps_only_its_own_amount(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Customs officers in Koh Kong province seized 35 kilograms of ketamine from a fishing boat "
                       "on 13 March, bringing the total seized in the province this year to 410 kilograms.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [[(i.substance, i.mass_kg) for i in e.items] for e in events] == [[("ketamine", 35.0)]]


def test_a_part_told_with_including_is_not_a_second_item(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Police in Svay Rieng province seized 18 kilograms of drugs on 4 March, including "
                       "3 kilograms of heroin.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [[i.mass_kg for i in e.items] for e in events] == [[18.0]]


def test_bags_rucksacks_and_suitcases_count_when_nothing_finer_is_told(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Rangers in Tbong Khmum province stopped two porters on Sunday and found nine rucksacks of "
                       "crystal methamphetamine.\n\n"
                       "In a separate case, airport customs in Phnom Penh found three suitcases packed with "
                       "18,000 ecstasy pills on Monday.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [[(i.substance, i.count, i.count_unit) for i in e.items] for e in events] == [
        [("methamphetamine", 9, "bags")], [("mdma", 18000, "tablets")]]


def test_a_total_weight_with_no_goods_of_its_own_weighs_the_goods_named_before(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Police in Battambang province seized opium from a farmhouse on Tuesday, with a total "
                       "weight of 14 kilograms.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [[(i.substance, i.mass_kg) for i in e.items] for e in events] == [[("opium", 14.0)]]


def test_goods_bought_in_remote_areas_of_a_country_come_from_it(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Border guards in Dien Bien province detained a farmer with 3 kilograms of opium on Friday. "
                       "He admitted he had purchased the opium in border villages of Laos.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [(e.admin1, e.origin_country) for e in events] == [("Dien Bien", "LA")]


def test_seizures_made_in_a_province_name_no_origin(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Police in Oddar Meanchey province seized 9 kilograms of heroin on 2 March. "
                       "Other seizures made last month in Oddar Meanchey included 40 kilograms of cannabis.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [e.origin_country for e in events] == [None, None]


def test_goods_told_only_by_their_value_are_a_seizure(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("On Tuesday, customs officers in Svay Rieng province seized narcotics worth $350,000 from a "
                       "bus and detained its driver.\n\n"
                       "On Wednesday, police in Kandal province seized heroin pills worth 90 million riel.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [(e.admin1, e.date, [(i.commodity, i.substance, i.mass_kg, i.count) for i in e.items]) for e in events] == [
        ("Svay Rieng", "2024-03-12", [("drugs", None, None, None)]),
        ("Kandal", "2024-03-13", [("drugs", "heroin", None, None)])]


def test_a_value_of_goods_in_a_warning_is_no_seizure(gazetteer: Gazetteer) -> None:
    text = HEADLINE + "Narcotics worth $5 million could reach the capital each month, an official warned.\n"
    assert _run(_doc(text), gazetteer)[0] == []


def test_the_level_of_all_seizures_is_no_haul(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Police in Pursat province seized 6 kilograms of heroin on Monday.\n\n"
                       "Cannabis seizures across the country climbed to 3.1 tonnes last year, the ministry said.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [[(i.substance, i.mass_kg) for i in e.items] for e in events] == [[("heroin", 6.0)]]


def test_a_vehicle_told_as_abandoned_means_nobody_was_caught(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Soldiers in Banteay Meanchey province seized 80 kilograms of cannabis on Sunday.\n\n"
                       "They had chased a van along a farm track. The van had been abandoned near a canal, with the "
                       "cannabis in its back seats.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [(e.admin1, e.arrests) for e in events] == [("Banteay Meanchey", 0)]


def test_goods_recovered_from_an_abandoned_truck_say_nothing_of_arrests(gazetteer: Gazetteer) -> None:
    text = HEADLINE + "Police in Pailin province recovered 300,000 yaba pills from an abandoned truck on Monday.\n"
    events, _ = _run(_doc(text), gazetteer)
    assert [e.arrests for e in events] == [None]


def test_a_person_joined_to_the_name_of_another_is_a_second_arrest(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Police in Koh Kong province found 12 kilograms of heroin in a pickup on Saturday. "
                       "The driver, Chea Sokha, 41, and his nephew, Chea Dara, 19, were arrested.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [e.arrests for e in events] == [2]


def _items(text: str, gazetteer: Gazetteer) -> list[tuple[str | None, float | None, float | None]]:
    events, _ = _run(_doc(HEADLINE + text), gazetteer)
    return [(i.substance, i.mass_kg, i.count) for e in events for i in e.items]


def test_containers_that_each_held_an_amount_make_one_total(gazetteer: Gazetteer) -> None:
    text = "Rangers in Chiang Rai stopped a pickup on Monday. All 12 sacks found in the back held 200,000 yaba pills each.\n"
    assert _items(text, gazetteer) == [("methamphetamine", None, 2_400_000)]


def test_a_weight_converted_in_brackets_keeps_the_goods_named_after_it(gazetteer: Gazetteer) -> None:
    text = "In March, police in Kampot closed a workshop and seized 25.5 kilograms (56 pounds) of heroin.\n"
    assert _items(text, gazetteer) == [("heroin", 25.5, None)]


def test_what_tests_showed_the_drugs_were_names_the_seized_goods(gazetteer: Gazetteer) -> None:
    text = ("Police in Bokeo seized 230 kg of illegal drugs from a boat on Monday.\n\n"
            "Laboratory tests later showed that the drugs were heroin.\n")
    assert _items(text, gazetteer) == [("heroin", 230, None)]


def test_chemicals_seized_beside_a_drug_are_precursors_not_that_drug(gazetteer: Gazetteer) -> None:
    text = "On 2 March, police in Lao Cai seized 1.2 tons of heroin and nearly 80 tons of chemicals at a warehouse.\n"
    assert _items(text, gazetteer) == [("heroin", 1200, None), ("precursor", 80000, None)]


def test_what_each_container_held_restates_the_total_just_told(gazetteer: Gazetteer) -> None:
    text = ("Soldiers in Chiang Rai found 30 sacks containing a total of 3 million yaba pills on 10 March. "
            "Each sack held 100,000 pills.\n")
    assert _items(text, gazetteer) == [("methamphetamine", None, 3_000_000)]


def test_pills_packed_in_bags_each_holding_a_part_are_one_item(gazetteer: Gazetteer) -> None:
    text = "On 4 March police in Bokeo seized 300,000 yaba pills packed in 150 bags, each holding 2,000 pills.\n"
    assert _items(text, gazetteer) == [("methamphetamine", None, 300_000)]


def test_a_round_ups_parts_told_by_form_take_the_substance_of_the_lead(gazetteer: Gazetteer) -> None:
    text = ("Lao police seized a total of 1.5 million methamphetamine pills in two raids last week.\n\n"
            "On 4 March, officers found 800,000 pills in a truck in Bokeo province. On 6 March, police seized "
            "700,000 pills at a house in Luang Namtha province.\n")
    assert _items(text, gazetteer) == [("methamphetamine", None, 800_000), ("methamphetamine", None, 700_000)]


def test_a_day_in_a_dateline_sentence_yields_to_the_haul_s_own_day(gazetteer: Gazetteer) -> None:
    text = ("PHNOM PENH, 20 June 2024: Military police in Kandal province seized 7 kg of heroin from a "
            "minivan on 16 June and arrested its driver.\n\n"
            "Officers said the driver had made the trip before.\n")
    events, _ = _run(_doc(text, published=None), gazetteer)
    assert [(e.date, e.date_precision, e.arrests) for e in events] == [("2024-06-16", "day", 1)]


def test_nobody_found_with_the_goods_is_zero_arrests(gazetteer: Gazetteer) -> None:
    text = ("Border guards in Kampot province found 18 kg of ketamine in a fishing hut on 6 March; nobody "
            "was found inside.\n\n"
            "On 9 March soldiers in Kratie province recovered 4 kg of heroin from a canoe, but no one was "
            "apprehended.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [(e.admin1, e.arrests) for e in events] == [("Kampot", 0), ("Kratie", 0)]


def test_a_month_s_nationwide_total_is_not_a_seizure(gazetteer: Gazetteer) -> None:
    text = ("Police in Savannakhet stopped a lorry with 90 kg of crystal methamphetamine on 3 October.\n\n"
            "During September, 2.4 tonnes of drugs were confiscated nationwide, the ministry said.\n")
    events, rejections = _run(_doc(text, published="2024-10-05"), gazetteer)
    assert [(e.date, [i.mass_kg for i in e.items]) for e in events] == [("2024-10-03", [90.0])]
    assert any(r.reason == "aggregate" for r in rejections)


def test_an_older_haul_told_after_the_news_does_not_take_its_province(gazetteer: Gazetteer) -> None:
    text = ("Rangers in Nakhon Phanom province caught a man carrying 40,000 yaba pills across a rice field "
            "on 2 May.\n\n"
            "Smugglers still favour the long river frontier. Recently, marines seized 300 kg of cannabis "
            "from a barge drifting on the Mekong River.\n")
    events, _ = _run(_doc(text, published="2024-05-04"), gazetteer)
    assert [(e.country, e.admin1) for e in events] == [("TH", "Nakhon Phanom"), ("TH", None)]


def test_round_up_hauls_told_by_month_alone_keep_month_precision(gazetteer: Gazetteer) -> None:
    text = ("Customs in Lao Cai intercepted 6 kg of heroin hidden in a tractor on 8 September.\n\n"
            "Earlier this year the same unit had made other finds. In April, officers stopped a coach carrying "
            "55,000 yaba tablets. In June a further 9 kg of heroin turned up in a rice sack, and in July "
            "officers confiscated 3 kg of crystal methamphetamine at a bus station.\n")
    events, _ = _run(_doc(text, published="2024-09-12"), gazetteer)
    assert [(e.date, e.date_precision) for e in events] == [
        ("2024-09-08", "day"), ("2024-04", "month"), ("2024-06", "month"), ("2024-07", "month")]


def test_figures_of_a_statistic_report_are_no_seizures(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Some 7,200 suspects were detained for drug crimes in 2021, and almost 9 tonnes of "
                       "narcotics were confiscated, the interior ministry said.\n\n"
                       "It added that 1.4 tonnes of heroin had been impounded at border gates.\n\n"
                       "Officials said the total was well above that of 2020, when only 2.6 tonnes were seized.\n")
    assert _run(_doc(text), gazetteer)[0] == []


def test_an_amount_told_for_each_of_several_raids_is_no_haul(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Customs officers have raided three warehouses in the port since May. More than 30 kg of "
                       "heroin was found in each of the raids, an officer said.\n")
    assert _run(_doc(text), gazetteer)[0] == []


def test_a_seizure_verb_inside_a_plan_tells_no_haul(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("The navy expects new radar to help crews intercept more boats, after a cargo of 45 kg of "
                       "heroin slipped past its patrols in 2023.\n")
    assert _run(_doc(text), gazetteer)[0] == []


def test_a_statistic_s_speaker_going_on_with_goods_tells_no_haul(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Police solved 650 drug cases in the first half of 2023, the ministry said.\n\n"
                       "Major Keo Vanna said officers had detained 1,020 criminals in those cases.\n\n"
                       "Major Keo also disclosed that police had confiscated 120 kg of heroin and 40 kg of opium.\n")
    assert _run(_doc(text), gazetteer)[0] == []


def test_a_year_named_only_for_comparison_is_not_the_haul_s_date(gazetteer: Gazetteer) -> None:
    text = ("Rangers seize rosewood in Preah Vihear\nForest Desk\n\n"
            "Rangers in Preah Vihear province found 2 cubic meters of rosewood stacked in a farmer's shed.\n\n"
            "Officials said the haul was larger than the total timber seizures in 2019 in the district.\n")
    events, _ = _run(_doc(text, published=None), gazetteer)
    assert [(e.date, e.admin1) for e in events] == [(None, "Preah Vihear")]


def test_a_haul_placed_by_the_dateline_points_at_the_dateline(gazetteer: Gazetteer) -> None:
    text = ("Customs seize heroin at the airport\nNorth Desk | Myanmar\n\n"
            "MANDALAY — Customs officers found 3 kilograms of heroin in a traveller's suitcase on arrival.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [e.admin1 for e in events] == ["Mandalay"]
    assert [s.text for s in events[0].evidence if s.field == "admin1"] == ["MANDALAY"]


def test_a_dateline_city_yields_to_the_province_the_report_is_about(gazetteer: Gazetteer) -> None:
    text = ("Army finds opium in the hills\nNorth Desk | Myanmar\n\n"
            "MANDALAY — The home affairs ministry on Wednesday announced a large opium find in northern Shan State.\n\n"
            "On Monday, police at a checkpoint in Lashio stopped a pickup and seized 5 kilos of heroin from its driver.\n\n"
            "A statement from the ministry said troops then searched an empty farmhouse after questioning the driver.\n\n"
            '"The troops seized 40 kilos of opium and 3 kilos of heroin from the house during the search," the statement said.\n')
    events, _ = _run(_doc(text), gazetteer)
    assert [(e.country, e.admin1) for e in events] == [("MM", "Shan"), ("MM", "Shan")]


def test_a_foreign_courier_bringing_goods_over_the_border_brought_them_from_his_side(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("A Lao man was arrested in Quang Tri province on Monday as he tried to carry 3 kilograms of "
                       "heroin over the border on a motorbike.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [(e.country, e.origin_country, e.suspect_nationalities) for e in events] == [("VN", "LA", ("LA",))]
    assert [s.text for s in events[0].evidence if s.field == "origin_country"] == ["Lao"]


def test_a_foreign_courier_bringing_goods_into_the_country_brought_them_from_his(gazetteer: Gazetteer) -> None:
    # "A Lao man was arrested in Stung Treng province on Tuesday after he crossed into Cambodia with nearly
    # 1 kg of ice"
    text = ("ជនជាតិឡាវម្នាក់ ត្រូវបានចាប់ខ្លួននៅស្ទឹងត្រែង\n\n"
            "បុរសជនជាតិឡាវម្នាក់ ត្រូវបានចាប់ខ្លួននៅខេត្តស្ទឹងត្រែងកាលពីថ្ងៃអង្គារ បន្ទាប់ពីគាត់បានឆ្លងចូលកម្ពុជា "
            "ដោយយកម៉ាទឹកកក (មេតំហ្វេតាមីនគ្រីស្តាល់) ជិត ១ គីឡូក្រាមមកជាមួយ។\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [(e.country, e.destination_country, e.origin_country) for e in events] == [("KH", "KH", "LA")]


def test_a_mixed_gang_bringing_goods_into_the_country_gives_them_no_origin(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Police in Stung Treng province arrested a Lao man and a Cambodian woman on Monday as they "
                       "brought 3 kilograms of methamphetamine into Cambodia.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [(e.country, e.origin_country) for e in events] == [("KH", None)]


def test_a_total_told_before_its_hauls_is_not_a_haul_of_its_own(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Police in Savannakhet province said on Friday they had seized more than 300 kilograms of heroin "
                       "during an operation this week.\n\n"
                       "On Tuesday officers found 180 kilograms of heroin in a truck at a checkpoint.\n\n"
                       "On Thursday a further 140 kilograms of heroin was found buried behind a farmhouse.\n")
    events, rejections = _run(_doc(text), gazetteer)
    assert [[i.mass_kg for i in e.items] for e in events] == [[180.0], [140.0]]
    assert [e.id for e in events] == ["t#e1", "t#e2"]
    assert any(r.message == "the total of hauls the report then tells one by one" for r in rejections)


def test_an_amount_compared_with_last_year_s_is_the_level_of_seizures(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("The customs report said border officers had seized about 3.4 tons of cannabis, "
                       "nearly 3 times the 1.2 tons of last year.\n")
    events, rejections = _run(_doc(text), gazetteer)
    assert events == []
    assert any(r.reason == "aggregate" for r in rejections)


def test_a_background_haul_is_in_the_province_the_report_keeps_naming(gazetteer: Gazetteer) -> None:
    text = ("Customs find rhino horn at the port\nHarbour News | 10/03/2024\n\n"
            "Hai Phong customs officers found 42 kilograms of rhino horn in a container from Mozambique on Friday.\n\n"
            "Hai Phong customs said the container had been declared as ceramic tiles.\n\n"
            "A deputy director of the Hai Phong Customs Department said the importer would be traced.\n\n"
            "In March 2019, officers found 300 kilograms of ivory in a container of timber.\n")
    events, _ = _run(_doc(text, published="2024-03-10"), gazetteer)
    assert [(e.admin1, e.background) for e in events] == [("Hai Phong", False), ("Hai Phong", True)]


def test_the_wood_is_the_kind_of_wood_its_sentence_named_before(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("In Stung Treng province, rangers stopped a truck suspected of carrying rosewood and discovered "
                       "2.5 cubic meters of the luxury-grade wood packed under sacks.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [[(i.substance, i.volume_m3) for i in e.items] for e in events] == [[("rosewood", 2.5)]]


def test_more_goods_close_to_an_earlier_amount_are_another_haul(gazetteer: Gazetteer) -> None:
    # 111 kg is within rounding of 120 kg, but "another" tells it as more goods
    text = HEADLINE + ("In a separate case on 2 March, police in Nong Khai arrested two men for smuggling "
                       "120 kilograms of methamphetamine from Laos.\n\n"
                       "Investigators later found another 111 kilograms of methamphetamine at a house in "
                       "Udon Thani.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert sorted(i.mass_kg for e in events for i in e.items) == [111.0, 120.0]


def test_a_caption_then_a_further_haul_of_the_very_figure_is_one_haul(gazetteer: Gazetteer) -> None:
    text = ("Pangolin scales seized\nMekong Daily | 3 May 2018\n\n"
            "The 3.3 tonnes of pangolin scales were found packed in bags.\n\n"
            "Customs officers at Saigon Port seized a further 3.3 tonnes of pangolin scales on May 3.\n")
    events, _ = _run(_doc(text, "2018-05-03"), gazetteer)
    assert [[i.mass_kg for i in e.items] for e in events] == [[3300.0]]


def test_what_hid_the_goods_is_not_an_item(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Customs officers at Suvarnabhumi Airport seized 11.75 kilograms of rhino horns from a "
                       "Vietnamese man on 9 March.\n\n"
                       "Officers also found three pieces of animal skin weighing 12 kilograms that had been used to "
                       "hide the horns.\n")
    events, rejections = _run(_doc(text), gazetteer)
    assert [[(i.substance, i.mass_kg) for i in e.items] for e in events] == [[("rhino horn", 11.75)]]
    assert any(r.reason == "not-goods" and "12 kilograms" in r.message for r in rejections)


def test_a_finer_name_of_another_country_yields_to_the_province_the_sentence_names(gazetteer: Gazetteer) -> None:
    # "Son district" is also a district of Thailand's Satun province
    text = HEADLINE + ("On 7 March, Son La police arrested a suspect who was illegally transporting four bricks of "
                       "heroin in Na Ot village, Na Ot commune, Mai Son district.\n")
    event, = _run(_doc(text), gazetteer)[0]
    assert (event.country, event.admin1) == ("VN", "Son La")


def test_a_paragraph_opening_on_another_province_sets_the_scene_of_the_next_haul(gazetteer: Gazetteer) -> None:
    text = ("Heroin haul in Son La\nVietNamNet\n\n"
            "Border guards in Son La province arrested a local man as he was smuggling 10 bricks of heroin.\n\n"
            "Police in the central province of Nghe An uncovered a group of Lao citizens smuggling drugs into "
            "Vietnam.\n\n"
            "They opened fire on the police as they tried to get away. Two suspects escaped.\n\n"
            "At the scene, the authorities seized three heroin bricks and 12,000 meth pills.\n")
    events, _ = _run(_doc(text, None), gazetteer)
    assert [(e.admin1, e.items[0].count) for e in events] == [("Son La", 10), ("Nghe An", 3)]


def test_a_province_joined_by_and_to_where_people_came_from_is_no_place_of_the_haul(gazetteer: Gazetteer) -> None:
    text = ("Police seize amphetamine pills in Bokeo Province\nMekong Daily | 15 March 2024\n\n"
            "Two men from the provinces of Bokeo and Xieng Khouang have been caught with 12,000,000 amphetamine "
            "pills weighing about 1,440 kilograms, the provincial newspaper reports.\n\nThe pair had been moving "
            "the pills inside container trucks until police noticed them in Bokeo.\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [e.admin1 for e in events] == ["Bokeo"]


def test_a_haul_its_own_sentence_gives_to_a_foreign_force_takes_no_province_from_around_it(gazetteer: Gazetteer) -> None:
    # "On Sunday Lao police arrested a Khmer woman and two Lao men right after they crossed the border with
    # 6 kg of ice. ... the three had long been watched by Stung Treng province's security forces."
    text = ("រឹបអូស «ម៉ាទឹកកក» និងចាប់ខ្លួនជនសង្ស័យ ៣ នាក់ ក្នុងប្រតិបត្តិការតាមព្រំដែនឡាវ\n\n"
            "នៅថ្ងៃអាទិត្យ នគរបាលឡាវបានចាប់ខ្លួនស្ត្រីជនជាតិខ្មែរម្នាក់ និងបុរសជនជាតិឡាវពីរនាក់ "
            "ភ្លាមៗបន្ទាប់ពីអ្នកទាំងបីបានឆ្លងព្រំដែន ដោយយកម៉ាទឹកកកចំនួន ៦ គីឡូក្រាម ទៅជាមួយ។ "
            "ជនសង្ស័យទាំងបី ស្ថិតក្រោមការតាមដានរបស់កងកម្លាំងសន្តិសុខខេត្តស្ទឹងត្រែងជាយូរមកហើយ។\n")
    events, _ = _run(_doc(text), gazetteer)
    assert [(e.country, e.admin1) for e in events] == [("LA", None)]


def test_a_haul_told_the_next_day_after_a_dated_tip_off_is_dated_the_day_after(gazetteer: Gazetteer) -> None:
    # "Last week police seized 4 million pills in Tonpheung ... After a villager told officials on 1 November
    # ... The next day police saw a longtail boat ... Searching the pickup, police found 4 million pills."
    text = ("ຕຳຫຼວດຍຶດຢາບ້າ 4 ລ້ານເມັດ ຢູ່ແຂວງບໍ່ແກ້ວ\n\n"
            "ເມື່ອອາທິດແລ້ວນີ້ ຕຳຫຼວດທ້ອງຖິ່ນໄດ້ຍຶດຢາບ້າໄດ້ 4 ລ້ານເມັດ ຢູ່ເມືອງຕົ້ນເຜິ້ງ ແຂວງບໍ່ແກ້ວ.\n\n"
            "ຫຼັງຈາກຊາວບ້ານຄົນໜຶ່ງໄດ້ແຈ້ງຕໍ່ເຈົ້າໜ້າທີ່ໃນວັນທີ 1 ພະຈິກ ວ່າຈະມີການຄ້າຢາເສບຕິດຜ່ານເຂດເມືອງດັ່ງກ່າວ, "
            "ຕຳຫຼວດກໍໄດ້ສົ່ງໜ່ວຍງານພິເສດອອກລາດຕະເວນຕາມຝັ່ງແມ່ນໍ້າ.\n\n"
            "ມື້ຕໍ່ມາ ຕຳຫຼວດໄດ້ເຫັນເຮືອຫາງຍາວລຳໜຶ່ງ ມີຄົນຢູ່ເທິງເຮືອ 2 ຄົນ ແລ່ນລົງມາແຕ່ທາງເໜືອ.\n\n"
            "ເມື່ອກວດຄົ້ນລົດກະບະວີໂກ້ຄັນດັ່ງກ່າວ, ຕຳຫຼວດໄດ້ຍຶດເປົາໄດ້ 20 ເປົາ ບັນຈຸຢາບ້າ 4 ລ້ານເມັດ.\n")
    events, _ = _run(_doc(text, "2022-11-09"), gazetteer)
    assert [(e.date, e.date_precision) for e in events] == [("2022-11-02", "day")]
