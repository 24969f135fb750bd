"""Plain-text reports: headline, outlet and dateline read; comments cut; furniture listed."""

from __future__ import annotations

import pytest

from borderwatch.errors import Rejected
from borderwatch.ingest.text import detect_language, find_furniture, parse_text
from borderwatch.model import Document

from .conftest import FIXTURES, assert_spans_quote, dev_file


def _parse(name: str) -> Document:
    path = dev_file(name)
    return parse_text(path.read_text(encoding="utf-8"), path.stem, str(path))


def test_seed_comment_is_cut_off_and_flagged() -> None:
    doc = _parse("s00-seed-laos-drugs.txt")
    assert doc.text.endswith("as of August 17, authorities had confiscated around 682 kilograms of drugs, "
                             "resulting in 13,460 arrests.")
    assert "said..." not in doc.text and "Yuon" not in doc.text
    assert len(doc.comments) == 1
    comment = doc.comments[0]
    assert comment.author == "Anonymous"
    assert comment.text.startswith("Can Khmer people put their national interest")
    assert comment.abusive
    assert {"yuon", "animal"} <= set(comment.abuse_terms)
    assert doc.title == "Sar Kheng: Laos Allowing Drugs to Enter Cambodia"
    assert (doc.published, doc.published_precision, doc.published_raw) == (
        "2020-08-19", "day", "Wednesday, 19 August 2020")
    assert_spans_quote(doc)


def test_seed_furniture_caption_and_share_bar() -> None:
    doc = _parse("s00-seed-laos-drugs.txt")
    kinds = {span.field: span.text for span in doc.furniture}
    assert kinds["caption"].startswith("FILE - Minister of Interior") and kinds["caption"].endswith("/VOA Khmer)")
    assert kinds["share"] == "Share"
    body = doc.text.index("In candid remarks")
    assert not doc.is_furniture(body, body + 20)


@pytest.mark.parametrize("name, title, outlet, published, precision", [
    ("d01-vueyeng-laotiantimes.txt", "Lao man held at Cambodian border crossing with more than a million meth pills",
     "Laotian Times", "2024-11-14", "day"),
    ("d02-vueyeng-ppp.txt", "Lao national sent to court over 1m-plus meth pills seized at Cambodia border",
     "The Phnom Penh Post", "2024-11", "month"),
    ("d03-siengmey-cambodiadaily.txt", "Laotian Man Arrested for Meth Smuggling", "The Cambodia Daily", None, None),
    ("t01-vanguard-caimep.txt", "Vietnam seizes 5 tonnes of pangolin scales from Nigeria", "Vanguard (Nigeria)",
     "2019-05-25", "day"),
    ("t02-tuoitre-caimep.txt", "Vietnam seizes 5.26 tonnes of pangolin scales hidden in cashew containers",
     "Tuoi Tre News", "2019-05-24", "day"),
    ("t03-poste-takeo-cannabis.txt", "タケオ州の山中で大麻3365本を伐採・焼却　1月の薬物押収は423.3kg",
     "ポステ（カンボジア） ニュース", "2025-02-04", "day"),
    ("t06-rfa-laos-moratorium.txt", "New Lao Prime Minister Issues Ban on Timber Exports", "Radio Free Asia",
     "2016-05-17", "day"),
])
def test_header_gives_title_outlet_and_date(name: str, title: str, outlet: str, published: str | None,
                                            precision: str | None) -> None:
    doc = _parse(name)
    assert (doc.title, doc.outlet, doc.published, doc.published_precision) == (title, outlet, published, precision)
    assert title in doc.text[:300]


def test_month_only_dateline_keeps_its_raw_words() -> None:
    doc = _parse("d02-vueyeng-ppp.txt")
    assert doc.published_raw == "November 2024"


@pytest.mark.parametrize("name, language", [("t03-poste-takeo-cannabis.txt", "ja"),
                                            ("d01-vueyeng-laotiantimes.txt", "en")])
def test_language_of_dev_documents(name: str, language: str) -> None:
    assert _parse(name).language == language


@pytest.mark.parametrize("text, language", [
    ("ក្រសួងមហាផ្ទៃបានរឹបអូសគ្រឿងញៀន", "km"), ("ตำรวจยึดยาบ้าที่ชายแดน", "th"),
    ("Bộ đội biên phòng thu giữ ma túy đá", "vi"), ("云南警方缴获毒品", "zh"),
    ("Police in Nguyễn Văn Thái's province seized drugs on Monday near the border crossing.", "en")])
def test_detect_language_by_script(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize("name, kind, start", [
    ("d04-quangtri-vnexpress.txt", "caption", "Photo caption: Border guards"),
    ("t02-tuoitre-caimep.txt", "caption", "Pangolin scales found inside cashew nut containers"),
    ("t02-tuoitre-caimep.txt", "related", "Read more\n- Vietnamese youngster"),
    ("t01-vanguard-caimep.txt", "related", "RELATED:"),
    ("t01-vanguard-caimep.txt", "byline", "By AFP"),
    ("t03-poste-takeo-cannabis.txt", "caption", "<写真:Khmer Times>"),
    ("t03-poste-takeo-cannabis.txt", "copyright", "[© poste-kh.com"),
    ("t06-rfa-laos-moratorium.txt", "caption", "[Photo: A logging truck"),
    ("t06-rfa-laos-moratorium.txt", "share", "Share: Facebook | Twitter"),
])
def test_dev_furniture_found(name: str, kind: str, start: str) -> None:
    doc = _parse(name)
    assert any(s.field == kind and s.text.startswith(start) for s in doc.furniture), doc.furniture
    assert_spans_quote(doc)


def test_related_block_covers_its_list_and_stops_at_text() -> None:
    text = ("Police seized 20 kg of heroin.\n\nRead more\n- Heroin haul in Lai Chau\n- Border raid\n\n"
            "The suspects were charged on Friday and will appear in court next week, police said.")
    spans = find_furniture(text, "x")
    assert [(s.field, s.text) for s in spans] == [("related", "Read more\n- Heroin haul in Lai Chau\n- Border raid")]


def test_plain_article_lines_are_not_furniture() -> None:
    text = ("By the end of the year police had seized 4 tonnes of methamphetamine.\n\n"
            "Photographers were kept away from the scene, officers said.")
    assert find_furniture(text, "x") == []


def test_furniture_labels_are_every_pack_s_whatever_the_report_s_language() -> None:
    """Caption and related-link labels come from the packs, and a page in one language may carry
    another's template: a Khmer caption and a Japanese related-links head inside an English report."""
    text = ("Customs officers found 300 kg of pangolin scales in a container at the port.\n\n"
            "រូបភាព: មន្ត្រីគយ\n\n関連ニュース\n- Pangolin scales held at the port\n\n"
            "Officers said the container had been declared as frozen fish when it arrived.")
    assert [s.field for s in find_furniture(text, "x")] == ["caption", "related"]


def test_text_without_words_is_rejected() -> None:
    with pytest.raises(Rejected) as info:
        parse_text(" \n\t\n", "blank", "in/blank.txt")
    assert (info.value.reason, info.value.source) == ("empty", "in/blank.txt")
    assert "blank.txt" in info.value.message


def test_blogger_repost_fixture() -> None:
    path = FIXTURES / "blogger-repost.txt"
    doc = parse_text(path.read_text(encoding="utf-8"), path.stem, str(path))
    assert doc.text.endswith("Share: Facebook | Twitter")
    assert doc.title == "Police find marijuana under cassava sacks near the Mekong"
    assert doc.published == "2021-03-08"
    assert [(c.author, c.posted, c.abusive) for c in doc.comments] == [
        ("Sok Dara", "2021-03-08", False), ("Anonymous", "2021-03-09", True)]
    assert all("Post a Comment" not in c.text and "Older Post" not in c.text for c in doc.comments)


def test_a_dated_page_address_in_the_header_gives_the_publication_day() -> None:
    text = ("Police seize heroin in Lao Cai\nhttps://www.example.com/news/2019/05/23/police-seize-heroin\n\n"
            "Police in Lao Cai province seized 5 kg of heroin on Sunday, officials said.\n")
    doc = parse_text(text, "u", "test")
    assert doc.published == "2019-05-23"
    assert doc.title == "Police seize heroin in Lao Cai"


@pytest.mark.parametrize("caption", [
    "Hai nghi phạm và số tang vật bị thu giữ tại trạm kiểm soát. Ảnh: Minh Châu",
    "Customs officers weigh the seized scales at the port. Photo: Lan Anh",
])
def test_a_line_ending_on_a_photo_credit_is_a_caption(caption: str) -> None:
    """A caption tells what the picture shows and ends on who took it ("Photo: ...", "Ảnh: ...")."""
    text = f"Tiêu đề\n\n{caption}\n\nCông an tỉnh đã bắt giữ hai người và thu giữ 5 kg ma túy đá.\n"
    doc = parse_text(text, "caption", "in/caption.txt")
    assert [(s.field, s.text) for s in doc.furniture if s.field == "caption"] == [("caption", caption)]


def test_a_dated_line_beats_a_headline_s_year() -> None:
    text = "云南2021年缴获各类毒品28吨\n2022-01-10 23:29:35 | 来源:中国新闻网\n\n记者在活动现场了解到,2021年云南共缴获各类毒品28吨、制毒物品3750余吨。\n"
    doc = parse_text(text, "zh-header", "in/zh-header.txt")
    assert doc.published == "2022-01-10"


@pytest.mark.parametrize(("text", "published"), [
    (("Thursday, April 25, 2024\nHome › Lead Story › Police seize drugs\n\nPolice seize drugs in Shan State\n\n"
     "Police in Shan State seized 16,000 pills last Friday, officers said.\n"), None),
    (("26.7 C\nWednesday, July 24, 2024\n\nPolice crack down on drug cases\nLaotian Times | 13 December 2022\n\n"
     "Police in Laos solved 4,407 drug cases until November this year, officials said on Thursday.\n"), "2022-12-13"),
])
def test_a_masthead_date_beside_the_weather_or_a_breadcrumb_is_not_the_publication_day(
        text: str, published: str | None) -> None:
    assert parse_text(text, "masthead", "in/masthead.txt").published == published


def test_a_stamp_below_the_headline_beats_a_date_above_it() -> None:
    text = ("July 15, 2020 16:01\n\nDiscover 3.3 tons of pangolin scales in cashew\n\n15:36 | 07/05/2018\n\n"
            "VCN - While inspecting a cashew shipment at Cat Lai port, customs found 87 bags of pangolin scales.\n")
    assert parse_text(text, "stamp", "in/stamp.txt").published == "2018-05-07"
