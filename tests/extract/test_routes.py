"""Origin, destination, seizing agency and concealment as reports state them."""

from __future__ import annotations

import pytest

from borderwatch.extract.context import read_layout
from borderwatch.extract.nlp import load_nlp
from borderwatch.extract.routes import find_agency, find_concealment, find_destination, find_origin
from borderwatch.geo.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def _layout(text: str, gazetteer: Gazetteer):  # type: ignore[no-untyped-def]
    from borderwatch.model import Document
    doc = Document(id="r", text=text + "\n", content_hash="h", source="test")
    return read_layout(doc, load_nlp()(doc.text), gazetteer)


def test_origin_and_destination(gazetteer: Gazetteer) -> None:
    layout = _layout("Border guards seized heroin smuggled from Myanmar into Thailand on a river boat at night.",
                     gazetteer)
    sentences = list(layout.sentences)
    origin = find_origin(layout, gazetteer, sentences, "TH")
    destination = find_destination(layout, gazetteer, sentences)
    assert (origin.value if origin else None, destination.value if destination else None) == ("MM", "TH")


def test_region_is_not_an_origin_but_a_plate_is(gazetteer: Gazetteer) -> None:
    region = _layout("Police seized drugs from the Golden Triangle hidden in a truck near the border crossing.",
                     gazetteer)
    assert find_origin(layout=region, gazetteer=gazetteer, sentences=list(region.sentences), country="LA") is None
    plate = _layout("Officers stopped a car with a Thai licence plate and found 20 kilograms of heroin inside.",
                    gazetteer)
    found = find_origin(plate, gazetteer, list(plate.sentences), "KH")
    assert found is not None and found.value == "TH"


def test_agency_and_concealment(gazetteer: Gazetteer) -> None:
    layout = _layout("Customs officers at the port found 3 tonnes of ivory concealed in containers of timber.",
                     gazetteer)
    agency = find_agency(layout, list(layout.sentences))
    concealment = find_concealment(layout, list(layout.sentences))
    assert agency is not None and agency.value == "Customs officers at the port"
    assert concealment is not None and concealment.value == "concealed in containers of timber"


def test_a_general_transit_statement_is_not_this_hauls_origin(gazetteer: Gazetteer) -> None:
    general = _layout("Laos is a key transit country for drugs made in Myanmar and bound for Vietnam.", gazetteer)
    assert find_origin(general, gazetteer, list(general.sentences), "LA") is None
    own = _layout("The container was listed as being in transit from Nigeria to Cambodia with 2 tonnes of scales.",
                  gazetteer)
    found = find_origin(own, gazetteer, list(own.sentences), "VN")
    assert found is not None and found.value == "NG"
