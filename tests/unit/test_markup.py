"""sitegen.markup: Markdown -> sanitised HTML with figures, site-relative URLs and a summary."""

from __future__ import annotations

import re

import markdown
import pytest

from sitegen.markup import EXTENSIONS, Renderer, first_paragraph, sanitize

YOUTUBE = "www.youtube.com"


@pytest.fixture
def renderer() -> Renderer:
    return Renderer("/", (YOUTUBE,), "Quay lại chú thích")


def html_of(renderer: Renderer, body: str, source_dir: str = "") -> str:
    return renderer.render(body, source_dir).html


def test_the_extensions_are_those_markdown_names_and_no_entry_point_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """The renderer makes its extensions itself: the ones Markdown finds by their names, without reading
    the entry points of every installed package first."""
    named = [type(ext) for ext in markdown.Markdown(extensions=EXTENSIONS).registeredExtensions]

    def refused() -> None:
        raise AssertionError("entry points read")

    monkeypatch.setattr(markdown.util, "get_installed_extensions", refused)
    made = Renderer("/", (), "Quay lại chú thích")
    assert [type(ext) for ext in made.md.registeredExtensions] == named
    assert 'title="Quay lại chú thích"' in made.render("Câu[^1].\n\n[^1]: Ghi chú.").html


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
