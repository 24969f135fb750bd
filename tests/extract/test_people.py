"""Arrest counts and suspects' nationalities read from sentences."""

from __future__ import annotations

import pytest

from borderwatch.extract import patterns
from borderwatch.extract.context import read_layout
from borderwatch.extract.events import extract_events
from borderwatch.extract.nlp import load_nlp
from borderwatch.extract.people import count_arrests, find_nationalities
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.lang import load_language
from borderwatch.lang.identify import identify_language
from borderwatch.model import Document


@pytest.mark.parametrize(("sentence", "arrests", "nationalities"), [
    ("Police arrested a Thai national and a Burmese national at the checkpoint.", 2, ("TH", "MM")),
    ("Soldiers caught four Lao nationals carrying the drugs.", 4, ("LA",)),
    ("Officers detained a Cambodian citizen at the market.", 1, ("KH",)),
    ("The driver fled into the forest before officers arrived.", 0, ()),
    ("Nobody was arrested during the raid.", 0, ()),
    ("The suspects have been charged with drug trafficking.", None, ()),
    ("Police said they could arrest the owner later.", None, ()),
    ("All five were arrested at the scene.", 5, ()),
    ("Police arrested four people, including two Cambodians, at the market.", 4, ("KH",)),
    ("Five Cambodians found with chainsaws were detained, then released with a warning.", 5, ()),
    ("Customs officers detained a Brazilian passenger at the airport.", 1, ("BR",)),
    ("The owner of the house, Sai Kyaw Naing, 38, was arrested on the spot.", 1, ()),
    ("A Myanmar national driving the car was apprehended at the scene.", 1, ("MM",)),
    ("The suspects, all Vietnamese of Hmong ethnicity, were detained on the trail.", None, ("VN",)),
    ("Officers said the car was Lao-plated and nobody was arrested.", 0, ()),
    # a word for the vehicle or the couple between the nationality and the person
    ("The same day, police found 5,000 pills at a house and a Lao married couple was arrested.", 2, ("LA",)),
    ("The Lao truck driver had managed to flee, he said.", 0, ("LA",)),
    ("Police arrested two men, a Vietnamese driver and his Lao assistant.", 2, ("VN", "LA")),
    # nationalities listed before one person noun
    ("The detainees included Chinese, Vietnamese and Cambodian nationals, police said.", None, ("CN", "VN", "KH")),
    ("Thai and Lao officials met at the bridge.", None, ()),
    ("Authorities seized 8 million pills from a pickup but failed to capture the driver.", 0, ()),
    # the people the suspects bought from or sold to are not the suspects
    ("Two women were arrested and admitted they had bought the drugs from a Lao man.", 2, ()),
    ("He said he passed the pills on to a Thai national in Battambang.", None, ()),
    # a verb of stopping or, passive, of finding arrests only the people it names
    ("Police stopped two men at a tollgate and seized 12 kilograms of heroin.", 2, ()),
    ("Customs officers stopped a truck carrying about 11 tons of rosewood.", None, ()),
    ("Two Thai women were found carrying a total of 11 kg of cocaine at the airport.", 2, ("TH",)),
    ("He was caught with 618,000 methamphetamine pills.", 1, ()),
    ("Seeing the officers, the people on board jumped straight into the river and escaped.", 0, ()),
    # a name the parser takes for a place, people a relative pronoun stands for, a dateline before its dash
    ("Police tracked down another suspect the next day, arresting 46 year old Charoon Suriyaphum.", 1, ()),
    (("The judge gave life sentences to Piwjansod Utsantnee, 20, and Hullas Nanthiya, 27, who were caught at "
      "Phnom Penh airport on August 13."), 2, ()),
    ("Vientiane (VNA) – Two suspects have recently been apprehended by police in Tonpheung district.", 2, ()),
    # people let go after the arrest, and an arrest only supposed
    ("Authorities at first arrested 60 people but later released 15 who were found not to be involved.", 45, ()),
    ("If we arrest these two and do not search for the mastermind, others will go on trafficking.", None, ()),
    ("Police had arrested a drug transporter and seized 8,810,000 pills.", 1, ()),
    # a nationality standing for its person, and people counted over several operations
    ("The navy had arrested a Laotian in his 20s after the rest of the crew jumped into the river.", 1, ("LA",)),
    ("Police broke up at least six trafficking operations, arresting several Laotians and Vietnamese.", None, ()),
    ("Seven Cambodians have been shot dead while logging so far this year.", None, ()),
    ("Police arrested 106 people in connection with those drug cases.", None, ()),
    # "rounded up" arrests as "picked up" does; loggers and poachers are people
    ("Rangers rounded up three loggers in the forest.", 3, ()),
    ("Police arrested two poachers carrying pangolins.", 2, ()),
    # goods picked up are not people
    ("He was planning to pick up another 550 kilograms of crystal meth the following night.", None, ()),
])
def test_arrests_and_nationalities(sentence: str, arrests: int | None, nationalities: tuple[str, ...]) -> None:
    doc = Document(id="p", text=sentence + "\n", content_hash="h", source="test", language=identify_language(sentence))
    layout = read_layout(doc, load_nlp()(doc.text), Gazetteer.load())
    found = count_arrests(layout, list(layout.sentences))
    assert (found.value if found else None) == arrests
    if found:
        assert doc.text[found.evidence[0].start:found.evidence[0].end] == found.evidence[0].text
    named = find_nationalities(layout, list(layout.sentences))
    assert (named.value if named else ()) == nationalities


def test_a_named_owner_and_his_relative_are_two_arrests() -> None:
    from borderwatch.extract.context import read_layout
    from borderwatch.extract.nlp import load_nlp
    from borderwatch.extract.people import count_arrests
    from borderwatch.geo.gazetteer import Gazetteer
    from borderwatch.model import Document
    text = ("On 9 May, township police raided a shop in Ward 2 and seized 3 kilos of heroin, arresting the "
            "shopkeeper Ko Aung Naing, 44, and his nephew.\n")
    doc = Document(id="p", text=text, content_hash="h", source="test", language=identify_language(text))
    layout = read_layout(doc, load_nlp()(text), Gazetteer.load())
    found = count_arrests(layout, list(layout.sentences))
    assert found is not None and found.value == 2
    assert all(text[s.start:s.end] == s.text for s in found.evidence)


def test_people_counted_then_described_one_by_one_are_counted_once() -> None:
    text = ("Heroin haul\nMekong Daily | 15 March 2024\n\nPolice in Kratie province seized 12 kilograms of heroin on "
            "8 March and detained two men, a Lao boatman and his Thai passenger.\n\nIn Kampot province, police "
            "seized 3 kilograms of ketamine on 9 March and detained two men and two women.\n")
    doc = Document(id="t", text=text, content_hash="h", source="test", language=identify_language(text),
                   published="2024-03-15", published_precision="day")
    events, _ = extract_events(doc, load_nlp()(text), Gazetteer.load())
    assert [e.arrests for e in events] == [2, 4]


@pytest.mark.parametrize(("code", "sentence", "arrests"), [
    # the driver who fled, then caught, is one person
    ("th", "ส่วนคนขับหลบหนีเข้าไปในป่า หลังออกค้นหาอย่างหนัก ก็สามารถตามจับตัวคนขับได้ในที่สุด", 1),
    # both of them
    ("th", "เมื่อตรวจค้นจึงพบยาบ้าซุกอยู่ในรถ เจ้าหน้าที่ควบคุมตัวทั้งสองไว้ดำเนินคดี", 2),
    ("vi", "Lúc bị dừng xe, hai người định bỏ lại xe để tẩu thoát, nhưng công an đã khống chế, bắt giữ cả hai.", 2),
    # a husband and wife
    ("lo", "ຍັງພົບຢາບ້າ 173.000 ເມັດ ແລະ ໄດ້ຈັບກຸມຜົວເມຍຄູ່ໜຶ່ງ ອາຍຸ 33 ແລະ 29 ປີ.", 2),
    # the driver named by his name is one person
    ("lo", "ເຈົ້າໜ້າທີ່ກໍຈັບໄດ້ຄົນຂັບ ຊື່ ທ້າວ ຂົວ ຢາງ, ອາຍຸ 28 ປີ.", 1),
    # nobody arrested
    ("km", "ឈើទាំងនោះត្រូវបានរកឃើញ ប៉ុន្តែពុំបានចាប់ខ្លួនមនុស្សណាម្នាក់ឡើយ។", 0),
    # names in Latin letters and a driver held
    ("zh", "从中检获56块海洛因,并逮捕了Yang Po Hung和Yang Kai Chen。", 2),
    ("zh", "检查站人员又在一辆小车里查获酸枝木0.5616吨,司机昂昂被扣押。", 1),
    # nobody caught: the owner not found or not yet identified, no one yet arrested, the guards gone into the forest
    ("km", "ពេលអាជ្ញាធរទៅដល់កន្លែងកើតហេតុ ពួកគេមិនបានជួបម្ចាស់ឈើទេ ប៉ុន្តែបានដកហូតឈើ។", 0),
    ("km", "លោក ប៊ុន ថា មិនទាន់មានអ្នកណាត្រូវបានចាប់ខ្លួន ហើយក៏មិនទាន់ស្គាល់អត្តសញ្ញាណជនសង្ស័យដែរ។", 0),
    ("vi", "Đến nay, chủ sở hữu của toàn bộ số gỗ nói trên vẫn chưa được xác định.", 0),
    ("th", "เจ้าหน้าที่กำลังติดตามชาย 2 คนที่คอยเฝ้าของกลาง ซึ่งไหวตัวหนีเข้าป่าไปได้ก่อน", 0),
    # a patrol out to stop smuggling arrests nobody by saying so
    ("th", "เจ้าหน้าที่ออกลาดตระเวนเพื่อสกัดกั้นและจับกุมการลักลอบนำยาเสพติด ได้พบชายต้องสงสัย 1 คน ขับเรือ ชายคนดังกล่าวก็วิ่งหลบหนีไปได้", 0),
])
def test_arrests_counted_by_pattern(code: str, sentence: str, arrests: int) -> None:
    found = patterns.arrests_in(load_language(code), sentence)
    assert max(v for v, _, _ in found) == arrests


def test_a_later_count_of_another_case_is_not_the_hauls() -> None:
    text = ("Tại Biên Hòa, lực lượng chức năng thu giữ 19 bánh heroin, 8 kg ma túy đá, bắt 1 nghi can. "
            "Ngoài ra, tại các địa điểm khác ở TP.HCM, công an cũng thu giữ một lượng ma túy và bắt 12 nghi can.\n")
    doc = Document(id="p", text=text, content_hash="h", source="test", language="vi")
    layout = read_layout(doc, None, Gazetteer.load())
    sentences = list(layout.sentences)
    found = count_arrests(layout, sentences, sentences[:1])
    assert found is not None and found.value == 1


def test_a_headline_names_the_suspects_of_hauls_that_name_none() -> None:
    text = ("越南公安破获一起跨境贩毒案 抓获3名中国台湾毒贩\n\n"
            "11月3日,胡志明市公安在第12郡一处住宅查获446块海洛因,逮捕2名嫌疑人。\n\n"
            "另一起案件中,警方在同奈省缴获海洛因19块,逮捕涉案人员一名。\n")
    doc = Document(id="t", text=text, content_hash="h", source="test", language="zh",
                   published="2024-12-05", published_precision="day")
    events, _ = extract_events(doc, None, Gazetteer.load())
    assert [e.suspect_nationalities for e in events] == [("TW",), ()]
