"""End to end: the sample portal's documents, schedule, leaders and required pages, built and read back."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from tests.conftest import ROOT, snapshot


def epoch(text: str) -> str:
    return str(int(datetime.fromisoformat(text).astimezone(UTC).timestamp()))


IN_WEEK_49 = epoch("2026-12-02T10:00:00+07:00")
CSP = ("default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; frame-src https:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'")


def copy_sample(dest: Path) -> Path:
    site = dest / "sample"
    shutil.copytree(ROOT, site, ignore=shutil.ignore_patterns(
        ".git", ".venv", "public", ".sitegen-cache", "tests", "bench", "__pycache__", "*.pyc"))
    return site


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_sample(tmp_path_factory.mktemp("portal"))


@pytest.fixture(scope="module")
def built(sample: Path) -> Path:
    from tests.conftest import cli_run

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", IN_WEEK_49)
        code, _, err = cli_run("build", "--site", str(sample), "--output", str(sample / "out"))
    assert code == 0, err
    return sample / "out"


def read(root: Path, rel: str) -> str:
    return (root / rel).read_text(encoding="utf-8")


class _Blocks(HTMLParser):
    """The JSON-LD data blocks of a page, and every other <script> element."""

    def __init__(self) -> None:
        super().__init__()
        self.data: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))
            self._inside = dict(attrs).get("type") == "application/ld+json"
            if self._inside:
                self.data.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.data[-1] += data


def json_ld(page: str) -> list[dict]:
    parser = _Blocks()
    parser.feed(page)
    return [json.loads(block) for block in parser.data]


def rows(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr.*?</tr>", body, re.S)


# --- the register -------------------------------------------------------------------------------


def test_register_is_a_table_newest_first_and_paginated(built: Path) -> None:
    page = read(built, "van-ban/index.html")
    assert "<caption>Công khai văn bản: danh sách văn bản, mới ban hành trước</caption>" in page
    headers = re.findall(r'<th scope="col">([^<]+)</th>', page.split("</main>", 1)[0])
    assert headers == ["Số ký hiệu", "Ngày ban hành", "Trích yếu", "Loại văn bản", "Tệp đính kèm"]
    first = rows(page)
    assert len(first) == 10  # per_page = 10 in site.toml
    shown = re.findall(r'<time datetime="[^"]+">([^<]+)</time>', page.split("</main>", 1)[0])
    dates = [datetime.strptime(d, "%d/%m/%Y") for d in shown]
    assert dates == sorted(dates, reverse=True)
    assert '<th scope="row" data-label="Số ký hiệu"><a href="/van-ban/2026/88-tb-ubnd/">88/TB-UBND</a></th>' in first[0]
    assert re.search(r'type="application/pdf" download>PDF, \d+,\d KB</a>', first[0])
    second = read(built, "van-ban/page/2/index.html")
    assert len(rows(second)) == 6 and 'rel="prev"' in second
    assert "02/CTr-UBND" in rows(second)[-1]  # the oldest, 14/01/2025


def test_replaced_and_expired_documents_are_marked_in_the_register(built: Path) -> None:
    everything = read(built, "van-ban/index.html") + read(built, "van-ban/page/2/index.html")
    replaced = next(r for r in re.findall(r"<tr.*?</tr>", everything, re.S) if "12/2025/QĐ-UBND" in r)
    assert 'class="doc-out-of-force"' in replaced and "(Hết hiệu lực)" in replaced
    expired = next(r for r in re.findall(r"<tr.*?</tr>", everything, re.S) if "41/TB-UBND" in r)
    assert "(Hết hiệu lực)" in expired
    current = next(r for r in re.findall(r"<tr.*?</tr>", everything, re.S) if "08/2026/QĐ-UBND" in r)
    assert "Hết hiệu lực" not in current and current.count("download>") == 2


def test_per_type_year_and_field_pages(built: Path) -> None:
    decisions = read(built, "van-ban/loai/quyet-dinh/index.html")
    assert "<h1 class=\"list-title\">Văn bản loại Quyết định</h1>" in decisions
    assert [n for n in re.findall(r">(\d+/[^<]+)</a></th>", decisions)] == [
        "64/QĐ-UBND", "08/2026/QĐ-UBND", "12/2025/QĐ-UBND"]
    year = read(built, "van-ban/nam/2025/index.html")
    assert len(rows(year)) == 5 and "2026" not in "".join(re.findall(r"<time[^>]*>[^<]+</time>", year))
    field = read(built, "van-ban/linh-vuc/chuyen-doi-so/index.html")
    assert len(rows(field)) == 4
    assert 'href="/van-ban/loai/cong-van/"' in decisions and 'href="/van-ban/nam/2026/"' in decisions
    assert 'aria-current="page">Quyết định</a>' in decisions


def test_document_page(built: Path) -> None:
    page = read(built, "van-ban/2026/08-2026-qd-ubnd/index.html")
    assert '<h1 class="article-title">Quyết định số 08/2026/QĐ-UBND</h1>' in page
    meta = page.split('<table class="doc-info">', 1)[1].split("</table>", 1)[0]
    cells = dict(re.findall(r'<th scope="row">([^<]+)</th><td[^>]*>(.*?)</td>', meta))
    assert cells["Ngày ban hành"] == '<time datetime="2026-04-15">15/04/2026</time>'
    assert cells["Ngày hiệu lực"] == '<time datetime="2026-04-25">25/04/2026</time>'
    assert cells["Cơ quan ban hành"] == "Ủy ban nhân dân tỉnh Mẫu Sơn"
    assert cells["Tình trạng"] == "Còn hiệu lực"
    links = re.findall(r'<a href="(/van-ban/2026/tep/[^"]+)" type="application/pdf" download>', page)
    assert links == ["/van-ban/2026/tep/08-2026-qd-ubnd.pdf", "/van-ban/2026/tep/08-2026-qd-ubnd-phu-luc.pdf"]
    for link in links:
        size = (built / link.lstrip("/")).stat().st_size
        shown = f"{size / 1024:.1f}".replace(".", ",").removesuffix(",0")
        assert f"(PDF, {shown} KB)" in page
    assert "<p>Quyết định thay thế Quyết định số 12/2025/QĐ-UBND" in page
    related = page.split("Văn bản liên quan", 1)[1]
    assert 'Thay thế văn bản: <a href="/van-ban/2025/12-2025-qd-ubnd/">Quyết định 12/2025/QĐ-UBND</a>' in related


def test_replaced_document_links_back(built: Path) -> None:
    page = read(built, "van-ban/2025/12-2025-qd-ubnd/index.html")
    assert "Tình trạng: Hết hiệu lực" in page
    assert 'Bị thay thế bởi: <a href="/van-ban/2026/08-2026-qd-ubnd/">Quyết định 08/2026/QĐ-UBND</a>' in page


def test_document_without_attachment_or_body(built: Path) -> None:
    page = read(built, "van-ban/2026/215-bc-ubnd/index.html")
    assert 'class="article-body' not in page and "Văn bản liên quan" not in page


def test_attachments_are_valid_pdfs(built: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    files = sorted(built.glob("van-ban/*/tep/*.pdf"))
    assert len(files) == 17
    for path in files:
        reader = pypdf.PdfReader(path)
        assert len(reader.pages) == 1
        assert "MẪU SƠN" in reader.pages[0].extract_text()


def test_document_feeds(built: Path) -> None:
    rss = feedparser.parse((built / "van-ban/feed.xml").read_bytes())
    atom = feedparser.parse((built / "van-ban/atom.xml").read_bytes())
    assert not rss.bozo and not atom.bozo
    assert len(rss.entries) == len(atom.entries) == 16
    assert rss.entries[0].title.startswith("Thông báo số 88/TB-UBND: Kết luận")
    assert rss.entries[0].link == "https://mauson.gov.vn/van-ban/2026/88-tb-ubnd/"
    assert rss.entries[0].enclosures[0].type == "application/pdf"
    published = [e.published_parsed for e in atom.entries]
    assert published == sorted(published, reverse=True)
    assert atom.entries[0].id.startswith("tag:mauson.gov.vn,2000:van-ban/")
    register = read(built, "van-ban/index.html")
    assert 'type="application/rss+xml" title="' in register and 'href="/van-ban/feed.xml"' in register


def test_documents_weeks_and_leaders_in_the_sitemap(built: Path) -> None:
    sitemap = read(built, "sitemap.xml")
    for url in ("van-ban/", "van-ban/2026/38-kh-ubnd/", "van-ban/loai/ke-hoach/", "van-ban/nam/2025/",
                "van-ban/page/2/", "lich-cong-tac/", "lich-cong-tac/2026/tuan-48/", "lanh-dao/",
                "co-cau-to-chuc/", "ban-do-hanh-chinh/"):
        assert f"<loc>https://mauson.gov.vn/{url}</loc>" in sitemap, url


def test_widget_shows_the_newest_documents(built: Path) -> None:
    home = read(built, "index.html")
    widget = home.split('class="widget widget-vanban"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r"<strong>([^<]+)</strong>", widget) == [
        "88/TB-UBND", "15/GM-UBND", "1024/UBND-VP", "215/BC-UBND", "64/QĐ-UBND"]
    assert 'href="/van-ban/2026/88-tb-ubnd/"' in widget and 'href="/van-ban/">Xem tất cả văn bản</a>' in widget


def test_widget_keeps_the_csv_without_documents(golden_public: Path) -> None:
    home = read(golden_public, "index.html")
    assert "widget-vanban" in home and "Xem tất cả văn bản" not in home
    assert not (golden_public / "van-ban").exists()


# --- the work schedule --------------------------------------------------------------------------


def test_current_week_and_week_pages(built: Path) -> None:
    current = read(built, "lich-cong-tac/index.html")
    assert "tuần 49 năm 2026 (30/11 - 06/12/2026)" in current
    assert '<link rel="canonical" href="https://mauson.gov.vn/lich-cong-tac/2026/tuan-49/">' in current
    assert "<strong>Lịch này thay giấy mời họp</strong>" in current
    assert 'href="/lich-cong-tac/2026/tuan-48/" rel="prev"' in current
    assert 'href="/lich-cong-tac/2026/tuan-50/" rel="next"' in current
    first = read(built, "lich-cong-tac/2026/tuan-48/index.html")
    assert 'rel="prev"' not in first and 'href="/lich-cong-tac/2026/tuan-49/" rel="next"' in first
    last = read(built, "lich-cong-tac/2026/tuan-50/index.html")
    assert 'rel="next"' not in last


def test_days_in_order_and_entries_by_time(built: Path) -> None:
    page = read(built, "lich-cong-tac/2026/tuan-49/index.html")
    days = re.findall(r'<th scope="colgroup" colspan="6" id="ngay-([\d-]+)">', page)
    assert days == ["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05"]
    tuesday = page.split('id="ngay-2026-12-01"', 1)[1].split("</tbody>", 1)[0]
    times = re.findall(r'<th scope="row" data-label="Thời gian">([^<]+)', tuesday)
    assert [t.strip() for t in times] == ["Sáng", "Tối"]
    assert tuesday.index("08:30") < tuesday.index("19:30")
    assert "Không có lịch" in page.split('id="ngay-2026-12-02"', 1)[1].split("</tbody>", 1)[0]


def test_latest_week_before_when_the_build_is_past_every_week(sample: Path, tmp_path: Path, run_cli,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-12-25T08:00:00+07:00"))
    code, _, err = run_cli("build", "--site", str(sample), "--output", str(tmp_path / "out"), "--no-cache")
    assert code == 0, err
    assert "tuần 50 năm 2026" in read(tmp_path / "out", "lich-cong-tac/index.html")


def test_schedule_prints_on_one_a4_page(built: Path) -> None:
    css = read(built, "assets/css/site.css")
    assert "@page schedule-week { size: A4 landscape;" in css and ".kind-schedule { page: schedule-week; }" in css


# --- required pages, leaders, notice, menu ------------------------------------------------------


def test_about_menu_groups_the_required_pages(built: Path) -> None:
    nav = read(built, "index.html").split('<ul class="nav-list"', 1)[1].split("</ul>\n    </div>", 1)[0]
    sub = nav.split('<ul class="sub-menu">', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r'href="([^"]+)"', sub) == ["/gioi-thieu/", "/ban-do-hanh-chinh/", "/co-cau-to-chuc/",
                                                   "/dieu-kien-tu-nhien/", "/lich-su-van-hoa/", "/lanh-dao/"]
    assert 'href="/van-ban/">Công khai văn bản</a>' in nav and 'href="/lich-cong-tac/">Lịch công tác</a>' in nav
    page = read(built, "co-cau-to-chuc/index.html")
    assert 'href="/co-cau-to-chuc/" aria-current="page"' in page


def test_map_page_shows_our_map(built: Path) -> None:
    page = read(built, "ban-do-hanh-chinh/index.html")
    assert 'src="/images/gioi-thieu/ban-do-hanh-chinh.svg"' in page
    svg = read(built, "images/gioi-thieu/ban-do-hanh-chinh.svg")
    assert "<title id=\"t\">Bản đồ hành chính tỉnh Mẫu Sơn</title>" in svg and "huyện" not in svg


def test_leaders_page_from_the_data_file(built: Path) -> None:
    page = read(built, "lanh-dao/index.html")
    names = re.findall(r'<h2 id="leader-\d">([^<]+)</h2>', page)
    assert names == ["Nông Văn Thái", "Lương Thị Hạnh", "Lê Minh Đức", "Trần Văn Bình"]
    assert '<img class="leader-photo" src="/images/lanh-dao/nong-van-thai.svg" alt="Nông Văn Thái"' in page
    assert '<a href="tel:02053870001">0205 3 870 001</a>' in page
    assert '<a href="mailto:chutich@mauson.gov.vn">' in page
    assert "<li>Trưởng Ban Chỉ đạo cải cách hành chính tỉnh</li>" in page


@pytest.mark.parametrize(("when", "shown"), [("2026-12-02T10:00:00+07:00", False), ("2026-12-04T10:00:00+07:00", True),
                                             ("2026-12-12T09:00:00+07:00", True),
                                             ("2026-12-12T12:00:00+07:00", False)])
def test_downtime_notice_between_its_dates(make_site, run_cli, monkeypatch: pytest.MonkeyPatch, when: str,
                                           shown: bool) -> None:
    from tests.conftest import MINIMAL_TOML, post_text

    toml = MINIMAL_TOML + ('\n[maintenance]\nstart = 2026-12-12T08:00:00\nend = "12/12/2026 12:00"\n')
    site = make_site({"content/tin-tuc/a.md": post_text()}, toml=toml)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(when))
    code, _, err = run_cli("build", "--site", str(site))
    assert code == 0, err
    for rel in ("index.html", "tin-tuc/index.html", "404.html"):
        page = read(site / "public", rel)
        assert ('class="site-notice"' in page) is shown
        if shown:
            assert ("tạm dừng hoạt động để bảo trì từ <time datetime=\"2026-12-12T08:00:00+07:00\">08:00 12/12/2026"
                    "</time> đến <time datetime=\"2026-12-12T12:00:00+07:00\">12:00 12/12/2026</time>.") in page


# --- structured data ----------------------------------------------------------------------------


def test_json_ld_blocks_parse_and_the_csp_is_unchanged(built: Path) -> None:
    home = read(built, "index.html")
    [org] = json_ld(home)
    assert org["@type"] == "GovernmentOrganization" and org["@context"] == "https://schema.org"
    assert org["logo"]["url"] == "https://mauson.gov.vn/images/logo.png"
    assert org["telephone"] and org["address"]["@type"] == "PostalAddress"
    article_path = next(p for p in sorted(built.rglob("index.html"))
                        if 'property="og:type" content="article"' in p.read_text(encoding="utf-8"))
    [news] = json_ld(article_path.read_text(encoding="utf-8"))
    assert news["@type"] == "NewsArticle" and news["headline"]
    assert news["datePublished"].endswith("+07:00") and news["dateModified"].endswith("+07:00")
    assert news["publisher"]["@type"] == "GovernmentOrganization"
    [law] = json_ld(read(built, "van-ban/2026/08-2026-qd-ubnd/index.html"))
    assert law["@type"] == "Legislation" and law["legislationIdentifier"] == "08/2026/QĐ-UBND"
    assert law["legislationType"] == "Quyết định" and law["legislationDate"] == "2026-04-15"
    assert law["legislationLegalForce"] == "https://schema.org/InForce"
    assert law["legislationChanges"][0]["url"] == "https://mauson.gov.vn/van-ban/2025/12-2025-qd-ubnd/"
    assert [m["encodingFormat"] for m in law["encoding"]] == ["application/pdf", "application/pdf"]
    [old] = json_ld(read(built, "van-ban/2025/12-2025-qd-ubnd/index.html"))
    assert old["legislationLegalForce"] == "https://schema.org/NotInForce"
    for rel in ("index.html", "van-ban/index.html", "lich-cong-tac/index.html"):
        page = read(built, rel)
        assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in page
        parser = _Blocks()
        parser.feed(page)
        assert [s.get("src") for s in parser.scripts if s.get("type") != "application/ld+json"] == [
            "/assets/js/site.js"]


def test_json_ld_cannot_be_closed_by_content(make_site, run_cli) -> None:
    from tests.conftest import post_text

    site = make_site({"content/tin-tuc/a.md": post_text(title='"</script><script>alert(1)</script>"')})
    code, _, err = run_cli("build", "--site", str(site))
    assert code == 0, err
    page = read(site / "public", "tin-tuc/2024/script-script-alert-1-script/index.html")
    block = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(block)["headline"] == "</script><script>alert(1)</script>"


# --- rebuilds -----------------------------------------------------------------------------------


def test_editing_a_document_rebuilds_like_a_cold_build(sample: Path, built: Path, tmp_path: Path, run_cli,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    site = copy_sample(tmp_path)
    out, cold = tmp_path / "out", tmp_path / "cold"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", IN_WEEK_49)
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    doc = site / "content/van-ban/2026/38-kh-ubnd.md"
    doc.write_text(doc.read_text(encoding="utf-8").replace("năm 2026 của tỉnh", "năm 2026 (sửa đổi) của tỉnh"),
                   encoding="utf-8")
    week = site / "content/lich-cong-tac/2026/2026-W49.toml"
    week.write_text(week.read_text(encoding="utf-8").replace("Giao ban lãnh đạo", "Họp giao ban lãnh đạo"),
                    encoding="utf-8")
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    assert run_cli("build", "--site", str(site), "--output", str(cold), "--no-cache")[0] == 0
    assert snapshot(out) == snapshot(cold)
    assert "(sửa đổi)" in read(out, "van-ban/2026/38-kh-ubnd/index.html")
    assert "Họp giao ban lãnh đạo" in read(out, "lich-cong-tac/index.html")


def test_a_new_week_moves_the_current_page(sample: Path, tmp_path: Path, run_cli,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    site = copy_sample(tmp_path)
    out = tmp_path / "out"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", IN_WEEK_49)
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-12-08T08:00:00+07:00"))
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    assert "tuần 50 năm 2026" in read(out, "lich-cong-tac/index.html")


# --- the new-week command -----------------------------------------------------------------------


def test_new_schedule_writes_next_week(make_site, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site({"content/tin-tuc/a.md": "---\ntitle: A\ndate: 2026-11-02\ncategory: Tin tức\n---\nA\n"})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", IN_WEEK_49)
    code, out, err = run_cli("new", "--schedule", "--site", str(site))
    assert code == 0, err
    made = site / "content/lich-cong-tac/2026-W50.toml"
    assert out.strip() == str(made)
    text = made.read_text(encoding="utf-8")
    assert "# ---- Thứ Hai, 07/12/2026 ----" in text and "# ---- Thứ Sáu, 11/12/2026 ----" in text
    code, _, err = run_cli("new", "--schedule", "--site", str(site))
    assert code == 1 and "đã có" in err
    assert made.read_text(encoding="utf-8") == text
    assert run_cli("build", "--site", str(site))[0] == 0


def test_readme_tables_match_the_declarations() -> None:
    from sitegen import kinds

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert kinds.table((kinds.DOCUMENT,)) in readme
    assert kinds.table((kinds.SCHEDULE_ENTRY,)) in readme
