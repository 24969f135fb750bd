"""Language identification: the region's scripts, and py3langid's model for the rest."""

import pytest

from borderwatch.lang.identify import identify_language, identify_paragraphs


@pytest.mark.parametrize(("text", "code"), [
    ("Police seized 5 kg of heroin in Bokeo province on Monday.", "en"),
    ("Lực lượng biên phòng đã bắt giữ 2 đối tượng cùng 30 bánh heroin tại Hà Tĩnh.", "vi"),
    ("ตำรวจยึดยาบ้า 4.4 ล้านเม็ดที่จังหวัดเชียงราย", "th"),
    ("ເຈົ້າໜ້າທີ່ຕຳຫຼວດຍຶດຢາບ້າ 14,8 ລ້ານເມັດ ຢູ່ນະຄອນຫຼວງວຽງຈັນ", "lo"),
    ("សមត្ថកិច្ចបានឃាត់ខ្លួនជនសង្ស័យ២នាក់ នៅខេត្តស្ទឹងត្រែង", "km"),
    ("ရဲတပ်ဖွဲ့က မူးယစ်ဆေးဝါးများကို သိမ်းဆည်းခဲ့သည်", "my"),
    ("警方在勐腊县缴获冰毒5公斤，抓获犯罪嫌疑人2名。", "zh"),
    ("警方在勐臘縣繳獲冰毒5公斤，抓獲犯罪嫌疑人2名。", "zh"),
    ("ラオス北部でヤーバー120万錠が押収された。", "ja"),
    ("La police a saisi cinq kilos d'héroïne à la frontière lundi dernier.", "fr"),
    ("2024-03-05 | 12:00", "en"),
])
def test_identifies_the_language(text: str, code: str) -> None:
    assert identify_language(text) == code


def test_a_lao_report_is_not_english() -> None:
    """Lao was stored as "en" when identification went by a few scripts only."""
    assert identify_language("ຕຳຫຼວດແຂວງບໍ່ແກ້ວ ຈັບກຸມຜູ້ຕ້ອງຫາ 2 ຄົນ") == "lo"


def test_paragraphs_of_a_mixed_page_each_get_their_language() -> None:
    text = ("Police in Chiang Rai seized four million pills on Sunday, officials said.\n\n"
            "ตำรวจภูธรจังหวัดเชียงรายตรวจยึดยาบ้าได้สี่ล้านเม็ด\n\n"
            "警方缴获冰毒五公斤。")
    found = identify_paragraphs(text)
    assert [code for _, _, code in found] == ["en", "th", "zh"]
    assert all(text[s:e].strip() for s, e, _ in found)


def test_a_page_is_read_in_the_language_of_most_of_its_prose() -> None:
    from borderwatch.lang.identify import identify_document

    thai = "ตำรวจภูธรจังหวัดเชียงรายตรวจยึดยาบ้าได้สี่ล้านเม็ดจากรถกระบะบนถนนสายเอเชีย ผู้ต้องหาสองคนถูกจับกุม\n\n"
    assert identify_document(thai * 3 + "Photo: Bangkok Post\n\n") == "th"
    assert identify_document("Police seized four million pills on the highway near Chiang Rai on Sunday.\n\n"
                             * 3 + "ยาบ้า\n") == "en"
