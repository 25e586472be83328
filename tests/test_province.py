"""A province and its communes end to end: three sites built as one, news flowing up, all or nothing."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import feedparser
import pytest

from sitegen import loader, spare
from sitegen.province import Outcome, Settings
from sitegen.province import build as build_group
from tests.conftest import BUILD_EPOCH, cli_run

ROOT = Path(__file__).resolve().parent.parent

PROVINCE_TOML = """\
title = "Cổng thông tin điện tử tỉnh Thử Nghiệm"
base_url = "https://thunghiem.gov.example/"
author = "Văn phòng UBND tỉnh"

[[categories]]
key = "tin-tuc"
name = "Tin tức"

[[members]]
key = "xa-an-phu"
path = "xa/an-phu"

[[members]]
key = "phuong-dong-hai"
path = "xa/dong-hai"
"""

MEMBER_TOML = """\
title = "Trang thông tin điện tử {name}"
base_url = "https://{host}.thunghiem.gov.example/"
address = "{address}"
{phone}
[[categories]]
key = "tin-tuc"
name = "Tin tức"

[[categories]]
key = "thong-bao"
name = "Thông báo"
"""


def post(title: str, date: str, category: str = "Tin tức", extra: str = "", body: str = "") -> str:
    return (f"---\ntitle: {title}\ndate: {date}\ncategory: {category}\n{extra}---\n"
            f"{body or 'Nội dung bài viết, đoạn thứ nhất.'}\n")


def write(site: Path, rel: str, text: str) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def province(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A province with two posts and two members (xã An Phú with two posts, phường Đông Hải with one)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    site = tmp_path / "tinh"
    write(site, "site.toml", PROVINCE_TOML)
    write(site, "content/tin-tuc/2026/hoi-nghi-tinh.md", post("Hội nghị tỉnh tổng kết quý III", "2026-09-10 08:00"))
    write(site, "content/tin-tuc/2026/tiep-dan.md", post("Lãnh đạo tỉnh tiếp công dân", "2026-09-12"))
    write(site, "xa/an-phu/site.toml", MEMBER_TOML.format(
        name="xã An Phú", host="anphu", address="Thôn Một, xã An Phú", phone='phone = "0205 3 111 222"'))
    write(site, "xa/an-phu/content/tin-tuc/2026/lam-duong.md",
          post("An Phú làm đường liên thôn", "2026-09-15 07:30", extra="summary: Người dân góp công làm 2 km đường.\n"))
    write(site, "xa/an-phu/content/thong-bao/2026/lich-tiep-dan.md",
          post("Lịch tiếp công dân tháng 10", "2026-09-18", "Thông báo", "id: an-phu-tiep-dan-10\n"))
    write(site, "xa/dong-hai/site.toml", MEMBER_TOML.format(
        name="phường Đông Hải", host="donghai", address="Số 5 đường Biển, phường Đông Hải", phone=""))
    write(site, "xa/dong-hai/content/tin-tuc/2026/tu-sach.md", post("Đông Hải ra mắt tủ sách khu phố", "2026-09-16"))
    return site


def build(site: Path, *args: str) -> tuple[int, str, str]:
    return cli_run("build", "--site", str(site), *args)


def outputs(site: Path) -> dict[str, Path]:
    return {"": site / "public", "xa-an-phu": site / "xa/an-phu/public", "phuong-dong-hai": site / "xa/dong-hai/public"}


def state_of(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of an output with its bytes and mtime (what 'unchanged' means to a web server)."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file() and p.parent.name != spare.FOLDER}


def all_states(site: Path) -> dict[str, dict[str, tuple[bytes, int]]]:
    return {key: state_of(out) for key, out in outputs(site).items()}


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --- Outputs, links both ways, feeds ------------------------------------------------------------------------

def test_one_command_builds_the_province_and_every_member(province: Path) -> None:
    code, out, err = build(province)
    assert code == 0, err
    public, an_phu, dong_hai = outputs(province).values()
    assert (public / "tin-tuc/2026/hoi-nghi-tinh-tong-ket-quy-iii/index.html").is_file()
    assert (an_phu / "tin-tuc/2026/an-phu-lam-duong-lien-thon/index.html").is_file()
    assert (dong_hai / "tin-tuc/2026/dong-hai-ra-mat-tu-sach-khu-pho/index.html").is_file()
    # the members' own pages never land in the province's output, nor the other way round
    assert not (public / "tin-tuc/2026/an-phu-lam-duong-lien-thon").exists()
    assert not (an_phu / "tin-tuc/2026/hoi-nghi-tinh-tong-ket-quy-iii").exists()


def test_home_page_shows_member_news_linking_to_the_members_sites(province: Path) -> None:
    assert build(province)[0] == 0
    home = read(province / "public/index.html")
    block = home[home.index('class="home-block member-news"'):]
    block = block[: block.index("</section>")]
    links = re.findall(r'<a href="(https://[^"]+)">([^<]+)</a>', block)
    assert links == [
        ("https://anphu.thunghiem.gov.example/thong-bao/2026/lich-tiep-cong-dan-thang-10/",
         "Lịch tiếp công dân tháng 10"),
        ("https://donghai.thunghiem.gov.example/tin-tuc/2026/dong-hai-ra-mat-tu-sach-khu-pho/",
         "Đông Hải ra mắt tủ sách khu phố"),
        ("https://anphu.thunghiem.gov.example/tin-tuc/2026/an-phu-lam-duong-lien-thon/", "An Phú làm đường liên thôn"),
    ]
    assert "Trang thông tin điện tử xã An Phú" in block and 'datetime="2026-09-15T07:30:00+07:00"' in block
    assert 'href="/tin-tu-co-so/"' in block
    # every linked page exists in the member's output
    for url, _ in links:
        host = "xa/an-phu" if "anphu" in url else "xa/dong-hai"
        path = url.split(".example/", 1)[1]
        assert (province / host / "public" / path / "index.html").is_file()


def test_member_news_stays_out_of_the_sidebar_and_the_provinces_articles(province: Path) -> None:
    assert build(province)[0] == 0
    article = read(province / "public/tin-tuc/2026/hoi-nghi-tinh-tong-ket-quy-iii/index.html")
    assert "anphu.thunghiem" not in article and "An Phú làm đường" not in article


def test_member_header_links_back_to_the_province(province: Path) -> None:
    assert build(province)[0] == 0
    for key in ("xa-an-phu", "phuong-dong-hai"):
        for page in ("index.html", "tin-tuc/index.html", "404.html"):
            html = read(outputs(province)[key] / page)
            assert '<a class="portal-link" href="https://thunghiem.gov.example/">' \
                   "Cổng thông tin điện tử tỉnh Thử Nghiệm</a>" in html, (key, page)
    assert "portal-link" not in read(province / "public/index.html")


def test_member_pages_keep_their_own_addresses(province: Path) -> None:
    assert build(province)[0] == 0
    article = read(province / "xa/an-phu/public/tin-tuc/2026/an-phu-lam-duong-lien-thon/index.html")
    canonical = "https://anphu.thunghiem.gov.example/tin-tuc/2026/an-phu-lam-duong-lien-thon/"
    assert f'<link rel="canonical" href="{canonical}">' in article
    assert "Trang thông tin điện tử xã An Phú" in article


def test_members_page_lists_every_member_with_address_and_phone(province: Path) -> None:
    assert build(province)[0] == 0
    page = read(province / "public/xa-phuong/index.html")
    assert re.findall(r'<h2 class="member-title"><a href="([^"]+)">([^<]+)</a>', page) == [  # by name
        ("https://anphu.thunghiem.gov.example/", "Trang thông tin điện tử xã An Phú"),
        ("https://donghai.thunghiem.gov.example/", "Trang thông tin điện tử phường Đông Hải")]  # An, then Đông
    assert '<p class="member-count">2 xã, phường, theo thứ tự tên.</p>' in page
    assert "Thôn Một, xã An Phú" in page and 'href="tel:02053111222"' in page
    assert "Số 5 đường Biển, phường Đông Hải" in page
    assert page.count("tel:") == 1  # Đông Hải gives no phone
    assert '<a href="/xa-phuong/">' in read(province / "public/index.html")  # found from the home page
    sitemap = read(province / "public/sitemap.xml")
    assert "<loc>https://thunghiem.gov.example/xa-phuong/</loc>" in sitemap
    assert "<loc>https://thunghiem.gov.example/tin-tu-co-so/</loc>" in sitemap


def test_member_news_listing_is_paginated(province: Path) -> None:
    toml = province / "site.toml"
    toml.write_text(read(toml).replace('author = ', 'per_page = 2\nauthor = '), encoding="utf-8")
    assert build(province)[0] == 0
    first = read(province / "public/tin-tu-co-so/index.html")
    second = read(province / "public/tin-tu-co-so/page/2/index.html")
    assert first.count('class="member-news-item"') == 2 and second.count('class="member-news-item"') == 1
    assert '<link rel="next" href="/tin-tu-co-so/page/2/">' in first
    assert 'href="/tin-tu-co-so/feed.xml"' in first and 'href="/tin-tu-co-so/atom.xml"' in first
    for name in ("feed.xml", "atom.xml"):  # followed from the page, not only from its <head>
        assert f'<a class="rss-link" href="/tin-tu-co-so/{name}">' in first and f'/tin-tu-co-so/{name}">' in second


@pytest.mark.parametrize("name", ["feed.xml", "atom.xml"])
def test_member_news_feeds_carry_the_members_own_ids(province: Path, name: str) -> None:
    assert build(province)[0] == 0
    news = feedparser.parse(province / "public/tin-tu-co-so" / name)
    assert not news.bozo, news.get("bozo_exception")
    assert [e.link for e in news.entries] == [
        "https://anphu.thunghiem.gov.example/thong-bao/2026/lich-tiep-cong-dan-thang-10/",
        "https://donghai.thunghiem.gov.example/tin-tuc/2026/dong-hai-ra-mat-tu-sach-khu-pho/",
        "https://anphu.thunghiem.gov.example/tin-tuc/2026/an-phu-lam-duong-lien-thon/"]
    own = {}
    for member in ("xa/an-phu", "xa/dong-hai"):
        for entry in feedparser.parse(province / member / "public" / name).entries:
            own[entry.link] = entry.id
    assert [e.id for e in news.entries] == [own[e.link] for e in news.entries]
    assert news.entries[0].id == "tag:anphu.thunghiem.gov.example,2000:an-phu-tiep-dan-10"
    assert news.entries[2].summary == "Người dân góp công làm 2 km đường."
    assert news.entries[1].author == "Trang thông tin điện tử phường Đông Hải"
    assert news.entries[0].published_parsed[:3] == (2026, 9, 17)  # 2026-09-18 00:00 +07:00 in UTC


@pytest.mark.parametrize("name", ["feed.xml", "atom.xml"])
def test_member_news_without_a_summary_gives_the_first_paragraph_as_the_members_own_feed(
        province: Path, name: str) -> None:
    code_then_text = ("## Tiến độ\n\n![Ảnh công trường](/images/khong-co.jpg)\n\n```\ndòng mã\n\ncòn mã\n```\n\n"
                      + "Đoạn dài về tiến độ. " * 150 + "\n\nĐoạn thứ hai.")
    write(province, "xa/dong-hai/content/tin-tuc/2026/tien-do.md",
          post("Tiến độ nhà văn hóa", "2026-09-17", body=code_then_text))
    assert build(province)[0] == 0
    news = {e.link: e for e in feedparser.parse(province / "public/tin-tu-co-so" / name).entries}
    own = {e.link: e for member in ("xa/an-phu", "xa/dong-hai")
           for e in feedparser.parse(province / member / "public" / name).entries}
    for link in ("https://donghai.thunghiem.gov.example/tin-tuc/2026/dong-hai-ra-mat-tu-sach-khu-pho/",
                 "https://donghai.thunghiem.gov.example/tin-tuc/2026/tien-do-nha-van-hoa/"):
        assert news[link].summary == own[link].summary and news[link].summary != news[link].title
    assert news["https://donghai.thunghiem.gov.example/tin-tuc/2026/tien-do-nha-van-hoa/"].summary.startswith(
        "dòng mã") is False
    rel = province / "xa/dong-hai/content/tin-tuc/2026/tu-sach.md"  # its first paragraph edited: the news follow
    rel.write_text(read(rel).replace("đoạn thứ nhất", "đoạn mở đầu mới"), encoding="utf-8")
    assert build(province)[0] == 0
    news = {e.link: e for e in feedparser.parse(province / "public/tin-tu-co-so" / name).entries}
    assert news["https://donghai.thunghiem.gov.example/tin-tuc/2026/dong-hai-ra-mat-tu-sach-khu-pho/"].summary == (
        "Nội dung bài viết, đoạn mở đầu mới.")


@pytest.mark.parametrize("name", ["feed.xml", "atom.xml"])
def test_member_news_feeds_escape_a_summary_once(province: Path, name: str) -> None:
    write(province, "xa/an-phu/content/tin-tuc/2026/lam-duong.md", post(
        "Đường & cầu", "2026-09-15 07:30", extra="summary: Tiếp công dân & giải quyết <đơn thư>.\n"))
    assert build(province)[0] == 0
    news = feedparser.parse(province / "public/tin-tu-co-so" / name)
    assert not news.bozo, news.get("bozo_exception")
    entry = next(e for e in news.entries if e.link.endswith("/duong-cau/"))
    assert entry.title == "Đường & cầu"
    as_html = entry.summary_detail.type == "text/html"  # RSS: HTML, shown as its text
    assert (html.unescape(entry.summary) if as_html else entry.summary) == "Tiếp công dân & giải quyết <đơn thư>."
    assert "&amp;" not in "".join(part.value for part in entry.get("content", []))


def test_a_member_draft_or_future_post_is_not_news(province: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(province, "xa/an-phu/content/tin-tuc/2026/nhap.md",
          post("Bản nháp chưa đăng", "2026-09-19", extra="draft: true\n"))
    write(province, "xa/an-phu/content/tin-tuc/2026/sau.md", post("Bài hẹn giờ đăng", "2027-01-05"))
    assert build(province)[0] == 0
    listing = read(province / "public/tin-tu-co-so/index.html")
    assert "Bản nháp chưa đăng" not in listing and "Bài hẹn giờ đăng" not in listing
    # once the build time passes the scheduled date, both the member and the province show it
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1799000000")  # 2027-01-04: still before
    assert build(province)[0] == 0
    assert "Bài hẹn giờ đăng" not in read(province / "public/tin-tu-co-so/index.html")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1799200000")  # 2027-01-06
    assert build(province)[0] == 0
    assert "Bài hẹn giờ đăng" in read(province / "public/tin-tu-co-so/index.html")
    assert (province / "xa/an-phu/public/tin-tuc/2027/bai-hen-gio-dang/index.html").is_file()


# --- Theme chain ---------------------------------------------------------------------------------------------

def test_theme_chain_member_then_province_then_default(province: Path) -> None:
    write(province, "templates/partials/footer.html", '<footer class="site-footer">Chân trang của tỉnh</footer>\n')
    write(province, "assets/css/site.css", "body { color: #123; }\n")
    write(province, "xa/dong-hai/templates/partials/footer.html",
          '<footer class="site-footer">Chân trang riêng của phường</footer>\n')
    assert build(province)[0] == 0
    assert "Chân trang của tỉnh" in read(province / "public/index.html")
    assert "Chân trang của tỉnh" in read(province / "xa/an-phu/public/index.html")
    assert "Chân trang riêng của phường" in read(province / "xa/dong-hai/public/index.html")
    assert read(province / "xa/an-phu/public/assets/css/site.css") == "body { color: #123; }\n"
    assert (province / "xa/an-phu/public/assets/js/site.js").read_bytes() == (ROOT / "assets/js/site.js").read_bytes()


# --- Incremental across sites ------------------------------------------------------------------------------

def test_a_member_build_killed_midway_fails_the_group_and_leaves_every_output(
        province: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker process building phường Đông Hải is killed (as when memory runs out): the province's run
    says so and exits 1, and no output of the group changes, the other member's prepared one included."""
    from sitegen.province import group

    assert build(province)[0] == 0
    before = all_states(province)
    write(province, "site.toml", read(province / "site.toml").replace("tỉnh Thử Nghiệm", "tỉnh Đổi Tên"))
    parent, real = os.getpid(), group.member_task

    def killed_in_a_worker(job: object, task: group._Task) -> group.Outcome:
        if os.getpid() != parent and task.member.key == "phuong-dong-hai":
            time.sleep(2)  # xã An Phú's build, in the other worker, has prepared its write by now
            os.kill(os.getpid(), signal.SIGKILL)
        return real(job, task)

    monkeypatch.setattr(group, "member_task", killed_in_a_worker)
    code, out, err = build(province, "--jobs", "2")
    monkeypatch.setattr(group, "member_task", real)
    assert code == 1 and "Traceback" not in out + err
    assert "tiến trình dựng trang bị dừng giữa chừng" in err
    assert all_states(province) == before
    assert build(province, "--jobs", "2")[0] == 0


def test_a_worker_killed_in_the_provinces_own_build_undoes_the_members_writes(
        province: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The members are built and their writes prepared; then a worker of the province's own build is killed:
    the members' prepared writes are undone with the province's, and every output stays as it was."""
    from sitegen import workers
    from sitegen.incremental import compiling

    assert build(province)[0] == 0
    before = all_states(province)
    write(province, "site.toml", read(province / "site.toml").replace("tỉnh Thử Nghiệm", "tỉnh Đổi Tên"))
    for key in ("an-phu", "dong-hai"):  # every member has something new to write
        write(province, f"xa/{key}/content/tin-tuc/2026/moi.md", post("Tin mới của xã", "2026-09-20"))
    parent, real = os.getpid(), compiling.compile_post

    def killed_in_a_worker(site: Path, *args: object) -> object:
        if os.getpid() != parent and Path(site) == province:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(site, *args)

    monkeypatch.setattr(workers, "THRESHOLD", 1)  # the province's two posts compiled in worker processes
    monkeypatch.setattr(compiling, "compile_post", killed_in_a_worker)
    code, out, err = build(province, "--jobs", "2", "--no-cache")
    monkeypatch.setattr(compiling, "compile_post", real)
    assert code == 1 and "Traceback" not in out + err
    assert "tiến trình dựng trang bị dừng giữa chừng" in err
    assert all_states(province) == before


def changed(before: dict[str, tuple[bytes, int]], after: dict[str, tuple[bytes, int]]) -> set[str]:
    return {rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)}


def test_editing_a_member_post_rebuilds_that_member_and_the_news_pages_only(province: Path) -> None:
    assert build(province)[0] == 0
    before = all_states(province)
    rel = "xa/an-phu/content/tin-tuc/2026/lam-duong.md"
    write(province, rel, read(province / rel).replace("An Phú làm đường", "An Phú hoàn thành đường"))
    assert build(province)[0] == 0
    after = all_states(province)
    assert changed(before["phuong-dong-hai"], after["phuong-dong-hai"]) == set()
    assert changed(before[""], after[""]) == {
        "index.html", "tin-tu-co-so/index.html", "tin-tu-co-so/feed.xml", "tin-tu-co-so/atom.xml"}
    member = changed(before["xa-an-phu"], after["xa-an-phu"])
    assert "tin-tuc/2026/an-phu-hoan-thanh-duong-lien-thon/index.html" in member
    assert "tin-tuc/2026/an-phu-lam-duong-lien-thon/index.html" in member  # removed


def test_a_body_edit_in_a_member_leaves_the_province_untouched(province: Path) -> None:
    assert build(province)[0] == 0
    before = all_states(province)
    with (province / "xa/dong-hai/content/tin-tuc/2026/tu-sach.md").open("a", encoding="utf-8") as handle:
        handle.write("\nThêm một đoạn mới.\n")
    assert build(province)[0] == 0
    after = all_states(province)
    assert changed(before[""], after[""]) == set()
    assert changed(before["xa-an-phu"], after["xa-an-phu"]) == set()
    assert "tin-tuc/2026/dong-hai-ra-mat-tu-sach-khu-pho/index.html" in changed(
        before["phuong-dong-hai"], after["phuong-dong-hai"])


def test_nothing_changed_writes_nothing(province: Path) -> None:
    assert build(province)[0] == 0
    before = all_states(province)
    code, out, _ = build(province)
    assert code == 0 and "0 ghi mới" in out
    assert all_states(province) == before


def test_a_province_theme_change_rebuilds_every_site(province: Path) -> None:
    assert build(province)[0] == 0
    write(province, "templates/partials/footer.html", '<footer class="site-footer">Giao diện mới của tỉnh</footer>\n')
    assert build(province)[0] == 0
    for out in outputs(province).values():
        assert "Giao diện mới của tỉnh" in read(out / "index.html")
        assert "Giao diện mới của tỉnh" in read(out / "tin-tuc/index.html")


def test_a_member_output_written_by_another_build_is_built_again(province: Path, tmp_path: Path) -> None:
    """A copy of the member built alone, as a site of its own, into the member's output: it lacks the province's
    link in its header; the next build of the province sees that another build wrote there and puts it right.
    (The member's own folder built alone is refused: test_a_commune_folder_built_on_its_own_is_refused...)"""
    assert build(province)[0] == 0
    page = province / "xa/dong-hai/public/index.html"
    good = page.read_bytes()
    alone = tmp_path / "dong-hai"
    shutil.copytree(province / "xa/dong-hai", alone, ignore=shutil.ignore_patterns("public", ".sitegen-cache"))
    assert cli_run("build", "--site", str(alone), "--output", str(province / "xa/dong-hai/public"))[0] == 0
    assert page.read_bytes() != good
    assert build(province)[0] == 0
    assert page.read_bytes() == good


def test_a_page_changed_by_hand_is_put_right_by_no_cache(province: Path) -> None:
    """An unchanged member is not built: its pages are not looked at one by one; --no-cache builds it."""
    assert build(province)[0] == 0
    page = province / "xa/dong-hai/public/index.html"
    good = page.read_bytes()
    page.write_text("hỏng", encoding="utf-8")
    assert build(province, "--no-cache")[0] == 0
    assert page.read_bytes() == good


def cold_copy(site: Path, tmp_path: Path) -> dict[str, dict[str, bytes]]:
    """Every output of a copy of the province's sources built from nothing."""
    copy = tmp_path / "cold"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("public", ".sitegen-cache"))
    assert build(copy, "--no-cache")[0] == 0
    return {key: state_of_bytes(out) for key, out in outputs(copy).items()}


def built_bytes(site: Path) -> dict[str, dict[str, bytes]]:
    return {key: state_of_bytes(out) for key, out in outputs(site).items()}


EDITS = {
    "member post edited": lambda site: write(site, "xa/an-phu/content/tin-tuc/2026/lam-duong.md",
                                             post("An Phú hoàn thành đường", "2026-09-15 07:30")),
    "member post added": lambda site: write(site, "xa/dong-hai/content/tin-tuc/2026/moi.md",
                                            post("Đông Hải khai trương chợ đêm", "2026-09-19")),
    "member post deleted": lambda site: (site / "xa/an-phu/content/thong-bao/2026/lich-tiep-dan.md").unlink(),
    "member site.toml edited": lambda site: write(site, "xa/dong-hai/site.toml", read(
        site / "xa/dong-hai/site.toml").replace("phường Đông Hải", "phường Đông Hải mới")),
    "member template added": lambda site: write(site, "xa/an-phu/templates/partials/footer.html",
                                                '<footer class="site-footer">Chân trang An Phú</footer>\n'),
    "province theme edited": lambda site: write(site, "templates/partials/footer.html",
                                                '<footer class="site-footer">Giao diện mới</footer>\n'),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_a_rebuild_after_an_edit_equals_a_cold_build(province: Path, tmp_path: Path, edit: str) -> None:
    assert build(province)[0] == 0
    EDITS[edit](province)
    assert build(province)[0] == 0
    assert built_bytes(province) == cold_copy(province, tmp_path)


def test_rebuilds_in_a_row_equal_a_cold_build(province: Path, tmp_path: Path) -> None:
    assert build(province)[0] == 0
    for edit in EDITS.values():
        edit(province)
        assert build(province)[0] == 0
    assert build(province)[0] == 0
    assert built_bytes(province) == cold_copy(province, tmp_path)


def province_outcome(site: Path) -> Outcome:
    """The province's part of one build of the whole group, through the API (it tells which way it went)."""
    result = build_group(Settings(site=site, output=site / "public"))
    assert not result.problems.failed(False)
    return next(o for o in result.outcomes if o.key == "")


def retitle(site: Path, title: str) -> None:
    rel = "xa/an-phu/content/thong-bao/2026/lich-tiep-dan.md"  # the members' newest post: the home page shows it
    write(site, rel, re.sub(r"^title: .*$", f"title: {title}", read(site / rel), count=1, flags=re.MULTILINE))


def test_a_member_title_edit_renders_only_the_provinces_news_pages(province: Path, tmp_path: Path) -> None:
    """Nothing of the province but its members' news changed: its news pages are rendered from what its last
    build kept, and come out as a build from nothing makes them."""
    assert province_outcome(province).news_only is False
    retitle(province, "Lịch tiếp công dân tháng 10 (sửa đổi)")
    outcome = province_outcome(province)
    assert outcome.news_only is True and not outcome.skipped
    assert "Lịch tiếp công dân tháng 10 (sửa đổi)" in read(province / "public/index.html")
    assert built_bytes(province) == cold_copy(province, tmp_path)


def test_a_province_change_with_a_member_title_edit_builds_the_province(province: Path, tmp_path: Path) -> None:
    """The province's own content changed too: its full build, which puts right the news pages written on
    their own before (the title edited back is seen on them)."""
    assert build(province)[0] == 0
    retitle(province, "Lịch tiếp công dân tháng 10 (sửa đổi)")
    assert province_outcome(province).news_only is True
    retitle(province, "Lịch tiếp công dân tháng 10")
    write(province, "content/tin-tuc/2026/tiep-dan.md", post("Lãnh đạo tỉnh tiếp công dân định kỳ", "2026-09-12"))
    assert province_outcome(province).news_only is False
    assert "(sửa đổi)" not in read(province / "public/index.html")
    assert built_bytes(province) == cold_copy(province, tmp_path)


def test_an_unchanged_member_is_not_built_at_all(province: Path) -> None:
    """Its stamp holds: its output folder is not even opened for writing (the edited member's is)."""
    assert build(province)[0] == 0
    folders = {key: out.stat().st_mtime_ns for key, out in outputs(province).items()}
    with (province / "xa/an-phu/content/tin-tuc/2026/lam-duong.md").open("a", encoding="utf-8") as handle:
        handle.write("\nThêm một đoạn mới.\n")
    assert build(province)[0] == 0
    assert outputs(province)["phuong-dong-hai"].stat().st_mtime_ns == folders["phuong-dong-hai"]
    assert outputs(province)["xa-an-phu"].stat().st_mtime_ns != folders["xa-an-phu"]


def test_a_members_files_are_parsed_once_for_its_news_and_its_build(province: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The province reads a member's front matter for its news, and the member's build takes the files as
    parsed then: each file is parsed once, on a first build and after an edit (only the edited one)."""
    parses: list[str] = []
    real = loader.parse_source
    monkeypatch.setattr(loader, "parse_source", lambda rel, raw, page: parses.append(rel) or real(rel, raw, page))
    settings = Settings(site=province, output=province / "public", workers=1)  # members built in this process
    assert not build_group(settings).problems.failed(False)
    assert Counter(parses) == dict.fromkeys([
        "content/tin-tuc/2026/hoi-nghi-tinh.md", "content/tin-tuc/2026/tiep-dan.md",  # the province's own
        "content/tin-tuc/2026/lam-duong.md", "content/thong-bao/2026/lich-tiep-dan.md",  # xã An Phú
        "content/tin-tuc/2026/tu-sach.md"], 1)  # phường Đông Hải
    parses.clear()
    with (province / "xa/an-phu/content/tin-tuc/2026/lam-duong.md").open("a", encoding="utf-8") as handle:
        handle.write("\nThêm một đoạn mới.\n")
    assert not build_group(settings).problems.failed(False)
    assert parses == ["content/tin-tuc/2026/lam-duong.md"]
    assert "Thêm một đoạn mới." in read(outputs(province)["xa-an-phu"] / "tin-tuc/2026/an-phu-lam-duong-lien-thon"
                                        "/index.html")


def test_an_unchanged_province_reports_its_files_as_unchanged(province: Path) -> None:
    """Sites whose stamps hold are not built, but the summary still counts their files: 'built 0 files'
    would tell an author that the portal is empty."""
    code, first, _ = build(province)
    assert code == 0
    total = int(re.search(r"Đã dựng (\d+) tệp", first)[1])
    code, again, _ = build(province)
    assert code == 0 and f"Đã dựng {total} tệp (0 ghi mới, {total} không đổi, 0 xóa)" in again


def test_a_body_edit_in_a_member_does_not_build_the_province(province: Path) -> None:
    """What the province shows of its members is unchanged: its stamp holds, it is not built at all,
    even with the member inside the province's data/ folder."""
    (province / "data").mkdir()
    shutil.move(province / "xa/dong-hai", province / "data/dong-hai")
    write(province, "site.toml", read(province / "site.toml").replace('path = "xa/dong-hai"', 'path = "data/dong-hai"'))
    assert build(province)[0] == 0
    public = province / "public"
    folder = public.stat().st_mtime_ns
    with (province / "data/dong-hai/content/tin-tuc/2026/tu-sach.md").open("a", encoding="utf-8") as handle:
        handle.write("\nThêm một đoạn mới.\n")
    assert build(province)[0] == 0
    assert public.stat().st_mtime_ns == folder
    assert "Thêm một đoạn mới." in read(province / "data/dong-hai/public/tin-tuc/2026/dong-hai-ra-mat-tu-sach-khu-pho"
                                          "/index.html")


def test_a_scheduled_province_post_is_published_when_due(province: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The province's stamp holds only until its next scheduled post falls due, even within the day."""
    write(province, "content/tin-tuc/2026/hen-gio.md", post("Thông báo hẹn giờ của tỉnh", "2026-09-21 22:00"))
    assert build(province)[0] == 0
    assert "Thông báo hẹn giờ của tỉnh" not in read(province / "public/index.html")
    assert build(province)[0] == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(BUILD_EPOCH) + 3_600))  # 22:13, the same day
    assert build(province)[0] == 0
    assert "Thông báo hẹn giờ của tỉnh" in read(province / "public/index.html")


def test_a_new_day_builds_the_members_again(province: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages may change with the day (the schedule's week, the statistics' months): an unchanged member is
    skipped only until its next day begins."""
    assert build(province)[0] == 0
    assert "0 ghi mới" in build(province)[1]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(BUILD_EPOCH) + 86_400))
    assert build(province)[0] == 0
    for key in ("xa-an-phu", "phuong-dong-hai"):  # built again: each stamp, written by its build, says so
        stamp = json.loads(next(outputs(province)[key].parent.glob(".sitegen-cache/*/member-stamp.json")).read_text())
        assert stamp["until"].startswith("2026-09-23")


# --- All or nothing --------------------------------------------------------------------------------------------

def test_a_broken_member_leaves_every_output_unchanged(province: Path) -> None:
    assert build(province)[0] == 0
    write(province, "content/tin-tuc/2026/moi.md", post("Tin mới của tỉnh", "2026-09-20"))
    write(province, "xa/an-phu/content/tin-tuc/2026/moi.md", post("Tin mới của xã", "2026-09-20"))
    before = all_states(province)
    write(province, "xa/dong-hai/content/tin-tuc/2026/hong.md", "---\ntitle: Bài lỗi\ndate: 2026-13-45\n"
                                                               "category: Tin tức\n---\nNội dung.\n")
    code, _, err = build(province)
    assert code == 1
    assert re.search(r"^xa/dong-hai/content/tin-tuc/2026/hong\.md:3: lỗi: ", err, re.MULTILINE), err
    assert all_states(province) == before
    for out in outputs(province).values():
        assert not [p for p in out.rglob(".tmp-*")] and not (out / ".sitegen-building").exists()
    # fixed, everything lands at once
    (province / "xa/dong-hai/content/tin-tuc/2026/hong.md").unlink()
    assert build(province)[0] == 0
    assert "Tin mới của tỉnh" in read(province / "public/index.html")
    assert "Tin mới của xã" in read(province / "public/tin-tu-co-so/index.html")
    assert (province / "xa/an-phu/public/tin-tuc/2026/tin-moi-cua-xa/index.html").is_file()


def test_a_broken_province_leaves_the_members_unchanged(province: Path) -> None:
    assert build(province)[0] == 0
    write(province, "xa/an-phu/content/tin-tuc/2026/moi.md", post("Tin mới của xã", "2026-09-20"))
    before = all_states(province)
    write(province, "templates/index.html", "{% if %}\n")
    code, _, err = build(province)
    assert code == 1 and "templates/index.html:1:" in err
    assert all_states(province) == before


def test_a_mistake_in_the_provinces_theme_is_told_once_with_its_own_path(province: Path) -> None:
    """Every site renders the province's template, but only the province has the file to fix."""
    write(province, "content/tin-tuc/2026/tiep-dan.md", post("Lãnh đạo tỉnh tiếp công dân", "2026-09-12",
                                                             body="Xem [tin từ cơ sở](/tin-tu-co-so/)."))
    write(province, "templates/partials/footer.html", "<footer>\n<p>\n</p>\n{{ site.title | khong_co_bo_loc }}\n"
                                                      "</footer>\n")
    code, _, err = build(province)
    assert code == 1
    told = [line for line in err.splitlines() if ": lỗi: " in line]
    assert len(told) == 1 and told[0].startswith("templates/partials/footer.html:4: lỗi: "), err
    assert ": cảnh báo: " not in err  # the pages the template stopped are not taken for missing links


@pytest.mark.parametrize("name", ["base.html", "article.html"])
def test_an_unknown_filter_in_a_page_template_of_the_province_is_told_not_raised(province: Path, name: str) -> None:
    """Read for what pages take from it before the communes' workers fork, such a template raised Jinja's
    error out of the build (a traceback) when two or more communes were built at once."""
    assert build(province)[0] == 0
    before = all_states(province)
    source = (Path(__file__).parents[1] / "templates" / name).read_text(encoding="utf-8")
    write(province, f"templates/{name}", source.replace("{% endblock %}", "{{ site.title | khong_co_bo_loc }}"
                                                                          "{% endblock %}", 1))
    for command in ("build", "check"):
        code, _, err = cli_run(command, "--site", str(province))
        told = [line for line in err.splitlines() if ": lỗi: " in line]
        assert code == 1 and "Traceback" not in err, err
        assert len(told) == 1 and told[0].startswith(f"templates/{name}:") and "khong_co_bo_loc" in told[0], err
    assert all_states(province) == before


def test_a_broken_member_on_a_first_build_leaves_no_output(province: Path) -> None:
    write(province, "xa/an-phu/site.toml", read(province / "xa/an-phu/site.toml") + "mau_nen = \"do\"\n")
    code, _, err = build(province)
    assert code == 1
    assert "xa/an-phu/site.toml:12: lỗi: khóa 'mau_nen'" in err
    assert all(not out.exists() for out in outputs(province).values())


def test_check_covers_every_site_and_writes_nothing(province: Path) -> None:
    write(province, "xa/dong-hai/content/tin-tuc/2026/hong.md", "---\ntitle: Bài lỗi\ncategory: Tin tức\n---\nx\n")
    code, _, err = cli_run("check", "--site", str(province))
    assert code == 1
    assert "xa/dong-hai/content/tin-tuc/2026/hong.md:1: lỗi: thiếu khóa bắt buộc 'date'" in err
    assert all(not out.exists() for out in outputs(province).values())
    (province / "xa/dong-hai/content/tin-tuc/2026/hong.md").unlink()
    assert cli_run("check", "--site", str(province))[0] == 0


# --- Parts of a province ------------------------------------------------------------------------------------------

def test_only_builds_one_member(province: Path) -> None:
    code, _, err = build(province, "--only", "phuong-dong-hai")
    assert code == 0, err
    assert (province / "xa/dong-hai/public/index.html").is_file()
    assert not (province / "public").exists() and not (province / "xa/an-phu/public").exists()


def test_only_an_unknown_key_is_an_error(province: Path) -> None:
    code, _, err = build(province, "--only", "xa-khong-co")
    assert code == 1
    assert "--only: không có trang thành viên 'xa-khong-co'; các mã có: xa-an-phu, phuong-dong-hai" in err
    code, _, err = build(province, "--only", "xa-an-phuu")
    assert code == 1 and "'xa-an-phuu' (có phải ý bạn là 'xa-an-phu'?); các mã có:" in err, err


def test_no_members_builds_the_province_with_news_read_from_sources(province: Path) -> None:
    code, _, err = build(province, "--no-members")
    assert code == 0, err
    assert not (province / "xa/an-phu/public").exists() and not (province / "xa/dong-hai/public").exists()
    assert "An Phú làm đường liên thôn" in read(province / "public/tin-tu-co-so/index.html")


@pytest.mark.parametrize("strict", [(), ("--strict",)])
def test_no_members_reports_a_member_post_it_cannot_read(province: Path, strict: tuple[str, ...]) -> None:
    assert build(province, "--no-members")[0] == 0
    before = all_states(province)
    write(province, "xa/dong-hai/content/tin-tuc/2026/hong.md", "---\ntitle: Bài lỗi\ndate: 2026-13-45\n"
                                                               "category: Tin tức\n---\nNội dung.\n")
    for _ in range(2):  # the second time from what the first one kept
        code, _, err = build(province, "--no-members", *strict)
        assert code == 1
        assert re.search(r"^xa/dong-hai/content/tin-tuc/2026/hong\.md:3: lỗi: ", err, re.MULTILINE), err
        assert all_states(province) == before


def test_split_builds_give_the_same_bytes_as_one_build(province: Path, tmp_path: Path) -> None:
    """Any order, separate runs (as separate machines would): the same outputs as one command."""
    whole = tmp_path / "whole"
    assert build(province, "--output", str(whole / "tinh"), "--members-output", str(whole / "xa"))[0] == 0
    split = tmp_path / "split"
    assert build(province, "--no-members", "--output", str(split / "tinh"))[0] == 0
    for key in ("phuong-dong-hai", "xa-an-phu"):
        assert build(province, "--only", key, "--members-output", str(split / "xa"))[0] == 0
    for name in ("tinh", "xa/xa-an-phu", "xa/phuong-dong-hai"):
        assert {k: v for k, v in state_of_bytes(whole / name).items()} == state_of_bytes(split / name), name


def state_of_bytes(folder: Path) -> dict[str, bytes]:
    return {rel: data for rel, (data, _) in state_of(folder).items()}


def test_members_output_puts_each_member_under_its_key(province: Path, tmp_path: Path) -> None:
    web = tmp_path / "www"
    code, _, err = build(province, "--output", str(web / "tinh"), "--members-output", str(web / "xa"))
    assert code == 0, err
    assert (web / "tinh/index.html").is_file()
    assert (web / "xa/xa-an-phu/index.html").is_file() and (web / "xa/phuong-dong-hai/index.html").is_file()
    assert not (province / "xa/an-phu/public").exists()


# --- Bad [[members]] -------------------------------------------------------------------------------------------------

# PROVINCE_TOML ends on line 15; the added [[members]] header is on line 17, its keys from line 18.
@pytest.mark.parametrize(("member", "expected"), [
    ('key = "xa-moi"\npath = "xa/moi"\n', "site.toml:19: lỗi: không có trang thành viên ở 'xa/moi'"),
    ('key = "xa-moi"\npath = "xa/an-phu"\nten = "Xã mới"\n',
     "site.toml:20: lỗi: khóa 'ten' không dùng trong [[members]]; mỗi trang thành viên chỉ có 'key' (mã) và 'path'"),
    ('key = "xa-an-phu"\npath = "xa/dong-hai"\n',
     "site.toml:18: lỗi: mã trang thành viên 'xa-an-phu' bị trùng với dòng 10"),
    ('key = "Xã Mới"\npath = "xa/moi"\n', "site.toml:18: lỗi: mã trang thành viên 'Xã Mới' chỉ được gồm"),
    ('key = "tin-tuc"\npath = "xa/an-phu"\n', "site.toml:18: lỗi: mã trang thành viên 'tin-tuc' trùng với"),
    ('key = "xa-moi"\npath = "../ngoai"\n', "site.toml:19: lỗi: đường dẫn '../ngoai' phải là thư mục con"),
    ('path = "xa/an-phu"\n', "site.toml:17: lỗi: thiếu khóa bắt buộc 'key'"),
    ('key = "xa-moi"\npath = "content/xa"\n', "site.toml:19: lỗi: 'content/xa' nằm trong content/"),
    ('key = "xa-moi"\npath = "public/xa"\n', "site.toml:19: lỗi: 'public/xa' nằm trong content/, templates/, "
                                          "assets/ hoặc public/ của cổng tỉnh, nên sẽ bị đăng lẫn vào cổng tỉnh"),
    ('key = "xa-moi"\npath = "/srv/tinh/xa/an-phu"\n', "site.toml:19: lỗi: đường dẫn '/srv/tinh/xa/an-phu' phải "
                                                     "là đường dẫn tương đối, tính từ thư mục cổng tỉnh"),
])
def test_bad_members_are_errors_with_their_line(province: Path, member: str, expected: str) -> None:
    (province / "site.toml").write_text(PROVINCE_TOML + "\n[[members]]\n" + member, encoding="utf-8")
    code, _, err = build(province)
    assert code == 1
    assert expected in err, err
    assert all(not out.exists() for out in outputs(province).values())


def test_two_members_with_one_base_url_is_an_error(province: Path) -> None:
    toml = province / "xa/dong-hai/site.toml"
    toml.write_text(read(toml).replace("donghai.", "anphu."), encoding="utf-8")
    code, _, err = build(province)
    assert code == 1
    assert ("xa/dong-hai/site.toml:2: lỗi: base_url 'https://anphu.thunghiem.gov.example/' trùng với địa chỉ "
            "của trang thành viên 'xa-an-phu'; mỗi trang cần địa chỉ riêng") in err, err
    # either file may be the one edited by mistake: both are named, each with the other
    assert ("xa/an-phu/site.toml:2: lỗi: base_url 'https://anphu.thunghiem.gov.example/' trùng với địa chỉ "
            "của trang thành viên 'phuong-dong-hai'; mỗi trang cần địa chỉ riêng") in err, err


def test_a_member_key_that_is_a_province_page_is_an_error(province: Path, tmp_path: Path) -> None:
    write(province, "content/pages/gioi-thieu.md", "---\ntitle: Giới thiệu\n---\nTỉnh Thử Nghiệm.\n")
    assert build(province)[0] == 0
    before = all_states(province)
    toml = province / "site.toml"
    toml.write_text(read(toml).replace('key = "xa-an-phu"', 'key = "gioi-thieu"'), encoding="utf-8")
    for command in (("build", "--site", str(province)), ("check", "--site", str(province)),
                    ("build", "--site", str(province), "--only", "gioi-thieu"),
                    ("build", "--site", str(province), "--members-output", str(province / "public"))):
        code, _, err = cli_run(*command)
        assert code == 1, command
        assert ("site.toml:10: lỗi: mã trang thành viên 'gioi-thieu' trùng với trang /gioi-thieu/ của cổng tỉnh; "
                "hãy đổi mã, ví dụ theo tên xã, phường: 'xa-an-phu'" in err), err  # after its folder, xa/an-phu
        assert all_states(province) == before


def test_two_members_in_one_folder_is_an_error(province: Path) -> None:
    toml = province / "site.toml"
    toml.write_text(read(toml).replace('path = "xa/dong-hai"', 'path = "xa/an-phu/"'), encoding="utf-8")
    code, _, err = build(province)
    assert code == 1
    assert "site.toml:15: lỗi: 'xa/an-phu' là, chứa hoặc nằm trong thư mục của trang thành viên ở dòng 11" in err, err


@pytest.mark.parametrize("spelled", ["http://anphu.thunghiem.gov.example/", "https://AnPhu.thunghiem.gov.example/"])
def test_two_members_with_one_address_spelled_otherwise_is_an_error(province: Path, spelled: str) -> None:
    toml = province / "xa/dong-hai/site.toml"
    toml.write_text(read(toml).replace("https://donghai.thunghiem.gov.example/", spelled), encoding="utf-8")
    code, _, err = build(province)
    assert code == 1
    shown = spelled.lower()  # as the build uses it: scheme and host in lower case
    assert f"xa/dong-hai/site.toml:2: lỗi: base_url '{shown}' trùng với địa chỉ của trang thành viên" in err, err


def test_members_listed_in_a_member_are_an_error(province: Path) -> None:
    toml = province / "xa/an-phu/site.toml"
    toml.write_text(read(toml) + '\n[[members]]\nkey = "thon-mot"\npath = "thon"\n', encoding="utf-8")
    code, _, err = build(province)
    assert code == 1
    assert "xa/an-phu/site.toml:13: lỗi: trang thành viên không có trang thành viên riêng" in err, err


def test_only_and_no_members_together_is_an_error(province: Path) -> None:
    code, _, err = build(province, "--only", "xa-an-phu", "--no-members")
    assert code == 1
    assert "--only" in err and "--no-members" in err
    assert all(not out.exists() for out in outputs(province).values())


def test_only_with_output_is_an_error_not_an_option_ignored(province: Path, tmp_path: Path) -> None:
    """--output names the province's output, which --only does not build: the member went to its own public/."""
    code, _, err = build(province, "--only", "xa-an-phu", "--output", str(tmp_path / "ra"))
    assert code == 1 and "--only không dùng cùng --output" in err and "--members-output DIR" in err
    assert not (tmp_path / "ra").exists() and all(not out.exists() for out in outputs(province).values())


def test_a_site_left_in_members_output_by_a_key_renamed_is_reported_not_deleted(province: Path,
                                                                                tmp_path: Path) -> None:
    out = tmp_path / "xa"
    assert build(province, "--members-output", str(out))[0] == 0
    toml = province / "site.toml"
    toml.write_text(read(toml).replace('key = "phuong-dong-hai"', 'key = "phuong-dong-hai-moi"'), encoding="utf-8")
    (out / "ghi-chu").mkdir()  # a folder of someone else's: not ours to speak of
    code, _, err = build(province, "--members-output", str(out))
    assert code == 0 and (out / "phuong-dong-hai-moi" / "index.html").is_file()
    assert f"{out / 'phuong-dong-hai'}:1: cảnh báo: thư mục này là trang đã dựng cho một xã, phường không còn" in err
    assert "ghi-chu" not in err and (out / "phuong-dong-hai" / "index.html").is_file()  # published still: kept
    code, _, err = build(province, "--members-output", str(out), "--only", "xa-an-phu")
    assert code == 0 and "không còn trong [[members]]" not in err  # a part of a split run knows too little
    before = state_of(province / "public")
    code, _, err = build(province, "--members-output", str(out), "--strict")
    assert code == 1 and state_of(province / "public") == before
    (province / "xa/an-phu").rename(province / "xa/an-phu-moi")  # still listed: its site is no site left over
    code, _, err = build(province, "--members-output", str(out))
    assert code == 1 and "không có trang thành viên ở 'xa/an-phu'" in err
    assert "xa-an-phu:1:" not in err and (out / "xa-an-phu" / "index.html").is_file()


def test_members_output_inside_the_provinces_content_is_an_error(province: Path) -> None:
    code, _, err = build(province, "--members-output", str(province / "content/xa"))
    assert code == 1
    assert "nằm trong thư mục content/ của trang" in err, err
    assert all(not out.exists() for out in outputs(province).values()) and not (province / "content/xa").exists()


def test_a_member_with_the_provinces_base_url_is_an_error(province: Path) -> None:
    toml = province / "xa/an-phu/site.toml"
    toml.write_text(read(toml).replace("anphu.thunghiem", "thunghiem"), encoding="utf-8")
    code, _, err = build(province)
    assert code == 1
    assert ("xa/an-phu/site.toml:2: lỗi: base_url 'https://thunghiem.gov.example/' trùng với địa chỉ của cổng "
            "tỉnh; mỗi trang cần địa chỉ riêng") in err, err


# --- The sample -----------------------------------------------------------------------------------------------------

def test_the_sample_is_a_province_with_communes(tmp_path: Path) -> None:
    """The README's first command, on a copy of the repository's sample."""
    site = tmp_path / "mau-son"
    shutil.copytree(ROOT, site, ignore=shutil.ignore_patterns(
        "public", ".sitegen-cache", ".venv", ".git", "tests", "bench", "__pycache__", "*.pyc", ".ruff_cache"))
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795737600"}
    done = subprocess.run([sys.executable, "build.py"], cwd=site, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "tỉnh Mẫu Sơn" in read(site / "public/index.html")
    assert "Tin từ cơ sở" in read(site / "public/index.html")
    members = sorted(p.parent.parent.name for p in (site / "data").rglob("public/index.html"))
    assert len(members) >= 2
    for page in (site / "data").rglob("public/index.html"):
        assert 'class="portal-link" href="https://mauson.gov.vn/"' in read(page)


# --- Preview ----------------------------------------------------------------------------------------------------------

def test_serve_previews_the_province_and_each_member(province: Path) -> None:
    from tests.test_serve import fetch, free_port, wait_for

    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--site", str(province),
                             "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _, home = wait_for(base + "/", lambda status, _: status == 200)
        assert f'href="{base}/xa-an-phu/tin-tuc/2026/an-phu-lam-duong-lien-thon/"' in home
        assert '<script src="/livereload.js?port=' in home
        status, member = fetch(base + "/xa-an-phu/")
        assert status == 200 and f'class="portal-link" href="{base}/"' in member
        assert 'href="/xa-an-phu/tin-tuc/"' in member and "livereload.js" in member
        status, _ = fetch(base + "/phuong-dong-hai/tin-tuc/2026/dong-hai-ra-mat-tu-sach-khu-pho/")
        assert status == 200
        # an edit in a member shows in the member and, as news, on the province's home page
        rel = province / "xa/dong-hai/content/tin-tuc/2026/tu-sach.md"
        rel.write_text(read(rel).replace("ra mắt tủ sách", "khai trương tủ sách"), encoding="utf-8")
        wait_for(base + "/", lambda s, body: s == 200 and "Đông Hải khai trương tủ sách khu phố" in body)
        wait_for(base + "/phuong-dong-hai/tin-tuc/2026/dong-hai-khai-truong-tu-sach-khu-pho/",
                 lambda s, _: s == 200)
        # a member's mistake shows on the error page, with its path from the province's folder
        rel.write_text(read(rel).replace("category: Tin tức", "category: Khong co"), encoding="utf-8")
        status, body = wait_for(base + "/xa-an-phu/", lambda s, _: s == 500)
        assert "xa/dong-hai/content/tin-tuc/2026/tu-sach.md:4:" in body.replace("<wbr>", "")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        output = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
        assert "Traceback" not in output, output
    assert f"{base}/  (Ctrl+C)" in output  # every site's address, so staff need not guess the members'
    assert f"  xa-an-phu: {base}/xa-an-phu/\n  phuong-dong-hai: {base}/phuong-dong-hai/\n" in output, output
    assert not (province / "public").exists()  # the preview writes to its own folder only


def test_a_province_preview_started_again_rebuilds_only_what_changed(province: Path) -> None:
    """The province, its members and their caches stay in the province's preview folder between two
    previews: the second, after one member post's edit, writes a few files where the first wrote all."""
    from tests.test_serve import serve_site, stop, wait_for, written

    port, proc = serve_site(province)
    wait_for(f"http://127.0.0.1:{port}/xa-an-phu/", lambda status, _: status == 200)
    time.sleep(1.5)  # longer than the watcher's polls: the communes' caches it wrote are no edit to build
    printed = stop(proc)
    assert printed.count("Đã dựng") == 1, printed
    total, first = written(printed)
    preview = province / ".sitegen-cache" / "preview"
    assert first == total and (preview / "tinh" / "index.html").is_file()
    assert (preview / "xa" / "phuong-dong-hai" / "index.html").is_file()
    rel = province / "xa/dong-hai/content/tin-tuc/2026/tu-sach.md"
    rel.write_text(read(rel).replace("đoạn thứ nhất", "đoạn đã sửa"), encoding="utf-8")
    port, proc = serve_site(province, port=port)  # the same address: the links between the sites stay
    page = "/phuong-dong-hai/tin-tuc/2026/dong-hai-ra-mat-tu-sach-khu-pho/"
    wait_for(f"http://127.0.0.1:{port}{page}", lambda status, body: status == 200 and "đoạn đã sửa" in body)
    again, changed = written(stop(proc))
    assert again == total and 1 <= changed < total // 4, changed
    assert not (province / "public").exists()


def test_a_province_preview_drops_what_it_built_for_a_commune_renamed_or_removed(province: Path) -> None:
    """A commune's key renamed in site.toml, or the commune taken out: the next preview removes the folder it
    built for the old key and the cache the commune kept for that folder, as no later preview will use them."""
    from sitegen import incremental
    from tests.test_serve import serve_site, stop, wait_for

    port, proc = serve_site(province)
    wait_for(f"http://127.0.0.1:{port}/xa-an-phu/", lambda status, _: status == 200)
    stop(proc)
    members = province / ".sitegen-cache" / "preview" / "xa"
    old_cache = incremental.cache_dir_for(province / "xa/dong-hai", members / "phuong-dong-hai")
    assert (members / "phuong-dong-hai" / "index.html").is_file() and old_cache.is_dir()
    toml = province / "site.toml"
    toml.write_text(read(toml).replace('key = "phuong-dong-hai"', 'key = "phuong-dong-hai-moi"'), encoding="utf-8")
    port, proc = serve_site(province, extra=("--strict",))  # its own folder is no site left for nginx to warn of
    wait_for(f"http://127.0.0.1:{port}/phuong-dong-hai-moi/", lambda status, _: status == 200)
    assert "không còn trong [[members]]" not in stop(proc)
    assert sorted(p.name for p in members.iterdir()) == ["phuong-dong-hai-moi", "xa-an-phu"]
    assert not old_cache.exists()
    assert incremental.cache_dir_for(province / "xa/dong-hai", members / "phuong-dong-hai-moi").is_dir()
    toml.write_text(read(toml).split("[[members]]\nkey = \"phuong-dong-hai-moi\"")[0], encoding="utf-8")
    port, proc = serve_site(province)
    wait_for(f"http://127.0.0.1:{port}/xa-an-phu/", lambda status, _: status == 200)
    stop(proc)
    assert [p.name for p in members.iterdir()] == ["xa-an-phu"]
    assert (province / "xa/dong-hai/content").is_dir()  # a commune's own files are never touched


def test_a_commune_folder_built_on_its_own_is_refused_with_the_command_to_run(province: Path) -> None:
    """Built alone, a commune would get the default theme and no link to the portal, over its published output."""
    assert build(province)[0] == 0
    before = all_states(province)
    commune = province / "xa/an-phu"
    fix = f"python build.py{{}} --site {province} --only xa-an-phu"
    code, _, err = build(commune)
    assert code == 1 and "thư mục này là trang 'xa-an-phu' của cổng tỉnh" in err and fix.format("") in err
    code, _, err = cli_run("check", "--site", str(commune))
    assert code == 1 and fix.format(" check") in err
    code, _, err = cli_run("serve", "--site", str(commune), "--port", "1")
    assert code == 1 and err.rstrip().endswith(f"python build.py serve --site {province}")  # all of it, then /key/
    for part in (("--only", "xa-an-phu"), ("--no-members",)):  # its other pages would be stale or missing
        code, _, err = cli_run("serve", "--site", str(province), "--port", "1", *part)
        assert code == 1 and "hãy bỏ --only, --no-members" in err
    assert all_states(province) == before
    assert not (commune / ".sitegen-cache" / "preview").exists()
    assert build(province, "--only", "xa-an-phu")[0] == 0


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_a_province_build_killed_while_its_members_build_leaves_no_worker_behind(
        province: Path, signum: signal.Signals) -> None:
    """The communes' workers die with the build, so none keeps the outputs' locks and the next build runs."""
    from tests.security.test_atomic import _alive_in_group

    for member in ("an-phu", "dong-hai"):
        for n in range(150):
            write(province, f"xa/{member}/content/tin-tuc/2025/tin-{n}.md",
                  post(f"Tin số {n} của xã", f"2025-0{1 + n % 9}-1{n % 10}", body="Nội dung. " * 300))
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--site", str(province), "--jobs", "2"],
                            cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    building = [province / f"xa/{member}/public/.sitegen-building" for member in ("an-phu", "dong-hai")]
    deadline = time.monotonic() + 120
    while not any(path.exists() for path in building) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert proc.poll() is None, "the build ended before its members were being built"
    time.sleep(0.2)
    proc.send_signal(signum)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 10
    while _alive_in_group(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive_in_group(proc.pid), "a worker outlived the build"
    assert build(province, "--wait", "5")[0] == 0  # no lock left held
    assert (province / "xa/an-phu/public/tin-tuc/2025/tin-so-7-cua-xa/index.html").is_file()


def test_a_member_output_locked_by_another_build_stops_the_whole_run(province: Path) -> None:
    from sitegen import locking

    assert build(province)[0] == 0
    write(province, "content/tin-tuc/2026/moi.md", post("Tin mới của tỉnh", "2026-09-20"))
    before = all_states(province)
    other = locking.OutputLock(province / "xa/dong-hai/public")
    assert other.acquire(0, lambda: None)
    try:
        code, _, err = build(province, "--wait", "0")
    finally:
        other.release()
    assert code == 1 and "một lần dựng khác vẫn đang ghi vào thư mục kết quả này" in err
    assert all_states(province) == before
    assert build(province)[0] == 0 and "Tin mới của tỉnh" in read(province / "public/index.html")
