"""Reader comments and page furniture in the region's languages: each pack's words are read in every page."""

from __future__ import annotations

import pytest

from borderwatch.ingest.comments import flag_abuse, split_comments
from borderwatch.ingest.text import furniture_kind


@pytest.mark.parametrize("text, terms", [
    ("Bọn buôn lậu là lũ súc vật, thật khốn nạn.", ("súc vật", "khốn nạn")),
    ("Tàu khựa lại sang phá rừng.", ("tàu khựa",)),
    ("พวกค้ายาเป็นพวกสัตว์นรก ควรถูกประหารชีวิต", ("สัตว์นรก", "ควรถูกประหารชีวิต")),
    ("应该枪毙 !", ("应该枪毙",)),
    ("这些毒贩都是一群畜生。", ("畜生",)),
    ("あいつらは畜生だ。死ね", ("畜生", "死ね")),
    ("អាយួន ចូលមកកាប់ឈើ", ("អាយួន",)),
    ("ພວກພໍ່ຄ້າຢາແມ່ນພວກເດຍລະສານ", ("ເດຍລະສານ",)),
])
def test_abuse_is_flagged_in_each_language(text: str, terms: tuple[str, ...]) -> None:
    assert flag_abuse(text) == terms


@pytest.mark.parametrize("text", [
    "Cảm ơn bài viết, mong lực lượng biên phòng tiếp tục phát huy.",
    "ขอบคุณเจ้าหน้าที่ที่ทำงานหนัก",
    "感谢边防官兵的辛勤付出。",
    "警察の皆さん、ご苦労さまです。",
    "សូមអរគុណសមត្ថកិច្ច",
    "ຂອບໃຈເຈົ້າໜ້າທີ່",
    "ตำรวจบุกค้นหมู่บ้านชายแดน พบยาบ้า",
])
def test_civil_comments_are_not_flagged(text: str) -> None:
    assert flag_abuse(text) == ()


@pytest.mark.parametrize("head", ["Bình luận", "3 bình luận", "ความคิดเห็น", "网友评论", "3 件のコメント:",
                                  "មតិយោបល់", "ຄຳເຫັນ"])
def test_a_comment_head_in_each_language_opens_the_section(head: str) -> None:
    text = f"Title\n\nPara one.\n\nPara two.\n\n{head}\n\nI saw the trucks myself last week."
    article, comments = split_comments(text)
    assert article == "Title\n\nPara one.\n\nPara two."
    assert [c.text for c in comments] == ["I saw the trucks myself last week."]


@pytest.mark.parametrize("line, kind", [
    ("Ảnh: Biên phòng Quảng Trị", "caption"),
    ("Tin liên quan", "related"),
    ("ภาพประกอบ: ตำรวจตรวจยึดยาบ้า", "caption"),
    ("แท็ก: ยาบ้า นครพนม", "tags"),
    ("图:民警清点缴获的毒品", "caption"),
    ("关键词:毒品", "tags"),
    ("写真：押収された覚醒剤", "caption"),
    ("ພາບ: ຢາເສບຕິດທີ່ຍຶດໄດ້", "caption"),
])
def test_furniture_in_each_language(line: str, kind: str) -> None:
    assert furniture_kind(line) == kind or (kind == "related" and furniture_kind(line) is None)
