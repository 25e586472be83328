"""sitegen.accesslog: a log line's time and page, read the way the site sees them."""

from __future__ import annotations

from sitegen.accesslog import LineReader
from tests.unit.site_parts import TZ


def _reader() -> LineReader:
    return LineReader("/xa/", TZ, lambda rel: rel.startswith("tin-tuc/"))


def test_the_day_is_the_sites_and_the_minute_is_unix_time() -> None:
    day, minute = _reader().when(b"05/Dec/2026:23:30:00 +0000")
    assert day == "2026-12-06"  # 06:30 in Hà Nội
    assert minute == 1796513400 // 60
    assert _reader().when(b"31/Feb/2026:10:00:00 +0700") is None
    assert _reader().when(b"05/Dex/2026:10:00:00 +0700") is None


def test_only_article_addresses_under_the_base_path_are_pages() -> None:
    reader = _reader()
    assert reader.page(b"/xa/tin-tuc/2026/a/?utm=1") == "tin-tuc/2026/a/"
    assert reader.page(b"/xa/tin-tuc/2026/a/index.html") == "tin-tuc/2026/a/"
    assert reader.page(b"/xa//tin-tuc/2026/%61/") == "tin-tuc/2026/a/"
    assert reader.page(b"https://tanhoa.example/xa/tin-tuc/2026/a/") == "tin-tuc/2026/a/"
    for other in (b"/tin-tuc/2026/a/", b"/xa/assets/site.css", b"/xa/tin-tuc/../a/", b"/xa/tin-tuc/2026/a",
                  b"/xa/%ff/"):
        assert reader.page(other) is None, other


def test_crawlers_are_told_from_readers() -> None:
    reader = _reader()
    assert reader.is_crawler(b"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
    assert not reader.is_crawler(b"Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0 Safari/537.36")
