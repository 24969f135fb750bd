"""Items: a count and its weight are one item; a repeated rounder number is the same item."""

from __future__ import annotations

from borderwatch.extract.context import read_layout
from borderwatch.extract.items import freeze, is_goods, read_items, relation, without_bare_packages
from borderwatch.extract.nlp import load_nlp
from borderwatch.extract.units import find_quantities
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.lang.identify import identify_language
from borderwatch.model import Document, Item


def _items(text: str):  # type: ignore[no-untyped-def]
    doc = Document(id="i", text=text + "\n", content_hash="h", source="test", language=identify_language(text))
    layout = read_layout(doc, load_nlp()(doc.text), Gazetteer.load())
    sentence = layout.sentences[0]
    goods = [q for q in find_quantities(sentence.text) if is_goods(q)]
    return read_items(layout, sentence, goods)


def test_count_with_its_weight_is_one_item() -> None:
    draft, = _items("Officers found 48,000 methamphetamine pills weighing 4.8 kilograms in the car.")
    item = freeze(draft)
    assert (item.count, item.count_unit, item.mass_kg, item.substance) == (48000, "tablets", 4.8, "methamphetamine")


def test_two_goods_joined_by_and_are_two_items() -> None:
    drafts = _items("Police seized 3 kg of heroin and 12,000 ecstasy tablets from the house.")
    assert [(freeze(d).substance, freeze(d).mass_kg, freeze(d).count) for d in drafts] == [
        ("heroin", 3.0, None), ("mdma", None, 12000)]


def test_packages_stand_in_only_without_a_finer_measure() -> None:
    alone, = _items("Police seized 25 packages of heroin from a bus at the border.")
    assert (freeze(alone).count, freeze(alone).count_unit) == (25, "packages")
    both, = _items("Police seized 25 packages of heroin weighing 8.5 kilograms from a bus.")
    assert (freeze(both).count, freeze(both).mass_kg) == (None, 8.5)


def test_rounded_lead_number_is_the_same_haul_but_a_different_amount_is_not() -> None:
    lead, = _items("Police seized more than 2 tonnes of cannabis in a raid near the river.")
    body, = _items("The haul weighed 2.13 tonnes in all according to the police report.")
    other, = _items("Police seized 3.1 tonnes of cannabis in another raid near the river.")
    assert relation(lead, body) == "same"
    assert relation(lead, other) == "different"


def test_the_same_goods_counted_in_other_numbers_of_one_package_are_other_goods() -> None:
    ten, = _items("Border guards arrested a man as he was smuggling 10 bricks of heroin.")
    four, = _items("Police arrested a suspect who was transporting four bricks of heroin.")
    assert relation(ten, four) == "different"
    # packing told at two levels is one haul's
    sacks, = _items("Officials checked two sacks of crystal methamphetamine on the truck.")
    packages, = _items("Inside they found 50 packages of crystal methamphetamine.")
    assert relation(sacks, packages) == "complement"


def test_containers_where_they_were_then_what_each_held_is_one_quantity() -> None:
    draft, = _items("The Monday night bust found 37 bags in the boat, each holding 300,000 meth pills.")
    assert (freeze(draft).count, freeze(draft).count_unit) == (11100000, "tablets")


def test_generic_wood_and_a_named_species_can_be_one_item() -> None:
    volume, = _items("Rangers confiscated about 30 cubic meters of rosewood in the district.")
    logs, = _items("The wood, in 35 logs, was stored at the department.")
    assert (volume.substance, logs.substance) == ("rosewood", "timber")
    assert relation(volume, logs) == "complement"


def test_generic_wood_does_not_join_goods_of_another_commodity() -> None:
    logs, = _items("The wood, in 35 logs, was stored at the department.")
    pills, = _items("Police seized 20,000 methamphetamine pills in the village.")
    assert relation(pills, logs) == "different"


def test_containers_times_what_each_holds_is_one_quantity() -> None:
    draft, = _items("Guards found 25 packs each holding 400 tablets of yaba in the van.")
    item = freeze(draft)
    assert (item.substance, item.form, item.count, item.count_raw) == (
        "methamphetamine", "tablets", 10000, "25 packs each holding 400 tablets")
    drafts = _items("The crystal meth was packed in 40 sacks of 25 kilogrammes each, the officer said.")
    assert [freeze(d).mass_kg for d in drafts] == [1000.0]


def test_a_named_species_wins_over_the_catch_all_its_form_word_implies() -> None:
    draft, = _items("Rangers seized 64 logs of Siamese rosewood at a sawmill.")
    item = freeze(draft)
    assert (item.substance, item.form, item.count, item.count_unit) == ("rosewood", "logs", 64, "logs")


def test_unit_forms_of_the_goods_stay_counts_beside_a_weight() -> None:
    draft, = _items("Officers found 30 bricks of heroin weighing 10.5 kilograms in the car.")
    item = freeze(draft)
    assert (item.mass_kg, item.count, item.count_unit) == (10.5, 30, "bricks")
    sacks, = _items("Officers found 30 sacks of cannabis weighing 600 kilograms in the car.")
    assert (freeze(sacks).mass_kg, freeze(sacks).count) == (600.0, None)


def test_goods_packed_in_unit_forms_are_one_item() -> None:
    draft, pills = _items("Police seized 600 kg of dried cannabis packed in 300 blocks and 2,000 pills.")
    item = freeze(draft)
    assert (item.substance, item.mass_kg, item.count, item.count_unit) == ("cannabis", 600.0, 300, "blocks")
    assert (freeze(pills).count, freeze(pills).count_unit) == (2000, "tablets")


def test_a_second_measure_set_off_by_commas_is_the_same_goods() -> None:
    draft, = _items("Rangers caught men carrying 30 Siamese rosewood logs, about 1.8 cubic metres of wood, "
                    "towards the river.")
    item = freeze(draft)
    assert (item.substance, item.count, item.count_unit, item.volume_m3) == ("rosewood", 30, "logs", 1.8)
    heroin, meth = _items("Police seized 2 kg of heroin, 3 kg of methamphetamine at the house.")
    assert (freeze(heroin).substance, freeze(meth).substance) == ("heroin", "methamphetamine")
    listed = _items("Police seized 2 million methamphetamine pills, about 300 kilos of crystal methamphetamine "
                    "and 20 kilos of heroin.")
    assert [(freeze(d).form, freeze(d).count, freeze(d).mass_kg) for d in listed] == [
        ("tablets", 2_000_000, None), ("crystal", None, 300.0), (None, None, 20.0)]


def test_slabs_each_weighing_one_kilogram_are_one_item_of_the_total() -> None:
    draft, = _items("They left behind 138 slabs of dried marijuana, weighing 1kg each.")
    item = freeze(draft)
    assert (item.substance, item.mass_kg) == ("cannabis", 138)


def test_bags_containing_a_weight_are_one_item() -> None:
    draft, = _items("They confiscated 16 bags containing 5.3 kg of heroin.")
    item = freeze(draft)
    assert (item.substance, item.mass_kg) == ("heroin", 5.3)


def test_per_container_amounts_yield_to_the_stated_total() -> None:
    draft, = _items("Eight contained 200,000 speed pills apiece and seven held 100,000 apiece, a total of "
                    "2.3 million pills.")
    item = freeze(draft)
    assert (item.substance, item.form, item.count) == ("methamphetamine", "tablets", 2_300_000)


def test_a_converted_weight_in_brackets_is_the_same_item() -> None:
    draft, = _items("A man was found to have rhino horn weighing 1.5 kilograms (3.3 pounds) in his luggage.")
    assert freeze(draft).mass_kg == 1.5


def test_measures_set_off_by_dashes_restate_the_goods_counted() -> None:
    items = _items("Rangers stopped a lorry carrying 2,340 planks of rosewood—about 6 cubic meters weighing "
                   "some 7 tons—hidden under sacks of rice.")
    assert [(freeze(d).substance, freeze(d).count, freeze(d).volume_m3, freeze(d).mass_kg) for d in items] == [
        ("rosewood", 2340.0, 6.0, 7000.0)]


def test_a_count_of_bare_packaging_beside_named_goods_is_no_item() -> None:
    scales = Item(commodity="wildlife", substance="pangolin", form="scales", mass_kg=805.0)
    boxes = Item(commodity="other", substance=None, form=None, count=24.0, count_unit="boxes")
    assert without_bare_packages((scales, boxes)) == (scales,)
    assert without_bare_packages((boxes,)) == (boxes,)
