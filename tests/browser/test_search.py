"""The search page in Chromium: queries typed with and without tone marks, filters, the empty state,
the address, the header box, without JavaScript, under the Content-Security-Policy, and the delta index
giving what a full index gives."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from sitegen import pagefind_files, search
from tests.browser.conftest import _Handler
from tests.conftest import MINIMAL_TOML, cli_run

expect = pytest.importorskip("playwright.sync_api").expect

TOML = MINIMAL_TOML  # categories "Tin tức" and "Thông báo"

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
}
TAGS = {"content/thong-bao/dien.md": "tags: [Lịch cắt điện]\n"}


def _post(title: str, date: str, category: str, body: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\ndate: {date}\ncategory: {category}\n{extra}---\n{body}\n"


def _write_site(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "site.toml").write_text(TOML, encoding="utf-8")
    for rel, (title, date, category, body) in POSTS.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_post(title, date, category, body, "draft: true\n" if "nhap" in rel else TAGS.get(rel, "")),
                        encoding="utf-8")
    return folder


def _serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


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
    whole = first.locator(".search-result-excerpt").inner_text()  # a short post: its whole text, nothing cut
    assert whole == "Học sinh vùng cao đến trường an toàn. Ngày khai giảng, các em đến trường trong niềm vui.", whole
    status = page.locator("[data-search-status]")
    assert status.get_attribute("role") == "status" and status.inner_text() == "Tìm thấy 1 kết quả cho “den truong”."


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
    page.goto(f"{search_site}/tim-kiem/")
    page.locator("#search-q").focus()
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
    links = message.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert "/archive/2024/" in links and "/thong-bao/" in links


def test_printable(search_site: str, desktop: Any) -> None:
    page, _ = desktop
    results(page, search_site, "cai cach")
    page.emulate_media(media="print")
    assert not page.locator(".search-form").is_visible()
    assert page.locator(".search-result").first.is_visible()


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
        assert not traffic.errors and not traffic.blocked
    finally:
        server.shutdown()
        server.server_close()
