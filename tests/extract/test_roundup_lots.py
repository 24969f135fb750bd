"""Round-up reports: a day's total told before its hauls, bare pill counts, further lots with no amount."""

from __future__ import annotations

import pytest

from borderwatch.extract.events import extract_events
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.lang.identify import identify_language
from borderwatch.model import Document, SeizureEvent


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def _events(text: str, gazetteer: Gazetteer) -> list[SeizureEvent]:
    doc = Document(id="t", text=text, content_hash="h", source="test", language=identify_language(text),
                   published="2025-06-11", published_precision="day")
    events, _ = extract_events(doc, None, gazetteer)  # the Thai pack has no parser
    assert doc.language == "th"
    return events


_ROUNDUP = ("ตำรวจเชียงใหม่ยึดยาบ้าในวันเดียวรวมกว่า 3 ล้านเม็ด\n\n"
            "วันนี้ (11 มิ.ย.) ตำรวจ สภ.ฝาง จ.เชียงใหม่ แถลงผลการจับกุมผู้ต้องหาได้ 3 ผู้ต้องหา พร้อมยาบ้า 2 ล้าน "
            "ซุกอยู่ในรถตู้สีขาว บนถนนสายฝาง-ท่าตอน\n\n"
            "ในวันเดียวกัน ตำรวจ สภ.แม่อาย ก็ตรวจยึดยาบ้าได้อีก 2 ล็อต ในพื้นที่ อ.แม่อาย")


def test_day_total_is_not_a_haul_and_bare_pill_count_counts_tablets(gazetteer: Gazetteer) -> None:
    counts = [i.count for e in _events(_ROUNDUP, gazetteer) for i in e.items]
    assert 3_000_000 not in counts
    assert 2_000_000 in counts


def test_a_number_before_the_suspect_noun_counts_arrests(gazetteer: Gazetteer) -> None:
    haul = next(e for e in _events(_ROUNDUP, gazetteer) if any(i.count == 2_000_000 for i in e.items))
    assert haul.arrests == 3


def test_further_lots_with_no_amount_are_hauls_of_their_own(gazetteer: Gazetteer) -> None:
    lots = [e for e in _events(_ROUNDUP, gazetteer) if all(i.count is None and i.mass_kg is None for i in e.items)]
    assert len(lots) == 2
    assert all(i.substance == "methamphetamine" for e in lots for i in e.items)


@pytest.mark.parametrize(("further", "hauls"), [
    ("ก็ตรวจยึดยาบ้าได้อีก 2 ราย ในพื้นที่ อ.แม่อาย", 2),   # two more cases of yaba
    ("ก็จับกุมผู้ต้องหาได้อีก 2 ราย พร้อมยาบ้า ในพื้นที่ อ.แม่อาย", 0),  # two more suspects: people, not hauls
])
def test_further_cases_counted_in_rai(gazetteer: Gazetteer, further: str, hauls: int) -> None:
    text = _ROUNDUP.replace("ก็ตรวจยึดยาบ้าได้อีก 2 ล็อต ในพื้นที่ อ.แม่อาย", further)
    lots = [e for e in _events(text, gazetteer) if all(i.count is None and i.mass_kg is None for i in e.items)]
    assert len(lots) == hauls
