"""sitegen.text: slugs from Vietnamese titles, cut titles, plain text, hints."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitegen.text import closest, cut, plain_text, slugify

SLUG_SHAPE = re.compile(r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*)?$")
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
VI_TEXT = st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + "0123456789 ,.-:;!?()\"'/–", max_size=80)


@pytest.mark.parametrize(("title", "slug"), [
    ("Đoàn kiểm tra cải cách hành chính", "doan-kiem-tra-cai-cach-hanh-chinh"),
    ("Kiểm tra công tác cải cách hành chính tại huyện Mẫu Sơn",
     "kiem-tra-cong-tac-cai-cach-hanh-chinh-tai-huyen-mau-son"),
    ("ĐẠI HỘI ĐẢNG BỘ", "dai-hoi-dang-bo"),
    ("Điều chỉnh quy hoạch", "dieu-chinh-quy-hoach"),
    ("Ủy ban nhân dân: thông báo số 12/TB-UBND", "uy-ban-nhan-dan-thong-bao-so-12-tb-ubnd"),
    ("Người dân được hướng dẫn", "nguoi-dan-duoc-huong-dan"),
])
def test_slugify_vietnamese_titles(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_slugify_uppercase_d_with_stroke_becomes_d() -> None:
    assert slugify("Đ") == "d"
    assert slugify("ĐĐ đđ") == "dd-dd"


@pytest.mark.parametrize("form", ["NFC", "NFD", "NFKC", "NFKD"])
def test_slugify_same_for_composed_and_decomposed(form: str) -> None:
    title = unicodedata.normalize(form, "Đoàn kiểm tra cải cách hành chính")
    assert slugify(title) == "doan-kiem-tra-cai-cach-hanh-chinh"


def test_decomposed_input_really_differs_from_composed() -> None:
    # guard: the test above is meaningful only if NFD changes the string
    title = "Đoàn kiểm tra cải cách hành chính"
    assert unicodedata.normalize("NFD", title) != title


@pytest.mark.parametrize(("text", "slug"), [
    ("Tin tức -- sự kiện!!!", "tin-tuc-su-kien"),
    ("a   ,,, b", "a-b"),
    ("a_b.c/d\\e", "a-b-c-d-e"),
    ("  ...Chào...  ", "chao"),
    ("--- xin chào ---", "xin-chao"),
    ("năm 2022 (đợt 2)", "nam-2022-dot-2"),
])
def test_slugify_punctuation_runs_become_one_hyphen_without_edges(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize("text", ["", "   ", "!!!", "—", "中文"])
def test_slugify_of_nothing_usable_is_empty(text: str) -> None:
    assert slugify(text) == ""


@given(VI_TEXT)
def test_slugify_shape_and_normalisation_properties(text: str) -> None:
    slug = slugify(text)
    assert SLUG_SHAPE.match(slug), slug
    assert slugify(unicodedata.normalize("NFD", text)) == slug
    assert slugify(unicodedata.normalize("NFC", text)) == slug
    assert slugify(slug) == slug


LONG = ("Ủy ban nhân dân huyện Mẫu Sơn tổ chức hội nghị tổng kết công tác cải cách hành chính "
        "năm 2022 và triển khai nhiệm vụ năm 2023")


def test_cut_short_text_untouched() -> None:
    title = "Kiểm tra công tác cải cách hành chính"
    assert cut(title) == title


def test_cut_exactly_100_untouched_and_101_cut() -> None:
    hundred = ("abcd " * 20)[:99] + "x"
    assert len(hundred) == 100
    assert cut(hundred) == hundred
    longer = hundred + "y"
    assert cut(longer).endswith("...")


def test_cut_long_title_at_word_boundary() -> None:
    assert len(LONG) > 100
    result = cut(LONG)
    assert result.endswith("...")
    assert not result.endswith("....")
    head = result[:-3]
    assert LONG.startswith(head)
    assert LONG[len(head)] == " "  # cut between two words
    assert head == ("Ủy ban nhân dân huyện Mẫu Sơn tổ chức hội nghị tổng kết công tác cải cách hành chính "
                    "năm 2022 và")
    assert len(result) <= 103


def test_cut_drops_trailing_punctuation_before_dots() -> None:
    text = "Thông báo, " * 12
    result = cut(text)
    assert result.endswith("...")
    assert not result[:-3].endswith((",", " "))


def test_cut_single_long_word_is_cut_hard() -> None:
    word = "a" * 150
    assert cut(word) == "a" * 100 + "..."


def test_cut_custom_limit() -> None:
    assert cut("một hai ba bốn năm", limit=10) == "một hai ba..."


@given(st.lists(st.text(alphabet=VIETNAMESE, min_size=1, max_size=15), min_size=1, max_size=30),
       st.integers(min_value=5, max_value=120))
def test_cut_properties(words: list[str], limit: int) -> None:
    text = " ".join(words)
    result = cut(text, limit)
    if len(text) <= limit:
        assert result == text
        return
    assert result.endswith("...")
    assert len(result) <= limit + 3
    head = result[:-3]
    assert text.startswith(head)
    if " " in text[: limit + 1]:
        assert text[len(head)] == " "  # never inside a word


def test_plain_text_strips_tags_and_entities() -> None:
    assert plain_text("<p>Đoạn <em>một</em> &amp; hai&nbsp;ba.</p>") == "Đoạn một & hai ba."


def test_plain_text_one_line() -> None:
    assert plain_text("<p>a</p>\n<p>b\n  c</p>") == "a b c"


def test_plain_text_block_elements_are_separated() -> None:
    assert plain_text("<p>a</p><p>b</p>") == "a b"
    assert plain_text("a<br>b") == "a b"


def test_plain_text_inline_tags_add_no_space() -> None:
    # "Giá **10**%, tăng" is plain text "Giá 10%, tăng", not "Giá 10 %, tăng"
    assert plain_text("Đoạn <strong>một</strong>, hai.") == "Đoạn một, hai."
    assert plain_text("Giá <b>10</b>%") == "Giá 10%"


def test_closest_suggests_the_nearest_choice() -> None:
    keys = ["title", "date", "category", "views", "tags"]
    assert closest("catgory", keys) == "category"
    assert closest("titel", keys) == "title"
    assert closest("TITLE", keys) == "title"


def test_closest_keeps_the_choice_spelling() -> None:
    names = ["Cải cách hành chính", "Tin tức"]
    assert closest("cải cách hành chánh", names) == "Cải cách hành chính"
    assert closest("Cai cach hanh chinh", names) == "Cải cách hành chính"


def test_closest_nothing_similar() -> None:
    assert closest("xyzzy", ["title", "date"]) is None
    assert closest("title", []) is None
