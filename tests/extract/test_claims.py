"""Quotes of reports without a parse: speakers named before or after the quotation, in a paragraph of
their own ending in a colon, or referred back to by a pronoun or a bare title. Every sentence here is
written for the test."""

from __future__ import annotations

import pytest

from borderwatch.extract.claims import read_quotes
from borderwatch.lang import load_language
from borderwatch.model import Document, Quote


def _quotes(code: str, text: str) -> list[Quote]:
    doc = Document(id=code, text=text, content_hash="h", source="test", language=code)
    quotes = read_quotes(load_language(code), doc)
    for quote in quotes:
        for span in quote.evidence:
            assert text[span.start:span.end] == span.text
    return quotes


@pytest.mark.parametrize(("code", "text", "speakers"), [
    # Khmer: the name after a title, its role after the name; then "លោក" as the speaker.
    ("km", ("លោក ហេង សុវណ្ណ ស្នងការរងនគរបាលខេត្តកំពត បានឱ្យដឹងថា៖ «ជនសង្ស័យទាំងពីរនាក់ត្រូវបានឃាត់ខ្លួនហើយ»។\n\n"
           "«យើងនឹងតាមដានបណ្ដាញនេះរហូតដល់ទីបញ្ចប់» លោកបាននិយាយ។"),
     ["ហេង សុវណ្ណ", "ហេង សុវណ្ណ"]),
    # Khmer: nobody has spoken yet, so "លោកមានប្រសាសន៍ថា" is the man the text named with a title.
    ("km", ("លោក ចាន់ ធី មេបញ្ជាការកងរាជអាវុធហត្ថ បានចុះពិនិត្យច្រកព្រំដែន។\n\n"
           "លោកមានប្រសាសន៍ថា៖ «ការត្រួតពិនិត្យនឹងត្រូវពង្រឹងបន្ថែមទៀត»។"),
     ["ចាន់ ធី"]),
    # Khmer: an untitled spokesman after the quotation; "ថ្លែងការណ៍" (a statement) is no speech verb.
    ("km", ("«ឡានដឹកឈើនោះបានរត់គេចចូលព្រៃបាត់» អ្នកនាំពាក្យនគរបាលខេត្ត បានឱ្យដឹង។\n\n"
           "«ក្រុមហ៊ុនមិនពាក់ព័ន្ធនឹងករណីនេះទេ» នៅក្នុងសេចក្ដីថ្លែងការណ៍របស់ក្រុមហ៊ុន។"),
     ["អ្នកនាំពាក្យនគរបាលខេត្ត", "អ្នកនាំពាក្យនគរបាលខេត្ត"]),
    # Lao: an official named by role after the quotation.
    ("lo", "“ພວກເຂົາໄດ້ປະລົດໄວ້ແລ້ວແລ່ນໜີເຂົ້າປ່າ” ເຈົ້າໜ້າທີ່ປ່າໄມ້ເມືອງ ໄດ້ກ່າວ.",
     ["ເຈົ້າໜ້າທີ່ປ່າໄມ້ເມືອງ"]),
    # Lao: the attribution is a paragraph of its own ending in a colon; then "ທ່ານ" refers back.
    ("lo", ("ທ່ານ ບຸນມີ ສີຫາລາດ ຫົວໜ້າກອງບັນຊາການ ປກສ ແຂວງ ໄດ້ກ່າວຕໍ່ນັກຂ່າວ ໃນວັນທີ 3 ນີ້ວ່າ:\n\n"
           "“ພວກເຮົາຈະສືບຕໍ່ກວດກາເສັ້ນທາງນີ້ຢ່າງເຂັ້ມງວດ”\n\nທ່ານໃຫ້ຮູ້ວ່າ “ຜູ້ຕ້ອງຫາທັງສອງຄົນຖືກຄວບຄຸມຕົວແລ້ວ”"),
     ["ບຸນມີ ສີຫາລາດ", "ບຸນມີ ສີຫາລາດ"]),
    # Lao: an unnamed official, without the "one of them" word.
    ("lo", "ເຈົ້າໜ້າທີ່ ດ່ານສາກົນ ແຂວງບໍ່ແກ້ວ ຜູ້ນຶ່ງ ໄດ້ໃຫ້ສຳພາດ ຕໍ່ນັກຂ່າວ ວ່າ:\n\n“ລົດຄັນນີ້ບັນທຸກຢາບ້າມາຈາກຊາຍແດນ”",
     ["ເຈົ້າໜ້າທີ່ ດ່ານສາກົນ ແຂວງບໍ່ແກ້ວ"]),
    # Thai: the name after a rank; then "เขา" and "ท่าน" refer back.
    ("th", ("พ.ต.อ.วีระ ศรีสุข ผู้กำกับการ สภ.เชียงของ เปิดเผยว่า “ผู้ต้องหาทั้งสองรับว่าขนยามาจากฝั่งลาว”\n\n"
           "เขากล่าวว่า “เราจะขยายผลไปถึงผู้สั่งการ” และ “ด่านนี้จะตรวจทุกคันตลอดคืน” ท่านระบุ"),
     ["วีระ ศรีสุข", "วีระ ศรีสุข", "วีระ ศรีสุข"]),
    # Vietnamese: a rank and a name, then "ông" after the next quotation; an unnamed officer.
    ("vi", ("Thượng tá Lê Văn Bình, Trưởng Công an huyện Kỳ Sơn, cho biết: “Đối tượng đã khai nhận toàn bộ hành vi”.\n\n"
           "“Chúng tôi sẽ mở rộng điều tra đường dây này”, ông nói.\n\n"
           "“Số ma túy được giấu trong thùng xe rất tinh vi”, một chiến sĩ biên phòng cho biết."),
     ["Lê Văn Bình", "Lê Văn Bình", "chiến sĩ biên phòng"]),
    # Chinese: role + name + "在…上这样表示" after the quotation; then 称 and 他说.
    ("zh", ("“今年边境缉毒形势依然严峻。”西双版纳州公安局副局长王建国5日在新闻发布会上这样表示。\n\n"
           "王建国称：“我们将加强与老挝警方的联合执法。”\n\n“毒贩的手段越来越隐蔽。”他说。"),
     ["王建国", "王建国", "王建国"]),
])
def test_speakers_before_after_and_referred_back(code: str, text: str, speakers: list[str]) -> None:
    assert [q.speaker for q in _quotes(code, text)] == speakers


def test_a_title_before_a_short_name_is_the_speaker_s_role() -> None:
    [quote] = _quotes("zh", "“今年边境缉毒形势依然严峻。”西双版纳州公安局副局长王建国在会上表示。")
    assert (quote.speaker, quote.role) == ("王建国", "西双版纳州公安局副局长")


def test_commonly_called_is_not_speech() -> None:
    """"俗称“…”": a name for a thing, not a quote with a speaker."""
    quotes = _quotes("zh", "这种木材俗称“大红酸枝”,价格昂贵。")
    assert [q.speaker for q in quotes] == [None] * len(quotes)


@pytest.mark.parametrize(("code", "text", "speakers"), [
    # Khmer: "លោកថា៖" after a paragraph naming a second official with a title is that official, not the first.
    ("km", ("លោក ហេង សុវណ្ណ ស្នងការរងនគរបាលខេត្ត បាននិយាយថា៖ «ជនសង្ស័យត្រូវបានឃាត់ខ្លួនហើយ»។\n\n"
           "លោក ម៉ៅ ដារ៉ា មន្ត្រីសង្គមស៊ីវិល បានលើកឡើងថា បញ្ហានេះនៅតែធ្ងន់ធ្ងរ។\n\n"
           "លោកថា៖ «អាជ្ញាធរត្រូវពង្រឹងការត្រួតពិនិត្យព្រំដែន»។"),
     ["ហេង សុវណ្ណ", "ម៉ៅ ដារ៉ា"]),
    # Khmer: "ពន្យល់ថា" (explained) attributes a quote; one name after a title takes no verb as surname.
    ("km", "លោក សុវណ្ណ ពន្យល់ថា៖ «ឈើទាំងនោះនឹងត្រូវរក្សាទុកនៅការិយាល័យ»។", ["សុវណ្ណ"]),
    # Vietnamese: a rank or "ông" before one given name, after the quotation.
    ("vi", "“Chúng tôi đã thu được 25 bánh heroin trôi dạt vào bờ”, thượng tá Bình nói.", ["Bình"]),
    ("vi", "“Tôi tưởng đó là bánh kẹo nên đổ hết ra ngoài” - ông Hùng kể.", ["Hùng"]),
    # Chinese: a pronoun with nobody quoted yet is the person last named with a romanisation in brackets.
    ("zh", "觉明(Kyaw Min)在边境巡逻队干了十年。他说:“如果车里有木头,可以听得出来。”", ["觉明(Kyaw Min)"]),
])
def test_pronouns_and_short_names(code: str, text: str, speakers: list[str]) -> None:
    assert [q.speaker for q in _quotes(code, text)] == speakers


def _routes(code: str, text: str) -> set[tuple[str, str, str]]:
    from borderwatch.extract.claims import flow_directions
    from borderwatch.geo.gazetteer import Gazetteer

    doc = Document(id=code, text=text, content_hash="h", source="test", language=code)
    return {(origin, destination, commodity) for origin, destinations, _, commodity in
            flow_directions(load_language(code), doc, Gazetteer.load()) for destination in destinations}


@pytest.mark.parametrize(("code", "text", "routes"), [
    # A border between two countries and goods flowing into one of them: from the other side.
    ("zh", "泰国北部同缅甸之间有很长的边境线,是金三角毒品流入泰国的主要通道。", {("MM", "TH", "drugs")}),
    ("km", "ព្រំដែនឡាវ-កម្ពុជាដែលងាយឆ្លងកាត់ គឺជាច្រកដែលពួកអ្នករត់ពន្ធពេញនិយម ក្នុងការដឹកគ្រឿងញៀនចូលមក និងឆ្លងកាត់កម្ពុជា។",
     {("LA", "KH", "drugs")}),
    # "从X到Y": 到 marks the destination.
    ("zh", "从缅甸到中国的公路,也成了红木走私的主干道。", {("MM", "CN", "timber")}),
    # Compass and inland words between a route marker and its country.
    ("vi", "Đường dây chuyên đưa ma túy từ các tỉnh bắc Lào rồi đưa vào nội địa Việt Nam.", {("LA", "VN", "drugs")}),
    # Two cases of moving timber are those cases' journeys, not a route.
    ("vi", "Cơ quan điều tra đã khởi tố 10 bị can liên quan đến hai vụ án vận chuyển trái phép gỗ quý từ Lào về Việt Nam.",
     set()),
])
def test_routes_without_a_parse(code: str, text: str, routes: set[tuple[str, str, str]]) -> None:
    assert _routes(code, text) == routes


def test_a_route_naming_no_goods_moves_those_the_report_names() -> None:
    text = ("មន្ត្រីបានរឹបអូសឈើគ្រញូងជាង ២ តោន។\n\n"
            "ទោះបីជាមានការហាមឃាត់ការនាំចេញទៅវៀតណាមក៏ដោយ ទំនិញមានតម្លៃជិត ៣៣ លានដុល្លារ បានចូលទៅវៀតណាមពីកម្ពុជា។")
    assert _routes("km", text) == {("KH", "VN", "timber")}
