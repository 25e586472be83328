"""Feeds of the golden site, parsed with feedparser and read by a real reader (newsboat)."""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
import pytest

GOLDEN = Path(__file__).parent / "golden" / "site"
BASE = "https://kiemthu.example/"
VN = timezone(timedelta(hours=7))
PUBLISHED = 6  # posts of the golden site that are out at the fixed build time
FEED_ITEMS = 3


@pytest.fixture
def site(golden_site: Path) -> Path:
    return golden_site


@pytest.fixture
def public(golden_public: Path) -> Path:
    return golden_public


def parse(public: Path, rel: str) -> feedparser.FeedParserDict:
    feed = feedparser.parse((public / rel).read_bytes())
    assert not feed.bozo, (rel, feed.get("bozo_exception"))
    return feed


def all_feeds(public: Path) -> list[str]:
    found = ["feed.xml", "atom.xml"]
    for key in ("cai-cach-hanh-chinh", "thong-bao", "tin-tuc"):
        found += [f"{key}/feed.xml", f"{key}/atom.xml"]
    assert all((public / rel).is_file() for rel in found)
    return found


def test_every_feed_parses_and_is_newest_first(public: Path) -> None:
    for rel in all_feeds(public):
        feed = parse(public, rel)
        stamps = [datetime(*e.published_parsed[:6]) for e in feed.entries]
        assert stamps == sorted(stamps, reverse=True), rel
        assert feed.feed.language == "vi" if rel.endswith("feed.xml") else True
    assert len(parse(public, "feed.xml").entries) == FEED_ITEMS
    assert len(parse(public, "atom.xml").entries) == FEED_ITEMS
    assert len(parse(public, "tin-tuc/feed.xml").entries) == 2
    assert len(parse(public, "thong-bao/atom.xml").entries) == 1


def test_dates_carry_the_site_offset(public: Path) -> None:
    rss = (public / "feed.xml").read_text(encoding="utf-8")
    dates = re.findall(r"<pubDate>([^<]+)</pubDate>", rss)
    assert dates and all(d.endswith("+0700") for d in dates)
    assert "<pubDate>Mon, 01 Apr 2024 15:15:00 +0700</pubDate>" in rss
    assert "<lastBuildDate>Tue, 02 Apr 2024 10:00:00 +0700</lastBuildDate>" in rss  # its newest entry's change
    atom = (public / "atom.xml").read_text(encoding="utf-8")
    assert "<published>2024-04-01T15:15:00+07:00</published>" in atom
    assert "<updated>2024-04-02T10:00:00+07:00</updated>" in atom
    # a post dated without a time is at local midnight, not UTC midnight
    assert "<published>2023-09-05T00:00:00+07:00</published>" in atom


def test_a_feed_is_dated_by_its_newest_entry_so_a_later_build_leaves_it_alone(site: Path, public: Path, run_cli,
                                                                               monkeypatch) -> None:
    """RSS lastBuildDate and Atom updated say when the feed's content last changed, not when it was built: a
    build an hour later that changes nothing in a feed (an hourly count of views) does not rewrite it."""
    for atom_rel in [rel for rel in all_feeds(public) if rel.endswith("atom.xml")]:
        atom, rss = parse(public, atom_rel), parse(public, atom_rel.replace("atom.xml", "feed.xml"))
        assert atom.feed.updated_parsed == max(entry.updated_parsed for entry in atom.entries), atom_rel
        assert rss.feed.updated_parsed == atom.feed.updated_parsed, atom_rel  # RSS items carry no update
    before = {rel: ((public / rel).read_bytes(), (public / rel).stat().st_mtime_ns)
              for rel in [*all_feeds(public), "feed.json"]}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1790000000 + 3600))
    assert run_cli("build", "--site", str(site), "--no-cache")[0] == 0
    assert {rel: ((public / rel).read_bytes(), (public / rel).stat().st_mtime_ns) for rel in before} == before


def test_a_category_with_no_post_has_a_feed_a_later_build_leaves_alone(site: Path, run_cli, monkeypatch,
                                                                        tmp_path: Path) -> None:
    """Dated by the site's newest post, not by the build: a rebuild (of a commune with an empty category,
    every hour) rewrites no feed, and a reader sees no update without an entry."""
    toml = site / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[[categories]]\nkey = "tuyen-dung"\nname = "Tuyển dụng"\n',
                    encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    feed = parse(out, "tuyen-dung/atom.xml")
    assert not feed.entries
    assert feed.feed.updated_parsed == parse(out, "atom.xml").feed.updated_parsed  # the site's newest change
    before = {rel: (out / rel).read_bytes() for rel in ("tuyen-dung/atom.xml", "tuyen-dung/feed.xml")}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1790000000 + 3600))
    assert run_cli("build", "--site", str(site), "--output", str(out), "--no-cache")[0] == 0
    assert {rel: (out / rel).read_bytes() for rel in before} == before


def test_items_carry_absolute_urls_content_and_enclosures(public: Path) -> None:
    feed = parse(public, "cai-cach-hanh-chinh/feed.xml")
    item = next(e for e in feed.entries if "Đoàn kiểm tra" in e.title)
    assert item.link == BASE + "cai-cach-hanh-chinh/2022/doan-kiem-tra-cai-cach-hanh-chinh-lam-viec-tai-xa-kiem-thu/"
    assert item.summary.startswith("Sáng ngày 03/10/2022")
    content = item.content[0].value
    assert '<img alt="Cán bộ một cửa tiếp nhận hồ sơ"' in content
    assert 'src="https://kiemthu.example/images/mot-cua.png"' in content
    assert 'href="https://kiemthu.example/thong-bao/2024/lich-tiep-cong-dan/"' in content
    assert 'href="' + item.link + '#fn:1"' in content
    assert not re.search(r'(href|src)="(?!https://)', content)
    enclosure = item.enclosures[0]
    size = (GOLDEN / "content/images/doan-kiem-tra.png").stat().st_size
    assert enclosure.href == BASE + "images/doan-kiem-tra.png"
    assert int(enclosure.length) == size and enclosure.type == "image/png"
    assert item.author == "Tổ biên tập" and item.tags[0].term == "Cải cách hành chính"


def test_channel_elements(public: Path) -> None:
    rss = (public / "feed.xml").read_text(encoding="utf-8")
    assert '<atom:link href="https://kiemthu.example/feed.xml" rel="self"/>' in rss
    assert "<link>https://kiemthu.example/</link>" in rss
    assert "<url>https://kiemthu.example/images/logo.png</url>" in rss
    assert "<generator>" in rss and "<language>vi</language>" in rss
    category = parse(public, "thong-bao/atom.xml")
    assert category.feed.link == BASE + "thong-bao/"
    assert any(link.rel == "self" and link.href == BASE + "thong-bao/atom.xml" for link in category.feed.links)


def test_front_matter_id_wins_and_ids_survive_corrections(site: Path, public: Path, run_cli) -> None:
    before = {e.link: e.id for e in parse(public, "atom.xml").entries}
    rss_before = {e.link: e.id for e in parse(public, "feed.xml").entries}
    notice = BASE + "thong-bao/2024/lich-tiep-cong-dan/"
    assert before[notice] == "urn:uuid:6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f" == rss_before[notice]
    hoi_nghi = next(link for link in before if "hoi-nghi" in link)
    post = site / "content/tin-tuc/2023/hoi-nghi.md"
    post.write_text(post.read_text(encoding="utf-8")
                    .replace("title: Hội nghị đối thoại", "title: Hội nghị đối thoại trực tiếp")
                    .replace("category: Tin tức", "category: Thông báo\nslug: doi-thoai-2023"), encoding="utf-8")
    assert run_cli("build", "--site", str(site))[0] == 0
    after = {e.title: e.id for e in parse(public, "atom.xml").entries}
    moved = after["Hội nghị đối thoại trực tiếp với nhân dân về thủ tục hành chính"]
    assert moved == before[hoi_nghi] and "doi-thoai" not in moved and "hoi-nghi-doi-thoai" not in moved


def test_drafts_and_future_posts_never_in_feeds(public: Path) -> None:
    text = "".join((public / rel).read_text(encoding="utf-8") for rel in all_feeds(public))
    text += (public / "feed.json").read_text(encoding="utf-8")
    assert "Bản nháp" not in text and "2027" not in text


def test_json_feed(public: Path) -> None:
    feed = json.loads((public / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == BASE + "feed.json" and feed["language"] == "vi"
    assert len(feed["items"]) == FEED_ITEMS
    first = feed["items"][0]
    assert first["id"] and first["content_html"] and first["date_published"].endswith("+07:00")


def test_pages_link_their_feeds(public: Path) -> None:
    home = (public / "index.html").read_text(encoding="utf-8")
    article = (public / "thong-bao/2024/lich-tiep-cong-dan/index.html").read_text(encoding="utf-8")
    listing = (public / "thong-bao/index.html").read_text(encoding="utf-8")
    for page in (home, article, listing):
        assert '<link rel="alternate" type="application/rss+xml"' in page and 'href="/feed.xml"' in page
        assert 'type="application/atom+xml"' in page and 'href="/feed.json"' in page
    for page in (article, listing):
        assert 'href="/thong-bao/feed.xml"' in page and 'href="/thong-bao/atom.xml"' in page
    assert 'href="/thong-bao/feed.xml"' not in home
    assert re.search(r'<a [^>]*href="/feed.xml"', home)  # a visible RSS link


@pytest.fixture
def served(public: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(public))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.skipif(shutil.which("newsboat") is None, reason="newsboat is not installed (.ci/run installs it)")
@pytest.mark.parametrize("rel", ["feed.xml", "atom.xml", "tin-tuc/feed.xml"])
def test_newsboat_reads_every_item(rel: str, public: Path, served: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "urls").write_text(served + rel + "\n")
    (tmp_path / "config").write_text("reload-threads 1\ndownload-timeout 20\nmax-items 0\n")
    env = {"HOME": str(home), "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"}
    subprocess.run(["newsboat", "-u", str(tmp_path / "urls"), "-c", str(tmp_path / "cache.db"),
                    "-C", str(tmp_path / "config"), "-x", "reload"], env=env, timeout=60,
                   stdin=subprocess.DEVNULL, capture_output=True, check=True)
    with sqlite3.connect(tmp_path / "cache.db") as db:
        titles = [row[0] for row in db.execute("SELECT title FROM rss_item")]
    expected = [e.title for e in parse(public, rel).entries]
    assert sorted(titles) == sorted(expected) and titles
