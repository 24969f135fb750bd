"""Vietnamese: no parser; the pack's data (pack.json) is all the stages need, but for one rule of
its own: a count, the goods' name, then their weight ("30 bánh heroin nặng 10 kg", "6 bánh heroin
(trọng lượng 2,1 kg)") is one item, where two amounts with a name between them are otherwise two."""

from __future__ import annotations

import re
from typing import Any

from borderwatch.lang import load_language

_WEIGHING = re.compile(
    r"[\s,(\-–]*(?:có\s+)?(?:tổng\s+)?(?:nặng|trọng lượng|khối lượng|tương đương|ước tính|tổng cộng|cân được)"
    r"(?:\s+(?:là|khoảng|gần|hơn|trên|chừng|ước|tính|cả bì|bì|được))*\s*:?\s*$", re.IGNORECASE)


def joins_item(between: str, named_between: bool) -> bool:
    """Do two amounts with ``between`` them measure one item?"""
    lang = load_language("vi")
    if not named_between:  # "45 hộp gỗ xẻ các loại với khối lượng 9,8 m3": a weight word reaches further
        near = len(between) <= 25 or (len(between) <= 90 and _WEIGHING.search(between) is not None)
        return near and not lang.cue("joins_not").search(between)
    weighing = _WEIGHING.search(between)
    if weighing is None or len(between) > 60:
        return False
    head = between[:weighing.start()]
    return not lang.cue("joins_not").search(head) and not lang.cue("clause").search(head)


RULES: dict[str, Any] = {"joins_item": joins_item}
