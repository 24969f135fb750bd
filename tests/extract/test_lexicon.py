"""Commodity names in English and the region's languages -> canonical substance and form."""

from __future__ import annotations

from itertools import pairwise

import pytest

from borderwatch.extract.lexicon import LEXICON, find_substances
from borderwatch.lang import load_language

ENGLISH = load_language("en")

# (sentence, mention text, commodity, substance, form): each sentence names one commodity.
MENTIONS = [
    ("brought 13 packages of meth pills", "meth pills", "drugs", "methamphetamine", "tablets"),
    ("903 grams of crystal methamphetamine", "crystal methamphetamine", "drugs",
     "methamphetamine", "crystal"),
    ("a bag of methamphetamine crystal", "methamphetamine crystal", "drugs", "methamphetamine",
     "crystal"),
    ("seized crystal meth at", "crystal meth", "drugs", "methamphetamine", "crystal"),
    ("recovered 1,034,413 pills of methamphetamine", "pills of methamphetamine", "drugs",
     "methamphetamine", "tablets"),
    ("more than 1 million methamphetamine pills", "methamphetamine pills", "drugs",
     "methamphetamine", "tablets"),
    ("known as WY tablets", "WY tablets", "drugs", "methamphetamine", "tablets"),
    ("known as WY pills", "WY pills", "drugs", "methamphetamine", "tablets"),
    ("sold yaba in the", "yaba", "drugs", "methamphetamine", "tablets"),
    ("sold ya ba in the", "ya ba", "drugs", "methamphetamine", "tablets"),
    ("sold yabaa in the", "yabaa", "drugs", "methamphetamine", "tablets"),
    ("seized 2 kg of heroin No. 4 in", "heroin No. 4", "drugs", "heroin", None),
    ("a field of opium", "opium", "drugs", "opium", None),
    ("dried marijuana found", "dried marijuana", "drugs", "cannabis", "dried"),
    ("burnt ganja", "ganja", "drugs", "cannabis", None),
    ("destroyed hemp plants", "hemp plants", "drugs", "cannabis", "plant"),
    ("uprooted cannabis plants", "cannabis plants", "drugs", "cannabis", "plant"),
    ("more than 300 kilogrammes of ketamine", "ketamine", "drugs", "ketamine", None),
    ("100,000 ecstasy pills from", "ecstasy pills", "drugs", "mdma", "tablets"),
    ("tested for MDMA use", "MDMA", "drugs", "mdma", None),
    ("a kilo of cocaine", "cocaine", "drugs", "cocaine", None),
    ("barrels of sassafras oil", "sassafras oil", "drugs", "precursor", "liquid"),
    ("tonnes of precursor chemicals", "precursor chemicals", "drugs", "precursor", None),
    ("sacks of caffeine", "caffeine", "drugs", "caffeine", None),
    ("6.5 million stimulant tablets", "stimulant tablets", "drugs", None, "tablets"),
    ("20,000 synthetic drug pills", "synthetic drug pills", "drugs", None, "tablets"),
    ("15,5 million narcotic pills", "narcotic pills", "drugs", None, "tablets"),
    ("100g of crushed stimulants", "crushed stimulants", "drugs", None, "powder"),
    ("trafficking illicit drugs", "illicit drugs", "drugs", None, None),
    ("trafficking illegal drugs", "illegal drugs", "drugs", None, None),
    ("smuggling narcotics from", "narcotics", "drugs", None, None),
    ("amphetamine-type stimulants seized", "amphetamine-type stimulants", "drugs", None, None),
    ("10 tonnes of luxury timber", "luxury timber", "timber", "timber", None),
    ("unloading rosewood logs from", "rosewood logs", "timber", "rosewood", "logs"),
    ("seized Siamese rosewood", "Siamese rosewood", "timber", "rosewood", None),
    ("cutting kranhung trees", "kranhung", "timber", "rosewood", None),
    ("183 pieces of thnong", "thnong", "timber", "timber", None),
    ("pieces of padauk were", "padauk", "timber", "timber", None),
    ("stacks of precious wood", "precious wood", "timber", "timber", None),
    ("piles of sawn timber", "sawn timber", "timber", "timber", "sawn"),
    ("exporting logs and", "logs", "timber", "timber", "logs"),
    ("5 tonnes of pangolin scales", "pangolin scales", "wildlife", "pangolin", "scales"),
    ("crates of live pangolins", "live pangolins", "wildlife", "pangolin", "live"),
    ("frozen pangolin meat", "pangolin meat", "wildlife", "pangolin", "meat"),
    ("2 tonnes of elephant tusks", "elephant tusks", "wildlife", "ivory", "tusks"),
    ("carved ivory", "ivory", "wildlife", "ivory", None),
    ("smuggled rhino horn", "rhino horn", "wildlife", "rhino horn", "horn"),
    ("boxes of tiger bones", "tiger bones", "wildlife", "tiger", "bones"),
    ("vials of bear bile", "bear bile", "wildlife", "bear bile", "liquid"),
    ("freshwater turtles in", "freshwater turtles", "wildlife", "turtle", None),
    ("大麻3365本を刈り取って", "大麻", "drugs", "cannabis", None),
    ("覚醒剤を押収", "覚醒剤", "drugs", "methamphetamine", None),
    ("メタンフェタミンを押収", "メタンフェタミン", "drugs", "methamphetamine", None),
    ("ヘロインを押収", "ヘロイン", "drugs", "heroin", None),
    ("ケタミンを押収", "ケタミン", "drugs", "ketamine", None),
    ("ヤーバーを押収", "ヤーバー", "drugs", "methamphetamine", "tablets"),
    ("vận chuyển ma túy qua biên giới", "ma túy", "drugs", None, None),
    ("ยาบ้า 2 ล้านเม็ด", "ยาบ้า", "drugs", "methamphetamine", "tablets"),
    ("ไอซ์ 1 กิโลกรัม", "ไอซ์", "drugs", "methamphetamine", "crystal"),
    ("ថ្នាំញៀន", "ថ្នាំញៀន", "drugs", None, None),
    ("eight live slow lorises", "live slow lorises", "wildlife", "slow loris", "live"),
    ("200 kg of chemicals used to make drugs", "chemicals used to make drugs", "drugs", "precursor", None),
    ("barrels of drug-making chemicals", "drug-making chemicals", "drugs", "precursor", None),
]


@pytest.mark.parametrize(("text", "mention_text", "commodity", "substance", "form"), MENTIONS)
def test_mention(text: str, mention_text: str, commodity: str, substance: str | None,
                 form: str | None) -> None:
    found = find_substances(text, ENGLISH)
    assert len(found) == 1, found
    mention = found[0]
    assert mention.text == mention_text
    assert text[mention.start:mention.end] == mention.text
    assert (mention.commodity, mention.substance, mention.form) == (commodity, substance, form)


# (pack, sentence, mention text, substance, form): names each pack lists, in its script, as the region's
# press writes them; each sentence names one commodity.
PACK_MENTIONS = [
    ("en", "2 kg of happy water were found", "happy water", "happy water", None),
    ("en", "16,000 happy-5 tablets", "happy-5 tablets", "nimetazepam", "tablets"),
    ("en", "4.7kg of ivories that were", "ivories", "ivory", None),
    ("en", "a pair of ivory tusks", "ivory tusks", "ivory", "tusks"),
    ("en", "three tiger skins", "tiger skins", "tiger", "skins"),
    ("en", "4,000 kg of caffeine", "caffeine", "caffeine", None),
    ("en", "logs of Burmese rosewood", "Burmese rosewood", "rosewood", None),
    ("en", "538.8kg of amphetamines pills", "amphetamines pills", "methamphetamine", "tablets"),
    ("vi", "và 2kg nước vui (một dạng", "nước vui", "happy water", None),
    ("vi", "10 bịch ma túy dạng \"nước vui\" và", "ma túy dạng \"nước vui\"", "happy water", None),
    ("vi", "15kg ma túy tổng hợp Ketamin", "ma túy tổng hợp Ketamin", "ketamine", None),
    ("vi", "2kg ma túy dạng ketamin", "ma túy dạng ketamin", "ketamine", None),
    ("th", "ยึดแฮปปี้วอเตอร์ 20 ซอง", "แฮปปี้วอเตอร์", "happy water", None),
    ("th", "คาเฟอีน 4 ตัน", "คาเฟอีน", "caffeine", None),
    ("th", "ยาเสพติดประเภทยาบ้า 2 ล้านเม็ด", "ยาเสพติดประเภทยาบ้า", "methamphetamine", "tablets"),
    ("th", "ดีหมี 3 ขวด", "ดีหมี", "bear bile", "liquid"),
    ("th", "หนังเสือ 2 ผืน", "หนังเสือ", "tiger", "skins"),
    ("zh", "查获毒品“快乐水”2公斤", "快乐水", "happy water", None),
    ("zh", "缴获冰毒及咖啡因200公斤", "咖啡因", "caffeine", None),
    ("km", "សត្វខ្លាឃ្មុំ ២ ក្បាល", "សត្វខ្លាឃ្មុំ", "bear", None),
    ("km", "ប្រមាត់ខ្លាឃ្មុំ ៣ ដប", "ប្រមាត់ខ្លាឃ្មុំ", "bear bile", "liquid"),
    ("lo", "ພົບເຫັນຢາເສບຕິດປະເພດຢາໄອສ໌ 32 ເປົາ", "ຢາເສບຕິດປະເພດຢາໄອສ໌", "methamphetamine", "crystal"),
    ("lo", "ຄາເຟອີນ 500 ກິໂລ", "ຄາເຟອີນ", "caffeine", None),
    ("ja", "大麻リキッドを所持", "大麻リキッド", "cannabis", "liquid"),
    ("ja", "錠剤型合成麻薬を密輸", "錠剤型合成麻薬", "mdma", "tablets"),
    ("th", "ใบกระท่อม 200 กิโลกรัม", "ใบกระท่อม", "kratom", "leaves"),
    ("th", "ตัวลิ่น 20 ตัว", "ตัวลิ่น", "pangolin", None),
    ("vi", "thu giữ bốn con hổ", "con hổ", "tiger", None),
    ("vi", "3 lọ mật gấu", "mật gấu", "bear bile", "liquid"),
    ("en", "six pieces of Neang Nuon", "Neang Nuon", "timber", None),
    ("en", "500,000 ya-ba pills", "ya-ba pills", "methamphetamine", "tablets"),
    ("en", "2,000 ecstacy pills", "ecstacy pills", "mdma", "tablets"),
    ("en", "1.2 kg of methylamphetamine", "methylamphetamine", "methamphetamine", None),
    ("lo", "ໜັງເສືອ 2 ຜືນ", "ໜັງເສືອ", "tiger", "skins"),
    ("zh", "玫瑰木原木", "玫瑰木", "rosewood", None),
    ("km", "រឹបអូសថ្នាំញៀនប្រភេទហេរ៉ូអ៊ីន ២ គីឡូក្រាម", "ថ្នាំញៀនប្រភេទហេរ៉ូអ៊ីន", "heroin", None),
]


@pytest.mark.parametrize(("code", "text", "mention_text", "substance", "form"), PACK_MENTIONS)
def test_pack_names(code: str, text: str, mention_text: str, substance: str | None, form: str | None) -> None:
    found = [m for m in find_substances(text, load_language(code)) if m.text == mention_text]
    assert len(found) == 1, find_substances(text, load_language(code))
    assert (found[0].substance, found[0].form) == (substance, form)


@pytest.mark.parametrize(("code", "text"), [
    ("zh", "喝了一瓶肥宅快乐水"),  # a soft drink's nickname, no drug word near
    ("km", "ខ្យល់បក់ខ្លាំង"),  # "strong" is no tiger
    ("en", "a happy 50th birthday"),
    ("th", "สุนัขดมกลิ่นตามรอย"),  # กลิ่น "smell" holds no pangolin (ลิ่น)
    ("th", "ซุกไว้ในกระท่อมกลางไร่"),  # กระท่อม alone is a hut; kratom is its leaves or the plant
])
def test_pack_names_not_goods(code: str, text: str) -> None:
    assert find_substances(text, load_language(code)) == []


def test_methamphetamine_with_its_local_names() -> None:
    text = "police seized methamphetamine [meth/WY] and Meth in the car"
    found = find_substances(text, ENGLISH)
    assert [m.text for m in found] == ["methamphetamine", "meth", "WY", "Meth"]
    assert {m.substance for m in found} == {"methamphetamine"}
    assert [m.form for m in found] == [None, None, "tablets", None]


@pytest.mark.parametrize(("text", "is_drug"), [
    ("police took almost 3 kg of ice.", True),
    ("seized 500 grams ice in", True),
    ("and 2,480 grammes of ICE in a bag", True),
    ("seized methamphetamine (ice) and heroin", True),
    ("Officers found Ice hidden in a bag.", True),
    ("he bought ice at the market.", False),
    ("the ice cream shop", False),
    ("Ice formed on the road.", False),
    ("the police chief said", False),
])
def test_ice_rule(text: str, is_drug: bool) -> None:
    ice = [m for m in find_substances(text, ENGLISH) if m.text.lower() == "ice"]
    assert bool(ice) == is_drug
    assert all((m.substance, m.form) == ("methamphetamine", "crystal") for m in ice)


@pytest.mark.parametrize("text", [
    "wy tablets", "mdma-free", "the anti-drug department", "bear the cost",
    "Ten people were arrested.", "the tiger-striped flag of the team",
])
def test_not_a_commodity(text: str) -> None:
    assert find_substances(text, ENGLISH) == []


def test_padauk_is_timber_not_rosewood() -> None:
    found = find_substances("padauk and rosewood", ENGLISH)
    assert [(m.substance, m.commodity) for m in found] == [("timber", "timber"), ("rosewood", "timber")]


def test_several_mentions_left_to_right() -> None:
    text = "heroin, crystal methamphetamine, ketamine and pangolin scales were seized"
    found = find_substances(text, ENGLISH)
    assert [m.substance for m in found] == ["heroin", "methamphetamine", "ketamine", "pangolin"]
    assert all(a.end <= b.start for a, b in pairwise(found))
    assert all(text[m.start:m.end] == m.text for m in found)


def test_lexicon_names_each_canonical_substance_once() -> None:
    substances = [entry.substance for entry in LEXICON if entry.substance is not None]
    assert len(substances) == len(set(substances))
    names = [name.lower() for entry in LEXICON for name in entry.names]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("text", ["seized 8 million amphetamine pills", "14 million amphetamine tablets",
                                  "2.3 million speed pills"])
def test_amphetamine_and_speed_pills_are_methamphetamine_tablets(text: str) -> None:
    mention, = find_substances(text, ENGLISH)
    assert (mention.substance, mention.form) == ("methamphetamine", "tablets")


def test_an_ambiguous_name_needs_the_drug_word_of_the_pack_that_lists_it() -> None:
    """"ke" (Vietnamese ketamine) is goods only beside a drug word of its pack, read from the document's
    own pack; in a report of another language the name keeps the rule of the pack that lists it."""
    vietnamese = load_language("vi")
    assert find_substances("ông ke đi chợ sáng nay", vietnamese) == []
    mention = find_substances("thu giữ 2 gói ke cùng ma túy", vietnamese)[0]
    assert (mention.text, mention.substance) == ("ke", "ketamine")
    assert find_substances("the word ke alone", ENGLISH) == []


# Sentences written for the matcher's test, in every pack's language, with the cases its index
# must get right: runs of spaces and line breaks inside a name, capitals, a longer name over a
# shorter one, names glued to Han or kana characters, hyphens, katakana inside a longer word, and
# letters that only the regular expression's case rules hold equal ("İ", "ı", "ſ").
MATCHER_TEXTS = [
    "Customs at the pier found Crystal   Methamphetamine Hydrochloride and two bags of ice-cold beer.",
    "The patrol stopped a van carrying YA\nBA, ya  ba tablets and WY pills; a wy sticker meant nothing.",
    "Officers said the METH PILLS were hidden under heroin No.4 and raw opium inside rice sacks.",
    "Police met ice hockey fans, then seized ecstasy tablets, pseudo-ephedrine and P2P near the mall.",
    "A narco-trafficker hid ketamine-laced sweets; the anti-drugs unit seized methamphetamines.",
    "İCE, ıce and ſhabu are spelled oddly here, as are ROSEWOOD and Dalbergia  cochinchinensis logs.",
    "Rangers recovered 40 pangolin scales, elephant tusks, rhino horns and 12 slow lorises at dawn.",
    "警察は覚醒剤とマリファナを押収し、トラックの荷台からアイスとヘロインが見つかった。",
    "税関はコカインを発見した。トラブルの原因はアイスクリームではなくメタンフェタミンだった。",
    "缉毒警察缴获K粉300公斤、冰毒20公斤和海洛因，另查获MDMA片及大麻叶。",
    "边防在货车上查获穿山甲鳞片和象牙制品，老虎皮也被没收，红木家具不在此列。",
    "Công an thu giữ 3 kg ma túy đá, 2.000 viên thuốc lắc và heroin tại cửa khẩu; gỗ trắc để ở kho.",
    "Bộ đội biên phòng bắt giữ đối tượng vận chuyển MA TÚY tổng hợp, cần sa khô và sừng tê giác.",
    "ตำรวจยึดยาบ้า 2 ล้านเม็ด ไอซ์ 50 กิโลกรัม และเฮโรอีนเบอร์ 4 จากรถกระบะ พร้อมไม้พะยูง",
    "เจ้าหน้าที่พบกัญชาแห้งและฝิ่นดิบในบ้านพัก ส่วนงาช้างถูกส่งคืนพิพิธภัณฑ์",
    "ប៉ូលិសបានរឹបអូសម៉ាទឹកកក ហេរ៉ូអ៊ីន និងកញ្ឆាស្ងួត ព្រមទាំងឈើក្រញូងនៅព្រំដែន។",
    "ຕຳຫຼວດຍຶດຢາບ້າ 1 ລ້ານເມັດ ແລະ ເຮໂຣອີນ ພ້ອມທັງກັນຊາແຫ້ງ ຢູ່ດ່ານຊາຍແດນ.",
    "Mixed: 缉获ketamine和yaba, ยาบ้าand meth, ヘロインheroin, gỗ-trắc and tê tê.",
]


def test_the_name_index_finds_what_the_alternation_of_every_name_finds() -> None:
    import re

    from borderwatch.extract.lexicon import name_alternatives, name_matches

    alternation = re.compile("|".join(name_alternatives()), re.IGNORECASE)
    for text in MATCHER_TEXTS:
        expected = [(m.span(), m.group(0)) for m in alternation.finditer(text)]
        assert expected, text
        assert [(m.span(), m.group(0)) for m in name_matches(text)] == expected, text


def test_the_name_index_folds_case_as_the_regular_expressions_do() -> None:
    """Every character that an expression without case holds equal to a letter of a name folds to
    the same character as that letter, so the index misses no place a name may start."""
    import re

    from borderwatch.extract.lexicon import _fold, substance_names

    letters = {char for name in substance_names() for char in name if char.lower() != char.upper()}
    any_letter = re.compile("[" + "".join(map(re.escape, sorted(letters))) + "]", re.IGNORECASE)
    alike = [chr(code) for code in range(0x110000) if any_letter.fullmatch(chr(code))]
    for char in alike:
        for letter in letters:
            if re.fullmatch(re.escape(letter), char, re.IGNORECASE):
                assert _fold(char) == _fold(letter), (char, letter)
