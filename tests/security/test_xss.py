"""Known XSS payloads, in post bodies and in front matter, never run in a page or a feed.

One site holds a post per payload; it is built once, then every payload is
looked for in its own article page, its RSS item (content:encoded and
description), its Atom entry and its JSON Feed item, and every file of the
output is scanned as a whole (listings, tag pages, home, 404...). Payloads
that are mistakes in the front matter (a category that does not exist, an
image URL with a script scheme, a bad alias) are errors instead: their
messages are checked, and the preview's error page must show them inert.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from sitegen import pipeline, serve
from tests.conftest import MINIMAL_TOML
from tests.security.conftest import build, fixed_epoch
from tests.security.htmlcheck import executable, url_is_active

XSS_TOML = MINIMAL_TOML.replace('description = "Trang thử nghiệm."\n', 'description = "Trang thử nghiệm."\n'
                                'embed_hosts = ["www.youtube.com"]\nfeed_items = 1000\n')
NS = {"atom": "http://www.w3.org/2005/Atom", "content": "http://purl.org/rss/1.0/modules/content/"}
B64_SCRIPT = "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="  # <script>alert(1)</script>

# (id, Markdown body): raw HTML, Markdown links and images, encoded and broken variants.
BODY_PAYLOADS: list[tuple[str, str]] = [
    ("script-tag", "<script>alert(1)</script>"),
    ("script-src-upper", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>"),
    ("script-nested", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("script-inline-md", "Đoạn văn <script>alert(1)</script> tiếp theo."),
    ("img-onerror", "<img src=x onerror=alert(1)>"),
    ("img-onerror-mixed-case", '<IMG SRC="x" OnErRoR="alert(1)">'),
    ("img-onerror-no-space", "<img/src=x/onerror=alert(1)>"),
    ("a-onclick", '<a href="#" onclick="alert(1)">bấm</a>'),
    ("body-onload", "<body onload=alert(1)>"),
    ("details-ontoggle", "<details open ontoggle=alert(1)><summary>x</summary></details>"),
    ("input-onfocus", "<input autofocus onfocus=alert(1)>"),
    ("svg-onload", "<svg onload=alert(1)>"),
    ("svg-script", "<svg><script>alert(1)</script></svg>"),
    ("svg-xlink", '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">X</text></a></svg>'),
    ("svg-animate", '<svg><animate onbegin=alert(1) attributeName=x dur=1s></svg>'),
    ("svg-set-href", '<svg><a><set attributeName="href" to="javascript:alert(1)"/><text>X</text></a></svg>'),
    ("md-link-js", "[bấm vào đây](javascript:alert(1))"),
    ("md-link-js-mixed-case", "[bấm](JaVaScRiPt:alert(1))"),
    ("md-link-js-title", '[bấm](javascript:alert(1) "tiêu đề")'),
    ("md-reference-js", "[bấm][1]\n\n[1]: javascript:alert(1)"),
    ("md-autolink-js", "<javascript://%0Aalert(1)>"),
    ("md-image-js", "![ảnh](javascript:alert(1))"),
    ("md-image-data-html", f"![ảnh](data:text/html;base64,{B64_SCRIPT})"),
    ("md-attr-list-handler", 'Đoạn văn\n{: onclick="alert(1)" }'),
    ("md-attr-list-heading", '## Tiêu đề {onmouseover="alert(1)" style="x:expression(alert(1))"}'),
    ("a-js", '<a href="javascript:alert(1)">x</a>'),
    ("a-js-decimal-entities", '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>'),
    ("a-js-hex-entities", '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>'),
    ("a-js-padded-entities", '<a href="&#0000106&#0000097vascript:alert(1)">x</a>'),
    ("a-js-colon-entity", '<a href="javascript&colon;alert(1)">x</a>'),
    ("a-js-tab-entity", '<a href="jav&#x09;ascript:alert(1)">x</a>'),
    ("a-js-tab", '<a href="jav\tascript:alert(1)">x</a>'),
    ("a-js-newline", '<a href="java\nscript:alert(1)">x</a>'),
    ("a-js-newline-entity", '<a href="java&#10;script:alert(1)">x</a>'),
    ("a-js-leading-space", '<a href="  javascript:alert(1)">x</a>'),
    ("a-js-leading-control", '<a href="&#1;javascript:alert(1)">x</a>'),
    ("a-js-unquoted-upper", "<a href=JAVASCRIPT:alert(1)>x</a>"),
    ("a-vbscript", '<a href="vbscript:msgbox(1)">x</a>'),
    ("a-data-html", f'<a href="data:text/html;base64,{B64_SCRIPT}">x</a>'),
    ("a-data-leading-control", '<a href="&#1;data:text/html,<script>alert(1)</script>">x</a>'),
    ("a-data-upper", '<a href=" DATA:text/html,<script>alert(1)</script>">x</a>'),
    ("img-js", '<img src="javascript:alert(1)">'),
    ("img-data-html", '<img src="&#1;data:text/html,abc">'),
    ("img-srcset-js", '<img srcset="javascript:alert(1) 1x, x 2x">'),
    ("iframe-other-host", '<iframe src="https://evil.example/"></iframe>'),
    ("iframe-lookalike-host", '<iframe src="https://www.youtube.com.evil.example/embed/x"></iframe>'),
    ("iframe-js", '<iframe src="javascript:alert(1)"></iframe>'),
    ("iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    ("iframe-allowed-host-handler", '<iframe src="https://www.youtube.com/embed/x" onload=alert(1) '
                                    'sandbox="allow-top-navigation"></iframe>'),
    ("object-data", '<object data="javascript:alert(1)"></object>'),
    ("embed-src", '<embed src="javascript:alert(1)">'),
    ("style-element", '<style>body{background:url("javascript:alert(1)")}</style>'),
    ("style-attribute", '<div style="background-image:url(javascript:alert(1))">x</div>'),
    ("form-action", '<form action="javascript:alert(1)"><input type=submit></form>'),
    ("button-formaction", '<button formaction="javascript:alert(1)">x</button>'),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("base-href", '<base href="javascript:alert(1)//">'),
    ("link-import", "<link rel=import href=data:text/html,<script>alert(1)</script>>"),
    ("video-poster", "<video poster=javascript:alert(1)></video>"),
    ("video-source-onerror", '<video><source onerror="alert(1)"></video>'),
    ("audio-onerror", "<audio src=x onerror=alert(1)>"),
    ("math-mxss", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    ("noscript-mxss", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
    ("broken-unclosed-img", "<img src=x onerror=alert(1)//"),
    ("broken-double-open", "<<script>alert(1)//<</script>"),
    ("broken-quotes", '<img """><script>alert(1)</script>">'),
    ("broken-attr-tag", '<a href="javascript:alert(1)" <b>x</b>'),
    ("broken-comment", "<!--<img src=\"--><img src=x onerror=alert(1)//\">"),
    ("broken-cdata", "<![CDATA[><script>alert(1)</script>]]>"),
    ("code-span-stays-text", "`<script>alert(1)</script>` và\n\n    <img src=x onerror=alert(1)>"),
]

# (id, front matter overrides): values that are valid front matter, shown to readers as text.
FIELD_PAYLOADS: list[tuple[str, dict[str, object]]] = [
    ("title-script", {"title": "<script>alert(1)</script>"}),
    ("title-attr-breakout", {"title": '"><img src=x onerror=alert(1)>'}),
    ("title-single-quote-breakout", {"title": "'><svg onload=alert(1)>"}),
    ("summary-script", {"summary": "</p><script>alert(1)</script>"}),
    ("summary-img", {"summary": '<img src=x onerror="alert(1)"> & <b>x</b>'}),
    ("tags", {"tags": ["<svg onload=alert(1)>", '" onmouseover="alert(1)', "javascript:alert(1)"]}),
    ("author", {"author": '<a href="javascript:alert(1)">x</a>'}),
    ("image-caption", {"image": "/images/a.png", "image_caption": "<img src=x onerror=alert(1)>"}),
    ("image-alt", {"image": "/images/a.png", "image_alt": '" onerror="alert(1)'}),
    ("image-attr-breakout", {"image": '/images/a.png" onerror="alert(1)', "image_alt": "x"}),
    ("image-relative-js-like", {"image": "java\tscript:alert(1)", "image_alt": "x"}),
    ("id", {"id": "<script>alert(1)</script>"}),
    ("slug-from-script-title", {"title": "<script>alert('Tin tức')</script>", "slug": None}),
]

# (id, front matter overrides, the key whose line the error names, the message code's words)
ERROR_PAYLOADS: list[tuple[str, dict[str, object], str, str]] = [
    ("category-script", {"category": "<script>alert(1)</script>"}, "category", "không có chuyên mục"),
    ("category-img", {"category": '"><img src=x onerror=alert(1)>'}, "category", "không có chuyên mục"),
    ("image-js", {"image": "javascript:alert(1)", "image_alt": "x"}, "image", "phải là tệp trong trang"),
    ("image-js-mixed-case", {"image": "JaVaScRiPt:alert(1)", "image_alt": "x"}, "image", "phải là tệp trong trang"),
    ("image-data-html", {"image": f"data:text/html;base64,{B64_SCRIPT}", "image_alt": "x"}, "image",
     "phải là tệp trong trang"),
    ("image-vbscript", {"image": "vbscript:msgbox(1)", "image_alt": "x"}, "image", "phải là tệp trong trang"),
    ("alias-script", {"aliases": ['/x"><script>alert(1)</script>']}, "aliases", "địa chỉ cũ"),
    ("date-script", {"date": "<script>alert(1)</script>"}, "date", "không đúng dạng"),
]


def front_matter(number: int, overrides: dict[str, object]) -> dict[str, object]:
    fields: dict[str, object] = {"title": f"Bài thử số {number}", "date": f"2024-03-{1 + number % 28:02d} "
                                 f"{number // 28:02d}:00", "category": "Tin tức", "slug": f"xss-{number}"}
    fields.update(overrides)
    return {k: v for k, v in fields.items() if v is not None}


def post(fields: dict[str, object], body: str = "Nội dung.") -> str:
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=10_000) + "---\n" + body + "\n"


CASES = [(pid, {}, body) for pid, body in BODY_PAYLOADS] + [(pid, fields, "Nội dung.") for pid, fields in
                                                             FIELD_PAYLOADS]
PNG_1PX = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
BENIGN = """\
## Kết quả

- Bộ phận một cửa hoạt động đúng quy định.
- **100%** hồ sơ đúng hạn.

| Lĩnh vực | Tiếp nhận |
|:--|--:|
| Hộ tịch | 120 |

![Cán bộ tiếp nhận](/images/a.png "Bộ phận một cửa")

Xem [Cổng Chính phủ](https://chinhphu.vn/) và [liên hệ](mailto:vp@thu.example).

<iframe src="https://www.youtube.com/embed/abc123" width="560" height="315"></iframe>

<figure><img src="data:image/png;base64,iVBORw0KGgo=" alt="chấm"><figcaption>Chú thích</figcaption></figure>

<table><caption>Bảng</caption><tr><th scope="col">A</th></tr><tr><td colspan="1">1</td></tr></table>

Theo quyết định[^1].

[^1]: Quyết định số 12/QĐ-UBND.
"""


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    site = tmp_path_factory.mktemp("xss") / "site"
    (site / "content" / "tin-tuc").mkdir(parents=True)
    (site / "content" / "images").mkdir()
    (site / "content" / "images" / "a.png").write_bytes(PNG_1PX)
    (site / "site.toml").write_text(XSS_TOML, encoding="utf-8")
    slugs: dict[str, str] = {}
    for number, (pid, overrides, body) in enumerate(CASES):
        fields = front_matter(number, overrides)
        (site / "content" / "tin-tuc" / f"xss-{number}.md").write_text(post(fields, body), encoding="utf-8")
        slugs[pid] = f"xss-{number}"
    benign = front_matter(len(CASES), {"slug": "lanh-manh", "image": "/images/a.png", "image_alt": "Ảnh"})
    (site / "content" / "tin-tuc" / "lanh-manh.md").write_text(post(benign, BENIGN), encoding="utf-8")
    with fixed_epoch():
        code, out, err = build("build", "--site", str(site))
    assert code == 0, err
    assert "Traceback" not in out + err
    return {"out": site / "public", "slugs": slugs, "slug_pages": _slug_pages(site / "public"), "stderr": err}


def _slug_pages(out: Path) -> dict[str, str]:
    """slug -> the article page that the build made for it (the slug may come from a title)."""
    return {p.parent.name: p.read_text(encoding="utf-8") for p in out.glob("tin-tuc/2024/*/index.html")}


def feed_parts(out: Path) -> dict[str, list[tuple[str, str]]]:
    """article URL -> [(where, HTML a reader would render)] from every feed of the site."""
    parts: dict[str, list[tuple[str, str]]] = {}
    for rss_path in [out / "feed.xml", *out.glob("*/feed.xml")]:
        root = ET.fromstring(rss_path.read_bytes())
        for item in root.iter("item"):
            link = item.findtext("link") or ""
            for tag, name in (("description", "description"), ("content:encoded", "content:encoded")):
                text = item.findtext(tag, namespaces=NS)
                if text is not None:
                    parts.setdefault(link, []).append((f"{rss_path.name} {name}", text))
    for atom_path in [out / "atom.xml", *out.glob("*/atom.xml")]:
        root = ET.fromstring(atom_path.read_bytes())
        for entry in root.iterfind("atom:entry", NS):
            link = entry.find("atom:link[@rel='alternate']", NS)
            href = link.get("href") if link is not None else ""
            for tag in ("content", "summary", "title"):
                node = entry.find(f"atom:{tag}", NS)
                if node is None:
                    continue
                kind = node.get("type", "text")
                if kind in ("html", "xhtml"):
                    parts.setdefault(href, []).append((f"{atom_path.name} {tag}", node.text or ""))
                else:  # type="text": readers show it as text, whatever it holds
                    parts.setdefault(href, [])
    feed = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    for item in feed["items"]:
        parts.setdefault(item["url"], []).append(("feed.json content_html", item.get("content_html", "")))
        assert "content_text" not in item or not item["content_text"].startswith("<")
    return parts


@pytest.fixture(scope="module")
def feeds(xss_site: dict) -> dict[str, list[tuple[str, str]]]:
    return feed_parts(xss_site["out"])


def test_at_least_thirty_payloads() -> None:
    assert len(CASES) + len(ERROR_PAYLOADS) >= 30
    assert len({pid for pid, _, _ in CASES}) == len(CASES)


@pytest.mark.parametrize(("pid", "overrides", "body"), CASES, ids=[c[0] for c in CASES])
def test_payload_is_inert_in_its_page_and_feeds(pid: str, overrides: dict, body: str, xss_site: dict,
                                                feeds: dict) -> None:
    number = [c[0] for c in CASES].index(pid)
    slug = f"xss-{number}" if "slug" not in overrides else None
    pages = xss_site["slug_pages"]
    if slug is None:  # the slug comes from the title
        slug = next(s for s in pages if "script" in s and "tin-tuc" in s)
    assert slug in pages, f"{pid}: no page built"
    assert executable(pages[slug]) == [], pid
    url = f"https://thu.example/tin-tuc/2024/{slug}/"
    assert feeds.get(url), f"{pid}: not in the feeds"
    for where, html in feeds[url]:
        assert executable(html) == [], f"{pid} in {where}: {html[:300]}"


def test_title_with_script_shows_as_text(xss_site: dict) -> None:
    slug = xss_site["slugs"]["title-script"]
    page = xss_site["slug_pages"][slug]
    assert '<h1 class="article-title">&lt;script&gt;alert(1)&lt;/script&gt;</h1>' in page
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; - " in page
    rss = (xss_site["out"] / "feed.xml").read_text(encoding="utf-8")
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>" in rss


def test_summary_is_escaped_once_more_in_rss_description(xss_site: dict, feeds: dict) -> None:
    slug = xss_site["slugs"]["summary-script"]
    parts = dict(feeds[f"https://thu.example/tin-tuc/2024/{slug}/"])
    assert parts["feed.xml description"] == "&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    atom = (xss_site["out"] / "atom.xml").read_text(encoding="utf-8")
    assert '<summary type="text">&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;</summary>' in atom


def test_every_output_file_is_inert(xss_site: dict) -> None:
    out: Path = xss_site["out"]
    checked = 0
    for path in sorted(out.rglob("*")):
        if path.suffix in (".html", ".htm"):
            found = executable(path.read_text(encoding="utf-8"))
            assert found == [], f"{path.relative_to(out)}: {found}"
            checked += 1
        elif path.suffix == ".xml":
            ET.fromstring(path.read_bytes())  # well-formed, whatever the payloads
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
    assert checked > len(CASES)
    for url, items in feed_parts(out).items():
        for where, html in items:
            assert executable(html) == [], f"{url} {where}"


def test_tag_pages_of_payload_tags_are_inert(xss_site: dict) -> None:
    tags = sorted((xss_site["out"] / "tag").glob("*/index.html"))
    assert len(tags) >= 3
    for page in tags:
        assert executable(page.read_text(encoding="utf-8")) == [], page


def test_feeds_parse_for_readers(xss_site: dict) -> None:
    feedparser = pytest.importorskip("feedparser")
    for name in ("feed.xml", "atom.xml"):
        parsed = feedparser.parse((xss_site["out"] / name).read_bytes())
        assert not parsed.bozo, (name, parsed.get("bozo_exception"))
        assert len(parsed.entries) == len(CASES) + 1
        for entry in parsed.entries:
            details = [entry.get("summary_detail")] + entry.get("content", [])
            for detail in details:  # what a feedparser-based reader would render as HTML
                if detail and detail.type == "text/html":
                    assert executable(detail.value) == [], (name, entry.link)


def test_benign_markup_is_kept_in_page_and_feeds(xss_site: dict, feeds: dict) -> None:
    page = xss_site["slug_pages"]["lanh-manh"]
    body = page.split('<div class="prose">', 1)[1].split("</div>", 1)[0]
    for html in [body] + [h for w, h in feeds["https://thu.example/tin-tuc/2024/lanh-manh/"]
                          if "content" in w]:
        assert "<h2>Kết quả</h2>" in html
        assert re.search(r"<ul>\s*<li>Bộ phận một cửa", html)
        assert "<table>" in html and "<caption>Bảng</caption>" in html and 'colspan="1"' in html
        assert '<td class="align-right">120</td>' in html
        assert "<figcaption>Bộ phận một cửa</figcaption>" in html
        assert '<a href="https://chinhphu.vn/">Cổng Chính phủ</a>' in html
        assert 'href="mailto:vp@thu.example"' in html
        assert re.search(r'<iframe src="https://www.youtube.com/embed/abc123"[^>]* sandbox="[^"]+"', html)
        assert '<img src="data:image/png;base64,iVBORw0KGgo="' in html
        assert 'id="fn:1"' in html
        assert executable(html) == []


def test_checker_sees_what_a_browser_would_run() -> None:
    # the checker itself: each of these runs in a browser, so each must be found
    for html in ['<a href="java&#9;script:alert(1)">', "<img src=x onerror=alert(1)>", "<script>x</script>",
                 '<iframe src="https://evil.example/"></iframe>', '<a href="&#1;data:text/html,x">',
                 '<meta http-equiv="refresh" content="0; url=javascript:alert(1)">', "<svg><set to=x>",
                 '<img srcset="x 1x, javascript:alert(1) 2x">', '<div style="x">', "<form>"]:
        assert executable(html), html
    assert not executable('<img src="data:image/png;base64,AA"><a href="/x">x</a>')
    assert url_is_active(" \x01JaVa\tScRiPt:alert(1)") and not url_is_active("/javascript:alert(1)")


# --- payloads that are mistakes: an error at their line, and an inert error page --------------------

@pytest.mark.parametrize(("pid", "overrides", "key", "words"), ERROR_PAYLOADS, ids=[e[0] for e in ERROR_PAYLOADS])
def test_payload_in_a_checked_field_is_an_error_at_its_line(pid: str, overrides: dict, key: str, words: str,
                                                            make_site, run_cli) -> None:
    fields = front_matter(1, overrides)
    site = make_site({"content/tin-tuc/a.md": post(fields)})
    line = 2 + list(fields).index(key)
    code, out, err = run_cli("build", "--site", str(site))
    assert code == 1
    assert "Traceback" not in out + err
    assert re.search(rf"^content/tin-tuc/a\.md:{line}: lỗi: .*{re.escape(words)}", err, re.MULTILINE), err
    assert not (site / "public").exists()
    preview = serve.Preview(pipeline.Options(site=site, output=site / "preview"), echo=lambda _: None)
    assert not preview.rebuild()
    statuses: list[str] = []
    page = b"".join(preview({"PATH_INFO": "/"}, lambda status, headers: statuses.append(status))).decode()
    assert statuses[0].startswith("500")
    assert f"a.md:{line}:" in page
    assert executable(page) == [], page


def test_unknown_key_named_like_markup_is_inert_in_messages(make_site, run_cli) -> None:
    fields = front_matter(1, {"<img src=x onerror=alert(1)>": "x", "\x1b]0;owned\x07": "y"})
    site = make_site({"content/tin-tuc/a.md": post(fields)})
    code, out, err = run_cli("build", "--site", str(site), "--strict")
    assert code == 1 and "Traceback" not in out + err
    assert "\x1b" not in err and "\x07" not in err  # no terminal escapes reach the author's terminal
    assert "khóa '<img src=x onerror=alert(1)>'" in err
    preview = serve.Preview(pipeline.Options(site=site, output=site / "preview", strict=True), echo=lambda _: None)
    preview.rebuild()
    page = b"".join(preview({"PATH_INFO": "/"}, lambda status, headers: None)).decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert executable(page) == []
