"""What the search holds of each page: the folding that lets "d" find "đ" and marks be left out (the
same in the page's script), and the start of a body a record keeps."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen import search_records
from sitegen.text import plain_text


def pagefind_word(text: str) -> str:
    """What Pagefind 1.5 matches on: the word lowercased, decomposed, every combining mark dropped."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))


@pytest.mark.parametrize(("typed", "written"), [
    ("cai cach", "cải cách"), ("dong dang", "Đồng Đăng"), ("den truong", "đến trường"),
    ("VAN PHONG", "Vân Phong"), ("đồng đăng", "Đồng Đăng"), ("Dong Dang", "đồng đăng"),
    ("thu tuc dat dai", "Thủ tục đất đai"), ("lich tiep cong dan", "Lịch tiếp công dân"),
])
def test_typed_without_marks_matches_what_is_indexed(typed: str, written: str) -> None:
    assert pagefind_word(search_records.index_form(typed)) == pagefind_word(search_records.index_form(written))


def test_d_and_đ_differ_only_by_a_mark() -> None:
    indexed = search_records.index_form("Đồng đến")
    assert indexed == "D\u0335ồng d\u0335ến"
    assert pagefind_word(indexed) == "dong den"
    assert search_records.shown_form(indexed) == "Đồng đến"
    # the exact spelling stays distinct, so Pagefind ranks it first
    assert search_records.index_form("đồng") != search_records.index_form("dong")
    assert unicodedata.normalize("NFC", search_records.index_form("đồng")) == search_records.index_form("đồng")


def test_the_search_script_folds_the_same_way() -> None:
    script = (Path(search_records.__file__).parents[1] / "assets/js/search.js").read_text(encoding="utf-8")
    assert 'replace(/đ/g, "d" + STROKE).replace(/Đ/g, "D" + STROKE)' in script
    assert "STROKE = \"\\u0335\"" in script and search_records.MARK == "\u0335"


def test_a_record_holds_the_start_of_the_body_only() -> None:
    long_body = "<p>Mở đầu.</p>" + "<p>" + "chữ " * 1000 + "</p><p>CUỐI</p>"
    lead = search_records._lead("Mở đầu.", long_body)
    assert lead.startswith("Mở đầu. chữ") and "CUỐI" not in lead and lead.endswith(" chữ …")  # the page goes on
    assert len(lead) <= search_records.TEXT_CHARS
    assert search_records._lead("", "<p>A &amp; B</p>") == "A & B"


def test_a_record_holds_the_body_far_past_its_first_lines() -> None:
    """What a body says in its second paragraph, past its first 300 characters, is found."""
    body = "".join(f"<p>Đoạn {n}: " + "người dân được hướng dẫn tận tình " * 4 + "</p>" for n in range(2))
    body += "<p>Lịch tiếp công dân định kỳ vào thứ Năm.</p>"
    lead = search_records._lead("Tóm tắt.", body)
    assert len(plain_text(body)) > 300 and "Lịch tiếp công dân định kỳ" in lead


def test_a_record_holds_what_search_text_asks() -> None:
    body = "<p>Mở đầu.</p><p>" + "chữ " * 1000 + "</p><p>Câu &amp; CUỐI</p>"
    whole = search_records._lead("Mở đầu.", body, search_records.WHOLE)
    assert whole.startswith("Mở đầu. chữ") and whole.endswith("Câu & CUỐI") and whole.count("Mở đầu") == 1
    assert len(search_records._lead("Mở đầu.", body, 2000)) in range(1900, 2001)
    assert search_records._lead("", "<p>Ngắn.</p>", search_records.WHOLE) == "Ngắn."


def test_the_codes_a_text_names_are_held_without_their_numbers() -> None:
    text = "Kế hoạch 38/KH-UBND và Nghị quyết 03/2026/NQ-HĐND; Công văn 1024/UBND-VP, lại 38/KH-UBND. Số 5/2024."
    assert search_records.codes(text) == "KH-UBND NQ-HĐND UBND-VP"
    assert search_records.codes("Năm 2024, 15/8 và 1/7/2025") == ""


_PIECES = ["<p>", "</p>", "<a href=\"/van-ban/so-12-qd-ubnd-ve-viec-ban-hanh/\">", "</a>", "<strong>", "</strong>",
           "&amp;", "&quot;", "&#273;", "&nbsp;", "R&D", " ", "\n", "đất đai", "cải cách hành chính", "Số 12/QĐ;",
           "<img src=\"/anh/" + "a" * 80 + ".jpg\" alt=\"ảnh\">", "<table><tr><td>", "</td></tr></table>", "<br>"]


def _lead_in_full(summary: str, body: str) -> str:
    """What a record holds, with the body's TEXT_CHARS * 6 characters always read in full."""
    text = summary
    if len(text) < search_records.TEXT_CHARS:
        full = plain_text(body[: search_records.TEXT_CHARS * 6])
        if summary and full.startswith(summary[:60]):
            full = full[len(summary):].lstrip()
        text = f"{summary} {full}".strip()
    if len(text) > search_records.TEXT_CHARS:
        text = text[: search_records.TEXT_CHARS - 2].rsplit(" ", 1)[0] + " …"
    return text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=400), st.sampled_from(["", "Tóm tắt ngắn.", "Dài " * 120]))
def test_a_short_slice_of_the_body_gives_the_same_record_text(pieces: list[str], summary: str) -> None:
    """The body's start is read from a short slice when that gives text enough: the same text as the
    TEXT_CHARS * 6 characters read in full, whatever tag or entity the short slice cuts in two."""
    body = "".join(pieces)
    assert search_records._lead(summary, body) == _lead_in_full(summary, body)


@pytest.mark.parametrize("cut", ['<a href="/' + "a" * 500 + '">', "&" + "x" * 500])
def test_a_tag_or_entity_cut_in_two_by_the_short_slice_is_not_text(cut: str) -> None:
    body = "<p>" + "chữ " * 95 + cut + " sau đó</p><p>" + "đoạn hai " * 60 + "</p>"
    assert search_records._lead("", body) == _lead_in_full("", body)
    assert "aaa" not in search_records._lead("", body)
