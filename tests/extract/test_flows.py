"""Flows: stated trafficking directions between countries, not one shipment's route."""

from __future__ import annotations

import hashlib

import pytest
from spacy.language import Language

from borderwatch.errors import Rejected
from borderwatch.extract.flows import extract_flows
from borderwatch.extract.nlp import load_nlp
from borderwatch.extract.quotes import extract_quotes
from borderwatch.lang.identify import identify_language
from borderwatch.model import Document, Flow
from tests.shared_sets import (
    DEV,
    needs_dev,
)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def _flows(nlp: Language, text: str) -> list[Flow]:
    doc = Document(id="t", text=text, content_hash=hashlib.sha1(text.encode()).hexdigest(), source="test", language=identify_language(text))
    parsed = nlp(text)
    flows = extract_flows(doc, parsed, extract_quotes(doc, parsed))
    for flow in flows:
        for span in flow.evidence:
            assert doc.text[span.start:span.end] == span.text
    return flows


def _keys(flows: list[Flow]) -> set[tuple[str, str, str]]:
    return {(f.origin, f.destination, f.commodity) for f in flows}


def test_from_one_country_into_another(nlp: Language) -> None:
    text = "Officials said heroin was being smuggled from Myanmar into Thailand along jungle paths."
    assert _keys(_flows(nlp, text)) == {("MM", "TH", "drugs")}


def test_a_country_as_a_route_to_a_list_of_countries(nlp: Language) -> None:
    text = "Myanmar is a major transit route for methamphetamine to China, Laos and Thailand."
    assert _keys(_flows(nlp, text)) == {("MM", "CN", "drugs"), ("MM", "LA", "drugs"), ("MM", "TH", "drugs")}


def test_one_shipment_with_a_quantity_is_not_a_flow(nlp: Language) -> None:
    text = "Police seized 40 kilograms of heroin that had been carried from Laos into Vietnam."
    assert _flows(nlp, text) == []


def test_a_continent_or_region_is_not_a_country(nlp: Language) -> None:
    text = ("Most ivory seized in Vietnam is smuggled from Africa to China. "
            "Heroin flows from the Golden Triangle to Thailand.")
    assert _flows(nlp, text) == []


def test_no_destination_country_means_no_flow(nlp: Language) -> None:
    text = "The ban aims to curb the illegal shipping of wood out of the country."
    assert _flows(nlp, text) == []


def test_origin_only_goes_to_the_country_the_report_is_about(nlp: Language) -> None:
    text = ("Cambodia has tightened its border. Cambodian forestry officials inspected trucks.\n\n"
            "“Most of the logs are brought over from Thailand at night,” forestry chief Keo Sam said.")
    flows = _flows(nlp, text)
    assert _keys(flows) == {("TH", "KH", "timber")}
    assert flows[0].asserted_by == "Keo Sam"


def test_a_border_between_two_countries_is_not_a_direction(nlp: Language) -> None:
    text = "Smuggling of timber across the Cambodia-Vietnam border continues."
    assert _flows(nlp, text) == []


def test_flows_are_deduplicated_per_document(nlp: Language) -> None:
    text = ("Drugs are smuggled from Laos into Cambodia every week.\n\n"
            "Officials repeated that drugs were trafficked from Laos into Cambodia.")
    flows = _flows(nlp, text)
    assert _keys(flows) == {("LA", "KH", "drugs")}
    assert [f.id for f in flows] == ["t#f1"]


def test_a_parse_of_other_text_is_rejected(nlp: Language) -> None:
    doc = Document(id="t", text="Drugs moved from Laos into Cambodia.", content_hash="x", source="test")
    with pytest.raises(Rejected):
        extract_flows(doc, nlp("Something else entirely."), [])


@needs_dev
def test_seed_document_flows_and_who_asserts_them(nlp: Language) -> None:
    flows = _flows(nlp, (DEV / "s00-seed-laos-drugs.txt").read_text(encoding="utf-8"))
    assert _keys(flows) == {("LA", "KH", "drugs"), ("LA", "TH", "drugs"), ("LA", "VN", "drugs")}
    asserted = {(f.origin, f.destination): f.asserted_by for f in flows}
    assert asserted[("LA", "TH")] == "Jeremy Douglas"
    assert asserted[("LA", "VN")] == "Jeremy Douglas"


@pytest.mark.parametrize("stem", ["d03-siengmey-cambodiadaily", "d04-quangtri-vnexpress",
                                  "t02-tuoitre-caimep", "t06-rfa-laos-moratorium", "d01-vueyeng-laotiantimes"])
@needs_dev
def test_dev_documents_without_gold_flows_yield_none(nlp: Language, stem: str) -> None:
    assert _flows(nlp, (DEV / f"{stem}.txt").read_text(encoding="utf-8")) == []


def test_through_a_transit_country_to_others(nlp: Language) -> None:
    text = "Most of the drugs come from the Golden Triangle and are taken through Laos to Thailand and Vietnam."
    assert _keys(_flows(nlp, text)) == {("LA", "TH", "drugs"), ("LA", "VN", "drugs")}


def test_entering_a_country_through_another(nlp: Language) -> None:
    text = "Drugs from the Golden Triangle still enter Cambodia through Laos, so we must work as one team."
    assert _keys(_flows(nlp, text)) == {("LA", "KH", "drugs")}


def test_a_transit_country_for_goods_made_elsewhere(nlp: Language) -> None:
    text = "Laos is a key transit country for drugs made in Myanmar and bound for Vietnam."
    assert _keys(_flows(nlp, text)) == {("MM", "LA", "drugs"), ("LA", "VN", "drugs")}


def test_a_chain_through_a_transit_country_is_one_row_per_leg(nlp: Language) -> None:
    text = "The colonel said heroin was trafficked from Myanmar through Laos into Vietnam."
    assert _keys(_flows(nlp, text)) == {("MM", "LA", "drugs"), ("LA", "VN", "drugs")}


def test_a_transit_country_named_with_its_region(nlp: Language) -> None:
    text = "Methamphetamine made in Shan State is trafficked through northern Lao PDR into Thailand and Cambodia."
    assert _keys(_flows(nlp, text)) == {("MM", "LA", "drugs"), ("LA", "TH", "drugs"), ("LA", "KH", "drugs")}


def test_a_country_where_the_goods_originated_then_a_transit_country(nlp: Language) -> None:
    text = ("Officials said interdiction in the provinces bordering Myanmar, where most of the drugs originated, "
            "had forced gangs to shift their smuggling routes through Laos and into northeastern Thailand.")
    assert _keys(_flows(nlp, text)) == {("MM", "LA", "drugs"), ("LA", "TH", "drugs")}


def test_a_source_country_sending_goods_directly_or_through_another(nlp: Language) -> None:
    text = ("He said Myanmar remained the biggest source of the pills, which reach Cambodia directly or are "
            "routed through Laos.")
    assert _keys(_flows(nlp, text)) == {("MM", "KH", "drugs"), ("MM", "LA", "drugs"), ("LA", "KH", "drugs")}


@pytest.mark.parametrize("text", [
    "Ketamine is trafficked out of Laos and Myanmar into Thailand, the agency said.",
    "Ketamine is trafficked into Thailand from Laos and Myanmar, the agency said.",
])
def test_several_origins_listed_before_or_after_the_destination(nlp: Language, text: str) -> None:
    assert _keys(_flows(nlp, text)) == {("LA", "TH", "drugs"), ("MM", "TH", "drugs")}


def test_an_onward_leg_starts_where_the_last_one_ended(nlp: Language) -> None:
    text = ("Customs officers in Vietnam have found more ivory this year. "
            "“Much of the ivory sold in Vietnam comes from Nigeria,” the researcher said. "
            "“A part of it is later sent on to China.”")
    assert _keys(_flows(nlp, text)) == {("NG", "VN", "wildlife"), ("VN", "CN", "wildlife")}


def test_one_shipment_told_in_the_past_is_the_event_route_not_a_flow(nlp: Language) -> None:
    text = ("“We think the consignment was brought over from Laos and was meant to go on to Vietnam,” "
            "the officer said. “The man had carried them across the river.”")
    assert _flows(nlp, text) == []


def test_a_region_of_the_reporting_country_as_destination(nlp: Language) -> None:
    text = ("Police in Ubon Ratchathani and Mukdahan provinces stepped up checks. "
            "The general said Laos was being used as a transit country for drugs from Myanmar heading to the "
            "Northeast.")
    assert _keys(_flows(nlp, text)) == {("MM", "LA", "drugs"), ("LA", "TH", "drugs")}


def test_a_province_named_as_where_production_happens(nlp: Language) -> None:
    text = "Gangs are expanding production in Shan State and moving the pills through Laos into Thailand."
    assert _keys(_flows(nlp, text)) == {("MM", "LA", "drugs"), ("LA", "TH", "drugs")}


def test_trade_named_only_by_its_destinations_starts_in_the_reporting_country(nlp: Language) -> None:
    text = ("Police in Champasak and Attapeu provinces said drug trafficking towards Cambodia and "
            "Vietnam had become a concern.")
    assert _keys(_flows(nlp, text)) == {("LA", "KH", "drugs"), ("LA", "VN", "drugs")}


def test_people_from_two_countries_are_not_a_flow(nlp: Language) -> None:
    text = "Customs officials from Laos and Thailand met in Vientiane to discuss drug trafficking on the Mekong."
    assert _flows(nlp, text) == []


def test_a_chain_of_legs_told_with_then(nlp: Language) -> None:
    text = "Rosewood cut in Laos is trucked into Vietnam, then shipped to China, the researcher said."
    assert _keys(_flows(nlp, text)) == {("LA", "VN", "timber"), ("VN", "CN", "timber")}


def test_a_list_of_transit_countries(nlp: Language) -> None:
    text = "Heroin made in Myanmar is moved through Laos and Cambodia to Vietnam, the report said."
    assert _keys(_flows(nlp, text)) == {("MM", "LA", "drugs"), ("MM", "KH", "drugs"), ("LA", "VN", "drugs"),
                                       ("KH", "VN", "drugs")}


def test_the_seized_pills_journey_believed_is_the_events_not_a_flow(nlp: Language) -> None:
    text = ("Pol Lt Gen Supat Muangsamai told reporters on Wednesday that the meth pills were believed to have "
            "been delivered from Myanmar to Laos and then smuggled by boat across the Mekong river into the "
            "Northeast of Thailand.\n")
    assert _flows(nlp, text) == []


@pytest.mark.parametrize(("text", "flow"), [
    (("Smugglers moving drugs into and through Cambodia favour the porous border with Laos, where patrols are "
     "thin.\n"), ("LA", "KH", "drugs")),
    ("Customs in Vietnam logged rosewood exports from Cambodia worth millions of dollars last year.\n",
     ("KH", "VN", "timber")),
    (("The Myanmar army has mounted heavy crackdowns in eastern Shan State, on the border with Thailand, in an "
     "effort to cut off supplies of illegal drugs meant to be smuggled into Thailand.\n"), ("MM", "TH", "drugs")),
])
def test_routes_the_outlet_narrates(nlp: Language, text: str, flow: tuple[str, str, str]) -> None:
    assert [(f.origin, f.destination, f.commodity) for f in _flows(nlp, text)] == [flow]


def test_one_man_bringing_drugs_into_a_country_is_no_route(nlp: Language) -> None:
    assert _flows(nlp, "Police in Vientiane arrested a man who was trying to bring drugs into Thailand.\n") == []


def test_goods_arriving_from_a_country_go_to_the_country_whose_provinces_the_report_names(nlp: Language) -> None:
    text = ("Police in Kratie province stopped a van on Monday.\n\n"
            "Officers said most of the heroin they find on the river road arrives from Laos.")
    assert _keys(_flows(nlp, text)) == {("LA", "KH", "drugs")}


@pytest.mark.parametrize("sentence", [
    "Customs officials said most of the ivory intercepted in Vietnam originates in Mozambique.",
    "Customs officials said ivory smugglers based in Mozambique keep shipping tusks to Vietnam.",
])
def test_an_origin_told_by_where_goods_or_gangs_are(nlp: Language, sentence: str) -> None:
    assert _keys(_flows(nlp, sentence)) == {("MZ", "VN", "wildlife")}


def test_goods_travelling_from_a_named_region_of_a_country(nlp: Language) -> None:
    text = "Officials said opium from upper Myanmar regularly travels across the hills into India."
    assert _keys(_flows(nlp, text)) == {("MM", "IN", "drugs")}


def test_one_person_crossing_with_goods_is_a_trip_not_a_route(nlp: Language) -> None:
    text = ("Police in Kratie province seized heroin on Monday.\n\n"
            "They said the courier had crossed the river from Laos by canoe before dawn to sell the heroin.")
    assert _keys(_flows(nlp, text)) == set()


def test_the_outlet_telling_where_the_seized_drugs_travelled_states_the_route(nlp: Language) -> None:
    text = ("Police in Udon Thani stopped a pickup on Friday.\n\n"
            "The heroin had been trafficked from Myanmar through Laos into Thailand.\n")
    assert _keys(_flows(nlp, text)) == {("MM", "LA", "drugs"), ("LA", "TH", "drugs")}


def test_the_outlet_naming_where_the_goods_were_bound_is_a_flow_from_the_report_country(nlp: Language) -> None:
    text = ("Border guards in Bokeo stopped two men on Monday.\n\n"
            "The pills were believed to have been destined for Vietnam.\n")
    assert _keys(_flows(nlp, text)) == {("LA", "VN", "drugs")}


@pytest.mark.parametrize("sentence", [
    "According to Vietnamese customs data, Vietnam imported 30,000 cubic metres of timber from Cambodia last year.\n",
    "Cambodia exported 12,000 cubic metres of sawn timber to Vietnam in 2015, according to Vietnamese customs figures.\n",
])
def test_trade_totals_in_customs_figures_are_flows_despite_their_quantities(nlp: Language, sentence: str) -> None:
    assert _keys(_flows(nlp, sentence)) == {("KH", "VN", "timber")}


def test_a_seizure_of_imported_goods_is_no_trade_flow(nlp: Language) -> None:
    assert _flows(nlp, "Vietnamese customs seized 2 tonnes of ivory imported from Nigeria.\n") == []


def test_where_people_come_from_is_not_a_route(nlp: Language) -> None:
    text = ("Two of those detained came from Malaysia and had rented the warehouse where the heroin was stored.\n\n"
            "The driver, who comes from Yunnan, said he was delivering the drugs to a buyer in Laos.")
    assert _flows(nlp, text) == []


def test_one_vehicles_trip_is_its_haul_s_route(nlp: Language) -> None:
    text = ("Police stopped a truck that had arrived from Laos at the Friendship Bridge. "
            "Customs halted a shipment from Nigeria bound for the port.")
    assert _flows(nlp, text) == []


def test_a_vehicle_seen_crossing_is_one_trip_in_any_tense(nlp: Language) -> None:
    text = ("Police in Loei seized 5 million methamphetamine pills. Officers saw a longtail boat slip across from "
            "Laos and dock at Ban Hat Hae village, where several large sacks were moved into a pickup truck.")
    assert _flows(nlp, text) == []


def test_a_relay_country_is_where_goods_go_first(nlp: Language) -> None:
    text = ("Police in Kompong Thom province set up checkpoints to stop trucks transporting timber to Vietnam, "
            "from where much of it continues on into China.")
    assert _keys(_flows(nlp, text)) == {("KH", "VN", "timber"), ("VN", "CN", "timber")}


def test_traders_buying_from_neighbours(nlp: Language) -> None:
    text = ("Laos has sold most of its own pangolins. Traders in Laos now buy pangolin scales mostly from "
            "Thailand and Myanmar.")
    assert _keys(_flows(nlp, text)) == {("TH", "LA", "wildlife"), ("MM", "LA", "wildlife")}
