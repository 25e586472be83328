"""sitegen.plainmarkdown: the plainest bodies get exactly the HTML Python-Markdown makes of them, and
anything else is left to the library."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sitegen import plainmarkdown
from sitegen.markup import Renderer

QUICK = Renderer("/sub/", ("www.youtube.com",), "Quay lại chú thích")
LIBRARY = Renderer("/sub/", ("www.youtube.com",), "Quay lại chú thích", fast_inline=False)  # the reference
SAME = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_WORD = st.sampled_from(["Đoạn", "văn bản", "Ủy ban nhân dân", "xã Mậu Sơn", "quyết định", "a", "1.", "2)", "x!",
                         "(ghi chú)", '"trích"', "50%", "3 + 4 = 7", "a - b", ": c", "", " ", "  ", "\xa0", "#", "-"])
_URL = st.sampled_from(["/tin-tuc/", "anh/a.jpg", "../b.pdf", "../../c", "https://chinhphu.vn/a?b=1", "#muc",
                        "C:/tep.doc", "file:///C:/a.doc", "mailto:vp@mauson.example", "/a(1).jpg", "/%C3%A1.jpg", "",
                        "javascript:alert(1)", "JavaScript:x", "//evil.example/x", "data:text/html,x",
                        "data:image/png;base64,AA", "https://a.example:8080/b%20c?d=1", "/a:b", "vbscript:x",
                        "https:x", "http://a.example:/", "https://a.example/#b"])
_INLINE = st.one_of(
    _WORD,
    st.sampled_from(["*", "**", "***", "[", "]", "(", ")", "!", "![", " ", "\n", "\n- ", "\n1. ", "\n## ", "\n---",
                     "\n===", "\n> ", "\n* ", "\n+ ", "\n    ", " \n", "  \n", "\t", "|", "_", "&", "<", "\\"]),
    st.builds(lambda mark, word: f"{mark}{word}{mark}", st.sampled_from(["*", "**", "***"]), _WORD),
    st.builds(lambda mark, word, end: f"{mark}{word}{end}", st.sampled_from(["*", "**"]), _WORD,
              st.sampled_from(["*", "**"])),
    st.builds(lambda bang, text, url: f"{bang}[{text}]({url})", st.sampled_from(["", "!"]), _WORD, _URL),
    st.builds(lambda text, url: f'[{text}]({url} "tiêu đề")', _WORD, _URL),
)
_LINE = st.lists(_INLINE, max_size=8).map("".join)
_BLOCK = st.one_of(
    _LINE,
    st.builds("{}\n{}".format, _LINE, _LINE),
    st.builds("- {}\n- {}".format, _LINE, _LINE),
    st.builds("- {}\n{}".format, _LINE, _LINE),
    st.builds("{}\n- {}".format, _LINE, _LINE),
    st.builds("{} {}".format, st.sampled_from(["#", "##", "###", "####", "#######", "##"]), _LINE),
    st.builds("## {} #".format, _LINE),
    st.builds("{}\n===".format, _LINE),
    st.builds("{}\n---".format, _LINE),
)
MARKDOWN = st.builds(lambda blocks, joiner, tail: joiner.join(blocks) + tail, st.lists(_BLOCK, max_size=6),
                     st.sampled_from(["\n\n", "\n\n\n", "\n"]), st.sampled_from(["", "\n", "\n\n"]))
# Mostly inside the subset, so that the plain pass itself is what gets compared.
_PLAIN_WORD = st.sampled_from(["Đoạn văn", "Ủy ban", "xã Mậu Sơn", "1.", "2)", "x!", "(ghi chú)", '"trích"', "50%",
                               "a - b", "3 = 3", ":", "-", "*", "**", "\n", "\n- ", "!", " "])
_PLAIN_INLINE = st.one_of(
    _PLAIN_WORD, _PLAIN_WORD, _PLAIN_WORD,
    st.builds(lambda left, mark, word, right: f"{left}{mark}{word}{mark}{right}", st.sampled_from(["", " ", "a"]),
              st.sampled_from(["*", "**"]), _PLAIN_WORD, st.sampled_from(["", " ", "a", ","])),
    st.builds(lambda bang, text, url: f"{bang}[{text}]({url})", st.sampled_from(["", "!", " !"]), _PLAIN_WORD,
              _URL),
)
_PLAIN_LINE = st.lists(_PLAIN_INLINE, min_size=1, max_size=8).map("".join)
_PLAIN_BLOCK = st.one_of(
    _PLAIN_LINE, _PLAIN_LINE,
    st.builds("- {}\n- {}".format, _PLAIN_LINE, _PLAIN_LINE),
    st.builds("{} {}".format, st.sampled_from(["#", "##", "###", "######"]), _PLAIN_LINE),
)
PLAIN = st.builds(lambda blocks, joiner: joiner.join(blocks), st.lists(_PLAIN_BLOCK, min_size=1, max_size=5),
                  st.sampled_from(["\n\n", "\n\n\n"]))

POST = """Đoạn mở đầu với **chữ đậm** và *chữ nghiêng*, một [liên kết](https://chinhphu.vn/tin/1).
Dòng thứ hai của đoạn.

## Tiêu đề mục

- Mục một có [tài liệu](../van-ban/a.pdf)
- Mục **hai**

![Ảnh hội nghị](/images/2026/a.jpg)
*Ảnh hội nghị*
"""


def test_a_plain_post_skips_the_library() -> None:
    html = plainmarkdown.to_html(POST, lambda url: url)
    assert html is not None and html.startswith("<p>Đoạn mở đầu với <strong>chữ đậm</strong>")
    assert QUICK.render(POST, "tin-tuc") == LIBRARY.render(POST, "tin-tuc")


@pytest.mark.parametrize("body", ["a\\*b", "<b>x</b>", "a_b_", "| a | b |\n|---|---|\n| 1 | 2 |", "```\nx\n```",
                                  "    code", "> trích", "1. một", "a  \nb", "[^1]\n\n[^1]: chú", "***a***",
                                  '[a](/b "t")', "a &amp; b", "Tiêu đề\n===", "{: .lop}"])
def test_anything_else_is_left_to_the_library(body: str) -> None:
    assert plainmarkdown.to_html(body, lambda url: url) is None
    assert QUICK.render(body) == LIBRARY.render(body)


def test_unsafe_links_still_meet_the_sanitiser() -> None:
    html = QUICK.render("[a](javascript:x) và [b](/tin-tuc/) và ![c](data:text/html,x)").html
    assert "javascript" not in html and "data:" not in html and '<a href="/sub/tin-tuc/">b</a>' in html


def test_another_extension_turns_the_plain_pass_off() -> None:
    late = Renderer("/", (), "Quay lại chú thích")
    markdown.extensions.Extension  # noqa: B018 - the registry below is the library's public one
    late.md.inlinePatterns.register(markdown.inlinepatterns.SimpleTagInlineProcessor(r"()~~(.+?)~~", "del"),
                                    "del", 40)
    assert "<del>b</del>" in late.render("a ~~b~~ c").html
    late.md.inlinePatterns.deregister("del")
    assert late.render("a ~~b~~ c").html == "<p>a ~~b~~ c</p>"


@SAME
@given(st.one_of(MARKDOWN, PLAIN), st.sampled_from(["", "tin-tuc", "tin-tuc/2026"]))
@example("**a** *b* [c](d) ![e](f.jpg)\n\n## g **h**\n\n- i\n- *j*", "tin-tuc")
@example("a ** b ** c", "")
@example("[a](javascript:x) [b](//evil.example/) ![c](data:text/html,x) [d](JaVaScRiPt:y)", "")
@example("*a**b*", "")
@example("- a\n- b\n\n\n- c", "")
@example("- a\n\n- b\n\n- *c*\n- d\n\ne", "")
def test_same_html_as_the_library(body: str, folder: str) -> None:
    assert QUICK.render(body, folder) == LIBRARY.render(body, folder)
