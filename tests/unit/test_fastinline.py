"""sitegen.fastinline: the faster inline pass renders exactly what Python-Markdown's own does, and
steps aside (saying so once) where it was not read off the library."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sitegen import fastinline, markup
from sitegen.markup import EXTENSIONS, Renderer
from tests.conftest import post_text

YOUTUBE = "www.youtube.com"

# --- the fast inline pass renders exactly what Python-Markdown's own does ---------------------------

FAST = Renderer("/sub/", (YOUTUBE,), "Quay lại chú thích")
PLAIN = Renderer("/sub/", (YOUTUBE,), "Quay lại chú thích", fast_inline=False)  # the reference
SAME = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_WORD = st.sampled_from(["Đoạn", "văn bản", "Ủy ban nhân dân", "xã Mậu Sơn", "tiếng Việt", "quyết định", "a", "b",
                         "snake_case_name", "2*3*4", "1.", "x!", "đ", ""])
_URL = st.sampled_from(["/tin-tuc/", "anh/a.jpg", "../b.pdf", "https://chinhphu.vn/a?b=1&c=2#d", "#muc",
                        "/a_b_c/", r"/a\_b/", "mailto:vp@mauson.example", "<ten tep.pdf>", "/a(1).jpg", ""])
_TITLE = st.sampled_from(["Ảnh", "Đoàn *kiểm* tra", 'a "b" c', "x & y", "<b>t</b>", "`c`", ""])
_TOKEN = st.sampled_from([  # every character some inline pattern looks for, alone and in odd company
    "*", "**", "***", "_", "__", "`", "``", "\\", "\\\\", "[", "]", "(", ")", "!", "![", "[^", "<", ">", "&", ";",
    "#", "^", ":", "@", "/", "|", "-", '"', "'", "{", "}", " ", "  ", "\n", "  \n", "\t", "\x02", "\x03"])
_INLINE = st.one_of(
    _WORD, _TOKEN,
    st.builds(lambda mark, word: f"{mark}{word}{mark}", st.sampled_from(["*", "**", "***", "_", "__", "`", "``"]),
              _WORD),
    st.builds(lambda text, url: f"[{text}]({url})", _WORD, _URL),
    st.builds(lambda alt, url, title: f'![{alt}]({url} "{title}")', _WORD, _URL, _TITLE),
    st.builds(lambda text, ref: f"[{text}][{ref}]", _WORD, st.sampled_from(["r", "R", "khong-co", ""])),
    st.sampled_from([
        "[r]", "![r]", "![a][r]", "[^1]", "[^ghi-chu]", "[^khong-co]", "`a ` b`", "``a ` b``", "`<b>&amp;</b>`",
        '<span class="a">x</span>', "<b>", "</b>", "<!-- ghi chú -->", "<br/>", '<a href="/x/">y</a>',
        "<?php x ?>", "<![CDATA[x]]>", "<https://chinhphu.vn/a?b=1>", "<vp@mauson.example>", "<a @b>",
        "&amp;", "&#123;", "&#x1F600;", "&copy;", "&khongco;", "&#;", "& ", "\\*", "\\_", "\\[", "\\`", "\\<",
        "\\&", "\\!", "\\#", "\\\\", "\\ả", "{#id .lop}", "{: .lop}", "Thứ Hai", "Điện Biên Phủ", "nghiêm",
    ]),
)
_LINE = st.lists(_INLINE, max_size=10).map("".join)
_BLOCK = st.one_of(
    _LINE,
    st.builds("- {}\n- {}".format, _LINE, _LINE),
    st.builds("1. {}\n2. {}\n    * {}".format, _LINE, _LINE, _LINE),
    st.builds("> {}".format, _LINE),
    st.builds("## {}".format, _LINE),
    st.builds("| {} | {} |\n|:--|--:|\n| {} | {} |".format, _LINE, _LINE, _LINE, _LINE),
    st.builds("```\n{}\n```".format, _LINE),
    st.builds("    {}".format, _LINE),
    st.builds("[^1]: {}".format, _LINE),
    st.builds("{}[^ghi-chu]{}\n\n[^ghi-chu]: {}".format, _LINE, _LINE, _LINE),
    st.builds("[^ghi-chu]: {}\n    {}".format, _LINE, _LINE),
    st.builds('[r]: {} "{}"'.format, _URL, _TITLE),
    st.builds("<div>{}</div>".format, _LINE),
)
MARKDOWN = st.builds(lambda blocks, joiner: joiner.join(blocks), st.lists(_BLOCK, max_size=6),
                     st.sampled_from(["\n\n", "\n", "  \n"]))


def test_fast_inline_is_in_place_with_the_pinned_markdown() -> None:
    # if this fails after upgrading Markdown, read the new regexes and inline loop, then update the table
    assert FAST.fast_inline and type(FAST.md.treeprocessors["inline"]).__name__ == "_FastInline"
    assert not PLAIN.fast_inline and type(PLAIN.md.treeprocessors["inline"]).__name__ == "InlineProcessor"
    fast_order = [type(p).__name__.replace("_FastInline", "InlineProcessor") for p in FAST.md.treeprocessors]
    assert fast_order == [type(p).__name__ for p in PLAIN.md.treeprocessors]  # in the same place


@pytest.mark.parametrize("body", [
    "", "Chữ thường, không ký tự đặc biệt.", "a  \nb", "a \nb", "a\\\nb", "&copy; &amp; &#123; &#x41; &nosuch; & a",
    "\\* \\_ \\` \\\\ \\[ \\<", "`code` và ``a ` b``", "\\`not code`", "<b>x</b> <!-- c --> <br/>",
    "<https://chinhphu.vn/> <vp@mauson.example>", "Chú thích[^1] và [^2].\n\n[^1]: Một *nghiêng*.\n\n[^2]: Hai",
    '![a](/b.png "Tiêu đề") ![c][r] [d][r] [r]\n\n[r]: /x/ "t"', "*a* **b** ***c*** _d_ __e__ snake_case_x 2*3*4",
    "- *a*\n- [b](/b/)\n\n1. `c`\n2. &amp;", "| *a* | `b` |\n|---|--:|\n| [c](/c/) | d  \ne |",
    "**đậm *lồng* nhau**", "[liên kết **đậm**](/x/)", "![ảnh *a*](/a.jpg)", "*[a](/b/)*", "<span>*x*</span>",
    "_nghiêng_ và __đậm__ không sao", "a*b", "* a *", "[a](<b c>)", "[a]: /x\n\n[a]",
    "x \x02klzzwxh:0000\x03 y", "## Tiêu đề *a* {#id}",
])
def test_fast_inline_same_html_examples(body: str) -> None:
    assert FAST.render(body, "tin-tuc/2022") == PLAIN.render(body, "tin-tuc/2022")


@SAME
@given(body=MARKDOWN)
@example(body="a  \nb")
@example(body="_a_ &amp; `b`")
def test_fast_inline_same_html_as_markdown(body: str) -> None:
    assert FAST.render(body, "tin-tuc/2022") == PLAIN.render(body, "tin-tuc/2022")


@SAME
@given(body=st.text(st.sampled_from(list("ab ả*_`\\[]()!<>&;#^:@/\n\"'x.-|")), max_size=60))
def test_fast_inline_same_html_on_punctuation_soup(body: str) -> None:
    assert FAST.render(body) == PLAIN.render(body)


def test_fast_inline_falls_back_for_other_patterns(monkeypatch: pytest.MonkeyPatch) -> None:
    nl2br = markdown.Markdown(extensions=[*EXTENSIONS, "nl2br"])  # one more pattern
    assert not fastinline.fast_inline(nl2br)
    assert type(nl2br.treeprocessors["inline"]).__name__ == "InlineProcessor"
    changed = markdown.Markdown(extensions=EXTENSIONS)  # same name, other regex
    changed.inlinePatterns.register(
        markdown.inlinepatterns.SubstituteTagInlineProcessor(r"\n", "br"), "linebreak", 100)
    assert not fastinline.fast_inline(changed)
    monkeypatch.setattr(markdown, "__version__", "3.12.0")  # internals not read for this version
    assert not Renderer().fast_inline


def test_a_pattern_registered_late_is_used() -> None:
    late = Renderer("/", (YOUTUBE,), "Quay lại chú thích")
    assert late.fast_inline and "~~b~~" in late.render("a ~~b~~ c").html  # rendered once: snapshot taken
    markup.fallback_reason(clear=True)
    late.md.inlinePatterns.register(markdown.inlinepatterns.SimpleTagInlineProcessor(r"()~~(.+?)~~", "del"),
                                    "del", 65)
    assert late.render("a ~~b~~ *c*").html == "<p>a <del>b</del> <em>c</em></p>"
    assert not late.fast_inline
    assert markup.fallback_reason(clear=True) == fastinline.FALLBACK_PATTERNS and markup.fallback_reason() is None


def test_pattern_is_imported_for_type_checking_only() -> None:
    tree = ast.parse(Path(fastinline.__file__).read_text(encoding="utf-8"))
    guarded = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
               and ast.unparse(block.test) == "TYPE_CHECKING" for node in ast.walk(block)}
    imports = [node for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
               and node.module == "markdown.inlinepatterns"]
    assert imports and all(id(node) in guarded for node in imports)


def test_the_build_says_once_when_markdown_is_another_version(
        monkeypatch: pytest.MonkeyPatch, make_site: Callable[..., Path],
        run_cli: Callable[..., tuple[int, str, str]]) -> None:
    site = make_site({f"content/tin-tuc/{n}.md": post_text(title=f"Bài {n}") for n in range(3)})
    code, out, err = run_cli("build", "--site", str(site))
    assert code == 0 and "Python-Markdown" not in out + err
    monkeypatch.setattr(markdown, "__version__", "3.12.0")
    code, out, err = run_cli("build", "--site", str(site), "--no-cache")
    assert code == 0 and (out + err).count("Python-Markdown 3.12.0") == 1, out + err
    assert "3.11.3" in err and "ghi chú" in err
