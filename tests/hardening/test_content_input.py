"""Issue 11, content and input: what staff really paste, save and type. One test per case, named by item."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
import unicodedata
from pathlib import Path
from urllib.parse import quote

import pytest

from sitegen import guards, markup, pipeline, serve
from tests.conftest import MINIMAL_TOML, ROOT, post_text

HEAD = "---\ntitle: Bài viết\ndate: 2024-03-15 09:00\ncategory: Tin tức\n"  # lines 1-4
POST = "content/tin-tuc/a.md"


def problem_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if re.match(r"^\S+:\d+: (lỗi|cảnh báo|error|warning): ", line)]


def build_fails_with(make_site, run_cli, files: dict, expected: str, command: str = "build") -> Path:
    """The build fails with `expected` (a line's start) among its problems, no traceback, no output."""
    site = make_site(files)
    code, out, err = run_cli(command, "--site", str(site))
    assert "Traceback" not in out + err
    assert code == 1, err
    assert any(line.startswith(expected) for line in problem_lines(err)), err
    assert not (site / "public").exists()
    return site


# --- item 1: bound what is parsed --------------------------------------------------------------------------


def test_item1_front_matter_nested_25000_deep_is_refused_before_libyaml(tmp_path: Path) -> None:
    # In a child process: libyaml's SIGSEGV would kill pytest itself.
    site = tmp_path / "site"
    (site / "content/tin-tuc").mkdir(parents=True)
    (site / "site.toml").write_text((ROOT / "tests/conftest.py").read_text(encoding="utf-8")
                                    .split('MINIMAL_TOML = """\\\n')[1].split('"""')[0], encoding="utf-8")
    (site / POST).write_text(HEAD + "x: " + "[" * 25000 + "\n---\nNội dung.\n", encoding="utf-8")
    # A quote and a '#' before the brackets must not hide them: libyaml still nests after "b #".
    (site / "content/tin-tuc/b.md").write_text(HEAD + 'x: [a, "b #", ' + "[" * 25000 + "\n---\nx\n", encoding="utf-8")
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--site", str(site)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    assert "content/tin-tuc/a.md:5: lỗi: phần thông tin lồng nhau quá sâu (quá 32 tầng" in run.stderr
    assert "content/tin-tuc/b.md:5: lỗi: phần thông tin lồng nhau quá sâu (quá 32 tầng" in run.stderr
    assert "Traceback" not in run.stderr


def test_item1_front_matter_nested_by_indentation_is_refused(make_site, run_cli) -> None:
    nested = "".join(" " * depth + f"k{depth}:\n" for depth in range(200))
    build_fails_with(make_site, run_cli, {POST: HEAD + nested + "---\nx\n"},
                     "content/tin-tuc/a.md:37: lỗi: phần thông tin lồng nhau quá sâu")


def test_item1_front_matter_too_large_is_refused(make_site, run_cli) -> None:
    build_fails_with(make_site, run_cli, {POST: HEAD + "summary: " + "chữ " * 20000 + "\n---\nx\n"},
                     "content/tin-tuc/a.md:1: lỗi: phần thông tin quá dài (")


def test_item1_body_with_50000_brackets_is_refused_at_its_line(make_site, run_cli) -> None:
    body = "Đoạn đầu.\n\n" + "[" * 50000
    build_fails_with(make_site, run_cli, {POST: HEAD + "---\n" + body + "\n"},
                     "content/tin-tuc/a.md:8: lỗi: có quá 32 dấu '[' lồng nhau trong một đoạn")


def test_item1_body_with_unclosed_link_parens_is_refused(make_site, run_cli) -> None:
    build_fails_with(make_site, run_cli, {POST: HEAD + "---\n" + "[a](" * 5000 + "\n"},
                     "content/tin-tuc/a.md:6: lỗi: đoạn văn bắt đầu từ dòng này có hơn 200 dấu '('")


def test_item1_list_nested_1000_deep_is_refused_at_its_line(make_site, run_cli) -> None:
    nested = "\n".join("    " * depth + "- mục" for depth in range(1000))
    build_fails_with(make_site, run_cli, {POST: HEAD + "---\nMở đầu.\n\n" + nested + "\n"},
                     "content/tin-tuc/a.md:40: lỗi: danh sách hoặc trích dẫn lồng nhau quá sâu")


def test_item1_list_markers_on_one_line_are_counted(make_site, run_cli) -> None:
    build_fails_with(make_site, run_cli, {POST: HEAD + "---\n" + "- " * 1000 + "a\n"},
                     "content/tin-tuc/a.md:6: lỗi: danh sách hoặc trích dẫn lồng nhau quá sâu")


def test_item1_brackets_inside_fenced_code_are_fine(make_site, run_cli) -> None:
    site = make_site({POST: HEAD + "---\n```\n" + "[" * 5000 + "\n```\n"})
    code, _, err = run_cli("build", "--site", str(site))
    assert code == 0, err


def test_item1_recursion_in_markdown_is_a_problem_at_the_body(make_site, run_cli, monkeypatch) -> None:
    def deep(self, body: str, source_dir: str = "") -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(markup.Renderer, "render", deep)
    build_fails_with(make_site, run_cli, {POST: HEAD + "---\n\nNội dung.\n"},
                     "content/tin-tuc/a.md:7: lỗi: phần nội dung lồng nhau quá sâu để xử lý")


def test_item1_any_markdown_crash_is_a_problem_at_the_body(make_site, run_cli, monkeypatch) -> None:
    def broken(self, body: str, source_dir: str = "") -> None:
        raise IndexError("list index out of range")

    monkeypatch.setattr(markup.Renderer, "render", broken)
    build_fails_with(make_site, run_cli, {POST: HEAD + "---\nNội dung.\n"},
                     "content/tin-tuc/a.md:6: lỗi: không chuyển được phần nội dung thành trang (chi tiết: "
                     "IndexError: list index out of range)")


def _slow_render(self, body: str, source_dir: str = "") -> None:
    while True:  # a pathological input nobody foresaw: pure-Python work that never ends
        sum(range(100))


def test_item1_markdown_over_its_time_budget_is_an_error_not_a_hang(make_site, run_cli, monkeypatch) -> None:
    monkeypatch.setattr(guards, "MARKDOWN_SECONDS", 0.2)
    monkeypatch.setattr(markup.Renderer, "render", _slow_render)
    build_fails_with(make_site, run_cli, {POST: HEAD + "---\nNội dung.\n"},
                     "content/tin-tuc/a.md:6: lỗi: phần nội dung cần hơn 0.2 giây để xử lý nên đã bị dừng")


def test_item1_time_budget_also_holds_in_worker_processes(make_site, run_cli, monkeypatch) -> None:
    monkeypatch.setattr(guards, "MARKDOWN_SECONDS", 0.2)
    files = {f"content/tin-tuc/b{n:03d}.md": post_text(title=f"Bài {n}") for n in range(70)}
    files["content/tin-tuc/cham.md"] = post_text(title="Bài chậm", body="<<CHẬM>>")
    original = markup.Renderer.render

    def render(self, body: str, source_dir: str = ""):
        return _slow_render(self, body) if "<<CHẬM>>" in body else original(self, body, source_dir)

    monkeypatch.setattr(markup.Renderer, "render", render)
    build_fails_with(make_site, run_cli, files, "content/tin-tuc/cham.md:6: lỗi: phần nội dung cần hơn 0.2 giây")


def test_item1_time_budget_holds_in_a_thread(monkeypatch) -> None:
    caught: list[BaseException] = []

    def work() -> None:
        try:
            with guards.time_budget(0.2):
                _slow_render(None, "")
        except guards.MarkdownTimeout as err:
            caught.append(err)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(30)
    assert not thread.is_alive() and len(caught) == 1


def test_item1_serve_watcher_survives_any_content(make_site, monkeypatch) -> None:
    site = make_site({POST: HEAD + "---\nNội dung.\n"})
    lines: list[str] = []
    preview = serve.Preview(pipeline.Options(site=site, output=site / "out"), echo=lines.append)
    assert preview.rebuild()
    monkeypatch.setattr(serve, "POLL_SECONDS", 0.05)
    rebuilds = []
    real_run = pipeline.run

    def flaky_run(opts, state=None):
        rebuilds.append(1)
        if len(rebuilds) == 1:
            raise RuntimeError("lỗi thư viện")
        return real_run(opts, state)

    monkeypatch.setattr(pipeline, "run", flaky_run)

    class Loop:
        def add_callback(self, *args: object) -> None:
            pass

    stop = threading.Event()
    watcher = threading.Thread(target=serve.watch_forever, args=(preview, Loop(), stop, preview.sources()),
                               daemon=True)
    watcher.start()
    try:
        time.sleep(0.3)
        (site / POST).write_text(HEAD + "x: " + "[" * 25000 + "\n---\nNội dung.\n", encoding="utf-8")
        _wait(lambda: len(rebuilds) >= 1)
        assert watcher.is_alive()
        assert any("lỗi không lường trước (RuntimeError: lỗi thư viện)" in line for line in preview.errors)
        time.sleep(0.3)
        (site / POST).write_text(HEAD + "---\n" + "\n".join("    " * d + "- a" for d in range(1000)) + "\n",
                                 encoding="utf-8")
        _wait(lambda: len(rebuilds) >= 2)
        _wait(lambda: any("lồng nhau quá sâu" in line for line in preview.errors))
        time.sleep(0.3)
        (site / POST).write_text(HEAD + "---\nĐã sửa.\n", encoding="utf-8")
        _wait(lambda: not preview.errors)
        assert watcher.is_alive()
        assert "Đã sửa." in (site / "out/tin-tuc/2024/bai-viet/index.html").read_text(encoding="utf-8")
    finally:
        stop.set()
        watcher.join(5)


def _wait(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


# --- item 2: '#' in an unquoted value ------------------------------------------------------------------------


def test_item2_comment_after_a_title_is_warned_with_the_quoted_fix(make_site, run_cli) -> None:
    site = make_site({POST: "---\ntitle: Thông báo #2 lịch tiếp dân\ndate: 2024-03-15\ncategory: Tin tức\n---\nx\n"})
    code, _, err = run_cli("build", "--site", str(site))
    assert code == 0, err
    assert problem_lines(err) == [
        "content/tin-tuc/a.md:2: cảnh báo: dấu '#' đứng sau khoảng trắng mở đầu một ghi chú trong YAML nên phần "
        "'#2 lịch tiếp dân' bị bỏ mất; nếu đó là một phần của giá trị, hãy đặt cả giá trị trong ngoặc kép: "
        "title: \"Thông báo #2 lịch tiếp dân\""]
    code, _, err = run_cli("check", "--strict", "--site", str(site))
    assert code == 1, err


def test_item2_value_starting_with_hash_is_explained(make_site, run_cli) -> None:
    site = make_site({POST: "---\ntitle: #Thông báo\ndate: 2024-03-15\ncategory: Tin tức\n---\nx\n"})
    code, _, err = run_cli("check", "--site", str(site))
    assert code == 1
    assert ("content/tin-tuc/a.md:2: cảnh báo: giá trị bắt đầu bằng '#' bị YAML coi là ghi chú nên bị bỏ trống; "
            "hãy đặt cả giá trị trong ngoặc kép: title: \"#Thông báo\"") in problem_lines(err)


def test_item2_comment_in_a_list_item_and_tag_is_warned(make_site, run_cli) -> None:
    site = make_site({POST: HEAD + "tags:\n  - Cải cách #3\n---\nx\n"})
    code, _, err = run_cli("check", "--strict", "--site", str(site))
    assert code == 1
    assert any(line.startswith("content/tin-tuc/a.md:6: cảnh báo: dấu '#'") and line.endswith('- "Cải cách #3"')
               for line in problem_lines(err)), err


def test_item2_ordinary_comments_and_quoted_values_stay_quiet(make_site, run_cli) -> None:
    text = ("---\n# ghi chú của biên tập viên\ntitle: \"Thông báo #2\" # đã duyệt\ndate: 2024-03-15\n"
            "category: Tin tức\nimage:   # chưa có ảnh\ndraft: false # xem lại\nviews: 3 # tạm\n"
            "summary: |\n  Dòng có #hashtag vẫn là chữ.\n---\nx\n")
    site = make_site({POST: text})
    code, _, err = run_cli("check", "--strict", "--site", str(site))
    assert code == 0, err


# --- item 4: site.toml from Notepad ---------------------------------------------------------------------------

TOML = MINIMAL_TOML


def test_item4_site_toml_with_bom_and_crlf_is_accepted(make_site, run_cli) -> None:
    site = make_site({POST: post_text()}, toml=None)
    (site / "site.toml").write_bytes(b"\xef\xbb\xbf" + ('language = "vi"\n' + TOML).replace("\n", "\r\n").encode())
    code, _, err = run_cli("build", "--site", str(site))
    assert code == 0, err
    assert "Cổng thông tin điện tử xã Thử Nghiệm" in (site / "public/index.html").read_text(encoding="utf-8")


def test_item4_english_site_toml_with_bom_reports_in_english(make_site, run_cli) -> None:
    site = make_site({POST: post_text(category="Nowhere")}, toml=None)
    (site / "site.toml").write_bytes(b"\xef\xbb\xbf" + ('language = "en"\n' + TOML).encode())
    code, _, err = run_cli("check", "--site", str(site))
    assert code == 1 and "content/tin-tuc/a.md:4: error: unknown category 'Nowhere'" in err, err


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_item4_utf16_site_toml_gets_a_message_in_words(codec: str, make_site, run_cli) -> None:
    site = make_site({POST: post_text()}, toml=None)
    (site / "site.toml").write_bytes(TOML.encode(codec))
    code, out, err = run_cli("build", "--site", str(site))
    assert code == 1 and "Traceback" not in out + err and "codec" not in err
    assert problem_lines(err) == ["site.toml:1: lỗi: tệp được lưu ở mã UTF-16 (trong Notepad gọi là \"Unicode\"); "
                                  "hãy mở tệp, chọn Lưu thành (Save As) với bảng mã UTF-8"]


def test_item4_cp1258_site_toml_gets_a_message_in_words(make_site, run_cli) -> None:
    site = make_site({POST: post_text()}, toml=None)
    (site / "site.toml").write_bytes(TOML.encode("cp1258", errors="replace"))  # "Thông báo": ô is byte F4
    code, out, err = run_cli("build", "--site", str(site))
    assert code == 1 and "Traceback" not in out + err and "codec" not in err
    assert problem_lines(err) == ["site.toml:1: lỗi: tệp không ở mã UTF-8; hãy lưu lại với bảng mã UTF-8"]


def test_item4_utf16_post_and_data_file_are_named_too(make_site, run_cli) -> None:
    site = make_site({POST: post_text().encode("utf-16"),
                      "data/van_ban.csv": "so_hieu,ngay,trich_yeu\n".encode("utf-16")})
    code, _, err = run_cli("check", "--site", str(site))
    assert code == 1
    assert {line.split(": lỗi: ")[0] for line in problem_lines(err) if "UTF-16" in line} == {
        "content/tin-tuc/a.md:1", "data/van_ban.csv:1"}, err


# --- item 5: data/ files from Excel with Vietnamese settings ----------------------------------------------------

VAN_BAN = ("so_hieu;ngay;trich_yeu;url\r\n"
           "12/QĐ-UBND;03/10/2022;Về việc ban hành kế hoạch, cải cách;/tin-tuc/2024/bai-viet-thu/\r\n"
           "15/TB-UBND;05/10/2022;\"Thông báo; lịch tiếp dân\";\r\n;;;\r\n")


def test_item5_semicolon_csv_with_bom_is_read(make_site, run_cli) -> None:
    site = make_site({POST: post_text(), "data/van_ban.csv": b"\xef\xbb\xbf" + VAN_BAN.encode()})
    code, _, err = run_cli("build", "--strict", "--site", str(site))  # --strict: no "missing page" either
    assert code == 0, err
    home = (site / "public/index.html").read_text(encoding="utf-8")
    assert "12/QĐ-UBND" in home and "Về việc ban hành kế hoạch, cải cách" in home
    assert "Thông báo; lịch tiếp dân" in home
    assert 'href="/tin-tuc/2024/bai-viet-thu/"' in home


def test_item5_numbers_written_with_dots_are_numbers(make_site, run_cli) -> None:
    ho_so = ('[[periods]]\nlabel = "Tháng 10/2026"\nreceived = "1.286"\non_time = 1271\nlate = "15"\n')
    site = make_site({POST: post_text(), "data/ho_so.toml": ho_so,
                      "data/so_lieu.csv": "ten;so\r\nHồ sơ;1.234\r\nĐiện thoại;0912345678\r\n"})
    code, _, err = run_cli("build", "--site", str(site))
    assert code == 0, err
    home = (site / "public/index.html").read_text(encoding="utf-8")
    assert "<td>1.286</td>" in home and "<td>15</td>" in home
    from sitegen import data

    values, found = data.load_data(site)
    assert found == []
    assert values["so_lieu"] == [{"ten": "Hồ sơ", "so": 1234}, {"ten": "Điện thoại", "so": "0912345678"}]


def test_item5_missing_column_is_reported_against_the_data_file(make_site, run_cli) -> None:
    csv_text = "số hiệu;ngày;trích yếu\r\n12/QĐ-UBND;03/10/2022;Kế hoạch\r\n"
    site = make_site({POST: post_text(), "data/van_ban.csv": csv_text})
    code, out, err = run_cli("build", "--site", str(site))
    assert code == 1 and "UndefinedError" not in out + err and "templates/" not in err
    assert ("data/van_ban.csv:1: lỗi: thiếu cột 'so_hieu' mà giao diện cần để hiển thị tệp này; các cột hiện có: "
            "số hiệu, ngày, trích yếu") in problem_lines(err)


def test_item5_bad_number_is_reported_at_its_line(make_site, run_cli) -> None:
    ho_so = '[[periods]]\nlabel = "Quý III"\nreceived = 10\non_time = 9\nlate = 1\n\n[[periods]]\nlabel = "Năm"\n' \
            'received = "nhiều"\non_time = 9\nlate = 1\n'
    site = make_site({POST: post_text(), "data/ho_so.toml": ho_so})
    code, out, err = run_cli("build", "--site", str(site))
    assert code == 1 and "Traceback" not in out + err
    assert problem_lines(err) == ["data/ho_so.toml:9: lỗi: 'received' phải là số nguyên, không phải 'nhiều'"]


def test_item5_row_with_wrong_column_count_names_its_line_and_separator(make_site, run_cli) -> None:
    csv_text = "so_hieu;ngay;trich_yeu\r\n12/QĐ-UBND;03/10/2022;Kế hoạch\r\n15/TB;05/10/2022;a;b\r\n"
    site = make_site({POST: post_text(), "data/van_ban.csv": csv_text})
    code, _, err = run_cli("check", "--site", str(site))
    assert code == 1
    assert problem_lines(err) == ["data/van_ban.csv:3: lỗi: dòng này có số cột khác với dòng tiêu đề (các cột được "
                                  "tách bằng dấu ';')"]


# --- item 6: dates and numbers as the portal prints them ----------------------------------------------------------


@pytest.mark.parametrize(("written", "shown"), [
    ("03/10/2022 3:15 CH", "(03/10/2022 3:15 CH)"),
    ("03/10/2022 9:05 SA", "(03/10/2022 9:05 SA)"),
    ("03/10/2022 12:30 CH", "(03/10/2022 12:30 CH)"),
    ("03/10/2022 12:30 SA", "(03/10/2022 12:30 SA)"),
    ("03-10-2022", "(03/10/2022)"),
    ("03.10.2022", "(03/10/2022)"),
    ("03.10.2022 08:30:45", "(03/10/2022 8:30 SA)"),
    ("2022-10-03 08:30:45", "(03/10/2022 8:30 SA)"),
    ("2022-10-03 08:30 +07:00", "(03/10/2022 8:30 SA)"),
    ("2022-10-03T01:30:00 +00:00", "(03/10/2022 8:30 SA)"),
    ("03/10/2022 08:30 +07:00", "(03/10/2022 8:30 SA)"),
])
def test_item6_dates_as_the_portal_prints_them(written: str, shown: str, make_site, run_cli) -> None:
    site = make_site({POST: post_text(date=written)})
    code, _, err = run_cli("build", "--site", str(site))
    assert code == 0, err
    assert shown in (site / "public/index.html").read_text(encoding="utf-8")
    assert (site / "public/tin-tuc/2022/bai-viet-thu/index.html").is_file()


@pytest.mark.parametrize(("written", "expected"), [
    ("31/02/2022", "ngày '31/02/2022' không có thật: tháng 2 năm 2022 chỉ có 28 ngày"),
    ("2023-02-29", "ngày '2023-02-29' không có thật: tháng 2 năm 2023 chỉ có 28 ngày"),
    ("03/10/2022 25:00", "ngày '03/10/2022 25:00' không có thật: giờ chỉ từ 0 đến 23, phút và giây từ 0 đến 59"),
    ("2022-10-03 08:61", "ngày '2022-10-03 08:61' không có thật: giờ chỉ từ 0 đến 23"),
    ("03/10/2022 0:15 SA", "ngày '03/10/2022 0:15 SA' không có thật: với SA hoặc CH giờ chỉ từ 1 đến 12"),
    ("03/33/2022", "ngày '03/33/2022' không có thật: không có tháng 33"),
    ("2022-13-01", "ngày '2022-13-01' không có thật: không có tháng 13"),
    ("10/25/2022", "ngày '10/25/2022' viết tháng trước ngày; ở đây ngày luôn đứng trước tháng: 25/10/2022"),
    ("3/10/22", "ngày '3/10/22' cần năm đủ bốn chữ số, ví dụ: 03/10/2022"),
    ("3.10.22 8:30", "ngày '3.10.22 8:30' cần năm đủ bốn chữ số, ví dụ: 03.10.2022 8:30"),
])
def test_item6_impossible_dates_are_called_impossible(written: str, expected: str, make_site, run_cli) -> None:
    build_fails_with(make_site, run_cli, {POST: post_text(date=written)}, "content/tin-tuc/a.md:3: lỗi: " + expected)


@pytest.mark.parametrize(("written", "count"), [("1.234", 1234), ("1.234.567", 1234567), ("987", 987),
                                                ('"1.234"', 1234)])
def test_item6_views_written_with_dots_are_whole_numbers(written: str, count: int, make_site, run_cli) -> None:
    site = make_site({POST: post_text(views=written)})
    code, _, err = run_cli("build", "--site", str(site))
    assert code == 0, err
    page = (site / "public/tin-tuc/2024/bai-viet-thu/index.html").read_text(encoding="utf-8")
    assert f"{count:,}".replace(",", ".") in page


@pytest.mark.parametrize("written", ["1.5", "1.23", "12.3456", "1,234", "-3"])
def test_item6_views_that_are_not_counts_are_refused(written: str, make_site, run_cli) -> None:
    build_fails_with(make_site, run_cli, {POST: post_text(views=written)},
                     f"content/tin-tuc/a.md:5: lỗi: 'views' phải là số nguyên không âm, không phải '{written}'")


def test_item6_a_title_like_a_decimal_keeps_its_zero(make_site, run_cli) -> None:
    site = make_site({POST: post_text(title="1.10")})
    code, _, err = run_cli("build", "--site", str(site))
    assert code == 0, err
    assert "<h1" in (page := (site / "public/tin-tuc/2024/1-10/index.html").read_text(encoding="utf-8"))
    assert ">1.10<" in page


# --- item 3: file names saved on a Mac (NFD), links typed on Windows (NFC) -------------------------------------

NFC_NAME = "ảnh-hội-nghị.jpg"
NFD_NAME = unicodedata.normalize("NFD", NFC_NAME)
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000030000000208060000009d74d8e5") + b"\0" * 64


def test_item3_nfd_file_is_published_under_the_nfc_name_links_use(make_site, run_cli) -> None:
    assert NFD_NAME != NFC_NAME
    site = make_site({POST: post_text(body=f"![Hội nghị](/anh/{NFC_NAME})", image=f"/anh/{NFC_NAME}",
                                      image_alt="Hội nghị"),
                      f"content/anh/{NFD_NAME}": PNG})
    code, _, err = run_cli("build", "--strict", "--site", str(site))
    assert code == 0, err
    names = [p.name for p in (site / "public/anh").iterdir()]
    assert names == [NFC_NAME]  # byte for byte what the page links
    page = (site / "public/tin-tuc/2024/bai-viet-thu/index.html").read_text(encoding="utf-8")
    assert f'src="/anh/{NFC_NAME}"' in page
    assert 'width="3" height="2"' in page  # the image was found (and sized) under its disk name


def test_item3_nfd_link_is_normalised_too(make_site, run_cli) -> None:
    encoded = quote(f"/anh/{NFD_NAME}")
    site = make_site({POST: post_text(body=f"[ảnh]({encoded})"), f"content/anh/{NFC_NAME}": PNG})
    code, _, err = run_cli("build", "--strict", "--site", str(site))
    assert code == 0, err
    page = (site / "public/tin-tuc/2024/bai-viet-thu/index.html").read_text(encoding="utf-8")
    assert f'href="{quote("/anh/" + NFC_NAME)}"' in page


def test_item3_real_mismatch_is_still_reported(make_site, run_cli) -> None:
    site = make_site({POST: post_text(body="[ảnh](/anh/anh-hoi-nghi.jpg)"), f"content/anh/{NFD_NAME}": PNG})
    code, _, err = run_cli("check", "--site", str(site))
    assert "content/tin-tuc/a.md:6: cảnh báo: liên kết tới '/anh/anh-hoi-nghi.jpg' nhưng trang không có tệp này" in err


def test_item3_two_files_differing_only_by_normalisation_are_an_error(make_site, run_cli) -> None:
    site = make_site({POST: post_text(), f"content/anh/{NFD_NAME}": PNG, f"content/anh/{NFC_NAME}": PNG})
    code, _, err = run_cli("build", "--site", str(site))
    assert code == 1
    assert any("chỉ khác" in line and "NFC/NFD" in line for line in problem_lines(err)), err


# --- item 15: smaller -------------------------------------------------------------------------------------------


def test_item15_tags_differing_in_case_are_one_tag(make_site, run_cli) -> None:
    site = make_site({POST: post_text(tags="[Cải cách, cải cách, CẢI CÁCH, Cai cach]")})
    code, _, err = run_cli("build", "--site", str(site))
    assert code == 0, err
    page = (site / "public/tin-tuc/2024/bai-viet-thu/index.html").read_text(encoding="utf-8")
    assert page.count('href="/tag/cai-cach/"') == 1
    assert ">Cải cách<" in page


@pytest.mark.parametrize("inside", ["content/public", "content", "data/out", "."])
def test_item15_output_inside_the_sources_is_refused(inside: str, make_site, run_cli) -> None:
    site = make_site({POST: post_text()})
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    code, out, err = run_cli("build", "--site", str(site), "--output", str(site / inside))
    assert code == 1 and "Traceback" not in out + err
    assert "lỗi: thư mục kết quả" in err and "nằm trong thư mục" in err
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before


def test_item15_file_links_are_warned(make_site, run_cli) -> None:
    body = "Mở đầu.\n\n[Báo cáo](file:///C:/Users/VanThu/Desktop/bao-cao.docx)\n\n<a href=\"file:///D:/a.pdf\">a</a>\n"
    site = make_site({POST: post_text(body=body)})
    code, _, err = run_cli("check", "--site", str(site))
    assert code == 0
    assert [line.split(" trỏ tới")[0] for line in problem_lines(err)] == [
        "content/tin-tuc/a.md:8: cảnh báo: liên kết 'file:///C:/Users/VanThu/Desktop/bao-cao.docx'",
        "content/tin-tuc/a.md:10: cảnh báo: liên kết 'file:///D:/a.pdf'"]
    code, _, err = run_cli("check", "--strict", "--site", str(site))
    assert code == 1


def test_item15_windows_path_is_quoted_as_typed_on_its_line(make_site, run_cli) -> None:
    body = "Mở đầu.\n\nẢnh:\n\n![Hội nghị](..\\..\\images\\a.jpg)\n"
    build_fails_with(make_site, run_cli, {POST: post_text(body=body)},
                     "content/tin-tuc/a.md:10: lỗi: liên kết '..\\..\\images\\a.jpg' dùng dấu '\\' của Windows; "
                     "trên trang web hãy viết dấu '/': ../../images/a.jpg")


def test_item15_drive_path_is_called_a_file_on_your_computer(make_site, run_cli) -> None:
    body = "Mở đầu.\n\n[Tệp](C:\\Users\\a.docx)\n"
    build_fails_with(make_site, run_cli, {POST: post_text(body=body)},
                     "content/tin-tuc/a.md:8: lỗi: liên kết 'C:\\Users\\a.docx' trỏ tới một tệp trên máy tính của bạn")


@pytest.mark.parametrize(("line", "expected"), [
    ("title: @Thông báo", "giá trị không được bắt đầu bằng ký tự '@' (YAML dành riêng ký tự này)"),
    ("title: `Thông báo`", "giá trị không được bắt đầu bằng ký tự '`'"),
    ('image: "C:\\Users\\a.jpg"', "trong ngoặc kép, dấu '\\' mở đầu một ký tự đặc biệt"),
    ("tags:\n  - a\n - b", "dòng này thụt lề sai hoặc thiếu dấu ':' sau tên khóa"),
])
def test_item15_yaml_system_words_are_explained(line: str, expected: str, make_site, run_cli) -> None:
    site = make_site({POST: HEAD + line + "\n---\nx\n"})
    code, _, err = run_cli("check", "--site", str(site))
    assert code == 1
    found = [text for text in problem_lines(err) if expected in text]
    assert found and "found character" not in found[0] and "found unknown" not in found[0], err


def test_item15_other_yaml_errors_keep_the_parser_words_only_as_a_detail(make_site, run_cli) -> None:
    site = make_site({POST: HEAD + "a: &x 1\nb: &x 2\nc: !!python/name:os.system x\n---\nx\n"})
    code, _, err = run_cli("check", "--site", str(site))
    assert code == 1
    line = next(text for text in problem_lines(err) if "content/tin-tuc/a.md:" in text)
    assert re.search(r"lỗi: phần thông tin viết sai cú pháp; kiểm tra .* \(chi tiết từ bộ đọc YAML: .+\)$", line), err
