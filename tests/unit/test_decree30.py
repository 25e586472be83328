"""The number-and-code rule and the 29 types of Decree 30/2020/NĐ-CP."""

from __future__ import annotations

import pytest

from sitegen import decree30
from sitegen.decree30 import Mistake, Number


@pytest.mark.parametrize(("text", "number", "year", "code"), [
    ("38/KH-UBND", 38, None, "KH-UBND"),
    ("12/2025/QĐ-UBND", 12, 2025, "QĐ-UBND"),
    ("05/CT-UBND", 5, None, "CT-UBND"),
    ("215/BC-UBND", 215, None, "BC-UBND"),
    ("18/UBND-NN", 18, None, "UBND-NN"),  # a Công văn: the body, then the drafting unit
    ("03/TTr-SNV", 3, None, "TTr-SNV"),
    ("07/2026/NQ-HĐND", 7, 2026, "NQ-HĐND"),
    ("21/QyĐ-UBND", 21, None, "QyĐ-UBND"),
    ("1024/UBND-VP", 1024, None, "UBND-VP"),
])
def test_valid_numbers(text: str, number: int, year: int | None, code: str) -> None:
    parsed = decree30.parse_number(text)
    assert parsed == Number(number, year, code, text)


@pytest.mark.parametrize(("text", "mistake", "fixed"), [
    ("5/KH-UBND", "doc_number_padding", "05/KH-UBND"),
    ("005/KH-UBND", "doc_number_padding", "05/KH-UBND"),
    ("012/2025/QĐ-UBND", "doc_number_padding", "12/2025/QĐ-UBND"),
    ("00/KH-UBND", "doc_number_zero", None),
    ("38/QD-UBND", "doc_number_d_bar", "QĐ"),
    ("38/NQ-HDND", "doc_number_d_bar", "HĐND"),
    ("38/QÐ-UBND", "doc_number_eth", "38/QĐ-UBND"),
    ("38 / KH-UBND", "doc_number_spaces", "38/KH-UBND"),
    ("KH-UBND", "doc_number_form", None),
    ("38-KH-UBND", "doc_number_form", None),
    ("38/25/QĐ-UBND", "doc_number_form", None),
    ("38/2025/", "doc_number_form", None),
    ("38/kh-ubnd", "doc_number_code", None),
    ("38/KH--UBND", "doc_number_code", None),
])
def test_invalid_numbers(text: str, mistake: str, fixed: str | None) -> None:
    parsed = decree30.parse_number(text)
    assert isinstance(parsed, Mistake) and parsed.code == mistake
    if fixed is not None:
        assert fixed in dict(parsed.args).values()


def test_hd_is_huong_dan_not_a_misspelt_hop_dong() -> None:
    parsed = decree30.parse_number("04/HD-UBND")
    assert isinstance(parsed, Number)
    assert decree30.type_mismatch(parsed, "Hướng dẫn") is None


@pytest.mark.parametrize(("text", "loai", "mistake"), [
    ("38/KH-UBND", "Kế hoạch", None),
    ("38/QĐ-UBND", "Kế hoạch", "doc_number_wrong_type"),
    ("18/UBND-NN", "Công văn", None),
    ("18/UBND", "Công văn", None),
    ("18/QĐ-UBND", "Công văn", "doc_number_not_letter"),
    ("38/KH", "Kế hoạch", "doc_number_no_body"),
    ("02/TTr-UBND", "Tờ trình", None),
])
def test_code_against_type(text: str, loai: str, mistake: str | None) -> None:
    parsed = decree30.parse_number(text)
    assert isinstance(parsed, Number)
    found = decree30.type_mismatch(parsed, loai)
    assert (found.code if found else None) == mistake


def test_twenty_nine_types() -> None:
    assert len(decree30.TYPES) == 29
    assert len(set(decree30.type_slug(name) for name in decree30.TYPES)) == 29
    assert list(decree30.TYPES)[:3] == ["Nghị quyết", "Quyết định", "Chỉ thị"]
    assert [name for name, abbr in decree30.TYPES.items() if abbr is None] == ["Công văn", "Thư công"]


@pytest.mark.parametrize(("written", "found"), [
    ("Kế hoạch", "Kế hoạch"), ("kế  HOẠCH", "Kế hoạch"), ("Ke hoach", None), ("Quyết đinh", None)])
def test_find_type(written: str, found: str | None) -> None:
    assert decree30.find_type(written) == found


@pytest.mark.parametrize(("written", "closest"), [
    ("Ke hoach", "Kế hoạch"), ("Quyết đinh", "Quyết định"), ("Quyet dinh", "Quyết định"),
    ("QĐ", "Quyết định"), ("qd", "Quyết định"), ("HD", "Hướng dẫn"), ("TTr", "Tờ trình"),
    ("Thông tư", "Thông cáo"), ("Giấy mời họp", "Giấy mời"), ("xyz", None)])
def test_closest_type(written: str, closest: str | None) -> None:
    assert decree30.closest_type(written) == closest


def test_slugs() -> None:
    assert decree30.number_slug("38/KH-UBND") == "38-kh-ubnd"
    assert decree30.number_slug("12/2025/QĐ-UBND") == "12-2025-qd-ubnd"
    assert decree30.type_slug("Bản thỏa thuận") == "ban-thoa-thuan"


def test_slugs_of_types_that_differ_only_by_d_bar_differ() -> None:
    assert decree30.number_slug("01/HĐ-UBND") == "01-hdd-ubnd"
    assert decree30.number_slug("01/HD-UBND") == "01-hd-ubnd"
    assert decree30.number_slug("03/ĐA-UBND") == "03-dda-ubnd" != decree30.number_slug("03/DA-UBND")
    assert decree30.number_slug("05/2026/QĐ-HĐND") == "05-2026-qd-hdnd"
