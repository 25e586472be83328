"""sitegen.data: data/*.toml|csv|json for the side widgets, keyed by file stem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitegen import data

HO_SO_TOML = """\
title = "Tình hình giải quyết hồ sơ"
[[thang]]
ten = "Tháng 1"
tiep_nhan = 120
dung_han = 115
tre_han = 5
"""

VAN_BAN_CSV = """\
so_hieu,ngay,trich_yeu
12/QĐ-UBND,03/10/2022,"Về việc ban hành kế hoạch, cải cách"
15/TB-UBND, 05/10/2022 ,Thông báo lịch tiếp dân
"""


def site_with(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    folder = tmp_path / "data"
    folder.mkdir(parents=True)
    for name, value in files.items():
        path = folder / name
        if isinstance(value, bytes):
            path.write_bytes(value)
        else:
            path.write_text(value, encoding="utf-8")
    return tmp_path


def test_toml_csv_json_by_stem(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"ho_so.toml": HO_SO_TOML, "van_ban.csv": VAN_BAN_CSV,
                                "lien_ket.json": json.dumps([{"ten": "Chính phủ", "url": "https://chinhphu.vn"}])})
    values, found = data.load_data(site)
    assert found == []
    assert set(values) == {"ho_so", "van_ban", "lien_ket"}
    assert values["ho_so"]["thang"][0] == {"ten": "Tháng 1", "tiep_nhan": 120, "dung_han": 115, "tre_han": 5}
    assert values["van_ban"] == [
        {"so_hieu": "12/QĐ-UBND", "ngay": "03/10/2022", "trich_yeu": "Về việc ban hành kế hoạch, cải cách"},
        {"so_hieu": "15/TB-UBND", "ngay": "05/10/2022", "trich_yeu": "Thông báo lịch tiếp dân"},
    ]
    assert values["lien_ket"][0]["ten"] == "Chính phủ"


def test_no_data_folder(tmp_path: Path) -> None:
    assert data.load_data(tmp_path) == ({}, [])


def test_other_files_and_hidden_files_ignored(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"ghi-chu.txt": "x", ".an.json": "{", "README.md": "# x", "a.json": "[]"})
    assert data.load_data(site) == ({"a": []}, [])


def test_uppercase_suffix_read(tmp_path: Path) -> None:
    values, found = data.load_data(site_with(tmp_path, {"A.JSON": '{"x": 1}'}))
    assert found == [] and values == {"A": {"x": 1}}


def test_utf8_bom_accepted(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"van_ban.csv": "\ufeff" + VAN_BAN_CSV, "a.json": "\ufeff[1]"})
    values, found = data.load_data(site)
    assert found == []
    assert list(values["van_ban"][0]) == ["so_hieu", "ngay", "trich_yeu"]
    assert values["a"] == [1]


@pytest.mark.parametrize(("name", "text", "line"), [
    ("a.json", '{\n  "ten": "x",\n  "so": 1,\n}\n', 4),
    ("a.json", '[1, 2\n', 2),
    ("a.json", '{"a": 1}\n{"b": 2}\n', 2),
    ("a.toml", 'a = 1\nb = = 2\n', 2),
    ("a.toml", 'a = 1\n\n[x\n', 3),
    ("a.toml", 'a = 1\na = 2\n', 2),
])
def test_bad_json_or_toml_reports_a_line(name: str, text: str, line: int, tmp_path: Path) -> None:
    values, found = data.load_data(site_with(tmp_path, {name: text}))
    assert values == {}
    assert [(p.path, p.code, p.line) for p in found] == [(f"data/{name}", "data_bad", line)]
    assert found[0].params["reason"]


@pytest.mark.parametrize(("text", "line"), [
    ("a,b,c\n1,2,3\n4,5\n", 3),
    ("a,b,c\n1,2,3\n4,5,6\n7,8,9,10\n", 4),
    ('a,b\n"x, y",1\n1,2,3\n', 3),
])
def test_csv_wrong_column_count(text: str, line: int, tmp_path: Path) -> None:
    values, found = data.load_data(site_with(tmp_path, {"bang.csv": text}))
    assert values == {}
    assert [(p.path, p.code, p.line) for p in found] == [("data/bang.csv", "data_csv_columns", line)]


def test_csv_broken_quotes_is_a_problem(tmp_path: Path) -> None:
    values, found = data.load_data(site_with(tmp_path, {"bang.csv": 'a,b\n"x,1\n'}))
    assert values == {}
    assert [p.code for p in found] in (["data_bad"], ["data_csv_columns"])


def test_csv_header_only_is_empty_list(tmp_path: Path) -> None:
    values, found = data.load_data(site_with(tmp_path, {"bang.csv": "a,b\n"}))
    assert found == [] and values == {"bang": []}


def test_one_bad_file_does_not_hide_the_others(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"a.json": "{", "b.toml": "x = 1", "c.csv": "a\n1\n", "d.toml": "= 2"})
    values, found = data.load_data(site)
    assert values == {"b": {"x": 1}, "c": [{"a": 1}]}  # whole numbers in CSV are numbers
    assert sorted(p.path for p in found) == ["data/a.json", "data/d.toml"]


def test_same_stem_twice_is_a_problem(tmp_path: Path) -> None:
    values, found = data.load_data(site_with(tmp_path, {"ho_so.json": "[]", "ho_so.toml": "a = 1"}))
    assert [(p.code, p.params["name"]) for p in found] == [("data_duplicate", "ho_so")]
    assert "ho_so" in values


def test_not_utf8(tmp_path: Path) -> None:
    values, found = data.load_data(site_with(tmp_path, {"a.csv": b"ten\nC\xf4ng\n"}))
    assert values == {}
    assert [(p.path, p.code) for p in found] == [("data/a.csv", "not_utf8")]


def test_symlink_outside_data_folder(tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('{"mat_khau": "x"}')
    site = site_with(tmp_path / "site", {})
    (site / "data" / "leak.json").symlink_to(secret)
    values, found = data.load_data(site)
    assert values == {}
    assert [(p.path, p.code) for p in found] == [("data/leak.json", "path_outside")]
