"""Front matter that used to crash or hang the build: each is now a clear problem at its line, or output."""

from __future__ import annotations

import re
import time

import pytest

from tests.conftest import post_text

HEAD = "---\ntitle: Bài viết\ndate: 2024-03-15 09:00\ncategory: Tin tức\n"  # lines 1-4
BOMB = ("a: &a ['x','x','x','x','x','x','x','x','x']\n" + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefg", "bcdefgh", strict=True)))


def problems(err: str) -> list[str]:
    return [line for line in err.splitlines() if re.match(r"^\S+:\d+: (lỗi|cảnh báo): ", line)]


@pytest.mark.parametrize(("case", "text", "expected"), [
    ("control-char-in-title", '---\ntitle: "A\\x01B"\ndate: 2024-03-15 09:00\ncategory: Tin tức\n---\nx\n',
     "content/tin-tuc/a.md:2: lỗi: 'title' chứa ký tự điều khiển không nhìn thấy (U+0001); hãy xóa ký tự này"),
    ("nul-in-summary", HEAD + 'summary: "a\\0b"\n---\nx\n',
     "content/tin-tuc/a.md:5: lỗi: 'summary' chứa ký tự điều khiển không nhìn thấy (U+0000); hãy xóa ký tự này"),
    ("lone-surrogate-in-author", HEAD + 'author: "A\\ud800"\n---\nx\n',
     "content/tin-tuc/a.md:5: lỗi: "),  # PyYAML may refuse the escape itself: either way, line 5
    ("control-char-in-tag", HEAD + 'tags: ["a", "b\\x02"]\n---\nx\n',
     "content/tin-tuc/a.md:5: lỗi: 'tags' chứa ký tự điều khiển không nhìn thấy (U+0002); hãy xóa ký tự này"),
    ("timestamp-tag-pyyaml-cannot-build", HEAD + "updated: !!timestamp '1921-01-01 00:00:00-06:41:16'\n---\nx\n",
     "content/tin-tuc/a.md:5: lỗi: phần thông tin viết sai cú pháp; kiểm tra dấu hai chấm, dấu ngoặc kép và thụt lề "
     "(chi tiết từ bộ đọc YAML: !!timestamp '1921-01-01 00:00:00-06:41:16')"),
    ("timestamp-out-of-range", "---\ntitle: A\ndate: !!timestamp 0001-01-01T00:00:00+14:00\ncategory: Tin tức\n"
     "---\nx\n", "content/tin-tuc/a.md:3: lỗi: ngày '0001-01-01 00:00:00+14:00' không đúng dạng"),
    ("year-one", "---\ntitle: A\ndate: 0001-01-01 00:00\ncategory: Tin tức\n---\nx\n",
     "content/tin-tuc/a.md:3: lỗi: ngày '0001-01-01 00:00' không có thật: ngày nằm ngoài khoảng được hỗ trợ"),
    ("category-list", "---\ntitle: A\ndate: 2024-03-15\ncategory: [1, {a: 2}]\n---\nx\n",
     "content/tin-tuc/a.md:4: lỗi: 'category' phải là một dòng chữ"),
    ("binary-title", "---\ntitle: !!binary aGVsbG8=\ndate: 2024-03-15\ncategory: Tin tức\n---\nx\n",
     "content/tin-tuc/a.md:2: lỗi: 'title' phải là một dòng chữ"),
    ("image-script-url", HEAD + "image: javascript:alert(1)\nimage_alt: x\n---\nx\n",
     "content/tin-tuc/a.md:5: lỗi: ảnh 'javascript:alert(1)' phải là tệp trong trang (ví dụ /images/2022/a.jpg) "
     "hoặc địa chỉ https://"),
    ("explicit-slug-too-long", HEAD + "slug: " + "a-" * 150 + "b\n---\nx\n",
     "content/tin-tuc/a.md:5: lỗi: 'slug' quá dài để làm đường dẫn (tối đa 200 ký tự): '"),
    ("tag-too-long", HEAD + "tags: [" + "rất dài " * 40 + "]\n---\nx\n",
     "content/tin-tuc/a.md:5: lỗi: 'tags' quá dài để làm đường dẫn (tối đa 200 ký tự): '"),
    ("alias-segment-too-long", HEAD + "aliases: [/" + "a" * 300 + "/]\n---\nx\n",
     "content/tin-tuc/a.md:5: lỗi: địa chỉ cũ '/aaaa"),
])
def test_hostile_value_is_a_problem_at_its_line(case: str, text: str, expected: str, make_site, run_cli) -> None:
    site = make_site({"content/tin-tuc/a.md": text})
    code, out, err = run_cli("build", "--site", str(site))
    assert "Traceback" not in out + err
    assert code == 1, err
    assert any(line.startswith(expected) for line in problems(err)), err
    assert not (site / "public").exists()


def test_yaml_alias_bomb_is_quick_and_short(make_site, run_cli) -> None:
    site = make_site({"content/tin-tuc/a.md": "---\n" + BOMB + "title: A\ndate: *h\ncategory: *h\nviews: *h\n"
                                                "tags: *h\n---\nx\n"})
    started = time.monotonic()
    code, out, err = run_cli("build", "--site", str(site))
    assert time.monotonic() - started < 10
    assert code == 1 and "Traceback" not in out + err
    assert len(err) < 5_000, len(err)
    assert "content/tin-tuc/a.md:11: lỗi: ngày '[[[...], [...], [...], [...], ...], " in err


def test_keys_that_are_not_text_are_warnings(make_site, run_cli) -> None:
    site = make_site({"content/tin-tuc/a.md": HEAD + "null: 1\n3: 4\ntrue: 5\n1.5: 6\n---\nx\n"})
    code, out, err = run_cli("build", "--site", str(site))
    assert code == 0, err
    assert [ln.split(": cảnh báo: ")[0] for ln in problems(err)] == [f"content/tin-tuc/a.md:{n}" for n in (5, 6, 7, 8)]


def test_a_long_title_gives_a_slug_a_file_system_can_hold(make_site, run_cli) -> None:
    title = "Kiểm tra công tác cải cách hành chính " * 12  # 450 characters, as some decisions are titled
    site = make_site({"content/tin-tuc/a.md": post_text(title=title)})
    code, out, err = run_cli("build", "--site", str(site))
    assert code == 0, err
    [page] = (site / "public" / "tin-tuc" / "2024").glob("*/index.html")
    slug = page.parent.name
    assert len(slug) <= 200 and not slug.endswith("-") and slug.startswith("kiem-tra-cong-tac-cai-cach")


def test_terminal_escapes_in_values_never_reach_the_terminal(make_site, run_cli) -> None:
    site = make_site({"content/tin-tuc/a.md": '---\ntitle: A\ndate: "\\e]0;owned\\a\\e[2J"\ncategory: "\\e[31mđỏ"\n'
                                              "---\nx\n"})
    code, out, err = run_cli("build", "--site", str(site))
    assert code == 1
    assert "\x1b" not in err and "\x07" not in err
    assert "ngày '\\x1b]0;owned\\x07\\x1b[2J'" in err


def test_control_characters_in_the_body_are_dropped(make_site, run_cli) -> None:
    site = make_site({"content/tin-tuc/a.md": post_text(body="Một\x01 hai\x0b ba &#1; bốn &#xFFFE; năm\x1f")})
    code, out, err = run_cli("build", "--site", str(site))
    assert code == 0, err
    feed = (site / "public" / "feed.xml").read_text(encoding="utf-8")
    assert "Một hai ba  bốn  năm" in feed
