"""The search page in Chromium: queries typed with and without tone marks, words of a page's category or
date, filters (with and without words), the empty state, the address, the header box, without JavaScript,
under the Content-Security-Policy, and the delta index giving what a full index gives."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest

from sitegen import pagefind, pagefind_files, search
from tests.browser.conftest import _Handler
from tests.conftest import BUILD_EPOCH, MINIMAL_TOML, cli_run

expect = pytest.importorskip("playwright.sync_api").expect

TOML = MINIMAL_TOML + """
[[categories]]
key = "chi-dao-dieu-hanh"
name = "Chỉ đạo điều hành"
"""  # "Tin tức", "Thông báo" and a name with "đ"

POSTS = {
    "content/tin-tuc/dong-dang.md": ("Cửa khẩu Đồng Đăng thông quan hàng hóa", "2024-03-15 09:00", "Tin tức",
                                     "Lượng xe qua cửa khẩu tăng mạnh trong quý I."),
    "content/tin-tuc/khong-dau.md": ("Dong dang va cac cua khau phia bac", "2023-05-02 09:00", "Tin tức",
                                     "Bai viet go khong dau ve cac cua khau."),
    "content/tin-tuc/kinh-te.md": ("Kinh tế biên giới khởi sắc", "2023-06-10 09:00", "Tin tức",
                                   "Hàng hóa qua Đồng Đăng và Tân Thanh tăng đều."),
    "content/thong-bao/cai-cach.md": ("Kế hoạch cải cách hành chính năm 2024", "2024-01-10 08:00", "Thông báo",
                                      "Đẩy mạnh cải cách thủ tục đất đai, giảm thời gian giải quyết hồ sơ."),
    "content/tin-tuc/den-truong.md": ("Học sinh vùng cao đến trường an toàn", "2022-09-05 07:00", "Tin tức",
                                      "Ngày khai giảng, các em đến trường trong niềm vui."),
    "content/tin-tuc/van-phong.md": ("Khu kinh tế Vân Phong thu hút đầu tư", "2022-11-20 10:00", "Tin tức",
                                     "Vịnh Vân Phong có cảng nước sâu."),
    "content/tin-tuc/nhap.md": ("Bản nháp về Đồng Đăng", "2024-04-01 09:00", "Tin tức", "Chưa đăng."),
    "content/thong-bao/dien.md": ("Tạm ngừng cung cấp điện để bảo dưỡng đường dây", "2024-02-20 08:00",
                                  "Thông báo", "Điện lực xã thông báo lịch tạm ngừng."),
    "content/chi-dao-dieu-hanh/hop.md": ("UBND xã họp phiên thường kỳ tháng 10", "2024-10-30 14:00",
                                        "Chỉ đạo điều hành", "Chủ tịch yêu cầu giải ngân vốn công trình."),
}
TAGS = {"content/thong-bao/dien.md": "tags: [Lịch cắt điện]\n"}
# Official documents (their category is the register's, "Công khai văn bản"): number, type, date, subject.
DOCUMENTS = {
    "content/van-ban/2026/15-gm-ubnd.md": ("15/GM-UBND", "Giấy mời", "20/08/2026",
                                           "Mời dự hội nghị tổng kết công tác năm 2026"),
    "content/van-ban/2026/38-kh-ubnd.md": ("38/KH-UBND", "Kế hoạch", "02/03/2026",
                                           "Tổ chức ngày hội đọc sách của xã"),
    "content/van-ban/2026/09-cd-ubnd.md": ("09/CĐ-UBND", "Công điện", "15/07/2026",
                                           "Ứng phó mưa lớn, lũ quét trên địa bàn xã"),
    "content/van-ban/2026/03-2026-nq-hdnd.md": ("03/2026/NQ-HĐND", "Nghị quyết", "10/07/2026",
                                                "Quy định mức chi hỗ trợ tổ công nghệ số"),
}


def _post(title: str, date: str, category: str, body: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\ndate: {date}\ncategory: {category}\n{extra}---\n{body}\n"


def _document(number: str, kind: str, issued: str, subject: str) -> str:
    issuer = "Hội đồng nhân dân" if "HĐND" in number else "Ủy ban nhân dân"
    return (f'---\nso_ky_hieu: "{number}"\nloai: {kind}\nco_quan: {issuer} xã Thử Nghiệm\n'
            f'ngay_ban_hanh: "{issued}"\ntrich_yeu: {subject}\n---\n')


def _write_site(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "site.toml").write_text(TOML, encoding="utf-8")
    for rel, (title, date, category, body) in POSTS.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_post(title, date, category, body, "draft: true\n" if "nhap" in rel else TAGS.get(rel, "")),
                        encoding="utf-8")
    for rel, fields in DOCUMENTS.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_document(*fields), encoding="utf-8")
    return folder


def _serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _news(site: Path, name: str, posts: list[tuple[str, str, str]]) -> None:
    """Posts of "Tin tức" (title, date, body), as content/tin-tuc/<name>-<n>.md."""
    for n, (title, date, body) in enumerate(posts):
        (site / f"content/tin-tuc/{name}-{n}.md").write_text(_post(title, date, "Tin tức", body), encoding="utf-8")


@contextlib.contextmanager
def _built(site: Path) -> Iterator[str]:
    """`site` built and served on 127.0.0.1: its address."""
    assert cli_run("build", "--site", str(site))[0] == 0
    server, base = _serve(site / "public")
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def search_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = _write_site(tmp_path_factory.mktemp("search-site"))
    code, _, err = cli_run("build", "--site", str(site))
    assert code == 0, err
    server, base = _serve(site / "public")
    yield base
    server.shutdown()
    server.server_close()


def results(page: Any, base: str, query: str, extra: str = "") -> list[str]:
    """Open the search page with ?q=query; the titles of the results, in order."""
    page.goto(f"{base}/tim-kiem/?q={quote(query)}{extra}")
    page.locator("[data-search-status]:not(:empty)").wait_for()
    page.locator("[data-search]:not([aria-busy])").wait_for()
    return page.locator(".search-result h2").all_inner_texts()


@pytest.mark.parametrize(("query", "expected"), [
    ("cai cach", "Kế hoạch cải cách hành chính năm 2024"),
    ("cải cách", "Kế hoạch cải cách hành chính năm 2024"),
    ("den truong", "Học sinh vùng cao đến trường an toàn"),
    ("VAN PHONG", "Khu kinh tế Vân Phong thu hút đầu tư"),
    ("thu tuc dat dai", "Kế hoạch cải cách hành chính năm 2024"),
    ("lich cat dien", "Tạm ngừng cung cấp điện để bảo dưỡng đường dây"),  # "cắt" is in its tag only
])
def test_found_with_or_without_marks(search_site: str, desktop: Any, query: str, expected: str) -> None:
    page, traffic = desktop
    assert results(page, search_site, query)[0] == expected
    assert not traffic.errors and not traffic.blocked


GM, KH, CD, NQ = (fields[3] for fields in DOCUMENTS.values())


@pytest.mark.parametrize(("query", "expected"), [
    ("văn bản 2026", {GM, KH, CD, NQ}),  # "văn" is in their category only, "2026" in the date of some only
    ("van ban", {GM, KH, CD, NQ}),
    ("cong khai van ban", {GM, KH, CD, NQ}),
    ("ke hoach van ban", {KH}),
    ("van ban 20/08", {GM}),  # its date of issue, "20/08/2026"
    ("032026", {NQ}),  # the number "03/2026/NQ-HĐND" as one word, as Pagefind indexes it too
    ("NQ-HĐND", {NQ}),
    ("KH-UBND", {KH}),  # the code without its number: Pagefind indexes "38/KH-UBND" as "38khubnd", "kh", "ubnd"
    ("GM-UBND", {GM}),
    ("38/KH-UBND", {KH}),
    ("kh-ubnd 2026", {KH}),  # "khubnd" was looked for as "khu": "Khu kinh tế" with "2026" was taken for it
    ("kh-ubnd 2022", set()),
    ("van pho", {CD, "Khu kinh tế Vân Phong thu hút đầu tư"}),  # "văn" in a category, "Vân" in a title
])
def test_words_of_the_category_and_the_date_are_found(search_site: str, desktop: Any, query: str,
                                                      expected: set[str]) -> None:
    """Pagefind matches a page's meta (its category and dates) as well as its text: those matches are kept,
    while a word no page has still finds nothing (Pagefind would match a shorter word)."""
    page, traffic = desktop
    assert set(results(page, search_site, query)) == expected
    assert results(page, search_site, "van ban zzqx") == []
    assert not traffic.errors


def test_a_category_name_with_dd(search_site: str, desktop: Any) -> None:
    """"Chỉ đạo điều hành" found by its name typed either way, shown and filtered with its "đ"."""
    page, _ = desktop
    title = "UBND xã họp phiên thường kỳ tháng 10"
    assert results(page, search_site, "chi dao dieu hanh") == [title]
    assert results(page, search_site, "chỉ đạo điều hành") == [title]
    meta = page.locator(".search-result-meta").first.inner_text()
    assert meta == "30 - 10 - 2024 · Chỉ đạo điều hành", meta
    assert results(page, search_site, "hop", "&chuyen-muc=" + quote("Chỉ đạo điều hành")) == [title]
    assert page.locator("#search-category").input_value() == "Chỉ đạo điều hành"
    assert "chuyen-muc=" + quote_plus("Chỉ đạo điều hành") in page.url


def test_exact_marks_first_and_a_title_above_the_body(search_site: str, desktop: Any) -> None:
    page, traffic = desktop
    marked, plain, body_only = ("Cửa khẩu Đồng Đăng thông quan hàng hóa", "Dong dang va cac cua khau phia bac",
                                "Kinh tế biên giới khởi sắc")
    assert results(page, search_site, "dong dang") == [plain, marked, body_only]
    assert results(page, search_site, "Đồng Đăng") == [marked, plain, body_only]
    assert "Bản nháp về Đồng Đăng" not in results(page, search_site, "dong")  # drafts stay out
    assert not traffic.errors


def test_a_result_shows_date_category_and_marked_words(search_site: str, desktop: Any) -> None:
    page, _ = desktop
    results(page, search_site, "den truong")
    first = page.locator(".search-result").first
    assert first.locator("a").get_attribute("href") == "/tin-tuc/2022/hoc-sinh-vung-cao-den-truong-an-toan/"
    assert first.locator(".search-result-meta").inner_text() == "05 - 09 - 2022 · Tin tức"  # as its card shows it
    assert first.locator(".search-result-meta time").get_attribute("datetime") == "2022-09-05"
    assert "đến" in first.locator("mark").all_inner_texts()  # shown with its đ, not the indexed form
    assert "\u0335" not in first.inner_text()
    excerpt = first.locator(".search-result-excerpt")  # a short post: its whole text, but the title above it
    assert excerpt.inner_text() == "Ngày khai giảng, các em đến trường trong niềm vui.", excerpt.inner_text()
    assert excerpt.locator("mark").all_inner_texts() == ["đến", "trường"]  # the words typed, wherever they are
    assert first.locator("h2 mark").all_inner_texts() == ["đến", "trường"]
    status = page.locator("[data-search-status]")
    assert status.get_attribute("role") == "status" and status.inner_text() == "Tìm thấy 1 kết quả cho “den truong”."
    results(page, search_site, "lich cat dien")  # found by its tag, which is no part of its text
    assert page.locator(".search-result-excerpt").first.inner_text() == "Điện lực xã thông báo lịch tạm ngừng."
    results(page, search_site, "thu hut dau tu")  # in the title alone: marked there
    first = page.locator(".search-result").first
    assert first.locator("h2 mark").all_inner_texts() == ["thu", "hút", "đầu", "tư"]
    assert first.locator(".search-result-excerpt").inner_text() == "Vịnh Vân Phong có cảng nước sâu."


def test_filters_and_the_address(search_site: str, desktop: Any) -> None:
    page, _ = desktop
    assert len(results(page, search_site, "dong dang")) == 3
    page.select_option("#search-year", "2024")
    page.wait_for_url("**nam=2024**")
    expect(page.locator(".search-result")).to_have_count(1)
    assert page.locator(".search-result h2").all_inner_texts() == ["Cửa khẩu Đồng Đăng thông quan hàng hóa"]
    assert results(page, search_site, "cai cach", "&chuyen-muc=" + quote("Tin tức")) == []
    assert page.locator("#search-category").input_value() == "Tin tức"
    assert results(page, search_site, "cai cach", "&chuyen-muc=" + quote("Thông báo")) == [
        "Kế hoạch cải cách hành chính năm 2024"]


def test_typing_updates_results_and_address(search_site: str, desktop: Any) -> None:
    page, traffic = desktop
    page.goto(f"{search_site}/tim-kiem/")
    page.locator("#search-q").press_sequentially("van phong", delay=20)
    expect(page.locator(".search-result")).to_have_count(1)
    assert "q=van+phong" in page.url
    page.locator("#search-q").fill("khong co tu nay")
    expect(page.locator("[data-search-status]")).to_contain_text("Không tìm thấy")
    assert page.locator("[data-search-status]").inner_text().startswith(
        "Không tìm thấy kết quả nào cho “khong co tu nay”.")
    assert page.locator(".search-result").count() == 0
    assert not traffic.errors


def test_filters_without_words_list_their_pages_newest_first(search_site: str, desktop: Any) -> None:
    page, traffic = desktop
    notices = ["UBND xã họp phiên thường kỳ tháng 10"]
    assert results(page, search_site, "", "&chuyen-muc=" + quote("Chỉ đạo điều hành")) == notices
    assert results(page, search_site, "", "&chuyen-muc=" + quote("Thông báo") + "&nam=2024") == [
        "Tạm ngừng cung cấp điện để bảo dưỡng đường dây", "Kế hoạch cải cách hành chính năm 2024"]
    status = page.locator("[data-search-status]").inner_text()
    assert status.startswith("Có 2 kết quả trong chuyên mục “Thông báo”, năm 2024, mới nhất trước."), status
    assert results(page, search_site, "", "&nam=2026") == [GM, CD, NQ, KH]  # 20/08, 15/07, 10/07, 02/03
    assert page.locator("[data-search-status]").inner_text().startswith("Có 4 kết quả trong năm 2026,")
    page.locator("#search-q").fill("tong ket")  # words narrow the list
    expect(page.locator(".search-result")).to_have_count(1)
    page.locator("#search-q").fill("")
    expect(page.locator(".search-result")).to_have_count(4)
    page.select_option("#search-year", "")  # neither words nor filters: nothing
    expect(page.locator(".search-result")).to_have_count(0)
    expect(page.locator("[data-search-status]")).to_have_text("")
    assert page.url.endswith("/tim-kiem/")
    assert not traffic.errors


def test_clearing_the_box_while_a_search_runs_ends_the_busy_state(search_site: str, desktop: Any) -> None:
    page, traffic = desktop
    held: list[Any] = []
    answering = threading.Event()  # until set, the index does not answer
    page.route("**/pagefind/**", lambda route: route.continue_() if answering.is_set() else held.append(route))
    page.goto(f"{search_site}/tim-kiem/?q=cai+cach")
    box = page.locator("[data-search]")
    expect(box).to_have_attribute("aria-busy", "true")
    page.locator("#search-q").fill("")
    expect(box).not_to_have_attribute("aria-busy", "true", timeout=2000)
    answering.set()
    for route in held:
        route.continue_()
    page.wait_for_timeout(500)  # the first search ends: it shows nothing and leaves the state alone
    assert box.get_attribute("aria-busy") is None
    assert page.locator(".search-result").count() == 0 and page.locator("[data-search-status]").inner_text() == ""


def test_header_box_on_every_page(search_site: str, desktop: Any) -> None:
    page, traffic = desktop
    page.goto(search_site + "/")
    csp = page.locator("meta[http-equiv=Content-Security-Policy]").get_attribute("content")
    assert "wasm-unsafe-eval" not in csp  # relaxed on the search page only
    page.locator("#site-search-q").fill("den truong")
    page.locator("#site-search-q").press("Enter")
    page.wait_for_url("**/tim-kiem/?q=den+truong")
    page.locator(".search-result").first.wait_for()
    assert "'wasm-unsafe-eval'" in page.locator("meta[http-equiv=Content-Security-Policy]").get_attribute("content")
    assert not traffic.errors and not traffic.blocked
    assert all(url.startswith(search_site) for url in traffic.requests)


def test_by_keyboard(search_site: str, desktop: Any) -> None:
    page, _ = desktop
    results(page, search_site, "cai cach")  # opened with results: the focus is left where a page starts
    assert page.evaluate("document.activeElement.tagName") == "BODY"
    page.goto(f"{search_site}/tim-kiem/")  # opened to search: the words can be typed at once
    expect(page.locator("#search-q")).to_be_focused()
    page.keyboard.type("cai cach")
    page.keyboard.press("Enter")
    page.locator(".search-result").first.wait_for()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "search-category"
    assert page.locator("label[for=search-q]").count() == 1


def test_without_javascript(search_site: str, new_context: Any) -> None:
    context, _ = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{search_site}/tim-kiem/?q=cai+cach")
    message = page.locator("[data-search-nojs]")
    assert message.is_visible() and "cần JavaScript" in message.inner_text()
    assert not page.locator("form.search-form").is_visible()  # it could only reload this page
    links = message.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert "/archive/2024/" in links and "/thong-bao/" in links and "/van-ban/" in links  # documents are found too


def test_a_short_word_also_finds_longer_ones_and_a_quoted_phrase_only_itself(tmp_path: Path, desktop: Any) -> None:
    site = _write_site(tmp_path / "site")
    (site / "content/tin-tuc/ngu-van.md").write_text(_post("Thi tuyển môn Ngữ văn", "2024-05-01 08:00", "Tin tức",
                                                           "Đề thi Ngữ văn năm nay."), encoding="utf-8")
    (site / "content/tin-tuc/nguoi.md").write_text(_post("Người dân góp ý văn bản", "2024-05-02 08:00", "Tin tức",
                                                         "Người dân góp ý."), encoding="utf-8")
    (site / "content/tin-tuc/giao-dat.md").write_text(_post(  # each word first met apart, then the phrase
        "Giao đất cho hộ nghèo", "2024-05-03 08:00", "Tin tức", "Xã giao đất ở; người dân học luật đất đai và "
        "thi ngữ pháp, văn mẫu, rồi môn ngữ văn."), encoding="utf-8")
    page, _ = desktop
    with _built(site) as base:
        assert results(page, base, "ngữ văn")[:2] == ["Thi tuyển môn Ngữ văn", "Người dân góp ý văn bản"]
        assert sorted(results(page, base, '"ngữ văn"')) == sorted(results(page, base, '"ngu van"')) == [
            "Giao đất cho hộ nghèo", "Thi tuyển môn Ngữ văn"]  # the phrase where it is, not where its words first are
        assert results(page, base, '"dat dai"') == ["Giao đất cho hộ nghèo", "Kế hoạch cải cách hành chính năm 2024"]
        results(page, base, '"ngu van"')  # in quotes, the phrase is marked, not its words apart ("ngữ pháp, văn mẫu")
        excerpt = page.locator(".search-result", has_text="Giao đất").locator(".search-result-excerpt")
        assert excerpt.locator("mark").all_inner_texts() == ["ngữ", "văn"], excerpt.inner_html()


def test_an_excerpt_begun_inside_a_long_title_leaves_the_title_out(tmp_path: Path, desktop: Any) -> None:
    site = _write_site(tmp_path / "site")
    title = ("Thông báo kết quả rà soát, đánh giá mức độ hoàn thành nhiệm vụ cải cách thủ tục hành chính "
             "của các cơ quan, đơn vị trên địa bàn xã trong sáu tháng đầu năm về giải ngân")
    body = "Các đơn vị hoàn thành đúng hạn được biểu dương. " + "Đơn vị chậm tiến độ phải báo cáo lý do. " * 5
    (site / "content/thong-bao/ra-soat.md").write_text(_post(title, "2024-07-01 08:00", "Thông báo", body),
                                                       encoding="utf-8")
    page, _ = desktop
    with _built(site) as base:
        assert results(page, base, "giai ngan")[0] == title
        excerpt = page.locator(".search-result-excerpt").first.inner_text()  # the text's first 24 words
        assert excerpt == " ".join(body.split()[:24]) + " …", excerpt
        assert page.locator(".search-result h2").first.locator("mark").all_inner_texts() == ["giải", "ngân"]


def test_a_code_typed_without_its_number_finds_the_pages_that_name_it(tmp_path: Path, desktop: Any) -> None:
    """Pagefind holds "126/KH-UBND" as "126khubnd", "kh" and "ubnd", and looked for "KH-UBND" as "khu": with one
    page holding both a "Khu" and the code, every page with a "khu" was kept."""
    site = _write_site(tmp_path / "site")
    (site / "content/thong-bao/khu-dan-cu.md").write_text(_post(
        "Khu dân cư số 5 triển khai kế hoạch", "2024-08-01 08:00", "Thông báo",
        "Thực hiện Kế hoạch 126/KH-UBND, khu dân cư ra quân."), encoding="utf-8")
    _news(site, "khu", [(f"Khu phố {n} sạch đẹp", f"2024-08-0{n + 2} 08:00", "UBND xã khen thưởng.") for n in range(6)])
    page, traffic = desktop
    with _built(site) as base:
        assert sorted(results(page, base, "KH-UBND")) == sorted(results(page, base, "kh-ubnd")) == [
            "Khu dân cư số 5 triển khai kế hoạch", KH]
        marks = page.locator(".search-result mark").all_inner_texts()
        assert "126/KH-UBND" in marks and "Khu" not in marks, marks
        assert results(page, base, "38/KH-UBND") == [KH]
        assert "38/KH-UBND" in page.locator(".search-result mark").all_inner_texts()
        assert not traffic.errors


def test_a_printout_of_some_results_says_how_many_of_all(tmp_path: Path, desktop: Any) -> None:
    site = _write_site(tmp_path / "site")
    _news(site, "mua-vu", [(f"Mùa vụ thôn {n}", f"2022-0{1 + n % 9}-1{n % 10} 08:00", "Bà con xuống đồng.")
                           for n in range(12)])
    page, _ = desktop
    with _built(site) as base:
        assert len(results(page, base, "mua vu")) == 10
        note = page.locator("[data-search-printed]")
        assert not note.is_visible()  # on screen the button says there are more
        page.emulate_media(media="print")
        assert note.inner_text() == ("Bản in gồm 10 trong số 12 kết quả: bấm “Xem thêm kết quả” trước khi in "
                                     "để in thêm.")
        page.emulate_media(media="screen")
        page.locator("[data-search-more]").click()
        page.locator(".search-result").nth(11).wait_for()
        page.emulate_media(media="print")
        assert not note.is_visible() and note.inner_text() == ""  # all of them are printed


def test_a_filter_the_page_does_not_have_is_said_to_be_left_out(search_site: str, desktop: Any) -> None:
    page, _ = desktop
    shown = results(page, search_site, "cai cach", "&chuyen-muc=" + quote("Không có") + "&nam=1999")
    assert "Kế hoạch cải cách hành chính năm 2024" in shown  # searched without them
    status = page.locator("[data-search-status]").inner_text()
    assert status.startswith("Không có lựa chọn “Không có” trong bộ lọc nên đã bỏ qua. Không có lựa chọn “1999”")
    assert page.evaluate("location.search") == "?q=cai+cach"
    page.goto(f"{search_site}/tim-kiem/?nam=1999")  # nothing left to search: the sentence alone
    page.locator("[data-search-status]:not(:empty)").wait_for()
    assert page.locator("[data-search-status]").inner_text() == "Không có lựa chọn “1999” trong bộ lọc nên đã bỏ qua."
    assert page.locator(".search-result").count() == 0


def test_back_returns_to_each_search_made(search_site: str, desktop: Any) -> None:
    page, _ = desktop
    results(page, search_site, "cai cach")
    page.locator("#search-q").fill("dong dang")
    page.locator("#search-q").press("Enter")
    page.wait_for_url("**/tim-kiem/?q=dong+dang")
    page.locator("[data-search]:not([aria-busy])").wait_for()
    page.locator("#search-year").select_option("2024")
    page.wait_for_url("**/tim-kiem/?q=dong+dang&nam=2024")
    page.go_back()
    page.wait_for_url("**/tim-kiem/?q=dong+dang")
    assert page.locator("#search-year").input_value() == ""
    page.go_back()
    page.wait_for_url("**/tim-kiem/?q=cai+cach")
    assert page.locator("#search-q").input_value() == "cai cach"
    page.locator("[data-search]:not([aria-busy])").wait_for()
    assert "Kế hoạch cải cách hành chính năm 2024" in page.locator(".search-result h2").all_inner_texts()


def test_printable(search_site: str, desktop: Any) -> None:
    page, _ = desktop
    results(page, search_site, "cai cach", "&nam=2024")
    page.emulate_media(media="print")
    assert not page.locator(".search-form").is_visible()
    assert page.locator(".search-result").first.is_visible()
    # on paper the form is gone: the status says what was searched, each result where it is
    assert page.locator("[data-search-status]").inner_text().endswith("cho “cai cach” trong năm 2024.")
    link = page.locator(".search-result h2 a").first
    printed = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert printed == f'" {search_site}{link.get_attribute("href")}"', printed


def test_an_edited_page_in_the_delta_ranks_where_a_full_index_puts_it(tmp_path: Path, desktop: Any,
                                                                       monkeypatch) -> None:
    """Alone in its own index, an edited page was scored against itself only and sank below pages that hold the
    words in their bodies; with the sample of unchanged pages beside it, the order is the cold build's."""
    monkeypatch.setattr(search, "DELTA_FROM", 1)
    site = _write_site(tmp_path / "site")
    _news(site, "canh-dong", [(f"Mùa vụ thôn {n}", f"2022-0{1 + n % 9}-1{n % 10} 08:00",
                               "Bà con ra đồng sớm. " * (1 + n % 4) + "Hợp tác xã đăng ký giống mới.")
                              for n in range(40)])
    assert cli_run("build", "--site", str(site))[0] == 0
    edited = site / "content/tin-tuc/kinh-te.md"
    edited.write_text(_post("Đồng Đăng đón đoàn kiểm tra", "2023-06-10 09:00", "Tin tức",
                            "Đoàn làm việc tại cửa khẩu."), encoding="utf-8")
    assert cli_run("build", "--site", str(site))[0] == 0
    assert (site / "public/pagefind-delta").is_dir()
    assert cli_run("build", "--site", str(site), "--no-cache", "--output", str(tmp_path / "cold"))[0] == 0
    page, traffic = desktop
    served = [_serve(site / "public"), _serve(tmp_path / "cold")]
    try:
        for query in ("dong dang", "Đồng Đăng", "doan kiem tra"):
            delta, cold = (results(page, base, query) for _, base in served)
            assert delta[:5] == cold[:5] and "Đồng Đăng đón đoàn kiểm tra" in delta[:3], (query, delta, cold)
        assert not traffic.errors
    finally:
        for server, _ in served:
            server.shutdown()
            server.server_close()


def test_a_word_of_the_main_index_alone_finds_no_page_of_the_deltas_sample(tmp_path: Path, desktop: Any,
                                                                           monkeypatch) -> None:
    """Pagefind shortens a query word that no word of an index starts with: the delta, which lacks "giàng",
    looked for "gia" and matched its sample of unchanged pages ("tham gia"), shown beside the one right result."""
    monkeypatch.setattr(search, "DELTA_FROM", 1)
    monkeypatch.setattr(search, "PAD_RECORDS", 12)
    site = _write_site(tmp_path / "site")
    _news(site, "pha", [(f"Phát động phong trào ở thôn {n}", f"2022-03-1{n % 10} 08:00", "Nhân dân tham gia đông đủ.")
                        for n in range(40)])
    (site / "content/tin-tuc/quat.md").write_text(_post("Lắp quạt cho nhà văn hóa bản Giàng", "2022-04-02 08:00",
                                                        "Tin tức", "Kinh phí do nhân dân đóng góp."), encoding="utf-8")
    assert cli_run("build", "--site", str(site))[0] == 0
    edited = site / "content/tin-tuc/kinh-te.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nThêm một câu.\n", encoding="utf-8")
    assert cli_run("build", "--site", str(site))[0] == 0
    index = site / "public/pagefind"
    changes = json.loads((index / "changes.json").read_text(encoding="utf-8"))
    fragments = pagefind.fragment_urls({f"fragment/{f.name}": f.read_bytes() for f in (index / "fragment").iterdir()})
    assert changes["delta"] and len(changes["pads"]) == 12
    assert fragments["tin-tuc/2022/lap-quat-cho-nha-van-hoa-ban-giang/"] not in changes["pads"]
    server, base = _serve(site / "public")
    page, traffic = desktop
    try:
        right = ["Lắp quạt cho nhà văn hóa bản Giàng", "Học sinh vùng cao đến trường an toàn"]  # "khai giảng"
        assert results(page, base, "giàng") == right and sorted(results(page, base, "giang")) == sorted(right)
        assert len(results(page, base, "phat dong")) == 10  # a word of the sample still finds it, once each
        assert page.locator("[data-search-status]").inner_text().startswith("Tìm thấy 40 kết quả")
        assert not traffic.errors
    finally:
        server.shutdown()
        server.server_close()


def test_the_delta_gives_what_a_full_index_gives(tmp_path: Path, desktop: Any, monkeypatch) -> None:
    """With the delta from 1 record: edit one post, add one, remove one; the same results as a cold build."""
    monkeypatch.setattr(search, "DELTA_FROM", 1)
    site = _write_site(tmp_path / "site")
    assert cli_run("build", "--site", str(site))[0] == 0
    edited = site / "content/tin-tuc/kinh-te.md"
    edited.write_text(_post("Kinh tế biên giới khởi sắc", "2023-06-10 09:00", "Tin tức",
                            "Hàng hóa qua Tân Thanh tăng đều."), encoding="utf-8")
    (site / "content/tin-tuc/van-phong.md").unlink()
    (site / "content/tin-tuc/moi.md").write_text(_post("Mở rộng cửa khẩu Đồng Đăng", "2024-05-01 09:00", "Tin tức",
                                                       "Dự án mở rộng bãi xe."), encoding="utf-8")
    assert cli_run("build", "--site", str(site))[0] == 0
    assert (site / "public/pagefind-delta").is_dir()
    assert cli_run("build", "--site", str(site), "--no-cache", "--output", str(tmp_path / "cold"))[0] == 0
    assert not (tmp_path / "cold/pagefind-delta").exists()
    page, traffic = desktop
    served = [_serve(site / "public"), _serve(tmp_path / "cold")]
    try:
        for query in ("dong dang", "dong", "kinh te", "van phong", "tan thanh", "cua khau", "hang hoa"):
            delta, cold = (sorted(results(page, base, query)) for _, base in served)
            assert delta == cold, query
        for filters in ("&chuyen-muc=" + quote("Tin tức"), "&nam=2024", "&nam=2023"):  # the same order
            delta, cold = (results(page, base, "", filters) for _, base in served)
            assert delta == cold, filters
        assert delta == ["Kinh tế biên giới khởi sắc", "Dong dang va cac cua khau phia bac"]  # edited: in the delta
        assert results(page, served[0][1], "", "&nam=2024")[:3] == [  # the new one between the main index's
            "UBND xã họp phiên thường kỳ tháng 10", "Mở rộng cửa khẩu Đồng Đăng",
            "Cửa khẩu Đồng Đăng thông quan hàng hóa"]
        assert not traffic.errors
    finally:
        for server, _ in served:
            server.shutdown()
            server.server_close()


def test_small_chunks_a_word_deep_in_a_body_and_a_word_half_typed(tmp_path: Path, desktop: Any,
                                                                   monkeypatch) -> None:
    """With every word in a chunk of its own (as the common words of a large site are): the queries above
    find what they found, a word half typed finds its word, and a phrase past the first lines of a body is found."""
    monkeypatch.setattr(pagefind_files, "CHUNK_BYTES", 1)
    site = _write_site(tmp_path / "site")
    filler = " ".join(["Người dân được hướng dẫn tận tình khi nộp hồ sơ tại bộ phận một cửa."] * 4)
    (site / "content/thong-bao/tiep-dan.md").write_text(_post(
        "Thông báo của Ủy ban nhân dân", "2024-02-01 08:00", "Thông báo",
        f"{filler}\n\nLịch tiếp công dân định kỳ vào sáng thứ Năm hằng tuần."), encoding="utf-8")
    assert cli_run("build", "--site", str(site))[0] == 0
    assert len(list((site / "public/pagefind/index").iterdir())) > 50
    server, base = _serve(site / "public")
    page, traffic = desktop
    try:
        for query, expected in [("cai cach", "Kế hoạch cải cách hành chính năm 2024"),
                                ("den truong", "Học sinh vùng cao đến trường an toàn"),
                                ("thu tuc dat dai", "Kế hoạch cải cách hành chính năm 2024"),
                                ("van pho", "Khu kinh tế Vân Phong thu hút đầu tư"),
                                ("lich tiep cong dan", "Thông báo của Ủy ban nhân dân")]:
            assert results(page, base, query)[0] == expected, query
        assert results(page, base, "dong dang")[:2] == ["Dong dang va cac cua khau phia bac",
                                                        "Cửa khẩu Đồng Đăng thông quan hàng hóa"]
        results(page, base, "lich tiep cong dan")
        assert "tiếp" in page.locator(".search-result mark").all_inner_texts()
        deep = page.locator(".search-result-excerpt").first.inner_text()
        assert deep.startswith("… ") and "Lịch tiếp công dân" in deep, deep  # the body's start is cut off
        assert deep.endswith(" …") or deep.endswith("hằng tuần."), deep
        results(page, base, "hang tuan")  # Pagefind marks "tuần." with its period: marked as a word, without it
        assert page.locator(".search-result-excerpt").first.locator("mark").all_inner_texts() == ["hằng", "tuần"]
        assert page.locator(".search-result-excerpt").first.inner_text().endswith("hằng tuần.")
        assert not traffic.errors and not traffic.blocked
    finally:
        server.shutdown()
        server.server_close()


def test_search_text_all_finds_a_phrase_deep_in_a_body(tmp_path: Path, desktop: Any) -> None:
    """By default a page's first 400 characters are searched; `search_text = "all"` searches its whole text,
    and changing the setting indexes every page again on the next build (the cache kept)."""
    site = _write_site(tmp_path / "site")
    filler = " ".join(["Người dân được hướng dẫn tận tình khi nộp hồ sơ tại bộ phận một cửa."] * 25)
    (site / "content/thong-bao/mot-cua.md").write_text(_post(
        "Kết quả giải quyết hồ sơ tháng 5", "2024-06-01 08:00", "Thông báo",
        f"{filler}\n\nRiêng thủ tục chứng thực bản sao được trả ngay trong buổi."), encoding="utf-8")
    toml = (site / "site.toml").read_text(encoding="utf-8")
    server, base = _serve(site / "public")
    page, traffic = desktop
    try:
        for setting, found in [("", []), ('search_text = "all"\n', ["Kết quả giải quyết hồ sơ tháng 5"]),
                               ("search_text = 400\n", [])]:
            (site / "site.toml").write_text(setting + toml, encoding="utf-8")
            assert cli_run("build", "--site", str(site))[0] == 0
            assert results(page, base, "chung thuc ban sao") == found, setting
        (site / "site.toml").write_text('search_text = "all"\n' + toml, encoding="utf-8")
        assert cli_run("build", "--site", str(site))[0] == 0
        results(page, base, "chung thuc ban sao")
        excerpt = page.locator(".search-result-excerpt").first.inner_text()
        assert excerpt.startswith("… ") and "chứng thực bản sao" in excerpt, excerpt
        assert {"chứng", "thực"} <= set(page.locator(".search-result mark").all_inner_texts())
        assert not traffic.errors and not traffic.blocked
    finally:
        server.shutdown()
        server.server_close()


def test_a_province_finds_its_communes_by_name(tmp_path: Path, desktop: Any, monkeypatch) -> None:
    """The province's search holds each commune under "Xã, phường", by its site's name, address and phone:
    typed without marks, it links to the commune's own site."""
    from tests.test_province import MEMBER_TOML, PROVINCE_TOML, post, write

    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    site = tmp_path / "tinh"
    write(site, "site.toml", PROVINCE_TOML)
    write(site, "content/tin-tuc/2026/hop.md", post("Tỉnh họp bàn kế hoạch với xã An Phú", "2026-09-10 08:00"))
    write(site, "xa/an-phu/site.toml", MEMBER_TOML.format(
        name="xã An Phú", host="anphu", address="Thôn Một, xã An Phú", phone='phone = "0205 3 111 222"'))
    write(site, "xa/dong-hai/site.toml", MEMBER_TOML.format(
        name="phường Đông Hải", host="donghai", address="Số 5 đường Biển", phone=""))
    write(site, "xa/an-phu/content/tin-tuc/2026/duong.md", post("Làm đường liên thôn", "2026-09-15"))
    write(site, "xa/dong-hai/content/tin-tuc/2026/tu-sach.md", post("Ra mắt tủ sách khu phố", "2026-09-16"))
    code, _, err = cli_run("build", "--site", str(site))
    assert code == 0, err
    server, base = _serve(site / "public")
    try:
        page, traffic = desktop
        assert results(page, base, "dong hai") == ["Trang thông tin điện tử phường Đông Hải"]
        first = page.locator(".search-result").first
        assert first.locator("a").get_attribute("href") == "https://donghai.thunghiem.gov.example/"
        assert first.locator(".search-result-meta").inner_text() == "Xã, phường"
        assert first.locator(".search-result-excerpt").inner_text() == "Địa chỉ: Số 5 đường Biển."
        assert first.locator("h2 mark").all_inner_texts() == ["Đông", "Hải"]
        assert results(page, base, "02053111222") == ["Trang thông tin điện tử xã An Phú"]  # typed without spaces
        assert "Điện thoại: 0205 3 111 222." in page.locator(".search-result-excerpt").inner_text()
        assert results(page, base, "0205 3 111 222") == ["Trang thông tin điện tử xã An Phú"]
        assert sorted(results(page, base, "an phu")) == ["Trang thông tin điện tử xã An Phú",
                                                         "Tỉnh họp bàn kế hoạch với xã An Phú"]
        assert results(page, base, "", "&chuyen-muc=" + quote("Xã, phường")) == [  # undated: by address
            "Trang thông tin điện tử xã An Phú", "Trang thông tin điện tử phường Đông Hải"]
        assert page.locator("#search-category").input_value() == "Xã, phường"  # a choice of the form
        assert page.locator("[data-search-status]").inner_text() == (  # undated: not "newest first"
            "Có 2 kết quả trong chuyên mục “Xã, phường”. Nhập từ khóa để tìm trong số đó.")
        assert not traffic.errors
    finally:
        server.shutdown()
        server.server_close()
