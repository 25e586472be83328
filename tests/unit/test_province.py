"""sitegen.province: the members a province lists, checked, and what tells their builds to run again."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sitegen import config, province
from sitegen.model import Maintenance
from sitegen.problems import problem
from sitegen.province import members, news, stamps
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


def test_a_member_inside_another_members_folder_is_refused_either_way(make_site) -> None:
    """One commune put in another's content/ was built as the other's posts (its pages failing for want of a
    date); now its line says that each member needs its own folder, whichever of the two comes first."""
    files = {"xa/tan-hoa/site.toml": MINIMAL_TOML, "xa/tan-hoa/content/moi/site.toml": MINIMAL_TOML,
             "xa/an-phu/site.toml": MINIMAL_TOML}
    listed = ("", 'key = "tan-hoa"\npath = "xa/tan-hoa"', 'key = "moi"\npath = "xa/tan-hoa/content/moi"',
              'key = "an-phu"\npath = "xa/an-phu/"', 'key = "an-phu-2"\npath = "xa/an-phu"')
    for order in (listed, (listed[0], listed[2], listed[1], listed[3], listed[4])):
        site = make_site(files, toml=MINIMAL_TOML + "\n[[members]]\n".join(order))
        found = province.load_members(site, config.load_config(site)[0])[1]
        assert [(p.code, dict(p.args)["value"]) for p in found] == [
            ("member_duplicate_path", order[2].split('"')[-2]), ("member_duplicate_path", "xa/an-phu")], order
        lines = (site / "site.toml").read_text(encoding="utf-8").splitlines()
        first = order[1].split('"')[-2]
        assert [dict(p.args)["first"] for p in found] == [
            str(lines.index(f'path = "{first}"') + 1), str(lines.index('path = "xa/an-phu/"') + 1)]


def test_a_site_without_members_or_with_a_broken_config_is_no_province(make_site) -> None:
    assert not province.has_members(make_site())
    assert not province.has_members(make_site(toml="title = [khong dong"))


def test_a_members_problem_is_named_from_the_provinces_folder(make_site) -> None:
    site = make_site({"xa/tan-hoa/site.toml": MINIMAL_TOML}, toml=MINIMAL_TOML + MEMBERS)
    member = province.load_members(site, config.load_config(site)[0])[0][0]
    item = members.in_member(member, problem("content/a.md", 3, "missing_file"))
    assert item.path == "xa/tan-hoa/content/a.md" and item.line == 3


def test_the_theme_stamp_moves_with_a_template_of_the_province(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    before = stamps.theme(tmp_path)
    assert stamps.theme(tmp_path) == before
    (tmp_path / "templates" / "article.html").write_text("{{ post.title }}", encoding="utf-8")
    assert stamps.theme(tmp_path) != before


TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 9, 21, 21, 13, tzinfo=TZ)


def test_a_stamp_ends_at_the_next_day_a_due_post_or_a_notice(make_site) -> None:
    cfg = config.load_config(make_site())[0]
    assert stamps.next_change(cfg, NOW, None) == datetime(2026, 9, 22, tzinfo=TZ)
    assert stamps.next_change(cfg, NOW, NOW + timedelta(minutes=47)) == NOW + timedelta(minutes=47)
    notice = Maintenance(NOW + timedelta(days=3), NOW + timedelta(days=4), NOW + timedelta(minutes=5), "")
    assert stamps.next_change(replace(cfg, maintenance=notice), NOW, None) == (
        NOW + timedelta(minutes=5))


def test_a_stamp_holds_only_for_the_same_inputs_output_and_time(tmp_path: Path) -> None:
    out = tmp_path / "public"
    out.mkdir()
    stamp = {"inputs": "abc", "until": (NOW + timedelta(hours=1)).isoformat(), "output": stamps.output_state(out)}
    assert stamps.holds(stamp, "abc", out, NOW)
    assert not stamps.holds(stamp, "abd", out, NOW)
    assert not stamps.holds(stamp, "abc", out, NOW + timedelta(hours=1))
    (out / "index.html").write_text("x", encoding="utf-8")  # another build wrote into the folder
    assert not stamps.holds(stamp, "abc", out, NOW)


def test_site_files_leave_out_hidden_names_and_members(tmp_path: Path) -> None:
    for rel in ("site.toml", "content/a.md", "content/.nhap.md", "data/x.toml", "data/xa/b/site.toml", "public/i"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    found = stamps.files(tmp_path, skip=frozenset({str(tmp_path / "data/xa")}))
    assert sorted(found) == ["content/a.md", "data/x.toml", "site.toml"]


def record(title: str, when: datetime, draft: bool = False) -> list:
    return [title, f"https://x.example/{title}/", when.isoformat(), True, None, title, "", "", draft, when.timestamp()]


def test_newest_news_of_all_members_leaves_out_drafts_and_future_posts() -> None:
    a = [record("a1", NOW - timedelta(days=1)), record("a2", NOW + timedelta(days=1)),
         record("a3", NOW - timedelta(days=3), draft=True)]
    b = [record("b1", NOW - timedelta(hours=1)), record("b2", NOW - timedelta(days=2))]
    shown = news.newest([("a", "Xã A", a), ("b", "Xã B", b)], NOW, drafts=False, future=False, limit=2)
    assert [(n.title, n.member_name) for n in shown] == [("b1", "Xã B"), ("a1", "Xã A")]
    assert news.due(a, NOW, drafts=False, future=False) == NOW + timedelta(days=1)
    assert news.due(a, NOW, drafts=False, future=True) is None


def test_members_are_listed_by_the_name_after_their_unit_numbers_by_value() -> None:
    from sitegen.province.members import MemberInfo
    from sitegen.province.pages import name_order

    titles = ["Cổng thông tin điện tử xã Yên Bình", "Trang thông tin điện tử phường 10",
              "Trang thông tin điện tử phường 2", "Trang thông tin điện tử xã Tân Hòa 4",
              "Trang thông tin điện tử xã Tân Hòa", "Trang thông tin điện tử đặc khu Cô Tô",
              "Trang thông tin điện tử phường Đông Hải", "Bắc Sơn"]  # the last names no unit: all of it
    listed = sorted((MemberInfo(key=str(n), title=title, url="") for n, title in enumerate(titles)), key=name_order)
    assert [m.title.rsplit(" ", 2)[-2:] for m in listed] == [
        ["phường", "2"], ["phường", "10"], ["Bắc", "Sơn"], ["Cô", "Tô"], ["Đông", "Hải"],
        ["Tân", "Hòa"], ["Hòa", "4"], ["Yên", "Bình"]]
