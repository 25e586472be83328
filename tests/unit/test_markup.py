"""sitegen.markup: Markdown -> sanitised HTML with figures, site-relative URLs and a summary."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sitegen import markup
from sitegen.markup import EXTENSIONS, Renderer, first_paragraph, sanitize
from tests.conftest import post_text

YOUTUBE = "www.youtube.com"


@pytest.fixture
def renderer() -> Renderer:
    return Renderer("/", (YOUTUBE,), "Quay lại chú thích")


def html_of(renderer: Renderer, body: str, source_dir: str = "") -> str:
    return renderer.render(body, source_dir).html


# --- Markdown features -----------------------------------------------------------------------------

def test_paragraphs_lists_emphasis(renderer: Renderer) -> None:
    out = html_of(renderer, "Đoạn **đậm** và *nghiêng*.\n\n- một\n- hai\n\n1. ba\n2. bốn\n")
    assert "<p>Đoạn <strong>đậm</strong> và <em>nghiêng</em>.</p>" in out
    assert re.search(r"<ul>\s*<li>một</li>\s*<li>hai</li>\s*</ul>", out)
    assert re.search(r"<ol>\s*<li>ba</li>", out)


def test_table(renderer: Renderer) -> None:
    out = html_of(renderer, "| Tháng | Hồ sơ |\n|---|---|\n| 1 | 120 |\n")
    assert "<table>" in out and "<th>Tháng</th>" in out and "<td>120</td>" in out


def test_table_alignment_becomes_class_without_style(renderer: Renderer) -> None:
    out = html_of(renderer, "| Tên | Số |\n|:--|--:|\n| a | 1 |\n| b | 2 |\n")
    assert '<th class="align-right">Số</th>' in out
    assert out.count('<td class="align-right">') == 2
    assert '<th class="align-left">Tên</th>' in out
    assert "style" not in out


def test_table_center_alignment(renderer: Renderer) -> None:
    out = html_of(renderer, "| a |\n|:-:|\n| 1 |\n")
    assert '<td class="align-center">1</td>' in out


def test_fenced_code_is_escaped(renderer: Renderer) -> None:
    out = html_of(renderer, "```python\nprint('<b>x</b>')\n```\n")
    assert '<pre><code class="language-python">' in out
    assert "&lt;b&gt;x&lt;/b&gt;" in out
    assert "<b>" not in out


def test_attr_list(renderer: Renderer) -> None:
    out = html_of(renderer, "## Mục lục {#muc-luc .lon}\n\n[Tải về](/files/a.pdf){.nut}\n")
    assert re.search(r'<h2 (?=[^>]*id="muc-luc")(?=[^>]*class="lon")[^>]*>Mục lục</h2>', out)
    assert re.search(r'<a (?=[^>]*class="nut")[^>]*href="/files/a.pdf"', out)


def test_attr_list_cannot_smuggle_handlers_or_style(renderer: Renderer) -> None:
    out = html_of(renderer, "## Tiêu đề {onclick=\"alert(1)\" style=\"color:red\"}\n")
    assert "onclick" not in out and "style" not in out and "alert" not in out


def test_footnotes(renderer: Renderer) -> None:
    out = html_of(renderer, "Theo quyết định[^1].\n\n[^1]: Quyết định số 12/QĐ-UBND.\n")
    assert 'href="#fn:1"' in out
    assert 'id="fn:1"' in out
    assert "Quyết định số 12/QĐ-UBND." in out
    assert 'title="Quay lại chú thích"' in out


# --- figures ---------------------------------------------------------------------------------------

def test_titled_image_alone_becomes_figure(renderer: Renderer) -> None:
    out = html_of(renderer, '![Đoàn kiểm tra](/images/a.jpg "Đoàn kiểm tra làm việc tại Sở Công thương")\n')
    assert out.startswith("<figure><img ")
    assert out.endswith("<figcaption>Đoàn kiểm tra làm việc tại Sở Công thương</figcaption></figure>")
    img = re.search(r"<img [^>]*>", out)[0]
    assert 'src="/images/a.jpg"' in img and 'alt="Đoàn kiểm tra"' in img
    assert "title=" not in img
    assert "<p>" not in out


def test_figure_without_alt_uses_caption(renderer: Renderer) -> None:
    out = html_of(renderer, '![](/images/a.jpg "Chú thích")\n')
    assert 'alt="Chú thích"' in out and "<figcaption>Chú thích</figcaption>" in out


def test_figure_caption_is_escaped(renderer: Renderer) -> None:
    out = html_of(renderer, '![a](/a.jpg "<b>x</b> & y")\n')
    assert "<figcaption>&lt;b&gt;x&lt;/b&gt; &amp; y</figcaption>" in out


def test_image_without_title_stays_an_img(renderer: Renderer) -> None:
    out = html_of(renderer, "![Ảnh](/images/a.jpg)\n")
    assert "<figure>" not in out
    assert re.fullmatch(r"<p><img [^>]*></p>", out)
    assert 'loading="lazy"' in out


def test_titled_image_inside_text_stays_inline(renderer: Renderer) -> None:
    out = html_of(renderer, 'Trước ![a](/a.jpg "T") sau\n')
    assert "<figure>" not in out and "<p>Trước <img" in out


def test_several_figures_keep_their_order(renderer: Renderer) -> None:
    out = html_of(renderer, 'Một\n\n![a](/a.jpg "A")\n\nHai\n\n![b](/b.jpg "B")\n\nBa\n')
    order = [m[0] for m in re.finditer(r"<p>\w+</p>|<figcaption>\w</figcaption>", out)]
    assert order == ["<p>Một</p>", "<figcaption>A</figcaption>", "<p>Hai</p>", "<figcaption>B</figcaption>",
                     "<p>Ba</p>"]


# --- links -----------------------------------------------------------------------------------------

def test_site_relative_links_under_a_base_path() -> None:
    rendered = Renderer("/sub/").render("[Tin](/tin-tuc/) ![a](/images/a.jpg) [q](/a/?b=1#c)\n")
    assert 'href="/sub/tin-tuc/"' in rendered.html
    assert 'src="/sub/images/a.jpg"' in rendered.html
    assert 'href="/sub/a/?b=1#c"' in rendered.html
    assert rendered.local_refs == ("/tin-tuc/", "/images/a.jpg", "/a/")


def test_site_relative_links_at_root(renderer: Renderer) -> None:
    assert 'href="/tin-tuc/"' in html_of(renderer, "[Tin](/tin-tuc/)\n")


@pytest.mark.parametrize("url", ["https://chinhphu.vn/", "http://x.example/a", "mailto:vp@mauson.example",
                                 "tel:02053123456", "#muc-luc", "//cdn.example/a.js"])
def test_other_links_untouched(url: str) -> None:
    rendered = Renderer("/sub/").render(f"[x]({url})\n")
    assert f'href="{url}"' in rendered.html
    assert rendered.local_refs == ()


def test_relative_links_resolve_against_the_post_folder(renderer: Renderer) -> None:
    rendered = renderer.render("![a](anh/a.jpg) [b](../2021/b.pdf) [c](./c.pdf)\n", "tin-tuc/2022")
    assert 'src="/tin-tuc/2022/anh/a.jpg"' in rendered.html
    assert 'href="/tin-tuc/2021/b.pdf"' in rendered.html
    assert 'href="/tin-tuc/2022/c.pdf"' in rendered.html
    assert rendered.local_refs == ("/tin-tuc/2022/anh/a.jpg", "/tin-tuc/2021/b.pdf", "/tin-tuc/2022/c.pdf")
    assert rendered.escapes == ()


def test_relative_links_with_base_path() -> None:
    rendered = Renderer("/sub/").render("![a](a.jpg)\n", "tin-tuc")
    assert 'src="/sub/tin-tuc/a.jpg"' in rendered.html


@pytest.mark.parametrize(("url", "folder"), [
    ("../../../x", "tin-tuc/2022"),
    ("../site.toml", ""),
    ("../../etc/passwd", "tin-tuc"),
    ("a/../../../b", "tin-tuc"),
])
def test_links_escaping_content_are_reported(url: str, folder: str, renderer: Renderer) -> None:
    rendered = renderer.render(f"[x]({url})\n", folder)
    assert rendered.escapes == (url,)
    assert url not in rendered.html
    assert rendered.local_refs == ()


@pytest.mark.parametrize(("url", "shown"), [(r"..\..\secret.jpg", r"....\secret.jpg"), (r"anh\a.jpg", r"anh\a.jpg")])
def test_backslash_paths_are_reported(url: str, shown: str, renderer: Renderer) -> None:
    rendered = renderer.render(f"![x]({url})\n", "tin-tuc")
    # Markdown itself reads "\." as an escaped dot; what is reported is the path Markdown saw,
    # never its internal placeholder characters
    assert rendered.escapes == (shown,)
    assert "secret" not in rendered.html


@pytest.mark.parametrize("url", ["C:/Users/a.jpg", r"C:\Users\a.jpg"])
def test_windows_drive_paths_are_reported(url: str, renderer: Renderer) -> None:
    # PRODUCT.md: a path in a post that reaches outside the site folder is an error
    rendered = renderer.render(f"![x]({url})\n", "tin-tuc")
    assert rendered.escapes == (url,)
    assert "Users" not in rendered.html


@pytest.mark.parametrize("body", [r"[x](/files/bao\_cao.pdf)", r"![x](..\..\a.jpg)", r"[x](/a\*b/)"])
def test_refs_hold_no_markdown_placeholders(body: str, renderer: Renderer) -> None:
    rendered = renderer.render(body + "\n", "tin-tuc/2022")
    for value in rendered.local_refs + rendered.escapes:
        assert "\x02" not in value and "\x03" not in value, repr(value)


def test_root_relative_link_cannot_climb_above_root(renderer: Renderer) -> None:
    rendered = renderer.render("[x](/../../etc/passwd)\n")
    assert 'href="/etc/passwd"' in rendered.html  # clamped inside the site


# --- sanitising ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "forbidden"), [
    ("<script>alert(1)</script>\n\nĐoạn.", ["<script", "alert"]),
    ('<p onclick="alert(1)">Đoạn</p>', ["onclick", "alert"]),
    ('<img src="/a.jpg" onerror="alert(1)">', ["onerror", "alert"]),
    ('<a href="javascript:alert(1)">x</a>', ["javascript", "alert"]),
    ("[x](javascript:alert(1))", ["javascript", "alert"]),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', ["alert"]),
    ("<style>body{display:none}</style>\n\nĐoạn.", ["<style", "display:none"]),
    ('<form action="https://evil.example/"><input name="cmnd"></form>', ["<form", "<input", "evil.example"]),
    ('<object data="x.swf"></object><embed src="x.swf">', ["<object", "<embed", "swf"]),
    ('<div style="position:fixed;top:0">x</div>', ["style", "position"]),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', ["<meta", "refresh"]),
    ('<base href="https://evil.example/">', ["<base", "evil"]),
    ('<svg><script>alert(1)</script></svg>', ["<svg", "alert"]),
    ('<iframe srcdoc="<script>alert(1)</script>"></iframe>', ["srcdoc", "alert", "<iframe"]),
])
def test_dangerous_html_removed(body: str, forbidden: list[str], renderer: Renderer) -> None:
    out = html_of(renderer, body)
    for word in forbidden:
        assert word.lower() not in out.lower(), out


def test_safe_html_kept(renderer: Renderer) -> None:
    out = html_of(renderer, '<p class="ghi-chu">Chữ <abbr title="Cải cách hành chính">CCHC</abbr></p>\n')
    assert '<abbr title="Cải cách hành chính">CCHC</abbr>' in out
    assert 'class="ghi-chu"' in out


def test_data_image_kept_on_img_only(renderer: Renderer) -> None:
    out = html_of(renderer, '<img src="data:image/png;base64,iVBORw0KGgo=" alt="a">\n\n'
                            '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>\n\n'
                            '<img src="data:text/html;base64,PHNjcmlwdD4=" alt="b">\n\n'
                            '<a href="data:image/png;base64,iVBORw0KGgo=">y</a>\n')
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in out
    assert "data:text/html" not in out
    assert 'href="data:' not in out


def test_iframe_from_embed_host_kept_and_sandboxed(renderer: Renderer) -> None:
    out = html_of(renderer, '<iframe src="https://www.youtube.com/embed/abc" onload="x()"></iframe>\n')
    frame = re.search(r"<iframe [^>]*>", out)[0]
    assert 'src="https://www.youtube.com/embed/abc"' in frame
    assert "sandbox=" in frame
    assert "onload" not in frame


@pytest.mark.parametrize("src", ["https://evil.example/embed", "http://www.youtube.com/embed/abc",
                                 "https://www.youtube.com.evil.example/", "javascript:alert(1)",
                                 "https://evil.example/?www.youtube.com"])
def test_iframe_from_other_hosts_removed(src: str, renderer: Renderer) -> None:
    out = html_of(renderer, f'<iframe src="{src}"></iframe>\n\nSau.\n')
    assert "<iframe" not in out
    assert "<p>Sau.</p>" in out


def test_iframe_removed_without_embed_hosts() -> None:
    out = Renderer("/").render('<iframe src="https://www.youtube.com/embed/abc"></iframe>\n').html
    assert "<iframe" not in out


def test_sanitize_function_directly() -> None:
    assert sanitize('<p onclick="x">a</p><script>b</script>') == "<p>a</p>"


# --- summary, reset --------------------------------------------------------------------------------

def test_summary_is_first_paragraph_plain_text(renderer: Renderer) -> None:
    rendered = renderer.render("## Tiêu đề phụ\n\n![a](/a.jpg \"Ảnh\")\n\nĐoạn **đầu** &amp; "
                               "[liên kết](/x/).\n\nĐoạn hai.\n")
    assert rendered.summary == "Đoạn đầu & liên kết."


def test_summary_of_body_without_paragraphs(renderer: Renderer) -> None:
    assert renderer.render("## Chỉ có tiêu đề\n").summary == ""
    assert renderer.render("").summary == ""


def test_first_paragraph_skips_empty_paragraphs() -> None:
    assert first_paragraph("<p> </p><p><img src='a'></p><p>Chữ</p>") == "Chữ"


def test_footnote_does_not_leak_into_next_post(renderer: Renderer) -> None:
    first = renderer.render("Bài một[^1].\n\n[^1]: Chú thích bài một.\n")
    second = renderer.render("Bài hai.\n")
    assert "Chú thích bài một" in first.html
    assert "Chú thích bài một" not in second.html
    assert "footnote" not in second.html
    assert second.html == "<p>Bài hai.</p>"


def test_refs_and_escapes_reset_between_renders(renderer: Renderer) -> None:
    renderer.render("[a](/a/) [b](../../x)\n", "tin-tuc")
    second = renderer.render("[c](/c/)\n", "tin-tuc")
    assert second.local_refs == ("/c/",)
    assert second.escapes == ()


def test_same_input_same_output(renderer: Renderer) -> None:
    body = "Đoạn[^1] ![a](/a.jpg \"b\")\n\n| a |\n|--:|\n| 1 |\n\n[^1]: c\n"
    fresh = Renderer("/", (YOUTUBE,), "Quay lại chú thích")
    assert renderer.render(body).html == renderer.render(body).html == fresh.render(body).html


def test_body_headings_start_at_h2_and_never_skip(renderer: Renderer) -> None:
    html = renderer.render("# Một\n\ntext\n\n### Hai\n\n##### Ba\n\n## Bốn\n").html
    assert [tag for tag in re.findall(r"<(h\d)", html)] == ["h2", "h3", "h4", "h2"]
    assert "</h2>" in html and "</h4>" in html and "<h1" not in html and "<h5" not in html


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
    assert not markup._fast_inline(nl2br)
    assert type(nl2br.treeprocessors["inline"]).__name__ == "InlineProcessor"
    changed = markdown.Markdown(extensions=EXTENSIONS)  # same name, other regex
    changed.inlinePatterns.register(
        markdown.inlinepatterns.SubstituteTagInlineProcessor(r"\n", "br"), "linebreak", 100)
    assert not markup._fast_inline(changed)
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
    assert markup.fallback_reason(clear=True) == markup.FALLBACK_PATTERNS and markup.fallback_reason() is None


def test_pattern_is_imported_for_type_checking_only() -> None:
    tree = ast.parse(Path(markup.__file__).read_text(encoding="utf-8"))
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
