"""Files -> Documents: inputs found, bad files rejected with a reason that names them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from borderwatch.config import Settings
from borderwatch.errors import InputError, Rejected
from borderwatch.ingest import decode_bytes, find_inputs, read_document

from .conftest import FIXTURES, assert_spans_quote, dev_file

SETTINGS = Settings()


def _rejected(path: Path, settings: Settings = SETTINGS) -> Rejected:
    with pytest.raises(Rejected) as info:
        read_document(path, settings)
    exc = info.value
    assert exc.stage == "ingest"
    assert exc.source == str(path)
    assert path.name in exc.message and "\n" not in exc.message
    return exc


def test_find_inputs_walks_folders_sorted_and_rejects_other_types(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.htm").write_text("<html></html>")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "c.HTML").write_text("<html></html>")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "a.json").write_text("{}")  # a gold annotation beside its report: passed over in a walk
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "skip.txt").write_text("x")
    elsewhere = tmp_path.parent / f"{tmp_path.name}-other"
    elsewhere.mkdir()
    extra = elsewhere / "explicit.csv"
    extra.write_text("a,b")
    files, rejections = find_inputs([tmp_path, extra])
    assert files == [tmp_path / "a.txt", tmp_path / "b" / "z.htm", tmp_path / "c.HTML"]
    assert [(Path(r.source).name, r.reason, r.stage) for r in rejections] == [
        ("notes.docx", "unsupported-type", "ingest"), ("explicit.csv", "unsupported-type", "ingest")]
    assert "notes.docx" in rejections[0].message and ".txt" in rejections[0].message


def test_find_inputs_missing_path_is_an_input_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(InputError, match=f"no such file or directory: {missing}"):
        find_inputs([missing])


def test_unsupported_suffix_is_rejected() -> None:
    assert _rejected(FIXTURES / "report.pdf").reason == "unsupported-type"


def test_empty_file_is_rejected() -> None:
    assert _rejected(FIXTURES / "empty.txt").reason == "empty"


def test_whitespace_only_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(b" \r\n\t\n")
    assert _rejected(path).reason == "empty"


@pytest.mark.parametrize("name, kind", [("photo-saved-as.txt", "PNG image"), ("nul-bytes.txt", "NUL bytes")])
def test_binary_file_is_rejected(name: str, kind: str) -> None:
    exc = _rejected(FIXTURES / name)
    assert exc.reason == "binary"
    assert kind in exc.message


def test_file_over_the_size_limit_is_rejected_without_reading_it(tmp_path: Path) -> None:
    # A sparse file costs no disk; a 2 GB file is refused the same way, from its size alone.
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(2 * 1024 * 1024)
    exc = _rejected(path, Settings(max_file_mb=1))
    assert exc.reason == "too-large"
    assert "1 MB" in exc.message


def test_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"Police seized timber at the border checkpoint on Monday.\n" * 18000)
    assert path.stat().st_size <= 1024 * 1024
    assert read_document(path, Settings(max_file_mb=1)).text.startswith("Police seized timber")


def test_undecodable_bytes_are_rejected() -> None:
    exc = _rejected(FIXTURES / "undecodable.txt")
    assert exc.reason == "encoding"


def test_broken_html_is_rejected() -> None:
    assert _rejected(FIXTURES / "rate-limited.html").reason == "broken-html"


def test_html_without_article_text_is_rejected() -> None:
    assert _rejected(FIXTURES / "truncated-head.html").reason == "no-text"


def test_html_without_article_text_is_rejected_before_the_relevance_screen() -> None:
    # the raw-page gate would refuse this page (no goods word in it): it must still be quarantined as
    # "no-text", not stored as an empty page
    from borderwatch.ingest.html import parse_html
    data = (FIXTURES / "truncated-head.html").read_text(encoding="utf-8")
    with pytest.raises(Rejected) as exc:
        parse_html(data, "truncated-head", str(FIXTURES / "truncated-head.html"), relevant=lambda pieces: False)
    assert exc.value.reason == "no-text"


def test_cp1252_file_decodes() -> None:
    doc = read_document(FIXTURES / "cp1252-report.txt", SETTINGS)
    assert "it\u2019s the \u201clargest\u201d haul this year \u2013 worth about \u20ac2m" in doc.text
    assert "caf\u00e9 owner" in doc.text


def test_utf16_file_with_bom_decodes() -> None:
    doc = read_document(FIXTURES / "utf16-report.txt", SETTINGS)
    assert doc.text.startswith("Bắt giữ 5 tấn vảy tê tê")
    assert doc.language == "vi"
    assert doc.published == "2019-05-24"


@pytest.mark.parametrize("name", ["utf16be-nobom-report.txt", "utf32le-nobom-report.txt"])
def test_utf16_and_utf32_without_a_bom_are_detected(name: str) -> None:
    doc = read_document(FIXTURES / name, SETTINGS)
    assert doc.text == read_document(FIXTURES / "utf16-report.txt", SETTINGS).text
    assert doc.language == "vi"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_bomless_wide_text_in_any_byte_order_and_script(encoding: str) -> None:
    text = ("Border guards at Lao Bảo seized 12.5 kg of heroin on Tuesday. "
            "ตำรวจยึดยาบ้า 1 ล้านเม็ด ที่ชายแดนลาว\n") * 4
    assert decode_bytes(text.encode(encoding), "report.txt") == text


def test_utf8_mojibake_is_repaired() -> None:
    doc = read_document(FIXTURES / "mojibake-report.txt", SETTINGS)
    assert "it\u2019s the largest haul this year \u2013 worth about \u20ac2m" in doc.text
    assert "caf\u00e9" in doc.text and "Ã" not in doc.text


def test_declared_charset_is_used_for_html() -> None:
    page = ('<html><head><meta charset="windows-874"><title>x</title></head><body>'
            '<h1>ตำรวจยึดยาบ้า</h1><p>ตำรวจยึดยาบ้า 1 ล้านเม็ด ที่ชายแดนลาว</p></body></html>')
    assert decode_bytes(page.encode("cp874"), "page.html") == page


def test_content_hash_is_of_the_raw_bytes_and_id_is_the_stem() -> None:
    path = FIXTURES / "utf16-report.txt"
    doc = read_document(path, SETTINGS)
    assert doc.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.id == "utf16-report"
    assert doc.source == str(path)


def test_text_file_holding_html_is_read_as_html(tmp_path: Path) -> None:
    path = tmp_path / "saved-page.txt"
    path.write_text("<!DOCTYPE html><html><head><title>T</title></head><body><article>"
                    "<h1>Timber seized in Stung Treng</h1><p>Forestry officers seized 40 logs of rosewood "
                    "from a truck near the border on Sunday, officials said.</p></article></body></html>")
    doc = read_document(path, SETTINGS)
    assert doc.media_type == "html"
    assert doc.text.startswith("Timber seized in Stung Treng\n\n")
    assert "<p>" not in doc.text


@pytest.mark.parametrize("name", ["d01-vueyeng-laotiantimes.txt", "s00-seed-laos-drugs.txt",
                                  "t03-poste-takeo-cannabis.txt", "d05-nacd-h1-2020-cng.html",
                                  "t05-ppp-malai-rosewood.html"])
def test_dev_documents_read_with_true_furniture_spans(name: str) -> None:
    path = dev_file(name)
    doc = read_document(path, SETTINGS)
    assert doc.id == path.stem
    assert doc.text == doc.text.strip() and "\r" not in doc.text
    assert_spans_quote(doc)


def test_bytes_a_guesser_can_map_to_some_alphabet_are_still_not_text(tmp_path: Path) -> None:
    # Invalid UTF-8 (overlong forms, surrogates, lone continuation bytes) decodes as Cyrillic
    # letters in cp1251, but nothing in it reads as writing.
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes.fromhex("8081c0afeda080f888808080fefd9fc1bfe080af") * 8)
    assert _rejected(path).reason == "encoding"
