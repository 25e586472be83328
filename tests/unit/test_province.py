"""sitegen.province: the members a province lists, checked, and what tells their builds to run again."""

from __future__ import annotations

from pathlib import Path

from sitegen import config, province
from tests.conftest import MINIMAL_TOML

MEMBERS = """
[[members]]
key = "tan-hoa"
path = "xa/tan-hoa"

[[members]]
key = "Đông Sơn"
path = "xa/dong-son"

[[members]]
key = "tan-hoa"
path = "xa/tan-hoa-2"

[[members]]
key = "ngoai"
path = "../ngoai"

[[members]]
key = "thieu"
path = "xa/thieu"
"""


def test_members_are_checked_each_on_its_own_line(make_site) -> None:
    site = make_site({"xa/tan-hoa/site.toml": MINIMAL_TOML}, toml=MINIMAL_TOML + MEMBERS)
    assert province.has_members(site)
    cfg = config.load_config(site)[0]
    members, found = province.load_members(site, cfg)
    assert [(m.key, m.rel) for m in members] == [("tan-hoa", "xa/tan-hoa")]
    assert [p.code for p in found] == ["member_bad_key", "member_duplicate_key", "member_outside", "member_missing"]
    assert dict(found[0].args)["suggestion"] == "dong-son"
    assert found[1].line > found[0].line


def test_a_site_without_members_or_with_a_broken_config_is_no_province(make_site) -> None:
    assert not province.has_members(make_site())
    assert not province.has_members(make_site(toml="title = [khong dong"))


def test_a_members_problem_is_named_from_the_provinces_folder(make_site) -> None:
    site = make_site({"xa/tan-hoa/site.toml": MINIMAL_TOML}, toml=MINIMAL_TOML + MEMBERS)
    member = province.load_members(site, config.load_config(site)[0])[0][0]
    item = province.in_member(member, province.problem("content/a.md", 3, "missing_file"))
    assert item.path == "xa/tan-hoa/content/a.md" and item.line == 3


def test_the_theme_stamp_moves_with_a_template_of_the_province(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    before = province.theme_stamp(tmp_path)
    assert province.theme_stamp(tmp_path) == before
    (tmp_path / "templates" / "article.html").write_text("{{ post.title }}", encoding="utf-8")
    assert province.theme_stamp(tmp_path) != before
