"""Build the golden site into a temp folder and check what readers see on each page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import snapshot

GOLDEN = Path(__file__).parent / "golden" / "site"
ARTICLE = "cai-cach-hanh-chinh/2022/doan-kiem-tra-cai-cach-hanh-chinh-lam-viec-tai-xa-kiem-thu/index.html"
NOTICE = "thong-bao/2024/lich-tiep-cong-dan/index.html"


@pytest.fixture
def site(golden_site: Path) -> Path:
    return golden_site


@pytest.fixture
def built(golden_public: Path) -> Path:
    return golden_public


def read(root: Path, rel: str) -> str:
    return (root / rel).read_text(encoding="utf-8")


def test_article_page_shows_the_portal_elements(built: Path) -> None:
    page = read(built, ARTICLE)
    assert '<html lang="vi">' in page
    assert "<h1" in page and page.count("<h1") == 1
    assert "Đăng ngày <time datetime=\"2022-10-03T08:30:00+07:00\">03 - 10 - 2022</time>" in page
    assert "Lượt xem: 1.234" in page
    assert re.search(r"data-font-control hidden", page)
    assert ">A-<" in page and ">100%<" in page and ">A+<" in page
    cover = re.search(r'<figure class="cover">\s*<img src="/images/doan-kiem-tra.png" alt="([^"]+)"', page)
    assert cover and cover[1] == "Đoàn kiểm tra làm việc tại trụ sở xã"
    assert "<figcaption>Bộ phận một cửa của xã tiếp nhận hồ sơ</figcaption>" in page
    assert '<th class="align-right">Tiếp nhận</th>' in page
    assert 'href="/tag/cchc/"' in page and 'href="/tag/papi/"' in page
    others = page.split("Các tin khác", 1)[1].split("</section>", 1)[0]
    assert "Kế hoạch cải cách hành chính năm 2023" in others and "Đoàn kiểm tra" not in others


def test_latest_and_most_viewed_on_every_page(built: Path) -> None:
    for rel in ("index.html", ARTICLE, "tin-tuc/index.html", "gioi-thieu/index.html", "404.html"):
        page = read(built, rel)
        latest = page.split("Tin mới nhất", 1)[1].split("</section>", 1)[0]
        items = re.findall(r"<li>.*?</li>", latest, re.DOTALL)
        assert len(items) == 4, rel  # latest_count = 4
        assert "(01/04/2024 3:15 CH)" in items[0]
        cut_title = ("Thông báo lịch tiếp công dân định kỳ của Chủ tịch UBND xã trong quý II năm 2024, "
                     "áp dụng từ ngày 01...")
        assert cut_title in items[0]
        assert "(05/09/2023)" in items[1]
        popular = page.split("Xem nhiều nhất", 1)[1].split("</section>", 1)[0]
        views = [int(v.replace(".", "")) for v in re.findall(r"([\d.]+) lượt xem", popular)]
        assert views == sorted(views, reverse=True) and views[0] == 1234


def test_drafts_and_future_posts_hidden_by_default(built: Path, site: Path, run_cli, tmp_path: Path) -> None:
    everything = "".join(p.read_text(encoding="utf-8", errors="replace") for p in built.rglob("*") if p.is_file())
    assert "Bản nháp chưa công bố" not in everything
    assert "Bài hẹn giờ đăng năm 2027" not in everything
    out = tmp_path / "preview"
    code, _, err = run_cli("build", "--site", str(site), "--output", str(out), "--drafts", "--future")
    assert code == 0, err
    assert (out / "tin-tuc/2023/ban-nhap-chua-cong-bo/index.html").is_file()
    assert (out / "tin-tuc/2027/bai-hen-gio-dang-nam-2027/index.html").is_file()
    assert "Bài hẹn giờ đăng năm 2027" in read(out, "index.html")


def test_future_post_appears_once_its_time_has_come(site: Path, run_cli, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")  # 2027-01-01 07:00 +07:00 exactly
    code, _, _ = run_cli("build", "--site", str(site))
    assert code == 0
    assert (site / "public/tin-tuc/2027/bai-hen-gio-dang-nam-2027/index.html").is_file()


def test_listings_paginate_and_link_pages(built: Path) -> None:
    first = read(built, "tag/cchc/index.html")
    second = read(built, "tag/cchc/page/2/index.html")
    assert re.search(r'<a [^>]*href="/tag/cchc/page/2/"[^>]*>', first)
    assert re.search(r'<a [^>]*rel="next"[^>]*>', first)
    assert "/tag/cchc/" in second and 'rel="prev"' in second
    assert (built / "tin-tuc/page/2/index.html").is_file() is False  # two posts fit one page
    assert (built / "archive/2023/index.html").is_file()
    assert (built / "archive/2022/index.html").is_file()
    category = read(built, "cai-cach-hanh-chinh/index.html")
    titles = re.findall(r'<h[23][^>]*>\s*<a href="/cai-cach-hanh-chinh/2022/([^/]+)/"', category)
    assert titles[:2] == ["ke-hoach-cai-cach-hanh-chinh-nam-2023-cua-xa-kiem-thu",
                          "doan-kiem-tra-cai-cach-hanh-chinh-lam-viec-tai-xa-kiem-thu"]


def test_home_has_newest_posts_and_a_block_per_category(built: Path) -> None:
    home = read(built, "index.html")
    for name in ("Cải cách hành chính", "Thông báo", "Tin tức"):
        assert f">{name}<" in home
    assert home.index("Thông báo lịch tiếp công dân") < home.index("Hội nghị đối thoại")


def test_sitemap_robots_404_and_static_files(built: Path) -> None:
    sitemap = read(built, "sitemap.xml")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert "https://kiemthu.example/" in locs
    assert "https://kiemthu.example/gioi-thieu/" in locs
    assert "https://kiemthu.example/" + ARTICLE.removesuffix("index.html") in locs
    assert all(loc.startswith("https://kiemthu.example/") for loc in locs)
    assert not any("ban-nhap" in loc or "2027" in loc for loc in locs)
    assert "Sitemap: https://kiemthu.example/sitemap.xml" in read(built, "robots.txt")
    assert (built / "404.html").is_file()
    assert (built / "images/mot-cua.png").read_bytes() == (GOLDEN / "content/images/mot-cua.png").read_bytes()
    assert (built / "assets/css/site.css").is_file()


def test_data_widgets_only_when_their_files_exist(built: Path, site: Path, run_cli) -> None:
    page = read(built, "index.html")
    assert "Tình hình giải quyết hồ sơ" in page and "1.250" in page
    assert "Công khai văn bản" in page and "15/QĐ-UBND" in page
    shutil.rmtree(site / "data")
    code, _, _ = run_cli("build", "--site", str(site))
    assert code == 0
    page = read(built, "index.html")
    assert "Tình hình giải quyết hồ sơ" not in page and "Công khai văn bản" not in page


def test_two_builds_are_byte_identical(site: Path, run_cli, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    assert run_cli("build", "--site", str(site), "--output", str(first))[0] == 0
    assert run_cli("build", "--site", str(site), "--output", str(second))[0] == 0
    assert snapshot(first) == snapshot(second)


def test_build_never_writes_into_content(site: Path, run_cli) -> None:
    before = snapshot(site / "content")
    assert run_cli("build", "--site", str(site))[0] == 0
    assert snapshot(site / "content") == before


def test_base_url_with_a_path(site: Path, run_cli) -> None:
    toml = site / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("https://kiemthu.example/",
                                                             "https://portal.example/xa-kiem-thu/"), encoding="utf-8")
    assert run_cli("build", "--site", str(site))[0] == 0
    page = read(site / "public", ARTICLE)
    assert 'href="/xa-kiem-thu/thong-bao/2024/lich-tiep-cong-dan/"' in page
    assert 'src="/xa-kiem-thu/images/mot-cua.png"' in page
    assert 'href="/xa-kiem-thu/assets/css/site.css"' in page
    assert not re.search(r'(href|src)="/(?!xa-kiem-thu/)', page)


def test_site_template_overrides_and_extends_the_default(site: Path, run_cli) -> None:
    (site / "templates").mkdir()
    (site / "templates/article.html").write_text(
        '{% extends "default/article.html" %}\n{% block content %}<p class="ghi-chu">Bản tin xã</p>'
        "{{ super() }}{% endblock %}\n", encoding="utf-8")
    (site / "assets/css").mkdir(parents=True)
    (site / "assets/css/site.css").write_text("body { color: #111; }\n", encoding="utf-8")
    assert run_cli("build", "--site", str(site))[0] == 0
    page = read(site / "public", ARTICLE)
    assert '<p class="ghi-chu">Bản tin xã</p>' in page and "Lượt xem: 1.234" in page
    assert read(site / "public", "assets/css/site.css") == "body { color: #111; }\n"
    assert (site / "public/assets/js/site.js").is_file()  # the rest still from the default theme


def test_removed_post_pages_are_removed(site: Path, built: Path, run_cli) -> None:
    (site / "content/tin-tuc/2023/nghiem-thu.md").unlink()
    assert run_cli("build", "--site", str(site))[0] == 0
    assert not (built / "tin-tuc/2023/nghiem-thu-cong-trinh-nha-van-hoa-thon-dong").exists()
    assert not (built / "tag/nong-thon-moi").exists()


def test_aliases_redirect_to_the_canonical_url(site: Path, run_cli) -> None:
    post = site / "content/thong-bao/2024/lich-tiep-cong-dan.md"
    post.write_text(post.read_text(encoding="utf-8").replace(
        "views: 28", "views: 28\naliases: [/tin-cu/lich-tiep-dan/, /thong-bao/lich.html]"), encoding="utf-8")
    code, _, err = run_cli("build", "--site", str(site))
    assert code == 0, err
    for rel in ("tin-cu/lich-tiep-dan/index.html", "thong-bao/lich.html"):
        page = read(site / "public", rel)
        assert '<meta http-equiv="refresh" content="0; url=/thong-bao/2024/lich-tiep-cong-dan/">' in page
        assert '<link rel="canonical" href="https://kiemthu.example/thong-bao/2024/lich-tiep-cong-dan/">' in page
    sitemap = read(site / "public", "sitemap.xml")
    feed = read(site / "public", "feed.xml")
    assert "tin-cu" not in sitemap and "lich.html" not in sitemap and "tin-cu" not in feed


def test_alias_that_leaves_the_site_is_an_error(site: Path, run_cli) -> None:
    post = site / "content/thong-bao/2024/lich-tiep-cong-dan.md"
    post.write_text(post.read_text(encoding="utf-8").replace(
        "views: 28", "views: 28\naliases: [../../etc/cron.d/x]"), encoding="utf-8")
    code, _, err = run_cli("build", "--site", str(site))
    assert code == 1
    assert "content/thong-bao/2024/lich-tiep-cong-dan.md:7:" in err and "../../etc/cron.d/x" in err
    assert not (site / "public").exists()
