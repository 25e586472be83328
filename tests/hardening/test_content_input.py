"""Issue 11, content and input: what staff really paste, save and type. One test per case, named by item."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from sitegen import guards, markup, pipeline, serve
from tests.conftest import ROOT, post_text

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
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--site", str(site)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    assert "content/tin-tuc/a.md:5: lỗi: phần thông tin lồng nhau quá sâu (quá 32 tầng" in run.stderr
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
    watcher = threading.Thread(target=serve.watch_forever, args=(preview, Loop(), stop), daemon=True)
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
