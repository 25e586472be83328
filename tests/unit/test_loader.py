"""sitegen.loader: front matter -> checked fields, every problem at its line."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest

from sitegen import i18n, loader
from sitegen.model import Config
from sitegen.problems import Problem
from tests.conftest import post_text, site_config

SITE_TOML = """\
title = "Cổng thông tin điện tử xã Tân Hoà"
base_url = "https://mauson.example/"

[[categories]]
key = "cchc"
name = "Cải cách hành chính"

[[categories]]
key = "tin-tuc"
name = "Tin tức"
"""


@pytest.fixture(scope="module")
def cfg() -> Config:
    return site_config(SITE_TOML)


def source(raw: str, is_page: bool = False, rel: str = "content/tin-tuc/a.md") -> loader.Source:
    src, found = loader.parse_source(rel, raw, is_page)
    assert found == [] and src is not None, found
    return src


def check(raw: str, cfg: Config, is_page: bool = False,
          rel: str = "content/tin-tuc/a.md") -> tuple[dict[str, Any] | None, list[Problem]]:
    return loader.check_fields(source(raw, is_page, rel), cfg)


def ok(raw: str, cfg: Config) -> dict[str, Any]:
    fields, found = check(raw, cfg)
    assert fields is not None, found
    assert [p for p in found if p.severity == "error"] == []
    return fields


def codes(found: list[Problem]) -> list[tuple[str, int]]:
    return sorted((p.code, p.line) for p in found)


def parse_error(raw: str) -> Problem:
    src, found = loader.parse_source("content/a.md", raw, False)
    assert src is None
    assert len(found) == 1, found
    return found[0]


POST = """\
---
title: Kiểm tra công tác cải cách hành chính tại xã Tân Hoà
date: 2022-10-03 08:30
category: Cải cách hành chính
views: 28
tags: [CCHC, PAPI]
---
Đoạn đầu.
"""


# --- parse_source: lines -------------------------------------------------------------------------

def test_key_lines_are_file_lines() -> None:
    src = source(POST)
    assert src.lines == {"title": 2, "date": 3, "category": 4, "views": 5, "tags": 6}
    assert src.start_line == 1
    assert src.body_line == 8
    assert src.body.strip() == "Đoạn đầu."


def test_key_lines_after_leading_blank_lines() -> None:
    src = source("\n\n\n" + POST)
    assert src.start_line == 4
    assert src.lines["title"] == 5
    assert src.lines["tags"] == 9
    assert src.body_line == 11


def test_key_lines_with_crlf_and_bom_free_text() -> None:
    src = source(POST.replace("\n", "\r\n"))
    assert src.lines["date"] == 3
    assert src.meta["title"].startswith("Kiểm tra")


def test_key_lines_with_blank_line_after_opening_dashes() -> None:
    raw = "---\n\ntitle: Tiêu đề\ndate: hôm qua\n---\nNội dung\n"
    src = source(raw)
    assert raw.splitlines()[src.lines["title"] - 1].startswith("title")
    assert src.lines == {"title": 3, "date": 4}


def test_key_lines_after_comments_and_multiline_values() -> None:
    raw = ("---\n# ghi chú\ntitle: >\n  Dòng một\n  dòng hai\nsummary: |\n  a\n  b\n"
           "date: 2022-10-03\n---\n")
    src = source(raw)
    assert src.lines == {"title": 3, "summary": 6, "date": 9}
    assert src.meta["title"].strip() == "Dòng một dòng hai"


def test_meta_values_are_plain() -> None:
    src = source(POST)
    assert src.meta["date"] == "2022-10-03 08:30"  # left for dates.parse
    assert src.meta["views"] == 28
    assert src.meta["tags"] == ["CCHC", "PAPI"]


# --- YAML 1.1 traps --------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "key", "value"), [
    ("time: 15:15", "time", "15:15"),         # YAML 1.1: the number 915
    ("title: No", "title", "No"),             # YAML 1.1: False
    ("title: yes", "title", "yes"),
    ("title: off", "title", "off"),
    ("title: 0x1F", "title", "0x1F"),
    ("date: 2022-10-03 08:30", "date", "2022-10-03 08:30"),  # YAML 1.1: a UTC timestamp
    ("date: 2022-10-03", "date", "2022-10-03"),
    ("draft: true", "draft", True),
    ("draft: False", "draft", False),
    ("views: 1234", "views", 1234),
])
def test_yaml_11_surprises_are_avoided(line: str, key: str, value: object) -> None:
    src = source(f"---\n{line}\n---\n")
    assert src.meta[key] == value
    assert type(src.meta[key]) is type(value)


@pytest.mark.parametrize(("key", "value"), [
    ("slug", "0755"),   # YAML 1.1 octal: 493
    ("title", "010"),   # YAML 1.1 octal: 8
    ("title", "2022"),
])
def test_numbers_with_leading_zero_stay_as_written(key: str, value: str, cfg: Config) -> None:
    raw = post_text(slug=value) if key == "slug" else post_text(title=value)
    fields = ok(raw, cfg)
    assert fields[key] == value


@pytest.mark.parametrize("title", ["08", "09", "0999"])
def test_leading_zero_non_octal_is_not_a_front_matter_error(title: str, cfg: Config) -> None:
    # YAML 1.1 reads 08 as a broken octal number; the author wrote a title, and the file has front matter
    src, found = loader.parse_source("content/a.md", post_text(title=title), False)
    assert found == []
    assert src is not None
    fields, found = loader.check_fields(src, cfg)
    assert found == [] and fields["title"] == title


def test_title_no_survives_checking(cfg: Config) -> None:
    fields = ok(post_text(title="No"), cfg)
    assert fields["title"] == "No"


def test_time_of_day_date_parses_with_time(cfg: Config) -> None:
    fields = ok(post_text(date="2022-10-03 08:30"), cfg)
    when = fields["date"]
    assert (when.year, when.month, when.day, when.hour, when.minute) == (2022, 10, 3, 8, 30)
    assert fields["has_time"] is True
    assert fields["date"].utcoffset().total_seconds() == 7 * 3600


# --- parse_source: broken front matter -----------------------------------------------------------

def test_no_front_matter() -> None:
    item = parse_error("Chỉ có nội dung.\n")
    assert (item.code, item.line) == ("no_front_matter", 1)


def test_unclosed_front_matter() -> None:
    item = parse_error("---\ntitle: Tiêu đề\ndate: 2022-10-03\n\nNội dung không có dòng đóng.\n")
    assert (item.code, item.line) == ("unclosed_front_matter", 1)


def test_unclosed_front_matter_after_blank_lines_points_at_opening() -> None:
    item = parse_error("\n\n---\ntitle: Tiêu đề\n")
    assert (item.code, item.line) == ("unclosed_front_matter", 3)


def test_front_matter_that_is_a_list() -> None:
    item = parse_error("---\n- title: a\n- date: b\n---\nx\n")
    assert (item.code, item.line) == ("front_matter_not_mapping", 1)


def test_front_matter_that_is_a_scalar() -> None:
    item = parse_error("---\nchỉ một dòng chữ\n---\nx\n")
    assert item.code == "front_matter_not_mapping"


@pytest.mark.parametrize(("raw", "line"), [
    ("---\ntitle: Tiêu đề\ndate: 2022-10-03\ncategory: [Tin tức\n---\n", 4),  # where the '[' opened
    ("---\ntitle: Tiêu đề\n  date: 2022-10-03\n---\n", 3),
    ("---\ntitle: a: b\n---\n", 2),
    ("\n\n---\ntitle: Tiêu đề\n  date: 2022-10-03\n---\n", 5),
])
def test_yaml_syntax_error_reports_a_line(raw: str, line: int) -> None:
    item = parse_error(raw)
    assert item.code.startswith("bad_yaml")
    assert item.line == line
    assert item.params["reason"]


@pytest.mark.parametrize("tail", ["\n---\nNội dung.\n", "\nviews: 12\n---\nNội dung.\n"])
def test_a_list_left_open_names_its_own_line_and_how_to_close_it(tail: str) -> None:
    """The parser notices a missing ']' only at the closing '---' (or at the next key): the message names the
    line of the '[' and says how a list is written."""
    item = parse_error("---\ntitle: Lịch tạm ngừng cung cấp điện\ndate: 2026-11-12 09:00\ntags: [Lịch cắt điện" + tail)
    assert (item.code, item.line) == ("bad_yaml_list", 4)
    text = i18n.format_problem(item, "vi")
    assert "a.md:4:" in text and "kết thúc bằng ']'" in text and "tags: [Lịch cắt điện, Điện lực]" in text


@pytest.mark.parametrize("quote", ['"', "'"])
def test_a_quote_left_open_names_its_own_line_and_the_quote(quote: str) -> None:
    """The parser notices it only at the closing '---': the message names the line where the value opened."""
    item = parse_error(f"---\ntitle: {quote}Tiêu đề\ndate: 2022-10-03\n---\nx\n")
    assert (item.code, item.line) == ("bad_yaml_quote", 2)
    assert f"dòng này ({quote}) chưa được đóng" in i18n.format_problem(item, "vi")


def test_empty_front_matter_is_a_mapping(cfg: Config) -> None:
    fields, found = check("---\n---\nNội dung\n", cfg)
    assert fields is None
    assert codes(found) == [("missing_field", 1)] * 3


# --- check_fields ----------------------------------------------------------------------------------

def test_full_post_fields(cfg: Config) -> None:
    fields = ok(POST, cfg)
    assert fields["title"] == "Kiểm tra công tác cải cách hành chính tại xã Tân Hoà"
    assert fields["slug"] == "kiem-tra-cong-tac-cai-cach-hanh-chinh-tai-xa-tan-hoa"
    assert fields["category"] == cfg.categories[0]
    assert fields["views"] == 28
    assert fields["tags"] == ("CCHC", "PAPI")
    assert fields["draft"] is False
    assert fields["summary"] == ""


@pytest.mark.parametrize("missing", ["title", "date", "category"])
def test_missing_required_field_points_at_opening_dashes(missing: str, cfg: Config) -> None:
    lines = [line for line in POST.splitlines() if not line.startswith(missing + ":")]
    raw = "\n\n" + "\n".join(lines) + "\n"  # two blank lines: the '---' is on line 3
    fields, found = check(raw, cfg)
    assert fields is None
    assert [(p.code, p.line, p.params["key"]) for p in found] == [("missing_field", 3, missing)]


def test_all_missing_fields_reported(cfg: Config) -> None:
    _, found = check("---\nauthor: Văn phòng\n---\n", cfg)
    missing = sorted(p.params["key"] for p in found if p.code == "missing_field")
    assert missing == ["category", "date", "title"]


def test_empty_title_is_missing(cfg: Config) -> None:
    _, found = check(post_text(title='""'), cfg)
    assert [p.code for p in found] == ["missing_field"]


@pytest.mark.parametrize("value", ["hôm qua", "10/03", "2022/10/03"])
def test_bad_date_at_its_line_lists_accepted_forms(value: str, cfg: Config) -> None:
    fields, found = check(f"---\ntitle: Tiêu đề\ncategory: Tin tức\n\ndate: {value}\n---\n", cfg)
    assert fields is None
    assert codes(found) == [("bad_date", 5)]
    item = found[0]
    assert item.params["value"] == value
    for form in ("2022-10-03", "2022-10-03 08:30", "03/10/2022", "03/10/2022 08:30"):
        assert form in item.params["forms"]


@pytest.mark.parametrize(("value", "code"), [
    ("2022-13-01", "bad_date_no_month"), ("31/02/2024", "bad_date_no_day"),
    ("01/13/2024", "bad_date_month_first"), ("3/10/22", "bad_date_short_year")])
def test_date_of_a_known_form_that_cannot_be_says_why(value: str, code: str, cfg: Config) -> None:
    fields, found = check(f"---\ntitle: Tiêu đề\ncategory: Tin tức\n\ndate: {value}\n---\n", cfg)
    assert fields is None
    assert codes(found) == [(code, 5)]


def test_bad_updated_date(cfg: Config) -> None:
    _, found = check(post_text(updated="31/02/2024"), cfg)
    assert [(p.code, p.line, p.params["key"]) for p in found] == [("bad_date_no_day", 5, "updated")]


def test_day_first_date_in_front_matter(cfg: Config) -> None:
    fields = ok(post_text(date="03/10/2022"), cfg)
    assert (fields["date"].day, fields["date"].month, fields["has_time"]) == (3, 10, False)


@pytest.mark.parametrize(("value", "key"), [
    ("Cải cách hành chính", "cchc"), ("cchc", "cchc"), ("CCHC", "cchc"), ("cải cách HÀNH CHÍNH", "cchc"),
    ("Tin tức", "tin-tuc"), ("tin-tuc", "tin-tuc"), ("TIN TỨC", "tin-tuc"), ("  Tin   tức  ", "tin-tuc"),
])
def test_category_by_name_or_key_case_insensitive(value: str, key: str, cfg: Config) -> None:
    fields = ok(post_text(category=f'"{value}"'), cfg)
    assert fields["category"].key == key


def test_category_in_decomposed_unicode(cfg: Config) -> None:
    # the same name typed on an editor that saves NFD (macOS) is the same category
    fields = ok(post_text(category=unicodedata.normalize("NFD", "Cải cách hành chính")), cfg)
    assert fields["category"].key == "cchc"


@pytest.mark.parametrize("value", ["Cai cach hanh chinh", "Cải cách hành chánh", "cai cach hanh chinh"])
def test_unknown_category_hint(value: str, cfg: Config) -> None:
    fields, found = check(post_text(category=value), cfg)
    assert fields is None
    assert codes(found) == [("unknown_category", 4)]
    item = found[0]
    assert item.params["value"] == value
    assert item.params["hint"] == "Cải cách hành chính"
    assert "Tin tức (tin-tuc)" in item.params["known"]


def test_unknown_category_without_close_match(cfg: Config) -> None:
    _, found = check(post_text(category="Thể thao"), cfg)
    assert [(p.code, p.params["hint"]) for p in found] == [("unknown_category", "")]


def test_views_default_zero(cfg: Config) -> None:
    assert ok(post_text(), cfg)["views"] == 0


@pytest.mark.parametrize("value", ["-5", "nhiều", "2.5", "true", "[1]", "'-3'"])
def test_bad_views(value: str, cfg: Config) -> None:
    fields, found = check(post_text(views=value), cfg)
    assert fields is None
    assert codes(found) == [("bad_views", 5)]


@pytest.mark.parametrize(("value", "expected"), [("0", 0), ("28", 28), ("'28'", 28), ("'1.234'", 1234)])
def test_good_views(value: str, expected: int, cfg: Config) -> None:
    assert ok(post_text(views=value), cfg)["views"] == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("[CCHC, PAPI]", ("CCHC", "PAPI")),
    ("CCHC, PAPI", ("CCHC", "PAPI")),
    ("'CCHC,  PAPI , '", ("CCHC", "PAPI")),
    ("[CCHC, PAPI, CCHC]", ("CCHC", "PAPI")),
    ("Cải cách", ("Cải cách",)),
    ("[2022]", ("2022",)),
    ("[]", ()),
])
def test_tags_list_or_comma_string(value: str, expected: tuple[str, ...], cfg: Config) -> None:
    assert ok(post_text(tags=value), cfg)["tags"] == expected


@pytest.mark.parametrize("value", ["{a: 1}", "[[a]]", "[true]", "[a, ~]"])
def test_bad_tags(value: str, cfg: Config) -> None:
    _, found = check(post_text(tags=value), cfg)
    assert codes(found) == [("bad_list", 5)]


def test_unknown_key_is_a_warning_with_hint(cfg: Config) -> None:
    raw = post_text(catgory="Tin tức")
    fields, found = check(raw, cfg)
    assert fields is not None  # a warning does not stop the post
    assert [(p.code, p.line, p.severity, p.params["key"], p.params["hint"]) for p in found] == [
        ("unknown_field", 5, "warning", "catgory", "category")]


def test_misspelt_category_key_is_also_missing(cfg: Config) -> None:
    raw = "---\ntitle: Tiêu đề\ndate: 2022-10-03\ncatgory: Tin tức\n---\n"
    _, found = check(raw, cfg)
    assert sorted((p.code, p.line, p.severity) for p in found) == [
        ("missing_field", 1, "error"), ("unknown_field", 4, "warning")]


def test_unknown_key_far_from_everything_has_no_hint(cfg: Config) -> None:
    _, found = check(post_text(zzzz="1"), cfg)
    assert [(p.code, p.params["hint"]) for p in found] == [("unknown_field", "")]


@pytest.mark.parametrize("value", ["yes", "1", "'true'", "[true]"])
def test_draft_must_be_boolean(value: str, cfg: Config) -> None:
    _, found = check(post_text(draft=value), cfg)
    assert codes(found) == [("bad_bool", 5)]


def test_draft_true(cfg: Config) -> None:
    assert ok(post_text(draft="true"), cfg)["draft"] is True


@pytest.mark.parametrize("key", ["title", "summary", "author", "image_caption"])
def test_text_fields_reject_lists(key: str, cfg: Config) -> None:
    raw = post_text(**{key: "[a, b]"}) if key != "title" else post_text(title="[a, b]")
    _, found = check(raw, cfg)
    assert ("bad_text", key) in [(p.code, p.params["key"]) for p in found]


def test_slug_from_title_or_front_matter(cfg: Config) -> None:
    assert ok(post_text(title="Đoàn kiểm tra cải cách hành chính"), cfg)["slug"] == (
        "doan-kiem-tra-cai-cach-hanh-chinh")
    assert ok(post_text(slug="Kiểm tra CCHC 2022"), cfg)["slug"] == "kiem-tra-cchc-2022"


def test_title_without_letters_needs_a_slug(cfg: Config) -> None:
    _, found = check(post_text(title='"!!!"'), cfg)
    assert codes(found) == [("empty_slug", 2)]


def test_title_whitespace_collapsed(cfg: Config) -> None:
    assert ok(post_text(title='"  Tiêu   đề  "'), cfg)["title"] == "Tiêu đề"


def test_image_without_alt_or_caption_is_a_warning(cfg: Config) -> None:
    fields, found = check(post_text(image="/images/a.jpg"), cfg)
    assert fields is not None
    assert [(p.code, p.line, p.severity) for p in found] == [("image_without_alt", 5, "warning")]


@pytest.mark.parametrize(("extra", "alt"), [
    ({"image_caption": "Đoàn kiểm tra làm việc"}, "Đoàn kiểm tra làm việc"),
    ({"image_alt": "Ảnh đoàn kiểm tra"}, "Ảnh đoàn kiểm tra"),
    ({"image_alt": "Ảnh", "image_caption": "Chú thích"}, "Ảnh"),
])
def test_image_alt_defaults_to_caption(extra: dict[str, str], alt: str, cfg: Config) -> None:
    fields, found = check(post_text(image="/images/a.jpg", **extra), cfg)
    assert found == []
    assert fields["image_alt"] == alt


def test_page_needs_only_a_title(cfg: Config) -> None:
    fields, found = check("---\ntitle: Trang giới thiệu chung\n---\nNội dung\n", cfg, is_page=True,
                          rel="content/pages/gioi-thieu.md")
    assert found == []
    # content/pages/gioi-thieu.md -> /gioi-thieu/
    assert (fields["title"], fields["slug"], fields["date"], fields["category"]) == (
        "Trang giới thiệu chung", "gioi-thieu", None, None)


def test_page_without_title(cfg: Config) -> None:
    _, found = check("---\nauthor: x\n---\n", cfg, is_page=True)
    assert [(p.code, p.params["key"]) for p in found] == [("missing_field", "title")]


def test_aliases_and_id(cfg: Config) -> None:
    fields = ok(post_text(aliases="[/tin-cu/kiem-tra/]", id="0f8c1e9a-1234-4abc-8def-0123456789ab"), cfg)
    assert fields["aliases"] == ("/tin-cu/kiem-tra/",)
    assert fields["id"] == "0f8c1e9a-1234-4abc-8def-0123456789ab"


def test_every_problem_of_a_post_at_once(cfg: Config) -> None:
    raw = "---\ntitle: Tiêu đề\ndate: hôm qua\ncategory: Thể thao\nviews: -1\ncatgory: x\ndraft: có\n---\n"
    _, found = check(raw, cfg)
    assert codes(found) == [("bad_bool", 7), ("bad_date", 3), ("bad_views", 5), ("unknown_category", 4),
                            ("unknown_field", 6)]


# --- files ----------------------------------------------------------------------------------------

def test_read_source_utf8_bom(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes("\ufeff".encode() + POST.encode())
    src, found = loader.read_source(tmp_path, "a.md", False)
    assert found == [] and src.lines["title"] == 2


def test_read_source_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(b"---\ntitle: C\xf4ng\n---\n")
    src, found = loader.read_source(tmp_path, "a.md", False)
    assert src is None and [p.code for p in found] == ["not_utf8"]


def test_read_source_binary(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(b"---\ntitle: x\n---\n\x00\x00")
    src, found = loader.read_source(tmp_path, "a.md", False)
    assert src is None and [p.code for p in found] == ["binary_file"]


def test_walk_content_sorts_and_splits(make_site) -> None:
    site = make_site({"content/b/z.md": POST, "content/a.md": POST, "content/images/x.jpg": b"jpg",
                      "content/.git/config": "x", "content/pages/gioi-thieu.md": POST,
                      "content/b/.an.md": POST})
    markdown, others, found = loader.walk_content(site)
    assert markdown == ["content/a.md", "content/b/z.md", "content/pages/gioi-thieu.md"]
    assert others == ["content/images/x.jpg"]
    assert found == []


def test_walk_content_symlink_outside(make_site, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("x")
    site = make_site({"content/a.md": POST})
    (site / "content" / "leak.txt").symlink_to(secret)
    _, others, found = loader.walk_content(site)
    assert others == []
    assert [(p.path, p.code) for p in found] == [("content/leak.txt", "path_outside")]


def test_is_page_path() -> None:
    assert loader.is_page_path("content/pages/gioi-thieu.md")
    assert not loader.is_page_path("content/tin-tuc/pages.md")
    assert not loader.is_page_path("content/tin-tuc/pages/a.md")


def test_a_file_parsed_already_from_the_same_bytes_is_not_parsed_again(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A province reads its members' front matter for their news, then builds them: each file is parsed once,
    and its notes (a title YAML cuts at '#') come with it both times."""
    rel = "content/tin-tuc/a.md"
    (tmp_path / "content/tin-tuc").mkdir(parents=True)
    (tmp_path / rel).write_text("---\ntitle: Thông báo #2 lịch tiếp dân\n---\nNội dung.\n", encoding="utf-8")
    parses: list[str] = []
    real = loader.parse_source
    monkeypatch.setattr(loader, "parse_source", lambda *args: parses.append(args[0]) or real(*args))
    parsed: loader.Parsed = {}
    first, first_notes = loader.read_source(tmp_path, rel, False, parsed=parsed)
    again, again_notes = loader.read_source(tmp_path, rel, False, (tmp_path / rel).read_bytes(), parsed)
    assert parses == [rel] and again is first and first is not None
    assert [p.code for p in again_notes] == [p.code for p in first_notes] == ["yaml_comment"]
    (tmp_path / rel).write_text("---\ntitle: Thông báo số 2\n---\nNội dung.\n", encoding="utf-8")
    changed, notes = loader.read_source(tmp_path, rel, False, parsed=parsed)
    assert parses == [rel, rel] and changed is not None and changed.meta["title"] == "Thông báo số 2" and notes == []
    assert parsed[rel][1] is changed
