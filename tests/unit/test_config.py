"""sitegen.config: site.toml -> Config; every unknown key or bad value is a problem with its line."""

from __future__ import annotations

import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sitegen import config, i18n
from sitegen.model import Category, Config
from sitegen.problems import Problem

MINIMAL = """\
title = "Cổng thông tin điện tử xã Tân Hoà"
base_url = "https://mauson.example/"

[[categories]]
key = "cai-cach-hanh-chinh"
name = "Cải cách hành chính"
"""

TWO_CATEGORIES = """\
title = "Cổng thông tin điện tử xã Tân Hoà"
base_url = "https://mauson.example/"
per_page = 10

[[categories]]
key = "cai-cach-hanh-chinh"
name = "Cải cách hành chính"

[[categories]]
key = "tin-tuc"
name = "Tin tức"
"""


def parse(raw: str) -> tuple[Config | None, list[Problem]]:
    return config.parse_config(tomllib.loads(raw), raw)


def only(found: list[Problem]) -> Problem:
    assert len(found) == 1, found
    return found[0]


def test_minimal_config_and_defaults() -> None:
    cfg, found = parse(MINIMAL)
    assert found == []
    assert cfg is not None
    assert cfg.title == "Cổng thông tin điện tử xã Tân Hoà"
    assert cfg.base_url == "https://mauson.example/"
    assert cfg.language == "vi"
    assert cfg.timezone == "Asia/Ho_Chi_Minh"
    assert cfg.tz == ZoneInfo("Asia/Ho_Chi_Minh")
    assert (cfg.latest_count, cfg.per_page, cfg.feed_items) == (8, 20, 20)
    assert cfg.categories == (Category("cai-cach-hanh-chinh", "Cải cách hành chính"),)
    assert cfg.category("cai-cach-hanh-chinh") is cfg.categories[0]
    assert cfg.category("khong-co") is None


def test_all_documented_keys_accepted() -> None:
    raw = """\
title = "Cổng"
base_url = "https://mauson.example/sub"
language = "en"
timezone = "Europe/Paris"
latest_count = 5
per_page = 12
feed_items = 30
description = "Mô tả"

[[categories]]
key = "tin-tuc"
name = "Tin tức"
description = "Tin trong xã"
"""
    cfg, found = parse(raw)
    assert found == []
    assert (cfg.language, cfg.timezone, cfg.latest_count, cfg.per_page, cfg.feed_items) == (
        "en", "Europe/Paris", 5, 12, 30)
    assert cfg.tz == ZoneInfo("Europe/Paris")
    assert cfg.categories[0].description == "Tin trong xã"


@pytest.mark.parametrize(("url", "expected", "path"), [
    ("https://mauson.example", "https://mauson.example/", "/"),
    ("https://mauson.example/", "https://mauson.example/", "/"),
    ("https://mauson.example/sub", "https://mauson.example/sub/", "/sub/"),
    ("http://localhost:8000/a/b/", "http://localhost:8000/a/b/", "/a/b/"),
    ("HTTPS://MauSon.Example/Tin/", "https://mauson.example/Tin/", "/Tin/"),  # scheme and host in any case
])
def test_base_url_gets_a_trailing_slash(url: str, expected: str, path: str) -> None:
    cfg, found = parse(MINIMAL.replace("https://mauson.example/", url))
    assert found == []
    assert cfg.base_url == expected
    assert cfg.base_path == path


def test_unknown_top_level_key_with_line_and_hint() -> None:
    raw = MINIMAL.replace('base_url', 'titel = "x"\nbase_url')
    cfg, found = parse(raw)
    assert cfg is None
    item = only(found)
    assert item.code == "config_unknown_key"
    assert item.line == 2
    assert item.params["key"] == "titel"
    assert item.params["hint"] == "title"
    assert item.severity == "error"


def test_unknown_key_without_anything_close_has_no_hint() -> None:
    _, found = parse('mau_nen = "do"\n' + MINIMAL)
    item = only(found)
    assert (item.code, item.line, item.params["key"], item.params["hint"]) == (
        "config_unknown_key", 1, "mau_nen", "")


def test_unknown_key_inside_second_category_reports_its_line() -> None:
    raw = TWO_CATEGORIES.replace('name = "Tin tức"', 'name = "Tin tức"\nnmae = "x"')
    _, found = parse(raw)
    item = only(found)
    assert item.code == "config_unknown_key"
    assert item.line == 12
    assert raw.splitlines()[item.line - 1].startswith("nmae")
    assert item.params["hint"] == "name"


def test_same_unknown_key_in_two_categories_reports_both_lines() -> None:
    raw = TWO_CATEGORIES.replace('name = "Cải cách hành chính"', 'name = "Cải cách hành chính"\nicon = "a"')
    raw = raw.replace('name = "Tin tức"', 'name = "Tin tức"\nicon = "b"')
    _, found = parse(raw)
    assert sorted((p.code, p.line) for p in found) == [("config_unknown_key", 8), ("config_unknown_key", 13)]


@pytest.mark.parametrize(("unknown", "name"), [
    ('[social]\nfacebook = "https://facebook.com/mauson"', "social"),   # a whole unknown table
    ('footer.text = "Bản quyền"', "footer"),                             # a dotted key
    ("'titel' = 'x'", "titel"),                                          # a quoted key
], ids=["table", "dotted-key", "quoted-key"])
def test_unknown_keys_in_other_toml_spellings_report_their_line(unknown: str, name: str) -> None:
    raw = 'title = "Cổng"\nbase_url = "https://mauson.example/"\n' + unknown + (
        '\n\n[[categories]]\nkey = "tin-tuc"\nname = "Tin tức"\n')
    _, found = parse(raw)
    item = only(found)
    assert (item.code, item.params["key"]) == ("config_unknown_key", name)
    assert item.line == 3, "PRODUCT.md: an unknown key is an error with the key's line"


@pytest.mark.parametrize(("line_text", "key", "expected"), [
    ('per_page = "20"', "per_page", "integer"),
    ("latest_count = 8.5", "latest_count", "integer"),
    ("feed_items = true", "feed_items", "integer"),
    ("title = 5", "title", "string"),
    ('language = ["vi"]', "language", "string"),
])
def test_wrong_type_reports_line(line_text: str, key: str, expected: str) -> None:
    lines = TWO_CATEGORIES.splitlines()
    where = next((i for i, text in enumerate(lines) if text.startswith(key + " =")), 2)
    lines[where] = line_text  # replaces the key's own line, or per_page on line 3
    raw = "\n".join(lines) + "\n"
    _, found = parse(raw)
    item = only(found)
    assert item.code == "config_bad_type"
    assert item.params["key"] == key
    assert item.params["expected"] == expected
    assert raw.splitlines()[item.line - 1].startswith(key)


def test_wrong_type_inside_second_category() -> None:
    raw = TWO_CATEGORIES.replace('key = "tin-tuc"', "key = 5")
    _, found = parse(raw)
    item = only(found)
    assert (item.code, item.line, item.params["key"]) == ("config_bad_type", 10, "key")


def test_categories_must_be_an_array_of_tables() -> None:
    raw = 'title = "Cổng"\nbase_url = "https://mauson.example/"\n\n[categories]\nkey = "a"\n'
    _, found = parse(raw)
    assert [(p.code, p.params["key"]) for p in found] == [("config_bad_type", "categories")]


@pytest.mark.parametrize("key", ["title", "base_url"])
def test_missing_required_key(key: str) -> None:
    raw = "\n".join(line for line in MINIMAL.splitlines() if not line.startswith(key + " "))
    cfg, found = parse(raw)
    assert cfg is None
    item = only(found)
    assert (item.code, item.params["key"]) == ("config_missing_key", key)
    assert item.line >= 1


def test_missing_categories() -> None:
    _, found = parse('title = "Cổng"\nbase_url = "https://mauson.example/"\n')
    assert [(p.code, p.params["key"]) for p in found] == [("config_missing_key", "categories")]


def test_empty_categories_list() -> None:
    _, found = parse('title = "Cổng"\nbase_url = "https://mauson.example/"\ncategories = []\n')
    item = only(found)
    assert (item.code, item.line) == ("config_no_categories", 3)


def test_missing_name_in_second_category_points_at_its_header() -> None:
    raw = TWO_CATEGORIES.replace('name = "Tin tức"\n', "")
    _, found = parse(raw)
    item = only(found)
    assert (item.code, item.params["key"], item.line) == ("config_missing_key", "name", 9)
    assert raw.splitlines()[item.line - 1] == "[[categories]]"


def test_every_problem_reported_at_once() -> None:
    raw = 'titel = "x"\nbase_url = "ftp://x"\nper_page = "5"\nlanguage = "fr"\n'
    _, found = parse(raw)
    codes = sorted(p.code for p in found)
    assert codes == sorted(["config_unknown_key", "config_missing_key", "config_missing_key",
                            "config_bad_base_url", "config_bad_type", "config_bad_choice"])


@pytest.mark.parametrize("lang", ["fr", "VI", "vietnamese", ""])
def test_bad_language(lang: str) -> None:
    raw = MINIMAL.replace("base_url", f'language = "{lang}"\nbase_url')
    _, found = parse(raw)
    item = only(found)
    assert (item.code, item.line, item.params["value"]) == ("config_bad_choice", 2, lang)
    assert "vi" in item.params["choices"] and "en" in item.params["choices"]


@pytest.mark.parametrize("zone", ["Asia/Hanoi_City", "Mars/Olympus", "", "../etc/passwd", "GMT+7 "])
def test_bad_timezone(zone: str) -> None:
    raw = MINIMAL.replace("base_url", f'timezone = "{zone}"\nbase_url')
    _, found = parse(raw)
    item = only(found)
    assert (item.code, item.line, item.params["value"]) == ("config_bad_timezone", 2, zone)


@pytest.mark.parametrize("url", ["mauson.example", "/sub/", "ftp://mauson.example/", "https://",
                                 "https://mau son.example/", ""])
def test_bad_base_url(url: str) -> None:
    _, found = parse(MINIMAL.replace("https://mauson.example/", url))
    item = only(found)
    assert (item.code, item.line, item.params["value"]) == ("config_bad_base_url", 2, url)


def test_empty_title() -> None:
    _, found = parse(MINIMAL.replace('"Cổng thông tin điện tử xã Tân Hoà"', '"   "'))
    item = only(found)
    assert (item.code, item.line, item.params["key"]) == ("config_empty", 1, "title")


@pytest.mark.parametrize("value", [0, -1, 1001])
def test_counts_out_of_range(value: int) -> None:
    _, found = parse(TWO_CATEGORIES.replace("per_page = 10", f"per_page = {value}"))
    item = only(found)
    assert (item.code, item.line, item.params["key"]) == ("config_out_of_range", 3, "per_page")


@pytest.mark.parametrize(("written", "held"), [("", 400), ('search_text = "all"', 0), ("search_text = 2000", 2000),
                                              ("search_text = 100", 100)])
def test_search_text(written: str, held: int) -> None:
    cfg, found = parse(written + "\n" + MINIMAL)
    assert not found and cfg is not None and cfg.search_text == held


@pytest.mark.parametrize("written", ['"tất cả"', "99", "true", "2.5", "1000001"])
def test_search_text_neither_all_nor_a_count(written: str) -> None:
    _, found = parse(MINIMAL.replace("[[categories]]", f"search_text = {written}\n\n[[categories]]"))
    item = only(found)
    assert (item.code, item.line, item.params["value"]) == ("config_bad_search_text", 4, written)
    message = i18n.format_problem(item, "vi")
    assert 'search_text' in message and '"all"' in message and "100..1000000" in message


def test_duplicate_category_key() -> None:
    raw = TWO_CATEGORIES.replace('key = "tin-tuc"', 'key = "cai-cach-hanh-chinh"')
    _, found = parse(raw)
    item = only(found)
    assert item.code == "config_duplicate_category"
    assert item.line == 10
    assert item.params["value"] == "cai-cach-hanh-chinh"
    assert item.params["first"] == "6"


@pytest.mark.parametrize(("key", "suggestion"), [("Tin Tức", "tin-tuc"), ("tin_tuc", "tin-tuc"),
                                                 ("-tin-", "tin")])
def test_category_key_must_be_a_slug(key: str, suggestion: str) -> None:
    _, found = parse(TWO_CATEGORIES.replace('key = "tin-tuc"', f'key = "{key}"'))
    item = only(found)
    assert (item.code, item.line, item.params["suggestion"]) == ("config_bad_category_key", 10, suggestion)


@pytest.mark.parametrize("key", ["tag", "archive", "assets", "page"])
def test_reserved_category_key(key: str) -> None:
    _, found = parse(TWO_CATEGORIES.replace('key = "tin-tuc"', f'key = "{key}"'))
    assert [(p.code, p.line) for p in found] == [("config_reserved_key", 10)]


def test_load_config_reads_site_toml(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_text(MINIMAL, encoding="utf-8")
    cfg, found = config.load_config(tmp_path)
    assert found == [] and cfg is not None and cfg.title.startswith("Cổng")


def test_load_config_missing_file(tmp_path: Path) -> None:
    cfg, found = config.load_config(tmp_path)
    assert cfg is None
    item = only(found)
    assert (item.code, item.path) == ("config_missing", "site.toml")


def test_load_config_toml_syntax_error_has_the_line(tmp_path: Path) -> None:
    raw = MINIMAL.replace('name = "Cải cách hành chính"', 'name = "Cải cách hành chính')
    (tmp_path / "site.toml").write_text(raw, encoding="utf-8")
    cfg, found = config.load_config(tmp_path)
    assert cfg is None
    item = only(found)
    assert (item.code, item.line, item.path) == ("bad_toml", 6, "site.toml")
    assert item.params["reason"]
    # The parser's own words are English: the message first says, in the site's language, what to check.
    said = i18n.format_problem(item, "vi")
    assert said.startswith("site.toml:6: lỗi: tệp TOML viết sai cú pháp; kiểm tra"), said
    assert "(chi tiết từ bộ đọc TOML: " in said


def test_load_config_syntax_error_on_first_line(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_text('title = = "x"\n', encoding="utf-8")
    _, found = config.load_config(tmp_path)
    assert [(p.code, p.line) for p in found] == [("bad_toml", 1)]


def test_load_config_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_bytes(b'title = "C\xf4ng"\n')  # Latin-1, not UTF-8
    cfg, found = config.load_config(tmp_path)
    assert cfg is None
    assert [p.code for p in found] == ["not_utf8"]  # in words, as for posts


@pytest.mark.parametrize(("raw", "lang"), [('language = "en"\n', "en"), ('language="vi"', "vi"),
                                           ("title = 1", "vi"), ('# language = "en"', "vi")])
def test_guess_language(raw: str, lang: str) -> None:
    assert config.guess_language(raw) == lang
