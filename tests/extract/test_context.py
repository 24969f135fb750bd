"""Layout: header versus body, the reference date, and which dates belong to the event."""

from __future__ import annotations

import pytest

from borderwatch.extract.context import (
    Sentence,
    country_mentions,
    is_dateline_date,
    places_in,
    read_layout,
    sentence_dates,
)
from borderwatch.extract.nlp import load_nlp
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.lang import language_for
from borderwatch.lang.identify import identify_language
from borderwatch.model import Document, Span


def test_header_body_and_reference_from_the_dateline_when_unpublished() -> None:
    text = ("Police seize heroin\nThe Daily | KAMPOT, March 2024\n\n"
            "Police in Kampot province seized 2 kg of heroin on 4 March, the governor said on Friday.\n")
    doc = Document(id="c", text=text, content_hash="h", source="test", language=identify_language(text))
    layout = read_layout(doc, load_nlp()(text), Gazetteer.load())
    assert [h.text for h in layout.header] == ["Police seize heroin", "The Daily | KAMPOT, March 2024"]
    assert (layout.reference.isoformat() if layout.reference else None, layout.reference_precision) == (
        "2024-03-31", "month")
    sentence, = layout.sentences
    assert [d.iso for d in sentence_dates(layout, sentence)] == ["2024-03-04"]
    assert layout.dateline is not None and layout.dateline.place.admin1 == "Kampot"


def test_furniture_is_not_body() -> None:
    text = ("Police seize heroin\n\nPolice in Kampot province seized 2 kg of heroin on Monday morning.\n"
            "Photo: police display the heroin seized in Kampot on Monday morning last week.\n")
    caption = text.index("Photo:")
    doc = Document(id="c", text=text, content_hash="h", source="test", language=identify_language(text), published="2024-03-06",
                   published_precision="day",
                   furniture=(Span("c", caption, len(text) - 1, text[caption:-1], "caption"),))
    layout = read_layout(doc, load_nlp()(text), Gazetteer.load())
    assert [s.text[:9] for s in layout.sentences] == ["Police in"]


def test_countries_inside_japanese_runs_but_not_inside_katakana_words() -> None:
    text = "ラオス国籍の男とタイ国籍の女、タイヤ、インドシナ半島、中国側から"
    found = [(c.text, c.code) for c in country_mentions(text)]
    assert found == [("ラオス", "LA"), ("タイ", "TH"), ("中国", "CN")]
    assert all(text[c.start:c.end] == c.text for c in country_mentions(text))



def test_birth_years_and_interview_dates_are_not_event_dates() -> None:
    text = ("Couriers held\nThe Daily | 12 June 2024\n\n"
            "The detained were Lao nationals Somphone K. (born in 1991) and Vilay P. (born in 1987), "
            "police said.\n"
            "Speaking to reporters last March, the governor said most heroin came across the river.\n"
            "Officers stopped the van in May and found 3 kg of heroin.\n")
    doc = Document(id="c", text=text, content_hash="h", source="test", language=identify_language(text), published="2024-06-12",
                   published_precision="day")
    layout = read_layout(doc, load_nlp()(text), Gazetteer.load())
    found = [[(d.iso, d.raw) for d in sentence_dates(layout, s)] for s in layout.sentences]
    assert found == [[], [], [("2024-05", "in May")]]
    assert all(text[d.start:d.end] == d.raw for s in layout.sentences for d in sentence_dates(layout, s))


def test_an_undated_report_takes_its_year_from_a_run_of_days_it_writes_in_full() -> None:
    text = ("Women get life for smuggling\n\n"
            "Police arrested two women on August 7 and 8, 2012, with 3.6 kg of cocaine.\n\n"
            "Then in October, two more women were found carrying 11 kg of cocaine.\n")
    doc = Document(id="c", text=text, content_hash="h", source="test", language=identify_language(text))
    layout = read_layout(doc, load_nlp()(text), Gazetteer.load())
    assert (layout.reference.year if layout.reference else None, layout.reference_precision) == (2012, "year")
    assert [d.iso for s in layout.sentences for d in sentence_dates(layout, s)] == ["2012-08", "2012-10"]


def test_a_title_case_wire_dateline_is_the_filing_day() -> None:
    text = ("Tablets seized in Myanmar\n\n"
            "Yangon, Dec 28: The daily reported that authorities have seized 5.23 million stimulant tablets.\n")
    doc = Document(id="c", text=text, content_hash="h", source="test", language=identify_language(text),
                   published="2024-12-28", published_precision="day")
    layout = read_layout(doc, load_nlp()(text), Gazetteer.load())
    sentence = layout.sentences[0]
    found, = sentence_dates(layout, sentence)
    assert is_dateline_date(sentence, found.start, found.end)


def test_a_date_filling_a_part_of_a_stamp_line_dates_nothing() -> None:
    text = ("ตำรวจยึดยาบ้า 6 ล้านเม็ด ที่ลำปาง หลังไล่ล่ากระบะ\nผู้จัดการออนไลน์ | ภูมิภาค | 5 ก.พ. 2569\n\n"
            "ตำรวจยึดยาบ้าได้ 6 ล้านเม็ด เมื่อวันที่ 4 ก.พ. ที่ อ.งาว จ.ลำปาง\n")
    doc = Document(id="c", text=text, content_hash="h", source="test", language="th",
                   published="2026-02-05", published_precision="day")
    layout = read_layout(doc, None, Gazetteer.load())
    dated = [d.raw for s in layout.sentences for d in sentence_dates(layout, s)]
    assert "5 ก.พ. 2569" not in dated


@pytest.mark.parametrize(("code", "text"), [
    ("zh", "据老挝《万象时报》5日报道,老挝执法部门截获了大批毒品。"),
    ("en", "The Vientiane Times reported that police had seized the pills."),
])
def test_a_place_in_an_outlet_s_name_is_no_place_of_the_report(code: str, text: str) -> None:
    sentence = Sentence(0, len(text), text, 0, None)
    assert [m.text for m in places_in(language_for(code), Gazetteer.load(), sentence) if m.place.kind != "country"] == []
