"""Aggregate statistics: cumulative totals with their period, never read as seizures."""

from __future__ import annotations

import pytest

from borderwatch.config import Settings
from borderwatch.extract.nlp import load_nlp
from borderwatch.extract.stats import extract_aggregates
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.ingest import read_document
from borderwatch.lang.identify import identify_language
from borderwatch.model import Aggregate, Document
from tests.shared_sets import (
    DEV,
    needs_dev,
)

HEADLINE = "Drug cases rise\nKhmer Daily | 20 October 2023\n\n"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def _run(text: str, gazetteer: Gazetteer, published: str | None = "2023-10-20") -> list[Aggregate]:
    doc = Document(id="s", text=text, content_hash="h", source="test", language=identify_language(text), published=published,
                   published_precision="day" if published else None)
    out = extract_aggregates(doc, load_nlp()(doc.text), gazetteer)
    for aggregate in out:
        for span in [*aggregate.evidence, *(s for i in aggregate.items for s in i.evidence)]:
            assert doc.text[span.start:span.end] == span.text
    return out


def test_first_months_of_a_year_give_the_period(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("In the first three months of 2023, police in Thailand seized 4.2 tonnes of "
                       "methamphetamine and arrested 2,310 people in 1,877 drug cases.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.period_start, aggregate.period_end) == ("2023-01-01", "2023-03-31")
    assert (aggregate.arrests, aggregate.cases, aggregate.country) == (2310, 1877, "TH")
    assert [(i.mass_kg, i.substance) for i in aggregate.items] == [(4200.0, "methamphetamine")]
    assert aggregate.id == "s#a1"


def test_as_of_date_is_the_period_end(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("As of October 15, the authorities had seized about 950 kilograms of drugs in "
                       "Cambodia, leading to 9,120 arrests.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.period_start, aggregate.period_end) == (None, "2023-10-15")
    assert (aggregate.arrests, aggregate.country) == (9120, "KH")
    assert aggregate.items[0].mass_kg == 950


def test_a_statistic_told_across_two_sentences_is_one_aggregate(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("During the first half of 2022, Lao police handled 1,024 drug cases.\n\n"
                       "Some 3.1 tonnes of drugs were seized and 1,560 suspects were arrested during "
                       "the period, the ministry said.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.period_start, aggregate.period_end, aggregate.cases, aggregate.arrests) == (
        "2022-01-01", "2022-06-30", 1024, 1560)
    assert aggregate.items[0].mass_kg == 3100


def test_the_amounts_a_statistic_left_out_told_in_the_next_sentence_complete_it(gazetteer: Gazetteer) -> None:
    text = "Drug cases rise\nKhmer Daily\n\n" + ("The anti-drug police department has cracked down on 858 drug-related cases in the first nine "
                       "months of this year, and 1,937 suspects have been arrested.\n\n"
                       "\"In this year's crackdowns, the police have seized a total of more than 65 kilograms of "
                       "drugs,\" he said.\n")
    aggregate, = _run(text, gazetteer, published=None)  # no day of publication: neither sentence is dated
    assert (aggregate.cases, aggregate.arrests) == (858, 1937)
    assert [i.mass_kg for i in aggregate.items] == [65.0]


def test_they_right_after_a_statistic_go_on_with_its_figures(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Figures from the ministry show that in the first half of this year police handled 2,241 "
                       "drug-related cases and arrested 3,452 people.\n\n"
                       "They seized nearly 46 million amphetamine pills and over 184kg of heroin.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.period_start, aggregate.period_end, aggregate.cases, aggregate.arrests) == (
        "2023-01-01", "2023-06-30", 2241, 3452)
    assert sorted((i.substance, i.mass_kg, i.count) for i in aggregate.items) == [
        ("heroin", 184.0, None), ("methamphetamine", None, 46000000.0)]


def test_open_period_percent_change_and_vehicles(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Over the past year, police have investigated 6,400 drug cases, 12 percent, or "
                       "690 cases, more than the year before, and confiscated 41 cars.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.period_start, aggregate.period_end, aggregate.cases, aggregate.items) == (
        None, None, 6400, ())


def test_single_seizure_is_not_an_aggregate(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("A total of 3,000 pangolin scales weighing 60 kg were seized at the port of "
                       "Sihanoukville on Monday.\n")
    assert _run(text, gazetteer) == []


def test_japanese_month_total(gazetteer: Gazetteer) -> None:
    text = "ニュース\n2024年3月5日\n\nカンボジアでは2月の1カ月間に国内で薬物関連の容疑により980人が逮捕され、違法薬物51.2kgが押収された。\n"
    aggregate, = _run(text, gazetteer, published="2024-03-05")
    assert (aggregate.period_start, aggregate.period_end, aggregate.arrests, aggregate.country) == (
        "2024-02-01", "2024-02-29", 980, "KH")


@needs_dev
def test_dev_d05_three_aggregates(gazetteer: Gazetteer) -> None:
    doc = read_document(next(DEV.glob("d05*.html")), Settings())
    out = extract_aggregates(doc, load_nlp()(doc.text), gazetteer)
    assert [(a.period_start, a.period_end, a.cases, a.arrests, [i.mass_kg for i in a.items]) for a in out] == [
        ("2020-01-01", "2020-06-30", 4510, 8927, [209.0]),
        (None, None, None, None, [500.0]),
        ("2019-01-01", "2019-12-31", 9806, 20489, [750.0])]
    assert {a.country for a in out} == {"KH"}
    assert out[0].agency == "National Authority for Combating Drugs"
    assert out[1].admin1 is None


def test_month_range_and_same_period_last_year(gazetteer: Gazetteer) -> None:
    text = HEADLINE + (
        "Police detained 8,210 drug suspects from January to June this year, up 30 percent from 6,315 in "
        "the same period last year, the report said.\n\n"
        "Some 2.4 tonnes of drugs were seized during the six months, up from 1.1 tonnes in the same period "
        "of 2022.\n")
    current, earlier = _run(text, gazetteer)
    assert (current.period_start, current.period_end, current.arrests, [i.mass_kg for i in current.items]) == (
        "2023-01-01", "2023-06-30", 8210, [2400.0])
    assert (earlier.period_start, earlier.period_end, earlier.arrests, [i.mass_kg for i in earlier.items]) == (
        "2022-01-01", "2022-06-30", 6315, [1100.0])


def test_two_periods_in_one_sentence_are_two_aggregates(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("In 2022, Thai authorities recorded 7,340 drug cases, and another 2,015 cases were "
                       "reported in the first three months of 2023.\n")
    out = _run(text, gazetteer)
    assert [(a.period_start, a.period_end, a.cases, a.country) for a in out] == [
        ("2022-01-01", "2022-12-31", 7340, "TH"), ("2023-01-01", "2023-03-31", 2015, "TH")]


def test_count_and_weight_of_the_same_pills_are_one_item(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("In the first half of 2023, Lao police seized nearly 30 million methamphetamine pills "
                       "weighing about 3 tonnes and 800 kg of heroin.\n")
    aggregate, = _run(text, gazetteer)
    assert sorted((i.count or 0, i.mass_kg or 0) for i in aggregate.items) == [(0, 800.0), (30_000_000, 3000.0)]


def test_regional_record_for_a_year(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Seizures of methamphetamine in East and Southeast Asia reached a record 151 tonnes in "
                       "2022, a UN report said.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.period_start, aggregate.period_end, aggregate.items[0].mass_kg) == (
        "2022-01-01", "2022-12-31", 151000.0)


def test_a_year_framed_total_for_a_wide_scope_is_an_aggregate(gazetteer: Gazetteer) -> None:
    text = ("Anti-drug news\nBangkok Post | 8 Jan 2024\n\nIn 2023, the Office of the Narcotics Control Board (ONCB) "
            "reported that agencies in the North seized more than 520 million yaba pills.\n")
    aggregate, = _run(text, gazetteer, published="2024-01-08")
    assert (aggregate.period_start, aggregate.period_end) == ("2023-01-01", "2023-12-31")
    assert aggregate.items[0].count == 520_000_000


def test_last_year_in_the_province_takes_the_report_province(gazetteer: Gazetteer) -> None:
    text = ("Timber seized\nKhmer Times | 22 February 2022\n\nRangers in Ratanakkiri province confiscated 30 cubic "
            "meters of rosewood on Saturday.\n\nLast year, the department confiscated more than 400 cubic metres "
            "of timber in the province, the director added.\n")
    aggregate, = _run(text, gazetteer, published="2022-02-22")
    assert (aggregate.period_start, aggregate.period_end) == ("2021-01-01", "2021-12-31")
    assert (aggregate.country, aggregate.admin1) == ("KH", "Ratanakiri")
    assert aggregate.items[0].volume_m3 == 400


def test_a_regional_total_has_no_country_and_a_share_keeps_its_period(gazetteer: Gazetteer) -> None:
    text = ("Record\nReuters | May 30, 2024\n\nMethamphetamine seizures in East and Southeast Asia hit a record "
            "190 tonnes in 2023, the UNODC said, as production in Myanmar's Shan State grew.\n\n"
            "Thailand accounted for 72 tonnes of the total, the UNODC said.\n")
    region, thailand = _run(text, gazetteer, published="2024-05-30")
    assert (region.country, region.admin1, region.items[0].mass_kg) == (None, None, 190_000)
    assert (thailand.country, thailand.period_start, thailand.period_end) == ("TH", "2023-01-01", "2023-12-31")


def test_a_period_from_one_day_to_another(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("From Sept 1 to 28, the anti-drug department handled 96 drug cases nationwide, arresting "
                       "214 suspects and seizing about 41 kilogrammes of drugs.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.period_start, aggregate.period_end, aggregate.arrests, aggregate.cases) == (
        "2023-09-01", "2023-09-28", 214, 96)
    assert [i.mass_kg for i in aggregate.items] == [41.0]


def test_a_period_opened_on_a_stated_day_runs_to_the_publication_without_an_as_of_date(
        gazetteer: Gazetteer) -> None:
    # SCHEMA "Running totals": with no as-of date, period_end is the publication day.
    text = HEADLINE + ("The board said that since the start of the fiscal year on Oct 1 last year, officers "
                       "nationwide had seized 95 million methamphetamine pills.\n")
    aggregate, = _run(text, gazetteer, published="2024-02-10")
    assert (aggregate.period_start, aggregate.period_end) == ("2023-10-01", "2024-02-10")


@pytest.mark.parametrize(("sentence", "start", "end"), [
    ("In January-August 2023, police across the country seized 18 tonnes of drugs and arrested 9,100 people.",
     "2023-01-01", "2023-08-31"),
    ("In the first eight months, police seized 2.1 tonnes of heroin and arrested 640 people nationwide.",
     "2023-01-01", "2023-08-31"),
    ("From March to November, border guards seized 300 kg of heroin and arrested 512 suspects.",
     "2022-03-01", "2022-11-30"),
])
def test_month_spans_written_loosely(gazetteer: Gazetteer, sentence: str, start: str, end: str) -> None:
    published = "2023-10-20" if "November" not in sentence else "2023-06-01"
    aggregate, = _run(HEADLINE + sentence + "\n", gazetteer, published=published)
    assert (aggregate.period_start, aggregate.period_end) == (start, end)


def test_a_regional_total_in_a_year_is_a_statistic_not_a_seizure(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Authorities across East and Southeast Asia seized 160 tonnes of methamphetamine in "
                       "2022, the agency said.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.country, aggregate.period_start, aggregate.period_end) == (None, "2022-01-01", "2022-12-31")
    assert [i.mass_kg for i in aggregate.items] == [160000.0]


def test_burning_stock_seized_over_years_is_not_a_statistic(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("The authority burned 3 tonnes of drugs seized over the past two years at a ceremony "
                       "in the capital.\n")
    assert _run(text, gazetteer) == []


def test_a_regional_total_broken_down_by_country_gives_each_country_its_own(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Seizures of synthetic drugs in the Mekong region reached a record 140 tonnes in 2022, "
                       "the report said. Thailand seized 700 million tablets, Laos 9 tonnes of crystal "
                       "methamphetamine and Vietnam 1.5 tonnes of ketamine.\n")
    region, *countries = _run(text, gazetteer)
    assert (region.country, region.period_start, region.period_end) == (None, "2022-01-01", "2022-12-31")
    assert [(a.country, a.period_start, a.period_end, [(i.count, i.mass_kg) for i in a.items])
            for a in countries] == [("TH", "2022-01-01", "2022-12-31", [(700_000_000, None)]),
                                    ("LA", "2022-01-01", "2022-12-31", [(None, 9000.0)]),
                                    ("VN", "2022-01-01", "2022-12-31", [(None, 1500.0)])]


def test_a_years_total_on_both_sides_of_a_border_is_a_statistic(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Last year, police on both sides of the river seized more than 200 million pills, "
                       "officials said.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.period_start, aggregate.period_end) == ("2022-01-01", "2022-12-31")
    assert [i.count for i in aggregate.items] == [200_000_000]


# --- Running totals, tallies of cases and arrests, totals split over sentences (held-out pages) ---

def test_since_the_beginning_of_a_year_is_a_running_total_to_the_publication(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Bokeo Province has seized over 70 million methamphetamine pills since the beginning of "
                       "2023, together with large quantities of other illicit substances.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.period_start, aggregate.period_end) == ("2023-01-01", "2023-10-20")
    assert aggregate.admin1 == "Bokeo"
    assert aggregate.items[0].count == 70_000_000


def test_running_total_ends_on_the_day_it_was_told(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Laos handled more than 10,000 drug-related cases since the start of the year, Prime "
                       "Minister Sonexay Siphandone told the National Assembly in his address on 10 October.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.period_start, aggregate.period_end, aggregate.cases) == ("2023-01-01", "2023-10-10", 10000)


def test_since_a_day_last_year_runs_to_the_publication(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("In northern Thailand, the task force has mounted 272 anti-drug operations since Oct 1 last "
                       "year, arresting 291 suspects and confiscating more than 110 million methamphetamine pills.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.period_start, aggregate.period_end, aggregate.arrests) == ("2022-10-01", "2023-10-20", 291)


def test_the_past_month_counts_back_from_the_publication(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("In the past month alone, more than 6 million meth pills and 3 tonnes of marijuana had been "
                       "seized in Nakhon Phanom, he said.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.period_start, aggregate.period_end) == ("2023-09-20", "2023-10-20")
    assert aggregate.admin1 == "Nakhon Phanom"


def test_day_range_with_commas_between_full_dates(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Between October 1, 2022, and December 12, 2022, the task force's soldiers seized 914 "
                       "kilograms of crystal methamphetamine and 140 kilograms of heroin.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.period_start, aggregate.period_end) == ("2022-10-01", "2022-12-12")


def test_in_that_time_takes_the_period_of_the_sentence_before(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Several provinces have made seizures of illegal timber in the past three months. In "
                       "Attapeu, illegal timber seized in that time adds up to more than 9,000 cubic metres.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.period_start, aggregate.period_end) == ("2023-07-20", "2023-10-20")
    assert aggregate.items[0].volume_m3 == 9000


def test_over_those_months_adds_other_drugs_to_the_total(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("The task force has mounted 272 operations since Oct 1 last year, confiscating more than "
                       "110 million methamphetamine pills. Its seizures over those months also include 695kg of "
                       "ketamine and 22.1kg of opium.\n")
    aggregate, = _run(text, gazetteer)
    assert sorted(i.substance or "" for i in aggregate.items) == ["ketamine", "methamphetamine", "opium"]


def test_cases_and_arrests_without_quantities_then_a_total_weight(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("According to Virith, from January 1 to July 1 police handled 4,004 drug cases and made "
                       "7,945 arrests. Of the 4,004 cases, 2,594 concerned smuggling, he said.\n\n"
                       "The drugs confiscated weighed 245kg in total, he said.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.cases, aggregate.arrests, aggregate.items[0].mass_kg) == (4004, 7945, 245)


def test_a_second_tally_after_a_running_total_shares_its_period(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Laos handled more than 10,000 drug-related cases since the start of the year, the Prime "
                       "Minister said. Several operations had succeeded, he reported, with 1,680 cases resolved "
                       "and 2,616 people arrested.\n")
    first, second = _run(text, gazetteer)
    assert (second.cases, second.arrests) == (1680, 2616)
    assert (second.period_start, second.period_end) == (first.period_start, first.period_end)


def test_running_total_since_early_this_year_is_an_aggregate(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("More than 10 tonnes of meth pills have been seized along the border in Nakhon Phanom "
                       "since early this year, a ranger commander said.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.period_start, aggregate.period_end) == ("2023-01-01", "2023-10-20")
    assert [(i.mass_kg, i.substance) for i in aggregate.items] == [(10000.0, "methamphetamine")]


def test_a_running_total_after_a_haul_is_a_statistic_of_the_year_so_far(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Customs officers in Koh Kong province seized 35 kilograms of ketamine from a fishing boat on "
                       "Wednesday, bringing the total seized in the province this year to 410 kilograms.\n")
    aggregates = _run(text, gazetteer)
    assert [(a.period_start, a.period_end, [i.mass_kg for i in a.items]) for a in aggregates] == [
        ("2023-01-01", "2023-10-20", [410.0])]


def test_a_running_total_without_amounts_of_its_own_is_no_statistic(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Customs officers in Koh Kong province seized 35 kilograms of ketamine on Wednesday, "
                       "raising the number of cases this year to a record.\n")
    assert _run(text, gazetteer) == []


def test_a_part_told_with_including_stays_inside_the_total(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("In the first nine months of 2023, police in Cambodia handled 3,100 drug cases and seized 610 kg "
                       "of drugs, including 40 kg of heroin.\n")
    aggregate, = _run(text, gazetteer)
    assert [i.mass_kg for i in aggregate.items] == [610.0]


def test_a_statistic_with_no_place_takes_the_country_of_the_national_body_the_report_cites(
        gazetteer: Gazetteer) -> None:
    text = ("Drug crimes fall\nDaily Wire\n\n"
            "A report released by the ONCB said drug crime had fallen.\n\n"
            "From January 1 to June 30 officers handled 9,020 drug cases and made 11,400 arrests.\n")
    aggregate, = _run(text, gazetteer, published=None)
    assert (aggregate.country, aggregate.cases, aggregate.arrests) == ("TH", 9020, 11400)


def test_a_year_before_a_seizure_in_the_present_perfect_is_the_year_so_far(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Customs officers in Cambodia intercepted 40 kilograms of heroin at a port on Monday.\n\n"
                       "This year, customs officers have intercepted more than 600 kilograms of ketamine across the "
                       "southern provinces, the department said.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.period_start, aggregate.period_end) == ("2023-01-01", "2023-10-20")
    assert [(i.mass_kg, i.substance) for i in aggregate.items] == [(600.0, "ketamine")]


def test_a_haul_told_as_the_largest_this_year_is_no_statistic(gazetteer: Gazetteer) -> None:
    text = HEADLINE + "Police in Kampot have seized 25 kilograms of heroin, the largest haul this year.\n"
    assert _run(text, gazetteer) == []


def test_a_month_s_total_across_the_country_is_that_month(gazetteer: Gazetteer) -> None:
    text = ("Police in Champasak seized 12 kg of heroin on 14 November.\n\n"
            "In October a further 640 kg of drugs were seized across the country, officials said.\n")
    aggregates = _run(text, gazetteer, published="2023-11-16")
    assert [(a.period_start, a.period_end, [i.mass_kg for i in a.items]) for a in aggregates] == [
        ("2023-10-01", "2023-10-31", [640.0])]


def test_a_year_s_thousands_of_arrests_make_a_tally_not_a_haul(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Some 7,200 suspects were detained for drug crimes in 2021, and almost 9 tonnes of "
                       "narcotics were confiscated, the interior ministry said on Monday.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.period_start, aggregate.period_end, aggregate.arrests) == ("2021-01-01", "2021-12-31", 7200)
    assert [i.mass_kg for i in aggregate.items] == [9000.0]


def test_the_report_going_on_with_its_figures_stays_in_the_statistic(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("In the first eight months of 2023, police across the country handled 3,050 drug cases.\n\n"
                       "The report also recorded 820 kilograms of heroin seized from traffickers.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.period_start, aggregate.period_end, aggregate.cases) == ("2023-01-01", "2023-08-31", 3050)
    assert [(i.mass_kg, i.substance) for i in aggregate.items] == [(820.0, "heroin")]


def test_the_statistic_s_speaker_going_on_with_arrests_and_goods_stays_in_it(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Provincial police handled 912 drug cases in the first nine months of 2023, officials said.\n\n"
                       "Speaking at the briefing, Colonel Hem Sokha said that officers had detained 1,204 offenders, 80 "
                       "of them women.\n\n"
                       "Colonel Hem also revealed that police had confiscated 310 kg of heroin, 96 kg of ketamine and "
                       "2.4 million yaba pills.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.cases, aggregate.arrests) == (912, 1204)
    assert sorted(i.substance or "" for i in aggregate.items) == ["heroin", "ketamine", "methamphetamine"]


def test_a_year_s_seizures_of_all_kinds_of_drugs_are_a_tally(gazetteer: Gazetteer) -> None:
    text = HEADLINE + "Officials say that in 2022 customs seized more than 3 tonnes of all kinds of narcotics.\n"
    aggregate, = _run(text, gazetteer)
    assert (aggregate.period_start, aggregate.period_end) == ("2022-01-01", "2022-12-31")
    assert [i.mass_kg for i in aggregate.items] == [3000.0]



def test_a_month_to_date_total_as_of_a_day_starts_with_the_month(gazetteer: Gazetteer) -> None:
    text = HEADLINE + "As of 19 October, Bokeo authorities had seized nearly 15 million methamphetamine pills in total for the month.\n"
    aggregate, = _run(text, gazetteer)
    assert (aggregate.period_start, aggregate.period_end) == ("2023-10-01", "2023-10-19")


def test_they_seizing_more_goes_on_with_the_statistic(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Figures from the ministry show that in the first half of this year police handled 2,241 drug cases "
                       "and arrested 3,452 people.\n\nThey seized nearly 46 million amphetamine pills and 184kg of heroin.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.cases, aggregate.arrests, len(aggregate.items)) == (2241, 3452, 2)


def test_a_comparison_with_a_year_is_not_the_period(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Raids carried out this year led to 21,566 arrests across the country, and more than three tonnes "
                       "of drugs were confiscated in 10,461 cases – every figure higher than in 2019.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.arrests, aggregate.cases) == (21566, 10461)
    assert aggregate.period_start != "2019-01-01"


def test_a_month_range_from_last_year_runs_across_the_new_year(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("The governor said that between October last year and August the province had seized "
                       "31,363,800 methamphetamine pills and 778 kilogrammes of ice in Nong Khai.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.period_start, aggregate.period_end) == ("2022-10-01", "2023-08-31")


def test_over_the_whole_of_a_year_is_that_year(gazetteer: Gazetteer) -> None:
    text = HEADLINE + "Over the whole of 2011, Cambodian police seized just 1.1 kg of cocaine.\n"
    aggregate, = _run(text, gazetteer)
    assert (aggregate.period_start, aggregate.period_end) == ("2011-01-01", "2011-12-31")


def test_goods_told_apart_for_the_same_period_join_its_statistic(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("Cambodian authorities arrested 10,545 drug suspects in 4,384 cases over the first eight months "
                       "of this year, the police said.\n\n"
                       "Officers said a total of 6.11 tonnes of drugs were seized from January to August 2023.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.arrests, aggregate.cases, [i.mass_kg for i in aggregate.items]) == (10545, 4384, [6110.0])
    assert (aggregate.period_start, aggregate.period_end) == ("2023-01-01", "2023-08-31")


def test_they_seizing_more_goes_on_though_the_parse_takes_a_drug_for_a_place(gazetteer: Gazetteer) -> None:
    text = HEADLINE + ("In April, Thai police said they had arrested more than 120,000 drug suspects in the past six "
                       "months. They had seized more than 2.4 billion baht in assets and confiscated more than 260 "
                       "million pills of illegal substances, including meth.\n")
    aggregate, = _run(text, gazetteer)
    assert (aggregate.arrests, [i.count for i in aggregate.items]) == (120000, [260_000_000])
