"""Who a quote's speaker is, for grouping: named people and bodies across reports, unnamed ones per report."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderwatch.config import Settings
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.lang import language_for
from borderwatch.model import Facts, Quote, Span
from borderwatch.serve import create_app
from borderwatch.speakers import identify_speaker
from borderwatch.store.repo import Store


@pytest.mark.parametrize(("speaker", "kind", "key"), [
    ("Colonel Nguyễn Văn Hùng", "person", "person|nguyễn văn hùng"),
    ("Brigadier General Pov", "person", "person|pov"),
    ("Lao Ministry of Public Security", "organisation", "organisation|lao ministry of public security"),
    ("Police", "role", "role|d|police"),
    ("a provincial police officer", "role", "role|d|a provincial police officer"),
    ("police officer in charge of the case", "role", "role|d|police officer in charge of the case"),
    ("Attapeu", "role", "role|d|attapeu"),
    ("report", "none", "none|d"),
    ("two suspects", "none", "none|d"),
    (None, "none", "none|d"),
])
def test_english_speakers(speaker: str | None, kind: str, key: str) -> None:
    found = identify_speaker(Quote("q", "d", speaker, "direct", "words"), language_for("en"), Gazetteer.load())
    assert (found.kind, found.key) == (kind, key)


def test_speakers_in_other_scripts() -> None:
    gazetteer = Gazetteer.load()
    vi = language_for("vi")
    assert identify_speaker(Quote("q", "d", "Đại tá Nguyễn Văn Hùng", "direct", "x"), vi, gazetteer).key == \
        identify_speaker(Quote("q", "e", "Nguyễn Văn Hùng", "direct", "x"), vi, gazetteer).key
    assert identify_speaker(Quote("q", "d", "Công an tỉnh", "direct", "x"), vi, gazetteer).kind == "role"
    th = language_for("th")
    assert identify_speaker(Quote("q", "d", "เจ้าหน้าที่ตำรวจ", "direct", "x"), th, gazetteer).kind == "role"
    assert identify_speaker(Quote("q", "d", "สมศักดิ์ ใจดี", "direct", "x"), th, gazetteer).kind == "person"


def _with_quotes(facts: Facts, speakers: list[str]) -> Facts:
    """``facts`` with one quote of the same words per speaker."""
    text = facts.document.text
    words = "We will not let this route reopen,"
    start = text.index(words)
    return replace(facts, quotes=[
        Quote(f"{facts.document.id}-q{i}", facts.document.id, speaker, "direct", words,
              evidence=(Span(facts.document.id, start, start + len(words), words, "text"),))
        for i, speaker in enumerate(speakers)])


def test_claims_board_groups_named_speakers_across_reports_and_unnamed_within_one(
        tmp_path: Path, make_facts: Callable[..., Facts]) -> None:
    db = tmp_path / "claims.db"
    with Store.open(f"sqlite:///{db}") as store:
        store.add(_with_quotes(make_facts("report-a", outlet="Thanh Niên"),
                               ["Colonel Nguyễn Văn Hùng", "a provincial police officer", "Police", "two suspects"]))
        store.add(_with_quotes(make_facts("report-b", text=make_facts().document.text.replace("HANOI", "VINH "),
                                          outlet="VnExpress"),
                               ["Nguyễn Văn Hùng", "a provincial police officer", "report"]))
    with TestClient(create_app(Settings(db=str(db)))) as client:
        page = client.get("/claims").text
    heads = dict(re.findall(r'<h2>([^<]+?)\s*(?:<span class="role">[^<]*</span>\s*)*<span class="count">(\d+) quotes?',
                            page))
    assert heads.pop("Colonel Nguyễn Văn Hùng", None) == "2" or heads.pop("Nguyễn Văn Hùng", None) == "2"
    assert heads == {
        "a provincial police officer (Thanh Niên, 2024-03-05)": "1",
        "a provincial police officer (VnExpress, 2024-03-05)": "1",
        "Police (Thanh Niên, 2024-03-05)": "1",
        "unattributed (Thanh Niên, 2024-03-05)": "1",
        "unattributed (VnExpress, 2024-03-05)": "1",
    }
    assert "two suspects" not in page and ">report<" not in page


@pytest.mark.parametrize(("code", "speaker", "kind"), [
    ("lo", "ເຈົ້າໜ້າທີ່ ດ່ານສາກົນ ແຂວງບໍ່ແກ້ວ", "role"),
    ("km", "មន្ត្រីនគរបាល ស្រុកថាឡាបរិវ៉ាត់", "role"),
    ("th", "เจ้าหน้าที่ศุลกากร ด่านเชียงของ", "role"),
    ("km", "អគ្គស្នងការដ្ឋាននគរបាលជាតិ", "organisation"),
    ("lo", "ສົມພອນ ແກ້ວມະນີ", "person"),
    ("km", "សុខ ជា", "person"),
])
def test_caseless_descriptions_and_bodies_are_not_people(code: str, speaker: str, kind: str) -> None:
    """Without letter case, an untitled speaker opening with a role word is a description; a title inside a
    body's name leaves it a body."""
    found = identify_speaker(Quote("q", "d", speaker, "direct", "x"), language_for(code), Gazetteer.load())
    assert found.kind == kind
