"""sitegen.feeds: permanent entry ids and absolute links inside feed content."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sitegen.feeds import absolutize, entry_id
from sitegen.kinds import Post
from sitegen.model import Category, Config

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TIN = Category("tin-tuc", "Tin tức")
CCHC = Category("cai-cach-hanh-chinh", "Cải cách hành chính")
CFG = Config(title="Cổng", base_url="https://mauson.example/", categories=(TIN, CCHC), tz=TZ)
SUB = replace(CFG, base_url="https://mauson.example/cong/")
POST = Post(source="content/tin-tuc/2022/kiem-tra.md", title="Kiểm tra CCHC", slug="kiem-tra-cchc",
            url="tin-tuc/2022/kiem-tra-cchc/", body_html="<p>x</p>", summary="x",
            date=datetime(2022, 10, 3, 8, 30, tzinfo=TZ), category=TIN)
UUID = "0F8C1E9A-1234-4ABC-8DEF-0123456789AB"


def test_entry_id_is_a_tag_uri_of_the_source() -> None:
    assert entry_id(CFG, POST) == "tag:mauson.example,2000:tin-tuc/2022/kiem-tra"
    assert re.match(r"^tag:[a-z0-9.-]+,\d{4}(-\d\d){0,2}:\S+$", entry_id(CFG, POST))


@pytest.mark.parametrize("change", [
    {"title": "Kiểm tra công tác cải cách hành chính (đã sửa)"},
    {"slug": "kiem-tra-2022"},
    {"url": "cai-cach-hanh-chinh/2022/kiem-tra-2022/"},
    {"category": CCHC},
    {"date": datetime(2023, 1, 1, tzinfo=TZ)},
    {"updated": datetime(2023, 1, 2, tzinfo=TZ)},
    {"body_html": "<p>khác</p>", "summary": "khác"},
])
def test_entry_id_survives_corrections(change: dict[str, object]) -> None:
    assert entry_id(CFG, replace(POST, **change)) == entry_id(CFG, POST)


def test_entry_id_differs_between_posts() -> None:
    other = replace(POST, source="content/tin-tuc/2022/kiem-tra-2.md")
    assert entry_id(CFG, other) != entry_id(CFG, POST)


def test_front_matter_uuid_becomes_urn() -> None:
    post = replace(POST, id=UUID)
    assert entry_id(CFG, post) == "urn:uuid:0f8c1e9a-1234-4abc-8def-0123456789ab"


def test_front_matter_id_survives_moving_the_file() -> None:
    first = replace(POST, id=UUID)
    moved = replace(first, source="content/cai-cach-hanh-chinh/kiem-tra.md", category=CCHC,
                    url="cai-cach-hanh-chinh/2022/kiem-tra-cchc/")
    assert entry_id(CFG, moved) == entry_id(CFG, first)


def test_front_matter_uri_kept_as_is() -> None:
    uri = "tag:mauson.gov.vn,2015:tin/123"
    assert entry_id(CFG, replace(POST, id=uri)) == uri


def test_front_matter_plain_id_becomes_a_valid_tag_uri() -> None:
    result = entry_id(CFG, replace(POST, id="bai 123"))
    assert result.startswith("tag:mauson.example,")
    assert " " not in result


def test_base_path_does_not_change_ids() -> None:
    assert entry_id(SUB, POST) == entry_id(CFG, POST)


# --- absolutize ------------------------------------------------------------------------------------

def test_root_relative_links_become_absolute() -> None:
    html = '<p><a href="/tin-tuc/">Tin</a> <img src="/images/a.jpg" alt="a"></p>'
    assert absolutize(html, CFG, POST.url) == (
        '<p><a href="https://mauson.example/tin-tuc/">Tin</a> '
        '<img src="https://mauson.example/images/a.jpg" alt="a"></p>')


def test_fragment_links_point_into_the_page() -> None:
    html = '<sup><a class="footnote-ref" href="#fn:1">1</a></sup><a href="#fnref:1">↩</a>'
    out = absolutize(html, CFG, POST.url)
    assert 'href="https://mauson.example/tin-tuc/2022/kiem-tra-cchc/#fn:1"' in out
    assert 'href="https://mauson.example/tin-tuc/2022/kiem-tra-cchc/#fnref:1"' in out


def test_under_a_base_path() -> None:
    # markup already put the base path in front of site links: /cong/tin-tuc/
    html = '<a href="/cong/tin-tuc/">a</a><a href="#fn:1">1</a>'
    out = absolutize(html, SUB, POST.url)
    assert 'href="https://mauson.example/cong/tin-tuc/"' in out
    assert 'href="https://mauson.example/cong/tin-tuc/2022/kiem-tra-cchc/#fn:1"' in out


@pytest.mark.parametrize("html", [
    '<a href="https://chinhphu.vn/a">x</a>',
    '<a href="http://x.example/">x</a>',
    '<a href="mailto:vp@mauson.example">x</a>',
    '<img src="//cdn.example/a.jpg">',
    '<img src="data:image/png;base64,AAA=">',
    "<p>Xem mục /tin-tuc/ và #muc-luc, href=&quot;/x&quot; trong chữ</p>",
])
def test_other_urls_and_text_left_alone(html: str) -> None:
    assert absolutize(html, CFG, POST.url) == html


def test_srcset_entries_absolutized() -> None:
    html = '<img srcset="/a-1x.jpg 1x, /a-2x.jpg 2x, https://cdn.example/a.jpg 3x" src="/a.jpg">'
    out = absolutize(html, CFG, POST.url)
    assert 'srcset="https://mauson.example/a-1x.jpg 1x, https://mauson.example/a-2x.jpg 2x, ' \
           'https://cdn.example/a.jpg 3x"' in out
    assert 'src="https://mauson.example/a.jpg"' in out


def test_absolutize_is_idempotent() -> None:
    html = '<a href="/a/">a</a><a href="#x">x</a>'
    once = absolutize(html, CFG, POST.url)
    assert absolutize(once, CFG, POST.url) == once


def test_feeds_show_the_bodies_they_are_given_for_the_posts_they_list(tmp_path) -> None:
    import feedparser

    from sitegen import feeds
    from tests.unit.site_parts import CFG as SITE
    from tests.unit.site_parts import NOW, catalogue, post

    posts = [replace(post(f"p{n}", n), body_html="\x00") for n in range(1, 4)]  # as read from the cache
    cat = catalogue(*posts)
    shown = feeds.shown(SITE, cat)
    assert {p.source for p in shown} == {p.source for p in posts}
    whole = {p.source: replace(p, body_html=f"<p>Thân bài {p.slug}</p>") for p in shown}
    files = feeds.build_feeds(tmp_path, SITE, cat, NOW, whole)
    parsed = feedparser.parse(files["feed.xml"])
    assert sorted(e.content[0].value for e in parsed.entries) == ["<p>Thân bài p1</p>", "<p>Thân bài p2</p>",
                                                                   "<p>Thân bài p3</p>"]
    assert "\x00" not in files["atom.xml"].decode() and "Thân bài p2" in files["tin-tuc/atom.xml"].decode()


def test_each_feed_and_its_atom_twin_are_made_from_one_set_of_entries(tmp_path, monkeypatch) -> None:
    """RSS and Atom of a listing show the same entries, so each entry is made once for both; each file
    still names itself as its own address and the listing as the other."""
    import feedparser

    from sitegen import feeds
    from tests.unit.site_parts import CFG as SITE
    from tests.unit.site_parts import NOW, catalogue, post

    made: list[str] = []
    entry = feeds._entry

    def counted(fg: object, cfg: object, item: Post, site: object) -> None:
        made.append(item.slug)
        entry(fg, cfg, item, site)

    monkeypatch.setattr(feeds, "_entry", counted)
    cat = catalogue(*[post(f"p{n}", n) for n in range(1, 4)])
    files = feeds.build_feeds(tmp_path, SITE, cat, NOW)
    assert sorted(made) == sorted(p.slug for p in feeds.shown(SITE, cat))
    for home in ("", "tin-tuc/"):
        rss, atom = feedparser.parse(files[home + "feed.xml"]), feedparser.parse(files[home + "atom.xml"])
        assert [e.id for e in rss.entries] == [e.id for e in atom.entries] and len(rss.entries) >= 1
        for parsed, name in ((rss, "feed.xml"), (atom, "atom.xml")):
            links = {link.rel: link.href for link in parsed.feed.links}
            assert links == {"self": SITE.base_url + home + name, "alternate": SITE.base_url + home}


def test_the_feeds_of_only_the_sites_built_last_are_kept_in_the_process(tmp_path: Path) -> None:
    """feeds_made keeps a site's feeds for its next build in the same process (`serve`), for the last
    KEEP_SITES sites: a province's preview builds a hundred."""
    from sitegen import feeds
    from tests.unit import site_parts

    cat = site_parts.catalogue(site_parts.post("a"))
    sites = [tmp_path / f"xa-{n}" for n in range(feeds.KEEP_SITES + 2)]
    asked: list[str] = []

    def whole(posts: list[Post]) -> dict[str, Post]:
        asked.append("whole")
        return {post.source: post for post in posts}

    for site in [*sites, sites[-1]]:
        made = feeds.feeds_made(site, site_parts.CFG, cat, site_parts.NOW, {}, whole)
        assert "<title>Bài a</title>".encode() in made["feed.xml"]
    assert list(feeds._LAST) == [os.fspath(site) for site in sites[-feeds.KEEP_SITES:]]
    assert len(asked) == len(sites)  # the last site's second build took its feeds as they were
