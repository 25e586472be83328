"""Hypothesis: no input of an author's makes a traceback; each gives output or a clear problem.

Front matter of any YAML value type (huge strings, odd Unicode, control characters, YAML tags
and aliases), any date-like string, any title for slugify, and any Markdown with raw HTML. The
whole-build property also checks that whatever is built stays inert (tests/security/htmlcheck.py).
About 200 examples per property (60 for whole builds, which take ~0.1 s each; set
SITEGEN_FUZZ_EXAMPLES for a longer hunt); on CI the examples are derandomized so a run is repeatable.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import tomllib
import unicodedata
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sitegen import config, dates, i18n, kinds, loader
from sitegen.markup import Renderer
from sitegen.posts import compile_post
from sitegen.problems import Problem
from sitegen.text import slugify
from tests.conftest import MINIMAL_TOML
from tests.security.conftest import build
from tests.security.htmlcheck import executable

pytestmark = pytest.mark.fuzz
CI = bool(os.environ.get("CI"))
EXAMPLES = int(os.environ.get("SITEGEN_FUZZ_EXAMPLES", "200"))  # more for a long hunt: SITEGEN_FUZZ_EXAMPLES=5000
FAST = settings(max_examples=EXAMPLES, deadline=None, derandomize=CI, database=None if CI else settings().database,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
WHOLE = settings(FAST, max_examples=max(1, EXAMPLES * 3 // 10))
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SITE_TOML = 'embed_hosts = ["www.youtube.com"]\n' + MINIMAL_TOML
CFG, _ = config.parse_config(tomllib.loads(SITE_TOML), SITE_TOML)
SLUG = re.compile(r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*)?$")
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# --- strategies -------------------------------------------------------------------------------------

ODD = st.sampled_from(["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b[31m", "\x7f", "\x85", "\u00a0", "\u200b",
                       "\u200e", "\u202e", "\u2028", "\ufeff", "\ufffe", "\uffff", "\ud800", "e\u0301", "Đ",
                       "ắ", "\U0001f600", "\t", "\r", "\n", "---", ":", "#", "'", '"', "<", "&amp;", "{{", "%}"])
TEXT = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=40),
    st.lists(st.one_of(st.text(max_size=8), ODD), max_size=12).map("".join),
    st.builds(lambda c, n: c * n, st.sampled_from(["a", "ồ", "Đ ", "-", "\x01", "x y "]),
              st.integers(1_000, 120_000)),  # huge strings
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(-2**70, 2**70),
                    st.floats(allow_nan=True, allow_infinity=True), TEXT,
                    st.datetimes(timezones=st.one_of(st.none(), st.timezones())), st.dates())
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                      max_leaves=12)
KEYS = st.one_of(st.sampled_from(kinds.POST.keys), st.text(max_size=12))
YAML_TAGGED = st.sampled_from([
    "!!binary aGVsbG8=", "!!timestamp 2001-12-14t21:59:43.10-05:00", "!!timestamp 0001-01-01T00:00:00+14:00",
    "!!timestamp 9999-12-31T23:59:59-12:00", "!!set {a, b}", "!!omap [a: 1, b: 2]", "!!float .nan",
    "!!float -.inf", "!!int 0x1F", "!!str 12", "!!null ''", "&a [x, *a]", "!!python/object:os.system x",
    "[*undefined]", "{a: [b, {c: d}]}", "|\n  nhiều\n  dòng", ">-\n  gập\n  dòng", "'\\u0000'", '"\\u0000"',
    '"\\x01\\ud800"', "2024-02-30", "31/12/2024 25:61", "0000-00-00", "10/25/2022", "2024-03-15T09:00:00+99:99",
    "1e400", "-1", "0755", "12:30:00", "yes", "~", "@x", "`x`", "%x", "! x", "?", "- a\n- b",
])
DATE_LIKE = st.one_of(
    st.from_regex(r"\A\d{1,5}[-/.]\d{1,3}[-/.]\d{1,5}(?:[ T]\d{1,3}[:h]\d{1,3}(?::\d{1,3}(?:\.\d{1,9})?)?"
                  r"(?:Z|[+-]\d{1,2}:?\d{1,2})?)?\Z"),
    st.from_regex(r"\A\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2})?\s*\Z"),
    TEXT,
)


@st.composite
def front_matter_text(draw: st.DrawFn) -> str:
    """A front-matter block: dumped YAML of any values, or raw YAML lines with tags and aliases."""
    if draw(st.booleans()):
        meta = draw(st.dictionaries(KEYS, VALUES, max_size=8))
        for key in ("title", "date", "category"):
            if draw(st.integers(0, 3)):  # usually present, often valid
                meta.setdefault(key, draw(st.sampled_from({"title": ["Bài viết", "Đoàn kiểm tra"],
                                                           "date": ["2024-03-15 09:00", "03/10/2022"],
                                                           "category": ["Tin tức", "thong-bao"]}[key])))
        try:
            return yaml.safe_dump(meta, allow_unicode=True, width=10_000)
        except yaml.YAMLError:
            return yaml.safe_dump({"title": "x"})
    lines = draw(st.lists(st.tuples(KEYS, st.one_of(YAML_TAGGED, TEXT)), max_size=6))
    head = ["title: Bài viết", "date: 2024-03-15 09:00", "category: Tin tức"][: draw(st.integers(0, 3))]
    return "\n".join(head + [f"{k}: {v}" for k, v in lines]) + "\n"


HTML_BITS = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>", "<a href=",
    '"javascript:alert(1)"', "'jav&#x09;ascript:alert(1)'", "&#1;data:text/html,x", " ONCLICK=alert(1) ", ">",
    "</a>", "<iframe src=https://www.youtube.com/embed/x", "<iframe src=https://evil.example/>", "</iframe>",
    "<style>", "</style>", "<math><mtext><table><mglyph><style>", "<noscript><p title=\"", "</noscript>",
    "<!--", "-->", "<![CDATA[", "]]>", "<object data=x>", "<form action=javascript:alert(1)>", "<table>", "<tr><td>",
    "<figure>", "<figcaption>", "<p", " style=\"x:expression(alert(1))\"", "<base href=//evil.example/>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>", "<video poster=javascript:alert(1)>",
    "<img srcset='javascript:alert(1) 1x'>", "<details open ontoggle=alert(1)>", "<svg><set to=javascript:x>",
    "[x](javascript:alert(1))", "![x](data:text/html,x)", "<javascript://%0Aalert(1)>", "[x][r]\n\n[r]: vbscript:x",
    "{: onclick=\"alert(1)\" }", "## h {onmouseover=alert(1)}", "```\n<script>\n```", "    <script>", "`<b>`",
    "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | 2 |", "- <a href=javascript:x>x</a>", "> <svg>",
    "[^1]\n\n[^1]: <script>x</script>", "![a](../../../../etc/passwd)", "[b](C:\\x)", "\x01", "\x0b", "&#0;",
    "&#xD800;", "\u2028", "\ufeff", "Đoàn kiểm tra", "\n\n", "\n", " ", "*", "_", "<", "&", "\"", "'", "=",
])
MARKDOWN = st.lists(st.one_of(HTML_BITS, st.text(max_size=10)), max_size=30).map("".join)


# --- helpers ----------------------------------------------------------------------------------------

def assert_clear(found: list[Problem], text: str) -> None:
    """Each problem is one of ours, at a line of the file, and prints as one line in both languages."""
    last_line = text.count("\n") + 2
    for item in found:
        assert item.code in i18n.MESSAGES, item
        assert 0 <= item.line <= last_line, item
        for lang in ("vi", "en"):
            line = i18n.format_problem(item, lang)
            assert "\n" not in line and "\x1b" not in line and len(line) < 5_000, line


@pytest.fixture(scope="module")
def scratch() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="sitegen-fuzz-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


# --- properties -------------------------------------------------------------------------------------

@FAST
@given(fm=front_matter_text(), body=st.text(max_size=200))
@example(fm="title: x\ndate: 2024-01-01\ncategory: Tin tức\nnull: 1\n3: 4\ntrue: 5\n", body="")
@example(fm="title: !!binary aGVsbG8=\ndate: !!timestamp 0001-01-01T00:00:00+14:00\ncategory: Tin tức\n", body="")
@example(fm="title: \"A\\x01B\\ud800\"\ndate: 0001-01-01 00:00\ncategory: Tin tức\nsummary: \"\\x0c\"\n", body="")
@example(fm="title: " + "Kiểm tra công tác " * 40 + "\ndate: 2024-01-01\ncategory: Tin tức\n", body="x")
@example(fm="a: &a ['x','x','x','x','x','x','x','x','x']\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
            "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
            "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
            "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nviews: *g\ndate: *g\ncategory: *g\ntitle: *g\n", body="")
def test_any_front_matter_gives_a_post_or_clear_problems(fm: str, body: str, scratch: Path) -> None:
    text = f"---\n{fm}---\n{body}\n"
    path = scratch / "content" / "tin-tuc" / "a.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    post, found = compile_post(scratch, "content/tin-tuc/a.md", CFG, Renderer("/", CFG.embed_hosts))
    assert_clear(found, text)
    if post is None:
        assert any(p.severity == "error" for p in found)
        return
    assert SLUG.match(post.slug) and 0 < len(post.slug) <= kinds.MAX_SLUG
    for value in (post.title, post.summary, post.author, post.image, post.image_caption, post.image_alt, post.id,
                  post.body_html, *post.tags, *post.aliases):
        assert not NOT_XML.search(value), repr(value)
    assert executable(post.body_html) == []


@FAST
@given(value=st.one_of(DATE_LIKE, st.datetimes(timezones=st.one_of(st.none(), st.timezones())), st.dates(),
                       SCALARS))
@example("0001-01-01 00:00")
@example("9999-12-31T23:59:59-12:00")
@example("29/02/2023")
def test_any_date_gives_a_date_or_a_clear_problem(value: object) -> None:
    if isinstance(value, str):
        parsed = dates.parse(value, TZ)
        assert parsed is None or (isinstance(parsed[0], datetime) and parsed[0].tzinfo is not None)
    src = loader.Source("content/a.md", {"title": "Bài", "date": value, "category": "Tin tức", "updated": value},
                        {"title": 2, "date": 3, "category": 4, "updated": 5}, "", False, 1, 6)
    fields, found = loader.check_fields(src, CFG)
    assert_clear(found, "\n" * 6)
    if fields is not None:
        assert fields["date"].tzinfo is not None
        fields["date"].astimezone(ZoneInfo("UTC")).isoformat()  # feeds and caches can hold it
    else:
        assert {p.code for p in found} <= {"bad_date", "bad_date_no_month", "bad_date_no_day", "bad_date_marker_hour",
                                           "bad_date_no_time", "bad_date_out_of_range", "bad_date_month_first",
                                           "bad_date_short_year", "missing_field", "bad_text"}, found


@FAST
@given(title=st.one_of(TEXT, st.text(st.characters(codec="utf-8"))))
@example("Đoàn kiểm tra cải cách hành chính")
@example("\u0110o\u0300an")
def test_any_title_slugifies(title: str) -> None:
    slug = slugify(title)
    assert SLUG.match(slug), slug
    assert slugify(slug) == slug
    assert slugify(unicodedata.normalize("NFD", title)) == slugify(unicodedata.normalize("NFC", title))


@FAST
@given(body=MARKDOWN, source_dir=st.sampled_from(["", "tin-tuc", "tin-tuc/2024"]))
def test_any_markdown_with_raw_html_renders_inert(body: str, source_dir: str) -> None:
    rendered = Renderer("/", ("www.youtube.com",), "Quay lại").render(body, source_dir)
    assert executable(rendered.html) == [], rendered.html
    assert not NOT_XML.search(rendered.html)
    assert not NOT_XML.search(rendered.summary)


@WHOLE
@given(fm=front_matter_text(), body=MARKDOWN)
@example(fm="title: <script>alert(1)</script>\ndate: 2024-03-15 09:00\ncategory: Tin tức\n"
            "summary: \"</p><img src=x onerror=alert(1)>\"\ntags: ['<svg onload=alert(1)>']\n", body="x")
@example(fm="title: \"A\\x01B\"\ndate: 2024-03-15 09:00\ncategory: Tin tức\n", body="a \x01 &#1; b")
@example(fm="title: " + "Kiểm tra công tác " * 40 + "\ndate: 2024-03-15 09:00\ncategory: Tin tức\n"
            "tags: [" + "rất dài " * 60 + "]\n", body="x")
def test_any_post_builds_a_safe_site_or_reports_clear_problems(fm: str, body: str) -> None:
    with tempfile.TemporaryDirectory(prefix="sitegen-fuzz-") as tmp:
        site = Path(tmp)
        (site / "content" / "tin-tuc").mkdir(parents=True)
        (site / "site.toml").write_text(SITE_TOML, encoding="utf-8")
        text = f"---\n{fm}---\n{body}\n"
        (site / "content" / "tin-tuc" / "a.md").write_bytes(text.encode("utf-8", "surrogatepass"))
        code, out, err = build("build", "--site", str(site))
        assert "Traceback" not in out + err
        assert code in (0, 1), err
        problems = [line for line in err.splitlines() if re.match(r"^\S+:\d+: (lỗi|cảnh báo): ", line)]
        if code == 1:
            assert problems, err
            assert not (site / "public").exists()
            return
        for page in (site / "public").rglob("*"):
            if page.suffix == ".html":
                assert executable(page.read_text(encoding="utf-8")) == [], page
            elif page.suffix == ".xml":
                ET.fromstring(page.read_bytes())
            elif page.name == "feed.json":
                for item in json.loads(page.read_text(encoding="utf-8"))["items"]:
                    assert executable(item["content_html"]) == []
